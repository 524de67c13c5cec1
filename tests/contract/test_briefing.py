"""Briefings on the demo corpus, on both backends.

- the briefing queries give the same answers on both backends (the embedded one is the
  reference), and so does the whole briefing;
- every number in a briefing equals the query result it comes from, and agrees with the
  other queries that count the same things (agency_load, outstanding_actions, entities.list,
  repeated_recommendations);
- a public briefing contains nothing from restricted or withdrawn reviews;
- each format renders: the PDF has text and at most two A4 pages, the HTML loads nothing
  from elsewhere (and, with Chromium, prints on at most two A4 pages);
- `scrgraph brief` writes each format.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import queries
from graph_schema import Label, RelType
from graph_store import EmbeddedStore, GraphStore
from queries import ADMIN, PUBLIC, Viewer
from queries.briefing import (
    AUDIENCES,
    Briefing,
    BriefingError,
    build_briefing,
    resolve_boards,
    role_agencies,
)
from queries.briefing_render import (
    SYNTHETIC_LINE,
    _md_escape,
    briefing_document,
    to_html,
    to_markdown,
    to_pdf,
)
from scrgraph.cli import main
from scrgraph.settings import is_ci

AS_OF = "2025-06-30"
AUDIENCE_CASES = [
    ("police", {}),
    ("schools_dsl", {"year_from": 2014, "year_to": 2019}),
    ("gp", {}),
    ("health_visitor", {"year_from": 2019}),
    ("csc_manager", {}),
    ("early_years", {}),
    ("health", {"year_to": 2012}),
]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "link", "img", "iframe", "object", "embed", "video"):
            self.bad.append(tag)
        for name, value in attrs:
            attr = name in ("src", "href", "srcset", "action", "poster", "data")
            if attr and value and not value.startswith("#"):
                self.bad.append(value)


def external_assets(page: str) -> list[str]:
    """Whatever would make the page load something from elsewhere."""
    p = _Refs()
    p.feed(page)
    return p.bad + re.findall(r"@import|url\(", page)


def strings(obj: Any) -> set[str]:
    if isinstance(obj, str):
        return {obj}
    if isinstance(obj, dict):
        return set().union(*(strings(k) | strings(v) for k, v in obj.items()))
    if isinstance(obj, list | tuple | set):
        return set().union(*(strings(v) for v in obj))
    return set()


@pytest.fixture(scope="module")
def hidden(demo_embedded: EmbeddedStore) -> dict[str, set[str]]:
    """Ids only an admin may see, and titles that only restricted or withdrawn reviews have."""
    g = demo_embedded.graph
    ids: set[str] = set()
    titles: dict[str, set[str]] = defaultdict(set)
    for rv in demo_embedded.ids(Label.REVIEW.value):
        p = g.nodes[(Label.REVIEW.value, rv)]
        titles[p["status"]].add(p["title"])
        if p["status"] == "published":
            continue
        ids.add(rv)
        for _, rec, k in g.out_edges((Label.REVIEW.value, rv), keys=True):
            if k != RelType.MAKES.value:
                continue
            ids.add(rec[1])
            for act, _, k2 in g.in_edges(rec, keys=True):
                if k2 == RelType.RESPONDS_TO.value:
                    ids.add(act[1])
    only_hidden = (titles["restricted"] | titles["withdrawn"]) - titles["published"]
    assert ids and only_hidden, "the demo corpus should have restricted reviews"
    return {"ids": ids, "titles": only_hidden}


@pytest.fixture(scope="module")
def a_board(demo_embedded: EmbeddedStore) -> str:
    """An LSCB that a partnership succeeded."""
    lscbs: list[str] = sorted(
        s[1] for s, _, k in demo_embedded.graph.edges(keys=True) if k == RelType.SUCCEEDED_BY.value
    )
    return lscbs[0]


def scope_params(store: GraphStore, audience: str, extra: dict[str, Any]) -> dict[str, Any]:
    spec = AUDIENCES[audience]
    return {
        "sector": spec.sector,
        "agencies": role_agencies(store, spec),
        "boards": extra.get("boards"),
        "year_from": extra.get("year_from"),
        "year_to": extra.get("year_to"),
    }


def brief(store: GraphStore, audience: str, extra: dict[str, Any], viewer: Viewer) -> Briefing:
    return build_briefing(
        store,
        audience,
        boards=extra.get("board_names", ()),
        year_from=extra.get("year_from"),
        year_to=extra.get("year_to"),
        viewer=viewer,
        as_of=AS_OF,
    )


# -- the queries, on both backends -------------------------------------------------------------


@pytest.mark.parametrize("viewer", [PUBLIC, ADMIN], ids=["public", "admin"])
@pytest.mark.parametrize(("audience", "extra"), AUDIENCE_CASES, ids=[a for a, _ in AUDIENCE_CASES])
def test_briefing_queries_agree_across_backends(
    demo_store: GraphStore,
    demo_embedded: EmbeddedStore,
    hidden: dict[str, set[str]],
    audience: str,
    extra: dict[str, Any],
    viewer: Viewer,
) -> None:
    scope = scope_params(demo_embedded, audience, extra)
    for name, params in (
        ("briefing.sector_recommendations", {**scope, "groups": 4}),
        ("briefing.sector_actions", {**scope, "as_of": AS_OF}),
    ):
        got = queries.run(demo_store, name, params, viewer)
        want = queries.run(demo_embedded, name, params, viewer)
        assert got == want, f"{name} {params} as {viewer.role} differs between backends"
        if viewer is PUBLIC:
            assert not strings(got) & hidden["ids"]


def test_boards_filter_on_both_backends(
    demo_store: GraphStore, demo_embedded: EmbeddedStore, a_board: str
) -> None:
    params = {"sector": "childrens_social_care", "boards": [a_board]}
    got = queries.run(demo_store, "briefing.sector_recommendations", params, PUBLIC)
    assert got == queries.run(demo_embedded, "briefing.sector_recommendations", params, PUBLIC)
    assert got["recommendations"] and {r["board_id"] for r in got["recommendations"]} == {a_board}


@pytest.mark.parametrize(
    ("audience", "extra"), AUDIENCE_CASES[:4], ids=[a for a, _ in AUDIENCE_CASES[:4]]
)
def test_briefing_is_the_same_on_both_backends(
    demo_store: GraphStore, demo_embedded: EmbeddedStore, audience: str, extra: dict[str, Any]
) -> None:
    got = brief(demo_store, audience, extra, PUBLIC).to_dict()
    assert got == brief(demo_embedded, audience, extra, PUBLIC).to_dict()


# -- every number is a query result ---------------------------------------------------------


@pytest.mark.parametrize(("audience", "extra"), AUDIENCE_CASES, ids=[a for a, _ in AUDIENCE_CASES])
def test_briefing_numbers_equal_query_results(
    demo_store: GraphStore, audience: str, extra: dict[str, Any]
) -> None:
    b = brief(demo_store, audience, extra, PUBLIC)
    scope = scope_params(demo_store, audience, extra)
    recs_q = queries.run(
        demo_store, "briefing.sector_recommendations", {**scope, "groups": 3}, PUBLIC
    )
    acts_q = queries.run(demo_store, "briefing.sector_actions", {**scope, "as_of": AS_OF}, PUBLIC)
    recs, acts = recs_q["recommendations"], acts_q["actions"]
    assert b.recommendations == len(recs) > 0
    assert b.open_recommendations == sum(1 for r in recs if r["status"].startswith("open_"))
    assert b.reviews == len({r["review_id"] for r in recs})
    assert b.review_boards == len({r["board_id"] for r in recs if r["board_id"]})
    assert b.agencies == len(recs_q["audience"])

    assert len(b.themes) == min(3, len(recs_q["themes"]))
    for t, q in zip(b.themes, recs_q["themes"], strict=False):
        assert t.key == q["theme"] and t.label != t.key
        assert (t.recommendations, t.reviews, t.boards, t.trend) == (
            q["recommendations"],
            q["reviews"],
            q["boards"],
            q["trend"],
        )
        assert (t.first_year, t.last_year) == (q["first_year"], q["last_year"])
        on_theme = {r["review_id"] for r in recs if t.key in r["themes"]}
        assert {c.review_id for c in t.cites} <= on_theme

    assert len(b.repeats) == len(recs_q["groups"])
    for r, g in zip(b.repeats, recs_q["groups"], strict=True):
        assert (r.id, r.text, r.size, r.boards, r.years, r.mean_score) == (
            g["id"],
            g["text"],
            g["size"],
            g["boards"],
            g["years"],
            g["mean_score"],
        )
        members = {m["id"]: m for m in g["members"]}
        for c in r.examples:
            assert c.recommendation_id in members
            assert members[c.recommendation_id]["review_id"] == c.review_id

    assert (b.actions, b.open_actions, b.overdue_actions, b.audited) == (
        acts_q["total"],
        acts_q["open"],
        acts_q["overdue"],
        acts_q["audited"],
    )
    assert dict(b.verdicts) == acts_q["verdicts"]
    worst = sorted((a for a in acts if a["overdue"]), key=lambda a: (-a["days_overdue"], a["id"]))
    assert [(o.id, o.days_overdue) for o in b.overdue] == [
        (a["id"], a["days_overdue"]) for a in worst[: len(b.overdue)]
    ]
    for e in b.embedding:
        theme_acts = [a for a in acts if e.key in a["themes"]]
        assert e.embedded == sum(1 for a in theme_acts if a["verdict"] == "embedded")
        assert e.slipped_back == sum(1 for a in theme_acts if a["verdict"] == "slipped_back")
        per_board = Counter(a["board_id"] for a in theme_acts if a["verdict"] == "embedded")
        for x in e.boards:
            assert x.actions == per_board[x.board_id]

    cited = {c.review_id for t in b.themes for c in t.cites}
    cited |= {c.review_id for r in b.repeats for c in r.examples}
    cited |= {a.cite.review_id for a in b.overdue}
    cited |= {x.cite.review_id for e in b.embedding for x in e.boards}
    assert {s.review_id for s in b.sources} == cited
    props = queries.run(
        demo_store, "entities.get", {"label": "Review", "ids": sorted(cited)}, PUBLIC
    )
    for s in b.sources:
        p = props[s.review_id]
        assert (s.title, s.year) == (p["title"], p["year"])
        # a public briefing gives no source lines: they would count hidden rows (issue 17)
        assert (s.source_file, s.source_line) == (None, None)
        assert "source_line" not in p


@pytest.mark.parametrize("sector", ["police", "education", "health"])
@pytest.mark.parametrize(
    "years", [{}, {"year_from": 2012, "year_to": 2018}], ids=["all", "2012-18"]
)
def test_briefing_agrees_with_the_other_queries(
    demo_store: GraphStore, sector: str, years: dict[str, int]
) -> None:
    """A whole-sector briefing counts what agency_load, outstanding_actions and entities.list
    count, and its repeat groups sit inside repeated_recommendations' clusters."""
    b = brief(demo_store, sector, years, PUBLIC)
    load = queries.run(
        demo_store, "agency_load", {"sector": sector, "as_of": AS_OF, **years}, PUBLIC
    )
    tot = load["totals"]
    assert (b.recommendations, b.open_recommendations) == (tot["recommendations"], tot["open"])
    assert (b.actions, b.open_actions, b.overdue_actions) == (
        tot["actions"],
        tot["open_actions"],
        tot["overdue_actions"],
    )
    assert b.agencies == len(load["agencies"])

    agencies = {a["id"] for a in load["agencies"]}
    out = queries.run(demo_store, "outstanding_actions", {"as_of": AS_OF}, PUBLIC)
    mine = {
        a["id"]: a
        for a in out["actions"]
        if a["owner_agency_id"] in agencies
        and (years.get("year_from") is None or a["year"] >= years["year_from"])
        and (years.get("year_to") is None or a["year"] <= years["year_to"])
    }
    assert len(mine) == b.open_actions
    assert sum(1 for a in mine.values() if a["overdue"]) == b.overdue_actions
    for o in b.overdue:
        assert mine[o.id]["days_overdue"] == o.days_overdue

    for t in b.themes:
        listed = queries.run(
            demo_store,
            "entities.list",
            {"label": "Recommendation", "filter": {"sector": sector, "theme": t.key, **years}},
            PUBLIC,
        )
        assert listed["total"] == t.recommendations

    clusters = queries.run(
        demo_store, "repeated_recommendations", {"min_boards": 1, "min_years": 1}, PUBLIC
    )["clusters"]
    cluster_of = {m["id"]: c["id"] for c in clusters for m in c["members"]}
    for r in b.repeats:
        assert {cluster_of[c.recommendation_id or ""] for c in r.examples} == {cluster_of[r.id]}


