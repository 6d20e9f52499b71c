"""The crawler: from seed outlets and URLs to stored articles, politely, resumably, losing nothing.

A seed is an article URL, an outlet's root URL, or a bare domain (``example.com``: https first, http
when https cannot be reached). For an outlet, articles are found through its robots.txt sitemaps (and
sitemap indexes, and Google News sitemaps), its RSS/Atom feeds and the links of its home page that look
like articles; ``depth`` follows in-site article links further, ``follow_citations`` crawls the outlets
that crawled articles cite, hop by hop.

The frontier lives in the store: every URL found is a row (its normal form is the key, so tracking
parameters and ``www.`` variants are fetched once), and a page's row is marked done in the same
transaction that stores its article and fetch-log row. A crawl killed at any moment resumes with the
rows still queued: nothing stored is fetched again, nothing found is lost. Raw responses go to gzip WARC
files beside the store (:mod:`citegraph.scrapers.archive`).

Fetching is :class:`~citegraph.scrapers.fetch.Fetcher`'s job (politeness, robots.txt, retries, limits);
reading a page into an article is the ``read`` function the caller passes (the pipeline's extraction).
"""
from __future__ import annotations

import asyncio
import heapq
import inspect
import itertools
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

from ..models import Article, FetchRecord
from ..outlets import Registry, normalize_url, registered_domain
from .discover import (COMMON_FEED_PATHS, COMMON_SITEMAP_PATHS, article_links, feed_links, is_recent,
                       parse_listing)
from .archive import ArchiveError
from .fetch import Fetched, Fetcher, FetchPolicy
from .sources import RawPage, decode_html

__all__ = ["CrawlOptions", "CrawlProgress", "CrawlResult", "Seed", "parse_seed", "crawl"]

# Work on a host runs in this order: discover the outlet, read its listings, then fetch pages.
_ORDER = {"outlet": 0, "listing": 1, "page": 2}
_HOST_RX = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}[a-z0-9]$|"
                      r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+xn--[a-z0-9-]+$")


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    """What to crawl, beyond politeness (which is the fetcher's :class:`FetchPolicy`)."""

    depth: int = 0  # in-site article links followed from crawled articles, in hops
    max_pages: int = 0  # article pages fetched in this run, 0 for no limit
    max_per_outlet: int = 0  # article pages queued per outlet, 0 for no limit
    since: date | None = None  # articles older than this (by listing date, else page date) are left out
    follow_citations: int = 0  # hops of cited outlets crawled in turn
    probe_listings: bool = True  # try /sitemap.xml, /feed ... when an outlet announces no listing


@dataclass(frozen=True, slots=True)
class Seed:
    """A seed as understood: an outlet to discover, or a page to fetch; or the reason it is unusable."""

    text: str
    url: str = ""
    kind: str = ""  # "outlet" or "page"
    bare: bool = False  # a bare domain: http is tried when https cannot be reached
    error: str = ""
    detail: str = ""


