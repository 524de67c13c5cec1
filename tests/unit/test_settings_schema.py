"""Settings and schema declarations."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_schema import NODES, RELS, neo4j_statements, sqlite_statements
from scrgraph.errors import ConfigError
from scrgraph.settings import SETTINGS, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_embedded() -> None:
    s = load_settings(environ={})
    assert s.backend == "embedded"
    assert s.neo4j_password is None


def test_repr_never_shows_the_password() -> None:
    s = load_settings(environ={"NEO4J_PASSWORD": "s3cret-value"})
    assert s.neo4j_password == "s3cret-value"
    assert "s3cret-value" not in repr(s)


@pytest.mark.parametrize(
    ("env", "overrides", "backend", "db"),
    [
        ({"SCRGRAPH_BACKEND": "neo4j"}, {}, "neo4j", "var/scrgraph.sqlite"),
        (
            {"SCRGRAPH_BACKEND": "neo4j"},
            {"SCRGRAPH_BACKEND": "embedded"},
            "embedded",
            "var/scrgraph.sqlite",
        ),
        ({"SCRGRAPH_DB": "a.sqlite"}, {"SCRGRAPH_DB": "b.sqlite"}, "embedded", "b.sqlite"),
        ({}, {"SCRGRAPH_DB": None}, "embedded", "var/scrgraph.sqlite"),
    ],
)
def test_cli_overrides_win(
    env: dict[str, str], overrides: dict[str, str | None], backend: str, db: str
) -> None:
    s = load_settings(overrides, environ=env)
    assert s.backend == backend
    assert str(s.db) == db


@pytest.mark.parametrize(
    "env",
    [{"SCRGRAPH_BACKEND": "postgres"}, {"SCRGRAPH_REQUIRE_KEY": "perhaps"}],
)
def test_bad_settings_are_config_errors(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        load_settings(environ=env)


def test_every_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for spec in SETTINGS:
        assert f"`{spec.env}`" in readme, f"{spec.env} missing from the README's table"


def test_every_label_has_a_key_constraint() -> None:
    stmts = "\n".join(neo4j_statements())
    for n in NODES:
        assert f"FOR (n:{n.label.value}) REQUIRE n.{n.key} IS UNIQUE" in stmts
        assert n.prop(n.key) is not None and n.prop(n.key).required  # type: ignore[union-attr]
    assert "IF NOT EXISTS" in stmts
    assert all("IF NOT EXISTS" in s for s in sqlite_statements())


def test_schema_names_are_closed_and_described() -> None:
    for n in NODES:
        assert n.description
        for p in n.props:
            assert p.description, f"{n.label}.{p.name} has no description"
    for r in RELS:
        assert r.description
        assert r.type.value.isupper()


def test_the_page_limit_of_a_bulk_load() -> None:
    assert load_settings(environ={}).max_pages == 400
    assert load_settings(environ={"SCRGRAPH_MAX_PAGES": "25"}).max_pages == 25
    for bad in ("0", "ten", "-3"):
        with pytest.raises(ConfigError, match="SCRGRAPH_MAX_PAGES"):
            load_settings(environ={"SCRGRAPH_MAX_PAGES": bad})


def test_the_queue_threshold_is_a_setting() -> None:
    from scrgraph.settings import queue_threshold

    assert load_settings(environ={}).queue_threshold == 0.7
    assert queue_threshold({}) == 0.7
    assert load_settings(environ={"SCRGRAPH_QUEUE_THRESHOLD": "0.85"}).queue_threshold == 0.85
    assert queue_threshold({"SCRGRAPH_QUEUE_THRESHOLD": " 0.5 "}) == 0.5
    for bad in ("1.5", "-0.1", "high"):
        with pytest.raises(ConfigError, match=r"SCRGRAPH_QUEUE_THRESHOLD=.*expected a confidence"):
            queue_threshold({"SCRGRAPH_QUEUE_THRESHOLD": bad})


def test_the_reader_takes_the_threshold_from_the_environment(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    doc = tmp_path / "child_q.txt"
    doc.write_text(
        "Serious Case Review: Child Q (synthetic)\n\nRecommendations\n\n"
        "1. The board must audit how health visitors record the voice of the child.\n"
        "2. Supervision.\n",
        encoding="utf-8",
    )
    code = (
        "import sys; from loaders.extract import QUEUE_THRESHOLD, extract_document; "
        "r = extract_document(__import__('pathlib').Path(sys.argv[1]), board='Quillby LSCB', "
        "year=2016); "
        "print(QUEUE_THRESHOLD, [i.confidence < QUEUE_THRESHOLD for i in r.recommendations])"
    )
    out = {}
    for value in ("0.70", "0.40"):
        env = {**os.environ, "SCRGRAPH_QUEUE_THRESHOLD": value}
        done = subprocess.run(
            [sys.executable, "-c", code, str(doc)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        out[value] = done.stdout.strip()
    # "Supervision." scores 0.50: queued at 0.70, not at 0.40.
    assert out == {"0.70": "0.7 [False, True]", "0.40": "0.4 [False, False]"}
