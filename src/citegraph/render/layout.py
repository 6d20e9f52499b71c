"""Node positions for the interactive network, fast and sparse enough for 20,000 outlets.

Small graphs use networkx's layouts. Large graphs use ``"sparse"``, a ForceAtlas2-style layout
whose memory grows with nodes plus edges and whose time per iteration grows with n log n:

- every connected component is laid out on its own, from a spectral placement (the degree-normalised
  eigenvectors of the graph, O(n + E) per product), scaled to the size where the forces balance;
- attraction runs along the sparse edge list; repulsion is exact only among nodes in neighbouring cells
  of a grid and comes from the centres of mass of coarser cells further away (a multilevel grid, as in
  Barnes-Hut, with the local expansion of the fast multipole method); hubs push harder, as in
  ForceAtlas2, and a cooling schedule caps each step;
- components of similar size run together, each in its own tile of the grid, so a thousand small
  components cost one loop; the smallest get exact repulsion;
- components are packed side by side, largest first, and isolated nodes sit on a grid below them.

Every method returns positions centred on 0 whose longer side spans [-1, 1].
"""
from __future__ import annotations

import math
import numbers
import warnings
from functools import partial

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from scipy.sparse.linalg import lobpcg
from scipy.spatial import cKDTree

__all__ = ["LAYOUTS", "LAYOUT_ERRORS", "LayoutError", "layout"]

LAYOUTS = ("auto", "sparse", "forceatlas2", "spring", "kamada-kawai")
LAYOUT_ERRORS = ("bad-layout", "too-large", "bad-weight")

# "auto" takes the first method whose node limit the graph fits in.
AUTO_RULES = ((1_000, "forceatlas2"), (math.inf, "sparse"))
# The dense methods hold n x n arrays (forceatlas2 needs 1.2 GB at 5,000 nodes) or take minutes.
DENSE_LIMITS = {"forceatlas2": 5_000, "spring": 5_000, "kamada-kawai": 1_000}
DEFAULT_ITERATIONS = {"sparse": 150, "forceatlas2": 100, "spring": 50}

# ForceAtlas2's defaults in networkx: repulsion k_r (m_i m_j / d) against linear attraction w d.
REPULSION = 2.0
GRAVITY = 1.0
STEP = 0.5  # fraction of the force per unit mass moved in one iteration; above 1 nodes overshoot
# Cooling: the longest step falls geometrically from this share of the component's radius to the last.
FIRST_STEP, LAST_STEP = 0.2, 0.002
JITTER = 1e-3  # spectral positions coincide for twins (leaves of one hub); repulsion needs a direction

SMALL_COMPONENT = 48  # components up to this size get exact repulsion: at most 24 pairs per node
DENSE_SPECTRAL = 256  # components up to this size get their eigenvectors from a dense solver
FIRST_LEVEL_OCCUPANCY = 2  # nodes per cell on the finest grid level, before refining
PAIR_BUDGET = 32  # exact near pairs per node; the finest level is refined until under it
MAX_LEVEL = 10  # 1024 x 1024 cells
CELL_BUDGET = 16  # cells per node on the finest level, at most
# Nodes of one neighbouring cell met one by one, at most: where a hub's leaves crowd into a few cells that
# the grid cannot refine further, a node meets an even sample of them, each weighted up.
RUN_SAMPLE = 16
FAR = 1e15  # where empty cells sit; its square still fits in single precision
SPECTRAL_BLOCK = 4  # vectors found together, two more than needed: repeated eigenvalues come in pairs
SPECTRAL_TOLERANCE = 1e-5
SPECTRAL_MAX_ITERATIONS = 200
GAP = 2.0  # between packed components, in median nearest-neighbour distances


def _interaction_offsets() -> np.ndarray:
    """Return, for each parity of a cell, the 27 cells whose centres of mass push it at its level.

    They are the children of the parent cell's neighbours that are not the cell's own neighbours,
    so that summed over the levels every node feels each far cell once, at the coarsest level where
    it is far.
    """
    table = np.zeros((4, 27, 2), dtype=np.int64)
    for px in (0, 1):
        for py in (0, 1):
            offsets = [
                (ax - px, ay - py)
                for ax in range(-2, 4)
                for ay in range(-2, 4)
                if abs(ax - px) > 1 or abs(ay - py) > 1
            ]
            table[2 * px + py] = offsets
    return table


INTERACTION_OFFSETS = _interaction_offsets()
NEIGHBOUR_OFFSETS = np.array([(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)], dtype=np.int64)
HALF_NEIGHBOURS = np.array([(0, 1), (1, -1), (1, 0), (1, 1)], dtype=np.int64)


