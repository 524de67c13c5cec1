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

The store merges and never deletes, so a correction adds the themes and addressees it
names and records those it drops (in the Change's before/after) without unlinking them, and a
removed or merged-away item stays in the graph marked `removed` or `merged`.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final

import anyio.to_thread
import strawberry

import queries
from gql_api.auth import require_queue_role
from gql_api.context import Context
from gql_api.enums import ReviewState, member
from gql_api.mutations import (
    Applied,
    ChangeRecord,
    InvalidInput,
    _apply,
    _check_text,
    _get,
    _now,
)
from gql_api.recommendation import Recommendation
from gql_api.review import Review
from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, NodeWrite, RelWrite, Row
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
    change_id: str = strawberry.field(description="Your unique id for this change (idempotency).")
    item: str = strawberry.field(description="Key of the recommendation (or concern).")


@strawberry.input(
    description="Correct an item: give only what changes. Themes and addressees are the "
    "item's full lists as they should be."
)
class CorrectItemInput:
    change_id: str = strawberry.field(description="Your unique id for this change (idempotency).")
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
    change_id: str = strawberry.field(description="Your unique id for this change (idempotency).")
    keep: str = strawberry.field(description="Key of the item that stays.")
    merge: str = strawberry.field(description="Key of the item merged into it.")
    text: str | None = strawberry.field(
        default=None, description="The merged item's text (default: the kept item's)."
    )


@strawberry.input(description="Remove an item that is not a recommendation.")
class RemoveItemInput:
    change_id: str = strawberry.field(description="Your unique id for this change (idempotency).")
    item: str = strawberry.field(description="Key of the recommendation (or concern).")
    reason: str | None = strawberry.field(
        default=None, description="Why (a learning point, a question, a quoted recommendation)."
    )


@strawberry.input(description="Confirm a document as read, as a whole.")
class ConfirmDocumentInput:
    change_id: str = strawberry.field(description="Your unique id for this change (idempotency).")
    review: str = strawberry.field(description="Key of the review read from the document.")


@strawberry.type(description="The result of a decision on an item.")
class ItemDecisionPayload:
    recommendation: Recommendation = strawberry.field(description="The item as it now stands.")
    state: ReviewState = strawberry.field(description="Where the item now stands in the queue.")
    change: ChangeRecord = strawberry.field(description="The recorded change.")
    replayed: bool = strawberry.field(
        description="True when this changeId had been applied before and nothing new was written."
    )


@strawberry.type(description="The result of a decision on a document.")
class DocumentDecisionPayload:
    review: Review = strawberry.field(description="The review as it now stands.")
    state: ReviewState = strawberry.field(description="Where the document now stands in the queue.")
    change: ChangeRecord = strawberry.field(description="The recorded change.")
    replayed: bool = strawberry.field(
        description="True when this changeId had been applied before and nothing new was written."
    )


def _item(store: GraphStore, viewer: Viewer, key: str, field: str = "item") -> Row:
    """The item as the viewer sees it; hidden and absent get the same error."""
    row = _get(store, viewer, Label.RECOMMENDATION, key)
    if row is None:
        raise InvalidInput(f"{field} {key!r} does not exist")
    if row.get("review_state") in _GONE or row.get("merged_into"):
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


def confirm_item(store: GraphStore, viewer: Viewer, inp: ConfirmItemInput) -> Applied:
    require_queue_role(viewer)
    record: dict[str, Any] = {}

    def build() -> tuple[Batch, str]:
        row = _item(store, viewer, inp.item)
        record["before"] = {"review_state": row.get("review_state")}
        record["after"] = {"review_state": "confirmed"}
        return Batch(
            nodes=[NodeWrite(Label.RECOMMENDATION, [_decided(viewer, inp.item, "confirmed")])]
        ), inp.item

    return _apply(
        store,
        viewer,
        "confirmItem",
        inp.change_id,
        {"item": inp.item},
        Label.RECOMMENDATION,
        build,
        record,
    )


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
    require_queue_role(viewer)
    payload = {
        "item": inp.item,
        "text": inp.text,
        "number": inp.number,
        "addressees": inp.addressees,
        "themes": inp.themes,
    }
    record: dict[str, Any] = {}

    def build() -> tuple[Batch, str]:
        row = _item(store, viewer, inp.item)
        if all(v is None for v in (inp.text, inp.number, inp.addressees, inp.themes)):
            raise InvalidInput("give at least one of text, number, addressees or themes")
        new = _decided(viewer, inp.item, "corrected")
        before: dict[str, Any] = {"review_state": row.get("review_state")}
        after: dict[str, Any] = {"review_state": "corrected"}
        rels: list[RelWrite] = []
        if inp.text is not None:
            new["text"] = _check_text("text", inp.text, required=True)
            before["text"], after["text"] = row.get("text"), new["text"]
        if inp.number is not None:
            number = inp.number.strip()
            if not 1 <= len(number) <= MAX_NUMBER:
                raise InvalidInput(f"number {inp.number!r}: expected 1 to {MAX_NUMBER} characters")
            new["number"] = number
            before["number"], after["number"] = row.get("number"), number
        if inp.addressees is not None:
            agencies = _keys(store, viewer, "addressees", Label.AGENCY, inp.addressees)
            before["addressees"] = _linked(store, viewer, "recommendation.agencies", inp.item)
            after["addressees"] = agencies
            rels.append(
                RelWrite(
                    RelType.ADDRESSED_TO,
                    [{"start": inp.item, "end": a, "props": {}} for a in agencies],
                )
            )
        if inp.themes is not None:
            themes = _keys(store, viewer, "themes", Label.THEME, inp.themes)
            before["themes"] = _linked(store, viewer, "recommendation.themes", inp.item)
            after["themes"] = themes
            rels.append(
                RelWrite(
                    RelType.TAGGED,
                    [
                        {
                            "start": inp.item,
                            "end": t,
                            "props": {"evidence": f"set by {viewer.name}"},
                        }
                        for t in themes
                    ],
                )
            )
        record["before"], record["after"] = before, after
        batch = Batch(nodes=[NodeWrite(Label.RECOMMENDATION, [new])], rels=rels)
        batch.rels = [rw for rw in batch.rels if rw.rows]
        return batch, inp.item

    return _apply(
        store, viewer, "correctItem", inp.change_id, payload, Label.RECOMMENDATION, build, record
    )


def merge_items(store: GraphStore, viewer: Viewer, inp: MergeItemsInput) -> Applied:
    require_queue_role(viewer)
    payload = {"keep": inp.keep, "merge": inp.merge, "text": inp.text}
    record: dict[str, Any] = {}

    def build() -> tuple[Batch, str]:
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
        kept = _decided(viewer, inp.keep, "merged")
        merged_from = sorted({*(keep.get("merged_from") or []), inp.merge})
        kept["merged_from"] = merged_from
        places = [p for p in (keep.get("location"), gone.get("location")) if p]
        kept["location"] = "; also ".join(places) if places else None
        text = _check_text("text", inp.text) if inp.text is not None else None
        if text is not None:
            kept["text"] = text
        away = _decided(viewer, inp.merge, "merged")
        away["merged_into"] = inp.keep
        record["before"] = {
            "keep": {"review_state": keep.get("review_state"), "text": keep.get("text")},
            "merge": {"review_state": gone.get("review_state"), "text": gone.get("text")},
        }
        record["after"] = {
            "keep": {"review_state": "merged", "text": text or keep.get("text")},
            "merge": {"review_state": "merged", "merged_into": inp.keep},
            "themes_added": themes,
            "addressees_added": agencies,
        }
        batch = Batch(
            nodes=[NodeWrite(Label.RECOMMENDATION, [kept, away])],
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
            ],
        )
        batch.rels = [rw for rw in batch.rels if rw.rows]
        return batch, inp.keep

    return _apply(
        store, viewer, "mergeItems", inp.change_id, payload, Label.RECOMMENDATION, build, record
    )


