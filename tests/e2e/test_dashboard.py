"""The dashboard in headless Chromium over the demo corpus: it loads offline and clean, the
year filter redraws the network, the heat map lists a cell's reviews, the trace view shows a
slipped-back recommendation, exports work, and every view is saved as a 1280x800 screenshot
in test-artifacts/."""

from __future__ import annotations

import csv
import io
import struct
from pathlib import Path
from typing import Any

import pytest

import queries
from gql_api.auth import create_key
from graph_store import EmbeddedStore

from .conftest import ARTIFACTS, Watched

pytestmark = pytest.mark.browser

READY = "body[data-ready='true']"


def open_dashboard(w: Watched, hash_: str = "") -> None:
    w.page.goto(f"{w.base}/dashboard{hash_}")
    w.page.wait_for_selector(READY, timeout=30_000)
    w.page.wait_for_selector("#network .node", timeout=30_000)


def drawn_network(w: Watched) -> dict[str, Any]:
    """What the network SVG draws: node sizes and weighted edges."""
    result: dict[str, Any] = w.page.evaluate(
        """() => ({
          subtitle: document.querySelector('#network text:nth-of-type(2)').textContent,
          nodes: [...document.querySelectorAll('#network .node')].map(
            g => [g.dataset.id, Number(g.dataset.reviews), g.querySelector('circle').getAttribute('r')]),
          at: Object.fromEntries([...document.querySelectorAll('#network .node')].map(
            g => [g.dataset.id, [g.querySelector('circle').getAttribute('cx'),
                                 g.querySelector('circle').getAttribute('cy')]])),
          edges: [...document.querySelectorAll('#network .edge')].map(
            e => [e.dataset.source, e.dataset.target, Number(e.dataset.weight)]),
        })"""
    )
    return result


@pytest.fixture(scope="module")
def slipped_back(demo_embedded: EmbeddedStore) -> dict[str, Any]:
    """A public, slipped-back recommendation of the demo corpus whose theme came back later."""
    for rid in sorted(demo_embedded.ids("Recommendation")):
        t = queries.run(demo_embedded, "trace_recommendation", {"id": rid})
        if t and t["verdict"] == "slipped_back" and t["later_reviews"]:
            return dict(t)
    pytest.fail("the demo corpus has no slipped-back recommendation with a later review")


def test_loads_offline_without_errors(watched_page: Watched) -> None:
    w = watched_page
    open_dashboard(w)
    net = drawn_network(w)
    assert len(net["nodes"]) >= 10 and net["edges"]
    # Legend and labels are drawn: a board paper needs to read the picture on its own.
    legend = w.page.text_content("#network .legend") or ""
    for word in ("Practice", "Review process", "Learning and training", "Policy and systems"):
        assert word in legend
    assert w.page.locator("#network .label").count() >= 15
    w.screenshot("dashboard-network.png")
    w.assert_clean()
    # The page forbids other origins itself, so nothing else can be fetched.
    res = w.page.request.get(f"{w.base}/dashboard/")
    assert "default-src 'none'" in res.headers["content-security-policy"]


def test_year_filter_changes_the_drawn_network(watched_page: Watched) -> None:
    w = watched_page
    open_dashboard(w)
    before = drawn_network(w)
    slider = w.page.locator("#year-from")
    start = int(str(slider.get_attribute("min")))
    slider.focus()
    for _ in range(9):  # keyboard: nine years later
        slider.press("ArrowRight")
    # Each key press redraws (debounced); wait for the last one's answer.
    w.page.wait_for_function(
        "y => document.querySelector('#network text:nth-of-type(2)').textContent"
        ".startsWith(`${y}–`)",
        arg=start + 9,
    )
    after = drawn_network(w)
    assert {tuple(e) for e in after["edges"]} != {tuple(e) for e in before["edges"]}
    assert {tuple(n) for n in after["nodes"]} != {tuple(n) for n in before["nodes"]}
    # Themes keep their place: the layout does not depend on the filter.
    assert after["at"] and all(before["at"][k] == v for k, v in after["at"].items())
    w.assert_clean()


