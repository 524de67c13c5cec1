"""Measure `scrgraph extract` on the labelled synthetic evaluation set.

Prints precision, recall and F1 for recommendation extraction, theme tagging, agency
detection and repeated-recommendation linking. `evaluate()` returns the figures for tests.

    scripts/evaluate-extraction [--json] [--semantic]
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from minipdf import write_text_pdf  # noqa: E402

from loaders.extract import QUEUE_THRESHOLD, ThemeTagger, extract_document  # noqa: E402
from loaders.extract.matching import normalise  # noqa: E402
from loaders.taxonomy import CURRENT_TAXONOMY_VERSION  # noqa: E402

GOLD = HERE / "gold.json"
DOCS = HERE / "docs"
TEXT_MATCH = 0.9  # normalised-text similarity for an extracted recommendation to count


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add_sets(self, predicted: set[str], gold: set[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class QueueFigures:
    """The review queue at the reader's threshold: what it catches and what it lets through."""

    items: int = 0
    queued_right: int = 0  # queued, and a true recommendation after all
    queued_wrong: int = 0  # queued, and not a true one (the queue caught it)
    kept_right: int = 0  # not queued, true
    kept_wrong: int = 0  # not queued, not true: what goes unreviewed
    documents: int = 0
    documents_queued: int = 0

    def add(self, queued: bool, right: bool) -> None:
        self.items += 1
        if queued:
            self.queued_right += int(right)
            self.queued_wrong += int(not right)
        else:
            self.kept_right += int(right)
            self.kept_wrong += int(not right)

    @property
    def kept_precision(self) -> float:
        kept = self.kept_right + self.kept_wrong
        return self.kept_right / kept if kept else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": QUEUE_THRESHOLD,
            "items": self.items,
            "queued": self.queued_right + self.queued_wrong,
            "queued_wrong": self.queued_wrong,
            "kept_precision": round(self.kept_precision, 3),
            "kept_wrong": self.kept_wrong,
            "documents": self.documents,
            "documents_queued": self.documents_queued,
        }

    def line(self) -> str:
        d = self.as_dict()
        return (
            f"review queue (confidence < {QUEUE_THRESHOLD:.2f}): {d['queued']} of {d['items']} "
            f"items queued ({d['queued_wrong']} of them wrong); precision of the items not "
            f"queued {d['kept_precision']:.3f} ({d['kept_wrong']} wrong); documents queued "
            f"{d['documents_queued']} of {d['documents']}"
        )


@dataclass
class Report:
    extraction: PRF = field(default_factory=PRF)
    themes: PRF = field(default_factory=PRF)
    agencies: PRF = field(default_factory=PRF)
    linking: PRF | None = None
    linking_threshold: float | None = None
    linking_sweep: dict[str, dict[str, float | int]] = field(default_factory=dict)
    linking_note: str = ""
    metadata_correct: int = 0
    metadata_total: int = 0
    errors: list[str] = field(default_factory=list)
    queue: QueueFigures = field(default_factory=QueueFigures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "extraction": self.extraction.as_dict(),
            "queue": self.queue.as_dict(),
            "themes": self.themes.as_dict(),
            "agencies": self.agencies.as_dict(),
            "linking": self.linking.as_dict() if self.linking else None,
            "linking_threshold": self.linking_threshold,
            "linking_sweep": self.linking_sweep,
            "linking_note": self.linking_note,
            "metadata": f"{self.metadata_correct}/{self.metadata_total}",
            "errors": self.errors,
        }


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalise(a), normalise(b)).ratio()


def _document_path(doc: dict[str, Any], tmp: Path) -> Path:
    if doc["file"].endswith(".pdf"):
        source = (DOCS / doc["source"]).read_text(encoding="utf-8")
        return write_text_pdf(tmp / doc["file"], source)
    return DOCS / str(doc["file"])


def _linking(gold: dict[str, Any], report: Report) -> None:
    try:
        from loaders.similarity import DEFAULT_THRESHOLD, similar_pairs
    except ImportError as e:
        report.linking_note = f"loaders.similarity is not available ({e}); linking not measured"
        return
    items = [
        (f"{d['file']}#{r['number']}", r["text"])
        for d in gold["documents"]
        for r in d["recommendations"]
    ]
    truth = {frozenset(p) for p in gold["repeated"]}

    def measure(threshold: float) -> PRF:
        found = {frozenset((a, b)) for a, b, _ in similar_pairs(items, threshold)}
        prf = PRF()
        prf.tp = len(found & truth)
        prf.fp = len(found - truth)
        prf.fn = len(truth - found)
        return prf

    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        report.linking_sweep[f"{t:.1f}"] = measure(t).as_dict()
    report.linking_threshold = float(DEFAULT_THRESHOLD)
    report.linking = measure(float(DEFAULT_THRESHOLD))


