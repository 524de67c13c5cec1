"""The Starlette application: /graphql (and the explorer), /healthz, /readyz, /metrics."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gql_api.auth import KeyRing
from gql_api.dashboard import dashboard_routes
from gql_api.explorer import ASSETS_DIR, ASSETS_URL, explorer_html
from gql_api.http import GraphQLApp
from gql_api.metrics import Metrics, MetricsMiddleware
from gql_api.schema import build_schema
from scrgraph.errors import BackendUnavailable
from scrgraph.settings import Settings
from scrgraph.store import GraphStore, open_store


def create_app(settings: Settings, store: GraphStore | None = None) -> Starlette:
    """Build the app. The store is opened in the lifespan unless one is passed in."""
    state: dict[str, GraphStore] = {}
    if store is not None:
        state["store"] = store
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if store is None:
            state["store"] = open_store(settings)
        try:
            yield
        finally:
            if store is None:
                state["store"].close()

    def current_store() -> GraphStore:
        s = state.get("store")
        if s is None:
            raise BackendUnavailable("the store is not open yet; the server is starting")
        return s

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def readyz(request: Request) -> Response:
        try:
            current_store().ping()
        except BackendUnavailable as e:
            return JSONResponse({"ready": False, "error": str(e)}, status_code=503)
        return JSONResponse({"ready": True, "backend": current_store().kind})

    async def metrics_view(request: Request) -> Response:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    async def explorer(request: Request) -> Response:
        return RedirectResponse("/graphql")

    graphql = GraphQLApp(
        build_schema(production=settings.production),
        store=current_store,
        keys=KeyRing(settings.keys_file, settings.require_key),
        metrics=metrics,
        timeout=settings.request_timeout,
        explorer_html=None if settings.production else explorer_html(),
    )
    routes: list[Route | Mount] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_view),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        *dashboard_routes(),
    ]
    if not settings.production:
        routes.append(Route("/explorer", explorer))
        routes.append(Mount(ASSETS_URL, app=StaticFiles(directory=ASSETS_DIR, check_dir=False)))
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(MetricsMiddleware, metrics=metrics)],
    )
