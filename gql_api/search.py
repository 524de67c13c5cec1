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
from gql_api.node import key_field, link_field, lookup, opt_str
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
    field = key_field("field", str, "The indexed field matched (title, summary or text).")
    fragment = key_field("fragment", str, "The fragment, as plain text.")
    offset = key_field("offset", int, "Where the fragment starts in the field.")

    @strawberry.field(description="The matches within the fragment.")
    def spans(self) -> list[Span]:
        return [Span(start=int(s), end=int(e)) for s, e in self.row["spans"]]

    html = key_field(
        "html",
        str,
        "The fragment as escaped HTML with each match in <mark>, and an ellipsis where it is cut.",
    )


@strawberry.type(description="A review or recommendation holding every search word.")
class SearchHit:
    row: strawberry.Private[Row]

    @strawberry.field(description="Kind of hit: review or recommendation.")
    def kind(self) -> SearchHitKind:
        return member(SearchHitKind, self.row["kind"])

    key = key_field("id", str, "Key of the review or recommendation.")

    score = key_field("score", float, "BM25 score over the documents you may see (4 places).")
    title = key_field(
        "title", str | None, "Title of the review (for a recommendation, its review's)."
    )
    text = key_field("text", str | None, "The review's summary, or the recommendation's text.")

    review_key = key_field(
        "review_id", str | None, "Key of the review (of the recommendation's review)."
    )

    year = key_field("year", int | None, "Year of the review.")

    board_key = key_field("board_id", str | None, "Key of the review's board.")

    @strawberry.field(description="Fragments around the matches, one per matching field.")
    def highlights(self) -> list[Highlight]:
        return [Highlight(row=h) for h in self.row.get("highlights") or []]

    @strawberry.field(description="The review hit, or the recommendation's review.")
    async def review(self, info: Info) -> Review | None:
        key = (
            str(self.row["id"]) if self.row["kind"] == "review" else opt_str(self.row, "review_id")
        )
        return await lookup(info.context, Review, key)

    @strawberry.field(description="The recommendation hit (null for a review hit).")
    async def recommendation(self, info: Info) -> Recommendation | None:
        if self.row["kind"] != "recommendation":
            return None
        return await lookup(info.context, Recommendation, str(self.row["id"]))

    board = link_field("board_id", Board, "The review's board.")


@strawberry.type(
    description="Search hits, best first (score, then kind, then key), cut at `limit`; "
    "`total` counts them all."
)
class SearchResult:
    raw: strawberry.Private[dict[str, Any]]
    text = key_field("text", str, "The text searched for.", source="raw")

    @strawberry.field(description="The words every hit holds, as the index splits them.")
    def terms(self) -> list[str]:
        return [str(t) for t in self.raw["terms"]]

    @strawberry.field(description="Kinds searched: review, recommendation.")
    def kinds(self) -> list[SearchHitKind]:
        return [member(SearchHitKind, k) for k in self.raw["kinds"]]

    limit = key_field("limit", int, "At most this many hits are listed.", source="raw")
    total = key_field("total", int, "Hits in all, listed or not.", source="raw")

    @strawberry.field(description="The hits listed.")
    def hits(self) -> list[SearchHit]:
        return [SearchHit(row=h) for h in self.raw["hits"]]
