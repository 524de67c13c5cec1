"""A client's mistake is one clean error with a code and one log line, never a traceback;
a server bug keeps its traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.api.conftest import Api

RECORD_ACTION = "mutation($i: RecordActionInput!) { recordAction(input: $i) { replayed } }"
ACTION = {
    "changeId": "c-log",
    "recommendation": "rv1-r1",
    "description": "Training",
    "ownerAgency": "ag-hv",
    "dueDate": "2025-06-30",
}

MISTAKES: list[tuple[str, dict[str, Any], str]] = [
    ('{ outstandingActions(asOf: "31/03/2020") { open } }', {}, "BAD_USER_INPUT"),
    ("{ reviews(first: 500) { totalCount } }", {}, "BAD_USER_INPUT"),
    ('{ agencyLoad(sector: "polise") { asOf } }', {}, "NOT_FOUND"),
    ('{ briefing(audience: "nobody") { markdown } }', {}, "NOT_FOUND"),
    ("{ themeNetwork(yearFrom: 2020, yearTo: 2010) { reviews } }", {}, "BAD_USER_INPUT"),
    (RECORD_ACTION, {"i": ACTION}, "FORBIDDEN"),
    ("{ reviews { nope } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ("{ reviews(", {}, "GRAPHQL_PARSE_FAILED"),
]


def _records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Error records: everything but the one access line per request (see test_access_log)."""
    return [
        r
        for r in caplog.records
        if r.name.startswith(("scrgraph", "strawberry", "graphql")) and r.name != "scrgraph.access"
    ]


@pytest.mark.parametrize(("query", "variables", "code"), MISTAKES)
def test_client_mistake_logs_one_line_without_traceback(
    api: Api, caplog: pytest.LogCaptureFixture, query: str, variables: dict[str, Any], code: str
) -> None:
    caplog.set_level(logging.DEBUG)
    body = api.gql(query, variables, expect_errors=True)
    [err] = body["errors"]
    assert err["extensions"]["code"] == code
    assert "Traceback" not in str(body)
    [record] = _records(caplog)
    assert record.levelno == logging.INFO
    assert record.exc_info is None and record.stack_info is None
    line = record.getMessage()
    assert "\n" not in line
    assert line.startswith(f"client error {code} at ")
    assert err["message"].split()[0] in line


def test_server_bug_keeps_its_traceback(
    api: Api, caplog: pytest.LogCaptureFixture, a_real_bug: None
) -> None:
    caplog.set_level(logging.DEBUG)
    body = api.gql("{ reviews { totalCount } }", expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL"
    [record] = _records(caplog)  # logged once, not also by strawberry
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
    assert "a real bug" not in str(body)
