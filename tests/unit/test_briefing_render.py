"""Rendering a hand-made briefing: every format says the same things; HTML is self-contained;
the PDF has text and fits two A4 pages even when the briefing is long."""

from __future__ import annotations

import dataclasses
import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from queries.briefing import (
    ActionItem,
    Briefing,
    BriefingError,
    Cite,
    EmbeddedBoard,
    RepeatItem,
    Source,
    ThemeEmbedding,
    ThemeItem,
    glossary_for,
    supervision_questions,
)
from queries.briefing_render import clip, render, to_html, to_markdown, to_pdf


def cite(i: int) -> Cite:
    return Cite(
        review_id=f"rv-{i:06d}",
        board_name="Ashdale LSCB",
        year=2010 + i % 10,
        recommendation_id=f"rv-{i:06d}-r01",
        recommendation_number="1",
        location="p. 12",
        source_file="recommendations.csv",
        source_line=i + 1,
    )


def make(n_sources: int = 12, words: int = 1, public: bool = True) -> Briefing:
    long = " ".join(["Practitioners should share information about risk."] * words)
    theme = {
        "id": "information_sharing",
        "label": "Information sharing",
        "kind": "practice",
        "description": "Sharing information about a child and family between professionals.",
    }
    themes = tuple(
        ThemeItem(
            key=f"t{i}",
            label=f"Information sharing {i}",
            description=str(theme["description"]),
            kind="practice",
            recommendations=40 - i,
            reviews=20,
            boards=12,
            first_year=2007,
            last_year=2024,
            trend=0.25,
            trend_word="rising",
            cites=(cite(i), cite(i + 1)),
            questions=supervision_questions(theme, "Police"),
        )
        for i in range(3)
    )
    repeats = tuple(
        RepeatItem(
            id=f"rv-{i:06d}-r01",
            text=f"The police should “share” information – always. {long}",
            size=12,
            boards=9,
            years=7,
            first_year=2008,
            last_year=2023,
            mean_score=0.81,
            examples=(cite(i), cite(i + 3), cite(i + 5)),
        )
        for i in range(3)
    )
    overdue = tuple(
        ActionItem(
            id=f"a{i}",
            description="Revise the procedure on disguised compliance.",
            owner_name="Ashdale Constabulary",
            due_date="2019-03-01",
            days_overdue=400 + i,
            cite=cite(i),
        )
        for i in range(4)
    )
    embedding = tuple(
        ThemeEmbedding(
            key=t.key,
            label=t.label,
            embedded=5,
            slipped_back=2,
            boards=(EmbeddedBoard("b1", "Ashdale LSCB", 3, cite(7)),),
        )
        for t in themes
    )
    sources = tuple(
        Source(
            review_id=f"rv-{i:06d}",
            title=f"Serious Case Review: Child {i}",
            board_id="b1",
            board_name="Ashdale LSCB",
            year=2010,
            review_type="scr",
            status="published",
            document=f"ashdale-lscb-2010-child-{i}.pdf",
            source_file="reviews.csv",
            source_line=i + 2,
        )
        for i in range(n_sources)
    )
    b = Briefing(
        audience_key="police",
        audience_label="Police",
        sector="police",
        sector_label="Police",
        agencies=3,
        role_matched=False,
        boards=(),
        year_from=None,
        year_to=None,
        years_seen=(2007, 2024),
        as_of="2025-06-30",
        public=public,
        viewer_role="public" if public else "admin",
        recommendations=448,
        open_recommendations=129,
        reviews=182,
        review_boards=66,
        themes=themes,
        repeats=repeats,
        actions=376,
        open_actions=74,
        overdue_actions=69,
        overdue=overdue,
        audited=163,
        verdicts={
            "not_audited": 213,
            "embedded": 73,
            "partially_embedded": 36,
            "not_embedded": 7,
            "slipped_back": 47,
        },
        embedding=embedding,
        sources=sources,
        glossary=(),
        notes=("A note for the reader.",),
    )
    return dataclasses.replace(b, glossary=glossary_for("Ashdale LSCB"))


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


