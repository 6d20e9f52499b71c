"""The SQLite store: the fetch log, articles, citations, user outlets and runs.

One file, WAL mode. Writes are transactional and idempotent: saving an article again replaces its
citations, and recording the same input again replaces its fetch row, so a run killed at any point
can be run again without loss or duplicates.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from .models import Article, Citation, FetchRecord, Outlet, RunStats

__all__ = ["Store", "SCHEMA_VERSION", "StoreError"]

SCHEMA_VERSION = 2  # 2: the crawl frontier

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    versions TEXT NOT NULL DEFAULT '{}',
    started_at TEXT NOT NULL,
    finished_at TEXT,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS fetches (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    warc_offset INTEGER NOT NULL DEFAULT -1,
    final_url TEXT NOT NULL DEFAULT '',
    status INTEGER,
    error TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    fetched_at TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    warc_file TEXT NOT NULL DEFAULT '',
    run_id INTEGER REFERENCES runs(id),
    UNIQUE (url, source, warc_offset)
);
CREATE INDEX IF NOT EXISTS fetches_error ON fetches(error);
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL DEFAULT '',
    outlet_id TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',
    language TEXT NOT NULL DEFAULT '',
    body_chars INTEGER NOT NULL DEFAULT 0,
    site_name TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet_id);
CREATE TABLE IF NOT EXISTS citations (
    id INTEGER PRIMARY KEY,
    article_url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    source_outlet TEXT NOT NULL,
    target_outlet TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('link', 'mention', 'syndication')),
    target_url TEXT NOT NULL DEFAULT '',
    anchor_text TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL DEFAULT 1.0,
    position TEXT NOT NULL DEFAULT 'body'
);
CREATE INDEX IF NOT EXISTS citations_article ON citations(article_url);
CREATE INDEX IF NOT EXISTS citations_edge ON citations(source_outlet, target_outlet);
-- What a crawl has found and what it has done with it: the crawl resumes from here.
CREATE TABLE IF NOT EXISTS frontier (
    key TEXT PRIMARY KEY,              -- the normal form of the URL: variants are fetched once
    url TEXT NOT NULL,                 -- the URL to request
    kind TEXT NOT NULL,                -- outlet (discover an outlet's articles), listing (sitemap, feed), page
    outlet TEXT NOT NULL DEFAULT '',
    depth INTEGER NOT NULL DEFAULT 0,  -- in-site link hops from what the outlet lists
    hops INTEGER NOT NULL DEFAULT 0,   -- citation hops from the seeds
    via TEXT NOT NULL DEFAULT '',      -- seed, robots, sitemap, feed, home, link, citation, guess
    lastmod TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'queued',  -- queued, done, failed, skipped
    error TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS frontier_state ON frontier(state);
CREATE TABLE IF NOT EXISTS outlets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    domains TEXT NOT NULL DEFAULT '[]',
    kind TEXT NOT NULL DEFAULT 'other',
    country TEXT NOT NULL DEFAULT '',
    aliases TEXT NOT NULL DEFAULT '[]',
    shorteners TEXT NOT NULL DEFAULT '[]',
    ambiguous TEXT NOT NULL DEFAULT '[]'
);
"""

_CITATION_COLUMNS = ("article_url", "source_outlet", "target_outlet", "kind", "target_url", "anchor_text",
                     "context", "confidence", "position")


def _article_window(prefix: str, date_from: str, date_until: str, run_id: int | None) -> tuple[list[str], list]:
    """SQL conditions on the articles table (its columns behind ``prefix``): published inside the window
    (undated articles are left out of a window; an "until" of 2024-05 takes all of May), read by the run."""
    clauses, args = [], []
    if date_from:
        clauses.append(f"{prefix}published_at >= ?")
        args.append(date_from)
    if date_until:
        clauses.append(f"substr({prefix}published_at, 1, ?) <= ?")
        args += [len(date_until), date_until]
    if run_id is not None:
        clauses.append(f"{prefix}run_id = ?")
        args.append(run_id)
    return clauses, args


