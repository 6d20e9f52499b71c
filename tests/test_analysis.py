import copy
import doctest
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph.graph import analysis, build_graph
from citegraph.graph.analysis import (AnalysisError, compare, ego, ego_table, metrics_over_time, paths,
                                      period_of, periods_between, resolve_outlet)
from citegraph.models import Article, Citation


def evidence(src, dst, n):
    return [{"article_url": f"https://{src}/{i}", "article_title": f"T{i}", "published_at": f"2024-01-0{i + 1}",
             "kind": "link", "target_url": f"https://{dst}/x", "anchor_text": "a", "context": "c"} for i in range(n)]


def outlet_graph(edges, names=None):
    """A graph shaped like build_graph's: edges are (src, dst, weight[, link, mention, syndication])."""
    g = nx.DiGraph()
    for src, dst, w, *counts in edges:
        link, mention, syndication = counts or (w, 0, 0)
        g.add_edge(src, dst, weight=w, link=link, mention=mention, syndication=syndication,
                   first_seen="2024-01-01", last_seen="2024-02-01", evidence=evidence(src, dst, min(w, 5)))
    for node in g:
        g.nodes[node].update(name=(names or {}).get(node, node), kind="news", country="",
                             articles=1, in_weight=int(g.in_degree(node, weight="weight")),
                             out_weight=int(g.out_degree(node, weight="weight")))
    return g


NAMES = {"reuters.com": "Reuters", "apnews.com": "Associated Press", "nytimes.com": "The New York Times",
         "x.com/someone": "someone on X"}
# A hub: nytimes.com cites reuters (4, mixed kinds) and apnews (4), and is cited by two blogs.
HUB = outlet_graph([
    ("nytimes.com", "reuters.com", 4, 2, 1, 1), ("nytimes.com", "apnews.com", 4), ("nytimes.com", "x.com/someone", 1),
    ("blog.example", "nytimes.com", 2), ("other.example", "nytimes.com", 7),
    ("reuters.com", "wire.example", 1), ("far.example", "other.example", 1),
], NAMES)


def snapshot(g):
    return (copy.deepcopy(dict(g.nodes(data=True))), copy.deepcopy(list(g.edges(data=True))))


# ------------------------------------------------------------------------------------------- resolve

@pytest.mark.parametrize("text, expected", [
    ("reuters.com", "reuters.com"),
    ("Reuters", "reuters.com"),
    ("associated press", "apnews.com"),
    ("REUTERS.COM", "reuters.com"),
    ("https://www.reuters.com/world/some-story-2024-05-17/?utm_source=x", "reuters.com"),
    ("www.apnews.com", "apnews.com"),
    ("http://edition.nytimes.com:8080/page#top", "nytimes.com"),
    ("https://x.com/someone/status/123", "x.com/someone"),
    ("https://twitter.com/someone", "x.com/someone"),  # the registry knows twitter.com is x.com
    ("  The New York Times ", "nytimes.com"),
])
def test_resolve_outlet(text, expected):
    assert resolve_outlet(HUB, text) == expected


def test_unknown_outlet_suggests_nearest():
    with pytest.raises(AnalysisError) as info:
        resolve_outlet(HUB, "reuter.com")
    assert info.value.code == "unknown-outlet"
    assert info.value.suggestions[0] == "reuters.com"
    assert "'reuter.com'" in info.value.detail and "reuters.com" in info.value.detail


def test_unknown_outlet_suggests_by_name_and_substring():
    with pytest.raises(AnalysisError) as info:
        resolve_outlet(HUB, "New York")
    assert "nytimes.com" in info.value.suggestions
    with pytest.raises(AnalysisError) as info:
        resolve_outlet(HUB, "zzzzqqq", n=3)
    assert info.value.suggestions == () and "no outlet has a similar" in info.value.detail


def test_suggestions_are_capped_at_n():
    g = outlet_graph([(f"news{i}.example", "hub.example", 1) for i in range(10)])
    with pytest.raises(AnalysisError) as info:
        resolve_outlet(g, "news.example", n=3)
    assert len(info.value.suggestions) == 3


