"""Inspectors' mutations: record an action, update its status, record an audit, record a
recommendation's response (a PFD report's receiver answering the coroner).

Each is validated, idempotent by a client-supplied `changeId` and recorded as a `Change` node
with who made it and when, in the same transaction as the change itself. Sending the same
`changeId` with the same input again returns the first result (`replayed: true`); sending it
with different input is refused.

Nothing a mutation answers depends on records its caller may not see (issue 17): every
reference is looked up as the caller sees it, so a hidden id and an absent one get the same
error; a `changeId` is scoped to the key that sent it (the `Change` node's key is
`actor:changeId`), so another key's changes never collide; and the key of a new action or
audit is minted from the caller's key name and `changeId` (`act-` or `aud-` and 16 hex
digits) unless the caller may see every review, so it cannot collide with a hidden record
either. Only such a caller (admin, or a key with the restricted grant) may choose `actionId`
or `auditId`, and gets `act-`/`aud-` + changeId by default, as before.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Annotated, Any, Final, TypeVar, get_type_hints

import anyio.to_thread
import strawberry

import queries
from gql_api.action import Action
from gql_api.audit import Audit
from gql_api.auth import require_mutation_role
from gql_api.context import Context
from gql_api.enums import (
    ActionStatus,
    Auditor,
    AuditRating,
    ChangeKind,
    RecommendationStatus,
    member,
    stored,
)
from gql_api.node import Node
from gql_api.recommendation import Recommendation
from graph_schema import (
    ACTION_STATUSES,
    AUDIT_RATINGS,
    AUDITORS,
    RECOMMENDATION_STATUSES,
    REVIEW_STATUSES,
    Label,
    RelType,
)
from graph_store import Batch, GraphStore, NodeWrite, RelWrite, Row
from loaders.id_series import IdSeries, Incoming
from queries import Viewer
from scrgraph.errors import ScrgraphError

_ID: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
MAX_TEXT: Final = 5000
T = TypeVar("T")
P = TypeVar("P")


class InvalidInput(ScrgraphError):
    """A mutation's input is wrong; the message says which field and why."""

    code = "BAD_USER_INPUT"


class ChangeConflict(ScrgraphError):
    """A changeId was used before for a different change."""

    code = "CHANGE_CONFLICT"


@strawberry.type(name="Change", description="A change made through the API: who, when, what.")
class ChangeRecord:
    id: str = strawberry.field(description="The client-supplied change id.")
    kind: ChangeKind = strawberry.field(description="The mutation that made it.")
    target: str = strawberry.field(description="Key of the node changed or created.")
    actor: str = strawberry.field(description="Name of the API key that made it.")
    at: str = strawberry.field(description="When (ISO 8601, UTC).")
    before: str | None = strawberry.field(
        default=None,
        description="The fields it changed as they were, as a JSON object (review-queue "
        "decisions; null for the other changes).",
    )
    after: str | None = strawberry.field(
        default=None,
        description="The fields it changed as they became, as a JSON object (review-queue "
        "decisions; null for the other changes).",
    )

    @classmethod
    def of(cls, row: Row) -> ChangeRecord:
        actor = str(row["actor"])
        before, after = row.get("before"), row.get("after")
        return cls(
            id=str(row["id"]).removeprefix(f"{actor}:"),
            kind=member(ChangeKind, row["kind"]),
            target=str(row["target"]),
            actor=str(row["actor"]),
            at=str(row["at"]),
            before=None if before is None else str(before),
            after=None if after is None else str(after),
        )


# The fields every change's input and payload has, declared here once.
def change_id_field() -> Any:
    """An input's `changeId`."""
    return strawberry.field(description="Your unique id for this change (idempotency).")


def change_field() -> Any:
    """A payload's `change`."""
    return strawberry.field(description="The recorded change.")


def replayed_field() -> Any:
    """A payload's `replayed`."""
    return strawberry.field(
        description="True when this changeId had been applied before and nothing new was written."
    )


@strawberry.type(description="The result of an action mutation.")
class ActionPayload:
    action: Action = strawberry.field(description="The action as it now stands.")
    change: ChangeRecord = change_field()
    replayed: bool = replayed_field()


@strawberry.type(description="The result of recording an audit.")
class AuditPayload:
    audit: Audit = strawberry.field(description="The audit as recorded.")
    change: ChangeRecord = change_field()
    replayed: bool = replayed_field()


