"""The network page's filters, size and colour selectors, legend, physics switch and PNG export, driven in
headless Chromium through the page's own controls; and the page of a real store, dates included."""
from __future__ import annotations

import struct

import networkx as nx
import pytest
from test_render import PAYLOADS, drawn_edges, evidence, open_network, outlet_graph, page_data  # noqa: E402

from citegraph.render import network_html, render_network  # noqa: E402

pytestmark = pytest.mark.browser


def study_graph() -> tuple[nx.DiGraph, dict]:
    """Six outlets in two communities, with metadata columns and monthly counts on every edge."""
    G = outlet_graph(
        [("a.com", "Alpha", "news"), ("b.com", "Beta", "news"), ("c.com", "Gamma", "wire"),
         ("d.org", "Delta", "think_tank"), ("e.com", "Epsilon", "news"), ("f.net", "Phi", "platform")],
        [("a.com", "b.com", 6, evidence("a.com", "b.com", 2)), ("a.com", "c.com", 1, []),
         ("b.com", "c.com", 3, evidence("b.com", "c.com")), ("d.org", "a.com", 2, evidence("d.org", "a.com")),
         ("e.com", "d.org", 4, []), ("c.com", "e.com", 1, [])],
    )
    G["a.com"]["b.com"].update(link=4, mention=2)  # 6 articles: 4 link, 2 mention
    G["e.com"]["d.org"].update(link=0, mention=1, syndication=3)
    for node, community, lean, reach, pr in zip(G, (0, 0, 0, 1, 1, 1), ("left", "left", "centre", "right", "right", ""),
                                                (10.0, 250.5, 40.0, 7.0, 1000.0, None), (0.3, 0.25, 0.2, 0.1, 0.1, 0.05)):
        G.nodes[node].update(community=community, pagerank=pr)
        if lean:
            G.nodes[node]["lean"] = lean
        if reach is not None:
            G.nodes[node]["reach"] = reach
    months = {
        ("a.com", "b.com"): {"2024-01": {"link": 3}, "2024-02": {"link": 1, "mention": 2}},
        ("a.com", "c.com"): {"2024-03": {"link": 1}},
        ("b.com", "c.com"): {"2024-01": {"link": 1}, "2024-03": {"link": 2}},
        ("d.org", "a.com"): {"2024-02": {"link": 2}},
        ("e.com", "d.org"): {"2024-03": {"mention": 1, "syndication": 3}},
        ("c.com", "e.com"): {"2024-04": {"link": 1}},
    }
    return G, months


def open_study(page, tmp_path, **options):
    G, months = study_graph()
    path = render_network(G, tmp_path / "network.html", edge_months=months, **options)
    open_network(page, path)
    return path


def hidden(page) -> dict:
    """The outlets vis-network hides and the edges the page's next frame leaves out."""
    drawn = drawn_edges(page)
    assert drawn["drawn"] == len(drawn["edges"])
    on = {e["id"] for e in drawn["edges"]}
    return {
        "nodes": page.evaluate("() => window.citegraph.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()"),
        "edges": sorted(e["from"] + ">" + e["to"] for e in page_edges(page) if e["id"] not in on),
    }


def page_edges(page) -> list[dict]:
    return page.evaluate("() => window.citegraph.data.edges.map(e => ({id: e.id, from: e.from, to: e.to}))")


def shown(page) -> dict:
    return page.evaluate("() => window.citegraph.shown")


def test_the_data_carries_metrics_metadata_and_months():
    G, months = study_graph()
    data = page_data(network_html(G, edge_months=months))
    assert data["months"] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert {c["name"]: c["type"] for c in data["meta"]} == {"lean": "category", "reach": "number"}
    lean = next(c for c in data["meta"] if c["name"] == "lean")
    assert lean["values"] == ["left", "right", "centre"]  # by frequency
    assert "pagerank" in data["sizeOptions"] and "reach" in data["sizeOptions"]
    assert data["colorOptions"] == ["kind", "community", "country"]
    a = next(n for n in data["nodes"] if n["id"] == "a.com")
    assert a["community"] == 0 and a["m"]["pagerank"] == 0.3 and a["meta"] == {"lean": "left", "reach": 10}
    ab = next(e for e in data["edges"] if (e["from"], e["to"]) == ("a.com", "b.com"))
    assert ab["months"] == [[0, 3, 0, 0], [1, 1, 2, 0]]


