"""Tests of the HTML report as a self-contained research report: content in Python, behaviour in Chromium."""
from __future__ import annotations

import base64
import copy
import hashlib
import html as htmllib
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from citegraph.graph.metrics import add_metrics
from citegraph.models import RunStats
from citegraph.render import RenderError, network_html, render_report, report_html
from citegraph.render.network import _page_assets
from citegraph.render.report import _report_script

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "javascript:window.__pwned=1",
    "</script><script>window.__pwned=1</script>",
    "' onmouseover='window.__pwned=1",
)
STATS = RunStats(inputs=6, articles=5, outlets=3, citations_by_kind=(("link", 4), ("mention", 1)),
                 failures_by_reason=(("timeout", 1),), generated_at="2024-05-01T10:00:00Z")
TIMELINE = [("2024-01", "link", 3), ("2024-01", "mention", 1), ("2024-02", "link", 9),
            ("2024-03", "syndication", 2), ("2024-03", "link", 100_000)]
LONG_NAME = "Very Long Outlet Name " * 455  # 10,010 characters
RTL_NAME = "\u05d4\u05d0\u05e8\u05e5 \u0627\u0644\u062c\u0632\u064a\u0631\u0629 123"
EMOJI_NAME = "\U0001f4f0 News \U0001f525\U0001f30d"


def item(source: str, target: str, i: int, kind: str = "link") -> dict:
    return {"article_url": f"https://{source}/story-{i}", "article_title": f"Story {i} of {source}",
            "published_at": "2024-03-01", "kind": kind, "target_url": f"https://{target}/report-{i}",
            "anchor_text": f"report {i}", "context": f"As {target} found in report {i}."}


def graph(nodes, edges, **graph_attrs) -> nx.DiGraph:
    """Nodes (id, name, kind) and edges (source, target, weight, evidence count) as the builder makes them."""
    G = nx.DiGraph(**graph_attrs)
    for node_id, name, kind in nodes:
        G.add_node(node_id, name=name, kind=kind, country="US", articles=3, in_weight=0, out_weight=0)
    for source, target, weight, n in edges:
        G.add_edge(source, target, weight=weight, link=weight, mention=0, syndication=0, first_seen="2024-01-02",
                   last_seen="2024-03-09", evidence=[item(source, target, i) for i in range(n)])
        if source != target:
            G.nodes[target]["in_weight"] += weight
            G.nodes[source]["out_weight"] += weight
    return G


def two_camps() -> nx.DiGraph:
    """Two groups citing inside themselves, with one light bridge: a measured graph with two communities."""
    nodes = [(f"a{i}.example", f"Alpha {i}", "news") for i in range(4)] + [
        (f"b{i}.example", f"Beta {i}", "wire") for i in range(4)]
    edges = [(f"{s}{i}.example", f"{s}{j}.example", 3 + i + j, 2) for s in "ab" for i in range(4) for j in range(4) if i != j]
    edges.append(("a0.example", "b0.example", 1, 1))
    return add_metrics(graph(nodes, edges, title="Two camps"))


@pytest.fixture
def camps() -> nx.DiGraph:
    return two_camps()


def section(html: str, section_id: str) -> str:
    return html.split(f'<section id="{section_id}">')[1].split("</section>")[0]


def cells(html: str) -> list[str]:
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(html: str) -> str:
    return htmllib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1))


def frame_doc(html: str) -> str:
    return htmllib.unescape(re.search(r'<iframe srcdoc="([^"]*)"', html).group(1))


# Content -----------------------------------------------------------------------------------------


def test_summary_gives_the_graph_measures(camps):
    html = report_html(camps, STATS)
    run = section(html, "run")
    assert f"<td class=\"num\">{camps.graph['reciprocity']:.4f}</td>" in run
    assert f"<td class=\"num\">{camps.graph['modularity']:.4f}</td>" in run
    assert "Communities</th><td class=\"num\">2 (louvain)</td>" in run
    assert "<th scope=\"row\">timeout</th>" not in run and "<code>timeout</code>" in run


