"""The Starlette application: /graphql, /healthz, /readyz, /metrics."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from scrgraph.errors import BackendUnavailable
from scrgraph.settings import Settings
from scrgraph.store import GraphStore, open_store


def create_app(settings: Settings, store: GraphStore | None = None) -> Starlette:
    """Build the app. The store is opened in the lifespan unless one is passed in."""
    state: dict[str, GraphStore] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["store"] = store if store is not None else open_store(settings)
        try:
            yield
        finally:
            if store is None:
                state["store"].close()

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def readyz(request: Request) -> Response:
        try:
            state["store"].ping()
        except BackendUnavailable as e:
            return JSONResponse({"ready": False, "error": str(e)}, status_code=503)
        return JSONResponse({"ready": True, "backend": state["store"].kind})

    return Starlette(
        routes=[Route("/healthz", healthz), Route("/readyz", readyz)],
        lifespan=lifespan,
    )