def test_kind_and_weight_filters_hide_edges(page, tmp_path):
    open_study(page, tmp_path)
    assert shown(page) == {"nodes": 6, "edges": 6} and page.inner_text("#cg-shown") == ""
    page.uncheck("#cg-kinds input[name=link]")  # through the control itself
    # left: a>b (2 mentions), e>d (1 mention + 3 syndication)
    assert hidden(page)["edges"] == ["a.com>c.com", "b.com>c.com", "c.com>e.com", "d.org>a.com"]
    page.fill("#cg-min-weight", "3")
    page.dispatch_event("#cg-min-weight", "input")
    assert shown(page)["edges"] == 1 and hidden(page)["nodes"] == []
    assert page.inner_text("#cg-shown") == "filtered: 6 outlets of 6, 1 citation edge of 6"
    page.check("#cg-hide-isolated")
    assert hidden(page)["nodes"] == ["a.com", "b.com", "c.com", "f.net"]
    page.click("#cg-reset")
    assert shown(page) == {"nodes": 6, "edges": 6} and page.is_checked("#cg-kinds input[name=link]")


def test_date_filter_counts_only_the_articles_of_the_window(page, tmp_path):
    open_study(page, tmp_path)
    assert page.is_visible("#cg-from")
    page.fill("#cg-from", "2024-02")
    page.fill("#cg-until", "2024-03")
    page.dispatch_event("#cg-until", "input")
    # 2024-02..03: a>b 3 (1 link + 2 mentions), a>c 1, b>c 2, d>a 2, e>d 4; c>e only in 2024-04
    assert hidden(page)["edges"] == ["c.com>e.com"]
    page.evaluate("() => window.citegraph.setView({minWeight: 3})")
    assert set(hidden(page)["edges"]) == {"a.com>c.com", "b.com>c.com", "c.com>e.com", "d.org>a.com"}
    assert page.input_value("#cg-min-weight") == "3"  # the control follows a view set by script
    widths = {e["from"] + ">" + e["to"]: e["width"] for e in drawn_edges(page)["edges"]}
    assert widths["e.com>d.org"] > widths["a.com>b.com"]  # 4 in the window against 3


def test_community_outlet_kind_and_metadata_filters(page, tmp_path):
    open_study(page, tmp_path)
    page.select_option("#cg-community", "1")
    assert hidden(page)["nodes"] == ["a.com", "b.com", "c.com"]
    page.select_option("#cg-community", "")
    page.select_option("#cg-outlet-kind", "news")
    assert hidden(page)["nodes"] == ["c.com", "d.org", "f.net"]
    page.select_option("#cg-outlet-kind", "")
    lean = page.locator("#cg-meta-filters label", has_text="lean").locator("select")
    assert lean.locator("option").all_inner_texts() == ["all", "left", "right", "centre"]
    lean.select_option("right")
    assert hidden(page)["nodes"] == ["a.com", "b.com", "c.com", "f.net"]
    lean.select_option("")
    reach = page.locator("#cg-meta-filters label", has_text="reach").locator("input")
    reach.nth(0).fill("40")
    reach.nth(0).dispatch_event("input")
    # an outlet without a value is left out by a range, as by any filter on that column
    assert hidden(page)["nodes"] == ["a.com", "d.org", "f.net"]


def test_size_and_colour_follow_the_selectors_and_the_legend_follows(page, tmp_path):
    open_study(page, tmp_path)
    legend = page.inner_text("#cg-legend-items")
    assert "news (3)" in legend and "wire (1)" in legend
    page.select_option("#cg-size-by", "pagerank")
    sizes = page.evaluate("() => Object.fromEntries(window.citegraph.nodes.get().map(n => [n.id, n.size]))")
    assert sizes["a.com"] == 48 and sizes["a.com"] > sizes["b.com"] > sizes["c.com"] > sizes["f.net"]
    assert page.inner_text("#cg-legend-size") == "Node size: pagerank (square-root scale)."
    page.select_option("#cg-color-by", "lean")
    rows = page.evaluate("() => window.citegraph.legend()")
    assert [(r["label"], r["n"]) for r in rows] == [("left", 2), ("right", 2), ("centre", 1), ("(none)", 1)]
    assert rows[-1]["color"] == "#bab0ac"  # no value: grey, last
    colors = page.evaluate("() => Object.fromEntries(window.citegraph.nodes.get().map(n => [n.id, n.color.background]))")
    assert colors["a.com"] == colors["b.com"] != colors["d.org"] == colors["e.com"]
    page.select_option("#cg-color-by", "reach")
    assert page.evaluate("() => window.citegraph.legend()") == [{"ramp": True, "low": 7, "high": 1000}]
    assert page.locator("#cg-legend-items .cg-ramp").count() == 1
    colors = page.evaluate("() => Object.fromEntries(window.citegraph.nodes.get().map(n => [n.id, n.color.background]))")
    assert colors["d.org"] == "#fde725" and colors["e.com"] == "#440154"  # the ends of the ramp
    assert colors["f.net"] == "#bab0ac"  # no value: grey
    page.select_option("#cg-color-by", "community")
    assert [r["label"] for r in page.evaluate("() => window.citegraph.legend()")] == ["0", "1"]
    assert page.seen.page_errors == [] and page.seen.console_errors == []


