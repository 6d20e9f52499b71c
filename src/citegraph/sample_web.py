"""The sample web served over HTTP on 127.0.0.1, so crawls run live without the internet.

:class:`SampleWeb` generates the pages of :func:`citegraph.sample.iter_pages` (on plain http) and
serves every fictional outlet the way a news site is served: ``robots.txt``, a sitemap index,
article sitemaps, a Google News sitemap, an RSS feed, a home page, listing pages (sections, tags,
authors, pagination) and the articles themselves, on the outlet's bare host and its ``www.`` host.

A crawler reaches it as an HTTP proxy (``GET http://civicwire.example/... HTTP/1.1``, the
absolute-form request target) or by plain requests routed by the ``Host`` header. Any host the
sample web does not serve gets a 502: no request ever leaves the machine. ``CONNECT`` gets a 405,
which is why the pages are generated with ``scheme="http"``.

Examples
--------
>>> import httpx
>>> with SampleWeb(n_pages=5) as web:
...     robots = httpx.get(f"http://{web.seeds[0]}/robots.txt", proxy=web.proxy_url)
>>> robots.status_code, "Disallow: /search" in robots.text
(200, True)
"""
from __future__ import annotations

import gzip
import html
import math
import re
import socket
import socketserver
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from citegraph.models import Outlet
from citegraph.sample import ExpectedCitation, SampleError, SamplePage, iter_pages, sample_outlets

__all__ = ["SampleWeb"]

_HTML = "text/html; charset=utf-8"
_XML = "application/xml; charset=utf-8"
_RSS = "application/rss+xml; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"

_SITEMAP_SIZE = 1000  # URLs per article sitemap file
_NEWEST = 20  # articles in the feed and in the news sitemap
_HOME_SIZE = 30  # articles on the home page and on each /page/<n>/
_LISTING_SIZE = 5  # articles on a section, tag or author page

_ROBOTS_RULES = ("User-agent: *", "Disallow: /search", "Disallow: /private/")
# The home page's navigation, in order: listing pages, a page robots.txt forbids, pagination.
_NAV = (("/section/world/", "World"), ("/tag/elections/", "Elections"),
        ("/author/jane-doe/", "Jane Doe"), ("/search?q=news", "Search"),
        ("/page/2/", "Older stories"), ("/about/", "About us"))
_OFFSITE = ("https://www.reuters.com/", "Reuters")

# Listing pages: (path pattern, kind), first match wins. They are built on request, since the set
# of slugs is open; anything else that is neither prepared nor an article is a 404.
_LISTINGS = (
    (re.compile(r"/section/([a-z0-9-]+)/"), "section"),
    (re.compile(r"/tag/([a-z0-9-]+)/"), "tag"),
    (re.compile(r"/author/([a-z0-9-]+)/"), "author"),
    (re.compile(r"/page/([1-9][0-9]{0,5})/"), "page"),
    (re.compile(r"/about/"), "about"),
    # Pages robots.txt forbids exist, so a crawler that skips them shows it obeyed robots.txt.
    (re.compile(r"/search/?"), "search"),
    (re.compile(r"/private/.*"), "private"),
)

# What the feeds need from a generated page, read from its own meta tags.
_OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)">')
_PUBLISHED = re.compile(r'<meta property="article:published_time" content="([^"]*)">')
_LANG = re.compile(r'<html lang="([A-Za-z-]+)"')


# --------------------------------------------------------------------------------------------------
# Responses, prepared as bytes


@dataclass(frozen=True, slots=True)
class _Resource:
    """A response body ready to send; ``raw`` is None when only the gzip form is kept."""

    status: int
    content_type: str
    raw: bytes | None
    gz: bytes
    last_modified: str = ""

    def payload(self, gzip_ok: bool) -> tuple[bytes, bool]:
        """Return the bytes to send and whether they are gzip-encoded."""
        if gzip_ok:
            return self.gz, True
        return (self.raw if self.raw is not None else gzip.decompress(self.gz)), False


def _gzip(data: bytes) -> bytes:
    # mtime=0: the same page gives the same bytes on every run.
    return gzip.compress(data, compresslevel=6, mtime=0)


def _resource(status: int, content_type: str, text: str, last_modified: str = "") -> _Resource:
    raw = text.encode("utf-8")
    return _Resource(status, content_type, raw, _gzip(raw), last_modified)


def _http_date(moment: datetime | None) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True) if moment else ""


# --------------------------------------------------------------------------------------------------
# The pages, kept gzip-compressed


