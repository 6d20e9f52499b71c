"""Layouts for the network page: every method on small graphs, the sparse layout's quality and scale."""
from __future__ import annotations

import doctest
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import cKDTree

import citegraph.render.layout as layout_module
from citegraph.render.layout import LAYOUTS, LayoutError, layout


def _with_self_loops() -> nx.Graph:
    g = nx.path_graph(4)
    g.add_edge(0, 0)
    g.add_edge(2, 2)
    return g


def _two_components() -> nx.Graph:
    g = nx.complete_graph(5)
    g.add_edges_from([("a", "b"), ("b", "c")])
    return g


SMALL_GRAPHS = {
    "empty": nx.Graph(),
    "one node": nx.empty_graph(1),
    "two nodes": nx.path_graph(2),
    "path": nx.path_graph(6),
    "star": nx.star_graph(8),
    "no edges": nx.empty_graph(7),
    "self-loops": _with_self_loops(),
    "two components": _two_components(),
    "directed": nx.DiGraph([("nyt.com", "ap.org"), ("ap.org", "nyt.com"), ("bbc.co.uk", "ap.org")]),
}


def _xy(pos: dict, nodes) -> np.ndarray:
    return np.array([pos[v] for v in nodes], dtype=float).reshape(-1, 2)


def _median_nearest(xy: np.ndarray) -> float:
    return float(np.median(cKDTree(xy).query(xy, k=2)[0][:, 1]))


def _planted(sizes, p_in, p_out, seed) -> tuple[nx.Graph, np.ndarray]:
    g = nx.random_partition_graph(sizes, p_in, p_out, seed=seed)
    group = np.empty(len(g), dtype=int)
    for k, part in enumerate(g.graph["partition"]):
        group[list(part)] = k
    return g, group


def _group_distances(xy: np.ndarray, group: np.ndarray, pairs: int = 400_000) -> tuple[float, float]:
    """Mean distance within groups and between groups, over random node pairs."""
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, len(xy), pairs), rng.integers(0, len(xy), pairs)
    distance = np.hypot(*(xy[a] - xy[b]).T)
    same = (group[a] == group[b]) & (a != b)
    return float(distance[same].mean()), float(distance[group[a] != group[b]].mean())


def test_doctests():
    result = doctest.testmod(layout_module)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("method", LAYOUTS)
@pytest.mark.parametrize("name", list(SMALL_GRAPHS))
def test_small_graphs(method, name):
    g = SMALL_GRAPHS[name]
    pos = layout(g, method=method)
    assert set(pos) == set(g)
    xy = _xy(pos, list(g))
    assert np.all(np.isfinite(xy))
    assert all(isinstance(c, float) for p in pos.values() for c in p)
    if len(g) == 1:
        assert list(pos.values()) == [(0.0, 0.0)]
    elif len(g) > 1:
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        assert (hi - lo).max() == pytest.approx(2.0)
        assert np.allclose((lo + hi) / 2, 0.0, atol=1e-9)
        # Distinct nodes get distinct places.
        assert len({tuple(np.round(p, 9)) for p in xy}) == len(g)


def test_empty_graph_gives_empty_dict():
    assert layout(nx.Graph(), method="sparse") == {}
    assert layout(nx.DiGraph()) == {}


@pytest.mark.parametrize("method", LAYOUTS)
def test_same_seed_same_positions_and_build_order_does_not_matter(method):
    g = nx.les_miserables_graph()
    edges = list(g.edges(data="weight"))
    backwards = nx.Graph()
    backwards.add_nodes_from(reversed(list(g)))
    backwards.add_weighted_edges_from((v, u, w) for u, v, w in reversed(edges))
    first = layout(g, method=method, seed=3, weight="weight")
    assert layout(g, method=method, seed=3, weight="weight") == first
    assert layout(backwards, method=method, seed=3, weight="weight") == first