def test_physics_switches_off_and_on(page, tmp_path):
    open_study(page, tmp_path)
    assert page.evaluate("() => window.citegraph.network.physics.options.enabled") is True
    page.uncheck("#cg-physics")
    assert page.evaluate("() => window.citegraph.network.physics.options.enabled") is False
    page.check("#cg-physics")
    assert page.evaluate("() => window.citegraph.network.physics.options.enabled") is True


def test_the_view_is_saved_as_a_png(page, tmp_path):
    open_study(page, tmp_path)
    page.select_option("#cg-color-by", "lean")
    with page.expect_download() as info:
        page.click("#cg-png")
    download = info.value
    target = tmp_path / "view.png"
    download.save_as(target)
    head = target.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    assert width >= 600 and height >= 300
    assert download.suggested_filename.endswith(".png")
    # the picture is not blank: drawn nodes and the legend are in it
    inked = page.evaluate("""async () => {
        const img = new Image();
        img.src = window.citegraph.pngDataUrl();
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.width; c.height = img.height;
        const ctx = c.getContext("2d");
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let inked = 0, transparent = 0;
        for (let i = 0; i < px.length; i += 4) {
            if (px[i + 3] < 255) transparent += 1;
            else if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) inked += 1;
        }
        return {inked, transparent};
    }""")
    assert inked["transparent"] == 0 and inked["inked"] > 500  # on white, with nodes, edges and legend drawn
    assert all(r.startswith(("file:", "data:", "blob:")) for r in page.seen.requests), page.seen.requests


def test_hostile_metadata_stays_text_in_the_controls(page, tmp_path):
    G, months = study_graph()
    for node, payload in zip(G, PAYLOADS):
        G.nodes[node]["lean"] = payload
        G.nodes[node][payload] = payload  # a column name that is itself a payload
    path = render_network(G, tmp_path / "network.html", edge_months=months)
    open_network(page, path)
    lean = page.locator("#cg-meta-filters label", has_text="lean").locator("select")
    assert set(lean.locator("option").all_inner_texts()) == {"all", *PAYLOADS}
    assert page.locator("#cg-meta-filters label").count() == 2 + len(PAYLOADS)
    page.select_option("#cg-color-by", "lean")
    assert {r["label"] for r in page.evaluate("() => window.citegraph.legend()")} >= set(PAYLOADS)
    page.evaluate("(p) => window.citegraph.showNode('a.com')", None)
    assert PAYLOADS[0] in page.inner_text("#cg-panel")
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#cg-controls script, #cg-legend img, #cg-panel svg, #cg-controls img").count() == 0
    assert page.seen.page_errors == []


def test_the_network_of_a_store_filters_by_date(page, sample_cli):
    path = sample_cli("render") / "network.html"
    data = page_data(path.read_text(encoding="utf-8"))
    assert len(data["months"]) >= 12 and all("months" in e for e in data["edges"])
    open_network(page, path)
    total = shown(page)
    edges_in = [sum(1 for e in data["edges"] if any(row[0] == i for row in e["months"])) for i in range(len(data["months"]))]
    busiest = max(range(len(edges_in)), key=edges_in.__getitem__)
    month = data["months"][busiest]
    page.fill("#cg-from", month)
    page.fill("#cg-until", month)
    page.dispatch_event("#cg-until", "input")
    one_month = shown(page)
    assert one_month["edges"] == edges_in[busiest] and 0 < one_month["edges"] < total["edges"]
    # every edge shown has citing articles in that month
    kept = [e["id"] for e in drawn_edges(page)["edges"]]
    by_id = {e["id"]: e for e in data["edges"]}
    assert all(any(row[0] == busiest and sum(row[1:]) > 0 for row in by_id[i]["months"]) for i in kept)


def test_outlets_without_a_value_are_grey_and_last_in_the_legend():
    G, _months = study_graph()
    html = network_html(G, color_by="lean")
    colors = {n["id"]: n["color"] for n in page_data(html)["nodes"]}
    assert colors["f.net"] == "#bab0ac" and len({colors["a.com"], colors["d.org"], colors["c.com"], colors["f.net"]}) == 4
    legend = html.split('id="cg-legend-items"')[1].split("</ul>")[0]
    labels = [part.split("</li>")[0].strip() for part in legend.split("</span>")[1:]]
    assert labels == ["left", "right", "centre", "(none)"]


