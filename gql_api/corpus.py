"""`corpus`: what is loaded, so every client can say when the data is synthetic."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.context import Context


@strawberry.type(description="What is loaded into the graph.")
class Corpus:
    loaded: bool = strawberry.field(description="Whether anything has been loaded.")
    load_runs: int = strawberry.field(description="Number of load runs recorded.")
    synthetic: bool = strawberry.field(
        description="True when the latest load's corpus says it is synthetic (invented data)."
    )
    taxonomy_version: int | None = strawberry.field(
        description="Theme taxonomy version of the latest load."
    )
    loaded_at: str | None = strawberry.field(
        description="When the latest load finished (ISO 8601, UTC)."
    )


@strawberry.type(description="Metadata about the loaded corpus.")
class CorpusQuery:
    @strawberry.field(description="What is loaded: latest load run, taxonomy, synthetic or not.")
    async def corpus(self, info: strawberry.Info[Context, None]) -> Corpus:
        r = await info.context.run("corpus_info", {})
        return Corpus(
            loaded=bool(r["loaded"]),
            load_runs=int(r["load_runs"]),
            synthetic=bool(r["synthetic"]),
            taxonomy_version=r["taxonomy_version"],
            loaded_at=r["loaded_at"],
        )
