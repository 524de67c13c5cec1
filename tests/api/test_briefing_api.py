"""The briefing through the API: the GraphQL field and the printable /briefing page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_schema import IMPACT_VERDICTS
from graph_store import GraphStore
from queries import ADMIN, PUBLIC, Viewer
from queries.briefing import Briefing, Cite
from queries.briefing_render import briefing_document
from tests.api.conftest import Api, make_api

pytestmark = pytest.mark.slow

CITE = (
    "{ reviewKey review { key } boardName year recommendationKey recommendation { key } "
    "recommendationNumber location sourceFile sourceLine }"
)
QUERY = (
    """query B($a: String!) { briefing(audience: $a, yearFrom: 2007, yearTo: 2024) {
  audience markdown html audienceKey audienceLabel sectorKey sector { key } sectorLabel
  agencies roleMatched boards { key name board { key } } yearFrom yearTo firstYearSeen
  lastYearSeen asOf publishedOnly viewerRole recommendations openRecommendations reviews
  reviewBoards actions openActions overdueActions audited notes synthetic
  verdicts { verdict actions } glossary { term meaning }
  themes { key theme { key } label recommendations reviews boards firstYear lastYear trend
    trendWord questions citations CITE }
  repeats { key text size boards years firstYear lastYear meanScore examples CITE }
  overdue { key action { key } description ownerName dueDate daysOverdue citation CITE }
  embedding { key theme { key } label embedded slippedBack
    boards { boardKey board { key } boardName actions citation CITE } }
  sources { reviewKey review { key } title boardKey board { key } boardName year document
    sourceFile sourceLine } } }"""
).replace("CITE", CITE)


@pytest.fixture
def demo_api(demo_store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(demo_store, tmp_path)


def _hidden_ids(store: GraphStore) -> list[str]:
    from queries import ADMIN, run

    titles: list[str] = []
    for status in ("restricted", "withdrawn"):
        page = run(
            store,
            "entities.list",
            {"label": "Review", "filter": {"status": status}, "limit": 100},
            ADMIN,
        )
        titles += [r["id"] for r in page["items"]]
    return titles


def _cite(c: Cite) -> dict[str, Any]:
    rec = c.recommendation_id
    return {
        "reviewKey": c.review_id,
        "review": {"key": c.review_id},
        "boardName": c.board_name,
        "year": c.year,
        "recommendationKey": rec,
        "recommendation": None if rec is None else {"key": rec},
        "recommendationNumber": c.recommendation_number,
        "location": c.location,
        "sourceFile": c.source_file,
        "sourceLine": c.source_line,
    }


def _expected(b: Briefing, markdown: str, html: str) -> dict[str, Any]:
    """The typed answer the briefing's data calls for, field by field."""
    return {
        "audience": b.audience_key,
        "markdown": markdown,
        "html": html,
        "audienceKey": b.audience_key,
        "audienceLabel": b.audience_label,
        "sectorKey": b.sector,
        "sector": {"key": b.sector},
        "sectorLabel": b.sector_label,
        "agencies": b.agencies,
        "roleMatched": b.role_matched,
        "boards": [{"key": k, "name": n, "board": {"key": k}} for k, n in b.boards],
        "yearFrom": b.year_from,
        "yearTo": b.year_to,
        "firstYearSeen": b.years_seen[0],
        "lastYearSeen": b.years_seen[1],
        "asOf": b.as_of,
        "publishedOnly": b.public,
        "viewerRole": b.viewer_role,
        "recommendations": b.recommendations,
        "openRecommendations": b.open_recommendations,
        "reviews": b.reviews,
        "reviewBoards": b.review_boards,
        "actions": b.actions,
        "openActions": b.open_actions,
        "overdueActions": b.overdue_actions,
        "audited": b.audited,
        "notes": list(b.notes),
        "synthetic": b.synthetic,
        "verdicts": [{"verdict": v, "actions": n} for v, n in b.verdicts.items()],
        "glossary": [{"term": t, "meaning": m} for t, m in b.glossary],
        "themes": [
            {
                "key": t.key,
                "theme": {"key": t.key},
                "label": t.label,
                "recommendations": t.recommendations,
                "reviews": t.reviews,
                "boards": t.boards,
                "firstYear": t.first_year,
                "lastYear": t.last_year,
                "trend": t.trend,
                "trendWord": t.trend_word,
                "questions": list(t.questions),
                "citations": [_cite(c) for c in t.cites],
            }
            for t in b.themes
        ],
        "repeats": [
            {
                "key": r.id,
                "text": r.text,
                "size": r.size,
                "boards": r.boards,
                "years": r.years,
                "firstYear": r.first_year,
                "lastYear": r.last_year,
                "meanScore": r.mean_score,
                "examples": [_cite(c) for c in r.examples],
            }
            for r in b.repeats
        ],
        "overdue": [
            {
                "key": a.id,
                "action": {"key": a.id},
                "description": a.description,
                "ownerName": a.owner_name,
                "dueDate": a.due_date,
                "daysOverdue": a.days_overdue,
                "citation": _cite(a.cite),
            }
            for a in b.overdue
        ],
        "embedding": [
            {
                "key": e.key,
                "theme": {"key": e.key},
                "label": e.label,
                "embedded": e.embedded,
                "slippedBack": e.slipped_back,
                "boards": [
                    {
                        "boardKey": eb.board_id,
                        "board": {"key": eb.board_id},
                        "boardName": eb.board_name,
                        "actions": eb.actions,
                        "citation": _cite(eb.cite),
                    }
                    for eb in e.boards
                ],
            }
            for e in b.embedding
        ],
        "sources": [
            {
                "reviewKey": s.review_id,
                "review": {"key": s.review_id},
                "title": s.title,
                "boardKey": s.board_id,
                "board": None if s.board_id is None else {"key": s.board_id},
                "boardName": s.board_name,
                "year": s.year,
                "document": s.document,
                "sourceFile": s.source_file,
                "sourceLine": s.source_line,
            }
            for s in b.sources
        ],
    }


