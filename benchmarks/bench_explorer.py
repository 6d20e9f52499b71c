"""network.html in headless Chromium: time to draw, to answer a click and to apply a filter, beside bare vis-network.

Run by hand (needs playwright and Debian's chromium, as the browser tests do):

    python benchmarks/bench_explorer.py [--sizes 2000:20000,20000:40000] [--reps 3]

Each size is OUTLETS:EDGES. The graphs are shaped like citation graphs: every outlet cites or is cited;
planted communities of 50 to 400 outlets cite mostly inside their own; a heavy-tailed popularity makes a
few outlets cited by very many; outlet kinds and countries; edge weights from 1 up (most edges are one or
two articles), counts per citation kind, dates, and one to three evidence items an edge; then
``add_metrics`` gives the nodes what a real build gives them (PageRank, HITS, betweenness, communities...).
The layout is computed once per graph in Python (``citegraph.render.layout``, method "auto", what
``network_html`` does by default above ``physics_max_nodes``), outside the timed part, and the page is
rendered with ``network_html``'s defaults, every outlet drawn (no top-k), physics off.

For each size and each of --reps fresh pages (a new browser context each time), in Chromium driven by
playwright (/usr/bin/chromium, the arguments of tests/conftest.py, viewport 1200x800):

- drawn: from ``page.goto(file://...)`` until ``window.citegraph.ready`` (vis-network's first
  "afterDrawing");
- click: as soon as it is drawn, a real mouse click on a much-cited outlet (its place from
  ``network.canvasToDOM(network.getPositions())``) until the side panel is open; "interactive" is goto
  until that panel is open;
- frame while dragging: the view dragged by the mouse over bare canvas (12 steps of 17 px), then a
  middling outlet among the most cited dragged the same way; the median time vis-network takes to draw
  one of the frames drawn meanwhile, from its "initRedraw" to its "afterDrawing" (milliseconds);
- filter: the minimum-weight input set to 2 through the page's own form, until ``window.citegraph.shown``
  has changed, and until the next frame is drawn;
- baseline: the same nodes and edges, at the same positions with the same sizes and colours, drawn by a
  bare vis-network page (the standalone build inlined from the pyvis package, no citegraph script,
  physics off, straight edges with arrow heads, as ours draws them), from goto to its first
  "afterDrawing". Ours draws the edges itself on vis-network's canvas; the baseline is what vis-network
  alone makes of the same picture. Reps of the two pages alternate.

It prints the machine's load average before and after, Chromium's version, each page's size, the layout
and render times, a Markdown table (median and min over the reps) and the targets: 2,000 outlets drawn
and interactive within 2 s, 20,000 outlets drawn within 8 s. Every request that is not file: or data: is
aborted, as in the tests, and any attempt is reported. Pages are written to a temporary folder, removed
at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # the same as tests/conftest.py
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1200, "height": 800}
TARGETS = {2000: ("drawn and interactive", 2.0), 20000: ("drawn", 8.0)}

KIND_SHARES = {"news": 60, "magazine": 8, "broadcaster": 8, "wire": 1, "think_tank": 5, "state_media": 3,
               "platform": 5, "government": 4, "academic": 4, "other": 2}
COUNTRIES = ("us", "gb", "fr", "de", "in", "br", "ng", "jp", "au", "ca", "es", "it", "mx", "za", "ar")
WORDS = ("Daily", "Morning", "Evening", "Herald", "Tribune", "Courier", "Post", "Times", "Observer", "Ledger",
         "Gazette", "Chronicle", "Review", "Dispatch", "Record", "Sentinel", "Monitor", "Bulletin", "Star", "Echo")


def citation_graph(n: int, m: int, seed: int = 0):
    """A DiGraph of ``n`` outlets and ``m`` citation edges, with the attributes a build gives them."""
    import networkx as nx
    import numpy as np

    from citegraph.graph.metrics import add_metrics

    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    sizes = []
    while sum(sizes) < n:
        sizes.append(int(rng.integers(50, 401)))
    sizes[-1] -= sum(sizes) - n
    community = np.repeat(np.arange(len(sizes)), sizes)
    popularity = rng.pareto(1.1, n) + 0.05  # a few outlets are cited by very many
    popularity[rng.choice(n, max(3, n // 500), replace=False)] *= 50  # wires and national titles
    members = [np.flatnonzero(community == c) for c in range(len(sizes))]
    inside = [np.cumsum(popularity[ids]) / popularity[ids].sum() for ids in members]
    everywhere = np.cumsum(popularity) / popularity.sum()
    activity = np.cumsum(rng.lognormal(0.0, 1.0, n))
    activity /= activity[-1]

    ids = [f"{WORDS[i % 20].lower()}{i}.example" for i in range(n)]
    g = nx.DiGraph()
    kinds = list(KIND_SHARES)
    for i, node in enumerate(ids):
        g.add_node(node, name=f"The {WORDS[i % 20]} {WORDS[(7 * i + 3) % 20]} {i}",
                   kind=pick.choices(kinds, weights=list(KIND_SHARES.values()))[0],
                   country=pick.choice(COUNTRIES), articles=0)

    def cited_by(s: int) -> int:  # mostly within the citing outlet's community, popular outlets first
        if rng.random() < 0.8:
            c = community[s]
            return int(members[c][min(len(members[c]) - 1, np.searchsorted(inside[c], rng.random()))])
        return int(min(n - 1, np.searchsorted(everywhere, rng.random())))

    def add(s: int, t: int) -> bool:
        if s == t or g.has_edge(ids[s], ids[t]):
            return False
        g.add_edge(ids[s], ids[t], **_edge(pick, ids[s], ids[t]))
        return True

    # Every outlet of a build cites or is cited: first one edge each, most as the citing outlet, the rest
    # cited by one of their community (outlets that were only cited, never crawled).
    edges = 0  # counted here: number_of_edges() walks every node
    for i in range(n):
        for _ in range(20):
            if add(i, cited_by(i)) if pick.random() < 0.7 else add(int(pick.choice(members[community[i]])), i):
                edges += 1
                break
    while edges < m:
        s = int(np.searchsorted(activity, rng.random()))
        edges += add(s, cited_by(s))
    for node in g:
        g.nodes[node]["articles"] = sum(w for _, _, w in g.out_edges(node, data="weight")) + pick.randrange(1, 40)
    return add_metrics(g, seed=seed)


def _edge(pick: random.Random, source: str, target: str) -> dict:
    weight = 1
    while pick.random() < 0.55 and weight < 400:  # geometric: most edges are one or two articles
        weight += 1
    counts = {"link": 0, "mention": 0, "syndication": 0}
    for _ in range(weight):
        counts[pick.choices(("link", "mention", "syndication"), weights=(70, 20, 10))[0]] += 1
    days = sorted(pick.randrange(730) for _ in range(2))
    evidence = []
    for k in range(min(weight, pick.randint(1, 3))):
        kind = pick.choice([c for c, v in counts.items() if v]) if k else max(counts, key=counts.get)
        date = _date(pick.randrange(days[0], days[1] + 1))
        evidence.append({
            "article_url": f"https://{source}/{date[:7].replace('-', '/')}/story-{pick.randrange(10**6)}",
            "article_title": f"Officials respond to the report on item {pick.randrange(10**4)}",
            "published_at": date,
            "kind": kind,
            "target_url": "" if kind == "mention" else f"https://{target}/news/{pick.randrange(10**6)}",
            "anchor_text": "" if kind == "mention" else "the report",
            "context": f"The figures, first published by {target}, were confirmed on Tuesday by two officials "
                       "who spoke on condition of anonymity.",
        })
    return {"weight": weight, **counts, "first_seen": _date(days[0]), "last_seen": _date(days[1]),
            "evidence": evidence}


def _date(day: int) -> str:
    return f"{2023 + day // 365}-{1 + day % 365 // 31 % 12:02d}-{1 + day % 28:02d}"


# The bare vis-network page: the same data, drawn by vis-network itself as network.js draws it, nothing else.
BASELINE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>bare vis-network</title>
<style>html, body {{ margin: 0; height: 100%; }} #net {{ position: absolute; inset: 0; }}</style>
<style>{css}</style></head>
<body><div id="net"></div>
<script type="application/json" id="data">{data}</script>
<script>{vis}</script>
<script>
window.baseline = {{ ready: false }};
var data = JSON.parse(document.getElementById("data").textContent);
var network = new vis.Network(document.getElementById("net"), {{
  nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }}, {{
  nodes: {{ shape: "dot", borderWidth: 1, font: {{ size: 14, color: "#222", strokeWidth: 3, strokeColor: "#ffffff" }} }},
  edges: {{ arrows: {{ to: {{ enabled: true, scaleFactor: 0.6 }} }}, smooth: false,
            color: {{ color: "#9aa5b1", highlight: "#d62728", hover: "#555555", opacity: 0.85 }} }},
  physics: {{ enabled: false }},
  interaction: {{ hover: true, hideEdgesOnDrag: true }},
  layout: {{ improvedLayout: false }},
}});
network.once("afterDrawing", function () {{ window.baseline.ready = true; }});
</script></body></html>
"""