def test_seed_changes_the_sparse_layout():
    g = nx.les_miserables_graph()
    assert layout(g, method="sparse", seed=1) != layout(g, method="sparse", seed=2)


def test_mixed_node_types_are_ordered_without_error():
    g = nx.Graph([(1, "a"), ("a", (2, 3)), (1, 2.5)])
    pos = layout(g, method="sparse")
    assert set(pos) == set(g)
    assert layout(nx.Graph(list(reversed(list(g.edges())))), method="sparse") == pos


@pytest.mark.parametrize("method", ["sparse", "forceatlas2"])
def test_planted_groups_are_drawn_apart(method):
    g, group = _planted([200] * 5, 0.05, 0.001, seed=11)
    xy = _xy(layout(g, method=method, seed=0), range(len(g)))
    within, between = _group_distances(xy, group)
    assert within < 0.5 * between
    # No pile-up: a uniform spread of n points has nearest neighbours about 2 / sqrt(n) apart.
    assert _median_nearest(xy) > 0.2 * 2 / math.sqrt(len(g))


def test_components_are_packed_without_overlap_and_isolated_nodes_apart():
    parts = [nx.barabasi_albert_graph(300, 2, seed=1), nx.barabasi_albert_graph(100, 2, seed=2),
             nx.barabasi_albert_graph(90, 1, seed=3), nx.star_graph(40), nx.cycle_graph(20),
             nx.path_graph(3), nx.path_graph(2), nx.empty_graph(30)]
    g = nx.disjoint_union_all(parts)
    pos = layout(g, method="sparse")
    boxes = []
    for component in nx.connected_components(g):
        xy = _xy(pos, component)
        boxes.append((xy.min(axis=0), xy.max(axis=0), len(component)))
    for k, (lo, hi, _) in enumerate(boxes):
        for lo2, hi2, _ in boxes[k + 1:]:
            assert np.any(hi < lo2) or np.any(hi2 < lo), "two components overlap"
    # Largest component first: it starts at the top left.
    largest = max(boxes, key=lambda box: box[2])
    assert largest[1][1] == pytest.approx(1.0) or largest[0][0] == pytest.approx(-1.0)
    xy = _xy(pos, list(g))
    assert _median_nearest(xy) > 0.1 * 2 / math.sqrt(len(g))


def test_directions_and_parallel_edges_add_up():
    one_way = nx.Graph([(u, v) for u, v in nx.les_miserables_graph().edges()])
    both_ways = nx.DiGraph()
    both_ways.add_edges_from(one_way.edges())
    both_ways.add_edges_from((v, u) for u, v in one_way.edges())
    assert layout(both_ways, method="sparse") == layout(one_way, method="sparse")
    # Weighted: A -> B (3) and B -> A (5) weigh as one edge of 8.
    split = nx.DiGraph()
    merged = nx.Graph()
    for u, v in one_way.edges():
        split.add_edge(u, v, weight=3)
        split.add_edge(v, u, weight=5)
        merged.add_edge(u, v, weight=8)
    assert layout(split, method="sparse", weight="weight") == layout(merged, method="sparse", weight="weight")


