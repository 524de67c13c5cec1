"""Per HTTP request: one timing, counted in the metrics and written as one access line, and a
request id that the response and the logs share.

Every request gets an id: the client's `X-Request-ID` when it is a short plain token, else a
new random one. The response carries it back in `X-Request-ID`, the access line names it, and
so does the ERROR line (with its traceback) of a server bug met while answering; the bug's
GraphQL error carries it too (`extensions.requestId`), so an operator can find the traceback
from what a user reports. Access lines are INFO on `scrgraph.access`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gql_api.metrics import Metrics, normalised_path

log = logging.getLogger("scrgraph.access")

HEADER: Final = "x-request-id"
# A client's id is kept only if it cannot forge a log line (no spaces, quotes or newlines).
_CLIENT_ID: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")
NO_REQUEST: Final = "-"

request_id: ContextVar[str] = ContextVar("scrgraph_request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being answered, or "-" outside one."""
    return request_id.get()


def _id_from(scope: Scope) -> str:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name.decode("latin-1").lower() == HEADER:
            given = value.decode("latin-1").strip()
            if _CLIENT_ID.fullmatch(given):
                return given
            break
    return uuid.uuid4().hex[:16]


class AccessLogMiddleware:
    """Sets the request id and returns it in a header; when the answer is sent, counts the
    request in `metrics` (by normalised path and status) and logs one line."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _id_from(scope)
        token = request_id.set(rid)
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"
                ]
                message = {**message, "headers": [*headers, (HEADER.encode(), rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            raw = str(scope.get("path", ""))
            self.metrics.observe(
                normalised_path(raw), str(scope.get("method", "")), status, seconds
            )
            log.info(
                "%s %s %d %.1fms request %s",
                scope.get("method", "-"),
                raw or "-",
                status,
                seconds * 1000,
                rid,
            )
            request_id.reset(token)