LONG = "Долгое имя " * 910  # 10,010 characters
EMOJI = "📰🗞️ News 🔥👩🏽‍💻"
RTL = "الجزيرة نت \u202e gnirts desrever"  # Arabic, and a right-to-left override


def heavy_pair() -> nx.DiGraph:
    """100,000 citing articles between two outlets, each with its evidence."""
    G = outlet_graph([("a.com", "A", "news"), ("b.com", "B", "news")], [])
    G.add_edge("a.com", "b.com", weight=100_000, link=100_000, mention=0, syndication=0, first_seen="2020-01-01",
               last_seen="2024-12-31", evidence=evidence("a.com", "b.com", 100_000))
    G.nodes["b.com"]["in_weight"] = G.nodes["a.com"]["out_weight"] = 100_000
    return G


def odd_names() -> nx.DiGraph:
    G = outlet_graph([("long.example", LONG, "news"), ("emoji.example", EMOJI, "news"), ("rtl.example", RTL, "wire")],
                     [("long.example", "emoji.example", 2, evidence("long.example", "emoji.example")),
                      ("rtl.example", "long.example", 1, [])])
    G.nodes["rtl.example"]["lean"] = RTL
    return G


BAD_GRAPHS = {
    "one outlet": lambda: outlet_graph([("solo.org", "Solo", "magazine")], []),
    "no edges": lambda: outlet_graph([("a.com", "A", "news"), ("b.com", "B", "wire")], []),
    "self-loops": lambda: outlet_graph([("a.com", "A", "news"), ("b.com", "B", "news")],
                                       [("a.com", "a.com", 3, evidence("a.com", "a.com")), ("a.com", "b.com", 1, []),
                                        ("b.com", "b.com", 1, [])]),
    "100,000 citations between two outlets": heavy_pair,
    "10,000-character, emoji and right-to-left names": odd_names,
}


