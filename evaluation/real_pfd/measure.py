"""Measure the reader on real coroners' PFD reports, read in place from ../shared/real-pfd.

For each report (a row of the CSV) the reader is run twice: on the `concerns` cell alone,
and on a whole PFD text document assembled in memory from the row's columns under the
usual section headings. Each run's item count is compared with an independent count made
by a deliberately simple rule (`independent_count`), which is an estimate, not a label.
Nothing of the file is written anywhere; only counts are printed.

    scripts/measure-real-pfd [--csv PATH] [--json] [-v]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders.extract import extract_document  # noqa: E402

DEV_CSV = ROOT.parent / "shared" / "real-pfd" / "dev.csv"
# The reports' text columns are long. Raised only while measure() reads, never at import: the
# test suite imports this module, and the loader's own limit must stay in force for the rest.
FIELD_LIMIT = 10_000_000

_LINE_NUM = re.compile(r"^\s*\(?(\d{1,2})[.)]\s+\S")
_LINE_LETTER = re.compile(r"^\s*\(?([a-zA-Z])\)\s+\S")
_LINE_BULLET = re.compile(r"^\s*[•●▪◦·*-]\s+\S")
_INLINE_NUM = re.compile(r"(?:^|(?<=\s))\(?(\d{1,2})[.)]\s+(?=[A-Z])")
_PREAMBLE = re.compile(r"matters? of concern|risk (that )?future deaths|as follows", re.I)


def independent_count(concerns: str) -> int:
    """How many matters of concern a person would probably count, by a simple rule.

    Lines that start with a number (`1.`, `(1)`, `1)`) count, each one, if there are two
    or more; failing that, lines starting with a letter (`a)`, `(b)`), then bullets; failing those, numbers in
    sequence inside the text (1, 2, 3, restarting at 1); failing all, paragraphs of 12
    words or more that are not the preamble. At least 1 for a non-empty cell.
    """
    lines = concerns.replace("\r\n", "\n").split("\n")
    for shape in (_LINE_NUM, _LINE_LETTER, _LINE_BULLET):
        n = sum(1 for ln in lines if shape.match(ln))
        if n >= 2:
            return n
    seq, last = 0, 0
    for m in _INLINE_NUM.finditer(concerns):
        k = int(m.group(1))
        if k == 1 or k == last + 1:
            seq += 1
            last = k
    if seq >= 2:
        return seq
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n(?=[A-Z])", concerns) if p.strip()]
    body = [
        p
        for p in paras
        if len(p.split()) >= 12 and not (_PREAMBLE.search(p) and p.rstrip().endswith(":"))
    ]
    return max(1, len(body)) if concerns.strip() else 0


def whole_document(row: dict[str, str]) -> str:
    """A PFD text document in the usual layout, made from one row (kept in memory only)."""
    receivers = [r.strip() for r in re.split(r"[;\n]", row.get("receiver", "")) if r.strip()]
    sent = "\n".join(f"{i}. {r}" for i, r in enumerate(receivers, start=1))
    return (
        "REGULATION 28: REPORT TO PREVENT FUTURE DEATHS\n\n"
        f"THIS REPORT IS BEING SENT TO:\n\n{sent}\n\n"
        f"1 CORONER\n\n{row.get('coroner', '')}\n\n"
        "2 CORONER'S LEGAL POWERS\n\n"
        "This report is made under the coroners' statutory powers to report on deaths.\n\n"
        f"3 INVESTIGATION and INQUEST\n\n{row.get('investigation', '')}\n\n"
        f"4 CIRCUMSTANCES OF THE DEATH\n\n{row.get('circumstances', '')}\n\n"
        f"5 CORONER'S CONCERNS\n\n{row.get('concerns', '')}\n\n"
        "6 ACTION SHOULD BE TAKEN\n\n"
        "In my opinion action should be taken to prevent future deaths.\n\n"
        "7 YOUR RESPONSE\n\n"
        "You are under a duty to respond to this report within 56 days of its date.\n\n"
        f"8 COPIES and PUBLICATION\n\nCopies go to the interested persons.\n\n9 {row.get('date', '')}\n"
    )


def as_pdf_text(text: str, width: int = 90) -> str:
    """The text as PDF extraction gives it: hard-wrapped lines and no blank lines."""
    out: list[str] = []
    for para in text.split("\n"):
        if para.strip():
            out.extend(textwrap.wrap(para, width) or [""])
    return "\n".join(out) + "\n"


@dataclass
class Figures:
    reports: int = 0
    expected: int = 0
    concerns_reports_found: int = 0
    concerns_items: int = 0
    concerns_matched: int = 0
    concerns_exact: int = 0
    whole_reports_found: int = 0
    whole_items: int = 0
    whole_matched: int = 0
    whole_exact: int = 0
    wrapped_reports_found: int = 0
    wrapped_matched: int = 0
    wrapped_exact: int = 0

    def lines(self) -> list[str]:
        n, e = self.reports, self.expected
        return [
            f"reports: {n}; matters of concern by the independent count: {e}",
            f"concerns cell alone: reports with >=1 item found {self.concerns_reports_found}/{n};"
            f" items found {self.concerns_items}, of which within the count"
            f" {self.concerns_matched}/{e}; exact count {self.concerns_exact}/{n}",
            f"whole PFD document:  reports with >=1 item found {self.whole_reports_found}/{n};"
            f" items found {self.whole_items}, of which within the count"
            f" {self.whole_matched}/{e}; exact count {self.whole_exact}/{n}",
            f"same, hard-wrapped as PDF text: reports with >=1 item found"
            f" {self.wrapped_reports_found}/{n}; items within the count"
            f" {self.wrapped_matched}/{e}; exact count {self.wrapped_exact}/{n}",
        ]


def _count(text: str, tmp: Path, name: str, kind: str | None = None) -> int:
    path = tmp / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    try:
        return len(extract_document(path, document_kind=kind).recommendations)
    finally:
        path.unlink()


def measure(csv_path: Path = DEV_CSV, verbose: bool = False) -> Figures:
    before = csv.field_size_limit(FIELD_LIMIT)
    try:
        return _measure(csv_path, verbose)
    finally:
        csv.field_size_limit(before)


def _measure(csv_path: Path, verbose: bool) -> Figures:
    fig = Figures()
    with csv_path.open(encoding="utf-8", newline="") as f, tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for row in csv.DictReader(f):
            concerns = row.get("concerns") or ""
            if not concerns.strip():
                continue
            expected = independent_count(concerns)
            # A concerns cell is read as what it is (as the CSV importer knows); a whole
            # document has to be recognised as a PFD report from its text.
            alone = _count(concerns, tmp, "concerns", kind="pfd")
            whole = _count(whole_document(row), tmp, "whole")
            wrapped = _count(as_pdf_text(whole_document(row)), tmp, "wrapped")
            fig.reports += 1
            fig.expected += expected
            fig.concerns_reports_found += alone > 0
            fig.concerns_items += alone
            fig.concerns_matched += min(alone, expected)
            fig.concerns_exact += alone == expected
            fig.whole_reports_found += whole > 0
            fig.whole_items += whole
            fig.whole_matched += min(whole, expected)
            fig.whole_exact += whole == expected
            fig.wrapped_reports_found += wrapped > 0
            fig.wrapped_matched += min(wrapped, expected)
            fig.wrapped_exact += wrapped == expected
            if verbose and len({alone, whole, wrapped, expected}) > 1:
                # Only the report's reference and counts: never its text.
                print(
                    f"{row.get('id', '?')}: expected {expected}, alone {alone}, whole {whole},"
                    f" wrapped {wrapped}"
                )
    return fig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--csv", type=Path, default=DEV_CSV, help="PFD CSV to read in place")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("-v", action="store_true", help="list reports whose counts differ")
    args = ap.parse_args(argv)
    if not args.csv.is_file():
        print(
            f"{args.csv}: not found; the real PFD reports are not on this machine", file=sys.stderr
        )
        return 2
    fig = measure(args.csv, verbose=args.v)
    print(json.dumps(asdict(fig), indent=2) if args.json else "\n".join(fig.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
