"""Node positions for the interactive network, fast and sparse enough for 20,000 outlets.

Small graphs use networkx's layouts. Large graphs use ``"sparse"``, a ForceAtlas2-style layout
whose memory grows with nodes plus edges and whose time per iteration grows with n log n:

- every connected component is laid out on its own, from a spectral placement (the degree-normalised
  eigenvectors of the graph, O(n + E) per product);
- attraction runs along the sparse edge list; repulsion is exact only among nodes in neighbouring cells
  of a grid and comes from the centres of mass of coarser cells further away (a multilevel grid, as in
  Barnes-Hut); hubs push harder, as in ForceAtlas2, and a cooling schedule caps each step;
- components are packed side by side, largest first, and isolated nodes sit on a grid below them.

Every method returns positions centred on 0 whose longer side spans [-1, 1].
"""
from __future__ import annotations

import math
import numbers

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh
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
FIRST_STEP, LAST_STEP = 0.1, 0.002
JITTER = 1e-3  # spectral positions coincide for twins (leaves of one hub); repulsion needs a direction

SMALL_COMPONENT = 128  # components up to this size get exact repulsion, many in one array
BATCH_PAIRS = 1 << 20  # padded node pairs per batch of small components
FIRST_LEVEL_OCCUPANCY = 2  # nodes per cell on the finest grid level, before refining
PAIR_BUDGET = 32  # exact near pairs per node; the finest level is refined until under it
MAX_LEVEL = 10  # 1024 x 1024 cells
GAP = 2.0  # between packed components, in median nearest-neighbour distances
ARPACK_TOLERANCE = 1e-4
FAR = 1e30
ARPACK_MAX_ITERATIONS = 3_000


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
    g : networkx.Graph or networkx.DiGraph
        The outlet graph. Direction is ignored, self-loops are ignored, parallel edges add up.
    method : str
        One of :data:`LAYOUTS`. ``"auto"`` uses ``"forceatlas2"`` up to 1,000 nodes and ``"sparse"``
        above. ``"forceatlas2"`` and ``"spring"`` (networkx) refuse more than 5,000 nodes,
        ``"kamada-kawai"`` more than 1,000.
    seed : int
        Seed of every random choice: the same graph and seed give the same positions, whatever
        order the graph was built in.
    iterations : int, optional
        Force iterations (``"sparse"``: 150, ``"forceatlas2"``: 100, ``"spring"``: 50).
        ``"kamada-kawai"`` runs its optimiser to convergence and ignores it.
    weight : str, optional
        Edge attribute holding the weight (citing articles); None lays the graph out unweighted.
        Weights are log-scaled (``log2(1 + w)``), since raw counts span orders of magnitude.

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
    >>> layout(nx.path_graph(3), method="circular")
    Traceback (most recent call last):
    ...
    citegraph.render.layout.LayoutError: bad-layout: unknown layout 'circular'; use one of auto, sparse, forceatlas2, spring, kamada-kawai
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
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        raise LayoutError("bad-layout", f"seed must be an integer, not {seed!r}")
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
    small = []
    for idx, edges in zip(components, edge_groups):
        if len(idx) == 1:
            continue
        if len(idx) <= SMALL_COMPONENT:
            small.append((idx, edges))
            continue
        rng = np.random.default_rng([seed, int(idx[0])])
        xy = _component_xy(len(idx), local[rows[edges]], local[cols[edges]], w[edges], rng, iterations)
        pieces.append((idx, xy))
    pieces += _small_components_xy(small, rows, cols, w, seed, iterations)
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


def _masses(n: int, rows, cols) -> np.ndarray:
    # ForceAtlas2's mass: degree + 1, so hubs push harder and leaves still push.
    return 1.0 + np.bincount(rows, minlength=n) + np.bincount(cols, minlength=n)


