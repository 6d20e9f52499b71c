"""Fetching, politely: async HTTP with per-host limits, robots.txt, retries and hard limits.

Every fetch ends as one :class:`Fetched`: the page (final URL, status, decoded body) or a short reason
code with a sentence a person can act on. Expected web errors are data, never exceptions:

``timeout``, ``dns``, ``tls``, ``connect``, ``connection-dropped``, ``proxy``, ``too-large``, ``not-html``,
``empty``, ``robots-denied``, ``robots-unavailable``, ``redirect-loop``, ``too-many-redirects``,
``bad-redirect``, ``bad-url``, ``http-<status>``.

Politeness (defaults in :class:`FetchPolicy`): one request at a time per host, one second apart (longer when
robots.txt asks with Crawl-delay), a global limit on requests in flight, robots.txt obeyed, an identifying
User-Agent. Every HTTP exchange, redirects and errors included, goes into the WARC archive when one is given.
"""
from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import email.utils
import functools
import random
import re
import socket
import ssl
import time
import zlib
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from .. import __version__
from ..models import FetchRecord
from .sources import binary_kind, sniff

__all__ = ["FetchPolicy", "Fetched", "Fetcher", "USER_AGENT", "ROBOTS_TOKEN", "run_sync"]

ROBOTS_TOKEN = "citegraph"  # the name robots.txt rules address
USER_AGENT = f"citegraph/{__version__} (+https://github.com/citegraph/citegraph; news citation research)"

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_SMALL_BODY = 65_536  # what is kept of redirect and error bodies, for the archive
_ROBOTS_MAX = 512_000
_OPEN_HOSTS = 256  # hosts with a client (and its kept-alive connections) at once  # Google reads the first 500 KiB of a robots.txt; so do we


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how far to fetch. The defaults are polite; every one is a setting."""

    user_agent: str = USER_AGENT
    concurrency: int = 16  # requests in flight, all hosts together
    per_host: int = 1  # requests in flight per host
    delay: float = 1.0  # seconds between the starts of two requests to a host
    robots: bool = True
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay above this is capped
    max_redirects: int = 10
    retries: int = 3  # after the first try, for 429, 5xx, timeouts and dropped connections
    backoff: float = 1.0  # first wait before a retry; doubles each time
    max_retry_after: float = 120.0  # a Retry-After longer than this gives up instead of waiting
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # silence between two bytes
    total_timeout: float = 120.0  # a whole response, against slow drips
    max_bytes: int = 20_000_000
    proxy: str = ""
    trust_env: bool = True  # HTTP(S)_PROXY and NO_PROXY from the environment, when no proxy is given


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of fetching one URL: a page (``error`` empty) or a failure with its reason code."""

    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    body: bytes = b""  # content-decoded payload
    error: str = ""
    detail: str = ""
    redirects: tuple[tuple[str, int], ...] = ()  # (url, status) of each redirect followed
    fetched_at: str = ""
    last_modified: str = ""
    warc_file: str = ""
    warc_offset: int | None = None
    retry_after: float | None = field(default=None, repr=False)  # set on retryable failures
    # Not asked for now: the site's robots.txt answered 5xx, so the site is off limits for now (RFC 9309);
    # a later crawl asks again. A site that cannot be reached at all fails as before.
    deferred: bool = False

    @property
    def ok(self) -> bool:
        return not self.error

    def record(self, source: str = "") -> FetchRecord:
        """The fetch-log row of this outcome."""
        return FetchRecord(url=self.url, final_url=self.final_url, status=self.status, error=self.error,
                           fetched_at=self.fetched_at, content_type=self.content_type, warc_file=self.warc_file,
                           warc_offset=self.warc_offset, source=source, detail=self.detail)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class _TooLarge(Exception):
    pass


@dataclass(slots=True)
class _Host:
    """A host's politeness state: its slots, when it may next be asked, how far apart."""

    slots: asyncio.Semaphore
    delay: float
    next_at: float = 0.0


@dataclass(frozen=True, slots=True)
class _Robots:
    parser: Protego | None  # None: everything allowed
    disallow_all: bool = False
    error: str = ""
    detail: str = ""

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        return self.parser is None or self.parser.can_fetch(url, ROBOTS_TOKEN)

    @property
    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


