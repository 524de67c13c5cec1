"""Quiet ends: a closed pipe stops a command silently; a busy port fails before "serving"."""

from __future__ import annotations

import shlex
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_store import EmbeddedStore
from scrgraph.cli import BROKEN_PIPE_EXIT, main
from tests.reliability.helpers import REPO, child_env, scrgraph_cmd

DOC = REPO / "evaluation" / "extraction" / "docs" / "anyshire_child_w.txt"


def test_query_into_head_ends_quietly(demo_embedded: EmbeddedStore) -> None:
    # theme_network as JSON is far more than a pipe buffer, so head's exit breaks the pipe.
    cmd = shlex.join(
        scrgraph_cmd("query", "theme_network", "--json", "--db", str(demo_embedded.path))
    )
    res = subprocess.run(
        ["bash", "-c", f'{cmd} | head -n 3; echo "status ${{PIPESTATUS[0]}}" >&2'],
        env=child_env(),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.stdout.splitlines()[0] == "{"
    assert len(res.stdout.splitlines()) == 3
    assert res.stderr.strip() == f"status {BROKEN_PIPE_EXIT}", res.stderr
    assert BROKEN_PIPE_EXIT == 141  # 128 + SIGPIPE, what `yes | head` leaves for `yes`


def test_extract_into_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen(
        scrgraph_cmd("extract", str(DOC)),
        env=child_env(),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == BROKEN_PIPE_EXIT
    assert err == ""


def test_extract_into_a_reader_that_stays_is_unchanged() -> None:
    res = subprocess.run(
        scrgraph_cmd("extract", str(DOC)),
        env=child_env(),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0 and res.stderr == ""
    assert "Recommendation 1" in res.stdout


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


def test_serve_on_a_busy_port_says_so_and_never_says_serving(
    busy_port: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.sqlite"
    assert main(["serve", "--port", str(busy_port), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "serving" not in out + err
    assert f"error: cannot listen on 127.0.0.1:{busy_port}: Address already in use" in err
    assert "--port" in err and "Traceback" not in err


def test_demo_on_a_busy_port_fails_before_it_loads(
    busy_port: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.sqlite"
    corpus = tmp_path / "corpus"
    assert main(["demo", "--port", str(busy_port), "--db", str(db), "--corpus", str(corpus)]) == 1
    out, err = capsys.readouterr()
    assert "Address already in use" in err and "serving" not in out
    assert not db.exists() and not corpus.exists()
