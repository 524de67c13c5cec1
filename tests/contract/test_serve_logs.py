"""`scrgraph serve`'s console: one line per client mistake, a traceback only for a real bug."""

from __future__ import annotations

import io
import json
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from graphql import GraphQLError

from gql_api.limits import log_errors
from scrgraph import logs
from scrgraph.cli import main
from tests.api.test_error_logs import MISTAKES
from tests.reliability.helpers import REPO, child_env, free_port, scrgraph_cmd, tiny_corpus

# Six client mistakes of the issue: a bad date, first: 500, an unknown sector and audience,
# swapped years, a mutation without a key.
SIX = [m for m in MISTAKES if not m[2].startswith("GRAPHQL_")]
BAD = {"code": "BAD_USER_INPUT"}


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    out = io.StringIO()
    logs.configure("info", stream=out)
    yield out
    logs.reset()  # the next test's caplog sees scrgraph's records as before


def test_six_mistakes_against_a_running_server_leave_six_lines_and_no_traceback(
    tmp_path: Path,
) -> None:
    assert len(SIX) == 6
    db = tmp_path / "s.sqlite"
    assert main(["load", str(tiny_corpus(tmp_path / "c")), "--db", str(db), "--quiet"]) == 0
    port = free_port()
    err_log = tmp_path / "stderr.log"
    with err_log.open("w") as err:
        proc = subprocess.Popen(
            scrgraph_cmd("serve", "--port", str(port), "--db", str(db)),
            env=child_env(),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().startswith("scrgraph: ready")
            url = f"http://127.0.0.1:{port}/graphql"
            for query, variables, code in SIX:
                body = httpx.post(url, json={"query": query, "variables": variables}).json()
                assert body["errors"][0]["extensions"]["code"] == code
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    text = err_log.read_text()
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if "client error" in line]
    assert len(lines) == 6, text
    assert [line.split("client error ")[1].split()[0] for line in lines] == [c for *_, c in SIX]
    assert all(" INFO scrgraph.api: " in line for line in lines), lines


def test_a_client_error_is_one_line_and_a_bug_keeps_its_traceback(console: io.StringIO) -> None:
    log_errors([GraphQLError("first must be at most 100", path=["reviews"], extensions=BAD)])
    [line] = console.getvalue().splitlines()
    assert "INFO scrgraph.api: client error BAD_USER_INPUT at reviews: first must be" in line
    console.truncate(0)
    console.seek(0)
    try:
        raise RuntimeError("a real bug")
    except RuntimeError as bug:
        log_errors([GraphQLError("x", path=["reviews"], original_error=bug)])
    text = console.getvalue()
    assert "ERROR scrgraph.api: internal error at reviews" in text
    assert "Traceback (most recent call last)" in text and "RuntimeError: a real bug" in text


def test_warning_level_hides_client_errors_but_not_bugs(console: io.StringIO) -> None:
    logs.configure("warning", stream=console)
    log_errors([GraphQLError("bad", path=["reviews"], extensions=BAD)])
    assert console.getvalue() == ""
    logging.getLogger("scrgraph.api").error("boom")
    assert "ERROR scrgraph.api: boom" in console.getvalue()


def test_json_lines_and_configure_twice_does_not_double(console: io.StringIO) -> None:
    logs.configure("info", "json", stream=console)
    logs.configure("info", "json", stream=console)
    log_errors([GraphQLError("bad", path=["reviews"], extensions=BAD)])
    [line] = console.getvalue().splitlines()
    record = json.loads(line)
    assert record["level"] == "info" and record["logger"] == "scrgraph.api"
    assert record["message"].startswith("client error BAD_USER_INPUT at reviews")


def test_serve_refuses_an_unknown_log_level(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["serve", "--log-level", "loud"])
    assert e.value.code == 2
    assert "invalid choice: 'loud'" in capsys.readouterr().err
