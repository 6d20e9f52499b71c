"""The fetcher against a hostile server on 127.0.0.1: every fault ends as a reason code, never a crash."""
from __future__ import annotations

import asyncio
import gzip
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from faultweb import FaultWeb, serving  # noqa: E402

from citegraph.scrapers.archive import WarcArchive  # noqa: E402
from citegraph.scrapers.fetch import Fetcher, FetchPolicy, USER_AGENT, run_sync  # noqa: E402
from citegraph.scrapers.sources import RawPage, iter_inputs  # noqa: E402

FAST = FetchPolicy(delay=0.0, retries=2, backoff=0.05, connect_timeout=2.0, read_timeout=1.0, total_timeout=3.0,
                   max_bytes=5_000_000, trust_env=False)


def fetch_all(urls, policy=FAST, archive=None, html=True):
    async def go():
        async with Fetcher(policy, archive=archive) as f:
            return [await f.fetch(u, html=html) for u in urls]
    return run_sync(go())


def fetch_one(url, policy=FAST, **kw):
    return fetch_all([url], policy, **kw)[0]


@pytest.fixture
def web():
    with FaultWeb() as w:
        yield w


def test_a_page_arrives_with_its_status_and_our_user_agent(web):
    page = fetch_one(web.url("/ok/first"))
    assert page.ok and page.status == 200 and b"/ok/first" in page.body
    echo = fetch_one(web.url("/echo"), html=False)
    sent = json.loads(echo.body)["headers"]
    assert sent["user-agent"] == USER_AGENT and "citegraph" in USER_AGENT


@pytest.mark.parametrize("route,code", [
    ("/hang", "timeout"), ("/hang-body", "timeout"), ("/drip", "timeout"),
    ("/drop", "connection-dropped"), ("/drop-chunked", "connection-dropped"),
    ("/huge", "too-large"), ("/huge-chunked", "too-large"), ("/gzip-bomb", "too-large"),
    ("/binary-as-html", "not-html"), ("/pdf-as-html", "not-html"), ("/text", "not-html"), ("/json", "not-html"),
    ("/status/404", "http-404"), ("/status/500", "http-500"), ("/status/410", "http-410"),
    ("/loop/a", "redirect-loop"), ("/self", "redirect-loop"), ("/redirect-no-location", "bad-redirect"),
])
def test_each_fault_ends_with_its_reason_code(web, route, code):
    policy = FetchPolicy(**{**_fields(FAST), "retries": 0})
    got = fetch_one(web.url(route), policy)
    assert got.error == code, (got.error, got.detail)
    assert route in got.detail
    assert not got.body


def _fields(policy):
    return {k: getattr(policy, k) for k in policy.__slots__}


def test_the_bomb_and_the_endless_bodies_are_stopped_at_max_bytes(web):
    bomb = fetch_one(web.url("/gzip-bomb"))
    assert "inflates" in bomb.detail
    huge = fetch_one(web.url("/huge"))
    assert "declares 200,000,000 bytes" in huge.detail  # refused on its Content-Length, unread
    assert "larger than max_bytes" in fetch_one(web.url("/huge-chunked")).detail


def test_an_html_page_without_a_content_type_is_sniffed(web):
    assert fetch_one(web.url("/no-type")).ok


def test_5xx_is_retried_with_backoff_until_it_works(web):
    got = fetch_one(web.url("/flaky/2"))
    assert got.ok
    assert web.hits[(web.netloc, "/flaky/2")] == 3


def test_retries_run_out(web):
    policy = FetchPolicy(**{**_fields(FAST), "retries": 1})
    got = fetch_one(web.url("/status/503"), policy)
    assert got.error == "http-503"
    assert web.hits[(web.netloc, "/status/503")] == 2
    assert fetch_one(web.url("/status/404")).error == "http-404"
    assert web.hits[(web.netloc, "/status/404")] == 1  # a 404 is final: no retry


def test_retry_after_is_honoured(web):
    got = fetch_one(web.url("/429/1"))
    assert got.ok
    times = [t for t, host, method, path, headers in web.log if path == "/429/1"]
    assert len(times) == 2 and times[1] - times[0] >= 0.95  # the server asked for one second


def test_a_retry_after_beyond_the_limit_gives_up_at_once(web):
    got = fetch_one(web.url("/retry-after/3600"))
    assert got.error == "http-503" and "3600" in got.detail
    assert web.hits[(web.netloc, "/retry-after/3600")] == 1


def test_redirects_are_followed_and_recorded(web):
    got = fetch_one(web.url("/redirect/3"))
    assert got.ok and got.final_url.endswith("/ok")
    assert len(got.redirects) == 3 and all(status == 302 for _u, status in got.redirects)
    assert fetch_one(web.url("/redirect-relative")).ok
    policy = FetchPolicy(**{**_fields(FAST), "max_redirects": 2})
    assert fetch_one(web.url("/redirect/5"), policy).error == "too-many-redirects"


