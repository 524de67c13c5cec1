"""ThemeNetwork: the theme co-occurrence network, typed, from the `theme_network` query.

Sizes and weights count only the reviews the viewer may see (the query's). Each node and
edge end links its Theme (themes are public vocabulary), loaded in one batch per request.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Any

import strawberry

from gql_api.context import Context
from gql_api.enums import ThemeCategory, ThemeKind, opt_member
from gql_api.node import lookup, opt_int, opt_str
from gql_api.theme import Theme
from graph_store import Row

Info = strawberry.Info[Context, None]


@strawberry.type(description="A theme in the network, sized by the reviews raising it.")
class NetworkNode:
    row: strawberry.Private[Row]

    @strawberry.field(description="Key of the theme.")
    def key(self) -> str:
        return str(self.row["id"])

    @strawberry.field(description="Readable label of the theme.")
    def label(self) -> str | None:
        return opt_str(self.row, "label")

    @strawberry.field(description="Category of the theme: practice, process, learning or policy.")
    def category(self) -> ThemeCategory | None:
        return opt_member(ThemeCategory, self.row.get("category"))

    @strawberry.field(description="Kind of the theme: practice, barrier or enabler.")
    def kind(self) -> ThemeKind | None:
        return opt_member(ThemeKind, self.row.get("kind"))

    @strawberry.field(description="Reviews raising the theme.")
    def reviews(self) -> int:
        return int(self.row["reviews"])

    @strawberry.field(description="Sum of the weights of its edges.")
    def weighted_degree(self) -> int:
        return int(self.row["weighted_degree"])

    @strawberry.field(description="Betweenness centrality (normalised, 6 places).")
    def betweenness(self) -> float:
        return float(self.row["betweenness"])

    @strawberry.field(description="Index of its community (Louvain; 0 is the largest).")
    def community(self) -> int:
        return int(self.row["community"])

    @strawberry.field(description="Layout position, 0 to 1, stable across filters.")
    def x(self) -> float:
        return float(self.row["x"])

    @strawberry.field(description="Layout position, 0 to 1, stable across filters.")
    def y(self) -> float:
        return float(self.row["y"])

    @strawberry.field(description="The theme.")
    async def theme(self, info: Info) -> Theme | None:
        return await lookup(info.context, Theme, self.key())


@strawberry.type(description="Two themes raised together, weighted by the reviews raising both.")
class NetworkEdge:
    row: strawberry.Private[Row]

    @strawberry.field(description="Key of one theme (the smaller key).")
    def source_key(self) -> str:
        return str(self.row["source"])

    @strawberry.field(description="Key of the other theme.")
    def target_key(self) -> str:
        return str(self.row["target"])

    @strawberry.field(description="Reviews raising both.")
    def weight(self) -> int:
        return int(self.row["weight"])

    @strawberry.field(description="One theme.")
    async def source(self, info: Info) -> Theme | None:
        return await lookup(info.context, Theme, self.source_key())

    @strawberry.field(description="The other theme.")
    async def target(self, info: Info) -> Theme | None:
        return await lookup(info.context, Theme, self.target_key())


@strawberry.type(description="A theme's size in one year's slice.")
class SliceNode:
    row: strawberry.Private[Row]

    @strawberry.field(description="Key of the theme.")
    def key(self) -> str:
        return str(self.row["id"])

    @strawberry.field(description="Reviews that year raising it.")
    def reviews(self) -> int:
        return int(self.row["reviews"])

    @strawberry.field(description="The theme.")
    async def theme(self, info: Info) -> Theme | None:
        return await lookup(info.context, Theme, self.key())


@strawberry.type(description="The network of one year, for stepping through the years.")
class NetworkSlice:
    row: strawberry.Private[Row]

    @strawberry.field(description="The year.")
    def year(self) -> int:
        return int(self.row["year"])

    @strawberry.field(description="Reviews that year.")
    def reviews(self) -> int:
        return int(self.row["reviews"])

    @strawberry.field(description="Themes raised that year.")
    def nodes(self) -> list[SliceNode]:
        return [SliceNode(row=n) for n in self.row["nodes"]]

    @strawberry.field(description="Pairs raised together that year (at least `minWeight`).")
    def edges(self) -> list[NetworkEdge]:
        return [NetworkEdge(row=e) for e in self.row["edges"]]


@strawberry.type(
    description="The theme co-occurrence network over the reviews you may see: themes sized "
    "by reviews raising them, edges weighted by reviews raising both, communities, a stable "
    "layout, and one slice per year."
)
class ThemeNetwork:
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="First year counted (asked for, or first seen).")
    def year_from(self) -> int | None:
        return opt_int(self.raw, "year_from")

    @strawberry.field(description="Last year counted (asked for, or last seen).")
    def year_to(self) -> int | None:
        return opt_int(self.raw, "year_to")

    @strawberry.field(description="Edges with fewer shared reviews are dropped.")
    def min_weight(self) -> int:
        return int(self.raw["min_weight"])

    @strawberry.field(description="The theme category asked for, if any.")
    def category(self) -> ThemeCategory | None:
        return opt_member(ThemeCategory, self.raw.get("category"))

    @strawberry.field(description="The boards asked for (keys), if any.")
    def board_keys(self) -> list[str] | None:
        boards = self.raw.get("boards")
        return None if boards is None else [str(b) for b in boards]

    @strawberry.field(description="Reviews counted.")
    def reviews(self) -> int:
        return int(self.raw["reviews"])

    @strawberry.field(description="Communities found.")
    def communities(self) -> int:
        return int(self.raw["communities"])

    @strawberry.field(description="Themes, by key.")
    def nodes(self) -> list[NetworkNode]:
        return [NetworkNode(row=n) for n in self.raw["nodes"]]

    @strawberry.field(description="Edges, by source then target key.")
    def edges(self) -> list[NetworkEdge]:
        return [NetworkEdge(row=e) for e in self.raw["edges"]]

    @strawberry.field(description="One slice per year of the range, oldest first.")
    def slices(self) -> list[NetworkSlice]:
        return [NetworkSlice(row=s) for s in self.raw["years"]]
