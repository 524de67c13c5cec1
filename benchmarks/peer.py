"""scrgraph beside a peer (issue 14): the Neo4j GraphQL Library on Apollo Server, over the
same Neo4j database and data, timed in the same run.

The peer's type definitions are generated from `graph_schema` (labels, properties) and the
entity edges of `queries.entities` (relationship types and directions), so that it sees the
graph scrgraph writes, under the same field names. Both servers run as subprocesses on
loopback and are called alternately over HTTP by one client; the raw Cypher floor is one
hand-written statement per request through the Python driver. The peer applies no roles, so
every request to it names the public viewer's filter (published reviews only) itself.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from benchmarks._util import ROOT, loadavg, percentiles, say
from benchmarks.api_load import HOST, Server, free_port
from graph_schema import NODES, Label
from queries.entities import EDGES

PEER_DIR = ROOT / "benchmarks" / "peer"

# The entities the compared requests touch, and which of their edges lead to one node.
_TYPES = (Label.BOARD, Label.REVIEW, Label.RECOMMENDATION, Label.AGENCY, Label.THEME, Label.ACTION)
_SINGLE = frozenset(
    {"review.board", "recommendation.review", "action.recommendation", "action.owner"}
)
_GQL_TYPE = {"str": "String", "int": "Int", "float": "Float", "bool": "Boolean", "date": "String",
             "datetime": "String", "list[str]": "[String!]"}  # fmt: skip


def type_defs() -> str:
    """The peer's type definitions: one `@node` type per label, its stored properties, and
    a `@relationship` field per entity edge between the types compared."""
    wanted = set(_TYPES)
    out: list[str] = []
    for spec in NODES:
        if spec.label not in wanted:
            continue
        lines = [f"type {spec.label.value} @node {{"]
        for p in spec.props:
            t = "ID" if p.name == spec.key else _GQL_TYPE[p.type]
            lines.append(f"  {p.name}: {t}{'!' if p.required or p.name == spec.key else ''}")
        for name, e in sorted(EDGES.items()):
            owner, field = name.split(".", 1)
            if e.start != spec.label or owner != spec.label.value.lower() or e.end not in wanted:
                continue
            target = e.end.value if name in _SINGLE else f"[{e.end.value}!]!"
            direction = "OUT" if e.outgoing else "IN"
            lines.append(
                f'  {field}: {target} @relationship(type: "{e.rel.value}", direction: {direction})'
            )
        lines.append("}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


class PeerServer:
    """The Neo4j GraphQL Library on Apollo Server (Node), on a free loopback port."""

    def __init__(self, neo4j_env: Mapping[str, str], log: Path) -> None:
        ensure_installed()
        self.port = free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="scrgraph-peer-"))
        defs = self.tmp / "typedefs.graphql"
        defs.write_text(type_defs(), encoding="utf-8")
        env = {
            **os.environ,
            "NEO4J_URI": neo4j_env["NEO4J_URI"],
            "NEO4J_USER": neo4j_env.get("NEO4J_USER", "neo4j"),
            "NEO4J_PASSWORD": neo4j_env["NEO4J_PASSWORD"],
            "NEO4J_DATABASE": neo4j_env.get("NEO4J_DATABASE", ""),
            "PORT": str(self.port),
            "TYPEDEFS": str(defs),
        }
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            ["node", "server.mjs"], cwd=PEER_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait_ready(120.0)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the peer exited ({self.proc.returncode}); see {self.log.name}")
            try:
                post(self.port, "/", "{ __typename }")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the peer did not become ready in {timeout:.0f}s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def ensure_installed() -> None:
    """Install the peer's npm packages (pinned in its package-lock.json) once."""
    if (PEER_DIR / "node_modules" / "@neo4j" / "graphql").is_dir():
        return
    if not shutil.which("npm"):
        raise RuntimeError("npm not found: the peer (the Neo4j GraphQL Library) runs on Node")
    say("installing the peer's npm packages (once) ...")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True)


