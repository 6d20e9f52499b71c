"""Tests of the network page and the report: content checks in Python, behaviour in headless Chromium."""
from __future__ import annotations

import copy
import json
import math
import re
import time

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph.models import OUTLET_KINDS, RunStats
from citegraph.render import (
    KIND_COLORS,
    RenderError,
    network_html,
    render_network,
    render_report,
    report_html,
    safe_href,
)

PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=1>',
    "javascript:window.__xss=1",
    "</script><script>window.__xss=1</script>",
)
STATS = RunStats(
    inputs=12,
    articles=9,
    outlets=4,
    citations_by_kind=(("mention", 3), ("link", 7)),
    failures_by_reason=(("timeout", 1), ("http-404", 2)),
    self_citations=5,
    generated_at="2024-05-01T10:00:00Z",
)


def evidence(source: str, target: str, n: int = 1, kind: str = "link") -> list[dict]:
    return [
        {
            "article_url": f"https://{source}/story-{i}",
            "article_title": f"Story {i} of {source}",
            "published_at": "2024-03-0%d" % (i % 9 + 1),
            "kind": kind,
            "target_url": f"https://{target}/report-{i}",
            "anchor_text": f"a report {i}",
            "context": f"As {target} found in report {i}, things happened.",
        }
        for i in range(n)
    ]


def outlet_graph(nodes, edges, **graph_attrs) -> nx.DiGraph:
    """A graph as the builder makes it: nodes (id, name, kind), edges (source, target, weight, evidence)."""
    G = nx.DiGraph(**graph_attrs)
    for node_id, name, kind in nodes:
        G.add_node(node_id, name=name, kind=kind, country="US", articles=5, in_weight=0, out_weight=0)
    for source, target, weight, items in edges:
        G.add_edge(
            source, target, weight=weight, link=weight, mention=0, syndication=0,
            first_seen="2024-03-01", last_seen="2024-03-09", evidence=items,
        )
        G.nodes[target]["in_weight"] += weight
        G.nodes[source]["out_weight"] += weight
    return G


@pytest.fixture
def small_graph() -> nx.DiGraph:
    return outlet_graph(
        [
            ("nytimes.com", "The New York Times", "news"),
            ("apnews.com", "Associated Press", "wire"),
            ("reuters.com", "Reuters", "wire"),
            ("brookings.edu", "Brookings", "think_tank"),
        ],
        [
            ("nytimes.com", "apnews.com", 5, evidence("nytimes.com", "apnews.com", 2)),
            ("nytimes.com", "reuters.com", 2, evidence("nytimes.com", "reuters.com")),
            ("reuters.com", "apnews.com", 1, []),
            ("brookings.edu", "nytimes.com", 3, evidence("brookings.edu", "nytimes.com", 1, "mention")),
        ],
        title="Test network",
    )


def hostile_graph() -> nx.DiGraph:
    """Every string the web can put in the graph carries a payload."""
    G = nx.DiGraph(title=PAYLOADS[0])
    for i, payload in enumerate(PAYLOADS):
        G.add_node(payload, name=payload, kind=payload, country=payload, articles=1, in_weight=1, out_weight=1)
    for i, payload in enumerate(PAYLOADS):
        target = PAYLOADS[(i + 1) % len(PAYLOADS)]
        item = {key: payload for key in
                ("article_url", "article_title", "published_at", "kind", "target_url", "anchor_text", "context")}
        G.add_edge(payload, target, weight=1, link=1, mention=0, syndication=0,
                   first_seen=payload, last_seen=payload, evidence=[item, dict(item, article_title="")])
    return G


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', html, re.S)
    assert match, "the data element is missing"
    return json.loads(match.group(1))


def snapshot(G: nx.DiGraph):
    return (copy.deepcopy(G.graph), copy.deepcopy(list(G.nodes(data=True))), copy.deepcopy(list(G.edges(data=True))))


# Page content ------------------------------------------------------------------------------------


