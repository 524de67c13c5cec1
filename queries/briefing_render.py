"""Lay a `Briefing` out as Markdown, HTML or PDF.

The three formats say the same things in the same order; only layout differs. HTML is one
self-contained page (inline CSS, no scripts, fonts, images or external links), readable on a
phone and printing on A4. The PDF is drawn with fpdf2's built-in Helvetica (its text can be
extracted) and is shrunk, if it must be, to fit two A4 pages.

`briefing_document` builds and renders in one call; it is what the GraphQL field
`briefing(audience, boards, yearFrom, yearTo)` returns.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from graph_store import GraphStore
from queries.base import PUBLIC, Viewer
from queries.briefing import (
    ActionItem,
    Briefing,
    BriefingError,
    Cite,
    RepeatItem,
    Source,
    ThemeEmbedding,
    ThemeItem,
    build_briefing,
    lower_first,
)

Format = Literal["md", "html", "pdf"]
FORMATS: Final[tuple[str, ...]] = ("md", "html", "pdf")
MAX_PAGES: Final = 2

VERDICTS: Final[dict[str, str]] = {
    "embedded": "embedded",
    "partially_embedded": "partly embedded",
    "not_embedded": "not embedded",
    "slipped_back": "slipped back",
    "not_audited": "not yet audited",
}


# -- words shared by every format ------------------------------------------------------------


def clip(text: str | None, limit: int) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    t = " ".join((text or "").split())
    if len(t) <= limit:
        return t
    cut = t[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


QUOTE_LIMIT: Final = 300  # a repeated recommendation's text, as shown
ACTION_LIMIT: Final = 160  # an action's description, as shown


def _n(count: int, one: str, many: str | None = None) -> str:
    """'1 review', '3 reviews', '1,204 recommendations'."""
    word = one if count == 1 else (many or one + "s")
    return f"{count:,} {word}"


def _years(b: Briefing) -> str:
    if b.year_from is not None or b.year_to is not None:
        y0 = b.year_from if b.year_from is not None else b.years_seen[0]
        y1 = b.year_to if b.year_to is not None else b.years_seen[1]
        return f"{y0}–{y1}" if y0 != y1 else str(y0)
    if b.years_seen[0] is None:
        return "all years"
    return f"all years ({b.years_seen[0]}–{b.years_seen[1]})"


def _span(first: int | None, last: int | None) -> str:
    if first is None:
        return "no year"
    return str(first) if first == last else f"{first}–{last}"


def title(b: Briefing) -> str:
    return f"What keeps coming back: a briefing for {lower_first(b.audience_label)}"


SYNTHETIC_LINE: Final = (
    "Synthetic data: every review, board and figure in this briefing was invented for "
    "demonstration. It describes no real case."
)


def synthetic_line(b: Briefing) -> str | None:
    """The briefing's first line when its corpus is synthetic, else None."""
    return SYNTHETIC_LINE if b.synthetic else None


def scope_line(b: Briefing) -> str:
    # No corpus claims national coverage, so the scope names what was loaded, never "England".
    everywhere = "all boards in this synthetic corpus" if b.synthetic else "all loaded boards"
    boards = everywhere if not b.boards else "; ".join(name or bid for bid, name in b.boards)
    return f"{boards} · {_years(b)} · as of {b.as_of}"


def visibility_line(b: Briefing) -> str:
    if b.public:
        return "Public briefing: drawn only from published reviews."
    return (
        "Restricted briefing: includes unpublished or withdrawn reviews. "
        "Do not share outside your organisation."
    )


def intro(b: Briefing) -> str:
    who = lower_first(b.audience_label)
    return (
        "Case reviews look at what went wrong, and right, when a child died or was seriously "
        "harmed and abuse or neglect was suspected: serious case reviews (SCRs) until 2019, "
        "local child safeguarding practice reviews since. This briefing picks out what they "
        f"keep asking of {who}, what is still outstanding, and what has been made to stick."
    )


def glance(b: Briefing) -> list[str]:
    who = lower_first(b.audience_label)
    v = b.verdicts
    return [
        f"{_n(b.recommendations, 'recommendation')} addressed to {who}, from "
        f"{_n(b.reviews, 'review')} in {_n(b.review_boards, 'board')}; "
        f"{b.open_recommendations:,} still open.",
        f"{_n(b.actions, 'action')} in action plans owned by {who}: {b.open_actions:,} open, "
        f"{b.overdue_actions:,} overdue.",
        f"{b.audited:,} of them audited: {v.get('embedded', 0):,} embedded, "
        f"{v.get('slipped_back', 0):,} slipped back.",
    ]