@strawberry.input(description="A new action-plan item answering a recommendation.")
class RecordActionInput:
    change_id: str = change_id_field()
    recommendation: str = strawberry.field(description="Key of the recommendation it answers.")
    description: str = strawberry.field(description="What will be done.")
    owner_agency: str | None = strawberry.field(default=None, description="Owner agency key.")
    due_date: str | None = strawberry.field(default=None, description="Due date (ISO).")
    status: ActionStatus = strawberry.field(
        default=member(ActionStatus, "not_started"), description="Its status."
    )
    action_id: str | None = strawberry.field(
        default=None,
        description=(
            "Key for the new action (default: `act-` + changeId). Only a key that may see every "
            "review may choose it; for others the key is `act-` and 16 hex digits made from "
            "the key name and changeId."
        ),
    )


@strawberry.input(description="A new status for an action.")
class UpdateActionStatusInput:
    change_id: str = change_id_field()
    action: str = strawberry.field(description="Key of the action.")
    status: ActionStatus = strawberry.field(description="Its new status.")
    completed_date: str | None = strawberry.field(
        default=None, description="Completion date (ISO); defaults to today when completed."
    )


@strawberry.input(description="An audit of whether an action's change is embedded in practice.")
class RecordAuditInput:
    change_id: str = change_id_field()
    action: str = strawberry.field(description="Key of the action audited.")
    date: str = strawberry.field(description="Date of the audit (ISO).")
    auditor: Auditor = strawberry.field(description="Who audited.")
    rating: AuditRating = strawberry.field(description="What the audit found.")
    method: str | None = strawberry.field(default=None, description="How it was audited.")
    finding: str | None = strawberry.field(default=None, description="What was found.")
    evidence: str | None = strawberry.field(default=None, description="Evidence seen.")
    audit_id: str | None = strawberry.field(
        default=None,
        description=(
            "Key for the new audit (default: `aud-` + changeId). Only a key that may see every "
            "review may choose it; for others the key is `aud-` and 16 hex digits made from "
            "the key name and changeId."
        ),
    )


@strawberry.type(description="The result of recording a response to a recommendation.")
class ResponsePayload:
    recommendation: Recommendation = strawberry.field(
        description="The recommendation as it now stands."
    )
    change: ChangeRecord = change_field()
    replayed: bool = replayed_field()


# A response moves a recommendation on from awaiting one.
RESPONSE_STATUSES: Final = tuple(
    s for s in RECOMMENDATION_STATUSES if s != "open_awaiting_response"
)


@strawberry.input(
    description="A response received to a recommendation (for a PFD report, the receiver's "
    "answer to the coroner, owed within 56 days)."
)
class RecordResponseInput:
    change_id: str = change_id_field()
    recommendation: str = strawberry.field(description="Key of the recommendation answered.")
    date: str | None = strawberry.field(
        default=None, description="Date the response was received (ISO); defaults to today."
    )
    status: RecommendationStatus = strawberry.field(
        default=member(RecommendationStatus, "open_acceptable_response"),
        description="The recommendation's status after it: any but `open_awaiting_response` "
        "(a BAD_USER_INPUT error).",
    )
    summary: str | None = strawberry.field(
        default=None, description="What the response said, in short."
    )


# -- validation ------------------------------------------------------------------------------


def _check_id(field: str, value: str) -> str:
    if not _ID.match(value):
        raise InvalidInput(
            f"{field} {value!r} is not a valid id: use 1 to 100 letters, digits, '.', '_', ':' "
            "or '-', starting with a letter or digit"
        )
    return value


def _check_one_of(field: str, value: Any, allowed: tuple[str, ...]) -> str:
    text = str(stored(value))
    if text not in allowed:
        raise InvalidInput(f"{field} {text!r} is not one of {', '.join(allowed)}")
    return text