def post(port: int, path: str, query: str, variables: Mapping[str, Any] | None = None) -> Any:
    """POST one GraphQL request; the parsed JSON answer (errors raise)."""
    c = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        body = json.dumps({"query": query, "variables": dict(variables or {})})
        c.request("POST", path, body, {"Content-Type": "application/json"})
        r = c.getresponse()
        data = json.loads(r.read())
    finally:
        c.close()
    if r.status != 200 or data.get("errors"):
        raise RuntimeError(f"{path} on {port}: {r.status} {json.dumps(data)[:400]}")
    return data["data"]


# -- the compared requests -------------------------------------------------------------------

# A page of 100 recommendations (by id) with review, board, themes and actions, and the total.
SCR_PAGE = """{ recommendations(first: 100) { totalCount edges { node { key text
  review { key title board { key name } } themes { key label }
  actions { edges { node { key status } } } } } } }"""
PEER_PAGE = """{ recommendationsConnection(first: 100, sort: [{id: ASC}],
  where: {review: {status: {eq: "published"}}}) { totalCount edges { node { id text
  review { id title board { id name } } themes { id label } actions { id status } } } } }"""
RAW_PAGE = """
MATCH (v:Review {status: 'published'})-[:MAKES]->(r:Recommendation)
WITH r, v ORDER BY r.id LIMIT 100
OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(v)
RETURN r.id AS id, r.text AS text, v.id AS review, v.title AS title, b.id AS board, b.name AS name,
  COLLECT { MATCH (r)-[:TAGGED]->(t:Theme) RETURN t {.id, .label} } AS themes,
  COLLECT { MATCH (a:Action)-[:RESPONDS_TO]->(r) RETURN a {.id, .status} } AS actions
"""
RAW_TOTAL = (
    "MATCH (:Review {status: 'published'})-[:MAKES]->(r:Recommendation) RETURN count(r) AS n"
)

# One recommendation by id with its neighbours.
SCR_ONE = """query($id: ID!) { node(id: $id) { ... on Recommendation { key text status
  review { key title year board { key name } } themes { key label }
  agencies { key name } actions { edges { node { key status dueDate } } } } } }"""
PEER_ONE = """query($id: ID!) { recommendations(where: {id: {eq: $id},
  review: {status: {eq: "published"}}}) { id text status
  review { id title year board { id name } } themes { id label } agencies { id name }
  actions { id status due_date } } }"""
RAW_ONE = """
MATCH (v:Review {status: 'published'})-[:MAKES]->(r:Recommendation {id: $id})
OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(v)
RETURN r {.id, .text, .status} AS r, v {.id, .title, .year} AS v, b {.id, .name} AS b,
  COLLECT { MATCH (r)-[:TAGGED]->(t:Theme) RETURN t {.id, .label} } AS themes,
  COLLECT { MATCH (r)-[:ADDRESSED_TO]->(g:Agency) RETURN g {.id, .name} } AS agencies,
  COLLECT { MATCH (a:Action)-[:RESPONDS_TO]->(r) RETURN a {.id, .status, .due_date} } AS actions
"""

# A filtered count: recommendations of 2015-2019 tagged with one theme.
SCR_COUNT = """query($theme: String!) { recommendations(filter: {yearFrom: 2015, yearTo: 2019,
  theme: $theme}) { totalCount } }"""
PEER_COUNT = """query($theme: ID!) { recommendationsConnection(where: {review: {status:
  {eq: "published"}, year: {gte: 2015, lte: 2019}}, themes: {some: {id: {eq: $theme}}}}) {
  totalCount } }"""
RAW_COUNT = """
MATCH (v:Review {status: 'published'})-[:MAKES]->(r:Recommendation)-[:TAGGED]->(:Theme {id: $theme})
WHERE v.year >= 2015 AND v.year <= 2019
RETURN count(DISTINCT r) AS n
"""