def theme_line(t: ThemeItem, who: str) -> str:
    return (
        f"{_n(t.recommendations, 'recommendation')} to {who} from {_n(t.reviews, 'review')} in "
        f"{_n(t.boards, 'board')}, {_span(t.first_year, t.last_year)}; {t.trend_word} "
        f"({t.trend:+.2f} reviews a year)."
    )


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n:,} times")


def themes_lead(b: Briefing) -> str:
    who = lower_first(b.audience_label)
    return (
        f"Ranked by how many recommendations to {who} are about each theme. The trend is the "
        "fitted change in the number of those reviews a year."
    )


def repeats_lead(b: Briefing) -> str:
    who = lower_first(b.audience_label)
    return (
        f"Recommendations to {who} made in almost the same words by different reviews, in "
        "these boards and years, most widespread first."
    )


def repeat_line(r: RepeatItem) -> str:
    return (
        f"Made {_times(r.size)} by {_n(r.boards, 'board')} in {_n(r.years, 'different year')} "
        f"({_span(r.first_year, r.last_year)}); wording {round(r.mean_score * 100)}% alike."
    )


def actions_line(b: Briefing) -> str:
    who = lower_first(b.audience_label)
    return (
        f"Of {_n(b.actions, 'action')} owned by {who}, {b.open_actions:,} are open and "
        f"{b.overdue_actions:,} overdue as of {b.as_of}."
        + (" The longest overdue:" if b.overdue else "")
    )


def action_line(a: ActionItem) -> str:
    years = a.days_overdue / 365.25
    late = f"{years:.1f} years" if years >= 1 else _n(a.days_overdue, "day")
    owner = f" ({a.owner_name})" if a.owner_name else ""
    what = clip(a.description or "Action", ACTION_LIMIT).rstrip(".")
    return f"{what}{owner}: due {a.due_date}, {late} overdue."


def audits_line(b: Briefing) -> str:
    v = b.verdicts
    parts = [
        f"{v.get(k, 0):,} {VERDICTS[k]}"
        for k in ("embedded", "partially_embedded", "not_embedded", "slipped_back")
    ]
    return (
        f"{b.audited:,} of {_n(b.actions, 'action')} have been audited: "
        + ", ".join(parts)
        + f"; {v.get('not_audited', 0):,} {VERDICTS['not_audited']}."
    )


def embedding_line(e: ThemeEmbedding) -> str:
    if not e.boards:
        return (
            f"no audit yet found a change on it embedded ({e.slipped_back:,} slipped back)."
            if e.slipped_back
            else "no audit yet found a change on it embedded."
        )
    names = ", ".join(f"{x.board_name or x.board_id} ({_n(x.actions, 'action')})" for x in e.boards)
    return (
        f"{_n(e.embedded, 'change')} embedded, {e.slipped_back:,} slipped back. "
        f"Embedded in {names}: ask them how."
    )


def cite_text(c: Cite) -> str:
    """'Ashdale LSCB 2014, rec 3 (p. 48)' (the review id is added by each format)."""
    parts = [f"{c.board_name or 'no board'} {c.year or ''}".strip()]
    if c.recommendation_number:
        rec = f"rec {c.recommendation_number}"
        if c.location:
            rec += f" ({c.location})"
        parts.append(rec)
    return ", ".join(parts)


def source_text(s: Source) -> str:
    """'Serious Case Review: Child X; Ashdale LSCB, 2014; reviews.csv line 124; doc.pdf'."""
    bits = [s.title or s.review_id, f"{s.board_name or s.board_id or 'no board'}, {s.year}"]
    if s.status and s.status != "published":
        bits.append(s.status)
    if s.source_file:
        bits.append(s.source_file + (f" line {s.source_line}" if s.source_line else ""))
    if s.document:
        bits.append(s.document)
    return "; ".join(bits)


def footer(b: Briefing) -> str:
    return (
        "Made by scrgraph from the knowledge graph of case reviews. Every number comes from "
        "the named queries briefing.sector_recommendations and briefing.sector_actions for "
        f"this audience, boards and years (viewer: {b.viewer_role})."
    )


