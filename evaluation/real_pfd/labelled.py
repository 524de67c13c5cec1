"""The reader measured on the hand-labelled real PFD reports (`labels.json`), per split.

Each labelled report's `concerns` cell is read from ../shared/real-pfd/dev.csv in place and
split by the reader (`loaders.extract.pfd.read_pfd`, as for a concerns cell read alone). Each
extracted item's text is mapped back to a character span of the cell by aligning its words
with the cell's words, starting at the line the reader says the item starts on. An item
matches a label when the Jaccard index of the two spans is at least `MATCH_JACCARD`, one to
one, best overlap first. Only counts and report references are printed: never text.

    scripts/measure-real-pfd --labels [--split dev|test] [--json] [-v]
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders.extract.confidence import QUEUE_THRESHOLD, concern_confidence  # noqa: E402
from loaders.extract.pfd import read_pfd  # noqa: E402
from loaders.extract.reading import Line  # noqa: E402

LABELS = HERE / "labels.json"
THEME_LABELS = HERE / "theme_labels.json"
DEV_CSV = ROOT.parent / "shared" / "real-pfd" / "dev.csv"
MATCH_JACCARD = 0.5
CHECK_BATCH = "check_reports"  # theme labels no rule was tuned on
THEME_BATCHES = ("reports", CHECK_BATCH)
SPLITS = ("dev", "test")
_BIG_FIELDS = 10_000_000
_TOKEN = re.compile(r"\w+")
_HEAD_WORDS = 5  # an item's first words, looked for to place it within its line

Span = tuple[int, int]


def load_labels(path: Path = LABELS) -> dict[str, list[dict[str, Any]]]:
    """The labelled reports by split: id, item count, spans and the cell's SHA-256."""
    data = json.loads(path.read_text(encoding="utf-8"))
    splits: dict[str, list[dict[str, Any]]] = data["splits"]
    for name, reports in splits.items():
        for r in reports:
            if r["items"] != len(r["spans"]):
                raise ValueError(f"{path}: {name} report {r['id']}: items != number of spans")
    return splits


def concerns_cells(csv_path: Path) -> dict[str, str]:
    """Each report's concerns cell by its id, read in place (kept in memory only)."""
    old = csv.field_size_limit(_BIG_FIELDS)
    try:
        with csv_path.open(encoding="utf-8", newline="") as f:
            return {row["id"]: row.get("concerns") or "" for row in csv.DictReader(f)}
    finally:
        csv.field_size_limit(old)


def jaccard(a: Span, b: Span) -> float:
    """Shared characters over characters in either span."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return inter / union if union else 0.0


def match(predicted: Sequence[Span], gold: Sequence[Span], threshold: float = MATCH_JACCARD) -> int:
    """How many predicted spans match a gold span, one to one, best overlap first."""
    return len(matched_items(predicted, gold, threshold))


def matched_items(
    predicted: Sequence[Span], gold: Sequence[Span], threshold: float = MATCH_JACCARD
) -> set[int]:
    """The indexes of the predicted spans that match a gold span, one to one."""
    pairs = sorted(
        (
            (jaccard(p, g), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
            if jaccard(p, g) >= threshold
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return used_p


def locate(cell: str, text: str, from_char: int) -> Span | None:
    """The span of the cell that an extracted item's text came from.

    The item's words are aligned with the cell's words from `from_char` on (the start of
    the line the item starts on), over a window a little longer than the item; the span
    runs from the first aligned word to the last. None when no word aligns.
    """
    words = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(cell)]
    item = [m.group().lower() for m in _TOKEN.finditer(text)]
    if not item:
        return None
    first = next((k for k, w in enumerate(words) if w[1] > from_char), len(words))
    # An item may start inside its line (a paragraph holding two matters): start the window
    # where the item's first words next occur, when they do.
    head = item[:_HEAD_WORDS]
    first = next(
        (
            k
            for k in range(first, len(words) - len(head) + 1)
            if [w[2] for w in words[k : k + len(head)]] == head
        ),
        first,
    )
    window = words[first : first + len(item) + 20 + len(item) // 5]
    sm = difflib.SequenceMatcher(None, [w[2] for w in window], item, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return None
    start = window[blocks[0].a][0]
    end = window[blocks[-1].a + blocks[-1].size - 1][1]
    return start, end


def extracted_spans(cell: str) -> list[Span]:
    """The reader's items of a concerns cell read alone, as spans of the cell."""
    return [span for span, _ in extracted_items(cell)]