def test_ambiguous_name_lists_the_candidates():
    g = outlet_graph([("sun.example", "sun.test", 1)], {"sun.example": "The Sun", "sun.test": "the sun"})
    with pytest.raises(AnalysisError) as info:
        resolve_outlet(g, "The Sun")
    assert info.value.code == "unknown-outlet" and info.value.suggestions == ("sun.example", "sun.test")


@pytest.mark.parametrize("text", ["", "   ", None, 42])
def test_no_outlet_given(text):
    with pytest.raises(AnalysisError, match="no outlet given"):
        resolve_outlet(HUB, text)


def test_resolve_on_empty_graph_and_wrong_input():
    with pytest.raises(AnalysisError, match="the graph has no outlets"):
        resolve_outlet(nx.DiGraph(), "reuters.com")
    with pytest.raises(AnalysisError) as info:
        resolve_outlet(nx.MultiDiGraph([("a", "b")]), "a")
    assert info.value.code == "bad-graph"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_resolve_raises_only_analysis_errors(text):
    try:
        assert resolve_outlet(HUB, text) in HUB
    except AnalysisError as error:
        assert error.code == "unknown-outlet" and error.detail


# ----------------------------------------------------------------------------------------------- ego

def test_ego_radius_one_and_two():
    assert set(ego(HUB, "nytimes.com")) == {"nytimes.com", "reuters.com", "apnews.com", "x.com/someone",
                                            "blog.example", "other.example"}
    two = ego(HUB, "the new york times", radius=2)
    assert set(two) == set(ego(HUB, "nytimes.com")) | {"wire.example", "far.example"}
    assert set(two) == set(nx.ego_graph(HUB, "nytimes.com", radius=2, undirected=True))
    assert two["nytimes.com"]["reuters.com"]["mention"] == 1 and two.nodes["reuters.com"]["name"] == "Reuters"


def test_ego_directed_follows_citations_only():
    assert set(ego(HUB, "nytimes.com", radius=2, undirected=False)) == {
        "nytimes.com", "reuters.com", "apnews.com", "x.com/someone", "wire.example"}


def test_ego_is_a_deep_copy():
    before = snapshot(HUB)
    sub = ego(HUB, "nytimes.com")
    sub["nytimes.com"]["reuters.com"]["evidence"].clear()
    sub.nodes["nytimes.com"]["name"] = "changed"
    sub.add_edge("new.example", "nytimes.com")
    assert snapshot(HUB) == before


@pytest.mark.parametrize("radius", [0, -1, 1.5, True, "2"])
def test_ego_bad_radius(radius):
    with pytest.raises(AnalysisError) as info:
        ego(HUB, "nytimes.com", radius=radius)
    assert info.value.code == "bad-radius"


def test_ego_one_node_graph():
    g = nx.DiGraph()
    g.add_node("alone.example", name="Alone")
    assert list(ego(g, "alone", radius=3)) == ["alone.example"]
    assert ego_table(g, "alone.example") == {"outlet": "alone.example", "name": "Alone", "cites": [], "cited_by": []}


# ------------------------------------------------------------------------------------------ ego_table

def test_ego_table_rows_sorted_with_counts_and_capped_evidence():
    t = ego_table(HUB, "https://www.nytimes.com/")
    assert (t["outlet"], t["name"]) == ("nytimes.com", "The New York Times")
    # Equal weights (4, 4) go by id.
    assert [(r["outlet"], r["weight"]) for r in t["cites"]] == [("apnews.com", 4), ("reuters.com", 4),
                                                               ("x.com/someone", 1)]
    assert [r["outlet"] for r in t["cited_by"]] == ["other.example", "blog.example"]
    reuters = t["cites"][1]
    assert {k: reuters[k] for k in ("name", "kind", "link", "mention", "syndication", "first_seen", "last_seen")} == {
        "name": "Reuters", "kind": "news", "link": 2, "mention": 1, "syndication": 1,
        "first_seen": "2024-01-01", "last_seen": "2024-02-01"}
    assert len(reuters["evidence"]) == 3 and reuters["evidence"] == HUB["nytimes.com"]["reuters.com"]["evidence"][:3]
    assert len(t["cites"][2]["evidence"]) == 1
    reuters["evidence"][0]["context"] = "changed"
    assert HUB["nytimes.com"]["reuters.com"]["evidence"][0]["context"] == "c"


