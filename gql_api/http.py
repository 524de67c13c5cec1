"""GraphQL over HTTP: strawberry's ASGI app, made to follow the spec to the letter.

- Answers `application/graphql-response+json` when the client asks for it, and then uses
  400 (without a `data` entry) for parse, validation and variable-coercion failures.
- Answers 401 for a missing (when required) or unknown key, 503 when the backend is down and
  504 when the request outlasts the timeout, always as a GraphQL error document.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

import anyio
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult

from gql_api.auth import AuthError, KeyRing
from gql_api.context import Context, RequestMeta
from gql_api.limits import is_request_error
from gql_api.metrics import Metrics
from graph_store import GraphStore

GRAPHQL_RESPONSE_JSON: Final = "application/graphql-response+json"
JSON: Final = "application/json"


def wants_graphql_response_json(accept: str | None) -> bool:
    """Whether the client prefers application/graphql-response+json over application/json."""
    if not accept:
        return False
    best: tuple[float, int] | None = None
    chosen = False
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media not in (GRAPHQL_RESPONSE_JSON, JSON) or q <= 0:
            continue
        rank = (q, -i)
        if best is None or rank > best:
            best, chosen = rank, media == GRAPHQL_RESPONSE_JSON
    return chosen


class _SubResponse(Response):
    meta: RequestMeta


def error_response(status: int, message: str, code: str, meta: RequestMeta) -> Response:
    """A GraphQL error document with an HTTP status, in the negotiated media type."""
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    media = GRAPHQL_RESPONSE_JSON if meta.graphql_response_json else JSON
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return Response(body, status_code=status, media_type=media, headers=headers)


class GraphQLApp(GraphQL[Context, None]):
    """The /graphql endpoint."""

    def __init__(
        self,
        schema: BaseSchema,
        *,
        store: Callable[[], GraphStore],
        keys: KeyRing,
        metrics: Metrics,
        timeout: float,
        explorer_html: str | None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if explorer_html else None,
            allow_queries_via_get=True,
        )
        self._store = store
        self._keys = keys
        self._metrics = metrics
        self._timeout = timeout
        self._explorer_html = explorer_html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # no subscriptions: refuse websockets
            await send({"type": "websocket.close", "code": 1008})
            return
        request = Request(scope=scope, receive=receive)
        meta = RequestMeta(
            graphql_response_json=wants_graphql_response_json(request.headers.get("accept"))
        )
        request.state.meta = meta
        response: Response
        try:
            with anyio.fail_after(self._timeout):
                response = await self.run(request)
        except HTTPException as e:
            response = PlainTextResponse(e.reason, status_code=e.status_code)
        except AuthError as e:
            response = error_response(401, str(e), "UNAUTHENTICATED", meta)
        except TimeoutError:
            response = error_response(
                504,
                f"the request took longer than {self._timeout:g} s and was abandoned; "
                "ask for less (smaller pages, fewer fields) or narrow the filters",
                "TIMEOUT",
                meta,
            )
        await response(scope, receive, send)

    def parse_json(self, data: str | bytes) -> Any:
        """Refuse a body that is JSON but not an object (`null`, `1`, `"x"`) with 400, not 500."""
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "The request body must be a JSON object with a `query`.")
        return parsed

    async def get_sub_response(self, request: Request | Any) -> Response:
        sub = _SubResponse()
        sub.status_code = None  # type: ignore[assignment]
        del sub.headers["content-length"]
        sub.meta = request.state.meta
        return sub

    async def get_context(self, request: Request | Any, response: Response | Any) -> Context:
        viewer = self._keys.viewer(request.headers.get("authorization"))
        ctx = Context(store=self._store(), viewer=viewer, meta=request.state.meta)
        request.state.ctx = ctx
        return ctx

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self._explorer_html or "")

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        meta: RequestMeta = request.state.meta
        errors = result.errors or []
        for e in errors:
            code = str((e.extensions or {}).get("code") or "BAD_REQUEST")
            self._metrics.graphql_error(code)
            if code == "BACKEND_UNAVAILABLE":
                meta.backend_unavailable = True
        if result.data is None and is_request_error(errors):
            meta.request_error = True
        ctx = getattr(request.state, "ctx", None)
        if isinstance(ctx, Context):
            self._metrics.add_backend_calls(ctx.backend_calls)
        return data

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        meta = getattr(sub_response, "meta", None)
        if not isinstance(meta, RequestMeta):
            return super().create_response(response_data, sub_response)
        # Built here, not by strawberry's `create_response`: that one encodes the body too,
        # and only its status would be used (the body costs 10-60 ms to encode for a large
        # answer; this way it is encoded once).
        status = sub_response.status_code or 200
        body: Any = response_data
        if meta.backend_unavailable:
            status = 503
        elif meta.request_error and meta.graphql_response_json:
            status = 400
            if isinstance(body, dict):
                body = {k: v for k, v in body.items() if k != "data"}
        media = GRAPHQL_RESPONSE_JSON if meta.graphql_response_json else JSON
        out = Response(self.encode_json(body), status_code=status, media_type=media)
        for k, v in sub_response.headers.items():
            if k.lower() not in ("content-length", "content-type"):
                out.headers[k] = v
        return out