def evaluate(*, semantic: bool = False, verbose: bool = False, split: str | None = None) -> Report:
    """Figures over the whole set, or over one split ("dev" or "heldout")."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    if split is not None:
        gold["documents"] = [d for d in gold["documents"] if d.get("split") == split]
    tagger = ThemeTagger(CURRENT_TAXONOMY_VERSION, semantic=semantic)
    report = Report()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for doc in gold["documents"]:
            path = _document_path(doc, tmp)
            review = extract_document(path, tagger=tagger)
            report.metadata_total += 2
            report.metadata_correct += int(review.board == doc["board"])
            report.metadata_correct += int(review.year == doc["year"])
            if review.board != doc["board"] or review.year != doc["year"]:
                report.errors.append(
                    f"{doc['file']}: board/year {review.board!r}/{review.year} "
                    f"expected {doc['board']!r}/{doc['year']}"
                )
            if "area" in doc:  # a coroner's report names its coroner area, not a board
                report.metadata_total += 1
                report.metadata_correct += int(review.area == doc["area"])
                if review.area != doc["area"]:
                    report.errors.append(
                        f"{doc['file']}: coroner area {review.area!r} expected {doc['area']!r}"
                    )
            unmatched = list(review.recommendations)
            for g in doc["recommendations"]:
                match = next(
                    (
                        p
                        for p in unmatched
                        if p.number == g["number"] and _similar(p.text, g["text"]) >= TEXT_MATCH
                    ),
                    None,
                )
                gold_themes, gold_agencies = set(g["themes"]), set(g["agencies"])
                if match is None:
                    report.extraction.fn += 1
                    report.themes.fn += len(gold_themes)
                    report.agencies.fn += len(gold_agencies)
                    report.errors.append(f"{doc['file']}: missed recommendation {g['number']}")
                    continue
                unmatched.remove(match)
                report.queue.add(match.confidence < QUEUE_THRESHOLD, right=True)
                report.extraction.tp += 1
                predicted = set(match.theme_keys)
                report.themes.add_sets(predicted, gold_themes)
                report.agencies.add_sets({a.name for a in match.agencies}, gold_agencies)
                if verbose and predicted != gold_themes:
                    report.errors.append(
                        f"{doc['file']}#{g['number']} themes: extra {sorted(predicted - gold_themes)}"
                        f" missing {sorted(gold_themes - predicted)}"
                    )
                if verbose and {a.name for a in match.agencies} != gold_agencies:
                    names = {a.name for a in match.agencies}
                    report.errors.append(
                        f"{doc['file']}#{g['number']} agencies: extra {sorted(names - gold_agencies)}"
                        f" missing {sorted(gold_agencies - names)}"
                    )
            report.queue.documents += 1
            report.queue.documents_queued += int(review.confidence < QUEUE_THRESHOLD)
            for p in unmatched:
                report.queue.add(p.confidence < QUEUE_THRESHOLD, right=False)
                report.extraction.fp += 1
                report.themes.fp += len(p.themes)
                report.agencies.fp += len(p.agencies)
                report.errors.append(
                    f"{doc['file']}: spurious recommendation {p.number} at {p.location}: "
                    f"{p.text[:70]!r}"
                )
    _linking(gold, report)
    return report


def _line(name: str, prf: PRF) -> str:
    return (
        f"{name:<28} precision {prf.precision:5.3f}  recall {prf.recall:5.3f}  "
        f"F1 {prf.f1:5.3f}   (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})"
    )


def real_labelled() -> tuple[dict[str, Any] | None, str]:
    """Figures on the hand-labelled real PFD reports, DEV and TEST apart; or why not."""
    real = ROOT / "evaluation" / "real_pfd"
    if str(real) not in sys.path:
        sys.path.insert(0, str(real))
    from labelled import DEV_CSV, measure_labelled

    if not DEV_CSV.is_file():
        return None, f"{DEV_CSV} is absent: the real PFD reports are not on this machine"
    return dict(measure_labelled(DEV_CSV)), ""


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--semantic", action="store_true", help="add the TF-IDF semantic pass")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    args = ap.parse_args(argv)
    report = evaluate(semantic=args.semantic, verbose=args.verbose)
    splits = {s: evaluate(semantic=args.semantic, split=s) for s in ("dev", "heldout", "realtext")}
    if args.json:
        out = report.as_dict()
        out["splits"] = {
            s: {
                "extraction": r.extraction.as_dict(),
                "themes": r.themes.as_dict(),
                "queue": r.queue.as_dict(),
            }
            for s, r in splits.items()
        }
        real, why = real_labelled()
        out["real_pfd_labelled"] = (
            {k: f.as_dict() for k, f in real.items()} if real is not None else {"skipped": why}
        )
        print(json.dumps(out, indent=2))
        return 0
    for name, r in splits.items():
        print(f"[{name} documents only]")
        print("  " + _line("recommendation extraction", r.extraction))
        print("  " + _line("theme tagging", r.themes))
        print("  " + _line("agency detection", r.agencies))
        print("  " + r.queue.line())
    print("[all documents]")
    print(_line("recommendation extraction", report.extraction))
    print(_line("theme tagging", report.themes))
    print(_line("agency detection", report.agencies))
    if report.linking is not None:
        print(_line(f"linking (t={report.linking_threshold})", report.linking))
        for t, m in report.linking_sweep.items():
            print(f"  threshold {t}: precision {m['precision']:.3f} recall {m['recall']:.3f}")
    else:
        print(f"linking: {report.linking_note}")
    print(report.queue.line())
    print(
        "board and year (and a coroner area) read from the text: "
        f"{report.metadata_correct}/{report.metadata_total}"
    )
    for e in report.errors:
        print(f"  - {e}")
    real, why = real_labelled()
    if real is None:
        print(f"[real PFD reports, hand-labelled] skipped: {why}")
    else:
        from labelled import CHECK_BATCH, measure_themes
        from labelled import lines as labelled_lines

        print("[real PFD reports, hand-labelled; TEST is never tuned on]")
        print("\n".join(labelled_lines(real)))
        print("  " + measure_themes().line())
        print("  " + measure_themes(batch=CHECK_BATCH).line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
