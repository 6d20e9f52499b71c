"""Layouts for network.html at 1,000 to 20,000 outlets: citegraph's sparse layout beside networkx's.

Run by hand:

    python benchmarks/bench_layout.py [--sizes 1000,2000,5000,20000]

Planted-partition graphs (groups of 200 outlets, dense inside, sparse between, ten edges an outlet on
average), so the quality of a layout can be read as a number: the mean distance between outlets of the
same group over the mean distance between outlets of different groups (lower is better; a layout that
ignores the groups gives about 1). Time is wall time; peak memory is tracemalloc's, in a second run, for
citegraph's sparse layout and networkx's forceatlas2_layout (which it replaces above 1,000 outlets) in
the same run. networkx's is left out above 2,000 outlets: its n x n arrays take gigabytes there.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def planted(n: int, seed: int = 0) -> tuple[nx.DiGraph, list[int]]:
    groups = n // 200
    sizes = [200] * groups
    p_in, p_out = 9.0 / 200, 1.0 / max(1, n - 200)
    g = nx.random_partition_graph(sizes, p_in, p_out, seed=seed, directed=True)
    return g, [g.nodes[v]["block"] for v in g]


def quality(pos: dict, blocks: list[int], seed: int = 0) -> float:
    rng = np.random.default_rng(seed)
    nodes = list(pos)
    xy = np.array([pos[v] for v in nodes])
    b = np.array(blocks)
    i, j = rng.integers(0, len(nodes), 200_000), rng.integers(0, len(nodes), 200_000)
    d = np.hypot(*(xy[i] - xy[j]).T)
    same, diff = b[i] == b[j], b[i] != b[j]
    return float(d[same & (i != j)].mean() / d[diff].mean())


def timed(fn):
    t = time.perf_counter()
    out = fn()
    wall = time.perf_counter() - t
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, wall, peak


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,2000,5000,20000")
    args = ap.parse_args(argv)
    from citegraph.render.layout import layout

    print("| outlets | edges | layout | seconds | peak MiB | same/diff group distance |")
    print("| ---: | ---: | --- | ---: | ---: | ---: |")
    for n in (int(x) for x in args.sizes.split(",")):
        g, blocks = planted(n)
        runs = [("citegraph sparse", lambda: layout(g, method="sparse", seed=0))]
        if n <= 2000:
            runs.append(("networkx forceatlas2_layout", lambda: nx.forceatlas2_layout(g, seed=0)))
        for name, fn in runs:
            pos, wall, peak = timed(fn)
            print(f"| {n:,} | {g.number_of_edges():,} | {name} | {wall:.1f} | {peak:.0f} | {quality(pos, blocks):.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
