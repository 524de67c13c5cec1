"""Side channels (issue 17): what a viewer without the restricted grant is told must not
depend on the hidden reviews at all.

The demo corpus is loaded twice on each backend: as generated, and with every review a
public viewer may not see (restricted and withdrawn) removed together with everything that
hangs off it. Every probe below is asked by a public viewer and by an analyst without the
grant, and the two answers must be equal byte for byte (as canonical JSON): search hits,
scores and totals; records, traces and their provenance; lists, counts, analytics and
briefings; and over GraphQL, reads, node lookups and the errors of mutations (by an
inspector without the grant) that name hidden records.

Paths added after the suite was first written are in it too: the full store also holds a
draft review document (`scrgraph load FILE`, a draft by default) and a PFD table loaded as
`draft` (a coroner area and a receiver that only it names), and both stores hold a published
PFD table; the probes add PFD answers (`outstandingActions(kind: "pfd")` with its responses,
`themeRecurrence` by kind), the typed briefing fields over GraphQL, the board, agency and
sector lists, and `recordResponse` naming a hidden recommendation. The drafts' own boards,
coroner areas and agencies are hidden with them, and so are their load runs.

Id sequences: the generator numbers published reviews in their own series (hidden ones are
`rv-xNNNNN`), so public ids run without gaps; a corpus that shares a series is refused by the
loader (tests/reliability/test_id_series.py). Timing is a benchmark (`scrgraph bench`, part
`side`), not a test.
"""

from __future__ import annotations

import csv
import itertools
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import queries
from graph_schema import Label
from graph_store import EmbeddedStore, GraphStore
from loaders import load_corpus
from loaders.pfd_table import load_pfd_table
from queries import ADMIN, PUBLIC, Viewer
from queries.base import PROVENANCE_FIELDS
from queries.briefing_render import briefing_document
from tests.api.conftest import make_api
from tests.conftest import _neo4j_store, mark_neo4j_dirty
from tests.unit.test_pfd_table import ROWS as PFD_ROWS
from tests.unit.test_pfd_table import write_table

# A draft document, loaded only into the full store (a document is a draft unless told).
DRAFT_DOC = Path(__file__).resolve().parents[2] / "evaluation" / "extraction" / "docs"
DRAFT_DOC = DRAFT_DOC / "anyshire_child_w.txt"
# Its review and first recommendation, as `scrgraph load FILE` names them.
DRAFT_DOC_REVIEW = "review-anyshire-local-safeguarding-children-board-2014-anyshire-child-w"
# Invented PFD reports kept as drafts: a coroner area and a receiver no published row names,
# and a word ("quillwort") no published text has. References follow the published ones'.
PFD_DRAFT_ROWS: list[dict[str, str]] = [
    {
        "url": "https://example.org/pfd/2033-0001",
        "id": "2033-0001",
        "date": "2033-02-01",
        "coroner": "D. Example",
        "area": "Fenshire",
        "receiver": "Chief Constable of Fenshire Police",
        "investigation": "",
        "circumstances": "The invented child was seen by the police twice that week.",
        "concerns": "1. Information sharing about the quillwort incident was not recorded.\n",
    },
    {
        "url": "",
        "id": "2033-0002",
        "date": "2033-03-01",
        "coroner": "E. Example",
        "area": "Quillmere",
        "receiver": "Chief Executive, Quillmere Invented Trust",
        "investigation": "",
        "circumstances": "",
        "concerns": "1. The invented school did not share the quillwort referral.\n",
    },
]
PFD_DRAFT_REC = "pfd-2033-0001-c1"
PFD_PUBLISHED_REC = "pfd-2031-0001-c1"

ANALYST = Viewer(role="analyst", name="analyst-open")
VIEWERS = {"public": PUBLIC, "analyst": ANALYST}