class _Refs(HTMLParser):
    """Every src/href/srcset/action value, and the tags used."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data") and value:
                self.refs.append(value)


def external_assets(html_text: str) -> list[str]:
    """Anything that would make the page load from elsewhere."""
    p = _Refs()
    p.feed(html_text)
    bad = [r for r in p.refs if not r.startswith("#")]
    bad += sorted(p.tags & {"script", "link", "img", "iframe", "object", "embed", "video"})
    bad += re.findall(r"@import|url\(", html_text)
    return bad


def test_markdown_has_every_section_and_number() -> None:
    md = to_markdown(make())
    for heading in (
        "At a glance",
        "Themes that keep coming back",
        "Recommendations made again and again",
        "Actions still open",
        "What audits found",
        "Questions to ask in supervision",
        "Words used here",
        "Sources",
    ):
        assert f"## {heading}" in md
    for number in ("448 recommendations", "129 still open", "74 open", "69 overdue", "73 embedded"):
        assert number in md
    assert "[rv-000001](#rv-000001)" in md and '<a id="rv-000001"></a>' in md
    assert "reviews.csv line 3" in md
    assert "**LSCB**" in md
    assert "Public briefing" in md


def test_html_is_self_contained_and_phone_ready() -> None:
    page = to_html(make())
    assert external_assets(page) == []
    assert "http" not in page
    assert '<meta name="viewport"' in page
    assert "@media print" in page and "size:A4" in page
    assert 'href="#rv-000001"' in page and 'id="rv-000001"' in page
    assert "“share”" in page  # typographic quotes survive in HTML


def test_html_escapes_data() -> None:
    b = make()
    hostile = dataclasses.replace(
        b.themes[0], label='<script>alert(1)</script><img src="https://x.example/a.png">'
    )
    page = to_html(dataclasses.replace(b, themes=(hostile, *b.themes[1:])))
    assert "<script>alert" not in page and external_assets(page) == []
    assert "&lt;img src=&quot;https://x.example/a.png&quot;&gt;" in page  # shown, not loaded


def test_pdf_has_text_and_fits_two_pages() -> None:
    pages, text = pdf_text(to_pdf(make()))
    assert pages <= 2
    assert "What keeps coming back" in text and "448 recommendations" in text
    assert "rv-000001" in text and '"share" information - always' in text


def test_a_long_briefing_is_shrunk_to_two_pages() -> None:
    pages, text = pdf_text(to_pdf(make(n_sources=30, words=40)))
    assert pages <= 2
    assert "rv-000029" in text  # no source dropped to make it fit
    assert "..." in text  # a very long recommendation is clipped, not the page count


@pytest.mark.parametrize(
    ("text", "limit", "want"),
    [
        ("short", 10, "short"),
        ("  spaced   out  ", 20, "spaced out"),
        ("one two three four", 12, "one two…"),
        ("one two, three four", 14, "one two…"),
        (None, 5, ""),
    ],
)
def test_clip(text: str | None, limit: int, want: str) -> None:
    assert clip(text, limit) == want
    assert len(clip(text, limit)) <= limit


def test_restricted_briefings_say_so() -> None:
    b = make(public=False)
    assert "Restricted briefing" in to_markdown(b)
    assert "Restricted briefing" in to_html(b)
    assert "Restricted briefing" in pdf_text(to_pdf(b))[1]


def test_empty_briefing_renders() -> None:
    b = dataclasses.replace(
        make(),
        themes=(),
        repeats=(),
        overdue=(),
        embedding=(),
        sources=(),
        recommendations=0,
        years_seen=(None, None),
    )
    assert "No recommendations to this audience" in to_markdown(b)
    assert external_assets(to_html(b)) == []
    assert pdf_text(to_pdf(b))[0] == 1


def test_render_dispatch() -> None:
    b = make()
    assert isinstance(render(b, "md"), str)
    assert isinstance(render(b, "html"), str)
    assert isinstance(render(b, "pdf"), bytes)
    with pytest.raises(BriefingError, match="md, html, pdf"):
        render(b, "docx")


def test_to_dict_is_plain_data() -> None:
    d = make().to_dict()
    assert d["themes"][0]["cites"][0]["review_id"] == "rv-000000"
    assert isinstance(d["glossary"][0], list)
    assert d["verdicts"]["embedded"] == 73


def _first_text_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.strip())


def test_a_synthetic_corpus_says_so_first_in_every_format() -> None:
    b = dataclasses.replace(make(), synthetic=True)
    assert "Synthetic data" in _first_text_line(to_markdown(b))
    body = to_html(b).split("<main>", 1)[1].lstrip()
    assert body.startswith('<p class="synthetic">Synthetic data')
    _, text = pdf_text(to_pdf(b))
    assert _first_text_line(text).startswith("Synthetic data")
    assert "England" not in to_markdown(b)
    assert "all boards in this synthetic corpus" in to_markdown(b)


def test_a_real_corpus_carries_no_synthetic_mark() -> None:
    b = make()
    assert not b.synthetic
    for text in (to_markdown(b), to_html(b), pdf_text(to_pdf(b))[1]):
        assert "Synthetic data" not in text
        assert "England" not in text
