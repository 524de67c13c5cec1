"""The briefing through the API: the GraphQL field and the printable /briefing page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scrgraph.store import GraphStore
from tests.api.conftest import Api, make_api

pytestmark = pytest.mark.slow

QUERY = """query B($a: String!) { briefing(audience: $a, yearFrom: 2007, yearTo: 2024) {
  audience markdown html data } }"""


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


def test_briefing_field_and_page_agree_and_hide_restricted(demo_api: Api) -> None:
    body = demo_api.gql(QUERY, {"a": "police"})
    b = body["data"]["briefing"]
    assert b["audience"] == "police"
    assert "police" in b["markdown"].lower()
    assert "<html" in b["html"].lower() and "http://" not in b["html"]
    assert b["data"]
    hidden = _hidden_ids(demo_api.store)  # titles repeat ("Child H"); ids do not
    assert hidden, "the demo corpus should have restricted reviews"
    admin = demo_api.gql(QUERY, {"a": "police"}, role="admin")["data"]["briefing"]
    for rid in hidden:
        assert f"`{rid}`" not in b["markdown"] and f'id="{rid}"' not in b["html"]
        assert rid not in str(b["data"])
    assert admin["markdown"] != b["markdown"]
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
