"""The sample web: deterministic, streaming, and its ground truth matches its pages."""
from __future__ import annotations

import inspect
import json
import re
import time

import pytest
from lxml import html as lxml_html
from warcio.archiveiterator import ArchiveIterator

from citegraph.models import CITATION_KINDS, OUTLET_KINDS
from citegraph.sample import (
    ExpectedCitation,
    SampleError,
    SamplePage,
    expected_edges,
    iter_pages,
    sample_outlets,
    write_html_dir,
    write_outlets_file,
    write_sample,
    write_warc,
)

# The real outlets the sample cites, with the names the shipped registry knows them by.
REAL_NAMES = {
    "reuters.com": "Reuters", "apnews.com": "Associated Press", "nytimes.com": "The New York Times",
    "theguardian.com": "The Guardian", "washingtonpost.com": "The Washington Post",
    "aljazeera.com": "Al Jazeera", "rt.com": "RT", "foxnews.com": "Fox News",
    "brookings.edu": "Brookings Institution", "bbc.co.uk": "BBC",
    "journal-neo.org": "New Eastern Outlook",
}
BODY = ("//div[contains(concat(' ', @class, ' '), ' article-body ')]"
        " | //div[@class='storybody'] | //div[@class='entry-content']")


@pytest.fixture(scope="module")
def pages() -> list[SamplePage]:
    return list(iter_pages(240))


def body_of(page: SamplePage):
    tree = lxml_html.fromstring(page.html)
    found = tree.xpath(BODY)
    assert len(found) == 1, page.url
    return tree, found[0]


def test_same_seed_same_pages_other_seed_other_pages():
    first = [p.html for p in iter_pages(30, seed=7)]
    assert first == [p.html for p in iter_pages(30, seed=7)]
    assert first != [p.html for p in iter_pages(30, seed=8)]


def test_same_seed_same_warc_bytes(tmp_path):
    # The file name is written into the warcinfo record, so the copies share it.
    for run, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_warc(iter_pages(20, seed=seed), tmp_path / run / "s.warc.gz")
    a = (tmp_path / "a" / "s.warc.gz").read_bytes()
    assert a == (tmp_path / "b" / "s.warc.gz").read_bytes()
    assert a != (tmp_path / "c" / "s.warc.gz").read_bytes()


def test_warc_reads_back_with_warcio(tmp_path):
    sample = list(iter_pages(12, seed=1))
    path = tmp_path / "s.warc.gz"
    assert write_warc(iter(sample), path) == 12
    with open(path, "rb") as fh:
        records = [(r.rec_type, r.rec_headers, r.http_headers,
                    r.content_stream().read()) for r in ArchiveIterator(fh)]
    assert len(records) == 1 + 2 * 12
    assert records[0][0] == "warcinfo"
    requests, responses = records[1::2], records[2::2]
    assert {r[0] for r in requests} == {"request"}
    assert {r[0] for r in responses} == {"response"}
    for page, (_, headers, http, payload) in zip(sample, responses):
        assert headers.get_header("WARC-Target-URI") == page.url
        assert headers.get_header("WARC-Date").startswith(page.published_at + "T")
        assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert http.get_statuscode() == "200"
        assert http.protocol == "HTTP/1.1"
        assert http.get_header("Content-Type") == "text/html; charset=utf-8"
        assert payload.decode("utf-8") == page.html
    for page, (_, headers, _, _) in zip(sample, requests):
        assert headers.get_header("WARC-Target-URI") == page.url


def test_write_html_dir_one_file_a_page(tmp_path):
    sample = list(iter_pages(25, seed=2))
    assert write_html_dir(iter(sample), tmp_path / "html") == 25
    files = sorted((tmp_path / "html").glob("*.html"))
    assert len(files) == 25
    texts = {f.read_text(encoding="utf-8") for f in files}
    assert texts == {p.html for p in sample}
    assert all(f.name.startswith(tuple(o.id for o in sample_outlets())) for f in files)


def hand_page(url, source, cites) -> SamplePage:
    return SamplePage(url, "<html></html>", source, "2024-01-01",
                      tuple(ExpectedCitation(url, source, t, k, u) for t, k, u in cites))


def test_expected_edges_match_a_hand_count():
    a1 = hand_page("https://a.example/1", "a.example", [
        ("b.example", "link", "https://b.example/x"), ("b.example", "mention", ""),
        ("a.example", "link", "/2"), ("c.example", "syndication", "")])
    a2 = hand_page("https://a.example/2", "a.example", [("b.example", "link", "https://b.example/y")])
    b1 = hand_page("https://b.example/1", "b.example", [("c.example", "mention", "")])
    sample = [a1, a2, b1, a1]  # a page seen twice counts once
    assert expected_edges(sample) == {
        ("a.example", "b.example"): {"weight": 2, "link": 2, "mention": 1, "syndication": 0},
        ("a.example", "c.example"): {"weight": 1, "link": 0, "mention": 0, "syndication": 1},
        ("b.example", "c.example"): {"weight": 1, "link": 0, "mention": 1, "syndication": 0},
    }
    assert expected_edges(sample, include_self=True)[("a.example", "a.example")] == {
        "weight": 1, "link": 1, "mention": 0, "syndication": 0}
    assert expected_edges(sample, kinds=["mention"]) == {
        ("a.example", "b.example"): {"weight": 1, "mention": 1},
        ("b.example", "c.example"): {"weight": 1, "mention": 1},
    }


