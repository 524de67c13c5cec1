"""Breaking changes of the GraphQL schema against the last released one, named in CHANGELOG.md.

graphql-core's change finder compares the released schema (`docs/released/schema-VERSION.graphql`,
the `schema.graphql` of that release, kept as it was) with the code's schema. Every breaking
change must be named in the change log's `## Unreleased` section by its schema coordinate in
backticks (`Briefing.data`, `JSON`, `ActionStatus.cancelled`), so that a change that breaks
clients is deliberate and announced, never an accident that a client finds first.

`python -m gql_api.schema_changes` prints the changes, breaking and dangerous, and the ones the
change log does not name; it exits 1 when any breaking change is unnamed. A test runs the same
check in CI.

When cutting a release: move `## Unreleased` under the version's heading, and copy
`schema.graphql` to `docs/released/schema-VERSION.graphql` (the newest file there is the
baseline).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from graphql import build_schema as build_sdl
from graphql import find_breaking_changes, find_dangerous_changes

ROOT: Final = Path(__file__).resolve().parent.parent
RELEASED_DIR: Final = ROOT / "docs" / "released"
CHANGELOG: Final = ROOT / "CHANGELOG.md"

_DOTTED = re.compile(r"\b([A-Za-z_]\w*\.[A-Za-z_]\w*)\b")
_MEMBER = re.compile(r"^(\w+) was removed from (enum|union) type (\w+)")
_VERSION = re.compile(r"schema-(\d+(?:\.\d+)*)\.graphql$")


@dataclass(frozen=True)
class SchemaChange:
    """One difference the change finder reports: its kind, coordinate and graphql-core's words."""

    kind: str
    coordinate: str
    description: str
    breaking: bool


def coordinate(description: str) -> str:
    """The schema coordinate a change's description speaks of: `Type.field`, `Enum.value`, `Type`."""
    member = _MEMBER.match(description)
    if member:
        value, what, owner = member.groups()
        return f"{owner}.{value}" if what == "enum" else owner
    dotted = _DOTTED.search(description)
    if dotted:
        return dotted.group(1)
    return description.split()[0].rstrip(".")


def changes(old_sdl: str, new_sdl: str) -> list[SchemaChange]:
    """Breaking then dangerous changes from `old_sdl` to `new_sdl`, in the finder's order."""
    old, new = build_sdl(old_sdl), build_sdl(new_sdl)
    found = [
        SchemaChange(c.type.name, coordinate(c.description), c.description, True)
        for c in find_breaking_changes(old, new)
    ]
    found += [
        SchemaChange(c.type.name, coordinate(c.description), c.description, False)
        for c in find_dangerous_changes(old, new)
    ]
    return found


def _version_key(path: Path) -> tuple[int, ...]:
    match = _VERSION.search(path.name)
    if not match:
        raise ValueError(
            f"{path}: expected a name schema-VERSION.graphql, e.g. schema-0.1.0.graphql"
        )
    return tuple(int(p) for p in match.group(1).split("."))


def released_schema(directory: Path = RELEASED_DIR) -> Path:
    """The newest released schema file (by version number in its name)."""
    files = sorted(directory.glob("schema-*.graphql"), key=_version_key)
    if not files:
        raise FileNotFoundError(f"{directory}: no schema-VERSION.graphql of a released version")
    return files[-1]


def unreleased_section(changelog_text: str) -> str:
    """The text under `## Unreleased` up to the next `## ` heading ('' when there is none)."""
    lines = changelog_text.splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip().lower() == "unreleased"
            continue
        if inside:
            out.append(line)
    return "\n".join(out)


def unnamed(found: list[SchemaChange], changelog_text: str) -> list[SchemaChange]:
    """Breaking changes whose coordinate the Unreleased section does not name in backticks."""
    section = unreleased_section(changelog_text)
    return [c for c in found if c.breaking and f"`{c.coordinate}`" not in section]


def main(argv: list[str] | None = None) -> int:
    """Print the changes against the released schema; 1 when a breaking change is unnamed."""
    from gql_api.schema import schema_sdl

    del argv
    base = released_schema()
    found = changes(base.read_text(encoding="utf-8"), schema_sdl())
    missing = unnamed(found, CHANGELOG.read_text(encoding="utf-8"))
    print(f"against {base.relative_to(ROOT)}:")
    for c in found:
        mark = "BREAKING" if c.breaking else "dangerous"
        note = "  (not named in CHANGELOG.md, ## Unreleased)" if c in missing else ""
        print(f"  {mark:9} `{c.coordinate}`: {c.description}{note}")
    if not found:
        print("  no breaking or dangerous change")
    return 1 if missing else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
