"""Body-link accuracy on the aeb-dev corpus of real pages, when it is beside the project (../shared).

The corpus is never part of the project; without it this test is skipped. The floor is pinned: a change
that lowers accuracy below it fails.
"""
import importlib.util
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
TOOL = SHARED / "tools" / "eval_citations.py"
CORPUS = SHARED / "corpus" / "aeb-dev"
F1_FLOOR = PRECISION_FLOOR = 0.95


@pytest.fixture(scope="module")
def ev():
    if not (TOOL.exists() and (CORPUS / "citations.jsonl").exists()):
        pytest.skip("the aeb-dev corpus is not beside the project (../shared/corpus/aeb-dev)")
    spec = importlib.util.spec_from_file_location("eval_citations", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_body_links_f1_and_precision_floors(ev):
    from citegraph.scrapers.extract import ExtractOptions, extract_article

    # The labels are raw hrefs of <a> elements: compare like with like (no iframe players).
    opts = ExtractOptions(raw_urls=True, players=False)

    pages = ev.load_corpus(CORPUS)
    labels = ev.load_labels(CORPUS / "citations.jsonl")
    preds = {}
    for p in pages:
        links = [c.target_url for c in extract_article(p["html"], p["url"], options=opts).citations
                 if c.kind == "link" and c.position != "related"]
        preds[p["id"]] = ev.clean_pred(links, p["url"])
    s, _ = ev.score(preds, labels, pages, "in_body_ctx")
    assert s["F1"] >= F1_FLOOR and s["P"] >= PRECISION_FLOOR, f"in_body_ctx P={s['P']:.3f} R={s['R']:.3f} F1={s['F1']:.3f}"
