"""Keeping the aggregates of `graph_schema.aggregates` in the transaction of every write.

Each backend calls its `_keep_aggregates` at the end of its write transaction (so every write
branch is covered). From the batch it finds what the write touched:
- reviews whose ReviewFact may change: Review rows, COMMISSIONED ends, RAISES and MAKES
  starts, and the reviews of recommendations given a TAGGED relationship;
- later reviews R whose events may change: Review rows that set a property events read
  (`EVENT_PROPS`), COMMISSIONED ends, RAISES starts;
- recommendations Rc whose events may change: Recommendation rows that set its status, TAGGED
  starts, MAKES and RESPONDS_TO ends, the recommendations of Action and Audit rows that set a
  property a closure reads and of CHECKS ends, and the recommendations of the Review rows and
  COMMISSIONED ends above (their review's year, status, kind and boards are the events' too).
A row that sets none of the properties the aggregates read (a title, a text, a description)
changes no event, and a batch of only such rows (but Review rows: a new review has a
ReviewFact) leaves the aggregates alone.
It then recomputes, from the state after the write, the ReviewFact of every such review; the
theme tallies move by the difference between each old ReviewFact (as stored) and the new one,
so a reload changes nothing and a status or year change moves counts between rows. Recurrence
events are deleted and recomputed for every recommendation in Rc and every later review in R
(all of them when SUCCEEDED_BY changes). A batch's deletions are passed here as what they
touched (`graph_store.base.deletion_touches`: each deleted node, and every relationship that
went, named or with its node), and `clear` empties the aggregates too, so these sets cover
every row a write can change.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from graph_schema import CLOSED_ACTED_ON, Label, RelType
from graph_store.base import Batch

Fact = dict[str, Any]
TallyKey = tuple[str, str, Any, Any, Any]  # theme, board, year, status, kind


# The node properties the aggregates read, by label: a row setting none of them changes no
# event (Review rows still count towards ReviewFacts: a new review has one).
EVENT_PROPS: Final[Mapping[Label, frozenset[str]]] = {
    Label.REVIEW: frozenset({"year", "status", "review_type"}),
    Label.RECOMMENDATION: frozenset({"status"}),
    Label.ACTION: frozenset({"status", "completed_date"}),
    Label.AUDIT: frozenset({"rating", "date"}),
}


@dataclass
class Touched:
    """What one batch may change, before following relationships."""

    reviews: set[str] = field(default_factory=set)  # Review rows and COMMISSIONED ends
    fact_only: set[str] = field(default_factory=set)  # Review rows setting no EVENT_PROPS
    raising: set[str] = field(default_factory=set)  # RAISES starts
    making: set[str] = field(default_factory=set)  # MAKES starts
    recs: set[str] = field(default_factory=set)
    tagged_recs: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    audits: set[str] = field(default_factory=set)
    succession: bool = False

    def empty(self) -> bool:
        return not (
            self.reviews
            or self.fact_only
            or self.raising
            or self.making
            or self.recs
            or self.tagged_recs
            or self.actions
            or self.audits
            or self.succession
        )


def touched(batch: Batch) -> Touched:
    """The keys a batch names that the aggregates depend on."""
    t = Touched()
    for nw in batch.nodes:
        target = {
            Label.REVIEW: t.reviews,
            Label.RECOMMENDATION: t.recs,
            Label.ACTION: t.actions,
            Label.AUDIT: t.audits,
        }.get(nw.label)
        if target is None:
            continue
        props = EVENT_PROPS[nw.label]
        for r in nw.rows:
            if not props.isdisjoint(r):
                target.add(r["id"])
            elif nw.label == Label.REVIEW:
                t.fact_only.add(r["id"])
    for rw in batch.rels:
        rt = rw.type
        if rt == RelType.COMMISSIONED:
            t.reviews.update(r["end"] for r in rw.rows)
        elif rt == RelType.RAISES:
            t.raising.update(r["start"] for r in rw.rows)
        elif rt == RelType.MAKES:
            t.making.update(r["start"] for r in rw.rows)
            t.recs.update(r["end"] for r in rw.rows)
        elif rt == RelType.TAGGED:
            t.tagged_recs.update(r["start"] for r in rw.rows)
        elif rt == RelType.RESPONDS_TO:
            t.recs.update(r["end"] for r in rw.rows)
        elif rt == RelType.CHECKS:
            t.actions.update(r["end"] for r in rw.rows)
        elif rt == RelType.SUCCEEDED_BY and rw.rows:
            t.succession = True
    return t


# -- theme tallies ------------------------------------------------------------------------------


def tally_id(key: TallyKey) -> str:
    return json.dumps(list(key))


def contributions(fact: Mapping[str, Any]) -> dict[TallyKey, list[int]]:
    """What one ReviewFact adds to the tallies: key -> [reviews, recommendations]."""
    out: dict[TallyKey, list[int]] = defaultdict(lambda: [0, 0])
    y, s, k = fact.get("year"), fact.get("status"), fact.get("kind")
    for b in fact.get("boards") or ():
        for t in fact.get("themes") or ():
            out[(t, b, y, s, k)][0] += 1
        for t in fact.get("rec_themes") or ():
            out[(t, b, y, s, k)][1] += 1
    return out


def tally_delta(
    old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Rows {id, theme, board, year, status, kind, dr, dc} that move the tallies from old to new."""
    delta: dict[TallyKey, list[int]] = defaultdict(lambda: [0, 0])
    for sign, facts in ((-1, old), (1, new)):
        for f in facts:
            for key, (nr, nc) in contributions(f).items():
                d = delta[key]
                d[0] += sign * nr
                d[1] += sign * nc
    return [
        {
            "id": tally_id(key),
            "theme": key[0],
            "board": key[1],
            "year": key[2],
            "status": key[3],
            "kind": key[4],
            "dr": dr,
            "dc": dc,
        }
        for key, (dr, dc) in sorted(delta.items(), key=lambda kv: tally_id(kv[0]))
        if dr or dc
    ]


