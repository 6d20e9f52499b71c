"""Article discovery: sitemaps, feeds, robots.txt, feed and article links, and the --since window."""
from __future__ import annotations

import dataclasses
import datetime
import gzip
import http.server
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.scrapers import discover
from citegraph.scrapers.discover import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
    DiscoverError,
    Entry,
    Listing,
    article_links,
    feed_links,
    is_recent,
    looks_like_article,
    parse_feed,
    parse_listing,
    parse_since,
    parse_sitemap,
    robots_sitemaps,
)

FIXTURES = Path(__file__).parent / "fixtures" / "discover"
BUGLE = "https://www.daily-bugle.example"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def urls(listing: Listing) -> list[str]:
    return [entry.url for entry in listing.entries]


def urlset(*locs: str, lastmod: str = "") -> bytes:
    """A small sitemap listing ``locs``, each with the same ``lastmod`` when given."""
    stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    body = "".join(f"<url><loc>{loc}</loc>{stamp}</url>" for loc in locs)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'.encode()


# --- the public API -------------------------------------------------------------------------


def test_public_names_are_exported_and_records_are_frozen():
    assert set(discover.__all__) >= {
        "Entry", "Listing", "DiscoverError", "parse_sitemap", "parse_feed", "parse_listing",
        "robots_sitemaps", "feed_links", "article_links", "looks_like_article", "parse_since", "is_recent",
        "COMMON_SITEMAP_PATHS", "COMMON_FEED_PATHS",
    }
    assert all(hasattr(discover, name) for name in discover.__all__)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Entry("https://a.example/").url = "x"
    assert Entry("https://a.example/") == Entry("https://a.example/", "", "page", "")
    assert Listing(()).error == "" and Listing(()).truncated is False


def test_common_paths_are_site_paths():
    assert "/sitemap.xml" in COMMON_SITEMAP_PATHS and "/feed" in COMMON_FEED_PATHS
    for path in (*COMMON_SITEMAP_PATHS, *COMMON_FEED_PATHS):
        assert path.startswith("/") and looks_like_article(BUGLE + path) is False
    assert len(set(COMMON_SITEMAP_PATHS)) == len(COMMON_SITEMAP_PATHS)


# --- sitemaps -------------------------------------------------------------------------------


def test_urlset_reads_locs_and_dates_and_drops_what_is_not_absolute_http():
    listing = parse_sitemap(fixture("urlset.xml"), f"{BUGLE}/sitemap.xml")
    assert listing.error == "" and listing.truncated is False
    assert listing.entries == (
        # Whitespace around the loc is stripped; the image's own loc is not an entry.
        Entry(f"{BUGLE}/2024/05/17/mayor-resigns-after-audit", "2024-05-17T09:30:00+00:00"),
        # Entities are decoded; listing pages are returned as listed (the caller filters).
        Entry(f"{BUGLE}/search?q=a&page=2", "2024-05"),
        # Not ISO, not RFC 822 with a time: unknown.
        Entry(f"{BUGLE}/news/council-votes-on-budget", ""),
        # 30 February: unknown.
        Entry(f"{BUGLE}/about", ""),
        # CDATA and padded dates. The relative and ftp locs are gone.
        Entry(f"{BUGLE}/2024/05/16/cdata-story", "2024-05-16"),
    )


def test_sitemap_index_gives_sitemap_entries_and_lists_itself_without_complaint():
    listing = parse_sitemap(fixture("index.xml"), f"{BUGLE}/sitemap_index.xml")
    assert listing.error == ""
    assert [(e.url.rsplit("/", 1)[1], e.lastmod, e.kind) for e in listing.entries] == [
        ("sitemap-posts-2024-05.xml", "2024-05-17", "sitemap"),
        ("sitemap-posts-2024-04.xml.gz", "2024-04-30T23:59:59Z", "sitemap"),
        # Loop detection is the caller's: the index's own URL comes back like any other.
        ("sitemap_index.xml", "", "sitemap"),
    ]


def test_google_news_publication_date_wins_over_lastmod_and_gives_the_title():
    first, second = parse_sitemap(fixture("news.xml"), f"{BUGLE}/news-sitemap.xml").entries
    assert first == Entry(f"{BUGLE}/politics/senate-passes-bill-12345678", "2024-05-17T08:00:00-04:00",
                          "page", "Senate passes the bill & more")
    # An unreadable publication date falls back to lastmod.
    assert (second.lastmod, second.title) == ("2024-05-16", "House delays vote")


def test_namespaces_wrong_or_undeclared_match_by_local_name():
    listing = parse_sitemap(fixture("wrong_namespace.xml"), "https://old.example/sitemap.xml")
    assert listing.entries == (
        Entry("https://old.example/2009/03/story.htm", "2009-03-02"),
        Entry("https://old.example/2009/03/other.htm", "2009-03-01", "page", "Undeclared prefix"),
    )


def test_malformed_xml_keeps_every_entry_that_can_be_read():
    listing = parse_sitemap(fixture("broken.xml"), "https://broken.example/sitemap.xml")
    assert listing.error == ""
    found = urls(listing)
    for slug in ("first-story", "fourth-story", "fifth-story"):
        assert any(url.endswith(slug) for url in found), slug
    assert listing.entries[0].lastmod == "2024-01-02"