def remove_item(store: GraphStore, viewer: Viewer, inp: RemoveItemInput) -> Applied:
    require_queue_role(viewer)
    payload = {"item": inp.item, "reason": inp.reason}
    record: dict[str, Any] = {}

    def build() -> tuple[Batch, str]:
        row = _item(store, viewer, inp.item)
        reason = _check_text("reason", inp.reason)
        record["before"] = {"review_state": row.get("review_state")}
        record["after"] = {"review_state": "removed", "reason": reason}
        return Batch(
            nodes=[NodeWrite(Label.RECOMMENDATION, [_decided(viewer, inp.item, "removed")])]
        ), inp.item

    return _apply(
        store, viewer, "removeItem", inp.change_id, payload, Label.RECOMMENDATION, build, record
    )


def confirm_document(store: GraphStore, viewer: Viewer, inp: ConfirmDocumentInput) -> Applied:
    require_queue_role(viewer)
    record: dict[str, Any] = {}

    def build() -> tuple[Batch, str]:
        row = _get(store, viewer, Label.REVIEW, inp.review)
        if row is None:
            raise InvalidInput(f"review {inp.review!r} does not exist")
        record["before"] = {"review_state": row.get("review_state")}
        record["after"] = {"review_state": "confirmed"}
        return Batch(
            nodes=[NodeWrite(Label.REVIEW, [_decided(viewer, inp.review, "confirmed")])]
        ), inp.review

    return _apply(
        store,
        viewer,
        "confirmDocument",
        inp.change_id,
        {"review": inp.review},
        Label.REVIEW,
        build,
        record,
    )


