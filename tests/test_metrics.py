import copy
import doctest
import sys

import networkx as nx
import pytest

from citegraph.graph import metrics
from citegraph.graph.metrics import (
    METRICS, MetricsError, add_metrics, communities, community_edges, graph_summary, largest_component,
    node_metrics, top_k,
)

approx = pytest.approx


def weighted(edges, nodes=()):
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_weighted_edges_from(edges)
    return g


def two_cliques():
    """Two 5-cliques citing each other inside, joined by one reciprocal bridge a0 <-> b0."""
    g = nx.DiGraph()
    for side in "ab":
        members = [f"{side}{i}" for i in range(5)]
        g.add_edges_from(((u, v) for u in members for v in members if u != v), weight=1)
    g.add_edge("a0", "b0", weight=1)
    g.add_edge("b0", "a0", weight=1)
    return g


# The 4-node example with counts worked out by hand (plus an isolated outlet e and a self-loop on d):
# a -> b 3, b -> a 1, a -> c 1, c -> a 1, c -> d 2, d -> c 2, b -> d 1, d -> d 5.
FOUR = [("a", "b", 3), ("b", "a", 1), ("a", "c", 1), ("c", "a", 1), ("c", "d", 2), ("d", "c", 2),
        ("b", "d", 1), ("d", "d", 5)]


def test_metrics_are_declared_in_display_order():
    assert METRICS == ("in_weight", "out_weight", "in_degree", "out_degree", "pagerank", "hub", "authority",
                       "betweenness", "core", "reciprocity", "community", "community_share")
    assert set(metrics.__all__) >= {"METRICS", "MetricsError", "communities", "node_metrics", "add_metrics",
                                    "graph_summary", "top_k", "largest_component", "community_edges"}


def test_star_of_outlets_citing_one_wire():
    g = weighted([(f"l{i}", "wire", 1) for i in range(4)])
    m = node_metrics(g)
    assert list(m["wire"]) == list(METRICS)
    assert (m["wire"]["in_weight"], m["wire"]["in_degree"], m["wire"]["out_degree"]) == (4, 4, 0)
    assert m["wire"]["authority"] == approx(1.0) and m["wire"]["hub"] == 0.0
    assert all(m[f"l{i}"]["hub"] == approx(0.25) and m[f"l{i}"]["authority"] == 0.0 for i in range(4))
    hubs, auths = nx.hits(g)
    assert {n: m[n]["hub"] for n in g} == approx(hubs)
    assert {n: m[n]["authority"] for n in g} == approx(auths)
    assert {n: m[n]["pagerank"] for n in g} == approx(nx.pagerank(g))
    assert {n: m[n]["betweenness"] for n in g} == approx(nx.betweenness_centrality(g))
    assert {n: m[n]["core"] for n in g} == {n: 1 for n in g}


def test_cycle_is_uniform_even_where_networkx_hits_is_not():
    g = nx.cycle_graph(5, create_using=nx.DiGraph)
    m = node_metrics(g)
    for n in g:
        assert m[n]["pagerank"] == approx(0.2)
        # a permutation matrix has five equal singular values: networkx's SVD picks any vector
        assert m[n]["hub"] == approx(0.2) and m[n]["authority"] == approx(0.2)
        assert m[n]["betweenness"] == approx(nx.betweenness_centrality(g)[n])
        assert (m[n]["core"], m[n]["reciprocity"]) == (2, 0.0)
    # Louvain cuts the ring in two arcs: an outlet shares its community with the one it cites or not
    cited_in_own = {n: float(m[n]["community"] == m[(n + 1) % 5]["community"]) for n in g}
    assert {n: m[n]["community_share"] for n in g} == cited_in_own


def test_two_cliques_bridge_nodes_lead_betweenness_and_split_in_two():
    g = two_cliques()
    m = node_metrics(g)
    between = nx.betweenness_centrality(g, normalized=True)
    assert {n: m[n]["betweenness"] for n in g} == approx(between)
    top = sorted(g, key=lambda n: -m[n]["betweenness"])[:2]
    assert set(top) == {"a0", "b0"} and m["a0"]["betweenness"] > m["a1"]["betweenness"]
    labels = {n: m[n]["community"] for n in g}
    assert {labels[f"a{i}"] for i in range(5)} == {0} and {labels[f"b{i}"] for i in range(5)} == {1}
    assert m["a0"]["community_share"] == approx(4 / 5) and m["a1"]["community_share"] == 1.0
    assert {n: m[n]["core"] for n in g} == nx.core_number(g.to_undirected())