class StoreError(Exception):
    """The store file cannot be used (not a citegraph store, newer schema, unreadable)."""


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """A citegraph store in one SQLite file.

    Examples
    --------
    >>> import tempfile, os
    >>> store = Store(os.path.join(tempfile.mkdtemp(), "citegraph.db"))
    >>> store.counts()["articles"]
    0
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # check_same_thread off: a crawl may run on a thread of its own (where an event loop already runs
            # in this one), while this thread waits for it; the store is never used by two threads at once.
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            # Sorts and GROUP BYs over millions of citations spill to disk instead of growing memory.
            self.db.execute("PRAGMA temp_store=FILE")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a usable citegraph store: {e}") from e

    def _migrate(self) -> None:
        self.db.executescript(_SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer citegraph (schema {row[0]}); upgrade citegraph")
        elif int(row[0]) < SCHEMA_VERSION:  # older stores gain the new tables above, nothing else changes
            self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self):
        """A write transaction: all of it lands, or none."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- runs
    def start_run(self, command: str, settings: dict, versions: dict) -> int:
        cur = self.db.execute("INSERT INTO runs (command, settings, versions, started_at) VALUES (?, ?, ?, ?)",
                              (command, json.dumps(settings, sort_keys=True, default=str),
                               json.dumps(versions, sort_keys=True), _now()))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, counts: dict) -> None:
        self.db.execute("UPDATE runs SET finished_at=?, counts=? WHERE id=?",
                        (_now(), json.dumps(counts, sort_keys=True), run_id))

    # -- fetch log
    def record_fetch(self, rec: FetchRecord, run_id: int | None = None) -> None:
        """Log one input tried; the same input again replaces its row."""
        self.db.execute(
            "INSERT INTO fetches (url, source, warc_offset, final_url, status, error, detail, fetched_at, "
            "content_type, warc_file, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (url, source, warc_offset) DO UPDATE SET final_url=excluded.final_url, "
            "status=excluded.status, error=excluded.error, detail=excluded.detail, "
            "fetched_at=excluded.fetched_at, content_type=excluded.content_type, "
            "warc_file=excluded.warc_file, run_id=excluded.run_id",
            (rec.url, rec.source, -1 if rec.warc_offset is None else rec.warc_offset, rec.final_url,
             rec.status, rec.error, rec.detail, rec.fetched_at or _now(), rec.content_type, rec.warc_file, run_id))

    def fetches(self, *, errors_only: bool = False) -> list[FetchRecord]:
        sql = ("SELECT url, final_url, status, error, fetched_at, content_type, warc_file, warc_offset, source, "
               "detail FROM fetches")
        if errors_only:
            sql += " WHERE error != ''"
        return [FetchRecord(url=r[0], final_url=r[1], status=r[2], error=r[3], fetched_at=r[4], content_type=r[5],
                            warc_file=r[6], warc_offset=None if r[7] == -1 else r[7], source=r[8], detail=r[9])
                for r in self.db.execute(sql + " ORDER BY id")]

    def failures_by_reason(self) -> Counter:
        return Counter(dict(self.db.execute(
            "SELECT error, COUNT(*) FROM fetches WHERE error != '' GROUP BY error ORDER BY COUNT(*) DESC")))

    # -- articles and citations
    def has_article(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE url=?", (url,)).fetchone() is not None

    def save_article(self, article: Article, *, source: str = "", run_id: int | None = None) -> None:
        """Store an article and its citations, replacing what was stored for its URL."""
        self.db.execute("DELETE FROM citations WHERE article_url=?", (article.url,))
        self.db.execute(
            "INSERT OR REPLACE INTO articles (url, canonical_url, outlet_id, title, published_at, authors, language, "
            "body_chars, site_name, source, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.url, article.canonical_url, article.outlet_id, article.title, article.published_at,
             json.dumps(list(article.authors), ensure_ascii=False), article.language, article.body_chars,
             article.site_name, source, run_id))
        self.db.executemany(
            f"INSERT INTO citations ({', '.join(_CITATION_COLUMNS)}) VALUES ({', '.join('?' * len(_CITATION_COLUMNS))})",
            [tuple(getattr(c, k) for k in _CITATION_COLUMNS) for c in article.citations])

    def articles(self) -> Iterator[Article]:
        for r in self.db.execute("SELECT url, canonical_url, outlet_id, title, published_at, authors, language, "
                                 "body_chars, site_name FROM articles ORDER BY url"):
            yield Article(url=r[0], canonical_url=r[1], outlet_id=r[2], title=r[3], published_at=r[4],
                          authors=tuple(json.loads(r[5])), language=r[6], body_chars=r[7], site_name=r[8])

    def citations(self, *, kinds: Iterable[str] | None = None) -> Iterator[Citation]:
        sql = f"SELECT {', '.join(_CITATION_COLUMNS)} FROM citations"
        args: tuple = ()
        if kinds:
            kinds = tuple(kinds)
            sql += f" WHERE kind IN ({', '.join('?' * len(kinds))})"
            args = kinds
        for r in self.db.execute(sql + " ORDER BY id", args):
            yield Citation(*r)

    # -- aggregates for the graph: the citations never leave SQLite as Python objects
    def _filter(self, kinds, min_confidence: float, self_citations: bool, related: bool = False,
                date_from: str = "", date_until: str = "", run_id: int | None = None) -> tuple[str, list]:
        kinds = tuple(kinds)
        where = [f"c.kind IN ({', '.join('?' * len(kinds))})", "c.confidence >= ?",
                 "c.source_outlet != ''", "c.target_outlet != ''"]
        args: list = [*kinds, min_confidence]
        if not self_citations:
            where.append("c.source_outlet != c.target_outlet")
        if not related:
            where.append("c.position != 'related'")
        clauses, more = _article_window("a.", date_from, date_until, run_id)
        return " AND ".join(where + clauses), args + more

    def edge_counts(self, *, kinds, min_confidence: float = 0.0, self_citations: bool = False,
                    related: bool = False, date_from: str = "", date_until: str = "",
                    run_id: int | None = None) -> Iterator[tuple]:
        """(source, target, kind or '' for all kinds, distinct articles, first date, last date) rows."""
        where, args = self._filter(kinds, min_confidence, self_citations, related, date_from, date_until, run_id)
        sql = ("SELECT c.source_outlet, c.target_outlet, {kind}, COUNT(DISTINCT c.article_url), "
               "MIN(NULLIF(a.published_at, '')), MAX(NULLIF(a.published_at, '')) "
               "FROM citations c LEFT JOIN articles a ON a.url = c.article_url "
               f"WHERE {where} GROUP BY c.source_outlet, c.target_outlet{{group}}")
        yield from self.db.execute(sql.format(kind="''", group=""), args)
        yield from self.db.execute(sql.format(kind="c.kind", group=", c.kind"), args)

    def edge_evidence(self, *, kinds, limit: int, min_confidence: float = 0.0, self_citations: bool = False,
                      related: bool = False, date_from: str = "", date_until: str = "",
                      run_id: int | None = None) -> Iterator[tuple]:
        """Up to ``limit`` citations per edge, in the order they were stored: (source, target, evidence dict)."""
        where, args = self._filter(kinds, min_confidence, self_citations, related, date_from, date_until, run_id)
        sql = ("SELECT source_outlet, target_outlet, article_url, title, published_at, kind, target_url, "
               "anchor_text, context FROM (SELECT c.*, a.title, a.published_at, ROW_NUMBER() OVER "
               "(PARTITION BY c.source_outlet, c.target_outlet ORDER BY c.id) AS n "
               f"FROM citations c LEFT JOIN articles a ON a.url = c.article_url WHERE {where}) WHERE n <= ? "
               "ORDER BY source_outlet, target_outlet, n")
        for r in self.db.execute(sql, [*args, limit]):
            yield r[0], r[1], {"article_url": r[2], "article_title": r[3] or "", "published_at": r[4] or "",
                               "kind": r[5], "target_url": r[6], "anchor_text": r[7], "context": r[8]}

    def articles_per_outlet(self, *, date_from: str = "", date_until: str = "", run_id: int | None = None) -> dict[str, int]:
        clauses, args = _article_window("", date_from, date_until, run_id)
        return dict(self.db.execute(f"SELECT outlet_id, COUNT(*) FROM articles WHERE {' AND '.join(['1', *clauses])} "
                                    "GROUP BY outlet_id", args))

    def citations_per_month(self, *, kinds=("link", "mention", "syndication"), min_confidence: float = 0.0,
                            self_citations: bool = False, related: bool = False, date_from: str = "",
                            date_until: str = "", run_id: int | None = None) -> Iterator[tuple[str, str, str, str, int, int]]:
        """(YYYY-MM, source, target, kind, citations, distinct citing articles) by the citing article's
        publication month, with the filters of :meth:`edge_counts`; undated articles are left out."""
        where, args = self._filter(kinds, min_confidence, self_citations, related, date_from, date_until, run_id)
        yield from self.db.execute(
            "SELECT substr(a.published_at, 1, 7) AS m, c.source_outlet, c.target_outlet, c.kind, COUNT(*), "
            "COUNT(DISTINCT c.article_url) "
            f"FROM citations c JOIN articles a ON a.url = c.article_url WHERE length(a.published_at) >= 7 AND {where} "
            "GROUP BY m, c.source_outlet, c.target_outlet, c.kind ORDER BY m, c.kind", args)

    def date_range(self) -> tuple[str, str]:
        """The first and last publication dates of the stored articles ('' when none is dated)."""
        row = self.db.execute("SELECT MIN(NULLIF(published_at, '')), MAX(NULLIF(published_at, '')) FROM articles").fetchone()
        return (row[0] or "")[:10], (row[1] or "")[:10]

    def run_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM runs ORDER BY id")]

    # -- the crawl frontier
    def frontier_add(self, rows: Iterable[tuple]) -> list[tuple]:
        """Queue (key, url, kind, outlet, depth, hops, via, lastmod) rows; return those that were new (a key
        already known, whatever its state, is not queued again)."""
        added = []
        now = _now()
        for row in rows:
            cur = self.db.execute("INSERT OR IGNORE INTO frontier (key, url, kind, outlet, depth, hops, via, lastmod, "
                                  "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row, now))
            if cur.rowcount:
                added.append(tuple(row))
        return added

    def frontier_queued(self) -> list[tuple]:
        """The rows still to do, in the order they were found: (key, url, kind, outlet, depth, hops, via, lastmod)."""
        return list(self.db.execute("SELECT key, url, kind, outlet, depth, hops, via, lastmod FROM frontier "
                                    "WHERE state='queued' ORDER BY rowid"))

    def frontier_done(self, key: str, state: str = "done", error: str = "") -> None:
        self.db.execute("UPDATE frontier SET state=?, error=? WHERE key=?", (state, error, key))

    def frontier_counts(self) -> dict[str, int]:
        """Rows by state ('queued', 'done', 'failed', 'skipped')."""
        return dict(self.db.execute("SELECT state, COUNT(*) FROM frontier GROUP BY state"))

    def frontier_pages_by_outlet(self) -> dict[str, int]:
        """Pages found per outlet, whatever their state (what --max-per-outlet counts)."""
        return dict(self.db.execute("SELECT outlet, COUNT(*) FROM frontier WHERE kind='page' GROUP BY outlet"))

    # -- outlets given by the user (or the sample web), kept so later stages know them
    def save_outlets(self, outlets: Iterable[Outlet]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO outlets VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(o.id, o.name, json.dumps(list(o.domains)), o.kind, o.country, json.dumps(list(o.aliases)),
              json.dumps(list(o.shorteners)), json.dumps(list(o.ambiguous))) for o in outlets])

    def outlets(self) -> list[Outlet]:
        return [Outlet(id=r[0], name=r[1], domains=tuple(json.loads(r[2])), kind=r[3], country=r[4],
                       aliases=tuple(json.loads(r[5])), shorteners=tuple(json.loads(r[6])),
                       ambiguous=tuple(json.loads(r[7])))
                for r in self.db.execute("SELECT * FROM outlets ORDER BY id")]

    # -- summaries
    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "inputs": one("SELECT COUNT(*) FROM fetches"),
            "failures": one("SELECT COUNT(*) FROM fetches WHERE error != ''"),
            "articles": one("SELECT COUNT(*) FROM articles"),
            "citations": one("SELECT COUNT(*) FROM citations"),
        }

    def run_stats(self) -> RunStats:
        """What the store holds, for reports."""
        by_kind = tuple(self.db.execute(
            "SELECT kind, COUNT(*) FROM citations WHERE source_outlet != target_outlet GROUP BY kind ORDER BY kind"))
        outlets = self.db.execute(
            "SELECT COUNT(*) FROM (SELECT outlet_id AS o FROM articles UNION SELECT target_outlet FROM citations)"
        ).fetchone()[0]
        selfc = self.db.execute("SELECT COUNT(*) FROM citations WHERE source_outlet = target_outlet").fetchone()[0]
        c = self.counts()
        return RunStats(inputs=c["inputs"], articles=c["articles"], outlets=outlets,
                        citations_by_kind=by_kind, failures_by_reason=tuple(self.failures_by_reason().items()),
                        self_citations=selfc, generated_at=_now())
