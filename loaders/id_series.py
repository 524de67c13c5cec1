"""Ids that would count hidden records (issue 17): found before anything is written.

A public viewer sees the ids of published reviews and of what hangs off them
(recommendations, actions, audits). Where a hidden record (of a `draft`, `restricted` or
`withdrawn` review) is numbered in the same series as visible ones, `rv-001` and `rv-003`
public with `rv-002` restricted, the gap in the public ids counts it. So every load
(a corpus folder, one document, a folder of documents, a PFD table) checks the ids it would
write together with those already in the graph, and refuses a load that would leave such a
gap, naming the file, row and id, and what to do.

The rule, per label: split each id into its numbers (`rv-000012-r3` has 12 and 3) and the
text around them (`rv-#-r#`). For each number's place, ids with the same text and the same
numbers before that place form a series; a hidden record's number there must be one that a
visible record of the series also has (`rv-000002-r1` when `rv-000002-r2` is visible), or
be above every visible one's (the series' visible end: nothing to count yet). A number below
the visible end that no visible record has would show as a gap. So a hidden review needs an
id in a series of its own (`rv-x001`, as the generator numbers them) or one without a
number in that place; a document's file name must not continue a published document's
numbering; and a published record may not be numbered past a hidden one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from graph_schema import Label
from graph_store import EmbeddedStore, GraphStore, Neo4jStore
from loaders.readers import Problem

VISIBLE_STATUS: Final = "published"  # what a public viewer sees (queries.base.Viewer)

# The labels whose records are hidden with their review, and the field naming the parent.
PARENT_FIELD: Final[dict[Label, str | None]] = {
    Label.REVIEW: None,
    Label.RECOMMENDATION: "review_id",
    Label.ACTION: "recommendation_id",
    Label.AUDIT: "action_id",
}
_PARENT_LABEL: Final = {
    Label.RECOMMENDATION: Label.REVIEW,
    Label.ACTION: Label.RECOMMENDATION,
    Label.AUDIT: Label.ACTION,
}

_NUMBER = re.compile(r"\d+")

# One id per row, with its review's status or its parents' ids (reads the whole graph once).
_STORE_CYPHER: Final[dict[Label, str]] = {
    Label.REVIEW: "MATCH (r:Review) RETURN r.id AS id, [r.status] AS up",
    Label.RECOMMENDATION: "MATCH (c:Recommendation) OPTIONAL MATCH (r:Review)-[:MAKES]->(c) "
    "RETURN c.id AS id, collect(r.id) AS up",
    Label.ACTION: "MATCH (a:Action) OPTIONAL MATCH (a)-[:RESPONDS_TO]->(c:Recommendation) "
    "RETURN a.id AS id, collect(c.id) AS up",
    Label.AUDIT: "MATCH (u:Audit) OPTIONAL MATCH (u)-[:CHECKS]->(a:Action) "
    "RETURN u.id AS id, collect(a.id) AS up",
}
_STORE_EDGE: Final = {
    Label.RECOMMENDATION: ("MAKES", False),  # (relationship type, whether it leaves the node)
    Label.ACTION: ("RESPONDS_TO", True),
    Label.AUDIT: ("CHECKS", True),
}


@dataclass(frozen=True)
class Incoming:
    """One record a load would write: its id, its review's status (a Review) or its
    parent's id (the others), and where it was read."""

    label: Label
    id: str
    up: str | None
    file: str
    line: int | None


# label -> id -> (a review's status) or (parent ids)
Graph = dict[Label, dict[str, tuple[str | None, ...]]]


def store_graph(store: GraphStore) -> Graph:
    """Every review's status and every hidden-able record's parents, from the store."""
    out: Graph = {label: {} for label in PARENT_FIELD}
    if isinstance(store, Neo4jStore):
        for label, cypher in _STORE_CYPHER.items():
            for row in store.read(cypher):
                out[label][str(row["id"])] = tuple(row["up"])
        return out
    if not isinstance(store, EmbeddedStore):
        # Another GraphStore (the bench's recorder, which answers reads as an empty store):
        # an empty one has no ids for a load to leave gaps between.
        if store.is_empty():
            return out
        raise TypeError(f"unsupported store {type(store).__name__}")
    store.sync()
    with store.reading() as cur:
        for key, status in cur.execute(
            "SELECT id, json_extract(props, '$.status') FROM nodes WHERE label = ?",
            (Label.REVIEW.value,),
        ):
            out[Label.REVIEW][key] = (status,)
        for label, (rel, outgoing) in _STORE_EDGE.items():
            # A relationship type fixes the labels at its ends, so the parent's label holds.
            near, far = ("src", "dst") if outgoing else ("dst", "src")
            parents: dict[str, list[str]] = {}
            for key, parent in cur.execute(
                f"SELECT {near}, {far} FROM rels WHERE type = ? ORDER BY {near}, {far}",  # noqa: S608
                (rel,),
            ):
                parents.setdefault(key, []).append(parent)
            for (key,) in cur.execute("SELECT id FROM nodes WHERE label = ?", (label.value,)):
                out[label][key] = tuple(parents.get(key, ()))
    return out