def test_reciprocal_pair():
    g = weighted([("a", "b", 2), ("b", "a", 1)])
    m = node_metrics(g)
    assert m["a"]["reciprocity"] == m["b"]["reciprocity"] == 1.0
    assert m["a"]["reciprocity"] == nx.reciprocity(g, ["a"])["a"]
    out = add_metrics(g)
    assert out.graph["reciprocity"] == 1.0 == nx.overall_reciprocity(g)
    assert out.graph["communities"] == 1


def test_four_node_example_by_hand():
    g = weighted(FOUR, nodes=["e"])
    m = node_metrics(g)
    assert {n: m[n]["community"] for n in g} == {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2}
    # out_weight without d's self-citation: a 3+1, b 1+1, c 1+2, d 2
    assert {n: m[n]["out_weight"] for n in g} == {"a": 4, "b": 2, "c": 3, "d": 2, "e": 0}
    assert {n: m[n]["in_weight"] for n in g} == {"a": 2, "b": 3, "c": 3, "d": 3, "e": 0}
    # own-community share: a 3/4 (to b), b 1/2 (to a), c 2/3 (to d), d 2/2, e cites nobody
    assert {n: m[n]["community_share"] for n in g} == approx({"a": 0.75, "b": 0.5, "c": 2 / 3, "d": 1.0, "e": 0.0})
    # reciprocity = 2 * reciprocated neighbours / (in + out neighbours), self-loop left out:
    # a {b,c}/{b,c} 1, b {a,d}/{a} 2/3, c {a,d}/{a,d} 1, d {c}/{c,b} 2/3, e isolated 0
    assert {n: m[n]["reciprocity"] for n in g} == approx({"a": 1.0, "b": 2 / 3, "c": 1.0, "d": 2 / 3, "e": 0.0})
    out = add_metrics(g)
    assert out.graph["reciprocity"] == approx(6 / 7)  # 7 edges between distinct outlets, 6 reciprocated
    assert out.graph["communities"] == 3 and out.graph["community_method"] == "louvain"
    parts = [{"a", "b"}, {"c", "d"}, {"e"}]
    assert out.graph["modularity"] == approx(nx.community.modularity(g, parts, weight="weight"))


def test_self_loops_are_kept_out_of_degrees():
    g = weighted([("a", "a", 7), ("a", "b", 1)])
    m = node_metrics(g)
    assert (m["a"]["out_weight"], m["a"]["in_weight"], m["a"]["out_degree"]) == (1, 0, 1)
    assert m["a"]["reciprocity"] == 0.0 and m["a"]["core"] == 1


def test_weight_option_reads_another_attribute():
    g = nx.DiGraph()
    g.add_edge("a", "b", weight=1, mention=5)
    g.add_edge("a", "c", weight=1, mention=1)
    m = node_metrics(g, weight="mention")
    assert (m["a"]["out_weight"], m["b"]["in_weight"]) == (6, 5)
    assert m["b"]["authority"] > m["c"]["authority"]


@pytest.mark.parametrize("igraph_installed", [True, False])
def test_betweenness_exact_and_sampled_equal_networkx(monkeypatch, igraph_installed):
    if igraph_installed:
        pytest.importorskip("igraph")
    else:
        monkeypatch.setitem(sys.modules, "igraph", None)
    g = nx.gnp_random_graph(30, 0.1, seed=3, directed=True)

    def between(**kw):
        m = node_metrics(g, **kw)
        return {n: m[n]["betweenness"] for n in g}

    exact = between(betweenness_exact_below=1000)
    assert exact == approx(nx.betweenness_centrality(g, normalized=True))
    sampled = between(betweenness_exact_below=10, betweenness_samples=5, seed=1)
    assert sampled == approx(nx.betweenness_centrality(g, k=5, seed=1, normalized=True))
    assert sampled != approx(exact)
    assert between(betweenness_exact_below=10, betweenness_samples=10_000) == approx(exact)  # k = n
    one = between(betweenness_exact_below=10, betweenness_samples=1)
    assert all(x == x and x >= 0 for x in one.values())  # networkx alone gives NaN to a lone source