@pytest.mark.parametrize(("role", "viewer"), [(None, PUBLIC), ("admin", ADMIN)])
def test_typed_briefing_equals_the_query(demo_api: Api, role: str | None, viewer: Viewer) -> None:
    got = demo_api.gql(QUERY, {"a": "police"}, role=role)["data"]["briefing"]
    doc = briefing_document(demo_api.store, "police", year_from=2007, year_to=2024, viewer=viewer)
    assert got == _expected(doc.briefing, doc.markdown, doc.html)
    assert got["publishedOnly"] is (role is None) and got["viewerRole"] == (role or "public")
    assert [v["verdict"] for v in got["verdicts"]] == list(IMPACT_VERDICTS)
    assert sum(v["actions"] for v in got["verdicts"]) == got["actions"]
    assert got["themes"] and got["sources"], "the demo police briefing cites reviews"


def test_briefing_field_and_page_agree_and_hide_restricted(demo_api: Api) -> None:
    body = demo_api.gql(QUERY, {"a": "police"})
    b = body["data"]["briefing"]
    assert b["audience"] == "police"
    assert "police" in b["markdown"].lower()
    assert "<html" in b["html"].lower() and "http://" not in b["html"]
    hidden = _hidden_ids(demo_api.store)  # titles repeat ("Child H"); ids do not
    assert hidden, "the demo corpus should have restricted reviews"
    admin = demo_api.gql(QUERY, {"a": "police"}, role="admin")["data"]["briefing"]
    for rid in hidden:
        assert f"`{rid}`" not in b["markdown"] and f'id="{rid}"' not in b["html"]
        assert rid not in str(b)
    assert admin["markdown"] != b["markdown"]
    assert admin["recommendations"] > b["recommendations"]
    # Raw provenance only for the roles that get it.
    assert {s["sourceFile"] for s in b["sources"]} == {None}
    assert None not in {s["sourceFile"] for s in admin["sources"]}
    page = demo_api.client.get("/briefing?audience=police&from=2007&to=2024")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.text == b["html"]
    md = demo_api.client.get("/briefing?audience=police&from=2007&to=2024&format=md")
    assert md.text == b["markdown"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/briefing?audience=nobody", 400),
        ("/briefing?audience=police&from=twenty", 400),
        ("/briefing?audience=police&format=doc", 400),
    ],
)
def test_briefing_page_refuses_bad_input(demo_api: Api, url: str, status: int) -> None:
    res = demo_api.client.get(url)
    assert res.status_code == status
    assert "Traceback" not in res.text


def test_briefing_page_rejects_a_wrong_key(demo_api: Api) -> None:
    res = demo_api.client.get("/briefing?audience=police", headers={"Authorization": "Bearer nope"})
    assert res.status_code == 401


def test_briefing_field_bad_audience_is_a_clear_error(demo_api: Api) -> None:
    body = demo_api.gql('{ briefing(audience: "nobody") { audience } }', expect_errors=True)
    [err] = body["errors"]
    assert err["message"].startswith("no audience 'nobody' (argument `audience`); expected one of ")
    assert "schools_dsl" in err["message"]
    assert err["extensions"] == {"code": "NOT_FOUND", "suggestions": []}