def test_step_through_years_and_theme_recurrence(watched_page: Watched) -> None:
    w = watched_page
    open_dashboard(w)
    w.page.click("#step-next")
    w.page.wait_for_function(
        "() => document.querySelector('#step-state').textContent.startsWith('Showing 2007')"
    )
    assert "2007 only" in drawn_network(w)["subtitle"]
    w.page.click("#step-next")
    year = drawn_network(w)
    assert "2008 only" in year["subtitle"]
    assert year["edges"], "a single year still shows its links"
    w.screenshot("dashboard-network-year.png")
    w.page.click("#step-all")
    assert "only" not in drawn_network(w)["subtitle"]
    # Keyboard: Tab reaches the themes (largest first); Enter opens its recurrence.
    node = w.page.locator("#network .node").first
    node.focus()
    label = str(node.get_attribute("aria-label")).split(":")[0]
    node.press("Enter")
    w.page.wait_for_selector("#recurrence-title")
    assert w.page.text_content("#recurrence-title") == label
    panel = w.page.text_content("#network-panel") or ""
    assert "Reviews by year" in panel and "By board" in panel
    w.screenshot("dashboard-network-theme.png")
    w.assert_clean()


def test_heatmap_cell_lists_its_reviews(watched_page: Watched) -> None:
    w = watched_page
    open_dashboard(w)
    w.page.click("#tab-heatmap")
    rows = w.page.locator("#heatmap [role=row]")
    assert rows.count() == 15
    cell = w.page.locator("#heatmap .cell:not([data-reviews='0'])").first
    expected = int(str(cell.get_attribute("data-reviews")))
    cell.click()
    w.page.wait_for_selector("#heatmap-panel .reviews")
    w.page.wait_for_function(
        "n => document.querySelectorAll('#heatmap-panel .reviews li').length === n",
        arg=expected,
    )
    # Keyboard: arrows move the focus between cells, Enter chooses one.
    w.page.keyboard.press("ArrowRight")
    w.page.keyboard.press("Enter")
    w.page.wait_for_function(
        "() => document.activeElement.classList.contains('selected')"
        " && document.activeElement.dataset.col === '1'"
    )
    w.page.keyboard.press("Escape")  # hides the tooltip, keeps the choice
    w.page.wait_for_selector("#tooltip", state="hidden")
    w.screenshot("dashboard-heatmap.png")
    w.assert_clean()


def test_trace_shows_a_slipped_back_recommendation(
    watched_page: Watched, slipped_back: dict[str, Any]
) -> None:
    w = watched_page
    rid = slipped_back["recommendation"]["id"]
    open_dashboard(w)
    w.page.click("#tab-trace")
    w.page.fill("#trace-q", rid)
    w.page.press("#trace-q", "Enter")
    w.page.wait_for_selector("#trace .verdict[data-verdict='slipped_back']")
    svg = w.page.text_content("#trace") or ""
    assert "Slipped back" in svg
    assert slipped_back["review"]["title"] in svg
    assert "Embedded" in svg  # the earlier audit's badge
    assert "Theme came back" in svg  # a later review in the same board
    audits = sum(len(a["audits"]) for a in slipped_back["actions"])
    assert w.page.locator("#trace .event-audit").count() == audits
    assert w.page.locator("#trace .event-later").count() == len(slipped_back["later_reviews"])
    w.screenshot("dashboard-trace.png")
    # Search by its words finds it too.
    words = slipped_back["recommendation"]["text"]
    w.page.fill("#trace-q", words)
    w.page.press("#trace-q", "Enter")
    w.page.wait_for_selector("#trace-hits .hit")
    assert rid in (w.page.text_content("#trace-hits") or "")
    w.assert_clean()


def test_trace_link_opens_from_the_address(
    watched_page: Watched, slipped_back: dict[str, Any]
) -> None:
    w = watched_page
    rid = slipped_back["recommendation"]["id"]
    w.page.goto(f"{w.base}/dashboard/#trace?rec={rid}")
    w.page.wait_for_selector(READY, timeout=30_000)
    w.page.wait_for_selector("#trace .verdict[data-verdict='slipped_back']")
    w.assert_clean()