def _check_date(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as e:
        raise InvalidInput(f"{field} {value!r} is not an ISO date (YYYY-MM-DD)") from e


def _check_text(field: str, value: str | None, required: bool = False) -> str | None:
    if value is None or not value.strip():
        if required:
            raise InvalidInput(f"{field} must not be empty")
        return None
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{field} is {len(value)} characters; at most {MAX_TEXT}")
    return value.strip()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sees_all(viewer: Viewer) -> bool:
    """Whether the viewer may see every review, so no record is hidden from them."""
    return set(viewer.statuses) >= set(REVIEW_STATUSES)


def new_key(viewer: Viewer, prefix: str, field: str, chosen: str | None, change_id: str) -> str:
    """The key of a record a mutation creates; it never depends on records the viewer cannot see.

    A viewer who sees everything may choose it (default: prefix + changeId). For anyone else
    a client-chosen key could collide with a hidden record, and the refusal would say that
    the record exists, so the key is minted from the viewer's name and the changeId instead.
    """
    if sees_all(viewer):
        return _check_id(field, chosen or f"{prefix}{change_id}")
    if chosen is not None:
        raise InvalidInput(
            f"{field} may only be chosen by a key that may see every review; leave it out "
            f"and the key is made from your changeId"
        )
    digest = hashlib.sha256(f"{viewer.name}\0{change_id}".encode()).hexdigest()[:16]
    return f"{prefix}{digest}"


def _check_series(
    store: GraphStore, viewer: Viewer, label: Label, key: str, parent: str, field: str
) -> None:
    """A key chosen by (or made from the changeId of) a viewer who sees every review must not
    number a record in a series where public viewers would see the gap (loaders.id_series):
    `act-2024-017` under a restricted review between public `act-2024-016` and `-018`.
    Keys made for other viewers are hashes, and their records are visible ones."""
    if not sees_all(viewer):
        return
    problems = IdSeries.of_store(store).check([Incoming(label, key, parent, field, None)])
    if problems:
        raise InvalidInput(f"{field} {key!r}: expected {problems[0].expected}")


def _get(store: GraphStore, viewer: Viewer, label: Label, key: str) -> Row | None:
    found: dict[str, Row] = queries.run(
        store, "entities.get", {"label": label.value, "ids": [key]}, viewer
    )
    return found.get(key)


# -- the change protocol ---------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    target: Row
    change: Row
    replayed: bool


def _apply(
    store: GraphStore,
    viewer: Viewer,
    kind: str,
    change_id: str,
    payload: dict[str, Any],
    target_label: Label,
    build: Callable[[], tuple[Batch, str]],
    record: dict[str, Any] | None = None,
    *,
    deletes_target: bool = False,
) -> Applied:
    """Apply a change once: replay a known changeId, refuse a reused one, else write.

    `build` may fill `record` with "before" and "after" (what the change altered); they are
    kept on the Change node as JSON. A change that `deletes_target` answers with the target
    as its Change records it (before, then after), the only trace of it left."""
    _check_id("changeId", change_id)
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    change_key = f"{viewer.name}:{change_id}"  # scoped to the key: others' changes never show
    old = store.get_nodes(Label.CHANGE, [change_key]).get(change_key)
    if old is not None:
        if old.get("kind") != kind or old.get("payload") != body:
            raise ChangeConflict(
                f"changeId {change_id!r} was used before for a different change "
                f"({old.get('kind')} on {old.get('target')}); use a new changeId"
            )
        target = _get(store, viewer, target_label, str(old["target"]))
        if target is None and deletes_target:
            target = _as_deleted(old)
        if target is None:
            raise InvalidInput(f"the {target_label.value} this change made is no longer visible")
        return Applied(target, old, replayed=True)
    batch, target_key = build()
    change = {
        "id": change_key,
        "kind": kind,
        "target": target_key,
        "actor": viewer.name,
        "at": _now(),
        "payload": body,
    }
    for name in ("before", "after"):
        if record and name in record:
            change[name] = json.dumps(record[name], sort_keys=True, separators=(",", ":"))
    batch.nodes.append(NodeWrite(Label.CHANGE, [change]))
    store.write(batch)
    target = (
        _as_deleted(change) if deletes_target else _get(store, viewer, target_label, target_key)
    )
    assert target is not None
    return Applied(target, change, replayed=False)


def apply_input(
    store: GraphStore,
    viewer: Viewer,
    require: Callable[[Viewer], None],
    kind: str,
    inp: Any,
    target_label: Label,
    build: Callable[[], tuple[Batch, str]],
    record: dict[str, Any] | None = None,
    *,
    deletes_target: bool = False,
) -> Applied:
    """A mutation's whole protocol: the caller's role checked (`require`), then `_apply` with
    the input's fields, all but its changeId, as the change's payload (enums as stored)."""
    require(viewer)
    payload = {f.name: stored(getattr(inp, f.name)) for f in fields(inp) if f.name != "change_id"}
    return _apply(
        store,
        viewer,
        kind,
        inp.change_id,
        payload,
        target_label,
        build,
        record,
        deletes_target=deletes_target,
    )


def _as_deleted(change: Row) -> Row:
    """A deleted target as its Change recorded it: the fields before, then those after."""
    row: Row = {"id": change["target"]}
    for name in ("before", "after"):
        if change.get(name):
            row.update(json.loads(str(change[name])))
    return row


# The prefix of a new action's or audit's key.
_KEY_PREFIX: Final = {Label.ACTION: "act-", Label.AUDIT: "aud-"}


def _new_child(
    store: GraphStore,
    viewer: Viewer,
    inp: RecordActionInput | RecordAuditInput,
    label: Label,
    field: str,
    chosen: str | None,
    parent_label: Label,
) -> str:
    """The key of a new action or audit (`label`) under its parent, named in `inp` by the
    parent's noun (`recommendation`, `action`), which the caller must see: chosen (`field`)
    or minted (`act-`, `aud-`), not taken, in its parent's id series."""
    noun, parent_noun = label.value.lower(), parent_label.value.lower()
    parent = str(getattr(inp, parent_noun))
    key = new_key(viewer, _KEY_PREFIX[label], field, chosen, inp.change_id)
    if _get(store, viewer, parent_label, parent) is None:
        raise InvalidInput(f"{parent_noun} {parent!r} does not exist")
    if store.get_nodes(label, [key]):
        raise InvalidInput(f"{noun} {key!r} exists already; choose another {field}")
    _check_series(store, viewer, label, key, parent, field)
    return key


def record_action(store: GraphStore, viewer: Viewer, inp: RecordActionInput) -> Applied:
    def build() -> tuple[Batch, str]:
        action_id = _new_child(
            store, viewer, inp, Label.ACTION, "actionId", inp.action_id, Label.RECOMMENDATION
        )
        status = _check_one_of("status", inp.status, ACTION_STATUSES)
        row: Row = {
            "id": action_id,
            "recommendation_id": inp.recommendation,
            "description": _check_text("description", inp.description, required=True),
            "due_date": _check_date("dueDate", inp.due_date),
            "status": status,
            "recorded_by": viewer.name,
            "recorded_at": _now(),
        }
        if status == "completed":
            row["completed_date"] = date.today().isoformat()
        rels = [RelWrite(RelType.RESPONDS_TO, [{"start": action_id, "end": inp.recommendation}])]
        if inp.owner_agency is not None:
            if _get(store, viewer, Label.AGENCY, inp.owner_agency) is None:
                raise InvalidInput(f"agency {inp.owner_agency!r} does not exist")
            row["owner_agency_id"] = inp.owner_agency
            rels.append(RelWrite(RelType.OWNED_BY, [{"start": action_id, "end": inp.owner_agency}]))
        return Batch(nodes=[NodeWrite(Label.ACTION, [row])], rels=rels), action_id

    return apply_input(
        store, viewer, require_mutation_role, "recordAction", inp, Label.ACTION, build
    )


def update_action_status(
    store: GraphStore, viewer: Viewer, inp: UpdateActionStatusInput
) -> Applied:
    def build() -> tuple[Batch, str]:
        if _get(store, viewer, Label.ACTION, inp.action) is None:
            raise InvalidInput(f"action {inp.action!r} does not exist")
        status = _check_one_of("status", inp.status, ACTION_STATUSES)
        completed = _check_date("completedDate", inp.completed_date)
        if status == "completed":
            completed = completed or date.today().isoformat()
        elif completed is not None:
            raise InvalidInput("completedDate is only for the status `completed`")
        row: Row = {
            "id": inp.action,
            "status": status,
            "completed_date": completed,
            "recorded_by": viewer.name,
            "recorded_at": _now(),
        }
        return Batch(nodes=[NodeWrite(Label.ACTION, [row])]), inp.action

    return apply_input(
        store, viewer, require_mutation_role, "updateActionStatus", inp, Label.ACTION, build
    )


def record_audit(store: GraphStore, viewer: Viewer, inp: RecordAuditInput) -> Applied:
    def build() -> tuple[Batch, str]:
        audit_id = _new_child(
            store, viewer, inp, Label.AUDIT, "auditId", inp.audit_id, Label.ACTION
        )
        row: Row = {
            "id": audit_id,
            "action_id": inp.action,
            "date": _check_date("date", inp.date),
            "auditor": _check_one_of("auditor", inp.auditor, AUDITORS),
            "rating": _check_one_of("rating", inp.rating, AUDIT_RATINGS),
            "method": _check_text("method", inp.method),
            "finding": _check_text("finding", inp.finding),
            "evidence": _check_text("evidence", inp.evidence),
            "recorded_by": viewer.name,
            "recorded_at": _now(),
        }
        return Batch(
            nodes=[NodeWrite(Label.AUDIT, [row])],
            rels=[RelWrite(RelType.CHECKS, [{"start": audit_id, "end": inp.action}])],
        ), audit_id

    return apply_input(store, viewer, require_mutation_role, "recordAudit", inp, Label.AUDIT, build)


def record_response(store: GraphStore, viewer: Viewer, inp: RecordResponseInput) -> Applied:
    def build() -> tuple[Batch, str]:
        # Visibility first: a recommendation of a review the caller may not see is absent.
        if _get(store, viewer, Label.RECOMMENDATION, inp.recommendation) is None:
            raise InvalidInput(f"recommendation {inp.recommendation!r} does not exist")
        row: Row = {
            "id": inp.recommendation,
            "status": _check_one_of("status", inp.status, RESPONSE_STATUSES),
            "response_date": _check_date("date", inp.date) or date.today().isoformat(),
            "response_summary": _check_text("summary", inp.summary),
            "recorded_by": viewer.name,
            "recorded_at": _now(),
        }
        return Batch(nodes=[NodeWrite(Label.RECOMMENDATION, [row])]), inp.recommendation

    return apply_input(
        store, viewer, require_mutation_role, "recordResponse", inp, Label.RECOMMENDATION, build
    )


async def _in_thread(ctx: Context, fn: Callable[[], T]) -> T:
    """Run a store call in a worker thread, counted as one backend call of the request."""
    ctx.backend_calls += 1
    return await anyio.to_thread.run_sync(fn)


def change_mutation(
    apply: Callable[[GraphStore, Viewer, Any], Applied],
    input_type: Any,
    what: str,
    answer: Callable[[Applied], Any],
    description: str,
) -> Any:
    """A mutation that applies its `input` (of `input_type`, described as `what`) with
    `apply`, as the caller, in a worker thread, and answers `answer` of what was applied (the
    field's type is what `answer` returns)."""

    async def resolve(self: Any, info: strawberry.Info[Context, None], input: Any) -> Any:
        ctx = info.context
        return answer(await _in_thread(ctx, lambda: apply(ctx.store, ctx.viewer, input)))

    resolve.__annotations__ = {
        "info": strawberry.Info[Context, None],
        "input": Annotated[input_type, strawberry.argument(description=what)],
        "return": get_type_hints(answer)["return"],
    }
    return strawberry.mutation(resolver=resolve, description=description)


def payload(cls: type[P], a: Applied, subject: str, node: type[Node], **more: Any) -> P:
    """A change's payload: its target as it now stands (as `node`, under `subject`), the
    recorded change, whether it was replayed; and `more`."""
    return cls(  # type: ignore[call-arg]
        **{subject: node(props=a.target)},
        change=ChangeRecord.of(a.change),
        replayed=a.replayed,
        **more,
    )


def _action_payload(a: Applied) -> ActionPayload:
    return payload(ActionPayload, a, "action", Action)


def _audit_payload(a: Applied) -> AuditPayload:
    return payload(AuditPayload, a, "audit", Audit)


def _response_payload(a: Applied) -> ResponsePayload:
    return payload(ResponsePayload, a, "recommendation", Recommendation)


@strawberry.type(
    description="Changes inspectors (and admins) may make to actions, audits and responses."
)
class Mutation:
    record_action = change_mutation(
        record_action,
        RecordActionInput,
        "The action.",
        _action_payload,
        "Record a new action answering a recommendation.",
    )
    update_action_status = change_mutation(
        update_action_status,
        UpdateActionStatusInput,
        "The new status.",
        _action_payload,
        "Change an action's status (and completion date).",
    )
    record_audit = change_mutation(
        record_audit,
        RecordAuditInput,
        "The audit.",
        _audit_payload,
        "Record an audit of an action.",
    )
    record_response = change_mutation(
        record_response,
        RecordResponseInput,
        "The response.",
        _response_payload,
        "Record the response to a recommendation: its date, what it said and the status it "
        "leaves the recommendation in. A PFD report's concerns await a response until one is "
        "recorded; one owed past its due date is outstanding.",
    )
