"""Inspectors' mutations: role checks, validation, idempotency, who and when."""

from __future__ import annotations

from typing import Any

import pytest

from graph_schema import Label
from tests.api.conftest import Api

RECORD_ACTION = """mutation($i: RecordActionInput!) { recordAction(input: $i) {
  replayed change { id kind target actor at }
  action { key status description dueDate recordedBy recordedAt owner { key } recommendation { key } } } }"""
UPDATE_STATUS = """mutation($i: UpdateActionStatusInput!) { updateActionStatus(input: $i) {
  replayed change { actor kind } action { key status completedDate } } }"""
RECORD_AUDIT = """mutation($i: RecordAuditInput!) { recordAudit(input: $i) {
  replayed change { actor kind target } audit { key rating auditor date action { key } } } }"""


def _action(change_id: str = "c-1", **over: Any) -> dict[str, Any]:
    return {
        "changeId": change_id,
        "recommendation": "rv1-r1",
        "description": "Run multi-agency information-sharing training",
        "ownerAgency": "ag-hv",
        "dueDate": "2025-06-30",
        **over,
    }


def test_record_action_then_replay(api: Api) -> None:
    out = api.gql(RECORD_ACTION, {"i": _action()}, role="inspector")["data"]["recordAction"]
    assert out["replayed"] is False
    a = out["action"]
    assert (a["key"], a["status"], a["owner"], a["recommendation"]) == (
        "act-c-1",
        "not_started",
        {"key": "ag-hv"},
        {"key": "rv1-r1"},
    )
    assert a["recordedBy"] == "inspector-1" and a["recordedAt"]
    assert out["change"]["actor"] == "inspector-1" and out["change"]["kind"] == "recordAction"
    again = api.gql(RECORD_ACTION, {"i": _action()}, role="inspector")["data"]["recordAction"]
    assert again["replayed"] is True and again["action"]["key"] == "act-c-1"
    assert api.store.get_nodes(Label.CHANGE, ["c-1"])["c-1"]["target"] == "act-c-1"
    conflict = api.gql(
        RECORD_ACTION,
        {"i": _action(description="something else")},
        role="inspector",
        expect_errors=True,
    )
    assert conflict["errors"][0]["extensions"]["code"] == "CHANGE_CONFLICT"
    # the new action is visible through the recommendation
    q = '{ node(id: "Recommendation:rv1-r1") { ... on Recommendation { actions { totalCount } } } }'
    assert api.gql(q)["data"]["node"]["actions"]["totalCount"] == 2


def test_update_status_and_record_audit(api: Api) -> None:
    out = api.gql(
        UPDATE_STATUS,
        {
            "i": {
                "changeId": "c-2",
                "action": "act-rv1-r1",
                "status": "completed",
                "completedDate": "2024-01-31",
            }
        },
        role="admin",
    )["data"]["updateActionStatus"]
    assert out["action"] == {
        "key": "act-rv1-r1",
        "status": "completed",
        "completedDate": "2024-01-31",
    }
    assert out["change"] == {"actor": "admin-1", "kind": "updateActionStatus"}
    audit = {
        "changeId": "c-3",
        "action": "act-rv1-r1",
        "date": "2024-07-31",
        "auditor": "board_qa",
        "rating": "partially_embedded",
        "finding": "Half the teams changed",
    }
    out = api.gql(RECORD_AUDIT, {"i": audit}, role="inspector")["data"]["recordAudit"]
    assert out["audit"] == {
        "key": "aud-c-3",
        "rating": "partially_embedded",
        "auditor": "board_qa",
        "date": "2024-07-31",
        "action": {"key": "act-rv1-r1"},
    }
    assert api.gql(RECORD_AUDIT, {"i": audit}, role="inspector")["data"]["recordAudit"]["replayed"]


@pytest.mark.parametrize("role", [None, "analyst", "restricted"])
def test_readers_may_not_mutate(api: Api, role: str | None) -> None:
    body = api.gql(RECORD_ACTION, {"i": _action("c-9")}, role=role, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not api.store.get_nodes(Label.CHANGE, ["c-9"])


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"recommendation": "nope"}, "does not exist"),
        ({"ownerAgency": "nope"}, "does not exist"),
        ({"dueDate": "31/12/2025"}, "not an ISO date"),
        ({"status": "done"}, "is not one of"),
        ({"description": "  "}, "must not be empty"),
        ({"changeId": "bad id with spaces"}, "not a valid id"),
    ],
)
def test_validation(api: Api, over: dict[str, Any], words: str) -> None:
    body = api.gql(
        RECORD_ACTION, {"i": _action("c-v", **over)}, role="inspector", expect_errors=True
    )
    assert words in body["errors"][0]["message"]
    assert not api.store.get_nodes(Label.ACTION, ["act-c-v"])


def test_audit_validation(api: Api) -> None:
    audit = {
        "changeId": "c-4",
        "action": "act-rv1-r1",
        "date": "2024-07-31",
        "auditor": "me",
        "rating": "embedded",
    }
    body = api.gql(RECORD_AUDIT, {"i": audit}, role="inspector", expect_errors=True)
    assert "auditor 'me' is not one of" in body["errors"][0]["message"]


def test_mutations_need_post(api: Api) -> None:
    res = api.client.get(
        "/graphql",
        params={
            "query": 'mutation { updateActionStatus(input: {changeId: "g", action: "act-rv1-r1", status: "completed"}) { replayed } }'
        },
        headers={"Authorization": f"Bearer {api.keys['inspector']}"},
    )
    assert res.status_code in (400, 405)
