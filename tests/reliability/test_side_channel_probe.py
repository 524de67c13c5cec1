"""An independent probe (issue 17): try to count the hidden records from public answers.

It plays an outsider (no key) and an analyst without the restricted grant against the demo
corpus over GraphQL, with the issue's methods, and reports what it could infer:

- **search scores**: BM25 inverted from public answers. For a word, two hits holding it once
  with different lengths give the average document length and the word's idf (score ratio,
  then one score); idf = ln(1 + (N - df + 0.5) / (df + 0.5)) with df the hits counted gives N,
  the document count the score was computed over, and with N the public count gives the
  word's df. Hidden documents inferred: N - (public count); per word, df - (hits).
- **source lines**: every `sourceLine` the answers carry, grouped by file; the gaps between
  the lines of public records count the rows between them.
- **id sequences**: the numbers in public ids (reviews; recommendations of a review; actions
  of a recommendation; audits of an action); the gaps in each series count missing ones.
- **mutation errors**: an inspector without the grant names hidden records and made-up ones
  in every mutation; a difference between the two answers (id masked) is an existence oracle.
- **timing** is a benchmark (`scrgraph bench`, part `side`), never a test: this only checks
  that the bench has that part and reports hidden against absent.

The corpus is loaded with its restricted and withdrawn reviews and without them; the probe must
infer no hidden record from either, and find the same on both. Its inferences are checked to
work: on the copy without hidden reviews the BM25 inversion gives back the public count
exactly, so a score computed over hidden documents would show as a difference.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_store import EmbeddedStore, GraphStore
from loaders import load_corpus
from queries.search import tokens
from tests.api.conftest import Api, make_api
from tests.conftest import _neo4j_store, mark_neo4j_dirty
from tests.reliability.test_side_channels import without_hidden

K1, B = 1.2, 0.75  # Lucene's BM25 defaults, as the search documentation says
WORDS = ("police", "school", "training", "referral", "supervision", "records", "staff", "family")
ROLES = ("", "analyst")  # no key, and an analyst without the grant


def _page(api: Api, role: str, field: str, sel: str) -> list[dict[str, Any]]:
    """Every node of a top-level list, page by page."""
    out: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        q = (
            f"query($a: String) {{ {field}(first: 100, after: $a) {{ "
            f"pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {sel} }} }} }} }}"
        )
        body = api.gql(q, {"a": after}, role=role or None)["data"][field]
        out += [e["node"] for e in body["edges"]]
        if not body["pageInfo"]["hasNextPage"]:
            return out
        after = body["pageInfo"]["endCursor"]


# -- search scores ---------------------------------------------------------------------------


def _invert(hits: list[dict[str, Any]], word: str) -> tuple[float, float] | None:
    """(average length, idf) from the hits holding the word once.

    s = idf * (K1 + 1) / (1 + K1 * (1 - B + B * c / avg)), so 1/s is linear in the length c:
    1/s = a / (idf (K1 + 1)) + k c / (idf (K1 + 1) avg). A least-squares line through every
    such hit gives idf and avg, and evens out the rounding of the scores.
    """
    once = [
        (float(len(h["text"])), 1 / h["score"])
        for h in hits
        if sum(1 for _, _, w in tokens(h["text"]) if w == word) == 1
    ]
    if len(once) < 10:
        return None
    n = len(once)
    mx, my = sum(c for c, _ in once) / n, sum(y for _, y in once) / n
    sxx = sum((c - mx) ** 2 for c, _ in once)
    if sxx == 0:
        return None
    beta = sum((c - mx) * (y - my) for c, y in once) / sxx
    alpha = my - beta * mx
    a, k = 1 + K1 * (1 - B), K1 * B
    idf = a / ((K1 + 1) * alpha)
    return k * alpha / (a * beta), idf


def search_inference(api: Api, role: str) -> dict[str, Any]:
    """Hidden documents and per-word hidden frequencies, as inferred from search scores."""
    public = api.gql("{ recommendations(first: 1) { totalCount } }", role=role or None)
    n_public = public["data"]["recommendations"]["totalCount"]
    words: dict[str, dict[str, Any]] = {}
    for word in WORDS:
        body = api.gql(
            "query($t: String!) { search(text: $t, kinds: [recommendation], limit: 100) "
            "{ total hits { key score text } } }",
            {"t": word},
            role=role or None,
        )["data"]["search"]
        got = _invert(body["hits"], word)
        if got is None:
            continue
        avg, idf = got
        df = body["total"]
        e = math.exp(idf)
        n = (e - 1) * (df + 0.5) + df - 0.5  # N, taking df as the hits counted
        df_given_public_n = (n_public + 0.5 - 0.5 * (e - 1)) / e  # df, taking N as public
        words[word] = {
            "hits": df,
            "hidden_documents": round(n - n_public),
            "hidden_holding_it": round(df_given_public_n - df),
            "avg_length": round(avg),
        }
    return {"public_documents": n_public, "words": words}


# -- source lines, ids, mutations -------------------------------------------------------------

TRACE = (
    "query($id: String!) { traceRecommendation(id: $id) { "
    "provenance { sourceFile sourceLine } "
    "actions { action { key } provenance { sourceFile sourceLine } } } }"
)
BRIEF = (
    "query($a: String!) { briefing(audience: $a) { sources { sourceFile sourceLine } "
    "themes { citations { sourceFile sourceLine } } } }"
)


def _lines(value: Any, out: dict[str, list[int]]) -> None:
    if isinstance(value, dict):
        if value.get("sourceLine") is not None:
            out[str(value.get("sourceFile"))].append(int(value["sourceLine"]))
        for v in value.values():
            _lines(v, out)
    elif isinstance(value, list):
        for v in value:
            _lines(v, out)


def line_inference(api: Api, role: str, recs: list[str]) -> dict[str, int]:
    """Rows between the source lines of public records, from traces and briefings."""
    lines: dict[str, list[int]] = defaultdict(list)
    for rid in recs:
        _lines(api.gql(TRACE, {"id": rid}, role=role or None)["data"], lines)
    for audience in ("police", "health", "schools_dsl"):
        _lines(api.gql(BRIEF, {"a": audience}, role=role or None)["data"], lines)
    seen = sum(len(v) for v in lines.values())
    gaps = 0
    for found in lines.values():
        ordered = sorted(set(found))
        gaps += sum(b - a - 1 for a, b in itertools.pairwise(ordered))
    return {"lines_seen": seen, "rows_between": gaps}


_NUM = re.compile(r"\d+")


def _gaps(ids: list[str]) -> int:
    """Missing numbers in each series (same text around the numbers, same numbers before)."""
    series: dict[tuple[str, tuple[int, ...]], set[int]] = defaultdict(set)
    for key in ids:
        nums = [int(n) for n in _NUM.findall(key)]
        if nums:
            series[(_NUM.sub("#", key), tuple(nums[:-1]))].add(nums[-1])
    return sum(max(v) - len(v) for v in series.values())  # numbered from 1 in each series


def id_inference(api: Api, role: str) -> dict[str, int]:
    """Missing numbers in the public ids of each label."""
    return {
        field: _gaps([n["key"] for n in _page(api, role, field, "key")])
        for field in ("reviews", "recommendations", "actions", "audits")
    }


_MUTATE = {
    "recordAction": "RecordActionInput",
    "updateActionStatus": "UpdateActionStatusInput",
    "recordAudit": "RecordAuditInput",
    "recordResponse": "RecordResponseInput",
}


def _mutations(rec: str, act: str, n: int) -> list[tuple[str, dict[str, Any]]]:
    audit = {"date": "2024-01-31", "auditor": "board_qa", "rating": "embedded"}
    response = {"date": "2024-02-01", "status": "open_acceptable_response"}
    return [
        ("recordAction", {"changeId": f"p{n}-1", "recommendation": rec, "description": "d"}),
        ("updateActionStatus", {"changeId": f"p{n}-2", "action": act, "status": "completed"}),
        ("updateActionStatus", {"changeId": f"p{n}-3", "action": act, "status": "nonsense"}),
        ("recordAudit", {"changeId": f"p{n}-4", "action": act, **audit}),
        ("recordAudit", {"changeId": f"p{n}-5", "action": act, **audit, "rating": "great"}),
        ("recordResponse", {"changeId": f"p{n}-6", "recommendation": rec, **response}),
        ("recordResponse", {"changeId": f"p{n}-7", "recommendation": rec, "status": "x"}),
    ]


def oracle_inference(api: Api, hidden: list[tuple[str, str]]) -> dict[str, int]:
    """Hidden records told apart from made-up ones by a mutation's answer (id masked)."""
    told = asked = 0
    for n, (rec, act) in enumerate(hidden):
        absent = (f"{rec}-zz", f"{act}-zz")
        for (m, h), (_, a) in zip(
            _mutations(rec, act, 2 * n), _mutations(*absent, 2 * n + 1), strict=True
        ):
            q = f"mutation($i: {_MUTATE[m]}!) {{ {m}(input: $i) {{ replayed }} }}"
            answers = []
            for variables, (r, x) in ((h, (rec, act)), (a, absent)):
                body = api.gql(q, {"i": variables}, role="inspector_open", expect_errors=True)
                text = json.dumps(body, sort_keys=True).replace(x, "ID").replace(r, "ID")
                answers.append(re.sub(r"p\d+-\d", "CHANGE", text))
            asked += 1
            told += answers[0] != answers[1]
    return {"asked": asked, "told_apart": told}


