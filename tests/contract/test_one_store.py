"""One store: the demo and every command open the same default, and an empty one is named."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest

from graph_schema import Label
from graph_store import GraphStore
from scrgraph.cli import main
from scrgraph.settings import DEFAULT_DB, SETTINGS, Settings, load_settings
from tests.unit.test_loaders_validate import write_corpus


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory with no store setting in the environment."""
    monkeypatch.chdir(tmp_path)
    for var in ("SCRGRAPH_DB", "SCRGRAPH_BACKEND"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_the_default_store_is_declared_once() -> None:
    assert DEFAULT_DB == "var/scrgraph.sqlite"
    assert {s.env: s.default for s in SETTINGS}["SCRGRAPH_DB"] == DEFAULT_DB
    assert load_settings(environ={}).db == Path(DEFAULT_DB)


def test_demo_loads_the_store_the_other_commands_read(
    in_tmp: Path,
    demo_corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import scrgraph.commands.demo as demo

    served: list[Path] = []

    def fake_serve(
        settings: Settings, host: str, port: int, sock: socket.socket, **logging: str
    ) -> int:
        sock.close()
        served.append(settings.db)
        return 0

    monkeypatch.setattr(demo, "serve", fake_serve)
    corpus = in_tmp / "corpus"
    shutil.copytree(demo_corpus, corpus)
    assert main(["demo", "--corpus", str(corpus), "--port", "0"]) == 0
    assert served == [Path(DEFAULT_DB)]
    assert (in_tmp / DEFAULT_DB).is_file() and not (in_tmp / "var" / "demo.sqlite").exists()
    capsys.readouterr()
    assert main(["stats", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["nodes"]["Review"] > 250
    assert "warning" not in out.err


def test_demo_no_serve_loads_then_exits_and_a_rerun_says_it_is_loaded(
    in_tmp: Path,
    demo_corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import scrgraph.commands.demo as demo

    def no_serving(*args: object) -> int:
        raise AssertionError("--no-serve must not serve")

    monkeypatch.setattr(demo, "serve", no_serving)
    monkeypatch.setattr(demo, "listen", no_serving)
    corpus = in_tmp / "corpus"
    shutil.copytree(demo_corpus, corpus)
    assert main(["demo", "--corpus", str(corpus), "--no-serve"]) == 0
    assert "loading the demo corpus" in capsys.readouterr().out
    assert (in_tmp / DEFAULT_DB).is_file()
    assert main(["demo", "--corpus", str(corpus), "--no-serve"]) == 0
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["stats"],
        ["query", "theme_recurrence", "-p", "theme=information_sharing"],
        ["export", "network", "--format", "gexf", "--out", "net.gexf"],
        ["brief", "--audience", "police", "--format", "md", "--out", "b.md"],
    ],
)
def test_reading_a_missing_store_says_so_and_creates_nothing(
    in_tmp: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert f"warning: the store {DEFAULT_DB} does not exist" in err
    assert "scripts/demo" in err and "scrgraph load" in err
    assert not (in_tmp / "var").exists()


def test_reading_an_empty_store_names_it(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = in_tmp / "empty.sqlite"
    assert main(["schema", "--db", str(db)]) == 0  # a store with its schema and no data
    capsys.readouterr()
    assert main(["stats", "--db", str(db)]) == 0
    assert f"warning: the store {db} is empty: run scripts/demo" in capsys.readouterr().err
    assert main(["load", str(write_corpus(in_tmp / "c")), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(db)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_is_empty_on_both_backends(store: GraphStore) -> None:
    assert store.is_empty()  # the schema's own bookkeeping does not count
    store.write_nodes(Label.SECTOR, [{"id": "police", "label": "Police"}])
    assert not store.is_empty()
