"""Questions asked of the outlet graph: who is near an outlet, how citations travel from one outlet to
another, what changed between two graphs, and how outlets fare period by period.

Every function takes the graph first and options as keywords, never changes its input, and returns plain
dicts and lists or a new graph. Bad input raises :class:`AnalysisError`, whose ``code`` is a short reason
(``unknown-outlet``, ``no-path``, ``bad-period``, ``bad-radius``, ``bad-option``, ``bad-graph``,
``unknown-metric``) and whose message says what to do about it.
"""
from __future__ import annotations

import copy
import difflib
import heapq
import math
import re
from itertools import islice
from typing import Iterable, Iterator, Mapping

import networkx as nx

__all__ = [
    "AnalysisError",
    "resolve_outlet",
    "ego",
    "ego_table",
    "paths",
    "compare",
    "period_of",
    "periods_between",
    "metrics_over_time",
]

PERIODS = ("month", "quarter", "year")
EDGE_COUNTS = ("link", "mention", "syndication")
# Evidence kept per row: enough to show why an edge exists without copying all of it.
TABLE_EVIDENCE = 3
PATH_EVIDENCE = 2
# Paths looked at beyond the k asked for, to break ties in hops by weight. Bounded so that a dense graph
# never leads to enumerating its (exponentially many) equally short paths.
LOOKAHEAD = 50
# Added to every edge cost of the strongest-path search so that the heaviest edge still costs something:
# otherwise a detour through max-weight edges would cost as little as the direct route.
EPSILON = 1e-9
COMPUTED_METRICS = ("in_weight", "out_weight", "pagerank")

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(//)?", re.I)
# A date, maybe followed by a time ("2024-05-17T08:00:00Z"); words after a date make it unreadable.
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T\s]\d[\d:.,+\-Z ]*)?\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})-Q([1-4])\s*$", re.I)


class AnalysisError(ValueError):
    """A question the graph cannot answer as asked.

    Attributes
    ----------
    code : str
        A short reason: ``unknown-outlet``, ``no-path``, ``bad-period``, ``bad-radius``, ``bad-option``,
        ``bad-graph`` or ``unknown-metric``.
    detail : str
        A sentence a person can act on.
    suggestions : tuple of str
        Outlet ids that may be what was meant (``unknown-outlet`` only).
    """

    def __init__(self, code: str, detail: str, suggestions: Iterable[str] = ()) -> None:
        self.code = code
        self.detail = detail
        self.suggestions = tuple(suggestions)
        super().__init__(f"{code}: {detail}")


# ---------------------------------------------------------------------------------------------- outlets

def resolve_outlet(g: nx.DiGraph, text: str, *, n: int = 5, registry=None) -> str:
    """The id of the outlet node that ``text`` means.

    Tried in order: the exact id; the id or the outlet's ``name`` ignoring case; a URL or host name
    (scheme, path, port and ``www.`` dropped, then parent domains); and last the outlet registry, which
    knows alternate domains, publisher shorteners and platform accounts.

    Parameters
    ----------
    g : networkx.DiGraph
        The outlet graph.
    text : str
        An outlet id, name, URL or host name.
    n : int
        Most suggestions offered when nothing matches.
    registry : citegraph.outlets.Registry, optional
        Used for URLs the graph ids do not match directly; the shipped registry by default.

    Returns
    -------
    str
        A node of ``g``.

    Raises
    ------
    AnalysisError
        ``unknown-outlet`` naming what was given, with the nearest ids as ``suggestions``; also when a
        name fits several outlets (the suggestions are then those outlets).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("reuters.com", name="Reuters")
    >>> g.add_node("apnews.com", name="Associated Press")
    >>> resolve_outlet(g, "REUTERS"), resolve_outlet(g, "https://www.apnews.com/article/x")
    ('reuters.com', 'apnews.com')
    >>> try:
    ...     resolve_outlet(g, "reuter.com")
    ... except AnalysisError as error:
    ...     print(error.code, error.suggestions)
    unknown-outlet ('reuters.com',)
    """
    _check_graph(g)
    if _is_node(g, text):
        return text
    if not isinstance(text, str) or not text.strip():
        raise AnalysisError("unknown-outlet", f"no outlet given ({text!r}): name an outlet id, name or URL")
    for found in (_by_folded_id(g, text), _by_name(g, text), _by_host(g, text), _by_registry(g, text, registry)):
        if found:
            return found
    raise _unknown(g, text, n)


