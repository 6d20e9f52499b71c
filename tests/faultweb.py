"""A hostile web server on 127.0.0.1 for the crawler's tests.

`FaultWeb` answers plain HTTP/1.1 on a free local port with routes that misbehave on purpose:
hangs, dropped connections, slow drips, redirect loops, endless bodies, a gzip bomb, lying
content types, broken sitemaps and rate limits. Every host name routes the same way, so the
server also works as an HTTP proxy (``GET http://a.test/ok HTTP/1.1``) and a test can stand in
for many outlets at once; requests are counted per (host, path) in ``hits``.

Examples
--------
>>> with FaultWeb() as web:
...     web.url("/flaky/2"), web.url("/ok", host="a.test")   # doctest: +SKIP
('http://127.0.0.1:41234/flaky/2', 'http://a.test/ok')
"""
from __future__ import annotations

import collections
import contextlib
import email.utils
import functools
import gzip
import html
import json
import math
import re
import socket
import socketserver
import struct
import threading
import time
import traceback
import zlib
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["FaultWeb", "serving", "ROUTES", "BOMB_SIZE", "HUGE_SIZE", "gzip_bomb", "ok_page"]

HTML = "text/html; charset=utf-8"
BLOCK = 64 * 1024
HUGE_SIZE = 200_000_000
BOMB_SIZE = 1 << 30
DROP_DECLARED, DROP_SENT = 100_000, 1_000
HANG_BODY_DECLARED = 5_000
DRIP_INTERVAL = 0.2
DRIP_SIZE = 3_000  # ten minutes at one byte per DRIP_INTERVAL
MAX_LINKS = 100_000  # /links/<n> above this would make the fixture itself a memory hazard
BIG_SITEMAP = 50_000  # the sitemap protocol's own limit of URLs per file
OUTBOUND = (
    "https://www.example.com/world/2024/story-one",
    "https://news.example.org/politics/report-two",
)

# Order is priority: the first pattern matching the whole path (query excluded) answers, with its
# groups as arguments of `_Handler._route_<name>`. Anything unmatched is a 404.
ROUTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"/ok(?:/.*)?", "ok"),
        (r"/links/(\d{1,9})", "links"),
        (r"/status/(\d{1,3})", "status"),
        (r"/flaky/(\d{1,9})", "flaky"),
        (r"/retry-after/([^/]+)", "retry_after"),
        (r"/retry-after-date", "retry_after_date"),
        (r"/429/(\d{1,9})", "too_many"),
        (r"/hang", "hang"),
        (r"/hang-body", "hang_body"),
        (r"/drop", "drop"),
        (r"/drop-chunked", "drop_chunked"),
        (r"/drip", "drip"),
        (r"/redirect/(\d{1,4})", "redirect"),
        (r"/loop/(a|b)", "loop"),
        (r"/self", "self_redirect"),
        (r"/to", "to"),
        (r"/redirect-relative", "redirect_relative"),
        (r"/redirect-no-location", "redirect_no_location"),
        (r"/huge", "huge"),
        (r"/huge-chunked", "huge_chunked"),
        (r"/gzip-bomb", "gzip_bomb"),
        (r"/(binary-as-html|pdf-as-html|text|no-type|json)", "static"),
        (r"/sitemap\.xml", "sitemap"),
        (r"/sitemap-bad\.xml", "sitemap_bad"),
        (r"/sitemap-self\.xml", "sitemap_self"),
        (r"/sitemap-loop-(a|b)\.xml", "sitemap_loop"),
        (r"/sitemap-50k\.xml", "sitemap_big"),
        (r"/sitemap\.xml\.gz", "sitemap_gz"),
        (r"/feed\.xml", "feed"),
        (r"/robots\.txt", "robots"),
        (r"/echo", "echo"),
        (r"/slow/(\d{1,4}(?:\.\d{1,3})?)", "slow"),
    )
)

