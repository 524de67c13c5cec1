"""Small synthetic graphs for tests: the rows of each node label and the relationship writes.

A test module that hand-builds a graph says only what is its own (ids, names, which review
raises which theme); the shape of a row, the NodeWrite/RelWrite wrapping and the relationships
that follow from a row's own fields (a review's board, a recommendation's review, ...) are
declared here once, with graph_schema's labels and relationship types. Every name a test gives
these builders is invented: nothing here or in its callers comes from a real report.

A row builder leaves out an optional property given as None (as a store would: a property set
to None is removed), except `board` and `agency`, which keep whatever extra properties they are
given as given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from graph_schema import Label, RelType
from graph_store import NodeWrite, RelWrite

Row = dict[str, Any]
Pair = tuple[str, str]

# The order the node writes of a batch take unless a graph says otherwise.
NODE_ORDER: tuple[Label, ...] = (
    Label.BOARD,
    Label.REVIEW,
    Label.RECOMMENDATION,
    Label.SECTOR,
    Label.AGENCY,
    Label.THEME,
    Label.ACTION,
    Label.AUDIT,
)


def _given(**props: Any) -> Row:
    return {k: v for k, v in props.items() if v is not None}


# -- node rows ----------------------------------------------------------------------------


def board(id: str, name: str, kind: str, **props: Any) -> Row:
    """A Board row; `props` (region, established_year, declared, ...) are kept as given."""
    return {"id": id, "name": name, "kind": kind, **props}


def review(
    id: str,
    title: str,
    board_id: str,
    year: int,
    *,
    review_type: str = "scr",
    status: str = "published",
    summary: str | None = None,
) -> Row:
    """A Review row, commissioned by `board_id` (see `from_fields`)."""
    row: Row = {
        "id": id,
        "title": title,
        "board_id": board_id,
        "year": year,
        "review_type": review_type,
        "status": status,
    }
    return row | _given(summary=summary)


def recommendation(
    id: str,
    review_id: str,
    number: str,
    text: str,
    status: str,
    *,
    year: int | None = None,
    board_id: str | None = None,
    level: str = "multi_agency",
) -> Row:
    """A Recommendation row, made by `review_id` (see `from_fields`)."""
    row: Row = {"id": id, "review_id": review_id, "number": number, "text": text, "status": status}
    return row | _given(year=year, board_id=board_id, level=level)


def sector(id: str, label: str) -> Row:
    """A Sector row."""
    return {"id": id, "label": label}


def agency(id: str, name: str, sector: str, **props: Any) -> Row:
    """An Agency row in `sector` (see `from_fields`); `props` (declared, ...) kept as given."""
    return {"id": id, "name": name, "sector": sector, **props}


def theme(id: str, label: str, category: str = "practice", kind: str = "practice") -> Row:
    """A Theme row."""
    return {"id": id, "label": label, "category": category, "kind": kind}


def action(
    id: str,
    recommendation_id: str,
    description: str,
    status: str,
    *,
    owner_agency_id: str | None = None,
    due_date: str | None = None,
    completed_date: str | None = None,
) -> Row:
    """An Action row responding to `recommendation_id` (see `from_fields`)."""
    row: Row = {"id": id, "recommendation_id": recommendation_id}
    row |= _given(owner_agency_id=owner_agency_id, description=description, due_date=due_date)
    return row | _given(status=status, completed_date=completed_date)


def audit(
    id: str, action_id: str, date: str, auditor: str, rating: str, *, finding: str | None = None
) -> Row:
    """An Audit row checking `action_id` (see `from_fields`)."""
    row: Row = {"id": id, "action_id": action_id, "date": date, "auditor": auditor}
    return row | _given(rating=rating, finding=finding)


def node_writes(
    boards: list[Row],
    reviews: list[Row],
    recommendations: list[Row],
    sectors: list[Row],
    agencies: list[Row],
    themes: list[Row],
    actions: list[Row],
    audits: list[Row],
    *,
    order: Sequence[Label] = NODE_ORDER,
) -> list[NodeWrite]:
    """One NodeWrite a label, in `order` (every label of the eight, once)."""
    by_label = {
        Label.BOARD: boards,
        Label.REVIEW: reviews,
        Label.RECOMMENDATION: recommendations,
        Label.SECTOR: sectors,
        Label.AGENCY: agencies,
        Label.THEME: themes,
        Label.ACTION: actions,
        Label.AUDIT: audits,
    }
    assert sorted(order) == sorted(by_label), order
    return [NodeWrite(label, by_label[label]) for label in order]


# -- relationships ------------------------------------------------------------------------


def rel_rows(pairs: Iterable[Pair], **props: Any) -> list[Row]:
    """RelWrite rows from (start key, end key) pairs, each with the same `props`."""
    return [{"start": s, "end": e, "props": dict(props)} for s, e in pairs]


def rel(type: RelType, pairs: Iterable[Pair], **props: Any) -> RelWrite:
    """A RelWrite of `type` from (start key, end key) pairs, each with the same `props`."""
    return RelWrite(type, rel_rows(pairs, **props))


# The relationships that follow from a row's own fields: (start field, end field) by type, as
# a corpus's loader draws them (a review's board_id is the board that commissioned it, ...).
FROM_FIELDS: dict[RelType, Pair] = {
    RelType.COMMISSIONED: ("board_id", "id"),
    RelType.MAKES: ("review_id", "id"),
    RelType.IN_SECTOR: ("id", "sector"),
    RelType.RESPONDS_TO: ("id", "recommendation_id"),
    RelType.OWNED_BY: ("id", "owner_agency_id"),
    RelType.CHECKS: ("id", "action_id"),
}


def from_fields(type: RelType, rows: Iterable[Row]) -> RelWrite:
    """The `type` relationship of each row, from its fields as FROM_FIELDS names them."""
    start, end = FROM_FIELDS[type]
    return rel(type, [(r[start], r[end]) for r in rows])