@pytest.mark.parametrize("leaves", [12, 300])  # exact repulsion, then the grid (see SMALL_COMPONENT)
@pytest.mark.parametrize("method", ["sparse", "forceatlas2"])
def test_a_heavy_edge_is_shorter(leaves, method):
    g = nx.star_graph(leaves)
    nx.set_edge_attributes(g, 1, "weight")
    g.edges[0, 1]["weight"] = 5_000
    pos = layout(g, method=method, weight="weight")
    length = {v: math.dist(pos[0], pos[v]) for v in range(1, leaves + 1)}
    others = sorted(length[v] for v in range(2, leaves + 1))
    assert length[1] < others[len(others) // 2] * 0.8
    # Unweighted, the same leaf sits like the others.
    plain = layout(g, method=method)
    plain_length = math.dist(plain[0], plain[1])
    assert plain_length > min(math.dist(plain[0], plain[v]) for v in range(2, leaves + 1)) * 0.8


@pytest.mark.parametrize("method,nodes", [("forceatlas2", 5_001), ("spring", 5_001), ("kamada-kawai", 1_001)])
def test_dense_methods_refuse_large_graphs(method, nodes):
    with pytest.raises(LayoutError) as caught:
        layout(nx.empty_graph(nodes), method=method)
    assert caught.value.code == "too-large"
    assert "sparse" in caught.value.detail
    assert str(caught.value).startswith("too-large: ")


def test_auto_uses_forceatlas2_up_to_1000_nodes_then_sparse():
    small = nx.les_miserables_graph()
    assert layout(small) == layout(small, method="forceatlas2")
    large = nx.disjoint_union(nx.cycle_graph(990), nx.empty_graph(11))
    assert len(large) == 1_001
    assert layout(large) == layout(large, method="sparse")


@pytest.mark.parametrize("options", [
    {"method": "circular"},
    {"method": "Sparse"},
    {"method": None},
    {"iterations": -1},
    {"iterations": 2.5},
    {"seed": "x"},
    {"seed": -1},
])
def test_bad_options_are_refused(options):
    with pytest.raises(LayoutError) as caught:
        layout(nx.path_graph(3), **options)
    assert caught.value.code == "bad-layout"
    assert caught.value.detail


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), "12", None, True])
def test_bad_weights_are_refused(bad):
    g = nx.path_graph(3)
    nx.set_edge_attributes(g, 2, "weight")
    g.edges[1, 2]["weight"] = bad
    with pytest.raises(LayoutError) as caught:
        layout(g, method="sparse", weight="weight")
    assert caught.value.code == "bad-weight"
    assert "1 -> 2" in caught.value.detail


def test_zero_weight_edges_and_missing_weights():
    g = nx.Graph()
    g.add_edge("a", "b", weight=0)  # no citation: a and b lay out as isolated nodes
    g.add_edge("c", "d")  # no attribute: counts as 1
    pos = layout(g, method="sparse", weight="weight")
    assert set(pos) == {"a", "b", "c", "d"}
    assert all(np.isfinite(pos[v]).all() for v in pos)


def test_iterations_zero_keeps_the_starting_placement():
    g = nx.les_miserables_graph()
    assert layout(g, method="sparse", iterations=0) != layout(g, method="sparse")
    assert set(layout(g, method="sparse", iterations=0)) == set(g)


def _exact_repulsion(xy, mass) -> np.ndarray:
    d = xy[:, None, :] - xy[None, :, :]
    d2 = (d**2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    return layout_module.REPULSION * mass[:, None] * ((mass[None, :] / d2)[..., None] * d).sum(axis=1)


@pytest.mark.parametrize("sizes", [(2_000,), (300, 150, 700)])
def test_grid_repulsion_matches_exact_repulsion_within_each_component(sizes):
    rng = np.random.default_rng(0)
    parts, masses = [], []
    for size in sizes:
        centres = rng.normal(size=(6, 2)) * 5
        parts.append(centres[rng.integers(0, 6, size)] + rng.normal(size=(size, 2)))
        masses.append(1.0 + rng.integers(0, 20, size))
    xy, mass = np.concatenate(parts), np.concatenate(masses)
    starts = np.cumsum(sizes) - np.array(sizes)
    group = np.repeat(np.arange(len(sizes)), sizes)
    approx = layout_module._grid_repulsion(xy, mass, group, starts)
    # Components overlap in space here, yet only push within themselves.
    exact = np.concatenate([_exact_repulsion(p, m) for p, m in zip(parts, masses)])
    error = np.linalg.norm(approx - exact, axis=1) / np.linalg.norm(exact, axis=1)
    assert np.median(error) < 0.01
    assert np.percentile(error, 99) < 0.1


def test_twenty_thousand_nodes_stay_grouped():
    # 20 groups of 1,000, about 100,000 edges: completes in seconds, memory O(nodes + edges).
    g, group = _planted([1_000] * 20, 0.008, 0.00012, seed=5)
    assert 90_000 < g.number_of_edges() < 110_000
    pos = layout(g)
    xy = _xy(pos, range(len(g)))
    assert np.all(np.isfinite(xy))
    within, between = _group_distances(xy, group)
    assert within < 0.5 * between
    assert _median_nearest(xy) > 0.2 * 2 / math.sqrt(len(g))


@st.composite
def small_graphs(draw):
    n = draw(st.integers(0, 25))
    g = nx.Graph()
    g.add_nodes_from(range(n))
    if n:
        pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(0, 10_000))
        for u, v, w in draw(st.lists(pairs, max_size=3 * n)):
            g.add_edge(u, v, weight=w)
    return g


