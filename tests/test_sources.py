"""Reading inputs: files, folders, WARCs and @lists into pages and failures with reason codes."""
from __future__ import annotations

import gzip
import io
import os
import random
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from citegraph.models import FetchRecord
from citegraph.scrapers.sources import MAGIC, RawPage, SourceError, decode_html, iter_inputs, sniff

RUSSIAN = ("Президент России заявил сегодня, что правительство примет новые меры. "
           "Москва, столица страны.")
PAGE = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>Hello</p></body></html>"


# --- helpers --------------------------------------------------------------------------------


def outcomes(*sources, **kwargs) -> list[RawPage | FetchRecord]:
    return list(iter_inputs([str(s) for s in sources], **kwargs))


def summary(results) -> list[tuple[str, str, str]]:
    """(kind, source file name, error) for each outcome, in order."""
    return [
        ("page", Path(r.source).name, "") if isinstance(r, RawPage) else ("fail", Path(r.source).name, r.error)
        for r in results
    ]


def response(url: str, body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8",
             extra: tuple = ()) -> dict:
    headers = [("Content-Type", ctype), *extra] if ctype else list(extra)
    return dict(url=url, kind="response", body=body,
                http=StatusAndHeaders(status, headers, protocol="HTTP/1.1"))


def write_warc(path: Path, records: list[dict], *, compress: bool = True,
               garbage_before: int | None = None) -> list[int]:
    """Write records with warcio; return their offsets. Garbage goes before record ``garbage_before``."""
    offsets = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        for i, spec in enumerate(records):
            if i == garbage_before:
                fh.write(b"this is not a WARC record at all\r\n\r\n")
            offsets.append(fh.tell())
            warc_headers = {"WARC-Date": spec["date"]} if "date" in spec else None
            record = writer.create_warc_record(
                spec["url"], spec["kind"], payload=io.BytesIO(spec["body"]), http_headers=spec.get("http"),
                warc_content_type=spec.get("warc_type", ""), warc_headers_dict=warc_headers,
            )
            writer.write_record(record)
    return offsets


def three_pages() -> list[dict]:
    return [response(f"https://news.example/{i}", PAGE.replace(b"Hello", f"Story {i}".encode()) + b" " * 3000)
            for i in range(3)]


def errors(results) -> list[str]:
    return [r.error for r in results if isinstance(r, FetchRecord)]


# --- single files ---------------------------------------------------------------------------


def test_missing_path_is_missing(tmp_path):
    [result] = outcomes(tmp_path / "nope.html")
    assert isinstance(result, FetchRecord)
    assert result.error == "missing"
    assert "nope.html" in result.detail


def test_saved_html_file_is_a_page_with_mtime(tmp_path):
    page = tmp_path / "story.html"
    page.write_bytes(PAGE)
    os.utime(page, (1_700_000_000, 1_700_000_000))
    [result] = outcomes(page)
    assert result == RawPage(url="", data=PAGE, content_type="", source=str(page),
                             fetched_at="2023-11-14T22:13:20Z")


def test_path_objects_are_accepted(tmp_path):
    page = tmp_path / "story.htm"
    page.write_bytes(PAGE)
    [result] = list(iter_inputs([page]))
    assert isinstance(result, RawPage) and result.source == str(page)


def test_png_bytes_are_not_html_whatever_the_name(tmp_path):
    rng = random.Random(7)
    data = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000))
    (tmp_path / "image.png").write_bytes(data)
    (tmp_path / "disguised.html").write_bytes(data)
    results = outcomes(tmp_path / "image.png", tmp_path / "disguised.html")
    assert errors(results) == ["not-html", "not-html"]
    assert all("PNG image" in r.detail for r in results)


def test_empty_file_is_empty(tmp_path):
    (tmp_path / "blank.html").write_bytes(b"")
    [result] = outcomes(tmp_path / "blank.html")
    assert result.error == "empty"