class LayoutError(ValueError):
    """A layout that cannot be computed, with a short reason ``code`` and a ``detail`` to act on.

    Codes are ``bad-layout`` (unknown method or option), ``too-large`` (a dense method asked for too
    many nodes) and ``bad-weight`` (an edge weight that is not a finite number >= 0).
    """

    def __init__(self, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def layout(g, *, method: str = "auto", seed: int = 0, iterations: int | None = None,
           weight: str | None = None) -> dict:
    """Return a position for every node of ``g``, centred on 0, the longer side spanning [-1, 1].

    Parameters
    ----------
    g : networkx.Graph
        The outlet graph (any networkx graph class). Direction is ignored, self-loops are ignored,
        A -> B and B -> A add up, as do parallel edges.
    method : str
        One of :data:`LAYOUTS`. ``"auto"`` uses ``"forceatlas2"`` up to 1,000 nodes and ``"sparse"``
        above. ``"forceatlas2"`` and ``"spring"`` (networkx) refuse more than 5,000 nodes,
        ``"kamada-kawai"`` more than 1,000.
    seed : int
        Seed (>= 0) of every random choice: the same graph and seed give the same positions,
        whatever order the graph was built in (nodes are sorted first; nodes of types that do not
        compare are sorted by type name and ``repr``).
    iterations : int, optional
        Force iterations (``"sparse"``: 150, ``"forceatlas2"``: 100, ``"spring"``: 50).
        ``"kamada-kawai"`` runs its optimiser to convergence and ignores it.
    weight : str, optional
        Edge attribute holding the weight (citing articles); None lays the graph out unweighted.
        Weights are log-scaled (``log2(1 + w)``), since raw counts span orders of magnitude; an
        edge without the attribute weighs 1, an edge of weight 0 is left out.

    Returns
    -------
    dict
        Node -> ``(x, y)`` floats.

    Raises
    ------
    LayoutError
        ``bad-layout`` for an unknown method or option, ``too-large`` when a dense method is asked
        for more nodes than it can hold, ``bad-weight`` for a weight that is not a finite number >= 0.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = layout(nx.path_graph(3), method="sparse")
    >>> sorted(pos)
    [0, 1, 2]
    >>> max(abs(c) for xy in pos.values() for c in xy)
    1.0
    >>> layout(nx.DiGraph())
    {}
    >>> layout(nx.empty_graph(["a"]))
    {'a': (0.0, 0.0)}
    >>> try:
    ...     layout(nx.star_graph(6_000), method="spring")
    ... except LayoutError as error:
    ...     print(error.code)
    too-large
    """
    _check_options(method, seed, iterations)
    nodes = _sorted_nodes(g)
    if not nodes:
        return {}
    chosen = _method_for(method, len(nodes))
    rows, cols, w = _undirected_edges(g, {v: i for i, v in enumerate(nodes)}, weight)
    steps = DEFAULT_ITERATIONS.get(chosen, 0) if iterations is None else iterations
    if chosen == "sparse":
        xy = _sparse_xy(len(nodes), rows, cols, w, seed, steps)
    else:
        xy = _networkx_xy(chosen, len(nodes), rows, cols, w, seed, steps)
    return {v: (x, y) for v, (x, y) in zip(nodes, _normalised(xy).tolist())}


# ---------------------------------------------------------------------------------------------
# Options and input


def _check_options(method, seed, iterations) -> None:
    if method not in LAYOUTS:
        raise LayoutError("bad-layout", f"unknown layout {method!r}; use one of {', '.join(LAYOUTS)}")
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise LayoutError("bad-layout", f"seed must be an integer >= 0, not {seed!r}")
    if iterations is not None and (not isinstance(iterations, numbers.Integral) or iterations < 0):
        raise LayoutError("bad-layout", f"iterations must be an integer >= 0, not {iterations!r}")


def _method_for(method: str, n: int) -> str:
    if method == "auto":
        method = next(name for limit, name in AUTO_RULES if n <= limit)
    limit = DENSE_LIMITS.get(method, math.inf)
    if n > limit:
        raise LayoutError(
            "too-large",
            f"the {method} layout holds n x n arrays and takes at most {limit:,} nodes, this graph "
            f"has {n:,}: use --layout sparse",
        )
    return method


def _sorted_nodes(g) -> list:
    try:
        return sorted(g)
    except TypeError:
        # Mixed node types: order by type, then text, so the order never depends on insertion.
        return sorted(g, key=lambda v: (type(v).__name__, repr(v)))


def _checked_weight(u, v, name: str, value) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        raise LayoutError(
            "bad-weight", f"edge {u!r} -> {v!r} has {name}={value!r}; weights must be finite numbers >= 0"
        )
    return float(value)


def _undirected_edges(g, index: dict, weight: str | None):
    """Return ``rows, cols, w``: each undirected pair once (row < col), in sorted order.

    A -> B and B -> A add up, as do parallel edges; self-loops go, and so do edges of weight 0.
    """
    n = len(index)
    if weight is None:
        triples = [(index[u], index[v], 1.0) for u, v in g.edges()]
    else:
        triples = [
            (index[u], index[v], _checked_weight(u, v, weight, x))
            for u, v, x in g.edges(data=weight, default=1)
        ]
    table = np.array(triples, dtype=np.float64).reshape(-1, 3)
    i, j = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
    keep = i != j
    lo, hi = np.minimum(i, j)[keep], np.maximum(i, j)[keep]
    summed = sparse.coo_matrix((table[keep, 2], (lo, hi)), shape=(n, n)).tocsr()
    summed.sum_duplicates()
    summed.eliminate_zeros()
    summed.sort_indices()
    pairs = summed.tocoo()
    w = np.log2(1.0 + pairs.data) if weight is not None else np.ones(pairs.nnz)
    return pairs.row.astype(np.int64), pairs.col.astype(np.int64), w


def _normalised(xy: np.ndarray) -> np.ndarray:
    """Centre the bounding box on 0 and scale its longer side to [-1, 1]."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    side = float((hi - lo).max())
    centred = xy - (lo + hi) / 2
    return centred * (2.0 / side) if side > 0 else np.zeros_like(xy)


# ---------------------------------------------------------------------------------------------
# networkx's dense layouts


def _networkx_xy(method: str, n: int, rows, cols, w, seed: int, iterations: int) -> np.ndarray:
    h = nx.Graph()
    h.add_nodes_from(range(n))
    h.add_weighted_edges_from(zip(rows.tolist(), cols.tolist(), w.tolist()))
    if method == "forceatlas2":
        pos = nx.forceatlas2_layout(h, max_iter=iterations, seed=seed, weight="weight")
    elif method == "spring":
        pos = nx.spring_layout(h, seed=seed, iterations=iterations, weight="weight")
    else:
        # Kamada-Kawai reads weights as lengths: a heavier edge is a shorter one.
        nx.set_edge_attributes(h, {(a, b): 1.0 / x for a, b, x in h.edges(data="weight")}, "length")
        pos = nx.kamada_kawai_layout(h, weight="length")
    return np.array([pos[i] for i in range(n)], dtype=np.float64).reshape(n, 2)


# ---------------------------------------------------------------------------------------------
# The sparse layout: components, placement, forces, packing


def _sparse_xy(n: int, rows, cols, w, seed: int, iterations: int) -> np.ndarray:
    components, edge_groups = _components(n, rows, cols)
    local = np.zeros(n, dtype=np.int64)
    for idx in components:
        local[idx] = np.arange(len(idx))
    pieces = []
    for exact, members in _batches([len(idx) for idx in components]):
        batch = [(components[k], edge_groups[k]) for k in members]
        xy = _batch_xy(batch, local, rows, cols, w, seed, iterations, exact)
        pieces += [(idx, part) for (idx, _), part in zip(batch, xy)]
    pieces.sort(key=lambda piece: (-len(piece[0]), int(piece[0][0])))
    isolated = np.array([idx[0] for idx in components if len(idx) == 1], dtype=np.int64)
    return _packed(n, [(idx, _unit_spaced(xy)) for idx, xy in pieces], isolated)


def _components(n: int, rows, cols):
    """Return the components' node indices (largest first) and the indices of their edges."""
    adjacency = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    count, labels = csgraph.connected_components(adjacency, directed=False)
    sizes = np.bincount(labels, minlength=count)
    first = np.full(count, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n))
    rank = np.empty(count, dtype=np.int64)
    rank[np.lexsort((first, -sizes))] = np.arange(count)
    node_order = np.lexsort((np.arange(n), rank[labels]))
    node_bounds = np.cumsum(np.bincount(rank[labels], minlength=count))[:-1]
    edge_rank = rank[labels[rows]]
    edge_order = np.argsort(edge_rank, kind="stable")
    edge_bounds = np.cumsum(np.bincount(edge_rank, minlength=count))[:-1]
    return np.split(node_order, node_bounds), np.split(edge_order, edge_bounds)


