"""Hidden against absent: does the time of an answer give away that a hidden record exists?

Issue 17 asks that a caller who may not see a record gets exactly the answer an absent id
gets, "same timing within noise". The side-channel suite checks the answers byte for byte;
this bench checks the timing. For each probe, requests naming a hidden record (restricted,
withdrawn or draft review, or something hanging off one) and requests naming an id that does
not exist are sent alternately through the in-process GraphQL app, by a public caller or an
inspector key without the restricted grant, and their latencies compared.

A probe passes when the medians differ by less than the larger of 10 % and the spread
(interquartile range) of the absent requests: a difference inside the noise of one kind of
request cannot be told from noise by a caller either.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
import httpx

from benchmarks._util import loadavg, percentiles, say
from benchmarks.load import Item
from graph_schema import Label
from graph_store import GraphStore

_NODE = "query($id: ID!) { node(id: $id) { id } }"
_TRACE = "query($id: String!) { traceRecommendation(id: $id) { citation verdict } }"
_ACTION = "mutation($i: RecordActionInput!) { recordAction(input: $i) { replayed } }"
_AUDIT = "mutation($i: RecordAuditInput!) { recordAudit(input: $i) { replayed } }"
_RESPONSE = "mutation($i: RecordResponseInput!) { recordResponse(input: $i) { replayed } }"


def hidden_ids(items: Sequence[Item], scale: str = "") -> dict[str, str]:
    """One hidden review of the corpus (the first by id), a recommendation of it and an action."""
    hidden: set[str] = set()
    for is_node, name, row in items:
        if is_node and name == Label.REVIEW and row.get("status") != "published":
            hidden.add(str(row["id"]))
    if not hidden:
        raise ValueError(f"the {scale} corpus has no hidden reviews to probe")
    review = min(hidden)
    rec = act = ""
    for is_node, name, row in items:
        if not is_node:
            continue
        if not rec and name == Label.RECOMMENDATION and row.get("review_id") == review:
            rec = str(row["id"])
        elif rec and not act and name == Label.ACTION and row.get("recommendation_id") == rec:
            act = str(row["id"])
    if not rec or not act:
        raise ValueError(f"hidden review {review} has no recommendation with an action")
    return {"review": review, "recommendation": rec, "action": act}


def probes(ids: dict[str, str]) -> list[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    """(name, role, query, variables naming the hidden record, the same naming an absent one)."""
    audit = {"date": "2024-01-31", "auditor": "board_qa", "rating": "embedded"}
    return [
        ("node(Review) public", "", _NODE, {"id": f"Review:{ids['review']}"}, {"id": "Review:rv-none"}),
        (
            "traceRecommendation public",
            "",
            _TRACE,
            {"id": ids["recommendation"]},
            {"id": "rv-none-r1"},
        ),
        (
            "recordAction inspector",
            "inspector",
            _ACTION,
            {"i": {"recommendation": ids["recommendation"], "description": "d"}},
            {"i": {"recommendation": "rv-none-r1", "description": "d"}},
        ),
        (
            "recordAudit inspector",
            "inspector",
            _AUDIT,
            {"i": {"action": ids["action"], **audit}},
            {"i": {"action": "act-none", **audit}},
        ),
        (
            "recordResponse inspector",
            "inspector",
            _RESPONSE,
            {"i": {"recommendation": ids["recommendation"], "date": "2024-02-01"}},
            {"i": {"recommendation": "rv-none-r1", "date": "2024-02-01"}},
        ),
    ]  # fmt: skip


def _iqr_ms(samples: Sequence[float]) -> float:
    s = sorted(samples)
    return (s[(3 * len(s)) // 4] - s[len(s) // 4]) * 1000.0


def bench_hidden_vs_absent(
    store: GraphStore, ids: dict[str, str], reps: int, warmup: int = 5
) -> dict[str, Any]:
    """Latency of hidden-id and absent-id requests, interleaved, for each probe; `ids` names
    the hidden records (see `hidden_ids`)."""
    from gql_api import create_app
    from gql_api.auth import create_key
    from scrgraph.settings import load_settings

    tmp = Path(tempfile.mkdtemp(prefix="scrgraph-side-"))
    keys_file = tmp / "keys.json"
    keys = {"inspector": create_key(keys_file, "inspector", "bench-inspector-open")}
    settings = load_settings({"SCRGRAPH_KEYS": str(keys_file)}, environ={})
    app = create_app(settings, store)
    plan = probes(ids)
    out: dict[str, Any] = {"loadavg_before": loadavg(), "probes": {}}

    async def go() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:

            async def once(role: str, query: str, variables: dict[str, Any], n: int) -> Any:
                headers = {"Authorization": f"Bearer {keys[role]}"} if role else {}
                if "i" in variables:  # a fresh change id each time, so nothing is replayed
                    variables = {"i": {**variables["i"], "changeId": f"side-{n}"}}
                t0 = time.perf_counter()
                r = await c.post(
                    "/graphql", json={"query": query, "variables": variables}, headers=headers
                )
                dt = time.perf_counter() - t0
                return dt, r.json()

            for name, role, query, hidden, absent in plan:
                say(f"side channel: {name} x{reps}")
                times: dict[str, list[float]] = {"hidden": [], "absent": []}
                answers: dict[str, set[str]] = {"hidden": set(), "absent": set()}
                for i in range(warmup + reps):
                    # alternate which goes first, so that neither always follows the other
                    order = [("hidden", hidden), ("absent", absent)]
                    if i % 2:
                        order.reverse()
                    for which, variables in order:
                        dt, body = await once(role, query, variables, 2 * i + (which == "absent"))
                        if i >= warmup:
                            times[which].append(dt)
                            errs = body.get("errors") or []
                            answers[which].add(
                                ";".join(str((e.get("extensions") or {}).get("code")) for e in errs)
                            )
                h, a = percentiles(times["hidden"]), percentiles(times["absent"])
                diff = abs(h["p50_ms"] - a["p50_ms"])
                allowed = max(0.10 * a["p50_ms"], _iqr_ms(times["absent"]))
                out["probes"][name] = {
                    "hidden": h,
                    "absent": a,
                    "p50_diff_ms": round(diff, 3),
                    "allowed_ms": round(allowed, 3),
                    "codes": sorted(answers["hidden"] | answers["absent"]),
                    "same_codes": answers["hidden"] == answers["absent"],
                    "ok": diff <= allowed and answers["hidden"] == answers["absent"],
                }

    anyio.run(go)
    out["loadavg_after"] = loadavg()
    return out
