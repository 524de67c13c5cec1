"""The schema: entity reads, analytics, inspectors' mutations; exported to schema.graphql."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from gql_api.analytics import AnalyticsQuery
from gql_api.briefing import BriefingQuery
from gql_api.corpus import CorpusQuery
from gql_api.direct_fields import direct_resolvers
from gql_api.document_cache import MAX_ENTRIES, DocumentCache
from gql_api.entity_query import ENTITY_TYPES, EntityQuery
from gql_api.executor import Executor
from gql_api.limits import extensions, log_errors
from gql_api.mutations import Mutation as RecordsMutation
from gql_api.review_queue import ReviewQueueMutation, ReviewQueueQuery

SCHEMA_FILE: Final = Path(__file__).resolve().parent.parent / "schema.graphql"


@strawberry.type(
    description="Everything scrgraph answers: entities by id and as lists, and the analytics "
    "that analysts, dashboards and inspectors ask for."
)
class Query(EntityQuery, AnalyticsQuery, CorpusQuery, BriefingQuery, ReviewQueueQuery):
    pass


@strawberry.type(
    description="Changes inspectors (and admins) may make to actions, audits and responses; "
    "and the review queue's decisions, which analysts may make too."
)
class Mutation(RecordsMutation, ReviewQueueMutation):
    pass


class Schema(strawberry.Schema):
    """strawberry's schema, logging errors our way: a client's mistake is one line, no
    traceback; a server bug keeps its traceback (see `gql_api.limits`). Each schema has its
    own parse and validation cache (`gql_api.document_cache`)."""

    document_cache: DocumentCache

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)


def build_schema(production: bool = False, fast: bool = True) -> Schema:
    """The schema with the request limits; production mode also disables introspection.
    `fast=False` leaves out the parse and validation cache, the direct resolvers and the
    executor's short path for plain leaves (the same answers, slower): the benchmarks'
    baseline."""
    cache = DocumentCache(max_entries=MAX_ENTRIES if fast else 0)
    schema = Schema(
        query=Query,
        mutation=Mutation,
        types=ENTITY_TYPES,
        extensions=extensions(production, cache if fast else None),
        execution_context_class=Executor if fast else None,
    )
    schema.document_cache = cache
    if fast:
        direct_resolvers(schema)
    return schema


def schema_sdl() -> str:
    """The schema as SDL, as committed in schema.graphql."""
    return build_schema().as_str() + "\n"


def write_schema(path: Path = SCHEMA_FILE) -> Path:
    """Export the schema to schema.graphql (run `python -m gql_api.schema`)."""
    path.write_text(schema_sdl(), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    print(f"wrote {write_schema()}")