def test_rankings_by_each_metric(camps):
    html = report_html(camps, STATS, top=3)
    for metric, section_id in (("pagerank", "top-pagerank"), ("hub", "top-hubs"), ("authority", "top-authorities"),
                               ("in_weight", "top-cited")):
        ranked = sorted(camps, key=lambda n: (-camps.nodes[n][metric], camps.nodes[n]["name"].lower()))[:3]
        names = re.findall(r'<bdi>([^<]+)</bdi></a></td><td><code>', section(html, section_id))
        assert names == [camps.nodes[n]["name"] for n in ranked], metric
    assert "<th class=\"num\">PageRank</th>" in html


def test_missing_metrics_leave_their_tables_out():
    G = graph([("a.com", "A", "news"), ("b.com", "B", "news")], [("a.com", "b.com", 2, 1)])
    html = report_html(G, STATS)
    for gone in ('id="top-pagerank"', 'id="top-hubs"', 'id="top-authorities"', 'id="communities"',
                 'id="timeline"', "Reciprocity", "Modularity", "PageRank"):
        assert gone not in html
    G.nodes["a.com"]["pagerank"] = 0.7  # on one outlet only: a table of that one
    assert re.findall(r"<bdi>([^<]+)</bdi></a></td><td><code>", section(report_html(G, STATS), "top-pagerank")) == ["A"]
    G = nx.DiGraph([("x", "y")])  # a library user's graph: no attributes at all
    html = report_html(G, RunStats())
    assert 'id="outlet-x"' in html and 'id="outlet-y"' in html and "No outlet is cited." in html


def test_communities_with_members_shares_and_edges_between(camps):
    html = report_html(camps, STATS)
    part = section(html, "communities")
    rows = re.findall(r'<tr id="(community-\d+)"><td><bdi>(\d+)</bdi></td><td class="num">(\d+)</td>'
                      r'<td class="num">([0-9.]+)</td>', part)
    assert [(r[0], r[2]) for r in rows] == [("community-1", "4"), ("community-2", "4")]
    alpha = next(r for r in rows if "Alpha" in part.split(f'id="{r[0]}"')[1].split("</tr>")[0])
    out = sum(camps.nodes[n]["out_weight"] for n in camps if n.startswith("a"))
    assert float(alpha[3]) == pytest.approx((out - 1) / out, abs=1e-4)  # only the bridge leaves the Alpha camp
    members = part.split(f'id="{alpha[0]}"')[1].split("</tr>")[0]
    names = re.findall(r"<bdi>(Alpha \d)</bdi>", members)
    by_in_weight = sorted((n for n in camps if n.startswith("a")), key=lambda n: -camps.nodes[n]["in_weight"])
    assert names == [camps.nodes[n]["name"] for n in by_in_weight]
    between = cells(part.split("Citations between communities")[-1])
    assert between[2] == "1" and len(between) == 3


def test_community_members_are_capped_and_counted():
    nodes = [(f"n{i}.example", f"Outlet {i}", "news") for i in range(15)]
    edges = [(f"n{i}.example", f"n{(i + 1) % 15}.example", 1, 0) for i in range(15)]
    G = graph(nodes, edges)
    for node in G:
        G.nodes[node]["community"] = 0
    part = section(report_html(G, STATS), "communities")
    assert part.count("<bdi>Outlet") == 10 and "and 5 more" in part