@dataclass(frozen=True, slots=True)
class _Item:
    """What listings, sitemaps and feeds say about one article."""

    url: str
    path: str
    title: str
    published: datetime
    lang: str


def _item_of(page: SamplePage) -> _Item:
    title = _OG_TITLE.search(page.html)
    published = _PUBLISHED.search(page.html)
    lang = _LANG.search(page.html)
    when = (datetime.fromisoformat(published.group(1)) if published
            else datetime.fromisoformat(f"{page.published_at}T00:00:00+00:00"))
    return _Item(page.url, urlsplit(page.url).path or "/",
                 html.unescape(title.group(1)) if title else page.url, when,
                 lang.group(1) if lang else "en")


class _Pages(Mapping):
    """URL -> :class:`SamplePage`, holding each page's HTML gzip-compressed.

    A page is rebuilt (its HTML decompressed) on every lookup, so keep the value while using it.
    """

    def __init__(self) -> None:
        self._rows: dict[str, tuple[bytes, str, str, tuple[ExpectedCitation, ...]]] = {}

    def add(self, page: SamplePage, gz: bytes) -> None:
        self._rows[page.url] = (gz, page.outlet_id, page.published_at, page.expected)

    def gzipped(self, url: str) -> bytes:
        """Return the page's HTML as the gzip bytes the server sends."""
        return self._rows[url][0]

    def __getitem__(self, url: str) -> SamplePage:
        gz, outlet_id, published_at, expected = self._rows[url]
        return SamplePage(url, gzip.decompress(gz).decode("utf-8"), outlet_id, published_at, expected)

    def __contains__(self, url: object) -> bool:
        return url in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


# --------------------------------------------------------------------------------------------------
# Documents


_esc = html.escape


def _robots(host: str) -> str:
    return "\n".join(_ROBOTS_RULES + ("", f"Sitemap: http://{host}/sitemap.xml", ""))


def _day(item: _Item) -> str:
    return item.published.date().isoformat()


def _sitemap_index(host: str, chunks: list[tuple[str, str]]) -> str:
    rows = "".join(f"<sitemap><loc>http://{host}{path}</loc>"
                   + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</sitemap>\n"
                   for path, lastmod in chunks)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}</sitemapindex>\n")


def _urlset(items: tuple[_Item, ...]) -> str:
    rows = "".join(f"<url><loc>{_esc(i.url)}</loc><lastmod>{_day(i)}</lastmod></url>\n"
                   for i in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}</urlset>\n")


def _news_sitemap(outlet: Outlet, items: tuple[_Item, ...]) -> str:
    rows = "".join(
        f"<url><loc>{_esc(i.url)}</loc><news:news><news:publication>"
        f"<news:name>{_esc(outlet.name)}</news:name>"
        f"<news:language>{i.lang.split('-')[0].lower()}</news:language></news:publication>"
        f"<news:publication_date>{i.published.isoformat()}</news:publication_date>"
        f"<news:title>{_esc(i.title)}</news:title></news:news></url>\n"
        for i in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{rows}</urlset>\n")


def _rss(outlet: Outlet, home: str, items: tuple[_Item, ...]) -> str:
    rows = "".join(
        f"<item><title>{_esc(i.title)}</title><link>{_esc(i.url)}</link>"
        f'<guid isPermaLink="true">{_esc(i.url)}</guid>'
        f"<pubDate>{format_datetime(i.published)}</pubDate></item>\n"
        for i in items)
    built = f"<lastBuildDate>{format_datetime(items[0].published)}</lastBuildDate>" if items else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
            f"<title>{_esc(outlet.name)}</title><link>{_esc(home)}</link>"
            f"<description>Latest stories from {_esc(outlet.name)}</description>{built}\n"
            f"{rows}</channel></rss>\n")


def _article_list(items: tuple[_Item, ...]) -> str:
    return "".join(f'<li><a href="{_esc(i.url)}">{_esc(i.title)}</a></li>' for i in items)


def _html_page(outlet: Outlet, lang: str, title: str, main: str, head: str = "",
               nav: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_esc(title)}</title>\n{head}</head>\n<body>\n"
            f'<header><a class="logo" href="/">{_esc(outlet.name)}</a>{nav}</header>\n'
            f"<main>\n<h1>{_esc(title)}</h1>\n{main}\n</main>\n</body>\n</html>\n")


