"""Extraction accuracy and speed on the aeb-dev corpus, beside trafilatura and readability-lxml.

Run by hand (needs the bench extra: pip install -e '.[bench]'):

    python benchmarks/bench_extract.py [--reps 3] [--corpus ../shared/corpus/aeb-dev]

Prints P/R/F1 against the in_body_ctx labels and pages/s for: citegraph's full extract_article
(links, mentions, syndication, metadata), citegraph's links only, plain lxml parsing, trafilatura and
readability-lxml, all in one run, and each one's speed as a ratio of trafilatura's. Writes the pages
citegraph still gets wrong to output/bench_extract_errors.json. The reps are interleaved across the
extractors, so that a drift in the machine's speed touches them all alike.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def load_eval(path: Path):
    spec = importlib.util.spec_from_file_location("eval_citations", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(SHARED / "corpus" / "aeb-dev"))
    ap.add_argument("--tool", default=str(SHARED / "tools" / "eval_citations.py"))
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args(argv)
    if not Path(args.tool).exists() or not Path(args.corpus).exists():
        sys.exit(f"corpus or evaluation tool missing: {args.corpus}, {args.tool}")
    ev = load_eval(Path(args.tool))
    from citegraph.scrapers.body import parse_html
    from citegraph.scrapers.extract import ExtractOptions, cited_urls, extract_article

    from citegraph.scrapers.profiles import Profiles

    # The labels are hrefs of <a> elements as written; normalised URLs (tracking parameters dropped,
    # archives unwrapped) would count as misses, so the scored URLs are the raw ones, and embedded
    # players (iframes, which citegraph counts as embed citations) are left out of the scoring.
    opts = ExtractOptions(raw_urls=True, players=False)
    bare = ExtractOptions(raw_urls=True, players=False, profiles=Profiles())

    # Links in related-story teasers ("Read more: ...") carry position "related" and stay out of the
    # graph by default: they are not body citations, and are not scored as such.
    def full(html, url):
        return [c.target_url for c in extract_article(html, url, options=opts).citations
                if c.kind == "link" and c.position != "related"]

    def heuristics(html, url):
        return [c.target_url for c in extract_article(html, url, options=bare).citations
                if c.kind == "link" and c.position != "related"]

    pages = ev.load_corpus(Path(args.corpus))
    labels = ev.load_labels(Path(args.corpus) / "citations.jsonl")
    mb = sum(p["nbytes"] for p in pages) / 1e6
    ev._versions(["trafilatura", "readability-lxml", "lxml", "tldextract", "citegraph"])
    print(f"corpus: {args.corpus} ({len(pages)} pages, {mb:.2f} MB); reps: {args.reps}")
    cases = [
        ("citegraph extract_article (full)", full),
        ("citegraph, no shipped profiles", heuristics),
        ("citegraph cited_urls (links only)", lambda h, u: cited_urls(h, u, players=False)),
        ("plain lxml parse (no extraction)", lambda h, u: [] if ev.parse_lxml(h) is None else []),
        ("plain lxml.etree parse (citegraph's parser)", lambda h, u: [] if parse_html(h) is None else []),
        ("trafilatura (default)", ev.trafilatura_links),
        ("trafilatura favor_precision", ev.trafilatura_precision),
        ("readability-lxml summary()", ev.readability_links),
    ]
    # The reps are interleaved (every extractor once, then again): the machine's speed drifts, and
    # running one extractor's reps back to back would give it its own weather.
    best: dict = {}
    for _ in range(args.reps):
        for name, fn in cases:
            raw, dt = ev.run_callable(fn, pages, 1)
            if name not in best or dt < best[name][1]:
                best[name] = (raw, dt)
    results = {}
    for name, _fn in cases:
        raw, dt = best[name]
        res = ev.evaluate(raw, dt, pages, labels, name, gold_key="in_body_ctx")
        results[name] = res
        if name.startswith("citegraph extract_article"):
            preds = {p["id"]: ev.clean_pred(raw.get(p["id"]), p["url"]) for p in pages}
            _, per_page = ev.score(preds, labels, pages, "in_body_ctx")
            errors = {pid: d for pid, d in per_page.items() if d["fp"] or d["fn"]}
            out = ROOT / "output" / "bench_extract_errors.json"
            out.parent.mkdir(exist_ok=True)
            out.write_text(json.dumps(errors, indent=1, ensure_ascii=False))
    # CPU time, interleaved, best of the reps: on a shared machine the wall time of a whole run can drift
    # by 20% while the CPU time moves a few per cent (the evaluation tool reports both for that reason).
    cpu_cases = {"citegraph extract_article (full)": full, "plain lxml parse (no extraction)": ev.parse_lxml,
                 "trafilatura (default)": ev.trafilatura_links}
    cpu = dict.fromkeys(cpu_cases, float("inf"))
    for _ in range(args.reps):
        for name, fn in cpu_cases.items():
            t0 = time.process_time()
            for p in pages:
                fn(p["html"], p["url"]) if fn is not ev.parse_lxml else fn(p["html"])
            cpu[name] = min(cpu[name], time.process_time() - t0)
    traf = cpu["trafilatura (default)"]
    print(f"\nCPU time, best of {args.reps} interleaved reps (pages/s, x trafilatura):")
    for name, t in cpu.items():
        print(f"  {name:36s} {len(pages) / t:9.1f} {traf / t:8.2f}")
    print(f"  extract_article takes {cpu['citegraph extract_article (full)'] / cpu['plain lxml parse (no extraction)']:.2f}"
          " times the lxml parse")
    base = results["trafilatura (default)"]["pages_s"]
    def n_links(options):
        return sum(1 for p in pages for c in extract_article(p["html"], p["url"], options=options).citations
                   if c.kind == "link")
    players = n_links(ExtractOptions(raw_urls=True)) - n_links(opts)
    print(f"\nembedded players (iframes) found as embed citations, not scored: {players}")
    print("\nsummary (in_body_ctx; speed = best wall time of the reps, single process)")
    print(f"{'extractor':36s} {'P':>6s} {'R':>6s} {'F1':>6s} {'pages/s':>9s} {'x trafilatura':>14s}")
    for name, res in results.items():
        s = res["in_body_ctx"]
        print(f"{name:36s} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {res['pages_s']:9.1f} {res['pages_s'] / base:14.2f}")


if __name__ == "__main__":
    t0 = time.time()
    main()
    print(f"({time.time() - t0:.0f} s)")
