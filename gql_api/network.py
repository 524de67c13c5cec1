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
from gql_api.enums import ThemeCategory, ThemeKind
from gql_api.node import enum_field, key_field, link_field
from gql_api.theme import Theme
from graph_store import Row

Info = strawberry.Info[Context, None]


@strawberry.type(description="A theme in the network, sized by the reviews raising it.")
class NetworkNode:
    row: strawberry.Private[Row]

    key = key_field("id", str, "Key of the theme.")

    label = key_field("label", str | None, "Readable label of the theme.")

    category = enum_field(
        "category",
        ThemeCategory,
        "Category of the theme: practice, process, learning or policy.",
        optional=True,
    )

    kind = enum_field(
        "kind", ThemeKind, "Kind of the theme: practice, barrier or enabler.", optional=True
    )

    reviews = key_field("reviews", int, "Reviews raising the theme.")
    weighted_degree = key_field("weighted_degree", int, "Sum of the weights of its edges.")
    betweenness = key_field("betweenness", float, "Betweenness centrality (normalised, 6 places).")
    community = key_field("community", int, "Index of its community (Louvain; 0 is the largest).")
    x = key_field("x", float, "Layout position, 0 to 1, stable across filters.")
    y = key_field("y", float, "Layout position, 0 to 1, stable across filters.")

    theme = link_field("id", Theme, "The theme.")


@strawberry.type(description="Two themes raised together, weighted by the reviews raising both.")
class NetworkEdge:
    row: strawberry.Private[Row]

    source_key = key_field("source", str, "Key of one theme (the smaller key).")

    target_key = key_field("target", str, "Key of the other theme.")

    weight = key_field("weight", int, "Reviews raising both.")

    source = link_field("source", Theme, "One theme.")

    target = link_field("target", Theme, "The other theme.")


@strawberry.type(description="A theme's size in one year's slice.")
class SliceNode:
    row: strawberry.Private[Row]

    key = key_field("id", str, "Key of the theme.")

    reviews = key_field("reviews", int, "Reviews that year raising it.")

    theme = link_field("id", Theme, "The theme.")


@strawberry.type(description="The network of one year, for stepping through the years.")
class NetworkSlice:
    row: strawberry.Private[Row]
    year = key_field("year", int, "The year.")
    reviews = key_field("reviews", int, "Reviews that year.")

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
    year_from = key_field(
        "year_from", int | None, "First year counted (asked for, or first seen).", source="raw"
    )
    year_to = key_field(
        "year_to", int | None, "Last year counted (asked for, or last seen).", source="raw"
    )
    min_weight = key_field(
        "min_weight", int, "Edges with fewer shared reviews are dropped.", source="raw"
    )

    category = enum_field(
        "category",
        ThemeCategory,
        "The theme category asked for, if any.",
        optional=True,
        source="raw",
    )

    @strawberry.field(description="The boards asked for (keys), if any.")
    def board_keys(self) -> list[str] | None:
        boards = self.raw.get("boards")
        return None if boards is None else [str(b) for b in boards]

    reviews = key_field("reviews", int, "Reviews counted.", source="raw")
    communities = key_field("communities", int, "Communities found.", source="raw")

    @strawberry.field(description="Themes, by key.")
    def nodes(self) -> list[NetworkNode]:
        return [NetworkNode(row=n) for n in self.raw["nodes"]]

    @strawberry.field(description="Edges, by source then target key.")
    def edges(self) -> list[NetworkEdge]:
        return [NetworkEdge(row=e) for e in self.raw["edges"]]

    @strawberry.field(description="One slice per year of the range, oldest first.")
    def slices(self) -> list[NetworkSlice]:
        return [NetworkSlice(row=s) for s in self.raw["years"]]