def test_louvain_is_repeatable_and_labels_stable():
    g = two_cliques()
    g.add_edges_from([("c0", "c1"), ("c1", "c0"), ("c1", "a3")], weight=1)
    first = communities(g, seed=7)
    assert communities(g, seed=7) == first
    backwards = nx.DiGraph()
    backwards.add_nodes_from(reversed(list(g)))
    backwards.add_edges_from(reversed(list(g.edges(data=True))))
    assert communities(backwards, seed=7) == first  # insertion order does not matter
    sizes = [list(first.values()).count(i) for i in sorted(set(first.values()))]
    assert sizes == sorted(sizes, reverse=True) and set(first.values()) == set(range(len(sizes)))


def test_labels_order_by_size_then_smallest_member():
    g = weighted([("z", "y", 1), ("y", "z", 1), ("b", "a", 1), ("a", "b", 1)] +
                 [(u, v, 1) for u in "pqr" for v in "pqr" if u != v])
    assert communities(g) == {"p": 0, "q": 0, "r": 0, "a": 1, "b": 1, "y": 2, "z": 2}


def test_leiden_finds_the_same_two_cliques():
    pytest.importorskip("igraph")
    g = two_cliques()
    leiden = communities(g, method="leiden", seed=3)
    assert leiden == communities(g, method="louvain")
    assert communities(g, method="leiden", seed=3) == leiden
    out = add_metrics(g, method="leiden")
    assert out.graph["community_method"] == "leiden" and out.graph["communities"] == 2


def test_leiden_does_not_reseed_the_callers_random(monkeypatch):
    pytest.importorskip("igraph")
    import random
    random.seed(11)
    expected = random.random()
    random.seed(11)
    communities(two_cliques(), method="leiden")
    assert random.random() == expected


def test_leiden_without_igraph_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "igraph", None)
    with pytest.raises(MetricsError, match=r"pip install igraph") as err:
        communities(two_cliques(), method="leiden")
    assert err.value.code == "missing-extra"


def test_add_metrics_leaves_its_input_alone():
    g = weighted(FOUR, nodes=["e"])
    g.nodes["a"]["name"] = "A"
    g.graph["built"] = "today"
    before = (copy.deepcopy(dict(g.nodes(data=True))), copy.deepcopy(list(g.edges(data=True))), dict(g.graph))
    out = add_metrics(g)
    assert (dict(g.nodes(data=True)), list(g.edges(data=True)), dict(g.graph)) == before
    assert out is not g and out.nodes["a"]["name"] == "A" and out.graph["built"] == "today"
    assert all(set(METRICS) <= set(attrs) for _, attrs in out.nodes(data=True))
    assert out.nodes["d"]["out_weight"] == 2  # build.py's value counted the self-loop; this one does not


def test_top_k():
    g = weighted(FOUR, nodes=["e"])
    assert sorted(top_k(g, "in_weight", 2)) == ["b", "c"]  # b, c, d tie on 3: ties by id
    top = top_k(g, "in_weight", 3)
    assert sorted(top.edges) == [("b", "d"), ("c", "d"), ("d", "c"), ("d", "d")]
    assert top["d"]["d"]["weight"] == 5 and "in_weight" not in g.nodes["b"]
    assert sorted(top_k(add_metrics(g), "pagerank", 1)) == ["d"]
    assert len(top_k(g, "pagerank", 0)) == 5 and len(top_k(g, "pagerank", 99)) == 5
    g.nodes["a"]["articles"] = 9
    with pytest.raises(MetricsError) as err:
        top_k(g, "articles", 1)  # not on every node
    assert err.value.code == "bad-metric"
    nx.set_node_attributes(g, "x", "kind")
    with pytest.raises(MetricsError, match="not a number"):
        top_k(g, "kind", 1)