# file -> (column naming the parent, file holding the parents); parents come first
_CHILDREN = [
    ("recommendations.csv", "review_id", "reviews.csv"),
    ("review_themes.csv", "review_id", "reviews.csv"),
    ("actions.csv", "recommendation_id", "recommendations.csv"),
    ("recommendation_themes.csv", "recommendation_id", "recommendations.csv"),
    ("recommendation_agencies.csv", "recommendation_id", "recommendations.csv"),
    ("audits.csv", "action_id", "actions.csv"),
]


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames or []), list(r)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def without_hidden(src: Path, dst: Path) -> int:
    """Copy the corpus without its unpublished reviews and what hangs off them."""
    shutil.copytree(src, dst)
    fields, rows = _rows(dst / "reviews.csv")
    kept = [r for r in rows if r["status"] == "published"]
    _write(dst / "reviews.csv", fields, kept)
    keep = {"reviews.csv": {r["id"] for r in kept}}
    for name, parent_col, parent_file in _CHILDREN:
        fields, rows = _rows(dst / name)
        rows = [r for r in rows if r[parent_col] in keep[parent_file]]
        _write(dst / name, fields, rows)
        if "id" in fields:
            keep[name] = {r["id"] for r in rows}
    meta = json.loads((dst / "corpus.json").read_text(encoding="utf-8"))
    meta.pop("rows", None)  # the counts are the generator's, not this copy's
    (dst / "corpus.json").write_text(json.dumps(meta), encoding="utf-8")
    return len(rows) - len(kept)