def _is_node(g: nx.DiGraph, text) -> bool:
    try:
        return text in g
    except TypeError:  # unhashable input cannot be a node
        return False


def _by_folded_id(g: nx.DiGraph, text: str) -> str:
    folded = text.strip().casefold()
    hits = sorted(node for node in g if str(node).casefold() == folded)
    return _single(hits, text)


def _by_name(g: nx.DiGraph, text: str) -> str:
    folded = text.strip().casefold()
    hits = sorted(node for node, name in g.nodes(data="name") if name and str(name).casefold() == folded)
    return _single(hits, text)


def _single(hits: list, text: str) -> str:
    if len(hits) > 1:
        raise AnalysisError("unknown-outlet", f"{text!r} fits several outlets ({', '.join(map(str, hits))}): "
                            "give the id of the one you mean", hits)
    return hits[0] if hits else ""


def _by_host(g: nx.DiGraph, text: str) -> str:
    folded = {str(node).casefold(): node for node in g}
    for candidate in _host_candidates(text):
        if candidate in folded:
            return folded[candidate]
    return ""


def _host_candidates(text: str) -> Iterator[str]:
    """Ids a URL or host could stand for, most specific first: host with path prefixes (platform
    accounts such as ``x.com/someone``), then the host, then its parent domains."""
    rest = _SCHEME.sub("", text.strip().casefold()) if "://" in text or text.startswith("//") else text
    rest = rest.strip().casefold().lstrip("/")
    rest = re.split(r"[?#]", rest, maxsplit=1)[0]
    host, _, path = rest.partition("/")
    host = host.rpartition("@")[2].split(":")[0].strip(".")
    host = host.removeprefix("www.")
    if not host:
        return
    segments = [s for s in path.split("/") if s]
    for end in range(len(segments), 0, -1):
        yield "/".join([host, *segments[:end]])
    labels = host.split(".")
    for start in range(len(labels) - 1):
        yield ".".join(labels[start:])


def _by_registry(g: nx.DiGraph, text: str, registry) -> str:
    if registry is None:
        from ..outlets import default_registry
        registry = default_registry()
    cleaned = text.strip()
    found = registry.outlet_of(cleaned) if "://" in cleaned else registry.outlet_for_domain(cleaned)
    return found if found and found in g else ""


def _unknown(g: nx.DiGraph, text: str, n: int) -> AnalysisError:
    if g.number_of_nodes() == 0:
        return AnalysisError("unknown-outlet", f"no outlet {text!r}: the graph has no outlets")
    suggestions = _nearest(g, text, n)
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "; no outlet has a similar id or name"
    return AnalysisError("unknown-outlet", f"no outlet {text!r} in the graph{hint}", suggestions)


def _nearest(g: nx.DiGraph, text: str, n: int) -> list[str]:
    """Ids whose id or name is close to ``text`` (difflib), then ids or names containing it."""
    folded = text.strip().casefold()
    keys: dict[str, list[str]] = {}
    for node, name in g.nodes(data="name"):
        keys.setdefault(str(node).casefold(), []).append(node)
        if name:
            keys.setdefault(str(name).casefold(), []).append(node)
    close = difflib.get_close_matches(folded, list(keys), n=max(n, 1), cutoff=0.6)
    contained = sorted(k for k in keys if folded in k or (len(k) > 3 and k in folded))
    ids = [node for key in close + contained for node in keys[key]]
    return list(dict.fromkeys(ids))[:max(n, 0)]


# ------------------------------------------------------------------------------------------ ego networks

