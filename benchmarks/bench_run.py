"""`citegraph run` on a large sample WARC: pages/s and peak memory, beside plain lxml parsing.

Run by hand:

    python benchmarks/bench_run.py --pages 10000 --pages 100000 [--outlets 200]

For each size it writes a sample WARC (not timed), then runs the stages that `citegraph run` chains
(ingest, build, exports, render, report), each in a child process, and reports each one's wall time
and peak RSS; and, as the baseline in the same run, the time plain lxml takes to parse the same pages.
Peak memory must not grow with the corpus: it may grow with the outlet graph (edges), not with pages.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child_peak_rss_mb(cmd) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``cmd`` run as a child process."""
    code = ("import resource, subprocess, sys, time; t=time.perf_counter(); "
            "r=subprocess.run(sys.argv[1:]); dt=time.perf_counter()-t; "
            "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024); sys.exit(r.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    dt, rss = out.stdout.split()[-2:]
    return float(dt), float(rss)


def lxml_baseline(warc: Path, limit: int) -> float:
    """Seconds plain lxml takes to parse the pages of ``warc`` (read with warcio, outside the timing)."""
    import lxml.html
    from warcio.archiveiterator import ArchiveIterator

    total = 0.0
    with open(warc, "rb") as f:
        for n, rec in enumerate(r for r in ArchiveIterator(f) if r.rec_type == "response"):
            data = rec.content_stream().read()
            t = time.perf_counter()
            lxml.html.document_fromstring(data)
            total += time.perf_counter() - t
            if n + 1 >= limit:
                break
    return total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, action="append", help="sizes to run (repeatable)")
    ap.add_argument("--outlets", type=int, default=200)
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args(argv)
    from citegraph.sample import iter_pages, sample_outlets, write_outlets_file, write_warc

    work = Path(args.workdir or tempfile.mkdtemp(prefix="citegraph-bench-"))
    print(f"python {sys.version.split()[0]}; workdir {work}")
    for n in args.pages or [10_000]:
        warc = work / f"sample-{n}-{args.outlets}.warc.gz"
        outlets = work / f"outlets-{args.outlets}.json"
        if not warc.exists():
            t = time.perf_counter()
            write_warc(iter_pages(n, args.outlets, 0), warc)
            print(f"generated {n} pages in {time.perf_counter() - t:.1f} s ({warc.stat().st_size / 1e6:.0f} MB)")
        write_outlets_file(sample_outlets(args.outlets, 0), outlets)
        out = work / f"out-{n}"
        shutil.rmtree(out, ignore_errors=True)  # a fresh store: a second run would extend the old one
        base = [sys.executable, "-m", "citegraph"]
        common = ["-o", str(out), "--no-progress"]
        # The stages `run` chains, each in its own process, so each one's peak memory shows.
        stages = [
            ("ingest", ["ingest", str(warc), "--outlets", str(outlets)]),
            ("build (graph.json)", ["build"]),
            ("export csv", ["export", "--format", "csv"]),
            ("export gexf", ["export", "--format", "gexf"]),
            ("export graphml", ["export", "--format", "graphml"]),
            ("render (network.html)", ["render"]),
            ("report (report.html)", ["report"]),
        ]
        total, peak = 0.0, 0.0
        print(f"{n} pages, {args.outlets} outlets:")
        for name, cmd in stages:
            dt, rss = child_peak_rss_mb(base + cmd + common)
            total, peak = total + dt, max(peak, rss)
            extra = f" = {n / dt:6.1f} pages/s" if name == "ingest" else ""
            print(f"  {name:24s} {dt:7.1f} s{extra:18s} peak RSS {rss:6.0f} MB")
        lx = lxml_baseline(warc, n)
        edges = _edges(out / "citegraph.db")
        print(f"  all stages {total:7.1f} s = {n / total:6.1f} pages/s, peak RSS {peak:6.0f} MB; graph {edges} edges | "
              f"plain lxml parse {lx:6.1f} s = {n / lx:6.1f} pages/s; all stages / lxml time {total / lx:5.1f}x")


def _edges(db: Path) -> int:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT COUNT(*) FROM (SELECT DISTINCT source_outlet, target_outlet FROM citations "
                           "WHERE source_outlet != target_outlet)").fetchone()[0]
    finally:
        con.close()

if __name__ == "__main__":
    main()