DATA = r'<script type="application/json" id="cg-data">(.*?)</script>'


def page_data(html: str) -> dict:
    """The graph JSON that network_html put in the page."""
    found = re.search(DATA, html, re.DOTALL)
    return json.loads(found.group(1))


def baseline_html(data: dict) -> str:
    from citegraph.render.network import VIS_FILES, script_json

    nodes = [{"id": n["id"], "label": n["label"], "size": n["size"], "x": n["x"], "y": n["y"],
              "color": {"background": n["color"], "border": "#555"}} for n in data["nodes"]]
    edges = [{"id": e["id"], "from": e["from"], "to": e["to"], "width": e["width"]} for e in data["edges"]]
    vis_js, vis_css = ((resources.files("pyvis") / f).read_text(encoding="utf-8") for f in VIS_FILES)
    return BASELINE_PAGE.format(css=vis_css, vis=vis_js, data=script_json({"nodes": nodes, "edges": edges}))


class Browser:
    """Headless Chromium through playwright, every request but file: and data: aborted and recorded."""

    def __init__(self):
        if not CHROMIUM.exists():
            raise SystemExit(f"bench_explorer: {CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)")
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError:
            raise SystemExit("bench_explorer: the playwright package is missing; pip install playwright "
                             "(the browser itself is Debian's /usr/bin/chromium, no playwright download needed)")
        self.driver = sync_playwright().start()
        try:
            self.browser = self.driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Error as error:  # a broken install is reported like a missing one
            self.driver.stop()
            raise SystemExit(f"bench_explorer: chromium did not start: {error}")
        self.blocked: list[str] = []
        self.errors: list[str] = []

    def page(self):
        context = self.browser.new_context(viewport=VIEWPORT)
        context.route("**/*", self._route)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        return context, page

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self):
        self.browser.close()
        self.driver.stop()


