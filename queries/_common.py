"""Helpers the named queries share: Cypher loading, parameter coercion, visibility.

Parameters arrive as Python values (from GraphQL or tests) or as strings (from the CLI);
`Params` coerces both the same way, so each query's two backends see identical inputs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from graph_schema import REVIEW_TYPES, Label, RelType
from graph_store import EmbeddedStore
from queries.base import Viewer
from scrgraph.errors import ScrgraphError

_CYPHER_DIR = Path(__file__).parent / "cypher"

NodeId = tuple[str, str]

OPEN_ACTION_STATUSES = ("not_started", "in_progress")
DONE_ACTION_STATUSES = ("completed", "cancelled")


Namer = Callable[[str], str]


def cli_name(name: str) -> str:
    """A parameter as the CLI names it (`--param year_from=...`): as is."""
    return name


class QueryParamError(ScrgraphError):
    """A query parameter is missing or malformed.

    Built with `about`, the message is written once and names its parameters through a
    namer, so that each surface names them its own way: `str()` is the CLI's wording (with a
    `--param` hint), `render(namer)` another surface's (the GraphQL API names its arguments,
    `yearFrom`, and gives no CLI hint).
    """

    exit_code = 2
    code = "BAD_USER_INPUT"
    detail: Callable[[Namer], str] | None = None

    @classmethod
    def about(
        cls, query: str, detail: Callable[[Namer], str], cli_hint: str | None = None
    ) -> QueryParamError:
        """An error of `query`; `detail(namer)` says what is wrong, naming parameters."""
        message = f"query {query!r}: {detail(cli_name)}"
        if cli_hint is not None:
            message += f" (pass e.g. --param {cli_hint})"
        e = cls(message)
        e.detail = detail
        return e

    def render(self, namer: Namer) -> str:
        """The message for a surface that names parameters with `namer`."""
        return str(self) if self.detail is None else self.detail(namer)


def kind_param(p: Params, query: str) -> str | None:
    """The `kind` parameter: a document kind of REVIEW_TYPES, or None for every kind."""
    kind = p.str_("kind")
    if kind is not None and kind not in REVIEW_TYPES:
        raise QueryParamError.about(
            query, lambda n: f"{n('kind')}={kind!r} is not one of {', '.join(REVIEW_TYPES)}"
        )
    return kind


def load_cypher(name: str) -> str:
    """The Cypher text in queries/cypher/NAME.cypher (read once, at import)."""
    return (_CYPHER_DIR / f"{name}.cypher").read_text(encoding="utf-8")


class Params:
    """Typed access to a query's parameters, naming the query in every error."""

    def __init__(self, query: str, raw: Mapping[str, Any]) -> None:
        self.query = query
        self.raw = raw

    def _bad(self, name: str, value: Any, want: str) -> QueryParamError:
        return QueryParamError.about(
            self.query, lambda n: f"{n(name)} is {value!r}, which is not {want}", f"{name}=..."
        )

    def _get(self, name: str) -> Any:
        v = self.raw.get(name)
        if isinstance(v, str) and not v.strip():
            return None
        return v

    def str_(self, name: str, default: str | None = None, required: bool = False) -> str | None:
        v = self._get(name)
        if v is None:
            if required:
                raise QueryParamError.about(
                    self.query, lambda n: f"{n(name)} is required", f"{name}=VALUE"
                )
            return default
        if not isinstance(v, str):
            raise self._bad(name, v, "a string")
        return v.strip()

    def req_str(self, name: str) -> str:
        v = self.str_(name, required=True)
        assert v is not None
        return v

    def int_(self, name: str, default: int | None = None) -> int | None:
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, bool):
            raise self._bad(name, v, "an integer")
        if isinstance(v, int):
            return v
        if isinstance(v, str):
            try:
                return int(v.strip())
            except ValueError:
                raise self._bad(name, v, "an integer") from None
        raise self._bad(name, v, "an integer")

    def str_list(self, name: str) -> list[str] | None:
        """A list of strings; a string is split on commas. None when absent or empty."""
        v = self._get(name)
        if v is None:
            return None
        if isinstance(v, str):
            items = [s.strip() for s in v.split(",")]
        elif isinstance(v, list | tuple | set | frozenset):
            items = []
            for s in v:
                if not isinstance(s, str):
                    raise self._bad(name, v, "a list of strings")
                items.append(s.strip())
        else:
            raise self._bad(name, v, "a list of strings")
        out = sorted({s for s in items if s})
        return out or None

    def date_(self, name: str, default: dt.date | None = None) -> dt.date:
        v = self._get(name)
        if v is None:
            return default or dt.date.today()
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v.strip()[:10])
            except ValueError:
                raise self._bad(name, v, "an ISO date (YYYY-MM-DD)") from None
        raise self._bad(name, v, "an ISO date (YYYY-MM-DD)")