class Fetcher:
    """An async HTTP client that keeps to a :class:`FetchPolicy` and archives what it gets.

    Use it as an async context manager::

        async with Fetcher(FetchPolicy(delay=0.5), archive=warc) as fetcher:
            page = await fetcher.fetch("https://example.org/news/1")
    """

    def __init__(self, policy: FetchPolicy | None = None, *, archive=None) -> None:
        self.policy = policy or FetchPolicy()
        self.archive = archive
        # One small client per host: httpx's pool looks at every connection it holds on every request,
        # so one pool for hundreds of hosts costs more CPU than the requests. The TLS context is shared.
        self._clients: collections.OrderedDict[str, httpx.AsyncClient] = collections.OrderedDict()
        self._ssl: ssl.SSLContext | None = None
        self._busy: collections.Counter = collections.Counter()  # requests under way, by host
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, asyncio.Future] = {}
        self._global: asyncio.Semaphore | None = None

    async def __aenter__(self) -> "Fetcher":
        self._global = asyncio.Semaphore(max(1, self.policy.concurrency))
        self._ssl = httpx.create_ssl_context(trust_env=self.policy.trust_env)
        return self

    async def __aexit__(self, *exc) -> None:
        clients, self._clients = list(self._clients.values()), collections.OrderedDict()
        for client in clients:
            await client.aclose()

    async def _client(self, netloc: str) -> httpx.AsyncClient:
        client = self._clients.get(netloc)
        if client is not None:
            self._clients.move_to_end(netloc)
            return client
        p = self.policy
        client = self._clients[netloc] = httpx.AsyncClient(
            follow_redirects=False, proxy=p.proxy or None, trust_env=p.trust_env and not p.proxy, verify=self._ssl,
            timeout=httpx.Timeout(connect=p.connect_timeout, read=p.read_timeout, write=p.read_timeout, pool=None),
            limits=httpx.Limits(max_connections=max(1, p.per_host), max_keepalive_connections=max(1, p.per_host)),
            headers={"User-Agent": p.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                     "Accept-Encoding": "gzip, deflate"})
        # Hosts not asked for a while give their connections back; a host with a request under way keeps them.
        for old in [h for h in self._clients if not self._busy[h]][:max(0, len(self._clients) - _OPEN_HOSTS)]:
            idle = self._clients.pop(old, None)  # another eviction may have taken it while this one awaited
            if idle is not None:
                await idle.aclose()
        return client

    # -- public
    async def fetch(self, url: str, *, html: bool = True, role: str = "page") -> Fetched:
        """Fetch ``url``, following redirects: the page, or a failure with its reason code.

        With ``html`` (pages), anything that is not an HTML document is refused as ``not-html``;
        without it (sitemaps, feeds), any payload is returned. ``role`` goes into the archive with the
        exchange (``page``, ``home``, ``listing``): reading the archive back, only pages are articles."""
        chain: list[tuple[str, int]] = []
        seen = {url}
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            bad = _check_url(current)
            if bad:
                return Fetched(url=url, final_url=current, error="bad-url" if not chain else "bad-redirect",
                               detail=bad, redirects=tuple(chain), fetched_at=_now())
            if self.policy.robots:
                robots = await self.robots_of(current)
                if not robots.allows(current):
                    return _denied(url, current, robots, chain)
            got = await self._with_retries(current, html, role=role)
            location = got.final_url if got.error == "redirect" else ""
            if not location:
                return replace(got, url=url, redirects=tuple(chain))
            chain.append((current, got.status or 0))
            if location in seen:
                return replace(got, url=url, final_url=location, error="redirect-loop", redirects=tuple(chain),
                               detail=f"{url} redirects in a loop (back to {location}).")
            seen.add(location)
            current = location
        return Fetched(url=url, final_url=current, error="too-many-redirects", redirects=tuple(chain),
                       fetched_at=_now(), detail=f"{url} redirects more than {self.policy.max_redirects} times.")

    async def robots_of(self, url: str) -> _Robots:
        """The robots.txt rules of ``url``'s origin, fetched once per origin (concurrent callers wait)."""
        origin = _origin(url)
        future = self._robots.get(origin)
        if future is None:
            future = self._robots[origin] = asyncio.get_running_loop().create_future()
            try:
                robots = await self._fetch_robots(origin)
            except BaseException as e:  # a cancelled crawl: the waiters must not hang
                del self._robots[origin]
                future.set_exception(e)
                future.exception()  # mark it retrieved
                raise
            future.set_result(robots)
            return robots
        return await asyncio.shield(future)

    async def sitemaps_of(self, url: str) -> list[str]:
        """The Sitemap: lines of the robots.txt of ``url``'s origin."""
        robots_url = _origin(url) + "/robots.txt"
        return list(dict.fromkeys(urljoin(robots_url, s.strip()) for s in (await self.robots_of(url)).sitemaps))

    # -- robots
    async def _fetch_robots(self, origin: str) -> _Robots:
        url = origin + "/robots.txt"
        got = await self._robots_fetch(url)
        status = got.status or 0
        if got.error and status >= 500 or (got.error and not status and got.error != "too-large"):
            # RFC 9309: an unreachable robots.txt means the whole site is off limits, for now.
            code = "robots-unavailable" if status else got.error
            return _Robots(None, disallow_all=True, error=code,
                           detail=f"robots.txt of {origin} could not be read ({got.error}: {got.detail})")
        if got.error or not got.body:  # 4xx, too large, empty: no rules
            return _Robots(None)
        if binary_kind(got.body[:1024]):
            return _Robots(None)
        text = got.body[:_ROBOTS_MAX].decode("utf-8", errors="replace")
        try:
            parser = Protego.parse(text)
        except Exception:  # noqa: BLE001 - a robots.txt that cannot be read sets no rules
            return _Robots(None)
        delay = parser.crawl_delay(ROBOTS_TOKEN)
        if delay:
            host = self._host(urlsplit(origin).netloc)
            host.delay = max(host.delay, min(float(delay), self.policy.max_crawl_delay))
        return _Robots(parser)

    async def _robots_fetch(self, url: str) -> Fetched:
        current = url
        for _ in range(5):  # RFC 9309: follow at least five redirects
            got = await self._with_retries(current, html=False, limit=_ROBOTS_MAX, role="robots")
            if got.error != "redirect":
                return got
            current = got.final_url
        return Fetched(url=url, error="too-many-redirects", status=None, detail="robots.txt redirects too often")

    # -- one URL, retried
    async def _with_retries(self, url: str, html: bool, limit: int | None = None, role: str = "page") -> Fetched:
        p = self.policy
        host = self._host(urlsplit(url).netloc)
        got = Fetched(url=url)
        for attempt in range(p.retries + 1):
            async with self._slot(host):
                got = await self._once(url, html, limit or p.max_bytes, role)
            if got.retry_after is None or attempt == p.retries:
                break
            wait = got.retry_after or p.backoff * (2 ** attempt) * (0.75 + random.random() / 2)
            if wait > p.max_retry_after:
                return replace(got, detail=got.detail + f" The server asks to wait {wait:.0f} s, longer than "
                                                        f"max_retry_after ({p.max_retry_after:.0f} s).")
            host.next_at = max(host.next_at, time.monotonic() + wait)  # the whole host waits, not this URL only
            await asyncio.sleep(wait)
        return replace(got, retry_after=None)

    @asynccontextmanager
    async def _slot(self, host: _Host):
        async with host.slots:
            while True:
                wait = host.next_at - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                async with self._global:
                    # The delay counts from when a request really starts, after any wait for a global slot;
                    # another of the host's slots may have started one meanwhile.
                    if host.next_at <= time.monotonic():
                        host.next_at = time.monotonic() + host.delay
                        yield
                        return

    def _host(self, netloc: str) -> _Host:
        key = netloc.lower()
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(max(1, self.policy.per_host)), self.policy.delay)
        return host

    # -- one HTTP exchange
    async def _once(self, url: str, html: bool, limit: int, role: str) -> Fetched:
        p = self.policy
        started = _now()
        base = Fetched(url=url, final_url=url, fetched_at=started)
        try:
            async with asyncio.timeout(p.total_timeout):
                netloc = urlsplit(url).netloc.lower()
                client = await self._client(netloc)
                self._busy[netloc] += 1
                try:
                    async with client.stream("GET", url) as r:
                        return await self._answer(r, base, html, limit, role)
                finally:
                    self._busy[netloc] -= 1
        except TimeoutError:
            return replace(base, error="timeout", retry_after=0.0,
                           detail=f"{url} sent no complete answer within {p.total_timeout:.0f} s.")
        except (httpx.HTTPError, OSError, ssl.SSLError) as e:
            return replace(base, **_failure_of(e, url, p))

    async def _answer(self, r: httpx.Response, base: Fetched, html: bool, limit: int, role: str) -> Fetched:
        archived = functools.partial(self._archived, role=role)
        status = r.status_code
        ctype = r.headers.get("content-type", "")
        got = replace(base, status=status, content_type=ctype, last_modified=r.headers.get("last-modified", ""))
        if 300 <= status < 400 and status != 304:
            raw, _ = await _read(r, _SMALL_BODY, tolerant=True)
            got = archived(got, r, raw, truncated="length" if len(raw) >= _SMALL_BODY else "")
            location = r.headers.get("location", "").strip()
            if not location:
                return replace(got, error="bad-redirect", detail=f"{base.url} redirects ({status}) without a Location.")
            target = urljoin(str(r.url), location)
            return replace(got, error="redirect", final_url=target)
        if status >= 300 or status < 200:
            raw, _ = await _read(r, _SMALL_BODY, tolerant=True)
            got = archived(got, r, raw, truncated="length" if len(raw) >= _SMALL_BODY else "")
            retry = _retry_after(r.headers.get("retry-after", "")) if status in _RETRY_STATUSES else None
            return replace(got, error=f"http-{status}", retry_after=retry,
                           detail=f"{base.url} answered HTTP {status} {r.reason_phrase}".rstrip() + ".")
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            got = archived(got, r, b"", truncated="length")
            return replace(got, error="too-large",
                           detail=f"{base.url} declares {int(declared):,} bytes, more than max_bytes ({limit:,}).")
        if html and ctype and not _may_be_html(ctype):
            got = archived(got, r, b"", truncated="unspecified")
            return replace(got, error="not-html", detail=f"{base.url} is {ctype.split(';')[0]}, not an HTML page.")
        try:
            raw, body = await _read(r, limit)
        except _TooLarge as e:
            got = archived(got, r, e.args[0], truncated="length")
            return replace(got, error="too-large", detail=f"{base.url}: {e.args[1]}")
        except zlib.error as e:
            got = archived(got, r, b"", truncated="unspecified")
            return replace(got, error="decode", detail=f"{base.url}: the {r.headers.get('content-encoding')} "
                                                       f"body cannot be decoded ({e}).")
        except (httpx.HTTPError, OSError) as e:
            got = archived(got, r, b"", truncated="disconnect")
            return replace(got, **_failure_of(e, base.url, self.policy))
        got = archived(got, r, raw)
        if html:
            reason = sniff(body[:1024], ctype)
            if reason:
                what = binary_kind(body) or f"{ctype.split(';')[0] or 'untyped'} content without HTML markup"
                detail = "the response has no body." if reason == "empty" else f"it is {what}, not an HTML page."
                return replace(got, error=reason, detail=f"{base.url}: {detail}")
        return replace(got, body=body, final_url=str(r.url))

    def _archived(self, got: Fetched, r: httpx.Response, raw: bytes, truncated: str = "", *, role: str) -> Fetched:
        if self.archive is None:
            return got
        name, offset = self.archive.write_exchange(r, raw, truncated=truncated, role=role)
        return replace(got, warc_file=name, warc_offset=offset)


