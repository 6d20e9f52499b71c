"""The sample web over HTTP: what each outlet serves, byte for byte, through a proxy or by Host."""
from __future__ import annotations

import gzip
import hashlib
import http.client
import re
import socket
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from protego import Protego

from citegraph.sample import (
    SampleError,
    expected_edges,
    iter_pages,
    sample_outlets,
    write_html_dir,
    write_outlets_file,
)
from citegraph.sample_web import SampleWeb, _accepts_gzip, _request_target

N_PAGES, N_OUTLETS, SEED = 150, 6, 2
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def web():
    with SampleWeb(N_PAGES, N_OUTLETS, SEED) as served:
        yield served


@pytest.fixture(scope="module")
def client(web):
    with httpx.Client(proxy=web.proxy_url, timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def by_outlet(web):
    """Outlet id -> its pages, newest first (the order listings, feeds and sitemaps use)."""
    out: dict[str, list] = {}
    for url in web.pages:
        page = web.pages[url]
        out.setdefault(page.outlet_id, []).append(page)
    for pages in out.values():
        pages.sort(key=lambda p: (_published(p), p.url), reverse=True)
    return out


def _published(page) -> datetime:
    found = re.search(r'article:published_time" content="([^"]+)"', page.html)
    return datetime.fromisoformat(found.group(1))


def _title(page) -> str:
    return lxml_html.fromstring(page.html).xpath("string(//meta[@property='og:title']/@content)")


def _xml(response: httpx.Response):
    assert response.status_code == 200, response.url
    assert response.headers["content-type"].startswith(("application/xml", "application/rss+xml"))
    return etree.fromstring(response.content)


def _hrefs(response: httpx.Response) -> list[str]:
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    return lxml_html.fromstring(response.content).xpath("//a/@href")


# --------------------------------------------------------------------------------------------------
# What the server knows


def test_hosts_seeds_outlets(web, by_outlet):
    assert web.outlets == sample_outlets(N_OUTLETS, SEED)
    assert set(web.seeds) == set(by_outlet) and len(web.seeds) == len(set(web.seeds))
    assert all(not s.startswith("www.") for s in web.seeds)
    assert set(web.hosts) == {h for o in web.outlets for h in (o.id, f"www.{o.id}")}
    assert web.proxy_url == f"http://127.0.0.1:{urlsplit(web.proxy_url).port}"


def test_pages_are_the_generated_ones(web):
    generated = list(iter_pages(N_PAGES, N_OUTLETS, SEED, scheme="http"))
    assert list(web.pages) == [p.url for p in generated]
    assert [web.pages[p.url] for p in generated] == generated
    assert "http://nowhere.example/" not in web.pages


# --------------------------------------------------------------------------------------------------
# robots.txt, sitemaps, feed


def test_robots_txt(web, client, by_outlet):
    for host in web.hosts:
        response = client.get(f"http://{host}/robots.txt")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
        lines = response.text.splitlines()
        assert lines[:3] == ["User-agent: *", "Disallow: /search", "Disallow: /private/"]
        assert f"Sitemap: http://{host}/sitemap.xml" in lines
        robots = Protego.parse(response.text)
        assert not robots.can_fetch(f"http://{host}/search?q=news", "citegraph")
        assert not robots.can_fetch(f"http://{host}/private/x", "citegraph")
        assert robots.can_fetch(f"http://{host}/about/", "citegraph")
        assert list(robots.sitemaps) == [f"http://{host}/sitemap.xml"]


def _sitemap_urls(client, host: str) -> tuple[list[str], list[str]]:
    index = _xml(client.get(f"http://{host}/sitemap.xml"))
    assert index.tag == f"{SM}sitemapindex"
    children = index.findall(f"{SM}sitemap")
    locs = [c.findtext(f"{SM}loc") for c in children]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.findtext(f"{SM}lastmod")) for c in children)
    articles = []
    for loc in locs:
        if "/sitemaps/articles-" in loc:
            urlset = _xml(client.get(loc))
            assert urlset.tag == f"{SM}urlset"
            for url in urlset.findall(f"{SM}url"):
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", url.findtext(f"{SM}lastmod"))
                articles.append(url.findtext(f"{SM}loc"))
    return locs, articles


