"""Build, measure and export the outlet graph at 1,000 / 10,000 / 50,000 outlets, beside pandas and networkx.

Run by hand (needs the bench extra for pandas: pip install -e '.[bench]'):

    python benchmarks/bench_graph.py [--sizes 1000,10000,50000] [--citations-per-outlet 40]

For each size a store is filled with citations shaped like the sample web's (clusters of outlets that
cite each other, each outlet with a dozen it cites again and again, a few very cited outlets, two years
of dates, links, mentions and syndication), 40 per outlet by default, so 2,000,000 at 50,000 outlets. (The sample web generator itself keeps weights for
every pair of outlets, so it cannot make 50,000 of them; the rows here are written straight into the
store, and their making is not timed.) Each size runs in a fresh process, so peak memory is its own:

- citegraph: aggregate the citations in SQLite into the outlet graph (``graph_from_store`` without its
  metrics), the metrics and communities (``add_metrics``), and the exports (GEXF, GraphML, JSON, nodes and
  edges CSV);
- a plain pandas group-by of the same citations (read from the same store, distinct citing articles per
  source and target), in the same process after citegraph, and in a process of its own for its memory;
- networkx's pagerank alone on the finished graph.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def fill_store(path: Path, n_outlets: int, per_outlet: int, seed: int = 0) -> int:
    """Write articles and citations for ``n_outlets`` outlets; return the citation count."""
    from citegraph.store import Store

    rng = random.Random(seed)
    clusters = max(2, n_outlets // 250)
    ids = [f"outlet{i}.example" for i in range(n_outlets)]
    cluster_of = [rng.randrange(clusters) for _ in ids]
    members: dict[int, list[int]] = {}
    for i, c in enumerate(cluster_of):
        members.setdefault(c, []).append(i)
    popular = [int(n_outlets * rng.paretovariate(1.2)) % n_outlets for _ in range(2000)]  # heavy-tailed targets
    kinds = ("link", "link", "link", "mention", "syndication")
    store = Store(path)
    db = store.db
    total = 0
    db.execute("BEGIN")
    article_rows, citation_rows = [], []
    for i, src in enumerate(ids):
        # an outlet's habits: a dozen outlets it cites again and again, most of them in its own cluster
        habits = [rng.choice(members[cluster_of[i]]) for _ in range(8)] + [rng.choice(popular) for _ in range(4)]
        for a in range(max(1, per_outlet // 5)):
            url = f"https://{src}/{a}"
            day = rng.randrange(730)
            article_rows.append((url, src, f"2023-{1 + day // 61 % 12:02d}-{1 + day % 28:02d}" if day < 365 else
                                 f"2024-{1 + day // 61 % 12:02d}-{1 + day % 28:02d}"))
            for _ in range(5):
                r = rng.random()
                if r < 0.75:
                    t = rng.choice(habits)
                elif r < 0.9:
                    t = rng.choice(popular)
                else:
                    t = rng.randrange(n_outlets)
                citation_rows.append((url, src, ids[t], rng.choice(kinds), f"https://{ids[t]}/x", "anchor",
                                      "a sentence around the citation", 1.0, "body"))
                total += 1
        if len(citation_rows) > 200_000:
            _flush(db, article_rows, citation_rows)
    _flush(db, article_rows, citation_rows)
    db.execute("COMMIT")
    store.close()
    return total


def _flush(db, article_rows, citation_rows) -> None:
    db.executemany("INSERT OR IGNORE INTO articles (url, outlet_id, published_at) VALUES (?, ?, ?)", article_rows)
    db.executemany("INSERT INTO citations (article_url, source_outlet, target_outlet, kind, target_url, anchor_text, "
                   "context, confidence, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", citation_rows)
    article_rows.clear()
    citation_rows.clear()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_citegraph(db: str, out: str) -> dict:
    import networkx as nx

    from citegraph.config import load_settings
    from citegraph.graph.build import graph_from_aggregates
    from citegraph.graph.io import write_edges_csv, write_gexf, write_graphml, write_json, write_nodes_csv
    from citegraph.graph.metrics import add_metrics
    from citegraph.outlets import Registry
    from citegraph.store import Store

    settings = load_settings({"db": db}, environ={}, config_file=Path(out) / "none.toml")
    store = Store(db)
    reg = Registry()
    t0 = time.perf_counter()
    filters = {"kinds": settings.kinds, "min_confidence": 0.0, "self_citations": False}
    g = graph_from_aggregates(store.edge_counts(**filters), store.edge_evidence(limit=settings.evidence_limit, **filters),
                              store.articles_per_outlet(), registry=reg)
    t1 = time.perf_counter()
    g = add_metrics(g, seed=0)
    t2 = time.perf_counter()
    outdir = Path(out)
    for writer, name in ((write_gexf, "graph.gexf"), (write_graphml, "graph.graphml"), (write_json, "graph.json"),
                         (write_nodes_csv, "nodes.csv"), (write_edges_csv, "edges.csv")):
        writer(g, outdir / name)
    t3 = time.perf_counter()
    peak = _peak_mb()
    t4 = time.perf_counter()
    nx.pagerank(g, weight="weight")
    t5 = time.perf_counter()
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "build": t1 - t0, "metrics": t2 - t1,
            "export": t3 - t2, "peak_mb": peak, "pagerank": t5 - t4}


def measure_pandas(db: str) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    with sqlite3.connect(db) as con:
        df = pd.read_sql_query("SELECT article_url, source_outlet, target_outlet FROM citations "
                               "WHERE source_outlet != target_outlet", con)
    edges = df.groupby(["source_outlet", "target_outlet"])["article_url"].nunique()
    t1 = time.perf_counter()
    return {"pandas": t1 - t0, "pandas_edges": int(len(edges)), "pandas_peak_mb": _peak_mb()}


def child(argv) -> None:
    """One measurement in this process: `child citegraph DB OUT` or `child pandas DB`."""
    what, db = argv[0], argv[1]
    result = measure_citegraph(db, argv[2]) if what == "citegraph" else measure_pandas(db)
    print(json.dumps(result))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--citations-per-outlet", type=int, default=40)
    args = ap.parse_args(argv)
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix="citegraph-bench-graph-"))
        db = work / "c.db"
        t = time.perf_counter()
        citations = fill_store(db, n, args.citations_per_outlet)
        made = time.perf_counter() - t
        run = lambda *a: json.loads(subprocess.run([sys.executable, __file__, "--child", *a], capture_output=True,  # noqa: E731
                                                   text=True, check=True).stdout.strip().splitlines()[-1])
        cg = run("citegraph", str(db), str(work))
        pdr = run("pandas", str(db))
        rows.append({"outlets": n, "citations": citations, **cg, **pdr})
        print(f"{n} outlets, {citations} citations (store filled in {made:.0f} s): {json.dumps(rows[-1])}", flush=True)
    print("\n| outlets | citations | edges | aggregate + graph (s) | metrics (s) | exports (s) | citegraph total (s) "
          "| peak MB | pandas group-by (s) | pandas peak MB | networkx pagerank alone (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        total = r["build"] + r["metrics"] + r["export"]
        print(f"| {r['outlets']:,} | {r['citations']:,} | {r['edges']:,} | {r['build']:.2f} | {r['metrics']:.2f} | "
              f"{r['export']:.2f} | {total:.2f} | {r['peak_mb']:.0f} | {r['pandas']:.2f} | {r['pandas_peak_mb']:.0f} | "
              f"{r['pagerank']:.2f} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
