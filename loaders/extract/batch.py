"""Turning an extracted review into graph writes for the loader."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Final

from graph_schema import REVIEW_STATUSES, Label, RelType, rel_spec
from graph_store.base import Batch, GraphStore, NodeDelete, NodeWrite, RelWrite, Row
from loaders.extract.agencies import AgencyDetector
from loaders.extract.confidence import QUEUE_THRESHOLD
from loaders.extract.document import extract_document
from loaders.extract.model import ExtractedReview
from loaders.extract.themes import ThemeTagger
from scrgraph.errors import InputError

REFORM_YEAR = 2019


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Children's Social Care" -> "childrens-social-care"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _location_line(location: str) -> int | None:
    m = re.match(r"(?:line|page) (\d+)", location)
    return int(m.group(1)) if m else None


def coroner_area_board(area: str) -> tuple[str, str]:
    """The id and name of the board-like node for a coroner area ("Fenshire")."""
    return f"coroner-area-{slug(area)}", f"{area} coroner area"


def _board(review: ExtractedReview, source_file: str) -> tuple[str, str, str]:
    """(id, name, kind) of the board that commissioned the review.

    A PFD report that names no board is the coroner area's: a board-like node of kind
    `coroner_area`, so that queries by board answer on PFD reports unchanged.
    """
    assert review.year is not None
    if review.board:
        board_id = slug(review.board)
        if not board_id:
            raise InputError(f"{source_file}: board {review.board!r} has no letters or digits")
        kind = "lscb" if review.year < REFORM_YEAR else "partnership"
        return board_id, review.board, kind
    if review.review_type == "pfd" and review.area and slug(review.area):
        board_id, name = coroner_area_board(review.area)
        return board_id, name, "coroner_area"
    if review.review_type == "pfd":
        raise InputError(
            f'{source_file}: the PFD report does not name its coroner area ("Senior Coroner '
            'for the area of ..."); pass --board NAME'
        )
    raise InputError(f"{source_file}: the text does not name its board; pass --board NAME")


def _queued(confidence: float) -> Row:
    """`review_state: queued` for what the reader was not sure of; nothing otherwise."""
    return {"review_state": "queued"} if confidence < QUEUE_THRESHOLD else {}


# What a person decided in the review queue (gql_api.review_queue); `queued` is the reader's.
DECIDED: Final = ("confirmed", "corrected", "merged", "removed")
_DECISION_PROPS: Final = ("review_state", "decided_by", "decided_at")


def keep_decisions(store: GraphStore, batches: list[Batch]) -> list[Batch]:
    """The batches without what would overwrite a person's decision in the review queue,
    and with what a reload must clean: items an older store still holds that are gone.

    Loading a document again must never undo a decision: a recommendation someone
    confirmed, corrected, merged or removed is not written again (nor its themes and
    addressees, which the person may have corrected), and a review someone confirmed keeps
    its review state. An item removed or merged away (deleted; its review's
    `removed_items` names it) is not written again, nor anything linking to it. Everything
    else (new items, the review's other properties, actions) is written as before.

    A reload also cleans what an older version left in the store (`_cleanup`): an item a
    person removed or merged away before decisions deleted (it stayed, marked `removed` or
    `merged` with `merged_into`) is deleted as removeItem and mergeItems now delete, and
    an item the reader read then and no longer reads (no person decided it) is deleted.
    The batches are changed in place and returned.
    """
    rec_ids = [
        str(row["id"])
        for b in batches
        for nw in b.nodes
        if nw.label == Label.RECOMMENDATION
        for row in nw.rows
    ]
    review_ids = [
        str(row["id"])
        for b in batches
        for nw in b.nodes
        if nw.label == Label.REVIEW
        for row in nw.rows
    ]
    reviews = store.get_nodes(Label.REVIEW, review_ids)
    stored = _stored_items(store, sorted(reviews))
    decided = {
        k
        for k, v in store.get_nodes(Label.RECOMMENDATION, rec_ids).items()
        if v.get("review_state") in DECIDED
    }
    decided_reviews = {k for k, v in reviews.items() if v.get("review_state") in DECIDED}
    # Items removed or merged away were deleted: their review remembers them.
    gone = {str(k) for v in reviews.values() for k in v.get("removed_items") or ()}
    gone |= _cleanup(store, batches, reviews, stored, set(rec_ids))
    if not decided and not decided_reviews and not gone:
        return batches
    decided |= gone
    for b in batches:
        for nw in b.nodes:
            if nw.label == Label.RECOMMENDATION:
                nw.rows = [r for r in nw.rows if r["id"] not in decided]
            elif nw.label == Label.REVIEW:
                nw.rows = [
                    {k: v for k, v in r.items() if k not in _DECISION_PROPS}
                    if r["id"] in decided_reviews
                    else r
                    for r in nw.rows
                ]
        for rw in b.rels:
            if rw.type in (RelType.TAGGED, RelType.ADDRESSED_TO):
                rw.rows = [r for r in rw.rows if r["start"] not in decided]
            if gone:  # nothing may link to a deleted item again
                spec = rel_spec(rw.type)
                ends = [
                    end
                    for end, label in (("start", spec.start), ("end", spec.end))
                    if label == Label.RECOMMENDATION
                ]
                rw.rows = [r for r in rw.rows if all(r[e] not in gone for e in ends)]
        b.nodes = [nw for nw in b.nodes if nw.rows]
        b.rels = [rw for rw in b.rels if rw.rows]
    return batches


# An item of an older store that a person decided away but that was not deleted then.
_OLD_REMOVED: Final = "removed"
_OLD_MERGED: Final = "merged"
# What a person wrote on an item (a decision, a recorded response): such an item is theirs.
_PERSONS_MARKS: Final = ("decided_by", "recorded_by")


def _stored_items(store: GraphStore, review_ids: list[str]) -> dict[str, tuple[str, Row]]:
    """The items the store holds for these reviews, by key: (review key, properties)."""
    if not review_ids:
        return {}
    import queries  # here: queries reads the store, and loaders is imported before it

    found: dict[str, list[dict[str, Row]]] = queries.run(
        store,
        "entities.neighbours",
        {"edge": "review.recommendations", "ids": review_ids},
        queries.ADMIN,
    )
    return {
        str(n["node"]["id"]): (review, dict(n["node"])) for review, ns in found.items() for n in ns
    }


def _answered(store: GraphStore, keys: list[str]) -> dict[str, list[str]]:
    """The actions that answer each of these items (keys with none are left out)."""
    if not keys:
        return {}
    import queries

    found: dict[str, list[dict[str, Row]]] = queries.run(
        store, "entities.neighbours", {"edge": "recommendation.actions", "ids": keys}, queries.ADMIN
    )
    return {k: sorted(str(n["node"]["id"]) for n in ns) for k, ns in found.items() if ns}


def _cleanup(
    store: GraphStore,
    batches: list[Batch],
    reviews: dict[str, Row],
    stored: dict[str, tuple[str, Row]],
    read: set[str],
) -> set[str]:
    """Deletions a reload adds for what an older store still holds; the keys decided away.

    - An item marked `removed` (an older removeItem) is deleted and its review's
      `removed_items` names it, as removeItem does now; one that actions answer is left
      as it was (deleting it would orphan them; removeItem now refuses such an item).
    - An item marked `merged` with `merged_into` (an older mergeItems, which had already
      given the kept item its themes and addressees) is deleted the same way, and the
      actions that answer it move to the kept item.
    - An item the reader no longer reads (not in `read`) that no person decided, and whose
      response no person recorded, is deleted; one that actions answer stays (an action
      plan names it). Not recorded in `removed_items`: the reader dropped it, not a person,
      and a later reader may read it again.

    Confirmed, corrected and kept-in-a-merge items are never touched. The deletions go in
    the batch that writes the item's review, so they share its transaction.
    """
    away: dict[str, str] = {}  # key -> review, decided away by a person in an older version
    stale: dict[str, str] = {}  # key -> review, read before and no longer
    for key, (review, row) in stored.items():
        state = row.get("review_state")
        if state == _OLD_REMOVED or (state == _OLD_MERGED and row.get("merged_into")):
            away[key] = review
        elif key not in read and state not in DECIDED and not any(map(row.get, _PERSONS_MARKS)):
            stale[key] = review
    if not away and not stale:
        return set()
    answered = _answered(store, sorted({*away, *stale}))
    moves: dict[str, tuple[str, list[str]]] = {}  # merged-away key -> (kept key, actions)
    for key in list(away):
        row = stored[key][1]
        into = row.get("merged_into")
        if key not in answered:
            continue
        if into and store.get_nodes(Label.RECOMMENDATION, [str(into)]):
            moves[key] = (str(into), answered[key])
        else:
            del away[key]  # actions answer it and there is nowhere to move them
    for key in [k for k in stale if k in answered]:
        del stale[key]
    by_review: dict[str, list[str]] = {}
    for key, review in [*away.items(), *stale.items()]:
        by_review.setdefault(review, []).append(key)
    for b in batches:
        extra_nodes: list[NodeWrite] = []
        extra_rels: list[RelWrite] = []
        for nw in b.nodes:
            if nw.label != Label.REVIEW:
                continue
            for r in nw.rows:
                keys = by_review.get(str(r["id"]))
                if not keys:
                    continue
                mine = sorted(k for k in keys if k in away)
                if mine:
                    before = reviews.get(str(r["id"]), {}).get("removed_items") or []
                    r["removed_items"] = sorted({*before, *mine})
                b.delete_nodes.append(NodeDelete(Label.RECOMMENDATION, sorted(keys)))
                for key in (k for k in mine if k in moves):
                    into, actions = moves[key]
                    extra_rels.append(
                        RelWrite(
                            RelType.RESPONDS_TO,
                            [{"start": a, "end": into, "props": {}} for a in actions],
                        )
                    )
                    extra_nodes.append(
                        NodeWrite(
                            Label.ACTION, [{"id": a, "recommendation_id": into} for a in actions]
                        )
                    )
        b.nodes.extend(extra_nodes)
        b.rels.extend(extra_rels)
    return set(away)


def review_batches(review: ExtractedReview, *, source_file: str) -> list[Batch]:
    """Board, Review, Recommendations, Agencies, Sectors and their relationships, as one batch."""
    if review.year is None:
        raise InputError(f"{source_file}: the text does not state its year; pass --year YYYY")
    detector = AgencyDetector()
    board_id, board_name, board_kind = _board(review, source_file)
    year = review.year
    review_id = f"review-{board_id}-{year}-{slug(Path(review.document).stem) or 'document'}"
    stamp = {"source_file": source_file}
    board_row: Row = {"id": board_id, "name": board_name, "kind": board_kind}
    review_row: Row = {
        "id": review_id,
        "title": review.title or Path(review.document).stem,
        "board_id": board_id,
        "year": year,
        "review_type": review.review_type,
        "status": review.status,
        "document": review.document,
        "pseudonym": review.pseudonym,
        "confidence": review.confidence,
        "confidence_reasons": list(review.reasons),
        **_queued(review.confidence),
        **stamp,
        "source_line": 1,
    }
    rec_rows: list[Row] = []
    makes: list[Row] = []
    tagged: list[Row] = []
    addressed: list[Row] = []
    agencies: dict[str, Row] = {}
    sectors: dict[str, Row] = {}
    used: set[str] = set()
    rec_id_of: dict[str, str] = {}
    for rec in review.recommendations:
        base = f"{review_id}-r{slug(rec.number) or 'x'}"
        rec_id, n = base, 1
        while rec_id in used:
            n += 1
            rec_id = f"{base}-{n}"
        used.add(rec_id)
        rec_id_of.setdefault(rec.number, rec_id)
        rec_rows.append(
            {
                "id": rec_id,
                "review_id": review_id,
                "number": rec.number,
                "text": rec.text,
                "status": "open_awaiting_response",
                "year": year,
                "board_id": board_id,
                "location": rec.location,
                "confidence": rec.confidence,
                "confidence_reasons": list(rec.reasons),
                **_queued(rec.confidence),
                **stamp,
                "source_line": _location_line(rec.location),
            }
        )
        makes.append({"start": review_id, "end": rec_id, "props": {}})
        for t in rec.themes:
            tagged.append({"start": rec_id, "end": t.theme, "props": {"evidence": t.evidence}})
        for a in rec.agencies:
            agency_id = slug(a.name)
            agencies[agency_id] = {"id": agency_id, "name": a.name, "sector": a.sector}
            sectors[a.sector] = {"id": a.sector, "label": detector.sector_label(a.sector)}
            addressed.append({"start": rec_id, "end": agency_id, "props": {}})
    # Action-plan rows: Actions of the recommendations they name (extraction kept only
    # rows whose number names exactly one recommendation).
    action_rows: list[Row] = []
    responds: list[Row] = []
    owned: list[Row] = []
    counts: dict[str, int] = {}
    for act in review.actions:
        target = rec_id_of.get(act.recommendation)
        if target is None:
            continue
        counts[target] = counts.get(target, 0) + 1
        action_id = f"{target}-a{counts[target]}"
        owner_id = slug(act.owner.name) if act.owner else None
        if act.owner is not None and owner_id:
            agencies[owner_id] = {
                "id": owner_id,
                "name": act.owner.name,
                "sector": act.owner.sector,
            }
            sectors[act.owner.sector] = {
                "id": act.owner.sector,
                "label": detector.sector_label(act.owner.sector),
            }
            owned.append({"start": action_id, "end": owner_id, "props": {}})
        action_rows.append(
            {
                "id": action_id,
                "recommendation_id": target,
                "owner_agency_id": owner_id,
                "description": act.text,
                "due_date": act.due_date.isoformat() if act.due_date else None,
                "status": act.status,
                **stamp,
                "source_line": _location_line(act.location),
            }
        )
        responds.append({"start": action_id, "end": target, "props": {}})
    raises = [
        {"start": review_id, "end": t.theme, "props": {"evidence": t.evidence}}
        for t in review.themes
    ]
    batch = Batch(
        nodes=[
            NodeWrite(Label.BOARD, [board_row]),
            NodeWrite(Label.REVIEW, [review_row]),
            NodeWrite(Label.RECOMMENDATION, rec_rows),
            NodeWrite(Label.SECTOR, list(sectors.values())),
            NodeWrite(Label.AGENCY, list(agencies.values())),
            NodeWrite(Label.ACTION, action_rows),
        ],
        rels=[
            RelWrite(RelType.COMMISSIONED, [{"start": board_id, "end": review_id, "props": {}}]),
            RelWrite(RelType.MAKES, makes),
            RelWrite(RelType.TAGGED, tagged),
            RelWrite(RelType.RAISES, raises),
            RelWrite(
                RelType.IN_SECTOR,
                [{"start": k, "end": v["sector"], "props": {}} for k, v in agencies.items()],
            ),
            RelWrite(RelType.ADDRESSED_TO, addressed),
            RelWrite(RelType.RESPONDS_TO, responds),
            RelWrite(RelType.OWNED_BY, owned),
        ],
    )
    batch.nodes = [nw for nw in batch.nodes if nw.rows]
    batch.rels = [rw for rw in batch.rels if rw.rows]
    return [batch]


def extract_to_batch(
    path: Path,
    *,
    board: str | None,
    year: int | None,
    taxonomy_version: int = 1,
    status: str = "draft",
    document_kind: str | None = None,
    ocr: bool = False,
) -> tuple[ExtractedReview, list[Batch]]:
    """Read a review document and return it with the graph writes that load it.

    The review gets `status` (one of graph_schema's REVIEW_STATUSES; draft unless told);
    `document_kind` (one of REVIEW_TYPES) forces the document kind instead of finding it.

    Themes are only tagged with keys of the taxonomy version given; the loader loads that
    taxonomy before these batches.
    """
    if status not in REVIEW_STATUSES:
        raise InputError(
            f"status {status!r} is not a review status; expected one of {', '.join(REVIEW_STATUSES)}"
        )
    review = extract_document(
        path,
        board=board,
        year=year,
        tagger=ThemeTagger(taxonomy_version),
        document_kind=document_kind,
        ocr=ocr,
    )
    review.status = status
    return review, review_batches(review, source_file=str(path))