def test_expected_edges_agree_with_pages(pages):
    edges = expected_edges(pages, include_self=True)
    for (source, target), counts in edges.items():
        citing = [p for p in pages
                  if any(c.source_outlet == source and c.target_outlet == target
                         for c in p.expected)]
        assert counts["weight"] == len(citing)
        for kind in CITATION_KINDS:
            assert counts[kind] == sum(
                any(c.target_outlet == target and c.kind == kind for c in p.expected)
                for p in citing)


def test_expected_edges_refuse_an_unknown_kind():
    with pytest.raises(SampleError) as err:
        expected_edges([], kinds=["links"])
    assert err.value.code == "bad-kind"


def test_every_page_parses_with_one_title_and_one_h1(pages):
    for page in pages:
        tree = lxml_html.fromstring(page.html)
        assert len(tree.xpath("//title")) == 1
        assert len(tree.xpath("//h1")) == 1
        assert tree.get("lang", "").startswith("en")
        h1 = tree.xpath("string(//h1)")
        assert tree.xpath("string(//meta[@property='og:title']/@content)") == h1
        assert tree.xpath("string(//title)").startswith(h1)
        ld = json.loads(tree.xpath("string(//script[@type='application/ld+json'])"))
        assert ld["@type"] == "NewsArticle" and ld["headline"] == h1
        assert ld["datePublished"].startswith(page.published_at)
        assert tree.xpath("string(//meta[@property='og:url']/@content)") == page.url
        assert tree.xpath("string(//meta[@name='author']/@content)")
        assert tree.xpath("string(//meta[@property='og:site_name']/@content)")


def test_three_templates_and_their_boilerplate(pages):
    markers = {"modern": '<div class="article-body">', "table": '<div class="storybody">',
               "wordpress": '<div class="entry-content">'}
    for name, marker in markers.items():
        assert any(marker in p.html for p in pages), name
    for page in pages:
        tree = lxml_html.fromstring(page.html)
        hrefs = tree.xpath("//a/@href")
        assert any(h.startswith("https://www.facebook.com/sharer/") for h in hrefs)
        assert any(h.startswith("https://twitter.com/intent/tweet") for h in hrefs)
        assert any(h.startswith("mailto:") for h in hrefs)
        assert any(h.startswith("https://ads.adnet.example/") for h in hrefs)
        assert tree.xpath("//*[@id='comments']")


def test_no_boilerplate_link_is_expected(pages):
    for page in pages:
        tree, body = body_of(page)
        body_hrefs = set(body.xpath(".//p//a/@href"))
        outside = set(tree.xpath("//a/@href")) - body_hrefs
        cited = {c.target_url for c in page.expected if c.target_url}
        assert not outside & cited, page.url
        links = {c.target_url for c in page.expected if c.kind == "link"}
        assert links <= body_hrefs


def test_expected_citations_are_what_the_body_says(pages):
    names = {o.id: o.name for o in sample_outlets()} | REAL_NAMES
    for page in pages:
        tree, body = body_of(page)
        text = body.text_content()
        canonical = tree.xpath("string(//link[@rel='canonical']/@href)")
        for c in page.expected:
            assert (c.article_url, c.source_outlet) == (page.url, page.outlet_id)
            assert c.kind in CITATION_KINDS and c.target_outlet in names
            if c.kind == "mention":
                assert c.target_url == "" and names[c.target_outlet] in text
                assert c.target_outlet != c.source_outlet
            if c.kind == "syndication":
                assert c.target_outlet != c.source_outlet
                assert c.target_url in ("", canonical)
                if c.target_url:
                    assert canonical != page.url
        kinds = [(c.target_outlet, c.kind) for c in page.expected]
        assert len(kinds) == len(set(kinds))
        if canonical != page.url:
            assert any(c.kind == "syndication" and c.target_url == canonical
                       for c in page.expected)


def test_sample_has_the_cases_extractors_must_handle(pages):
    cites = [c for p in pages for c in p.expected]
    urls = [c.target_url for c in cites]
    assert any(c.source_outlet == c.target_outlet for c in cites)
    assert any(u.startswith("/") for u in urls)
    assert any("utm_" in u for u in urls)
    assert any(u.startswith("https://web.archive.org/web/") for u in urls)
    assert any(".cdn.ampproject.org/c/" in u for u in urls)
    assert any(c.kind == "syndication" and c.target_url for c in cites)
    assert any(c.kind == "syndication" and not c.target_url for c in cites)
    texts = "".join(p.html for p in pages)
    for phrase in ("(AP) —", "(Civic Wire Service) —", "The original source of this article is",
                   "This article first appeared on", "Republished with permission from",
                   "according to Reuters", "titled \"", "told "):
        assert phrase.lower() in texts.lower(), phrase
    assert {"Ł", "ë", "東"} <= set(texts)
    assert "&amp;" in texts
    assert {c.target_outlet for c in cites} & set(REAL_NAMES) == set(REAL_NAMES)


