"""Cursor connections, the shared filter input, global ids and the page resolver.

Cursors are opaque to clients: base64 of an offset within the filtered, sorted list.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Annotated, Any, Final

import strawberry
from graphql import GraphQLError

from gql_api.context import Context
from gql_api.errors import check_choice, check_key
from graph_schema import (
    ACTION_STATUSES,
    AUDIT_RATINGS,
    RECOMMENDATION_STATUSES,
    REVIEW_STATUSES,
    THEME_CATEGORIES,
    THEME_KINDS,
    Label,
)
from queries.entities import SORT_FIELDS
from scrgraph.store import Row

MAX_FIRST: Final = 100
DEFAULT_FIRST: Final = 20


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item here.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item here; pass it as `after` for the next page."
    )


@strawberry.input(
    description="Filters for lists. Each list takes the filters that make sense for it and "
    "says so when given one that does not."
)
class Filter:
    year_from: int | None = strawberry.field(
        default=None,
        description="From this year on (reviews, recommendations: publication "
        "year; actions: due date; audits: audit date).",
    )
    year_to: int | None = strawberry.field(default=None, description="Up to this year.")
    board: str | None = strawberry.field(
        default=None, description="Board key (an unknown one is a NOT_FOUND error)."
    )
    theme: str | None = strawberry.field(
        default=None, description="Theme key (an unknown one is a NOT_FOUND error)."
    )
    agency: str | None = strawberry.field(
        default=None, description="Agency key (an unknown one is a NOT_FOUND error)."
    )
    sector: str | None = strawberry.field(
        default=None, description="Sector key (an unknown one is a NOT_FOUND error)."
    )
    status: str | None = strawberry.field(
        default=None, description="Status (review, recommendation or action status)."
    )
    rating: str | None = strawberry.field(default=None, description="Audit rating.")
    text: str | None = strawberry.field(
        default=None, description="Words to find, case-insensitively, in the item's text."
    )
    category: str | None = strawberry.field(default=None, description="Theme category.")
    kind: str | None = strawberry.field(default=None, description="Theme kind.")

    def as_params(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in {
                "year_from": self.year_from,
                "year_to": self.year_to,
                "board": self.board,
                "theme": self.theme,
                "agency": self.agency,
                "sector": self.sector,
                "status": self.status,
                "rating": self.rating,
                "text": self.text,
                "category": self.category,
                "kind": self.kind,
            }.items()
            if v is not None
        }


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        kind, _, num = text.partition(":")
        if kind != "o":
            raise ValueError(cursor)
        return int(num)
    except (ValueError, binascii.Error, UnicodeDecodeError) as e:
        raise GraphQLError(
            f"cursor {cursor!r} is not one this API gave out; use a pageInfo.endCursor"
        ) from e


def global_id(label: Label, key: str) -> strawberry.ID:
    return strawberry.ID(f"{label.value}:{key}")


def parse_global_id(gid: str) -> tuple[Label, str]:
    label, _, key = gid.partition(":")
    try:
        return Label(label), key
    except ValueError as e:
        raise GraphQLError(
            f"id {gid!r} is not a global id; expected `Label:key`, e.g. `Review:rv-1`"
        ) from e


@dataclass(frozen=True)
class Page:
    """One page of rows, with what a connection needs to describe it."""

    rows: list[Row]
    rels: list[Row]
    total: int
    offset: int

    @property
    def page_info(self) -> PageInfo:
        n = len(self.rows)
        return PageInfo(
            has_next_page=self.offset + n < self.total,
            has_previous_page=self.offset > 0,
            start_cursor=encode_cursor(self.offset) if n else None,
            end_cursor=encode_cursor(self.offset + n - 1) if n else None,
        )

    def cursors(self) -> list[str]:
        return [encode_cursor(self.offset + i) for i in range(len(self.rows))]


def _window(first: int | None, after: str | None) -> tuple[int, int]:
    limit = DEFAULT_FIRST if first is None else first
    if limit < 0 or limit > MAX_FIRST:
        raise GraphQLError(
            f"`first` is {limit}; it must be between 0 and {MAX_FIRST}: page with `after`"
        )
    offset = decode_cursor(after) + 1 if after else 0
    return offset, limit


# Filters that name a public-vocabulary key: an unknown key is NOT_FOUND, not an empty list.
_VOCABULARY_FILTERS: Final = {
    "board": Label.BOARD,
    "theme": Label.THEME,
    "agency": Label.AGENCY,
    "sector": Label.SECTOR,
}

# Filters over a closed set, per label: an unknown value is NOT_FOUND, not an empty list.
_CLOSED_FILTERS: Final[dict[Label, dict[str, tuple[str, tuple[str, ...]]]]] = {
    Label.REVIEW: {"status": ("review status", REVIEW_STATUSES)},
    Label.RECOMMENDATION: {"status": ("recommendation status", RECOMMENDATION_STATUSES)},
    Label.ACTION: {"status": ("action status", ACTION_STATUSES)},
    Label.AUDIT: {"rating": ("audit rating", AUDIT_RATINGS)},
    Label.THEME: {
        "category": ("theme category", THEME_CATEGORIES),
        "kind": ("theme kind", THEME_KINDS),
    },
}


def _sort_key(field: str) -> Any:
    def key(p: Row) -> tuple[bool, Any]:
        v = p.get(field)
        return (v is None, v)

    return key


async def resolve_page(
    ctx: Context,
    label: Label,
    *,
    edge: str | None = None,
    parent: str | None = None,
    first: int | None = None,
    after: str | None = None,
    filter: Filter | None = None,
    sort: str | None = None,
    descending: bool = False,
) -> Page:
    """A page of visible nodes: a whole label, or one node's neighbours along an edge.

    Neighbours without filters come from the request's DataLoader (one backend call for all
    parents of a level); with filters, the list query runs among the neighbours' ids.
    """
    offset, limit = _window(first, after)
    filters = filter.as_params() if filter else {}
    for name, vocab in _VOCABULARY_FILTERS.items():
        await check_key(ctx, vocab, f"filter.{name}", filters.get(name))
    for name, (noun, allowed) in _CLOSED_FILTERS.get(label, {}).items():
        check_choice(noun, f"filter.{name}", filters.get(name), allowed)
    field = sort or SORT_FIELDS[label][0]
    if edge is not None and parent is not None:
        found = await ctx.neighbours(edge).load(parent)
        if not filters:
            pairs = [(r["node"], r["rel"]) for r in found]
            # Stable sorts: by id, then by the field (nulls last ascending, first descending).
            pairs.sort(key=lambda p: str(p[0].get("id")))
            pairs.sort(key=lambda p: _sort_key(field)(p[0]), reverse=descending)
            window = pairs[offset : offset + limit]
            return Page(
                [p[0] for p in window], [p[1] for p in window], total=len(pairs), offset=offset
            )
        rel_by_id = {str(r["node"].get("id")): r["rel"] for r in found}
        res = await ctx.run(
            "entities.list",
            {
                "label": label.value,
                "filter": filters,
                "sort": field,
                "descending": descending,
                "offset": offset,
                "limit": limit,
                "ids": list(rel_by_id),
            },
        )
        items: list[Row] = res["items"]
        return Page(
            items, [rel_by_id.get(str(i.get("id")), {}) for i in items], res["total"], offset
        )
    res = await ctx.run(
        "entities.list",
        {
            "label": label.value,
            "filter": filters,
            "sort": field,
            "descending": descending,
            "offset": offset,
            "limit": limit,
        },
    )
    return Page(res["items"], [{} for _ in res["items"]], res["total"], offset)


async def resolve_one(ctx: Context, edge: str, parent: str) -> Row | None:
    """The single visible neighbour along an edge (e.g. a review's board), or None."""
    found = await ctx.neighbours(edge).load(parent)
    return found[0]["node"] if found else None


First = Annotated[
    int | None, strawberry.argument(description=f"Page size (at most {MAX_FIRST}; default 20).")
]
After = Annotated[
    str | None,
    strawberry.argument(description="Cursor to continue after (a pageInfo.endCursor)."),
]
FilterArg = Annotated[Filter | None, strawberry.argument(description="Filters to apply.")]
Descending = Annotated[bool, strawberry.argument(description="Sort descending.")]