def _home(outlet: Outlet, lang: str, items: tuple[_Item, ...]) -> str:
    nav = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in _NAV)
    head = (f'<link rel="alternate" type="application/rss+xml" title="{_esc(outlet.name)}" '
            'href="/feed.xml">\n')
    main = (f'<ul class="latest">{_article_list(items[:_HOME_SIZE])}</ul>\n'
            f'<p class="partners">Partner: <a href="{_OFFSITE[0]}">{_OFFSITE[1]}</a></p>')
    return _html_page(outlet, lang, outlet.name, main, head, f"<nav><ul>{nav}</ul></nav>")


def _listing(outlet: Outlet, lang: str, kind: str, slug: str, query: str,
             items: tuple[_Item, ...]) -> str:
    if kind == "page":
        number = int(slug)
        shown = items[(number - 1) * _HOME_SIZE:number * _HOME_SIZE]
        more = len(items) > number * _HOME_SIZE
        after = f'\n<p><a rel="next" href="/page/{number + 1}/">Older stories</a></p>' if more else ""
        return _html_page(outlet, lang, f"Page {number}",
                          f'<ul class="latest">{_article_list(shown)}</ul>{after}')
    if kind in ("section", "tag", "author"):
        title = f"{kind.title()}: {slug.replace('-', ' ').title()}"
        return _html_page(outlet, lang, title,
                          f'<ul class="latest">{_article_list(items[:_LISTING_SIZE])}</ul>')
    if kind == "search":
        return _html_page(outlet, lang, "Search", f"<p>Results for {_esc(query)}: none.</p>")
    if kind == "private":
        return _html_page(outlet, lang, "Private", "<p>Staff only.</p>")
    return _html_page(outlet, lang, f"About {outlet.name}",
                      f"<p>{_esc(outlet.name)} is a fictional outlet of the citegraph sample web.</p>")


_NOT_FOUND = _resource(404, _HTML, "<!DOCTYPE html>\n<html><head><title>Not found</title></head>"
                                   "<body><h1>Not found</h1></body></html>\n")
_METHOD_NOT_ALLOWED = _resource(405, _TEXT, "CONNECT is not supported: the sample web is "
                                            "plain http\n")


def _not_served(host: str) -> _Resource:
    return _resource(502, _TEXT, f"{host or 'no host'}: not served by the sample web\n")


# --------------------------------------------------------------------------------------------------
# One outlet's site


@dataclass(frozen=True, slots=True)
class _Site:
    """What one host serves: prepared documents, articles by path, and the articles newest first."""

    outlet: Outlet
    lang: str
    fixed: dict[str, _Resource]
    articles: dict[str, _Resource]
    items: tuple[_Item, ...]


def _newest_first(items: list[_Item]) -> tuple[_Item, ...]:
    return tuple(sorted(items, key=lambda i: (i.published, i.url), reverse=True))


def _shared_documents(outlet: Outlet, items: tuple[_Item, ...]) -> dict[str, _Resource]:
    """Return the documents that are the same on the bare and the ``www.`` host."""
    modified = _http_date(items[0].published) if items else ""
    lang = items[0].lang if items else "en"
    docs = {"/news-sitemap.xml": _resource(200, _XML, _news_sitemap(outlet, items[:_NEWEST]), modified),
            "/feed.xml": _resource(200, _RSS, _rss(outlet, _home_url(outlet, items), items[:_NEWEST]),
                                   modified),
            "/": _resource(200, _HTML, _home(outlet, lang, items), modified)}
    for k, chunk in enumerate(_chunks(items), start=1):
        docs[f"/sitemaps/articles-{k}.xml"] = _resource(
            200, _XML, _urlset(chunk), _http_date(chunk[0].published) if chunk else "")
    return docs


def _home_url(outlet: Outlet, items: tuple[_Item, ...]) -> str:
    # The host the articles live on (bare or www.), as the outlet's own pages link home.
    host = urlsplit(items[0].url).hostname if items else outlet.id
    return f"http://{host}/"


def _chunks(items: tuple[_Item, ...]) -> list[tuple[_Item, ...]]:
    count = max(1, math.ceil(len(items) / _SITEMAP_SIZE))
    return [items[k * _SITEMAP_SIZE:(k + 1) * _SITEMAP_SIZE] for k in range(count)]


def _host_documents(host: str, items: tuple[_Item, ...]) -> dict[str, _Resource]:
    """Return the documents that name their own host (robots.txt, the sitemap index)."""
    chunks = [(f"/sitemaps/articles-{k}.xml", _day(chunk[0]) if chunk else "")
              for k, chunk in enumerate(_chunks(items), start=1)]
    chunks.append(("/news-sitemap.xml", _day(items[0]) if items else ""))
    modified = _http_date(items[0].published) if items else ""
    return {"/robots.txt": _resource(200, _TEXT, _robots(host)),
            "/sitemap.xml": _resource(200, _XML, _sitemap_index(host, chunks), modified)}