def test_ego_table_on_a_built_graph():
    cites = [Citation(f"https://a.example/{i}", "a.example", "reuters.com", "link", "https://reuters.com/x")
             for i in range(4)] + [Citation("https://b.example/1", "b.example", "a.example", "mention")]
    articles = {c.article_url: Article(c.article_url, outlet_id=c.source_outlet, title="t",
                                       published_at=f"2024-03-0{int(c.article_url[-1]) + 1}") for c in cites}
    g = build_graph(cites, articles=articles)
    t = ego_table(g, "a.example")
    assert [(r["outlet"], r["weight"], r["link"], len(r["evidence"])) for r in t["cites"]] == [("reuters.com", 4, 4, 3)]
    assert (t["cites"][0]["first_seen"], t["cites"][0]["last_seen"]) == ("2024-03-01", "2024-03-04")
    assert [(r["outlet"], r["mention"]) for r in t["cited_by"]] == [("b.example", 1)]


# ---------------------------------------------------------------------------------------------- paths

# a -> d directly impossible; a 2-hop weak path (a, w, d) and a 3-hop strong path (a, s1, s2, d).
WEAK_STRONG = outlet_graph([("a", "w", 1), ("w", "d", 1), ("a", "s1", 10), ("s1", "s2", 10), ("s2", "d", 10),
                            ("d", "z", 3)])


def test_shortest_and_strongest_paths_differ():
    found = paths(WEAK_STRONG, "a", "d", k=1)
    short, strong = found["shortest"][0], found["strongest"][0]
    assert (short["outlets"], short["hops"], short["weights"], short["min_weight"]) == (["a", "w", "d"], 2, [1, 1], 1)
    assert (strong["outlets"], strong["hops"], strong["weights"], strong["min_weight"]) == (
        ["a", "s1", "s2", "d"], 3, [10, 10, 10], 10)
    assert [(e["source"], e["target"], e["weight"], len(e["evidence"])) for e in strong["edges"]] == [
        ("a", "s1", 10, 2), ("s1", "s2", 10, 2), ("s2", "d", 10, 2)]


def test_k_paths_in_order():
    found = paths(WEAK_STRONG, "a", "d", k=5)
    assert [p["outlets"] for p in found["shortest"]] == [["a", "w", "d"], ["a", "s1", "s2", "d"]]
    assert [p["outlets"] for p in found["strongest"]] == [["a", "s1", "s2", "d"], ["a", "w", "d"]]
    assert len(paths(WEAK_STRONG, "a", "d", k=1)["shortest"]) == 1


def test_shortest_ties_go_to_the_higher_minimum_weight():
    g = outlet_graph([("s", "b1", 5), ("b1", "t", 1), ("s", "b2", 2), ("b2", "t", 2), ("s", "b3", 9), ("b3", "t", 3)])
    found = paths(g, "s", "t", k=2)
    assert [p["outlets"][1] for p in found["shortest"]] == ["b3", "b2"]
    assert [p["min_weight"] for p in found["shortest"]] == [3, 2]


def test_max_hops_limits_both_kinds():
    found = paths(WEAK_STRONG, "a", "d", k=3, max_hops=2)
    assert [p["outlets"] for p in found["shortest"]] == [["a", "w", "d"]]
    assert [p["outlets"] for p in found["strongest"]] == [["a", "w", "d"]]
    with pytest.raises(AnalysisError, match="has 3 hops, more than max_hops=2") as info:
        paths(WEAK_STRONG, "a", "z", max_hops=2)
    assert info.value.code == "no-path"


