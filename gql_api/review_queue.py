"""The review queue: what the document reader was not sure of, for a person to decide.

A document's items (recommendations, a PFD report's matters of concern) and the document
itself carry the reader's confidence and its reasons (loaders.extract.confidence); those
below the threshold are loaded `queued`. An analyst, inspector or admin key lists the queue
(`reviewQueue`) and decides: confirm an item, correct its text, number, addressees or themes,
merge two items of one review, remove one that is not a recommendation, or confirm a
document. A public key (or none) may do none of it.

Each decision goes through the inspectors' change protocol (gql_api.mutations): idempotent
by `changeId`, recorded as a Change node with who, when, and the fields before and after.
Every id is looked up as the caller sees it, so an item of a review hidden from the caller
gets the same error as one that does not exist. The decision is written on the item
(`review_state`, `decided_by`, `decided_at`), and loading the same document again leaves a
decided item alone (loaders.extract.batch.keep_decisions).

A removed item, and the item merged away, are deleted with their links (the store's
deletions, graph_store.base.Batch), so lists, counts, search and the aggregates no longer
show them; their review records their keys (`removed_items`) so that loading the document
again does not bring them back, and the Change keeps what they were. A correction unlinks
the themes and addressees it no longer names (those the caller sees).
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Final

import strawberry

import queries
from gql_api.auth import require_queue_role
from gql_api.context import Context
from gql_api.enums import ReviewState, member
from gql_api.mutations import (
    Applied,
    ChangeRecord,
    InvalidInput,
    _check_text,
    _get,
    _in_thread,
    _now,
    apply_input,
    change_field,
    change_id_field,
    change_mutation,
    payload,
    replayed_field,
)
from gql_api.recommendation import Recommendation
from gql_api.review import Review
from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, NodeDelete, NodeWrite, RelDelete, RelWrite, Row
from loaders.extract.confidence import QUEUE_THRESHOLD
from queries import Viewer

MAX_FIRST: Final = 500
MAX_NUMBER: Final = 20
# Items in these states were decided away: they take no further decision.
_GONE: Final = ("removed",)


# -- the queue -------------------------------------------------------------------------------


def _reasons(props: Row) -> list[str]:
    return [str(r) for r in props.get("confidence_reasons") or []]


@strawberry.type(description="An item the document reader was not sure of.")
class QueuedItem:
    recommendation: Recommendation = strawberry.field(description="The item as it now stands.")
    review_key: str = strawberry.field(description="Key of the review that makes it.")
    confidence: float = strawberry.field(description="How sure the reader was, 0 to 1.")
    reasons: list[str] = strawberry.field(
        description="Why: the layout that matched, the heading it was under, what lowered it."
    )


@strawberry.type(description="A document the reader was not sure of, as a whole.")
class QueuedDocument:
    review: Review = strawberry.field(description="The review read from the document.")
    confidence: float = strawberry.field(
        description="The document's confidence: its weakest item's, less what was not kept."
    )
    reasons: list[str] = strawberry.field(description="Why.")
    queued_items: int = strawberry.field(description="How many of its items are queued.")


@strawberry.type(description="What waits for a person: queued items and documents.")
class ReviewQueue:
    threshold: float = strawberry.field(
        description="Items and documents read with a confidence below this are queued."
    )
    total_items: int = strawberry.field(description="Queued items in all (before `first`).")
    total_documents: int = strawberry.field(description="Queued documents in all (before `first`).")
    items: list[QueuedItem] = strawberry.field(description="Queued items, weakest first.")
    documents: list[QueuedDocument] = strawberry.field(
        description="Queued documents, weakest first."
    )


def review_queue(
    store: GraphStore, viewer: Viewer, review: str | None, first: int
) -> dict[str, Any]:
    """The queue as the viewer may see it; a hidden review is refused as an absent one."""
    require_queue_role(viewer)
    if not 1 <= first <= MAX_FIRST:
        raise InvalidInput(f"first {first} is out of range: expected 1 to {MAX_FIRST}")
    if review is not None and _get(store, viewer, Label.REVIEW, review) is None:
        raise InvalidInput(f"review {review!r} does not exist")
    out: dict[str, Any] = queries.run(store, "review_queue", {"review": review}, viewer)
    return out


def _queue_answer(found: dict[str, Any], first: int) -> ReviewQueue:
    items = found["items"]
    documents = found["documents"]
    return ReviewQueue(
        threshold=QUEUE_THRESHOLD,
        total_items=len(items),
        total_documents=len(documents),
        items=[
            QueuedItem(
                recommendation=Recommendation(props=it["props"]),
                review_key=str(it["review"]),
                confidence=float(it["props"].get("confidence") or 0.0),
                reasons=_reasons(it["props"]),
            )
            for it in items[:first]
        ],
        documents=[
            QueuedDocument(
                review=Review(props=d["props"]),
                confidence=float(d["props"].get("confidence") or 0.0),
                reasons=_reasons(d["props"]),
                queued_items=int(d["queued_items"]),
            )
            for d in documents[:first]
        ],
    )


# -- decisions -------------------------------------------------------------------------------


@strawberry.input(description="Confirm an item as the reader read it.")
class ConfirmItemInput:
    change_id: str = change_id_field()
    item: str = strawberry.field(description="Key of the recommendation (or concern).")


@strawberry.input(
    description="Correct an item: give only what changes. Themes and addressees are the "
    "item's full lists as they should be."
)
class CorrectItemInput:
    change_id: str = change_id_field()
    item: str = strawberry.field(description="Key of the recommendation (or concern).")
    text: str | None = strawberry.field(default=None, description="Its text as it should be.")
    number: str | None = strawberry.field(
        default=None, description="Its number as printed (1 to 20 characters)."
    )
    addressees: list[str] | None = strawberry.field(
        default=None, description="Keys of the agencies it is addressed to."
    )
    themes: list[str] | None = strawberry.field(
        default=None, description="Keys of the themes it is about."
    )


@strawberry.input(
    description="Merge two items of one review that are one recommendation (listed twice, or "
    "split in two): `merge` goes into `keep`."
)
class MergeItemsInput:
    change_id: str = change_id_field()
    keep: str = strawberry.field(description="Key of the item that stays.")
    merge: str = strawberry.field(description="Key of the item merged into it.")
    text: str | None = strawberry.field(
        default=None, description="The merged item's text (default: the kept item's)."
    )


@strawberry.input(description="Remove an item that is not a recommendation.")
class RemoveItemInput:
    change_id: str = change_id_field()
    item: str = strawberry.field(description="Key of the recommendation (or concern).")
    reason: str | None = strawberry.field(
        default=None, description="Why (a learning point, a question, a quoted recommendation)."
    )


@strawberry.input(description="Confirm a document as read, as a whole.")
class ConfirmDocumentInput:
    change_id: str = change_id_field()
    review: str = strawberry.field(description="Key of the review read from the document.")


@strawberry.type(description="The result of a decision on an item.")
class ItemDecisionPayload:
    recommendation: Recommendation = strawberry.field(
        description="The item as it now stands; for `removeItem`, as it was when deleted (its "
        "Change's before and after: its links are gone)."
    )
    state: ReviewState = strawberry.field(description="Where the item now stands in the queue.")
    change: ChangeRecord = change_field()
    replayed: bool = replayed_field()


@strawberry.type(description="The result of a decision on a document.")
class DocumentDecisionPayload:
    review: Review = strawberry.field(description="The review as it now stands.")
    state: ReviewState = strawberry.field(description="Where the document now stands in the queue.")
    change: ChangeRecord = change_field()
    replayed: bool = replayed_field()


@dataclass(frozen=True)
class _Decision:
    """What a decision writes (and deletes), on which node, and the fields it changes as they
    were and as they become (kept on its Change)."""

    batch: Batch
    target: str
    before: dict[str, Any]
    after: dict[str, Any]


def _decide(
    store: GraphStore,
    viewer: Viewer,
    kind: str,
    inp: Any,
    label: Label,
    decide: Callable[[], _Decision],
    *,
    deletes_target: bool = False,
) -> Applied:
    """Every decision: the change protocol of gql_api.mutations (`apply_input`: the caller's
    role, the input as the payload, idempotent by changeId) with the decision's before and
    after recorded on its Change."""
    record: dict[str, Any] = {}

    def build() -> tuple[Batch, str]:
        d = decide()
        record["before"], record["after"] = d.before, d.after
        return d.batch, d.target

    return apply_input(
        store,
        viewer,
        require_queue_role,
        kind,
        inp,
        label,
        build,
        record,
        deletes_target=deletes_target,
    )


def _item(store: GraphStore, viewer: Viewer, key: str, field: str = "item") -> Row:
    """The item as the viewer sees it; hidden and absent get the same error."""
    row = _get(store, viewer, Label.RECOMMENDATION, key)
    if row is None:
        raise InvalidInput(f"{field} {key!r} does not exist")
    if row.get("review_state") in _GONE or row.get("merged_into"):
        # Only a store written before decisions deleted has such an item.
        raise InvalidInput(
            f"{field} {key!r} was {row.get('review_state')}"
            + (f" into {row['merged_into']!r}" if row.get("merged_into") else "")
            + "; it takes no further decision"
        )
    return row


def _linked(store: GraphStore, viewer: Viewer, edge: str, key: str) -> list[str]:
    found: dict[str, list[dict[str, Row]]] = queries.run(
        store, "entities.neighbours", {"edge": edge, "ids": [key]}, viewer
    )
    return sorted(str(n["node"]["id"]) for n in found.get(key, []))


def _review_of(store: GraphStore, viewer: Viewer, key: str) -> str:
    reviews = _linked(store, viewer, "recommendation.review", key)
    return reviews[0] if reviews else ""


def _decided(viewer: Viewer, key: str, state: str) -> Row:
    return {"id": key, "review_state": state, "decided_by": viewer.name, "decided_at": _now()}


def _as_was(row: Row) -> dict[str, Any]:
    """What the Change keeps of an item it deletes: the only trace of it left."""
    return {k: row.get(k) for k in ("review_state", "number", "text", "status")}


def _removed_from(store: GraphStore, viewer: Viewer, item: str) -> list[NodeWrite]:
    """The write that adds `item` to its review's `removed_items`, so that loading the
    document again does not bring it back (loaders.extract.batch.keep_decisions)."""
    review = _review_of(store, viewer, item)
    if not review:
        return []
    row = _get(store, viewer, Label.REVIEW, review) or {}
    gone = sorted({*(row.get("removed_items") or []), item})
    return [NodeWrite(Label.REVIEW, [{"id": review, "removed_items": gone}])]


def confirm_item(store: GraphStore, viewer: Viewer, inp: ConfirmItemInput) -> Applied:
    def decide() -> _Decision:
        row = _item(store, viewer, inp.item)
        return _Decision(
            Batch(
                nodes=[NodeWrite(Label.RECOMMENDATION, [_decided(viewer, inp.item, "confirmed")])]
            ),
            inp.item,
            {"review_state": row.get("review_state")},
            {"review_state": "confirmed"},
        )

    return _decide(store, viewer, "confirmItem", inp, Label.RECOMMENDATION, decide)


def _keys(
    store: GraphStore, viewer: Viewer, field: str, label: Label, keys: list[str]
) -> list[str]:
    """Distinct keys, each one the viewer may see; else a BAD_USER_INPUT naming it."""
    out = sorted(set(keys))
    if label == Label.THEME:
        found = set(store.get_nodes(label, out))  # the taxonomy is public
    else:
        seen: dict[str, Row] = queries.run(
            store, "entities.get", {"label": label.value, "ids": out}, viewer
        )
        found = set(seen)
    for k in out:
        if k not in found:
            raise InvalidInput(f"{field}: {label.value.lower()} {k!r} does not exist")
    return out


def correct_item(store: GraphStore, viewer: Viewer, inp: CorrectItemInput) -> Applied:
    def decide() -> _Decision:
        row = _item(store, viewer, inp.item)
        if all(v is None for v in (inp.text, inp.number, inp.addressees, inp.themes)):
            raise InvalidInput("give at least one of text, number, addressees or themes")
        new = _decided(viewer, inp.item, "corrected")
        before: dict[str, Any] = {"review_state": row.get("review_state")}
        after: dict[str, Any] = {"review_state": "corrected"}
        batch = Batch(nodes=[NodeWrite(Label.RECOMMENDATION, [new])])
        if inp.text is not None:
            new["text"] = _check_text("text", inp.text, required=True)
            before["text"], after["text"] = row.get("text"), new["text"]
        if inp.number is not None:
            number = inp.number.strip()
            if not 1 <= len(number) <= MAX_NUMBER:
                raise InvalidInput(f"number {inp.number!r}: expected 1 to {MAX_NUMBER} characters")
            new["number"] = number
            before["number"], after["number"] = row.get("number"), number
        # (input field, given keys, label, the edge as the caller sees it, type, link props)
        lists: list[tuple[str, list[str] | None, Label, str, RelType, Row]] = [
            (
                "addressees",
                inp.addressees,
                Label.AGENCY,
                "recommendation.agencies",
                RelType.ADDRESSED_TO,
                {},
            ),
            (
                "themes",
                inp.themes,
                Label.THEME,
                "recommendation.themes",
                RelType.TAGGED,
                {"evidence": f"set by {viewer.name}"},
            ),
        ]
        for name, given, label, edge, rel, props in lists:
            if given is None:
                continue
            want = _keys(store, viewer, name, label, given)
            had = _linked(store, viewer, edge, inp.item)
            before[name], after[name] = had, want
            # The links it drops go (only those the caller sees: `had` is as they see it).
            dropped = [{"start": inp.item, "end": k} for k in had if k not in want]
            if dropped:
                batch.delete_rels.append(RelDelete(rel, dropped))
            if want:
                batch.rels.append(
                    RelWrite(
                        rel, [{"start": inp.item, "end": k, "props": dict(props)} for k in want]
                    )
                )
        return _Decision(batch, inp.item, before, after)

    return _decide(store, viewer, "correctItem", inp, Label.RECOMMENDATION, decide)


def merge_items(store: GraphStore, viewer: Viewer, inp: MergeItemsInput) -> Applied:
    def decide() -> _Decision:
        keep = _item(store, viewer, inp.keep, "keep")
        gone = _item(store, viewer, inp.merge, "merge")
        if inp.keep == inp.merge:
            raise InvalidInput("keep and merge name the same item; name two")
        review = _review_of(store, viewer, inp.keep)
        if review != _review_of(store, viewer, inp.merge):
            raise InvalidInput(
                f"keep {inp.keep!r} and merge {inp.merge!r} are items of different reviews; "
                "only items of one review can be merged"
            )
        themes = _linked(store, viewer, "recommendation.themes", inp.merge)
        agencies = _linked(store, viewer, "recommendation.agencies", inp.merge)
        actions = _linked(store, viewer, "recommendation.actions", inp.merge)
        kept = _decided(viewer, inp.keep, "merged")
        kept["merged_from"] = sorted({*(keep.get("merged_from") or []), inp.merge})
        places = [p for p in (keep.get("location"), gone.get("location")) if p]
        kept["location"] = "; also ".join(places) if places else None
        text = _check_text("text", inp.text) if inp.text is not None else None
        if text is not None:
            kept["text"] = text
        before = {
            "keep": {"review_state": keep.get("review_state"), "text": keep.get("text")},
            "merge": _as_was(gone),
        }
        after = {
            "keep": {"review_state": "merged", "text": text or keep.get("text")},
            "merge": {"review_state": "merged", "merged_into": inp.keep, "deleted": True},
            "themes_added": themes,
            "addressees_added": agencies,
            "actions_moved": actions,
        }
        # What must survive moves to the kept item; then the merged-away item goes, with its
        # links, and its review remembers it was decided away.
        batch = Batch(
            nodes=[
                NodeWrite(Label.RECOMMENDATION, [kept]),
                *_removed_from(store, viewer, inp.merge),
            ],
            rels=[
                RelWrite(
                    RelType.TAGGED,
                    [
                        {
                            "start": inp.keep,
                            "end": t,
                            "props": {"evidence": f"merged from {inp.merge}"},
                        }
                        for t in themes
                    ],
                ),
                RelWrite(
                    RelType.ADDRESSED_TO,
                    [{"start": inp.keep, "end": a, "props": {}} for a in agencies],
                ),
                RelWrite(
                    RelType.RESPONDS_TO,
                    [{"start": a, "end": inp.keep, "props": {}} for a in actions],
                ),
            ],
            delete_nodes=[NodeDelete(Label.RECOMMENDATION, [inp.merge])],
        )
        if actions:
            batch.nodes.append(
                NodeWrite(Label.ACTION, [{"id": a, "recommendation_id": inp.keep} for a in actions])
            )
        batch.rels = [rw for rw in batch.rels if rw.rows]
        return _Decision(batch, inp.keep, before, after)

    return _decide(store, viewer, "mergeItems", inp, Label.RECOMMENDATION, decide)


def remove_item(store: GraphStore, viewer: Viewer, inp: RemoveItemInput) -> Applied:
    def decide() -> _Decision:
        row = _item(store, viewer, inp.item)
        reason = _check_text("reason", inp.reason)
        actions = _linked(store, viewer, "recommendation.actions", inp.item)
        if actions:
            raise InvalidInput(
                f"item {inp.item!r} has {len(actions)} action(s) answering it "
                f"({', '.join(actions[:3])}); it is a recommendation: correct or merge it instead"
            )
        batch = Batch(
            nodes=_removed_from(store, viewer, inp.item),
            delete_nodes=[NodeDelete(Label.RECOMMENDATION, [inp.item])],
        )
        after = {"review_state": "removed", "reason": reason, "deleted": True}
        return _Decision(batch, inp.item, _as_was(row), after)

    return _decide(
        store, viewer, "removeItem", inp, Label.RECOMMENDATION, decide, deletes_target=True
    )


def confirm_document(store: GraphStore, viewer: Viewer, inp: ConfirmDocumentInput) -> Applied:
    def decide() -> _Decision:
        row = _get(store, viewer, Label.REVIEW, inp.review)
        if row is None:
            raise InvalidInput(f"review {inp.review!r} does not exist")
        return _Decision(
            Batch(nodes=[NodeWrite(Label.REVIEW, [_decided(viewer, inp.review, "confirmed")])]),
            inp.review,
            {"review_state": row.get("review_state")},
            {"review_state": "confirmed"},
        )

    return _decide(store, viewer, "confirmDocument", inp, Label.REVIEW, decide)


# -- GraphQL ---------------------------------------------------------------------------------


def _state(a: Applied) -> Any:
    return member(ReviewState, a.target.get("review_state"))


def _item_payload(a: Applied) -> ItemDecisionPayload:
    return payload(ItemDecisionPayload, a, "recommendation", Recommendation, state=_state(a))


def _document_payload(a: Applied) -> DocumentDecisionPayload:
    return payload(DocumentDecisionPayload, a, "review", Review, state=_state(a))


@strawberry.type
class ReviewQueueQuery:
    @strawberry.field(
        description="The review queue: items and documents the document reader was not sure "
        "of (confidence below the threshold), weakest first, of the reviews your key may see. "
        "Needs an analyst, inspector or admin key."
    )
    async def review_queue(
        self,
        info: strawberry.Info[Context, None],
        review: Annotated[
            str | None, strawberry.argument(description="Only this review's queue.")
        ] = None,
        first: Annotated[
            int,
            strawberry.argument(
                description=f"At most this many items and documents (1 to {MAX_FIRST})."
            ),
        ] = 50,
    ) -> ReviewQueue:
        ctx = info.context
        found = await _in_thread(ctx, lambda: review_queue(ctx.store, ctx.viewer, review, first))
        return _queue_answer(found, first)


@strawberry.type
class ReviewQueueMutation:
    confirm_item = change_mutation(
        confirm_item,
        ConfirmItemInput,
        "The item.",
        _item_payload,
        "Confirm a queued item as read. Analyst, inspector or admin keys.",
    )
    correct_item = change_mutation(
        correct_item,
        CorrectItemInput,
        "The correction.",
        _item_payload,
        "Correct an item's text, number, addressees or themes; the addressees and themes it no "
        "longer names are unlinked. Analyst, inspector or admin keys.",
    )
    merge_items = change_mutation(
        merge_items,
        MergeItemsInput,
        "The two items.",
        _item_payload,
        "Merge two items of one review into one: the kept item takes the other's themes, "
        "addressees, actions and place, and the other is deleted. Analyst, inspector or admin "
        "keys.",
    )
    remove_item = change_mutation(
        remove_item,
        RemoveItemInput,
        "The item.",
        _item_payload,
        "Remove an item that is not a recommendation: it is deleted with its links (the "
        "payload gives it as it was), and loading its document again does not bring it back. "
        "Analyst, inspector or admin keys.",
    )
    confirm_document = change_mutation(
        confirm_document,
        ConfirmDocumentInput,
        "The document.",
        _document_payload,
        "Confirm a queued document as read, as a whole. Analyst, inspector or admin keys.",
    )


__all__ = ["ReviewQueueMutation", "ReviewQueueQuery"]
