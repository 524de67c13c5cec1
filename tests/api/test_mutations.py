"""Inspectors' mutations: role checks, validation, idempotency, who and when."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
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
    assert (
        api.store.get_nodes(Label.CHANGE, ["inspector-1:c-1"])["inspector-1:c-1"]["target"]
        == "act-c-1"
    )
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
    assert not api.store.get_nodes(Label.CHANGE, [f"{role}:c-9", "c-9"])


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"recommendation": "nope"}, "does not exist"),
        ({"ownerAgency": "nope"}, "does not exist"),
        ({"dueDate": "31/12/2025"}, "not an ISO date"),
        ({"status": "done"}, "Value 'done' does not exist in 'ActionStatus' enum."),
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
    assert "Value 'me' does not exist in 'Auditor' enum." in body["errors"][0]["message"]
    assert not api.store.get_nodes(Label.AUDIT, ["aud-c-4"])


def test_mutations_need_post(api: Api) -> None:
    res = api.client.get(
        "/graphql",
        params={
            "query": 'mutation { updateActionStatus(input: {changeId: "g", action: "act-rv1-r1", status: completed}) { replayed } }'
        },
        headers={"Authorization": f"Bearer {api.keys['inspector']}"},
    )
    assert res.status_code in (400, 405)


# -- issue 17: no mutation answer depends on records the caller may not see -----------------

_AUDIT = {"date": "2024-07-31", "auditor": "board_qa", "rating": "embedded"}


def _errors_as_if(body: dict[str, Any], id_: str) -> str:
    """The error payload as text, with the probed id written as `ID`."""
    assert "data" not in body or body["data"] is None, body
    return json.dumps(body, sort_keys=True).replace(id_, "ID")


@pytest.mark.parametrize(
    ("query", "make", "hidden", "absent"),
    [
        # a recommendation under a restricted review, and one under a withdrawn review
        (RECORD_ACTION, lambda x: _action("p-1", recommendation=x), "rv3-r1", "rv9-r1"),
        (RECORD_ACTION, lambda x: _action("p-1", recommendation=x), "rv4-r2", "rv9-r2"),
        # choosing the key of a new action that a hidden one already has
        (RECORD_ACTION, lambda x: _action("p-1", actionId=x), "act-rv3-r1", "act-rv9-r1"),
        (
            UPDATE_STATUS,
            lambda x: {"changeId": "p-1", "action": x, "status": "completed"},
            "act-rv3-r1",
            "act-rv9-r1",
        ),
        (
            UPDATE_STATUS,
            lambda x: {"changeId": "p-1", "action": x, "status": "bogus"},
            "act-rv4-r1",
            "act-rv9-r1",
        ),
        (RECORD_AUDIT, lambda x: {"changeId": "p-1", "action": x, **_AUDIT}, "act-rv3-r2", "x-1"),
        (
            RECORD_AUDIT,
            lambda x: {"changeId": "p-1", "action": "act-rv1-r2", "auditId": x, **_AUDIT},
            "aud-act-rv3-r2",
            "aud-act-rv9-r2",
        ),
    ],
)
def test_hidden_id_answers_as_absent_id(
    api: Api, query: str, make: Callable[[str], dict[str, Any]], hidden: str, absent: str
) -> None:
    assert api.store.get_nodes(
        Label.RECOMMENDATION if "-a" not in hidden and "act" not in hidden else Label.ACTION,
        [hidden.removeprefix("aud-")],
    ), "the probe must name a record that exists"
    out = {}
    for id_ in (hidden, absent):
        body = api.gql(query, {"i": make(id_)}, role="inspector_open", expect_errors=True)
        assert body.get("errors"), body
        out[id_] = _errors_as_if(body, id_)
    assert out[hidden] == out[absent]
    assert not api.store.get_nodes(Label.CHANGE, ["inspector-open:p-1"])


def test_change_ids_are_per_key(api: Api) -> None:
    """A changeId another key used (here on a hidden action) is fresh for this key."""
    hidden = {"changeId": "shared", "action": "act-rv3-r1", "status": "completed"}
    assert api.gql(UPDATE_STATUS, {"i": hidden}, role="inspector")["data"]
    mine = {"changeId": "shared", "action": "act-rv1-r1", "status": "in_progress"}
    out = api.gql(UPDATE_STATUS, {"i": mine}, role="inspector_open")["data"]
    assert out["updateActionStatus"]["replayed"] is False
    assert out["updateActionStatus"]["action"]["status"] == "in_progress"
    # and the record's change id is the one the client sent
    body = api.gql(RECORD_ACTION, {"i": _action("mine-2")}, role="inspector_open")
    change = body["data"]["recordAction"]["change"]
    assert change["id"] == "mine-2" and change["actor"] == "inspector-open"


def test_minted_keys_for_callers_without_the_grant(api: Api) -> None:
    out = api.gql(RECORD_ACTION, {"i": _action("rv3-r1")}, role="inspector_open")["data"]
    key = out["recordAction"]["action"]["key"]
    assert re.fullmatch(r"act-[0-9a-f]{16}", key), key
    # the same changeId from the same key replays to the same action
    again = api.gql(RECORD_ACTION, {"i": _action("rv3-r1")}, role="inspector_open")["data"]
    assert again["recordAction"]["replayed"] and again["recordAction"]["action"]["key"] == key
    audit = {"changeId": "au-1", "action": key, **_AUDIT}
    aud = api.gql(RECORD_AUDIT, {"i": audit}, role="inspector_open")["data"]["recordAudit"]
    assert re.fullmatch(r"aud-[0-9a-f]{16}", aud["audit"]["key"])


def test_the_grant_still_reaches_restricted_records(api: Api) -> None:
    body = api.gql(RECORD_ACTION, {"i": _action("g-1", recommendation="rv3-r1")}, role="inspector")
    assert body["data"]["recordAction"]["action"]["key"] == "act-g-1"
    upd = {"changeId": "g-2", "action": "act-rv3-r1", "status": "completed"}
    assert api.gql(UPDATE_STATUS, {"i": upd}, role="inspector")["data"]
    aud = {"changeId": "g-3", "action": "act-rv3-r1", "auditId": "aud-mine", **_AUDIT}
    out = api.gql(RECORD_AUDIT, {"i": aud}, role="inspector")["data"]["recordAudit"]
    assert out["audit"]["key"] == "aud-mine"
    clash = _action("g-4", actionId="act-rv3-r1")
    body = api.gql(RECORD_ACTION, {"i": clash}, role="inspector", expect_errors=True)
    assert "exists already" in body["errors"][0]["message"]
