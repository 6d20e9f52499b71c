"""The crawler end to end, against servers on 127.0.0.1: the sample web, a hostile web, a chain of pages."""
from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from faultweb import FaultWeb, gzip_bomb, serving  # noqa: E402

from citegraph.cli import cli  # noqa: E402
from citegraph.config import load_settings  # noqa: E402
from citegraph.outlets import normalize_url  # noqa: E402
from citegraph.pipeline import crawl, ingest  # noqa: E402
from citegraph.sample import sample_outlets, write_outlets_file  # noqa: E402
from citegraph.sample_web import SampleWeb  # noqa: E402
from citegraph.scrapers.crawl import parse_seed  # noqa: E402
from citegraph.scrapers.sources import RawPage, iter_inputs  # noqa: E402
from citegraph.store import Store  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"


def settings_for(tmp_path, **kw):
    base = {"db": str(tmp_path / "c.db"), "delay": 0.0, "progress": False, "retries": 0, "timeout": 2.0,
            "response_timeout": 5.0}
    return load_settings({**base, **kw}, environ={}, config_file=tmp_path / "none.toml")


@pytest.fixture(scope="module")
def sample():
    with SampleWeb(n_pages=48, n_outlets=6) as web:
        yield web


def outlets_file(tmp_path, n=6):
    path = tmp_path / "outlets.json"
    write_outlets_file(sample_outlets(n), path)
    return str(path)


def stored(db) -> set[str]:
    """The article URLs in a store, while another process may be creating it."""
    try:
        with sqlite3.connect(db) as con:
            return {r[0] for r in con.execute("SELECT url FROM articles")}
    except sqlite3.OperationalError:  # no tables yet
        return set()


def article_requests(web) -> dict[str, int]:
    """Requests per article URL, www and bare host together."""
    out = {}
    for url in web.pages:
        host, path = url.split("://", 1)[1].split("/", 1)
        bare = host.removeprefix("www.")
        out[normalize_url(url)] = web.requests[(bare, "/" + path)] + web.requests[("www." + bare, "/" + path)]
    return out


def test_seeds_are_read_or_refused_with_a_reason():
    assert parse_seed("Example.COM").url == "https://example.com/"
    assert parse_seed("www.example.com").kind == "outlet"
    assert parse_seed("https://example.com").kind == "outlet"
    assert parse_seed("https://example.com/2024/05/a-story?x=1#top").url == "https://example.com/2024/05/a-story?x=1"
    assert parse_seed("bücher.de").url == "https://xn--bcher-kva.de/"
    for bad in ("not a seed", "ftp://example.com/x", "", "example", "http://", "-bad-.com", "a..b.com", "/etc/passwd"):
        assert parse_seed(bad).error == "bad-seed", bad


def test_a_crawl_of_outlets_stores_every_article_once(sample, tmp_path):
    s = settings_for(tmp_path, proxy=sample.proxy_url, outlets_files=(outlets_file(tmp_path),))
    result = crawl(sample.seeds, s)
    assert not result.stopped and result.queued == 0
    assert stored(s.db) == {normalize_url(u) for u in sample.pages}
    assert result.articles == len(sample.pages)
    assert set(article_requests(sample).values()) == {1}  # www and bare variants, home and sitemap: once
    assert not any(path.startswith(("/search", "/private")) for _h, path in sample.requests)
    with Store(s.db) as store:
        # the pages as crawled give the citations the pages themselves give
        assert store.counts()["citations"] > len(sample.pages)
        assert store.frontier_counts() == {"done": store.frontier_counts()["done"]}
    # the crawl is a web archive: ingesting it again gives the same articles and citations
    again = settings_for(tmp_path, db=str(tmp_path / "again.db"), outlets_files=(outlets_file(tmp_path),))
    ingest([str(p) for p in result.warc_files], again)
    assert _content(s.db) == _content(again.db)


def _content(db):
    with sqlite3.connect(db) as con:
        arts = set(con.execute("SELECT url, outlet_id, title, published_at, body_chars FROM articles"))
        cits = sorted(con.execute("SELECT article_url, target_outlet, kind, target_url, context FROM citations"))
    return arts, cits


