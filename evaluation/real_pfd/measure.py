"""Measure the reader on real coroners' PFD reports, read in place from ../shared/real-pfd.

For each report (a row of the CSV) the reader is run twice: on the `concerns` cell alone,
and on a whole PFD text document assembled in memory from the row's columns under the
usual section headings. Each run's item count is compared with an independent count made
by a deliberately simple rule (`independent_count`), which is an estimate, not a label.
Nothing of the file is kept anywhere; only counts are printed. With `--pdf` each whole
document is also drawn as a real multi-page PDF (running header, page numbers; in a
temporary folder, deleted at once) and read back through pdfplumber.

    scripts/measure-real-pfd [--csv PATH] [--json] [--pdf] [-v]
    scripts/measure-real-pfd --labels [--split dev|test] [--form] [--json] [-v]
    scripts/measure-real-pfd --pairs [--sample] [--json]

`--labels` measures on the hand-labelled reports instead (labels.json, see LABELS.md):
item-level precision, recall and F1 and item-count accuracy, DEV and TEST printed apart;
and theme precision and recall on the DEV reports whose themes are labelled
(theme_labels.json). `--pairs` measures the repeated-concern link (SIMILAR_TO) on
hand-labelled pairs of concerns instead (pair_labels.json, see pairs.py).
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
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from loaders.extract import QUEUE_THRESHOLD, ExtractedReview, extract_document  # noqa: E402

DEV_CSV = ROOT.parent / "shared" / "real-pfd" / "dev.csv"
# Some report cells are longer than csv's default field limit. The limit is process-wide, and
# the loader's own error messages quote it, so raise it only while this file is read.
_BIG_FIELDS = 10_000_000


def _rows(csv_path: Path) -> list[dict[str, str]]:
    old = csv.field_size_limit(_BIG_FIELDS)
    try:
        with csv_path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    finally:
        csv.field_size_limit(old)


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
        f"1 CORONER\n\nI am {row.get('coroner', '')}, Coroner for the coroner area of"
        f" {row.get('area', '')}\n\n"
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
    whole_area_found: int = 0
    whole_area_right: int = 0
    wrapped_reports_found: int = 0
    wrapped_matched: int = 0
    wrapped_exact: int = 0
    concerns_queued: int = 0  # items of the concerns cells below the review queue's threshold
    reports_queued: int = 0  # reports (their concerns cell read alone) below it
    miscounted_queued: int = 0  # of the reports whose count is not exact, those queued
    pdf_reports_found: int | None = None
    pdf_matched: int | None = None
    pdf_exact: int | None = None

    def lines(self) -> list[str]:
        n, e = self.reports, self.expected
        pdf = (
            [
                f"same, as a drawn multi-page PDF: reports with >=1 item found"
                f" {self.pdf_reports_found}/{n}; items within the count"
                f" {self.pdf_matched}/{e}; exact count {self.pdf_exact}/{n}"
            ]
            if self.pdf_reports_found is not None
            else []
        )
        return [
            f"reports: {n}; matters of concern by the independent count: {e}",
            f"concerns cell alone: reports with >=1 item found {self.concerns_reports_found}/{n};"
            f" items found {self.concerns_items}, of which within the count"
            f" {self.concerns_matched}/{e}; exact count {self.concerns_exact}/{n}",
            f"whole PFD document:  reports with >=1 item found {self.whole_reports_found}/{n};"
            f" items found {self.whole_items}, of which within the count"
            f" {self.whole_matched}/{e}; exact count {self.whole_exact}/{n};"
            f" coroner area read (board without --board) {self.whole_area_found}/{n},"
            f" as the area column says {self.whole_area_right}/{n}",
            f"same, hard-wrapped as PDF text: reports with >=1 item found"
            f" {self.wrapped_reports_found}/{n}; items within the count"
            f" {self.wrapped_matched}/{e}; exact count {self.wrapped_exact}/{n}",
            *pdf,
            f"review queue (confidence < {QUEUE_THRESHOLD:.2f}), concerns cell alone: items"
            f" queued {self.concerns_queued}/{self.concerns_items}; reports queued"
            f" {self.reports_queued}/{n}, of them {self.miscounted_queued} of the"
            f" {n - self.concerns_exact} whose count is not exact",
        ]


def _read(text: str, tmp: Path, name: str, kind: str | None = None) -> ExtractedReview:
    path = tmp / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    try:
        return extract_document(path, document_kind=kind)
    finally:
        path.unlink()


def _count(text: str, tmp: Path, name: str, kind: str | None = None) -> int:
    return len(_read(text, tmp, name, kind).recommendations)


_ASCII = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def _pdf_count(text: str, tmp: Path) -> int:
    """Draw the document as an A4 PDF with a running header and page numbers; read it."""
    from fpdf import FPDF

    class _Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, "Regulation 28: Report to Prevent Future Deaths", align="R")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"Page {self.page_no()}", align="C")

    pdf = _Report()
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for para in text.split("\n"):
        clean = para.translate(_ASCII).encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 5.5, clean, new_x="LMARGIN", new_y="NEXT")
    path = tmp / "drawn.pdf"
    pdf.output(str(path))
    try:
        return len(extract_document(path).recommendations)
    finally:
        path.unlink()


def _form_rows(row: dict[str, str], size: int = 1500) -> list[tuple[str, str]]:
    """The report as the statutory form's rows: (section number, heading and text).

    A long section is cut at line ends into rows with no number, as a form's row runs on
    over a page break (fpdf2 cannot break one row across pages)."""

    def latin(text: str) -> str:
        return text.translate(_ASCII).encode("latin-1", "replace").decode("latin-1")

    def rows_of(number: str, text: str) -> list[tuple[str, str]]:
        parts: list[str] = []
        cur = ""
        lines: list[str] = []
        for line in latin(text).replace("\n\n", "\n").split("\n"):
            # A paragraph longer than a page holds is cut at sentence ends.
            while len(line) > size and ". " in line[:size]:
                cut = line.rindex(". ", 0, size) + 1
                lines.append(line[:cut])
                line = line[cut:].strip()
            lines.append(line)
        for line in lines:
            if cur and len(cur) + len(line) > size:
                parts.append(cur)
                cur = line
            else:
                cur = f"{cur}\n{line}" if cur else line
        parts.append(cur)
        return [(number if i == 0 else "", part) for i, part in enumerate(parts)]

    return [
        ("", "REGULATION 28: REPORT TO PREVENT FUTURE DEATHS"),
        ("", "THIS REPORT IS BEING SENT TO:\n" + latin(row.get("receiver", ""))),
        (
            "1",
            f"CORONER\nI am {latin(row.get('coroner', ''))}, Coroner for the coroner area of"
            f" {latin(row.get('area', ''))}",
        ),
        ("2", "CORONER'S LEGAL POWERS\nThis report is made under the coroners' statutory powers."),
        # The investigation and circumstances matter here only as what comes before.
        ("3", "INVESTIGATION and INQUEST\n" + latin(row.get("investigation", ""))[:1200]),
        ("4", "CIRCUMSTANCES OF THE DEATH\n" + latin(row.get("circumstances", ""))[:1200]),
        *rows_of("5", "CORONER'S CONCERNS\n" + row.get("concerns", "")),
        (
            "6",
            "ACTION SHOULD BE TAKEN\nIn my opinion action should be taken to prevent future deaths.",
        ),
        ("7", "YOUR RESPONSE\nYou are under a duty to respond to this report within 56 days."),
        ("8", "COPIES and PUBLICATION\nCopies go to the interested persons."),
        ("9", row.get("date", "")),
    ]


def form_pdf_count(row: dict[str, str], tmp: Path) -> int:
    """Items read from the report drawn on the statutory form (a bordered two-column table,
    as coroners' reports are published), or -1 if it is not read as a PFD report."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    with pdf.table(col_widths=(10, 170), first_row_as_headings=False) as table:
        for number, text in _form_rows(row):
            cells = table.row()
            cells.cell(number)
            cells.cell(text)
    path = tmp / "form.pdf"
    pdf.output(str(path))
    try:
        review = extract_document(path)
    finally:
        path.unlink()
    return len(review.recommendations) if review.review_type == "pfd" else -1


def form_counts(csv_path: Path, split: str) -> tuple[int, int, list[str]]:
    """Of a split's hand-labelled reports drawn on the form: (count right, reports, and
    "id: labelled N, read M" for the rest)."""
    from labelled import load_labels

    rows = {r["id"]: r for r in _rows(csv_path)}
    right, wrong = 0, []
    reports = load_labels()[split]
    with tempfile.TemporaryDirectory() as d:
        for lab in reports:
            n = form_pdf_count(rows[lab["id"]], Path(d))
            right += n == lab["items"]
            if n != lab["items"]:
                wrong.append(f"{lab['id']}: labelled {lab['items']}, read {n}")
    return right, len(reports), wrong


def measure(csv_path: Path = DEV_CSV, verbose: bool = False, pdf: bool = False) -> Figures:
    fig = Figures()
    if pdf:
        fig.pdf_reports_found, fig.pdf_matched, fig.pdf_exact = 0, 0, 0
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for row in _rows(csv_path):
            concerns = row.get("concerns") or ""
            if not concerns.strip():
                continue
            expected = independent_count(concerns)
            # A concerns cell is read as what it is (as the CSV importer knows); a whole
            # document has to be recognised as a PFD report from its text.
            alone_review = _read(concerns, tmp, "concerns", kind="pfd")
            alone = len(alone_review.recommendations)
            fig.concerns_queued += sum(
                r.confidence < QUEUE_THRESHOLD for r in alone_review.recommendations
            )
            fig.reports_queued += alone_review.confidence < QUEUE_THRESHOLD
            fig.miscounted_queued += alone_review.confidence < QUEUE_THRESHOLD and alone != expected
            whole_review = _read(whole_document(row), tmp, "whole")
            whole = len(whole_review.recommendations)
            # Loadable without --board: the coroner area read from the text is the board.
            area = re.sub(r"^the ", "", " ".join((row.get("area") or "").split()).lower())
            read = re.sub(r"^the ", "", " ".join((whole_review.area or "").split()).lower())
            fig.whole_area_found += bool(read) and whole_review.review_type == "pfd"
            fig.whole_area_right += bool(read) and read == area
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
            drawn = -1
            if pdf:
                drawn = _pdf_count(whole_document(row), tmp)
                assert fig.pdf_reports_found is not None
                assert fig.pdf_matched is not None and fig.pdf_exact is not None
                fig.pdf_reports_found += drawn > 0
                fig.pdf_matched += min(drawn, expected)
                fig.pdf_exact += drawn == expected
            if verbose and len({alone, whole, wrapped, expected} | ({drawn} if pdf else set())) > 1:
                # Only the report's reference and counts: never its text.
                print(
                    f"{row.get('id', '?')}: expected {expected}, alone {alone}, whole {whole},"
                    f" wrapped {wrapped}" + (f", pdf {drawn}" if pdf else "")
                )
    return fig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--csv", type=Path, default=DEV_CSV, help="PFD CSV to read in place")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("-v", action="store_true", help="list reports whose counts differ")
    ap.add_argument(
        "--pdf", action="store_true", help="also draw each document as a PDF and read it back"
    )
    ap.add_argument(
        "--labels", action="store_true", help="measure on the hand-labelled reports (labels.json)"
    )
    ap.add_argument("--split", choices=("dev", "test"), help="with --labels: one split only")
    ap.add_argument(
        "--form",
        action="store_true",
        help="with --labels: also draw each report on the statutory form (a PDF table) and"
        " count its items",
    )
    ap.add_argument(
        "--pairs",
        action="store_true",
        help="repeated concerns: precision, recall and links of the SIMILAR_TO threshold on the"
        " hand-labelled pairs (pair_labels.json, see pairs.py)",
    )
    ap.add_argument(
        "--sample",
        action="store_true",
        help="with --pairs: print the seeded stratified sample of pairs to label (ids, scores)",
    )
    args = ap.parse_args(argv)
    if not args.csv.is_file():
        print(
            f"{args.csv}: not found; the real PFD reports are not on this machine", file=sys.stderr
        )
        return 2
    if args.pairs:
        from pairs import main as pairs_main

        return pairs_main(args)
    if args.labels:
        from labelled import CHECK_BATCH, measure_labelled, measure_themes
        from labelled import lines as labelled_lines

        splits = (args.split,) if args.split else ("dev", "test")
        figures = measure_labelled(args.csv, splits=splits)
        themes = measure_themes(args.csv) if "dev" in splits else None
        # Labelled before the tagger ran on them and never tuned on: no -v list of their
        # disagreements, so that no rule is chosen from them.
        check = measure_themes(args.csv, batch=CHECK_BATCH) if "dev" in splits else None
        if args.json:
            out = {k: f.as_dict() for k, f in figures.items()}
            if themes is not None and check is not None:
                out["themes"] = themes.as_dict()
                out["themes_check"] = check.as_dict()
            print(json.dumps(out, indent=2))
        else:
            print("\n".join(labelled_lines(figures, verbose=args.v)))
            if themes is not None:
                print("  " + themes.line())
                if args.v:
                    print("\n".join(f"    {d}" for d in themes.disagreements))
            if check is not None:
                print("  " + check.line())
            if args.form:
                for split in splits:
                    right, total, wrong = form_counts(args.csv, split)
                    print(
                        f"  {split.upper():<4} drawn on the statutory form as PDF:"
                        f" item count right {right}/{total}"
                    )
                    if args.v and split == "dev":
                        print("\n".join(f"    {w}" for w in wrong))
        return 0
    fig = measure(args.csv, verbose=args.v, pdf=args.pdf)
    print(json.dumps(asdict(fig), indent=2) if args.json else "\n".join(fig.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
