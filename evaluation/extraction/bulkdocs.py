"""Synthetic review documents for bulk loading: a folder of PDFs and texts in several layouts.

Every document is invented (each says so on its first line). `write_folder(out, n)` writes
`n` documents, deterministic for a seed: case reviews as `Recommendation N:` paragraphs, as a
numbered Markdown list, as a pipe table with an addressee column, and coroners' PFD reports;
as .txt, .md and .pdf (the PDFs through minipdf, with a text layer). With `bad=True` some of
them are bad on purpose, one of each kind a bulk load must refuse and go on past:

- an encrypted PDF, a PDF with no text layer, a PDF with too many pages (`long_pages`),
- a text that is not a review at all, a file that is not UTF-8, an empty file.

Run as a script: `python evaluation/extraction/bulkdocs.py OUT [N]`.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

MARK = "SYNTHETIC DOCUMENT - all names, places and events are invented."

PLACES = (
    "Anyshire", "Brookvale", "Carrow", "Dunmere", "Eastholm", "Fernleigh", "Greywater",
    "Kestrel Vale", "Lowen Cross", "Marrowby", "Northmoor", "Oakhurst", "Pennick",
    "Quarrydale", "Rookwell", "Saltmarsh", "Thornbury Fen", "Upwick", "Valemouth", "Wexcombe",
)  # fmt: skip
ACTIONS = (
    "seek assurance that health visiting records are transferred promptly when a family "
    "with a child under five moves into the area",
    "ensure that police notify children's social care of every domestic abuse incident "
    "where a child lives in the household, within 24 hours",
    "review how schools share information about persistent absence with children's social "
    "care and the early help service",
    "make sure that practitioners see children alone on every statutory visit and record "
    "what the child said",
    "ask the GP practices to follow up every missed appointment of a child on a child "
    "protection plan",
    "commission training on the assessment of neglect using the Graded Care Profile for "
    "all social workers and health visitors",
    "test how well the multi-agency safeguarding hub shares information with adult mental "
    "health services",
    "ensure that the housing service tells children's social care when a family with a "
    "child in need is placed in temporary accommodation",
    "audit the quality of strategy discussions, including whether the police and health "
    "take part in each of them",
    "check that the voice of the child is recorded in every child and family assessment",
)
RECEIVERS = (
    "Chief Executive, Northmoor Mental Health NHS Trust",
    "Director of Children's Services, Fenshire County Council",
    "Chief Constable, Fenshire Police",
)
LAYOUTS = ("paragraphs", "numbered", "table", "pfd")
BAD_KINDS = ("encrypted", "no_text", "not_a_review", "too_long", "not_utf8", "empty")


@dataclass
class Folder:
    """What `write_folder` wrote: good documents with their item counts, and the bad ones."""

    good: dict[str, int] = field(default_factory=dict)  # file name -> items in it
    bad: dict[str, str] = field(default_factory=dict)  # file name -> which kind of bad


def _minipdf() -> ModuleType:
    path = Path(__file__).resolve().parent / "minipdf.py"
    spec = importlib.util.spec_from_file_location("_scrgraph_minipdf_bulk", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _review_text(layout: str, place: str, child: str, year: int, recs: list[str]) -> str:
    board = (
        f"{place} Local Safeguarding Children Board"
        if year < 2019
        else f"{place} Safeguarding Children Partnership"
    )
    kind = "Serious Case Review" if year < 2019 else "Local Child Safeguarding Practice Review"
    head = [MARK, "", board, "", f"{kind}: Child {child}", "", f"Published: March {year}", ""]
    body = [
        "Introduction",
        "",
        f"This review concerns Child {child}, who was seriously harmed at home. The agencies",
        "that knew the family took part in a learning event with the independent author.",
        "",
        "Findings",
        "",
        "Information held by one agency was not shared with the others in time.",
        "",
        "Recommendations",
        "",
    ]
    items: list[str] = []
    for i, action in enumerate(recs, start=1):
        sentence = f"The Partnership should {action}."
        if layout == "paragraphs":
            items += [f"Recommendation {i}: {sentence}", ""]
        elif layout == "numbered":
            items += [f"{i}. {sentence}", ""]
        else:
            items.append(f"| {i} | {sentence} | {place} Safeguarding Children Partnership |")
    if layout == "table":
        items = ["| No. | Recommendation | Addressed to |", "|---|---|---|", *items, ""]
    return "\n".join([*head, *body, *items, "End of report.", ""])


def _pfd_text(place: str, n: int, year: int, recs: list[str]) -> str:
    concerns = [f"({i}) There was no process to {a}." for i, a in enumerate(recs, start=1)]
    return "\n".join(
        [
            MARK,
            "REGULATION 28: REPORT TO PREVENT FUTURE DEATHS",
            f"THIS REPORT IS BEING SENT TO: {RECEIVERS[n % len(RECEIVERS)]}",
            f"1 CORONER I am A. N. Example, assistant coroner for {place}.",
            "4 CIRCUMSTANCES OF THE DEATH The child died in hospital.",
            "5 CORONER'S CONCERNS The MATTERS OF CONCERN are as follows:",
            *concerns,
            "6 ACTION SHOULD BE TAKEN In my opinion action should be taken to prevent future",
            "deaths and I believe you have the power to take such action.",
            "7 YOUR RESPONSE You are under a duty to respond within 56 days.",
            f"9 Dated: 0{1 + n % 9}/0{1 + n % 9}/{year}",
            "",
        ]
    )


def _suffix(i: int) -> str:
    return (".txt", ".pdf", ".md", ".pdf", ".txt")[i % 5]


def write_folder(
    out: Path, n: int = 200, *, seed: int = 13, bad: bool = True, long_pages: int = 600
) -> Folder:
    """Write `n` documents into `out` (bad ones among them when `bad`) and say what they are."""
    rng = random.Random(seed)
    pdf = _minipdf()
    out.mkdir(parents=True, exist_ok=True)
    folder = Folder()
    bad_at = {(k + 1) * n // (len(BAD_KINDS) + 1): kind for k, kind in enumerate(BAD_KINDS)}
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        child = f"{chr(65 + i % 26)}{i}"
        stem = f"{place.lower().replace(' ', '_')}_child_{i:03d}"
        kind = bad_at.get(i) if bad else None
        if kind is not None:
            folder.bad[_write_bad(out, stem, kind, pdf, long_pages)] = kind
            continue
        layout = LAYOUTS[i % len(LAYOUTS)]
        year = 2014 + i % 10
        recs = rng.sample(ACTIONS, rng.randint(2, 6))
        text = (
            _pfd_text(place, i, year, recs)
            if layout == "pfd"
            else _review_text(layout, place, child, year, recs)
        )
        suffix = ".txt" if layout == "table" and _suffix(i) == ".pdf" else _suffix(i)
        if layout == "numbered" and suffix == ".md":
            text = text.replace("\nRecommendations\n", "\n## Recommendations\n")
        path = out / f"{stem}{suffix}"
        if suffix == ".pdf":
            pdf.write_text_pdf(path, text)
        else:
            path.write_text(text, encoding="utf-8")
        folder.good[path.name] = len(recs)
    return folder


def _write_bad(out: Path, stem: str, kind: str, pdf: ModuleType, long_pages: int) -> str:
    if kind == "encrypted":
        from pypdf import PdfReader, PdfWriter

        plain = pdf.write_text_pdf(
            out / f"{stem}.tmp", _review_text("numbered", "Upwick", "Z", 2020, list(ACTIONS[:2]))
        )
        writer = PdfWriter(clone_from=PdfReader(str(plain)))
        writer.encrypt(user_password="secret", algorithm="RC4-128")
        path = out / f"{stem}.pdf"
        with path.open("wb") as f:
            writer.write(f)
        plain.unlink()
        return path.name
    if kind == "no_text":
        return str(pdf.write_pdf(out / f"{stem}.pdf", None, blank_pages=2).name)
    if kind == "too_long":
        pages = [[MARK if p == 0 else f"Appendix page {p + 1}"] for p in range(long_pages)]
        return str(pdf.write_pdf(out / f"{stem}.pdf", pages).name)
    path = out / f"{stem}.txt"
    if kind == "not_a_review":
        path.write_text(
            f"{MARK}\n\nMinutes of the allotment society\n\nThe meeting agreed to buy a new "
            "lawnmower and to repaint the shed before the summer show.\n",
            encoding="utf-8",
        )
    elif kind == "not_utf8":
        path.write_bytes(f"{MARK}\nCaf\xe9 review notes\n".encode("latin-1"))
    else:
        path.write_bytes(b"")
    return path.name


if __name__ == "__main__":
    target = Path(sys.argv[1])
    wrote = write_folder(target, int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    print(f"{target}: {len(wrote.good)} documents, {len(wrote.bad)} bad ones")