def test_no_path_says_whether_the_reverse_has_one():
    with pytest.raises(AnalysisError) as info:
        paths(WEAK_STRONG, "d", "a")
    assert info.value.code == "no-path"
    assert "no chain of citations leads from d to a" in info.value.detail
    assert "reverse direction has one: a reaches d in 2 hops" in info.value.detail
    g = outlet_graph([("a", "b", 1), ("c", "d", 1)])
    with pytest.raises(AnalysisError, match="nor does any lead from c to a"):
        paths(g, "a", "c")


def test_same_outlet_is_no_path():
    g = outlet_graph([("a", "a", 2), ("a", "b", 1)])
    with pytest.raises(AnalysisError, match="same outlet, a .it cites itself directly, weight 2") as info:
        paths(g, "a", "a")
    assert info.value.code == "no-path"
    one = nx.DiGraph()
    one.add_node("a")
    with pytest.raises(AnalysisError, match="same outlet"):
        paths(one, "a", "a")


@pytest.mark.parametrize("options", [{"k": 0}, {"max_hops": 0}, {"k": "3"}, {"k": 2.5}])
def test_paths_bad_options(options):
    with pytest.raises(AnalysisError) as info:
        paths(WEAK_STRONG, "a", "d", **options)
    assert info.value.code == "bad-option"


def test_paths_unknown_outlet_and_empty_graph():
    with pytest.raises(AnalysisError) as info:
        paths(WEAK_STRONG, "a", "nowhere")
    assert info.value.code == "unknown-outlet"
    with pytest.raises(AnalysisError, match="no outlets"):
        paths(nx.DiGraph(), "a", "b")


def test_paths_leave_the_graph_alone():
    before = snapshot(WEAK_STRONG)
    found = paths(WEAK_STRONG, "a", "d")
    found["shortest"][0]["edges"][0]["evidence"].clear()
    assert snapshot(WEAK_STRONG) == before