def test_timeline_chart_and_table():
    html = report_html(nx.DiGraph(), RunStats(), timeline=TIMELINE)
    part = section(html, "timeline")
    svg = part.split("<svg")[1].split("</svg>")[0]
    bars = re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="[^"]+"><title>([^<]+)</title>', svg)
    assert [b[2] for b in bars] == ["2024-01, link: 3", "2024-01, mention: 1", "2024-02, link: 9",
                                    "2024-03, link: 100,000", "2024-03, syndication: 2"]
    y = {b[2]: float(b[0]) for b in bars}
    height = {b[2]: float(b[1]) for b in bars}
    ticks = [int(t.replace(",", "")) for t in re.findall(r'text-anchor="end">([\d,]+)</text>', svg)]
    assert ticks == [0, 50_000, 100_000, 150_000]  # round steps up to the peak of 100,002
    assert height["2024-03, link: 100,000"] == pytest.approx(220 * 100_000 / 150_000, abs=0.01)
    assert y["2024-03, syndication: 2"] + height["2024-03, syndication: 2"] == pytest.approx(y["2024-03, link: 100,000"])
    assert height["2024-02, link: 9"] < 0.1  # to scale, however small
    assert [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<text x="[\d.]+" y="[\d.]+">([^<]+)</text>', svg)] == [
        "link", "mention", "syndication"]  # the legend
    assert ">month</text>" in svg and ">citations</text>" in svg
    assert re.findall(r'text-anchor="middle">(\d{4}-\d\d)</text>', svg) == ["2024-01", "2024-02", "2024-03"]
    table = cells(part.split("</svg>")[1])
    assert table == ["2024-01", "3", "1", "0", "4", "2024-02", "9", "0", "0", "9",
                     "2024-03", "100,000", "0", "2", "100,002"]
    assert 'href="#timeline"' in html
    assert 'id="timeline"' not in report_html(nx.DiGraph(), RunStats(), timeline=[])


def test_timeline_of_one_month_and_unknown_kinds():
    part = section(report_html(nx.DiGraph(), RunStats(), timeline=[("2024-05", "link", 1), ("2024-05", "quote", 2)]),
                   "timeline")
    assert part.count("<title>2024-05") == 2
    assert re.findall(r'text-anchor="middle">([^<]+)</text>', part) == ["2024-05", "month", "citations"]
    assert cells(part.split("</svg>")[1]) == ["2024-05", "1", "0", "0", "2", "3"]
    assert "<th class=\"num\">quote</th>" in part


@pytest.mark.parametrize("rows", [[("2024-01", "link")], [("2024-01", "link", -1)], ["2024-01"], 7,
                                  [("2024-01", "link", "many")]])
def test_bad_timelines_get_a_reason_code(rows):
    with pytest.raises(RenderError) as caught:
        report_html(nx.DiGraph(), RunStats(), timeline=rows)
    assert caught.value.code == "bad-timeline"


def test_outlet_sections_are_capped_and_linked(camps):
    html = report_html(camps, STATS, outlet_sections=3)
    part = section(html, "outlets")
    anchors = re.findall(r'<article class="outlet" id="([^"]+)">', part)
    busiest = sorted(camps, key=lambda n: (-(camps.nodes[n]["in_weight"] + camps.nodes[n]["out_weight"]),
                                           camps.nodes[n]["name"].lower()))[:3]
    assert anchors == [f"outlet-{n}" for n in busiest]
    assert "5 outlets with fewer citations are left out." in part
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert {h[1:] for h in re.findall(r'href="(#[^"]*)"', html)} <= ids  # no link leads nowhere
    first = part.split("</article>")[0]
    assert "<h4>Cites most</h4>" in first and "<h4>Cited most by</h4>" in first
    assert "<h4>Evidence of its heaviest edges</h4>" in first
    assert "Share of its citations inside its community" in first and "PageRank" in first
    assert first.count('<div class="outlet-edge">') == 5  # its five heaviest edges
    assert re.search(r"\d+ lighter edges? of this outlet not shown", first)
    assert "the edge's evidence</a>" in first
    assert 'id="outlets"' not in report_html(camps, STATS, outlet_sections=0)


def test_outlet_section_lists_neighbours_and_metadata():
    G = graph([("a.com", "A", "news")] + [(f"t{i}.com", f"T{i}", "news") for i in range(12)],
              [("a.com", f"t{i}.com", i + 1, 4) for i in range(12)])
    G.nodes["a.com"].update(owner="Ann & Co", audience=12000, public=True, viz={"size": 3})
    part = section(report_html(G, STATS, evidence_per_edge=10), "outlets").split("</article>")[0]
    cites = part.split("<h4>Cites most</h4>")[1].split("</table>")[0]
    assert re.findall(r"<bdi>(T\d+)</bdi>", cites) == [f"T{i}" for i in range(11, 1, -1)]
    assert "2 more outlets not listed." in part
    assert "No outlet cites it." in part
    assert cells(part.split("<caption>Metadata</caption>")[1].split("</table>")[0]) == ["12,000", "Ann & Co", "yes"]
    assert "viz" not in part
    assert "1 more evidence item not listed here." in part  # three of four per edge in a section