def _batches(sizes: list) -> list:
    """Return ``(exact, component numbers)`` groups laid out together.

    Small components share one run with exact repulsion; larger ones share a grid run with others
    of about their size (within a factor of two), so a thousand components cost one loop, not a
    thousand. Isolated nodes are left out: they go on the grid of the packing.
    """
    sizes = np.asarray(sizes)
    small = np.flatnonzero((sizes > 1) & (sizes <= SMALL_COMPONENT))
    batches = [(True, small)] if len(small) else []
    large = np.flatnonzero(sizes > SMALL_COMPONENT)
    octave = np.floor(np.log2(np.maximum(sizes[large], 1))).astype(np.int64)
    batches += [(False, large[octave == k]) for k in np.unique(octave)[::-1]]
    return batches


def _batch_xy(batch, local, rows, cols, w, seed: int, iterations: int, exact: bool) -> list:
    """Lay out a batch of components at once, each around the origin, blind to the others."""
    sizes = np.array([len(idx) for idx, _ in batch])
    starts = np.cumsum(sizes) - sizes
    group = np.repeat(np.arange(len(batch)), sizes)
    edge_group = np.repeat(np.arange(len(batch)), [len(e) for _, e in batch])
    edges = np.concatenate([e for _, e in batch])
    r = starts[edge_group] + local[rows[edges]]
    c = starts[edge_group] + local[cols[edges]]
    ew = w[edges]
    mass = _masses(len(group), r, c)
    first = int(batch[0][0][0])
    rng = np.random.default_rng([seed, first, len(group)])
    if exact:
        xy = _spectral_small(sizes, starts, r, c, ew, rng)
        i, j = _component_pairs(sizes, starts)
        repulsion = partial(_pair_repulsion, i=i, j=j)
    else:
        xy = _spectral_batch(batch, local, rows, cols, w, seed)
        repulsion = partial(_grid_repulsion, group=group, starts=starts)
    xy = xy + rng.normal(scale=JITTER, size=xy.shape)
    xy = xy - np.stack([np.bincount(group, weights=xy[:, k]) / sizes for k in (0, 1)], axis=1)[group]
    xy = xy * _equilibrium_scale(xy, r, c, ew, mass, group)[:, None]
    xy = _relaxed(xy, r, c, ew, mass, group, iterations, repulsion)
    return np.split(xy, starts[1:])


