"""Protection: depth, alias, token and page-size limits, error masking, introspection switch."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from gql_api.errors import argument_name
from queries._common import QueryParamError
from scrgraph.errors import BackendUnavailable, ScrgraphError

# Each hop through a connection costs three levels (field, edges, node), so 10 allows
# list -> item -> related item -> its fields; common practice is 7 to 10.
MAX_DEPTH: Final = 10
MAX_ALIASES: Final = 15
MAX_TOKENS: Final = 2000

BACKEND_MESSAGE: Final = (
    "the graph backend is unavailable; try again shortly (operators: check /readyz)"
)
INTERNAL_MESSAGE: Final = "internal error; it has been logged (no details are shown to clients)"

log = logging.getLogger("scrgraph.api")


class SafeErrors(MaskErrors):
    """Keep errors meant for users; replace everything else with a fixed message.

    User errors: GraphQL's own (parse, validation, coercion), `GraphQLError`s resolvers raise
    and the project's `ScrgraphError`s. A backend outage becomes one clear message with the
    code `BACKEND_UNAVAILABLE` (the HTTP layer answers 503). Anything else is logged and
    answered with `INTERNAL`.
    """

    def __init__(self) -> None:
        super().__init__(error_message=INTERNAL_MESSAGE)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        out: list[GraphQLError] = []
        for e in errors:
            orig = e.original_error
            if orig is None or isinstance(orig, GraphQLError):
                out.append(e)
            elif isinstance(orig, BackendUnavailable):
                log.warning("backend unavailable: %s", orig)
                out.append(self._replace(e, BACKEND_MESSAGE, "BACKEND_UNAVAILABLE", orig))
            elif isinstance(orig, QueryParamError):
                # Named as the API's arguments, not as the CLI's `--param` (same message).
                message = orig.render(argument_name)
                out.append(self._replace(e, message, orig.code, orig))
            elif isinstance(orig, ScrgraphError):
                code = getattr(orig, "code", "BAD_REQUEST")
                out.append(self._replace(e, str(orig), code, orig))
            else:
                log.error("internal error at %s", e.path, exc_info=orig)
                out.append(self._replace(e, INTERNAL_MESSAGE, "INTERNAL", None))
        return out

    @staticmethod
    def _replace(e: GraphQLError, message: str, code: str, orig: Exception | None) -> GraphQLError:
        return GraphQLError(
            message=message,
            nodes=e.nodes,
            source=e.source,
            positions=e.positions,
            path=e.path,
            original_error=orig,
            extensions={"code": code},
        )


ExtensionFactory = Callable[[], SchemaExtension]


def extensions(production: bool) -> list[ExtensionFactory]:
    """Factories of the schema extensions every request runs through (fresh per request)."""
    exts: list[ExtensionFactory] = [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        SafeErrors,
    ]
    if production:
        exts.append(DisableIntrospection)
    return exts


def is_request_error(errors: list[GraphQLError]) -> bool:
    """Whether errors are all about the request itself (parse, validation, coercion)."""
    return bool(errors) and all(
        e.original_error is None and not (e.extensions or {}).get("code") for e in errors
    )
