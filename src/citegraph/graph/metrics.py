"""Who matters in the outlet graph: node metrics, communities and graph-level summaries.

Every function takes the graph first and options as keywords, never changes its input and returns
plain dicts or new graphs. Results do not depend on the order in which nodes and edges were added:
the algorithms run on a canonical copy whose nodes and edges are sorted, so a seed gives the same
answer for the same graph however it was built.
"""
from __future__ import annotations

import math
import numbers
import random
from typing import Any, Iterable

import networkx as nx

__all__ = [
    "METRICS", "COMMUNITY_METHODS", "MetricsError", "communities", "node_metrics", "add_metrics",
    "graph_summary", "top_k", "largest_component", "community_rows", "community_edges",
]

# The node attributes that add_metrics writes, in display order.
METRICS: tuple[str, ...] = (
    "in_weight", "out_weight", "in_degree", "out_degree", "pagerank", "hub", "authority", "betweenness",
    "core", "reciprocity", "community", "community_share",
)
COMMUNITY_METHODS: tuple[str, ...] = ("louvain", "leiden")

# HITS: iterations tried in turn; the last is the documented fallback for slow convergence.
HITS_ATTEMPTS: tuple[tuple[int, float], ...] = ((1000, 1e-8), (10_000, 1e-6))
# networkx's HITS uses a sparse SVD whose top singular vector is not unique when components tie;
# it then returns negative or infinite scores, and a plain power iteration from a uniform start is used.
HITS_TOLERANCE = -1e-9


class MetricsError(ValueError):
    """Bad input or options for a metric: ``code`` is a short reason, ``detail`` says what to do.

    Codes: ``bad-graph``, ``bad-weight``, ``bad-option``, ``bad-method``, ``bad-metric``,
    ``missing-extra``.
    """

    def __init__(self, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


# --- checks ------------------------------------------------------------------------------------

def _checked_graph(g) -> nx.DiGraph:
    if not isinstance(g, nx.Graph) or not g.is_directed() or g.is_multigraph():
        raise MetricsError("bad-graph", f"expected a networkx.DiGraph of outlets, got {type(g).__name__}")
    return g


def _checked_method(method: str) -> str:
    if method not in COMMUNITY_METHODS:
        raise MetricsError("bad-method", f"unknown community method {method!r}: choose from "
                                         f"{', '.join(COMMUNITY_METHODS)}")
    return method


def _checked_weight(value, u, v, weight: str):
    # networkx reads a missing weight as 1; anything else must be a finite, non-negative number.
    if value is None:
        return 1
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
        raise MetricsError("bad-weight", f"edge {u!r} -> {v!r} has {weight}={value!r}: "
                                         "weights must be finite numbers >= 0")
    return value


def _check_positive(name: str, value, minimum) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= minimum:
        raise MetricsError("bad-option", f"{name} must be a number >= {minimum}, got {value!r}")


# --- canonical graphs --------------------------------------------------------------------------

def _sorted(items: Iterable) -> list:
    items = list(items)
    try:
        return sorted(items)
    except TypeError:  # mixed id types: still a fixed order
        return sorted(items, key=repr)


def _canonical(g, weight: str) -> nx.DiGraph:
    """A copy of ``g`` with sorted nodes and edges carrying only ``weight`` (as "weight")."""
    h = nx.DiGraph()
    h.add_nodes_from(_sorted(g.nodes))
    edges = _sorted((u, v) for u, v in g.edges)
    h.add_edges_from((u, v, {"weight": _checked_weight(g[u][v].get(weight), u, v, weight)}) for u, v in edges)
    return h


def _without_loops(h: nx.DiGraph) -> nx.DiGraph:
    out = nx.DiGraph()
    out.add_nodes_from(h)
    out.add_edges_from((u, v, d) for u, v, d in h.edges(data=True) if u != v)
    return out


# --- communities -------------------------------------------------------------------------------

def _renumbered(groups: Iterable[Iterable]) -> dict:
    """Node -> community id, ids 0..k-1 by decreasing size, ties by smallest member."""
    ordered = [_sorted(group) for group in groups if group]
    ordered = _sorted_groups(ordered)
    return {node: i for i, group in enumerate(ordered) for node in group}


def _sorted_groups(groups: list[list]) -> list[list]:
    try:
        return sorted(groups, key=lambda grp: (-len(grp), grp[0]))
    except TypeError:
        return sorted(groups, key=lambda grp: (-len(grp), repr(grp[0])))


def _louvain_groups(h: nx.DiGraph, *, seed, resolution: float) -> list:
    return nx.community.louvain_communities(h, weight="weight", resolution=resolution, seed=seed)


def _leiden_groups(h: nx.DiGraph, *, seed, resolution: float) -> list:
    try:
        import igraph
    except ImportError:
        raise MetricsError("missing-extra", "Leiden communities need python-igraph: "
                                            "pip install igraph (GPL, so not a dependency of citegraph's), or use method='louvain'") from None
    nodes = list(h)
    index = {node: i for i, node in enumerate(nodes)}
    # The undirected projection: A -> B and B -> A become one edge carrying both weights.
    pairs: dict = {}
    for u, v, w in h.edges(data="weight"):
        key = (min(index[u], index[v]), max(index[u], index[v]))
        pairs[key] = pairs.get(key, 0) + w
    edges = sorted(pairs)
    ig = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    # igraph draws from a process-wide generator: seed a private one, then hand back the default.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        clustering = ig.community_leiden(objective_function="modularity", weights=[pairs[e] for e in edges],
                                         resolution=resolution, n_iterations=-1)
    finally:
        igraph.set_random_number_generator(random)
    groups: dict = {}
    for i, label in enumerate(clustering.membership):
        groups.setdefault(label, []).append(nodes[i])
    return list(groups.values())