@pytest.mark.parametrize(("data", "error"), [
    (b"", "empty"),
    (b"   \r\n\t ", "empty"),
    (b"\xef\xbb\xbf", "empty"),
    (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>\n</urlset>", "empty"),
    (b"<sitemapindex/>", "empty"),
    (b"\x00\x01\x02\xff\xfe\x89PNG garbage", "bad-sitemap"),
    (b"<<<>>> </ <", "bad-sitemap"),
    (b"<catalog><book>not a sitemap</book></catalog>", "bad-sitemap"),
    (b"<urlset><url><loc>/only/relative</loc></url><url><loc>mailto:x@y.example</loc></url></urlset>",
     "bad-sitemap"),
    (b"\x1f\x8b\x08\x00garbage-that-is-not-deflate", "bad-sitemap"),
    (fixture("not_sitemap.html"), "not-xml"),
])
def test_unreadable_sitemaps_get_a_reason_and_a_sentence(data, error):
    listing = parse_sitemap(data, "https://a.example/sitemap.xml")
    assert (listing.entries, listing.error) == ((), error)
    assert listing.detail.endswith(".") and len(listing.detail) > 20


def test_html_served_as_a_sitemap_is_not_mined_for_links():
    listing = parse_sitemap(fixture("not_sitemap.html"), f"{BUGLE}/sitemap.xml")
    assert listing.error == "not-xml" and "HTML" in listing.detail and listing.entries == ()


def test_byte_order_marks_and_leading_whitespace_are_skipped():
    plain = urlset("https://a.example/2024/05/17/one-story-here")
    declared = b'<?xml version="1.0" encoding="UTF-8"?>\n' + plain
    expected = (Entry("https://a.example/2024/05/17/one-story-here"),)
    assert parse_sitemap(b"\xef\xbb\xbf" + declared, "u").entries == expected
    assert parse_sitemap(b"\n\n   \t" + declared, "u").entries == expected
    assert parse_sitemap(b"\xef\xbb\xbf  \n" + plain, "u").entries == expected
    wide = ('<?xml version="1.0" encoding="UTF-16"?>\n' + plain.decode()).encode("utf-16")
    assert wide.startswith(b"\xff\xfe")
    assert parse_sitemap(wide, "u").entries == expected


def test_latin1_declared_sitemap_decodes():
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?><urlset><url><loc>https://a.example/caf\xe9-au-lait-story'
            "</loc></url></urlset>").encode("latin-1")
    assert urls(parse_sitemap(data, "u")) == ["https://a.example/caf\xe9-au-lait-story"]


@pytest.mark.parametrize(("written", "lastmod"), [
    ("2024-05-17", "2024-05-17"),
    ("2024-05-17T09:30:00+00:00", "2024-05-17T09:30:00+00:00"),
    ("2024-05-17T09:30:00.123456789Z", "2024-05-17T09:30:00.123456789Z"),
    ("2024-05-17T09:30Z", "2024-05-17T09:30Z"),
    ("2024-05-17T09:30:00+0200", "2024-05-17T09:30:00+0200"),
    ("2024-05-17 09:30:00", "2024-05-17T09:30:00"),
    ("2024-05", "2024-05"),
    ("2024", "2024"),
    ("Fri, 17 May 2024 09:30:00 +0000", "2024-05-17T09:30:00+00:00"),
    ("17 May 2024 09:30:00 GMT", "2024-05-17T09:30:00+00:00"),
    ("2024-02-30", ""),
    ("2024-13", ""),
    ("2024-05-17T25:00:00", ""),
    ("0000", ""),
    ("yesterday", ""),
    ("17/05/2024", ""),
    ("1715938200", ""),
])
def test_dates_are_iso_or_empty(written, lastmod):
    listing = parse_sitemap(urlset("https://a.example/x-y-z", lastmod=written), "u")
    assert listing.entries == (Entry("https://a.example/x-y-z", lastmod),)


def test_text_sitemap_one_url_a_line():
    listing = parse_sitemap(fixture("sitemap.txt"), "https://plain.example/sitemap.txt")
    assert listing.error == ""
    assert urls(listing) == [
        "https://plain.example/2024/05/17/first-story",
        "https://plain.example/2024/05/16/second-story",
        "https://plain.example/2024/05/15/third-story",
    ]


def test_a_feed_given_as_sitemap_is_read_as_the_protocol_allows():
    listing = parse_sitemap(fixture("atom.xml"), "https://blog.example/atom.xml")
    assert listing.error == "" and urls(listing)[0] == "https://blog.example/posts/published-wins/"


def test_fifty_thousand_urls_are_read_and_more_are_truncated():
    locs = [f"https://big.example/2024/05/{n % 28 + 1:02d}/story-number-{n}" for n in range(50_001)]
    data = urlset(*locs, lastmod="2024-05-17")
    full = parse_sitemap(data, "https://big.example/sitemap.xml")
    assert len(full.entries) == 50_000 and full.truncated is True
    assert full.error == "" and "truncated at 50000 URLs" in full.detail
    assert full.entries[-1].url == locs[49_999] and full.entries[0].lastmod == "2024-05-17"
    exact = parse_sitemap(urlset(*locs[:50_000]), "https://big.example/sitemap.xml")
    assert len(exact.entries) == 50_000 and exact.truncated is False and exact.detail == ""
    small = parse_sitemap(data, "https://big.example/sitemap.xml", max_urls=10)
    assert urls(small) == locs[:10] and small.truncated and "truncated at 10 URLs" in small.detail