# -- Markdown --------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def _md_cites(cites: Iterable[Cite]) -> str:
    return "; ".join(f"{_md_escape(cite_text(c))} [{c.review_id}](#{c.review_id})" for c in cites)


def to_markdown(b: Briefing) -> str:
    e = _md_escape
    who = lower_first(b.audience_label)
    mark = synthetic_line(b)
    out: list[str] = [f"**{e(mark)}**", ""] if mark else []
    out += [
        f"# {e(title(b))}",
        "",
        f"*{e(scope_line(b))}*",
        "",
        f"**{e(visibility_line(b))}**",
        "",
    ]
    out += [e(intro(b)), ""]
    out += [f"> {e(n)}" for n in b.notes] + ([""] if b.notes else [])
    out += ["## At a glance", ""] + [f"- {e(x)}" for x in glance(b)] + [""]
    out += ["## Themes that keep coming back", ""]
    if b.themes:
        out += [e(themes_lead(b)), ""]
    if not b.themes:
        out += ["No recommendations to this audience in these boards and years.", ""]
    for i, t in enumerate(b.themes, 1):
        out += [
            f"{i}. **{e(t.label)}**: {e(theme_line(t, who))} {e(t.description or '')}",
            f"   Latest: {_md_cites(t.cites)}",
        ]
    out += ["", "## Recommendations made again and again", ""]
    if b.repeats:
        out += [e(repeats_lead(b)), ""]
    if not b.repeats:
        out += ["No near-identical recommendations to this audience here.", ""]
    for r in b.repeats:
        out += [
            f"- “{e(clip(r.text, QUOTE_LIMIT))}”  ",
            f"  {e(repeat_line(r))} For example: {_md_cites(r.examples)}",
        ]
    out += ["", "## Actions still open", "", e(actions_line(b)), ""]
    for a in b.overdue:
        out.append(f"- {e(action_line(a))} {_md_cites([a.cite])}")
    out += ["", "## What audits found", "", e(audits_line(b)), ""]
    for em in b.embedding:
        cites = _md_cites(x.cite for x in em.boards)
        out.append(f"- **{e(em.label)}**: {e(embedding_line(em))}" + (f" {cites}" if cites else ""))
    out += ["", "## Questions to ask in supervision", ""]
    for t in b.themes:
        out.append(f"**{e(t.label)}**")
        out.append("")
        out += [f"- {e(q)}" for q in t.questions]
        out.append("")
    out += ["## Words used here", ""]
    out += [f"- **{e(term)}**: {e(meaning)}" for term, meaning in b.glossary]
    out += ["", "## Sources", ""]
    for s in b.sources:
        out.append(f'- <a id="{s.review_id}"></a>`{s.review_id}` {e(source_text(s))}')
    out += ["", f"*{e(footer(b))}*", ""]
    return "\n".join(out)


# -- HTML ------------------------------------------------------------------------------------