def _component_xy(n: int, rows, cols, w, rng, iterations: int) -> np.ndarray:
    mass = _masses(n, rows, cols)
    xy = _spectral_xy(n, rows, cols, w, rng)
    xy = xy + rng.normal(scale=JITTER, size=xy.shape)
    group = np.zeros(n, dtype=np.int64)
    xy = xy * _equilibrium_scale(xy, rows, cols, w, mass, group)[:, None]
    return _relaxed(xy, rows, cols, w, mass, group, iterations, _grid_repulsion)


def _spectral_xy(n: int, rows, cols, w, rng) -> np.ndarray:
    """Return the second and third degree-normalised eigenvectors, or random positions.

    They place nodes that share neighbours close together, at the cost of a few sparse products,
    so the force iterations start near a good layout instead of untangling a random one.
    """
    a = _symmetric(n, rows, cols, w)
    scale = 1.0 / np.sqrt(np.asarray(a.sum(axis=1)).ravel())
    normalised = sparse.diags(scale) @ a @ sparse.diags(scale)
    try:
        values, vectors = eigsh(normalised, k=3, which="LA", v0=rng.uniform(-1, 1, n),
                                tol=ARPACK_TOLERANCE, maxiter=ARPACK_MAX_ITERATIONS)
    except (ArpackNoConvergence, ArpackError):
        return rng.normal(size=(n, 2))
    top = np.argsort(values)[::-1][1:3]
    xy = vectors[:, top] * scale[:, None]
    spread = xy.std(axis=0)
    if not np.all(np.isfinite(xy)) or np.any(spread <= 0):
        return rng.normal(size=(n, 2))
    return (xy - xy.mean(axis=0)) / spread


def _equilibrium_scale(xy, rows, cols, w, mass, group) -> np.ndarray:
    """Return, per group, the factor that puts ``xy`` at the size where the forces balance.

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
# Repulsion: a multilevel grid for large components, exact for batches of small ones


def _grid_repulsion(xy, mass) -> np.ndarray:
    """Return ForceAtlas2 repulsion, exact among neighbouring cells and by centres of mass beyond.

    Cost per call: 27 cells per node on the two finest levels, 27 per occupied cell on the coarser
    ones, plus the near pairs (kept under ``PAIR_BUDGET`` per node): O(n log n), memory O(n).
    """
    lo = xy.min(axis=0)
    side = float((xy.max(axis=0) - lo).max())
    if side <= 0:
        return np.zeros_like(xy)
    unit = (xy - lo) / (side * (1 + 1e-9))  # in [0, 1)
    finest = _finest_level(unit)
    z = xy[:, 0] + 1j * xy[:, 1]
    # The push from far cells, as the conjugate of sum m / (z - c): holomorphic, so it expands in
    # powers of the offset from a nearby point (the two-dimensional multipole method's local expansion).
    field = sum(_far_field(z, unit, mass, level, finest) for level in range(2, finest + 1))
    force = np.stack([field.real, -field.imag], axis=1) + _near_push(xy, unit, mass, finest)
    return REPULSION * mass[:, None] * force


def _cells(unit, level: int):
    size = 1 << level
    c = np.minimum((unit * size).astype(np.int64), size - 1)
    return c, c[:, 0] * size + c[:, 1]


def _finest_level(unit) -> int:
    n = len(unit)
    level = max(2, math.ceil(math.log(max(n / FIRST_LEVEL_OCCUPANCY, 1.0), 4)))
    while level < MAX_LEVEL and _near_pair_count(unit, level) > PAIR_BUDGET * n:
        level += 1
    return min(level, MAX_LEVEL)


def _near_pair_count(unit, level: int) -> int:
    size = 1 << level
    _, cell = _cells(unit, level)
    counts = np.bincount(cell, minlength=size * size).reshape(size, size)
    padded = np.pad(counts, 1)
    box = sum(padded[1 + dx:1 + dx + size, 1 + dy:1 + dy + size] for dx, dy in NEIGHBOUR_OFFSETS)
    return int((counts * box).sum())


def _grid_masses(z, unit, mass, level: int):
    """Return each node's cell, cell parity, and the cells' centres and masses on a padded grid.

    A border of 3 empty cells keeps every interaction target inside the grid; empty cells sit at
    ``FAR``, so their zero mass pushes nothing and never divides by zero.
    """
    size = 1 << level
    padded = size + 6
    c, _ = _cells(unit, level)
    cell = (c[:, 0] + 3) * padded + (c[:, 1] + 3)
    cell_mass = np.bincount(cell, weights=mass, minlength=padded * padded)
    occupied = cell_mass > 0
    centre = np.full(padded * padded, FAR, dtype=np.complex128)
    moment = (np.bincount(cell, weights=mass * z.real, minlength=padded * padded)
              + 1j * np.bincount(cell, weights=mass * z.imag, minlength=padded * padded))
    centre[occupied] = moment[occupied] / cell_mass[occupied]
    parity = (c[:, 0] & 1) * 2 + (c[:, 1] & 1)
    return cell, parity, centre, cell_mass, padded


def _far_terms(points, cell, parity, centre, cell_mass, padded, order: int) -> list:
    """Return sum m / (p - c)^k for k = 1..order over each point's 27 interaction cells."""
    offsets = INTERACTION_OFFSETS[:, :, 0] * padded + INTERACTION_OFFSETS[:, :, 1]
    target = cell[:, None] + offsets[parity]
    inverse = 1.0 / (points[:, None] - centre[target])
    term = cell_mass[target] * inverse
    terms = [term.sum(axis=1)]
    for _ in range(order - 1):
        term = term * inverse
        terms.append(term.sum(axis=1))
    return terms