def time_ours(browser: Browser, url: str, targets: list[dict], timeout_ms: int) -> dict:
    """One fresh page of ours: drawn, click to panel, filter to counts and to the next frame (seconds)."""
    context, page = browser.page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        # functions, not strings: the page's Content-Security-Policy forbids eval
        page.wait_for_function("() => window.citegraph && window.citegraph.ready", timeout=timeout_ms)
        t_drawn = time.perf_counter()
        point = page.evaluate(FIND_POINT, targets)
        if point is None:
            raise SystemExit("bench_explorer: none of the most cited outlets is drawn inside the view; cannot click")
        page.evaluate(ARM_FRAME)
        page.mouse.click(point["x"], point["y"])
        page.wait_for_selector("#cg-panel:not([hidden])", timeout=timeout_ms)
        t_panel = time.perf_counter()
        page.wait_for_function("() => window.__benchFrame", timeout=timeout_ms)
        page.evaluate(SETTLE)
        title = page.inner_text("#cg-panel-body h2")
        page.click("#cg-panel-close")  # the most cited outlets may be under the panel
        # an outlet first (a middling one if in view, else any of the most cited: its edges follow it
        # live), then the view, which may take them out of it
        drag = _pan(page, targets[len(targets) // 2:] + targets[:len(targets) // 2])
        pan = _pan(page)
        shown = page.evaluate("() => JSON.stringify(window.citegraph.shown)")
        page.evaluate(ARM_FRAME)
        t_filter = time.perf_counter()
        page.fill("#cg-min-weight", "2")
        page.wait_for_function("(before) => JSON.stringify(window.citegraph.shown) !== before", arg=shown,
                               timeout=timeout_ms)
        t_shown = time.perf_counter()
        page.wait_for_function("() => window.__benchFrame", timeout=timeout_ms)
        t_redrawn = time.perf_counter()
        parse = page.evaluate(PARSE)
        after = page.evaluate("() => window.citegraph.shown")
        return {"drawn": t_drawn - t0, "click": t_panel - t_drawn, "interactive": t_panel - t0,
                "filter": t_shown - t_filter, "filter_frame": t_redrawn - t_filter, "parse": parse, "pan": pan, "drag": drag,
                "aimed": title == point["name"], "panel": title, "target": point["name"], "shown": json.loads(shown), "after": after}
    finally:
        context.close()


def _pan(page, targets: list[dict] | None = None) -> float:
    """Median milliseconds vis-network takes to draw a frame while the view (or, given ``targets``, the
    first of those outlets in view) is dragged by the mouse."""
    start = page.evaluate(PAN_PROBE) if targets is None else page.evaluate(FIND_POINT, targets)
    if start is None:
        raise SystemExit("bench_explorer: no bare canvas to drag the view by" if targets is None else
                         "bench_explorer: none of the most cited outlets is in view; cannot drag one")
    page.evaluate(RECORD_FRAMES)
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    for step in range(1, 13):
        page.mouse.move(start["x"] - 15 * step, start["y"] - 8 * step)
    frames = page.evaluate("() => window.__frames.slice()")
    page.mouse.up()
    page.wait_for_timeout(400)  # the view is drawn afresh once still: not part of the drag
    if not frames:
        raise SystemExit("bench_explorer: dragging the view drew no frame")
    return statistics.median(frames)


def time_baseline(browser: Browser, url: str, timeout_ms: int) -> float:
    context, page = browser.page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function("() => window.baseline && window.baseline.ready", timeout=timeout_ms)
        return time.perf_counter() - t0
    finally:
        context.close()


# The first of the given outlets drawn on top at its own centre, on the canvas and not under a control, in page
# coordinates; failing that, the centre of any of them where some outlet is on top.
FIND_POINT = """(targets) => {
    const net = window.citegraph.network;
    const box = document.getElementById("cg-network").getBoundingClientRect();
    const points = [];
    for (const t of targets) {
        const at = net.getPositions([t.id])[t.id];
        if (!at) continue;
        // whole pixels, as the mouse events will carry them: in a crowd a fraction picks another outlet
        const x = Math.round(box.left + net.canvasToDOM(at).x), y = Math.round(box.top + net.canvasToDOM(at).y);
        const dom = {x: x - box.left, y: y - box.top};
        const hit = document.elementFromPoint(x, y);
        const top = hit && hit.tagName === "CANVAS" ? net.getNodeAt(dom) : undefined;
        if (top === t.id) return {x: x, y: y, name: t.name};
        if (top !== undefined) points.push({x: x, y: y, name: window.citegraph.data.nodes.find((n) => n.id === top).name});
    }
    return points.length ? points[0] : null;
}"""
# From now on, how long each frame takes from vis-network's "initRedraw" (before anything is drawn) to its
# "afterDrawing", in window.__frames.
RECORD_FRAMES = """() => {
    window.__frames = [];
    if (window.__recording) return;
    window.__recording = true;
    const net = window.citegraph.network;
    let begun = 0;
    net.on("initRedraw", () => { begun = performance.now(); });
    net.on("afterDrawing", () => { window.__frames.push(performance.now() - begun); });
}"""
# A point of bare canvas (no outlet, no control over it) to drag the view by.
PAN_PROBE = """() => {
    const net = window.citegraph.network;
    const box = document.getElementById("cg-network").getBoundingClientRect();
    for (let fy = 0.5; fy < 0.9; fy += 0.05) {
        for (let fx = 0.35; fx < 0.65; fx += 0.03) {
            const x = Math.round(box.left + fx * box.width), y = Math.round(box.top + fy * box.height);
            const hit = document.elementFromPoint(x, y);
            if (!hit || hit.tagName !== "CANVAS" || net.getNodeAt({x: x - box.left, y: y - box.top}) !== undefined) continue;
            return {x: x, y: y};
        }
    }
    return null;
}"""
# A flag that the next frame vis-network draws will raise.
ARM_FRAME = """() => {
    window.__benchFrame = false;
    window.citegraph.network.once("afterDrawing", () => { window.__benchFrame = true; });
}"""


# Seconds that JSON.parse takes over the page's data, once more, after the rest: a part of "drawn".
PARSE = """() => {
    const text = document.getElementById("cg-data").textContent, start = performance.now();
    JSON.parse(text);
    return (performance.now() - start) / 1000;
}"""
# Two animation frames: a redraw the click asked for is done before the filter is timed.
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _stat(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f})"


def run_size(browser: Browser, n: int, m: int, reps: int, folder: Path, timeout_ms: int) -> dict:
    from citegraph.render.layout import layout
    from citegraph.render.network import network_html

    t = time.perf_counter()
    g = citation_graph(n, m)
    made = time.perf_counter() - t
    t = time.perf_counter()
    positions = layout(g, method="auto", seed=0)
    laid = time.perf_counter() - t
    for node, (x, y) in positions.items():
        g.nodes[node]["x"], g.nodes[node]["y"] = float(x), float(y)
    t = time.perf_counter()
    html = network_html(g)
    rendered = time.perf_counter() - t
    data = page_data(html)
    if data["physics"]:
        raise SystemExit(f"bench_explorer: the page of {n:,} outlets has physics on; expected a precomputed layout")
    ours, bare = folder / f"network-{n}.html", folder / f"baseline-{n}.html"
    ours.write_text(html, encoding="utf-8")
    bare.write_text(baseline_html(data), encoding="utf-8")
    print(f"{n:,} outlets, {g.number_of_edges():,} edges, {g.graph['communities']} communities: graph and metrics "
          f"{made:.1f} s, layout (once, not timed in the browser) {laid:.1f} s, network_html {rendered:.1f} s; "
          f"page {ours.stat().st_size / 2**20:.1f} MB, baseline page {bare.stat().st_size / 2**20:.1f} MB",
          flush=True)
    top = sorted(data["nodes"], key=lambda r: -r["in_weight"])[:40]
    targets = [{"id": r["id"], "name": r["name"]} for r in top]
    runs, base = [], []
    for rep in range(reps):
        order = ("ours", "baseline") if rep % 2 == 0 else ("baseline", "ours")
        for which in order:
            if which == "ours":
                runs.append(time_ours(browser, ours.as_uri(), targets, timeout_ms))
            else:
                base.append(time_baseline(browser, bare.as_uri(), timeout_ms))
        r = runs[-1]
        print(f"  rep {rep + 1}: drawn {r['drawn']:.2f} s, click {r['click']:.2f} s, interactive "
              f"{r['interactive']:.2f} s, filter {r['filter']:.2f} s (frame {r['filter_frame']:.2f} s), "
              f"frame while dragging the view {r['pan']:.0f} ms, an outlet {r['drag']:.0f} ms, "
              f"baseline drawn {base[-1]:.2f} s; shown {r['shown']['edges']:,} -> {r['after']['edges']:,} edges, "
              f"panel of the outlet aimed at: {'yes' if r['aimed'] else 'no (' + r['panel'] + ' for ' + r['target'] + ')'}",
              flush=True)
    col = {k: [r[k] for r in runs] for k in ("drawn", "click", "interactive", "filter", "filter_frame", "pan", "drag")}
    print(f"  of which JSON.parse of the page's {len(re.search(DATA, html, re.DOTALL).group(1)) / 2**20:.1f} MB of data: "
          f"{statistics.median(r['parse'] for r in runs):.2f} s (median, parsed again after the timings)", flush=True)
    return {"n": n, "m": g.number_of_edges(), "mb": ours.stat().st_size / 2**20, "layout": laid,
            "render": rendered, **col, "baseline": base,
            "ratio": statistics.median(col["drawn"]) / statistics.median(base)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2000:20000,20000:40000", help="OUTLETS:EDGES, comma-separated")
    ap.add_argument("--reps", type=int, default=3, help="fresh pages per size, for ours and for the baseline")
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds any one wait may take")
    args = ap.parse_args(argv)
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",")]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    browser = Browser()
    print(f"Chromium {browser.browser.version} (headless, {' '.join(CHROMIUM_ARGS)}), viewport "
          f"{VIEWPORT['width']}x{VIEWPORT['height']}", flush=True)
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench_explorer-") as folder:
            for n, m in sizes:
                rows.append(run_size(browser, n, m, args.reps, Path(folder), int(args.timeout * 1000)))
    finally:
        browser.close()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\nSeconds, median (min) of {args.reps} fresh pages:\n")
    print("| outlets | edges | page MB | layout (once) | drawn | click to panel | interactive | filter to counts "
          "| filter to frame | frame while dragging the view (ms) | an outlet (ms) | bare vis-network drawn "
          "| drawn / bare |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['n']:,} | {r['m']:,} | {r['mb']:.1f} | {r['layout']:.1f} | {_stat(r['drawn'])} | "
              f"{_stat(r['click'])} | {_stat(r['interactive'])} | {_stat(r['filter'])} | {_stat(r['filter_frame'])} | "
              f"{statistics.median(r['pan']):.0f} ({min(r['pan']):.0f}) | "
              f"{statistics.median(r['drag']):.0f} ({min(r['drag']):.0f}) | "
              f"{_stat(r['baseline'])} | {r['ratio']:.2f} |")
    print()
    for r in rows:
        what, limit = TARGETS.get(r["n"], ("drawn", None))
        if limit is None:
            continue
        worst = statistics.median(r["interactive"] if "interactive" in what else r["drawn"])
        print(f"target: {r['n']:,} outlets {what} within {limit:.0f} s: median {worst:.2f} s, "
              f"{'met' if worst <= limit else 'NOT met'}")
    print(f"requests attempted beyond file: and data: (all aborted): {len(browser.blocked)}"
          + "".join(f"\n  {u}" for u in browser.blocked[:20]))
    if browser.errors:
        print(f"page and console errors: {len(browser.errors)}" + "".join(f"\n  {e[:200]}" for e in browser.errors[:20]))


if __name__ == "__main__":
    main()