def ego(g: nx.DiGraph, outlet: str, *, radius: int = 1, undirected: bool = True) -> nx.DiGraph:
    """The outlets within ``radius`` citation steps of ``outlet``, with the edges among them.

    Parameters
    ----------
    g : networkx.DiGraph
    outlet : str
        Anything :func:`resolve_outlet` understands.
    radius : int
        Steps from the outlet, at least 1.
    undirected : bool
        Count steps along and against citations (who it cites and who cites it); when False, only
        outlets it reaches by following citations.

    Returns
    -------
    networkx.DiGraph
        A new graph (the same nodes as :func:`networkx.ego_graph`), node and edge data deep-copied.

    Examples
    --------
    >>> g = nx.DiGraph([("a.example", "b.example"), ("b.example", "c.example"), ("d.example", "a.example")])
    >>> sorted(ego(g, "a.example"))
    ['a.example', 'b.example', 'd.example']
    >>> sorted(ego(g, "a.example", radius=2, undirected=False))
    ['a.example', 'b.example', 'c.example']
    """
    node = resolve_outlet(g, outlet)
    if isinstance(radius, bool) or not isinstance(radius, int) or radius < 1:
        raise AnalysisError("bad-radius", f"radius must be a whole number of at least 1, not {radius!r}")
    # The same nodes as nx.ego_graph, without the full undirected copy (evidence and all) it makes first.
    walk = g.to_undirected(as_view=True) if undirected else g
    near = nx.single_source_shortest_path_length(walk, node, cutoff=radius)
    return copy.deepcopy(g.subgraph(near).copy())


def ego_table(g: nx.DiGraph, outlet: str) -> dict:
    """Whom ``outlet`` cites and who cites it, strongest first, with counts per kind and evidence.

    Parameters
    ----------
    g : networkx.DiGraph
    outlet : str
        Anything :func:`resolve_outlet` understands.

    Returns
    -------
    dict
        ``{"outlet", "name", "cites": [row], "cited_by": [row]}``; a row is ``{"outlet", "name", "kind",
        "weight", "link", "mention", "syndication", "first_seen", "last_seen", "evidence"}`` with the
        first three evidence items, rows sorted by weight (highest first), then id.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a.example", "b.example", weight=2, link=2)
    >>> g.add_edge("c.example", "a.example", weight=1, mention=1)
    >>> t = ego_table(g, "a.example")
    >>> [(r["outlet"], r["weight"], r["link"]) for r in t["cites"]], [r["outlet"] for r in t["cited_by"]]
    ([('b.example', 2, 2)], ['c.example'])
    """
    node = resolve_outlet(g, outlet)
    cites = [_row(g, other, g.edges[node, other]) for other in g.successors(node)]
    cited_by = [_row(g, other, g.edges[other, node]) for other in g.predecessors(node)]
    return {"outlet": node, "name": _name(g, node), "cites": _by_weight(cites), "cited_by": _by_weight(cited_by)}


def _row(g: nx.DiGraph, other: str, data: Mapping) -> dict:
    return {
        "outlet": other, "name": _name(g, other), "kind": g.nodes[other].get("kind", ""),
        "weight": data.get("weight", 1), **{k: data.get(k, 0) for k in EDGE_COUNTS},
        "first_seen": data.get("first_seen", ""), "last_seen": data.get("last_seen", ""),
        "evidence": copy.deepcopy(list(data.get("evidence") or [])[:TABLE_EVIDENCE]),
    }


def _by_weight(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (-r["weight"], str(r["outlet"])))


def _name(g: nx.DiGraph, node: str) -> str:
    return g.nodes[node].get("name") or str(node)


# ------------------------------------------------------------------------------------------------ paths