def extracted_items(cell: str) -> list[tuple[Span, float]]:
    """The reader's items of a concerns cell, as spans of the cell with their confidence."""
    raw = cell.split("\n")
    offsets: list[int] = []
    pos = 0
    for ln in raw:
        offsets.append(pos)
        pos += len(ln) + 1
    lines = [Line(t.rstrip(), n, 1) for n, t in enumerate(raw, start=1)]
    items: list[tuple[Span, float]] = []
    prev_line, prev_end = -1, 0
    for c in read_pfd(lines).concerns:
        at = offsets[c.line] if 0 <= c.line < len(offsets) else 0
        if c.line == prev_line:
            at = max(at, prev_end)  # a second item of the same paragraph starts after the first
        span = locate(cell, c.text, at)
        if span is not None:
            prev_line, prev_end = c.line, span[1]
        sure = concern_confidence(layout=c.layout, section=c.section, text=c.text)
        # An item whose words are not in the cell at all overlaps no label: a false item.
        items.append((span if span is not None else (len(cell), len(cell)), sure.score))
    return items


@dataclass
class SplitFigures:
    """Item-level precision, recall and F1 and item-count accuracy over one split."""

    split: str
    reports: int = 0
    labelled: int = 0
    extracted: int = 0
    matched: int = 0
    exact_count: int = 0
    changed: list[str] = field(default_factory=list)  # ids whose cell no longer hashes the same
    disagreements: list[str] = field(
        default_factory=list
    )  # "id: labelled N, extracted M, matched K"
    queued: int = 0  # extracted items below the review queue's threshold
    queued_wrong: int = 0  # of those, items that match no label (the queue caught them)
    kept_wrong: int = 0  # items not queued that match no label: what goes unreviewed

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def count_accuracy(self) -> float:
        return self.exact_count / self.reports if self.reports else 1.0

    def line(self) -> str:
        return (
            f"{self.split.upper():<4} {self.reports} reports, {self.labelled} labelled items:"
            f" extracted {self.extracted}, matched {self.matched};"
            f" precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f};"
            f" item count right {self.exact_count}/{self.reports} ({self.count_accuracy:.3f})"
        )

    @property
    def kept_precision(self) -> float:
        kept = self.extracted - self.queued
        return (kept - self.kept_wrong) / kept if kept else 1.0

    def queue_line(self) -> str:
        return (
            f"{self.split.upper():<4} review queue (confidence < {QUEUE_THRESHOLD:.2f}):"
            f" {self.queued} of {self.extracted} items queued ({self.queued_wrong} of them"
            f" wrong); precision of the items not queued {self.kept_precision:.3f}"
            f" ({self.kept_wrong} wrong)"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "labelled": self.labelled,
            "extracted": self.extracted,
            "matched": self.matched,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "count_accuracy": round(self.count_accuracy, 3),
            "changed": self.changed,
            "queued": self.queued,
            "queued_wrong": self.queued_wrong,
            "kept_precision": round(self.kept_precision, 3),
        }


def measure_split(
    name: str, reports: Iterable[dict[str, Any]], cells: dict[str, str]
) -> SplitFigures:
    fig = SplitFigures(name)
    for r in reports:
        cell = cells.get(r["id"])
        if cell is None or hashlib.sha256(cell.encode("utf-8")).hexdigest() != r["cell_sha256"]:
            fig.changed.append(r["id"])
            continue
        gold = [(s, e) for s, e in r["spans"]]
        found = extracted_items(cell)
        predicted = [span for span, _ in found]
        right = matched_items(predicted, gold)
        k = len(right)
        for i, (_, score) in enumerate(found):
            queued = score < QUEUE_THRESHOLD
            fig.queued += queued
            fig.queued_wrong += queued and i not in right
            fig.kept_wrong += not queued and i not in right
        fig.reports += 1
        fig.labelled += len(gold)
        fig.extracted += len(predicted)
        fig.matched += k
        fig.exact_count += len(predicted) == len(gold)
        if k != len(gold) or len(predicted) != len(gold):
            fig.disagreements.append(
                f"{r['id']}: labelled {len(gold)}, extracted {len(predicted)}, matched {k}"
            )
    return fig


