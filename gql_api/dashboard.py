"""The dashboard at /dashboard: static, hand-written HTML, CSS and JavaScript (no build step).

It takes every figure it draws from POST /graphql on the same origin. The pages are served
with a Content-Security-Policy that allows nothing but this origin, so the browser itself
refuses any request elsewhere (no CDN, no fonts, no analytics), as a closed network needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

DASHBOARD_DIR: Final = Path(__file__).resolve().parent / "dashboard"
DASHBOARD_URL: Final = "/dashboard"

# Same origin only. blob: and data: images are the PNG export drawing the serialised SVG.
CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_HEADERS: Final = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class _Assets(StaticFiles):
    """The dashboard's files, with the same headers as the page."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(_HEADERS)
        return response


async def _index(request: Request) -> Response:
    return FileResponse(DASHBOARD_DIR / "index.html", headers=_HEADERS)


async def _to_index(request: Request) -> Response:
    return RedirectResponse(DASHBOARD_URL + "/")


def dashboard_routes() -> list[Route | Mount]:
    """The routes to add to the app: /dashboard (redirects), /dashboard/ (the page), assets."""
    return [
        Route(DASHBOARD_URL, _to_index),
        Route(DASHBOARD_URL + "/", _index),
        Mount(DASHBOARD_URL, app=_Assets(directory=DASHBOARD_DIR)),
    ]