def test_sitemaps_list_exactly_the_outlets_articles(web, client, by_outlet):
    for outlet_id, pages in by_outlet.items():
        for host in (outlet_id, f"www.{outlet_id}"):
            locs, articles = _sitemap_urls(client, host)
            assert locs == [f"http://{host}/sitemaps/articles-1.xml", f"http://{host}/news-sitemap.xml"]
            assert sorted(articles) == sorted(p.url for p in pages)


def test_big_outlets_get_several_article_sitemaps():
    with SampleWeb(2100, 2, 0, even=True) as big, httpx.Client(proxy=big.proxy_url) as client:
        host = big.seeds[0]
        locs, articles = _sitemap_urls(client, host)
        assert locs[:-1] == [f"http://{host}/sitemaps/articles-1.xml", f"http://{host}/sitemaps/articles-2.xml"]
        assert len(articles) == len(set(articles)) == 1050
        assert {big.pages[u].outlet_id for u in articles} == {host}
        sizes = [len(_xml(client.get(loc)).findall(f"{SM}url")) for loc in locs[:-1]]
        assert sizes == [1000, 50]


def test_news_sitemap_has_the_20_newest(web, client, by_outlet):
    for outlet_id, pages in by_outlet.items():
        root = _xml(client.get(f"http://{outlet_id}/news-sitemap.xml"))
        urls = root.findall(f"{SM}url")
        assert [u.findtext(f"{SM}loc") for u in urls] == [p.url for p in pages[:20]]
        name = next(o.name for o in web.outlets if o.id == outlet_id)
        for url, page in zip(urls, pages):
            news = url.find(f"{NEWS}news")
            assert news.findtext(f"{NEWS}publication/{NEWS}name") == name
            assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
            assert datetime.fromisoformat(news.findtext(f"{NEWS}publication_date")) == _published(page)
            assert news.findtext(f"{NEWS}title") == _title(page)


def test_feed_is_rss_of_the_20_newest(client, by_outlet):
    for outlet_id, pages in by_outlet.items():
        root = _xml(client.get(f"http://www.{outlet_id}/feed.xml"))
        assert root.tag == "rss" and root.get("version") == "2.0"
        items = root.findall("channel/item")
        assert [i.findtext("link") for i in items] == [p.url for p in pages[:20]]
        for item, page in zip(items, pages):
            assert item.findtext("guid") == page.url and item.findtext("title") == _title(page)
            assert parsedate_to_datetime(item.findtext("pubDate")) == _published(page)


# --------------------------------------------------------------------------------------------------
# HTML pages that are not articles


def test_home_page(client, by_outlet):
    for outlet_id, pages in by_outlet.items():
        response = client.get(f"http://{outlet_id}/")
        tree = lxml_html.fromstring(response.content)
        assert tree.xpath("//link[@rel='alternate'][@type='application/rss+xml']/@href") == ["/feed.xml"]
        hrefs = _hrefs(response)
        articles = [h for h in hrefs if h in {p.url for p in pages}]
        assert articles == [p.url for p in pages[:30]]
        for nav in ("/section/world/", "/tag/elections/", "/author/jane-doe/", "/search?q=news",
                    "/page/2/", "/about/"):
            assert nav in hrefs
        offsite = [h for h in hrefs if h.startswith("http") and h not in articles]
        assert offsite and all(".example" not in urlsplit(h).hostname for h in offsite)


def test_listing_pages_link_only_to_the_outlets_articles(client, by_outlet):
    for outlet_id, pages in by_outlet.items():
        urls = {p.url for p in pages}
        for path in ("/section/world/", "/tag/elections/", "/author/jane-doe/", "/page/1/", "/about/"):
            hrefs = _hrefs(client.get(f"http://{outlet_id}{path}"))
            assert {h for h in hrefs if h.startswith("http")} <= urls, path
        second = _hrefs(client.get(f"http://{outlet_id}/page/2/"))
        assert [h for h in second if h in urls] == [p.url for p in pages[30:60]]


