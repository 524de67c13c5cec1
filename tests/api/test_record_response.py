"""recordResponse: a PFD receiver's response recorded, audited, and gone from the overdue list;
outstandingActions lists awaited responses by kind. Both backends; all text is invented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_schema import Label
from graph_store import GraphStore
from loaders.pfd_table import load_pfd_table
from tests.api.conftest import Api, make_api
from tests.unit.test_pfd_table import write_table

RECORD = """mutation($i: RecordResponseInput!) { recordResponse(input: $i) {
  recommendation { key status responseDue responseDate responseSummary }
  change { id kind target actor } replayed } }"""
OUTSTANDING = """query($kind: DocumentKind, $agency: String) {
  outstandingActions(asOf: "2031-06-01", kind: $kind, agency: $agency) {
    kind open responsesAwaited responsesOverdue
    responses { key number responseDue overdue daysOverdue kind boardKey boardName agencyKeys
      recommendation { key text } } } }"""
REVIEW = """{ node(id: "Review:pfd-2031-0001") {
  ... on Review { reviewType reference url reportDate coroner } } }"""


@pytest.fixture
def pfd_api(store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    load_pfd_table(store, write_table(tmp_path))
    yield from make_api(store, tmp_path)


def _response(change_id: str = "r-1", **over: Any) -> dict[str, Any]:
    return {
        "changeId": change_id,
        "recommendation": "pfd-2031-0001-c1",
        "date": "2031-05-02",
        "summary": "The invented trust will share its care records with GPs.",
        **over,
    }


def test_review_fields_of_a_pfd_report(pfd_api: Api) -> None:
    assert pfd_api.gql(REVIEW)["data"]["node"] == {
        "reviewType": "pfd",
        "reference": "2031-0001",
        "url": "https://example.org/pfd/2031-0001",
        "reportDate": "2031-03-04",
        "coroner": "A. Example",
    }


def test_record_a_response_then_replay(pfd_api: Api) -> None:
    before = pfd_api.gql(OUTSTANDING, {"kind": "pfd"})["data"]["outstandingActions"]
    assert (before["kind"], before["responsesAwaited"], before["responsesOverdue"]) == ("pfd", 6, 2)
    assert before["responses"][0] == {
        "key": "pfd-2031-0001-c1",
        "number": "1",
        "responseDue": "2031-04-29",
        "overdue": True,
        "daysOverdue": 33,
        "kind": "pfd",
        "boardKey": "coroner-area-fenshire",
        "boardName": "Fenshire coroner area",
        "agencyKeys": ["agency-fenshire-police", "agency-northmoor-nhs-trust"],
        "recommendation": {
            "key": "pfd-2031-0001-c1",
            "text": "There was no shared care record, so information sharing between the ward "
            "and the GP failed.",
        },
    }
    out = pfd_api.gql(RECORD, {"i": _response()}, role="inspector")["data"]["recordResponse"]
    assert out == {
        "recommendation": {
            "key": "pfd-2031-0001-c1",
            "status": "open_acceptable_response",
            "responseDue": "2031-04-29",
            "responseDate": "2031-05-02",
            "responseSummary": "The invented trust will share its care records with GPs.",
        },
        "change": {
            "id": "r-1",
            "kind": "recordResponse",
            "target": "pfd-2031-0001-c1",
            "actor": "inspector-1",
        },
        "replayed": False,
    }
    change = pfd_api.store.get_nodes(Label.CHANGE, ["inspector-1:r-1"])["inspector-1:r-1"]
    assert json.loads(str(change["payload"]))["recommendation"] == "pfd-2031-0001-c1"
    rec = pfd_api.store.get_nodes(Label.RECOMMENDATION, ["pfd-2031-0001-c1"])["pfd-2031-0001-c1"]
    assert (rec["recorded_by"], rec["text"][:12]) == ("inspector-1", "There was no")
    again = pfd_api.gql(RECORD, {"i": _response()}, role="inspector")["data"]["recordResponse"]
    assert again["replayed"] is True and again["change"] == out["change"]
    after = pfd_api.gql(OUTSTANDING, {"kind": "pfd"})["data"]["outstandingActions"]
    assert (after["responsesAwaited"], after["responsesOverdue"]) == (5, 1)
    assert "pfd-2031-0001-c1" not in [r["key"] for r in after["responses"]]
    by_police = pfd_api.gql(OUTSTANDING, {"agency": "agency-fenshire-police"})["data"]
    assert [r["key"] for r in by_police["outstandingActions"]["responses"]] == ["pfd-2031-0001-c2"]
    other = pfd_api.gql(OUTSTANDING, {"kind": "scr"})["data"]["outstandingActions"]
    assert (other["responsesAwaited"], other["open"]) == (0, 0)


def test_a_changed_response_under_the_same_change_id_is_refused(pfd_api: Api) -> None:
    pfd_api.gql(RECORD, {"i": _response()}, role="admin")
    body = pfd_api.gql(
        RECORD,
        {"i": _response(status="closed_acceptable_action")},
        role="admin",
        expect_errors=True,
    )
    assert body["errors"][0]["extensions"]["code"] == "CHANGE_CONFLICT"


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"status": "open_awaiting_response"}, "status 'open_awaiting_response' is not one of"),
        ({"date": "2nd May"}, "date '2nd May' is not an ISO date"),
        (
            {"recommendation": "pfd-9999-0001-c1"},
            "recommendation 'pfd-9999-0001-c1' does not exist",
        ),
    ],
)
def test_bad_responses(pfd_api: Api, over: dict[str, Any], words: str) -> None:
    body = pfd_api.gql(RECORD, {"i": _response(**over)}, role="inspector", expect_errors=True)
    assert words in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not pfd_api.store.get_nodes(Label.CHANGE, ["inspector-1:r-1"])


@pytest.mark.parametrize("role", [None, "analyst", "restricted"])
def test_readers_may_not_record_responses(pfd_api: Api, role: str | None) -> None:
    body = pfd_api.gql(RECORD, {"i": _response()}, role=role, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    rec = pfd_api.store.get_nodes(Label.RECOMMENDATION, ["pfd-2031-0001-c1"])["pfd-2031-0001-c1"]
    assert rec["status"] == "open_awaiting_response"


def test_a_hidden_recommendation_answers_as_an_absent_one(api: Api) -> None:
    """rv3-r1 is under a restricted review of the small graph; rv9-r1 does not exist."""
    assert api.store.get_nodes(Label.RECOMMENDATION, ["rv3-r1"])
    out = {}
    for id_ in ("rv3-r1", "rv9-r1"):
        body = api.gql(
            RECORD,
            {"i": _response("p-1", recommendation=id_)},
            role="inspector_open",
            expect_errors=True,
        )
        assert "data" not in body or body["data"] is None, body
        out[id_] = json.dumps(body, sort_keys=True).replace(id_, "ID")
    assert out["rv3-r1"] == out["rv9-r1"]
    assert not api.store.get_nodes(Label.CHANGE, ["inspector-open:p-1"])
    rec = api.store.get_nodes(Label.RECOMMENDATION, ["rv3-r1"])["rv3-r1"]
    assert "response_date" not in rec or rec["response_date"] is None
