"""Schema before data: the CLI applies constraints and indexes before it writes, on both backends."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from gql_api import create_app
from graph_schema import SCHEMA_VERSION, neo4j_schema
from graph_store import EmbeddedStore, Neo4jStore
from scrgraph.cli import main
from scrgraph.settings import load_settings, test_neo4j_settings
from tests.conftest import _neo4j_store, mark_neo4j_dirty
from tests.unit.test_loaders_validate import write_corpus


def _drop_schema(store: Neo4jStore) -> None:
    """Leave the database as a fresh one is: no data, no constraints, no indexes."""
    store.clear()
    store.run_write("MATCH (s:SchemaInfo) DELETE s")
    for r in store.read("SHOW CONSTRAINTS YIELD name RETURN name"):
        store.run_write(f"DROP CONSTRAINT {r['name']} IF EXISTS")
    for r in store.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        store.run_write(f"DROP INDEX {r['name']} IF EXISTS")


@pytest.fixture
def fresh_neo4j(monkeypatch: pytest.MonkeyPatch) -> Neo4jStore:
    """The test Neo4j with nothing in it, and the CLI's environment pointed at it."""
    store = _neo4j_store()
    cfg = test_neo4j_settings()
    assert cfg is not None
    mark_neo4j_dirty()
    _drop_schema(store)
    for k, v in {
        "NEO4J_URI": cfg.uri,
        "NEO4J_USER": cfg.user,
        "NEO4J_PASSWORD": cfg.password,
        "NEO4J_DATABASE": cfg.database,
    }.items():
        monkeypatch.setenv(k, v)
    return store


@pytest.mark.neo4j
def test_cli_load_applies_the_schema_to_a_fresh_neo4j(
    fresh_neo4j: Neo4jStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = fresh_neo4j
    expected = {i.name for i in neo4j_schema()}
    assert len(expected) > 20
    assert not expected & {r["name"] for r in store.read("SHOW INDEXES YIELD name RETURN name")}
    assert len(store.schema_missing()) == len(expected) + 1  # and the version

    corpus = write_corpus(tmp_path / "c")
    assert main(["load", str(corpus), "--backend", "neo4j"]) == 0
    assert "applied the schema to the neo4j store" in capsys.readouterr().err

    constraints = {
        r["name"]: r
        for r in store.read(
            "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
            "RETURN name, type, labelsOrTypes, properties"
        )
    }
    indexes = {r["name"]: r["state"] for r in store.read("SHOW INDEXES YIELD name, state RETURN *")}
    want_constraints = {i.name for i in neo4j_schema() if i.kind == "constraint"}
    assert want_constraints <= set(constraints)
    assert constraints["review_id_unique"]["labelsOrTypes"] == ["Review"]
    assert constraints["review_id_unique"]["properties"] == ["id"]
    assert "UNIQUENESS" in constraints["review_id_unique"]["type"]
    # Every declared index (constraints are backed by one of the same name) is online.
    assert all(indexes.get(name) == "ONLINE" for name in expected), {
        n: indexes.get(n) for n in expected if indexes.get(n) != "ONLINE"
    }
    assert {"review_text", "recommendation_text"} <= set(indexes)  # the full-text ones
    assert store.schema_version() == SCHEMA_VERSION
    assert store.schema_missing() == []
    assert store.counts().nodes["Review"] == 1

    # Idempotent: a second load applies nothing again and changes no schema.
    assert main(["load", str(corpus), "--backend", "neo4j"]) == 0
    assert "applied the schema" not in capsys.readouterr().err
    assert {r["name"] for r in store.read("SHOW CONSTRAINTS YIELD name RETURN name")} == set(
        constraints
    )


@pytest.mark.neo4j
def test_scrgraph_schema_check_and_apply(
    fresh_neo4j: Neo4jStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--check", "--backend", "neo4j"]) == 1
    err = capsys.readouterr().err
    assert "constraint review_id_unique" in err and "index review_text" in err
    assert main(["schema", "--backend", "neo4j"]) == 0
    assert "applied the schema" in capsys.readouterr().out
    assert main(["schema", "--check", "--backend", "neo4j"]) == 0
    assert main(["schema", "--backend", "neo4j"]) == 0
    assert "nothing to do" in capsys.readouterr().out


@pytest.mark.neo4j
def test_serve_on_a_neo4j_without_the_schema_says_so(
    fresh_neo4j: Neo4jStore, capsys: pytest.CaptureFixture[str]
) -> None:
    import anyio

    settings = load_settings({"SCRGRAPH_BACKEND": "neo4j"})
    app = create_app(settings)

    async def probe() -> list[httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
                before = await c.get("/readyz")
                await anyio.to_thread.run_sync(fresh_neo4j.apply_schema)
                after = await c.get("/readyz")
        return [before, after]

    before, after = anyio.run(probe)
    err = capsys.readouterr().err
    assert "warning: the neo4j store lacks its schema" in err and "scrgraph schema" in err
    assert before.status_code == 503
    assert "lacks its schema" in before.json()["error"]
    assert after.status_code == 200 and after.json() == {
        "ready": True,
        "backend": "neo4j",
        "worker": os.getpid(),  # the process that answered: here, the test's own
    }


def test_embedded_load_and_readyz_have_the_schema(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    assert main(["load", str(write_corpus(tmp_path / "c")), "--db", str(db)]) == 0
    with EmbeddedStore(db) as s:
        assert s.schema_version() == SCHEMA_VERSION and s.schema_missing() == []