def test_roles_narrow_their_sector(demo_embedded: EmbeddedStore) -> None:
    gp = build_briefing(demo_embedded, "GPs", as_of=AS_OF)
    health = build_briefing(demo_embedded, "health", as_of=AS_OF)
    assert gp.role_matched and 0 < gp.agencies < health.agencies
    assert 0 < gp.recommendations < health.recommendations
    names = queries.run(
        demo_embedded,
        "entities.get",
        {"label": "Agency", "ids": role_agencies(demo_embedded, AUDIENCES["gp"])},
        PUBLIC,
    )
    assert all("General Practice" in a["name"] for a in names.values())
    csc = build_briefing(demo_embedded, "children's social care managers", as_of=AS_OF)
    assert not csc.role_matched and not csc.notes  # no words: the whole sector, as meant


def test_boards_bring_their_successors(demo_embedded: EmbeddedStore, a_board: str) -> None:
    g = demo_embedded.graph
    name = g.nodes[(Label.BOARD.value, a_board)]["name"]
    after = [
        d[1]
        for _, d, k in g.out_edges((Label.BOARD.value, a_board), keys=True)
        if k == "SUCCEEDED_BY"
    ]
    got = [b for b, _ in resolve_boards(demo_embedded, [name.upper()])]
    assert a_board in got and set(after) <= set(got)
    assert resolve_boards(demo_embedded, after[:1]) == resolve_boards(demo_embedded, [a_board])
    b = build_briefing(demo_embedded, "police", boards=[a_board], as_of=AS_OF)
    assert {x for x, _ in b.boards} == set(got)
    with pytest.raises(BriefingError, match="unknown board"):
        resolve_boards(demo_embedded, ["Atlantis LSCB"])


