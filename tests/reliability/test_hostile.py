"""Hostile queries against the API: refused or harmless, and never a word of a restricted review.

The requests are generated from the schema itself: every string or ID argument of every
Query field (and every string field of the `Filter` input) gets each injection payload, as a
variable and as an inline literal, from an anonymous viewer and from an analyst whose key has
no restricted access. Every response is searched for the restricted and withdrawn reviews'
ids, titles, summaries, recommendation texts and action descriptions; after each sweep the
store's counts must be unchanged. The small graph and the keys come from `tests/api`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
)

from gql_api.schema import build_schema
from graph_store import GraphStore
from tests.api.conftest import Api, make_api, small_graph
from tests.reliability.helpers import Tally

PAYLOADS: tuple[str, ...] = (
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "rv1'}) MATCH (r:Review) RETURN r.title AS title //",
    "x` MATCH (n:Review {status: 'restricted'}) RETURN n //",
    "$id",
    "{id}",
    "*",
    ".*",
    "%",
    "rv3",
    "Review:rv3",
    "Recommendation:rv3-r1",
    "'; DROP TABLE nodes; --",
    'Secret OR title:Secret NEAR("Child" "Secret") *',
    "\u0000\u202e\ud7ff",
    "restricted",
    "x" * 10_000,
)
# Text of the restricted (rv3) and withdrawn (rv4) reviews in tests/api's small graph.
SECRET_TEXT = (
    "Child Secret",
    "Hidden man, information sharing.",
    "Child Gone",
    "Withdrawn report.",
    "Train staff (rv3",
    "Train staff (rv4",
)
SECRET_IDS = ("rv3", "rv4")
ROLES = (None, "analyst")


@pytest.fixture
def api(store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    store.write(small_graph())
    yield from make_api(store, tmp_path)


def _flat_counts(store: GraphStore) -> dict[str, int]:
    c = store.counts()
    return {**c.nodes, **c.relationships}


def _leaks(res: httpx.Response, sent: str) -> list[str]:
    """Restricted data in a response: any secret text; any secret id in `data` not sent by us."""
    text = res.text
    found = [t for t in SECRET_TEXT if t in text]
    try:
        data = res.json().get("data")
    except (json.JSONDecodeError, AttributeError):
        data = None
    if data is not None:  # an id we sent may come back as an echo (search terms): not a leak
        shown = json.dumps(data, ensure_ascii=False)
        found += [i for i in SECRET_IDS if i in shown and i not in sent.lower()]
    return found


class Sweep:
    """Sends requests, checks each, and keeps the tally."""

    def __init__(self, api: Api, tally: Tally) -> None:
        self.api = api
        self.tally = tally
        self.wrong: list[str] = []

    def post(self, body: Any, role: str | None = None, sent: str = "", **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.api.keys[role]}"} if role else {}
        headers.update(kw.pop("headers", {}))
        res = self.api.client.post("/graphql", json=body, headers=headers, **kw)
        self.check(res, f"{role or 'anonymous'} {json.dumps(body)[:160]}", sent)
        return res

    def check(self, res: httpx.Response, what: str, sent: str) -> None:
        self.tally.requests += 1
        self.tally.responses_checked += 1
        if res.status_code >= 500:
            self.wrong.append(f"{res.status_code} for {what}: {res.text[:300]}")
        leaked = _leaks(res, sent)
        if leaked:
            self.tally.leaks += 1
            self.wrong.append(f"leaked {leaked} for {what}")
        if "Traceback" in res.text:
            self.wrong.append(f"a traceback for {what}")

    def done(self) -> None:
        assert not self.wrong, "\n".join(self.wrong[:30])


# -- requests built from the schema ---------------------------------------------------------


def _unwrap(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def _is_list(t: Any) -> bool:
    t = t.of_type if isinstance(t, GraphQLNonNull) else t
    return isinstance(t, GraphQLList)


def _benign(t: Any, schema: GraphQLSchema) -> Any:
    """A harmless value for a required argument."""
    base = _unwrap(t)
    if isinstance(base, GraphQLScalarType):
        v: Any = {"Int": 1, "Float": 1.0, "Boolean": False, "ID": "Review:rv1"}.get(
            base.name, "rv1"
        )
    elif isinstance(base, GraphQLEnumType):
        v = next(iter(base.values))
    else:
        v = {
            n: _benign(f.type, schema)
            for n, f in base.fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is None
        }
    return [v] if _is_list(t) else v


def _selection(t: Any, depth: int = 0) -> str:
    """Every argument-free scalar field, two levels of objects down."""
    base = _unwrap(t)
    if isinstance(base, GraphQLScalarType | GraphQLEnumType):
        return ""
    parts: list[str] = []
    for name, f in base.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in f.args.values()):
            continue
        inner = _unwrap(f.type)
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            parts.append(name)
        elif depth < 3 and isinstance(inner, GraphQLObjectType | GraphQLInterfaceType):
            sub = _selection(inner, depth + 1)
            if sub:
                parts.append(f"{name} {sub}")
    if isinstance(base, GraphQLInterfaceType):
        parts.append("... on Review { title summary status }")
        parts.append("... on Recommendation { text }")
    return "{ " + " ".join(parts or ["__typename"]) + " }"


def _gql_type(t: Any) -> str:
    if isinstance(t, GraphQLNonNull):
        return _gql_type(t.of_type) + "!"
    if isinstance(t, GraphQLList):
        return f"[{_gql_type(t.of_type)}]"
    return str(t.name)


def string_slots(schema: GraphQLSchema, root: GraphQLObjectType) -> Iterator[tuple[str, str, Any]]:
    """(field, argument path, argument type) for each string-like argument or input field."""
    for fname, field in root.fields.items():
        for aname, arg in field.args.items():
            base = _unwrap(arg.type)
            if isinstance(base, GraphQLScalarType) and base.name in ("String", "ID"):
                yield fname, aname, arg.type
            elif isinstance(base, GraphQLInputObjectType):
                for iname, ifield in base.fields.items():
                    ib = _unwrap(ifield.type)
                    if isinstance(ib, GraphQLScalarType) and ib.name in ("String", "ID"):
                        yield fname, f"{aname}.{iname}", arg.type


def injection_request(
    schema: GraphQLSchema, root: GraphQLObjectType, op: str, fname: str, path: str, payload: str
) -> dict[str, Any]:
    field = root.fields[fname]
    values: dict[str, Any] = {
        a: _benign(arg.type, schema)
        for a, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull)
    }
    top, _, inner = path.partition(".")
    arg_type = field.args[top].type
    if inner:
        obj = values.get(top) or _benign(arg_type, schema)
        obj[inner] = [payload] if _is_list(_unwrap(arg_type).fields[inner].type) else payload
        values[top] = obj
    else:
        values[top] = [payload] if _is_list(arg_type) else payload
    decl = ", ".join(f"${a}: {_gql_type(field.args[a].type)}" for a in values)
    args = ", ".join(f"{a}: ${a}" for a in values)
    query = f"{op}({decl}) {{ {fname}({args}) {_selection(field.type)} }}"
    return {"query": query, "variables": values}


def test_injection_in_every_string_argument(api: Api, tally: Tally) -> None:
    schema = build_schema()._schema
    root = schema.query_type
    assert root is not None
    slots = list(string_slots(schema, root))
    assert len(slots) >= 20, slots  # the sweep really covers the schema
    before = _flat_counts(api.store)
    sweep = Sweep(api, tally)
    # Every payload in the arguments that reach text search, ids and filters of the top-level
    # lists; elsewhere five payloads per argument, rotating, so every payload reaches many.
    full = {("node", "id"), ("search", "text"), ("traceRecommendation", "id")}
    for i, (fname, path, _) in enumerate(slots):
        every = (fname, path) in full or (fname == "reviews" and path.startswith("filter."))
        chosen = PAYLOADS if every else [PAYLOADS[(i * 5 + j) % len(PAYLOADS)] for j in range(5)]
        for j, payload in enumerate(chosen):
            body = injection_request(schema, root, "query", fname, path, payload)
            tally.inputs += 1
            roles = ROLES if every else (ROLES[(i + j) % 2],)
            for role in roles:
                sweep.post(body, role=role, sent=payload)
    # and as inline literals (the parser's escaping, not only variables)
    for payload in PAYLOADS[:6]:
        literal = json.dumps(payload)
        for q in (
            f"{{ node(id: {literal}) {{ id }} }}",
            f"{{ search(text: {literal}) {{ total hits {{ key }} }} }}",
            f"{{ reviews(filter: {{board: {literal}, text: {literal}}}) {{ totalCount }} }}",
            f"{{ traceRecommendation(id: {literal}) {{ citation }} }}",
        ):
            sweep.post({"query": q}, sent=payload)
    tally.note(f"{api.store.kind}: {len(slots)} string arguments x {len(PAYLOADS)} payloads")
    after = _flat_counts(api.store)
    tally.records_checked += sum(before.values())
    tally.records_lost += sum(max(0, n - after.get(k, 0)) for k, n in before.items())
    assert after == before
    sweep.done()


def test_injection_in_mutations(api: Api, tally: Tally) -> None:
    """Every string of every mutation input, from an inspector: validated, or stored as text."""
    schema = build_schema()._schema
    root = schema.mutation_type
    assert root is not None
    headers = {"Authorization": f"Bearer {api.keys['inspector']}"}
    # mergeItems deletes the item it merges away (issue 13): made once here, so that every
    # request of the sweep, mergeItems' included, must delete nothing. (removeItem's base
    # item does not exist: it is refused, as before.)
    merge = 'mergeItems(input: {changeId: "prep-1", keep: "rv1-r1", merge: "rv1-r2"}) { replayed }'
    res = api.client.post("/graphql", json={"query": f"mutation {{ {merge} }}"}, headers=headers)
    assert "errors" not in res.json(), res.text
    before = _flat_counts(api.store)
    sweep = Sweep(api, tally)
    n = 0
    for fname, path, _ in string_slots(schema, root):
        for payload in PAYLOADS:
            n += 1
            body = injection_request(schema, root, "mutation", fname, path, payload)
            top = path.split(".")[0]
            base = {
                "recordAction": {"recommendation": "rv1-r1", "description": "d"},
                "updateActionStatus": {"action": "act-rv1-r1", "status": "in_progress"},
                "recordAudit": {
                    "action": "act-rv1-r2",
                    "date": "2020-01-01",
                    "auditor": "board_qa",
                    "rating": "embedded",
                },
                "recordResponse": {"recommendation": "rv1-r3", "date": "2020-01-01"},
                # the review queue's decisions (issue 13)
                "confirmItem": {"item": "rv1-r1"},
                "correctItem": {"item": "rv1-r1"},
                "mergeItems": {"keep": "rv1-r1", "merge": "rv1-r2"},
                "removeItem": {"item": "rv1-r3"},
                "confirmDocument": {"review": "rv1"},
            }[fname]
            body["variables"][top] = {
                **base,
                "changeId": f"hostile-{n}",
                **body["variables"][top],
            }
            if path != f"{top}.changeId":
                body["variables"][top]["changeId"] = f"hostile-{n}"
            tally.inputs += 1
            sweep.tally.requests += 1
            res = api.client.post("/graphql", json=body, headers=headers)
            if res.status_code >= 500 or "Traceback" in res.text:
                sweep.wrong.append(f"{res.status_code} for {fname} {path}={payload[:40]!r}")
    after = _flat_counts(api.store)
    tally.records_checked += sum(before.values())
    tally.records_lost += sum(max(0, c - after.get(k, 0)) for k, c in before.items())
    grew = {k for k in after if after[k] != before.get(k, 0)}
    allowed = {"Action", "Audit", "Change", "RESPONDS_TO", "CHECKS", "OWNED_BY", "RECORDED"}
    assert grew <= allowed | {k for k in after if k.isupper()}, grew
    assert all(after[k] >= before.get(k, 0) for k in after), "a mutation deleted something"
    sweep.done()


MUTATION = (
    'mutation { recordAction(input: {changeId: "m-1", recommendation: "rv1-r1", '
    'description: "x"}) { replayed } }'
)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 200),  # no key: a GraphQL error (the role check), nothing written
        ({"Authorization": "Bearer scr_wrong"}, 401),
        ({"Authorization": "Bearer "}, 401),
        ({"Authorization": "Basic YWRtaW46YWRtaW4="}, 401),
        ({"Authorization": "Bearer ' OR 1=1 --"}, 401),
    ],
)
def test_mutations_without_a_valid_key(
    api: Api, tally: Tally, headers: dict[str, str], status: int
) -> None:
    before = _flat_counts(api.store)
    sweep = Sweep(api, tally)
    res = sweep.post({"query": MUTATION}, headers=headers)
    assert res.status_code == status, res.text
    body = res.json()
    assert body.get("data") is None and body["errors"], body
    res = sweep.post({"query": MUTATION}, role="analyst")  # a valid key, the wrong role
    assert res.json()["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHORIZED")
    assert _flat_counts(api.store) == before
    tally.records_checked += sum(before.values())
    sweep.done()


def _deep(levels: int) -> str:
    q = "key"
    for i in range(levels):
        q = f"board {{ reviews {{ edges {{ node {{ {q} }} }} }} }}" if i % 2 else q
    return "{ reviews { edges { node { " + q + " } } } }"


HOSTILE_DOCUMENTS: list[tuple[str, Any]] = [
    ("deep nesting", {"query": _deep(60)}),
    ("alias flood", {"query": "{ " + " ".join(f"a{i}: reviews {{ totalCount }}" for i in range(500)) + " }"}),
    ("fragment cycle", {"query": "fragment A on Query { ...B } fragment B on Query { ...A } { ...A }"}),
    ("self-spreading fragment", {"query": "fragment A on Query { reviews { totalCount } ...A } { ...A }"}),
    ("fragment bomb", {"query": "fragment F on Review { title summary } " + "{ " + " ".join(f"r{i}: reviews {{ edges {{ node {{ ...F ...F ...F }} }} }}" for i in range(14)) + " }"}),
    ("batched array", [{"query": "{ reviews { totalCount } }"}] * 50),
    ("batched array of secrets", [{"query": '{ node(id: "Review:rv3") { id } }'}] * 5),
    ("huge first", {"query": "{ reviews(first: 2147483647) { totalCount edges { node { key } } } }"}),
    ("first beyond Int", {"query": "{ reviews(first: 99999999999999) { totalCount } }"}),
    ("negative first", {"query": "{ reviews(first: -5) { totalCount } }"}),
    ("huge limit", {"query": '{ search(text: "information", limit: 2147483647) { total } }'}),
    (
        "outstandingActions huge limit",
        {"query": "{ outstandingActions(limit: 2147483647) { open } }"},
    ),
    ("many operations", {"query": " ".join(f"query Q{i} {{ __typename }}" for i in range(300)), "operationName": "Q1"}),
    ("directive flood", {"query": "{ __typename " + "@include(if: true) " * 500 + "}"}),
    ("huge string", {"query": '{ search(text: "' + "a " * 400_000 + '") { total } }'}),
    ("unknown variables", {"query": "{ __typename }", "variables": {f"v{i}": "x" * 1000 for i in range(1000)}}),
    ("not JSON", "{{{{"),
    ("JSON null", None),
    ("subscription", {"query": "subscription { reviews { totalCount } }"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "body"), HOSTILE_DOCUMENTS, ids=[h[0] for h in HOSTILE_DOCUMENTS])
def test_hostile_documents(api: Api, tally: Tally, name: str, body: Any) -> None:
    import time

    sweep = Sweep(api, tally)
    t0 = time.perf_counter()
    if isinstance(body, str) or body is None:
        res = api.client.post(
            "/graphql", content=b"null" if body is None else body.encode(),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        sweep.check(res, name, "")
    else:
        res = sweep.post(body, role="analyst")
    took = time.perf_counter() - t0
    assert took < 10, f"{name} took {took:.1f}s"
    assert res.status_code < 500
    if name.startswith(("batched", "not JSON", "JSON null")):
        assert res.status_code == 400, res.text[:300]  # refused before anything runs
        return sweep.done()
    if name.startswith(("deep", "alias", "fragment c", "self", "first beyond", "negative")):
        assert res.status_code == 400 or res.json().get("errors"), res.text[:500]
    if name == "huge first":
        assert res.json().get("errors") or len(res.json()["data"]["reviews"]["edges"]) <= 100
    sweep.done()


def test_production_refuses_introspection(store: GraphStore, tmp_path: Path, tally: Tally) -> None:
    store.write(small_graph())
    api = next(make_api(store, tmp_path, SCRGRAPH_PRODUCTION="true"))
    sweep = Sweep(api, tally)
    for q in (
        "{ __schema { types { name fields { name } } } }",
        '{ __type(name: "Review") { fields { name } } }',
        "fragment S on __Schema { queryType { name } } { __schema { ...S } }",
        "query { a: __schema { queryType { name } } }",
        "{ reviews { totalCount } ... on Query { __schema { types { name } } } }",
    ):
        for role in (None, "analyst", "admin"):
            body = sweep.post({"query": q}, role=role).json()
            assert body.get("data") is None or "__schema" not in json.dumps(body["data"]), body
            assert "introspection" in json.dumps(body.get("errors", [])).lower(), body
    sweep.done()


def test_guessing_restricted_ids(api: Api, tally: Tally) -> None:
    """Guess keys and global ids of every kind: the restricted review's items stay invisible,
    and a hidden item answers exactly like one that does not exist."""
    sweep = Sweep(api, tally)
    guesses = [f"rv{i}" for i in range(0, 12)]
    guesses += [f"rv{i}-r{j}" for i in range(1, 6) for j in range(1, 4)]
    guesses += [f"act-rv{i}-r{j}" for i in range(1, 6) for j in range(1, 3)]
    guesses += [f"aud-act-rv{i}-r2" for i in range(1, 6)]
    labels = ("Review", "Recommendation", "Action", "Audit")
    for role in ROLES:
        absent: dict[str, Any] = {}
        for g in guesses:
            for label in labels:
                gid = f"{label}:{g}"
                q = {
                    "query": "query($id: ID!, $k: String!) { node(id: $id) { id key "
                    "... on Review { title summary status } ... on Recommendation { text } } "
                    "traceRecommendation(id: $k) { citation review { key title } } }",
                    "variables": {"id": gid, "k": g},
                }
                res = sweep.post(q, role=role, sent=g)
                data = res.json()["data"]
                # The error names the id asked for; all else must match byte for byte.
                text = res.text.replace(f"'{g}'", "'ID'")
                if g.startswith(("rv3", "rv4", "act-rv3", "act-rv4", "aud-act-rv3", "aud-act-rv4")):
                    assert data == {"node": None, "traceRecommendation": None}, (gid, data)
                    absent.setdefault("hidden", text)
                elif g.startswith("rv0") or g in ("rv5", "rv6"):
                    absent.setdefault("missing", text)
        assert absent["hidden"] == absent["missing"]  # no oracle: hidden looks like absent
        assert '"code":"NOT_FOUND"' in absent["missing"]
        for q in (
            "{ reviews(filter: {status: restricted}) { totalCount edges { node { key title } } } }",
            "{ reviews(filter: {status: withdrawn}) { totalCount } }",
            '{ reviews(filter: {text: "Secret"}) { totalCount } }',
            '{ recommendations(filter: {text: "Child Secret"}) { totalCount edges { node { text } } } }',
            '{ search(text: "Secret") { total hits { key title text } } }',
            '{ search(text: "Hidden man") { total hits { key title text } } }',
            '{ themeRecurrence(theme: "hidden_man") { reviews boards perBoard { boardKey reviews } '
            "afterClosure { review { key title } } } }",
            '{ node(id: "Board:b2") { ... on Board { reviews { totalCount edges { node { key title } } } } } }',
            '{ agencyLoad(agency: "ag-pol") { totals { recommendations actions } '
            "overdue { key action { key } } } }",
            "{ outstandingActions { open overdue actions { key review { key title } } } }",
            "{ repeatedRecommendations(minBoards: 1, minYears: 1) { clusters { memberKeys "
            "members { key text } } } }",
        ):
            res = sweep.post({"query": q}, role=role)
            text = res.text
            for n in ('"totalCount": 1', '"totalCount":1'):
                if "restricted" in q or "withdrawn" in q or "Secret" in q:
                    assert n not in text, (q, text)
    sweep.done()