@pytest.mark.parametrize("name", list(BAD_GRAPHS))
def test_bad_graphs_draw_and_answer_in_the_browser(page, tmp_path, name):
    G = BAD_GRAPHS[name]()
    path = render_network(G, tmp_path / "network.html")
    assert path.stat().st_size < 2_000_000  # vis-network is about 0.5 MB of it; the evidence is capped
    open_network(page, path)
    first = next(iter(G))
    assert page.evaluate("(id) => window.citegraph.showNode(id)", first) is True
    assert page.is_visible("#cg-panel")
    counts = page.evaluate("() => window.citegraph.setView({minWeight: 2, colorBy: 'country'})")
    assert counts["nodes"] == G.number_of_nodes()
    assert counts["edges"] == sum(1 for *_e, w in G.edges(data="weight") if w >= 2)
    page.click("#cg-reset")
    assert page.evaluate("() => window.citegraph.shown") == {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    assert page.seen.page_errors == [] and page.seen.console_errors == []


def test_a_heavy_edge_shows_its_evidence_capped_and_counted(page, tmp_path):
    path = render_network(heavy_pair(), tmp_path / "network.html")
    data = page_data(path.read_text(encoding="utf-8"))
    [edge] = data["edges"]
    assert len(edge["evidence"]) == 25 and edge["evidence_total"] == 100_000
    open_network(page, path)
    page.evaluate("(id) => window.citegraph.showEdge(id)", edge["id"])
    assert page.inner_text("#cg-panel .cg-capped") == "Showing 25 of 100,000 items; citations.csv has every citation."
    assert "100,000" in page.inner_text("#cg-panel dl")
    assert page.locator("#cg-panel .cg-evidence").count() == 25


def test_odd_names_are_cut_on_the_canvas_whole_in_the_panel_and_found_by_search(page, tmp_path):
    path = render_network(odd_names(), tmp_path / "network.html")
    open_network(page, path)
    labels = page.evaluate("() => Object.fromEntries(window.citegraph.nodes.get().map(n => [n.id, n.label]))")
    assert len(labels["long.example"]) == 40 and labels["long.example"].endswith("…")
    assert labels["emoji.example"] == EMOJI and labels["rtl.example"] == RTL
    page.evaluate("() => window.citegraph.showNode('long.example')")
    assert page.inner_text("#cg-panel h2") == LONG.strip() or page.inner_text("#cg-panel h2") == LONG
    page.fill("#cg-search", "🔥")
    page.click("#cg-search-form button")
    assert page.inner_text("#cg-panel h2") == EMOJI
    page.fill("#cg-search", "الجزيرة")
    page.click("#cg-search-form button")
    assert page.inner_text("#cg-panel h2") == RTL
    panel = page.locator("#cg-panel").bounding_box()
    assert panel["width"] <= 1200 * 0.9 + 1  # a 10,000-character name wraps inside the panel
    assert page.seen.page_errors == []


def test_the_first_size_and_colour_come_from_the_command_line(page, sample_cli, tmp_path):
    from click.testing import CliRunner

    from citegraph.cli import cli

    path = sample_cli("render", "--color-by", "community", "--size-by", "pagerank") / "network.html"
    data = page_data(path.read_text(encoding="utf-8"))
    assert data["colorBy"] == "community" and data["sizeBy"] == "pagerank"
    open_network(page, path)
    assert page.input_value("#cg-color-by") == "community" and page.input_value("#cg-size-by") == "pagerank"
    labels = [r["label"] for r in page.evaluate("() => window.citegraph.legend()")]
    assert labels and all(label.isdigit() for label in labels)
    db = path.parent.parent / "c.db"
    typo = CliRunner().invoke(cli, ["render", "--db", str(db), "-o", str(tmp_path / "x"), "--color-by", "comunity"])
    assert typo.exit_code == 1 and "did you mean community" in typo.output
    typo = CliRunner().invoke(cli, ["render", "--db", str(db), "-o", str(tmp_path / "x"), "--size-by", "name"])
    assert typo.exit_code == 1 and "--size-by 'name'" in typo.output


def random_network(n: int, m: int, seed: int, with_evidence: bool = False) -> nx.DiGraph:
    """``n`` news outlets and ``m`` one-article link edges at random, as the builder would label them."""
    G = nx.gnm_random_graph(n, m, seed=seed, directed=True)
    G = nx.relabel_nodes(G, {i: f"o{i}.example" for i in G})
    for node in G:
        G.nodes[node].update(name=node, kind="news", in_weight=G.in_degree(node), out_weight=G.out_degree(node))
    for u, v in G.edges:
        G[u][v].update(weight=1, link=1, **({"evidence": evidence(u, v)} if with_evidence else {}))
    return G


def greyed(page) -> list[str]:
    """The outlets drawn greyed out, sorted."""
    return page.evaluate("""() => window.citegraph.nodes.get({filter: n => n.color && n.color.background === '#e6e6e6'})
        .map(n => n.id).sort()""")


def test_a_large_network_answers_clicks_without_greying_every_outlet(page, tmp_path):
    # Above 1,000 outlets a click selects the outlet and its edges but recolours nothing: recolouring
    # every outlet on each click is what made clicks slow there.
    G = random_network(1200, 2400, seed=5, with_evidence=True)
    path = render_network(G, tmp_path / "network.html")
    open_network(page, path)
    hub = max(G, key=G.in_degree)
    page.evaluate("(id) => window.citegraph.showNode(id)", hub)
    assert page.inner_text("#cg-panel h2") == hub
    selected = sum(e["selected"] for e in drawn_edges(page)["edges"])
    assert selected == G.in_degree(hub) + G.out_degree(hub)
    assert greyed(page) == []


def test_a_small_network_greys_the_outlets_a_click_leaves_out(page, tmp_path):
    open_study(page, tmp_path)
    page.evaluate("() => window.citegraph.showNode('a.com')")
    assert greyed(page) == ["e.com", "f.net"]  # a cites b and c, d cites a
    page.evaluate("() => window.citegraph.closePanel()")
    assert greyed(page) == []


def two_way_graph() -> nx.DiGraph:
    """X and Y cite each other, Z cites itself, X cites Z; every outlet placed where the test says."""
    G = outlet_graph(
        [("x.com", "X", "news"), ("y.com", "Y", "news"), ("z.com", "Z", "wire")],
        [("x.com", "y.com", 1, evidence("x.com", "y.com")), ("y.com", "x.com", 2, evidence("y.com", "x.com", 2)),
         ("z.com", "z.com", 1, []), ("x.com", "z.com", 1, evidence("x.com", "z.com"))],
    )
    for node, x, y in (("x.com", 0.0, 0.0), ("y.com", 400.0, 0.0), ("z.com", 200.0, 300.0)):
        G.nodes[node].update(x=x, y=y)
    return G


def open_two_way(page, tmp_path) -> tuple[str, dict]:
    """Open the page of ``two_way_graph`` (its own places, physics off); return the id of its edge X -> Z
    and the network's box in the page."""
    open_network(page, render_network(two_way_graph(), tmp_path / "network.html", physics_max_nodes=0))
    x_to_z = page.evaluate("() => window.citegraph.data.edges.find(e => e.from === 'x.com' && e.to === 'z.com').id")
    return x_to_z, page.locator("#cg-network").bounding_box()


def on_screen(page, points: list[tuple[float, float]]) -> list[dict]:
    """Points of the network's plane, in page coordinates."""
    return page.evaluate("""(points) => {
        const box = document.getElementById("cg-network").getBoundingClientRect();
        return points.map(([x, y]) => {
            const dom = window.citegraph.network.canvasToDOM({x, y});
            return {x: box.left + dom.x, y: box.top + dom.y};
        });
    }""", [list(p) for p in points])


def alpha(page, point: dict) -> int:
    """How opaque the network's canvas is at a page point (0: nothing drawn there)."""
    return page.evaluate("""(p) => {
        const canvas = document.querySelector("#cg-network canvas");
        const box = canvas.getBoundingClientRect(), r = canvas.width / box.width;
        return canvas.getContext("2d").getImageData(Math.round((p.x - box.left) * r), Math.round((p.y - box.top) * r), 1, 1).data[3];
    }""", point)


def darkest_near(page, point: dict, reach: int = 6) -> dict | None:
    """The most opaque pixel of the canvas within ``reach`` pixels of a page point, or None if all are clear."""
    best = page.evaluate("""([p, reach]) => {
        const canvas = document.querySelector("#cg-network canvas");
        const box = canvas.getBoundingClientRect(), r = canvas.width / box.width;
        const x0 = Math.round((p.x - box.left - reach) * r), y0 = Math.round((p.y - box.top - reach) * r);
        const side = Math.round(2 * reach * r) + 1;
        const pixels = canvas.getContext("2d").getImageData(x0, y0, side, side).data;
        let best = null, top = 0;
        for (let i = 0; i < side * side; i++) {
            if (pixels[4 * i + 3] > top) { top = pixels[4 * i + 3]; best = [i % side, Math.floor(i / side)]; }
        }
        return best && {x: box.left + (x0 + best[0] + 0.5) / r, y: box.top + (y0 + best[1] + 0.5) / r};
    }""", [point, reach])
    return best


def placed(page) -> tuple[dict, dict]:
    """Outlets' centres and sizes as drawn."""
    return (page.evaluate("() => window.citegraph.network.getPositions()"),
            page.evaluate("() => Object.fromEntries(window.citegraph.nodes.get().map(n => [n.id, n.size]))"))


def test_edges_are_hovered_and_clicked_where_they_are_drawn(page, tmp_path):
    # The page draws edges itself: hovering and clicking one must find the edge drawn under the pointer,
    # both edges of a pair that cite each other (bent, each to its right), and a self-citation's loop.
    path = render_network(two_way_graph(), tmp_path / "network.html", physics_max_nodes=0)
    open_network(page, path)
    at, size = placed(page)
    (x0, y0), (x1, y1) = (at["x.com"]["x"], at["x.com"]["y"]), (at["y.com"]["x"], at["y.com"]["y"])
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    bend = 0.075 * length  # the middle of a quadratic curve: half the control point's offset of 0.15
    mid = ((x0 + x1) / 2, (y0 + y1) / 2)
    z = at["z.com"]
    ring = max(10, size["z.com"] * 0.9)
    aims = {
        "X \u2192 Y": (mid[0] - uy * bend, mid[1] + ux * bend),  # to the right going from X to Y
        "Y \u2192 X": (mid[0] + uy * bend, mid[1] - ux * bend),
        "Z \u2192 Z": (z["x"] + size["z.com"] * 0.7, z["y"] - size["z.com"] * 0.7 - ring),  # the loop's top
        "X \u2192 Z": ((x0 + z["x"]) / 2, (y0 + z["y"]) / 2),
    }
    points = dict(zip(aims, on_screen(page, list(aims.values()))))
    for title, point in points.items():
        point = darkest_near(page, point)  # the stroke's middle, a few pixels from the aim at most
        assert point is not None, f"nothing drawn where {title} should be"
        page.mouse.move(point["x"], point["y"])
        page.wait_for_selector(".cg-tooltip:not([hidden])")
        assert page.inner_text(".cg-tooltip").splitlines()[0] == title
        page.mouse.click(point["x"], point["y"])
        assert page.inner_text("#cg-panel h2") == title
        assert [e["from"] + ">" + e["to"] for e in drawn_edges(page)["edges"] if e["selected"]] == \
            [title[0].lower() + ".com>" + title[-1].lower() + ".com"]
    # away from every edge and outlet: no tooltip, and a click closes the panel
    far = on_screen(page, [(mid[0] + 0.25 * length, mid[1] + 0.3 * length)])[0]
    assert alpha(page, far) == 0
    page.mouse.move(far["x"], far["y"])
    page.wait_for_selector(".cg-tooltip", state="hidden")
    page.mouse.click(far["x"], far["y"])
    assert page.is_hidden("#cg-panel")
    assert not any(e["selected"] for e in drawn_edges(page)["edges"])
    assert page.seen.page_errors == []


def test_the_edges_drawn_follow_filters_and_moved_outlets(page, tmp_path):
    # The edges are kept as a picture between frames: a filter or an outlet moved must redraw them.
    x_to_z, box = open_two_way(page, tmp_path)
    middle = page.evaluate("(id) => window.citegraph.edgePoint(id)", x_to_z)
    where = {"x": box["x"] + middle["x"], "y": box["y"] + middle["y"]}
    assert darkest_near(page, where, reach=3) is not None
    page.fill("#cg-min-weight", "2")  # X -> Z has one citing article
    drawn_edges(page)
    assert darkest_near(page, where, reach=3) is None
    page.fill("#cg-min-weight", "1")
    drawn_edges(page)
    assert darkest_near(page, where, reach=3) is not None
    page.evaluate("() => window.citegraph.network.moveNode('z.com', 600, -300)")  # dragged away, say
    drawn_edges(page)
    assert darkest_near(page, where, reach=3) is None
    moved = page.evaluate("(id) => window.citegraph.edgePoint(id)", x_to_z)
    assert darkest_near(page, {"x": box["x"] + moved["x"], "y": box["y"] + moved["y"]}, reach=3) is not None
    assert page.seen.page_errors == []


def test_the_edges_move_with_the_view_and_are_drawn_afresh_once_it_stops(page, tmp_path):
    x_to_z, box = open_two_way(page, tmp_path)

    def edge_drawn() -> bool:
        at = page.evaluate("(id) => window.citegraph.edgePoint(id)", x_to_z)
        return darkest_near(page, {"x": box["x"] + at["x"], "y": box["y"] + at["y"]}, reach=3) is not None

    before = page.evaluate("(id) => window.citegraph.edgePoint(id)", x_to_z)
    layers = drawn_edges(page)["layers"]
    start = {"x": box["x"] + box["width"] - 60, "y": box["y"] + box["height"] - 60}  # empty canvas
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] - 120, start["y"] - 70, steps=6)
    mid = drawn_edges(page)
    after = page.evaluate("(id) => window.citegraph.edgePoint(id)", x_to_z)
    assert after["x"] < before["x"] - 50  # the view did move
    assert edge_drawn()  # mid-drag: the picture of the edges moved with it...
    assert mid["layers"] == layers  # ... as a picture, not drawn again
    page.mouse.up()
    page.wait_for_timeout(400)
    settled = drawn_edges(page)
    assert edge_drawn() and settled["drawn"] == 4 and settled["layers"] == layers + 1
    # zoomed with the wheel: sharp again once the wheel stops
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(400)
    assert edge_drawn()
    assert page.seen.page_errors == []


