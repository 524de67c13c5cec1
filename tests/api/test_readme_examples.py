"""The README's GraphQL examples run as written on the demo corpus (embedded backend)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_store import EmbeddedStore
from tests.api.conftest import Api, make_api

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.fixture
def readme_api(demo_embedded: EmbeddedStore, tmp_path: Path) -> Iterator[Api]:
    # A private copy: the mutation example must not change the shared demo store.
    copy = tmp_path / "demo-copy.sqlite"
    src = sqlite3.connect(str(demo_embedded.path))
    dst = sqlite3.connect(str(copy))
    src.backup(dst)
    src.close()
    dst.close()
    store = EmbeddedStore(copy)
    yield from make_api(store, tmp_path)
    store.close()


def test_readme_has_examples_for_each_user() -> None:
    text = "\n".join(EXAMPLES)
    for field in (
        "themeRecurrence",
        "themeNetwork",
        "traceRecommendation",
        "recordAudit",
        "verdict: slipped_back}, sort: NEWEST",
        "recommendationCounts(groupBy: [YEAR, VERDICT]",
    ):
        assert field in text


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_readme_example_runs(readme_api: Api, example: str) -> None:
    role = "inspector" if example.lstrip().startswith("mutation") else None
    if "reviewQueue" in example:
        role = "restricted"  # the review queue is for analysts and inspectors only
    body = readme_api.gql(example, role=role)
    data = body["data"]
    assert data and all(v is not None for v in data.values()), data


def test_corpus_says_synthetic(readme_api: Api) -> None:
    data = readme_api.gql("{ corpus { loaded synthetic taxonomyVersion loadedAt loadRuns } }")
    corpus = data["data"]["corpus"]
    assert corpus["loaded"] and corpus["synthetic"] and corpus["taxonomyVersion"] == 1


_TRACE = """query($id: String!) { traceRecommendation(id: $id) {
  verdict actions { action { key } audits { date rating } } } }"""


def _trace(api: Api, rec: str) -> dict[str, Any]:
    """The verdict, and each action's key (as `id`) with its audits, of one recommendation."""
    body = api.gql(_TRACE, {"id": rec})
    assert "errors" not in body, body
    data = body["data"]["traceRecommendation"]
    assert isinstance(data, dict)
    actions = [{"id": a["action"]["key"], "audits": a["audits"]} for a in data["actions"]]
    return {"verdict": data["verdict"], "actions": actions}


def test_the_readme_inspector_example_slipped_back(readme_api: Api) -> None:
    [example] = [e for e in EXAMPLES if "traceRecommendation" in e]
    [rec] = re.findall(r'traceRecommendation\(id: "([^"]+)"\)', example)
    trace = _trace(readme_api, rec)
    assert trace["verdict"] == "slipped_back"
    audits = [a for act in trace["actions"] for a in act["audits"]]
    ratings = [a["rating"] for a in sorted(audits, key=lambda a: a["date"])]
    assert ratings[0] == "embedded" and ratings[-1] != "embedded"
    # The mutation example records an audit on one of this recommendation's actions.
    [mutation] = [e for e in EXAMPLES if "recordAudit" in e]
    [action] = re.findall(r'action: "([^"]+)"', mutation)
    assert action in {act["id"] for act in trace["actions"]}


def test_the_readme_names_a_recommendation_for_each_verdict(readme_api: Api) -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("In the demo corpus `rv-")
    sentence = " ".join(text[start : text.index("(a test keeps these true)", start)].split())
    named = dict(
        re.findall(
            r"`(rv-\d{6}-r\d+)` (?:is )?(slipped back|embedded|partially embedded|"
            r"not embedded|not audited)",
            sentence,
        )
    )
    assert sorted(named.values()) == sorted(
        ["slipped back", "embedded", "partially embedded", "not embedded", "not audited"]
    ), sentence
    for rec, verdict in named.items():
        assert _trace(readme_api, rec)["verdict"] == verdict.replace(" ", "_"), rec