def paths(g: nx.DiGraph, source: str, target: str, *, k: int = 3, max_hops: int = 6,
          weight: str = "weight") -> dict:
    """How citations lead from ``source`` to ``target``: the shortest chains and the strongest ones.

    Parameters
    ----------
    g : networkx.DiGraph
    source, target : str
        Anything :func:`resolve_outlet` understands; a path follows citations from source to target.
    k : int
        Most paths of each sort.
    max_hops : int
        Longest path considered.
    weight : str
        Edge attribute holding the edge's strength (1 where missing).

    Returns
    -------
    dict
        ``{"shortest": [path], "strongest": [path]}``. A path is ``{"outlets", "hops", "weights",
        "min_weight", "edges"}``, ``edges`` being ``{"source", "target", "weight", "evidence"}`` with the
        first two evidence items. ``shortest`` has the fewest hops (ties: the higher minimum weight
        first, among a bounded number of equally short ones); ``strongest`` has the highest product of
        weights relative to the heaviest edge of ``g``. Both are found path by path and stop at ``k``,
        so a dense graph never leads to enumerating all its paths.

    Raises
    ------
    AnalysisError
        ``no-path`` when no chain of at most ``max_hops`` citations leads from source to target (the
        detail says whether the reverse direction has one), or source and target are the same outlet;
        ``bad-option`` for a k or max_hops below 1.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_weighted_edges_from([("a", "b", 1), ("b", "d", 1), ("a", "c", 9), ("c", "e", 9), ("e", "d", 9)])
    >>> found = paths(g, "a", "d", k=1)
    >>> found["shortest"][0]["outlets"], found["strongest"][0]["outlets"]
    (['a', 'b', 'd'], ['a', 'c', 'e', 'd'])
    """
    s, t = resolve_outlet(g, source), resolve_outlet(g, target)
    _check_positive(k=k, max_hops=max_hops)
    if s == t:
        raise AnalysisError("no-path", _same_outlet(g, s))
    shortest = _fewest_hops(g, s, t, k, max_hops, weight)
    if not shortest:
        raise AnalysisError("no-path", _no_path_detail(g, s, t, max_hops))
    strongest = list(islice(_cheapest_paths(_costs(g, weight), s, t, max_hops), k))
    return {"shortest": [_path(g, p, weight) for p in shortest],
            "strongest": [_path(g, p, weight) for p in strongest]}


def _check_positive(**options: int) -> None:
    for name, value in options.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise AnalysisError("bad-option", f"{name} must be a whole number of at least 1, not {value!r}")


def _fewest_hops(g: nx.DiGraph, s: str, t: str, k: int, max_hops: int, weight: str) -> list[list]:
    """Up to k paths with the fewest hops; among paths as long as the k-th, those with the higher
    minimum weight (looking at most LOOKAHEAD paths beyond k)."""
    found: list[list] = []
    try:
        for p in islice(nx.shortest_simple_paths(g, s, t), k + LOOKAHEAD):
            if len(p) - 1 > max_hops or (len(found) >= k and len(p) > len(found[k - 1])):
                break
            found.append(p)
    except nx.NetworkXNoPath:
        return []
    found.sort(key=lambda p: (len(p), -min(_weights(g, p, weight)), [str(x) for x in p]))
    return found[:k]


def _costs(g: nx.DiGraph, weight: str) -> dict:
    """Successors with edge costs -log(w / heaviest) + EPSILON, so that the cheapest path is the one
    with the highest product of normalised weights."""
    heaviest = max((_weight(d, weight) for _, _, d in g.edges(data=True)), default=1.0)
    heaviest = heaviest if heaviest > 0 else 1.0
    # A weight of zero or less carries no citation: make it the last resort, not an error.
    floor = heaviest * 1e-12
    return {u: {v: -math.log(min(max(_weight(d, weight), floor) / heaviest, 1.0)) + EPSILON
                for v, d in nbrs.items()} for u, nbrs in g.adjacency()}


def _cheapest_paths(costs: dict, s, t, max_hops: int) -> Iterator[list]:
    """Simple paths from s to t of at most max_hops hops, cheapest first: Yen's algorithm over a
    hop-bounded search, so k paths cost about k * max_hops searches, never an enumeration of paths."""
    first = _cheapest_within(costs, s, t, max_hops, frozenset(), frozenset())
    if first is None:
        return
    found = [first]
    candidates: list = []
    queued = {tuple(first)}
    while True:
        yield found[-1]
        last = found[-1]
        for i in range(len(last) - 1):
            root = last[:i + 1]
            used = frozenset((p[i], p[i + 1]) for p in found if p[:i + 1] == root)
            spur = _cheapest_within(costs, last[i], t, max_hops - i, frozenset(root[:-1]), used)
            if spur is not None and tuple(root[:-1] + spur) not in queued:
                path = root[:-1] + spur
                queued.add(tuple(path))
                heapq.heappush(candidates, (_cost_of(costs, path), len(queued), path))
        if not candidates:
            return
        found.append(heapq.heappop(candidates)[2])