# -- GraphQL ---------------------------------------------------------------------------------


async def _in_thread(ctx: Context, fn: Callable[[], Any]) -> Any:
    ctx.backend_calls += 1
    return await anyio.to_thread.run_sync(fn)


def _item_payload(a: Applied) -> ItemDecisionPayload:
    return ItemDecisionPayload(
        recommendation=Recommendation(props=a.target),
        state=member(ReviewState, a.target.get("review_state")),
        change=ChangeRecord.of(a.change),
        replayed=a.replayed,
    )


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
    @strawberry.mutation(
        description="Confirm a queued item as read. Analyst, inspector or admin keys."
    )
    async def confirm_item(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[ConfirmItemInput, strawberry.argument(description="The item.")],
    ) -> ItemDecisionPayload:
        ctx = info.context
        a = await _in_thread(ctx, lambda: confirm_item(ctx.store, ctx.viewer, input))
        return _item_payload(a)

    @strawberry.mutation(
        description="Correct an item's text, number, addressees or themes. Analyst, inspector "
        "or admin keys."
    )
    async def correct_item(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[CorrectItemInput, strawberry.argument(description="The correction.")],
    ) -> ItemDecisionPayload:
        ctx = info.context
        a = await _in_thread(ctx, lambda: correct_item(ctx.store, ctx.viewer, input))
        return _item_payload(a)

    @strawberry.mutation(
        description="Merge two items of one review into one (its themes, addressees and "
        "places kept). Analyst, inspector or admin keys."
    )
    async def merge_items(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[MergeItemsInput, strawberry.argument(description="The two items.")],
    ) -> ItemDecisionPayload:
        ctx = info.context
        a = await _in_thread(ctx, lambda: merge_items(ctx.store, ctx.viewer, input))
        return _item_payload(a)

    @strawberry.mutation(
        description="Remove an item that is not a recommendation. Analyst, inspector or admin keys."
    )
    async def remove_item(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[RemoveItemInput, strawberry.argument(description="The item.")],
    ) -> ItemDecisionPayload:
        ctx = info.context
        a = await _in_thread(ctx, lambda: remove_item(ctx.store, ctx.viewer, input))
        return _item_payload(a)

    @strawberry.mutation(
        description="Confirm a queued document as read, as a whole. Analyst, inspector or "
        "admin keys."
    )
    async def confirm_document(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[ConfirmDocumentInput, strawberry.argument(description="The document.")],
    ) -> DocumentDecisionPayload:
        ctx = info.context
        a = await _in_thread(ctx, lambda: confirm_document(ctx.store, ctx.viewer, input))
        return DocumentDecisionPayload(
            review=Review(props=a.target),
            state=member(ReviewState, a.target.get("review_state")),
            change=ChangeRecord.of(a.change),
            replayed=a.replayed,
        )


__all__ = ["ReviewQueueMutation", "ReviewQueueQuery"]