# -- recurrence after closure -------------------------------------------------------------------


def _year_of(iso: str | None) -> int | None:
    if not iso or len(iso) < 4 or not iso[:4].isdigit():
        return None
    return int(iso[:4])


def closure(
    status: Any, review_year: int | None, done: Sequence[str], embedded: Sequence[str]
) -> tuple[str, int] | None:
    """(basis, closure year) for a recommendation, or None if it was never closed."""
    closed_year = None
    if status in CLOSED_ACTED_ON:
        closed_year = _year_of(max(done)) if done else None
        if closed_year is None:
            closed_year = review_year
    audit_year = _year_of(min(embedded)) if embedded else None
    if closed_year is None and audit_year is None:
        return None
    if audit_year is None or (closed_year is not None and closed_year <= audit_year):
        assert closed_year is not None
        return ("closed_acted_on", closed_year)
    return ("audited_embedded", audit_year)


EVENT_FIELDS = (
    "theme",
    "board",
    "recommendation",
    "recommendation_status",
    "basis",
    "closed_year",
    "rec_review",
    "rec_review_status",
    "rec_review_kind",
    "review",
    "review_year",
    "review_board",
    "review_status",
    "review_kind",
)


def event_row(e: Mapping[str, Any]) -> dict[str, Any]:
    """An event with its id (theme, board, recommendation, rec_review, review, review_board)."""
    key = [e[k] for k in ("theme", "board", "recommendation", "rec_review", "review")]
    return {"id": json.dumps([*key, e["review_board"]]), **{k: e[k] for k in EVENT_FIELDS}}


# -- reading the state after a write (the embedded store) ---------------------------------------


class Reader(Protocol):
    """The graph after the write: properties and neighbours by relationship type. `warm` says
    which of them the next steps ask for, key after key, so a reader that fetches them (SQL)
    can fetch them together; it changes no answer. The sets `out` and `into` return may be
    the reader's own: read them, never change them."""

    def warm(
        self,
        label: Label,
        keys: Iterable[str],
        props: bool = False,
        out: Iterable[RelType] = (),
        into: Iterable[RelType] = (),
    ) -> None: ...

    def props(self, label: Label, key: str) -> Mapping[str, Any] | None: ...

    def out(self, label: Label, key: str, rel: RelType) -> AbstractSet[str]: ...

    def into(self, label: Label, key: str, rel: RelType) -> AbstractSet[str]: ...


def resolve(rd: Reader, t: Touched) -> tuple[set[str], set[str], set[str]]:
    """(reviews whose ReviewFact may change, later reviews whose events may change,
    recommendations whose events may change) from what the batch named."""
    later = t.reviews | t.raising
    facts = later | t.making | t.fact_only
    rd.warm(Label.RECOMMENDATION, t.tagged_recs, into=(RelType.MAKES,))
    rd.warm(Label.AUDIT, t.audits, out=(RelType.CHECKS,))
    rd.warm(Label.REVIEW, t.reviews, out=(RelType.MAKES,))
    for r in t.tagged_recs:
        facts |= rd.into(Label.RECOMMENDATION, r, RelType.MAKES)
    recs = set(t.recs) | t.tagged_recs
    actions = set(t.actions)
    for au in t.audits:
        actions |= rd.out(Label.AUDIT, au, RelType.CHECKS)
    rd.warm(Label.ACTION, actions, out=(RelType.RESPONDS_TO,))
    for a in actions:
        recs |= rd.out(Label.ACTION, a, RelType.RESPONDS_TO)
    for rv in t.reviews:  # a review's year, status, kind or board is its events' too
        recs |= rd.out(Label.REVIEW, rv, RelType.MAKES)
    return facts, later, recs


