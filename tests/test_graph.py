import json

import networkx as nx
import pytest

from citegraph.graph import build_graph, write_csv, write_gexf, write_graphml, write_json
from citegraph.graph.io import CITATIONS_HEADER
from citegraph.models import Article, Citation


def C(article, src, dst, kind="link", url="", conf=1.0):
    return Citation(article, src, dst, kind, url or (f"https://{dst}/x" if kind == "link" else ""), "anchor",
                    "A sentence.", conf)


CITES = [
    C("https://a.example/1", "a.example", "b.example"),
    C("https://a.example/1", "a.example", "b.example", url="https://b.example/other"),  # same article: weight 1
    C("https://a.example/1", "a.example", "b.example", "mention"),
    C("https://a.example/2", "a.example", "b.example", "mention"),
    C("https://a.example/2", "a.example", "a.example"),  # self-citation
    C("https://b.example/1", "b.example", "c.example", "syndication"),
    C("https://b.example/1", "b.example", "x.com/someone"),  # platform account
]
ARTICLES = {
    "https://a.example/1": Article("https://a.example/1", outlet_id="a.example", title="One", published_at="2024-01-05"),
    "https://a.example/2": Article("https://a.example/2", outlet_id="a.example", title="Two", published_at="2024-03-01"),
    "https://b.example/1": Article("https://b.example/1", outlet_id="b.example", title="B", published_at=""),
}


def test_weights_are_distinct_articles_with_counts_per_kind():
    g = build_graph(CITES, articles=ARTICLES)
    e = g["a.example"]["b.example"]
    assert (e["weight"], e["link"], e["mention"], e["syndication"]) == (2, 1, 2, 0)
    assert (e["first_seen"], e["last_seen"]) == ("2024-01-05", "2024-03-01")
    assert len(e["evidence"]) == 4 and e["evidence"][0]["article_title"] == "One"
    assert g.nodes["a.example"]["articles"] == 2
    assert g.nodes["b.example"]["in_weight"] == 2 and g.nodes["b.example"]["out_weight"] == 1


def test_defaults_leave_out_self_citations_and_platforms():
    g = build_graph(CITES, articles=ARTICLES)
    assert not g.has_edge("a.example", "a.example")
    assert "x.com/someone" not in g
    g = build_graph(CITES, articles=ARTICLES, self_citations=True, platforms=True)
    assert g.has_edge("a.example", "a.example") and g.has_edge("b.example", "x.com/someone")
    assert g.nodes["x.com/someone"]["kind"] == "platform"


def test_filters():
    assert set(build_graph(CITES, kinds=["syndication"]).edges) == {("b.example", "c.example")}
    assert set(build_graph(CITES, min_weight=2).edges) == {("a.example", "b.example")}
    g = build_graph(CITES, kinds=["mention"])
    assert g["a.example"]["b.example"]["link"] == 0
    with pytest.raises(ValueError, match="unknown citation kind"):
        build_graph(CITES, kinds=["hyperlink"])


def test_registry_names_nodes():
    g = build_graph([C("https://a.example/1", "a.example", "reuters.com")])
    assert g.nodes["reuters.com"]["name"] == "Reuters"
    assert g.nodes["reuters.com"]["kind"] == "wire"


def test_evidence_limit():
    many = [C(f"https://a.example/{i}", "a.example", "b.example") for i in range(50)]
    e = build_graph(many, evidence_limit=5)["a.example"]["b.example"]
    assert e["weight"] == 50 and len(e["evidence"]) == 5


def test_exports_round_trip(tmp_path):
    g = build_graph(CITES, articles=ARTICLES)
    gx = nx.read_gexf(write_gexf(g, tmp_path / "g.gexf"))
    assert set(gx.edges) == set(g.edges)
    assert gx.nodes["b.example"]["in_weight"] == 2
    gm = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert gm["a.example"]["b.example"]["weight"] == 2
    assert gm["a.example"]["b.example"]["evidence_count"] == 4
    data = json.loads(write_json(g, tmp_path / "g.json").read_text())
    gj = nx.node_link_graph(data, edges="links")
    assert gj["a.example"]["b.example"]["evidence"][0]["anchor_text"] == "anchor"
    assert "evidence" in g["a.example"]["b.example"]  # the input graph is not changed by exports


def test_citations_csv(tmp_path):
    import csv
    path = write_csv(CITES, tmp_path / "c.csv")
    assert path.read_text().splitlines()[0] == ",".join(CITATIONS_HEADER)
    rows = list(csv.DictReader(open(path)))
    assert len(rows) == len(CITES) and rows[5]["kind"] == "syndication"


@pytest.mark.parametrize("filters", [{}, {"self_citations": True}, {"platforms": True, "min_weight": 2},
                                     {"kinds": ("mention",)}, {"min_confidence": 0.5}])
def test_store_aggregation_equals_in_memory_build(tmp_path, filters):
    from citegraph.config import load_settings
    from citegraph.pipeline import graph_from_store
    from citegraph.store import Store

    cites = CITES + [C("https://a.example/2", "a.example", "b.example", "mention", conf=0.3)]
    with Store(tmp_path / "s.db") as store:
        for url, art in ARTICLES.items():
            store.save_article(Article(**{**{k: getattr(art, k) for k in art.__slots__},
                                          "citations": tuple(c for c in cites if c.article_url == url)}))
        settings = load_settings({"db": str(tmp_path / "s.db"), **filters}, config_file=tmp_path / "x.toml",
                                 environ={})
        from_store = graph_from_store(store, settings)
    from citegraph.graph.metrics import add_metrics

    in_memory = add_metrics(build_graph(cites, articles=ARTICLES, **filters), seed=0)  # the store's graph is measured
    assert dict(from_store.nodes(data=True)) == dict(in_memory.nodes(data=True))
    assert {(u, v): d for u, v, d in from_store.edges(data=True)} == {(u, v): d for u, v, d in in_memory.edges(data=True)}


def test_related_teaser_links_stay_out_unless_asked(tmp_path):
    from dataclasses import replace

    from citegraph.config import load_settings
    from citegraph.pipeline import graph_from_store
    from citegraph.store import Store

    teaser = replace(C("https://a.example/3", "a.example", "d.example"), position="related")
    cites = CITES + [teaser]
    assert not build_graph(cites).has_edge("a.example", "d.example")
    assert build_graph(cites, related=True).has_edge("a.example", "d.example")
    # the same filter when the graph is aggregated in SQLite
    db = tmp_path / "s.db"
    with Store(db) as store:
        for url in {c.article_url for c in cites}:
            art = ARTICLES.get(url) or Article(url, outlet_id="a.example")
            store.save_article(replace(art, citations=tuple(c for c in cites if c.article_url == url)), source="t")
    for related in (False, True):
        settings = load_settings({"db": str(db), "related": related}, config_file=tmp_path / "none.toml")
        with Store(db) as store:
            assert graph_from_store(store, settings).has_edge("a.example", "d.example") is related
