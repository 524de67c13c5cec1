"""The README's GraphQL examples run as written on the demo corpus (embedded backend)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from scrgraph.store import EmbeddedStore
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
    for field in ("themeRecurrence", "themeNetwork", "traceRecommendation", "recordAudit"):
        assert field in text


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_readme_example_runs(readme_api: Api, example: str) -> None:
    role = "inspector" if example.lstrip().startswith("mutation") else None
    body = readme_api.gql(example, role=role)
    data = body["data"]
    assert data and all(v is not None for v in data.values()), data


def test_corpus_says_synthetic(readme_api: Api) -> None:
    data = readme_api.gql("{ corpus { loaded synthetic taxonomyVersion loadedAt loadRuns } }")
    corpus = data["data"]["corpus"]
    assert corpus["loaded"] and corpus["synthetic"] and corpus["taxonomyVersion"] == 1
