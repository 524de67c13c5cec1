"""Themed briefings: a short digest, for one audience, of what keeps recurring in case reviews.

`build_briefing` computes a briefing's content as plain data (`Briefing`), only from named
queries run through `queries.run` with the caller's `Viewer`, so a public briefing never
draws on restricted or withdrawn reviews:

- `briefing.sector_recommendations`: the recommendations addressed to the audience, their
  themes ranked with boards, years and trend, and groups of near-identical ones;
- `briefing.sector_actions`: the audience's open and overdue actions and what audits found;
- `entities.get` / `entities.list` / `entities.neighbours`: theme descriptions (the
  supervision questions are drawn from them), review provenance, board names and succession,
  and the agencies a role covers.

Every number in a `Briefing` is a number those queries returned; the contract tests check
that. Rendering (Markdown, HTML, PDF) is `queries.briefing_render`.

An **audience** is a sector key (graph_schema.SECTORS) or a role: designated safeguarding
leads in schools, GPs, health visitors, police, children's social care managers, early years
and PVI settings. A role narrows its sector to agencies whose names match the role's words,
when the data has such agencies (otherwise the briefing covers the whole sector and says so).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

from graph_schema import SECTORS, Label
from graph_store import GraphStore
from queries import briefing_queries as bq
from queries.base import PUBLIC, Viewer, run
from scrgraph.errors import ScrgraphError

TOP_THEMES: Final = 3
REPEAT_GROUPS: Final = 3
EXAMPLES_PER_GROUP: Final = 3
MAX_ACTIONS: Final = 4
EMBEDDED_BOARDS: Final = 3
_PAGE: Final = 1000  # entities.list page size (its maximum)


class BriefingError(ScrgraphError):
    """A briefing was asked for with an unknown audience, board or year range."""

    exit_code = 2


# -- audiences -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AudienceSpec:
    """Who a briefing is for: a sector, optionally narrowed to a role's agencies."""

    key: str
    label: str  # readable, e.g. "Designated safeguarding leads in schools"
    sector: str
    agency_words: tuple[str, ...] = ()  # whole words in agency names that mark the role
    aliases: tuple[str, ...] = ()


SECTOR_LABELS: Final[dict[str, str]] = {
    "health": "Health",
    "police": "Police",
    "childrens_social_care": "Children's social care",
    "education": "Education",
    "early_years_pvi": "Early years and the PVI sector",
    "probation_youth_justice": "Probation and youth justice",
    "adult_services": "Adult services",
    "housing": "Housing",
    "board": "Safeguarding board or partnership",
    "central_government": "Central government",
}

ROLES: Final[tuple[AudienceSpec, ...]] = (
    AudienceSpec(
        "schools_dsl",
        "Designated safeguarding leads in schools",
        "education",
        ("school", "schools", "college", "colleges", "academy", "academies"),
        ("dsl", "dsls", "schools", "school", "designated_safeguarding_leads", "school_dsl"),
    ),
    AudienceSpec(
        "gp",
        "GPs",
        "health",
        ("gp", "gps", "general practice", "general practitioner", "general practitioners"),
        ("gps", "general_practice", "general_practitioners", "primary_care"),
    ),
    AudienceSpec(
        "health_visitor",
        "Health visitors",
        "health",
        ("health visiting", "health visitor", "health visitors", "0-19"),
        ("health_visitors", "health_visiting"),
    ),
    AudienceSpec(
        "csc_manager",
        "Children's social care managers",
        "childrens_social_care",
        (),
        ("childrens_social_care_managers", "social_care_managers", "social_care", "csc"),
    ),
    AudienceSpec(
        "early_years",
        "Early years and PVI settings",
        "early_years_pvi",
        (),
        ("pvi", "early_years_settings", "nurseries", "childminders"),
    ),
)

AUDIENCES: Final[dict[str, AudienceSpec]] = {
    **{s: AudienceSpec(s, SECTOR_LABELS.get(s, s), s) for s in SECTORS},
    **{r.key: r for r in ROLES},
}
_ALIASES: Final[dict[str, str]] = {
    **{k: k for k in AUDIENCES},
    **{a: r.key for r in ROLES for a in r.aliases},
}


def _norm(text: str) -> str:
    text = text.lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def resolve_audience(audience: str) -> AudienceSpec:
    """The audience a user's words name (a sector key, a role or one of its aliases)."""
    key = _ALIASES.get(_norm(audience))
    if key is None:
        known = ", ".join(sorted(AUDIENCES))
        raise BriefingError(
            f"unknown audience {audience!r}; use a sector or role: {known} "
            f"(aliases such as 'dsl', 'gps', 'pvi' work too)"
        )
    return AUDIENCES[key]