# --------------------------------------------------------------------------------------------------
# Requests


def _request_target(target: str, host_header: str) -> tuple[str, str, str]:
    """Return (host, path, query) of a request, in absolute form (a proxy request) or not."""
    try:
        if target.lower().startswith(("http://", "https://")):
            parts = urlsplit(target)
            return (parts.hostname or "").rstrip("."), parts.path or "/", parts.query
        host = urlsplit(f"//{host_header.strip()}").hostname or ""
    except ValueError:  # a malformed host is a host the sample web does not serve
        return "", target.partition("?")[0] or "/", ""
    path, _, query = target.partition("?")
    return host.rstrip("."), path or "/", query


def _accepts_gzip(header: str) -> bool:
    for part in header.lower().split(","):
        name, _, params = part.partition(";")
        if name.strip() not in ("gzip", "x-gzip", "*"):
            continue
        q = params.strip().replace(" ", "")
        if not q.startswith("q="):
            return True
        try:
            return float(q[2:]) > 0
        except ValueError:
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the prepared documents; CONNECT gets a 405."""

    protocol_version = "HTTP/1.1"  # keep-alive
    server_version = "citegraph-sample-web"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection gives its thread back
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without this Nagle's algorithm can hold the body.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        super().finish()

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:
            # A client that hangs up (or a stop() that closes the socket) ends this connection only.
            self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802 (the name http.server dispatches to)
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def do_CONNECT(self) -> None:  # noqa: N802
        web = self.server.web
        web._count(self.path.rsplit(":", 1)[0].lower(), "")
        self._send(_METHOD_NOT_ALLOWED, gzip_ok=False, head=False, extra=(("Allow", "GET, HEAD"),))

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        """Log nothing: a crawl of thousands of pages must not flood stderr."""

    def _answer(self, head: bool) -> None:
        host, path, query = _request_target(self.path, self.headers.get("Host", ""))
        web = self.server.web
        host = host.lower()
        web._count(host, path)
        resource = web._response(host, path, query)
        self._send(resource, _accepts_gzip(self.headers.get("Accept-Encoding", "")), head)

    def _send(self, resource: _Resource, gzip_ok: bool, head: bool,
              extra: tuple[tuple[str, str], ...] = ()) -> None:
        latency = self.server.web.latency
        if latency:
            time.sleep(latency)  # on this connection's own thread: other responses go on
        body, gzipped = resource.payload(gzip_ok)
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        if resource.last_modified:
            self.send_header("Last-Modified", resource.last_modified)
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    """A thread per connection; stop() closes open keep-alive connections instead of waiting."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # the default (5) drops connections when a crawler opens many at once

    def __init__(self, address: tuple[str, int], web: "SampleWeb") -> None:
        self.web = web
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up in DNS; a local test server needs no name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def track(self, connection: socket.socket, is_open: bool) -> None:
        with self._open_lock:
            (self._open.add if is_open else self._open.discard)(connection)

    def close_connections(self) -> None:
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already gone

    def handle_error(self, request, client_address) -> None:
        # Errors from clients that vanish are expected; anything else is a bug and is reported.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


# --------------------------------------------------------------------------------------------------
# The public class


def _checked(latency: float, port: int, host: str) -> float:
    if isinstance(latency, bool) or not isinstance(latency, (int, float)) \
            or not math.isfinite(latency) or latency < 0:
        raise SampleError("bad-latency", f"latency must be a number of seconds >= 0, got {latency!r}")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise SampleError("bad-port", f"port must be an integer from 0 to 65535, got {port!r}")
    if not isinstance(host, str) or not host:
        raise SampleError("bad-host", f"host must be an address to listen on, got {host!r}")
    return float(latency)