def _cheapest_within(costs: dict, s, t, hops: int, banned: frozenset, used: frozenset) -> list | None:
    """The cheapest path from s to t of at most ``hops`` hops that avoids the ``banned`` nodes and the
    ``used`` edges, by hop-bounded Bellman-Ford. Costs are positive, so the cheapest walk has no cycle."""
    layers = [{s: (0.0, None)}]
    best = None
    for hop in range(1, hops + 1):
        reached: dict = {}
        for u, (cost_u, _) in layers[-1].items():
            if u == t:
                continue
            for v, c in costs.get(u, {}).items():
                if v == s or v in banned or (u, v) in used:
                    continue
                if v not in reached or cost_u + c < reached[v][0]:
                    reached[v] = (cost_u + c, u)
        if not reached:
            break
        layers.append(reached)
        if t in reached and (best is None or reached[t][0] < best[0]):
            best = (reached[t][0], hop)
    return None if best is None else _walk_back(layers, t, best[1])


def _walk_back(layers: list, t, hop: int) -> list | None:
    path = [t]
    for layer in range(hop, 0, -1):
        path.append(layers[layer][path[-1]][1])
    path.reverse()
    # Rounding could in principle let a walk with a cycle tie the cheapest path: never return one.
    return path if len(set(path)) == len(path) else None


def _cost_of(costs: dict, path: list) -> float:
    return sum(costs[u][v] for u, v in zip(path, path[1:]))


def _weight(data: Mapping, weight: str) -> float:
    value = data.get(weight, 1)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 1.0


def _weights(g: nx.DiGraph, p: list, weight: str) -> list:
    return [g.edges[u, v].get(weight, 1) for u, v in zip(p, p[1:])]


def _path(g: nx.DiGraph, p: list, weight: str) -> dict:
    weights = _weights(g, p, weight)
    edges = [{"source": u, "target": v, "weight": w,
              "evidence": copy.deepcopy(list(g.edges[u, v].get("evidence") or [])[:PATH_EVIDENCE])}
             for (u, v), w in zip(zip(p, p[1:]), weights)]
    return {"outlets": list(p), "hops": len(p) - 1, "weights": weights, "min_weight": min(weights),
            "edges": edges}


def _same_outlet(g: nx.DiGraph, node: str) -> str:
    loop = f" (it cites itself directly, weight {g.edges[node, node].get('weight', 1)})" \
        if g.has_edge(node, node) else ""
    return f"source and target are the same outlet, {node}{loop}: a path needs two different outlets"


def _no_path_detail(g: nx.DiGraph, s: str, t: str, max_hops: int) -> str:
    forward = _hops(g, s, t)
    if forward is not None:
        return (f"the shortest chain of citations from {s} to {t} has {forward} hops, more than "
                f"max_hops={max_hops}; raise max_hops to see it")
    backward = _hops(g, t, s)
    reverse = (f"the reverse direction has one: {t} reaches {s} in {backward} hop{'s' * (backward != 1)}"
               if backward is not None else f"nor does any lead from {t} to {s}")
    return f"no chain of citations leads from {s} to {t}; {reverse}"


def _hops(g: nx.DiGraph, s: str, t: str) -> int | None:
    try:
        return nx.shortest_path_length(g, s, t)
    except nx.NetworkXNoPath:
        return None


# ------------------------------------------------------------------------------------------- comparison

