"""PDF text hygiene on a generated multi-page PDF: running headers and footers, page
numbers, footnote marks and footnotes, hyphenation at line ends, and a recommendation
running over a page break. All text is invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from loaders.extract import extract_document, read_document
from loaders.extract.reading import join_hyphenated

HEADER = "Anyshire Safeguarding Children Partnership | Practice review: Child Q"

# Each page: its body lines. A line "^" + text is written as a footnote at the page's foot;
# a "|n" inside a line is a raised, smaller footnote mark n.
PAGES: list[list[str]] = [
    [
        "Anyshire Safeguarding Children Partnership",
        "Local Child Safeguarding Practice Review: Child Q",
        "Published 2023",
        "",
        "Introduction",
        "",
        "The review looked at how agencies shared information|1 about Child Q.",
        "^1 Information sharing is described in the statutory guidance, chapter two.",
    ],
    [
        "Recommendations",
        "",
        "1. The partnership should make sure that every agency records the informa-",
        "tion it shares about a child, and reviews it at each multi-",
        "agency meeting.|2",
        "",
        "2. Schools should tell the designated safeguarding lead about any child who",
        "is missing from education for more than ten school days, and record the",
        "^2 See the partnership's information sharing protocol, section four.",
    ],
    [
        "reason for each absence in the child's file.",
        "",
        "3. The police should share domestic abuse notifications with schools before the",
        "start of the next school day.",
        "",
        "Glossary",
        "",
        "DSL: designated safeguarding lead.",
    ],
]


def _hygiene_pdf(path: Path, pages: list[list[str]]) -> Path:
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.set_xy(10, 8)
        pdf.cell(0, 5, HEADER)
        y = 25.0
        notes = [ln[1:] for ln in lines if ln.startswith("^")]
        for line in (ln for ln in lines if not ln.startswith("^")):
            pdf.set_xy(10, y)
            pdf.set_font("Helvetica", size=11)
            for k, chunk in enumerate(line.split("|")):
                if k:
                    mark, chunk = chunk[0], chunk[1:]
                    pdf.char_vpos = "SUP"
                    pdf.write(6, mark)
                    pdf.char_vpos = "LINE"
                pdf.write(6, chunk)
            y += 6.0
        pdf.set_font("Helvetica", size=8)
        for k, note in enumerate(notes):
            pdf.set_xy(10, 262 + 4 * k)
            pdf.cell(0, 4, note)
        pdf.set_xy(10, 282)
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 5, f"Page {number} of {len(pages)}", align="C")
    pdf.output(str(path))
    return path


@pytest.fixture
def review_pdf(tmp_path: Path) -> Path:
    return _hygiene_pdf(tmp_path / "review.pdf", PAGES)


def test_furniture_footnotes_and_marks_are_gone(review_pdf: Path) -> None:
    text = "\n".join(ln.text for ln in read_document(review_pdf).lines)
    assert HEADER not in text
    assert "Page 2 of 3" not in text and "of 3" not in text
    assert "statutory guidance" not in text and "protocol, section four" not in text
    assert "shared information about Child Q." in text  # the mark "1" is gone
    assert "Anyshire Safeguarding Children Partnership\n" in text + "\n"  # the title is kept


def test_recommendations_read_clean_over_page_breaks(review_pdf: Path) -> None:
    review = extract_document(review_pdf)
    assert review.board == "Anyshire Safeguarding Children Partnership"
    assert review.year == 2023
    assert [(r.number, r.location) for r in review.recommendations] == [
        ("1", "page 2"),
        ("2", "page 2"),
        ("3", "page 3"),
    ]
    first, second, _ = (r.text for r in review.recommendations)
    assert first == (
        "The partnership should make sure that every agency records the information it "
        "shares about a child, and reviews it at each multi-agency meeting."
    )
    assert second.endswith("and record the reason for each absence in the child's file.")


def test_two_page_pdf_drops_its_running_header(tmp_path: Path) -> None:
    path = _hygiene_pdf(tmp_path / "short.pdf", PAGES[1:])
    text = "\n".join(ln.text for ln in read_document(path).lines)
    assert HEADER not in text and "Page 1 of 2" not in text


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("the informa-", "tion", "the information"),
        ("each multi-", "agency", "each multi-agency"),
        ("risk of self-", "harm", "risk of self-harm"),
        ("ends with a dash -", "then", None),
        ("no hyphen", "here", None),
        ("Year 2023-", "four", None),
        ("capital-", "Letter", None),
    ],
)
def test_join_hyphenated(left: str, right: str, joined: str | None) -> None:
    assert join_hyphenated(left, right) == joined


def test_a_page_break_is_a_paragraph_break_only_after_a_short_closing_line(
    tmp_path: Path,
) -> None:
    pages = [
        [
            "The panel met four times and read the records of every agency involved with",
            "the family over the two years before the incident.",
        ],
        [
            "The family moved twice in that time, and each move meant a new school and a",
            "new health visitor, who did not always receive the records that had been kept",
        ],
        ["by the one before."],
    ]
    lines = [
        (ln.page, ln.text) for ln in read_document(_hygiene_pdf(tmp_path / "p.pdf", pages)).lines
    ]
    texts = [t for _, t in lines]
    # Page 1 ends a paragraph on a short line: one blank. Page 2 stops mid-sentence: none.
    i = texts.index("the family over the two years before the incident.")
    assert texts[i + 1] == "" and texts[i + 2].startswith("The family moved")
    j = texts.index("new health visitor, who did not always receive the records that had been kept")
    assert texts[j + 1] == "by the one before."
    assert not any(t == "" for t in texts[: i + 1])