_CSS: Final = """
*{box-sizing:border-box}
body{margin:0 auto;max-width:46rem;padding:1rem;color:#1b1b1b;background:#fff;
font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
h1{font-size:1.35rem;line-height:1.2;margin:.2rem 0 .3rem}
h2{font-size:1.05rem;margin:1.1rem 0 .35rem;padding-bottom:.15rem;border-bottom:2px solid #1d4f91;color:#1d4f91}
h3{font-size:.95rem;margin:.6rem 0 .2rem}
p,ul,ol{margin:.3rem 0}
ul,ol{padding-left:1.3rem}
li{margin:.2rem 0}
.scope{color:#444;margin:0}
.vis{display:inline-block;margin:.4rem 0;padding:.15rem .45rem;border-radius:.25rem;font-size:.85rem;font-weight:600}
.vis.public{background:#e6f2e6;color:#1f5c1f}
.vis.restricted{background:#fde8e8;color:#8a1c1c}
.synthetic{margin:0 0 .4rem;padding:.3rem .5rem;border:2px solid #8a1c1c;color:#8a1c1c;font-weight:700}
.note{border-left:3px solid #c58a00;padding-left:.5rem;color:#5a4300}
.cite{color:#555;font-size:.85em}
.cite a,.sources a{color:#1d4f91}
.quote{font-style:italic}
.trend{font-weight:600}
.glance li{list-style:square}
.sources{font-size:.8rem;color:#333;padding-left:1.1rem}
.sources code{font-size:.95em}
dl{margin:.2rem 0;font-size:.9rem}
dt{font-weight:600;display:inline}
dt::after{content:":"}
dd{display:inline;margin:0}
dd::after{content:"";display:block;margin-bottom:.15rem}
footer{margin-top:1rem;color:#555;font-size:.8rem}
@media (max-width:30rem){body{font-size:15px;padding:.75rem}h1{font-size:1.2rem}}
@media print{
@page{size:A4;margin:10mm 12mm}
body{max-width:none;padding:0;font-size:8pt;line-height:1.22}
h1{font-size:12.5pt;margin:0 0 .1rem}
h2{font-size:9.5pt;margin:.35rem 0 .1rem;padding-bottom:0;border-bottom-width:1px;break-after:avoid}
h3{font-size:8pt;margin:.15rem 0 0}
p{margin:.1rem 0}
ul,ol{margin:.05rem 0;padding-left:1rem}
li{margin:.03rem 0;break-inside:avoid}
dt,dd{break-inside:avoid}
dl{font-size:7.4pt;margin:0}
dd::after{margin-bottom:0}
.cite{font-size:7.2pt}
.vis{padding:0;background:none!important;margin:0}
a{color:inherit!important;text-decoration:none}
.sources{font-size:6.6pt;line-height:1.15;columns:2;column-gap:5mm;padding-left:.9rem}
footer{font-size:6.6pt;margin-top:.2rem}
}
"""


def _h(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _html_cites(cites: Iterable[Cite]) -> str:
    items = []
    for c in cites:
        tip = f"{c.source_file} line {c.source_line}" if c.source_file else ""
        items.append(
            f'{_h(cite_text(c))} <a href="#{_h(c.review_id)}" title="{_h(tip)}">'
            f"{_h(c.review_id)}</a>"
        )
    return f'<span class="cite">{"; ".join(items)}</span>' if items else ""


def to_html(b: Briefing) -> str:
    who = lower_first(b.audience_label)
    h = _h
    out: list[str] = [
        "<!doctype html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{h(title(b))}</title>",
        f"<style>{_CSS.strip()}</style>",
        "</head><body><main>",
    ]
    mark = synthetic_line(b)
    if mark:
        out.append(f'<p class="synthetic">{h(mark)}</p>')
    out += [
        f"<h1>{h(title(b))}</h1>",
        f'<p class="scope">{h(scope_line(b))}</p>',
        f'<p class="vis {"public" if b.public else "restricted"}">{h(visibility_line(b))}</p>',
        f"<p>{h(intro(b))}</p>",
    ]
    out += [f'<p class="note">{h(n)}</p>' for n in b.notes]
    out += ["<h2>At a glance</h2>", '<ul class="glance">']
    out += [f"<li>{h(x)}</li>" for x in glance(b)]
    out += ["</ul>", "<h2>Themes that keep coming back</h2>"]
    if not b.themes:
        out.append("<p>No recommendations to this audience in these boards and years.</p>")
    else:
        out.append(f"<p>{h(themes_lead(b))}</p>")
        out.append("<ol>")
        for t in b.themes:
            out.append(
                f"<li><strong>{h(t.label)}</strong>: {h(theme_line(t, who))} "
                f"{h(t.description)} <br>Latest: {_html_cites(t.cites)}</li>"
            )
        out.append("</ol>")
    out.append("<h2>Recommendations made again and again</h2>")
    if not b.repeats:
        out.append("<p>No near-identical recommendations to this audience here.</p>")
    else:
        out.append(f"<p>{h(repeats_lead(b))}</p>")
        out.append("<ul>")
        for r in b.repeats:
            out.append(
                f'<li><span class="quote">“{h(clip(r.text, QUOTE_LIMIT))}”</span><br>'
                f"{h(repeat_line(r))} "
                f"For example: {_html_cites(r.examples)}</li>"
            )
        out.append("</ul>")
    out += ["<h2>Actions still open</h2>", f"<p>{h(actions_line(b))}</p>"]
    if b.overdue:
        out.append("<ul>")
        out += [f"<li>{h(action_line(a))} {_html_cites([a.cite])}</li>" for a in b.overdue]
        out.append("</ul>")
    out += ["<h2>What audits found</h2>", f"<p>{h(audits_line(b))}</p>"]
    if b.embedding:
        out.append("<ul>")
        for em in b.embedding:
            out.append(
                f"<li><strong>{h(em.label)}</strong>: {h(embedding_line(em))} "
                f"{_html_cites(x.cite for x in em.boards)}</li>"
            )
        out.append("</ul>")
    out.append("<h2>Questions to ask in supervision</h2>")
    for t in b.themes:
        out.append(f"<h3>{h(t.label)}</h3>")
        out.append(
            '<ul class="questions">' + "".join(f"<li>{h(q)}</li>" for q in t.questions) + "</ul>"
        )
    out += ["<h2>Words used here</h2>", "<dl>"]
    out += [f"<dt>{h(term)}</dt> <dd>{h(meaning)}</dd>" for term, meaning in b.glossary]
    out += ["</dl>", "<h2>Sources</h2>", '<ol class="sources">']
    out += [
        f'<li id="{h(s.review_id)}"><code>{h(s.review_id)}</code> {h(source_text(s))}</li>'
        for s in b.sources
    ]
    out += ["</ol>", f"<footer>{h(footer(b))}</footer>", "</main></body></html>", ""]
    return "\n".join(out)


# -- PDF -------------------------------------------------------------------------------------

_ASCII: Final = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "·": "-",
        "\u00a0": " ",
    }
)


