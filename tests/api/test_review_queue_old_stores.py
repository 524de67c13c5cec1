"""A reload cleans what an older version left in the store, and keeps what people decided.

Before review-queue decisions deleted, `removeItem` and `mergeItems` only marked an item
`removed` or `merged` (with `merged_into`), so a store written then still lists it; and an
item an older reader read that the reader no longer reads stays after a reload unless the
reload deletes it. Loading the same document again now cleans both (loaders.extract.batch
.keep_decisions). Both backends; the document is the invented one of test_review_queue.
"""

from __future__ import annotations

from pathlib import Path

import queries
from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, NodeWrite, RelWrite, Row
from tests.api.conftest import Api
from tests.api.test_review_queue import (
    R1,
    R2,
    R3,
    REVIEW,
    TALLIES_LOADED,
    TALLIES_REMOVED,
    _listed,
    _load,
    _rec_tallies,
    queue_api,  # noqa: F401  (the fixture)
)

ADMIN = queries.Viewer(role="admin", restricted=True)
R4, R5, R6 = (f"{REVIEW}-r{n}" for n in (4, 5, 6))
STAMP = {"decided_by": "inspector-old", "decided_at": "2026-01-05T10:00:00Z"}


def _answers(store: GraphStore, item: str) -> list[str]:
    found = queries.run(
        store, "entities.neighbours", {"edge": "recommendation.actions", "ids": [item]}, ADMIN
    )
    return sorted(str(n["node"]["id"]) for n in found.get(item, []))


def _action(key: str, item: str) -> tuple[NodeWrite, RelWrite]:
    row: Row = {
        "id": key,
        "recommendation_id": item,
        "description": "Audit the records of domestic abuse calls.",
        "status": "in_progress",
    }
    return (
        NodeWrite(Label.ACTION, [row]),
        RelWrite(RelType.RESPONDS_TO, [{"start": key, "end": item, "props": {}}]),
    )


def _item(key: str, number: str, text: str, **more: object) -> Row:
    return {
        "id": key,
        "review_id": REVIEW,
        "number": number,
        "text": text,
        "status": "open_awaiting_response",
        **more,
    }


def _older_decisions(store: GraphStore) -> None:
    """What the first review-queue version left: R2 removed and R3 merged into R1, both
    still in the store (R1 took R3's themes and addressees), and an action answering R3."""
    node, rel = _action("act-3", R3)
    store.write(
        Batch(
            nodes=[
                NodeWrite(
                    Label.RECOMMENDATION,
                    [
                        {"id": R1, "review_state": "merged", "merged_from": [R3], **STAMP},
                        {"id": R2, "review_state": "removed", **STAMP},
                        {"id": R3, "review_state": "merged", "merged_into": R1, **STAMP},
                    ],
                ),
                node,
            ],
            rels=[
                RelWrite(
                    RelType.TAGGED,
                    [
                        {"start": R1, "end": t, "props": {"evidence": f"merged from {R3}"}}
                        for t in ("audit_impact_embedding", "voice_of_child")
                    ],
                ),
                RelWrite(
                    RelType.ADDRESSED_TO,
                    [
                        {"start": R1, "end": a, "props": {}}
                        for a in ("health-visiting-service", "safeguarding-board-or-partnership")
                    ],
                ),
                rel,
            ],
        )
    )


def test_a_reload_deletes_items_an_older_version_only_marked_removed_or_merged(
    queue_api: Api,  # noqa: F811
    tmp_path: Path,
) -> None:
    api, store = queue_api, queue_api.store
    _older_decisions(store)
    # The older store lists them still: three items, and the merged-away one's words.
    assert _listed(api) == (3, [R1, R2, R3], 1, 1)
    kept = store.get_nodes(Label.RECOMMENDATION, [R1])[R1]
    _load(store, tmp_path / "doc")
    # As removeItem and mergeItems now leave it: gone from lists, search and tallies.
    assert _listed(api) == (1, [R1], 0, 0)
    assert _rec_tallies(store) == TALLIES_REMOVED
    assert store.get_nodes(Label.RECOMMENDATION, [R2, R3]) == {}
    assert store.get_nodes(Label.REVIEW, [REVIEW])[REVIEW]["removed_items"] == [R2, R3]
    # The person's decision on the kept item stands; the action moved to it.
    assert store.get_nodes(Label.RECOMMENDATION, [R1])[R1] == kept
    assert _answers(store, R1) == ["act-3"]
    assert store.get_nodes(Label.ACTION, ["act-3"])["act-3"]["recommendation_id"] == R1
    # Once clean, the same document again changes nothing.
    _load(store, tmp_path / "doc")
    assert _listed(api) == (1, [R1], 0, 0)
    assert _rec_tallies(store) == TALLIES_REMOVED
    assert store.counts().nodes["Recommendation"] == 1


