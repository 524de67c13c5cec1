"""The GraphStore contract: the same expectations on the embedded store and on Neo4j."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from graph_schema import SCHEMA_VERSION, Label, RelType
from graph_store import Batch, EmbeddedStore, GraphStore, NodeWrite, RelWrite
from scrgraph.errors import ConstraintViolation, MissingEndpoint, SchemaViolation, WriteTimedOut


def _batch() -> Batch:
    return Batch(
        nodes=[
            NodeWrite(
                Label.BOARD,
                [
                    {"id": "b-fernmoor", "name": "Fernmoor LSCB (synthetic)", "kind": "lscb"},
                    {
                        "id": "b-ashby",
                        "name": "Ashby Partnership (synthetic)",
                        "kind": "partnership",
                    },
                ],
            ),
            NodeWrite(
                Label.REVIEW,
                [
                    {
                        "id": "rv-1",
                        "title": "Child W: a synthetic review",
                        "board_id": "b-fernmoor",
                        "year": 2012,
                        "review_type": "scr",
                        "status": "published",
                        "summary": "Information sharing between the GP and the health visitor failed.",
                    }
                ],
            ),
            NodeWrite(
                Label.RECOMMENDATION,
                [
                    {
                        "id": "rv-1-r1",
                        "review_id": "rv-1",
                        "number": "1",
                        "text": "The board should audit information sharing.",
                        "status": "open_awaiting_response",
                        "year": 2012,
                    }
                ],
            ),
        ],
        rels=[
            RelWrite(RelType.COMMISSIONED, [{"start": "b-fernmoor", "end": "rv-1"}]),
            RelWrite(RelType.MAKES, [{"start": "rv-1", "end": "rv-1-r1"}]),
            RelWrite(
                RelType.SUCCEEDED_BY,
                [{"start": "b-fernmoor", "end": "b-ashby", "props": {"year": 2019}}],
            ),
        ],
    )


def test_schema_applied_and_versioned(store: GraphStore) -> None:
    store.apply_schema()
    store.apply_schema()  # rerunning is harmless
    assert store.schema_version() == SCHEMA_VERSION
    assert store.counts().nodes["SchemaInfo"] == 1


def test_batch_written_reads_back(store: GraphStore) -> None:
    store.write(_batch())
    counts = store.counts()
    assert counts.nodes["Board"] == 2
    assert counts.nodes["Review"] == 1
    assert counts.nodes["Recommendation"] == 1
    assert counts.relationships["COMMISSIONED"] == 1
    assert counts.relationships["SUCCEEDED_BY"] == 1
    got = store.get_nodes(Label.REVIEW, ["rv-1", "missing"])
    assert set(got) == {"rv-1"}
    assert got["rv-1"]["year"] == 2012
    assert got["rv-1"]["title"] == "Child W: a synthetic review"


def test_same_batch_twice_changes_nothing(store: GraphStore) -> None:
    store.write(_batch())
    before = store.counts()
    props_before = store.get_nodes(Label.BOARD, ["b-fernmoor", "b-ashby"])
    store.write(_batch())
    assert store.counts() == before
    assert store.get_nodes(Label.BOARD, ["b-fernmoor", "b-ashby"]) == props_before


def test_an_embedded_reload_rewrites_only_what_changed(tmp_path: Path) -> None:
    """A reload of the same files rewrites no stored row, relationship or text-index entry
    (issue 14: the national reload spent its time rewriting rows stored just so); a changed
    row is rewritten, and search finds its new text."""
    store = EmbeddedStore(tmp_path / "s.sqlite")
    store.write(_batch())
    conn = store._conn
    conn.execute("CREATE TEMP TABLE touched(what TEXT)")
    for table in ("nodes", "rels", "fts_map"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            conn.execute(
                f"CREATE TEMP TRIGGER t_{table}_{event} AFTER {event} ON main.{table} "
                f"BEGIN INSERT INTO touched VALUES ('{table} {event}'); END"
            )

    def touched() -> list[str]:
        rows = [r[0] for r in conn.execute("SELECT what FROM touched ORDER BY what")]
        conn.execute("DELETE FROM touched")
        return rows

    store.write(_batch())
    assert touched() == []
    changed = _batch()
    changed.nodes[1].rows[0]["title"] = "Child W: a retitled synthetic review"
    next(r for r in changed.rels if r.type is RelType.SUCCEEDED_BY).rows[0]["props"] = {
        "year": 2020
    }
    store.write(changed)
    assert touched() == ["nodes UPDATE", "rels UPDATE"]
    assert store.get_nodes(Label.REVIEW, ["rv-1"])["rv-1"]["title"].endswith(
        "retitled synthetic review"
    )
    hits = conn.execute("SELECT id FROM fts WHERE fts MATCH 'retitled'").fetchall()
    assert hits == [("rv-1",)]
    store.close()


def test_changed_row_updates_and_none_removes(store: GraphStore) -> None:
    store.write(_batch())
    store.write_nodes(Label.REVIEW, [{"id": "rv-1", "year": 2013, "summary": None}])
    got = store.get_nodes(Label.REVIEW, ["rv-1"])["rv-1"]
    assert got["year"] == 2013
    assert "summary" not in got
    assert got["title"] == "Child W: a synthetic review"


def test_constraint_violation_is_clear_and_leaves_nothing(store: GraphStore) -> None:
    store.write(_batch())
    before = store.counts()
    bad = Batch(
        nodes=[
            NodeWrite(Label.AGENCY, [{"id": "ag-gp", "name": "GP practice", "sector": "health"}]),
            # Same name as b-fernmoor under a new key: breaks the unique name constraint.
            NodeWrite(
                Label.BOARD,
                [{"id": "b-other", "name": "Fernmoor LSCB (synthetic)", "kind": "lscb"}],
            ),
        ]
    )
    with pytest.raises(ConstraintViolation, match="nothing was written"):
        store.write(bad)
    assert store.counts() == before
    assert store.get_nodes(Label.AGENCY, ["ag-gp"]) == {}


def _fresh(batch: Batch) -> Batch:
    batch.fresh = True
    return batch


def test_fresh_batch_into_an_empty_store_writes_what_a_merge_would(store: GraphStore) -> None:
    # The bulk path (Neo4j: CREATE), with one key twice in the batch: merged in order.
    batch = _fresh(_batch())
    batch.nodes.append(
        NodeWrite(
            Label.BOARD, [{"id": "b-ashby", "kind": "lscb", "name": "Ashby LSCB (synthetic)"}]
        )
    )
    store.write(batch)
    counts = store.counts()
    assert counts.nodes["Board"] == 2
    assert counts.nodes["Review"] == 1
    assert counts.relationships["COMMISSIONED"] == 1
    assert counts.relationships["SUCCEEDED_BY"] == 1
    got = store.get_nodes(Label.BOARD, ["b-ashby"])["b-ashby"]
    assert (got["kind"], got["name"]) == ("lscb", "Ashby LSCB (synthetic)")


def test_fresh_batch_meeting_existing_nodes_merges_them(store: GraphStore) -> None:
    # A concurrent load got there first: the bulk attempt fails whole and the batch merges.
    store.write(_batch())
    before = store.counts()
    again = _fresh(_batch())
    again.nodes.append(NodeWrite(Label.REVIEW, [{"id": "rv-1", "year": 2013, "summary": None}]))
    store.write(again)
    assert store.counts() == before
    got = store.get_nodes(Label.REVIEW, ["rv-1"])["rv-1"]
    assert got["year"] == 2013
    assert "summary" not in got
    assert got["title"] == "Child W: a synthetic review"


def test_fresh_batch_breaking_a_constraint_still_leaves_nothing(store: GraphStore) -> None:
    store.write(_batch())
    before = store.counts()
    bad = _fresh(
        Batch(
            nodes=[
                NodeWrite(
                    Label.AGENCY, [{"id": "ag-gp", "name": "GP practice", "sector": "health"}]
                ),
                NodeWrite(
                    Label.BOARD,
                    [{"id": "b-other", "name": "Fernmoor LSCB (synthetic)", "kind": "lscb"}],
                ),
            ]
        )
    )
    with pytest.raises(ConstraintViolation, match="nothing was written"):
        store.write(bad)
    assert store.counts() == before
    assert store.get_nodes(Label.AGENCY, ["ag-gp"]) == {}


def test_missing_endpoint_rolls_back_whole_batch(store: GraphStore) -> None:
    store.write(_batch())
    before = store.counts()
    bad = Batch(
        nodes=[
            NodeWrite(Label.AGENCY, [{"id": "ag-police", "name": "Police", "sector": "police"}])
        ],
        rels=[RelWrite(RelType.ADDRESSED_TO, [{"start": "rv-1-r1", "end": "ag-nowhere"}])],
    )
    with pytest.raises(MissingEndpoint, match="nothing was written"):
        store.write(bad)
    assert store.counts() == before


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        (Batch(nodes=[NodeWrite(Label.BOARD, [{"name": "no key"}])]), "key 'id'"),
        (
            Batch(nodes=[NodeWrite(Label.BOARD, [{"id": "b", "colour": "red"}])]),
            "unknown properties",
        ),
        (
            Batch(nodes=[NodeWrite(Label.BOARD, [{"id": "b", "name": {"nested": 1}}])]),
            "expected a string",
        ),
    ],
)
def test_outside_the_schema_is_refused(store: GraphStore, batch: Batch, message: str) -> None:
    before = store.counts()
    with pytest.raises(SchemaViolation, match=message):
        store.write(batch)
    assert store.counts() == before


def test_reopening_embedded_file_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "reopen.sqlite"
    s = EmbeddedStore(path)
    s.write(_batch())
    counts = s.counts()
    props = s.get_nodes(Label.REVIEW, ["rv-1"])
    edges = sorted(s.graph.edges(keys=True))
    s.close()
    again = EmbeddedStore(path)
    assert again.counts() == counts
    assert again.get_nodes(Label.REVIEW, ["rv-1"]) == props
    assert sorted(again.graph.edges(keys=True)) == edges
    again.close()


def test_embedded_sees_another_process_commit(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    reader = EmbeddedStore(path)
    writer = EmbeddedStore(path)
    writer.write(_batch())
    assert reader.counts().nodes["Board"] == 2
    assert set(reader.get_nodes(Label.BOARD, ["b-ashby"])) == {"b-ashby"}
    reader.close()
    writer.close()


@pytest.mark.parametrize("backend", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
def test_a_write_past_the_transaction_timeout_is_clear_and_leaves_nothing(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neo4j ends a transaction that outlasts its timeout (120 s in scripts/neo4j-local): the
    loader's user is told the batch was rolled back and what to do, not shown a driver error.
    The test shortens the timeout from the client side, which Neo4j reports the same way."""
    import neo4j

    store.write(_batch())
    before = store.counts()
    execute_write = neo4j.Session.execute_write

    def hurried(self: neo4j.Session, work: Any, *args: Any, **kwargs: Any) -> Any:
        def late(tx: neo4j.ManagedTransaction, *a: Any, **k: Any) -> Any:
            # The server checks timeouts every 2 s (db.transaction.monitor.check.interval), so a
            # fast machine could finish the batch before the check: open the transaction, wait
            # past the check, then write, so that the batch always meets a timed-out transaction.
            tx.run("RETURN 1").consume()
            time.sleep(5)
            return work(tx, *a, **k)

        late.timeout = 1  # type: ignore[attr-defined]  # read by the driver, as unit_of_work sets it
        return execute_write(self, late, *args, **kwargs)

    monkeypatch.setattr(neo4j.Session, "execute_write", hurried)
    rows = [{"id": f"th-{i}", "label": f"Theme {i} (synthetic)"} for i in range(20_000)]
    with pytest.raises(WriteTimedOut, match=r"a batch of 20,000 rows ran past .* --batch-size"):
        store.write(Batch(nodes=[NodeWrite(Label.THEME, rows)]))
    monkeypatch.undo()
    assert store.counts() == before