def _search_probes(corpus: Path) -> list[dict[str, Any]]:
    """Words of public texts: the commonest, some middling, some rare, and pairs of them."""
    _, reviews = _rows(corpus / "reviews.csv")
    public = {r["id"] for r in reviews if r["status"] == "published"}
    _, recs = _rows(corpus / "recommendations.csv")
    words: Counter[str] = Counter()
    for r in recs:
        if r["review_id"] in public:
            words.update({w for _, _, w in queries.search.tokens(r["text"])})
    for r in reviews:
        if r["id"] in public:
            words.update({w for _, _, w in queries.search.tokens(r["title"] + " " + r["summary"])})
    ranked = [w for w, _ in words.most_common() if len(w) > 3]
    picks = ranked[:4] + ranked[len(ranked) // 3 :: max(len(ranked) // 8, 1)][:6] + ranked[-3:]
    probes: list[dict[str, Any]] = [{"text": w, "limit": 10000} for w in picks]
    probes += [{"text": f"{a} {b}", "limit": 10000} for a, b in itertools.pairwise(picks)]
    probes += [{"text": picks[0], "kinds": "review"}, {"text": picks[1], "kinds": "recommendation"}]
    # words of the draft document and the draft PFD reports, and of the published PFD table
    probes += [
        {"text": w, "limit": 10000}
        for w in ("quillwort", "anyshire", "fractured skull", "invented", "ward", "fenshire")
    ]
    return probes


AS_OF = "2024-06-30"


def _spread(ids: list[str], n: int) -> list[str]:
    return ids[:: max(len(ids) // n, 1)][:n]


def _other_probes(corpus: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every other public answer: records, their traces, lists, analytics and briefings."""
    _, reviews = _rows(corpus / "reviews.csv")
    public = [r["id"] for r in reviews if r["status"] == "published"]
    hidden = [r["id"] for r in reviews if r["status"] != "published"]
    _, recs = _rows(corpus / "recommendations.csv")
    pub_recs = [r["id"] for r in recs if r["review_id"] in set(public)]
    hid_recs = [r["id"] for r in recs if r["review_id"] in set(hidden)]
    _, acts = _rows(corpus / "actions.csv")
    pub_acts = [a["id"] for a in acts if a["recommendation_id"] in set(pub_recs)]
    _, audits = _rows(corpus / "audits.csv")
    pub_audits = [a["id"] for a in audits if a["action_id"] in set(pub_acts)]
    _, boards = _rows(corpus / "boards.csv")
    _, themes = _rows(corpus / "review_themes.csv")
    theme_ids = sorted({t["theme_id"] for t in themes})
    probes: list[tuple[str, dict[str, Any]]] = []
    probes += [("trace_recommendation", {"id": r}) for r in _spread(pub_recs, 40)]
    probes += [("trace_recommendation", {"id": r}) for r in _spread(hid_recs, 3)]
    for label, ids in (
        ("Review", public + hidden[:3]),
        ("Recommendation", _spread(pub_recs, 200)),
        ("Action", _spread(pub_acts, 200)),
        ("Audit", _spread(pub_audits, 200)),
    ):
        probes.append(("entities.get", {"label": label, "ids": ids}))
        probes.append(("entities.list", {"label": label, "limit": 1000}))
    for edge in ("board.reviews", "review.recommendations", "recommendation.similar"):
        src = [b["id"] for b in boards] if edge.startswith("board") else None
        ids = src or (public[:50] if edge.startswith("review") else _spread(pub_recs, 100))
        probes.append(("entities.neighbours", {"edge": edge, "ids": ids}))
    probes.append(("outstanding_actions", {"as_of": AS_OF}))
    for as_of in (AS_OF, "2033-12-31"):
        probes.append(("outstanding_actions", {"as_of": as_of, "kind": "pfd"}))
    probes.append(
        ("outstanding_actions", {"as_of": "2033-12-31", "board": "coroner-area-fenshire"})
    )
    probes += [
        ("theme_recurrence", {"theme": t, "kind": k})
        for t in ("information_sharing", "training", "record_keeping")
        for k in ("pfd", "scr")
    ]
    for label in ("Board", "Agency", "Sector", "Theme"):
        probes.append(("entities.list", {"label": label, "limit": 1000}))
    probes.append(("entities.get", {"label": "Review", "ids": [DRAFT_DOC_REVIEW, "pfd-2033-0001"]}))
    probes.append(("entities.get", {"label": "Recommendation", "ids": [PFD_DRAFT_REC]}))
    probes.append(("trace_recommendation", {"id": PFD_DRAFT_REC}))
    probes.append(("trace_recommendation", {"id": PFD_PUBLISHED_REC}))
    probes.append(("repeated_recommendations", {}))
    probes.append(("theme_network", {}))
    probes += [("theme_recurrence", {"theme": t}) for t in theme_ids[:6]]
    probes += [("agency_load", {"sector": s, "as_of": AS_OF}) for s in ("police", "health")]
    probes += [("briefing", {"audience": a}) for a in ("police", "gp", "csc_manager", "health")]
    return probes


def _run(store: GraphStore, name: str, params: dict[str, Any], viewer: Viewer) -> Any:
    if name == "briefing":
        doc = briefing_document(store, params["audience"], viewer=viewer, as_of=AS_OF)
        return {"markdown": doc.markdown, "html": doc.html, "data": doc.data}
    return queries.run(store, name, params, viewer)


_MUTATIONS = {
    "recordAction": "mutation($i: RecordActionInput!) { recordAction(input: $i) { replayed } }",
    "updateActionStatus": (
        "mutation($i: UpdateActionStatusInput!) { updateActionStatus(input: $i) { replayed } }"
    ),
    "recordAudit": "mutation($i: RecordAuditInput!) { recordAudit(input: $i) { replayed } }",
    "recordResponse": (
        "mutation($i: RecordResponseInput!) { recordResponse(input: $i) { replayed } }"
    ),
    "confirmItem": "mutation($i: ConfirmItemInput!) { confirmItem(input: $i) { replayed } }",
    "correctItem": "mutation($i: CorrectItemInput!) { correctItem(input: $i) { replayed } }",
    "mergeItems": "mutation($i: MergeItemsInput!) { mergeItems(input: $i) { replayed } }",
    "removeItem": "mutation($i: RemoveItemInput!) { removeItem(input: $i) { replayed } }",
    "confirmDocument": (
        "mutation($i: ConfirmDocumentInput!) { confirmDocument(input: $i) { replayed } }"
    ),
}
# The review queue: every part of it, the items and documents of the reviews listed.
QUEUE_Q = (
    "{ reviewQueue(first: 500) { threshold totalItems totalDocuments "
    "items { recommendation { key number text } reviewKey confidence reasons } "
    "documents { review { key title } confidence reasons queuedItems } } }"
)


# Every part of a typed search answer, entity links included.
SEARCH_SEL = (
    "{ text terms kinds limit total hits { kind key score title text reviewKey year boardKey "
    "highlights { field fragment offset spans { start end } html } "
    "review { key title } recommendation { key text } board { key } } }"
)
# Every part of the typed trace; provenance under its stored names, so that the check for raw
# provenance in public answers sees it if it leaked.
_PROV = "provenance { source_file: sourceFile source_line: sourceLine load_run: loadRun }"
TRACE_Q = (
    "query($id: String!) { traceRecommendation(id: $id) { citation verdict "
    "recommendation { id key number text status verdict location } "
    "review { id key title year status } board { key name } agencies { key name } "
    "themes { key label } audits { key date rating } "
    f"actions {{ action {{ key status dueDate }} owner {{ key }} audits {{ key rating }} verdict {_PROV} }} "
    f"laterReviews {{ review {{ key year title }} board {{ key }} themes {{ key }} }} {_PROV} }} }}"
)


_CITE = (
    "reviewKey review { key } boardName year recommendationKey recommendation { key } "
    "recommendationNumber location sourceFile sourceLine"
)
# Every typed field of a briefing, entity links included.
BRIEFING_Q = (
    "query($a: String!) { briefing(audience: $a) { audience audienceKey "
    "audienceLabel sectorKey sector { key } sectorLabel agencies roleMatched "
    "boards { key name board { key } } yearFrom yearTo firstYearSeen lastYearSeen asOf "
    "publishedOnly viewerRole recommendations openRecommendations reviews reviewBoards "
    "themes { key label recommendations reviews boards firstYear lastYear trend trendWord "
    f"citations {{ {_CITE} }} questions }} "
    "repeats { key text size boards years firstYear lastYear meanScore "
    f"examples {{ {_CITE} }} }} "
    "actions openActions overdueActions "
    f"overdue {{ key action {{ key }} description ownerName dueDate daysOverdue citation {{ {_CITE} }} }} "
    "audited verdicts { verdict actions } "
    "embedding { key label embedded slippedBack boards { boardKey boardName actions "
    f"citation {{ {_CITE} }} }} }} "
    "sources { reviewKey review { key } title boardKey boardName year document sourceFile "
    "sourceLine } glossary { term } notes synthetic markdown html } }"
)
OUTSTANDING_Q = (
    "query($k: DocumentKind, $b: String) { outstandingActions(kind: $k, board: $b, "
    'asOf: "2033-12-31", limit: 100) { boardKey kind asOf open overdue '
    "actions { daysOverdue dueDate action { key } recommendation { key } review { key } } "
    "responsesAwaited responsesOverdue "
    "responses { key responseDue daysOverdue agencyKeys } } }"
)


def _graphql_probes(corpus: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(role, query, variables): reads by no key and an analyst without the grant, and
    mutations by an inspector without it naming hidden records (absent from the copy)."""
    _, reviews = _rows(corpus / "reviews.csv")
    hidden = {r["id"] for r in reviews if r["status"] != "published"}
    public = [r["id"] for r in reviews if r["status"] == "published"]
    _, recs = _rows(corpus / "recommendations.csv")
    hid_rec = next(r["id"] for r in recs if r["review_id"] in hidden)
    pub_rec = next(r["id"] for r in recs if r["review_id"] not in hidden)
    _, acts = _rows(corpus / "actions.csv")
    hid_act = next(a["id"] for a in acts if a["recommendation_id"] == hid_rec)
    hid_rv = sorted(hidden)[0]
    reads: list[tuple[str, dict[str, Any]]] = [
        ("{ corpus { loaded loadRuns synthetic taxonomyVersion } }", {}),
        (
            "{ reviews(first: 100) { totalCount edges { node { id key title year status"
            " recommendations(first: 100) { totalCount edges { node { key number } } } } } }"
            " recommendations(first: 100) { totalCount } actions(first: 100) { totalCount }"
            " audits(first: 100) { totalCount } boards(first: 100) { totalCount } }",
            {},
        ),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": f"Review:{hid_rv}"}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": f"Recommendation:{hid_rec}"}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": f"Review:{public[0]}"}),
        (TRACE_Q, {"id": hid_rec}),
        (TRACE_Q, {"id": pub_rec}),
        (f'{{ search(text: "information sharing", limit: 100) {SEARCH_SEL} }}', {}),
        (f'{{ search(text: "neglect", kinds: [review], limit: 100) {SEARCH_SEL} }}', {}),
        (f'{{ search(text: "quillwort", limit: 100) {SEARCH_SEL} }}', {}),
        (f'{{ search(text: "invented", limit: 100) {SEARCH_SEL} }}', {}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": f"Review:{DRAFT_DOC_REVIEW}"}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": f"Recommendation:{PFD_DRAFT_REC}"}),
        (TRACE_Q, {"id": PFD_DRAFT_REC}),
        (TRACE_Q, {"id": PFD_PUBLISHED_REC}),
        (OUTSTANDING_Q, {"k": "pfd", "b": None}),
        (OUTSTANDING_Q, {"k": None, "b": "coroner-area-fenshire"}),
        (BRIEFING_Q, {"a": "police"}),
        (BRIEFING_Q, {"a": "health"}),
        (BRIEFING_Q, {"a": "schools_dsl"}),
        (
            "{ boards(first: 100) { totalCount edges { node { key name } } } "
            "agencies(first: 100) { totalCount edges { node { key name } } } "
            "sectors(first: 100) { totalCount } }",
            {},
        ),
        (QUEUE_Q, {}),
    ]
    out = [(role, q, v) for q, v in reads for role in ("", "analyst")]
    audit = {"date": "2024-01-31", "auditor": "board_qa", "rating": "embedded"}
    writes: list[tuple[str, dict[str, Any]]] = [
        ("recordAction", {"changeId": "s-1", "recommendation": hid_rec, "description": "d"}),
        (
            "recordAction",
            {"changeId": "s-2", "recommendation": pub_rec, "description": "d", "actionId": hid_act},
        ),
        ("updateActionStatus", {"changeId": "s-3", "action": hid_act, "status": "completed"}),
        ("updateActionStatus", {"changeId": "s-4", "action": hid_act, "status": "nonsense"}),
        ("recordAudit", {"changeId": "s-5", "action": hid_act, **audit}),
        ("recordAudit", {"changeId": "s-6", "action": hid_act, **audit, "rating": "great"}),
    ]
    response = {"date": "2033-05-02", "status": "open_acceptable_response", "summary": "s"}
    writes += [
        ("recordResponse", {"changeId": "s-7", "recommendation": PFD_DRAFT_REC, **response}),
        ("recordResponse", {"changeId": "s-8", "recommendation": hid_rec, **response}),
        (
            "recordResponse",
            {"changeId": "s-9", "recommendation": PFD_DRAFT_REC, **response, "status": "bad"},
        ),
        ("recordAction", {"changeId": "s-10", "recommendation": PFD_DRAFT_REC, "description": "d"}),
        # The review queue's decisions on hidden items (and a hidden document).
        ("confirmItem", {"changeId": "s-11", "item": hid_rec}),
        ("correctItem", {"changeId": "s-12", "item": PFD_DRAFT_REC, "text": "t"}),
        ("removeItem", {"changeId": "s-13", "item": hid_rec}),
        ("mergeItems", {"changeId": "s-14", "keep": pub_rec, "merge": hid_rec}),
        ("confirmDocument", {"changeId": "s-15", "review": DRAFT_DOC_REVIEW}),
    ]
    out += [("inspector_open", _MUTATIONS[m], {"i": i}) for m, i in writes]
    return out


def _graphql_answers(
    store: GraphStore, probes: list[tuple[str, str, dict[str, Any]]], tmp: Path
) -> dict[str, str]:
    api = next(make_api(store, tmp))
    out = {}
    for role, query, variables in probes:
        body = api.gql(query, variables, role=role or None, expect_errors=True)
        key = f"graphql {role or 'public'} {query} {json.dumps(variables, sort_keys=True)}"
        out[key] = json.dumps(body, sort_keys=True)
    return out


def _answers(store: GraphStore, probes: list[tuple[str, dict[str, Any]]]) -> dict[str, str]:
    out = {}
    for name, params in probes:
        for who, viewer in VIEWERS.items():
            got = _run(store, name, params, viewer)
            key = f"{who} {name} {json.dumps(params, sort_keys=True)}"
            out[key] = json.dumps(got, sort_keys=True, default=str)
    return out


def _differ(with_hidden: dict[str, str], without: dict[str, str], keys: list[str]) -> list[str]:
    return [k for k in keys if with_hidden[k] != without[k]]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from loaders import generate_corpus

    base = tmp_path_factory.mktemp("side")
    generate_corpus(base / "full", scale="demo", seed=17)
    without_hidden(base / "full", base / "public")
    write_table(base, PFD_ROWS, "pfd-published.csv")
    write_table(base, PFD_DRAFT_ROWS, "pfd-draft.csv")
    return base / "full", base / "public"


def _load(store: GraphStore, corpus: Path, hidden: bool) -> None:
    """The corpus and the published PFD table; with `hidden`, the drafts too."""
    load_corpus(store, corpus)
    load_pfd_table(store, corpus.parent / "pfd-published.csv")
    if hidden:
        load_pfd_table(store, corpus.parent / "pfd-draft.csv", status="draft")
        load_corpus(store, DRAFT_DOC)


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def paired(
    request: pytest.FixtureRequest,
    corpora: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, str], dict[str, str], int]]:
    """Every probe's answers on the full corpus and on the public-only one, per backend."""
    full, public = corpora
    probes = [("search", p) for p in _search_probes(full)] + _other_probes(full)
    gql = _graphql_probes(full)
    answers = []
    for corpus in (full, public):
        if request.param == "embedded":
            s: GraphStore = EmbeddedStore(tmp_path_factory.mktemp("side-db") / "store.sqlite")
        else:
            s = _neo4j_store()
            s.clear()
            mark_neo4j_dirty()
        _load(s, corpus, hidden=corpus == full)
        drafts = s.get_nodes(Label.REVIEW, [DRAFT_DOC_REVIEW, "pfd-2033-0001", "pfd-2033-0002"])
        assert [r["status"] for r in drafts.values()] == (["draft"] * 3 if corpus == full else [])
        got = _answers(s, probes)
        got.update(_graphql_answers(s, gql, tmp_path_factory.mktemp("side-keys")))
        answers.append(got)
        if request.param == "embedded":
            s.close()
        else:
            s.clear()
    yield answers[0], answers[1], len(probes)