def test_an_outlet_dragged_by_the_mouse_takes_its_edges_along(page, tmp_path):
    x_to_z, box = open_two_way(page, tmp_path)

    def drawn_at(point) -> bool:
        return darkest_near(page, {"x": box["x"] + point["x"], "y": box["y"] + point["y"]}, reach=3) is not None

    old_middle = page.evaluate("(id) => window.citegraph.edgePoint(id)", x_to_z)
    x = page.evaluate("() => window.citegraph.network.canvasToDOM(window.citegraph.network.getPositions(['x.com'])['x.com'])")
    layers = drawn_edges(page)["layers"]
    page.mouse.move(box["x"] + x["x"], box["y"] + x["y"])
    page.mouse.down()
    for step in range(1, 9):  # along (2, -1): any direction must do
        page.mouse.move(box["x"] + x["x"] + 20 * step, box["y"] + x["y"] - 10 * step)
    mid = drawn_edges(page)
    assert mid["drawn"] == 4 and mid["layers"] == layers + 1  # once without X's edges, which follow live
    middle = page.evaluate("(id) => window.citegraph.edgePoint(id)", x_to_z)
    assert abs(middle["x"] - old_middle["x"]) > 40
    assert drawn_at(middle) and not drawn_at(old_middle)
    page.mouse.up()
    page.wait_for_timeout(100)
    assert drawn_edges(page)["drawn"] == 4
    assert drawn_at(middle) and not drawn_at(old_middle)
    assert page.seen.page_errors == []