def test_network_has_clusters():
    edges = expected_edges(iter_pages(1500))
    wire_republishers = {s for (s, t), e in edges.items()
                         if t == "civicwire.example" and e["syndication"]}
    assert len(wire_republishers) >= 4
    assert edges[("truthpatriotdaily.example", "meridian-tv.example")]["weight"] > \
        edges.get(("daily-bugle.example", "meridian-tv.example"), {"weight": 0})["weight"]
    assert edges[("eagle-eye-dispatch.example", "truthpatriotdaily.example")]["weight"] > 0
    assert edges[("openpolicy.example", "brookings.edu")]["weight"] > 0
    in_weight = {}
    for (_, t), e in edges.items():
        in_weight[t] = in_weight.get(t, 0) + e["weight"]
    ranked = sorted(in_weight.values(), reverse=True)
    # Skewed: a few outlets draw most citations, the tail very few.
    assert ranked[0] > 2 * ranked[len(ranked) // 2] and ranked[0] > 10 * ranked[-1]


def test_iter_pages_streams():
    start = time.perf_counter()
    gen = iter_pages(100_000)
    assert inspect.isgenerator(gen)
    first = [next(gen) for _ in range(10)]
    assert time.perf_counter() - start < 1.0
    assert len({p.url for p in first}) == 10
    gen.close()


def test_generation_is_fast():
    start = time.perf_counter()
    count = sum(1 for _ in iter_pages(2000, seed=5))
    # Benchmarks generate 100,000 pages; a slow machine still does 1,000 a second.
    assert count / (time.perf_counter() - start) > 1000


def test_outlets():
    outlets = sample_outlets(20, seed=1)
    assert len({o.id for o in outlets}) == 20
    assert all(o.id.endswith(".example") and o.kind in OUTLET_KINDS for o in outlets)
    kinds = {o.kind for o in sample_outlets()}
    assert {"news", "wire", "state_media", "think_tank"} <= kinds
    assert sample_outlets(20, seed=1) == outlets


def test_bad_counts_have_a_reason():
    with pytest.raises(SampleError) as err:
        next(iter_pages(-1))
    assert err.value.code == "bad-count"
    with pytest.raises(SampleError) as err:
        sample_outlets(0)
    assert err.value.code == "bad-count"


def test_write_outlets_file_schema(tmp_path):
    write_outlets_file(sample_outlets(3), tmp_path / "o.json")
    rows = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == ["daily-bugle.example", "civicwire.example",
                                       "truthpatriotdaily.example"]
    assert set(rows[0]) == {"id", "name", "kind", "country", "domains", "aliases",
                            "shorteners", "ambiguous"}
    assert rows[1]["kind"] == "wire" and rows[1]["domains"] == ["civicwire.example"]


def test_write_sample(tmp_path):
    files = write_sample(tmp_path / "s", n_pages=15, seed=9)
    sample = list(iter_pages(15, seed=9))
    assert len(list(files.html_dir.glob("*.html"))) == 15
    assert len(json.loads(files.outlets.read_text(encoding="utf-8"))) == 12
    rows = json.loads(files.expected.read_text(encoding="utf-8"))
    assert rows == [{"article_url": c.article_url, "source_outlet": c.source_outlet,
                     "target_outlet": c.target_outlet, "kind": c.kind,
                     "target_url": c.target_url} for p in sample for c in p.expected]
    write_warc(iter(sample), tmp_path / "again" / "sample.warc.gz")
    assert files.warc.read_bytes() == (tmp_path / "again" / "sample.warc.gz").read_bytes()


def test_body_names_no_outlet_it_does_not_cite(pages):
    # A name in the body is a mention or a syndication credit; anything else would make the
    # ground truth wrong for a mention extractor.
    names = {o.id: (o.name,) + o.aliases for o in sample_outlets()} | {
        oid: (name,) for oid, name in REAL_NAMES.items()}
    names["apnews.com"] += ("AP",)
    patterns = {oid: re.compile("|".join(rf"\b{re.escape(n)}\b" for n in ns))
                for oid, ns in names.items()}
    for page in pages:
        _, body = body_of(page)
        text = body.text_content()
        named = {oid for oid, pattern in patterns.items() if pattern.search(text)}
        credited = {c.target_outlet for c in page.expected if c.kind in ("mention", "syndication")}
        assert named <= credited, (page.url, named - credited)


@pytest.mark.parametrize("n_outlets", [1, 2, 40])
def test_any_outlet_count_works(n_outlets):
    sample = list(iter_pages(60, n_outlets=n_outlets))
    ids = {o.id for o in sample_outlets(n_outlets)}
    assert {p.outlet_id for p in sample} <= ids
    assert len({p.url for p in sample}) == 60
    for page in sample:
        for c in page.expected:
            assert c.target_outlet in ids | set(REAL_NAMES)