def test_an_old_removal_that_actions_answer_is_left_as_it_was(
    queue_api: Api,  # noqa: F811
    tmp_path: Path,
) -> None:
    store = queue_api.store
    node, rel = _action("act-2", R2)
    store.write(
        Batch(
            nodes=[NodeWrite(Label.RECOMMENDATION, [{"id": R2, "review_state": "removed"}]), node],
            rels=[rel],
        )
    )
    _load(store, tmp_path / "doc")
    # Deleting it would orphan the action (removeItem now refuses such an item).
    assert store.get_nodes(Label.RECOMMENDATION, [R2])[R2]["review_state"] == "removed"
    assert _answers(store, R2) == ["act-2"]
    assert not store.get_nodes(Label.REVIEW, [REVIEW])[REVIEW].get("removed_items")


def test_a_reload_deletes_what_the_reader_no_longer_reads_unless_a_person_touched_it(
    queue_api: Api,  # noqa: F811
    tmp_path: Path,
) -> None:
    api, store = queue_api, queue_api.store
    # As an older reader might have left them: R4 read then and not now, with a theme;
    # R5 also, with a response a person recorded; R6 also, with an action answering it.
    node, rel = _action("act-6", R6)
    store.write(
        Batch(
            nodes=[
                NodeWrite(
                    Label.RECOMMENDATION,
                    [
                        _item(R4, "4", "Neglect training for all staff.", review_state="queued"),
                        _item(
                            R5,
                            "5",
                            "Health visitors should see every child at home.",
                            recorded_by="analyst-a",
                            response_summary="Accepted.",
                        ),
                        _item(R6, "6", "The board must publish its action plan."),
                    ],
                ),
                node,
            ],
            rels=[
                RelWrite(
                    RelType.MAKES, [{"start": REVIEW, "end": r, "props": {}} for r in (R4, R5, R6)]
                ),
                RelWrite(RelType.TAGGED, [{"start": R4, "end": "neglect", "props": {}}]),
                rel,
            ],
        )
    )
    assert _listed(api)[:2] == (6, [R1, R2, R3, R4, R5, R6])
    _load(store, tmp_path / "doc")
    assert _listed(api)[:2] == (5, [R1, R2, R3, R5, R6])
    assert store.get_nodes(Label.RECOMMENDATION, [R4]) == {}
    assert _rec_tallies(store) == TALLIES_LOADED  # R4's theme went with it
    # The reader dropped it, not a person: the review does not record it as decided away.
    assert not store.get_nodes(Label.REVIEW, [REVIEW])[REVIEW].get("removed_items")
    assert store.get_nodes(Label.RECOMMENDATION, [R5])[R5]["response_summary"] == "Accepted."
    assert _answers(store, R6) == ["act-6"]


def _stale(store: GraphStore, review: str, key: str) -> None:
    """An item an older reader read for `review` and the reader no longer reads."""
    row = _item(key, "9", "An older reader's item.", review_state="queued")
    row["review_id"] = review
    store.write(
        Batch(
            nodes=[NodeWrite(Label.RECOMMENDATION, [row])],
            rels=[RelWrite(RelType.MAKES, [{"start": review, "end": key, "props": {}}])],
        )
    )


def test_a_pfd_table_reload_cleans_what_the_reader_no_longer_reads(
    store: GraphStore, tmp_path: Path
) -> None:
    """`load --format pfd` writes in pieces: the deletions go first, then the rows."""
    from loaders.pfd_table import load_pfd_table
    from tests.unit.test_pfd_table import write_table

    table = write_table(tmp_path)
    load_pfd_table(store, table)
    items = store.counts().nodes["Recommendation"]
    review = store.get_nodes(Label.RECOMMENDATION, ["pfd-2031-0001-c1"])["pfd-2031-0001-c1"]
    _stale(store, str(review["review_id"]), "pfd-2031-0001-c9")
    assert store.counts().nodes["Recommendation"] == items + 1
    load_pfd_table(store, table)
    assert store.get_nodes(Label.RECOMMENDATION, ["pfd-2031-0001-c9"]) == {}
    assert store.counts().nodes["Recommendation"] == items


def test_a_folder_reload_cleans_what_the_reader_no_longer_reads(
    queue_api: Api,  # noqa: F811
    tmp_path: Path,
) -> None:
    """`load DIR` writes a document that is new to its ledger (here: published this time)
    with the deletions in its one transaction."""
    from loaders.bulk import ReadOptions, load_folder

    store = queue_api.store
    _stale(store, REVIEW, R4)
    options = ReadOptions(status="published", board="Quillby LSCB", year=2016)
    report = load_folder(store, tmp_path / "doc", options=options, jobs=1)
    assert [r.outcome for r in report.documents] == ["written"]
    assert store.get_nodes(Label.RECOMMENDATION, [R4]) == {}
    assert _listed(queue_api)[:2] == (3, [R1, R2, R3])