def test_pages_robots_forbids_exist(web, client):
    host = web.seeds[0]
    assert client.get(f"http://{host}/search?q=news").status_code == 200
    assert client.get(f"http://{host}/private/drafts").status_code == 200


# --------------------------------------------------------------------------------------------------
# Articles


def test_every_page_served_byte_identical(web, client):
    for url in web.pages:
        page = web.pages[url]
        response = client.get(url, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "content-encoding" not in response.headers
        assert response.content == page.html.encode("utf-8"), url
        assert int(response.headers["content-length"]) == len(response.content)
        assert parsedate_to_datetime(response.headers["last-modified"]).date().isoformat() == page.published_at


def test_gzip_when_asked(web):
    url = next(iter(web.pages))
    with httpx.Client(proxy=web.proxy_url) as client, \
            client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) == len(raw)
    assert gzip.decompress(raw) == web.pages[url].html.encode("utf-8")


def test_www_and_bare_host_serve_the_same_article(web, client):
    url = next(iter(web.pages))
    parts = urlsplit(url)
    other = parts.hostname[4:] if parts.hostname.startswith("www.") else f"www.{parts.hostname}"
    response = client.get(f"http://{other}{parts.path}")
    assert response.status_code == 200 and response.text == web.pages[url].html


def test_plain_request_routed_by_host_header(web):
    url = next(iter(web.pages))
    parts = urlsplit(url)
    response = httpx.get(f"{web.proxy_url}{parts.path}", headers={"Host": parts.hostname})
    assert response.status_code == 200 and response.text == web.pages[url].html
    robots = httpx.get(f"{web.proxy_url}/robots.txt", headers={"Host": f"{web.seeds[0]}:80"})
    assert f"Sitemap: http://{web.seeds[0]}/sitemap.xml" in robots.text