def test_tooltips_go_when_their_edge_is_filtered_out_or_the_panel_opens(page, tmp_path):
    x_to_z, box = open_two_way(page, tmp_path)
    at = page.evaluate("(id) => window.citegraph.edgePoint(id)", x_to_z)
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_selector(".cg-tooltip:not([hidden])")
    page.evaluate("() => window.citegraph.setView({minWeight: 2})")  # X -> Z has one citing article
    assert page.is_hidden(".cg-tooltip")
    page.evaluate("() => window.citegraph.setView({minWeight: 1})")
    page.mouse.move(box["x"] + at["x"] + 1, box["y"] + at["y"])
    page.wait_for_selector(".cg-tooltip:not([hidden])")
    page.mouse.click(box["x"] + at["x"] + 1, box["y"] + at["y"])
    assert page.inner_text("#cg-panel h2") == "X \u2192 Z"
    page.wait_for_timeout(200)  # longer than the pointer must rest for a tooltip
    assert page.is_hidden(".cg-tooltip")  # the panel says it all; nothing covers it


def test_edges_without_weights_or_kinds_are_thin_and_not_for_the_kind_boxes_to_hide(page, tmp_path):
    G = nx.DiGraph([("a.com", "b.com"), ("b.com", "c.com"), ("c.com", "a.com")])
    data = page_data(network_html(G))
    assert [e["weight"] for e in data["edges"]] == [1, 1, 1]
    assert {e["width"] for e in data["edges"]} == {1.0}  # one citing article: the thinnest line
    open_network(page, render_network(G, tmp_path / "network.html"))
    page.uncheck("#cg-kinds input[name=mention]")
    drawn = drawn_edges(page)
    assert drawn["drawn"] == 3 and {e["width"] for e in drawn["edges"]} == {1.0}