def test_fragment_ids_are_safe_for_any_outlet_id():
    ids = list(PAYLOADS) + ["nytimes.com", "x.com/someone", "youtube.com/@chan", 1, "1", "outlet-1", "", " "]
    G = nx.DiGraph()
    G.add_nodes_from(ids)
    G.add_edges_from(zip(ids, ids[1:]))
    html = report_html(G, STATS)
    anchors = re.findall(r'<article class="outlet" id="([^"]*)">', html)
    assert len(anchors) == len(set(anchors)) == len(ids)
    assert all(re.fullmatch(r"outlet-[A-Za-z0-9._-]+", a) for a in anchors)
    assert "outlet-nytimes.com" in anchors
    assert {h[1:] for h in re.findall(r'href="(#[^"]*)"', html)} <= set(re.findall(r' id="([^"]+)"', html))


def test_network_embedded_in_one_file():
    G = two_camps()
    page = network_html(G)
    html = report_html(G, STATS, network_page=page, network_href="network.html")
    assert frame_doc(html) == page
    assert re.search(r'<iframe srcdoc="[^"]*" title="citation network" '
                     r'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads"></iframe>', html)
    assert '<a href="network.html">on its own page</a>' in html
    policy = csp(html)
    assert policy.startswith("default-src 'none'") and "frame-src" not in policy
    expected = [sha256(str(_report_script()))] + [sha256(str(s)) for s in _page_assets(include_vis=True)["scripts"]]
    assert re.search(r"script-src ([^;]*);", policy).group(1).split() == expected
    assert html.count("<script") == 1  # the network's scripts sit escaped in the attribute
    assert len(html.encode("utf-8")) < 3_000_000
    without_link = report_html(G, STATS, network_page=page, network_href="")
    assert "on its own page" not in without_link and "<iframe srcdoc=" in without_link
    framed = report_html(G, STATS)
    assert '<iframe src="network.html"' in framed and "frame-src 'self' file: http: https:" in csp(framed)
    assert re.search(r"script-src ([^;]*);", csp(framed)).group(1).split() == expected[:1]
    assert 'id="network"' not in report_html(G, STATS, network_href="")
    with pytest.raises(RenderError) as caught:
        report_html(G, STATS, network_page=b"<html>")
    assert caught.value.code == "bad-option"


def test_graph_and_timeline_are_not_changed(camps):
    before = (copy.deepcopy(camps.graph), copy.deepcopy(list(camps.nodes(data=True))),
              copy.deepcopy(list(camps.edges(data=True))))
    rows = list(TIMELINE)
    report_html(camps, STATS, timeline=rows, network_page=network_html(camps))
    assert (camps.graph, list(camps.nodes(data=True)), list(camps.edges(data=True))) == before
    assert rows == TIMELINE


# Bad input ---------------------------------------------------------------------------------------


def test_one_node_graph():
    G = add_metrics(graph([("solo.org", "Solo", "magazine")], []))
    html = report_html(G, STATS, timeline=[("2024-01", "link", 0)])
    assert 'id="outlet-solo.org"' in html and "Cites no outlet." in html and "No outlet cites it." in html
    assert "No citation edges in this graph." in html
    assert "No citations between communities." in html


def test_graph_without_edges():
    G = add_metrics(graph([("a.com", "A", "news"), ("b.com", "B", "wire")], []))
    html = report_html(G, STATS)
    assert "No outlet is cited." in html and "No outlet cites another." in html
    assert html.count('<article class="outlet"') == 2 and "Evidence of its heaviest edges" not in html
    assert len(re.findall(r"<bdi>(\w)</bdi></a></td><td><code>", section(html, "top-pagerank"))) == 2
    assert "No outlet has a hub score above zero." in section(html, "top-hubs")