def test_dense_random_graph_completes():
    rng = random.Random(7)
    g = nx.gnp_random_graph(200, 0.3, seed=7, directed=True)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = rng.randint(1, 20)
    if g.has_edge(0, 199):  # keep the direct route out, so that ties among 2-hop paths matter
        g.remove_edge(0, 199)
    found = paths(g, 0, 199, k=5, max_hops=6)
    assert len(found["shortest"]) == 5 and all(p["hops"] == 2 for p in found["shortest"])
    two_hops = sorted((min(g.edges[0, m]["weight"], g.edges[m, 199]["weight"]) for m in g.successors(0)
                       if g.has_edge(m, 199)), reverse=True)
    assert len(two_hops) > 5 and [p["min_weight"] for p in found["shortest"]] == two_hops[:5]
    assert all(p["hops"] <= 6 for p in found["strongest"])
    assert len(found["strongest"]) == 5
    # The strongest path's weight product, normalised, is never below the shortest's best one.
    def score(p):
        product = 1.0
        for w in p["weights"]:
            product *= w / 20
        return product
    assert score(found["strongest"][0]) >= max(score(p) for p in found["shortest"])
    scores = [score(p) for p in found["strongest"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("seed", range(12))
def test_paths_agree_with_brute_force_on_small_graphs(seed):
    rng = random.Random(seed)
    g = nx.gnp_random_graph(9, 0.35, seed=seed, directed=True)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = rng.randint(1, 6)
    every = list(nx.all_simple_paths(g, 0, 8, cutoff=4))
    if not every:
        with pytest.raises(AnalysisError):
            paths(g, 0, 8, max_hops=4)
        return
    found = paths(g, 0, 8, k=4, max_hops=4)
    heaviest = max(w for _, _, w in g.edges(data="weight"))

    def product(p):
        result = 1.0
        for u, v in zip(p, p[1:]):
            result *= g.edges[u, v]["weight"] / heaviest
        return result

    best = sorted((product(p) for p in every), reverse=True)[:4]
    assert [product(p["outlets"]) for p in found["strongest"]] == pytest.approx(best)
    fewest = sorted(((len(p), -min(g.edges[u, v]["weight"] for u, v in zip(p, p[1:]))) for p in every))[:4]
    assert [(p["hops"] + 1, -p["min_weight"]) for p in found["shortest"]] == fewest
    assert all(len(set(p["outlets"])) == len(p["outlets"]) for p in found["strongest"])


# -------------------------------------------------------------------------------------------- compare

def test_compare_all_kinds_of_change():
    a = outlet_graph([("x", "y", 2), ("x", "z", 5), ("y", "z", 4), ("gone", "x", 1), ("x", "q", 3)])
    b = outlet_graph([("x", "y", 6), ("x", "z", 4), ("y", "z", 4), ("x", "new", 2), ("x", "q", 3)])
    before = snapshot(a), snapshot(b)
    diff, summary = compare(a, b)
    assert (snapshot(a), snapshot(b)) == before
    changes = {(u, v): (d["weight_a"], d["weight_b"], d["delta"], d["change"]) for u, v, d in diff.edges(data=True)}
    assert changes == {("x", "y"): (2, 6, 4, "grew"), ("x", "z"): (5, 4, -1, "shrank"), ("y", "z"): (4, 4, 0, "same"),
                       ("gone", "x"): (1, 0, -1, "vanished"), ("x", "new"): (0, 2, 2, "appeared"),
                       ("x", "q"): (3, 3, 0, "same")}
    assert dict(diff.nodes(data="change")) == {"x": "kept", "y": "kept", "z": "kept", "q": "kept",
                                               "gone": "vanished", "new": "appeared"}
    assert summary["outlets"] == {"appeared": ["new"], "vanished": ["gone"]}
    assert summary["edges"]["grew"] == [{"source": "x", "target": "y", "weight_a": 2, "weight_b": 6, "delta": 4}]
    assert [(r["source"], r["target"]) for r in summary["edges"]["shrank"]] == [("x", "z")]
    assert [(r["source"], r["delta"]) for r in summary["edges"]["vanished"]] == [("gone", -1)]
    assert [(r["target"], r["delta"]) for r in summary["edges"]["appeared"]] == [("new", 2)]
    assert set(summary["edges"]) == {"appeared", "vanished", "grew", "shrank"}


def test_compare_rows_sorted_by_size_of_change():
    a = outlet_graph([("s", "t1", 1), ("s", "t2", 1), ("s", "t3", 1)])
    b = outlet_graph([("s", "t1", 3), ("s", "t2", 9), ("s", "t3", 2)])
    _, summary = compare(a, b)
    assert [(r["target"], r["delta"]) for r in summary["edges"]["grew"]] == [("t2", 8), ("t1", 2), ("t3", 1)]


def test_compare_min_change():
    a = outlet_graph([("x", "y", 10), ("x", "z", 10), ("x", "w", 10)])
    b = outlet_graph([("x", "y", 11), ("x", "z", 15), ("x", "w", 2)])
    diff, summary = compare(a, b, min_change=0.2)
    assert diff["x"]["y"]["change"] == "same"  # 1/10 is not above 0.2
    assert diff["x"]["z"]["change"] == "grew" and diff["x"]["w"]["change"] == "shrank"
    assert [r["target"] for r in summary["edges"]["grew"]] == ["z"]
    # Exactly at the threshold is not a change.
    assert compare(a, b, min_change=0.5)[0]["x"]["z"]["change"] == "same"
    with pytest.raises(AnalysisError) as info:
        compare(a, b, min_change=-1)
    assert info.value.code == "bad-option"


def test_compare_empty_and_one_node_graphs():
    diff, summary = compare(nx.DiGraph(), nx.DiGraph())
    assert diff.number_of_nodes() == 0
    assert summary == {"outlets": {"appeared": [], "vanished": []},
                       "edges": {"appeared": [], "vanished": [], "grew": [], "shrank": []}}
    one = nx.DiGraph()
    one.add_node("a", name="A")
    diff, summary = compare(nx.DiGraph(), one)
    assert dict(diff.nodes(data=True)) == {"a": {"name": "A", "change": "appeared"}}
    assert summary["outlets"]["appeared"] == ["a"]
    with pytest.raises(AnalysisError) as info:
        compare(one, {"a": 1})
    assert info.value.code == "bad-graph"


# -------------------------------------------------------------------------------------------- periods

@pytest.mark.parametrize("date, by, expected", [
    ("2024-05-17", "month", "2024-05"),
    ("2024-05-17", "quarter", "2024-Q2"),
    ("2024-05-17", "year", "2024"),
    ("2024-01-01", "quarter", "2024-Q1"),
    ("2024-03-31", "quarter", "2024-Q1"),
    ("2024-04-01", "quarter", "2024-Q2"),
    ("2024-12-31T23:59:59+02:00", "month", "2024-12"),
    ("2024-10-01 08:00", "quarter", "2024-Q4"),
    ("2024-02-29", "month", "2024-02"),
    ("2024-05", "month", "2024-05"),
    ("2024-05", "quarter", "2024-Q2"),
    ("2024-Q3", "year", "2024"),
    ("2024", "year", "2024"),
    ("2024", "month", ""),  # a year does not say which month
    ("2024-Q3", "month", ""),
    ("", "month", ""),
    ("   ", "year", ""),
    (None, "year", ""),
    ("yesterday", "month", ""),
    ("2024 was a good year", "year", ""),
    ("2024-05-17T08:00:00.123Z", "month", "2024-05"),
    ("17/05/2024", "month", ""),
    ("2024-13-01", "month", ""),
    ("2023-02-29", "month", ""),
    ("2024-05-32", "year", ""),
    ("2024-5-17", "month", ""),
])
def test_period_of(date, by, expected):
    assert period_of(date, by) == expected


@pytest.mark.parametrize("by", ["week", "", "Month", None])
def test_period_of_bad_period(by):
    with pytest.raises(AnalysisError) as info:
        period_of("2024-05-17", by)
    assert info.value.code == "bad-period" and "month, quarter, year" in info.value.detail


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["month", "quarter", "year"]))
def test_period_of_never_raises_on_any_text(text, by):
    label = period_of(text, by)
    assert label == "" or period_of(label, by) == label


