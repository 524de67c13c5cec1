"""The install keeps the demo's runtime apart from the test tools, and the scripts use .venv."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_TOOLS = {"pytest", "ruff", "mypy", "httpx", "playwright", "schemathesis"}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_runtime_dependencies_hold_no_test_tool_and_the_dev_extra_holds_them_all() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _names(project["dependencies"])
    assert runtime & TEST_TOOLS == set()
    assert {"neo4j", "strawberry-graphql", "uvicorn"} <= runtime
    assert _names(project["optional-dependencies"]["dev"]) >= TEST_TOOLS


def test_the_scripts_run_the_tools_from_the_venv() -> None:
    test = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    for line in test.splitlines():
        bare = line.strip().split(" ", 1)[0]
        assert bare not in {"ruff", "mypy", "python3", "python", "pytest", "scrgraph"}, line
    assert '"$venv/bin/python" -m pytest' in test and '"$venv/bin/mypy"' in test
    demo = (ROOT / "scripts" / "demo").read_text(encoding="utf-8")
    assert '.venv/bin/scrgraph" demo' in demo
    install = (ROOT / "scripts" / "install").read_text(encoding="utf-8")
    assert "-m venv" in install and "--quiet" not in install
    assert ".venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_without_its_assets_the_explorer_page_says_npm_is_what_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gql_api import explorer

    monkeypatch.setattr(explorer, "ASSETS_DIR", tmp_path)
    page = explorer.explorer_html()
    assert "Node.js 18+ and npm" in page and "scripts/install-web" in page
    assert "work without it" in page