def batch_records(
    rows_by_label: Iterable[tuple[Label, Iterable[Mapping[str, object]]]], file: str
) -> list[Incoming]:
    """The records of a load's node writes (a document or a PFD table): rows carry their
    review's status or their parent's id under the corpus column names."""
    out: list[Incoming] = []
    for label, rows in rows_by_label:
        if label not in PARENT_FIELD:
            continue
        field = PARENT_FIELD[label] or "status"
        for row in rows:
            up = row.get(field)
            line = row.get("source_line")
            out.append(
                Incoming(
                    label,
                    str(row["id"]),
                    None if up is None else str(up),
                    file,
                    line if isinstance(line, int) else None,
                )
            )
    return out


def _series(key: str) -> tuple[str, tuple[int, ...]]:
    """`rv-000012-r3` -> ("rv-#-r#", (12, 3))."""
    return _NUMBER.sub("#", key), tuple(int(n) for n in _NUMBER.findall(key))


class IdSeries:
    """The ids of the graph as a load would leave it, and what of them would show a gap.

    Built from the store once; `check` a load's records, then `add` them once written (a
    folder of documents is checked one document at a time against what went before).
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @classmethod
    def of_store(cls, store: GraphStore) -> IdSeries:
        return cls(store_graph(store))

    def _merged(self, incoming: list[Incoming]) -> Graph:
        g: Graph = {label: dict(ids) for label, ids in self.graph.items()}
        for r in incoming:
            old = g[r.label].get(r.id, ())
            if r.label == Label.REVIEW:
                g[r.label][r.id] = (r.up,)
            else:  # a parent added to those it already has
                g[r.label][r.id] = tuple(dict.fromkeys((*old, r.up)))
        return g

    @staticmethod
    def _visible(g: Graph) -> dict[Label, set[str]]:
        seen: dict[Label, set[str]] = {
            Label.REVIEW: {k for k, (s, *_) in g[Label.REVIEW].items() if s == VISIBLE_STATUS}
        }
        for label in (Label.RECOMMENDATION, Label.ACTION, Label.AUDIT):
            up = seen[_PARENT_LABEL[label]]
            seen[label] = {k for k, parents in g[label].items() if any(p in up for p in parents)}
        return seen

    def check(self, incoming: list[Incoming]) -> list[Problem]:
        """Problems of the records of one load: hidden records whose number would show as a
        gap among visible ones, and visible records numbered past a hidden one."""
        if not incoming:
            return []
        g = self._merged(incoming)
        visible = self._visible(g)
        where = {(r.label, r.id): r for r in incoming}
        problems: dict[tuple[Label, str], Problem] = {}
        for label, ids in g.items():
            # series key -> visible numbers at that place, and the hidden ids with theirs
            shown: dict[tuple[str, int, tuple[int, ...]], dict[int, list[str]]] = {}
            hidden: list[tuple[tuple[str, int, tuple[int, ...]], int, str]] = []
            for key in ids:
                text, numbers = _series(key)
                for place, n in enumerate(numbers):
                    series = (text, place, numbers[:place])
                    if key in visible[label]:
                        shown.setdefault(series, {}).setdefault(n, []).append(key)
                    else:
                        hidden.append((series, n, key))
            for series, n, key in hidden:
                numbers_shown = shown.get(series)
                if not numbers_shown or n in numbers_shown or n > max(numbers_shown):
                    continue
                above = sorted(m for m in numbers_shown if m > n)
                if (label, key) in where:
                    if (label, key) not in problems:
                        after = min(numbers_shown[above[0]])
                        problems[(label, key)] = _problem(where[(label, key)], after, hidden=True)
                    continue
                # a hidden record already in the graph: blame the visible ones this load adds
                for m in above:
                    for k2 in numbers_shown[m]:
                        r2 = where.get((label, k2))
                        if r2 is not None and (label, k2) not in problems:
                            problems[(label, k2)] = _problem(r2, key, hidden=False)
        # A hidden record under a refused hidden one goes with it: name only the topmost.
        refused = {k for k, p in problems.items() if p.expected.startswith(_HIDDEN)}
        for label, parent in _PARENT_LABEL.items():
            for r in (r for r in incoming if r.label == label):
                if (label, r.id) in refused and (parent, r.up or "") in refused:
                    problems.pop((label, r.id), None)
        return sorted(problems.values(), key=lambda p: (p.file, p.line or 0, str(p.value)))

    def add(self, incoming: list[Incoming]) -> None:
        """Take a written load's records into the graph the next check sees."""
        self.graph = self._merged(incoming)


_HIDDEN: Final = "an id that does not share"


def _problem(r: Incoming, other: str, *, hidden: bool) -> Problem:
    what = r.label.value.lower()
    if hidden:
        expected = (
            f"{_HIDDEN} a numbered series with published records: this "
            f"{what} is hidden from public viewers (its review is not published) and its "
            f"number would show as a gap before the visible {other!r}, counting it; number "
            "hidden records in a series of their own (e.g. rv-x001), or give it an id "
            "without that number (a document: rename the file)"
        )
    else:
        expected = (
            f"an id that does not number this published {what} past the hidden {other!r} "
            "already in the graph (the gap would count it for public viewers); give it an id "
            "in another series, or publish or renumber the hidden one first"
        )
    return Problem(r.file, r.line, "id", r.id, expected)