def test_head_gives_the_headers_without_a_body(web, client):
    url = next(iter(web.pages))
    head = client.head(url, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(web.pages[url].html.encode("utf-8"))
    assert client.head(f"http://{web.seeds[0]}/nope").status_code == 404


# --------------------------------------------------------------------------------------------------
# Errors


def test_unknown_path_is_404(web, client):
    response = client.get(f"http://{web.seeds[0]}/no/such/page.html")
    assert response.status_code == 404 and "<h1>Not found</h1>" in response.text


def test_hosts_not_served_are_502_and_never_fetched(client):
    for url in ("http://www.reuters.com/world/", "http://unknown.example/", "http://127.0.0.1/"):
        response = client.get(url)
        assert response.status_code == 502
        assert "not served by the sample web" in response.text


def test_connect_is_405(web):
    conn = http.client.HTTPConnection("127.0.0.1", urlsplit(web.proxy_url).port, timeout=5)
    conn.request("CONNECT", f"{web.seeds[0]}:443")
    response = conn.getresponse()
    assert response.status == 405 and response.getheader("Allow") == "GET, HEAD"
    response.read()
    conn.close()
    with httpx.Client(proxy=web.proxy_url) as client, pytest.raises(httpx.ProxyError):
        client.get(f"https://{web.seeds[0]}/")


def test_requests_are_counted(web, client):
    host = web.seeds[-1]
    before = web.requests[(host, "/about/")]
    for _ in range(3):
        client.get(f"http://{host}/about/?x=1")
    assert web.requests[(host, "/about/")] == before + 3


def test_clients_that_hang_up_break_nothing_and_log_nothing(web, client, capfd):
    port = urlsplit(web.proxy_url).port
    url = next(iter(web.pages))
    with socket.create_connection(("127.0.0.1", port)) as half:
        half.sendall(b"GET http://civicwire.exa")  # the client leaves mid request line
    with socket.create_connection(("127.0.0.1", port)) as rude:
        rude.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        rude.sendall(f"GET {url} HTTP/1.1\r\nHost: x\r\n\r\n".encode())  # and this one resets
    time.sleep(0.2)
    assert client.get(url).status_code == 200
    assert capfd.readouterr().err == ""


# --------------------------------------------------------------------------------------------------
# Latency and concurrency


def test_latency_is_applied():
    with SampleWeb(3, 2, latency=0.2) as slow:
        start = time.perf_counter()
        response = httpx.get(f"http://{slow.seeds[0]}/robots.txt", proxy=slow.proxy_url)
        assert response.status_code == 200
        assert time.perf_counter() - start >= 0.2


def test_latency_does_not_serialise_responses():
    # One client made beforehand, so the time measured is the server's, not the clients' set-up.
    with SampleWeb(40, 4, latency=0.2) as slow, \
            httpx.Client(proxy=slow.proxy_url, limits=httpx.Limits(max_connections=20)) as client, \
            ThreadPoolExecutor(20) as pool:
        urls = list(slow.pages)[:20]
        start = time.perf_counter()
        statuses = list(pool.map(lambda url: client.get(url).status_code, urls))
        elapsed = time.perf_counter() - start
    assert statuses == [200] * 20
    assert elapsed < 20 * 0.2 / 2  # serial would take 4 s


def test_stop_closes_keep_alive_connections():
    web = SampleWeb(3, 2).start()
    client = httpx.Client(proxy=web.proxy_url)
    assert client.get(f"http://{web.seeds[0]}/").status_code == 200  # the connection stays open
    start = time.perf_counter()
    web.stop()
    assert time.perf_counter() - start < 2
    with pytest.raises(httpx.TransportError):
        client.get(f"http://{web.seeds[0]}/", timeout=2)
    client.close()
    web.stop()  # twice is harmless


# --------------------------------------------------------------------------------------------------
# Bad arguments


@pytest.mark.parametrize("kwargs, code", [
    ({"latency": -1}, "bad-latency"), ({"latency": float("nan")}, "bad-latency"),
    ({"port": 70000}, "bad-port"), ({"host": ""}, "bad-host"), ({"n_pages": -1}, "bad-count"),
])
def test_bad_arguments_have_a_reason(kwargs, code):
    with pytest.raises(SampleError) as error:
        SampleWeb(**{"n_pages": 2, **kwargs})
    assert error.value.code == code


def test_busy_port_and_not_started_have_a_reason(web):
    with pytest.raises(SampleError) as error:
        SampleWeb(2, port=urlsplit(web.proxy_url).port).start()
    assert error.value.code == "bind"
    with pytest.raises(SampleError) as error:
        SampleWeb(2).proxy_url
    assert error.value.code == "not-started"


@given(st.text(), st.text())
def test_request_targets_never_raise(target, host):
    got_host, path, _query = _request_target(target, host)
    assert isinstance(got_host, str) and path


@given(st.text())
def test_accept_encoding_never_raises(header):
    assert _accepts_gzip(header) in (True, False)


@pytest.mark.parametrize("header, expected", [
    ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True), ("gzip;q=0", False),
    ("identity", False), ("", False), ("*", True),
])
def test_accept_encoding(header, expected):
    assert _accepts_gzip(header) is expected


# --------------------------------------------------------------------------------------------------
# iter_pages options the server relies on

FICTIONAL_URL = re.compile(r'(?:href|src|content)="(https?://[^"/]*\.example[/"][^"]*)')


def test_defaults_give_the_same_pages_as_before():
    # Digests of the pages as generated before iter_pages had options.
    for args, digest in (((40, 12, 0), "56334cde7eb2789b2850c0754323291ce24bf3d0aab70cd25f4d885af52adb1c"),
                         ((60, 20, 4), "ebb6c48efa102ec0c36addb94af3c4c6d9e92af9a25fbf67d579e6d8da05735f")):
        h = hashlib.sha256()
        for p in iter_pages(*args, scheme=None, even=False):
            h.update(p.url.encode() + b"\n" + p.html.encode() + b"\n")
        assert h.hexdigest() == digest