def test_network_page_requests_nothing_from_outside(small_graph):
    html = network_html(small_graph)
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=", html, re.I)
    assert not re.search(r"<(img|iframe)\b", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "vis-network" in html and "@version 9.1.2" in html  # the library itself is inline
    assert "default-src 'none'" in html.replace("&#39;", "'")


def test_network_page_summary_legend_and_data(small_graph):
    html = network_html(small_graph)
    data = page_data(html)
    assert "<title>Test network</title>" in html
    assert "4 outlets, 4 citation edges" in html
    assert [n["id"] for n in data["nodes"]] == ["nytimes.com", "apnews.com", "reuters.com", "brookings.edu"]
    assert {(e["from"], e["to"]) for e in data["edges"]} == set(small_graph.edges)
    assert data["physics"] is True
    assert all("x" not in n for n in data["nodes"])
    for kind in ("news", "wire", "think tank"):
        assert f"</span>{kind}</li>" in html
    assert "magazine" not in html.split('id="cg-legend"')[1].split("</aside>")[0]
    assert "Node size: in_weight" in html


def test_node_colours_follow_the_fixed_kind_palette(small_graph):
    colors = {n["id"]: n["color"] for n in page_data(network_html(small_graph))["nodes"]}
    assert colors["apnews.com"] == colors["reuters.com"] == KIND_COLORS["wire"]
    assert colors["brookings.edu"] == KIND_COLORS["think_tank"]
    assert set(KIND_COLORS) == set(OUTLET_KINDS)
    assert len(set(KIND_COLORS.values())) == len(KIND_COLORS)


def test_colour_by_another_attribute_gets_a_legend_of_its_values(small_graph):
    G = small_graph.copy()
    for node, community in zip(G, (0, 0, 1, 2)):
        G.nodes[node]["community"] = community
    html = network_html(G, color_by="community")
    colors = {n["id"]: n["color"] for n in page_data(html)["nodes"]}
    assert colors["nytimes.com"] == colors["apnews.com"] != colors["reuters.com"] != colors["brookings.edu"]
    assert "</span>0</li>" in html and "</span>2</li>" in html


def test_sizes_and_widths_are_scaled_and_bounded():
    G = outlet_graph(
        [("a.com", "A", "news"), ("b.com", "B", "news"), ("c.com", "C", "news"), ("d.com", "D", "news")],
        [("a.com", "b.com", 1, []), ("a.com", "c.com", 1_000_000, []), ("b.com", "c.com", 10, [])],
    )
    data = page_data(network_html(G))
    widths = {(e["from"], e["to"]): e["width"] for e in data["edges"]}
    assert widths[("a.com", "b.com")] < widths[("b.com", "c.com")] < widths[("a.com", "c.com")] <= 8
    assert min(widths.values()) >= 1
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes["a.com"] == sizes["d.com"] == 8  # cited by no one
    assert sizes["c.com"] == 48
    # sqrt scale: 11 citing articles of b against 1_000_010 of c
    assert sizes["b.com"] == pytest.approx(8 + 40 * math.sqrt(1 / 1_000_010), abs=0.01)


def test_size_by_another_metric(small_graph):
    sizes = {n["id"]: n["size"] for n in page_data(network_html(small_graph, size_by="out_weight"))["nodes"]}
    assert sizes["nytimes.com"] == 48 and sizes["apnews.com"] == 8


def test_graph_is_not_mutated(small_graph):
    before = snapshot(small_graph)
    network_html(small_graph)
    network_html(small_graph, physics_max_nodes=0)  # the layout path too
    report_html(small_graph, STATS)
    assert snapshot(small_graph) == before


def test_one_node_graph():
    G = outlet_graph([("solo.org", "Solo", "magazine")], [])
    html = network_html(G)
    assert "1 outlet, 0 citation edges" in html
    assert [n["id"] for n in page_data(html)["nodes"]] == ["solo.org"]
    assert "No citation edges in this graph." in report_html(G, STATS)


def test_graph_without_edges():
    G = outlet_graph([("a.com", "A", "news"), ("b.com", "B", "wire")], [])
    data = page_data(network_html(G))
    assert len(data["nodes"]) == 2 and data["edges"] == []
    assert {n["size"] for n in data["nodes"]} == {8}
    report = report_html(G, STATS)
    assert "No outlet is cited." in report and "No outlet cites another." in report


def test_empty_graph_says_so():
    html = network_html(nx.DiGraph())
    assert "0 outlets, 0 citation edges" in html
    assert "This graph has no outlets" in html
    data = page_data(html)
    assert {k: data[k] for k in ("nodes", "edges", "physics", "seed", "sizeBy", "colorBy", "meta", "months")} == {
        "nodes": [], "edges": [], "physics": True, "seed": 0, "sizeBy": "in_weight", "colorBy": "kind",
        "meta": [], "months": []}
    assert "@version 9.1.2" not in html  # nothing to draw, nothing to inline
    assert "No citation edges in this graph." in report_html(nx.DiGraph(), RunStats())


def test_self_loops_are_kept():
    G = outlet_graph([("a.com", "A", "news"), ("b.com", "B", "news")],
                     [("a.com", "a.com", 2, evidence("a.com", "a.com")), ("a.com", "b.com", 1, [])])
    data = page_data(network_html(G))
    assert ("a.com", "a.com") in {(e["from"], e["to"]) for e in data["edges"]}
    report = report_html(G, STATS)
    assert report.count('class="edge"') == 2
    assert "https://a.com/report-0" in report


def test_large_graph_gets_a_precomputed_layout_with_physics_off():
    G = nx.gnm_random_graph(1000, 2000, seed=3, directed=True)
    G = nx.relabel_nodes(G, {i: f"outlet{i}.com" for i in G})
    for node in G:
        G.nodes[node].update(name=node, kind="news", country="", articles=1, in_weight=G.in_degree(node),
                             out_weight=G.out_degree(node))
    for u, v in G.edges:
        G.edges[u, v].update(weight=1, link=1, mention=0, syndication=0, first_seen="", last_seen="", evidence=[])
    before = snapshot(G)
    html = network_html(G, seed=7)
    data = page_data(html)
    assert data["physics"] is False
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) > 990  # spread out, not piled up
    assert 'id="cg-physics" type="checkbox">' in html  # the toggle starts off
    assert "physics off" in html
    assert page_data(network_html(G, seed=7)) == data  # the seed fixes the layout
    assert snapshot(G) == before