# -- the briefing as data --------------------------------------------------------------------


@dataclass(frozen=True)
class Cite:
    """Where a statement comes from: a review, and a recommendation in it where relevant."""

    review_id: str
    board_name: str | None
    year: int | None
    recommendation_id: str | None = None
    recommendation_number: str | None = None
    location: str | None = None  # place in the document, e.g. "p. 48"
    source_file: str | None = None  # the recommendation's source file and line
    source_line: int | None = None


@dataclass(frozen=True)
class Source:
    """A review cited by the briefing, with its provenance."""

    review_id: str
    title: str | None
    board_id: str | None
    board_name: str | None
    year: int | None
    review_type: str | None
    status: str | None
    document: str | None
    source_file: str | None
    source_line: int | None


@dataclass(frozen=True)
class ThemeItem:
    """A top theme among the recommendations addressed to the audience."""

    key: str
    label: str
    description: str | None
    kind: str | None
    recommendations: int  # recommendations to the audience tagged with it
    reviews: int  # reviews that made them
    boards: int  # boards that commissioned those reviews
    first_year: int | None
    last_year: int | None
    trend: float  # least-squares slope of those reviews per year
    trend_word: str  # rising, falling or steady
    cites: tuple[Cite, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class RepeatItem:
    """A group of near-identical recommendations to the audience."""

    id: str
    text: str
    size: int
    boards: int
    years: int
    first_year: int | None
    last_year: int | None
    mean_score: float
    examples: tuple[Cite, ...]


@dataclass(frozen=True)
class ActionItem:
    """An open action of the audience's, most overdue first."""

    id: str
    description: str | None
    owner_name: str | None
    due_date: str | None
    days_overdue: int
    cite: Cite


@dataclass(frozen=True)
class EmbeddedBoard:
    """A board where an audience action on a theme was audited as embedded."""

    board_id: str
    board_name: str | None
    actions: int
    cite: Cite


@dataclass(frozen=True)
class ThemeEmbedding:
    """For one top theme: the audience's embedded and slipped-back actions, and where."""

    key: str
    label: str
    embedded: int
    slipped_back: int
    boards: tuple[EmbeddedBoard, ...]


@dataclass(frozen=True)
class Briefing:
    """Everything a briefing says, as data; renderers only lay it out."""

    audience_key: str
    audience_label: str
    sector: str
    sector_label: str
    agencies: int  # agencies the audience covers
    role_matched: bool  # a role's words picked its agencies (False: the whole sector)
    boards: tuple[tuple[str, str | None], ...]  # (id, name) after succession; () = all
    year_from: int | None
    year_to: int | None
    years_seen: tuple[int | None, int | None]
    as_of: str
    public: bool  # only published reviews were used
    viewer_role: str
    recommendations: int
    open_recommendations: int
    reviews: int
    review_boards: int
    themes: tuple[ThemeItem, ...]
    repeats: tuple[RepeatItem, ...]
    actions: int
    open_actions: int
    overdue_actions: int
    overdue: tuple[ActionItem, ...]
    audited: int
    verdicts: Mapping[str, int]
    embedding: tuple[ThemeEmbedding, ...]
    sources: tuple[Source, ...]
    glossary: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    synthetic: bool = False  # the loaded corpus says its data is invented

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (tuples become lists)."""
        plain: dict[str, Any] = _plain(dataclasses.asdict(self))
        return plain


def _plain(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


# -- plain-language helpers (pure) -----------------------------------------------------------

GLOSSARY: Final[tuple[tuple[str, str], ...]] = (
    (
        "SCR",
        "serious case review: the local review of a case where a child died or was "
        "seriously harmed and abuse or neglect was suspected (until 2019)",
    ),
    ("LCSPR", "local child safeguarding practice review: what replaced the SCR in 2019"),
    (
        "LSCB",
        "Local Safeguarding Children Board: the local body that commissioned reviews "
        "until 2019, when safeguarding partnerships replaced it",
    ),
    ("PVI", "private, voluntary and independent sector (nurseries, childminders, charities)"),
    (
        "DSL",
        "designated safeguarding lead: the member of staff who leads on safeguarding "
        "in a school or setting",
    ),
    ("CAMHS", "child and adolescent mental health services"),
    ("AMHS", "adult mental health services"),
    ("GP", "general practitioner (family doctor)"),
    (
        "MARAC",
        "multi-agency risk assessment conference, for victims of domestic abuse at high risk",
    ),
    ("MASH", "multi-agency safeguarding hub"),
    ("Ofsted", "the inspectorate for children's services, schools and early years"),
    ("embedded", "an audit found the change is now part of everyday practice"),
    ("slipped back", "an earlier audit found the change embedded and a later one did not"),
    ("overdue", "an action not completed or cancelled whose due date has passed"),
)
_GLOSSARY_ALWAYS: Final = ("embedded", "slipped back")


def glossary_for(text: str) -> tuple[tuple[str, str], ...]:
    """The glossary entries whose terms appear in the text (whole words), plus the always-on."""
    out = []
    for term, meaning in GLOSSARY:
        pattern = rf"\b{re.escape(term)}s?\b"
        flags = 0 if term.isupper() else re.IGNORECASE
        if term in _GLOSSARY_ALWAYS or re.search(pattern, text, flags):
            out.append((term, meaning))
    return tuple(out)


def lower_first(label: str) -> str:
    """A label to use mid-sentence: 'Voice of the child' -> 'voice of the child' (not 'CAMHS')."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def trend_word(trend: float, by_year: Sequence[Mapping[str, Any]]) -> str:
    """'rising', 'falling' or 'steady': the fitted change over the range against its mean.

    The trend is a least-squares slope of reviews per year (as theme_recurrence fits it); a
    fitted change over the whole range of at least a quarter of the yearly mean counts as
    rising or falling.
    """
    counts = [int(y.get("reviews") or 0) for y in by_year]
    if len(counts) < 2:
        return "steady"
    mean = sum(counts) / len(counts)
    if mean == 0:
        return "steady"
    change = trend * (len(counts) - 1) / mean
    if change >= 0.25:
        return "rising"
    if change <= -0.25:
        return "falling"
    return "steady"


def supervision_questions(theme: Mapping[str, Any], audience_label: str) -> tuple[str, ...]:
    """Questions to ask in supervision about a theme, drawn from its taxonomy description."""
    label = lower_first(str(theme.get("label") or theme.get("id")))
    desc = str(theme.get("description") or "").strip().rstrip(".")
    kind = theme.get("kind")
    who = lower_first(audience_label)
    if kind == "barrier":
        return (
            f"Reviews name this as a barrier: {lower_first(desc)}. Does it get in our way, "
            "and how would we know?"
            if desc
            else "Does this get in our way, and how would we know?",
            f"What one change would reduce {label} in our team this year?",
        )
    if kind == "enabler":
        return (
            f"Reviews say this helps: {lower_first(desc)}. How much of it do we have now?"
            if desc
            else "How much of this do we have now?",
            f"Which board or team does {label} well, and what could we borrow?",
        )
    first = (
        f"Reviews keep finding this: {lower_first(desc)}. Where does it show in the cases "
        "I hold now, and what have I recorded?"
        if desc
        else f"Where does {label} show in the cases I hold now, and what have I recorded?"
    )
    return (
        first,
        f"What have reviews asked {who} to do about {label}, and does my practice show it?",
        f"Who would I go to for advice or challenge on {label}, and when did I last do so?",
    )


# -- building ------------------------------------------------------------------------------


def _all_agencies(store: GraphStore, sector: str, viewer: Viewer) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = run(
            store,
            "entities.list",
            {
                "label": Label.AGENCY.value,
                "filter": {"sector": sector},
                "sort": "id",
                "offset": offset,
                "limit": _PAGE,
            },
            viewer,
        )
        items.extend(page["items"])
        offset += _PAGE
        if offset >= page["total"]:
            return items


def _words_match(name: str, words: Iterable[str]) -> bool:
    low = f" {_norm(name).replace('_', ' ')} "
    return any(f" {_norm(w).replace('_', ' ')} " in low for w in words)


def role_agencies(
    store: GraphStore, spec: AudienceSpec, viewer: Viewer = PUBLIC
) -> list[str] | None:
    """The agency ids a role covers, or None for the whole sector (no words, or no match)."""
    if not spec.agency_words:
        return None
    ids = [
        str(a["id"])
        for a in _all_agencies(store, spec.sector, viewer)
        if _words_match(str(a.get("name") or ""), spec.agency_words)
    ]
    return sorted(ids) or None


def resolve_boards(
    store: GraphStore, boards: Sequence[str], viewer: Viewer = PUBLIC
) -> list[tuple[str, str | None]]:
    """Boards named by id or name, with every board before or after them in the 2019 reform.

    Trends run across the reform, so asking for an LSCB brings in the partnership that
    succeeded it (and the reverse).
    """
    if not boards:
        return []
    listing = run(store, "entities.list", {"label": Label.BOARD.value, "limit": _PAGE}, viewer)
    offset = len(listing["items"])
    items = list(listing["items"])
    while offset < listing["total"]:
        page = run(
            store,
            "entities.list",
            {"label": Label.BOARD.value, "limit": _PAGE, "offset": offset},
            viewer,
        )
        items.extend(page["items"])
        offset += _PAGE
    by_id = {str(b["id"]): b for b in items}
    by_name = {_norm(str(b.get("name") or "")): str(b["id"]) for b in items}
    wanted: set[str] = set()
    for b in boards:
        bid = b if b in by_id else by_name.get(_norm(b))
        if bid is None:
            raise BriefingError(
                f"unknown board {b!r}: give a board id or name (e.g. "
                f"{', '.join(sorted(by_id)[:3]) or 'none loaded'}); "
                "`scrgraph query entities.list --param label=Board` lists them"
            )
        wanted.add(bid)
    todo = sorted(wanted)
    while todo:
        nbrs: dict[str, list[dict[str, Any]]] = {}
        for edge in ("board.successors", "board.predecessors"):
            got = run(store, "entities.neighbours", {"edge": edge, "ids": todo}, viewer)
            for k, v in got.items():
                nbrs.setdefault(k, []).extend(v)
        todo = sorted({str(n["node"]["id"]) for v in nbrs.values() for n in v} - wanted)
        wanted.update(todo)
    return [(b, by_id[b].get("name") if b in by_id else None) for b in sorted(wanted)]


def _cite_rec(r: Mapping[str, Any]) -> Cite:
    return Cite(
        review_id=str(r["review_id"]),
        board_name=r.get("board_name"),
        year=r.get("year"),
        recommendation_id=r.get("id"),
        recommendation_number=r.get("number"),
        location=r.get("location"),
        source_file=r.get("source_file"),
        source_line=r.get("source_line"),
    )


def _cite_action(a: Mapping[str, Any]) -> Cite:
    return Cite(
        review_id=str(a["review_id"]),
        board_name=a.get("board_name"),
        year=a.get("year"),
        recommendation_id=a.get("recommendation_id"),
        recommendation_number=a.get("recommendation_number"),
    )


def pick_examples(members: Sequence[Mapping[str, Any]], n: int) -> list[Mapping[str, Any]]:
    """Up to n members from different boards and different years, latest first."""
    out: list[Mapping[str, Any]] = []
    boards: set[Any] = set()
    years: set[Any] = set()
    ordered = sorted(members, key=lambda m: (-(m.get("year") or 0), str(m["id"])))
    for m in ordered:
        if m.get("board_id") in boards or m.get("year") in years:
            continue
        out.append(m)
        boards.add(m.get("board_id"))
        years.add(m.get("year"))
        if len(out) == n:
            return out
    for m in ordered:  # too few distinct boards and years: fill with the rest
        if len(out) == n:
            break
        if m not in out and m.get("board_id") not in boards:
            out.append(m)
            boards.add(m.get("board_id"))
    return out


@contextmanager
def _no_full_collections() -> Iterator[None]:
    """Pause the cyclic garbage collector while a briefing is built.

    A briefing allocates a few hundred thousand short-lived objects (freed by reference
    counting); on a national embedded store, one full collection that they happen to trigger
    walks the whole in-memory graph and costs 0.7 s, a third of the time budget.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_briefing(
    store: GraphStore,
    audience: str,
    *,
    boards: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    viewer: Viewer = PUBLIC,
    as_of: dt.date | str | None = None,
    top_themes: int = TOP_THEMES,
    repeat_groups: int = REPEAT_GROUPS,
    max_actions: int = MAX_ACTIONS,
) -> Briefing:
    """The briefing for an audience, boards and years, as this viewer may see it."""
    with _no_full_collections():
        return _build(
            store,
            audience,
            boards=boards,
            year_from=year_from,
            year_to=year_to,
            viewer=viewer,
            as_of=as_of,
            top_themes=top_themes,
            repeat_groups=repeat_groups,
            max_actions=max_actions,
        )


def _build(
    store: GraphStore,
    audience: str,
    *,
    boards: Sequence[str],
    year_from: int | None,
    year_to: int | None,
    viewer: Viewer,
    as_of: dt.date | str | None,
    top_themes: int,
    repeat_groups: int,
    max_actions: int,
) -> Briefing:
    spec = resolve_audience(audience)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise BriefingError(f"years {year_from}-{year_to}: the first year is after the last")
    try:
        day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of or dt.date.today()
    except ValueError:
        raise BriefingError(f"as of {as_of!r}: expected an ISO date, e.g. 2025-06-30") from None
    notes: list[str] = []
    board_list = resolve_boards(store, boards, viewer)
    board_ids = [b for b, _ in board_list] or None
    agencies = role_agencies(store, spec, viewer)
    if spec.agency_words and agencies is None:
        notes.append(
            f"The data does not single out {lower_first(spec.label)} among "
            f"{lower_first(SECTOR_LABELS[spec.sector])} agencies, so this briefing covers "
            "the whole sector."
        )
    scope: dict[str, Any] = {
        "sector": spec.sector,
        "agencies": agencies,
        "boards": board_ids,
        "year_from": year_from,
        "year_to": year_to,
    }
    recs_q = run(store, bq.SECTOR_RECOMMENDATIONS, {**scope, "groups": repeat_groups}, viewer)
    acts_q = run(store, bq.SECTOR_ACTIONS, {**scope, "as_of": day}, viewer)
    recs: list[dict[str, Any]] = recs_q["recommendations"]
    actions: list[dict[str, Any]] = acts_q["actions"]

    ranked = recs_q["themes"][:top_themes]
    theme_ids = [t["theme"] for t in ranked]
    meta = (
        run(store, "entities.get", {"label": Label.THEME.value, "ids": theme_ids}, viewer)
        if theme_ids
        else {}
    )
    themes: list[ThemeItem] = []
    embedding: list[ThemeEmbedding] = []
    for ts in ranked:
        t = ts["theme"]
        tm = meta.get(t, {"id": t, "label": t})
        label = str(tm.get("label") or t)
        latest = sorted(
            (r for r in recs if t in r["themes"]),
            key=lambda r: (-(r.get("year") or 0), str(r["id"])),
        )
        cites: list[Cite] = []
        seen_reviews: set[str] = set()
        for r in latest:
            if r["review_id"] not in seen_reviews:
                seen_reviews.add(r["review_id"])
                cites.append(_cite_rec(r))
            if len(cites) == 2:
                break
        themes.append(
            ThemeItem(
                key=t,
                label=label,
                description=tm.get("description"),
                kind=tm.get("kind"),
                recommendations=ts["recommendations"],
                reviews=ts["reviews"],
                boards=ts["boards"],
                first_year=ts["first_year"],
                last_year=ts["last_year"],
                trend=ts["trend"],
                trend_word=trend_word(ts["trend"], ts["by_year"]),
                cites=tuple(cites),
                questions=supervision_questions(tm, spec.label),
            )
        )
        on_theme = [a for a in actions if t in a["themes"]]
        per_board: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in on_theme:
            if a["verdict"] == "embedded" and a.get("board_id"):
                per_board[a["board_id"]].append(a)
        best = sorted(per_board.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:EMBEDDED_BOARDS]
        embedding.append(
            ThemeEmbedding(
                key=t,
                label=label,
                embedded=sum(1 for a in on_theme if a["verdict"] == "embedded"),
                slipped_back=sum(1 for a in on_theme if a["verdict"] == "slipped_back"),
                boards=tuple(
                    EmbeddedBoard(
                        board_id=b,
                        board_name=acts[0].get("board_name"),
                        actions=len(acts),
                        cite=_cite_action(
                            max(acts, key=lambda a: (a.get("year") or 0, str(a["id"])))
                        ),
                    )
                    for b, acts in best
                ),
            )
        )

    repeats = [
        RepeatItem(
            id=g["id"],
            text=g["text"],
            size=g["size"],
            boards=g["boards"],
            years=g["years"],
            first_year=g["first_year"],
            last_year=g["last_year"],
            mean_score=g["mean_score"],
            examples=tuple(_cite_rec(m) for m in pick_examples(g["members"], EXAMPLES_PER_GROUP)),
        )
        for g in recs_q["groups"][:repeat_groups]
    ]
    overdue_rows = sorted(
        (a for a in actions if a["overdue"]), key=lambda a: (-a["days_overdue"], str(a["id"]))
    )
    overdue = [
        ActionItem(
            id=a["id"],
            description=a.get("description"),
            owner_name=a.get("owner_name"),
            due_date=a.get("due_date"),
            days_overdue=a["days_overdue"],
            cite=_cite_action(a),
        )
        for a in overdue_rows[:max_actions]
    ]

    cited = _cited_reviews(themes, repeats, overdue, embedding)
    sources = _sources(store, cited, viewer)
    years = [r["year"] for r in recs if isinstance(r.get("year"), int)]
    briefing = Briefing(
        audience_key=spec.key,
        audience_label=spec.label,
        sector=spec.sector,
        sector_label=SECTOR_LABELS.get(spec.sector, spec.sector),
        agencies=len(recs_q["audience"]),
        role_matched=agencies is not None,
        boards=tuple(board_list),
        year_from=year_from,
        year_to=year_to,
        years_seen=(min(years), max(years)) if years else (None, None),
        as_of=day.isoformat(),
        public=set(viewer.statuses) == {"published"},
        viewer_role=viewer.role,
        recommendations=len(recs),
        open_recommendations=sum(1 for r in recs if str(r.get("status")).startswith("open_")),
        reviews=len({r["review_id"] for r in recs}),
        review_boards=len({r["board_id"] for r in recs if r.get("board_id")}),
        themes=tuple(themes),
        repeats=tuple(repeats),
        actions=acts_q["total"],
        open_actions=acts_q["open"],
        overdue_actions=acts_q["overdue"],
        overdue=tuple(overdue),
        audited=acts_q["audited"],
        verdicts=dict(acts_q["verdicts"]),
        embedding=tuple(embedding),
        sources=sources,
        glossary=(),
        notes=tuple(notes),
        synthetic=bool(run(store, "corpus_info", {}, viewer).get("synthetic")),
    )
    return dataclasses.replace(briefing, glossary=glossary_for(_all_text(briefing)))


def _cited_reviews(
    themes: Iterable[ThemeItem],
    repeats: Iterable[RepeatItem],
    overdue: Iterable[ActionItem],
    embedding: Iterable[ThemeEmbedding],
) -> list[str]:
    out: list[str] = []
    for c in (
        *(c for t in themes for c in t.cites),
        *(c for r in repeats for c in r.examples),
        *(a.cite for a in overdue),
        *(b.cite for e in embedding for b in e.boards),
    ):
        if c.review_id not in out:
            out.append(c.review_id)
    return out


def _sources(store: GraphStore, ids: Sequence[str], viewer: Viewer) -> tuple[Source, ...]:
    if not ids:
        return ()
    reviews = run(store, "entities.get", {"label": Label.REVIEW.value, "ids": list(ids)}, viewer)
    board_ids = sorted({str(p["board_id"]) for p in reviews.values() if p.get("board_id")})
    boards = (
        run(store, "entities.get", {"label": Label.BOARD.value, "ids": board_ids}, viewer)
        if board_ids
        else {}
    )
    out = []
    for rid in ids:
        p = reviews.get(rid)
        if p is None:  # not visible: never happens, the queries honour the same viewer
            continue
        b = p.get("board_id")
        out.append(
            Source(
                review_id=rid,
                title=p.get("title"),
                board_id=b,
                board_name=(boards.get(b) or {}).get("name") if b else None,
                year=p.get("year"),
                review_type=p.get("review_type"),
                status=p.get("status"),
                document=p.get("document"),
                source_file=p.get("source_file"),
                source_line=p.get("source_line"),
            )
        )
    return tuple(out)


def _all_text(b: Briefing) -> str:
    """The briefing's words, to pick the glossary entries it needs."""
    parts: list[str] = [b.audience_label, b.sector_label, *b.notes]
    parts += [s.title or "" for s in b.sources]
    parts += [s.board_name or "" for s in b.sources]
    for t in b.themes:
        parts += [t.label, t.description or "", *t.questions]
    parts += [r.text for r in b.repeats]
    parts += [a.description or "" for a in b.overdue]
    parts += [a.owner_name or "" for a in b.overdue]
    return "\n".join(parts)


__all__ = [
    "AUDIENCES",
    "ROLES",
    "SECTOR_LABELS",
    "AudienceSpec",
    "Briefing",
    "BriefingError",
    "Cite",
    "ThemeItem",
    "build_briefing",
    "glossary_for",
    "resolve_audience",
    "resolve_boards",
    "role_agencies",
    "supervision_questions",
    "trend_word",
]