def compare(g_a: nx.DiGraph, g_b: nx.DiGraph, *, min_change: float = 0.0) -> tuple[nx.DiGraph, dict]:
    """What changed from graph ``g_a`` to graph ``g_b``: outlets and edges that appeared, vanished,
    grew or shrank.

    Parameters
    ----------
    g_a, g_b : networkx.DiGraph
        The before and after graphs.
    min_change : float
        An edge in both graphs grew or shrank only when ``|delta| / max(weight_a, 1)`` exceeds this;
        else it is the ``same``.

    Returns
    -------
    diff : networkx.DiGraph
        Every node and edge of either graph. Nodes carry their attributes (from ``g_b`` where in both)
        and ``change`` (``appeared``, ``vanished``, ``kept``); edges carry ``weight_a``, ``weight_b``,
        ``delta`` (b - a) and ``change`` (``appeared``, ``vanished``, ``grew``, ``shrank``, ``same``).
    summary : dict
        ``{"outlets": {"appeared": [id], "vanished": [id]}, "edges": {"appeared": [row], "vanished":
        [row], "grew": [row], "shrank": [row]}}``, rows ``{"source", "target", "weight_a", "weight_b",
        "delta"}`` sorted by ``|delta|`` (largest first), then source and target.

    Examples
    --------
    >>> a = nx.DiGraph(); a.add_edge("x", "y", weight=2); a.add_edge("y", "z", weight=1)
    >>> b = nx.DiGraph(); b.add_edge("x", "y", weight=5); b.add_edge("x", "w", weight=1)
    >>> diff, summary = compare(a, b)
    >>> diff.edges["x", "y"]["change"], diff.edges["x", "y"]["delta"]
    ('grew', 3)
    >>> summary["outlets"], [r["target"] for r in summary["edges"]["appeared"]]
    ({'appeared': ['w'], 'vanished': ['z']}, ['w'])
    """
    _check_graph(g_a)
    _check_graph(g_b)
    if isinstance(min_change, bool) or not isinstance(min_change, (int, float)) or not min_change >= 0:
        raise AnalysisError("bad-option", f"min_change must be a number of at least 0, not {min_change!r}")
    diff = nx.DiGraph()
    for node in list(g_a) + [n for n in g_b if n not in g_a]:
        attrs = copy.deepcopy(dict(g_b.nodes[node] if node in g_b else g_a.nodes[node]))
        attrs["change"] = _node_change(node in g_a, node in g_b)
        diff.add_node(node, **attrs)
    for u, v in list(g_a.edges) + [e for e in g_b.edges if not g_a.has_edge(*e)]:
        w_a = g_a.edges[u, v].get("weight", 1) if g_a.has_edge(u, v) else 0
        w_b = g_b.edges[u, v].get("weight", 1) if g_b.has_edge(u, v) else 0
        change = _edge_change(g_a.has_edge(u, v), g_b.has_edge(u, v), w_a, w_b, min_change)
        diff.add_edge(u, v, weight_a=w_a, weight_b=w_b, delta=w_b - w_a, change=change)
    return diff, _summary(diff)


def _node_change(in_a: bool, in_b: bool) -> str:
    return "kept" if in_a and in_b else "vanished" if in_a else "appeared"


def _edge_change(in_a: bool, in_b: bool, w_a, w_b, min_change: float) -> str:
    if not (in_a and in_b):
        return "vanished" if in_a else "appeared"
    delta = w_b - w_a
    if delta == 0 or abs(delta) / max(w_a, 1) <= min_change:
        return "same"
    return "grew" if delta > 0 else "shrank"


def _summary(diff: nx.DiGraph) -> dict:
    outlets = {c: sorted(n for n, ch in diff.nodes(data="change") if ch == c) for c in ("appeared", "vanished")}
    edges: dict[str, list] = {c: [] for c in ("appeared", "vanished", "grew", "shrank")}
    for u, v, d in diff.edges(data=True):
        if d["change"] in edges:
            edges[d["change"]].append({"source": u, "target": v, "weight_a": d["weight_a"],
                                       "weight_b": d["weight_b"], "delta": d["delta"]})
    for rows in edges.values():
        rows.sort(key=lambda r: (-abs(r["delta"]), str(r["source"]), str(r["target"])))
    return {"outlets": outlets, "edges": edges}