def _spectral_batch(batch, local, rows, cols, w, seed: int) -> np.ndarray:
    parts = []
    for idx, edges in batch:
        rng = np.random.default_rng([seed, int(idx[0])])
        parts.append(_spectral_xy(len(idx), local[rows[edges]], local[cols[edges]], w[edges], rng))
    return np.concatenate(parts)


def _spectral_small(sizes, starts, rows, cols, w, rng) -> np.ndarray:
    """Return spectral positions for many small components, one dense solve per size class.

    Components of a class are padded to the same size; padding slots carry -2 on the diagonal, so
    their eigenvalues fall below every real one (which lie in [-1, 1]) and never reach the top.
    """
    n = int(sizes.sum())
    a = _symmetric(n, rows, cols, w)
    scale = 1.0 / np.sqrt(np.asarray(a.sum(axis=1)).ravel())
    normalised = (sparse.diags(scale) @ a @ sparse.diags(scale)).tocoo()
    width = (2 ** np.ceil(np.log2(np.maximum(sizes, 4)))).astype(np.int64)
    component = np.repeat(np.arange(len(sizes)), sizes)
    slot = np.arange(n) - starts[component]
    xy = rng.normal(size=(n, 2))
    for m in np.unique(width):
        members = np.flatnonzero(width == m)
        row_of = np.full(len(sizes), -1)
        row_of[members] = np.arange(len(members))
        block = np.zeros((len(members), m, m))
        block[:, np.arange(m), np.arange(m)] = -2.0
        mine = np.flatnonzero(width[component] == m)
        block[row_of[component[mine]], slot[mine], slot[mine]] = 0.0
        entry = width[component[normalised.row]] == m
        block[row_of[component[normalised.row[entry]]], slot[normalised.row[entry]],
              slot[normalised.col[entry]]] = normalised.data[entry]
        vectors = np.linalg.eigh(block)[1][:, :, [m - 2, m - 3]]  # below the trivial top one
        xy[mine] = vectors[row_of[component[mine]], slot[mine]] * scale[mine, None]
    # Standardise each component's axes; an axis without spread (two nodes) keeps random values.
    mean = np.stack([np.bincount(component, weights=xy[:, k]) for k in (0, 1)], axis=1) / sizes[:, None]
    centred = xy - mean[component]
    spread = np.sqrt(np.stack([np.bincount(component, weights=centred[:, k] ** 2) for k in (0, 1)], axis=1)
                     / sizes[:, None])[component]
    flat = spread < 1e-9
    return np.where(flat, rng.normal(size=(n, 2)), centred / np.where(flat, 1.0, spread))