# -- visibility -----------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["police", "schools_dsl", "health", "board"])
def test_public_briefing_has_nothing_from_restricted_reviews(
    demo_store: GraphStore, hidden: dict[str, set[str]], audience: str
) -> None:
    b = brief(demo_store, audience, {}, PUBLIC)
    admin = brief(demo_store, audience, {}, ADMIN)
    assert admin.recommendations > b.recommendations, "the test needs restricted data to bite"
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(b))).pages)
    texts = {
        "data": json.dumps(b.to_dict(), ensure_ascii=False),
        "md": to_markdown(b),
        "html": to_html(b),
        "pdf": pdf,
    }
    # Whole strings only: a restricted "Review: Baby D" is not in a published "Review: Baby DZ".
    needles = [
        re.compile(rf"(?<!\w){re.escape(s)}(?!\w)") for s in hidden["ids"] | hidden["titles"]
    ]
    for fmt, text in texts.items():
        leaked = sorted(n.pattern for n in needles if n.search(text))
        assert not leaked, f"{fmt} shows restricted {leaked[:5]}"
    assert b.public and not admin.public


# -- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["police", "schools_dsl", "gp", "early_years", "board"])
def test_formats_render(demo_store: GraphStore, audience: str) -> None:
    doc = briefing_document(demo_store, audience, as_of=AS_OF)
    b = brief(demo_store, audience, {}, PUBLIC)
    reader = PdfReader(io.BytesIO(to_pdf(b)))
    assert 1 <= len(reader.pages) <= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "What keeps coming back" in text and f"{b.recommendations:,} recommendations" in text
    assert external_assets(doc.html) == [] and "http" not in doc.html
    # The demo corpus is synthetic: the mark comes before the title in every format.
    assert doc.markdown.startswith(f"**{_md_escape(SYNTHETIC_LINE)}**\n\n# What keeps coming back")
    assert text.startswith("Synthetic data")
    assert doc.data == b.to_dict()
    for t in b.themes:
        assert t.label in doc.markdown  # labels, not keys
        assert "_" not in t.key or t.key not in doc.markdown


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.parametrize("audience", ["police", "schools_dsl"])
def test_html_prints_on_two_a4_pages(
    demo_embedded: EmbeddedStore, tmp_path: Path, audience: str
) -> None:
    chromium = _chromium()
    if chromium is None:
        if is_ci():
            pytest.fail("chromium is needed to print the HTML briefing", pytrace=False)
        pytest.skip("chromium is needed to print the HTML briefing")
    page = tmp_path / "briefing.html"
    page.write_text(to_html(build_briefing(demo_embedded, audience, as_of=AS_OF)), "utf-8")
    pdf = tmp_path / "printed.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = PdfReader(pdf)
    assert len(reader.pages) <= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


