"""No import circle among the modules of `gql_api`.

What counts as an import: every `import` and `from ... import` statement in a module,
wherever it stands: at module level, inside a function (a deferred import still ties the two
modules together), or under `if TYPE_CHECKING:`. A `from gql_api import x` counts as an
import of `gql_api.x` when that is a module. What does not count: the module named in a
`strawberry.lazy("gql_api.x")` annotation, which strawberry resolves when the schema is
built, after every module has been imported; that is how the entity types refer to one
another (see `gql_api.entity`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]


def import_graph(package: Path, name: str) -> nx.DiGraph:
    """The package's modules and an edge from each to every module of it that it imports."""
    modules = {
        (name if p.stem == "__init__" else f"{name}.{p.stem}"): p for p in package.glob("*.py")
    }
    graph = nx.DiGraph()
    for module, path in modules.items():
        graph.add_node(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the package itself
                    base = f"{name}.{base}".rstrip(".")
                targets = [base, *(f"{base}.{a.name}" for a in node.names)]
            for target in targets:
                if target in modules and target != module:
                    graph.add_edge(module, target)
    return graph


def cycles(package: Path, name: str) -> list[list[str]]:
    return sorted(sorted(c) for c in nx.simple_cycles(import_graph(package, name)))


def test_gql_api_has_no_import_cycle() -> None:
    found = cycles(ROOT / "gql_api", "gql_api")
    assert found == [], "import circles among gql_api's modules:\n" + "\n".join(
        " -> ".join(c) for c in found
    )


def test_the_check_finds_a_cycle(tmp_path: Path) -> None:
    """The detector itself: a function-level import and a TYPE_CHECKING import close circles,
    a lazy annotation does not."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import B\n")
    (pkg / "b.py").write_text("def f():\n    from pkg import a\n    return a\nB = 1\n")
    (pkg / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.d import D\n"
    )
    (pkg / "d.py").write_text("from .c import C\n")
    (pkg / "e.py").write_text(
        'import strawberry\nfrom typing import Annotated\nX = Annotated["A", strawberry.lazy("pkg.a")]\n'
    )
    (pkg / "f.py").write_text("from pkg.e import X\n")
    assert cycles(pkg, "pkg") == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.d"]]
