"""Crawl speed against the sample web served locally with added latency, beside its two ceilings.

Run by hand:

    python benchmarks/bench_crawl.py [--hosts 200] [--pages-per-host 100] [--latency 0.05]

The sample web (``citegraph.sample_web.SampleWeb``, pages spread evenly over the outlets) runs in a
process of its own and answers every response after ``--latency`` seconds; the crawler runs here, with
its default politeness (one request at a time per host, one second apart), through the server's proxy
address. Printed, all from the same run:

- pages/s achieved: article pages stored per second of crawling, and requests per second (discovery
  included: robots.txt, home page, sitemaps, feed);
- the politeness ceiling: hosts x per-host rate, exactly: no crawl that keeps one request per ``--delay``
  per host name can end before its busiest host's requests x delay; articles and requests over that time;
- the extraction ceiling: the same pages read by the pipeline's extraction alone, single process,
  pages/s;
- the share of the lower ceiling reached, CPU seconds per page (this process: fetching, store, WARC, and
  the pages read here; and the processes that read pages, ``--read-processes``), and peak memory.

``--read-processes 0`` reads every page in the crawling process, for comparison; ``--concurrency`` sets the
global limit of requests in flight (default 16, as the crawler's).
"""
from __future__ import annotations

import argparse
from collections import Counter
from urllib.parse import urlsplit
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

_SERVER = """
import json, sys, time
sys.path.insert(0, {src!r})
from citegraph.sample_web import SampleWeb
web = SampleWeb(n_pages={pages}, n_outlets={hosts}, seed=0, latency={latency}, even=True).start()
print(json.dumps({{"proxy": web.proxy_url, "seeds": list(web.seeds), "pages": len(web.pages)}}), flush=True)
sys.stdin.read()  # serve until the benchmark closes our stdin
web.stop()
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=200)
    ap.add_argument("--pages-per-host", type=int, default=100)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--extract-sample", type=int, default=2000, help="pages timed for the extraction ceiling")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight, all hosts together")
    ap.add_argument("--read-processes", type=int, default=-1,
                    help="processes that read pages beside the crawler (-1: the default, one per spare core)")
    args = ap.parse_args(argv)

    from citegraph.config import load_settings
    from citegraph.pipeline import ExtractOptions, _read_page, crawl, profiles_for, registry_for
    from citegraph.sample import iter_pages, sample_outlets, write_outlets_file
    from citegraph.scrapers.sources import RawPage

    n_pages = args.hosts * args.pages_per_host
    started = time.monotonic()
    server = subprocess.Popen([sys.executable, "-c", _SERVER.format(src=str(ROOT / "src"), pages=n_pages,
                                                                     hosts=args.hosts, latency=args.latency)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    info = json.loads(server.stdout.readline())
    print(f"sample web: {info['pages']} pages on {len(info['seeds'])} outlets, {args.latency * 1000:.0f} ms added "
          f"latency per response (served in {time.monotonic() - started:.1f} s)")
    work = Path(tempfile.mkdtemp(prefix="citegraph-bench-crawl-"))
    try:
        outlets = work / "outlets.json"
        write_outlets_file(sample_outlets(args.hosts), outlets)
        settings = load_settings({"db": str(work / "c.db"), "progress": False, "outlets_files": (str(outlets),),
                                  "proxy": info["proxy"], "delay": args.delay,
                                  "read_processes": args.read_processes,
                                  "concurrency": args.concurrency}, environ={},
                                 config_file=work / "none.toml")

        # The extraction ceiling: the same kind of pages, read by the same function, in this process.
        reg = registry_for(settings)
        options = ExtractOptions(registry=reg, profiles=profiles_for(settings))
        sample = [p for _, p in zip(range(args.extract_sample), iter_pages(n_pages, args.hosts, 0, scheme="http",
                                                                             even=True))]
        raws = [RawPage(url=p.url, data=p.html.encode("utf-8"), content_type="text/html; charset=utf-8",
                        source="bench") for p in sample]
        t0, c0 = time.perf_counter(), time.process_time()
        for raw in raws:
            _read_page(raw, settings, options)
        extract_wall, extract_cpu = time.perf_counter() - t0, time.process_time() - c0
        extraction_ceiling = len(raws) / extract_wall
        print(f"extraction alone: {extraction_ceiling:.0f} pages/s ({extract_cpu / len(raws) * 1000:.2f} ms CPU a page)")

        cpu0 = time.process_time()
        children0 = _children_cpu()
        t0 = time.perf_counter()
        result = crawl(info["seeds"], settings)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        readers_cpu = _children_cpu() - children0  # the reading processes, ended with the crawl
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The politeness ceiling of this workload: each host name gets one request per delay, so the crawl can
    # end no sooner than its busiest host's requests x delay (an outlet's listings may sit on its bare
    # host and its articles on www., two host names that are paced apart, as by other crawlers).
    from citegraph.store import Store
    with Store(settings.db_path()) as store:
        per_host = Counter(urlsplit(r.url).netloc for r in store.fetches() if r.source == "crawl")
    busiest = max(per_host.values())
    floor = busiest * args.delay
    politeness_requests = result.fetched / floor
    politeness_pages = result.articles / floor
    lower = min(politeness_pages, extraction_ceiling)
    pages_s = result.articles / wall
    print(f"\ncrawl: {result.articles} articles, {result.fetched} requests to {len(per_host)} host names (the busiest "
          f"{busiest}) in {wall:.1f} s; failures: {dict(result.failures) or 'none'}")
    print(f"{'':34s}{'pages/s':>10s}")
    print(f"{'achieved (articles stored)':34s}{pages_s:10.1f}")
    print(f"{'achieved (requests)':34s}{result.fetched / wall:10.1f}")
    print(f"{'politeness ceiling (requests)':34s}{politeness_requests:10.1f}   no sooner than {busiest} x {args.delay:g} s")
    print(f"{'politeness ceiling (articles)':34s}{politeness_pages:10.1f}")
    print(f"{'extraction ceiling':34s}{extraction_ceiling:10.1f}")
    print(f"share of the lower ceiling: {pages_s / lower:.1%}")
    print(f"CPU of the crawling process: {cpu:.1f} s, {cpu / max(1, result.articles) * 1000:.2f} ms a page "
          f"({cpu / wall:.0%} of one core)")
    print(f"CPU of the reading processes: {readers_cpu:.1f} s, {readers_cpu / max(1, result.articles) * 1000:.2f} ms "
          f"a page ({readers_cpu / wall:.0%} of one core); read_processes={args.read_processes}")
    print(f"peak memory of the crawling process: {peak_mb:.0f} MB")
    shutil.rmtree(work, ignore_errors=True)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


if __name__ == "__main__":
    main()
