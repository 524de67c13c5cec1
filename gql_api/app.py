"""The Starlette application: /graphql (and the explorer), /briefing, /healthz, /readyz,
/metrics, and the dashboard."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gql_api.access import AccessLogMiddleware
from gql_api.auth import AuthError, KeyRing
from gql_api.dashboard import dashboard_routes
from gql_api.explorer import ASSETS_DIR, ASSETS_URL, explorer_html
from gql_api.http import GraphQLApp
from gql_api.landing import landing_route
from gql_api.metrics import Metrics
from gql_api.schema import build_schema
from graph_store import GraphStore, open_store
from queries.briefing_render import briefing_document
from scrgraph.errors import BackendUnavailable, ScrgraphError
from scrgraph.settings import Settings

# The briefing page is self-contained: its own inline styles, nothing from anywhere else.
BRIEFING_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _schema_message(store: GraphStore, missing: list[str]) -> str:
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return (
        f"the {store.kind} store lacks its schema ({shown}); "
        f"run `scrgraph schema --backend {store.kind}` (or `scrgraph load`, which applies it)"
    )


def _warn_if_schema_missing(store: GraphStore) -> None:
    try:
        missing = store.schema_missing()
    except BackendUnavailable:
        return  # /readyz reports an unreachable backend
    if missing:
        print(f"scrgraph: warning: {_schema_message(store, missing)}", file=sys.stderr, flush=True)


def create_app(
    settings: Settings, store: GraphStore | None = None, metrics_dir: Path | None = None
) -> Starlette:
    """Build the app. The store is opened in the lifespan unless one is passed in.

    `metrics_dir`: the directory a server's worker processes share, so that /metrics sums
    all of them (see `gql_api.metrics`); None for a server of one process.
    """
    state: dict[str, GraphStore] = {}
    if store is not None:
        state["store"] = store
    metrics = Metrics(metrics_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if store is None:
            state["store"] = open_store(settings)
            _warn_if_schema_missing(state["store"])
        try:
            yield
        finally:
            metrics.close()
            if store is None:
                state["store"].close()

    def current_store() -> GraphStore:
        s = state.get("store")
        if s is None:
            raise BackendUnavailable("the store is not open yet; the server is starting")
        return s

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    schema_ok: list[bool] = []  # once the schema is found whole, it is not asked for again

    async def readyz(request: Request) -> Response:
        try:
            current_store().ping()
            if not schema_ok:
                missing = await anyio.to_thread.run_sync(current_store().schema_missing)
                if missing:
                    return JSONResponse(
                        {"ready": False, "error": _schema_message(current_store(), missing)},
                        status_code=503,
                    )
                schema_ok.append(True)
        except BackendUnavailable as e:
            return JSONResponse({"ready": False, "error": str(e)}, status_code=503)
        # `worker`: the process that answered, so an operator (and the tests) can tell the
        # workers of `scrgraph serve --workers N` apart.
        return JSONResponse({"ready": True, "backend": current_store().kind, "worker": os.getpid()})

    async def metrics_view(request: Request) -> Response:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    keyring = KeyRing(settings.keys_file, settings.require_key)

    async def briefing(request: Request) -> Response:
        """A briefing as a printable page: /briefing?audience=police&from=2014&to=2019."""
        q = request.query_params
        try:
            viewer = keyring.viewer(request.headers.get("authorization"))
        except AuthError as e:
            return PlainTextResponse(f"{e}\n", status_code=401)
        boards = [b for v in q.getlist("boards") for b in v.split(",") if b.strip()]
        try:
            year_from = int(q["from"]) if q.get("from") else None
            year_to = int(q["to"]) if q.get("to") else None
        except ValueError:
            return PlainTextResponse("from and to must be years, e.g. from=2014\n", 400)
        fmt = q.get("format", "html")
        if fmt not in ("html", "md"):
            return PlainTextResponse("format must be html or md\n", status_code=400)
        try:
            with anyio.fail_after(settings.request_timeout):
                doc = await anyio.to_thread.run_sync(
                    lambda: briefing_document(
                        current_store(),
                        q.get("audience", ""),
                        boards=boards or None,
                        year_from=year_from,
                        year_to=year_to,
                        viewer=viewer,
                    ),
                    abandon_on_cancel=True,
                )
        except BackendUnavailable as e:
            return PlainTextResponse(f"{e}\n", status_code=503)
        except TimeoutError:
            return PlainTextResponse("the briefing took too long; narrow it\n", 504)
        except ScrgraphError as e:
            return PlainTextResponse(f"{e}\n", status_code=400)
        if fmt == "md":
            return PlainTextResponse(doc.markdown, media_type="text/markdown; charset=utf-8")
        return HTMLResponse(doc.html, headers=BRIEFING_HEADERS)

    async def explorer(request: Request) -> Response:
        return RedirectResponse("/graphql")

    graphql = GraphQLApp(
        build_schema(production=settings.production),
        store=current_store,
        keys=keyring,
        metrics=metrics,
        timeout=settings.request_timeout,
        explorer_html=None if settings.production else explorer_html(),
    )
    routes: list[Route | Mount] = [
        Route("/", landing_route(settings.production)),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_view),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/briefing", briefing),
        *dashboard_routes(),
    ]
    if not settings.production:
        routes.append(Route("/explorer", explorer))
        routes.append(Mount(ASSETS_URL, app=StaticFiles(directory=ASSETS_DIR, check_dir=False)))
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(AccessLogMiddleware, metrics=metrics)],
    )