# Community methods as data: name -> function of (canonical graph, seed, resolution).
_COMMUNITY_FINDERS = {"louvain": _louvain_groups, "leiden": _leiden_groups}


def _partition(h: nx.DiGraph, *, method: str, seed, resolution: float) -> dict:
    if len(h) == 0:
        return {}
    return _renumbered(_COMMUNITY_FINDERS[method](h, seed=seed, resolution=resolution))


def communities(g, *, method: str = "louvain", weight: str = "weight", seed: int = 0,
                resolution: float = 1.0) -> dict[Any, int]:
    """The community of every outlet.

    Parameters
    ----------
    g : networkx.DiGraph
    method : {"louvain", "leiden"}
        ``louvain``: networkx's Louvain method with directed modularity. ``leiden``: igraph's Leiden
        method optimising modularity on the undirected projection (the weights of A -> B and B -> A
        summed), iterated until stable; needs the optional igraph package.
    weight : str
        Edge attribute holding the weight (a missing value counts as 1).
    seed : int
        Seed of the random choices, so that a run can be repeated.
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.

    Returns
    -------
    dict
        Node -> community id. Ids run 0..k-1 by decreasing community size, ties broken by the
        smallest member id, so labels do not depend on the algorithm's internal numbering.

    Raises
    ------
    MetricsError
        ``bad-method`` for an unknown method, ``missing-extra`` for Leiden without igraph,
        ``bad-weight`` for a negative or non-numeric weight, ``bad-option`` for resolution <= 0.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "d"), ("d", "c")])
    >>> communities(g)
    {'a': 0, 'b': 0, 'c': 1, 'd': 1}
    """
    _checked_graph(g)
    _checked_method(method)
    _check_positive("resolution", resolution, 1e-12)
    return _partition(_canonical(g, weight), method=method, seed=seed, resolution=resolution)


# --- node metrics ------------------------------------------------------------------------------

def _weighted_degrees(loopless: nx.DiGraph) -> tuple[dict, dict]:
    return dict(loopless.in_degree(weight="weight")), dict(loopless.out_degree(weight="weight"))


def _pagerank(h: nx.DiGraph) -> dict:
    if len(h) == 0:
        return {}
    try:
        return nx.pagerank(h, weight="weight")
    except nx.PowerIterationFailedConvergence:
        try:
            return nx.pagerank(h, weight="weight", max_iter=10_000, tol=1e-6)
        except nx.PowerIterationFailedConvergence:
            return dict.fromkeys(h, 0.0)


def _valid_scores(scores: dict) -> bool:
    return all(math.isfinite(x) and x >= HITS_TOLERANCE for x in scores.values())


def _hits_networkx(h: nx.DiGraph) -> tuple[dict, dict] | None:
    import numpy as np

    uniform = dict.fromkeys(h, 1.0)  # a fixed start makes the sparse SVD repeatable
    for max_iter, tol in HITS_ATTEMPTS:
        try:
            with np.errstate(all="ignore"):
                hubs, auths = nx.hits(h, max_iter=max_iter, tol=tol, nstart=uniform)
        except nx.PowerIterationFailedConvergence:
            continue
        except (ValueError, RuntimeError):  # ARPACK refuses tiny or degenerate matrices
            return None
        return (hubs, auths) if _valid_scores(hubs) and _valid_scores(auths) else None
    return None