# The years a review can have: a range outside them is a mistake (a fuzzer's 2147483647 made
# the network slice every year up to it, and the request timed out).
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2100


def check_years(p: Params, year_from: int | None, year_to: int | None) -> None:
    for key, year in (("year_from", year_from), ("year_to", year_to)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:

            def detail(n: Namer, key: str = key, year: int = year) -> str:
                return f"{n(key)}={year} is not a year of a review: expected {FIRST_YEAR} to {LAST_YEAR}"

            raise QueryParamError.about(p.query, detail)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise QueryParamError.about(
            p.query,
            lambda n: f"{n('year_from')}={year_from} is after {n('year_to')}={year_to}; swap them",
        )


def in_years(year: Any, year_from: int | None, year_to: int | None) -> bool:
    if not isinstance(year, int):
        return year_from is None and year_to is None
    return (year_from is None or year >= year_from) and (year_to is None or year <= year_to)


def year_of(iso: str | None) -> int | None:
    """The year of an ISO date string, or None."""
    if not iso or len(iso) < 4 or not iso[:4].isdigit():
        return None
    return int(iso[:4])


# -- the embedded graph ----------------------------------------------------------------------


class G:
    """Point reads over an EmbeddedStore's SQL (relationships by type, neighbours by key),
    for the queries that look up a few nodes; walks over many use queries._sql in bulk."""

    def __init__(self, store: EmbeddedStore, viewer: Viewer) -> None:
        self.store = store
        self.viewer = viewer
        self._statuses = frozenset(viewer.statuses)

    def props(self, label: Label, key: str) -> dict[str, Any] | None:
        return self.store.node(label.value, key)

    def _ends(self, key: str, rel: RelType, outgoing: bool) -> list[tuple[str, str]]:
        near, far = ("src", "dst") if outgoing else ("dst", "src")
        with self.store.reading() as cur:
            return cur.execute(
                f"SELECT {far}, props FROM rels WHERE type = ? AND {near} = ? ORDER BY {far}",  # noqa: S608
                (rel.value, key),
            ).fetchall()

    def out(self, label: Label, key: str, rel: RelType) -> Iterator[str]:
        """Keys of nodes reached by outgoing `rel` edges."""
        for dst, _ in self._ends(key, rel, True):
            yield dst

    def out_edges(
        self, label: Label, key: str, rel: RelType
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        for dst, props in self._ends(key, rel, True):
            yield dst, json.loads(props) if props else {}

    def into(self, label: Label, key: str, rel: RelType) -> Iterator[str]:
        """Keys of nodes that reach this one by `rel` edges."""
        for src, _ in self._ends(key, rel, False):
            yield src

    def review_visible(self, review_id: str) -> bool:
        p = self.props(Label.REVIEW, review_id)
        return p is not None and p.get("status") in self._statuses

    def visible_reviews(self) -> Iterator[tuple[str, dict[str, Any]]]:
        with self.store.reading() as cur:
            rows = cur.execute(
                "SELECT id, props FROM nodes WHERE label = ? ORDER BY id", (Label.REVIEW.value,)
            ).fetchall()
        for key, raw in rows:
            p: dict[str, Any] = json.loads(raw)
            if p.get("status") in self._statuses:
                yield key, p

    def boards_of_review(self, review_id: str) -> list[str]:
        return sorted(self.into(Label.REVIEW, review_id, RelType.COMMISSIONED))

    def reviews_of_rec(self, rec_id: str) -> list[str]:
        return sorted(self.into(Label.RECOMMENDATION, rec_id, RelType.MAKES))

    def visible_review_of_rec(self, rec_id: str) -> str | None:
        """The recommendation's review if the viewer may see one (else None)."""
        for rv in self.reviews_of_rec(rec_id):
            if self.review_visible(rv):
                return rv
        return None

    def successors(self, board_id: str) -> list[str]:
        """The board and every board reached by SUCCEEDED_BY (the 2019 reform), sorted."""
        seen = {board_id}
        todo = [board_id]
        while todo:
            b = todo.pop()
            for nxt in self.out(Label.BOARD, b, RelType.SUCCEEDED_BY):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return sorted(seen)


def pick(props: Mapping[str, Any] | None, *names: str) -> dict[str, Any]:
    """The named properties (missing ones as None)."""
    p = props or {}
    return {n: p.get(n) for n in names}


def as_date(iso: Any) -> dt.date | None:
    """An ISO date (or datetime) string as a date, or None."""
    if not isinstance(iso, str) or len(iso) < 10:
        return None
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def days_overdue(status: Any, due: Any, as_of: dt.date) -> int:
    """Days past the due date for an open action (0 if not open, undated or not yet due)."""
    if status not in OPEN_ACTION_STATUSES:
        return 0
    d = as_date(due)
    if d is None or d >= as_of:
        return 0
    return (as_of - d).days