def test_the_public_copy_really_lacks_the_hidden_reviews(corpora: tuple[Path, Path]) -> None:
    full, public = corpora
    statuses = Counter(r["status"] for r in _rows(full / "reviews.csv")[1])
    assert statuses["restricted"] and statuses["withdrawn"], statuses
    assert {r["status"] for r in _rows(public / "reviews.csv")[1]} == {"published"}
    assert len(_rows(public / "recommendations.csv")[1]) < len(
        _rows(full / "recommendations.csv")[1]
    )


def test_search_answers_ignore_hidden_reviews(
    paired: tuple[dict[str, str], dict[str, str], int],
) -> None:
    with_hidden, without, _ = paired
    keys = [k for k in with_hidden if " search " in k]
    assert len(keys) >= 40
    hits = [json.loads(with_hidden[k])["total"] for k in keys]
    assert sum(hits) > 0 and any(h > 20 for h in hits), "the probes must find things"
    assert not [k for k in keys if "quillwort" in k and json.loads(with_hidden[k])["total"]]
    differ = [k for k in keys if with_hidden[k] != without[k]]
    assert not differ, f"{len(differ)} of {len(keys)} answers differ, e.g. {differ[:3]}"


def test_every_other_public_answer_ignores_hidden_reviews(
    paired: tuple[dict[str, str], dict[str, str], int],
) -> None:
    with_hidden, without, _ = paired
    keys = [k for k in with_hidden if " search " not in k and not k.startswith("graphql ")]
    assert len(keys) >= 100
    differ = _differ(with_hidden, without, keys)
    assert not differ, f"{len(differ)} of {len(keys)} answers differ: {differ}"