def _latin1(text: str | None) -> str:
    """Text the PDF's built-in Helvetica can draw; markdown markers neutralised."""
    t = (text or "").translate(_ASCII)
    for marker in ("**", "__", "--", "~~"):
        t = t.replace(marker, marker[0])
    return t.encode("latin-1", "replace").decode("latin-1")


def _pdf_cites(cites: Iterable[Cite]) -> str:
    return "; ".join(f"{cite_text(c)} [{c.review_id}]" for c in cites)


def _draw_pdf(b: Briefing, size: float) -> Any:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(12, 11, 12)
    pdf.set_auto_page_break(True, margin=11)
    pdf.set_creation_date(dt.datetime.fromisoformat(b.as_of).replace(tzinfo=dt.UTC))
    pdf.set_title(_latin1(title(b)))
    pdf.set_author("scrgraph")
    pdf.set_subject(_latin1(scope_line(b)))
    pdf.add_page()
    blue = (29, 79, 145)

    def para(
        text: str,
        pt: float = size,
        style: str = "",
        color: tuple[int, int, int] = (27, 27, 27),
        indent: float = 0,
        bullet: str = "",
        after: float = 0.6,
    ) -> None:
        pdf.set_font("helvetica", style, pt)
        pdf.set_text_color(*color)
        x0 = pdf.l_margin + indent
        if bullet:
            pdf.set_x(x0)
            pdf.cell(3.5, pt * 0.45, _latin1(bullet))
            x0 += 3.5
        pdf.set_x(x0)
        pdf.multi_cell(
            pdf.w - pdf.r_margin - x0,
            pt * 0.45,
            _latin1(text) if "**" not in text else text,
            markdown=True,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(after)

    def heading(text: str) -> None:
        if pdf.get_y() > pdf.h - pdf.b_margin - 14:
            pdf.add_page()
        pdf.ln(1.2)
        pdf.set_font("helvetica", "B", size + 1.4)
        pdf.set_text_color(*blue)
        pdf.cell(0, (size + 1.4) * 0.45, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(*blue)
        pdf.set_line_width(0.4)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.4, pdf.w - pdf.r_margin, pdf.get_y() + 0.4)
        pdf.ln(1.4)

    def bold(lead: str, rest: str) -> str:
        return f"**{_latin1(lead)}**{_latin1(rest)}"

    who = lower_first(b.audience_label)
    grey = (85, 85, 85)
    mark = synthetic_line(b)
    if mark:
        para(mark, size, "B", color=(138, 28, 28), after=0.5)
    para(title(b), size + 5, "B", after=0.8)
    para(scope_line(b), size, color=grey, after=0.3)
    para(visibility_line(b), size, "B", color=(31, 92, 31) if b.public else (138, 28, 28))
    para(intro(b))
    for n in b.notes:
        para(n, color=(90, 67, 0))
    heading("At a glance")
    for x in glance(b):
        para(x, bullet="-", after=0.2)
    heading("Themes that keep coming back")
    if not b.themes:
        para("No recommendations to this audience in these boards and years.")
    else:
        para(themes_lead(b), after=0.4)
    for i, t in enumerate(b.themes, 1):
        para(
            bold(t.label, f": {theme_line(t, who)} {t.description or ''}"),
            bullet=f"{i}.",
            after=0.1,
        )
        para("Latest: " + _pdf_cites(t.cites), size - 1.2, color=grey, indent=3.5, after=0.6)
    heading("Recommendations made again and again")
    if not b.repeats:
        para("No near-identical recommendations to this audience here.")
    else:
        para(repeats_lead(b), after=0.4)
    for r in b.repeats:
        para(f'"{clip(r.text, QUOTE_LIMIT)}"', style="I", bullet="-", after=0.1)
        para(repeat_line(r), indent=3.5, after=0.1)
        para("For example: " + _pdf_cites(r.examples), size - 1.2, color=grey, indent=3.5)
    heading("Actions still open")
    para(actions_line(b))
    for a in b.overdue:
        para(action_line(a), bullet="-", after=0.1)
        para(_pdf_cites([a.cite]), size - 1.2, color=grey, indent=3.5, after=0.4)
    heading("What audits found")
    para(audits_line(b))
    for em in b.embedding:
        para(bold(em.label, f": {embedding_line(em)}"), bullet="-", after=0.1)
        if em.boards:
            para(_pdf_cites(x.cite for x in em.boards), size - 1.2, color=grey, indent=3.5)
    heading("Questions to ask in supervision")
    for t in b.themes:
        para(t.label, style="B", after=0.2)
        for q in t.questions:
            para(q, bullet="-", after=0.1)
        pdf.ln(0.5)
    heading("Words used here")
    for term, meaning in b.glossary:
        para(bold(term, f": {meaning}"), size - 0.6, after=0.1)
    heading("Sources")
    for s in b.sources:
        para(bold(s.review_id, f" {source_text(s)}"), size - 1.6, after=0.1)
    pdf.ln(1)
    para(footer(b), size - 1.6, color=grey)
    return pdf


def to_pdf(b: Briefing, max_pages: int = MAX_PAGES) -> bytes:
    """The briefing as a PDF, at the largest text size (9 pt down to 6.5 pt) that fits."""
    pdf = None
    for size in (9.0, 8.5, 8.0, 7.5, 7.0, 6.5):
        pdf = _draw_pdf(b, size)
        if pdf.pages_count <= max_pages:
            break
    assert pdf is not None
    return bytes(pdf.output())


def render(b: Briefing, fmt: str) -> str | bytes:
    """The briefing in one of FORMATS (PDF as bytes, the others as text)."""
    if fmt == "md":
        return to_markdown(b)
    if fmt == "html":
        return to_html(b)
    if fmt == "pdf":
        return to_pdf(b)
    raise BriefingError(f"unknown briefing format {fmt!r}; use one of {', '.join(FORMATS)}")


# -- one call for the API --------------------------------------------------------------------


@dataclass(frozen=True)
class BriefingDocument:
    """A briefing rendered for the API: Markdown, HTML, and the briefing as data."""

    markdown: str
    html: str
    briefing: Briefing

    @property
    def data(self) -> dict[str, Any]:
        """The briefing as plain JSON-ready data."""
        return self.briefing.to_dict()


def briefing_document(
    store: GraphStore,
    audience: str,
    *,
    boards: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    viewer: Viewer = PUBLIC,
    as_of: dt.date | str | None = None,
) -> BriefingDocument:
    """Build the briefing and render it as Markdown and HTML (the GraphQL `briefing` field)."""
    b = build_briefing(
        store,
        audience,
        boards=boards or (),
        year_from=year_from,
        year_to=year_to,
        viewer=viewer,
        as_of=as_of,
    )
    return BriefingDocument(markdown=to_markdown(b), html=to_html(b), briefing=b)


__all__ = [
    "FORMATS",
    "MAX_PAGES",
    "BriefingDocument",
    "briefing_document",
    "render",
    "to_html",
    "to_markdown",
    "to_pdf",
]