def _hits_power(h: nx.DiGraph, *, max_iter: int = 10_000, tol: float = 1e-10) -> tuple[dict, dict] | None:
    """Kleinberg's iteration from a uniform start: unique even when networkx's SVD is not."""
    import numpy as np

    a_matrix = nx.to_scipy_sparse_array(h, nodelist=list(h), weight="weight", dtype=float)
    auth = np.full(len(h), 1.0 / len(h))
    for _ in range(max_iter):
        nxt = a_matrix.T @ (a_matrix @ auth)
        total = nxt.sum()
        if total <= 0:
            return None
        nxt /= total
        done = np.abs(nxt - auth).sum() < tol * len(h)
        auth = nxt
        if done:
            hub = a_matrix @ auth
            return dict(zip(h, map(float, hub / hub.sum()))), dict(zip(h, map(float, auth)))
    return None


def _hits(h: nx.DiGraph) -> tuple[dict, dict]:
    zeros = dict.fromkeys(h, 0.0)
    if h.number_of_edges() == 0:
        return zeros, dict(zeros)
    found = _hits_networkx(h) or _hits_power(h)
    if found is None:
        return zeros, dict(zeros)
    # Clamp the SVD's rounding noise (-0.0, -1e-17) so scores read as non-negative.
    return tuple({n: max(0.0, float(x)) for n, x in scores.items()} for scores in found)


def _betweenness_sources(nodes: list, *, exact_below: int, samples: int, seed) -> list | None:
    """The sampled source nodes, drawn as networkx draws them; None for exact betweenness."""
    if len(nodes) < exact_below or samples >= len(nodes):
        return None
    return random.Random(seed).sample(nodes, samples)


def _raw_betweenness(loopless: nx.DiGraph, nodes: list, sources: list | None) -> list | None:
    """Unscaled shortest-path counts through each node from igraph's C code, or None without igraph.

    networkx's pure Python Brandes takes about 0.4 s per source on 50,000 outlets; igraph computes
    the same sums (source subset included) a hundred times faster.
    """
    try:
        import igraph
    except ImportError:
        return None
    index = {node: i for i, node in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in loopless.edges], directed=True)
    picked = None if sources is None else [index[s] for s in sources]
    return ig.betweenness(directed=True, sources=picked)


def _betweenness(loopless: nx.DiGraph, *, exact_below: int, samples: int, seed) -> dict:
    nodes = list(loopless)
    n = len(nodes)
    if n < 3:  # no path can run through a third outlet
        return dict.fromkeys(nodes, 0.0)
    sources = _betweenness_sources(nodes, exact_below=exact_below, samples=samples, seed=seed)
    raw = _raw_betweenness(loopless, nodes, sources)
    if raw is None:
        found = nx.betweenness_centrality(loopless, k=None if sources is None else len(sources),
                                          normalized=True, weight=None, seed=seed)
        return {node: 0.0 if math.isnan(x) else x for node, x in found.items()}  # NaN: one sampled source
    # networkx's normalisation: pairs (s, t) over n - 1 sources, or over the k sampled ones, except
    # that a sampled source only lies on paths from the other k - 1.
    k, picked = (n - 1, set()) if sources is None else (len(sources), set(sources))
    scale = {False: 1 / (k * (n - 2)), True: 1 / ((k - 1) * (n - 2)) if k > 1 else 0.0}
    return {node: float(x) * scale[node in picked] for node, x in zip(nodes, raw)}


def _cores(loopless: nx.DiGraph) -> dict:
    und = nx.Graph()
    und.add_nodes_from(loopless)
    und.add_edges_from(loopless.edges)
    return nx.core_number(und)


def _reciprocity(loopless: nx.DiGraph) -> dict:
    if len(loopless) == 0:
        return {}
    return {n: float(r or 0.0) for n, r in nx.reciprocity(loopless, list(loopless)).items()}


def _community_shares(loopless: nx.DiGraph, labels: dict, out_weight: dict) -> dict:
    shares = {}
    for node in loopless:
        own = sum(w for _, v, w in loopless.out_edges(node, data="weight") if labels[v] == labels[node])
        shares[node] = own / out_weight[node] if out_weight[node] else 0.0
    return shares


