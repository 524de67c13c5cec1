"""SearchResult: full-text hits over the reviews and recommendations you may see, typed.

From the `search` query: BM25 scores over visible documents only, exact-word matching, and
highlighted fragments. A hit links its Review, Recommendation and Board through the
request's viewer-scoped loaders (batched per label).
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Any

import strawberry

from gql_api.board import Board
from gql_api.context import Context
from gql_api.enums import SearchHitKind, member
from gql_api.node import lookup, opt_int, opt_str
from gql_api.recommendation import Recommendation
from gql_api.review import Review
from graph_store import Row

Info = strawberry.Info[Context, None]


@strawberry.type(description="Where a search word matched in a fragment: [start, end) offsets.")
class Span:
    start: int = strawberry.field(description="Offset of the match's first character.")
    end: int = strawberry.field(description="Offset just after the match's last character.")


@strawberry.type(description="A fragment of an indexed field around its first match.")
class Highlight:
    row: strawberry.Private[Row]

    @strawberry.field(description="The indexed field matched (title, summary or text).")
    def field(self) -> str:
        return str(self.row["field"])

    @strawberry.field(description="The fragment, as plain text.")
    def fragment(self) -> str:
        return str(self.row["fragment"])

    @strawberry.field(description="Where the fragment starts in the field.")
    def offset(self) -> int:
        return int(self.row["offset"])

    @strawberry.field(description="The matches within the fragment.")
    def spans(self) -> list[Span]:
        return [Span(start=int(s), end=int(e)) for s, e in self.row["spans"]]

    @strawberry.field(
        description="The fragment as escaped HTML with each match in <mark>, and an ellipsis "
        "where it is cut."
    )
    def html(self) -> str:
        return str(self.row["html"])


@strawberry.type(description="A review or recommendation holding every search word.")
class SearchHit:
    row: strawberry.Private[Row]

    @strawberry.field(description="Kind of hit: review or recommendation.")
    def kind(self) -> SearchHitKind:
        return member(SearchHitKind, self.row["kind"])

    @strawberry.field(description="Key of the review or recommendation.")
    def key(self) -> str:
        return str(self.row["id"])

    @strawberry.field(description="BM25 score over the documents you may see (4 places).")
    def score(self) -> float:
        return float(self.row["score"])

    @strawberry.field(description="Title of the review (for a recommendation, its review's).")
    def title(self) -> str | None:
        return opt_str(self.row, "title")

    @strawberry.field(description="The review's summary, or the recommendation's text.")
    def text(self) -> str | None:
        return opt_str(self.row, "text")

    @strawberry.field(description="Key of the review (of the recommendation's review).")
    def review_key(self) -> str | None:
        return opt_str(self.row, "review_id")

    @strawberry.field(description="Year of the review.")
    def year(self) -> int | None:
        return opt_int(self.row, "year")

    @strawberry.field(description="Key of the review's board.")
    def board_key(self) -> str | None:
        return opt_str(self.row, "board_id")

    @strawberry.field(description="Fragments around the matches, one per matching field.")
    def highlights(self) -> list[Highlight]:
        return [Highlight(row=h) for h in self.row.get("highlights") or []]

    @strawberry.field(description="The review hit, or the recommendation's review.")
    async def review(self, info: Info) -> Review | None:
        key = self.key() if self.row["kind"] == "review" else self.review_key()
        return await lookup(info.context, Review, key)

    @strawberry.field(description="The recommendation hit (null for a review hit).")
    async def recommendation(self, info: Info) -> Recommendation | None:
        if self.row["kind"] != "recommendation":
            return None
        return await lookup(info.context, Recommendation, self.key())

    @strawberry.field(description="The review's board.")
    async def board(self, info: Info) -> Board | None:
        return await lookup(info.context, Board, self.board_key())


@strawberry.type(
    description="Search hits, best first (score, then kind, then key), cut at `limit`; "
    "`total` counts them all."
)
class SearchResult:
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The text searched for.")
    def text(self) -> str:
        return str(self.raw["text"])

    @strawberry.field(description="The words every hit holds, as the index splits them.")
    def terms(self) -> list[str]:
        return [str(t) for t in self.raw["terms"]]

    @strawberry.field(description="Kinds searched: review, recommendation.")
    def kinds(self) -> list[SearchHitKind]:
        return [member(SearchHitKind, k) for k in self.raw["kinds"]]

    @strawberry.field(description="At most this many hits are listed.")
    def limit(self) -> int:
        return int(self.raw["limit"])

    @strawberry.field(description="Hits in all, listed or not.")
    def total(self) -> int:
        return int(self.raw["total"])

    @strawberry.field(description="The hits listed.")
    def hits(self) -> list[SearchHit]:
        return [SearchHit(row=h) for h in self.raw["hits"]]
