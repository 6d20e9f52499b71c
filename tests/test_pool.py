"""Pages read in worker processes while the crawler fetches: the same articles, and nothing lost when a
worker dies. Real processes, real crawls of the sample web on 127.0.0.1."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from test_crawl import SRC, _content, outlets_file, settings_for, stored  # noqa: E402

from citegraph import pipeline  # noqa: E402
from citegraph.outlets import normalize_url  # noqa: E402
from citegraph.pipeline import crawl  # noqa: E402
from citegraph.sample_web import SampleWeb  # noqa: E402
from citegraph.store import Store  # noqa: E402

# A user's scraper for one sample outlet that takes the process reading the page down (as a crash in a C
# extension or the out-of-memory killer would), only in a reading process: in the crawler it would end
# the test run. "once": the first page it meets in a worker, once; "always": that same page, every time.
_SCRAPERS = textwrap.dedent('''
    import multiprocessing, os, signal
    from pathlib import Path

    VICTIM = Path(__file__).with_name("victim.txt")
    PIDS = Path(__file__).with_name("reader-pids.txt")

    def _in_worker():
        return multiprocessing.parent_process() is not None

    def note_pid(soup, url):
        if _in_worker():
            with PIDS.open("a") as f:
                f.write(f"{os.getpid()}\\n")
        return None

    def die_once(soup, url):
        if _in_worker() and not VICTIM.exists():
            VICTIM.write_text(url)
            os.kill(os.getpid(), signal.SIGKILL)
        return None

    def die_always(soup, url):
        if _in_worker():
            if not VICTIM.exists():
                VICTIM.write_text(url)
            if VICTIM.read_text() == url:
                os.kill(os.getpid(), signal.SIGKILL)
        return None
''')
OUTLET = "civicwire.example"


@pytest.fixture(scope="module")
def web():
    with SampleWeb(n_pages=60, n_outlets=6) as w:
        yield w


def _scraper(tmp_path, name):
    (tmp_path / "crashers.py").write_text(_SCRAPERS)
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[scrapers]\n"{OUTLET}" = "{tmp_path / "crashers.py"}:{name}"\n')
    return str(rules)


def _run_stats(db) -> dict:
    with sqlite3.connect(db) as con:
        return json.loads(con.execute("SELECT counts FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])


@pytest.fixture
def workers_from_the_first_page(monkeypatch):
    monkeypatch.setattr(pipeline, "READ_HERE_FIRST", 0)


def test_pages_read_in_a_worker_give_what_the_crawler_reads_itself(web, tmp_path, workers_from_the_first_page):
    here = settings_for(tmp_path, db=str(tmp_path / "here.db"), proxy=web.proxy_url, read_processes=0,
                        outlets_files=(outlets_file(tmp_path),))
    there = settings_for(tmp_path, db=str(tmp_path / "there.db"), proxy=web.proxy_url, read_processes=1,
                         outlets_files=(outlets_file(tmp_path),))
    a, b = crawl(web.seeds, here), crawl(web.seeds, there)
    assert a.articles == b.articles == len(web.pages)
    assert _content(here.db) == _content(there.db)
    assert _run_stats(here.db)["read_in_workers"] == 0
    assert _run_stats(there.db)["read_in_workers"] == len(web.pages)


def test_a_worker_that_dies_loses_no_page(web, tmp_path, workers_from_the_first_page):
    s = settings_for(tmp_path, proxy=web.proxy_url, read_processes=1, profiles_files=(_scraper(tmp_path, "die_once"),),
                     outlets_files=(outlets_file(tmp_path),))
    result = crawl(web.seeds, s)
    assert (tmp_path / "victim.txt").exists()  # a worker was killed while it read a page
    assert not result.failures and result.articles == len(web.pages)
    assert stored(s.db) == {normalize_url(u) for u in web.pages}
    assert _run_stats(s.db)["reader_crashes"] == 0  # the page that was in the dead worker was read again


def test_a_page_that_kills_its_reader_every_time_fails_alone(web, tmp_path, workers_from_the_first_page):
    s = settings_for(tmp_path, proxy=web.proxy_url, read_processes=1,
                     profiles_files=(_scraper(tmp_path, "die_always"),), outlets_files=(outlets_file(tmp_path),))
    result = crawl(web.seeds, s)
    victim = (tmp_path / "victim.txt").read_text()
    assert dict(result.failures) == {"reader-crashed": 1}
    assert stored(s.db) == {normalize_url(u) for u in web.pages} - {normalize_url(victim)}
    with Store(s.db) as store:
        [row] = [r for r in store.fetches() if r.error == "reader-crashed"]
        assert normalize_url(row.url) == normalize_url(victim) and "killed the process" in row.detail
    assert _run_stats(s.db)["reader_crashes"] == 1


def test_workers_that_cannot_start_leave_the_reading_to_the_crawler(web, tmp_path, workers_from_the_first_page,
                                                                   capsys):
    # A scraper module that imports in the crawler but not in a fresh process: no worker ever starts.
    (tmp_path / "fussy.py").write_text("import multiprocessing\nif multiprocessing.parent_process() is not None:\n"
                                       "    raise ImportError('not here')\ndef scrape(soup, url):\n    return None\n")
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[scrapers]\n"{OUTLET}" = "{tmp_path / "fussy.py"}:scrape"\n')
    s = settings_for(tmp_path, proxy=web.proxy_url, read_processes=1, profiles_files=(str(rules),),
                     outlets_files=(outlets_file(tmp_path),))
    result = crawl(web.seeds, s)
    assert not result.failures and result.articles == len(web.pages)
    assert "pages were read in the crawling process" in capsys.readouterr().err
    assert _run_stats(s.db)["read_in_workers"] == 0


_CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {src!r})
    from citegraph import pipeline
    from citegraph.config import load_settings
    pipeline.READ_HERE_FIRST = 0
    s = load_settings({{"db": {db!r}, "proxy": {proxy!r}, "delay": 0.05, "progress": False, "read_processes": 1,
                        "outlets_files": ({outlets!r},), "profiles_files": ({rules!r},)}}, environ={{}},
                      config_file={none!r})
    r = pipeline.crawl({seeds!r}, s)
    print("stopped" if r.stopped else "done", r.articles, flush=True)
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie is dead, only not yet reaped by its parent
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_crawler_killed_outright_takes_its_workers_with_it_and_resumes(web, tmp_path):
    db = tmp_path / "k.db"
    script = _CHILD.format(src=str(SRC), db=str(db), proxy=web.proxy_url, outlets=outlets_file(tmp_path),
                           rules=_scraper(tmp_path, "note_pid"), none=str(tmp_path / "none.toml"),
                           seeds=list(web.seeds))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pids = tmp_path / "reader-pids.txt"
    deadline = time.monotonic() + 60
    while child.poll() is None and not pids.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pids.exists(), "no page was read in a worker"
    child.send_signal(signal.SIGKILL)
    child.wait()
    workers = {int(p) for p in pids.read_text().split()}
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "a worker outlived its crawler"
    kept = stored(db) if db.exists() else set()
    assert len(kept) < len(web.pages)
    out, err = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE).communicate(timeout=120)
    assert out.decode().startswith("done"), err.decode()[-2000:]
    assert stored(db) == {normalize_url(u) for u in web.pages}


def test_python_m_citegraph_can_start_reading_processes():
    # Worker processes (spawn) import the main module again as __mp_main__: under ``python -m citegraph``
    # that module must not run the command line a second time.
    import runpy

    runpy.run_module("citegraph.__main__", run_name="__mp_main__")  # would exit (SystemExit) if it ran the CLI
    out = subprocess.run([sys.executable, "-m", "citegraph", "--help"], capture_output=True, text=True,
                         cwd=SRC.parent, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert out.returncode == 0 and "crawl" in out.stdout



def test_the_registry_reaches_the_workers_as_it_is():
    import pickle

    from citegraph.models import Outlet
    from citegraph.outlets import Registry

    reg = Registry([Outlet("old.example", name="Old", domains=("old.example", "shared.example"))])
    reg.add(Outlet("new.example", name="New", domains=("new.example", "shared.example")))
    reg.add(Outlet("new.example", name="New", domains=("new.example",)))  # gives shared.example up
    copy = pickle.loads(pickle.dumps(reg))
    for url in ("https://shared.example/a", "https://old.example/b", "https://new.example/c"):
        assert copy.outlet_of(url) == reg.outlet_of(url)
    assert copy.version == reg.version
