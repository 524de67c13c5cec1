"""The corpus format is declared once: docs and JSON Schema are generated from it."""

from __future__ import annotations

import json
from pathlib import Path

from graph_schema import Label, node_spec
from loaders.models import ENTITY_FILES, FILES, format_tables, json_schema, json_schema_text

ROOT = Path(__file__).resolve().parents[2]

# Node properties the loader fills itself rather than reading from a file.
FILLED_BY_LOADER = {
    "source_file",
    "source_line",
    "load_run",
    "recorded_by",
    "recorded_at",
    "taxonomy_version",
    "declared",  # a board or agency a corpus file declared (not one only a document names)
    # the document reader's confidence, and the review queue's decisions (gql_api.review_queue)
    "confidence",
    "confidence_reasons",
    "review_state",
    "decided_by",
    "decided_at",
    "merged_into",
    "removed_items",
    "merged_from",
}
DERIVED = {Label.RECOMMENDATION: {"year", "board_id"}}


def test_committed_json_schema_is_generated() -> None:
    committed = (ROOT / "docs" / "corpus.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), (
        "docs/corpus.schema.json is stale: run "
        "python -c 'from loaders.models import json_schema_text as t; "
        'open("docs/corpus.schema.json", "w").write(t())\''
    )


def test_documented_tables_are_generated() -> None:
    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    start = doc.index("<!-- BEGIN generated tables")
    start = doc.index("\n", start) + 1
    end = doc.index("<!-- END generated tables -->")
    assert doc[start:end] == format_tables(), "docs/data-format.md tables are stale"


def test_every_node_property_has_a_column_or_is_filled_by_the_loader() -> None:
    for spec in ENTITY_FILES:
        assert spec.label is not None
        columns = {c.name for c in spec.columns}
        props = node_spec(spec.label).prop_names
        assert columns <= props, spec.name
        missing = props - columns - FILLED_BY_LOADER - DERIVED.get(spec.label, set())
        assert not missing, f"{spec.name}: no column for {sorted(missing)}"


def test_schema_lists_every_file_and_required_column() -> None:
    schema = json_schema()
    assert set(schema["$defs"]) == {f.name for f in FILES} | {"corpus.json"}
    reviews = schema["$defs"]["reviews"]
    assert {"id", "board_id", "year", "status"} <= set(reviews["required"])
    status = reviews["properties"]["status"]
    assert "restricted" in status["enum"]
    json.dumps(schema)  # serialisable
