"""Protection: depth, alias, token and page-size limits, error masking, introspection switch.

Errors, and how each is answered and logged:
- the client's mistakes (a malformed or invalid request, a bad argument, an unknown key, a
  missing key or role) keep their message, get a code (`GRAPHQL_PARSE_FAILED`,
  `GRAPHQL_VALIDATION_FAILED`, `BAD_USER_INPUT`, `NOT_FOUND`, `UNAUTHENTICATED`,
  `FORBIDDEN`, ...) and are logged as one INFO line, never with a traceback;
- a backend outage is one WARNING line and `BACKEND_UNAVAILABLE`;
- anything else is a server bug: logged at ERROR with its traceback and the request id, and
  answered `INTERNAL` with no detail but that id (`extensions.requestId`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from graphql import ASTValidationRule, GraphQLError, GraphQLSyntaxError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from gql_api.access import current_request_id
from gql_api.document_cache import DocumentCache
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

PARSE_FAILED: Final = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED: Final = "GRAPHQL_VALIDATION_FAILED"
REQUEST_CODES: Final = (PARSE_FAILED, VALIDATION_FAILED)
# A deliberate error without a code of its own is the client's to fix.
DEFAULT_CODE: Final = "BAD_USER_INPUT"

log = logging.getLogger("scrgraph.api")


def request_code(e: GraphQLError) -> str:
    """The code of an error about the request itself (parse, validation, coercion)."""
    return PARSE_FAILED if isinstance(e, GraphQLSyntaxError) else VALIDATION_FAILED


def _code(e: GraphQLError) -> str | None:
    code = (e.extensions or {}).get("code")
    return None if code is None else str(code)


def log_errors(errors: list[GraphQLError]) -> None:
    """Log each error once, as the module docstring says (runs before SafeErrors masks)."""
    for e in errors:
        orig = e.original_error
        where = ".".join(str(p) for p in e.path) if e.path else "-"
        if orig is None or isinstance(orig, GraphQLError | ScrgraphError):
            if isinstance(orig, BackendUnavailable):
                log.warning("backend unavailable at %s: %s", where, _one_line(str(orig)))
                continue
            code = _code(e) or (
                request_code(e) if orig is None else getattr(orig, "code", DEFAULT_CODE)
            )
            log.info("client error %s at %s: %s", code, where, _one_line(user_message(e)))
        else:
            log.error(
                "internal error at %s (request %s)", where, current_request_id(), exc_info=orig
            )


def user_message(e: GraphQLError) -> str:
    """What a client is told about a deliberate error, in the API's words."""
    orig = e.original_error
    if isinstance(orig, QueryParamError):
        # Named as the API's arguments, not as the CLI's `--param` (same message).
        return orig.render(argument_name)
    if isinstance(orig, ScrgraphError):
        return str(orig)
    return e.message


def _one_line(text: str) -> str:
    return " ".join(text.split())


class SafeErrors(MaskErrors):
    """Keep errors meant for users; replace everything else with a fixed message.

    User errors: GraphQL's own (parse, validation, coercion), `GraphQLError`s resolvers raise
    and the project's `ScrgraphError`s; each gets a code if it has none. A backend outage
    becomes one clear message with the code `BACKEND_UNAVAILABLE` (the HTTP layer answers
    503). Anything else is answered with `INTERNAL`. Logging is `log_errors`'s, not this.
    """

    def __init__(self) -> None:
        super().__init__(error_message=INTERNAL_MESSAGE)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        out: list[GraphQLError] = []
        for e in errors:
            orig = e.original_error
            if orig is None or isinstance(orig, GraphQLError):
                if _code(e) is None:
                    code = request_code(e) if orig is None else DEFAULT_CODE
                    e.extensions = {**(e.extensions or {}), "code": code}
                out.append(e)
            elif isinstance(orig, BackendUnavailable):
                out.append(self._replace(e, BACKEND_MESSAGE, "BACKEND_UNAVAILABLE", orig))
            elif isinstance(orig, ScrgraphError):
                code = getattr(orig, "code", DEFAULT_CODE)
                out.append(self._replace(e, user_message(e), code, orig))
            else:
                bug = self._replace(e, INTERNAL_MESSAGE, "INTERNAL", None)
                # The id names the logged traceback; it says nothing about the data.
                bug.extensions = {**(bug.extensions or {}), "requestId": current_request_id()}
                out.append(bug)
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

# The limit rules, made once: graphql-core validation rules are classes with no state of their
# own, so every request runs these same classes, and a validation verdict can be cached by
# the rules that gave it (`gql_api.document_cache`). strawberry's limiter extensions would
# make new rule classes for every request.
LIMIT_RULES: Final[tuple[type[ASTValidationRule], ...]] = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)
# Production mode adds graphql-core's own rule refusing `__schema` and `__type`.
PRODUCTION_RULES: Final[tuple[type[ASTValidationRule], ...]] = (
    *LIMIT_RULES,
    NoSchemaIntrospectionCustomRule,
)


def extensions(production: bool, cache: DocumentCache | None = None) -> list[ExtensionFactory]:
    """Factories of the schema extensions every request runs through (fresh per request):
    the token limit, the depth and alias limits (and the introspection block in production)
    as shared rules, error masking, and the schema's parse and validation cache."""
    rules = list(PRODUCTION_RULES if production else LIMIT_RULES)
    exts: list[ExtensionFactory] = [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(rules),
        SafeErrors,
    ]
    if cache is not None:
        exts.append(cache.extension)  # last: it sees the options and rules set above
    return exts


def is_request_error(errors: list[GraphQLError]) -> bool:
    """Whether errors are all about the request itself (parse, validation, coercion)."""
    return bool(errors) and all(
        e.original_error is None and _code(e) in (None, *REQUEST_CODES) for e in errors
    )