def test_trace_of_an_unknown_id_says_not_found(watched_page: Watched) -> None:
    w = watched_page
    w.page.goto(f"{w.base}/dashboard/#trace?rec=rec-nope-0001")
    w.page.wait_for_selector(READY, timeout=30_000)
    w.page.wait_for_selector("#status.error")
    assert "rec-nope-0001 was not found" in (w.page.text_content("#status") or "")
    w.assert_clean()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_exports_png_svg_and_csv(watched_page: Watched, tmp_path: Path) -> None:
    w = watched_page
    open_dashboard(w)
    with w.page.expect_download() as dl:
        w.page.click("#export-svg")
    svg = Path(dl.value.path()).read_text(encoding="utf-8")
    assert dl.value.suggested_filename.endswith(".svg")
    assert svg.startswith("<?xml") and "Theme recurrence network" in svg
    assert "tabindex" not in svg
    with w.page.expect_download() as dl:
        w.page.click("#export-png")
    assert _png_size(Path(dl.value.path()).read_bytes()) == (2000, 1280)
    with w.page.expect_download() as dl:
        w.page.click("#export-csv")
    rows = list(csv.reader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["type", "theme", "label"]
    kinds = {r[0] for r in rows[1:]}
    assert kinds == {"theme", "link"}
    w.page.click("#tab-heatmap")
    with w.page.expect_download() as dl:
        w.page.click("#export-csv")
    rows = list(csv.reader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["theme", "label", "category"] and len(rows) == 1 + 15 + 1
    w.assert_clean()


def test_readable_at_tablet_width(watched_page: Watched) -> None:
    w = watched_page
    w.page.set_viewport_size({"width": 768, "height": 1024})
    open_dashboard(w)
    overflow = w.page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 768, f"the page is {overflow}px wide at a 768px viewport"
    box = w.page.locator("#network").bounding_box()
    assert box is not None and box["width"] >= 700
    w.screenshot("dashboard-tablet.png")
    w.assert_clean()


def test_api_key_is_sent_as_bearer_and_kept_for_the_tab(
    watched_page: Watched, live_keys_file: Path
) -> None:
    w = watched_page
    key = create_key(live_keys_file, "analyst", "e2e-dashboard-analyst", restricted=True)
    open_dashboard(w)
    public = w.page.text_content("#corpus-line")
    sent: list[str | None] = []
    w.page.on(
        "request",
        lambda r: (
            sent.append(r.headers.get("authorization")) if r.url.endswith("/graphql") else None
        ),
    )
    w.page.click("#settings summary")
    w.page.fill("#api-key", key)
    w.page.press("#api-key", "Enter")
    # Restricted reviews now count: the corpus line and the network grow.
    w.page.wait_for_function(
        "s => document.querySelector('#corpus-line').textContent !== s", arg=public
    )
    w.page.wait_for_function("() => document.querySelector('#status').textContent === ''")
    assert f"Bearer {key}" in sent and None not in sent[-1:]
    assert w.page.evaluate("() => sessionStorage.getItem('scrgraph.apiKey')") == key
    w.assert_clean()
    # A key the server does not know is refused with a message saying what to do.
    w.page.fill("#api-key", "scr_not-a-real-key")
    w.page.press("#api-key", "Enter")
    w.page.wait_for_selector("#status.error")
    assert "Access refused" in (w.page.text_content("#status") or "")
    assert all("401" in e for e in w.console_errors), w.console_errors


def test_briefing_opens_from_the_dashboard(watched_page: Watched) -> None:
    w = watched_page
    open_dashboard(w)
    w.page.click("#briefing-menu summary")
    w.page.select_option("#brief-audience", "police")
    with w.page.context.expect_page() as opened:
        w.page.click("#brief-form button[type=submit]")
    brief = opened.value
    brief.wait_for_load_state()
    assert "/briefing?audience=police" in brief.url
    text = brief.text_content("body") or ""
    assert "briefing for police" in text.lower()
    assert "Public briefing" in text
    w.screenshot("dashboard-briefing-menu.png")
    brief.set_viewport_size({"width": 1280, "height": 800})
    brief.screenshot(path=str(ARTIFACTS / "briefing.png"))
    w.assert_clean()