def node_metrics(g, *, weight: str = "weight", seed: int = 0, method: str = "louvain",
                 resolution: float = 1.0, betweenness_exact_below: int = 2000,
                 betweenness_samples: int = 500) -> dict[Any, dict[str, float | int]]:
    """Every metric of ``METRICS`` for every outlet.

    Parameters
    ----------
    g : networkx.DiGraph
        The outlet graph; an edge A -> B means articles of A cite B.
    weight : str
        Edge attribute holding the weight (a missing value counts as 1).
    seed : int
        Seed of the community search and of sampled betweenness.
    method : {"louvain", "leiden"}
        Community method, see :func:`communities`.
    resolution : float
        Community resolution, see :func:`communities`.
    betweenness_exact_below : int
        Graphs with fewer nodes get exact betweenness.
    betweenness_samples : int
        Larger graphs get betweenness estimated from this many sampled source nodes.

    Returns
    -------
    dict
        Node -> {metric: value} with the keys of ``METRICS`` in that order:

        - ``in_weight``, ``out_weight``: weighted in and out degree, self-citations excluded.
        - ``in_degree``, ``out_degree``: distinct outlets citing it / cited by it, itself excluded.
        - ``pagerank``: ``networkx.pagerank`` on the weights.
        - ``hub``, ``authority``: ``networkx.hits``. networkx has no weight option for HITS: it reads
          the ``"weight"`` attribute, so ``weight`` is passed by copying it there. When networkx's
          sparse SVD fails or gives no valid answer (ties between components), a power iteration
          from a uniform start is used; if that does not converge either, all scores are 0.0.
        - ``betweenness``: ``networkx.betweenness_centrality``, normalised, unweighted (hops), self-loops
          left out. Exact below ``betweenness_exact_below`` nodes; above, estimated from
          ``min(n, betweenness_samples)`` source nodes drawn with ``seed``. When igraph is installed
          its C code computes the same values (same sources, same scaling), much faster.
        - ``core``: ``networkx.core_number`` on the undirected graph without self-loops.
        - ``reciprocity``: ``networkx.reciprocity`` of the node without self-loops (the share of its
          ties that go both ways); 0.0 for an outlet with no other outlet.
        - ``community``: see :func:`communities`.
        - ``community_share``: share of ``out_weight`` going to the outlet's own community; 1.0 is a
          closed ecosystem, 0.0 also for an outlet that cites nobody.

    Raises
    ------
    MetricsError
        ``bad-graph``, ``bad-weight``, ``bad-method``, ``bad-option``, ``missing-extra``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_weighted_edges_from([("a", "b", 3), ("b", "a", 1), ("a", "c", 1)])
    >>> m = node_metrics(g)
    >>> m["a"]["out_weight"], m["a"]["out_degree"], round(m["a"]["reciprocity"], 3)
    (4, 2, 0.667)
    >>> m["c"]["authority"] > 0, m["c"]["hub"]
    (True, 0.0)
    """
    return _metrics_of(g, weight=weight, seed=seed, method=method, resolution=resolution,
                       betweenness_exact_below=betweenness_exact_below,
                       betweenness_samples=betweenness_samples)[1]


def _metrics_of(g, *, weight: str = "weight", seed: int = 0, method: str = "louvain", resolution: float = 1.0,
                betweenness_exact_below: int = 2000, betweenness_samples: int = 500) -> tuple[nx.DiGraph, dict]:
    """The canonical graph and the node metrics, so add_metrics builds the canonical graph once."""
    _checked_graph(g)
    _checked_method(method)
    _check_positive("resolution", resolution, 1e-12)
    _check_positive("betweenness_exact_below", betweenness_exact_below, 0)
    _check_positive("betweenness_samples", betweenness_samples, 1)
    h = _canonical(g, weight)
    loopless = _without_loops(h)
    in_w, out_w = _weighted_degrees(loopless)
    hubs, auths = _hits(h)
    labels = _partition(h, method=method, seed=seed, resolution=resolution)
    columns = {
        "in_weight": in_w, "out_weight": out_w,
        "in_degree": dict(loopless.in_degree()), "out_degree": dict(loopless.out_degree()),
        "pagerank": _pagerank(h), "hub": hubs, "authority": auths,
        "betweenness": _betweenness(loopless, exact_below=betweenness_exact_below,
                                    samples=int(betweenness_samples), seed=seed),
        "core": _cores(loopless), "reciprocity": _reciprocity(loopless), "community": labels,
        "community_share": _community_shares(loopless, labels, out_w),
    }
    return h, {node: {name: columns[name][node] for name in METRICS} for node in g}