def test_scheme_http_puts_every_fictional_url_on_http():
    pages = list(iter_pages(200, 12, 1, scheme="http"))
    default = list(iter_pages(200, 12, 1))
    assert any(u.startswith("https://") for p in default for u in FICTIONAL_URL.findall(p.html))
    real = Counter()
    for page in pages:
        assert page.url.startswith("http://")
        found = FICTIONAL_URL.findall(page.html)
        assert found and all(u.startswith("http://") for u in found), page.url
        tree = lxml_html.fromstring(page.html)
        assert tree.xpath("string(//meta[@property='og:url']/@content)") == page.url
        for href in tree.xpath("//a/@href"):
            host = urlsplit(href).hostname or ""
            if host.endswith(("reuters.com", "apnews.com", "bbc.co.uk")) and "archive" not in host:
                real[href.split(":", 1)[0]] += 1
    assert real["https"] > 50 and real["http"] == 0  # real outlets keep https
    # The same pages apart from the scheme: same outlets, dates and citation targets.
    assert [(p.outlet_id, p.published_at) for p in pages] == [(p.outlet_id, p.published_at) for p in default]
    assert [[(c.target_outlet, c.kind) for c in p.expected] for p in pages] == \
        [[(c.target_outlet, c.kind) for c in p.expected] for p in default]


def test_scheme_http_ground_truth_matches_the_pages():
    for page in iter_pages(200, 12, 1, scheme="http", even=True):
        tree = lxml_html.fromstring(page.html)
        hrefs = set(tree.xpath("//a/@href"))
        canonical = tree.xpath("string(//link[@rel='canonical']/@href)")
        for c in page.expected:
            assert c.article_url == page.url
            if c.kind == "link":
                assert c.target_url in hrefs
                assert not re.match(r"https://[^/]*\.example/", c.target_url)
            if c.kind == "syndication" and c.target_url:
                assert c.target_url == canonical


def test_even_spreads_pages_over_the_outlets():
    for n_pages, n_outlets in ((23, 5), (120, 12), (7, 12)):
        counts = Counter(p.outlet_id for p in iter_pages(n_pages, n_outlets, 3, even=True))
        ids = [o.id for o in sample_outlets(n_outlets, 3)]
        sizes = [counts[i] for i in ids]
        assert sum(sizes) == n_pages and max(sizes) - min(sizes) <= 1
    uneven = Counter(p.outlet_id for p in iter_pages(120, 12, 3))
    assert max(uneven.values()) - min(uneven.values()) > 1


def test_bad_scheme_has_a_reason():
    with pytest.raises(SampleError) as error:
        next(iter_pages(2, scheme="ftp"))
    assert error.value.code == "bad-scheme"


def test_pipeline_finds_the_ground_truth_of_http_even_pages(tmp_path):
    # Imported here: the pipeline is the heaviest import and only this test needs it.
    from citegraph.config import load_settings
    from citegraph.pipeline import graph_from_store, run
    from citegraph.store import Store

    pages = list(iter_pages(120, 12, 5, scheme="http", even=True))
    write_html_dir(pages, tmp_path / "html")
    write_outlets_file(sample_outlets(12, 5), tmp_path / "outlets.json")
    settings = load_settings({"output_dir": str(tmp_path / "out"), "outlets_files": (str(tmp_path / "outlets.json"),),
                              "progress": False}, config_file=tmp_path / "none.toml", environ={})
    outputs = run([str(tmp_path / "html")], settings)
    assert outputs.ingest.articles == len(pages)
    with Store(settings.db_path()) as store:
        graph = graph_from_store(store, settings)
    keys = ("weight", "link", "mention", "syndication")
    got = {(u, v): {k: d[k] for k in keys} for u, v, d in graph.edges(data=True)}
    assert got == {e: {k: c.get(k, 0) for k in keys} for e, c in expected_edges(pages).items()}