def test_running_the_same_crawl_again_fetches_nothing(sample, tmp_path):
    s = settings_for(tmp_path, proxy=sample.proxy_url)
    crawl(sample.seeds[:2], s)
    before = sum(sample.requests.values())
    result = crawl(sample.seeds[:2], s)
    assert result.fetched == 0 and sum(sample.requests.values()) == before


def test_limits_per_outlet_and_per_run(sample, tmp_path):
    s = settings_for(tmp_path, proxy=sample.proxy_url, max_per_outlet=2)
    crawl(sample.seeds, s)
    with Store(s.db) as store:
        per = store.articles_per_outlet()
    assert per and all(1 <= n <= 2 for n in per.values())

    s = settings_for(tmp_path, db=str(tmp_path / "m.db"), proxy=sample.proxy_url, max_pages=5)
    first = crawl(sample.seeds, s)
    assert first.limited and first.articles == 5 and first.queued > 0
    while crawl([], s).queued:  # each run goes on where the last stopped
        pass
    assert stored(s.db) == {normalize_url(u) for u in sample.pages}


def test_since_leaves_out_older_articles(sample, tmp_path):
    dates = sorted(p.published_at for p in sample.pages.values())
    since = dates[len(dates) // 2]
    s = settings_for(tmp_path, proxy=sample.proxy_url, since=since)
    before = article_requests(sample)
    result = crawl(sample.seeds, s)
    with Store(s.db) as store:
        kept = {a.published_at[:10] for a in store.articles()}
    assert kept and min(kept) >= since
    assert result.articles == sum(1 for d in dates if d >= since)
    old = [u for u, p in sample.pages.items() if p.published_at < since]
    after = article_requests(sample)
    unfetched = [u for u in old if after[normalize_url(u)] == before[normalize_url(u)]]
    assert len(unfetched) == len(old)  # the sitemaps date them all: none of the older ones was fetched


def test_follow_citations_crawls_the_cited_outlets(sample, tmp_path):
    s = settings_for(tmp_path, proxy=sample.proxy_url, follow_citations=1, max_per_outlet=3)
    result = crawl(sample.seeds[:1], s)
    with Store(s.db) as store:
        outlets = set(store.articles_per_outlet())
        failures = store.failures_by_reason()
    assert len(outlets) > 1  # cited sample outlets were crawled in turn
    # real outlets the sample cites are not served: they fail, with a reason, and the crawl went on
    assert failures and not result.stopped


def test_bad_seeds_and_hostile_pages_end_in_the_fetch_log(tmp_path):
    gzip_bomb()  # built once beforehand: building it takes longer than the short timeouts below
    with FaultWeb() as web:
        seeds = ["not a seed", "ftp://example.org/x", web.url("/ok/a-story-that-works"), web.url("/hang"),
                 web.url("/drop"), web.url("/status/500"), web.url("/gzip-bomb"), web.url("/binary-as-html"),
                 web.url("/loop/a"), "http://nonexistent.invalid/a-story"]
        s = settings_for(tmp_path, timeout=0.5, response_timeout=2.0, max_bytes=2_000_000)
        result = crawl(seeds, s)
    with Store(s.db) as store:
        codes = {r.url: r.error for r in store.fetches()}
        articles = [a.url for a in store.articles()]
    assert codes["not a seed"] == codes["ftp://example.org/x"] == "bad-seed"
    assert codes[web.url("/hang")] == "timeout" and codes[web.url("/drop")] == "connection-dropped"
    assert codes[web.url("/status/500")] == "http-500" and codes[web.url("/gzip-bomb")] == "too-large"
    assert codes[web.url("/binary-as-html")] == "not-html" and codes[web.url("/loop/a")] == "redirect-loop"
    assert codes["http://nonexistent.invalid/a-story"] == "dns"
    assert len(articles) == 1 and result.articles == 1


def test_hostile_listings_end_and_are_bounded(tmp_path):
    robots = (b"User-agent: *\nSitemap: /sitemap-bad.xml\nSitemap: /sitemap-self.xml\n"
              b"Sitemap: /sitemap-loop-a.xml\nSitemap: /sitemap-50k.xml\n")
    with FaultWeb(robots=robots) as web:
        s = settings_for(tmp_path, proxy=web.proxy_url, max_per_outlet=20)
        result = crawl(["http://hostile.test/"], s)
        hits = dict(web.hits)
    assert not result.stopped and result.queued == 0
    for listing in ("/sitemap-self.xml", "/sitemap-loop-a.xml", "/sitemap-loop-b.xml", "/sitemap-bad.xml"):
        assert hits.get(("hostile.test", listing), 0) <= 1, listing  # loops are cut by the frontier
    pages = [p for (h, p), n in hits.items() if h == "hostile.test" and p.startswith("/ok/")]
    assert len(pages) <= 20  # 50,000 listed, 20 taken


class _Chain(BaseHTTPRequestHandler):
    """story-1 links to story-2, which links to story-3 ...: a site to measure --depth on."""

    def do_GET(self):  # noqa: N802 - the base class's name
        if self.path == "/robots.txt":
            body, status = b"", 404
        else:
            n = int(self.path.rsplit("-", 1)[1].split(".")[0]) if "story" in self.path else 0
            body = (f"<html><head><title>Story {n}</title></head><body><article><p>The council met on Monday "
                    f"about the bridge, for the {n}th time, and said the work would go on until spring.</p>"
                    f"<p>Next: <a href='/2024/05/17/chain-story-number-{n + 1}.html'>the next story</a></p>"
                    f"</article></body></html>").encode()
            status = 200
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.mark.parametrize("depth,expected", [(0, 1), (2, 3)])
def test_depth_follows_in_site_article_links(tmp_path, depth, expected):
    with serving(_Chain) as base:
        result = crawl([f"{base}/2024/05/17/chain-story-number-1.html"], settings_for(tmp_path, depth=depth))
    assert result.articles == expected


_CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {src!r})
    from citegraph.config import load_settings
    from citegraph.pipeline import crawl
    s = load_settings({{"db": {db!r}, "proxy": {proxy!r}, "delay": 0.05, "progress": False,
                        "outlets_files": ({outlets!r},)}}, environ={{}}, config_file={none!r})
    r = crawl({seeds!r}, s)
    print("stopped" if r.stopped else "done", r.articles, flush=True)