@settings(max_examples=60, deadline=None)
@given(small_graphs(), st.sampled_from([None, "weight"]))
def test_sparse_layout_takes_any_small_graph(g, weight):
    pos = layout(g, method="sparse", weight=weight, iterations=20)
    assert set(pos) == set(g)
    xy = _xy(pos, list(g))
    assert np.all(np.isfinite(xy))
    if len(g) > 1:
        assert np.abs(xy).max() == pytest.approx(1.0)


def test_crowded_cells_are_sampled_and_still_push_the_right_way():
    # 2,000 nodes within a thousandth of a unit (a hub's leaves before they spread): more than the grid can
    # separate, so each node meets an even sample of its crowded neighbours, weighted up.
    rng = np.random.default_rng(1)
    xy = np.concatenate([rng.normal(size=(1000, 2)) * 10, np.array([3.0, 3.0]) + rng.normal(size=(2000, 2)) * 1e-3])
    mass = 1.0 + rng.integers(0, 5, len(xy)).astype(float)
    approx = layout_module._grid_repulsion(xy, mass, np.zeros(len(xy), dtype=np.int64), np.array([0]))
    exact = _exact_repulsion(xy, mass)
    error = np.linalg.norm(approx - exact, axis=1) / np.linalg.norm(exact, axis=1)
    assert np.median(error[:1000]) < 0.01  # the nodes outside the crowd: as exact as before
    cosine = (approx * exact).sum(axis=1) / np.linalg.norm(approx, axis=1) / np.linalg.norm(exact, axis=1)
    assert np.median(cosine[1000:]) > 0.9  # inside it: pushed the right way


def test_the_leaves_of_big_hubs_spread_around_their_hub():
    # Three hubs of 2,000 leaves each, a few leaves shared: the layout that took minutes when the leaves
    # crowded the grid's finest cells.
    g = nx.Graph()
    for h in range(3):
        g.add_edges_from((f"hub{h}", f"leaf{h}-{i}") for i in range(2000))
    g.add_edges_from((f"leaf0-{i}", "hub1") for i in range(0, 2000, 50))
    g.add_edge("hub0", "hub2")
    pos = layout(g, method="sparse")
    xy = _xy(pos, list(g))
    assert np.all(np.isfinite(xy))
    nearest = cKDTree(xy).query(xy, k=2)[0][:, 1]
    assert np.percentile(nearest, 1) > 1e-3  # the leaves ring their hub, none piled on another
    hubs = _xy(pos, ["hub0", "hub1", "hub2"])
    for h in range(3):
        leaves = _xy(pos, [f"leaf{h}-{i}" for i in range(1, 2000, 50) if not (h == 0 and i % 50 == 0)])
        own = np.hypot(*(leaves - hubs[h]).T)
        other = np.hypot(*(leaves - hubs[(h + 1) % 3]).T)
        assert np.median(own) < np.median(other)  # each hub keeps its leaves around it