def test_text_sitemap_is_truncated_too():
    data = "\n".join(f"https://t.example/story-{n}-long-slug" for n in range(30)).encode()
    listing = parse_sitemap(data, "u", max_urls=25)
    assert len(listing.entries) == 25 and listing.truncated


# --- gzip -----------------------------------------------------------------------------------


def test_gzip_sitemap_is_inflated():
    data = gzip.compress(fixture("index.xml"))
    assert data[:2] == b"\x1f\x8b"
    assert parse_sitemap(data, "u") == parse_sitemap(fixture("index.xml"), "u")


def test_gzip_bomb_stops_at_max_bytes_and_keeps_what_was_read():
    head = urlset("https://bomb.example/2024/05/17/before-the-bomb")[:-len(b"</urlset>")]
    bomb = gzip.compress(head + b" " * 20_000_000 + b"<url><loc>https://bomb.example/after</loc></url></urlset>", 9)
    assert len(bomb) < 100_000  # small on the wire, 20 MB inflated
    listing = parse_sitemap(bomb, "https://bomb.example/sitemap.xml.gz", max_bytes=1_000_000)
    assert listing.error == "too-large" and "1000000 bytes" in listing.detail
    assert urls(listing) == ["https://bomb.example/2024/05/17/before-the-bomb"]


def test_body_larger_than_max_bytes_is_cut():
    data = urlset(*[f"https://a.example/story-{n}-long-slug" for n in range(100)])
    listing = parse_sitemap(data, "u", max_bytes=1000)
    assert listing.error == "too-large" and 0 < len(listing.entries) < 100


