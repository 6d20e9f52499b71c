"""From hostile web pages to the published views: articles whose titles, anchors, link URLs, sentences and
outlet names carry script payloads are ingested, built into a graph and rendered by the CLI; every page is
opened in headless Chromium, every outlet and edge is clicked through, tables are sorted and filtered, and
nothing may execute."""
from __future__ import annotations

import json
import html as htmllib

import pytest

from test_render import XSS_CHECK, drawn_edges, hover_and_click, open_network  # noqa: E402

pytestmark = pytest.mark.browser

# Each payload, if it ever ran, would set window.__xss or open a dialog.
PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=1>',
    "javascript:window.__xss=1",
    "'><iframe srcdoc=\"<script>parent.__xss=1</script>\">",
)
OUTLETS = ("alpha.example", "beta.example", "gamma.example", "delta.example")


def _article(outlet: str, i: int) -> str:
    """An article of ``outlet`` that cites the other outlets by links and by name, every string hostile."""
    payload = PAYLOADS[i % len(PAYLOADS)]
    e = htmllib.escape  # the page is valid HTML: the payloads arrive as text, as a real page would carry them
    others = [o for o in OUTLETS if o != outlet]
    links = "".join(
        f'<p>As <a href="https://www.{o}/story?q={e(payload)}&amp;x=%22%3E%3Cscript%3E">{e(payload)} said</a> '
        f'in a report this week, {e(payload)} the figures were disputed by several analysts and officials.</p>'
        for o in others)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{e(payload)} headline {i}</title>
<link rel="canonical" href="https://www.{outlet}/2024/05/0{i + 1}/story-{i}">
<meta property="og:title" content="{e(payload)} headline {i}">
<meta property="article:published_time" content="2024-05-0{i + 1}T10:00:00Z">
</head><body><article><h1>{e(payload)} headline {i}</h1>
<p>The council voted on the harbour plan on Tuesday after a long debate that ran late into the night,
and the opposition promised to take the matter to court before the summer recess begins.</p>
{links}
<p>According to {e(payload)}, the plan will cost more than expected; the finance office declined to comment
on the new estimate, which has not been published, and the mayor said a decision would follow soon.</p>
</article></body></html>"""


@pytest.fixture
def hostile_outputs(tmp_path):
    from click.testing import CliRunner

    from citegraph.cli import cli

    pages = tmp_path / "pages"
    pages.mkdir()
    for n, outlet in enumerate(OUTLETS):
        for i in range(2):
            (pages / f"{outlet}-{i}.html").write_text(_article(outlet, n + i), encoding="utf-8")
    outlets = tmp_path / "outlets.json"
    outlets.write_text(json.dumps([
        {"id": o, "name": f"{PAYLOADS[n % len(PAYLOADS)]} {n}", "kind": "news", "country": "XF", "domains": [o]}
        for n, o in enumerate(OUTLETS)]), encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(pages), "--outlets", str(outlets), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    return out


def clear_point(page, edge: str) -> dict:
    """A whole-pixel point of an edge, in the network's box, that nothing covers: no outlet (nor its label)
    within 3 pixels, and no panel or control over it. The panel is closed and the whole network fitted
    into the view first."""
    if page.is_visible("#cg-panel"):
        page.click("#cg-panel-close")
    page.evaluate("() => window.citegraph.network.fit({animation: false})")
    for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        point = page.evaluate("([id, t]) => window.citegraph.edgePoint(id, t)", [edge, t])
        point = {"x": round(point["x"]), "y": round(point["y"])}
        if page.evaluate("""(p) => {
                const box = document.getElementById("cg-network").getBoundingClientRect();
                const hit = document.elementFromPoint(box.left + p.x, box.top + p.y);
                return Boolean(hit) && hit.tagName === "CANVAS" && [-3, 0, 3].every((dx) => [-3, 0, 3].every((dy) =>
                    window.citegraph.network.getNodeAt({x: p.x + dx, y: p.y + dy}) === undefined));
            }""", point):
            return point
    raise AssertionError(f"outlets or controls cover all of edge {edge}")


def _watch(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def test_nothing_from_hostile_pages_runs_in_the_network(page, hostile_outputs):
    dialogs = _watch(page)
    path = hostile_outputs / "network.html"
    open_network(page, path)
    nodes = page.evaluate("() => window.citegraph.data.nodes.map(n => n.id)")
    edges = page.evaluate("() => window.citegraph.data.edges.map(e => e.id)")
    assert sorted(nodes) == sorted(OUTLETS) and len(edges) == 12  # every outlet cites the three others
    names = page.evaluate("() => window.citegraph.data.nodes.map(n => n.name)")
    assert all(any(p in name for p in PAYLOADS) for name in names)
    page.uncheck("#cg-physics")
    for node in nodes:
        assert any(p in hover_and_click(page, node) for p in PAYLOADS)  # the tooltip, as text
        assert any(p in page.inner_text("#cg-panel-body h2") for p in PAYLOADS)
        page.click("#cg-panel-body li button >> nth=0")  # its top cited outlet: an edge with evidence
    box = page.locator("#cg-network").bounding_box()
    for edge in edges:  # hovered (its tooltip) and clicked, with the mouse
        point = clear_point(page, edge)
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector(".cg-tooltip:not([hidden])")
        assert any(p in page.inner_text(".cg-tooltip") for p in PAYLOADS)
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        assert [e["id"] for e in drawn_edges(page)["edges"] if e["selected"]] == [edge]
        text = page.inner_text("#cg-panel-body")
        assert any(p in text for p in PAYLOADS)  # titles, anchors and sentences, shown as text
        for anchor in page.query_selector_all("#cg-panel-body a[href]"):
            assert anchor.get_attribute("href").startswith("https://")
    for colour in ("kind", "community", "country"):
        page.select_option("#cg-color-by", colour)
    page.fill("#cg-search", PAYLOADS[1])
    page.press("#cg-search", "Enter")
    result = page.evaluate(XSS_CHECK)
    assert result["xss"] == "undefined" and result["foreign"] == 0 and result["badLinks"] == []
    assert dialogs == [] and page.seen.page_errors == []
    assert all(r.startswith(("file:", "data:")) for r in page.seen.requests), page.seen.requests


def test_nothing_from_hostile_pages_runs_in_the_report(page, hostile_outputs):
    dialogs = _watch(page)
    path = hostile_outputs / "report.html"
    page.goto(path.as_uri())
    page.wait_for_function("() => window.citegraphReport && window.citegraphReport.ready", timeout=20_000)
    text = page.inner_text("body")
    assert sum(text.count(p) for p in PAYLOADS) > 20  # the payloads are there, as text
    for header in page.query_selector_all("th button")[:12]:  # sort the tables
        header.click()
    for box in page.query_selector_all("input[type=search], input.filter, input[placeholder='Filter rows']")[:6]:
        box.fill("<img")
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    assert any(h.startswith("https://") and ".example/" in h for h in hrefs), "the evidence links are missing"
    assert all(h.startswith(("https://", "#")) or h == "network.html" for h in hrefs), hrefs
    frame_el = page.locator("#network iframe")
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_function("() => window.citegraph && window.citegraph.ready", timeout=30_000)
    for edge in frame.evaluate("() => window.citegraph.data.edges.map(e => e.id)"):
        frame.evaluate("(id) => window.citegraph.showEdge(id)", edge)
    assert frame.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('main img, main svg:not(.chart), [onerror], [onload]').length") == 0
    assert dialogs == [] and page.seen.page_errors == []
    assert all(r.startswith(("file:", "data:", "about:")) for r in page.seen.requests), page.seen.requests