def test_largest_component():
    g = weighted(FOUR + [("x", "y", 1), ("p", "q", 1)], nodes=["e"])
    big = largest_component(g)
    assert sorted(big) == ["a", "b", "c", "d"] and big["d"]["d"]["weight"] == 5
    tie = largest_component(weighted([("y", "z", 1), ("b", "c", 1)]))
    assert sorted(tie) == ["b", "c"]
    big.add_edge("a", "new")
    assert "new" not in g


def test_community_edges_between_communities_heaviest_first():
    g = weighted(FOUR, nodes=["e"])
    # communities {a,b}=0 {c,d}=1: a->c 1 and b->d 1 go 0->1, c->a 1 goes 1->0
    assert community_edges(g) == [(0, 1, 2), (1, 0, 1)]
    assert community_edges(add_metrics(g)) == [(0, 1, 2), (1, 0, 1)]


def test_graph_summary():
    g = weighted(FOUR, nodes=["e"])
    s = graph_summary(g)
    assert (s["nodes"], s["edges"], s["self_loops"], s["components"], s["largest_component"]) == (5, 8, 1, 2, 4)
    assert s["total_weight"] == 16 and s["density"] == approx(8 / 20) and s["reciprocity"] == approx(6 / 7)
    assert "modularity" not in s
    s = graph_summary(add_metrics(g))
    assert s["communities"] == 3 and s["modularity"] > 0


@pytest.mark.parametrize("nodes", [[], ["solo.example"]])
def test_every_function_on_tiny_graphs(nodes):
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    m = node_metrics(g)
    assert set(m) == set(nodes)
    for values in m.values():
        assert values == {**dict.fromkeys(METRICS, 0), "pagerank": 1.0}
    assert communities(g) == dict.fromkeys(nodes, 0)
    out = add_metrics(g)
    assert (out.graph["modularity"], out.graph["reciprocity"], out.graph["communities"]) == (0.0, 0.0, len(nodes))
    s = graph_summary(out)
    assert (s["nodes"], s["edges"], s["largest_component"], s["total_weight"]) == (len(nodes), 0, len(nodes), 0)
    assert sorted(top_k(g, "pagerank", 1)) == nodes and sorted(largest_component(g)) == nodes
    assert community_edges(g) == []


def test_one_outlet_citing_itself():
    g = weighted([("solo", "solo", 3)])
    m = node_metrics(g)["solo"]
    assert (m["out_weight"], m["in_degree"], m["core"], m["reciprocity"]) == (0, 0, 0, 0.0)
    assert m["pagerank"] == approx(1.0) and m["hub"] == approx(1.0) and m["authority"] == approx(1.0)
    assert graph_summary(add_metrics(g))["reciprocity"] == 0.0


def test_edgeless_graph_has_zero_scores():
    g = nx.DiGraph()
    g.add_nodes_from("abc")
    m = node_metrics(g)
    assert all(v["hub"] == v["authority"] == v["betweenness"] == 0.0 for v in m.values())
    assert sorted(m[n]["community"] for n in "abc") == [0, 1, 2]


@pytest.mark.parametrize("call, code", [
    (lambda: node_metrics(nx.Graph([("a", "b")])), "bad-graph"),
    (lambda: node_metrics(nx.MultiDiGraph([("a", "b")])), "bad-graph"),
    (lambda: communities(nx.DiGraph([("a", "b")]), method="spectral"), "bad-method"),
    (lambda: node_metrics(weighted([("a", "b", -1)])), "bad-weight"),
    (lambda: node_metrics(nx.DiGraph([("a", "b", {"weight": "3"})])), "bad-weight"),
    (lambda: graph_summary(nx.DiGraph([("a", "b", {"weight": float("nan")})])), "bad-weight"),
    (lambda: node_metrics(nx.DiGraph([("a", "b")]), betweenness_samples=0), "bad-option"),
    (lambda: communities(nx.DiGraph([("a", "b")]), resolution=0), "bad-option"),
    (lambda: top_k(nx.DiGraph([("a", "b")]), "fame", 1), "bad-metric"),
])
def test_bad_input_gets_a_reason_code(call, code):
    with pytest.raises(MetricsError) as err:
        call()
    assert err.value.code == code and err.value.detail and isinstance(err.value, ValueError)


def test_docstring_examples_run():
    result = doctest.testmod(metrics)
    assert result.attempted >= 7 and result.failed == 0
