/* scrgraph dashboard: hand-written, no framework, no build step, no requests off this origin.
 *
 * Every figure comes from POST /graphql. Charts are plain SVG drawn with presentation
 * attributes (not CSS classes), so an exported SVG or PNG looks exactly like the screen.
 */
"use strict";

(() => {
  const SVGNS = "http://www.w3.org/2000/svg";
  const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
  const GRAPHQL_URL = new URL("../graphql", window.location.href).pathname;
  const KEY_STORE = "scrgraph.apiKey";
  const TOP_THEMES = 15;
  const STEP_MS = 1400;

  // Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
  const CATEGORY = {
    practice: { label: "Practice", color: "#0072B2" },
    process: { label: "Review process", color: "#D55E00" },
    learning: { label: "Learning and training", color: "#009E73" },
    policy: { label: "Policy and systems", color: "#CC79A7" },
  };
  const RATING = {
    embedded: { label: "Embedded", color: "#1a7f37" },
    partially_embedded: { label: "Partially embedded", color: "#9a6700" },
    not_embedded: { label: "Not embedded", color: "#c62828" },
  };
  const VERDICT = {
    not_audited: { label: "Not audited", color: "#5f6b7a", why: "No audit has checked this recommendation's actions yet." },
    embedded: { label: "Embedded", color: "#1a7f37", why: "The latest audit found the change embedded in practice." },
    partially_embedded: { label: "Partially embedded", color: "#9a6700", why: "The latest audit found the change only partly embedded." },
    not_embedded: { label: "Not embedded", color: "#c62828", why: "The latest audit found the change not embedded in practice." },
    slipped_back: { label: "Slipped back", color: "#8e24aa", why: "An earlier audit found the change embedded; a later one did not." },
  };
  const AUDITOR = {
    board_qa: "Board quality assurance",
    single_agency: "Single-agency audit",
    ofsted: "Ofsted inspection",
    other_inspection: "Other inspection",
  };
  const REVIEW_TYPE = {
    scr: "Serious Case Review",
    lcspr: "Local Child Safeguarding Practice Review",
    thematic: "Thematic review",
    rapid: "Rapid review",
    national: "National review",
    child_practice_review: "Child Practice Review (Wales)",
    sar: "Safeguarding Adults Review",
    dhr: "Domestic Homicide Review",
    pfd: "Prevention of Future Deaths report",
  };
  const INK = "#1f2933";
  const MUTED = "#5f6b7a";
  const GRID = "#d8dee6";

  const state = {
    view: "network",
    key: "",
    themes: new Map(),
    boards: new Map(),
    domain: { from: 2000, to: 2030 },
    filters: { from: null, to: null, boards: [], category: "", minWeight: 6 },
    base: null, // the unfiltered network: its layout keeps every theme in one place
    net: null, // the network for the current filters
    netSeq: 0,
    step: null, // index into net.years while stepping through years, else null
    timer: null,
    theme: null, // the theme shown in the side panel
    find: null, // the theme found with "Find a theme": it and its links stay highlighted
    recurrence: null,
    heat: null,
    heatCell: null,
    heatReviews: null,
    trace: null,
    hits: null,
    synthetic: null,
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- GraphQL

  class ApiError extends Error {
    constructor(message, status = 0, code = null) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function gql(query, variables, { quiet = false } = {}) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (state.key) headers.Authorization = `Bearer ${state.key}`;
    let res;
    try {
      res = await fetch(GRAPHQL_URL, {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables: variables || {} }),
        credentials: "same-origin",
      });
    } catch (e) {
      throw new ApiError("The server cannot be reached. Check the connection and reload.");
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      throw new ApiError(`The server answered ${res.status} without a GraphQL response.`);
    }
    if (body && body.errors && body.errors.length) {
      const msg = body.errors.map((e) => e.message).join("; ");
      if (res.status === 401) throw new ApiError(`Access refused: ${msg}. Paste a valid key under Access.`, 401);
      if (!quiet) throw new ApiError(msg, res.status, (body.errors[0].extensions || {}).code || null);
      return null;
    }
    return body ? body.data : null;
  }

  async function allPages(field, fields, extra = "") {
    const out = [];
    let after = null;
    for (let i = 0; i < 50; i += 1) {
      const q = `query Page($after: String) { page: ${field}(first: 100, after: $after${extra}) {
        pageInfo { hasNextPage endCursor } edges { node { ${fields} } } } }`;
      const data = await gql(q, { after });
      for (const e of data.page.edges) out.push(e.node);
      if (!data.page.pageInfo.hasNextPage) break;
      after = data.page.pageInfo.endCursor;
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  function svgEl(tag, attrs, parent) {
    const el = document.createElementNS(SVGNS, tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
    if (parent) parent.appendChild(el);
    return el;
  }

  function svgText(parent, x, y, str, opts = {}) {
    const t = svgEl("text", {
      x, y,
      "font-size": opts.size || 12,
      "font-weight": opts.weight || null,
      "font-style": opts.italic ? "italic" : null,
      fill: opts.fill || INK,
      "text-anchor": opts.anchor || null,
      "dominant-baseline": opts.baseline || null,
      stroke: opts.halo ? "#ffffff" : null,
      "stroke-width": opts.halo ? 3.5 : null,
      "stroke-linejoin": opts.halo ? "round" : null,
      "paint-order": opts.halo ? "stroke" : null,
      class: opts.cls || null,
    }, parent);
    t.textContent = str;
    return t;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
        else if (k === "text") el.textContent = v;
        else el.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
    return el;
  }

  function textWidth(str, size, weight) {
    return str.length * size * (weight === "bold" || weight >= 600 ? 0.6 : 0.55);
  }

  function wrap(str, maxChars) {
    const words = String(str || "").split(/\s+/).filter(Boolean);
    const lines = [];
    let line = "";
    for (const w of words) {
      if (line && (line + " " + w).length > maxChars) {
        lines.push(line);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    if (line) lines.push(line);
    return lines;
  }

  function clip(str, n) {
    return str.length > n ? `${str.slice(0, n - 1).trimEnd()}…` : str;
  }

  const plural = (n, one, many) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many || `${one}s`}`;

  function themeLabel(id) {
    const t = state.themes.get(id);
    return t ? t.label : id.replace(/_/g, " ");
  }

  function boardName(key) {
    const b = state.boards.get(key);
    return b ? b.name : key;
  }

  function humanise(s) {
    return String(s || "").replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  }

  function fmtDate(iso) {
    if (!iso) return "";
    if (/^\d{4}$/.test(String(iso))) return String(iso);
    const d = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function setStatus(msg, isError = false) {
    const s = $("status");
    s.textContent = msg || "";
    s.classList.toggle("error", Boolean(isError));
  }

  function fail(e) {
    setStatus(e instanceof Error ? e.message : String(e), true);
    if (e instanceof ApiError && e.status === 401) {
      $("settings").open = true;
      $("api-key").focus();
    }
  }

  function yearsText(from, to) {
    return from === to ? String(from) : `${from}–${to}`;
  }

  // "2012–2019 · 3 boards · practice themes · 91 reviews" (the years replaced by one year's).
  function filterSummary(n, year = null) {
    const f = state.filters;
    const parts = [year === null ? yearsText(f.from, f.to) : `${year} only`];
    parts.push(f.boards.length === 0 ? "all boards" : f.boards.length === 1 ? boardName(f.boards[0]) : `${f.boards.length} boards`);
    parts.push(f.category ? CATEGORY[f.category].label.toLowerCase() + " themes" : "all themes");
    if (n) parts.push(plural(n.reviews, "review"));
    return parts.join(" · ");
  }

  // ---------------------------------------------------------------- tooltip

  const tip = () => $("tooltip");

  function showTip(lines, x, y) {
    const t = tip();
    clear(t);
    lines.forEach((l, i) => t.appendChild(h(i === 0 ? "strong" : "span", { text: l })));
    t.hidden = false;
    const pad = 14;
    const r = t.getBoundingClientRect();
    let left = x + pad;
    let top = y + pad;
    if (left + r.width > window.innerWidth - 8) left = x - r.width - pad;
    if (top + r.height > window.innerHeight - 8) top = y - r.height - pad;
    t.style.left = `${Math.max(4, left + window.scrollX)}px`;
    t.style.top = `${Math.max(4, top + window.scrollY)}px`;
  }

  function tipForElement(el, lines) {
    const r = el.getBoundingClientRect();
    showTip(lines, r.right, r.top);
  }

  function hideTip() {
    tip().hidden = true;
  }

  // ---------------------------------------------------------------- filters

  function readFilters() {
    const f = state.filters;
    let from = Number($("year-from").value);
    let to = Number($("year-to").value);
    if (from > to) {
      if (document.activeElement === $("year-to")) from = to;
      else to = from;
      $("year-from").value = String(from);
      $("year-to").value = String(to);
    }
    f.from = from;
    f.to = to;
    f.boards = chosenBoards();
    f.category = $("category").value;
    f.minWeight = Number($("min-weight").value);
    $("years-out").textContent = yearsText(from, to);
    $("min-weight-out").textContent = `≥ ${plural(f.minWeight, "shared review")}`;
    $("boards-hint").textContent = f.boards.length === 0 ? "all" : f.boards.length === 1 ? boardName(f.boards[0]) : `${f.boards.length} chosen`;
    writeHash();
  }

  let filterTimer = null;
  function onFilter(immediate) {
    readFilters();
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => loadNetwork().catch(fail), immediate ? 0 : 180);
  }

  function chosenBoards() {
    return Array.from($("boards").querySelectorAll("input[type=checkbox]:checked")).map((c) => c.value);
  }

  function fillBoards() {
    const box = $("boards");
    for (const el of [...box.children]) if (el.tagName !== "LEGEND") el.remove();
    const byRegion = new Map();
    for (const b of [...state.boards.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const r = b.region || "Other";
      if (!byRegion.has(r)) byRegion.set(r, []);
      byRegion.get(r).push(b);
    }
    for (const region of [...byRegion.keys()].sort()) {
      const group = h("div", { class: "region", "data-region": region.toLowerCase() }, h("p", { class: "region-name", text: region }));
      for (const b of byRegion.get(region)) {
        group.appendChild(h("label", { class: "board", "data-name": `${b.name} ${region}`.toLowerCase() },
          h("input", { type: "checkbox", value: b.key }), ` ${b.name}`));
      }
      box.appendChild(group);
    }
  }

  function findBoards() {
    const q = $("boards-find").value.trim().toLowerCase();
    for (const g of $("boards").querySelectorAll(".region")) {
      let any = false;
      for (const l of g.querySelectorAll(".board")) {
        const on = !q || l.dataset.name.includes(q);
        l.hidden = !on;
        any = any || on;
      }
      g.hidden = !any;
    }
  }

  // ---------------------------------------------------------------- network

  const NW = 1000;
  const NH = 640;
  const PLOT = { x0: 36, x1: 760, y0: 86, y1: 612 };

  // The second field gives the per-year slices with every link (a single year rarely has a
  // pair raised by several reviews), so stepping through the years still shows links.
  const NET_FIELDS = `yearFrom yearTo minWeight category boardKeys reviews communities
    nodes { key label category kind reviews weightedDegree betweenness community x y }
    edges { sourceKey targetKey weight }`;
  const NETWORK_Q = `query Network($yearFrom: Int, $yearTo: Int, $boards: [String!], $minWeight: Int, $category: ThemeCategory) {
    themeNetwork(yearFrom: $yearFrom, yearTo: $yearTo, boards: $boards, minWeight: $minWeight, category: $category) { ${NET_FIELDS} }
    perYear: themeNetwork(yearFrom: $yearFrom, yearTo: $yearTo, boards: $boards, minWeight: 1, category: $category) {
      slices { year reviews nodes { key reviews } edges { sourceKey targetKey weight } } } }`;

  // The typed network in the shape the drawing code reads (the query's own names); parts the
  // query did not select stay absent.
  function fromNetwork(n) {
    const edge = (e) => ({ source: e.sourceKey, target: e.targetKey, weight: e.weight });
    const out = { year_from: n.yearFrom, year_to: n.yearTo, min_weight: n.minWeight, category: n.category, boards: n.boardKeys, reviews: n.reviews, communities: n.communities };
    if (n.nodes) out.nodes = n.nodes.map((v) => ({ id: v.key, label: v.label, category: v.category, kind: v.kind, reviews: v.reviews, weighted_degree: v.weightedDegree, betweenness: v.betweenness, community: v.community, x: v.x, y: v.y }));
    if (n.edges) out.edges = n.edges.map(edge);
    if (n.slices) out.years = n.slices.map((sl) => ({ year: sl.year, reviews: sl.reviews, nodes: sl.nodes.map((v) => ({ id: v.key, reviews: v.reviews })), edges: sl.edges.map(edge) }));
    return out;
  }

  async function loadNetwork() {
    const f = state.filters;
    const seq = ++state.netSeq;
    setStatus("Loading the network…");
    const data = await gql(NETWORK_Q, {
      yearFrom: f.from,
      yearTo: f.to,
      boards: f.boards.length ? f.boards : null,
      minWeight: f.minWeight,
      category: f.category || null,
    });
    if (seq !== state.netSeq) return;
    state.net = { ...fromNetwork(data.themeNetwork), years: fromNetwork(data.perYear).years };
    if (state.step !== null && state.step >= state.net.years.length) state.step = null;
    setStatus("");
    renderNetwork();
    renderHeatmap();
    if (state.theme) loadRecurrence(state.theme).catch(fail);
    else renderNetworkPanel();
  }

  let layoutCache = null;

  // The server's seeded layout, fitted to the plot, with its crowded centre spread out
  // (r -> r^0.7 around the centroid) and overlaps pushed apart at the all-years sizes.
  // Both steps are deterministic and use only the unfiltered network, so every theme keeps
  // its place across loads and filters.
  function basePositions() {
    if (layoutCache && layoutCache.base === state.base) return layoutCache.pos;
    const src = state.base ? state.base.nodes : [];
    const pos = new Map();
    if (!src.length) return pos;
    const cx = src.reduce((a, n) => a + n.x, 0) / src.length;
    const cy = src.reduce((a, n) => a + n.y, 0) / src.length;
    const maxR = Math.max(1e-6, ...src.map((n) => Math.hypot(n.x - cx, n.y - cy)));
    const pts = src.map((n) => {
      const dx = n.x - cx;
      const dy = n.y - cy;
      const r = Math.hypot(dx, dy);
      const k = r > 0 ? (maxR * (r / maxR) ** 0.7) / r : 0;
      return { id: n.id, x: dx * k, y: dy * k, reviews: n.reviews };
    });
    const fit = () => {
      const xs = pts.map((p) => p.x);
      const ys = pts.map((p) => p.y);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const padX = 60;
      const padY = 34;
      return (p) => [
        PLOT.x0 + padX + ((p.x - x0) / (x1 - x0 || 1)) * (PLOT.x1 - PLOT.x0 - 2 * padX),
        PLOT.y0 + padY + ((p.y - y0) / (y1 - y0 || 1)) * (PLOT.y1 - PLOT.y0 - 2 * padY),
      ];
    };
    let place = fit();
    const maxReviews = Math.max(1, ...src.map((n) => n.reviews));
    const rad = (v) => 4 + 22 * Math.sqrt(v / maxReviews) + 5;
    const screen = pts.map((p) => { const [x, y] = place(p); return { id: p.id, x, y, r: rad(p.reviews) }; });
    for (let it = 0; it < 80; it += 1) {
      let moved = false;
      for (let i = 0; i < screen.length; i += 1) {
        for (let j = i + 1; j < screen.length; j += 1) {
          const a = screen[i];
          const b = screen[j];
          let dx = b.x - a.x;
          let dy = b.y - a.y;
          let d = Math.hypot(dx, dy);
          const need = a.r + b.r;
          if (d >= need) continue;
          if (d < 1e-6) { dx = 1; dy = 0; d = 1; }
          const push = (need - d) / 2;
          a.x -= (dx / d) * push; a.y -= (dy / d) * push;
          b.x += (dx / d) * push; b.y += (dy / d) * push;
          moved = true;
        }
      }
      for (const p of screen) {
        p.x = Math.min(PLOT.x1 - p.r, Math.max(PLOT.x0 + p.r, p.x));
        p.y = Math.min(PLOT.y1 - p.r, Math.max(PLOT.y0 + p.r, p.y));
      }
      if (!moved) break;
    }
    for (const p of screen) pos.set(p.id, [p.x, p.y]);
    layoutCache = { base: state.base, pos };
    return pos;
  }

  function currentSlice() {
    const net = state.net;
    if (!net || state.step === null) return null;
    return net.years[state.step] || null;
  }

  function networkScales() {
    const net = state.net;
    const slice = currentSlice();
    let maxReviews;
    let maxWeight;
    if (slice) {
      maxReviews = Math.max(1, ...net.years.flatMap((y) => y.nodes.map((n) => n.reviews)));
      maxWeight = Math.max(1, ...net.years.flatMap((y) => y.edges.map((e) => e.weight)));
    } else {
      maxReviews = Math.max(1, ...net.nodes.map((n) => n.reviews));
      maxWeight = Math.max(1, ...net.edges.map((e) => e.weight));
    }
    const radius = (v) => (v > 0 ? 4 + 22 * Math.sqrt(v / maxReviews) : 3);
    const width = (w) => 0.8 + 9 * (w / maxWeight);
    return { maxReviews, maxWeight, radius, width };
  }

  // Legend values: the maximum, about a third and a tenth of it, each to one significant digit.
  function niceSteps(max) {
    const sig1 = (v) => {
      if (v < 1) return 1;
      const mag = 10 ** Math.floor(Math.log10(v));
      return Math.max(1, Math.round(v / mag) * mag);
    };
    const top = Math.max(1, Math.floor(max / 10 ** Math.floor(Math.log10(Math.max(1, max)))) * 10 ** Math.floor(Math.log10(Math.max(1, max))));
    return [...new Set([sig1(max / 10), sig1(max / 3), top])].filter((v) => v <= max).sort((a, b) => a - b);
  }

  function renderNetwork() {
    const svg = $("network");
    const net = state.net;
    if (!net) return;
    hideTip();
    clear(svg);
    svg.setAttribute("viewBox", `0 0 ${NW} ${NH}`);
    svg.setAttribute("font-family", FONT);
    svgEl("rect", { x: 0, y: 0, width: NW, height: NH, fill: "#ffffff" }, svg);

    const slice = currentSlice();
    const pos = basePositions();
    const sc = networkScales();
    const counts = new Map();
    const nodeMeta = new Map(net.nodes.map((n) => [n.id, n]));
    if (slice) for (const n of slice.nodes) counts.set(n.id, n.reviews);
    else for (const n of net.nodes) counts.set(n.id, n.reviews);
    const edges = slice ? slice.edges : net.edges;
    const where = (id) => pos.get(id) || [PLOT.x0 + nodeMeta.get(id).x * (PLOT.x1 - PLOT.x0), PLOT.y0 + nodeMeta.get(id).y * (PLOT.y1 - PLOT.y0)];

    // Title and subtitle: the exported picture must say what it shows.
    const title = svgText(svg, 24, 34, "Theme recurrence network", { size: 22, weight: 700 });
    title.id = "network-title";
    const sub = slice
      ? filterSummary(slice, slice.year)
      : filterSummary(net);
    svgText(svg, 24, 58, sub, { size: 14, fill: MUTED });
    svgText(svg, 24, 76, slice
      ? "Circles: themes, sized by the reviews raising them that year (dashed: none). Lines: themes raised together that year."
      : `Circles: themes, sized by the reviews raising them. Lines: themes raised together by ${plural(net.min_weight, "review")} or more.`, { size: 12, fill: MUTED });

    if (!net.nodes.length) {
      svgText(svg, (PLOT.x0 + PLOT.x1) / 2, (PLOT.y0 + PLOT.y1) / 2, "No reviews match these filters.", { size: 16, fill: MUTED, anchor: "middle" });
      drawNetworkLegend(svg, sc);
      return;
    }

    const neighbours = new Map();
    const gEdges = svgEl("g", { class: "edges", "stroke-linecap": "round" }, svg);
    for (const e of [...edges].sort((a, b) => a.weight - b.weight)) {
      if (!nodeMeta.has(e.source) || !nodeMeta.has(e.target)) continue;
      const [x1, y1] = where(e.source);
      const [x2, y2] = where(e.target);
      const line = svgEl("line", {
        x1: x1.toFixed(1), y1: y1.toFixed(1), x2: x2.toFixed(1), y2: y2.toFixed(1),
        stroke: "#6b7a90",
        "stroke-opacity": (0.18 + 0.47 * (e.weight / sc.maxWeight)).toFixed(2),
        "stroke-width": sc.width(e.weight).toFixed(2),
        class: "edge",
        "data-source": e.source,
        "data-target": e.target,
        "data-weight": e.weight,
      }, gEdges);
      svgEl("title", null, line).textContent = `${themeLabel(e.source)} + ${themeLabel(e.target)}: ${plural(e.weight, "review")} raise both`;
      if (!neighbours.has(e.source)) neighbours.set(e.source, new Set());
      if (!neighbours.has(e.target)) neighbours.set(e.target, new Set());
      neighbours.get(e.source).add(e.target);
      neighbours.get(e.target).add(e.source);
    }

    // Nodes: biggest first in the tab order; small ones painted last so they stay visible.
    const order = [...net.nodes].sort((a, b) => (counts.get(b.id) || 0) - (counts.get(a.id) || 0) || a.label.localeCompare(b.label));
    const gNodes = svgEl("g", { class: "nodes" }, svg);
    const circles = [];
    for (const n of order) {
      const v = counts.get(n.id) || 0;
      const [x, y] = where(n.id);
      const r = sc.radius(v);
      const cat = CATEGORY[n.category] || { color: "#888", label: n.category };
      const g = svgEl("g", {
        class: `node${state.theme === n.id ? " selected" : ""}${v === 0 ? " absent" : ""}`,
        tabindex: 0,
        role: "button",
        "data-id": n.id,
        "data-reviews": v,
        "aria-label": `${n.label}: ${plural(v, "review")}${slice ? ` in ${slice.year}` : ""}, ${plural((neighbours.get(n.id) || new Set()).size, "linked theme")}; ${cat.label}. Press Enter for its recurrence by board and year.`,
      });
      svgEl("circle", {
        cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1),
        fill: v === 0 ? "#ffffff" : cat.color,
        "fill-opacity": v === 0 ? 1 : 0.9,
        stroke: v === 0 ? cat.color : "#ffffff",
        "stroke-width": v === 0 ? 1.2 : 1.5,
        "stroke-dasharray": v === 0 ? "2 2" : null,
      }, g);
      svgEl("circle", { class: "ring", cx: x.toFixed(1), cy: y.toFixed(1), r: (r + 4).toFixed(1), fill: "none", stroke: "none" }, g);
      svgEl("title", null, g).textContent = `${n.label}: ${plural(v, "review")}${slice ? ` in ${slice.year}` : ""}`;
      const tipLines = () => [
        n.label,
        `${cat.label}${n.kind === "barrier" ? " · barrier to learning" : n.kind === "enabler" ? " · enabler of learning" : ""}`,
        slice ? `${plural(v, "review")} in ${slice.year} (${plural(n.reviews, "review")} over ${yearsText(net.year_from, net.year_to)})` : `${plural(v, "review")} raise it`,
        `${plural((neighbours.get(n.id) || new Set()).size, "linked theme")} · ${plural(slice ? [...edges].filter((e) => e.source === n.id || e.target === n.id).reduce((s, e) => s + e.weight, 0) : n.weighted_degree, "shared review")}`,
        "Click or press Enter for recurrence",
      ];
      // Hovering or focusing a theme highlights it; leaving returns to the found theme, if any.
      const highlight = (on) => focusTheme(on ? n.id : state.find);
      g.addEventListener("mouseenter", (ev) => { highlight(true); showTip(tipLines(), ev.clientX, ev.clientY); });
      g.addEventListener("mousemove", (ev) => showTip(tipLines(), ev.clientX, ev.clientY));
      g.addEventListener("mouseleave", () => { highlight(false); hideTip(); });
      g.addEventListener("focus", () => { highlight(true); tipForElement(g, tipLines()); });
      g.addEventListener("blur", () => { highlight(false); hideTip(); });
      g.addEventListener("click", () => selectTheme(n.id));
      g.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectTheme(n.id); }
        if (ev.key === "Escape") { hideTip(); }
      });
      circles.push({ id: n.id, x, y, r, v });
      gNodes.appendChild(g);
    }
    // DOM order is paint order and tab order: biggest first, so small nodes sit on top.

    const gLabels = svgEl("g", { class: "labels", "pointer-events": "none" }, svg);
    placeLabels(gLabels, circles.filter((c) => c.v > 0), (id) => nodeMeta.get(id).label);
    drawNetworkLegend(svg, sc);
    fillThemeFinder(net.nodes);
    focusTheme(state.find);
  }

  // ---------------------------------------------------------------- find a theme

  // The drawn themes' names for the finder's suggestions (what the filters leave).
  function fillThemeFinder(nodes) {
    const list = $("theme-names");
    const names = [...nodes].map((n) => n.label).sort((a, b) => a.localeCompare(b));
    if (list.dataset.names === names.join("|")) return;
    clear(list);
    for (const name of names) list.appendChild(h("option", { value: name }));
    list.dataset.names = names.join("|");
  }

  // Highlight one theme, its links and its linked themes, dimming the rest; null restores the view.
  function focusTheme(id) {
    const svg = $("network");
    const drawn = id !== null && Boolean(svg.querySelector(`.node[data-id="${CSS.escape(id)}"]`));
    svg.classList.toggle("focusing", drawn);
    const near = new Set(drawn ? [id] : []);
    for (const e of svg.querySelectorAll(".edge")) {
      const on = drawn && (e.dataset.source === id || e.dataset.target === id);
      e.classList.toggle("near", on);
      if (on) { near.add(e.dataset.source); near.add(e.dataset.target); }
    }
    for (const el of svg.querySelectorAll(".node, .label, .leader")) {
      el.classList.toggle("near", near.has(el.dataset.id));
      el.classList.toggle("found", drawn && state.find === id && el.dataset.id === id);
    }
    return drawn ? near.size - 1 : null;
  }

  // The theme a finder's text names: its exact name (any case) or key, else the one theme
  // whose name contains the text (the largest when `loose` and several do).
  function resolveTheme(text, loose) {
    const q = text.trim().toLowerCase();
    if (!q || !state.net) return null;
    const nodes = state.net.nodes;
    const exact = nodes.find((n) => n.label.toLowerCase() === q || n.id === q);
    if (exact) return exact.id;
    const some = nodes.filter((n) => n.label.toLowerCase().includes(q)).sort((a, b) => b.reviews - a.reviews);
    return some.length === 1 || (loose && some.length) ? some[0].id : null;
  }

  function setFind(id) {
    const say = $("theme-find-state");
    state.find = id;
    const links = focusTheme(id);
    if (id === null) {
      say.textContent = "No theme highlighted.";
      if (state.theme) { state.theme = null; state.recurrence = null; renderNetwork(); renderNetworkPanel(); }
    } else {
      const n = state.net.nodes.find((m) => m.id === id);
      say.textContent = links === null || !n
        ? `${themeLabel(id)} is not drawn with these filters.`
        : `${themeLabel(id)} highlighted: ${plural(n.reviews, "review")}, ${plural(links, "linked theme")}.`;
      $("theme-find").value = themeLabel(id);
      selectTheme(id);
    }
    writeHash();
  }

  function bindFinder() {
    const input = $("theme-find");
    input.addEventListener("input", () => {
      if (!input.value.trim()) { if (state.find !== null) setFind(null); return; }
      // A suggestion picked from the list (or a full name typed) highlights at once.
      const q = input.value.trim().toLowerCase();
      const id = resolveTheme(input.value, false);
      if (id && themeLabel(id).toLowerCase() === q && id !== state.find) setFind(id);
    });
    $("find-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (!input.value.trim()) { setFind(null); return; }
      const id = resolveTheme(input.value, true);
      if (id) setFind(id);
      else setStatus(`No theme drawn here matches “${input.value.trim()}”.`, true);
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && input.value) { ev.preventDefault(); input.value = ""; setFind(null); }
    });
  }

  // Text widths measured with the font the SVG uses (a canvas works while the view is hidden,
  // where SVG measuring gives zero), so label boxes match what is drawn.
  let measureCtx = null;
  function measure(str, size, weight = 400) {
    if (!measureCtx) measureCtx = document.createElement("canvas").getContext("2d");
    if (!measureCtx) return textWidth(str, size, weight);
    measureCtx.font = `${weight} ${size}px ${FONT}`;
    return measureCtx.measureText(str).width;
  }

  // One line if it fits `maxW`, else the two-line split whose longer line is shortest.
  // Never cut: a long name is wrapped, and the full name is always in the tooltip and panel.
  function labelLines(str, size, weight, maxW) {
    if (measure(str, size, weight) <= maxW) return [str];
    const words = str.split(/\s+/);
    let best = [str];
    let bestW = Infinity;
    for (let i = 1; i < words.length; i += 1) {
      const lines = [words.slice(0, i).join(" "), words.slice(i).join(" ")];
      const w = Math.max(...lines.map((l) => measure(l, size, weight)));
      if (w < bestW) { best = lines; bestW = w; }
    }
    return best;
  }

  let labelsDrawnFor = 0; // the on-screen width the labels were sized for (0: hidden)

  // Redraw when the chart's drawn width has changed since its labels were sized.
  function relabelIfResized() {
    const w = Math.round($("network").getBoundingClientRect().width);
    if (state.net && state.view === "network" && w > 0 && Math.abs(w - labelsDrawnFor) > 20) renderNetwork();
  }

  const LABEL_AREA = { x0: 4, x1: 772, y0: PLOT.y0 - 4, y1: NH - 6 };
  const LABEL_ANGLES = [0, 180, -90, 90, -30, 30, -150, 150, -60, 60, -120, 120, -15, 15, -165, 165];
  const LABEL_GAPS = [4, 12, 22, 34, 48, 64, 84];

  // Every drawn theme gets a label, biggest first. Each label tries spots around its circle,
  // nearest first: beside, above, below, then diagonals, then further out (with a leader
  // line back to the circle). A spot must lie inside the plot and overlap no placed label
  // (nor the legend or footnote); the first pass also keeps clear of other circles, later
  // passes allow small then any circles, and a last pass searches the whole plot for the
  // nearest free place. Labels move; none is dropped or cut.
  function placeLabels(parent, circles, labelOf, obstacles = []) {
    const placed = [...obstacles];
    const hit = (a, b) => a.x0 < b.x1 && a.x1 > b.x0 && a.y0 < b.y1 && a.y1 > b.y0;
    const overlaps = (b) => placed.some((p) => hit(b, p));
    const inside = (b) => b.x0 >= LABEL_AREA.x0 && b.x1 <= LABEL_AREA.x1 && b.y0 >= LABEL_AREA.y0 && b.y1 <= LABEL_AREA.y1;
    const hitsCircle = (b, self, minR) => circles.some((c) => c.id !== self && c.r > minR &&
      c.x + c.r > b.x0 && c.x - c.r < b.x1 && c.y + c.r > b.y0 && c.y - c.r < b.y1 &&
      Math.hypot(Math.max(b.x0 - c.x, 0, c.x - b.x1), Math.max(b.y0 - c.y, 0, c.y - b.y1)) < c.r);
    // Drawn smaller than about 0.85 of its size (a tablet), the labels grow to stay readable.
    const shown = parent.ownerSVGElement ? parent.ownerSVGElement.getBoundingClientRect().width : 0;
    labelsDrawnFor = Math.round(shown);
    const k = shown > 0 ? Math.min(1.3, Math.max(1, (0.85 * NW) / shown)) : 1;
    const sorted = [...circles].sort((a, b) => b.v - a.v || a.id.localeCompare(b.id));
    for (const [i, c] of sorted.entries()) {
      const major = i < 8;
      const size = Math.round((major ? 13 : 12) * k * 10) / 10;
      const weight = major ? 700 : 500;
      const full = labelOf(c.id);
      const lines = labelLines(full, size, weight, (major ? 190 : 150) * k);
      const lh = Math.round(size * 1.15);
      const w = Math.max(...lines.map((l) => measure(l, size, weight))) + 2;
      const hh = size * 1.2 + lh * (lines.length - 1);
      // A box of w x hh whose side faces the circle at angle `deg`, `gap` beyond its edge.
      const spot = (deg, gap) => {
        const a = (deg * Math.PI) / 180;
        const cos = Math.cos(a);
        const sin = Math.sin(a);
        const ax = c.x + (c.r + gap) * cos;
        const ay = c.y + (c.r + gap) * sin;
        const x0 = cos > 0.3 ? ax : cos < -0.3 ? ax - w : ax - w / 2;
        const y0 = sin > 0.3 ? ay : sin < -0.3 ? ay - hh : ay - hh / 2;
        return { gap, b: { x0, x1: x0 + w, y0, y1: y0 + hh } };
      };
      const ring = (minR) => {
        for (const gap of LABEL_GAPS) {
          const k = LABEL_ANGLES.map((deg) => spot(deg, gap)).find((s) => inside(s.b) && !overlaps(s.b) && (minR === Infinity || !hitsCircle(s.b, c.id, minR)));
          if (k) return k;
        }
        return null;
      };
      // Anywhere free within `reach` of the circle, nearest first (drawn with a leader line).
      const nearest = (reach, clearOfCircles) => {
        let best = null;
        let bestD = reach;
        for (let y0 = Math.max(LABEL_AREA.y0, c.y - reach - hh); y0 + hh <= Math.min(LABEL_AREA.y1, c.y + reach + hh); y0 += 4) {
          for (let x0 = Math.max(LABEL_AREA.x0, c.x - reach - w); x0 + w <= Math.min(LABEL_AREA.x1, c.x + reach + w); x0 += 5) {
            const b = { x0, x1: x0 + w, y0, y1: y0 + hh };
            const d = Math.hypot(Math.max(b.x0 - c.x, 0, c.x - b.x1), Math.max(b.y0 - c.y, 0, c.y - b.y1)) - c.r;
            if (d < 2 || d >= bestD || overlaps(b) || (clearOfCircles && hitsCircle(b, c.id, 0))) continue;
            bestD = d;
            best = { gap: d, b };
          }
        }
        return best;
      };
      let pick = ring(0) || nearest(150, true) || ring(16) || ring(Infinity) || nearest(2000, false);
      if (!pick) pick = spot(0, 4); // a plot too full for any free place: overlap rather than drop
      placed.push(pick.b);
      const b = pick.b;
      if (pick.gap > 10) {
        // Leader line from the circle's edge to the nearest point of the label's box.
        const nx = Math.max(b.x0, Math.min(c.x, b.x1));
        const ny = Math.max(b.y0, Math.min(c.y, b.y1));
        const d = Math.hypot(nx - c.x, ny - c.y) || 1;
        svgEl("line", {
          x1: (c.x + ((nx - c.x) / d) * c.r).toFixed(1), y1: (c.y + ((ny - c.y) / d) * c.r).toFixed(1),
          x2: nx.toFixed(1), y2: ny.toFixed(1), stroke: "#3d4756", "stroke-width": 1, "stroke-dasharray": "2 2",
          class: "leader", "data-id": c.id,
        }, parent);
      }
      const t = svgText(parent, (b.x0 + 1).toFixed(1), (b.y0 + size * 0.95).toFixed(1), "", { size, weight, halo: true, fill: INK });
      lines.forEach((line, k) => {
        svgEl("tspan", { x: (b.x0 + 1).toFixed(1), dy: k === 0 ? null : lh }, t).textContent = line;
      });
      t.dataset.id = c.id;
      t.setAttribute("class", "label");
      t.setAttribute("data-full", full);
    }
  }

  // The legend's box is sized to what it holds (its footnote wrapped to the box's width), so
  // nothing in it is clipped; the synthetic-data note sits under it, clear of the plot.
  function drawNetworkLegend(svg, sc) {
    const x = 790;
    const top = 84;
    const innerW = NW - x - 16;
    let y = 110;
    const g = svgEl("g", { class: "legend" }, svg);
    const box = svgEl("rect", { x: x - 14, y: top, width: NW - x + 4, height: 10, fill: "#f7f9fb", stroke: GRID, rx: 6 }, g);
    svgText(g, x, y, "Theme category", { size: 13, weight: 700 });
    y += 10;
    for (const [key, c] of Object.entries(CATEGORY)) {
      y += 22;
      const off = state.filters.category && state.filters.category !== key;
      svgEl("circle", { cx: x + 8, cy: y - 4, r: 7, fill: c.color, "fill-opacity": off ? 0.25 : 0.9 }, g);
      svgText(g, x + 22, y, c.label, { size: 12.5, fill: off ? MUTED : INK });
    }
    y += 40;
    svgText(g, x, y, state.step === null ? "Reviews raising it" : "Reviews that year", { size: 13, weight: 700 });
    const steps = niceSteps(sc.maxReviews);
    y += 12;
    for (const v of steps) {
      const r = sc.radius(v);
      y += Math.max(2 * r, 14) + 6;
      svgEl("circle", { cx: x + 30, cy: y - r, r, fill: "#c9d2dd", stroke: "#8795a8" }, g);
      svgText(g, x + 66, y - r + 4, plural(v, "review"), { size: 12 });
    }
    y += 34;
    svgText(g, x, y, "Reviews raising both", { size: 13, weight: 700 });
    y += 8;
    for (const w of niceSteps(sc.maxWeight)) {
      y += 22;
      svgEl("line", { x1: x, y1: y - 4, x2: x + 50, y2: y - 4, stroke: "#6b7a90", "stroke-width": sc.width(w), "stroke-opacity": 0.22 + 0.5 * (w / sc.maxWeight), "stroke-linecap": "round" }, g);
      svgText(g, x + 66, y, String(w), { size: 12 });
    }
    y += 30;
    const foot = svgText(g, x, y, "", { size: 11, fill: MUTED, cls: "legend-foot" });
    const lines = wrapMeasured("Positions: the server's seeded force layout of all reviews, so every theme keeps its place.", 11, 400, innerW);
    lines.forEach((line, k) => { svgEl("tspan", { x, dy: k === 0 ? null : 14 }, foot).textContent = line; });
    y += 14 * (lines.length - 1) + 12;
    box.setAttribute("height", String(y - top));
    if (state.synthetic) {
      const note = svgText(svg, NW - 12, NH - 24, "", { size: 11, fill: "#8a4b00", anchor: "end", weight: 600, cls: "synthetic-note" });
      wrapMeasured("Synthetic data: every board, agency and child is invented.", 11, 600, NW - x).forEach((line, k) => {
        svgEl("tspan", { x: NW - 12, dy: k === 0 ? null : 14 }, note).textContent = line;
      });
    }
  }

  // Words into lines no wider than `maxW` at this font size and weight.
  function wrapMeasured(str, size, weight, maxW) {
    const lines = [];
    let line = "";
    for (const word of str.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (line && measure(next, size, weight) > maxW) { lines.push(line); line = word; } else line = next;
    }
    if (line) lines.push(line);
    return lines;
  }

  // ---------------------------------------------------------------- step through years

  function stepTo(i) {
    const net = state.net;
    if (!net || !net.years.length) return;
    state.step = Math.max(0, Math.min(net.years.length - 1, i));
    renderNetwork();
    updateStepUi();
  }

  function stepAll() {
    stopPlay();
    state.step = null;
    renderNetwork();
    updateStepUi();
  }

  function stopPlay() {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
    $("step-play").setAttribute("aria-pressed", "false");
    $("step-play").textContent = "▶ Play years";
  }

  function togglePlay() {
    if (state.timer) { stopPlay(); updateStepUi(); return; }
    const net = state.net;
    if (!net || !net.years.length) return;
    if (state.step === null || state.step >= net.years.length - 1) stepTo(0);
    $("step-play").setAttribute("aria-pressed", "true");
    $("step-play").textContent = "❚❚ Pause";
    state.timer = setInterval(() => {
      if (state.step >= state.net.years.length - 1) { stopPlay(); updateStepUi(); return; }
      stepTo(state.step + 1);
    }, STEP_MS);
  }

  function updateStepUi() {
    const slice = currentSlice();
    $("step-state").textContent = slice
      ? `Showing ${slice.year} (${plural(slice.reviews, "review")})${state.timer ? " · playing" : ""}`
      : `Showing all years ${state.net ? yearsText(state.net.year_from, state.net.year_to) : ""} together`;
    $("step-all").disabled = state.step === null;
  }

  // ---------------------------------------------------------------- network side panel

  function renderNetworkPanel() {
    const p = $("network-panel");
    clear(p);
    const net = state.net;
    if (!net) return;
    p.appendChild(h("h2", { text: "At a glance" }));
    p.appendChild(h("dl", { class: "stats" },
      h("div", null, h("dt", { text: "Reviews" }), h("dd", { text: net.reviews.toLocaleString("en-GB") })),
      h("div", null, h("dt", { text: "Themes" }), h("dd", { text: String(net.nodes.length) })),
      h("div", null, h("dt", { text: `Links (≥ ${plural(net.min_weight, "review")})` }), h("dd", { text: String(net.edges.length) })),
      h("div", null, h("dt", { text: "Clusters" }), h("dd", { text: String(net.communities) })),
    ));
    p.appendChild(h("h3", { text: "Most raised themes" }));
    const list = h("ol", { class: "top-list" });
    for (const n of [...net.nodes].sort((a, b) => b.reviews - a.reviews).slice(0, 8)) {
      list.appendChild(h("li", null, h("button", { type: "button", class: "link", onclick: () => selectTheme(n.id) },
        h("span", { class: "swatch", "data-cat": n.category }), `${n.label} `, h("span", { class: "num", text: `(${n.reviews})` }))));
    }
    p.appendChild(list);
    p.appendChild(h("p", { class: "hint", text: "Choose a theme (click it, or Tab to it and press Enter) to see where and when it recurs." }));
  }

  function selectTheme(id) {
    state.theme = id;
    for (const g of $("network").querySelectorAll(".node")) g.classList.toggle("selected", g.dataset.id === id);
    loadRecurrence(id).catch(fail);
  }

  const RECURRENCE_Q = `query Recurrence($theme: String!, $yearFrom: Int, $yearTo: Int, $boards: [String!]) {
    themeRecurrence(theme: $theme, yearFrom: $yearFrom, yearTo: $yearTo, boards: $boards) {
      theme { label category kind } year_from: yearFrom year_to: yearTo
      reviews recommendations boards first_seen: firstSeen last_seen: lastSeen trend
      by_year: perYear { year reviews recommendations }
      by_board: perBoard { board_name: boardName reviews recommendations first_year: firstYear last_year: lastYear }
      recurrence_after_closure: afterClosure { board_id: boardKey closed_year: closedYear review_year: reviewYear recommendation_id: recommendationKey } } }`;

  async function loadRecurrence(id) {
    const f = state.filters;
    setStatus(`Loading the recurrence of ${themeLabel(id)}…`);
    const data = await gql(RECURRENCE_Q, { theme: id, yearFrom: f.from, yearTo: f.to, boards: f.boards.length ? f.boards : null });
    if (state.theme !== id) return;
    state.recurrence = data.themeRecurrence;
    setStatus("");
    renderRecurrence();
  }

  function renderRecurrence() {
    const p = $("network-panel");
    clear(p);
    const r = state.recurrence;
    if (!r) {
      p.appendChild(h("p", { text: "This theme is not visible to you." }));
      return;
    }
    const cat = CATEGORY[r.theme.category] || { label: r.theme.category };
    p.appendChild(h("div", { class: "panel-head" },
      h("h2", { id: "recurrence-title" }, h("span", { class: "swatch", "data-cat": r.theme.category }), r.theme.label),
      h("button", { type: "button", class: "link", onclick: () => { state.theme = null; state.recurrence = null; renderNetwork(); renderNetworkPanel(); } , text: "Close" })));
    const kind = { barrier: "a barrier to learning", enabler: "an enabler of learning" }[r.theme.kind];
    p.appendChild(h("p", { class: "hint", text: `${cat.label}${kind ? `, ${kind}` : ""} · ${yearsText(r.year_from, r.year_to)}` }));
    const trendWord = r.trend > 0.05 ? "rising" : r.trend < -0.05 ? "falling" : "steady";
    p.appendChild(h("dl", { class: "stats" },
      h("div", null, h("dt", { text: "Reviews" }), h("dd", { text: String(r.reviews) })),
      h("div", null, h("dt", { text: "Recommendations" }), h("dd", { text: String(r.recommendations) })),
      h("div", null, h("dt", { text: "Boards" }), h("dd", { text: String(r.boards) })),
      h("div", null, h("dt", { text: "Seen" }), h("dd", { text: r.first_seen ? yearsText(r.first_seen, r.last_seen) : "—" })),
      h("div", null, h("dt", { text: "Trend" }), h("dd", { title: `${r.trend >= 0 ? "+" : ""}${r.trend} reviews a year (least-squares slope)` }, trendWord, h("span", { class: "unit", text: ` ${r.trend >= 0 ? "+" : "−"}${Math.abs(r.trend).toFixed(2)}/yr` }))),
      h("div", null, h("dt", { text: "Came back after closure" }), h("dd", { text: String(r.recurrence_after_closure.length) })),
    ));
    p.appendChild(h("h3", { text: "Reviews by year" }));
    p.appendChild(yearBars(r.by_year));
    p.appendChild(h("h3", { text: "By board" }));
    const rows = r.by_board.filter((b) => b.reviews > 0);
    const table = h("table", { class: "mini" },
      h("thead", null, h("tr", null, h("th", { scope: "col", text: "Board" }), h("th", { scope: "col", class: "num", text: "Reviews" }), h("th", { scope: "col", class: "num", text: "Recs" }), h("th", { scope: "col", text: "Years" }))),
      h("tbody", null, rows.slice(0, 8).map((b) => h("tr", null,
        h("td", { text: b.board_name }), h("td", { class: "num", text: String(b.reviews) }), h("td", { class: "num", text: String(b.recommendations) }),
        h("td", { class: "years-cell", text: b.first_year ? yearsText(b.first_year, b.last_year) : "" })))));
    p.appendChild(table);
    if (rows.length > 8) p.appendChild(h("p", { class: "hint", text: `and ${plural(rows.length - 8, "more board")}.` }));
    const events = r.recurrence_after_closure;
    if (events.length) {
      p.appendChild(h("h3", { text: "Came back after closure" }));
      p.appendChild(h("p", { class: "hint", text: "A recommendation on this theme was closed as acted on (or audited as embedded), then a later review in the same board raised the theme again." }));
      const ul = h("ul", { class: "events" });
      for (const e of events.slice(0, 5)) {
        ul.appendChild(h("li", null,
          `${boardName(e.board_id)}: closed ${e.closed_year}, back in ${e.review_year}. `,
          h("button", { type: "button", class: "link", onclick: () => openTrace(e.recommendation_id), text: `Trace ${e.recommendation_id}` })));
      }
      p.appendChild(ul);
      if (events.length > 5) p.appendChild(h("p", { class: "hint", text: `and ${plural(events.length - 5, "more event")}.` }));
    }
  }

  function yearBars(byYear) {
    const W = 300;
    const H = 96;
    const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "font-family": FONT, class: "bars" });
    const max = Math.max(1, ...byYear.map((d) => d.reviews));
    const bw = (W - 20) / Math.max(1, byYear.length);
    svgEl("title", null, svg).textContent = `Reviews per year: ${byYear.map((d) => `${d.year}: ${d.reviews}`).join(", ")}`;
    byYear.forEach((d, i) => {
      const bh = (d.reviews / max) * (H - 30);
      const rect = svgEl("rect", { x: 10 + i * bw + 1, y: H - 18 - bh, width: Math.max(1, bw - 2), height: bh, fill: "#3b6ea8", rx: 1 }, svg);
      svgEl("title", null, rect).textContent = `${d.year}: ${plural(d.reviews, "review")}, ${plural(d.recommendations, "recommendation")}`;
    });
    svgEl("line", { x1: 10, x2: W - 10, y1: H - 18, y2: H - 18, stroke: GRID }, svg);
    if (byYear.length) {
      svgText(svg, 10, H - 4, String(byYear[0].year), { size: 11, fill: MUTED });
      svgText(svg, W - 10, H - 4, String(byYear[byYear.length - 1].year), { size: 11, fill: MUTED, anchor: "end" });
      svgText(svg, W - 10, 10, `max ${max}`, { size: 11, fill: MUTED, anchor: "end" });
    }
    return svg;
  }

  // ---------------------------------------------------------------- heat map

  const HW = 1000;
  const HM = { left: 280, top: 104, right: 70, cellH: 28 };

  function heatData() {
    const net = state.net;
    if (!net) return null;
    const rows = [...net.nodes].sort((a, b) => b.reviews - a.reviews || a.label.localeCompare(b.label)).slice(0, TOP_THEMES);
    const years = net.years.map((y) => y.year);
    const byYear = new Map(net.years.map((y) => [y.year, new Map(y.nodes.map((n) => [n.id, n.reviews]))]));
    const cells = rows.map((r) => years.map((y) => byYear.get(y).get(r.id) || 0));
    const max = Math.max(1, ...cells.flat());
    return { rows, years, cells, max, reviewsPerYear: net.years.map((y) => y.reviews) };
  }

  function heatColour(t) {
    // light grey-blue -> mid blue -> deep navy (monotone in lightness)
    const stops = [[241, 245, 250], [158, 202, 225], [49, 130, 189], [8, 48, 107]];
    if (t <= 0) return "#f8fafc";
    const s = Math.min(0.9999, t) * (stops.length - 1);
    const i = Math.floor(s);
    const f = s - i;
    const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  function renderHeatmap() {
    const svg = $("heatmap");
    const d = heatData();
    state.heat = d;
    if (!d) return;
    clear(svg);
    const n = d.years.length;
    const cellW = Math.max(18, (HW - HM.left - HM.right) / Math.max(1, n));
    const H = HM.top + d.rows.length * HM.cellH + 124;
    svg.setAttribute("viewBox", `0 0 ${HW} ${H}`);
    svg.setAttribute("font-family", FONT);
    svgEl("rect", { x: 0, y: 0, width: HW, height: H, fill: "#ffffff" }, svg);
    const t = svgText(svg, 24, 34, `Top ${d.rows.length} themes by year`, { size: 22, weight: 700 });
    t.id = "heatmap-title";
    svgText(svg, 24, 58, filterSummary(state.net), { size: 14, fill: MUTED });
    svgText(svg, 24, 76, "Each cell: the number of reviews published that year that raise the theme.", { size: 12, fill: MUTED });
    if (!d.rows.length) {
      svgText(svg, HW / 2, HM.top + 40, "No reviews match these filters.", { size: 16, fill: MUTED, anchor: "middle" });
      return;
    }
    const showEvery = cellW < 30 ? 2 : 1;
    d.years.forEach((y, j) => {
      if (j % showEvery) return;
      svgText(svg, HM.left + j * cellW + cellW / 2, HM.top - 8, String(y), { size: 11.5, fill: MUTED, anchor: "middle" });
    });
    svgText(svg, HW - HM.right + 34, HM.top - 8, "Total", { size: 11.5, fill: MUTED, anchor: "middle", weight: 700 });
    const sel = state.heatCell;
    let focusable = sel ? `${sel.theme}|${sel.year}` : `${d.rows[0].id}|${d.years[0]}`;
    d.rows.forEach((row, i) => {
      const y = HM.top + i * HM.cellH;
      const gRow = svgEl("g", { role: "row" }, svg);
      const cat = CATEGORY[row.category] || { color: "#888" };
      svgEl("rect", { x: 24, y: y + 9, width: 10, height: 10, fill: cat.color, rx: 2 }, gRow);
      const lbl = svgText(gRow, 42, y + HM.cellH / 2 + 4.5, clip(row.label, 32), { size: 13, fill: INK });
      lbl.setAttribute("role", "rowheader");
      svgEl("title", null, lbl).textContent = row.label;
      d.years.forEach((yr, j) => {
        const v = d.cells[i][j];
        const tval = v / d.max;
        const x = HM.left + j * cellW;
        const key = `${row.id}|${yr}`;
        const g = svgEl("g", {
          class: `cell${sel && sel.theme === row.id && sel.year === yr ? " selected" : ""}`,
          role: "gridcell",
          tabindex: key === focusable ? 0 : -1,
          "data-theme": row.id,
          "data-year": yr,
          "data-row": i,
          "data-col": j,
          "data-reviews": v,
          "aria-label": `${row.label}, ${yr}: ${plural(v, "review")}`,
        }, gRow);
        svgEl("rect", { x: x + 1, y: y + 1, width: cellW - 2, height: HM.cellH - 2, fill: heatColour(tval), rx: 2 }, g);
        svgEl("rect", { class: "ring", x: x + 1, y: y + 1, width: cellW - 2, height: HM.cellH - 2, fill: "none", stroke: "none", rx: 2 }, g);
        if (v > 0) svgText(g, x + cellW / 2, y + HM.cellH / 2 + 4.5, String(v), { size: 12, anchor: "middle", fill: tval > 0.45 ? "#ffffff" : INK, weight: 600 });
        svgEl("title", null, g).textContent = `${row.label}, ${yr}: ${plural(v, "review")}`;
        g.addEventListener("click", () => chooseCell(row.id, yr, g));
        g.addEventListener("keydown", (ev) => heatKey(ev, i, j));
        g.addEventListener("mouseenter", (ev) => showTip([row.label, `${yr}: ${plural(v, "review")}`, "Click to list the reviews"], ev.clientX, ev.clientY));
        g.addEventListener("mousemove", (ev) => showTip([row.label, `${yr}: ${plural(v, "review")}`, "Click to list the reviews"], ev.clientX, ev.clientY));
        g.addEventListener("mouseleave", hideTip);
        g.addEventListener("blur", hideTip);
        g.addEventListener("focus", () => tipForElement(g, [row.label, `${yr}: ${plural(v, "review")}`, "Enter to list the reviews; arrows to move"]));
      });
      const total = d.cells[i].reduce((a, b) => a + b, 0);
      svgText(gRow, HW - HM.right + 34, y + HM.cellH / 2 + 4.5, String(total), { size: 12.5, anchor: "middle", weight: 700 });
    });
    // Reviews per year (all themes), so a board can read counts against volume.
    const yTot = HM.top + d.rows.length * HM.cellH + 18;
    svgText(svg, HM.left - 10, yTot + 4, "All reviews that year", { size: 12, fill: MUTED, anchor: "end" });
    d.years.forEach((yr, j) => svgText(svg, HM.left + j * cellW + cellW / 2, yTot + 4, String(d.reviewsPerYear[j]), { size: 11.5, fill: MUTED, anchor: "middle" }));
    // Colour key.
    const ky = yTot + 30;
    svgText(svg, 24, ky + 12, "Reviews in the cell", { size: 12, weight: 700 });
    const steps = 6;
    for (let s = 0; s < steps; s += 1) {
      const v = Math.round((d.max * s) / (steps - 1));
      svgEl("rect", { x: 160 + s * 52, y: ky, width: 50, height: 16, fill: heatColour(v / d.max), stroke: GRID }, svg);
      svgText(svg, 160 + s * 52 + 25, ky + 30, String(v), { size: 11, anchor: "middle", fill: MUTED });
    }
    let kx = 160;
    const cy = ky + 56;
    svgText(svg, 24, cy + 10, "Theme category", { size: 12, weight: 700 });
    for (const cat of Object.values(CATEGORY)) {
      svgEl("rect", { x: kx, y: cy, width: 10, height: 10, fill: cat.color, rx: 2 }, svg);
      svgText(svg, kx + 15, cy + 10, cat.label, { size: 11.5 });
      kx += 40 + textWidth(cat.label, 11.5);
    }
    if (state.synthetic) svgText(svg, HW - 12, ky + 12, "Synthetic data: every board, agency and child is invented.", { size: 11, fill: "#8a4b00", anchor: "end", weight: 600 });
  }

  function heatKey(ev, i, j) {
    const d = state.heat;
    let [ni, nj] = [i, j];
    switch (ev.key) {
      case "ArrowRight": nj = Math.min(d.years.length - 1, j + 1); break;
      case "ArrowLeft": nj = Math.max(0, j - 1); break;
      case "ArrowDown": ni = Math.min(d.rows.length - 1, i + 1); break;
      case "ArrowUp": ni = Math.max(0, i - 1); break;
      case "Home": nj = 0; break;
      case "End": nj = d.years.length - 1; break;
      case "Enter":
      case " ":
        ev.preventDefault();
        chooseCell(d.rows[i].id, d.years[j], ev.currentTarget);
        return;
      default: return;
    }
    ev.preventDefault();
    const next = $("heatmap").querySelector(`.cell[data-row="${ni}"][data-col="${nj}"]`);
    if (next) {
      for (const c of $("heatmap").querySelectorAll(".cell[tabindex='0']")) c.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    }
  }

  const CELL_Q = `query CellReviews($filter: ReviewFilter, $after: String) {
    reviews(first: 100, after: $after, filter: $filter, sort: YEAR) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { key title year reviewType method status pseudonym ageBand summary boardKey board { name } } } } }`;

  async function chooseCell(theme, year, el) {
    state.heatCell = { theme, year };
    for (const c of $("heatmap").querySelectorAll(".cell")) {
      const on = c.dataset.theme === theme && Number(c.dataset.year) === year;
      c.classList.toggle("selected", on);
      c.setAttribute("tabindex", on ? "0" : "-1");
    }
    if (el) el.focus();
    const f = state.filters;
    const filter = { theme, yearFrom: year, yearTo: year };
    if (f.boards.length === 1) filter.board = f.boards[0];
    setStatus(`Loading reviews on ${themeLabel(theme)} in ${year}…`);
    const out = [];
    let after = null;
    let total = 0;
    for (let i = 0; i < 20; i += 1) {
      const data = await gql(CELL_Q, { filter, after });
      total = data.reviews.totalCount;
      out.push(...data.reviews.edges.map((e) => e.node));
      if (!data.reviews.pageInfo.hasNextPage) break;
      after = data.reviews.pageInfo.endCursor;
    }
    if (!state.heatCell || state.heatCell.theme !== theme || state.heatCell.year !== year) return;
    const chosen = new Set(f.boards);
    state.heatReviews = f.boards.length > 1 ? out.filter((r) => chosen.has(r.boardKey)) : out;
    setStatus("");
    renderHeatPanel(total);
  }

  function renderHeatPanel() {
    const p = $("heatmap-panel");
    clear(p);
    const c = state.heatCell;
    if (!c) {
      p.appendChild(h("h2", { text: "Reviews behind a cell" }));
      p.appendChild(h("p", { class: "hint", text: "Choose a cell of the heat map to list the reviews it counts. Arrow keys move between cells; Enter or Space chooses one." }));
      return;
    }
    const list = state.heatReviews || [];
    p.appendChild(h("div", { class: "panel-head" },
      h("h2", null, h("span", { class: "swatch", "data-cat": (state.themes.get(c.theme) || {}).category }), `${themeLabel(c.theme)}, ${c.year}`)));
    p.appendChild(h("p", { class: "hint", text: `${plural(list.length, "review")} published in ${c.year} raise this theme.` }));
    const ol = h("ol", { class: "reviews" });
    for (const r of list) {
      ol.appendChild(h("li", null,
        h("strong", { text: r.title }),
        h("span", { class: "meta", text: `${r.board ? r.board.name : boardName(r.boardKey)} · ${REVIEW_TYPE[r.reviewType] || humanise(r.reviewType)}${r.method ? ` · ${r.method} method` : ""}${r.status !== "published" ? ` · ${r.status}` : ""}` }),
        r.summary ? h("span", { class: "summary", text: r.summary }) : null,
        h("span", { class: "meta", text: r.key })));
    }
    p.appendChild(ol);
    p.appendChild(h("button", { type: "button", class: "link", onclick: () => { showView("network"); selectTheme(c.theme); }, text: `See how ${themeLabel(c.theme)} recurs →` }));
  }

  // ---------------------------------------------------------------- trace

  // The typed trace, with aliases giving the names the timeline code reads.
  const TRACE_Q = `query Trace($id: String!) { traceRecommendation(id: $id) {
    recommendation { id: key number text status level location year }
    citation verdict
    review { id: key title year incident_year: incidentYear summary document review_type: reviewType method }
    board { id: key name }
    agencies { id: key name }
    themes { key }
    actions { action { id: key description status due_date: dueDate completed_date: completedDate }
      owner { id: key name }
      audits { id: key date auditor method finding evidence rating } verdict }
    laterReviews { review { id: key title year } board { key } themes { key } } } }`;

  // The typed trace in the shape the timeline reads: themes as keys, actions flat, later
  // reviews with their board key.
  function fromTrace(t) {
    return {
      ...t,
      themes: t.themes.map((th) => th.key),
      actions: t.actions.map((a) => ({ ...a.action, owner: a.owner, audits: a.audits, verdict: a.verdict })),
      later_reviews: t.laterReviews.map((lr) => ({ ...lr.review, board_id: lr.board ? lr.board.key : null, themes: lr.themes.map((th) => th.key) })),
    };
  }

  // A trace, or null when the id is unknown or hidden from this viewer (the API answers both
  // with the same NOT_FOUND error); any other error is thrown.
  async function traceOrNull(id) {
    try {
      return fromTrace((await gql(TRACE_Q, { id })).traceRecommendation);
    } catch (e) {
      if (e instanceof ApiError && e.code === "NOT_FOUND") return null;
      throw e;
    }
  }
  const SEARCH_Q = `query Find($text: String!) { search(text: $text, kinds: [recommendation], limit: 25) {
    total hits { id: key year board_id: boardKey text highlights { fragment spans { start end } } } } }`;

  // The typed hits in the shape the hit list reads: spans as [start, end] pairs.
  function fromSearch(r) {
    return { ...r, hits: r.hits.map((hit) => ({ ...hit, highlights: hit.highlights.map((hl) => ({ ...hl, spans: hl.spans.map((sp) => [sp.start, sp.end]) })) })) };
  }

  function looksLikeId(q) {
    return /^[A-Za-z0-9]+(-[A-Za-z0-9]+)+$/.test(q) && /\d/.test(q);
  }

  async function findRecommendation(q) {
    q = q.trim();
    if (!q) return;
    setStatus("Searching…");
    if (looksLikeId(q)) {
      const trace = await traceOrNull(q);
      if (trace) {
        state.hits = null;
        renderHits();
        showTrace(trace);
        setStatus("");
        return;
      }
    }
    const data = await gql(SEARCH_Q, { text: q });
    state.hits = fromSearch(data.search);
    setStatus("");
    renderHits();
    if (state.hits.hits.length === 1) openTrace(state.hits.hits[0].id);
  }

  function markText(fragment, spans) {
    const out = [];
    let at = 0;
    for (const [s, e] of spans || []) {
      if (s > at) out.push(fragment.slice(at, s));
      out.push(h("mark", { text: fragment.slice(s, e) }));
      at = e;
    }
    if (at < fragment.length) out.push(fragment.slice(at));
    return out;
  }

  function renderHits() {
    const ol = $("trace-hits");
    clear(ol);
    const r = state.hits;
    $("trace-count").textContent = r ? (r.total ? `${plural(r.total, "recommendation")} match${r.total === 1 ? "es" : ""}${r.total > r.hits.length ? `; the best ${r.hits.length} are listed` : ""}.` : "No recommendation matches every word. Try fewer words.") : "";
    if (!r) return;
    for (const hit of r.hits) {
      const hl = (hit.highlights || [])[0];
      const current = state.trace && state.trace.recommendation.id === hit.id;
      ol.appendChild(h("li", null, h("button", { type: "button", class: "hit", "aria-current": current ? "true" : null, onclick: () => openTrace(hit.id) },
        h("span", { class: "meta", text: `${hit.id} · ${hit.year || ""} · ${boardName(hit.board_id)}` }),
        h("span", { class: "frag" }, hl ? markText(hl.fragment, hl.spans) : hit.text))));
    }
  }

  async function openTrace(id) {
    if (state.view !== "trace") showView("trace");
    setStatus(`Loading ${id}…`);
    const trace = await traceOrNull(id);
    setStatus("");
    if (!trace) {
      state.trace = null;
      renderTrace();
      setStatus(`Recommendation ${id} was not found, or is not visible to you.`, true);
      return;
    }
    showTrace(trace);
  }

  function showTrace(t) {
    state.trace = t;
    $("trace-q").value = $("trace-q").value || t.recommendation.id;
    writeHash();
    renderHits();
    renderTrace();
    loadSiblings(t).catch(fail);
  }

  const SIBLINGS_Q = `query Siblings($id: ID!) { node(id: $id) { ... on Review {
    recommendations(first: 100, sort: NUMBER) { totalCount edges { node { key number text status } } } } } }`;

  async function loadSiblings(t) {
    const box = $("trace-siblings");
    const data = await gql(SIBLINGS_Q, { id: `Review:${t.review.id}` });
    if (state.trace !== t) return;
    clear(box);
    const conn = data.node && data.node.recommendations;
    if (!conn || !conn.edges.length) return;
    box.appendChild(h("h2", { text: `All ${plural(conn.totalCount, "recommendation")} of this review` }));
    const ol = h("ol", { class: "hits" });
    const byNumber = (a, b) => (Number(a.number) || 0) - (Number(b.number) || 0) || a.key.localeCompare(b.key);
    for (const r of conn.edges.map((e) => e.node).sort(byNumber)) {
      const current = r.key === t.recommendation.id;
      ol.appendChild(h("li", null, h("button", { type: "button", class: "hit", "aria-current": current ? "true" : null, onclick: () => openTrace(r.key) },
        h("span", { class: "meta", text: `No. ${r.number} · ${humanise(r.status)}` }),
        h("span", { class: "frag", text: clip(r.text, 140) }))));
    }
    box.appendChild(ol);
  }

  function traceEvents(t) {
    const ev = [];
    const rv = t.review;
    ev.push({
      sort: `${rv.year}-00`, date: String(rv.year), iso: String(rv.year), kind: "review", color: "#1f4e8c",
      title: `Review published by ${t.board ? t.board.name : "the board"}`,
      lines: [`${rv.title}${rv.incident_year ? ` (incident ${rv.incident_year})` : ""}. ${rv.summary || ""}`],
      badges: [],
    });
    const rec = t.recommendation;
    ev.push({
      sort: `${rv.year}-01`, date: String(rec.year || rv.year), iso: String(rec.year || rv.year), kind: "recommendation", color: "#1f4e8c",
      title: `Recommendation ${rec.number} made`,
      lines: [`Addressed to ${t.agencies.length ? t.agencies.map((a) => a.name).join(", ") : "the board"}. Status now: ${humanise(rec.status)}.`],
      badges: [],
    });
    t.actions.forEach((a, i) => {
      const label = t.actions.length > 1 ? `Action ${i + 1}` : "Action";
      const owner = a.owner ? a.owner.name : "no owner recorded";
      const when = a.completed_date || a.due_date || `${rv.year}`;
      const done = a.completed_date ? `Completed ${fmtDate(a.completed_date)}${a.due_date ? `; due ${fmtDate(a.due_date)}` : ""}.` : a.due_date ? `Due ${fmtDate(a.due_date)}.` : "No due date.";
      ev.push({
        sort: `${when}-a${i}`, date: fmtDate(when), iso: String(when), kind: "action", color: "#4b5563",
        title: `${label} ${humanise(a.status).toLowerCase()}: ${owner}`,
        lines: [`${a.description.replace(/\.?$/, ".")} ${done}`],
        badges: [],
      });
      for (const au of a.audits) {
        const rt = RATING[au.rating] || { label: humanise(au.rating), color: MUTED };
        ev.push({
          sort: `${au.date}-b${i}`, date: fmtDate(au.date), iso: String(au.date), kind: "audit", color: rt.color,
          title: `${AUDITOR[au.auditor] || humanise(au.auditor)}${t.actions.length > 1 ? ` of action ${i + 1}` : ""}${au.method ? `: ${au.method}` : ""}`,
          lines: [`${au.finding || ""}${au.evidence ? ` Evidence: ${au.evidence}` : ""}`],
          badges: [{ text: rt.label, color: rt.color }],
        });
      }
    });
    for (const lr of t.later_reviews) {
      ev.push({
        sort: `${lr.year}-99-${lr.id}`, date: String(lr.year), iso: String(lr.year), kind: "later", color: "#b45309",
        title: `Theme came back: ${lr.title}`,
        lines: [`${boardName(lr.board_id)} published a review raising ${lr.themes.map(themeLabel).join(", ")} again.`],
        badges: [{ text: "Recurred", color: "#b45309" }],
      });
    }
    ev.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
    return ev;
  }

  const TW = 1000;

  function renderTrace() {
    const svg = $("trace");
    const summary = $("trace-summary");
    clear(svg);
    clear(summary);
    const t = state.trace;
    if (!t) {
      svg.setAttribute("viewBox", `0 0 ${TW} 10`);
      svg.classList.add("empty");
      summary.appendChild(h("p", { class: "hint", text: "Search for a recommendation by its words (for example “information sharing”) or paste its id. Its whole life appears here: the review, what was done, what the audits found and whether the theme came back." }));
      return;
    }
    svg.classList.remove("empty");
    svg.setAttribute("font-family", FONT);
    const rec = t.recommendation;
    const verdict = VERDICT[t.verdict] || { label: humanise(t.verdict), color: MUTED, why: "" };
    const g = svgEl("g", null, svg);
    let y = 34;
    // The title must stay clear of the verdict badge (about 720 units of width).
    const full = `Recommendation ${rec.number} of “${t.review.title}”`;
    const tsize = full.length <= 55 ? 22 : 18;
    const ttl = svgText(g, 24, y, clip(full, tsize === 22 ? 55 : 68), { size: tsize, weight: 700 });
    ttl.id = "trace-title";
    y += 24;
    svgText(g, 24, y, `${t.board ? t.board.name : ""} · published ${t.review.year} · ${REVIEW_TYPE[t.review.review_type] || humanise(t.review.review_type)}${t.review.method ? `, ${t.review.method} method` : ""} · ${rec.id}`, { size: 13.5, fill: MUTED });
    // Verdict badge, top right.
    const vb = svgEl("g", { class: "verdict", "data-verdict": t.verdict }, g);
    svgEl("rect", { x: TW - 244, y: 14, width: 220, height: 56, rx: 8, fill: verdict.color }, vb);
    svgText(vb, TW - 134, 34, "IMPACT VERDICT", { size: 11, weight: 700, fill: "#ffffff", anchor: "middle" });
    svgText(vb, TW - 134, 58, verdict.label, { size: 20, weight: 700, fill: "#ffffff", anchor: "middle" });
    y += 30;
    const quote = wrap(`“${rec.text}”`, 110);
    for (const line of quote) { svgText(g, 24, y, line, { size: 15, italic: true }); y += 21; }
    y += 4;
    const facts = [
      ["Verdict", verdict.why],
      ["Themes", t.themes.map(themeLabel).join(", ") || "none tagged"],
      ["Addressed to", t.agencies.map((a) => a.name).join(", ") || "the board"],
      ["Status", `${humanise(rec.status)}${rec.level ? ` · ${humanise(rec.level).toLowerCase()} level` : ""}`],
      ["Source", `${t.review.document || "review"}${rec.location ? `, ${rec.location}` : ""}`],
    ];
    for (const [k, v] of facts) {
      const lines = wrap(v, 118);
      svgText(g, 24, y, k, { size: 12.5, weight: 700, fill: MUTED });
      for (const line of lines) { svgText(g, 130, y, line, { size: 12.5, fill: k === "Verdict" ? verdict.color : INK, weight: k === "Verdict" ? 700 : null }); y += 17; }
      y += 2;
    }
    y += 14;
    svgEl("line", { x1: 24, x2: TW - 24, y1: y, y2: y, stroke: GRID }, g);
    y += 28;
    svgText(g, 24, y, "Timeline", { size: 16, weight: 700 });
    y += 22;
    const events = traceEvents(t);
    const lineX = 150;
    const top = y - 6;
    const gEv = svgEl("g", { class: "events" }, g);
    for (const e of events) {
      const eg = svgEl("g", { class: `event event-${e.kind}`, "data-kind": e.kind }, gEv);
      svgText(eg, lineX - 18, y + 5, e.date, { size: 12.5, anchor: "end", fill: MUTED, weight: 600 });
      svgEl("circle", { cx: lineX, cy: y, r: e.kind === "audit" ? 8 : 6, fill: e.color, stroke: "#ffffff", "stroke-width": 2 }, eg);
      let x = lineX + 20;
      for (const b of e.badges) {
        const bw = b.text.length * 11.5 * 0.64 + 20;
        svgEl("rect", { x, y: y - 10, width: bw, height: 20, rx: 10, fill: b.color }, eg);
        svgText(eg, x + bw / 2, y + 4.5, b.text, { size: 11.5, weight: 700, fill: "#ffffff", anchor: "middle" });
        x += bw + 8;
      }
      svgText(eg, x, y + 5, clip(e.title, 100 - Math.round((x - lineX) / 7)), { size: 13.5, weight: 700 });
      y += 20;
      for (const line of e.lines.flatMap((l) => wrap(l, 118)).slice(0, 3)) {
        svgText(eg, lineX + 20, y + 4, line, { size: 12.5, fill: "#3d4752" });
        y += 17;
      }
      y += 14;
    }
    gEv.insertBefore(svgEl("line", { x1: lineX, x2: lineX, y1: top, y2: y - 24, stroke: GRID, "stroke-width": 3 }), gEv.firstChild);
    if (!t.later_reviews.length) {
      svgText(g, lineX + 20, y + 2, "No later review in this board (or its successor) has raised these themes again.", { size: 12.5, fill: MUTED, italic: true });
      y += 24;
    }
    if (state.synthetic) { y += 6; svgText(g, TW - 12, y, "Synthetic data: every board, agency and child is invented.", { size: 11, fill: "#8a4b00", anchor: "end", weight: 600 }); }
    y += 16;
    svg.insertBefore(svgEl("rect", { x: 0, y: 0, width: TW, height: y, fill: "#ffffff" }), svg.firstChild);
    svg.setAttribute("viewBox", `0 0 ${TW} ${y}`);
  }

  // ---------------------------------------------------------------- export

  function currentSvg() {
    return $({ network: "network", heatmap: "heatmap", trace: "trace" }[state.view]);
  }

  function fileStem() {
    const f = state.filters;
    if (state.view === "trace") return `scrgraph-trace-${state.trace ? state.trace.recommendation.id : "empty"}`;
    const slice = state.view === "network" ? currentSlice() : null;
    return `scrgraph-${state.view === "network" ? "theme-network" : "themes-by-year"}-${slice ? slice.year : `${f.from}-${f.to}`}`;
  }

  function serialiseSvg() {
    const svg = currentSvg();
    const clone = svg.cloneNode(true);
    const vb = (svg.getAttribute("viewBox") || "0 0 1000 600").split(/\s+/).map(Number);
    clone.setAttribute("xmlns", SVGNS);
    clone.setAttribute("width", String(vb[2]));
    clone.setAttribute("height", String(vb[3]));
    clone.removeAttribute("class");
    for (const el of clone.querySelectorAll("[tabindex]")) el.removeAttribute("tabindex");
    for (const el of clone.querySelectorAll(".near, .selected")) el.classList.remove("near");
    return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`, width: vb[2], height: vb[3] };
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 2000);
  }

  function nothingToExport() {
    if (state.view === "trace" && !state.trace) {
      setStatus("Nothing to export yet: choose a recommendation first.", true);
      return true;
    }
    return false;
  }

  function exportSvg() {
    if (nothingToExport()) return;
    const { text } = serialiseSvg();
    download(new Blob([text], { type: "image/svg+xml" }), `${fileStem()}.svg`);
  }

  function exportPng() {
    if (nothingToExport()) return;
    const { text, width, height } = serialiseSvg();
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    const img = new Image();
    img.onload = () => {
      const scale = 2;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? download(blob, `${fileStem()}.png`) : fail("The PNG could not be made.")), "image/png");
    };
    img.onerror = () => { URL.revokeObjectURL(url); fail("The drawing could not be turned into a PNG."); };
    img.src = url;
  }

  function csvCell(v) {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
  }

  function toCsv(rows) {
    return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }

  function csvRows() {
    if (state.view === "network") {
      const net = state.net;
      const slice = currentSlice();
      const counts = new Map((slice ? slice.nodes : net.nodes).map((n) => [n.id, n.reviews]));
      const rows = [["type", "theme", "label", "category", "kind", "reviews", "other_theme", "other_label", "shared_reviews", "weighted_degree", "betweenness", "community", "x", "y", "years", "boards"]];
      const yrs = slice ? String(slice.year) : yearsText(net.year_from, net.year_to);
      const boards = state.filters.boards.join(" ");
      for (const n of net.nodes) rows.push(["theme", n.id, n.label, n.category, n.kind, counts.get(n.id) || 0, "", "", "", n.weighted_degree, n.betweenness, n.community, n.x, n.y, yrs, boards]);
      for (const e of slice ? slice.edges : net.edges) rows.push(["link", e.source, themeLabel(e.source), "", "", "", e.target, themeLabel(e.target), e.weight, "", "", "", "", "", yrs, boards]);
      return rows;
    }
    if (state.view === "heatmap") {
      const d = state.heat;
      const rows = [["theme", "label", "category", ...d.years.map(String), "total"]];
      d.rows.forEach((r, i) => rows.push([r.id, r.label, r.category, ...d.cells[i], d.cells[i].reduce((a, b) => a + b, 0)]));
      rows.push(["", "all reviews that year", "", ...d.reviewsPerYear, d.reviewsPerYear.reduce((a, b) => a + b, 0)]);
      return rows;
    }
    const t = state.trace;
    const rows = [["recommendation", "date", "event", "title", "detail", "badge"]];
    if (!t) return rows;
    const id = t.recommendation.id;
    for (const e of traceEvents(t)) rows.push([id, e.iso, e.kind, e.title, e.lines.join(" "), e.badges.map((b) => b.text).join(" ")]);
    const v = VERDICT[t.verdict];
    rows.push([id, "", "verdict", v ? v.label : t.verdict, v ? v.why : "", t.verdict]);
    return rows;
  }

  function exportCsv() {
    if (nothingToExport()) return;
    download(new Blob([`\ufeff${toCsv(csvRows())}`], { type: "text/csv;charset=utf-8" }), `${fileStem()}.csv`);
  }

  // ---------------------------------------------------------------- views, hash, key

  function showView(view) {
    state.view = view;
    for (const tab of document.querySelectorAll("[role=tab]")) {
      const on = tab.dataset.view === view;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
    }
    for (const v of ["network", "heatmap", "trace"]) $(`view-${v}`).hidden = v !== view;
    $("filters").hidden = view === "trace";
    $("min-weight").disabled = view === "heatmap";
    $("min-weight").closest(".field").classList.toggle("off", view === "heatmap");
    if (view !== "network") stopPlay();
    hideTip();
    if (view === "heatmap") renderHeatPanel();
    if (view === "network") relabelIfResized(); // drawn while hidden: labels not yet sized
    if (view === "trace" && !state.trace) renderTrace();
    writeHash();
  }

  function writeHash() {
    const f = state.filters;
    const p = new URLSearchParams();
    if (state.view === "trace" && state.trace) p.set("rec", state.trace.recommendation.id);
    if (state.view === "network" && state.find) p.set("theme", state.find);
    if (state.view !== "trace" && f.from !== null) {
      if (f.from !== state.domain.from || f.to !== state.domain.to) p.set("years", `${f.from}-${f.to}`);
      if (f.boards.length) p.set("boards", f.boards.join(","));
      if (f.category) p.set("category", f.category);
      if (f.minWeight !== 6) p.set("min", String(f.minWeight));
    }
    const q = p.toString();
    const hash = `#${state.view}${q ? `?${q}` : ""}`;
    if (window.location.hash !== hash) history.replaceState(null, "", hash);
  }

  function readHash() {
    const raw = window.location.hash.replace(/^#/, "");
    const [view, q] = raw.split("?");
    const p = new URLSearchParams(q || "");
    return { view: ["network", "heatmap", "trace"].includes(view) ? view : "network", p };
  }

  function updateKeyState() {
    $("key-state").textContent = state.key ? "A key is set for this tab: you see what its role may see." : "No key: you see published reviews only.";
    $("settings").classList.toggle("has-key", Boolean(state.key));
  }

  // After a key change: answers still in flight were asked with the old key; drop them.
  async function reloadAll() {
    state.netSeq += 1;
    setStatus("");
    if (!state.themes.size || !state.net) { await bootstrap(); return; }
    await loadBase();
    layoutCache = null;
    await loadNetwork();
    if (state.trace) await openTrace(state.trace.recommendation.id);
  }

  function bindUi() {
    for (const tab of document.querySelectorAll("[role=tab]")) {
      tab.addEventListener("click", () => showView(tab.dataset.view));
      tab.addEventListener("keydown", (ev) => {
        const tabs = [...document.querySelectorAll("[role=tab]")];
        const i = tabs.indexOf(tab);
        let j = null;
        if (ev.key === "ArrowRight") j = (i + 1) % tabs.length;
        if (ev.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
        if (j === null) return;
        ev.preventDefault();
        tabs[j].focus();
        showView(tabs[j].dataset.view);
      });
    }
    $("year-from").addEventListener("input", () => onFilter(false));
    $("year-to").addEventListener("input", () => onFilter(false));
    $("boards").addEventListener("change", () => onFilter(false));
    $("boards-find").addEventListener("input", findBoards);
    $("boards-clear").addEventListener("click", () => { for (const c of $("boards").querySelectorAll("input:checked")) c.checked = false; onFilter(true); });
    $("boards-pick").addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && $("boards-pick").open) { ev.stopPropagation(); $("boards-pick").open = false; $("boards-pick").querySelector("summary").focus(); }
    });
    $("category").addEventListener("change", () => onFilter(true));
    $("min-weight").addEventListener("input", () => onFilter(false));
    $("step-prev").addEventListener("click", () => { stopPlay(); stepTo(state.step === null ? state.net.years.length - 1 : state.step - 1); });
    $("step-next").addEventListener("click", () => { stopPlay(); stepTo(state.step === null ? 0 : state.step + 1); });
    $("step-play").addEventListener("click", togglePlay);
    $("step-all").addEventListener("click", stepAll);
    $("export-png").addEventListener("click", exportPng);
    $("export-svg").addEventListener("click", exportSvg);
    $("export-csv").addEventListener("click", exportCsv);
    $("brief-form").addEventListener("submit", (ev) => { ev.preventDefault(); openBriefing(); });
    $("trace-form").addEventListener("submit", (ev) => { ev.preventDefault(); findRecommendation($("trace-q").value).catch(fail); });
    $("key-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      state.key = $("api-key").value.trim();
      if (state.key) sessionStorage.setItem(KEY_STORE, state.key); else sessionStorage.removeItem(KEY_STORE);
      $("api-key").value = "";
      updateKeyState();
      reloadAll().catch(fail);
    });
    $("key-clear").addEventListener("click", () => {
      state.key = "";
      sessionStorage.removeItem(KEY_STORE);
      $("api-key").value = "";
      updateKeyState();
      reloadAll().catch(fail);
    });
    document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") hideTip(); });
    // Labels are sized for the drawn width (see placeLabels): redraw when it changes.
    let resizeTimer = null;
    window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(relabelIfResized, 150); });
    window.addEventListener("scroll", hideTip, { passive: true });
  }

  const BASE_Q = `query Base { base: themeNetwork { ${NET_FIELDS} } }`;

  async function loadBase() {
    const data = await gql(BASE_Q);
    state.base = fromNetwork(data.base);
    const b = state.base;
    $("corpus-line").textContent = `Child-safeguarding case reviews, England · ${plural(b.reviews, "review")}${b.year_from ? `, ${yearsText(b.year_from, b.year_to)}` : ""}`;
  }

  // The API says whether the loaded corpus is synthetic (`corpus`, from the latest load run):
  // the header then says "Synthetic data" and every exported picture carries the same footnote.
  async function loadAbout() {
    const data = await gql("query About { corpus { synthetic loadedAt } }", null, { quiet: true }).catch(() => null);
    const c = data && data.corpus;
    state.synthetic = c ? Boolean(c.synthetic) : null;
    $("synthetic").hidden = !state.synthetic;
    if (c && c.loadedAt) $("corpus-line").title = `Loaded ${c.loadedAt}`;
  }

  // A briefing for one audience, for the years and boards chosen in the filters: the app's
  // /briefing page (the same content as the API's `briefing` field).
  async function openBriefing() {
    const f = state.filters || {};
    const params = new URLSearchParams({ audience: $("brief-audience").value });
    if (f.from) params.set("from", String(f.from));
    if (f.to) params.set("to", String(f.to));
    if (f.boards && f.boards.length) params.set("boards", f.boards.join(","));
    const url = `/briefing?${params}`;
    if (!state.key) {
      // Public: a real page, printable from the browser.
      window.open(url, "_blank");
      $("brief-state").textContent = "Opened in a new tab.";
      return;
    }
    // With a key the page must be fetched with it, then saved.
    $("brief-state").textContent = "Writing the briefing…";
    try {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${state.key}` } });
      if (!res.ok) throw new Error((await res.text()).trim());
      const a = document.createElement("a");
      a.href = URL.createObjectURL(await res.blob());
      a.download = `briefing-${params.get("audience")}.html`;
      a.click();
      $("brief-state").textContent = "Saved; open the file to read or print it.";
    } catch (err) {
      $("brief-state").textContent = `Could not write the briefing: ${err.message || err}`;
    }
  }

  async function init() {
    state.key = sessionStorage.getItem(KEY_STORE) || "";
    updateKeyState();
    bindUi();
    bindFinder();
    await bootstrap();
  }

  // Everything the page needs from the API before it can draw; rerun after a key change.
  async function bootstrap() {
    setStatus("Loading…");
    const [themes, boards] = await Promise.all([
      allPages("themes", "key label category kind"),
      allPages("boards", "key name kind region", ", sort: NAME"),
      loadBase(),
      loadAbout(),
    ]);
    for (const t of themes) state.themes.set(t.key, t);
    for (const b of boards) state.boards.set(b.key, b);
    fillBoards();
    const from = state.base.year_from ?? new Date().getFullYear();
    const to = state.base.year_to ?? from;
    state.domain = { from, to };
    for (const id of ["year-from", "year-to"]) { $(id).min = String(from); $(id).max = String(to); }
    const maxW = Math.max(2, ...state.base.edges.map((e) => e.weight));
    $("min-weight").max = String(Math.min(60, maxW));
    // Filters and view from the address, so a view can be bookmarked or shared.
    const { view, p } = readHash();
    const ys = (p.get("years") || "").match(/^(\d{4})-(\d{4})$/);
    $("year-from").value = String(ys ? Math.max(from, Number(ys[1])) : from);
    $("year-to").value = String(ys ? Math.min(to, Number(ys[2])) : to);
    const chosen = new Set((p.get("boards") || "").split(",").filter(Boolean));
    for (const c of $("boards").querySelectorAll("input[type=checkbox]")) c.checked = chosen.has(c.value);
    if (CATEGORY[p.get("category")]) $("category").value = p.get("category");
    if (p.get("min")) $("min-weight").value = p.get("min");
    state.find = state.themes.has(p.get("theme")) ? p.get("theme") : null;
    readFilters();
    showView(view);
    await loadNetwork();
    if (state.find) setFind(state.find);
    updateStepUi();
    renderHeatPanel();
    if (view === "trace" && p.get("rec")) await openTrace(p.get("rec"));
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    init().catch((e) => { fail(e); document.body.dataset.ready = "error"; });
  });
})();