""")


def test_a_crawl_killed_again_and_again_loses_nothing_and_refetches_nothing_stored(tmp_path):
    db = tmp_path / "k.db"
    with SampleWeb(n_pages=60, n_outlets=4, latency=0.01) as web:
        script = _CHILD.format(src=str(SRC), db=str(db), proxy=web.proxy_url, outlets=outlets_file(tmp_path, 4),
                               none=str(tmp_path / "none.toml"), seeds=list(web.seeds))
        kills = 0
        for target in (5, 15, 30, 45, None):  # SIGKILL once this many articles are stored; None: run to the end
            kept, requests = (stored(db) if db.exists() else set()), article_requests(web)
            child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if target is None:
                out, err = child.communicate(timeout=120)
                assert child.returncode == 0, err[-2000:]
            else:
                while child.poll() is None and (not db.exists() or len(stored(db)) < target):
                    time.sleep(0.01)
                kills += child.poll() is None
                child.send_signal(signal.SIGKILL)
                child.wait()
            after = article_requests(web)
            assert all(after[u] == requests[u] for u in kept), "a stored page was fetched again"
        assert kills >= 3
        assert stored(db) == {normalize_url(u) for u in web.pages}
    warcs = sorted((tmp_path / "warc").glob("*.warc.gz"))
    pids = [p.name.split("-")[2] for p in warcs]
    assert 2 <= len(warcs) <= 5 and len(set(pids)) == len(pids)  # a file per process: a cut file is never appended to
    outcomes = list(iter_inputs([str(p) for p in warcs]))
    corrupt = [o for o in outcomes if not isinstance(o, RawPage) and o.error == "warc-corrupt"]
    assert len(corrupt) <= kills  # at most the record each kill cut short, at the end of its file
    assert {normalize_url(o.url) for o in outcomes if isinstance(o, RawPage)} >= {normalize_url(u) for u in web.pages}


def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(tmp_path):
    db = tmp_path / "i.db"
    with SampleWeb(n_pages=40, n_outlets=4, latency=0.01) as web:
        args = [sys.executable, "-m", "citegraph", "crawl", *web.seeds, "--db", str(db), "--proxy", web.proxy_url,
                "--delay", "0.1", "--no-progress"]
        env = {**os.environ, "PYTHONPATH": str(SRC), "CITEGRAPH_CONFIG": str(tmp_path / "none.toml")}
        child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        while child.poll() is None and (not db.exists() or len(stored(db)) < 5):
            time.sleep(0.02)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
        assert child.returncode == 130, err[-2000:]
        assert "resume" in out
        kept = stored(db)
        assert 5 <= len(kept) < len(web.pages)
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert stored(db) == {normalize_url(u) for u in web.pages}


def test_crawl_and_run_from_the_command_line(sample, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", *sample.seeds[:2], "-o", str(out), "--proxy", sample.proxy_url,
                                      "--delay", "0", "--no-progress"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "crawl done" in result.output and (out / "network.html").exists()
    result = CliRunner().invoke(cli, ["crawl", "--db", str(tmp_path / "x.db"), "--no-progress", "--since", "soon"])
    assert result.exit_code != 0 and "--since" in result.output
    result = CliRunner().invoke(cli, ["crawl", "--db", str(tmp_path / "y.db"), "--no-progress"])
    assert result.exit_code != 0 and "nothing to crawl" in result.output


def test_url_variants_are_fetched_once_and_redirect_chains_are_logged(tmp_path):
    with FaultWeb() as web:
        seeds = [web.url("/ok/a-story-about-rain?utm_source=feed&utm_medium=rss"), web.url("/ok/a-story-about-rain"),
                 web.url("/ok/a-story-about-rain#comments"), web.url("/redirect/2")]
        crawl(seeds, settings_for(tmp_path))
        assert web.hits[(web.netloc, "/ok/a-story-about-rain?utm_source=feed&utm_medium=rss")] == 1
        assert web.hits[(web.netloc, "/ok/a-story-about-rain")] == 0  # the same page once normalised
    with Store(tmp_path / "c.db") as store:
        logged = {r.url: r for r in store.fetches()}
    redirected = logged[web.url("/redirect/2")]
    assert redirected.error == "" and redirected.final_url.endswith("/ok")
    assert redirected.detail.startswith("redirected: ") and "(302)" in redirected.detail


def test_an_archive_that_cannot_be_written_stops_the_crawl_with_a_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with FaultWeb() as web:
        result = CliRunner().invoke(cli, ["crawl", web.url("/ok/a-story-about-rain"), "--db", str(tmp_path / "c.db"),
                                          "--warc-dir", str(blocker / "warc"), "--no-progress", "--delay", "0"])
    assert result.exit_code == 1 and "cannot write WARC files" in result.output and "resume" in result.output
    with Store(tmp_path / "c.db") as store:
        assert store.frontier_counts() == {"queued": 1}  # nothing lost: the next run fetches it


def test_progress_shows_fetched_queued_outlets_and_failures(sample, tmp_path):
    import io

    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=200)
    s = settings_for(tmp_path, proxy=sample.proxy_url, progress=True, delay=0.05)
    crawl([*sample.seeds[:2], "not a seed"], s, console=console)
    shown = out.getvalue()
    for word in ("fetched", "articles", "queued", "rate", "failed", "bad-seed", "outlets"):
        assert word in shown, word


def test_a_bug_met_by_any_worker_stops_the_crawl_and_names_the_url(tmp_path):
    from citegraph.outlets import default_registry
    from citegraph.scrapers.crawl import CrawlError, crawl as run_crawl
    from citegraph.scrapers.fetch import FetchPolicy, run_sync

    def read(raw):
        if "b.test" in raw.url:  # a host whose worker starts after the first ones
            raise ValueError("a bug")
        from citegraph.models import FetchRecord
        return FetchRecord(url=raw.url), None

    with FaultWeb() as web:
        policy = FetchPolicy(delay=0.0, retries=0, trust_env=False, proxy=web.proxy_url)
        seeds = ["http://a.test/ok/first-story-here", "http://a.test/redirect-to-b",
                 "http://b.test/ok/a-story-about-the-bug", "http://a.test/ok/third-story-here"]
        with Store(tmp_path / "c.db") as store:
            with pytest.raises(CrawlError, match=r"b\.test/ok/a-story-about-the-bug.*a bug"):
                run_sync(asyncio.wait_for(run_crawl(seeds, store, default_registry(), read, policy=policy), 30))


def test_duplicate_links_do_not_use_up_the_outlet_cap(sample, tmp_path):
    s = settings_for(tmp_path, proxy=sample.proxy_url, max_per_outlet=5)
    crawl(sample.seeds, s)
    with Store(s.db) as store:
        per = store.articles_per_outlet()
    pages_per_outlet = {}
    for url, page in sample.pages.items():
        pages_per_outlet[page.outlet_id] = pages_per_outlet.get(page.outlet_id, 0) + 1
    for outlet, n in per.items():
        assert n == min(5, pages_per_outlet[outlet]), outlet  # home page and sitemaps list the same pages


def test_pages_of_a_site_whose_robots_txt_fails_wait_for_a_later_run(tmp_path):
    # RFC 9309: a robots.txt that answers 5xx or cannot be reached puts the site off limits for now, not for
    # good: its pages stay queued, and the next run, once robots.txt answers, fetches them.
    with FaultWeb(robots=503) as web:
        s = settings_for(tmp_path, proxy=web.proxy_url)
        seeds = [web.url("/ok/1"), web.url("/ok/2")]
        first = crawl(seeds, s)
        assert first.deferred == 2 and first.queued == 2 and not first.stopped
        assert first.fetched == 0  # nothing was asked of the site but its robots.txt
        assert web.hits[(web.netloc, "/ok/1")] == web.hits[(web.netloc, "/ok/2")] == 0
        with Store(s.db) as store:
            assert {r.error for r in store.fetches()} == {"robots-unavailable"}
            assert store.frontier_counts() == {"queued": 2}
        web.robots = None
        second = crawl([], s)  # no seeds: resume what is queued
        assert second.deferred == 0 and second.queued == 0
        assert web.hits[(web.netloc, "/ok/1")] == web.hits[(web.netloc, "/ok/2")] == 1
        with Store(s.db) as store:
            assert "queued" not in store.frontier_counts()


def test_the_command_line_says_why_pages_were_left_queued(tmp_path):
    with FaultWeb(robots=500) as web:
        r = CliRunner().invoke(cli, ["crawl", web.url("/ok/1"), "--db", str(tmp_path / "c.db"), "--proxy",
                                     web.proxy_url, "--delay", "0", "--retries", "0"])
    assert r.exit_code == 0, r.output
    assert "1 left queued because their site's robots.txt could not be read" in r.output



def test_pages_of_a_site_that_cannot_be_reached_fail_and_are_not_kept_queued(tmp_path):
    # Unlike a 5xx, a robots.txt that never answers is no promise of a later answer: the pages fail, so
    # a dead site does not stay in the queue run after run.
    with FaultWeb(robots="hang") as web:
        s = settings_for(tmp_path, proxy=web.proxy_url, timeout=0.5, response_timeout=1.0)
        result = crawl([web.url("/ok/1")], s)
        assert result.deferred == 0 and result.queued == 0
        assert dict(result.failures) == {"timeout": 1}
        with Store(s.db) as store:
            assert store.frontier_counts() == {"failed": 1}