# -- the command ----------------------------------------------------------------------------


def test_cli_writes_each_format(
    demo_embedded: EmbeddedStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(demo_embedded.path), "--backend", "embedded", "--as-of", AS_OF]
    for fmt in ("md", "html", "pdf"):
        out = tmp_path / f"police.{fmt}"
        assert (
            main(["brief", "--audience", "police", "--years", "2014-2019", "--out", str(out), *db])
            == 0
        )
        assert out.stat().st_size > 1000
    assert "wrote" in capsys.readouterr().err
    assert PdfReader(tmp_path / "police.pdf").pages[0].extract_text().startswith("Synthetic data")
    assert main(["brief", "--audience", "dsl", *db]) == 0
    md = capsys.readouterr().out
    assert md.startswith("**Synthetic data")
    assert "\n# What keeps coming back: a briefing for designated" in md


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--audience", "astronauts"], "unknown audience"),
        (["--audience", "police", "--board", "Atlantis LSCB"], "unknown board"),
        (["--audience", "police", "--years", "2019-2014"], "--years"),
        (["--audience", "police", "--as-of", "someday"], "as of"),
    ],
)
def test_cli_errors_say_what_to_do(
    demo_embedded: EmbeddedStore,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    assert main(["brief", *argv, "--db", str(demo_embedded.path)]) == 2
    assert message in capsys.readouterr().err


# -- the national corpus ------------------------------------------------------------------------


@pytest.mark.slow
def test_national_briefing_runs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Untimed (timing targets belong in the benchmarks): by hand, on a warm embedded store, the
    largest audience (health, ~9,000 recommendations) takes about 0.9 s of CPU."""
    from loaders import generate_corpus, load_corpus

    out = tmp_path_factory.mktemp("national") / "corpus"
    generate_corpus(out, scale="national", seed=42)
    store = EmbeddedStore(tmp_path_factory.mktemp("national-db") / "national.sqlite")
    try:
        load_corpus(store, out)
        for audience in ("health", "police", "schools_dsl"):
            b = build_briefing(store, audience, as_of=AS_OF)
            assert b.recommendations > 1000 and b.themes and b.repeats
            assert len(PdfReader(io.BytesIO(to_pdf(b))).pages) <= 2
    finally:
        store.close()
