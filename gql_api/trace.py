"""Trace: a recommendation's whole life, typed, from the `trace_recommendation` query.

Every entity it names is the entity type itself (a `Review`, a `Board`, an `Agency`, ...), built
from the rows the query gave for this viewer; later reviews and themes, given by key, are looked
up through the request's viewer-scoped loaders, so a hidden review never appears. The query's
rows of them (`nodes`, read for the same viewer) prime those loaders: a trace is one backend
call. Raw provenance
is null for viewers without the grant: `queries.run` has already stripped it from the rows.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from gql_api.action import Action
from gql_api.agency import Agency
from gql_api.audit import Audit
from gql_api.board import Board
from gql_api.context import Context
from gql_api.enums import ImpactVerdict, member
from gql_api.node import enum_field, key_field, opt_int, opt_str
from gql_api.recommendation import Recommendation
from gql_api.review import Review
from gql_api.theme import Theme
from graph_schema import Label
from graph_store import Row


@strawberry.type(
    description="Where a record came from in the loaded files. Given only to viewers who may "
    "see every review (line numbers would count hidden rows); null for everyone else."
)
class Provenance:
    source_file: str | None = strawberry.field(description="Source file the record was read from.")
    source_line: int | None = strawberry.field(description="Line of the source file.")
    load_run: str | None = strawberry.field(description="The load run that wrote the record.")

    @classmethod
    def of(cls, row: Row) -> Provenance | None:
        """The provenance in a row, or None when the row has none (stripped or never set)."""
        if all(row.get(k) is None for k in ("source_file", "source_line", "load_run")):
            return None
        return cls(
            source_file=opt_str(row, "source_file"),
            source_line=opt_int(row, "source_line"),
            load_run=opt_str(row, "load_run"),
        )


def prime_loaders(ctx: Context, nodes: dict[str, list[Row]]) -> None:
    """Give the request's loaders the rows the trace came with (its themes, later reviews and
    their boards, all visible to this viewer), so its nested fields need no further read."""
    for label, rows in nodes.items():
        ctx.nodes(Label(label)).prime_many({str(r["id"]): r for r in rows})


async def themes_by_key(ctx: Context, keys: Sequence[str]) -> list[Theme]:
    """The themes of these keys, in the same order (one batched load)."""
    rows = await ctx.nodes(Label.THEME).load_many(list(keys))
    return [Theme(props=r) for r in rows if r is not None]


@strawberry.type(description="One action answering the recommendation, with its audits.")
class TraceAction:
    row: strawberry.Private[Row]

    @strawberry.field(description="The action.")
    def action(self) -> Action:
        return Action(props={k: v for k, v in self.row.items() if k not in ("owner", "audits")})

    @strawberry.field(description="The agency that owns the action, where recorded.")
    def owner(self) -> Agency | None:
        owner = self.row.get("owner")
        return None if owner is None else Agency(props=owner)

    @strawberry.field(description="Audits of the action, oldest first.")
    def audits(self) -> list[Audit]:
        return [Audit(props=a) for a in self.row.get("audits") or []]

    verdict = enum_field(
        "verdict", ImpactVerdict, "The action's verdict from its own audits (same rule)."
    )

    @strawberry.field(description="Where the action came from (null without the grant).")
    def provenance(self) -> Provenance | None:
        return Provenance.of(self.row)


@strawberry.type(
    description="A later review in the recommendation's board (or a board that succeeded it) "
    "that raises one of the recommendation's themes: the theme came back."
)
class LaterReview:
    review: Review = strawberry.field(description="The later review.")
    board: Board | None = strawberry.field(description="The board that commissioned it.")
    theme_keys: strawberry.Private[list[str]]

    @strawberry.field(description="The recommendation's themes that the later review raises.")
    async def themes(self, info: strawberry.Info[Context, None]) -> list[Theme]:
        return await themes_by_key(info.context, self.theme_keys)


@strawberry.type(
    description="A recommendation end to end: its review and board, the agencies it addresses, "
    "its themes, its actions with their audits in time order, its impact verdict, and later "
    "reviews where its themes came back."
)
class Trace:
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The recommendation.")
    def recommendation(self) -> Recommendation:
        return Recommendation(props=self.raw["recommendation"])

    citation = key_field(
        "citation",
        str,
        "A stable reference to it: review id, recommendation number and place in "
        "the report (for example `rv-000012, recommendation 3, p. 48`).",
        source="raw",
    )

    @strawberry.field(description="The review that makes it.")
    def review(self) -> Review:
        return Review(props=self.raw["review"])

    @strawberry.field(description="The board that commissioned the review, where known.")
    def board(self) -> Board | None:
        board = self.raw["board"]
        return None if board is None else Board(props=board)

    @strawberry.field(description="Agencies it is addressed to, by key.")
    def agencies(self) -> list[Agency]:
        return [Agency(props=a) for a in self.raw["agencies"]]

    @strawberry.field(description="Themes it is tagged with, by key.")
    async def themes(self, info: strawberry.Info[Context, None]) -> list[Theme]:
        return await themes_by_key(info.context, self.raw["themes"])

    @strawberry.field(description="Action-plan items answering it, by key.")
    def actions(self) -> list[TraceAction]:
        return [TraceAction(row=a) for a in self.raw["actions"]]

    @strawberry.field(description="Every audit of its actions, oldest first.")
    def audits(self) -> list[Audit]:
        audits = [a for act in self.raw["actions"] for a in act["audits"]]
        audits.sort(key=lambda a: (str(a.get("date") or ""), str(a.get("id") or "")))
        return [Audit(props=a) for a in audits]

    @strawberry.field(
        description="Impact verdict from all its audits in time order: not_audited without "
        "audits; slipped_back when the latest is not `embedded` but an earlier one was; else "
        "the latest rating."
    )
    def verdict(self) -> ImpactVerdict:
        return member(ImpactVerdict, self.raw["verdict"])

    @strawberry.field(
        description="Later reviews (oldest first) in the same board or a successor that raise "
        "one of its themes; only reviews you may see."
    )
    async def later_reviews(self, info: strawberry.Info[Context, None]) -> list[LaterReview]:
        later = self.raw["later_reviews"]
        ctx = info.context
        if not later:
            return []
        # Both lookups asked for before either is awaited: one batch each, side by side.
        review_rows = ctx.nodes(Label.REVIEW).load_many([str(lr["id"]) for lr in later])
        board_rows = ctx.nodes(Label.BOARD).load_many([str(lr["board_id"]) for lr in later])
        reviews, boards = await review_rows, await board_rows
        return [
            LaterReview(
                review=Review(props=rv),
                board=None if b is None else Board(props=b),
                theme_keys=list(lr["themes"]),
            )
            for lr, rv, b in zip(later, reviews, boards, strict=True)
            if rv is not None  # the viewer-scoped lookup: a hidden review never comes back
        ]

    @strawberry.field(
        description="Where the recommendation came from in the loaded files; null unless you "
        "may see every review."
    )
    def provenance(self) -> Provenance | None:
        return Provenance.of(self.raw["recommendation"])
