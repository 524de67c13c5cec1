"""The landing page at `/`: what this server offers, one link each.

A self-contained page (inline styles only, nothing fetched), so that the address the demo
prints answers with directions instead of a 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape
from typing import Final

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

HEADERS: Final = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# (address, name, what it is); the explorer line is left out in production.
LINKS: Final = (
    ("/dashboard/", "Dashboard", "themes over time, the theme network and the action tracker"),
    ("/graphql", "GraphQL API and explorer", "query the graph; the explorer runs in the browser"),
    (
        "/briefing?audience=police&format=html",
        "Briefings",
        "a printable briefing for one audience (here police; see `scrgraph brief --help`)",
    ),
    ("/readyz", "Readiness", "whether the store answers and has its schema (JSON)"),
    ("/healthz", "Liveness", "whether the process is up"),
    ("/metrics", "Metrics", "Prometheus text: requests, latency, errors, backend calls"),
)


def landing_html(production: bool) -> str:
    """The page: one described link per endpoint."""
    items = []
    for href, name, what in LINKS:
        if production and href == "/graphql":
            name, what = "GraphQL API", "POST queries here (the explorer is off in production)"
        items.append(
            f'<li><a href="{escape(href)}">{escape(name)}</a> '
            f"<code>{escape(href.split('?')[0])}</code>: {escape(what)}</li>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>scrgraph</title><style>"
        "body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}"
        "li{margin:.4rem 0}code{font-size:.85em;color:#555}"
        "</style></head><body><h1>scrgraph</h1>"
        "<p>A knowledge graph of what child-safeguarding case reviews have taught, and of "
        "whether anyone acted on it.</p><ul>" + "".join(items) + "</ul></body></html>"
    )


def landing_route(production: bool) -> Callable[[Request], Awaitable[Response]]:
    """The `/` endpoint, its page built once."""
    page = landing_html(production)

    async def landing(request: Request) -> Response:
        return HTMLResponse(page, headers=HEADERS)

    return landing
