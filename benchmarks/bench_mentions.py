"""Mention detection accuracy on a labelled set of English news sentences.

Usage:

    python benchmarks/bench_mentions.py [--tsv tests/fixtures/mentions_labelled.tsv]

The TSV has the columns ``sentence``, ``expected`` (comma-separated registry outlet ids that the
sentence cites as a source, empty when none) and ``note`` (``category: detail``). Each sentence goes
through ``extract_article`` as the one paragraph of a page, with the default registry, and the outlets
it cites without a link (mentions, and wire credits, which the pipeline counts as syndication) are
compared with the labels. Prints micro precision, recall and F1 over (sentence, outlet id) pairs,
counts per note category, and every false positive and false negative. ``--min-confidence`` drops
citations below a confidence.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from html import escape

from citegraph.outlets import default_registry
from citegraph.scrapers.extract import extract_article

PAGE_URL = "https://citing-page.example/story"


def cited(sentence: str, registry, min_confidence: float) -> set[str]:
    """Outlets the sentence cites by name, read as the one paragraph of an article page."""
    page = f"<html><body><article><p>{escape(sentence)}</p></article></body></html>"
    article = extract_article(page, PAGE_URL, registry=registry)
    return {c.target_outlet for c in article.citations
            if c.kind in ("mention", "syndication") and c.confidence >= min_confidence}

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TSV = ROOT / "tests" / "fixtures" / "mentions_labelled.tsv"


def load(path: Path) -> list[tuple[str, frozenset[str], str]]:
    """The rows of the labelled TSV: (sentence, expected ids, note)."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header != ["sentence", "expected", "note"]:
            sys.exit(f"{path}: unexpected header {header}")
        for lineno, line in enumerate(handle, start=2):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                sys.exit(f"{path}:{lineno}: expected 3 tab-separated fields, got {len(parts)}")
            sentence, expected, note = parts
            ids = frozenset(i.strip() for i in expected.split(",") if i.strip())
            rows.append((sentence, ids, note.strip()))
    return rows


def category(note: str) -> str:
    return note.split(":", 1)[0].strip() or "(none)"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tsv", default=str(DEFAULT_TSV), help="labelled sentences (default: %(default)s)")
    ap.add_argument("--min-confidence", type=float, default=0.0, help="ignore mentions below this confidence")
    args = ap.parse_args(argv)

    rows = load(Path(args.tsv))
    registry = default_registry()
    known = {outlet.id for outlet in registry}
    unknown = sorted({i for _, ids, _ in rows for i in ids} - known)
    if unknown:
        sys.exit(f"expected ids not in the registry: {', '.join(unknown)}")

    tp = fp = fn = 0
    cats: dict[str, Counter] = defaultdict(Counter)
    errors_fp, errors_fn = [], []
    started = time.perf_counter()
    for sentence, expected, note in rows:
        got = cited(sentence, registry, args.min_confidence)
        s_tp, s_fp, s_fn = len(expected & got), len(got - expected), len(expected - got)
        tp, fp, fn = tp + s_tp, fp + s_fp, fn + s_fn
        c = cats[category(note)]
        c["sentences"] += 1
        c["positive" if expected else "negative"] += 1
        c["tp"] += s_tp
        c["fp"] += s_fp
        c["fn"] += s_fn
        c["exact"] += got == expected
        if s_fp:
            errors_fp.append((sentence, expected, got, note))
        if s_fn:
            errors_fn.append((sentence, expected, got, note))

    elapsed = time.perf_counter() - started
    n_pos = sum(1 for _, ids, _ in rows if ids)
    p, r, f = prf(tp, fp, fn)
    exact = sum(c["exact"] for c in cats.values())
    print(f"sentences: {len(rows)}  positive: {n_pos}  negative: {len(rows) - n_pos}  "
          f"expected pairs: {tp + fn}")
    print(f"micro over (sentence, outlet) pairs: P={p:.3f}  R={r:.3f}  F1={f:.3f}  (tp={tp} fp={fp} fn={fn})")
    print(f"sentences fully right: {exact}/{len(rows)}")
    print(f"time: {elapsed / len(rows) * 1e3:.2f} ms per sentence (one-paragraph page, full extract_article)")

    print("\nper category:")
    print(f"  {'category':<22}{'sent':>5}{'pos':>5}{'neg':>5}{'tp':>5}{'fp':>5}{'fn':>5}{'exact':>7}")
    for name in sorted(cats):
        c = cats[name]
        print(f"  {name:<22}{c['sentences']:>5}{c['positive']:>5}{c['negative']:>5}"
              f"{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}{c['exact']:>7}")

    def show(title, errors):
        print(f"\n{title} ({len(errors)} sentences):")
        for sentence, expected, got, note in errors:
            print(f"  - {sentence}")
            print(f"      expected: {','.join(sorted(expected)) or '-'}  got: {','.join(sorted(got)) or '-'}  [{note}]")

    show("false positives", errors_fp)
    show("false negatives", errors_fn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