def _masses(n: int, rows, cols) -> np.ndarray:
    # ForceAtlas2's mass: degree + 1, so hubs push harder and leaves still push.
    return 1.0 + np.bincount(rows, minlength=n) + np.bincount(cols, minlength=n)


def _spectral_xy(n: int, rows, cols, w, rng) -> np.ndarray:
    """Return the second and third degree-normalised eigenvectors, or random positions.

    They place nodes that share neighbours close together, at the cost of a few sparse products,
    so the force iterations start near a good layout instead of untangling a random one. Small
    components use a dense solver; large ones a block solver (LOBPCG), not Lanczos: symmetric
    graphs (grids, trees) have repeated eigenvalues, and a single Krylov vector finds only one
    vector of each, folding the drawing.
    """
    a = _symmetric(n, rows, cols, w)
    scale = 1.0 / np.sqrt(np.asarray(a.sum(axis=1)).ravel())
    normalised = sparse.diags(scale) @ a @ sparse.diags(scale)
    if n <= DENSE_SPECTRAL:
        values, vectors = np.linalg.eigh(normalised.toarray())
        top = np.argsort(values)[::-1][1:3]  # the first is the trivial sqrt(degree)
    else:
        # The top eigenvector, sqrt(degree), is known: keep the search orthogonal to it.
        trivial = (1.0 / scale)[:, None] / np.linalg.norm(1.0 / scale)
        start = rng.uniform(-1, 1, (n, SPECTRAL_BLOCK))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # not converging to 1e-5 is fine for a starting point
                values, vectors = lobpcg(normalised, start, Y=trivial, largest=True,
                                         tol=SPECTRAL_TOLERANCE, maxiter=SPECTRAL_MAX_ITERATIONS)
        except (np.linalg.LinAlgError, ValueError):
            return rng.normal(size=(n, 2))
        top = np.argsort(values)[::-1][:2]
    xy = vectors[:, top] * scale[:, None]
    spread = xy.std(axis=0)
    if not np.all(np.isfinite(xy)) or np.any(spread <= 0):
        return rng.normal(size=(n, 2))
    return (xy - xy.mean(axis=0)) / spread