def parse_seed(text: str) -> Seed:
    """Read one seed: an http(s) URL (a site's root is an outlet, any other path a page) or a bare
    domain (an outlet).

    Examples
    --------
    >>> parse_seed("example.com").url, parse_seed("example.com").kind
    ('https://example.com/', 'outlet')
    >>> parse_seed("https://example.com/news/2024/05/a-story").kind
    'page'
    >>> parse_seed("not a seed").error
    'bad-seed'
    """
    raw = text.strip()
    if re.match(r"^https?://", raw, re.I):
        if not normalize_url(raw):
            return Seed(text, error="bad-seed", detail=f"{text!r} is not a usable http(s) URL.")
        parts = urlsplit(raw)
        if parts.path in ("", "/") and not parts.query:
            return Seed(text, url=urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/", "", "")), kind="outlet")
        return Seed(text, url=urlunsplit(parts._replace(fragment="")), kind="page")
    host = raw.lower().rstrip("/").removeprefix("www.") if raw else ""
    try:
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
    except UnicodeError:
        host = ""
    if host and _HOST_RX.match(host) and registered_domain(host):
        return Seed(text, url=f"https://{host}/", kind="outlet", bare=True)
    return Seed(text, error="bad-seed",
                detail=f"{text!r} is neither an http(s) URL nor a domain name (give example.com or https://example.com/a).")


@dataclass(slots=True)
class CrawlProgress:
    """Counts as the crawl goes, for a progress display; ``by_outlet`` counts pages fetched."""

    fetched: int = 0
    articles: int = 0
    failures: Counter = field(default_factory=Counter)
    by_outlet: Counter = field(default_factory=Counter)
    queued: int = 0
    in_flight: int = 0
    skipped: int = 0
    deferred: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        return self.fetched / max(1e-9, time.monotonic() - self.started)


@dataclass(frozen=True, slots=True)
class CrawlResult:
    fetched: int  # HTTP fetches made (pages, listings, home pages)
    articles: int  # articles stored
    failures: tuple[tuple[str, int], ...]  # by reason code
    queued: int  # rows left to do (a later run resumes them)
    stopped: bool  # interrupted before the frontier was empty
    limited: bool  # max_pages was reached
    warc_files: tuple[str, ...]
    deferred: int = 0  # left queued because their site's robots.txt could not be read: a later run tries them


@dataclass(order=True, slots=True)
class _Item:
    order: tuple
    key: str = field(compare=False)
    url: str = field(compare=False)
    kind: str = field(compare=False)
    outlet: str = field(compare=False)
    depth: int = field(compare=False)
    hops: int = field(compare=False)
    via: str = field(compare=False)
    lastmod: str = field(compare=False)


Reader = Callable[[RawPage], tuple[FetchRecord, "Article | None"]]


class _Crawl:
    def __init__(self, store, registry: Registry, fetcher: Fetcher, read: Reader, options: CrawlOptions,
                 progress: CrawlProgress, on_progress, run_id):
        self.store, self.registry, self.fetcher, self.read = store, registry, fetcher, read
        self.options, self.progress, self.on_progress, self.run_id = options, progress, on_progress, run_id
        self.queues: dict[str, list[_Item]] = {}
        self.workers: dict[str, asyncio.Task] = {}
        self.pending = 0
        self.idle = asyncio.Event()
        self.seq = itertools.count()
        self.per_outlet = Counter(store.frontier_pages_by_outlet())
        self.pages_started = 0
        self.listed: dict[str, str] = {}  # page key -> the date a listing gives it (pages found first elsewhere)
        self.writes = 0
        self.last_commit = time.monotonic()
        self.error: BaseException | None = None  # a bug met by a worker: it stops the crawl

    # -- queue
    def queue(self, rows: list[tuple]) -> None:
        """Add frontier rows (key, url, kind, outlet, depth, hops, via, lastmod): stored first, then
        scheduled; a key already known is neither."""
        for row in self.store.frontier_add(rows):
            self._schedule(row)
        self._maybe_commit()

    def _schedule(self, row) -> None:
        key, url, kind, outlet, depth, hops, via, lastmod = row
        item = _Item((_ORDER.get(kind, 2), next(self.seq)), key, url, kind, outlet, depth, hops, via, lastmod)
        host = urlsplit(url).netloc.lower()
        heapq.heappush(self.queues.setdefault(host, []), item)
        self.pending += 1
        self.progress.queued += 1
        self.idle.clear()
        if host not in self.workers:
            self.workers[host] = asyncio.create_task(self._host_worker(host))

    def page_row(self, url: str, outlet: str, depth: int, hops: int, via: str, lastmod: str = "") -> tuple | None:
        """A page's frontier row, or None when it is out of bounds (per-outlet limit, too old)."""
        key = normalize_url(url)
        if not key:
            return None
        if self.options.since and lastmod and is_recent(lastmod, self.options.since) is False:
            self.progress.skipped += 1
            return None
        cap = self.options.max_per_outlet
        if cap:  # a page already found (in this run or an earlier one) takes no second place
            if self.store.db.execute("SELECT 1 FROM frontier WHERE key=?", (key,)).fetchone():
                return None
            if self.per_outlet[outlet] >= cap:
                return None
            self.per_outlet[outlet] += 1
        return (key, _without_fragment(url), "page", outlet, depth, hops, via, lastmod)

    # -- workers
    async def _host_worker(self, host: str) -> None:
        queue = self.queues[host]
        try:
            while queue and self.error is None:
                item = heapq.heappop(queue)
                self.progress.queued -= 1
                try:
                    await self._process(item)
                except (CrawlError, ArchiveError) as e:  # kept for _until_done, whichever worker meets it
                    self.error = self.error or e
                finally:
                    self.pending -= 1
                    if self.pending == 0 or self.error is not None:
                        self.idle.set()
        finally:
            del self.workers[host]

    async def _process(self, item: _Item) -> None:
        if self.options.max_pages and self.pages_started >= self.options.max_pages:
            return  # left queued, listings too: a later run goes on from here
        if item.kind == "page":
            self.pages_started += 1
        self.progress.in_flight += 1
        try:
            if item.kind == "outlet":
                await self._discover(item)
            elif item.kind == "listing":
                await self._listing(item)
            else:
                await self._page(item)
        except ArchiveError:  # a full disk: the run stops, with a message, and resumes later
            raise
        except Exception as e:  # our bug: stop, naming the URL
            raise CrawlError(f"crawl failed on {item.url}: {type(e).__name__}: {e}") from e
        finally:
            self.progress.in_flight -= 1
            self.on_progress(self.progress)

    def _deferred(self, got: Fetched, item: _Item) -> bool:
        """Whether ``got`` was not asked for because its site is off limits for now (robots.txt unreadable):
        then it is logged, and its row stays queued for a later run, not retried in this one."""
        if not got.deferred:
            return False
        self.store.record_fetch(got.record(source="crawl"), self.run_id)  # logged, not counted as fetched
        self.store.frontier_done(item.key, "queued", got.error)
        self.progress.deferred += 1
        if item.kind == "page":
            self.pages_started -= 1  # it took no place under --max-pages
        self._maybe_commit()
        return True

    def _log(self, got: Fetched, item: _Item) -> None:
        record = got.record(source="crawl")
        if got.redirects and not got.error:
            record = replace(record, detail=_chain(got.redirects, got.final_url))
        self.store.record_fetch(record, self.run_id)
        self.progress.fetched += 1
        if got.error:
            self.progress.failures[got.error] += 1

    # -- an outlet: its home page, listings, and the article links of its home page
    async def _discover(self, item: _Item) -> None:
        got = await self.fetcher.fetch(item.url, role="home")
        if got.error in ("dns", "connect", "tls", "timeout", "proxy") and item.url.startswith("https://") \
                and item.via in ("seed-bare", "citation"):
            # A bare domain: https first, http when https cannot be reached. Only a second failure is logged
            # as two; a site that answers on http is not a failure.
            plain = await self.fetcher.fetch("http://" + item.url[len("https://"):], role="home")
            if plain.error:
                self._log(got, item)
            got = plain
        if self._deferred(got, item):
            return
        self._log(got, item)
        self.store.frontier_done(item.key, "failed" if got.error else "done", got.error)
        if got.error:
            self._maybe_commit()
            return
        home = got.final_url or item.url
        outlet = item.outlet or self.registry.outlet_of(home)
        rows = []
        listings = [(u, "robots") for u in await self.fetcher.sitemaps_of(home)]
        html = decode_html(got.body, got.content_type)
        listings += [(u, "feed") for u in feed_links(html, home)]
        if not listings and self.options.probe_listings:
            listings = [(_join(home, p), "guess") for p in (*COMMON_SITEMAP_PATHS[:2], *COMMON_FEED_PATHS[:2])]
        for url, via in listings:
            key = normalize_url(url)
            if key:
                rows.append((key, url, "listing", outlet, 0, item.hops, via, ""))
        for url in article_links(html, home):
            if self.registry.outlet_of(url) == outlet:
                row = self.page_row(url, outlet, 0, item.hops, "home")
                if row:
                    rows.append(row)
        self.queue(rows)

    # -- a sitemap, sitemap index or feed
    async def _listing(self, item: _Item) -> None:
        got = await self.fetcher.fetch(item.url, html=False, role="listing")
        if self._deferred(got, item):
            return
        self._log(got, item)
        if got.error:
            self.store.frontier_done(item.key, "failed", got.error)
            self._maybe_commit()
            return
        listing = parse_listing(got.body, got.final_url or item.url, got.content_type)
        if listing.error and not listing.entries:
            self.store.frontier_done(item.key, "failed", listing.error)
            self.progress.failures[listing.error] += 1
            self.store.record_fetch(FetchRecord(url=item.url, final_url=got.final_url, status=got.status,
                                                error=listing.error, detail=listing.detail, source="crawl",
                                                content_type=got.content_type, warc_file=got.warc_file,
                                                warc_offset=got.warc_offset), self.run_id)
            self._maybe_commit()
            return
        self.store.frontier_done(item.key)
        rows = []
        entries = sorted(listing.entries, key=lambda e: e.lastmod, reverse=True)  # newest first, under the caps
        for entry in entries:
            if self.registry.outlet_of(entry.url) != item.outlet:
                continue  # a listing speaks for its own outlet only
            if entry.kind in ("sitemap", "feed"):  # a sitemap index's child, a paged feed's next page
                if self.options.since and entry.lastmod and is_recent(entry.lastmod, self.options.since) is False:
                    continue
                key = normalize_url(entry.url)
                if key:
                    via = "sitemap" if entry.kind == "sitemap" else "feed"
                    rows.append((key, entry.url, "listing", item.outlet, 0, item.hops, via, entry.lastmod))
            else:
                if entry.lastmod:
                    self.listed[normalize_url(entry.url)] = entry.lastmod
                row = self.page_row(entry.url, item.outlet, 0, item.hops,
                                    "feed" if item.via == "feed" else "sitemap", entry.lastmod)
                if row:
                    rows.append(row)
        self.queue(rows)

    # -- an article page
    async def _page(self, item: _Item) -> None:
        since = self.options.since
        lastmod = item.lastmod or self.listed.get(item.key, "")
        if since and lastmod and is_recent(lastmod, since) is False:  # a listing dated it after it was queued
            self.store.frontier_done(item.key, "skipped", "before-since")
            self.progress.skipped += 1
            self._maybe_commit()
            return
        got = await self.fetcher.fetch(item.url)
        if self._deferred(got, item):
            return
        self.progress.by_outlet[item.outlet] += 1
        if got.error:
            self._log(got, item)
            self.store.frontier_done(item.key, "failed", got.error)
            self._maybe_commit()
            return
        raw = RawPage(url=got.final_url or item.url, data=got.body, content_type=got.content_type, source="crawl",
                      warc_file=got.warc_file, warc_offset=got.warc_offset, fetched_at=got.fetched_at,
                      status=got.status)
        record, article = await self._read(raw)
        record = replace(record, url=item.url, source="crawl",
                         detail=record.detail or _chain(got.redirects, got.final_url))
        if article is not None and since and article.published_at and article.published_at[:10] < since.isoformat():
            record = _as_failure(record, "before-since", f"{item.url} was published on {article.published_at[:10]}, "
                                                         f"before --since {since.isoformat()}.")
            article = None
        self.store.record_fetch(record, self.run_id)
        self.progress.fetched += 1
        if article is None:
            self.progress.failures[record.error] += 1
            self.store.frontier_done(item.key, "failed", record.error)
        else:
            self.store.save_article(article, source="crawl", run_id=self.run_id)
            self.store.frontier_done(item.key)
            self.progress.articles += 1
            self._follow(item, got, article)
        self._maybe_commit()

    async def _read(self, raw: RawPage):
        got = self.read(raw)  # a plain function, or a coroutine function that reads in other processes
        return await got if inspect.isawaitable(got) else got

    def _follow(self, item: _Item, got: Fetched, article: Article) -> None:
        rows = []
        if item.depth < self.options.depth:
            html = decode_html(got.body, got.content_type)
            for url in article_links(html, got.final_url or item.url):
                if self.registry.outlet_of(url) == item.outlet:
                    row = self.page_row(url, item.outlet, item.depth + 1, item.hops, "link")
                    if row:
                        rows.append(row)
        if item.hops < self.options.follow_citations:
            for c in article.citations:
                target = c.target_outlet
                if not target or target == item.outlet or self.registry.is_platform(target) or "/" in target:
                    continue
                url = f"https://{target}/"
                rows.append((normalize_url(url) or url, url, "outlet", target, 0, item.hops + 1, "citation", ""))
        if rows:
            self.queue(rows)

    # -- the store
    def _maybe_commit(self, force: bool = False) -> None:
        self.writes += 1
        now = time.monotonic()
        if force or self.writes >= 200 or now - self.last_commit >= 0.5:
            db = self.store.db
            if db.in_transaction:
                db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
            self.writes, self.last_commit = 0, now


class CrawlError(Exception):
    """A bug met while crawling, naming the URL it happened on."""


def _join(home: str, path: str) -> str:
    parts = urlsplit(home)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _chain(redirects, final_url: str) -> str:
    """The redirect chain of a fetch, for the fetch log: 'redirected: a (301) -> b (302) -> c'."""
    if not redirects:
        return ""
    return "redirected: " + " -> ".join(f"{url} ({status})" for url, status in redirects) + f" -> {final_url}"


def _as_failure(record: FetchRecord, code: str, detail: str) -> FetchRecord:
    return replace(record, error=code, detail=detail)


def seed_rows(seeds: list[Seed], registry: Registry) -> list[tuple]:
    rows = []
    for s in seeds:
        if s.error:
            continue
        outlet = registry.outlet_of(s.url)
        via = "seed-bare" if s.bare else "seed"
        rows.append((normalize_url(s.url) or s.url, s.url, s.kind, outlet, 0, 0, via, ""))
    return rows


async def crawl(seeds: list[str], store, registry: Registry, read: Reader, *, policy: FetchPolicy | None = None,
                options: CrawlOptions | None = None, archive=None, run_id: int | None = None,
                on_progress=None) -> CrawlResult:
    """Crawl from ``seeds`` (or resume the store's frontier) until nothing is left or a limit is met.

    Parameters
    ----------
    seeds : list of str
        Article URLs, outlet root URLs or bare domains. Seeds already in the frontier are not queued
        again; an unusable seed is logged with reason code ``bad-seed``.
    store : Store
        The store holding the frontier, the fetch log and the articles.
    read : callable
        Turns a fetched page (:class:`RawPage`) into its fetch-log row and article (or None); a coroutine
        function (such as a :class:`~citegraph.scrapers.pool.ReaderPool`) is awaited.
    """
    options = options or CrawlOptions()
    progress = CrawlProgress()
    parsed = [parse_seed(s) for s in seeds]
    for s in parsed:
        if s.error:
            store.record_fetch(FetchRecord(url=s.text, error=s.error, detail=s.detail, source="crawl"), run_id)
            progress.failures[s.error] += 1
    async with Fetcher(policy, archive=archive) as fetcher:
        state = _Crawl(store, registry, fetcher, read, options, progress, on_progress or (lambda p: None), run_id)
        state._maybe_commit(force=True)
        try:
            state.queue(seed_rows(parsed, registry))
            _resume(state, store)
            if state.pending:
                await _until_done(state)
            stopped = False
        except (asyncio.CancelledError, KeyboardInterrupt):
            stopped = True
            for task in list(state.workers.values()):
                task.cancel()
            await asyncio.gather(*state.workers.values(), return_exceptions=True)
        finally:
            state._maybe_commit(force=True)
            if store.db.in_transaction:
                store.db.execute("COMMIT")
    counts = store.frontier_counts()
    left = counts.get("queued", 0)
    return CrawlResult(fetched=progress.fetched, articles=progress.articles,
                       failures=tuple(progress.failures.most_common()), queued=left, stopped=stopped,
                       limited=bool(options.max_pages and state.pages_started >= options.max_pages),
                       warc_files=tuple(str(p) for p in getattr(archive, "files", ())), deferred=progress.deferred)


def _resume(state: _Crawl, store) -> None:
    """Schedule every queued frontier row not already scheduled (what earlier runs left)."""
    scheduled = {item.key for q in state.queues.values() for item in q}
    for row in store.frontier_queued():
        if row[0] not in scheduled:
            state._schedule(row)


async def _until_done(state: _Crawl) -> None:
    """Wait until no work is pending; an error a worker met (a bug, a full disk) stops the crawl."""
    while state.pending and state.error is None:
        await state.idle.wait()
    if state.error is not None:
        workers = list(state.workers.values())
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise state.error