def test_one_heavy_edge_stays_small():
    G = graph([("a.com", "A", "news"), ("b.com", "B", "news")], [("a.com", "b.com", 100_000, 100_000)])
    G = add_metrics(G)
    html = report_html(G, STATS, network_page=network_html(G), timeline=[("2024-03", "link", 100_000)])
    assert len(html.encode("utf-8")) < 3_000_000
    assert "99,990 more evidence items not listed." in html
    assert "99,997 more evidence items not listed here." in html
    assert html.count("https://a.com/story-") < 100
    assert "<td class=\"num\">100,000</td>" in section(html, "top-cited")


def test_self_loops():
    G = graph([("a.com", "A", "news"), ("b.com", "B", "news")], [("a.com", "a.com", 4, 2), ("a.com", "b.com", 1, 1)])
    G = add_metrics(G)
    html = report_html(G, STATS)
    a = section(html, "outlets").split('id="outlet-a.com"')[1].split("</article>")[0]
    assert a.count('<div class="outlet-edge">') == 2  # the loop once, and the edge to B
    assert re.findall(r"<bdi>(\w)</bdi>", a.split("<h4>Cites most</h4>")[1].split("</table>")[0]) == ["A", "B"]
    assert html.count('class="edge"') == 2


def test_long_emoji_and_right_to_left_names():
    G = add_metrics(graph([("long.example", LONG_NAME, "news"), ("rtl.example", RTL_NAME, "news"),
                           ("emoji.example", EMOJI_NAME, "news")],
                          [("long.example", "rtl.example", 3, 1), ("emoji.example", "long.example", 2, 1)]))
    html = report_html(G, STATS)
    cut = LONG_NAME[:119] + "\u2026"
    assert f'title="{LONG_NAME[:1999]}\u2026"><bdi>{cut}</bdi>' in section(html, "top-cited")
    outlets = section(html, "outlets")
    assert f"<h3><bdi>{LONG_NAME[:299]}\u2026</bdi></h3>" in outlets  # a heading cut to fit
    assert f"characters)</summary><p><bdi>{LONG_NAME}</bdi></p></details>" in outlets  # whole beneath it
    assert f"<h3><bdi>{LONG_NAME[:299]}\u2026</bdi> <span class=\"arrow\">" in section(html, "edges")
    assert f"<bdi>{RTL_NAME}</bdi>" in html and f"<bdi>{EMOJI_NAME}</bdi>" in html
    assert len(html) < 400_000