def test_a_redirect_to_another_host_checks_that_hosts_robots(web):
    policy = FetchPolicy(**{**_fields(FAST), "proxy": web.proxy_url})
    got = fetch_one("http://a.test/to?url=http%3A%2F%2Fb.test%2Fok%2Fmoved", policy)
    assert got.ok and got.final_url == "http://b.test/ok/moved"
    assert web.hits[("b.test", "/robots.txt")] == 1 and web.hits[("a.test", "/robots.txt")] == 1


def test_robots_txt_is_obeyed_for_our_token():
    robots = b"User-agent: citegraph\nDisallow: /ok/private\n\nUser-agent: *\nDisallow: /ok/other\n"
    with FaultWeb(robots=robots) as web:
        private, public, other = fetch_all([web.url("/ok/private/1"), web.url("/ok/public"), web.url("/ok/other")])
        assert private.error == "robots-denied" and "robots.txt" in private.detail
        assert public.ok and other.ok  # the group for citegraph replaces the * group
        assert web.hits[(web.netloc, "/ok/private/1")] == 0
        assert web.hits[(web.netloc, "/robots.txt")] == 1  # read once per host


def test_robots_off_fetches_what_robots_forbids():
    with FaultWeb(robots=b"User-agent: *\nDisallow: /\n") as web:
        assert fetch_one(web.url("/ok")).error == "robots-denied"
        assert fetch_one(web.url("/ok"), FetchPolicy(**{**_fields(FAST), "robots": False})).ok


@pytest.mark.parametrize("robots,code", [
    (500, "robots-unavailable"),  # RFC 9309: a server error means the site is off limits for now
    ("hang", "timeout"),
    (404, ""), (403, ""),  # no robots.txt: no rules
    (b"\x89PNG\r\n\x1a\n\x00\x00junk", ""), (b"<html><body>Not robots</body></html>", ""),
    (b"User-agent: *\nDisallow /broken line\nCrawl-delay: nonsense\n", ""),
])
def test_unreadable_robots_txt(robots, code):
    policy = FetchPolicy(**{**_fields(FAST), "retries": 0})
    with FaultWeb(robots=robots) as web:
        got = fetch_one(web.url("/ok"), policy)
        assert got.error == code, got.detail
        if code:
            assert "robots.txt" in got.detail and web.hits[(web.netloc, "/ok")] == 0


def test_crawl_delay_and_the_per_host_delay_space_out_requests():
    with FaultWeb(robots=b"User-agent: *\nCrawl-delay: 0.3\n") as web:
        fetch_all([web.url(f"/ok/{i}") for i in range(3)])
        times = [t for t, host, method, path, headers in web.log if path.startswith("/ok/")]
        assert len(times) == 3 and all(b - a >= 0.28 for a, b in zip(times, times[1:]))


def test_hosts_are_fetched_side_by_side_but_each_one_politely():
    with FaultWeb() as web:
        policy = FetchPolicy(**{**_fields(FAST), "delay": 0.4, "proxy": web.proxy_url})

        async def go():
            async with Fetcher(policy) as f:
                urls = [f"http://{h}.test/ok/{i}" for i in range(3) for h in "abc"]
                return await asyncio.gather(*(f.fetch(u) for u in urls))
        assert all(p.ok for p in run_sync(go()))
        pages = [(t, host) for t, host, method, path, headers in web.log if path.startswith("/ok/")]
        for host in ("a.test", "b.test", "c.test"):
            times = [t for t, h in pages if h == host]
            assert len(times) == 3 and all(b - a >= 0.38 for a, b in zip(times, times[1:]))
        firsts = sorted(min(t for t, h in pages if h == host) for host in ("a.test", "b.test", "c.test"))
        assert firsts[-1] - firsts[0] < 0.3  # the three hosts did not wait for each other


def test_the_delay_counts_from_when_a_request_really_starts():
    # One global slot, held 0.5 s by b.test: a.test's first request waits for it, and its second must still
    # come a whole delay after the first one really started, not after the first was let through its host.
    with FaultWeb() as web:
        policy = FetchPolicy(**{**_fields(FAST), "delay": 0.6, "concurrency": 1, "proxy": web.proxy_url})

        async def go():
            async with Fetcher(policy) as f:
                slow = asyncio.create_task(f.fetch("http://b.test/slow/0.5"))
                await asyncio.sleep(0.05)
                return await asyncio.gather(slow, f.fetch("http://a.test/ok/1"), f.fetch("http://a.test/ok/2"))
        assert all(p.ok for p in run_sync(go()))
        times = [t for t, host, method, path, headers in web.log if host == "a.test" and path.startswith("/ok/")]
        assert len(times) == 2 and times[1] - times[0] >= 0.58


