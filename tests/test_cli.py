"""The commands end to end, on real files and a real SQLite store."""
import csv
import json
import sqlite3

import networkx as nx
import pytest
from click.testing import CliRunner

from citegraph.cli import cli
from citegraph.graph.io import CITATIONS_HEADER

ARTICLE = """<html lang="en"><head><title>{title}</title>{canonical}</head><body>
<nav><a href="https://www.bbc.co.uk/">BBC</a></nav>
<article><h1>{title}</h1><p>Prices rose, <a href="https://www.reuters.com/markets/{n}">Reuters reported</a> on
Monday, and according to The New York Times the rise will last.</p><p>More text for the body of this story.</p></article>
<footer><a href="https://www.foxnews.com/">Fox</a></footer></body></html>"""


def invoke(*args):
    return CliRunner().invoke(cli, [*map(str, args), "--no-progress"] if args[0] not in ("outlets",) else list(map(str, args)),
                              catch_exceptions=False)


def page(title, n, canonical=True):
    link = f'<link rel="canonical" href="https://www.daily.example/news/{n}.html">' if canonical else ""
    return ARTICLE.format(title=title, canonical=link, n=n)


@pytest.fixture
def mixed(tmp_path):
    src = tmp_path / "pages"
    (src / "sub").mkdir(parents=True)
    (src / "one.html").write_text(page("One", 1))
    (src / "sub" / "two.htm").write_text(page("Two <script>x</script>", 2))
    (src / "nocanon.html").write_text(page("Three", 3, canonical=False))
    (src / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    (src / "empty.html").write_bytes(b"")
    with open(src / "huge.html", "wb") as f:  # 50 MB, sparse: must be refused without being read
        f.truncate(50_000_000)
    (src / "nobody.html").write_text('<html><head><link rel="canonical" href="https://daily.example/x">'
                                     '<title>Nothing</title></head><body></body></html>')
    cyr = '<html><head><meta charset="utf-8"><link rel="canonical" href="https://pravda.example/a"></head><body>' \
          '<article><p>Новости дня: <a href="https://tass.ru/x">ТАСС сообщает</a> о погоде сегодня.</p></article></body></html>'
    (src / "cp1251.html").write_bytes(cyr.encode("cp1251"))
    return src


def test_run_mixed_folder(mixed, tmp_path):
    out = tmp_path / "out"
    r = invoke("run", mixed, "-o", out)
    assert r.exit_code == 0, r.output
    for name in ("citations.csv", "graph.gexf", "graph.graphml", "graph.json", "network.html", "report.html",
                 "citegraph.db"):
        assert (out / name).exists(), name
    rows = list(csv.reader(open(out / "citations.csv", encoding="utf8")))
    assert tuple(rows[0]) == CITATIONS_HEADER
    g = nx.read_gexf(out / "graph.gexf")
    assert set(g.edges) == {("daily.example", "reuters.com"), ("daily.example", "nytimes.com"),
                            ("pravda.example", "tass.com")}  # tass.ru is an alternate domain of TASS
    assert g["daily.example"]["reuters.com"]["weight"] == 2
    db = sqlite3.connect(out / "citegraph.db")
    errors = dict(db.execute("SELECT error, COUNT(*) FROM fetches WHERE error != '' GROUP BY error"))
    assert errors == {"not-html": 1, "empty": 1, "no-url": 1, "too-large": 1, "no-body": 1}
    anchor = db.execute("SELECT anchor_text FROM citations WHERE target_outlet='tass.com'").fetchone()[0]
    assert anchor == "ТАСС сообщает"  # the lying meta charset did not garble the text
    stats = invoke("stats", "-o", out)
    assert stats.exit_code == 0
    for code in ("not-html", "empty", "no-url", "too-large", "no-body", "reuters.com"):
        assert code in stats.output


def test_base_url_gives_pages_their_url(mixed, tmp_path):
    out = tmp_path / "out"
    invoke("run", mixed / "nocanon.html", "-o", out, "--base-url", "https://other.example/saved/")
    db = sqlite3.connect(out / "citegraph.db")
    assert db.execute("SELECT url FROM articles").fetchall() == [("https://other.example/saved/nocanon.html",)]


def test_second_run_extends_the_store(mixed, tmp_path):
    out = tmp_path / "out"
    invoke("run", mixed / "one.html", "-o", out)
    invoke("run", mixed / "sub", "-o", out)
    invoke("run", mixed / "sub", "-o", out)  # again: nothing doubles
    db = sqlite3.connect(out / "citegraph.db")
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2
    assert db.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == 2
    data = json.loads((out / "graph.json").read_text())
    edge = [e for e in data["links"] if e["target"] == "reuters.com"][0]
    assert edge["weight"] == 2


def test_list_file_and_stage_commands(mixed, tmp_path):
    lst = tmp_path / "list.txt"
    lst.write_text("# pages\npages/one.html\npages/sub\nmissing.html\n")
    db = tmp_path / "stage" / "c.db"
    out = tmp_path / "stage"
    assert invoke("ingest", f"@{lst}", "--db", db).exit_code == 0
    assert "2 articles" in invoke("ingest", f"@{lst}", "--db", db).output
    r = invoke("build", "--db", db, "-o", out, "--kind", "mention")
    assert r.exit_code == 0 and "1 edges" in r.output
    assert invoke("render", "--db", db, "-o", out).exit_code == 0
    assert invoke("report", "--db", db, "-o", out).exit_code == 0
    assert (out / "network.html").exists() and (out / "report.html").exists()
    for fmt in ("gexf", "graphml", "json", "csv"):
        r = invoke("export", "--format", fmt, "--db", db, "-o", out, "--to", out / f"x.{fmt}")
        assert r.exit_code == 0 and (out / f"x.{fmt}").stat().st_size > 0
    assert "missing" in invoke("stats", "--db", db).output


def test_nothing_readable_fails_clearly(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"\x00" * 100)
    r = CliRunner().invoke(cli, ["run", str(tmp_path / "a.bin"), "-o", str(tmp_path / "o"), "--no-progress"])
    assert r.exit_code == 1 and "no article" in r.output
    db = sqlite3.connect(tmp_path / "o" / "citegraph.db")
    assert db.execute("SELECT error FROM fetches").fetchall() == [("not-html",)]


def test_a_crash_names_the_input(mixed, tmp_path, monkeypatch):
    import citegraph.pipeline

    def broken(html, url, **kw):
        raise KeyError("a bug")

    monkeypatch.setattr(citegraph.pipeline, "extract_article", broken)
    r = CliRunner().invoke(cli, ["run", str(mixed / "empty.html"), str(mixed / "one.html"), "-o", str(tmp_path / "o"),
                                 "--no-progress"])
    assert r.exit_code == 1
    assert "one.html" in r.output and "KeyError" in r.output
    db = sqlite3.connect(tmp_path / "o" / "citegraph.db")  # what was read before the crash is kept
    assert db.execute("SELECT error FROM fetches").fetchall() == [("empty",)]


def test_stage_without_store(tmp_path):
    r = CliRunner().invoke(cli, ["build", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1 and "no store" in r.output


def test_corrupt_warc_keeps_good_records(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    import io
    path = tmp_path / "w.warc.gz"
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for n in (1, 2):
            body = page(f"W{n}", n, canonical=False).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://wire.example/{n}", "response", payload=io.BytesIO(body),
                                                http_headers=headers))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # cut the last record short
    out = tmp_path / "o"
    r = invoke("run", path, "-o", out)
    assert r.exit_code == 0
    db = sqlite3.connect(out / "citegraph.db")
    assert [u for (u,) in db.execute("SELECT url FROM articles")] == ["https://wire.example/1"]
    assert db.execute("SELECT COUNT(*) FROM fetches WHERE error='warc-corrupt'").fetchone()[0] == 1


def test_outlets_command():
    r = invoke("outlets", "https://web.archive.org/web/2020/https://www.nytimes.com/x?utm_source=tw",
               "javascript:alert(1)")
    lines = r.output.splitlines()
    assert lines[0].split("\t")[1:4] == ["https://nytimes.com/x", "nytimes.com", "The New York Times"]
    assert "error" in lines[1]
