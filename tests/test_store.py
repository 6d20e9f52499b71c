import sqlite3

import pytest

from citegraph.models import Article, Citation, FetchRecord, Outlet
from citegraph.store import Store, StoreError


def _article(url="https://a.example/1", n=2):
    cites = tuple(Citation(url, "a.example", f"t{i}.example", "link", f"https://t{i}.example/x", f"anchor {i}",
                           f"Sentence {i}.") for i in range(n))
    return Article(url=url, outlet_id="a.example", title="T", published_at="2024-01-02", authors=("Zoë",),
                   citations=cites)


def test_save_article_is_idempotent(tmp_path):
    with Store(tmp_path / "s.db") as s:
        with s.transaction():
            s.save_article(_article(n=3))
            s.save_article(_article(n=2))  # the same URL again replaces, never duplicates
        assert s.counts()["articles"] == 1
        assert s.counts()["citations"] == 2
        [art] = list(s.articles())
        assert art.authors == ("Zoë",) and art.published_at == "2024-01-02"


def test_store_survives_reopen(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as s, s.transaction():
        s.save_article(_article())
    with Store(path) as s:
        cites = list(s.citations())
        assert [c.target_outlet for c in cites] == ["t0.example", "t1.example"]
        assert list(s.citations(kinds=["mention"])) == []


def test_failed_transaction_keeps_nothing(tmp_path):
    with Store(tmp_path / "s.db") as s:
        with pytest.raises(RuntimeError):
            with s.transaction():
                s.save_article(_article())
                raise RuntimeError("killed")
        assert s.counts()["articles"] == 0


def test_fetch_log_one_row_per_input(tmp_path):
    with Store(tmp_path / "s.db") as s:
        rec = FetchRecord(url="/x/a.bin", error="not-html", source="/x/a.bin", detail="binary")
        s.record_fetch(rec)
        s.record_fetch(rec)
        s.record_fetch(FetchRecord(url="https://a.example/1", source="w.warc.gz", warc_offset=0))
        s.record_fetch(FetchRecord(url="https://a.example/1", source="w.warc.gz", warc_offset=900, error="http-404"))
        assert s.counts()["inputs"] == 3
        assert s.failures_by_reason() == {"not-html": 1, "http-404": 1}
        assert [f.warc_offset for f in s.fetches()] == [None, 0, 900]


def test_outlets_round_trip(tmp_path):
    o = Outlet("daily.example", "The Daily", ("daily.example",), "news", "ZZ", ("Daily",), (), ("Daily",))
    with Store(tmp_path / "s.db") as s:
        s.save_outlets([o])
        assert s.outlets() == [o]


def test_run_stats_counts_kinds_and_self(tmp_path):
    art = Article(url="https://a.example/1", outlet_id="a.example", citations=(
        Citation("https://a.example/1", "a.example", "a.example", "link", "https://a.example/2"),
        Citation("https://a.example/1", "a.example", "b.example", "mention"),
    ))
    with Store(tmp_path / "s.db") as s:
        s.save_article(art)
        s.record_fetch(FetchRecord(url="x", error="empty"))
        st = s.run_stats()
    assert st.self_citations == 1
    assert dict(st.citations_by_kind) == {"mention": 1}
    assert dict(st.failures_by_reason) == {"empty": 1}
    assert st.articles == 1 and st.outlets == 2


def test_not_a_store(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="bad.db"):
        Store(bad)


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)