# Bodies that depend on nothing: path -> (Content-Type or None for no header at all, body).
STATIC: dict[str, tuple[str | None, bytes]] = {
    "binary-as-html": (HTML, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
    "pdf-as-html": (HTML, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    "text": (
        "text/plain; charset=utf-8",
        b"Plain prose, not a web page. The minister said on Monday that the plan would go ahead.\n",
    ),
    "no-type": (None, b"<!doctype html><html><head><title>No type</title></head>"
                      b"<body><p>An HTML page served without a Content-Type header.</p></body></html>"),
    "json": ("application/json", b'{"title": "Not a page", "items": [1, 2, 3]}'),
}

FEED_DATES = ("Mon, 01 Jan 2024 08:00:00 GMT", "Tue, 02 Jan 2024 09:30:00 GMT", "Wed, 03 Jan 2024 17:45:00 +0100")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


class _HeadDone(Exception):
    """Raised by the first body write of a HEAD request: the headers were the whole answer."""


# --- bodies ---------------------------------------------------------------------------------


def page(title: str, text: str) -> bytes:
    """A minimal HTML page; both strings are escaped."""
    title, text = html.escape(title), html.escape(text)
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>{text}</p></body></html>\n").encode()


def ok_page(path: str) -> bytes:
    """The small article page of ``/ok`` routes: a title, a paragraph naming `path`, two outbound links.

    Parameters
    ----------
    path : str
        The request path (without query), shown escaped in the title and the text.
    """
    shown = html.escape(path)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Article at {shown}</title></head>\n<body><article><h1>Article at {shown}</h1>\n"
        f"<p>This test article lives at {shown}. It cites <a href=\"{OUTBOUND[0]}\">a story on Example</a>"
        f" and <a href=\"{OUTBOUND[1]}\">a report by Example News</a>.</p>\n</article></body></html>\n"
    ).encode()


def links_page(n: int) -> bytes:
    """An HTML page with `n` in-site links ``/ok/1`` .. ``/ok/n``."""
    items = "".join(f"<li><a href=\"/ok/{i}\">Story {i}</a></li>\n" for i in range(1, n + 1))
    head = f"<!doctype html><html><head><title>{n} links</title></head><body><ul>\n"
    return f"{head}{items}</ul></body></html>\n".encode()


def urlset(urls) -> bytes:
    """A sitemap ``urlset`` of `urls`."""
    body = "".join(f"<url><loc>{html.escape(u)}</loc></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{body}</urlset>\n'.encode()


def sitemap_index(urls) -> bytes:
    """A ``sitemapindex`` listing `urls`."""
    body = "".join(f"<sitemap><loc>{html.escape(u)}</loc></sitemap>\n" for u in urls)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
    return f"{head}{body}</sitemapindex>\n".encode()


@functools.lru_cache(maxsize=8)
def big_sitemap(host: str) -> bytes:
    """A urlset of 50,000 ``/ok/<i>`` URLs on `host`, built once per host."""
    return urlset(f"http://{host}/ok/{i}" for i in range(1, BIG_SITEMAP + 1))


def bad_sitemap(host: str) -> bytes:
    """Malformed sitemap XML: unclosed tags, an undefined entity, a stray NUL and trailing junk."""
    return (f'<?xml version="1.0"?>\n<urlset xmlns="{SITEMAP_NS}">\n<url><loc>http://{host}/ok/1</loc>\n'
            f"<url><loc>http://{host}/ok/2 &nbsp; <lastmod>2024-13-45\x00</url>\n<<junk>> ]]>").encode()


def feed(host: str) -> bytes:
    """An RSS 2.0 feed of ``/ok/1`` .. ``/ok/3`` with fixed pubDates."""
    items = "".join(
        f"<item><title>Story {i}</title><link>http://{host}/ok/{i}</link><guid>http://{host}/ok/{i}</guid>"
        f"<pubDate>{date}</pubDate></item>\n"
        for i, date in enumerate(FEED_DATES, start=1)
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Fault feed</title>'
            f"<link>http://{host}/</link><description>Test feed</description>\n{items}</channel></rss>\n").encode()


@functools.cache
def filler_block() -> bytes:
    """64 KiB of HTML paragraphs: the endless middle of /huge."""
    line = b"<p>Filler paragraph of a page that does not end in any reasonable time.</p>\n"
    return (line * (BLOCK // len(line) + 1))[:BLOCK]


def huge_blocks(total: int = HUGE_SIZE):
    """Yield `total` bytes of HTML in blocks of at most 64 KiB, never holding more than one."""
    head = b"<!doctype html><html><head><title>Huge</title></head><body>\n"
    yield head[:total]
    remaining = total - len(head[:total])
    block = filler_block()
    while remaining > 0:
        yield block[:remaining]
        remaining -= min(remaining, BLOCK)


_bomb_lock = threading.Lock()


@functools.cache
def _built_bomb() -> bytes:
    # Zeros compressed after 32 KiB of zeros give the same deflate bytes for every MiB, since
    # back-references only ever see zeros; sync flushes byte-align each segment, so the segment can
    # be repeated. That builds the 1 GiB stream in a fraction of a second and ~1 MB of memory.
    zeros = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_SYNC_FLUSH)
    repeat = deflate.compress(zeros) + deflate.flush(zlib.Z_SYNC_FLUSH)
    final = deflate.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(BOMB_SIZE // len(zeros)):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, mtime 0, unix
    trailer = struct.pack("<II", crc, BOMB_SIZE & 0xFFFFFFFF)
    return header + first + repeat * (BOMB_SIZE // len(zeros) - 1) + final + trailer


def gzip_bomb() -> bytes:
    """A valid gzip body (about 1 MB) that inflates to 1 GiB of zeros, built once and cached."""
    with _bomb_lock:
        return _built_bomb()


def chunk(data: bytes) -> bytes:
    """One chunk of a chunked transfer."""
    return b"%x\r\n%s\r\n" % (len(data), data)


def header_safe(value: str) -> bool:
    """Whether `value` can go into a header without splitting it (visible ASCII and spaces only)."""
    return all(" " <= c <= "~" for c in value)


# --- the server -----------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """One connection: answers requests until the client, a route or stop() closes it."""

    protocol_version = "HTTP/1.1"
    server_version = "FaultWeb/1"
    disable_nagle_algorithm = True  # drips and header/body writes go out at once

    server: _Server

    # -- connection life --

    def setup(self) -> None:
        super().setup()
        self.server.track(self.request)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:  # flushing to a client that left: nothing to report
            pass
        self.server.untrack(self.request)

    def handle(self) -> None:
        try:
            if self._opens_with_tls():
                self._refuse_tls()
                return
            super().handle()
        except OSError:  # the client hung up, or stop() shut the socket, mid-exchange
            self.close_connection = True

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        """Silence: the requests are in `FaultWeb.log`, and test output stays clean."""

    def _opens_with_tls(self) -> bool:
        # A TLS ClientHello opens with record type 0x16; HTTP opens with a method name.
        return self.request.recv(1, socket.MSG_PEEK) == b"\x16"

    def _refuse_tls(self) -> None:
        # Read the whole ClientHello before closing: closing with unread bytes sends a reset, and the
        # client would see a connection reset instead of the TLS failure it is meant to see.
        self.request.settimeout(1.0)
        try:
            header = self._recv_exactly(5)
            if len(header) == 5:
                self._recv_exactly(struct.unpack(">H", header[3:5])[0])
        except TimeoutError:
            pass
        self.close_connection = True

    def _recv_exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            got = self.request.recv(n - len(data))
            if not got:
                break
            data += got
        return data

    # -- requests --

    def _dispatch(self) -> None:
        self.web = self.server.web
        self.host, self.target = self._host_and_target()
        self.count = self.web._record(self.host, self.command, self.target, self._header_dict())
        self.started = False
        if self.web.latency and self.web.stopping.wait(self.web.latency):
            self.close_connection = True
            return
        try:
            self._answer()
        except _HeadDone:
            pass
        except OSError:
            raise
        except Exception:  # a bug of the fixture: keep it for the test, never print it
            self.web.errors.append((self.target, traceback.format_exc(limit=5)))
            self.close_connection = True
            if not self.started:
                self._send(500, page("Fixture error", "FaultWeb failed on this route."))

    do_GET = do_HEAD = do_CONNECT = _dispatch

    def _host_and_target(self) -> tuple[str, str]:
        if self.path[:7].lower() == "http://" or self.path[:8].lower() == "https://":
            parts = urlsplit(self.path)
            query = f"?{parts.query}" if parts.query else ""
            return parts.netloc.lower(), (parts.path or "/") + query
        return (self.headers.get("Host") or self.web.netloc).lower(), self.path

    def _header_dict(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return headers

    def _answer(self) -> None:
        if self.command == "CONNECT":
            self.close_connection = True
            self._send(405, page("No tunnels", "FaultWeb proxies plain http:// requests only."))
            return
        parts = urlsplit(self.target)
        self.route_path, self.query = parts.path, parts.query
        for pattern, name in ROUTES:
            match = pattern.fullmatch(self.route_path)
            if match:
                getattr(self, f"_route_{name}")(*match.groups())
                return
        self._send(404, page("Not found", f"No route for {self.route_path}."))

    # -- writing --

    def _start(self, status: int, headers) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.started = True

    def _write(self, data: bytes) -> None:
        if self.command == "HEAD":
            raise _HeadDone
        self.wfile.write(data)

    def _send(self, status: int, body: bytes, content_type: str | None = HTML, headers=()) -> None:
        typed = [("Content-Type", content_type)] if content_type else []
        self._start(status, [*typed, ("Content-Length", str(len(body))), *headers])
        self._write(body)

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, page("Moved", f"Moved to {location}"), headers=[("Location", location)])

    def _absolute(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def _wait_for_stop(self) -> None:
        self.web.stopping.wait()
        self.close_connection = True

    def _stream(self, blocks) -> None:
        for block in blocks:
            if self.web.stopping.is_set():
                self.close_connection = True
                return
            self._write(block)

    # -- routes (named in ROUTES) --

    def _route_ok(self) -> None:
        self._send(200, ok_page(self.route_path))

    def _route_links(self, n: str) -> None:
        if int(n) > MAX_LINKS:
            self._send(400, page("too-many-links", f"/links/<n> serves at most {MAX_LINKS} links."))
            return
        self._send(200, links_page(int(n)))

    def _route_status(self, code: str) -> None:
        status = int(code)
        if not 200 <= status <= 599:
            self._send(400, page("status-out-of-range", "/status/<code> answers codes 200 to 599 only."))
        elif status in (204, 304):  # these may carry no body and no length
            self._start(status, [])
        else:
            self._send(status, page(f"Status {status}", f"This page answers {status}."))

    def _route_flaky(self, n: str) -> None:
        if self.count <= int(n):
            self._send(503, page("Unavailable", f"Try again (attempt {self.count})."), headers=[("Retry-After", "1")])
        else:
            self._route_ok()

    def _route_retry_after(self, raw: str) -> None:
        value = unquote(raw)  # so a test can ask for any value, an HTTP-date or junk included
        if not header_safe(value):
            self._send(400, page("bad-retry-after", "Retry-After values must be visible ASCII."))
            return
        self._send(503, page("Unavailable", "Come back later."), headers=[("Retry-After", value)])

    def _route_retry_after_date(self) -> None:
        # A whole second, so the date written in the header is exactly the moment the page returns.
        deadline = self.web._deadline((self.host, self.target), math.ceil(time.time()) + 2)
        if time.time() >= deadline:
            self._route_ok()
            return
        when = email.utils.formatdate(deadline, usegmt=True)
        self._send(503, page("Unavailable", f"Come back at {when}."), headers=[("Retry-After", when)])

    def _route_too_many(self, n: str) -> None:
        if self.count <= int(n):
            self._send(429, page("Too many requests", "Slow down."), headers=[("Retry-After", "1")])
        else:
            self._route_ok()

    def _route_hang(self) -> None:
        self._wait_for_stop()

    def _route_hang_body(self) -> None:
        self._start(200, [("Content-Type", HTML), ("Content-Length", str(HANG_BODY_DECLARED))])
        if self.command != "HEAD":
            self._wait_for_stop()

    def _route_drop(self) -> None:
        self._start(200, [("Content-Type", HTML), ("Content-Length", str(DROP_DECLARED))])
        self.close_connection = True
        self._write(b"".join(huge_blocks(DROP_SENT)))

    def _route_drop_chunked(self) -> None:
        self._start(200, [("Content-Type", HTML), ("Transfer-Encoding", "chunked")])
        self.close_connection = True
        self._write(chunk(b"<!doctype html><html><head><title>Dropped</title></head><body>\n"))
        self._write(chunk(b"<p>The connection closes before the last chunk.</p>\n"))

    def _route_drip(self) -> None:
        self._start(200, [("Content-Type", HTML), ("Content-Length", str(DRIP_SIZE))])
        head = b"<!doctype html><html><head><title>Drip</title></head><body><p>"
        tail = b"</p></body></html>\n"
        body = head + b"." * (DRIP_SIZE - len(head) - len(tail)) + tail
        for i in range(DRIP_SIZE):
            self._write(body[i:i + 1])
            if self.web.stopping.wait(DRIP_INTERVAL):
                self.close_connection = True
                return

    def _route_redirect(self, n: str) -> None:
        hops = int(n)
        if hops == 0:
            self._route_ok()
            return
        self._redirect(302, self._absolute("/ok" if hops == 1 else f"/redirect/{hops - 1}"))

    def _route_loop(self, side: str) -> None:
        self._redirect(302, self._absolute("/loop/b" if side == "a" else "/loop/a"))

    def _route_self_redirect(self) -> None:
        self._redirect(301, self._absolute("/self"))

    def _route_to(self) -> None:
        urls = parse_qs(self.query).get("url", [])
        target = urls[0] if urls else ""
        if not target.lower().startswith(("http://", "https://")) or not header_safe(target):
            self._send(400, page("bad-to-url", "/to needs ?url=<percent-encoded absolute http(s) URL>."))
            return
        self._redirect(302, target)

    def _route_redirect_relative(self) -> None:
        self._redirect(302, "/ok")

    def _route_redirect_no_location(self) -> None:
        self._send(302, page("Moved", "Moved, but no Location says where."))

    def _route_huge(self) -> None:
        self._start(200, [("Content-Type", HTML), ("Content-Length", str(HUGE_SIZE))])
        self._stream(huge_blocks())

    def _route_huge_chunked(self) -> None:
        self._start(200, [("Content-Type", HTML), ("Transfer-Encoding", "chunked")])
        self._stream(chunk(block) for block in huge_blocks())
        self._stream([b"0\r\n\r\n"])

    def _route_gzip_bomb(self) -> None:
        self._send(200, gzip_bomb(), headers=[("Content-Encoding", "gzip")])

    def _route_static(self, name: str) -> None:
        content_type, body = STATIC[name]
        self._send(200, body, content_type)

    def _route_sitemap(self) -> None:
        self._send(200, urlset(self._absolute(f"/ok/{i}") for i in range(1, 6)), "application/xml")

    def _route_sitemap_bad(self) -> None:
        self._send(200, bad_sitemap(self.host), "application/xml")

    def _route_sitemap_self(self) -> None:
        self._send(200, sitemap_index([self._absolute("/sitemap-self.xml")]), "application/xml")

    def _route_sitemap_loop(self, side: str) -> None:
        other = "b" if side == "a" else "a"
        self._send(200, sitemap_index([self._absolute(f"/sitemap-loop-{other}.xml")]), "application/xml")

    def _route_sitemap_big(self) -> None:
        self._send(200, big_sitemap(self.host), "application/xml")

    def _route_sitemap_gz(self) -> None:
        plain = urlset(self._absolute(f"/ok/{i}") for i in range(1, 6))
        self._send(200, gzip.compress(plain, mtime=0), "application/gzip")

    def _route_feed(self) -> None:
        self._send(200, feed(self.host), "application/rss+xml")

    def _route_robots(self) -> None:
        robots = self.web.robots
        if robots is None:
            self._send(404, page("Not found", "No robots.txt here."))
        elif robots == "hang":
            self._wait_for_stop()
        elif isinstance(robots, int):
            self._route_status(str(robots))
        else:
            self._send(200, robots, "text/plain; charset=utf-8")

    def _route_echo(self) -> None:
        seen = {"method": self.command, "target": self.path, "host": self.host, "path": self.target,
                "headers": self._header_dict()}
        self._send(200, json.dumps(seen, indent=1).encode(), "application/json")

    def _route_slow(self, seconds: str) -> None:
        if self.web.stopping.wait(float(seconds)):
            self.close_connection = True
            return
        self._route_ok()


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Threaded TCP server that knows its open connections, so stop() can cut hanging ones."""

    daemon_threads = True  # a hanging handler never keeps the test process alive
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, web: FaultWeb) -> None:
        self.web = web
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def cut_connections(self) -> None:
        """Shut every open connection down, waking handler threads blocked on it."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed by its handler
                pass

    def handle_error(self, request, client_address) -> None:
        # The default prints a traceback to stderr; a fixture bug goes to `errors` for the test.
        self.web.errors.append(("server", traceback.format_exc(limit=5)))


class FaultWeb:
    """A threaded HTTP/1.1 server on 127.0.0.1 with routes that misbehave on purpose.

    Parameters
    ----------
    robots : bytes, int, "hang" or None
        The body of ``/robots.txt`` (bytes, served 200 text/plain), an HTTP status to answer it with
        (int), ``"hang"`` (accept the request and never answer), or None (404).
    latency : float
        Seconds to wait before answering any request.

    Attributes
    ----------
    hits : collections.Counter
        ``(host, path-with-query) -> requests received``; host comes from an absolute-form target or
        the Host header, lower-cased and with its port as sent (``127.0.0.1:PORT`` for direct use).
    log : list
        ``(time.monotonic(), host, method, path-with-query, headers)`` per request, headers as a dict
        with lower-case names.
    errors : list
        ``(path, traceback)`` of bugs in the fixture itself; empty when it behaved.

    Examples
    --------
    >>> import httpx
    >>> with FaultWeb(robots=b"User-agent: *\\nDisallow: /private\\n") as web:   # doctest: +SKIP
    ...     httpx.get(web.url("/status/410")).status_code
    410
    """

    def __init__(self, *, robots: bytes | int | str | None = None, latency: float = 0.0) -> None:
        if not (robots is None or robots == "hang" or isinstance(robots, bytes)
                or (isinstance(robots, int) and not isinstance(robots, bool) and 200 <= robots <= 599)):
            raise ValueError(f"robots must be bytes, a status 200-599, 'hang' or None, not {robots!r}")
        if not isinstance(latency, (int, float)) or latency < 0:
            raise ValueError(f"latency must be a number of seconds >= 0, not {latency!r}")
        self.robots = robots
        self.latency = float(latency)
        self.hits: collections.Counter = collections.Counter()
        self.log: list = []
        self.errors: list = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._deadlines: dict[tuple[str, str], float] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life --

    def start(self) -> FaultWeb:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread; returns self."""
        if self._server is not None:
            raise RuntimeError("this FaultWeb was already started; make a new one")
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"faultweb-{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and cut every open connection, hanging ones included (returns within ~1 s)."""
        if self._server is None or self.stopping.is_set():
            return
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._server.cut_connections()
        self._thread.join(timeout=1.0)

    def __enter__(self) -> FaultWeb:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- addresses --

    @property
    def port(self) -> int:
        """The bound port (after start())."""
        if self._server is None:
            raise RuntimeError("FaultWeb has no port before start()")
        return self._server.server_address[1]

    @property
    def netloc(self) -> str:
        """``127.0.0.1:PORT``: the host part of ``hits`` keys for direct requests."""
        return f"127.0.0.1:{self.port}"

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.netloc}"

    @property
    def proxy_url(self) -> str:
        """The server as an HTTP proxy: the same as `base`."""
        return self.base

    def url(self, path: str, host: str | None = None) -> str:
        """The URL of `path` on this server, or on `host` (``http://HOST/path``) when used as a proxy.

        Parameters
        ----------
        path : str
            A path starting with ``/``, query included if any.
        host : str, optional
            A made-up host name (``a.test``) routed through `proxy_url`.
        """
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/', not {path!r}")
        return f"http://{host}{path}" if host else f"{self.base}{path}"

    # -- bookkeeping shared by handler threads --

    def _record(self, host: str, method: str, target: str, headers: dict[str, str]) -> int:
        """Count and log one request; returns how many times (host, target) was asked, this one included."""
        with self._lock:
            self.hits[(host, target)] += 1
            self.log.append((time.monotonic(), host, method, target, headers))
            return self.hits[(host, target)]

    def _deadline(self, key: tuple[str, str], proposed: float) -> float:
        """The moment `key` starts answering, fixed by its first request."""
        with self._lock:
            return self._deadlines.setdefault(key, proposed)


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]):
    """A one-off server on 127.0.0.1 for a test's own handler; yields its base URL ("http://127.0.0.1:PORT")."""
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