def test_given_positions_are_used_when_physics_is_off(small_graph):
    G = small_graph.copy()
    for i, node in enumerate(G):
        G.nodes[node].update(x=float(i * 10), y=float(-i))
    xs = [n["x"] for n in page_data(network_html(G, physics_max_nodes=2))["nodes"]]
    assert xs == sorted(xs) and xs[0] < 0 < xs[-1]


def test_hostile_strings_cannot_leave_the_data_element():
    html = network_html(hostile_graph())
    match = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', html, re.S)
    raw = match.group(1)
    assert not re.search(r"[<>&\u2028\u2029]", raw)
    data = json.loads(raw)
    assert {n["name"] for n in data["nodes"]} == set(PAYLOADS)
    # URLs travel as text; the page makes links of http(s) URLs only (checked in the browser tests)
    assert {ev["article_url"] for e in data["edges"] for ev in e["evidence"]} == set(PAYLOADS)
    assert not any("article_href" in ev or "target_href" in ev for e in data["edges"] for ev in e["evidence"])
    outside = html.replace(match.group(0), "")
    for payload in PAYLOADS:
        if payload.startswith("<") or payload.startswith('"'):
            assert payload not in outside
    assert "<title>&lt;script&gt;window.__xss=1&lt;/script&gt;</title>" in html


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5, unique=True), st.text(max_size=40))
def test_any_text_round_trips_through_the_page(names, context):
    G = nx.DiGraph()
    for name in names:
        G.add_node(name, name=name, kind="news")
    G.add_edge(names[0], names[-1], weight=1, evidence=[{"context": context, "target_url": context}])
    html = network_html(G)
    data = page_data(html)
    clean = [name.encode("utf-16", "surrogatepass").decode("utf-16", "replace") for name in names]
    assert [n["name"] for n in data["nodes"]] == clean
    html.encode("utf-8")  # writable as UTF-8 whatever the input
    assert html.lower().count("</script") == 3  # data, vis-network, ours: nothing closes early
    assert "<!--" not in html