@pytest.mark.parametrize("first, last, by, expected", [
    ("2023-11-20", "2024-02-01", "month", ["2023-11", "2023-12", "2024-01", "2024-02"]),
    ("2023-11-20", "2023-11-21", "month", ["2023-11"]),
    ("2023-08-15", "2024-01-02", "quarter", ["2023-Q3", "2023-Q4", "2024-Q1"]),
    ("2022-12-31", "2024-01-01", "year", ["2022", "2023", "2024"]),
    ("2023-Q4", "2024-Q1", "quarter", ["2023-Q4", "2024-Q1"]),
    ("2023-12", "2024-01", "month", ["2023-12", "2024-01"]),
    ("2023", "2024", "quarter", ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3",
                                 "2024-Q4"]),
    ("2024-Q4", "2025-01-10", "month", ["2024-10", "2024-11", "2024-12", "2025-01"]),
])
def test_periods_between(first, last, by, expected):
    assert periods_between(first, last, by) == expected


@pytest.mark.parametrize("first, last, by, words", [
    ("2024-02-01", "2023-01-01", "month", "comes after"),
    ("", "2024-01-01", "month", "cannot read ''"),
    ("2024-01-01", "soon", "year", "cannot read 'soon'"),
    ("2024-01-01", "2024-02-01", "week", "cannot slice by"),
])
def test_periods_between_bad_input(first, last, by, words):
    with pytest.raises(AnalysisError, match=words) as info:
        periods_between(first, last, by)
    assert info.value.code == "bad-period"


