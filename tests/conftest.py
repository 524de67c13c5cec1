"""Shared fixtures: stores on both backends, and the deterministic demo corpus.

The Neo4j half runs against a real server named by NEO4J_TEST_URI (see scripts/test).
Locally it skips, saying why; under CI=true a missing Neo4j fails the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_store import EmbeddedStore, GraphStore, Neo4jStore
from scrgraph.settings import is_ci, test_neo4j_settings

_neo4j: dict[str, Any] = {"store": None, "error": None, "contents": "unknown"}


def _neo4j_store() -> Neo4jStore:
    """The session's one Neo4j store (one driver per process)."""
    if _neo4j["store"] is not None:
        return _neo4j["store"]  # type: ignore[no-any-return]
    why = _neo4j["error"]
    if why is None:
        cfg = test_neo4j_settings()
        if cfg is None:
            why = "NEO4J_TEST_URI is not set (run scripts/test, which starts a local Neo4j)"
        else:
            from neo4j import GraphDatabase

            driver = GraphDatabase.driver(cfg.uri, auth=(cfg.user, cfg.password))
            try:
                driver.verify_connectivity()
            except Exception as e:  # any failure to reach it is a reason to skip or fail
                driver.close()
                why = f"Neo4j at {cfg.uri} is not reachable: {e}"
            else:
                store = Neo4jStore(driver, cfg.database, own_driver=True)
                store.apply_schema()
                _neo4j["store"] = store
                return store
        _neo4j["error"] = why
    if is_ci():
        pytest.fail(f"CI=true needs a real Neo4j: {why}", pytrace=False)
    pytest.skip(f"no Neo4j: {why}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _neo4j["store"] is not None:
        _neo4j["store"].close()


def mark_neo4j_dirty() -> None:
    """Tests that write to Neo4j call this so the demo fixture reloads it."""
    _neo4j["contents"] = "dirty"


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the backend under test."""
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store on each backend (Neo4j is wiped for the test)."""
    if backend == "embedded":
        s = EmbeddedStore(tmp_path / "store.sqlite")
        yield s
        s.close()
    else:
        n = _neo4j_store()
        n.clear()
        mark_neo4j_dirty()
        yield n
        n.clear()


@pytest.fixture(scope="session")
def demo_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus, generated once per session with the fixed seed."""
    from loaders import generate_corpus

    out = tmp_path_factory.mktemp("demo") / "corpus"
    generate_corpus(out, scale="demo", seed=42)
    return out


@pytest.fixture(scope="session")
def demo_embedded(demo_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """The demo corpus loaded once into an embedded store. Read-only for tests."""
    from loaders import load_corpus

    s = EmbeddedStore(tmp_path_factory.mktemp("demo-db") / "demo.sqlite")
    load_corpus(s, demo_corpus)
    return s


@pytest.fixture
def demo_store(backend: str, demo_corpus: Path, demo_embedded: EmbeddedStore) -> GraphStore:
    """The demo corpus on each backend. Read-only: tests that write use `store`."""
    if backend == "embedded":
        return demo_embedded
    n = _neo4j_store()
    # the flag alone is not enough: a test module that imports this file as `tests.conftest`
    # gets a second copy of it, so its mark_neo4j_dirty() sets another flag. The node count,
    # taken when the demo was loaded, catches a store cleared or reloaded behind our back.
    if _neo4j["contents"] != "demo" or _node_count(n) != _neo4j.get("demo_nodes"):
        from loaders import load_corpus

        n.clear()
        load_corpus(n, demo_corpus)
        _neo4j["contents"] = "demo"
        _neo4j["demo_nodes"] = _node_count(n)
    return n


def _node_count(store: Neo4jStore) -> int:
    return int(store.read("MATCH (n) RETURN count(n) AS c")[0]["c"])


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many tests ran on each backend, so CI output shows the Neo4j half ran."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for rep in terminalreporter.stats.get(outcome, []):
            if getattr(rep, "when", "call") not in ("call", "setup"):
                continue
            if outcome == "passed" and rep.when != "call":
                continue
            nodeid: str = rep.nodeid
            for backend in ("embedded", "neo4j"):
                if f"[{backend}" in nodeid or f"-{backend}]" in nodeid or f"-{backend}-" in nodeid:
                    area = nodeid.split("/")[1] if nodeid.startswith("tests/") else "other"
                    key = f"{area}/{backend}"
                    counts.setdefault(key, {}).setdefault(outcome, 0)
                    counts[key][outcome] += 1
    if not counts:
        return
    terminalreporter.write_sep("-", "tests per backend")
    for key in sorted(counts):
        parts = ", ".join(f"{n} {o}" for o, n in sorted(counts[key].items()))
        terminalreporter.write_line(f"{key:<24} {parts}")


@pytest.fixture(scope="session")
def document_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """200 synthetic review documents (PDF, text, Markdown; bad ones among them) and what
    each is: `evaluation/extraction/bulkdocs.py`'s `Folder` (good: items per file; bad: why)."""
    from tests.scripts import load_script

    mod = load_script("evaluation/extraction/bulkdocs.py")
    out = tmp_path_factory.mktemp("documents")
    return out, mod.write_folder(out, 200)