def measure_labelled(
    csv_path: Path = DEV_CSV, labels: Path = LABELS, splits: Sequence[str] = SPLITS
) -> dict[str, SplitFigures]:
    """Figures per split (DEV and TEST apart), read from the CSV in place."""
    cells = concerns_cells(csv_path)
    by_split = load_labels(labels)
    return {s: measure_split(s, by_split.get(s, []), cells) for s in splits}


@dataclass
class ThemeFigures:
    """Theme tagging of the concerns, per report, against the hand-labelled themes."""

    reports: int = 0
    labelled: int = 0
    tagged: int = 0
    matched: int = 0
    taxonomy_version: int = 0
    batch: str = "reports"  # "reports" (the rules were tuned on them) or "check_reports"
    changed: list[str] = field(default_factory=list)
    # "id: extra [keys] missing [keys]": keys and ids only, never text
    disagreements: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.tagged if self.tagged else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    def line(self) -> str:
        check = self.batch == CHECK_BATCH
        return (
            f"THEMES{' CHECK' if check else ''} {self.reports} DEV reports"
            f"{', never tuned on' if check else ''} (taxonomy v{self.taxonomy_version}),"
            f" {self.labelled} labelled tags: tagged {self.tagged}, matched {self.matched};"
            f" precision {self.precision:.3f} recall {self.recall:.3f}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "labelled": self.labelled,
            "tagged": self.tagged,
            "matched": self.matched,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "taxonomy_version": self.taxonomy_version,
            "batch": self.batch,
            "changed": self.changed,
        }


def measure_themes(
    csv_path: Path = DEV_CSV,
    labels: Path = LABELS,
    theme_labels: Path = THEME_LABELS,
    *,
    batch: str = "reports",
) -> ThemeFigures:
    """Themes the tagger gives a report's concerns (the union over its items, as the
    importer tags each concern) against the hand-labelled themes, micro-averaged.

    `batch` is "reports" (the 26 the theme rules were tuned on) or "check_reports" (labelled
    later, before the tagger ran on them, never tuned on; printed apart)."""
    from loaders.extract.themes import ThemeTagger

    if batch not in THEME_BATCHES:
        raise ValueError(f"batch {batch!r} is not one of {', '.join(THEME_BATCHES)}")
    data = json.loads(theme_labels.read_text(encoding="utf-8"))
    fig = ThemeFigures(taxonomy_version=int(data["taxonomy_version"]), batch=batch)
    tagger = ThemeTagger(fig.taxonomy_version)
    cells = concerns_cells(csv_path)
    hashes = {r["id"]: r["cell_sha256"] for rs in load_labels(labels).values() for r in rs}
    test_ids = {r["id"] for r in load_labels(labels).get("test", [])}
    for r in data.get(batch, []):
        if r["id"] in test_ids:
            raise ValueError(f"{theme_labels}: {r['id']} is a TEST report; label DEV only")
        cell = cells.get(r["id"])
        digest = hashlib.sha256(cell.encode("utf-8")).hexdigest() if cell is not None else ""
        if cell is None or digest != hashes.get(r["id"]):
            fig.changed.append(r["id"])
            continue
        lines_ = [Line(t.rstrip(), n, 1) for n, t in enumerate(cell.split("\n"), start=1)]
        tagged = {t.theme for c in read_pfd(lines_).concerns for t in tagger.tag(c.text)}
        gold = set(r["themes"])
        fig.reports += 1
        fig.labelled += len(gold)
        fig.tagged += len(tagged)
        fig.matched += len(tagged & gold)
        if tagged != gold:
            fig.disagreements.append(
                f"{r['id']}: extra {sorted(tagged - gold)} missing {sorted(gold - tagged)}"
            )
    return fig


def lines(figures: dict[str, SplitFigures], verbose: bool = False) -> list[str]:
    out = [f"hand-labelled real PFD reports (match: span Jaccard >= {MATCH_JACCARD}, one to one)"]
    for fig in figures.values():
        out.append("  " + fig.line())
        out.append("  " + fig.queue_line())
        if fig.changed:
            out.append(f"    not measured, cell changed or absent: {', '.join(fig.changed)}")
        if verbose:
            out.extend(f"    {d}" for d in fig.disagreements)
    return out