def test_fifty_megabyte_file_is_too_large_and_never_read(tmp_path):
    big = tmp_path / "big.html"
    with open(big, "wb") as fh:
        fh.truncate(50_000_000)
    tracemalloc.start()
    try:
        results = outcomes(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert errors(results) == ["too-large"]
    assert "50,000,000" in results[0].detail
    assert peak < 1_000_000  # only the head was read, not 50 MB


def test_max_bytes_is_a_setting(tmp_path):
    page = tmp_path / "story.html"
    page.write_bytes(PAGE)
    assert errors(outcomes(page, max_bytes=len(PAGE) - 1)) == ["too-large"]
    assert isinstance(outcomes(page, max_bytes=len(PAGE))[0], RawPage)


def test_symlink_loop_is_unreadable(tmp_path):
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    [result] = outcomes(loop)
    assert result.error == "unreadable"


def test_fifo_is_unreadable_and_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    [result] = outcomes(fifo)
    assert result.error == "unreadable"
    assert "regular file" in result.detail


def test_text_without_markup_is_not_html_unless_named_html(tmp_path):
    (tmp_path / "notes.txt").write_text("just some notes, no markup")
    (tmp_path / "notes.html").write_text("just some notes, no markup")
    (tmp_path / "page").write_bytes(PAGE)
    results = outcomes(tmp_path / "notes.txt", tmp_path / "notes.html", tmp_path / "page")
    assert summary(results) == [
        ("fail", "notes.txt", "not-html"), ("page", "notes.html", ""), ("page", "page", ""),
    ]


def test_gzip_that_is_not_a_warc_is_not_html(tmp_path):
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE))
    [result] = outcomes(tmp_path / "page.html.gz")
    assert result.error == "not-html"
    assert "gzip" in result.detail


def test_arc_files_are_refused_with_a_reason(tmp_path):
    (tmp_path / "old.arc.gz").write_bytes(gzip.compress(b"filedesc://old.arc 0.0.0.0 20010101 text/plain 70\n"))
    [result] = outcomes(tmp_path / "old.arc.gz")
    assert result.error == "not-html"
    assert "ARC files are not supported" in result.detail


# --- WARC -----------------------------------------------------------------------------------


def test_uncompressed_warc_gives_its_pages_with_their_provenance(tmp_path):
    warc = tmp_path / "crawl.warc"
    specs = three_pages()
    specs[0]["date"] = "2024-03-01T12:00:00Z"
    offsets = write_warc(warc, specs, compress=False)
    results = outcomes(warc)
    assert [type(r) for r in results] == [RawPage] * 3
    first = results[0]
    assert (first.url, first.status, first.fetched_at) == ("https://news.example/0", 200, "2024-03-01T12:00:00Z")
    assert first.content_type == "text/html; charset=utf-8"
    assert first.data.startswith(b"<!DOCTYPE html>") and b"Story 0" in first.data
    assert [r.warc_offset for r in results] == offsets
    assert {r.warc_file for r in results} == {str(warc)}


def test_file_type_comes_from_content_not_extension(tmp_path):
    warc = tmp_path / "misnamed.html"
    write_warc(warc, three_pages()[:1])
    [result] = outcomes(warc)
    assert isinstance(result, RawPage) and result.url == "https://news.example/0"


