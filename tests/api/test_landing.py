"""`/` answers with a described page whose every link works, instead of a 404."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_store import EmbeddedStore, GraphStore
from tests.api.conftest import Api, make_api, small_graph


@pytest.fixture
def embedded_api(tmp_path: Path) -> Api:
    store: GraphStore = EmbeddedStore(tmp_path / "s.sqlite")
    store.write(small_graph())
    return next(make_api(store, tmp_path))


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'<a href="([^"]+)"', html)]


def test_landing_page_links_every_part_and_each_link_answers(embedded_api: Api) -> None:
    res = embedded_api.client.get("/")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in res.headers["content-security-policy"]
    assert "<title>scrgraph</title>" in res.text and "case reviews" in res.text
    links = _links(res.text)
    assert [link.split("?")[0] for link in links] == [
        "/dashboard/",
        "/graphql",
        "/briefing",
        "/readyz",
        "/healthz",
        "/metrics",
    ]
    for link in links:
        got = embedded_api.client.get(link, headers={"Accept": "text/html"})
        assert got.status_code == 200, (link, got.status_code, got.text[:200])
    assert "explorer" in res.text
    assert "http://" not in res.text and "https://" not in res.text  # nothing from elsewhere


def test_landing_page_in_production_does_not_offer_the_explorer(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.sqlite")
    api = next(make_api(store, tmp_path, SCRGRAPH_PRODUCTION="true"))
    res = api.client.get("/")
    assert res.status_code == 200
    assert "the explorer is off in production" in res.text
    assert "GraphQL API and explorer" not in res.text
