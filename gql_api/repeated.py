"""RepeatedRecommendations: clusters of near-identical recommendations, typed.

From the `repeated_recommendations` query, which builds clusters only from recommendations
whose reviews the viewer may see; members, boards and link ends are the entity types, looked
up through the request's viewer-scoped loaders (batched per label).
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Any

import strawberry

from gql_api.board import Board
from gql_api.context import Context
from gql_api.node import key_field, link_field
from gql_api.recommendation import Recommendation
from graph_schema import Label
from graph_store import Row

Info = strawberry.Info[Context, None]


@strawberry.type(description="A SIMILAR_TO link between two members of a cluster.")
class SimilarityLink:
    row: strawberry.Private[Row]

    source_key = key_field("source", str, "Key of one end (the smaller key).")

    target_key = key_field("target", str, "Key of the other end.")

    score = key_field("score", float, "Similarity score, 0 to 1 (4 places).")

    source = link_field("source", Recommendation, "One end.")

    target = link_field("target", Recommendation, "The other end.")


@strawberry.type(
    description="Near-identical recommendations: a connected group of SIMILAR_TO links among "
    "recommendations you may see, spanning several boards and years."
)
class RecommendationCluster:
    row: strawberry.Private[Row]
    key = key_field("id", str, "The cluster's key: its first member's key.")
    size = key_field("size", int, "Members in the cluster.")
    boards = key_field("boards", int, "Boards the members' reviews come from.")
    years = key_field("years", int, "Distinct years of the members' reviews.")

    @strawberry.field(description="Keys of those boards, in order.")
    def board_keys(self) -> list[str]:
        return [str(b) for b in self.row["board_ids"]]

    @strawberry.field(description="Those boards, by key.")
    async def boards_reached(self, info: Info) -> list[Board]:
        rows = await info.context.nodes(Label.BOARD).load_many(self.board_keys())
        return [Board(props=r) for r in rows if r is not None]

    first_year = key_field("first_year", int | None, "Year of the earliest member's review.")
    last_year = key_field("last_year", int | None, "Year of the latest member's review.")

    @strawberry.field(description="Mean score of the cluster's links (4 places).")
    def mean_score(self) -> float | None:
        v: Any = self.row.get("mean_score")
        return None if v is None else float(v)

    @strawberry.field(description="Keys of the members, in order.")
    def member_keys(self) -> list[str]:
        return [str(m["id"]) for m in self.row["members"]]

    @strawberry.field(description="The members, by key.")
    async def members(self, info: Info) -> list[Recommendation]:
        rows = await info.context.nodes(Label.RECOMMENDATION).load_many(self.member_keys())
        return [Recommendation(props=r) for r in rows if r is not None]

    @strawberry.field(description="The links among members, by source then target key.")
    def links(self) -> list[SimilarityLink]:
        return [SimilarityLink(row=link) for link in self.row["links"]]


@strawberry.type(
    description="Clusters of near-identical recommendations spanning at least `minBoards` "
    "boards and `minYears` years, largest first, then by key."
)
class RepeatedRecommendations:
    raw: strawberry.Private[dict[str, Any]]
    min_boards = key_field("min_boards", int, "Boards a cluster must span.", source="raw")
    min_years = key_field("min_years", int, "Distinct years a cluster must span.", source="raw")

    @strawberry.field(description="The clusters.")
    def clusters(self) -> list[RecommendationCluster]:
        return [RecommendationCluster(row=c) for c in self.raw["clusters"]]
