"""The graph questions from the command line, on the sample web: filters, metrics, ego, paths, comparisons,
time slices, metadata joins, and the bad inputs each must survive with a clear message."""
from __future__ import annotations

import csv
import json
import shutil

import networkx as nx
import pytest
from click.testing import CliRunner

from citegraph.cli import cli
from citegraph.sample import write_sample


def invoke(*args):
    return CliRunner().invoke(cli, [*map(str, args), "--no-progress"], catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The sample web ingested: 120 pages of 12 outlets over two years."""
    root = tmp_path_factory.mktemp("graph-cli")
    files = write_sample(root / "sample")
    db = root / "c.db"
    result = invoke("ingest", files.warc, "--db", db, "--outlets", files.outlets)
    assert result.exit_code == 0, result.output
    return {"db": db, "outlets": files.outlets, "root": root}


def graph_json(path) -> nx.DiGraph:
    return nx.node_link_graph(json.loads(path.read_text()), edges="links")


def test_build_writes_metrics_and_communities_on_every_node(store, tmp_path):
    result = invoke("build", "--db", store["db"], "-o", tmp_path)
    assert result.exit_code == 0, result.output
    g = graph_json(tmp_path / "graph.json")
    assert g.graph["communities"] >= 2 and "modularity" in g.graph
    for _node, data in g.nodes(data=True):
        for metric in ("in_weight", "out_weight", "pagerank", "hub", "authority", "betweenness", "core",
                       "reciprocity", "community", "community_share"):
            assert metric in data, metric
    pr = nx.pagerank(g, weight="weight")
    assert all(abs(pr[n] - g.nodes[n]["pagerank"]) < 1e-9 for n in g)  # the same as networkx's own


def test_filters_narrow_the_graph(store, tmp_path):
    full = invoke("build", "--db", store["db"], "-o", tmp_path / "all")
    links = invoke("build", "--db", store["db"], "-o", tmp_path / "links", "--kind", "link", "--min-weight", "2")
    top = invoke("build", "--db", store["db"], "-o", tmp_path / "top", "--top", "5", "--top-by", "in_weight")
    window = invoke("build", "--db", store["db"], "-o", tmp_path / "window", "--from", "2024-01", "--until", "2024-06")
    assert {r.exit_code for r in (full, links, top, window)} == {0}
    g_all, g_links = graph_json(tmp_path / "all" / "graph.json"), graph_json(tmp_path / "links" / "graph.json")
    assert g_links.number_of_edges() < g_all.number_of_edges()
    assert all(d["weight"] >= 2 and d["link"] >= 1 for _u, _v, d in g_links.edges(data=True))
    g_top = graph_json(tmp_path / "top" / "graph.json")
    assert g_top.number_of_nodes() == 5
    best = sorted(g_all.nodes, key=lambda n: (-g_all.nodes[n]["in_weight"], n))[:5]
    assert set(g_top.nodes) == set(best)
    g_window = graph_json(tmp_path / "window" / "graph.json")
    dates = [d for _u, _v, e in g_window.edges(data=True) for d in (e["first_seen"], e["last_seen"])]
    assert dates and min(dates) >= "2024-01" and max(dates)[:7] <= "2024-06"


def test_outlet_and_kind_selection(store, tmp_path):
    g_all = _build(store, tmp_path / "a")
    wire = next(n for n, d in g_all.nodes(data=True) if d.get("kind") == "wire")
    g = _build(store, tmp_path / "b", "--drop-outlet", wire, "--drop-outlet-kind", "platform")
    assert wire not in g and g.number_of_nodes() == g_all.number_of_nodes() - 1
    g = _build(store, tmp_path / "c", "--only-outlet-kind", "wire", "--only-outlet-kind", "news")
    assert {d["kind"] for _n, d in g.nodes(data=True)} <= {"wire", "news"}
    g = _build(store, tmp_path / "d", "--largest-component")
    assert nx.is_weakly_connected(g)


def _build(store, out, *args):
    result = invoke("build", "--db", store["db"], "-o", out, *args)
    assert result.exit_code == 0, result.output
    return graph_json(out / "graph.json")


def test_stats_shows_the_metrics(store):
    result = invoke("stats", "--db", store["db"], "--rows", "3")
    assert result.exit_code == 0, result.output
    for title in ("PageRank", "hubs", "authorities", "bridges", "communities", "reciprocity", "modularity"):
        assert title in result.output, title


def test_ego_and_path_and_their_evidence(store, tmp_path):
    g = _build(store, tmp_path / "g")
    hub = max(g.nodes, key=lambda n: g.nodes[n]["in_weight"])
    result = invoke("ego", hub, "--db", store["db"], "-o", tmp_path, "--radius", "1")
    assert result.exit_code == 0, result.output
    assert "is cited by" in result.output and "e.g. http" in result.output
    ego = graph_json(next(tmp_path.glob("ego-*.json")))
    assert hub in ego and set(ego.nodes) == set(nx.ego_graph(g, hub, undirected=True).nodes)
    source = next(u for u, v in g.in_edges(hub))
    result = invoke("path", source, hub, "--db", store["db"])
    assert result.exit_code == 0, result.output
    assert "shortest:" in result.output and f"{source} -> {hub}" in result.output


def test_compare_two_periods(store, tmp_path):
    result = invoke("compare", "2023", "2024", "--db", store["db"], "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert "edges appeared" in result.output and "edges vanished" in result.output
    diff = graph_json(tmp_path / "compare.json")
    assert {d["change"] for _u, _v, d in diff.edges(data=True)} <= {"appeared", "vanished", "grew", "shrank", "same"}
    # two stores compare too: the same store against itself changes nothing
    copy = tmp_path / "copy.db"
    shutil.copy(store["db"], copy)
    result = invoke("compare", store["db"], copy, "--db", store["db"], "-o", tmp_path / "same")
    assert result.exit_code == 0 and "edges appeared: 0" in result.output and "edges grew: 0" in result.output


def test_slices_by_quarter(store, tmp_path):
    result = invoke("build", "--db", store["db"], "-o", tmp_path, "--by", "quarter")
    assert result.exit_code == 0, result.output
    slices = sorted((tmp_path / "slices").glob("graph-*.gexf"))
    assert len(slices) >= 4 and slices[0].name.startswith("graph-20")
    with open(tmp_path / "slices" / "metrics-over-time.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"period", "outlet", "pagerank", "in_weight"} <= set(rows[0])
    assert len({r["period"] for r in rows}) == len(slices)


def test_metadata_joins_and_its_bad_rows_are_reported(store, tmp_path):
    g = _build(store, tmp_path / "g")
    some = sorted(g.nodes)[:3]
    meta = tmp_path / "meta.csv"
    meta.write_text("domain,reliability,owner\n"
                    f"{some[0]},0.9,Acme\n"
                    f"https://www.{some[1]}/about,0.2,Beta\n"
                    f"{some[0]},0.1,Dup\n"
                    ",0.5,NoDomain\n"
                    f"{some[2]},0.5\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--db", str(store["db"]), "-o", str(tmp_path / "m"),
                                        "--outlet-metadata", str(meta), "--no-progress"])
    assert result.exit_code == 0, result.output
    for code in ("duplicate", "no-domain", "bad-row"):
        assert code in result.stderr, code
    joined = graph_json(tmp_path / "m" / "graph.json")
    assert joined.nodes[some[0]]["reliability"] == 0.9 and joined.nodes[some[0]]["owner"] == "Acme"
    assert joined.nodes[some[1]]["reliability"] == 0.2
    result = invoke("export", "--format", "gexf", "--db", store["db"], "--outlet-metadata", meta,
                    "--to", tmp_path / "m.gexf")
    assert result.exit_code == 0 and "reliability" in (tmp_path / "m.gexf").read_text()


@pytest.mark.parametrize("fmt,name", [("nodes", "nodes.csv"), ("edges", "edges.csv"), ("parquet", "citations.parquet"),
                                      ("graphml", "graph.graphml")])
def test_every_export_format(store, tmp_path, fmt, name):
    result = invoke("export", "--format", fmt, "--db", store["db"], "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 0


# -- bad input: a clear message and a non-zero exit where nothing could be made

def test_an_empty_store(tmp_path):
    from citegraph.store import Store

    Store(tmp_path / "empty.db").close()
    for args in (["build"], ["stats"], ["ego", "reuters.com"], ["export", "--format", "gexf"]):
        result = invoke(*args, "--db", tmp_path / "empty.db", "-o", tmp_path)
        assert result.exit_code == 1, (args, result.output)
        assert "no articles" in result.output or "is empty" in result.output, (args, result.output)


def test_no_edge_left_after_the_filters(store, tmp_path):
    result = invoke("build", "--db", store["db"], "-o", tmp_path, "--min-weight", "100000")
    assert result.exit_code == 1 and "no edge is left after the filters" in result.output
    assert "--min-weight 100000" in result.output


def test_a_date_window_with_no_articles(store, tmp_path):
    result = invoke("build", "--db", store["db"], "-o", tmp_path, "--from", "1999-01-01", "--until", "1999-12-31")
    assert result.exit_code == 1 and "no article in the store was published" in result.output
    assert "the store holds from 20" in result.output
    result = invoke("build", "--db", store["db"], "-o", tmp_path, "--from", "last tuesday")
    assert result.exit_code == 1 and "--from" in result.output


def test_unknown_outlets_get_the_nearest_names(store, tmp_path):
    g = _build(store, tmp_path / "g")
    known = sorted(g.nodes)[0]
    typo = known[:-3] + "xyz" if len(known) > 4 else known + "x"
    for args in (["ego", typo], ["path", typo, known], ["build", "--only-outlet", typo]):
        result = invoke(*args, "--db", store["db"], "-o", tmp_path)
        assert result.exit_code == 1, (args, result.output)
        assert typo in result.output and known in result.output, (args, result.output)


def test_bad_metadata_files(store, tmp_path):
    for name, text in (("missing.csv", None), ("empty.csv", ""), ("binary.csv", b"\xff\xfe\x00junk")):
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        elif text is not None:
            path.write_text(text)
        result = invoke("build", "--db", store["db"], "-o", tmp_path, "--outlet-metadata", path)
        assert result.exit_code != 0 and "--outlet-metadata" in result.output, (name, result.output)


def test_compare_with_sides_that_do_not_exist(store, tmp_path):
    result = invoke("compare", "run:999", "2024", "--db", store["db"], "-o", tmp_path)
    assert result.exit_code == 1 and "no run 999" in result.output
    result = invoke("compare", "yesterday", "2024", "--db", store["db"], "-o", tmp_path)
    assert result.exit_code == 1 and "neither a store file" in result.output


def test_report_as_markdown(store, tmp_path):
    result = invoke("report", "--format", "md", "--db", store["db"], "-o", tmp_path)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    for heading in ("# citegraph report", "## Summary", "## Most cited outlets", "## Outlets by PageRank",
                    "## Hubs (HITS)", "## Communities", "## Citations per month", "## Evidence, heaviest edges first"):
        assert heading in text, heading
    months = [line for line in text.splitlines() if line.startswith("| 202")]
    assert len(months) >= 12 and all("█" in line for line in months)


def _months(text):
    """{month: (link, mention, syndication, total)} from the Markdown timeline."""
    rows = [line.strip("|").split("|") for line in text.splitlines() if line.startswith("| 20")]
    return {r[0].strip(): tuple(int(c.strip().replace(",", "")) for c in r[1:5]) for r in rows}


def test_the_markdown_timeline_counts_only_what_the_graph_keeps(store, tmp_path):
    everything = invoke("report", "--format", "md", "--db", store["db"], "-o", tmp_path / "all")
    narrow = invoke("report", "--format", "md", "--db", store["db"], "-o", tmp_path / "narrow", "--kind", "mention",
                    "--from", "2024-01", "--until", "2024-06", "--top", "4", "--top-by", "in_weight")
    assert everything.exit_code == narrow.exit_code == 0, narrow.output
    full = _months((tmp_path / "all" / "report.md").read_text(encoding="utf-8"))
    part = _months((tmp_path / "narrow" / "report.md").read_text(encoding="utf-8"))
    assert part and set(part) <= {f"2024-{m:02d}" for m in range(1, 7)}
    assert all(link == syndication == 0 and mention == total for link, mention, syndication, total in part.values())
    assert all(part[m][3] <= full[m][1] for m in part)  # among the mentions: only those between the top 4
    assert sum(r[3] for r in part.values()) < sum(full[m][1] for m in part)
    # the same citations the store holds, counted by hand: mentions, in the window, between the top 4 outlets
    g = graph_json_of(store, tmp_path / "g", "--kind", "mention", "--from", "2024-01", "--until", "2024-06",
                      "--top", "4", "--top-by", "in_weight")
    import sqlite3

    with sqlite3.connect(store["db"]) as con:
        rows = con.execute("SELECT substr(a.published_at, 1, 7), c.source_outlet, c.target_outlet FROM citations c "
                           "JOIN articles a ON a.url = c.article_url WHERE c.kind = 'mention' AND "
                           "c.position != 'related' AND c.source_outlet != c.target_outlet AND "
                           "a.published_at >= '2024-01' AND substr(a.published_at, 1, 7) <= '2024-06'").fetchall()
    by_month: dict[str, int] = {}
    for month, u, v in rows:
        if g.has_edge(u, v):
            by_month[month] = by_month.get(month, 0) + 1
    assert {m: r[3] for m, r in part.items()} == by_month


def graph_json_of(store, out, *args) -> nx.DiGraph:
    result = invoke("build", "--db", store["db"], "-o", out, *args)
    assert result.exit_code == 0, result.output
    return graph_json(out / "graph.json")


def test_markdown_keeps_hostile_strings_inert():
    from citegraph.models import RunStats
    from citegraph.render.markdown import report_markdown

    evil = '<script>alert(1)</script>"><svg onload=alert(2)>|[x](javascript:alert(3))'
    g = nx.DiGraph()
    g.add_node("a.example", name=evil, pagerank=0.5, in_weight=0, out_weight=1, community=0, community_share=1.0)
    g.add_node("b.example", name="B", pagerank=0.5, in_weight=1, out_weight=0, community=0, community_share=0.0)
    g.add_edge("a.example", "b.example", weight=1, link=1, mention=0, syndication=0, first_seen="", last_seen="",
               evidence=[{"article_url": "javascript:alert(4)", "article_title": evil, "kind": "link",
                          "target_url": "https://b.example/x", "anchor_text": evil, "context": evil}])
    text = report_markdown(g, RunStats(articles=1), timeline=[("2024-05", "link", 1)])
    import re

    assert "<script" not in text and "<svg" not in text and "&lt;script&gt;" in text
    links = re.findall(r"(?<!\\)\[(?:[^\]\\]|\\.)*\]\(([^)]*)\)", text)  # Markdown links, escaped brackets aside
    assert links and all(target.startswith("https://") for target in links), links
    assert "\\[x\\]\\(javascript" in text  # the payload's link syntax is escaped: plain text
    table_rows = [line for line in text.splitlines() if line.startswith("| ") and "script" in line]
    assert table_rows and all(line.count(" | ") == line.replace("\\|", "").count(" | ") for line in table_rows)


def test_render_keeps_the_top_outlets_and_says_so(store, tmp_path):
    result = invoke("render", "--db", store["db"], "-o", tmp_path, "--top", "5", "--layout", "sparse")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "network.html").read_text(encoding="utf-8")
    assert "showing 5 of " in page and " outlets, " in page
    assert '"physics": false' in page or '"physics":false' in page  # a layout computed here, physics off
    result = invoke("render", "--db", store["db"], "-o", tmp_path / "all", "--top", "0", "--layout", "physics")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "all" / "network.html").read_text(encoding="utf-8")
    assert "showing" not in page and ('"physics": true' in page or '"physics":true' in page)


def test_slices_stay_inside_the_date_window(store, tmp_path):
    result = invoke("build", "--db", store["db"], "-o", tmp_path, "--by", "year", "--from", "2024-05")
    assert result.exit_code == 0, result.output
    g = graph_json(tmp_path / "slices" / "graph-2024.json")
    firsts = [d["first_seen"] for _u, _v, d in g.edges(data=True) if d["first_seen"]]
    assert firsts and min(firsts) >= "2024-05"
    assert not (tmp_path / "slices" / "graph-2023.json").exists()
    result = invoke("build", "--db", store["db"], "-o", tmp_path, "--by", "year", "--from", "last tuesday")
    assert result.exit_code == 1 and "--from" in result.output and "2024-05-17" in result.output


def test_a_computed_layout_of_an_empty_graph():
    from citegraph.render.network import network_html

    for layout in ("sparse", "forceatlas2", "auto"):
        assert "0 outlets" in network_html(nx.DiGraph(), layout=layout)