def review_facts(rd: Reader, reviews: Sequence[str]) -> list[Fact]:
    """The ReviewFacts of these reviews, in their order (a review that does not exist has none)."""
    rd.warm(
        Label.REVIEW,
        reviews,
        props=True,
        out=(RelType.MAKES, RelType.RAISES),
        into=(RelType.COMMISSIONED,),
    )
    made = {r for rv in reviews for r in rd.out(Label.REVIEW, rv, RelType.MAKES)}
    rd.warm(Label.RECOMMENDATION, made, out=(RelType.TAGGED,))
    return [f for f in (review_fact(rd, rv) for rv in reviews) if f is not None]


def review_fact(rd: Reader, rv: str) -> Fact | None:
    """The ReviewFact of one review, or None if there is no such review."""
    p = rd.props(Label.REVIEW, rv)
    if p is None:
        return None
    rec_themes: list[str] = []
    for r in sorted(rd.out(Label.REVIEW, rv, RelType.MAKES)):
        rec_themes.extend(sorted(rd.out(Label.RECOMMENDATION, r, RelType.TAGGED)))
    return {
        "id": rv,
        "year": p.get("year"),
        "status": p.get("status"),
        "kind": p.get("review_type"),
        "boards": sorted(rd.into(Label.REVIEW, rv, RelType.COMMISSIONED)),
        "themes": sorted(rd.out(Label.REVIEW, rv, RelType.RAISES)),
        "rec_themes": rec_themes,
    }


