"""Progress on a terminal, summaries everywhere, and a server that says when it is ready."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from scrgraph.cli import main
from scrgraph.commands.serve import ready_message
from scrgraph.progress import RowProgress, wants_progress
from scrgraph.settings import load_settings
from tests.reliability.helpers import REPO, child_env, free_port, scrgraph_cmd, tiny_corpus


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_counts_rows_to_the_total_and_closes() -> None:
    out = Tty()
    bar = RowProgress("loading", stream=out)
    bar(500, 2000)
    bar(2000, 2000)
    bar(2000, 2000)  # after the end: nothing more is drawn, nothing fails
    text = out.getvalue()
    assert "loading" in text and "100%" in text and "2.00k/2.00k" in text and "rows/s" in text
    assert text.count("100%") == 1


def test_a_bar_only_on_a_terminal_and_not_when_quiet() -> None:
    assert wants_progress(stream=Tty())
    assert not wants_progress(quiet=True, stream=Tty())
    assert not wants_progress(stream=io.StringIO())


def test_load_off_a_terminal_draws_no_bar_and_ends_with_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tiny_corpus(tmp_path / "c")
    db = tmp_path / "s.sqlite"
    assert main(["load", str(corpus), "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert "loading:" not in out.err and "%|" not in out.err
    assert "rows/s)" in out.out  # "0.1s (42 rows, 420 rows/s)"
    assert "nothing was there before" in out.out
    assert main(["load", str(corpus), "--db", str(db), "--quiet"]) == 0
    assert "nothing changed" in capsys.readouterr().out


def test_the_demo_summarises_what_it_loaded(
    tmp_path: Path, demo_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scrgraph.commands.demo import prepare

    corpus = tmp_path / "corpus"
    shutil.copytree(demo_corpus, corpus)
    assert prepare(tmp_path / "d.sqlite", corpus)
    out = capsys.readouterr().out
    loaded = next(line for line in out.splitlines() if line.startswith("scrgraph: loaded "))
    for thing in ("reviews", "recommendations", "actions", "audits", "boards", "themes"):
        assert f" {thing}" in loaded, loaded
    assert "rows/s" in loaded
    assert "nothing was there before" in out


def test_the_ready_message_names_the_store_and_every_address() -> None:
    settings = load_settings({"SCRGRAPH_BACKEND": "embedded", "SCRGRAPH_DB": "var/x.sqlite"})
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        text = ready_message(settings, "0.0.0.0", sock)
    base = f"http://127.0.0.1:{port}"
    assert (
        text.splitlines()[0]
        == f"scrgraph: ready, serving the embedded store var/x.sqlite at {base}/"
    )
    for path in ("/dashboard/", "/graphql", "/briefing?audience=police", "/healthz", "/readyz"):
        assert base + path in text
    assert "every interface" in text


def test_serve_says_ready_only_once_it_answers(tmp_path: Path) -> None:
    corpus = tiny_corpus(tmp_path / "c")
    db = tmp_path / "s.sqlite"
    assert main(["load", str(corpus), "--db", str(db), "--quiet"]) == 0
    port = free_port()
    proc = subprocess.Popen(
        scrgraph_cmd("serve", "--port", str(port), "--db", str(db)),
        env=child_env(),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        # The moment it says ready, the server answers: no "serving" before it accepts.
        assert first.startswith("scrgraph: ready, serving the embedded store"), first
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        lines = [proc.stdout.readline() for _ in range(6)]
        assert any(f"http://127.0.0.1:{port}/dashboard/" in line for line in lines), lines
    finally:
        proc.terminate()
        proc.wait(timeout=15)
