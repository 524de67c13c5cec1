"""A breaking change of the schema is deliberate: named in CHANGELOG.md against the last release."""

from __future__ import annotations

from pathlib import Path

import pytest

from gql_api.schema import schema_sdl
from gql_api.schema_changes import (
    CHANGELOG,
    changes,
    coordinate,
    main,
    released_schema,
    unnamed,
    unreleased_section,
)

OLD = """
enum Status { open closed gone }
input Filter { status: Status, year: Int }
type Item { key: String!, data: String, rank(by: Int): Int }
type Query { items(filter: Filter): [Item!]! }
"""
NEW = """
enum Status { open closed }
input Filter { status: String, year: Int, board: String! }
type Item { key: String!, rank: Int, note: String }
type Query { items(filter: Filter, first: Int): [Item!]! }
"""


def test_the_finder_names_each_breaking_change_by_its_coordinate() -> None:
    found = changes(OLD, NEW)
    breaking = sorted(c.coordinate for c in found if c.breaking)
    assert breaking == [
        "Filter.board",  # a required input field added
        "Filter.status",  # changed type
        "Item.data",  # removed
        "Item.rank",  # an argument removed
        "Status.gone",  # an enum value removed
    ]
    assert [c.coordinate for c in found if not c.breaking] == ["Query.items"]  # optional arg


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("JSON was removed.", "JSON"),
        ("Field Briefing.data was removed.", "Briefing.data"),
        ("cancelled was removed from enum type ActionStatus.", "ActionStatus.cancelled"),
        ("Hit was removed from union type SearchResult.", "SearchResult"),
        ("ReviewFilter.status changed type from String to ReviewStatus.", "ReviewFilter.status"),
    ],
)
def test_coordinates_of_graphql_cores_descriptions(description: str, expected: str) -> None:
    assert coordinate(description) == expected


def test_only_the_unreleased_section_counts() -> None:
    log = (
        "# Change log\n\n## Unreleased\n- `Item.data` removed.\n\n"
        "## 0.1.0\n- `Status.gone` removed long ago.\n"
    )
    assert unreleased_section(log).strip() == "- `Item.data` removed."
    missing = sorted(c.coordinate for c in unnamed(changes(OLD, NEW), log))
    assert missing == ["Filter.board", "Filter.status", "Item.rank", "Status.gone"]
    assert unnamed(changes(OLD, NEW), "# no sections at all\n") != []


def test_every_breaking_change_since_the_release_is_in_the_change_log() -> None:
    base = released_schema()
    found = changes(base.read_text(encoding="utf-8"), schema_sdl())
    missing = unnamed(found, CHANGELOG.read_text(encoding="utf-8"))
    assert not missing, (
        f"breaking changes against {base.name} that CHANGELOG.md's ## Unreleased does not name "
        "(name each by its coordinate in backticks, or undo the change): "
        + "; ".join(f"`{c.coordinate}`: {c.description}" for c in missing)
    )


def test_the_newest_release_is_the_baseline(tmp_path: Path) -> None:
    for v in ("0.1.0", "0.10.0", "0.9.2"):
        (tmp_path / f"schema-{v}.graphql").write_text("type Query { a: Int }", encoding="utf-8")
    assert released_schema(tmp_path).name == "schema-0.10.0.graphql"
    with pytest.raises(FileNotFoundError, match=r"no schema-VERSION\.graphql"):
        released_schema(tmp_path / "none")


def test_the_command_prints_the_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("against docs/released/schema-")
    assert ("BREAKING" in out or "dangerous" in out) or "no breaking or dangerous change" in out