def test_public_answers_carry_no_raw_provenance(
    paired: tuple[dict[str, str], dict[str, str], int],
) -> None:
    with_hidden, _, _ = paired

    def given(value: Any) -> bool:
        """Whether a provenance field with a value is anywhere in it."""
        if isinstance(value, dict):
            return any(
                (k in PROVENANCE_FIELDS and v is not None) or given(v) for k, v in value.items()
            )
        return isinstance(value, list) and any(given(v) for v in value)

    leaky = [k for k, v in with_hidden.items() if given(json.loads(v))]
    assert not leaky, leaky[:5]
    # the text renderings neither: no 'reviews.csv line 12'
    assert not [k for k, v in with_hidden.items() if ".csv line" in v or ".csv" in v]
    trace = next(json.loads(v) for k, v in with_hidden.items() if "trace_recommendation" in k)
    rec = trace["recommendation"]
    assert trace["citation"].startswith(f"{rec['review_id']}, recommendation {rec['number']}")


def test_the_grant_still_sees_source_lines(demo_store: GraphStore) -> None:
    listing = queries.run(demo_store, "entities.list", {"label": "Recommendation", "limit": 5})
    rid = listing["items"][0]["id"]
    granted = Viewer(role="analyst", restricted=True, name="analyst-restricted")
    for viewer in (ADMIN, granted):
        t = queries.run(demo_store, "trace_recommendation", {"id": rid}, viewer)
        assert isinstance(t["recommendation"]["source_line"], int)
        assert t["recommendation"]["source_file"] and t["recommendation"]["load_run"]
        assert all("source_line" in a for a in t["actions"])
    pub = queries.run(demo_store, "trace_recommendation", {"id": rid}, PUBLIC)
    assert not PROVENANCE_FIELDS & set(pub["recommendation"]) and pub["citation"] == t["citation"]


