"""The hostile test server itself: every route does the harm it promises, and nothing more."""
from __future__ import annotations

import email.utils
import gzip
import socket
import ssl
import threading
import time
import zlib
from urllib.parse import quote

import httpx
import pytest
from lxml import etree

from faultweb import BOMB_SIZE, FaultWeb, gzip_bomb

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def web():
    with FaultWeb() as server:
        yield server
    assert server.errors == [], server.errors


@pytest.fixture
def client():
    # trust_env off: a proxy in the environment must not see (or answer) these requests
    with httpx.Client(trust_env=False, timeout=5.0) as c:
        yield c


@pytest.fixture
def proxied(web):
    with httpx.Client(trust_env=False, timeout=5.0, proxy=web.proxy_url) as c:
        yield c


def raw_get(web: FaultWeb, path: str, *, timeout: float = 5.0) -> tuple[bytes, bytes]:
    """(head, body) of a GET read with a plain socket until the server closes it."""
    with socket.create_connection(("127.0.0.1", web.port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {web.netloc}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def hanging_socket(web: FaultWeb, path: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", web.port), timeout=5.0)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {web.netloc}\r\n\r\n".encode())
    return sock


def causes(error: BaseException):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ok", "/ok/17", "/ok/a/b-c"])
def test_ok_is_a_small_article_naming_its_path(web, client, path):
    r = client.get(web.url(path))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    tree = etree.HTML(r.content)
    assert tree.findtext(".//title") == f"Article at {path}"
    assert path in "".join(tree.find(".//p").itertext())
    assert [a.get("href") for a in tree.iter("a")] == [
        "https://www.example.com/world/2024/story-one", "https://news.example.org/politics/report-two"]


def test_ok_escapes_a_hostile_path(web, client):
    r = client.get(web.url("/ok/%3Cscript%3E"))
    assert b"<script>" not in r.content.lower()


def test_links_lists_n_in_site_links(web, client):
    tree = etree.HTML(client.get(web.url("/links/7")).content)
    assert [a.get("href") for a in tree.iter("a")] == [f"/ok/{i}" for i in range(1, 8)]


def test_links_refuses_an_absurd_n(web, client):
    r = client.get(web.url("/links/999999999"))
    assert r.status_code == 400 and b"too-many-links" in r.content


@pytest.mark.parametrize("code", [200, 301, 403, 404, 410, 451, 500, 502, 503, 599])
def test_status_answers_that_status_with_html(web, client, code):
    r = client.get(web.url(f"/status/{code}"))
    assert r.status_code == code
    assert r.headers["content-type"].startswith("text/html") and str(code).encode() in r.content


@pytest.mark.parametrize("code", [204, 304])
def test_status_without_body(web, client, code):
    r = client.get(web.url(f"/status/{code}"))
    assert r.status_code == code and r.content == b""
    assert client.get(web.url("/ok")).status_code == 200  # the connection is still usable


def test_status_out_of_range_is_a_400(web, client):
    r = client.get(web.url("/status/100"))
    assert r.status_code == 400 and b"status-out-of-range" in r.content


@pytest.mark.parametrize("path, content_type, opening", [
    ("/binary-as-html", "text/html", b"\x89PNG\r\n\x1a\n"),
    ("/pdf-as-html", "text/html", b"%PDF-"),
    ("/text", "text/plain", b"Plain prose"),
    ("/json", "application/json", b"{"),
])
def test_lying_and_plain_content_types(web, client, path, content_type, opening):
    r = client.get(web.url(path))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(content_type)
    assert r.content.startswith(opening)


def test_no_type_has_no_content_type_header(web):
    head, body = raw_get(web, "/no-type")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"content-type" not in head.lower()
    assert body.startswith(b"<!doctype html>")


def test_unknown_paths_are_404(web, client):
    for path in ("/nothing", "/okay", "/links/x", "/status/abc", "/"):
        assert client.get(web.url(path)).status_code == 404, path


def test_head_gets_headers_only(web, client):
    r = client.head(web.url("/ok"))
    assert r.status_code == 200 and int(r.headers["content-length"]) > 100 and r.content == b""
    r = client.head(web.url("/huge"))
    assert r.headers["content-length"] == "200000000"
    assert client.get(web.url("/ok")).status_code == 200


# --- retries ----------------------------------------------------------------------------------


def test_flaky_fails_n_times_per_url_then_answers(web, client):
    codes = [client.get(web.url("/flaky/2")).status_code for _ in range(4)]
    assert codes == [503, 503, 200, 200]
    r = client.get(web.url("/flaky/1?x=1"))  # another URL, another count
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert client.get(web.url("/flaky/1?x=1")).status_code == 200


def test_flaky_counts_each_host_on_its_own(web, proxied):
    assert proxied.get("http://a.test/flaky/1").status_code == 503
    assert proxied.get("http://b.test/flaky/1").status_code == 503
    assert proxied.get("http://a.test/flaky/1").status_code == 200


@pytest.mark.parametrize("value", ["7", "120", "abc", "-1", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_retry_after_always_503_with_that_value(web, client, value):
    for _ in range(2):
        r = client.get(web.url(f"/retry-after/{quote(value)}"))
        assert r.status_code == 503 and r.headers["retry-after"] == value


def test_retry_after_refuses_header_injection(web, client):
    r = client.get(web.url("/retry-after/1%0D%0AX-Evil:%201"))
    assert r.status_code == 400 and "x-evil" not in r.headers


def test_retry_after_date_then_200_after_that_moment(web, client):
    r = client.get(web.url("/retry-after-date"))
    assert r.status_code == 503
    when = email.utils.parsedate_to_datetime(r.headers["retry-after"]).timestamp()
    assert 1.5 <= when - time.time() <= 3.1
    again = client.get(web.url("/retry-after-date"))
    assert again.status_code == 503 and again.headers["retry-after"] == r.headers["retry-after"]
    time.sleep(max(0.0, when - time.time()) + 0.05)
    assert client.get(web.url("/retry-after-date")).status_code == 200


def test_429_n_times_then_200(web, client):
    first, second, third = (client.get(web.url("/429/2")) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.headers["retry-after"] == "1"


def test_slow_answers_after_the_delay(web, client):
    started = time.monotonic()
    r = client.get(web.url("/slow/0.3"))
    assert r.status_code == 200 and time.monotonic() - started >= 0.3


def test_latency_delays_every_answer():
    with FaultWeb(latency=0.3) as web, httpx.Client(trust_env=False) as client:
        started = time.monotonic()
        assert client.get(web.url("/ok")).status_code == 200
        assert time.monotonic() - started >= 0.3


# --- broken transfers -------------------------------------------------------------------------


def test_hang_never_answers(web, client):
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.get(web.url("/hang"), timeout=0.5)
    assert time.monotonic() - started < 2.0


def test_hang_does_not_block_other_requests(web, client):
    sockets = [hanging_socket(web, "/hang") for _ in range(5)]
    try:
        started = time.monotonic()
        assert client.get(web.url("/ok")).status_code == 200
        assert time.monotonic() - started < 1.0
    finally:
        for sock in sockets:
            sock.close()


def test_hang_body_sends_headers_then_nothing(web, client):
    with client.stream("GET", web.url("/hang-body"), timeout=0.5) as r:
        assert r.status_code == 200 and r.headers["content-length"] == "5000"
        with pytest.raises(httpx.ReadTimeout):
            r.read()


def test_drop_closes_mid_body(web, client):
    head, body = raw_get(web, "/drop")
    assert b"content-length: 100000" in head.lower()
    assert len(body) == 1000 and body.startswith(b"<!doctype html>")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(web.url("/drop"))


def test_drop_chunked_closes_before_the_last_chunk(web, client):
    head, body = raw_get(web, "/drop-chunked")
    assert b"transfer-encoding: chunked" in head.lower()
    assert body.count(b"\r\n") == 4 and not body.endswith(b"0\r\n\r\n")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(web.url("/drop-chunked"))


def test_drip_sends_a_byte_every_fifth_of_a_second(web, client):
    with client.stream("GET", web.url("/drip")) as r:
        assert r.headers["content-type"].startswith("text/html")
        started = time.monotonic()
        got = b""
        for piece in r.iter_raw():
            got += piece
            if len(got) >= 4:
                break
        elapsed = time.monotonic() - started
    assert got.startswith(b"<!do")
    assert 0.5 <= elapsed < 2.0  # three intervals between four bytes
    assert client.get(web.url("/ok")).status_code == 200  # the client going away harmed nothing


def test_huge_declares_200_mb_and_streams(web, client):
    with client.stream("GET", web.url("/huge")) as r:
        assert r.headers["content-length"] == "200000000"
        got = b""
        for piece in r.iter_raw():
            got += piece
            if len(got) >= 1 << 20:
                break
    assert got.startswith(b"<!doctype html>") and b"<p>Filler" in got


def test_huge_chunked_streams_without_length(web, client):
    with client.stream("GET", web.url("/huge-chunked")) as r:
        assert "content-length" not in r.headers and r.headers["transfer-encoding"] == "chunked"
        got = b""
        for piece in r.iter_raw():
            got += piece
            if len(got) >= 1 << 20:
                break
    assert got.startswith(b"<!doctype html>")


def test_gzip_bomb_is_small_and_inflates_to_zeros(web, client):
    with client.stream("GET", web.url("/gzip-bomb")) as r:
        assert r.headers["content-encoding"] == "gzip" and r.headers["content-type"].startswith("text/html")
        compressed = b"".join(r.iter_raw())
    assert len(compressed) < 2_000_000 and compressed == gzip_bomb()
    first = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(compressed, 4 << 20)
    assert len(first) == 4 << 20 and first.count(0) == len(first)


def test_gzip_bomb_is_valid_gzip_of_one_gib():
    inflate, rest, total = zlib.decompressobj(zlib.MAX_WBITS | 16), gzip_bomb(), 0
    while rest:
        total += len(inflate.decompress(rest, 32 << 20))
        rest = inflate.unconsumed_tail
    assert inflate.eof and total == BOMB_SIZE  # eof: the CRC and size trailer checked out


# --- redirects ----------------------------------------------------------------------------------


def test_redirect_chain_of_n_ends_at_ok(web, client):
    r = client.get(web.url("/redirect/3"), follow_redirects=True)
    assert r.status_code == 200 and r.url.path == "/ok"
    assert [h.status_code for h in r.history] == [302, 302, 302]


def test_redirect_loop_and_self(web, client):
    with pytest.raises(httpx.TooManyRedirects):
        client.get(web.url("/loop/a"), follow_redirects=True)
    assert client.get(web.url("/loop/b")).headers["location"] == web.url("/loop/a")
    r = client.get(web.url("/self"))
    assert r.status_code == 301 and r.headers["location"] == web.url("/self")


def test_to_redirects_across_hosts(web, proxied):
    r = proxied.get(f"http://a.test/to?url={quote('http://b.test/ok/x?y=1', safe='')}", follow_redirects=True)
    assert r.status_code == 200 and str(r.url) == "http://b.test/ok/x?y=1"
    assert web.hits[("b.test", "/ok/x?y=1")] == 1


def test_to_without_an_absolute_url_is_a_400(web, client):
    for query in ("", "?url=", "?url=%2Fok", "?url=javascript%3Aalert(1)", "?url=http%3A%2F%2Fa%0D%0Ab"):
        r = client.get(web.url(f"/to{query}"))
        assert r.status_code == 400 and b"bad-to-url" in r.content, query


def test_relative_and_missing_locations(web, client):
    r = client.get(web.url("/redirect-relative"))
    assert r.status_code == 302 and r.headers["location"] == "/ok"
    r = client.get(web.url("/redirect-no-location"))
    assert r.status_code == 302 and "location" not in r.headers


# --- sitemaps and feeds -----------------------------------------------------------------------


def locs(content: bytes) -> list[str]:
    return [e.text for e in etree.fromstring(content).iter(f"{SITEMAP}loc")]


def test_sitemap_lists_five_pages(web, client):
    r = client.get(web.url("/sitemap.xml"))
    assert "xml" in r.headers["content-type"]
    assert locs(r.content) == [web.url(f"/ok/{i}") for i in range(1, 6)]


def test_sitemap_gz_is_gzip_of_the_valid_one(web, client):
    r = client.get(web.url("/sitemap.xml.gz"))
    assert "content-encoding" not in r.headers  # a gzip file, not a compressed transfer
    assert gzip.decompress(r.content) == client.get(web.url("/sitemap.xml")).content


def test_sitemap_bad_is_malformed(web, client):
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(client.get(web.url("/sitemap-bad.xml")).content)


def test_sitemap_indexes_that_loop(web, client):
    root = etree.fromstring(client.get(web.url("/sitemap-self.xml")).content)
    assert root.tag == f"{SITEMAP}sitemapindex" and locs(etree.tostring(root)) == [web.url("/sitemap-self.xml")]
    assert locs(client.get(web.url("/sitemap-loop-a.xml")).content) == [web.url("/sitemap-loop-b.xml")]
    assert locs(client.get(web.url("/sitemap-loop-b.xml")).content) == [web.url("/sitemap-loop-a.xml")]


def test_sitemap_50k(web, proxied):
    found = locs(proxied.get("http://big.test/sitemap-50k.xml").content)
    assert len(found) == 50_000 and len(set(found)) == 50_000
    assert found[0] == "http://big.test/ok/1" and found[-1] == "http://big.test/ok/50000"


def test_feed_is_rss_with_dates(web, client):
    root = etree.fromstring(client.get(web.url("/feed.xml")).content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert [i.findtext("link") for i in items] == [web.url(f"/ok/{n}") for n in (1, 2, 3)]
    assert all(email.utils.parsedate_to_datetime(i.findtext("pubDate")).year == 2024 for i in items)


# --- robots.txt ---------------------------------------------------------------------------------


@pytest.mark.parametrize("robots, status, body", [
    (b"User-agent: *\nDisallow: /private\n", 200, b"Disallow: /private"),
    (503, 503, b"503"),
    (204, 204, b""),
    (401, 401, b"401"),
    (None, 404, b"Not found"),
])
def test_robots_per_constructor(robots, status, body):
    with FaultWeb(robots=robots) as web, httpx.Client(trust_env=False) as client:
        r = client.get(web.url("/robots.txt"))
    assert r.status_code == status and body in r.content


def test_robots_hang():
    with FaultWeb(robots="hang") as web, httpx.Client(trust_env=False) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get(web.url("/robots.txt"), timeout=0.5)
        assert client.get(web.url("/ok")).status_code == 200


@pytest.mark.parametrize("robots", ["User-agent: *", 99, True, "slow"])
def test_bad_robots_setting_is_refused(robots):
    with pytest.raises(ValueError, match="robots must be"):
        FaultWeb(robots=robots)


def test_bad_latency_is_refused():
    with pytest.raises(ValueError, match="latency"):
        FaultWeb(latency=-1)


# --- proxy use, bookkeeping ---------------------------------------------------------------------


def test_urls(web):
    assert web.base == f"http://127.0.0.1:{web.port}" == web.proxy_url
    assert web.url("/ok") == f"{web.base}/ok"
    assert web.url("/ok?a=1", host="a.test") == "http://a.test/ok?a=1"
    with pytest.raises(ValueError):
        web.url("ok")


def test_no_port_before_start():
    with pytest.raises(RuntimeError, match="before start"):
        FaultWeb().port


def test_echo_reports_the_request(web, client):
    seen = client.get(web.url("/echo?q=1"), headers={"User-Agent": "citegraph-test/1"}).json()
    assert seen["method"] == "GET" and seen["path"] == "/echo?q=1" and seen["target"] == "/echo?q=1"
    assert seen["headers"]["user-agent"] == "citegraph-test/1" and seen["host"] == web.netloc


def test_proxy_requests_route_and_count_by_host(web, proxied, client):
    seen = proxied.get("http://a.test/echo").json()
    assert seen["target"] == "http://a.test/echo" and seen["host"] == "a.test"
    assert proxied.get("http://a.test/ok").status_code == 200
    assert proxied.get("http://a.test/ok").status_code == 200
    assert "/ok" in proxied.get("http://b.test/ok").text
    assert client.get(web.url("/ok")).status_code == 200
    assert web.hits[("a.test", "/ok")] == 2 and web.hits[("b.test", "/ok")] == 1
    assert web.hits[(web.netloc, "/ok")] == 1
    hosts = [(host, method, path) for _, host, method, path, _ in web.log]
    assert hosts[:2] == [("a.test", "GET", "/echo"), ("a.test", "GET", "/ok")]
    assert all(headers["user-agent"].startswith("python-httpx") for *_, headers in web.log)


def test_proxy_redirects_stay_on_the_proxied_host(web, proxied):
    r = proxied.get("http://a.test/redirect/2", follow_redirects=True)
    assert str(r.url) == "http://a.test/ok"
    assert [web.hits[("a.test", p)] for p in ("/redirect/2", "/redirect/1", "/ok")] == [1, 1, 1]


def test_https_through_the_proxy_is_refused(web, proxied):
    with pytest.raises(httpx.ProxyError):
        proxied.get("https://a.test/ok")


# --- TLS, stopping, silence -------------------------------------------------------------------


def test_https_fails_with_an_ssl_error_and_harms_nothing(web, client):
    for _ in range(3):
        with pytest.raises(httpx.ConnectError) as caught:
            client.get(web.url("/ok").replace("http://", "https://"), timeout=2.0)
        assert any(isinstance(e, ssl.SSLError) for e in causes(caught.value))
    assert client.get(web.url("/ok")).status_code == 200


def test_stop_returns_quickly_with_hanging_clients():
    web = FaultWeb().start()
    paths = ["/hang", "/hang-body", "/drip", "/slow/60", "/huge", "/hang"]
    sockets = [hanging_socket(web, path) for path in paths]
    idle = socket.create_connection(("127.0.0.1", web.port))  # connected, never sends a byte
    done = threading.Event()

    def via_httpx():
        with httpx.Client(trust_env=False, timeout=30) as client:
            with pytest.raises(httpx.HTTPError):
                client.get(web.url("/hang"))
        done.set()

    threading.Thread(target=via_httpx, daemon=True).start()
    time.sleep(0.3)  # let every handler reach its hang
    started = time.monotonic()
    web.stop()
    assert time.monotonic() - started < 1.2
    assert done.wait(2.0)  # the hanging client was released, not left waiting forever
    for sock in [*sockets, idle]:
        sock.settimeout(2.0)
        try:
            while sock.recv(1 << 20):  # the server cut the connection: reading reaches its end
                pass
        except ConnectionResetError:
            pass
        sock.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", web.port), timeout=1.0)
    assert web.errors == []


def test_stop_is_idempotent_and_start_is_once():
    web = FaultWeb()
    web.stop()  # never started: nothing to do
    web.start()
    web.stop()
    web.stop()
    with pytest.raises(RuntimeError):
        web.start()


def test_clients_hanging_up_print_nothing(capfd):
    with FaultWeb() as web:
        for path in ("/huge", "/drip", "/huge-chunked", "/gzip-bomb", "/hang-body"):
            sock = hanging_socket(web, path)
            sock.recv(100)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()  # linger 0: a reset, the rudest hang-up
        with socket.create_connection(("127.0.0.1", web.port)) as sock:
            sock.sendall(b"\x16\x03\x01\x00\x05hello")  # a TLS record
            assert sock.recv(100) == b""
        with socket.create_connection(("127.0.0.1", web.port)) as sock:
            sock.sendall(b"NOT AN HTTP/REQUEST\r\n\r\n")
            assert b"Error code: 400" in sock.recv(4096)  # stdlib's error page; no status line for it
        time.sleep(0.5)  # let the streaming handlers hit the broken pipes
        with httpx.Client(trust_env=False) as client:
            assert client.get(web.url("/ok")).status_code == 200
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert web.errors == []