def _far_field(z, unit, mass, level: int, finest: int) -> np.ndarray:
    """Return sum m / (z - c) over the cells far from each node at ``level``, first found at it.

    On the two finest levels each node sums its 27 cells. Coarser levels sum once per occupied cell
    two levels finer (a quarter of a cell wide) and expand to second order around its centre of
    mass: cells are at least one cell away, so the error stays below (1/4 * sqrt 2)^3.
    """
    cell, parity, centre, cell_mass, padded = _grid_masses(z, unit, mass, level)
    if level + 2 > finest:
        return _far_terms(z, cell, parity, centre, cell_mass, padded, 1)[0]
    size = 1 << (level + 2)
    _, fine = _cells(unit, level + 2)
    fine_mass = np.bincount(fine, weights=mass, minlength=size * size)
    ids = np.flatnonzero(fine_mass > 0)
    rank = np.cumsum(fine_mass > 0) - 1
    moment = (np.bincount(fine, weights=mass * z.real, minlength=size * size)
              + 1j * np.bincount(fine, weights=mass * z.imag, minlength=size * size))
    points = moment[ids] / fine_mass[ids]
    cx, cy = (ids // size) >> 2, (ids % size) >> 2
    coarse = (cx + 3) * padded + (cy + 3)
    a, b, c = _far_terms(points, coarse, (cx & 1) * 2 + (cy & 1), centre, cell_mass, padded, 3)
    at = rank[fine]
    delta = z - points[at]
    return a[at] - delta * (b[at] - delta * c[at])


def _near_push(xy, unit, mass, level: int) -> np.ndarray:
    """Return the exact push among nodes of neighbouring cells, each pair computed once."""
    n = len(xy)
    size = 1 << level
    c, cell = _cells(unit, level)
    order = np.argsort(cell, kind="stable")
    counts = np.bincount(cell, minlength=size * size)
    ends = np.cumsum(counts)
    sorted_cells = c[order]
    # In cell order, a node meets the rest of its own cell (after it) and four of its eight
    # neighbouring cells; the other four meet it from their side.
    target = sorted_cells[:, None, :] + HALF_NEIGHBOURS
    inside = ((target >= 0) & (target < size)).all(axis=2)
    flat = np.where(inside, target[:, :, 0] * size + target[:, :, 1], 0)
    first = np.arange(1, n + 1)
    run_start = np.column_stack([first, (ends - counts)[flat]]).ravel()
    run_count = np.column_stack([ends[cell[order]] - first, np.where(inside, counts[flat], 0)]).ravel()
    i = np.repeat(np.repeat(np.arange(n), 1 + len(HALF_NEIGHBOURS)), run_count)
    j = np.arange(len(i)) - np.repeat(np.cumsum(run_count) - run_count, run_count) + np.repeat(run_start, run_count)
    p, m = xy[order], mass[order]
    dx = p[i, 0] - p[j, 0]
    dy = p[i, 1] - p[j, 1]
    inverse = 1.0 / np.maximum(dx * dx + dy * dy, 1e-300)
    push = np.empty_like(xy)
    for k, d in enumerate((dx, dy)):
        push[order, k] = (np.bincount(i, weights=m[j] * inverse * d, minlength=n)
                          - np.bincount(j, weights=m[i] * inverse * d, minlength=n))
    return push


def _small_components_xy(small, rows, cols, w, seed: int, iterations: int) -> list:
    """Lay out all small components at once: one edge list, exact repulsion within each component."""
    if not small:
        return []
    nodes = np.concatenate([idx for idx, _ in small])
    where = np.empty(int(nodes.max()) + 1, dtype=np.int64)
    where[nodes] = np.arange(len(nodes))
    edges = np.concatenate([e for _, e in small])
    r, c, ew = where[rows[edges]], where[cols[edges]], w[edges]
    sizes = np.array([len(idx) for idx, _ in small])
    group = np.repeat(np.arange(len(small)), sizes)
    mass = _masses(len(nodes), r, c)
    rng = np.random.default_rng([seed, int(nodes.min()), len(nodes)])
    xy = rng.normal(size=(len(nodes), 2))
    centre = np.stack([np.bincount(group, weights=xy[:, k]) / sizes for k in (0, 1)], axis=1)
    xy = xy - centre[group]
    xy = xy * _equilibrium_scale(xy, r, c, ew, mass, group)[:, None]
    slots = _slot_batches(sizes)
    xy = _relaxed(xy, r, c, ew, mass, group, iterations, lambda p, m: _block_repulsion(p, m, slots))
    bounds = np.cumsum(sizes)[:-1]
    return [(idx, part) for (idx, _), part in zip(small, np.split(xy, bounds))]


def _slot_batches(sizes) -> list:
    """Return padded index tables (components x slots, -1 for padding), one per batch of similar size."""
    starts = np.cumsum(sizes) - sizes
    width = np.maximum(2, 2 ** np.ceil(np.log2(np.maximum(sizes, 2)))).astype(np.int64)
    batches = []
    for slot_count in np.unique(width):
        members = np.flatnonzero(width == slot_count)
        per_batch = max(1, BATCH_PAIRS // int(slot_count) ** 2)
        for first in range(0, len(members), per_batch):
            chosen = members[first:first + per_batch]
            slot = np.arange(slot_count)
            table = starts[chosen, None] + slot
            batches.append(np.where(slot < sizes[chosen, None], table, -1))
    return batches


def _block_repulsion(xy, mass, slots) -> np.ndarray:
    force = np.zeros_like(xy)
    for table in slots:
        real = table >= 0
        at = np.where(real, table, 0)
        p = xy[at]
        m = np.where(real, mass[at], 0.0)
        diff = p[:, :, None, :] - p[:, None, :, :]
        d2 = (diff**2).sum(axis=3)
        g = m[:, None, :] / np.where(d2 > 0, d2, np.inf)
        push = (g[..., None] * diff).sum(axis=2)
        force[table[real]] += push[real]
    return REPULSION * mass[:, None] * force


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