def test_report_content(small_graph):
    html = report_html(small_graph, STATS)
    assert "<title>Test network</title>" in html
    for label, value in (("Inputs tried", 12), ("Articles read", 9), ("Self-citations left out", 5)):
        assert re.search(rf"<th scope=\"row\">{label}</th><td class=\"num\">{value}</td>", html)
    kinds = re.findall(r'<th scope="row">(link|mention|total)</th><td class="num">(\d+)</td>', html)
    assert kinds == [("link", "7"), ("mention", "3"), ("total", "10")]
    assert html.index("<code>http-404</code>") < html.index("<code>timeout</code>")
    cited = html.split('id="top-cited"')[1].split("</section>")[0]
    assert [m for m in re.findall(r'<td><a href="#outlet-[^"]+"><bdi>([^<]+)</bdi></a></td><td><code>', cited)] == [
        "Associated Press", "The New York Times", "Reuters"]
    edges = re.findall(r"<h3><bdi>(.*?)</bdi> <span class=\"arrow\">", html)
    assert edges == ["The New York Times", "Brookings", "The New York Times", "Reuters"]  # heaviest first
    assert '<iframe src="network.html"' in html
    assert '<a href="https://nytimes.com/story-0" rel="noopener noreferrer">Story 0 of nytimes.com</a>' in html
    assert "As apnews.com found in report 1, things happened." in html
    assert re.findall(r"<script[^>]*>", html) == ["<script>"]  # the report's own, inline
    assert not re.search(r"<link[^>]*href|src=\"https?:", html)


def test_report_caps_edges_and_evidence(small_graph):
    html = report_html(small_graph, STATS, max_edges=2, evidence_per_edge=1, top=1, network_href="")
    assert html.count('class="edge"') == 2
    assert "2 lighter edges are left out." in html
    assert "1 more evidence item not listed." in html
    assert len(re.findall(r"<td class=\"num\">1</td><td>", html)) == 2  # one row per top table
    assert "<iframe" not in html


