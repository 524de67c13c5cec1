"""The theme network is readable over the demo corpus, at 1280x800 and at a 768 px tablet:
every drawn theme has a label, the most raised themes always do, no label is cut short or
sticks out of the drawing, no two labels overlap (measured from the drawn boxes), the
legend's footnote lies inside its box, and "Find a theme" highlights one theme and its
links, keeps it in the address, and clears back to the whole picture."""

from __future__ import annotations

from typing import Any

import pytest

import queries
from graph_store import EmbeddedStore

from .conftest import Watched

pytestmark = pytest.mark.browser

READY = "body[data-ready='true']"
# The smallest label, as drawn on screen.
MIN_LABEL_PX = 10.0
# Two labels may touch (anti-aliasing, the halo) but not cover each other.
OVERLAP_PX = 2.0

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "tablet": {"width": 768, "height": 1024},
}

# What the network SVG draws, measured in the page: each label's words (line by line), its
# box on screen, and the boxes of the SVG, the legend and its footnote.
MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {x0: r.left, x1: r.right, y0: r.top, y1: r.bottom}; };
  const svg = document.querySelector('#network');
  return {
    svg: box(svg),
    nodes: [...svg.querySelectorAll('.node')].map(g => [g.dataset.id, Number(g.dataset.reviews)]),
    labels: [...svg.querySelectorAll('.label')].map(t => ({
      id: t.dataset.id,
      lines: [...t.querySelectorAll('tspan')].map(s => s.textContent),
      visible: getComputedStyle(t).visibility === 'visible' && Number(getComputedStyle(t).opacity) > 0.9,
      px: Number(t.getAttribute('font-size')) * svg.getBoundingClientRect().width
          / svg.viewBox.baseVal.width,
      box: box(t),
    })),
    legend: box(svg.querySelector('.legend rect')),
    foot: box(svg.querySelector('.legend-foot')),
    footText: svg.querySelector('.legend-foot').textContent,
  };
}"""


@pytest.fixture(scope="module")
def themes(demo_embedded: EmbeddedStore) -> list[dict[str, Any]]:
    """The demo corpus's themes with their public review counts, most raised first."""
    net = queries.run(demo_embedded, "theme_network", {})
    nodes = [dict(n) for n in net["nodes"]]
    assert len(nodes) >= 20, "the demo corpus should draw a crowded network"
    return sorted(nodes, key=lambda n: (-int(n["reviews"]), str(n["label"])))


def open_network(w: Watched, viewport: dict[str, int], hash_: str = "") -> dict[str, Any]:
    w.page.set_viewport_size({"width": viewport["width"], "height": viewport["height"]})
    w.page.goto(f"{w.base}/dashboard/{hash_}")
    w.page.wait_for_selector(READY, timeout=30_000)
    w.page.wait_for_selector("#network .label", timeout=30_000)
    drawn: dict[str, Any] = w.page.evaluate(MEASURE)
    return drawn


def overlap(a: dict[str, float], b: dict[str, float]) -> tuple[float, float]:
    """How far two boxes overlap across and down (0 when apart)."""
    return (
        max(0.0, min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])),
        max(0.0, min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])),
    )


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.5) -> bool:
    return (
        inner["x0"] >= outer["x0"] - slack
        and inner["x1"] <= outer["x1"] + slack
        and inner["y0"] >= outer["y0"] - slack
        and inner["y1"] <= outer["y1"] + slack
    )


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_theme_has_a_whole_label_inside_and_apart(
    watched_page: Watched, themes: list[dict[str, Any]], size: str
) -> None:
    w = watched_page
    drawn = open_network(w, VIEWPORTS[size])
    labels = {lab["id"]: lab for lab in drawn["labels"]}
    assert len(labels) == len(drawn["labels"]), "a theme has two labels"
    drawn_ids = {i for i, reviews in drawn["nodes"] if reviews > 0}
    assert drawn_ids == {str(t["id"]) for t in themes if int(t["reviews"]) > 0}
    # Every theme drawn with reviews has a label; the ten most raised above all.
    assert set(labels) == drawn_ids, f"unlabelled: {sorted(drawn_ids - set(labels))}"
    for t in themes[:10]:
        lab = labels[str(t["id"])]
        assert lab["visible"], f"{t['label']}: label hidden"
        # The whole name, perhaps on two lines, never cut short.
        assert " ".join(lab["lines"]) == t["label"], (lab["lines"], t["label"])
        assert len(lab["lines"]) <= 2
    for lab in labels.values():
        assert not any("…" in line or "..." in line for line in lab["lines"]), lab
        assert inside(lab["box"], drawn["svg"]), f"{lab['id']} sticks out of the drawing"
        assert not inside(lab["box"], drawn["legend"], slack=-1), f"{lab['id']} is in the legend"
        assert lab["box"]["x1"] - lab["box"]["x0"] > 10, f"{lab['id']} has an empty label"
        assert lab["px"] >= MIN_LABEL_PX, f"{lab['id']} is drawn at {lab['px']:.1f} px"
    ids = sorted(labels)
    crossed = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            dx, dy = overlap(labels[a]["box"], labels[b]["box"])
            if dx > OVERLAP_PX and dy > OVERLAP_PX:
                crossed.append((a, b, round(dx, 1), round(dy, 1)))
    assert not crossed, f"labels overlap: {crossed}"
    # The legend's footnote is whole, inside its box, and on screen.
    assert drawn["footText"].startswith("Positions:") and drawn["footText"].endswith("place.")
    assert inside(drawn["foot"], drawn["legend"], slack=0), (drawn["foot"], drawn["legend"])
    assert drawn["legend"]["y1"] <= drawn["svg"]["y1"]
    assert drawn["foot"]["x1"] <= VIEWPORTS[size]["width"]
    assert drawn["foot"]["y1"] <= VIEWPORTS[size]["height"], "the footnote is below the fold"
    w.screenshot(f"dashboard-network-labels-{size}.png")
    w.assert_clean()