def test_network_failures_have_their_codes(web):
    policy = FetchPolicy(**{**_fields(FAST), "retries": 0, "robots": False})
    dns, tls, refused = fetch_all(["http://nonexistent.invalid/ok", f"https://127.0.0.1:{web.port}/ok",
                                   "http://127.0.0.1:9/ok"], policy)
    assert (dns.error, tls.error, refused.error) == ("dns", "tls", "connect")
    assert "nonexistent.invalid" in dns.detail


@pytest.mark.parametrize("url", ["ftp://example.org/x", "http://", "http:///path", "http://exa mple.org/",
                                 "http://example.org:99999/", "javascript:alert(1)", ""])
def test_urls_that_cannot_be_fetched(url):
    assert fetch_one(url).error == "bad-url"


def test_every_exchange_is_archived_and_the_archive_reads_back(web, tmp_path):
    archive = WarcArchive(tmp_path / "warc")
    got = fetch_all([web.url("/ok/a"), web.url("/redirect/1"), web.url("/status/404"), web.url("/huge"),
                     web.url("/gzip-bomb")], archive=archive)
    archive.close()
    assert [g.error for g in got] == ["", "", "http-404", "too-large", "too-large"]
    assert all(g.warc_file and g.warc_offset is not None for g in got)
    outcomes = list(iter_inputs([str(p) for p in archive.files]))
    pages = [o for o in outcomes if isinstance(o, RawPage)]
    assert sorted(p.url.rsplit("/", 2)[-2:][-1] for p in pages) == ["a", "ok"]  # /ok/a and the redirect's target
    assert any(p.data == got[0].body for p in pages)
    failures = {o.url.rsplit("/", 1)[-1]: o.error for o in outcomes if not isinstance(o, RawPage)}
    assert failures["1"] == "redirect" and failures["404"] == "http-404"
    assert failures["huge"] == failures["gzip-bomb"] == "truncated"  # WARC-Truncated: only part is archived


def test_archive_records_are_standard_warc(web, tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    archive = WarcArchive(tmp_path)
    page = fetch_one(web.url("/ok/x"), archive=archive)
    archive.close()
    with open(archive.files[0], "rb") as fh:
        records = [(r.rec_type, r.rec_headers, r.http_headers) for r in ArchiveIterator(fh)]
    kinds = [kind for kind, _h, _http in records]
    assert kinds == ["warcinfo", "response", "request", "response", "request"]  # robots.txt, then the page
    response = [h for kind, h, _http in records if kind == "response"][-1]
    assert response.get_header("WARC-Target-URI") == web.url("/ok/x")
    assert response.get_header("WARC-Date") and response.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert response.get_header("Citegraph-Role") == "page"
    request = [h for kind, h, _http in records if kind == "request"][-1]
    assert request.get_header("WARC-Concurrent-To") == response.get_header("WARC-Record-ID")
    assert page.warc_offset > 0


def test_gzip_responses_are_archived_as_sent(tmp_path):
    body = b"<html><body><p>" + b"compressed text " * 200 + b"</p></body></html>"
    from http.server import BaseHTTPRequestHandler

    class Gz(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the base class's name
            if self.path == "/robots.txt":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = gzip.compress(body)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    with serving(Gz) as base:
        archive = WarcArchive(tmp_path)
        got = fetch_one(f"{base}/page", archive=archive)
        archive.close()
    assert got.ok and got.body == body
    raw = Path(archive.files[0]).read_bytes()
    assert body not in gzip.decompress(raw)  # the payload is kept gzip-encoded, as it was sent
    page = next(o for o in iter_inputs([str(archive.files[0])]) if isinstance(o, RawPage))
    assert page.data == body  # and reads back decoded


def test_many_hosts_keep_a_bounded_number_of_clients(web):
    from citegraph.scrapers import fetch as fetch_module

    policy = FetchPolicy(**{**_fields(FAST), "proxy": web.proxy_url, "robots": False, "concurrency": 32})

    async def go():
        async with Fetcher(policy) as f:
            pages = await asyncio.gather(*(f.fetch(f"http://host{i}.test/ok/{i}") for i in range(300)))
            return pages, len(f._clients)
    pages, open_clients = run_sync(go())
    assert all(p.ok for p in pages)
    assert open_clients <= fetch_module._OPEN_HOSTS < 300


def test_a_redirect_with_an_undecodable_body_is_still_followed(tmp_path):
    from http.server import BaseHTTPRequestHandler

    class Lying(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the base class's name
            if self.path == "/moved":
                body = b"this is not gzip at all"
                self.send_response(301)
                self.send_header("Location", "/page")
                self.send_header("Content-Encoding", "gzip")
            else:
                body = b"<html><body><p>Arrived.</p></body></html>" if self.path == "/page" else b""
                self.send_response(200 if self.path == "/page" else 404)
                self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    with serving(Lying) as base:
        archive = WarcArchive(tmp_path)
        got = fetch_one(f"{base}/moved", archive=archive)
        archive.close()
    assert got.ok and got.final_url.endswith("/page") and got.redirects