def test_truncated_gzip_keeps_the_entries_before_the_cut():
    data = gzip.compress(urlset(*[f"https://a.example/story-{n}-long-slug" for n in range(2000)]))
    listing = parse_sitemap(data[: len(data) // 2], "u")
    assert listing.error == "" and 0 < len(listing.entries) < 2000 and "gzip" in listing.detail


def test_multi_member_gzip_is_read_whole():
    data = urlset("https://a.example/one-long-story-slug", "https://a.example/two-long-story-slug")
    half = len(data) // 2
    listing = parse_sitemap(gzip.compress(data[:half]) + gzip.compress(data[half:]), "u")
    assert len(listing.entries) == 2


# --- hostile XML ----------------------------------------------------------------------------


def test_billion_laughs_does_not_expand():
    listing = parse_sitemap(fixture("billion_laughs.xml"), "https://laughs.example/sitemap.xml")
    # The entity reference makes its loc unreadable; the rest of the document is still read.
    assert urls(listing) == ["https://laughs.example/2024/05/17/safe-story"]
    assert not any("lol" in entry.url for entry in listing.entries)


def test_external_entities_are_neither_read_nor_fetched():
    listing = parse_sitemap(fixture("xxe.xml"), "https://xxe.example/sitemap.xml")
    assert urls(listing) == ["https://xxe.example/2024/05/17/safe-story"]
    assert listing.entries[0].lastmod == ""
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\0"
    assert all(hostname not in entry.url for entry in listing.entries)


@pytest.fixture
def dtd_server():
    """A real HTTP server on 127.0.0.1 that records every path asked of it."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            asked.append(self.path)
            body = b'<!ENTITY leak "LEAKED">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


SITEMAP_ITEMS = ("<urlset>", "<url><loc>{}</loc></url>", "</urlset>")
FEED_ITEMS = ("<rss><channel>", "<item><link>{}</link></item>", "</channel></rss>")


@pytest.mark.parametrize(("parse", "shape"), [
    (parse_sitemap, SITEMAP_ITEMS), (parse_listing, SITEMAP_ITEMS),
    (parse_feed, FEED_ITEMS), (parse_listing, FEED_ITEMS),
])
def test_no_dtd_or_entity_is_fetched_or_read(dtd_server, tmp_path, parse, shape):
    base, asked = dtd_server
    secret = tmp_path / "secret.txt"
    secret.write_text("LEAKED")
    opening, item, closing = shape
    links = ("https://a.example/&fetched;&leak;", "https://a.example/&local;",
             "https://a.example/2024/05/17/safe-story")
    data = (f'<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "{base}/outer.dtd" [\n'
            f'<!ENTITY % remote SYSTEM "{base}/param.dtd"> %remote;\n'
            f'<!ENTITY fetched SYSTEM "{base}/entity.txt">\n'
            f'<!ENTITY local SYSTEM "{secret.as_uri()}">]>\n'
            + opening + "".join(item.format(link) for link in links) + closing).encode()
    listing = parse(data, "https://a.example/listing")
    assert asked == []
    assert urls(listing) == ["https://a.example/2024/05/17/safe-story"]


def test_html_entities_are_read_and_do_not_eat_the_ampersands_after_them():
    data = (b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
            b"<item><title>Caf&eacute; &amp; bar&nbsp;&unknown; again</title>"
            b"<link>https://a.example/story?a=1&amp;b=2</link></item>"
            b"<item><title><![CDATA[Kept &amp; as written]]></title><link>https://a.example/two</link></item>"
            b"</channel></rss>")
    first, second = parse_feed(data, "https://a.example/rss").entries
    assert first == Entry("https://a.example/story?a=1&b=2", "", "page", "Caf\xe9 & bar again")
    assert second.title == "Kept &amp; as written"


# --- feeds ----------------------------------------------------------------------------------


def test_rss2_items_links_dates_titles_and_next_page():
    listing = parse_feed(fixture("rss2.xml"), f"{BUGLE}/feed/")
    assert listing.error == ""
    assert listing.entries == (
        Entry(f"{BUGLE}/2024/05/17/mayor-resigns/", "2024-05-17T09:30:00+00:00", "page", "Mayor resigns & leaves"),
        # A guid with no isPermaLink is the permalink; dc:date is read.
        Entry(f"{BUGLE}/2024/05/16/guid-story/", "2024-05-16T10:00:00Z", "page", "Only a guid"),
        # FeedBurner's origLink wins over its redirector.
        Entry(f"{BUGLE}/2024/05/15/origin-story/", "2024-05-15T08:00:00+00:00", "page", "Through FeedBurner"),
        # A relative link resolves against the feed; a bad pubDate is unknown.
        Entry(f"{BUGLE}/2024/05/14/relative-story/", "", "page", "Relative link"),
        Entry(f"{BUGLE}/feed/?paged=2", "", "feed", ""),
    )


def test_rss1_rdf_items_and_rdf_about():
    listing = parse_feed(fixture("rss1.rdf"), "https://slashy.example/index.rdf")
    assert [(e.url.rsplit("/", 1)[1], e.lastmod, e.title) for e in listing.entries] == [
        ("linux-kernel-released", "2024-05-17T12:00:00+00:00", "Linux kernel released"),
        ("about-only", "2024-05-16", "Only rdf:about"),
    ]


def test_atom_alternate_links_published_then_updated_and_xml_base():
    listing = parse_feed(fixture("atom.xml"), "https://blog.example/atom.xml")
    assert listing.entries == (
        Entry("https://blog.example/posts/published-wins/", "2024-05-10T08:00:00+02:00", "page", "Published wins"),
        Entry("https://blog.example/posts/updated-only/", "2024-05-11T09:00:00Z", "page", "Updated only, no rel"),
        Entry("https://other.blog.example/sub/own-base-post", "2024-05-12", "page", "Own base"),
        Entry("https://blog.example/atom.xml?page=2", "", "feed", ""),
    )


def test_json_feed():
    listing = parse_feed(fixture("feed.json"), "https://json.example/feed.json")
    assert listing.error == ""
    assert listing.entries == (
        Entry("https://json.example/2024/05/17/json-story", "2024-05-17T10:00:00Z", "page", "JSON story"),
        Entry("https://json.example/2024/05/16/relative-json-story", "2024-05-16", "page", ""),
        Entry("https://json.example/feed.json?page=2", "", "feed", ""),
    )


def test_feed_items_are_truncated_at_max_items():
    items = "".join(f"<item><link>https://a.example/story-{n}-long-slug</link></item>" for n in range(40))
    listing = parse_feed(f"<rss><channel>{items}</channel></rss>".encode(), "u", max_items=30)
    assert len(listing.entries) == 30 and listing.truncated and "truncated at 30 items" in listing.detail


def test_gzip_feed_is_inflated():
    assert parse_feed(gzip.compress(fixture("atom.xml")), "https://blog.example/atom.xml") == parse_feed(
        fixture("atom.xml"), "https://blog.example/atom.xml")


def test_malformed_feed_keeps_readable_items():
    data = (b"<rss><channel><item><title>One</title><link>https://a.example/one-good-story</link></item>"
            b"<item><title>Two & broken<link>https://a.example/two-good-story</link></item><item><link>")
    listing = parse_feed(data, "u")
    assert listing.error == "" and urls(listing)[:1] == ["https://a.example/one-good-story"]


@pytest.mark.parametrize(("data", "error"), [
    (b"", "empty"),
    (b"<rss version='2.0'><channel><title>New blog</title></channel></rss>", "empty"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "empty"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "empty"),
    (b"<rss><channel><item><title>No link</title><guid isPermaLink='false'>x</guid></item></channel></rss>",
     "bad-feed"),
    (b"<<<>>>", "bad-feed"),
    (fixture("urlset.xml"), "bad-feed"),
    (b'{"items": "no"}', "bad-feed"),
    (b"[" * 100_000, "bad-feed"),
    (b"\x00\x01\x02 junk", "not-xml"),
    (fixture("home.html"), "not-xml"),
])
def test_unreadable_feeds_get_a_reason_and_a_sentence(data, error):
    listing = parse_feed(data, "https://a.example/feed")
    assert (listing.entries, listing.error) == ((), error)
    assert listing.detail.endswith(".")


# --- either ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content_type", "count", "first_kind", "same_as"), [
    ("urlset.xml", "application/xml", 5, "page", parse_sitemap),
    ("index.xml", "text/xml", 3, "sitemap", parse_sitemap),
    ("news.xml", "", 2, "page", parse_sitemap),
    ("sitemap.txt", "text/plain", 3, "page", parse_sitemap),
    ("rss2.xml", "application/rss+xml", 5, "page", parse_feed),
    ("rss1.rdf", "application/rdf+xml", 2, "page", parse_feed),
    ("atom.xml", "application/atom+xml", 4, "page", parse_feed),
    ("feed.json", "application/feed+json", 3, "page", parse_feed),
])
def test_parse_listing_picks_sitemap_or_feed_by_root(name, content_type, count, first_kind, same_as):
    listing = parse_listing(fixture(name), "https://a.example/" + name, content_type)
    assert listing.error == "" and len(listing.entries) == count and listing.entries[0].kind == first_kind
    assert listing == same_as(fixture(name), "https://a.example/" + name)


@pytest.mark.parametrize(("data", "content_type", "error"), [
    (fixture("not_sitemap.html"), "text/html; charset=utf-8", "not-xml"),
    (fixture("robots.txt"), "text/plain", "not-xml"),
    (b"<catalog><book/></catalog>", "application/xml", "not-xml"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "image/png", "not-xml"),
    (b"", "", "empty"),
    (b"not json at all", "application/json", "bad-feed"),
])
def test_parse_listing_refuses_what_is_neither(data, content_type, error):
    listing = parse_listing(data, "https://a.example/x", content_type)
    assert (listing.entries, listing.error) == ((), error)
    assert listing.detail


def test_parse_listing_names_the_content_type_in_its_message():
    listing = parse_listing(fixture("not_sitemap.html"), "https://a.example/sitemap.xml", "text/html")
    assert "HTML" in listing.detail and "text/html" in listing.detail


def test_parse_listing_inflates_gzip():
    assert len(parse_listing(gzip.compress(fixture("rss2.xml")), f"{BUGLE}/feed/").entries) == 5


# --- robots.txt -----------------------------------------------------------------------------


def test_robots_sitemaps_any_case_any_position_resolved_deduplicated_in_order():
    assert robots_sitemaps(fixture("robots.txt").decode(), f"{BUGLE}/robots.txt") == [
        f"{BUGLE}/sitemap_index.xml",
        f"{BUGLE}/news-sitemap.xml",
    ]


@pytest.mark.parametrize("text", [
    "",
    "User-agent: *\nDisallow: /\n",
    "<!DOCTYPE html><html><body>\nSitemap: https://a.example/trap.xml\n</body></html>",
    "\x00\x01\x02\xff junk \x00 Sitemap",
    "Sitemap: javascript:alert(1)\nSitemap: http://[::1\n",
])
def test_robots_without_usable_sitemaps_give_nothing(text):
    assert robots_sitemaps(text, "https://a.example/robots.txt") == []


def test_robots_with_a_byte_order_mark_and_bytes():
    assert robots_sitemaps("\ufeffSitemap: /s.xml", "https://a.example/robots.txt") == ["https://a.example/s.xml"]
    assert robots_sitemaps(b"Sitemap: /s.xml", "https://a.example/robots.txt") == ["https://a.example/s.xml"]


# --- HTML pages -----------------------------------------------------------------------------


def test_feed_links_of_a_home_page():
    # Resolved against <base href>, in order, deduplicated; comment feeds, the WordPress REST link,
    # hreflang alternates and stylesheets are left out.
    assert feed_links(fixture("home.html").decode(), "https://mirror.example/home") == [
        f"{BUGLE}/feed/",
        f"{BUGLE}/atom.xml",
        f"{BUGLE}/feed.json",
    ]


@pytest.mark.parametrize(("html", "expected"), [
    ('<html><head><link rel="alternate" type="application/rss+xml" href="rss.xml"></head></html>',
     ["https://a.example/blog/rss.xml"]),
    ('<?xml version="1.0" encoding="utf-8"?><html><link rel=alternate type=APPLICATION/ATOM+XML href=/a></html>',
     ["https://a.example/a"]),
    ('<base href="/other/"><link rel="alternate" type="application/rss+xml" href="f">',
     ["https://a.example/other/f"]),
    ('<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">', []),
    ('<link rel="alternate" type="application/rss+xml">', []),
    ("", []),
    ("\x00\x00", []),
    ("just text", []),
])
def test_feed_links_edge_cases(html, expected):
    assert feed_links(html, "https://a.example/blog/") == expected


def test_article_links_of_a_home_page():
    assert article_links(fixture("home.html").decode(), f"{BUGLE}/") == [
        # The header's article link, then the same one with a #comments fragment dropped.
        f"{BUGLE}/2024/05/17/mayor-resigns-after-audit",
        f"{BUGLE}/politics/council-approves-new-budget-plan",
        f"{BUGLE}/story/98765",
        # Another host on the same registered domain is the same site.
        "https://sports.daily-bugle.example/football/local-team-wins-cup-final",
        # A newline inside the href is dropped as browsers do.
        f"{BUGLE}/2024/05/16/old-bridge-to-close",
        f"{BUGLE}/2024/05/15/footer-listed-story-here",
    ]


def test_article_links_same_site_can_be_given():
    on_rival = article_links(fixture("home.html").decode(), f"{BUGLE}/",
                             same_site=lambda url: url.startswith("https://rival-paper.example/"))
    assert on_rival == ["https://rival-paper.example/2024/05/17/rival-scoop-on-mayor"]


def test_article_links_leave_out_the_page_itself_and_other_blogs_of_a_platform():
    page = "https://someone.blogspot.com/2024/05/my-long-post-title.html"
    html = ('<a href="/2024/05/my-long-post-title.html#comment-1">self</a>'
            '<a href="/2024/04/an-older-post-here.html">older</a>'
            '<a href="https://other.blogspot.com/2024/05/their-long-post-title.html">other blog</a>')
    assert article_links(html, page) == ["https://someone.blogspot.com/2024/04/an-older-post-here.html"]


@pytest.mark.parametrize("html", ["", "   ", "\x00", "<", "<a href='http://[::1'>x</a>", "<a>no href</a>",
                                  "<a href='/2024/05/17/story-slug-here'>x</a>"])
def test_article_links_of_odd_pages_are_empty(html):
    assert article_links(html, "not a url") == []


# --- which URLs are articles ----------------------------------------------------------------

ARTICLE_URLS = [
    # Dated paths: WordPress, Guardian, CNN 2008, blogs.
    ("https://www.daily-bugle.example/2024/05/17/mayor-resigns-after-audit/", True),
    ("https://blog.example/2019/11/ok/", True),
    ("https://www.theguardian.com/world/2024/may/17/ukraine-talks-resume", True),
    ("https://www.theguardian.com/commentisfree/2023/jan/03/why-we-should", True),
    ("http://www.cnn.com/2008/POLITICS/11/04/election.president/index.html", True),
    ("https://www.nytimes.com/2024/05/17/us/politics/senate-vote.html", True),
    ("https://www.washingtonpost.com/politics/2024/05/17/biden-trump-debate/", True),
    ("https://news.example.co.uk/2024/05/17/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8", True),
    # Numeric ids.
    ("https://www.bbc.com/news/world-europe-68123456", True),
    ("https://www.reuters.com/article/us-usa-senate-idUSKBN2X01AB", True),
    ("https://slashy.example/story/24/05/17/1234567/linux-kernel-released", True),
    ("https://www.lemonde.fr/international/article/2024/05/17/la-france-et-l-allemagne_6233456_3210.html", True),
    ("https://www.spiegel.de/politik/deutschland/ampel-streit-a-1234abcd-5678-90ef-1234-567890abcdef", True),
    ("https://www.corriere.example/politica/24_maggio_17/governo-vertice-3f2a1b.shtml", True),
    ("https://cms.example/content/1234567", True),
    ("https://www.zeit.example/2024/21/klimapolitik-europa-wahl", True),
    # Query ids: WordPress short links and old CMSs.
    ("https://wordpress-blog.example/?p=123", True),
    ("http://oldpaper.example/news/story.php?id=4521", True),
    ("http://oldpaper.example/article.asp?ArticleID=991&Section=2", True),
    # Old .htm/.html/.shtml/.php pages with a slug.
    ("http://www.oldpaper.example/2008/11/05/obama.htm", True),
    ("http://www.oldpaper.example/politics/obama_wins_election.htm", True),
    ("http://www.oldpaper.example/local/fire-downtown.shtml", True),
    ("https://forum-news.example/read/new-law-2024.php", True),
    ("http://www.weekly.example/archive/issue42/editorial-2.html", True),
    # Marker segments with something after.
    ("https://site.example/news/local/mayor-resigns", True),
    ("https://site.example/article/abc123", True),
    ("https://site.example/story/xyz", True),
    ("https://someone.substack.com/p/the-week-in-review", True),
    ("https://medium.com/@writer/how-we-built-it-3f2a1b9c8d7e", True),
    ("https://www.apnews.com/article/election-senate-vote-0a1b2c3d4e5f", True),
    # Long hyphenated slugs.
    ("https://www.politico.example/congress/house-passes-stopgap-funding-bill", True),
    ("https://techblog.example/why-rust-is-eating-the-world/", True),
    ("https://www.npr.example/sections/health-shots/covid-cases-rise-again", True),
    ("https://www.elpais.example/espana/el-gobierno-aprueba-la-ley.html", True),
    ("https://news.example/world/%E6%96%B0%E9%97%BB-%E4%B8%AD%E5%9B%BD-%E7%BB%8F%E6%B5%8E", True),
    ("https://www.lefigaro.example/politique/le_gouvernement_annonce_un_plan", True),
    ("https://site.example/podcasts/episode-12-the-long-road/", True),
    ("https://site.example/video/watch-the-mayor-resign-live", True),
    # Not articles: roots and editions.
    ("https://www.daily-bugle.example/", False),
    ("https://www.daily-bugle.example", False),
    ("https://www.theguardian.com/uk", False),
    ("https://www.example.com/en/", False),
    ("https://www.example.com/index.html", False),
    ("https://www.example.com/news/index.html", False),
    # Tags, categories, topics, sections.
    ("https://wordpress-blog.example/tag/climate-change-and-energy/", False),
    ("https://wordpress-blog.example/category/news/local-news-from-the-city/", False),
    ("https://www.example.com/topics/climate", False),
    ("https://www.example.com/topic/artificial-intelligence-news-and-analysis/", False),
    ("https://www.example.com/section/politics/", False),
    ("https://blogger-blog.example/search/label/Politics", False),
    ("https://www.example.com/news/", False),
    ("https://www.example.com/world", False),
    ("https://www.bbc.com/news/world", False),
    ("https://www.example.com/uk-news", False),
    # Authors.
    ("https://wordpress-blog.example/author/jane-doe/", False),
    ("https://www.nytimes.com/by/jane-doe", False),
    ("https://www.washingtonpost.com/people/jane-doe/", False),
    ("https://www.theguardian.com/profile/janedoe", False),
    ("https://www.example.com/contributors/john-smith-jr", False),
    ("https://medium.com/@writer", False),
    # Search.
    ("https://wordpress-blog.example/?s=mayor", False),
    ("https://www.example.com/search?q=mayor+resigns+after+audit", False),
    ("https://www.example.com/search/mayor-resigns-after-audit", False),
    # Pagination.
    ("https://wordpress-blog.example/page/2/", False),
    ("https://wordpress-blog.example/category/news/page/3/", False),
    ("https://www.example.com/latest-news-from-the-city?page=2", False),
    ("https://www.example.com/politics-page-2", False),
    # Feeds and sitemaps.
    ("https://wordpress-blog.example/feed/", False),
    ("https://wordpress-blog.example/2024/05/17/mayor-resigns/feed/", False),
    ("https://blogger-blog.example/feeds/posts/default", False),
    ("https://www.example.com/sitemap-news.xml", False),
    ("https://www.example.com/rss.xml", False),
    # Date archives.
    ("https://wordpress-blog.example/2024/", False),
    ("https://wordpress-blog.example/2024/05/", False),
    ("https://wordpress-blog.example/2024/05/17/", False),
    ("https://www.theguardian.com/world/2024/may/17", False),
    ("https://wordpress-blog.example/archives/", False),
    ("https://wordpress-blog.example/?m=202405", False),
    ("http://www.oldpaper.example/2008/index.htm", False),
    # Static files.
    ("https://cdn.example.com/images/mayor-resigns-after-audit.jpg", False),
    ("https://www.example.com/reports/annual-report-2024-final.pdf", False),
    ("https://www.example.com/static/app.min.js", False),
    ("https://www.example.com/assets/site-styles-2024.css", False),
    ("https://www.example.com/media/podcast-episode-12345.mp3", False),
    ("https://www.example.com/media/clip-12345.mp4", False),
    ("https://www.example.com/downloads/data-2024-05-17.zip", False),
    ("https://www.example.com/api/articles-12345.json", False),
    # Service pages.
    ("https://www.example.com/about", False),
    ("https://www.example.com/about-us/", False),
    ("https://www.example.com/contact-us", False),
    ("https://www.example.com/privacy-policy/", False),
    ("https://www.example.com/terms-of-service", False),
    ("https://www.example.com/subscribe", False),
    ("https://www.example.com/newsletters/the-morning-briefing-daily", False),
    ("https://www.example.com/account/login", False),
    ("https://www.example.com/advertise", False),
    ("https://www.example.com/careers/senior-data-reporter-role", False),
    # Media hubs with nothing after.
    ("https://www.example.com/video/", False),
    ("https://www.example.com/gallery", False),
    ("https://www.example.com/sport/live/", False),
    # CMS machinery.
    ("https://wordpress-blog.example/wp-admin/post-new.php", False),
    ("https://wordpress-blog.example/wp-login.php?redirect_to=x", False),
    ("https://www.example.com/cdn-cgi/l/email-protection", False),
    ("https://wordpress-blog.example/wp-json/wp/v2/posts/12345", False),
    # Other schemes and junk.
    ("mailto:tips@example.com", False),
    ("javascript:void(0)", False),
    ("ftp://files.example.com/2024/05/17/some-long-file-name", False),
    ("http://[::1", False),
    ("https://a.example/news" * 500 + "/some-long-article-slug", False),  # 3000 characters: not a page
    ("", False),
    # Relative URLs are judged by their path.
    ("/2024/05/17/mayor-resigns", True),
    ("/tag/mayor/", False),
]


@pytest.mark.parametrize(("url", "expected"), ARTICLE_URLS)
def test_looks_like_article(url, expected):
    assert looks_like_article(url) is expected


def test_the_url_table_is_large_and_every_rule_decides_at_least_one_url():
    assert len(ARTICLE_URLS) >= 60
    deciding = set()
    for url, _ in ARTICLE_URLS:
        parts = discover._url_parts(url)
        if parts is not None:
            deciding.add(next((n for n, (_, part, rx) in enumerate(discover._ARTICLE_RULES)
                               if rx.search(parts[part])), None))
    assert deciding >= set(range(len(discover._ARTICLE_RULES)))


# --- the --since window ---------------------------------------------------------------------

TODAY = datetime.date(2024, 5, 31)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-17", datetime.date(2024, 5, 17)),
    (" 2024-05-17 ", datetime.date(2024, 5, 17)),
    ("2024-05", datetime.date(2024, 5, 1)),
    ("2024", datetime.date(2024, 1, 1)),
    ("30d", datetime.date(2024, 5, 1)),
    ("0d", TODAY),
    ("12w", datetime.date(2024, 3, 8)),
    ("6M", datetime.date(2023, 11, 30)),
    ("3m", datetime.date(2024, 2, 29)),  # 31 May - 3 months: the last day of February
    ("1y", datetime.date(2023, 5, 31)),
    ("24m", datetime.date(2022, 5, 31)),
])
def test_parse_since(text, expected):
    assert parse_since(text, today=TODAY) == expected


def test_parse_since_counts_back_from_the_real_today_by_default():
    assert parse_since("0d") == datetime.date.today()


@pytest.mark.parametrize("text", ["", "yesterday", "2024-13-01", "2024-02-30", "17/05/2024", "30", "d30",
                                  "-30d", "1.5y", "30 days", "999999y", "0000", "2024-5-7"])
def test_parse_since_refuses_anything_else(text):
    with pytest.raises(DiscoverError) as raised:
        parse_since(text, today=TODAY)
    assert raised.value.code == "bad-since"
    assert "2024-05-17" in raised.value.detail and "30d" in raised.value.detail
    assert isinstance(raised.value, ValueError)


SINCE = datetime.date(2024, 5, 17)


@pytest.mark.parametrize(("lastmod", "expected"), [
    ("2024-05-17", True),
    ("2024-05-18T00:00:00Z", True),
    ("2024-05-17T23:30:00-05:00", True),  # the calendar date as written
    ("2024-05-16T23:59:59+14:00", False),
    ("2024-05-16", False),
    ("2023-12-31", False),
    ("2024-06", True),
    ("2024-04", False),
    ("2024-05", None),  # a month that contains the start day: the page will tell
    ("2025", True),
    ("2023", False),
    ("Fri, 17 May 2024 09:30:00 +0000", True),
    ("", None),
    ("soon", None),
    ("2024-02-30", None),
])
def test_is_recent(lastmod, expected):
    assert is_recent(lastmod, SINCE) is expected


# --- nothing raises -------------------------------------------------------------------------

XMLISH = st.lists(st.sampled_from([
    b"<urlset>", b"</urlset>", b"<url>", b"</url>", b"<loc>", b"</loc>", b"<lastmod>", b"</lastmod>",
    b"<sitemapindex>", b"<sitemap>", b"<rss>", b"<channel>", b"<item>", b"</item>", b"<link>", b"</link>",
    b"<feed>", b"<entry>", b"<link href='x' rel='next'/>", b"<guid isPermaLink='false'>", b"<pubDate>",
    b"<news:news>", b"<news:publication_date>", b"<![CDATA[", b"]]>", b"&amp;", b"&eacute;", b"&x;",
    b"<!DOCTYPE x [<!ENTITY x 'y'>]>", b"https://a.example/2024/05/17/s-l-u-g", b"2024-05-17", b"\x1f\x8b",
    b"\xef\xbb\xbf", b"\n", b" ", b"{", b'"items":[', b"\x00", b"\xff",
]), max_size=30).map(b"".join)

ANY_BYTES = st.one_of(st.binary(max_size=2000), XMLISH)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_BYTES, st.text(max_size=40), st.one_of(st.just("https://a.example/x"), st.text(max_size=30)))
def test_listings_never_raise(data, content_type, url):
    for listing in (parse_sitemap(data, url, max_urls=5, max_bytes=5000),
                    parse_feed(data, url, max_items=5),
                    parse_listing(data, url, content_type)):
        assert isinstance(listing, Listing)
        assert listing.entries or listing.error or listing.detail == ""
        assert all(entry.url.startswith(("http://", "https://")) for entry in listing.entries)


HTMLISH = st.lists(st.sampled_from([
    "<html>", "<head>", "<base href='/b/'>", "<base href='http://[::1'>", "<link rel='alternate' ",
    "type='application/rss+xml' ", "href='", "'>", "<a href='", "/2024/05/17/a-b-c", "#f", "javascript:",
    "http://", "[::1", "</a>", "<nav>", "\x00", "\ud800", "é", "<?xml version='1.0' encoding='latin-1'?>", "<",
]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=500), HTMLISH), st.one_of(st.text(max_size=40), st.just("https://a.example/")))
def test_html_functions_never_raise(html, page_url):
    assert all(url.startswith("http") for url in feed_links(html, page_url))
    assert all(url.startswith("http") for url in article_links(html, page_url))
    assert isinstance(robots_sitemaps(html, page_url), list)
    assert isinstance(looks_like_article(html), bool)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_looks_like_article_never_raises(url):
    assert looks_like_article(url) in (True, False)
    assert looks_like_article("https://a.example/" + url) in (True, False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_dates_never_raise(text):
    assert is_recent(text, SINCE) in (True, False, None)
    try:
        parse_since(text, today=TODAY)
    except DiscoverError as error:
        assert error.code == "bad-since"