def node_classes(w: Watched) -> dict[str, list[str]]:
    result: dict[str, list[str]] = w.page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#network .node')].map(
             g => [g.dataset.id, [...g.classList]]))"""
    )
    return result


def test_find_a_theme_highlights_it_and_its_links(
    watched_page: Watched, themes: list[dict[str, Any]]
) -> None:
    w = watched_page
    target = next(t for t in themes if t["label"] == "Information sharing")
    tid = str(target["id"])
    open_network(w, VIEWPORTS["desktop"])
    # The box has a visible label and suggests every drawn theme by name.
    finder = w.page.get_by_role("combobox", name="Find a theme", exact=True)
    assert finder.is_visible()
    options = w.page.eval_on_selector_all("#theme-names option", "os => os.map(o => o.value)")
    assert sorted(options) == sorted(str(t["label"]) for t in themes if int(t["reviews"]) > 0)
    # Keyboard only: Tab into the box from the control before it, type part of a name, Enter.
    w.page.focus("#step-next")  # "All years together" is disabled here
    w.page.keyboard.press("Tab")
    assert w.page.evaluate("() => document.activeElement.id") == "theme-find"
    w.page.keyboard.type("information shar")
    w.page.keyboard.press("Enter")
    w.page.wait_for_selector(f"#network .node.found[data-id='{tid}']")
    neighbours: list[str] = w.page.evaluate(
        """id => [...document.querySelectorAll('#network .edge')]
             .filter(e => e.dataset.source === id || e.dataset.target === id)
             .map(e => e.dataset.source === id ? e.dataset.target : e.dataset.source)""",
        tid,
    )
    assert neighbours, "the found theme has links at the default threshold"
    classes = node_classes(w)
    near = {i for i, c in classes.items() if "near" in c}
    assert near == {tid, *neighbours}
    assert "focusing" in (w.page.get_attribute("#network", "class") or "")
    # The rest are dimmed, as drawn.
    far = next(i for i in classes if i not in near)
    opacity = w.page.evaluate(
        "id => Number(getComputedStyle(document.querySelector(`#network .node[data-id='${id}']`)).opacity)",
        far,
    )
    assert opacity < 0.5
    assert w.page.input_value("#theme-find") == "Information sharing"
    assert w.page.text_content("#recurrence-title") == "Information sharing"
    assert f"theme={tid}" in w.page.evaluate("() => location.hash")
    assert "Information sharing highlighted" in (w.page.text_content("#theme-find-state") or "")
    w.screenshot("dashboard-network-find.png")
    # Escape clears it: the whole picture again, and the address forgets it.
    w.page.keyboard.press("Escape")
    w.page.wait_for_function(
        "() => !document.querySelector('#network').classList.contains('focusing')"
    )
    assert not any("near" in c or "found" in c for c in node_classes(w).values())
    assert "theme=" not in w.page.evaluate("() => location.hash")
    # A name nothing matches says so and highlights nothing.
    w.page.fill("#theme-find", "no such theme")
    w.page.press("#theme-find", "Enter")
    w.page.wait_for_selector("#status.error")
    assert "No theme drawn here matches" in (w.page.text_content("#status") or "")
    assert not any("found" in c for c in node_classes(w).values())
    w.assert_clean()


def test_a_found_theme_opens_from_the_address(
    watched_page: Watched, themes: list[dict[str, Any]]
) -> None:
    w = watched_page
    tid = str(themes[0]["id"])
    open_network(w, VIEWPORTS["desktop"], f"#network?theme={tid}")
    w.page.wait_for_selector(f"#network .node.found[data-id='{tid}']")
    assert w.page.input_value("#theme-find") == themes[0]["label"]
    w.page.wait_for_selector("#recurrence-title")
    # Picking another name from the suggestions moves the highlight at once.
    other = themes[1]
    w.page.fill("#theme-find", str(other["label"]))
    w.page.wait_for_selector(f"#network .node.found[data-id='{other['id']}']")
    assert f"theme={other['id']}" in w.page.evaluate("() => location.hash")
    # Clearing the box restores the view.
    w.page.fill("#theme-find", "")
    w.page.wait_for_function(
        "() => !document.querySelector('#network').classList.contains('focusing')"
    )
    w.assert_clean()


def test_labels_drawn_while_hidden_are_resized_when_shown(watched_page: Watched) -> None:
    """Opened on another view at tablet width, the network is drawn hidden (nothing to
    measure); showing it sizes its labels for the width it is drawn at."""
    w = watched_page
    w.page.set_viewport_size(VIEWPORTS["tablet"])
    w.page.goto(f"{w.base}/dashboard/#heatmap")
    w.page.wait_for_selector(READY, timeout=30_000)
    w.page.click("#tab-network")
    drawn: dict[str, Any] = w.page.evaluate(MEASURE)
    assert drawn["labels"] and min(lab["px"] for lab in drawn["labels"]) >= MIN_LABEL_PX
    w.assert_clean()
