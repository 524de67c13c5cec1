"""One access line per request, and a request id shared by the response and the logs."""

from __future__ import annotations

import logging

import pytest

from tests.api.conftest import Api


def _access(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "scrgraph.access"]


def test_each_request_is_one_access_line_with_the_id_the_response_carries(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scrgraph.access")
    ok = api.client.post("/graphql", json={"query": "{ reviews { totalCount } }"})
    bad = api.client.post("/graphql", json={"query": "{ reviews("})
    missing = api.client.get("/no-such-page")
    ids = [r.headers["x-request-id"] for r in (ok, bad, missing)]
    assert len(set(ids)) == 3 and all(len(i) == 16 for i in ids)
    lines = [r.getMessage() for r in _access(caplog)]
    assert len(lines) == 3, lines
    for line, rid, res, path in zip(
        lines, ids, (ok, bad, missing), ("/graphql", "/graphql", "/no-such-page"), strict=True
    ):
        method = "GET" if path == "/no-such-page" else "POST"
        assert line.startswith(f"{method} {path} {res.status_code} "), line
        assert line.endswith(f"ms request {rid}") and "\n" not in line


def test_a_clients_plain_request_id_is_kept_and_a_forged_one_replaced(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scrgraph.access")
    kept = api.client.get("/healthz", headers={"X-Request-ID": "trace-42.a"})
    assert kept.headers["x-request-id"] == "trace-42.a"
    forged = api.client.get("/healthz", headers={"X-Request-ID": "x\\nFAKE 200 request y"})
    assert forged.headers["x-request-id"] != "x\\nFAKE 200 request y"
    assert "FAKE" not in " ".join(r.getMessage() for r in _access(caplog))


def test_a_server_bug_names_the_request_in_its_log_and_its_answer(
    api: Api, caplog: pytest.LogCaptureFixture, a_real_bug: None
) -> None:
    caplog.set_level(logging.DEBUG)
    res = api.client.post("/graphql", json={"query": "{ reviews { totalCount } }"})
    rid = res.headers["x-request-id"]
    [err] = res.json()["errors"]
    assert err["extensions"] == {"code": "INTERNAL", "requestId": rid}
    [bug] = [r for r in caplog.records if r.name == "scrgraph.api" and r.levelno == logging.ERROR]
    assert f"(request {rid})" in bug.getMessage() and bug.exc_info is not None