# -- the runs ----------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _truth(corpus: Path) -> dict[str, Any]:
    """What the probe should not find: the hidden records, and a few to name in mutations."""
    hidden = {r["id"] for r in _rows(corpus / "reviews.csv") if r["status"] != "published"}
    recs = _rows(corpus / "recommendations.csv")
    hid_recs = {r["id"] for r in recs if r["review_id"] in hidden}
    acts = [a for a in _rows(corpus / "actions.csv") if a["recommendation_id"] in hid_recs]
    pairs = [(a["recommendation_id"], a["id"]) for a in acts[:: max(len(acts) // 4, 1)][:4]]
    public_recs = [r["id"] for r in recs if r["review_id"] not in hidden]
    return {
        "hidden_reviews": len(hidden),
        "hidden_recommendations": len(hid_recs),
        "pairs": pairs,
        "public_recs": public_recs[:60],
    }


def probe(api: Api, truth: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"oracle": oracle_inference(api, truth["pairs"])}
    for role in ROLES:
        out[role or "public"] = {
            "search": search_inference(api, role),
            "lines": line_inference(api, role, truth["public_recs"]),
            "ids": id_inference(api, role),
        }
    return out


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def findings(
    request: pytest.FixtureRequest, demo_corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """What the probe infers from the demo corpus with and without its hidden reviews."""
    public = tmp_path_factory.mktemp("probe") / "public"
    without_hidden(demo_corpus, public)
    truth = _truth(demo_corpus)
    got = []
    for corpus in (demo_corpus, public):
        if request.param == "embedded":
            s: GraphStore = EmbeddedStore(tmp_path_factory.mktemp("probe-db") / "s.sqlite")
        else:
            s = _neo4j_store()
            s.clear()
            mark_neo4j_dirty()
        load_corpus(s, corpus)
        api = next(make_api(s, tmp_path_factory.mktemp("probe-keys")))
        got.append(probe(api, truth))
        if request.param == "embedded":
            assert isinstance(s, EmbeddedStore)
            s.close()
        else:
            s.clear()
    yield got[0], got[1], truth


def test_there_is_something_to_find(
    findings: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    _, _, truth = findings
    assert truth["hidden_reviews"] >= 50 and truth["hidden_recommendations"] >= 300
    assert len(truth["pairs"]) == 4


def test_search_scores_count_no_hidden_document(
    findings: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    full, public, _ = findings
    for role in ("public", "analyst"):
        search = full[role]["search"]
        assert len(search["words"]) >= 5, search  # the inversion had enough to work on
        assert all(w["hits"] >= 10 for w in search["words"].values())
        hidden = {
            w: (v["hidden_documents"], v["hidden_holding_it"]) for w, v in search["words"].items()
        }
        assert set(hidden.values()) == {(0, 0)}, hidden
        # the same inference without the hidden reviews: the method gives back the public count
        assert public[role]["search"] == search


def test_source_lines_show_no_gap(
    findings: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    full, public, _ = findings
    for role in ("public", "analyst"):
        assert full[role]["lines"] == public[role]["lines"] == {"lines_seen": 0, "rows_between": 0}


def test_public_ids_show_no_gap(
    findings: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    full, public, _ = findings
    for role in ("public", "analyst"):
        zero = {"reviews": 0, "recommendations": 0, "actions": 0, "audits": 0}
        assert full[role]["ids"] == public[role]["ids"] == zero


def test_mutation_errors_tell_no_hidden_record_from_a_made_up_one(
    findings: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    full, public, _ = findings
    assert full["oracle"] == public["oracle"] == {"asked": 28, "told_apart": 0}


def test_timing_is_measured_by_the_bench() -> None:
    """Timing is no test here: the bench has a part for it and reports hidden against absent."""
    from benchmarks import side_channel
    from benchmarks.run import PARTS

    assert "side" in PARTS
    names = {name for name, *_ in side_channel.probes(_bench_ids())}
    assert {"recordAction inspector", "recordAudit inspector"} <= names
    assert "hidden" in (side_channel.bench_hidden_vs_absent.__doc__ or "")


def _bench_ids() -> dict[str, str]:
    return {"review": "rv-x00001", "recommendation": "rv-x00001-r01", "action": "rv-x00001-r01-a1"}