def test_truncated_gzip_warc_keeps_the_good_records(tmp_path):
    warc = tmp_path / "cut.warc.gz"
    offsets = write_warc(warc, three_pages())
    data = warc.read_bytes()
    warc.write_bytes(data[: offsets[2] + (len(data) - offsets[2]) // 2])
    results = outcomes(warc)
    assert summary(results) == [("page", "cut.warc.gz", "")] * 2 + [("fail", "cut.warc.gz", "warc-corrupt")]
    assert [r.url for r in results[:2]] == ["https://news.example/0", "https://news.example/1"]
    assert results[2].warc_offset == offsets[2]
    assert f"byte {offsets[2]}" in results[2].detail


def test_truncated_plain_warc_keeps_the_good_records(tmp_path):
    warc = tmp_path / "cut.warc"
    offsets = write_warc(warc, three_pages(), compress=False)
    warc.write_bytes(warc.read_bytes()[: offsets[2] + 600])
    results = outcomes(warc)
    assert errors(results) == ["warc-corrupt"] and len(results) == 3
    assert results[2].warc_offset == offsets[2]


def test_garbage_between_records_is_reported_at_its_offset(tmp_path):
    warc = tmp_path / "garbage.warc.gz"
    offsets = write_warc(warc, three_pages(), garbage_before=1)
    garbage_at = offsets[1] - len(b"this is not a WARC record at all\r\n\r\n")
    next_file = tmp_path / "next.html"
    next_file.write_bytes(PAGE)
    results = outcomes(warc, next_file)
    # Reading stops at the corruption and goes on with the next input.
    assert summary(results) == [("page", "garbage.warc.gz", ""), ("fail", "garbage.warc.gz", "warc-corrupt"),
                                ("page", "next.html", "")]
    assert results[1].warc_offset == garbage_at


def test_garbage_instead_of_a_warc_is_corrupt_at_zero(tmp_path):
    warc = tmp_path / "bad.warc"
    warc.write_bytes(b"WARC/1.0\r\nthis header block is broken\r\n\r\n")
    [result] = outcomes(warc)
    assert (result.error, result.warc_offset) == ("warc-corrupt", 0)


def test_warc_statuses_types_and_record_kinds(tmp_path):
    warc = tmp_path / "mixed.warc.gz"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    specs = [
        dict(url="", kind="warcinfo", body=b"software: test\r\n", warc_type="application/warc-fields"),
        dict(url="https://a.example/", kind="request", body=b"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n",
             warc_type="application/http; msgtype=request"),
        response("https://a.example/", PAGE),
        dict(url="https://a.example/", kind="metadata", body=b"via: x\r\n", warc_type="application/warc-fields"),
        response("https://a.example/gone", b"<html>Not found</html>", status="404 Not Found"),
        response("https://a.example/logo.png", png, ctype="image/png"),
        response("https://a.example/old", b"", status="301 Moved Permanently", ctype="",
                 extra=(("Location", "/new"),)),
        response("https://a.example/plain", PAGE, ctype="text/plain"),
        response("https://a.example/data.json", b'{"a": 1}', ctype="application/json"),
        dict(url="https://a.example/saved", kind="resource", body=PAGE, warc_type="text/html"),
        dict(url="https://a.example/style.css", kind="resource", body=b"p{}", warc_type="text/css"),
    ]
    offsets = write_warc(warc, specs)
    results = outcomes(warc)
    got = [(r.url, r.error if isinstance(r, FetchRecord) else "page") for r in results]
    assert got == [
        ("https://a.example/", "page"),
        ("https://a.example/gone", "http-404"),
        ("https://a.example/logo.png", "not-html"),
        ("https://a.example/old", "redirect"),
        ("https://a.example/plain", "page"),
        ("https://a.example/data.json", "not-html"),
        ("https://a.example/saved", "page"),
    ]
    by_url = {r.url: r for r in results}
    assert by_url["https://a.example/gone"].status == 404
    assert by_url["https://a.example/gone"].warc_offset == offsets[4]
    assert by_url["https://a.example/old"].final_url == "https://a.example/new"
    assert "PNG image" in by_url["https://a.example/logo.png"].detail
    assert by_url["https://a.example/saved"].status is None


def test_chunked_gzipped_response_is_decoded(tmp_path):
    body = gzip.compress(PAGE)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    warc = tmp_path / "chunked.warc.gz"
    write_warc(warc, [response("https://b.example/", chunked,
                               extra=(("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")))])
    [result] = outcomes(warc)
    assert isinstance(result, RawPage) and result.data == PAGE


def test_warc_payload_over_the_limit_is_too_large(tmp_path):
    warc = tmp_path / "big.warc.gz"
    specs = three_pages()
    specs[1] = response("https://news.example/big", PAGE + b" " * 50_000)
    write_warc(warc, specs)
    results = outcomes(warc, max_bytes=20_000)
    assert [getattr(r, "error", "page") for r in results] == ["page", "too-large", "page"]


# --- folders and lists ----------------------------------------------------------------------


def test_folder_of_mixed_files(tmp_path):
    root = tmp_path / "site"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.html").write_bytes(PAGE)
    (root / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))  # not a page type: skipped
    (root / "c.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))  # looks like a page, is not
    (root / "d.htm").write_bytes(b"")
    write_warc(root / "e.warc.gz", three_pages()[:2])
    (root / "f").write_bytes(PAGE)  # no extension, sniffs as HTML: taken
    (root / "g").write_text("a README without an extension")  # skipped
    (root / "notes.txt").write_text("<p>not a page type</p>")  # skipped
    (root / ".hidden.html").write_bytes(PAGE)
    (root / ".git" / "index.html").write_bytes(PAGE)
    (root / "sub" / "page.php").write_bytes(PAGE)
    (root / "sub" / "deeper" / "story.xhtml").write_bytes(PAGE)
    results = outcomes(root)
    assert summary(results) == [
        ("page", "a.html", ""),
        ("fail", "c.html", "not-html"),
        ("fail", "d.htm", "empty"),
        ("page", "e.warc.gz", ""),
        ("page", "e.warc.gz", ""),
        ("page", "f", ""),
        ("page", "story.xhtml", ""),  # sub/deeper/story.xhtml sorts before sub/page.php
        ("page", "page.php", ""),
    ]
    assert outcomes(root) == results  # deterministic


def test_list_files_with_relative_paths_comments_and_nesting(tmp_path):
    data = tmp_path / "data"
    (data / "more").mkdir(parents=True)
    (data / "one.html").write_bytes(PAGE)
    (data / "more" / "two.html").write_bytes(PAGE)
    (data / "more" / "three.html").write_bytes(PAGE)
    (data / "more" / "inner.txt").write_text("# nested list, relative to itself\nthree.html\n")
    lst = data / "list.txt"
    lst.write_text("# pages for the test\n\none.html\n  more/two.html  \ngone.html\n@more/inner.txt\n")
    results = outcomes(f"@{lst}")
    assert summary(results) == [("page", "one.html", ""), ("page", "two.html", ""),
                                ("fail", "list.txt", "missing"), ("page", "three.html", "")]
    assert results[2].url == str(data / "gone.html")


def test_list_that_includes_itself_is_a_loop(tmp_path):
    (tmp_path / "one.html").write_bytes(PAGE)
    lst = tmp_path / "self.txt"
    lst.write_text("one.html\n@self.txt\n")
    results = outcomes(f"@{lst}")
    assert summary(results) == [("page", "one.html", ""), ("fail", "self.txt", "list-loop")]


def test_lists_through_each_other_are_a_loop(tmp_path):
    (tmp_path / "a.txt").write_text("@b.txt\n")
    (tmp_path / "b.txt").write_text("@a.txt\n")
    assert errors(outcomes(f"@{tmp_path / 'a.txt'}")) == ["list-loop"]


def test_bad_lists(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00bad\x00")
    (tmp_path / "folder").mkdir()
    results = outcomes(f"@{tmp_path / 'binary.txt'}", f"@{tmp_path / 'folder'}", "@",
                       f"@{tmp_path / 'absent.txt'}")
    assert errors(results) == ["bad-list", "bad-list", "bad-list", "missing"]
    assert all(r.detail for r in results)


def test_source_error_becomes_a_record():
    err = SourceError("empty", "x.html", "x.html is empty.")
    assert err.record() == FetchRecord(url="x.html", error="empty", source="x.html", detail="x.html is empty.")


# --- sniffing and decoding ------------------------------------------------------------------


@pytest.mark.parametrize(("magic", "kind"), MAGIC)
def test_every_magic_number_is_not_html(magic, kind):
    assert sniff(magic + b"<html>" * 10) == "not-html"
    assert sniff(magic + b"<html>", "text/html") == "not-html"


@pytest.mark.parametrize(("data", "content_type", "expected"), [
    (PAGE, "", ""),
    (b"  \n<html lang=en>", "", ""),
    (b"<!-- saved from url=(0014)about:internet -->\n<html>", "", ""),
    (b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">', "", ""),
    (b"\xef\xbb\xbf<p>with a UTF-8 BOM", "", ""),
    ("<html><p>UTF-16</p></html>".encode("utf-16"), "", ""),
    (b"plain words", "", "not-html"),
    (b"plain words", "text/html; charset=utf-8", ""),
    (b"plain words", "text/plain", "not-html"),
    (b"<html>with a NUL\x00</html>", "", "not-html"),
    (b"", "text/html", "empty"),
])
def test_sniff(data, content_type, expected):
    assert sniff(data, content_type) == expected


def test_windows_1251_page_that_claims_utf8():
    data = f"<html><head><meta charset='utf-8'></head><body><p>{RUSSIAN}</p></body></html>".encode("cp1251")
    assert RUSSIAN in decode_html(data)


def test_windows_1251_page_that_claims_latin1():
    data = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            f"</head><body><p>{RUSSIAN}</p></body></html>").encode("cp1251")
    assert RUSSIAN in decode_html(data)


def test_real_latin1_page_stays_latin1():
    text = "Le président a déclaré aujourd'hui que le gouvernement prendra des mesures, à Besançon."
    data = f"<meta charset=iso-8859-1><p>{text}</p>".encode("latin-1")
    assert text in decode_html(data)


def test_utf8_page_labelled_latin1_is_read_as_utf8():
    text = "Le président a déclaré à Besançon"
    assert text in decode_html(f"<meta charset=iso-8859-1><p>{text}".encode("utf-8"))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_byte_order_mark_wins(codec):
    text = f"<html><meta charset=iso-8859-1><p>{RUSSIAN}</p></html>"
    data = text.encode(codec) if codec in ("utf-16", "utf-8-sig", "utf-32") else b"\xfe\xff" + text.encode(codec)
    assert decode_html(data, "text/html; charset=iso-8859-1") == text


def test_header_charset_comes_before_meta():
    data = f"<meta charset=utf-8><p>{RUSSIAN}".encode("koi8-r")
    assert RUSSIAN in decode_html(data, "text/html; charset=KOI8-R")


def test_unknown_and_refused_charsets_are_ignored():
    text = "<p>Grüße aus Köln</p>"
    page = f"<meta charset=x-user-defined-foo>{text}"
    assert decode_html(page.encode()) == page
    assert text in decode_html(f"<meta charset=base64>{text}".encode())
    assert text in decode_html(text.encode(), "text/html; charset=utf-7")


def test_undecodable_bytes_are_replaced_not_raised():
    assert isinstance(decode_html(b"<p>\xff\xfe\xfd" + bytes(range(256)), "text/html; charset=utf-8"), str)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["", "text/html", "text/html; charset=utf-8",
                                                  "text/html; charset=iso-8859-1", "text/plain; charset=bogus",
                                                  "image/png", "text/html; charset=utf-16"]))
def test_decode_and_sniff_never_raise(data, content_type):
    assert isinstance(decode_html(data, content_type), str)
    assert sniff(data, content_type) in ("", "empty", "not-html")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_decode_never_raises_behind_a_declaration(tail):
    for label in (b"utf-8", b"iso-8859-1", b"shift_jis", b"utf-16", b"base64", b"rot13"):
        assert isinstance(decode_html(b"<meta charset=" + label + b">" + tail), str)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([b"", b"WARC/1.0\r\n", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n",
                        gzip.compress(b"WARC/1.0\r\n")[:20], b"<html>"]),
       st.binary(max_size=400))
def test_any_file_gives_outcomes_and_never_raises(prefix, tail):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.warc"
        path.write_bytes(prefix + tail)
        results = outcomes(path)
    assert results and all(isinstance(r, (RawPage, FetchRecord)) for r in results)
    assert all(r.detail for r in results if isinstance(r, FetchRecord))