def test_graphql_answers_and_mutation_errors_ignore_hidden_reviews(
    paired: tuple[dict[str, str], dict[str, str], int],
) -> None:
    """Over HTTP too: reads, node lookups, and every mutation naming a hidden record answer
    on the full corpus exactly as on the copy where that record does not exist."""
    with_hidden, without, _ = paired
    keys = [k for k in with_hidden if k.startswith("graphql ")]
    assert len(keys) == 59
    errors = [k for k in keys if "errors" in json.loads(with_hidden[k])]
    # The fifteen mutations fail, and so do the four traces of a hidden id (of a restricted
    # review and of a draft PFD report), with NOT_FOUND as for an absent one, and the review
    # queue for no key (FORBIDDEN); every other read succeeds.
    traces = [k for k in errors if "traceRecommendation" in k]
    assert len(errors) == 20 and len(traces) == 4, errors
    for k in traces:
        codes = {e["extensions"]["code"] for e in json.loads(with_hidden[k])["errors"]}
        assert codes == {"NOT_FOUND"}, with_hidden[k][:300]
    differ = _differ(with_hidden, without, keys)
    assert not differ, [(k[:120], with_hidden[k][:300], without[k][:300]) for k in differ]


def test_the_drafts_own_boards_and_agencies_stay_hidden(
    paired: tuple[dict[str, str], dict[str, str], int],
) -> None:
    """A board, coroner area or agency only a hidden review names is hidden with it: lists,
    counts, `agencyLoad`, briefings and `corpus { loadRuns }` are the same without the
    drafts (the full store has them: see `paired`)."""
    with_hidden, without, _ = paired
    vocabulary = [
        k
        for k in with_hidden
        if any(
            a in k for a in ('{"label": "Board"', '{"label": "Agency"', " agency_load ", "loadRuns")
        )
    ]
    assert len(vocabulary) >= 10, vocabulary
    # the draft PFD table's own coroner area and receiver (Fenshire is a published area too)
    assert "quillmere" not in "".join(with_hidden[k] for k in vocabulary).lower()
    differ = [k for k in with_hidden if with_hidden[k] != without[k]]
    assert not differ, differ


def test_public_review_ids_run_without_gaps(corpora: tuple[Path, Path]) -> None:
    """The generator numbers published reviews in their own series: no gap counts hidden ones."""
    full, _ = corpora
    _, reviews = _rows(full / "reviews.csv")
    public = sorted(int(r["id"].removeprefix("rv-")) for r in reviews if r["status"] == "published")
    assert public == list(range(1, len(public) + 1))
    hidden = [r["id"] for r in reviews if r["status"] != "published"]
    assert hidden and all(h.startswith("rv-x") for h in hidden)
    # and under a visible review, recommendation numbers run 1..n (all of them are visible)
    _, recs = _rows(full / "recommendations.csv")
    by_review: dict[str, list[int]] = {}
    for r in recs:
        by_review.setdefault(r["review_id"], []).append(int(r["number"]))
    assert all(sorted(v) == list(range(1, len(v) + 1)) for v in by_review.values())