def test_report_links_only_http_urls():
    html = report_html(hostile_graph(), STATS)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") or h == "network.html" for h in hrefs)
    assert re.findall(r"<script[^>]*>", html) == ["<script>"]  # the report's own, inline
    assert html.count("<script") == 1 and "<img" not in html and "<svg" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("//example.org/a", ""),
        ("/relative", ""),
        ("http:no-host", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_href(url, expected):
    assert safe_href(url) == expected


@pytest.mark.parametrize(
    "make, call, code",
    [
        (lambda: nx.Graph(), network_html, "not-a-digraph"),
        (lambda: nx.MultiDiGraph(), network_html, "not-a-digraph"),
        (lambda: {"a": "b"}, network_html, "not-a-digraph"),
        (lambda: nx.DiGraph([("a", "b", {"weight": "many"})]), network_html, "bad-attribute"),
        (lambda: outlet_graph([("a", "A", "news"), ("b", "B", "news")], [("a", "b", -1, [])]),
         network_html, "bad-attribute"),
        (lambda: outlet_graph([("a", "A", "news"), ("b", "B", "news")], [("a", "b", 1, "see x")]),
         network_html, "bad-evidence"),
        (lambda: outlet_graph([("a", "A", "news"), ("b", "B", "news")], [("a", "b", 1, ["x"])]),
         report_html, "bad-evidence"),
        (lambda: nx.DiGraph([(1, "1")]), network_html, "duplicate-id"),
    ],
)
def test_bad_graphs_get_a_reason_code(make, call, code):
    args = (make(), STATS) if call is report_html else (make(),)
    with pytest.raises(RenderError) as caught:
        call(*args)
    assert caught.value.code == code
    assert str(caught.value).startswith(code + ": ")


@pytest.mark.parametrize(
    "call, code",
    [
        (lambda G: network_html(G, size_by=""), "bad-option"),
        (lambda G: network_html(G, physics_max_nodes=-1), "bad-option"),
        (lambda G: network_html(G, size_by="name"), "bad-attribute"),
        (lambda G: report_html(G, {"inputs": 1}), "not-runstats"),
        (lambda G: report_html(G, RunStats(failures_by_reason=(("timeout",),))), "bad-stats"),
        (lambda G: report_html(G, STATS, network_href="javascript:alert(1)"), "bad-option"),
        (lambda G: report_html(G, STATS, network_href="data:text/html,x"), "bad-option"),
        (lambda G: report_html(G, STATS, top=-2), "bad-option"),
    ],
)
def test_bad_options_get_a_reason_code(small_graph, call, code):
    with pytest.raises(RenderError) as caught:
        call(small_graph)
    assert caught.value.code == code


def test_render_functions_write_files(tmp_path, small_graph):
    network = render_network(small_graph, tmp_path / "out" / "deep" / "network.html", title="Mine")
    report = render_report(small_graph, STATS, tmp_path / "out" / "report.html", top=2)
    assert network.read_text(encoding="utf-8") == network_html(small_graph, title="Mine")
    assert report.read_text(encoding="utf-8") == report_html(small_graph, STATS, top=2)


# In the browser ----------------------------------------------------------------------------------


def open_network(page, path, timeout=20.0):
    """Open a network page and wait until it has drawn. Polled from here: a predicate polled inside the
    page would need eval, which the page's Content-Security-Policy forbids."""
    page.goto(path.as_uri())
    deadline = time.monotonic() + timeout
    while not page.evaluate("() => Boolean(window.citegraph && window.citegraph.ready)"):
        assert time.monotonic() < deadline, f"{path.name} did not draw within {timeout:.0f} s"
        page.wait_for_timeout(50)


def assert_clean(page, *allowed_urls):
    assert page.seen.page_errors == []
    assert page.seen.console_errors == []
    assert set(page.seen.requests) <= set(allowed_urls), page.seen.requests


def node_point(page, node_id):
    """Where a node is drawn, in page coordinates."""
    return page.evaluate(
        """(id) => {
            const net = window.citegraph.network;
            const dom = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById("cg-network").getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        node_id,
    )


def drawn_edges(page) -> dict:
    """After the page's next frames (whatever they were asked for; none is forced): ``drawn``, how many
    edges the last frame drew, ``layers``, how many times the picture of the edges was drawn so far,
    and ``edges``, those the filters show (id, from, to, width, selected), as
    ``window.citegraph.drawnEdges()`` gives them."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())))")
    return page.evaluate("() => window.citegraph.drawnEdges()")


def hover_and_click(page, node_id, pause_ms=150) -> str:
    """Move the mouse onto an outlet, then click it, as a reader would; return the tooltip it showed.
    The view is centred on the outlet first, as a reader would pan to it: the panel, the controls or the
    legend may cover where it was."""
    page.evaluate("""(id) => {
        const net = window.citegraph.network;
        net.focus(id, {scale: net.getScale(), locked: false, animation: false});
    }""", node_id)
    point = node_point(page, node_id)
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(pause_ms)
    page.wait_for_selector(".cg-tooltip:not([hidden])")
    tooltip = page.inner_text(".cg-tooltip")
    page.mouse.click(point["x"], point["y"])
    return tooltip


@pytest.mark.browser
def test_network_draws_offline(page, tmp_path, small_graph):
    path = render_network(small_graph, tmp_path / "network.html")
    open_network(page, path)
    counts = page.evaluate("""() => ({
        nodes: window.citegraph.nodes.length,
        edges: window.citegraph.data.edges.length,
        drawnNodes: Object.keys(window.citegraph.network.getPositions()).length,
        canvas: document.querySelectorAll("#cg-network canvas").length,
    })""")
    assert counts == {"nodes": 4, "edges": 4, "drawnNodes": 4, "canvas": 1}
    assert drawn_edges(page)["drawn"] == 4
    assert page.inner_text("#cg-summary") == "4 outlets, 4 citation edges"
    assert page.is_checked("#cg-physics")
    assert_clean(page, path.as_uri())
    assert page.seen.requests == [path.as_uri()]


@pytest.mark.browser
def test_search_focuses_a_node(page, tmp_path, small_graph):
    open_network(page, render_network(small_graph, tmp_path / "network.html"))
    page.fill("#cg-search", "reuters")
    page.press("#cg-search", "Enter")
    assert page.evaluate("window.citegraph.network.getSelectedNodes()") == ["reuters.com"]
    assert page.inner_text("#cg-panel-body h2") == "Reuters"
    page.fill("#cg-search", "https://www.apnews.com/article/x")
    page.click("#cg-search-form button")
    assert page.evaluate("window.citegraph.network.getSelectedNodes()") == ["apnews.com"]
    page.fill("#cg-search", "no such outlet")
    page.press("#cg-search", "Enter")
    assert "No outlet matches" in page.inner_text("#cg-search-status")
    assert page.seen.page_errors == []


@pytest.mark.browser
def test_clicking_a_node_fills_the_panel(page, tmp_path, small_graph):
    open_network(page, render_network(small_graph, tmp_path / "network.html"))
    page.uncheck("#cg-physics")  # nodes stand still, so the click lands where we aim
    assert page.evaluate("window.citegraph.network.physics.options.enabled") is False
    assert page.is_hidden("#cg-panel")
    point = node_point(page, "nytimes.com")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#cg-panel:not([hidden])")
    panel = page.inner_text("#cg-panel")
    assert "The New York Times" in panel and "nytimes.com" in panel and "think tank" not in panel
    assert "Associated Press \u2014 5 articles" in panel  # top cited
    assert "Brookings \u2014 3 articles" in panel  # top citing
    dimmed = page.evaluate("window.citegraph.nodes.get('reuters.com').color.background")
    assert dimmed == KIND_COLORS["wire"]  # a neighbour stays lit
    page.click("#cg-panel li button >> text=Associated Press")
    assert "Story 1 of nytimes.com" in page.inner_text("#cg-panel")
    assert_clean(page, (tmp_path / "network.html").as_uri())


@pytest.mark.browser
def test_clicking_an_edge_shows_its_evidence(page, tmp_path, small_graph):
    open_network(page, render_network(small_graph, tmp_path / "network.html"))
    page.evaluate("window.citegraph.showEdge('e0')")
    panel = page.inner_text("#cg-panel")
    assert "The New York Times \u2192 Associated Press" in panel
    assert "As apnews.com found in report 0, things happened." in panel
    assert "Anchor text: a report 0" in panel
    links = page.eval_on_selector_all(
        "#cg-panel-body a", "as => as.map(a => [a.textContent, a.getAttribute('href'), a.rel])")
    assert ["Story 0 of nytimes.com", "https://nytimes.com/story-0", "noopener noreferrer"] in links
    assert ["https://apnews.com/report-0", "https://apnews.com/report-0", "noopener noreferrer"] in links
    page.evaluate("window.citegraph.showEdge('e2')")
    assert "No evidence stored for this edge." in page.inner_text("#cg-panel")


@pytest.mark.browser
def test_empty_graph_page_in_browser(page, tmp_path):
    path = render_network(nx.DiGraph(), tmp_path / "network.html")
    page.goto(path.as_uri())
    assert "This graph has no outlets" in page.inner_text("#cg-empty")
    assert page.evaluate("window.citegraph.ready") is True
    assert_clean(page, path.as_uri())


@pytest.mark.browser
def test_large_graph_draws_without_physics(page, tmp_path):
    G = nx.gnm_random_graph(1000, 1500, seed=5, directed=True)
    nx.set_node_attributes(G, {n: {"name": f"Outlet {n}", "x": float(n % 40), "y": float(n // 40)} for n in G})
    G = nx.relabel_nodes(G, str)
    path = render_network(G, tmp_path / "network.html")
    open_network(page, path)
    state = page.evaluate("""() => ({
        physics: window.citegraph.network.physics.options.enabled, nodes: window.citegraph.nodes.length,
        springs: Object.keys(window.citegraph.network.body.edges).length})""")
    assert state == {"physics": False, "nodes": 1000, "springs": 0}
    assert drawn_edges(page)["drawn"] == 1500
    assert not page.is_checked("#cg-physics")
    page.check("#cg-physics")
    assert page.evaluate("window.citegraph.network.physics.options.enabled") is True
    # switched on, physics gets the edges as its springs, hidden: the page still draws them itself
    assert page.evaluate("() => Object.keys(window.citegraph.network.body.edges).length") == 1500
    assert drawn_edges(page)["drawn"] == 1500
    assert_clean(page, path.as_uri())


XSS_CHECK = """() => ({
    xss: typeof window.__xss,
    foreign: document.querySelectorAll("img, svg, iframe, object, embed, [onerror], [onload]").length,
    scripts: Array.from(document.scripts).map(s => [s.type, s.src, s.id]),
    badLinks: Array.from(document.querySelectorAll("a[href]")).map(a => a.getAttribute("href"))
        .filter(h => !/^https?:/i.test(h) && !h.startsWith("#") && h !== "network.html"),
})"""


@pytest.mark.browser
def test_hostile_strings_stay_text_in_the_network(page, tmp_path):
    G = hostile_graph()
    path = render_network(G, tmp_path / "network.html")
    open_network(page, path)
    assert page.title() == PAYLOADS[0]
    page.uncheck("#cg-physics")
    for payload in PAYLOADS:
        tooltip = hover_and_click(page, payload, pause_ms=250)
        assert tooltip.splitlines()[0] == payload
        assert page.inner_text("#cg-panel-body h2") == payload
        page.click("#cg-panel-body li button >> nth=0")  # the top cited outlet opens its edge
        assert "\u2192" in page.inner_text("#cg-panel-body h2")
    for i in range(len(PAYLOADS)):
        page.evaluate("(id) => window.citegraph.showEdge(id)", f"e{i}")
        anchors = page.query_selector_all("#cg-panel-body a")
        assert len(anchors) == 4  # two citing articles, two cited URLs, none with an href
        for anchor in anchors:
            assert anchor.get_attribute("href") is None
            anchor.click()
        page.fill("#cg-search", PAYLOADS[i])
        page.press("#cg-search", "Enter")
    result = page.evaluate(XSS_CHECK)
    assert result["xss"] == "undefined"
    assert result["foreign"] == 0
    assert [s[0] for s in result["scripts"]] == ["application/json", "", ""]
    assert all(s[1] == "" for s in result["scripts"])
    assert result["badLinks"] == []
    assert page.url == path.as_uri()
    assert_clean(page, path.as_uri())


@pytest.mark.browser
def test_hostile_strings_stay_text_in_the_report(page, tmp_path):
    G = hostile_graph()
    render_network(G, tmp_path / "network.html")
    path = render_report(G, STATS, tmp_path / "report.html")
    page.goto(path.as_uri())
    assert page.title() == PAYLOADS[0]
    page.locator("iframe").scroll_into_view_if_needed()  # Chromium draws off-screen frames lazily
    network = next(f for f in page.frames if f.url.endswith("/network.html"))
    network.wait_for_function("() => window.citegraph && window.citegraph.ready", timeout=20_000)
    assert network.evaluate("window.citegraph.nodes.length") == len(PAYLOADS)
    network.evaluate("window.citegraph.showEdge('e0')")
    for cell in page.query_selector_all("table.evidence td"):
        cell.hover()
    for anchor in page.query_selector_all("main a"):
        if (anchor.get_attribute("href") or "#").startswith("#"):  # stay on the page
            anchor.click()
    assert page.url.startswith(path.as_uri())
    text = page.inner_text("#edges")
    for payload in PAYLOADS:
        assert payload in text
    result = page.evaluate(XSS_CHECK)
    assert result["xss"] == "undefined"
    assert result["scripts"] == [["", "", ""]]  # the report's own script, inline
    assert page.evaluate("document.querySelectorAll('img, svg, [onerror], [onload]').length") == 0
    assert result["badLinks"] == []
    assert page.seen.page_errors == [] and page.seen.console_errors == []
    assert set(page.seen.requests) <= {path.as_uri(), (tmp_path / "network.html").as_uri()} | {
        path.as_uri() + "#" + a for a in ("run", "top-cited", "top-citing", "network", "edges")}