def test_arrow_heads_are_drawn_at_the_cited_outlet(page, tmp_path):
    path = render_network(two_way_graph(), tmp_path / "network.html", physics_max_nodes=0)
    open_network(page, path)
    at, size = placed(page)
    width = next(e["width"] for e in drawn_edges(page)["edges"] if e["from"] == "x.com" and e["to"] == "z.com")
    a, b = at["x.com"], at["z.com"]
    length = ((b["x"] - a["x"]) ** 2 + (b["y"] - a["y"]) ** 2) ** 0.5
    ux, uy = (b["x"] - a["x"]) / length, (b["y"] - a["y"]) / length
    head = 9 + 3 * width  # the head's length; it is 0.8 of that wide at its base
    tip = (b["x"] - ux * (size["z.com"] + 1), b["y"] - uy * (size["z.com"] + 1))
    aside = (width / 2 + 0.2 * head) / 2  # outside the line, inside the head halfway along it
    in_head = (tip[0] - ux * head / 2 - uy * aside, tip[1] - uy * head / 2 + ux * aside)
    by_line = (a["x"] + ux * length / 2 - uy * aside, a["y"] + uy * length / 2 + ux * aside)
    head_point, line_point = on_screen(page, [in_head, by_line])
    assert alpha(page, head_point) > 0
    assert alpha(page, line_point) == 0
    assert page.seen.page_errors == []


def test_negative_metadata_sizes_outlets_from_the_lowest_up():
    G, _months = study_graph()
    for node, score in zip(G, (-2.0, -1.0, 0.0, 1.0, 2.5, -2.0)):
        G.nodes[node]["score"] = score
    sizes = {n["id"]: n["size"] for n in page_data(network_html(G, size_by="score"))["nodes"]}
    assert sizes["a.com"] == sizes["f.net"] == 8 and sizes["e.com"] == 48
    assert sizes["a.com"] < sizes["b.com"] < sizes["c.com"] < sizes["d.org"] < sizes["e.com"]


def test_a_metadata_column_named_proto_filters_like_any_other(page, tmp_path):
    G, months = study_graph()
    for node, value in zip(G, ("x", "x", "y", "y", "y", "z")):
        G.nodes[node]["__proto__"] = value
    path = render_network(G, tmp_path / "network.html", edge_months=months)
    open_network(page, path)
    proto = page.locator("#cg-meta-filters label", has_text="__proto__").locator("select")
    proto.select_option("x")
    assert hidden(page)["nodes"] == ["c.com", "d.org", "e.com", "f.net"]
    assert page.seen.page_errors == []
