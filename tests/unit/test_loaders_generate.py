"""The synthetic corpus: deterministic, valid, and shaped like the published figures."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from graph_schema import ACTION_STATUSES, AUDIT_RATINGS, RECOMMENDATION_STATUSES
from loaders import generate_corpus, parse_corpus, reissued_groups


def _rows(corpus: Path, name: str) -> list[dict[str, str]]:
    with (corpus / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path, demo_corpus: Path) -> None:
    generate_corpus(tmp_path / "a", scale="demo", seed=42)
    generate_corpus(tmp_path / "b", scale="demo", seed=7)
    assert _digest(tmp_path / "a") == _digest(demo_corpus)
    assert _digest(tmp_path / "b") != _digest(demo_corpus)


def test_demo_corpus_validates_and_says_it_is_synthetic(demo_corpus: Path) -> None:
    corpus, sink = parse_corpus(demo_corpus)
    assert sink.problems == []
    meta = json.loads((demo_corpus / "corpus.json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and "synthetic" in meta["generated"].lower()
    assert corpus.metadata["seed"] == 42


def test_jsonl_format_gives_the_same_records(tmp_path: Path, demo_corpus: Path) -> None:
    generate_corpus(tmp_path / "j", scale="demo", seed=42, fmt="jsonl")
    a, sa = parse_corpus(demo_corpus)
    b, sb = parse_corpus(tmp_path / "j")
    assert sa.problems == sb.problems == []
    for name in ("reviews", "recommendations", "audits", "board_succession"):
        assert [r.values for r in a.records[name]] == [r.values for r in b.records[name]], name


def test_shape_follows_the_published_figures(demo_corpus: Path) -> None:
    boards = _rows(demo_corpus, "boards")
    reviews = _rows(demo_corpus, "reviews")
    recs = _rows(demo_corpus, "recommendations")
    actions = _rows(demo_corpus, "actions")
    audits = _rows(demo_corpus, "audits")
    succession = _rows(demo_corpus, "board_succession")

    assert 250 <= len(reviews) <= 350
    kinds = Counter(b["kind"] for b in boards)
    assert kinds["lscb"] == 40 and 25 <= kinds["partnership"] < 40
    into = Counter(s["to_board_id"] for s in succession)
    assert max(into.values()) >= 2 and len(succession) == kinds["lscb"]
    years = Counter(int(r["year"]) for r in reviews)
    assert min(years) == 2007 and max(years) == 2024

    local = [r for r in reviews if r["review_type"] in ("scr", "lcspr", "rapid")]
    ages = Counter(r["age_band"] for r in local)
    under_five = (ages["under_1"] + ages["1_to_4"]) / len(local)
    assert 0.55 <= under_five <= 0.78 and 0.4 <= ages["under_1"] / len(local) <= 0.6
    sexes = Counter(r["sex"] for r in local)
    assert sexes["male"] > sexes["female"]
    statuses = Counter(r["status"] for r in reviews)
    assert statuses["restricted"] > 0 and statuses["withdrawn"] > 0

    per_review = Counter(r["review_id"] for r in recs)
    assert max(per_review.values()) >= 25 and min(per_review.values()) <= 3
    assert set(RECOMMENDATION_STATUSES) == {r["status"] for r in recs}
    assert set(ACTION_STATUSES) == {a["status"] for a in actions}
    assert set(AUDIT_RATINGS) == {a["rating"] for a in audits}


def test_slipped_back_pattern_present(demo_corpus: Path) -> None:
    by_action: dict[str, list[tuple[str, str]]] = {}
    for a in _rows(demo_corpus, "audits"):
        by_action.setdefault(a["action_id"], []).append((a["date"], a["rating"]))
    slipped = [
        v
        for v in by_action.values()
        if sorted(v)[0][1] == "embedded" and sorted(v)[-1][1] == "not_embedded"
    ]
    assert len(slipped) >= 20


def test_theme_clusters_co_occur(demo_corpus: Path) -> None:
    themes: dict[str, set[str]] = {}
    for r in _rows(demo_corpus, "review_themes"):
        themes.setdefault(r["review_id"], set()).add(r["theme_id"])
    n = len(themes)

    def share(*keys: str) -> float:
        return sum(1 for t in themes.values() if set(keys) <= t) / n

    def lift(a: str, b: str) -> float:
        return share(a, b) / (share(a) * share(b))

    assert lift("domestic_abuse", "parental_mental_health") > 1.5
    assert lift("parental_mental_health", "substance_misuse") > 1.5
    assert lift("neglect", "missed_contact_non_access") > 1.5
    assert lift("hidden_man", "voice_of_child") > 1.5


def test_reissued_recommendations_are_near_verbatim_elsewhere(demo_corpus: Path) -> None:
    recs = {r["id"]: r for r in _rows(demo_corpus, "recommendations")}
    reviews = {r["id"]: r for r in _rows(demo_corpus, "reviews")}
    pairs = list(reissued_groups(demo_corpus))
    assert len(pairs) >= 100
    for root, rid in pairs[:50]:
        a, b = recs[root], recs[rid]
        assert reviews[a["review_id"]]["board_id"] != reviews[b["review_id"]]["board_id"]
        words_a, words_b = set(a["text"].split()), set(b["text"].split())
        assert len(words_a & words_b) / len(words_a | words_b) > 0.5


def test_no_real_names(demo_corpus: Path) -> None:
    text = " ".join(r["name"] for r in _rows(demo_corpus, "boards"))
    for real in ("Birmingham", "Haringey", "Rochdale", "Kent", "Lancashire", "Coventry"):
        assert real not in text


def test_unknown_scale(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale must be one of"):
        generate_corpus(tmp_path, scale="huge")


@pytest.mark.slow
def test_national_scale_size(tmp_path: Path) -> None:
    meta = generate_corpus(tmp_path / "n", scale="national", seed=42)
    assert 2700 <= meta["rows"]["reviews"] <= 3300