def run_sync(coro):
    """Run a coroutine to its end from synchronous code: with ``asyncio.run``, or, where an event loop
    already runs in this thread (a notebook, a GUI, playwright's sync API), on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="citegraph-crawl") as pool:
        return pool.submit(asyncio.run, coro).result()


def _denied(url: str, current: str, robots: _Robots, chain) -> Fetched:
    if robots.disallow_all:
        return Fetched(url=url, final_url=current, error=robots.error or "robots-unavailable", detail=robots.detail,
                       redirects=tuple(chain), fetched_at=_now(), deferred=robots.error == "robots-unavailable")
    return Fetched(url=url, final_url=current, error="robots-denied", redirects=tuple(chain), fetched_at=_now(),
                   detail=f"robots.txt of {_origin(current)} disallows {current} for {ROBOTS_TOKEN}.")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _check_url(url: str) -> str:
    """'' for a URL that can be fetched, else why not."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as e:
        return f"{url!r} is not a valid URL ({e})."
    if parts.scheme not in ("http", "https"):
        return f"{url!r} is not an http(s) URL."
    host = parts.hostname
    if not host:
        return f"{url!r} has no host."
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return f"{url!r} has a host name that cannot be encoded (IDNA)."
    if not _HOST_CHARS.match(host):
        return f"{url!r} has characters that no host name holds."
    return ""