def _equilibrium_scale(xy, rows, cols, w, mass, group) -> np.ndarray:
    """Return, per node, its group's factor that puts ``xy`` at the size where the forces balance.

    At equilibrium the sum of force . position is 0 (the virial): repulsion contributes
    k_r * sum(m_i m_j) whatever the size, attraction -s^2 sum(w d^2) and gravity -s k_g sum(m |x|),
    so the scale s solves a quadratic. Starting there saves the iterations spent growing or shrinking.
    """
    groups = int(group.max()) + 1
    length2 = ((xy[rows] - xy[cols]) ** 2).sum(axis=1)
    a = np.bincount(group[rows], weights=w * length2, minlength=groups)
    b = GRAVITY * np.bincount(group, weights=mass * np.hypot(xy[:, 0], xy[:, 1]), minlength=groups)
    total = np.bincount(group, weights=mass, minlength=groups)
    c = REPULSION * (total**2 - np.bincount(group, weights=mass**2, minlength=groups)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(a > 0, (-b + np.sqrt(b * b + 4 * a * c)) / (2 * a), 1.0)
    return np.where(np.isfinite(s) & (s > 0), s, 1.0)[group]


def _relaxed(xy, rows, cols, w, mass, group, iterations: int, repulsion) -> np.ndarray:
    """Return ``xy`` after ``iterations`` steps of attraction, repulsion and gravity, cooling."""
    groups = int(group.max()) + 1
    radius2 = np.bincount(group, weights=(xy**2).sum(axis=1), minlength=groups)
    radius = np.sqrt(radius2 / np.bincount(group, minlength=groups))[group]
    cooling = (LAST_STEP / FIRST_STEP) ** (1.0 / max(1, iterations - 1))
    cap = FIRST_STEP * radius
    adjacency = _symmetric(len(xy), rows, cols, w)
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    for _ in range(iterations):
        force = _attraction(xy, adjacency, strength) + repulsion(xy, mass) + _gravity(xy, mass)
        step = STEP * force / mass[:, None]
        length = np.hypot(step[:, 0], step[:, 1])
        shrink = np.minimum(1.0, cap / np.maximum(length, 1e-300))
        xy = xy + step * shrink[:, None]
        cap = cap * cooling
    return xy


def _symmetric(n: int, rows, cols, w):
    return sparse.coo_matrix(
        (np.concatenate([w, w]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n)
    ).tocsr()


def _attraction(xy, adjacency, strength) -> np.ndarray:
    # ForceAtlas2's linear attraction, sum of w (x_j - x_i), as one sparse product.
    return adjacency @ xy - strength[:, None] * xy


def _gravity(xy, mass) -> np.ndarray:
    # ForceAtlas2's gravity: a constant pull per unit mass towards the centre keeps loose parts near.
    length = np.maximum(np.hypot(xy[:, 0], xy[:, 1]), 1e-300)
    return -GRAVITY * (mass / length)[:, None] * xy


# ---------------------------------------------------------------------------------------------
# Repulsion: exact for small components, a multilevel grid for large ones


def _component_pairs(sizes, starts) -> tuple:
    """Return every pair of nodes (i < j) inside each small component."""
    firsts, seconds = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for size in np.unique(sizes):
        i, j = np.triu_indices(int(size), 1)
        offset = starts[sizes == size][:, None]
        firsts.append((offset + i).ravel())
        seconds.append((offset + j).ravel())
    return np.concatenate(firsts), np.concatenate(seconds)


def _pair_repulsion(xy, mass, i, j) -> np.ndarray:
    d = xy[i] - xy[j]
    inverse = 1.0 / np.maximum((d * d).sum(axis=1), 1e-300)
    n = len(xy)
    push = np.stack([
        np.bincount(i, weights=mass[j] * inverse * d[:, k], minlength=n)
        - np.bincount(j, weights=mass[i] * inverse * d[:, k], minlength=n)
        for k in (0, 1)
    ], axis=1)
    return REPULSION * mass[:, None] * push


def _grid_repulsion(xy, mass, group, starts) -> np.ndarray:
    """Return ForceAtlas2 repulsion within each group: exact among neighbouring cells, by centres of
    mass beyond.

    Each group (a component, its nodes contiguous from ``starts``) gets its own tile of cells, so
    groups never push each other. Cost per call: 27 cells per node on the two finest levels, 27 per
    occupied cell on the coarser ones, plus the near pairs (kept under ``PAIR_BUDGET`` per node):
    O(n log n), memory O(n).
    """
    lo = np.minimum.reduceat(xy, starts, axis=0)
    side = (np.maximum.reduceat(xy, starts, axis=0) - lo).max(axis=1)
    side = np.where(side > 0, side, 1.0) * (1 + 1e-9)
    grid = _Grid(unit=(xy - lo[group]) / side[group][:, None], group=group, tiles=len(starts))
    finest = _finest_level(grid)
    z = xy[:, 0] + 1j * xy[:, 1]
    # The push from far cells, as the conjugate of sum m / (z - c): holomorphic, so it expands in
    # powers of the offset from a nearby point (the two-dimensional multipole method's local expansion).
    field = sum(_far_field(z, grid, mass, level, finest) for level in range(2, finest + 1))
    force = np.stack([field.real, -field.imag], axis=1) + _near_push(xy, grid, mass, finest)
    return REPULSION * mass[:, None] * force


class _Grid:
    """Nodes' places in [0, 1) within their group's tile, and the tile count."""

    __slots__ = ("unit", "group", "tiles")

    def __init__(self, unit, group, tiles: int):
        self.unit, self.group, self.tiles = unit, group, tiles

    def cells(self, level: int, border: int = 0):
        """Return each node's cell coordinates and its cell number, tiles laid end to end."""
        size = 1 << level
        c = np.minimum((self.unit * size).astype(np.int64), size - 1)
        side = size + 2 * border
        return c, self.group * side * side + (c[:, 0] + border) * side + (c[:, 1] + border)


def _finest_level(grid: _Grid) -> int:
    n = len(grid.unit)
    largest = int(np.bincount(grid.group).max())
    level = max(2, math.ceil(math.log(max(largest / FIRST_LEVEL_OCCUPANCY, 1.0), 4)))
    # Refine while the near pairs exceed the budget, as long as the cells stay O(n).
    while (level < MAX_LEVEL and grid.tiles * 4 ** (level + 1) <= CELL_BUDGET * n
           and _near_pair_count(grid, level) > PAIR_BUDGET * n):
        level += 1
    return level


def _near_pair_count(grid: _Grid, level: int) -> int:
    size = 1 << level
    _, cell = grid.cells(level)
    counts = np.bincount(cell, minlength=grid.tiles * size * size).reshape(grid.tiles, size, size)
    padded = np.pad(counts, ((0, 0), (1, 1), (1, 1)))
    box = sum(padded[:, 1 + dx:1 + dx + size, 1 + dy:1 + dy + size] for dx, dy in NEIGHBOUR_OFFSETS)
    return int((counts * box).sum())


def _grid_masses(z, grid: _Grid, mass, level: int):
    """Return each node's cell and cell parity, and the cells' centres and masses, tiles padded.

    A border of 3 empty cells keeps every interaction target inside its tile; empty cells sit at
    ``FAR``, so their zero mass pushes nothing and never divides by zero.
    """
    padded = (1 << level) + 6
    c, cell = grid.cells(level, border=3)
    total = grid.tiles * padded * padded
    cell_mass = np.bincount(cell, weights=mass, minlength=total)
    occupied = cell_mass > 0
    centre = np.full(total, FAR, dtype=np.complex128)
    moment = (np.bincount(cell, weights=mass * z.real, minlength=total)
              + 1j * np.bincount(cell, weights=mass * z.imag, minlength=total))
    centre[occupied] = moment[occupied] / cell_mass[occupied]
    parity = (c[:, 0] & 1) * 2 + (c[:, 1] & 1)
    return cell, parity, centre, cell_mass, padded


def _far_targets(cell, parity, padded: int) -> np.ndarray:
    offsets = INTERACTION_OFFSETS[:, :, 0] * padded + INTERACTION_OFFSETS[:, :, 1]
    return cell[:, None] + offsets[parity]


def _far_sum(z, target, centre, cell_mass) -> np.ndarray:
    """Return sum m / (z - c) over each node's target cells.

    In single precision and real arithmetic: the hot loop of the layout, twice as fast as complex
    doubles, and forces need no more than 7 digits.
    """
    x, y = z.real.astype(np.float32), z.imag.astype(np.float32)
    dx = x[:, None] - centre.real.astype(np.float32)[target]
    dy = y[:, None] - centre.imag.astype(np.float32)[target]
    g = cell_mass.astype(np.float32)[target] / (dx * dx + dy * dy)
    return np.einsum("ij,ij->i", g, dx).astype(np.float64) - 1j * np.einsum("ij,ij->i", g, dy)


def _far_expansion(points, target, centre, cell_mass) -> tuple:
    """Return sum m / (p - c)^k for k = 1, 2, 3 over each point's target cells, in single precision."""
    inverse = 1.0 / (points.astype(np.complex64)[:, None] - centre.astype(np.complex64)[target])
    term = cell_mass.astype(np.float32)[target] * inverse
    first = term.sum(axis=1)
    term = term * inverse
    second = term.sum(axis=1)
    third = (term * inverse).sum(axis=1)
    return first.astype(np.complex128), second.astype(np.complex128), third.astype(np.complex128)


def _far_field(z, grid: _Grid, mass, level: int, finest: int) -> np.ndarray:
    """Return sum m / (z - c) over the cells far from each node at ``level``, first found at it.

    On the two finest levels each node sums its 27 cells. Coarser levels sum once per occupied cell
    two levels finer (a quarter of a cell wide) and expand to second order around its centre of
    mass: cells are at least one cell away, so the error stays below (1/4 * sqrt 2)^3.
    """
    cell, parity, centre, cell_mass, padded = _grid_masses(z, grid, mass, level)
    if level + 2 > finest:
        return _far_sum(z, _far_targets(cell, parity, padded), centre, cell_mass)
    size = 1 << (level + 2)
    _, fine = grid.cells(level + 2)
    total = grid.tiles * size * size
    fine_mass = np.bincount(fine, weights=mass, minlength=total)
    ids = np.flatnonzero(fine_mass > 0)
    rank = np.cumsum(fine_mass > 0) - 1
    moment = (np.bincount(fine, weights=mass * z.real, minlength=total)
              + 1j * np.bincount(fine, weights=mass * z.imag, minlength=total))
    points = moment[ids] / fine_mass[ids]
    tile, place = np.divmod(ids, size * size)
    cx, cy = (place // size) >> 2, (place % size) >> 2
    coarse = tile * padded * padded + (cx + 3) * padded + (cy + 3)
    targets = _far_targets(coarse, (cx & 1) * 2 + (cy & 1), padded)
    a, b, c = _far_expansion(points, targets, centre, cell_mass)
    at = rank[fine]
    delta = z - points[at]
    return a[at] - delta * (b[at] - delta * c[at])


def _near_push(xy, grid: _Grid, mass, level: int) -> np.ndarray:
    """Return the exact push among nodes of neighbouring cells, each pair computed once."""
    n = len(xy)
    size = 1 << level
    c, cell = grid.cells(level)
    order = np.argsort(cell, kind="stable")
    counts = np.bincount(cell, minlength=grid.tiles * size * size)
    ends = np.cumsum(counts)
    # In cell order, a node meets the rest of its own cell (after it) and four of its eight
    # neighbouring cells; the other four meet it from their side.
    target = c[order][:, None, :] + HALF_NEIGHBOURS
    inside = ((target >= 0) & (target < size)).all(axis=2)
    tile = (grid.group[order] * size * size)[:, None]
    flat = np.where(inside, tile + target[:, :, 0] * size + target[:, :, 1], 0)
    first = np.arange(1, n + 1)
    run_start = np.column_stack([first, (ends - counts)[flat]]).ravel()
    run_count = np.column_stack([ends[cell[order]] - first, np.where(inside, counts[flat], 0)]).ravel()
    # A long run is met through RUN_SAMPLE evenly spaced members, each standing for run / RUN_SAMPLE of
    # them: the crowd's push is approximate (its direction holds, as the tests check) and the cost stays
    # O(n) in the most crowded cells. Runs of up to RUN_SAMPLE nodes, all of them elsewhere, stay exact.
    taken = np.minimum(run_count, RUN_SAMPLE)
    stride = run_count / np.maximum(taken, 1)
    i = np.repeat(np.repeat(np.arange(n), 1 + len(HALF_NEIGHBOURS)), taken)
    k = np.arange(len(i)) - np.repeat(np.cumsum(taken) - taken, taken)
    j = np.repeat(run_start, taken) + (k * np.repeat(stride, taken)).astype(np.int64)
    weight = np.repeat(stride, taken)
    p, m = xy[order], mass[order]
    dx = p[i, 0] - p[j, 0]
    dy = p[i, 1] - p[j, 1]
    inverse = weight / np.maximum(dx * dx + dy * dy, 1e-300)
    push = np.empty_like(xy)
    for k, d in enumerate((dx, dy)):
        push[order, k] = (np.bincount(i, weights=m[j] * inverse * d, minlength=n)
                          - np.bincount(j, weights=m[i] * inverse * d, minlength=n))
    return push


# ---------------------------------------------------------------------------------------------
# Packing


def _unit_spaced(xy) -> np.ndarray:
    """Return ``xy`` centred and scaled so that its median nearest-neighbour distance is 1.

    Components then share one density, and a gap of ``GAP`` units reads the same everywhere.
    """
    xy = xy - xy.mean(axis=0)
    if len(xy) < 2:
        return xy
    distance = cKDTree(xy).query(xy, k=2)[0][:, 1]
    typical = float(np.median(distance))
    if typical <= 0:
        typical = float(np.ptp(xy, axis=0).max()) / math.sqrt(len(xy)) or 1.0
    return xy / typical


def _packed(n: int, pieces: list, isolated) -> np.ndarray:
    """Place the pieces in rows, largest first, and the isolated nodes on a grid below them."""
    out = np.zeros((n, 2))
    extents = [np.ptp(xy, axis=0) for _, xy in pieces]
    area = sum(float((e[0] + GAP) * (e[1] + GAP)) for e in extents)
    width = max([math.sqrt(area)] + [float(e[0]) for e in extents])
    x = top = row_height = used = 0.0
    for (idx, xy), extent in zip(pieces, extents):
        if x > 0 and x + extent[0] > width:
            top -= row_height + GAP
            x = row_height = 0.0
        out[idx] = xy - xy.min(axis=0) + (x, top - extent[1])
        x += extent[0] + GAP
        used = max(used, x - GAP)
        row_height = max(row_height, float(extent[1]))
    if len(isolated):
        columns = max(math.ceil(math.sqrt(len(isolated))), int(used) + 1)
        slot = np.arange(len(isolated))
        below = top - row_height - GAP if pieces else 0.0
        left = (used - (min(columns, len(isolated)) - 1)) / 2 if pieces else 0.0
        out[isolated] = np.stack([left + slot % columns, below - slot // columns], axis=1)
    return out