def events(rd: Reader, recs: Iterable[str], reviews: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Every event of these recommendations and of these later reviews, by id."""
    out: dict[str, dict[str, Any]] = {}
    closures: dict[tuple[str, str], tuple[str, int] | None] = {}
    later: dict[str, dict[str, list[tuple[str, int]]]] = {}
    made: dict[str, dict[str, list[tuple[str, str, tuple[str, int]]]]] = {}
    walks: dict[tuple[str, bool], set[str]] = {}

    def walk(start: str, forward: bool) -> set[str]:
        """The board and the boards after it (forward) or before it, by SUCCEEDED_BY."""
        if (start, forward) not in walks:
            seen, todo = {start}, [start]
            while todo:
                b = todo.pop()
                nxt = (
                    rd.out(Label.BOARD, b, RelType.SUCCEEDED_BY)
                    if forward
                    else rd.into(Label.BOARD, b, RelType.SUCCEEDED_BY)
                )
                for n in nxt - seen:
                    seen.add(n)
                    todo.append(n)
            walks[(start, forward)] = seen
        return walks[(start, forward)]

    def warm_closures(recs: Iterable[str]) -> None:
        """What `closure_of` reads of these recommendations, fetched together."""
        recs = list(recs)
        rd.warm(Label.RECOMMENDATION, recs, props=True, into=(RelType.RESPONDS_TO,))
        acts = {a for r in recs for a in rd.into(Label.RECOMMENDATION, r, RelType.RESPONDS_TO)}
        rd.warm(Label.ACTION, acts, props=True, into=(RelType.CHECKS,))
        audits = {au for a in acts for au in rd.into(Label.ACTION, a, RelType.CHECKS)}
        rd.warm(Label.AUDIT, audits, props=True)

    def closure_of(r: str, rv0: str) -> tuple[str, int] | None:
        if (r, rv0) not in closures:
            done, embedded = [], []
            for a in rd.into(Label.RECOMMENDATION, r, RelType.RESPONDS_TO):
                ap = rd.props(Label.ACTION, a) or {}
                if ap.get("status") == "completed" and ap.get("completed_date") is not None:
                    done.append(str(ap["completed_date"]))
                for au in rd.into(Label.ACTION, a, RelType.CHECKS):
                    aup = rd.props(Label.AUDIT, au) or {}
                    if aup.get("rating") == "embedded" and aup.get("date") is not None:
                        embedded.append(str(aup["date"]))
            rp = rd.props(Label.RECOMMENDATION, r) or {}
            year = (rd.props(Label.REVIEW, rv0) or {}).get("year")
            closures[(r, rv0)] = closure(rp.get("status"), year, done, embedded)
        return closures[(r, rv0)]

    def later_reviews(lb: str) -> dict[str, list[tuple[str, int]]]:
        """A board's reviews with a year, by theme raised."""
        if lb not in later:
            by_theme: dict[str, list[tuple[str, int]]] = defaultdict(list)
            theirs = rd.out(Label.BOARD, lb, RelType.COMMISSIONED)
            rd.warm(Label.REVIEW, theirs, props=True, out=(RelType.RAISES,))
            for lr in theirs:
                ly = (rd.props(Label.REVIEW, lr) or {}).get("year")
                if isinstance(ly, int):
                    for t in rd.out(Label.REVIEW, lr, RelType.RAISES):
                        by_theme[t].append((lr, ly))
            later[lb] = by_theme
        return later[lb]

    def closed_made(b: str) -> dict[str, list[tuple[str, str, tuple[str, int]]]]:
        """A board's closed recommendations (with their review and closure), by theme."""
        if b not in made:
            by_theme: dict[str, list[tuple[str, str, tuple[str, int]]]] = defaultdict(list)
            theirs = rd.out(Label.BOARD, b, RelType.COMMISSIONED)
            rd.warm(Label.REVIEW, theirs, props=True, out=(RelType.MAKES,))
            recs_made = {r for rv0 in theirs for r in rd.out(Label.REVIEW, rv0, RelType.MAKES)}
            rd.warm(Label.RECOMMENDATION, recs_made, out=(RelType.TAGGED,))
            warm_closures(r for r in recs_made if rd.out(Label.RECOMMENDATION, r, RelType.TAGGED))
            for rv0 in theirs:
                for r in rd.out(Label.REVIEW, rv0, RelType.MAKES):
                    tags = rd.out(Label.RECOMMENDATION, r, RelType.TAGGED)
                    c = closure_of(r, rv0) if tags else None
                    if c is not None:
                        for t in tags:
                            by_theme[t].append((r, rv0, c))
            made[b] = by_theme
        return made[b]

    def emit(t: str, b: str, r: str, rv0: str, c: tuple[str, int], lb: str, lr: str) -> None:
        rp = rd.props(Label.RECOMMENDATION, r) or {}
        p0 = rd.props(Label.REVIEW, rv0) or {}
        lp = rd.props(Label.REVIEW, lr) or {}
        row = event_row(
            {
                "theme": t,
                "board": b,
                "recommendation": r,
                "recommendation_status": rp.get("status"),
                "basis": c[0],
                "closed_year": c[1],
                "rec_review": rv0,
                "rec_review_status": p0.get("status"),
                "rec_review_kind": p0.get("review_type"),
                "review": lr,
                "review_year": lp.get("year"),
                "review_board": lb,
                "review_status": lp.get("status"),
                "review_kind": lp.get("review_type"),
            }
        )
        out[row["id"]] = row

    recs = list(recs)
    reviews = list(reviews)
    rd.warm(Label.RECOMMENDATION, recs, out=(RelType.TAGGED,), into=(RelType.MAKES,))
    tagged = [r for r in recs if rd.out(Label.RECOMMENDATION, r, RelType.TAGGED)]
    warm_closures(tagged)
    rd.warm(
        Label.REVIEW,
        {rv0 for r in tagged for rv0 in rd.into(Label.RECOMMENDATION, r, RelType.MAKES)},
        props=True,
        into=(RelType.COMMISSIONED,),
    )
    rd.warm(Label.REVIEW, reviews, props=True, out=(RelType.RAISES,), into=(RelType.COMMISSIONED,))
    for r in recs:
        tags = rd.out(Label.RECOMMENDATION, r, RelType.TAGGED)
        if not tags:
            continue
        for rv0 in rd.into(Label.RECOMMENDATION, r, RelType.MAKES):
            c = closure_of(r, rv0)
            if c is None:
                continue
            for b in rd.into(Label.REVIEW, rv0, RelType.COMMISSIONED):
                for lb in walk(b, True):
                    by_theme = later_reviews(lb)
                    for t in tags:
                        for lr, ly in by_theme.get(t, ()):
                            if ly > c[1]:
                                emit(t, b, r, rv0, c, lb, lr)
    for lr in reviews:
        year = (rd.props(Label.REVIEW, lr) or {}).get("year")
        if not isinstance(year, int):
            continue
        ly = year
        themes = rd.out(Label.REVIEW, lr, RelType.RAISES)
        if not themes:
            continue
        for lb in rd.into(Label.REVIEW, lr, RelType.COMMISSIONED):
            for b in walk(lb, False):
                closed = closed_made(b)
                for t in themes:
                    for r, rv0, c in closed.get(t, ()):
                        if ly > c[1]:
                            emit(t, b, r, rv0, c, lb, lr)
    return out


__all__ = [
    "EVENT_FIELDS",
    "EVENT_PROPS",
    "Fact",
    "Reader",
    "Touched",
    "closure",
    "contributions",
    "event_row",
    "events",
    "resolve",
    "review_fact",
    "review_facts",
    "tally_delta",
    "tally_id",
    "touched",
]