class Parsed(HTMLParser):
    """The elements, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


REPORT_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "h5", "p", "nav",
               "a", "main", "section", "div", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "code",
               "bdi", "span", "article", "iframe", "script", "svg", "g", "rect", "text", "line", "details", "summary"}


def test_hostile_strings_stay_text():
    G = hostile_graph()
    page = network_html(G)
    parsed = Parsed(report_html(G, STATS, timeline=[(p, p, 1) for p in PAYLOADS], network_page=page, network_href=""))
    assert set(parsed.tags) <= REPORT_TAGS
    assert parsed.tags.count("script") == 1 and parsed.tags.count("svg") == 1  # ours, and the chart
    assert [a for a in parsed.attrs if a[1].startswith("on") or a[1] == "src"] == []
    hrefs = [value for _tag, name, value in parsed.attrs if name == "href"]
    assert hrefs and all(h.startswith("#") for h in hrefs)  # no http(s) in the payloads, so no outside link
    assert [value for _tag, name, value in parsed.attrs if name == "srcdoc"] == [page]
    ids = [value for _tag, name, value in parsed.attrs if name == "id"]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", i) for i in ids) and len(ids) == len(set(ids))
    text = "".join(parsed.text)
    for payload in PAYLOADS:
        assert text.count(payload) > 5


def hostile_graph() -> nx.DiGraph:
    """Every string the web can put in the graph carries a payload: ids, names, metadata, evidence, months."""
    G = nx.DiGraph(title=PAYLOADS[0])
    for p in PAYLOADS:
        G.add_node(p, name=p, kind=p, country=p, articles=1, owner=p)
    for i, p in enumerate(PAYLOADS):
        target = PAYLOADS[(i + 1) % len(PAYLOADS)]
        ev = {key: p for key in ("article_url", "article_title", "published_at", "kind", "target_url",
                                 "anchor_text", "context")}
        G.add_edge(p, target, weight=i + 1, link=i + 1, mention=0, syndication=0, first_seen=p, last_seen=p,
                   evidence=[ev, dict(ev, article_title="")])
    return add_metrics(G)


# In the browser ----------------------------------------------------------------------------------


def open_report(page, path):
    page.goto(path.as_uri())
    # a function, not a string: the page's Content-Security-Policy forbids eval
    page.wait_for_function("() => window.citegraphReport && window.citegraphReport.ready", timeout=20_000)


def network_frame(page):
    page.locator("#network iframe").scroll_into_view_if_needed()  # Chromium draws off-screen frames lazily
    frame = page.locator("#network iframe").element_handle().content_frame()
    frame.wait_for_function("() => window.citegraph && window.citegraph.ready", timeout=30_000)
    return frame


def assert_clean(page, path):
    assert page.seen.page_errors == []
    assert page.seen.console_errors == []
    assert set(page.seen.requests) <= {path.as_uri(), "about:srcdoc"}, page.seen.requests


def column(page, table, index):
    return page.evaluate(
        """([table, index]) => Array.from(document.querySelectorAll(table + " tbody tr"))
            .filter(r => !r.hidden).map(r => r.cells[index].textContent.trim())""",
        [table, index],
    )


@pytest.mark.browser
def test_report_opens_offline_with_the_network_inside(page, tmp_path, camps):
    path = render_report(camps, STATS, tmp_path / "report.html", network_page=network_html(camps),
                         network_href="", timeline=TIMELINE)
    open_report(page, path)
    frame = network_frame(page)
    drawn = frame.evaluate("""() => ({
        nodes: Object.keys(window.citegraph.network.getPositions()).length,
        canvas: document.querySelectorAll("#cg-network canvas").length})""")
    assert drawn == {"nodes": camps.number_of_nodes(), "canvas": 1}
    assert page.evaluate("window.citegraphReport.tables") == page.evaluate(
        "document.querySelectorAll('table.data').length") > 20
    assert page.evaluate("document.querySelectorAll('input.cg-filter').length") == page.evaluate(
        "window.citegraphReport.tables")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200  # nothing pushes the page wider
    assert_clean(page, path)


@pytest.mark.browser
def test_sorting_a_numeric_column_orders_rows(page, tmp_path):
    # 9, 10 and 100,000 sort differently as text: only a numeric sort passes.
    weights = [10, 9, 100_000, 250, 1]
    G = graph([("hub.example", "Hub", "news")] + [(f"o{i}.example", f"Outlet {i}", "news") for i in range(5)],
              [(f"o{i}.example", "hub.example", w, 0) for i, w in enumerate(weights)])
    path = render_report(G, STATS, tmp_path / "report.html", network_href="")
    open_report(page, path)
    table = "#top-citing table"
    header = page.locator(f"{table} thead th").nth(5)
    header.locator("button").click()
    assert column(page, table, 5) == ["1", "9", "10", "250", "100,000"]
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    assert column(page, table, 5) == ["100,000", "250", "10", "9", "1"]
    assert header.get_attribute("aria-sort") == "descending"
    name = page.locator(f"{table} thead th").nth(1)
    name.locator("button").click()
    assert column(page, table, 1) == [f"Outlet {i}" for i in range(5)]
    assert name.get_attribute("aria-sort") == "ascending" and header.get_attribute("aria-sort") is None
    assert_clean(page, path)


@pytest.mark.browser
def test_filter_box_hides_rows(page, tmp_path, camps):
    path = render_report(camps, STATS, tmp_path / "report.html", network_href="", timeline=TIMELINE)
    open_report(page, path)
    table = "#top-cited table"
    assert len(column(page, table, 1)) == 8
    box = page.locator("#top-cited input.cg-filter")
    box.fill("beta")
    shown = column(page, table, 1)
    assert len(shown) == 4 and all(name.startswith("Beta") for name in shown)
    assert page.inner_text("#top-cited .cg-shown") == "4 of 8 rows"
    box.fill("no such outlet")
    assert column(page, table, 1) == []
    box.fill("")
    assert len(column(page, table, 1)) == 8
    month = page.locator("#timeline input.cg-filter")
    month.fill("2024-02")
    assert column(page, "#timeline table", 0) == ["2024-02"]
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('input.cg-filter').parentNode).display") == "none"
    assert_clean(page, path)


@pytest.mark.browser
def test_hostile_strings_never_run_in_the_report(page, tmp_path):
    G = hostile_graph()
    path = render_report(G, STATS, tmp_path / "report.html", network_page=network_html(G), network_href="",
                         timeline=[(p, p, 1) for p in PAYLOADS])
    open_report(page, path)
    assert page.title() == PAYLOADS[0]
    frame = network_frame(page)
    assert frame.evaluate("window.citegraph.nodes.length") == len(PAYLOADS)
    for box in page.locator("input.cg-filter").all():
        box.fill("<script")
    for button in page.locator("button.cg-sort").all()[:40]:
        button.click()
    for box in page.locator("input.cg-filter").all():
        box.fill("")
    for anchor in page.query_selector_all("main a"):
        href = anchor.get_attribute("href") or ""
        assert href.startswith("#"), href  # no payload became a link
        anchor.hover()
        anchor.click()
    text = page.inner_text("main")
    for payload in PAYLOADS:
        assert payload in text
    state = page.evaluate("""() => ({
        pwned: typeof window.__pwned,
        scripts: Array.from(document.scripts).map(s => [s.type, s.src]),
        foreign: document.querySelectorAll("img, object, embed, [onerror], [onload], [onmouseover]").length,
        svgs: document.querySelectorAll("svg").length})""")
    assert state == {"pwned": "undefined", "scripts": [["", ""]], "foreign": 0, "svgs": 1}
    assert frame.evaluate("typeof window.__pwned") == "undefined"
    assert page.url.startswith(path.as_uri())
    assert_clean(page, path)


@pytest.mark.browser
def test_bad_input_pages_open_cleanly(page, tmp_path):
    G = add_metrics(graph([("long.example", LONG_NAME, "news"), ("rtl.example", RTL_NAME, "news"),
                           ("emoji.example", EMOJI_NAME, "news"), ("heavy.example", "Heavy", "wire")],
                          [("long.example", "rtl.example", 3, 1), ("emoji.example", "long.example", 2, 1),
                           ("heavy.example", "rtl.example", 100_000, 100_000), ("rtl.example", "rtl.example", 2, 2)]))
    path = render_report(G, STATS, tmp_path / "report.html", network_page=network_html(G), network_href="",
                         timeline=[("2024-01", "link", 5)])
    open_report(page, path)
    network_frame(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200
    assert RTL_NAME in page.inner_text("#outlets")
    page.set_viewport_size({"width": 400, "height": 800})  # a phone: tables scroll inside their box
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    assert_clean(page, path)
    empty = render_report(nx.DiGraph(), RunStats(), tmp_path / "empty.html", network_page=network_html(nx.DiGraph()))
    open_report(page, empty)
    assert page.evaluate("window.citegraphReport.tables") == 0
    assert "This graph has no outlets" in page.locator("#network iframe").element_handle().content_frame().inner_text("body")
    assert page.seen.page_errors == [] and page.seen.console_errors == []


@pytest.mark.browser
def test_the_report_of_a_store_is_one_file_with_its_timeline_and_network(page, sample_cli):
    out = sample_cli("report")
    path = out / "report.html"
    html = path.read_text(encoding="utf-8")
    assert "<svg" in html and 'id="timeline"' in html  # citations per month, drawn inline
    assert "<iframe srcdoc=" in html and not (out / "network.html").exists()
    open_report(page, path)
    frame = network_frame(page)
    assert frame.evaluate("() => window.citegraph.data.months.length") >= 12  # the date filter has its data
    assert frame.evaluate("() => window.citegraph.shown.edges") > 0
    assert_clean(page, path)