# --- graph level -------------------------------------------------------------------------------

def _modularity(h: nx.DiGraph, labels: dict, resolution: float) -> float:
    if h.size(weight="weight") == 0:  # modularity divides by the total weight
        return 0.0
    groups: dict = {}
    for node, label in labels.items():
        groups.setdefault(label, set()).add(node)
    return float(nx.community.modularity(h, groups.values(), weight="weight", resolution=resolution))


def _overall_reciprocity(g) -> float:
    loopless = [(u, v) for u, v in g.edges if u != v]
    if not loopless:
        return 0.0
    edges = set(loopless)
    return sum((v, u) in edges for u, v in loopless) / len(loopless)


def add_metrics(g, **kw) -> nx.DiGraph:
    """A copy of ``g`` whose nodes carry every metric of ``METRICS``.

    Parameters
    ----------
    g : networkx.DiGraph
    **kw
        Options of :func:`node_metrics` (``weight``, ``seed``, ``method``, ``resolution``,
        ``betweenness_exact_below``, ``betweenness_samples``).

    Returns
    -------
    networkx.DiGraph
        A copy (as ``g.copy()``: attribute values such as evidence lists are shared, never
        changed) with the metrics as node attributes; ``in_weight`` and ``out_weight`` are
        replaced by the values without self-citations. Graph attributes: ``modularity`` (directed
        modularity of the communities, whichever method found them), ``communities`` (their
        count), ``reciprocity`` (share of edges between distinct outlets that are reciprocated,
        0.0 without edges) and ``community_method``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "d")])
    >>> out = add_metrics(g)
    >>> out.nodes["a"]["community"], out.graph["communities"], out.graph["reciprocity"]
    (0, 2, 0.6666666666666666)
    >>> "pagerank" in g.nodes["a"]
    False
    """
    h, metrics = _metrics_of(g, **kw)
    out = g.copy()
    for node, values in metrics.items():
        out.nodes[node].update(values)
    labels = {node: values["community"] for node, values in metrics.items()}
    out.graph.update(modularity=_modularity(h, labels, kw.get("resolution", 1.0)),
                     communities=len(set(labels.values())), reciprocity=_overall_reciprocity(g),
                     community_method=kw.get("method", "louvain"))
    return out


def graph_summary(g, *, weight: str = "weight") -> dict:
    """Size and shape of the outlet graph in one dict.

    Parameters
    ----------
    g : networkx.DiGraph
    weight : str
        Edge attribute holding the weight (a missing value counts as 1).

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``self_loops``, ``density``, ``components`` (weakly connected),
        ``largest_component`` (its node count), ``reciprocity`` (share of edges between distinct
        outlets that are reciprocated), ``total_weight`` (self-loops included), and
        ``communities``, ``modularity`` and ``community_method`` when :func:`add_metrics` put them
        in ``g.graph``.

    Examples
    --------
    >>> import networkx as nx
    >>> s = graph_summary(nx.DiGraph([("a", "b"), ("b", "a"), ("c", "d")]))
    >>> s["nodes"], s["edges"], s["components"], s["largest_component"], s["reciprocity"]
    (4, 3, 2, 2, 0.6666666666666666)
    """
    _checked_graph(g)
    sizes = [len(c) for c in nx.weakly_connected_components(g)]
    summary = {
        "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
        "self_loops": nx.number_of_selfloops(g), "density": float(nx.density(g)),
        "components": len(sizes), "largest_component": max(sizes, default=0),
        "reciprocity": _overall_reciprocity(g),
        "total_weight": sum(_checked_weight(w, u, v, weight) for u, v, w in g.edges(data=weight)),
    }
    summary.update({key: g.graph[key] for key in ("communities", "modularity", "community_method")
                    if key in g.graph})
    return summary


# --- subgraphs ---------------------------------------------------------------------------------

