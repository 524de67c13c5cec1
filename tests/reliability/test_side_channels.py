"""Side channels (issue 17): what a viewer without the restricted grant is told must not
depend on the hidden reviews at all.

The demo corpus is loaded twice on each backend: as generated, and with every review a
public viewer may not see (restricted and withdrawn) removed together with everything that
hangs off it. Every probe below is asked by a public viewer and by an analyst without the
grant, and the two answers must be equal byte for byte (as canonical JSON).
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
from loaders import load_corpus
from queries import PUBLIC, Viewer
from scrgraph.store import EmbeddedStore, GraphStore
from tests.conftest import _neo4j_store, mark_neo4j_dirty

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
    return probes


def _answers(store: GraphStore, probes: list[tuple[str, dict[str, Any]]]) -> dict[str, str]:
    out = {}
    for name, params in probes:
        for who, viewer in VIEWERS.items():
            got = queries.run(store, name, params, viewer)
            key = f"{who} {name} {json.dumps(params, sort_keys=True)}"
            out[key] = json.dumps(got, sort_keys=True, default=str)
    return out


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from loaders import generate_corpus

    base = tmp_path_factory.mktemp("side")
    generate_corpus(base / "full", scale="demo", seed=17)
    without_hidden(base / "full", base / "public")
    return base / "full", base / "public"


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def paired(
    request: pytest.FixtureRequest,
    corpora: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, str], dict[str, str], int]]:
    """Every probe's answers on the full corpus and on the public-only one, per backend."""
    full, public = corpora
    probes = [("search", p) for p in _search_probes(full)]
    answers = []
    for corpus in (full, public):
        if request.param == "embedded":
            s = EmbeddedStore(tmp_path_factory.mktemp("side-db") / "store.sqlite")
            load_corpus(s, corpus)
            answers.append(_answers(s, probes))
            s.close()
        else:
            n = _neo4j_store()
            n.clear()
            mark_neo4j_dirty()
            load_corpus(n, corpus)
            answers.append(_answers(n, probes))
            n.clear()
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
    with_hidden, without, n = paired
    assert n >= 20 and len(with_hidden) == 2 * n
    hits = [json.loads(v)["total"] for k, v in with_hidden.items() if " search " in k]
    assert sum(hits) > 0 and any(h > 20 for h in hits), "the probes must find things"
    differ = [k for k in with_hidden if with_hidden[k] != without[k]]
    assert not differ, f"{len(differ)} of {len(with_hidden)} answers differ, e.g. {differ[:3]}"