_Request = tuple[str, dict[str, Any]]
_Case = tuple[_Request, _Request, list[_Request]]  # scrgraph, the peer, the raw statements


def _page_ids(scr: Any, peer: Any) -> tuple[list[str], list[str]]:
    a = [e["node"]["key"] for e in scr["recommendations"]["edges"]]
    b = [e["node"]["id"] for e in peer["recommendationsConnection"]["edges"]]
    return a, b


def bench_peer(
    neo4j_env: Mapping[str, str],
    rec_id: str,
    theme: str,
    reps: int,
    raw: Callable[[str, dict[str, Any]], list[Any]],
    warmup: int = 5,
) -> dict[str, Any]:
    """p50/p95 of the three requests on scrgraph, the peer and raw Cypher, interleaved."""
    out: dict[str, Any] = {"loadavg_before": loadavg(), "requests": {}}
    logs = ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    say("peer: starting scrgraph serve and the Neo4j GraphQL Library on the same Neo4j")
    scr = Server("neo4j", None, neo4j_env)
    try:
        peer = PeerServer(neo4j_env, logs / "peer.log")
        try:
            cases: dict[str, _Case] = {
                "page of 100 with review, board, themes, actions": (
                    (SCR_PAGE, {}), (PEER_PAGE, {}), [(RAW_PAGE, {}), (RAW_TOTAL, {})]),
                "one recommendation by id with its neighbours": (
                    (SCR_ONE, {"id": f"Recommendation:{rec_id}"}), (PEER_ONE, {"id": rec_id}),
                    [(RAW_ONE, {"id": rec_id})]),
                "filtered count (2015-2019, one theme)": (
                    (SCR_COUNT, {"theme": theme}), (PEER_COUNT, {"theme": theme}),
                    [(RAW_COUNT, {"theme": theme})]),
            }  # fmt: skip

            def call(who: str, case: _Case) -> Any:
                (sq, sv), (pq, pv), raws = case
                if who == "scrgraph":
                    return post(scr.port, "/graphql", sq, sv)
                if who == "peer":
                    return post(peer.port, "/", pq, pv)
                return [raw(c, p) for c, p in raws]

            for name, case in cases.items():
                say(f"peer: {name} x{reps}")
                same = _same(name, call("scrgraph", case), call("peer", case))
                times: dict[str, list[float]] = {"scrgraph": [], "peer": [], "raw": []}
                for i in range(warmup + reps):
                    order = list(times)
                    if i % 2:  # alternate the order, so that none always goes first
                        order.reverse()
                    for who in order:
                        t0 = time.perf_counter()
                        call(who, case)
                        if i >= warmup:
                            times[who].append(time.perf_counter() - t0)
                row: dict[str, Any] = {"same_answer": same}
                for who, ts in times.items():
                    row[who] = percentiles(ts)
                row["scrgraph_over_peer_p50"] = round(
                    row["scrgraph"]["p50_ms"] / row["peer"]["p50_ms"], 2
                )
                out["requests"][name] = row
        finally:
            peer.stop()
    finally:
        scr.stop()
    out["loadavg_after"] = loadavg()
    return out


def _same(name: str, scr: Any, peer: Any) -> bool:
    """Whether both servers selected the same data (ids, or the count)."""
    if name.startswith("page"):
        a, b = _page_ids(scr, peer)
        return a == b and (
            scr["recommendations"]["totalCount"] == peer["recommendationsConnection"]["totalCount"]
        )
    if name.startswith("one"):
        r, p = scr["node"], peer["recommendations"]
        return (
            len(p) == 1
            and r["key"] == p[0]["id"]
            and (
                sorted(e["node"]["key"] for e in r["actions"]["edges"])
                == sorted(x["id"] for x in p[0]["actions"])
            )
        )
    return bool(
        scr["recommendations"]["totalCount"] == peer["recommendationsConnection"]["totalCount"]
    )