# -------------------------------------------------------------------------------------------- periods

def period_of(date: str, by: str) -> str:
    """The period label of an ISO date: ``2024-05`` (month), ``2024-Q2`` (quarter) or ``2024`` (year).

    Parameters
    ----------
    date : str
        An ISO date or datetime (the date is taken as written, not moved to UTC), or a period label.
    by : str
        ``month``, ``quarter`` or ``year``.

    Returns
    -------
    str
        The label, or ``''`` when the date is empty, unreadable or too coarse for ``by`` (``2024`` by
        month).

    Raises
    ------
    AnalysisError
        ``bad-period`` when ``by`` is not one of month, quarter, year.

    Examples
    --------
    >>> [period_of("2024-05-17", by) for by in ("month", "quarter", "year")]
    ['2024-05', '2024-Q2', '2024']
    >>> period_of("2024-12-31T23:59:59+02:00", "quarter"), period_of("17/05/2024", "month")
    ('2024-Q4', '')
    """
    _check_by(by)
    span = _span(date)
    if span is None:
        return ""
    first, last = (_index(month, by) for month in span)
    return _label(first, by) if first == last else ""


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period label from the one holding ``first`` to the one holding ``last``, both included.

    Parameters
    ----------
    first, last : str
        ISO dates or period labels (``2024-05``, ``2024-Q2``, ``2024``); a label coarser than ``by``
        counts from its start (``first``) or to its end (``last``).
    by : str
        ``month``, ``quarter`` or ``year``.

    Returns
    -------
    list of str

    Raises
    ------
    AnalysisError
        ``bad-period`` for an unknown ``by``, an unreadable date, or ``first`` after ``last``.

    Examples
    --------
    >>> periods_between("2023-11-20", "2024-02-01", "month")
    ['2023-11', '2023-12', '2024-01', '2024-02']
    >>> periods_between("2023-12-01", "2024-04-30", "quarter")
    ['2023-Q4', '2024-Q1', '2024-Q2']
    """
    _check_by(by)
    spans = [_span(first), _span(last)]
    for given, span in zip((first, last), spans):
        if span is None:
            raise AnalysisError("bad-period", f"cannot read {given!r} as a date: use YYYY-MM-DD, YYYY-MM, "
                                "YYYY-Qn or YYYY")
    start, end = _index(spans[0][0], by), _index(spans[1][1], by)
    if start > end:
        raise AnalysisError("bad-period", f"{first!r} comes after {last!r}: give the earlier date first")
    return [_label(i, by) for i in range(start, end + 1)]


def _check_by(by: str) -> None:
    if by not in PERIODS:
        raise AnalysisError("bad-period", f"cannot slice by {by!r}: choose from {', '.join(PERIODS)}")


def _span(text) -> tuple[int, int] | None:
    """The first and last month (as year * 12 + month - 1) that a date or label covers, or None."""
    if not isinstance(text, str):
        return None
    quarter = _QUARTER.match(text)
    if quarter:
        year, q = int(quarter[1]), int(quarter[2])
        return year * 12 + 3 * (q - 1), year * 12 + 3 * q - 1
    m = _DATE.match(text)
    if not m or not _real_date(m):
        return None
    year = int(m[1])
    if m[2] is None:
        return year * 12, year * 12 + 11
    return year * 12 + int(m[2]) - 1, year * 12 + int(m[2]) - 1


def _real_date(m: re.Match) -> bool:
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    if not (1 <= year and 1 <= month <= 12):
        return False
    days = (31, 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return 1 <= day <= days


def _index(month: int, by: str) -> int:
    return month if by == "month" else month // 3 if by == "quarter" else month // 12


def _label(index: int, by: str) -> str:
    if by == "month":
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    if by == "quarter":
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    return f"{index:04d}"


# ------------------------------------------------------------------------------------- metrics over time

def metrics_over_time(graphs: Mapping[str, nx.DiGraph],
                      metrics: tuple[str, ...] = ("in_weight", "out_weight", "pagerank")) -> list[dict]:
    """One row per period and outlet with the outlet's metrics in that period's graph.

    Parameters
    ----------
    graphs : mapping of period label to networkx.DiGraph
        A graph per period. Periods come out in time order when every label reads as a period, else in
        the mapping's order.
    metrics : tuple of str
        Node attributes to report. Where a node lacks one, ``in_weight`` and ``out_weight`` are computed
        from edge weights and ``pagerank`` with ``nx.pagerank(weight="weight")``; other metrics are
        ``None`` there.

    Returns
    -------
    list of dict
        ``{"period", "outlet", "name", <metric>: value, ...}``, outlets sorted by id within a period;
        an outlet absent from a period has no row for it.

    Raises
    ------
    AnalysisError
        ``unknown-metric`` for a metric that no node has and that cannot be computed; ``bad-graph``.

    Examples
    --------
    >>> g1 = nx.DiGraph(); g1.add_edge("a", "b", weight=2)
    >>> g2 = nx.DiGraph(); g2.add_edge("a", "b", weight=1); g2.add_edge("c", "b", weight=4)
    >>> rows = metrics_over_time({"2024-02": g2, "2024-01": g1}, metrics=("in_weight",))
    >>> [(r["period"], r["outlet"], r["in_weight"]) for r in rows]
    [('2024-01', 'a', 0), ('2024-01', 'b', 2), ('2024-02', 'a', 0), ('2024-02', 'b', 5), ('2024-02', 'c', 0)]
    """
    if not isinstance(graphs, Mapping):
        raise AnalysisError("bad-graph", f"graphs must map period labels to graphs, not {type(graphs).__name__}")
    metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    for g in graphs.values():
        _check_graph(g)
    _check_metrics(graphs, metrics)
    return [row for period in _in_time_order(graphs) for row in _period_rows(period, graphs[period], metrics)]


def _check_metrics(graphs: Mapping[str, nx.DiGraph], metrics: tuple[str, ...]) -> None:
    for metric in metrics:
        if metric in COMPUTED_METRICS:
            continue
        if not any(metric in data for g in graphs.values() for _, data in g.nodes(data=True)):
            if any(g.number_of_nodes() for g in graphs.values()):
                raise AnalysisError("unknown-metric", f"no outlet has {metric!r} and it cannot be computed: "
                                    f"use a node attribute or one of {', '.join(COMPUTED_METRICS)}")


def _in_time_order(graphs: Mapping[str, nx.DiGraph]) -> list[str]:
    spans = {period: _span(period) for period in graphs}
    if any(span is None for span in spans.values()):
        return list(graphs)
    return sorted(graphs, key=lambda p: (spans[p], str(p)))


def _period_rows(period: str, g: nx.DiGraph, metrics: tuple[str, ...]) -> list[dict]:
    computed = _computed(g, metrics)
    rows = []
    for node in sorted(g, key=str):
        data = g.nodes[node]
        values = {m: data[m] if m in data else computed.get(m, {}).get(node) for m in metrics}
        rows.append({"period": period, "outlet": node, "name": _name(g, node), **values})
    return rows


def _computed(g: nx.DiGraph, metrics: tuple[str, ...]) -> dict[str, dict]:
    """The computable metrics some node of g lacks, by node (pagerank only then: it costs the most)."""
    wanted = [m for m in metrics if m in COMPUTED_METRICS and any(m not in d for _, d in g.nodes(data=True))]
    makers = {
        "in_weight": lambda: dict(g.in_degree(weight="weight")),
        "out_weight": lambda: dict(g.out_degree(weight="weight")),
        "pagerank": lambda: nx.pagerank(g, weight="weight") if g.number_of_nodes() else {},
    }
    return {m: makers[m]() for m in wanted}


# ---------------------------------------------------------------------------------------------- inputs

def _check_graph(g) -> None:
    if not isinstance(g, nx.DiGraph) or g.is_multigraph():
        raise AnalysisError("bad-graph", f"expected the outlet graph (a networkx.DiGraph), not {type(g).__name__}")