_HOST_CHARS = re.compile(r"^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|[0-9a-f:.]+)$", re.I)


_HTML_OR_UNSURE = ("text/html", "application/xhtml+xml", "text/plain", "application/octet-stream",
                   "application/xml", "text/xml", "binary/octet-stream", "unknown/unknown")


def _may_be_html(content_type: str) -> bool:
    """Whether a declared type may still be an HTML page (and is worth sniffing)."""
    return content_type.split(";", 1)[0].strip().lower() in _HTML_OR_UNSURE


def _retry_after(value: str) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); 0 when absent or unreadable
    (the caller then backs off on its own schedule)."""
    value = value.strip()
    if not value:
        return 0.0
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


async def _read(r: httpx.Response, limit: int, tolerant: bool = False) -> tuple[bytes, bytes]:
    """(raw bytes as sent, content-decoded bytes), both bounded by ``limit``: past it, ``_TooLarge``
    (with what was read), or with ``tolerant`` just the first ``limit`` bytes."""
    # tolerant reads keep the bytes of redirects and errors for the archive: nothing is decoded, nothing can fail
    decoder = None if tolerant else _decoder(r.headers.get("content-encoding", ""))
    raw = bytearray()
    out = bytearray()
    try:
        async for chunk in r.aiter_raw():
            raw += chunk
            if decoder is not None:
                room = limit + 1 - len(out)  # never 0: zlib reads a max_length of 0 as "no limit"
                if room > 0:
                    out += decoder.decompress(chunk, room)
                if room <= 0 or len(out) > limit or decoder.unconsumed_tail:
                    if tolerant:
                        break
                    raise _TooLarge(bytes(raw[:limit]), f"the body inflates to more than {limit:,} bytes "
                                                        "(max_bytes); a compression bomb, or a very large page.")
            if len(raw) > limit:
                if tolerant:
                    break
                raise _TooLarge(bytes(raw[:limit]), f"the body is larger than max_bytes ({limit:,} bytes).")
    except (httpx.HTTPError, OSError):
        if not tolerant:
            raise
    if decoder is None:
        return bytes(raw[:limit]), bytes(raw[:limit])
    if not tolerant:
        out += decoder.flush()
    return bytes(raw[:limit]), bytes(out[:limit])


def _decoder(encoding: str):
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    return None  # identity, or an encoding we did not ask for: kept as it is


# Expected network errors, by exception type (first match wins): (type, reason code, retry, what happened).
def _failure_of(e: BaseException, url: str, p: FetchPolicy) -> dict:
    chain = _causes(e)
    if any(isinstance(c, socket.gaierror) for c in chain) or "name or service not known" in str(e).lower() \
            or "nodename nor servname" in str(e).lower() or "temporary failure in name resolution" in str(e).lower():
        return dict(error="dns", detail=f"the host of {url} cannot be found (DNS: {_short(e)}).")
    if any(isinstance(c, ssl.SSLError) for c in chain) or "ssl" in str(e).lower():
        return dict(error="tls", detail=f"{url}: the TLS handshake failed ({_short(e)}).")
    if isinstance(e, httpx.ProxyError):
        return dict(error="proxy", detail=f"{url}: the proxy {p.proxy or '(from the environment)'} failed ({_short(e)}).")
    if isinstance(e, httpx.ConnectTimeout):
        return dict(error="timeout", retry_after=0.0,
                    detail=f"{url}: no connection within {p.connect_timeout:.0f} s (connect timeout).")
    if isinstance(e, (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout)):
        return dict(error="timeout", retry_after=0.0,
                    detail=f"{url}: the server went silent for {p.read_timeout:.0f} s (read timeout).")
    if isinstance(e, httpx.RemoteProtocolError) or isinstance(e, httpx.ReadError):
        return dict(error="connection-dropped", retry_after=0.0,
                    detail=f"{url}: the server closed the connection before the answer was complete ({_short(e)}).")
    if isinstance(e, (httpx.ConnectError, ConnectionError, OSError)):
        return dict(error="connect", retry_after=0.0, detail=f"{url}: cannot connect ({_short(e)}).")
    if isinstance(e, (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError)):
        return dict(error="bad-url", detail=f"{url} cannot be requested ({_short(e)}).")
    return dict(error="http-error", detail=f"{url}: {type(e).__name__}: {_short(e)}")


def _causes(e: BaseException) -> list[BaseException]:
    out, seen = [], set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        out.append(e)
        e = e.__cause__ or e.__context__
    return out


def _short(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    return text if len(text) <= 160 else text[:157] + "..."