class SampleWeb:
    """The sample web over HTTP on 127.0.0.1 (threaded, HTTP/1.1 keep-alive).

    Parameters
    ----------
    n_pages, n_outlets, seed
        As for :func:`citegraph.sample.iter_pages`; the pages are generated with
        ``scheme="http"``, when the object is made.
    latency : float
        Seconds slept before each response, on the connection's own thread, so that responses
        on parallel connections overlap as they would on a real network.
    even : bool
        Spread pages evenly over the outlets (see :func:`citegraph.sample.iter_pages`).
    port : int
        Port to listen on; 0 picks a free one.
    host : str
        Address to listen on.

    Attributes
    ----------
    proxy_url : str
        ``http://127.0.0.1:PORT``, once started: use it as an HTTP proxy, or send plain requests
        to it with a ``Host`` header.
    hosts : tuple of str
        Every host served: each fictional outlet's bare domain and its ``www.`` host.
    seeds : tuple of str
        One bare domain per fictional outlet that has pages, as a user would type it.
    pages : Mapping
        URL -> :class:`~citegraph.sample.SamplePage` of every article served: the ground truth.
        A read-only mapping that keeps each page's HTML gzip-compressed.
    requests : collections.Counter
        ``(host, path) -> count`` of requests answered (path without the query string).
    outlets : list of Outlet
        ``sample_outlets(n_outlets, seed)``.

    Raises
    ------
    SampleError
        ``bad-count``, ``bad-latency``, ``bad-port`` or ``bad-host`` for bad arguments; ``bind``
        from :meth:`start` when the address cannot be listened on.

    Examples
    --------
    >>> import httpx
    >>> with SampleWeb(n_pages=10) as web:
    ...     url = next(iter(web.pages))
    ...     response = httpx.get(url, proxy=web.proxy_url)
    >>> response.text == web.pages[url].html
    True
    """

    def __init__(self, n_pages: int = 120, n_outlets: int = 12, seed: int = 0, *,
                 latency: float = 0.0, even: bool = False, port: int = 0,
                 host: str = "127.0.0.1") -> None:
        self.latency = _checked(latency, port, host)
        self.port, self.host = port, host
        self.outlets: list[Outlet] = sample_outlets(n_outlets, seed)
        self.pages = _Pages()
        self.requests: Counter = Counter()
        self._count_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        items = self._generate(n_pages, n_outlets, seed, even)
        self._sites = self._build_sites(items)
        self.hosts: tuple[str, ...] = tuple(self._sites)
        self.seeds: tuple[str, ...] = tuple(o.id for o in self.outlets if items[o.id])

    def _generate(self, n_pages: int, n_outlets: int, seed: int,
                  even: bool) -> dict[str, list[_Item]]:
        items: dict[str, list[_Item]] = {o.id: [] for o in self.outlets}
        for page in iter_pages(n_pages, n_outlets, seed, scheme="http", even=even):
            self.pages.add(page, _gzip(page.html.encode("utf-8")))
            items[page.outlet_id].append(_item_of(page))
        return items

    def _build_sites(self, items: dict[str, list[_Item]]) -> dict[str, _Site]:
        sites = {}
        for outlet in self.outlets:
            newest = _newest_first(items[outlet.id])
            shared = _shared_documents(outlet, newest)
            articles = {i.path: _Resource(200, _HTML, None, self.pages.gzipped(i.url),
                                          _http_date(i.published)) for i in newest}
            lang = newest[0].lang if newest else "en"
            for host in (outlet.id, f"www.{outlet.id}"):
                fixed = {**shared, **_host_documents(host, newest)}
                sites[host] = _Site(outlet, lang, fixed, articles, newest)
        return sites

    @property
    def proxy_url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        if self._server is None:
            raise SampleError("not-started", "the sample web is not running: call start() first")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> "SampleWeb":
        """Listen and serve on a background thread; return self. Starting twice does nothing."""
        if self._server is not None:
            return self
        try:
            self._server = _Server((self.host, self.port), self)
        except OSError as error:
            raise SampleError("bind", f"cannot listen on {self.host}:{self.port}: "
                                      f"{error.strerror or error}") from error
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="citegraph-sample-web", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection. Stopping twice does nothing."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "SampleWeb":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _count(self, host: str, path: str) -> None:
        """Count one request (called by the request handler)."""
        with self._count_lock:
            self.requests[(host, path)] += 1

    def _response(self, host: str, path: str, query: str = "") -> _Resource:
        """Return the response to a GET of ``path`` on ``host`` (called by the request handler)."""
        site = self._sites.get(host)
        if site is None:
            return _not_served(host)
        found = site.fixed.get(path) or site.articles.get(path)
        if found is not None:
            return found
        for pattern, kind in _LISTINGS:
            match = pattern.fullmatch(path)
            if match:
                slug = match.group(1) if match.groups() else ""
                return _resource(200, _HTML, _listing(site.outlet, site.lang, kind, slug, query,
                                                      site.items))
        return _NOT_FOUND
