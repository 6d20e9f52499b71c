"""Accuracy gate for citations by name (mentions and wire credits) on the labelled sentences.

tests/fixtures/mentions_labelled.tsv: sentence, the outlet ids it cites as a source, a note. A change
that lowers precision or recall below the floors fails; benchmarks/bench_mentions.py lists the errors.
"""
import csv
from html import escape
from pathlib import Path


from citegraph.outlets import default_registry
from citegraph.scrapers.extract import extract_article

TSV = Path(__file__).parent / "fixtures" / "mentions_labelled.tsv"
PRECISION_FLOOR, RECALL_FLOOR = 0.95, 0.85


def rows():
    with open(TSV, encoding="utf8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield row["sentence"], {i for i in row["expected"].split(",") if i}, row["note"]


def cited(sentence, registry):
    page = f"<html><body><article><p>{escape(sentence)}</p></article></body></html>"
    return {c.target_outlet for c in extract_article(page, "https://citing-page.example/story",
                                                     registry=registry).citations
            if c.kind in ("mention", "syndication")}


def test_set_is_large_and_balanced():
    data = list(rows())
    assert len(data) >= 200
    positives = sum(1 for _s, expected, _n in data if expected)
    assert 0.35 < positives / len(data) < 0.65
    known = {o.id for o in default_registry()}
    assert set().union(*(expected for _s, expected, _n in data)) <= known


def test_rows_are_well_formed():
    """Three tab-separated fields, no sentence twice, and each note names its category."""
    lines = TSV.read_text(encoding="utf8").splitlines()
    assert lines[0] == "sentence\texpected\tnote"
    sentences = [line.split("\t") for line in lines[1:] if line.strip()]
    assert all(len(fields) == 3 for fields in sentences)
    assert len({fields[0] for fields in sentences}) == len(sentences)
    assert all(":" in fields[2] for fields in sentences)


def test_precision_and_recall_floors():
    registry = default_registry()
    tp = fp = fn = 0
    for sentence, expected, _note in rows():
        got = cited(sentence, registry)
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR, f"P={precision:.3f} R={recall:.3f}"