# --------------------------------------------------------------------------------------------- metrics

def test_metrics_over_time_rows():
    jan = outlet_graph([("a", "b", 2), ("c", "b", 1)], {"a": "A"})
    feb = nx.DiGraph()
    feb.add_edge("a", "b", weight=5)  # no node attributes: metrics are computed
    rows = metrics_over_time({"2024-02": feb, "2024-01": jan})
    assert [(r["period"], r["outlet"]) for r in rows] == [("2024-01", "a"), ("2024-01", "b"), ("2024-01", "c"),
                                                           ("2024-02", "a"), ("2024-02", "b")]
    by_key = {(r["period"], r["outlet"]): r for r in rows}
    assert by_key["2024-01", "a"]["name"] == "A" and by_key["2024-02", "a"]["name"] == "a"
    assert (by_key["2024-01", "b"]["in_weight"], by_key["2024-01", "a"]["out_weight"]) == (3, 2)
    assert (by_key["2024-02", "b"]["in_weight"], by_key["2024-02", "a"]["out_weight"]) == (5, 5)
    for period in ("2024-01", "2024-02"):
        ranks = [r["pagerank"] for r in rows if r["period"] == period]
        assert sum(ranks) == pytest.approx(1.0)
    assert by_key["2024-01", "b"]["pagerank"] > by_key["2024-01", "a"]["pagerank"]
    assert ("2024-02", "c") not in by_key


def test_metrics_read_from_node_attributes_first():
    g = outlet_graph([("a", "b", 2)])
    g.nodes["a"]["pagerank"] = 0.9
    g.nodes["a"]["community"] = 4
    g.nodes["b"]["community"] = 1
    rows = metrics_over_time({"2024": g}, metrics=("pagerank", "community", "in_weight"))
    assert [(r["outlet"], r["pagerank"], r["community"], r["in_weight"]) for r in rows] == [
        ("a", 0.9, 4, 0), ("b", pytest.approx(nx.pagerank(g)["b"]), 1, 2)]
    assert set(rows[0]) == {"period", "outlet", "name", "pagerank", "community", "in_weight"}


def test_metrics_periods_in_time_order_across_granularities_and_free_labels():
    g = outlet_graph([("a", "b", 1)])
    rows = metrics_over_time({"2024-Q1": g, "2023-Q4": g, "2023-Q3": g}, metrics=("in_weight",))
    assert [r["period"] for r in rows][::2] == ["2023-Q3", "2023-Q4", "2024-Q1"]
    rows = metrics_over_time({"before": g, "after": g}, metrics=("in_weight",))
    assert [r["period"] for r in rows][::2] == ["before", "after"]


def test_metrics_empty_and_bad_input():
    assert metrics_over_time({}) == []
    one = nx.DiGraph()
    one.add_node("a")
    assert metrics_over_time({"2024-01": nx.DiGraph(), "2024-02": one}) == [
        {"period": "2024-02", "outlet": "a", "name": "a", "in_weight": 0, "out_weight": 0, "pagerank": 1.0}]
    with pytest.raises(AnalysisError) as info:
        metrics_over_time({"2024": outlet_graph([("a", "b", 1)])}, metrics=("betweenness",))
    assert info.value.code == "unknown-metric" and "betweenness" in info.value.detail
    with pytest.raises(AnalysisError) as info:
        metrics_over_time([nx.DiGraph()])
    assert info.value.code == "bad-graph"


# ---------------------------------------------------------------------------------------------- docs

def test_public_api_and_doctests():
    assert set(analysis.__all__) == {"AnalysisError", "resolve_outlet", "ego", "ego_table", "paths", "compare",
                                     "period_of", "periods_between", "metrics_over_time"}
    for name in analysis.__all__:
        assert getattr(analysis, name).__doc__
    failures, tried = doctest.testmod(analysis)
    assert tried >= 20 and failures == 0
