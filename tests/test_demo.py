"""`citegraph demo`: the sample web through the whole pipeline, and its pages in a real Chromium."""
import json

import pytest
from click.testing import CliRunner
from test_render import drawn_edges  # noqa: E402

from citegraph.cli import cli

OUTPUTS = ("citations.csv", "graph.gexf", "graph.graphml", "graph.json", "network.html", "report.html", "citegraph.db")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "-o", str(out), "--no-progress"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_demo_writes_every_output(demo_dir):
    for name in OUTPUTS:
        assert (demo_dir / name).stat().st_size > 0, name
    graph = json.loads((demo_dir / "graph.json").read_text())
    assert len(graph["nodes"]) > 10 and len(graph["links"]) > 30


def test_demo_again_changes_nothing(demo_dir):
    before = (demo_dir / "graph.json").read_text()
    assert CliRunner().invoke(cli, ["demo", "-o", str(demo_dir), "--no-progress"]).exit_code == 0
    assert (demo_dir / "graph.json").read_text() == before


@pytest.mark.browser
def test_demo_network_draws_offline(page, demo_dir):
    path = demo_dir / "network.html"
    page.goto(path.as_uri())
    # a function, not a string: the page's Content-Security-Policy forbids eval
    page.wait_for_function("() => window.citegraph && window.citegraph.ready", timeout=20_000)
    graph = json.loads((demo_dir / "graph.json").read_text())
    drawn = page.evaluate("""() => ({
        nodes: Object.keys(window.citegraph.network.getPositions()).length,
        canvas: document.querySelectorAll("#cg-network canvas").length,
    })""")
    assert drawn == {"nodes": len(graph["nodes"]), "canvas": 1}
    assert drawn_edges(page)["drawn"] == len(graph["links"])
    assert page.seen.page_errors == [] and page.seen.console_errors == []
    assert page.seen.requests == [path.as_uri()]


@pytest.mark.browser
def test_demo_report_opens_offline(page, demo_dir):
    path = demo_dir / "report.html"
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert "Reuters" in page.inner_text("body")
    assert page.seen.page_errors == [] and page.seen.console_errors == []
    assert all(u.startswith("file:") for u in page.seen.requests), page.seen.requests