def _metric_values(g, metric: str) -> dict:
    present = nx.get_node_attributes(g, metric)
    if len(present) < len(g) and metric in METRICS:
        present = {node: values[metric] for node, values in node_metrics(g).items()}
    elif len(present) < len(g):
        raise MetricsError("bad-metric", f"{metric!r} is neither a node attribute of every outlet nor one "
                                         f"of {', '.join(METRICS)}")
    bad = [n for n, x in present.items() if isinstance(x, bool) or not isinstance(x, numbers.Real)]
    if bad:
        raise MetricsError("bad-metric", f"{metric!r} of {bad[0]!r} is {present[bad[0]]!r}, not a number")
    return present


def _top_nodes(values: dict, k: int) -> list:
    try:
        ranked = sorted(values, key=lambda n: (-values[n], n))
    except TypeError:
        ranked = sorted(values, key=lambda n: (-values[n], repr(n)))
    return ranked[:k]


def top_k(g, metric: str, k: int) -> nx.DiGraph:
    """The subgraph of the ``k`` outlets highest on ``metric``.

    Parameters
    ----------
    g : networkx.DiGraph
    metric : str
        A numeric node attribute; one of ``METRICS`` is computed with :func:`node_metrics`
        (default options) when some node lacks it.
    k : int
        How many outlets to keep; ``k <= 0`` keeps them all.

    Returns
    -------
    networkx.DiGraph
        A copy of the induced subgraph (graph attributes are those of ``g``). Ties are broken by
        node id.

    Raises
    ------
    MetricsError
        ``bad-metric`` when the metric is unknown or not a number.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d")])
    >>> sorted(top_k(g, "in_weight", 2))
    ['c', 'd']
    """
    _checked_graph(g)
    if k <= 0:
        return g.copy()
    return g.subgraph(_top_nodes(_metric_values(g, metric), k)).copy()


def largest_component(g) -> nx.DiGraph:
    """The largest weakly connected component of ``g``, as a new graph.

    Among components of equal size, the one holding the smallest node id wins.

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(largest_component(nx.DiGraph([("a", "b"), ("b", "c"), ("x", "y")])))
    ['a', 'b', 'c']
    """
    _checked_graph(g)
    parts = [_sorted(c) for c in nx.weakly_connected_components(g)]
    if not parts:
        return g.copy()
    return g.subgraph(_sorted_groups(parts)[0]).copy()


def community_rows(g) -> list[dict]:
    """The communities of a measured graph (:func:`add_metrics`), largest first: ``community``, ``size``,
    ``inside_share`` (the share of its members' citations that stay inside it; None when they cite
    nobody) and ``members`` (ids, highest PageRank first). Nodes without a community are left out.

    Examples
    --------
    >>> h = add_metrics(nx.DiGraph([("a", "b"), ("b", "a"), ("c", "d")]))
    >>> [(r["size"], r["inside_share"]) for r in community_rows(h)]
    [(2, 1.0), (2, 1.0)]
    """
    groups: dict = {}
    for node, data in g.nodes(data=True):
        if "community" in data:
            groups.setdefault(data["community"], []).append(node)
    rows = []
    for community, nodes in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        nodes.sort(key=lambda n: (-float(g.nodes[n].get("pagerank", 0)), str(n)))
        out = sum(float(g.nodes[n].get("out_weight", 0)) for n in nodes)
        inside = sum(float(g.nodes[n].get("community_share", 0)) * float(g.nodes[n].get("out_weight", 0)) for n in nodes)
        rows.append({"community": community, "size": len(nodes), "inside_share": inside / out if out else None,
                     "members": nodes})
    return rows


def community_edges(g, *, weight: str = "weight") -> list[tuple[int, int, int]]:
    """The citations between communities: (community a, community b, total weight), a != b.

    Uses the ``community`` node attribute (from :func:`add_metrics`), or :func:`communities` with
    default options when some node lacks it. Heaviest first, ties by community ids.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_weighted_edges_from([("a", "b", 5), ("b", "a", 5), ("c", "d", 5), ("d", "c", 5), ("a", "c", 2)])
    >>> community_edges(g)
    [(0, 1, 2)]
    """
    _checked_graph(g)
    labels = nx.get_node_attributes(g, "community")
    if len(labels) < len(g):
        labels = communities(g, weight=weight)
    totals: dict = {}
    for u, v, w in g.edges(data=weight):
        a, b = labels[u], labels[v]
        if a != b:
            totals[(a, b)] = totals.get((a, b), 0) + _checked_weight(w, u, v, weight)
    return sorted(((a, b, w) for (a, b), w in totals.items()), key=lambda row: (-row[2], row[0], row[1]))
