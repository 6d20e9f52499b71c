"""Page metadata on small pages written for the tests: dates, authors, language, title."""
import datetime as dt
import gzip
import json
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.scrapers.body import parse_html
from citegraph.scrapers.metadata import (
    DATE_SOURCES, PageMeta, author_names, date_of, language_code, page_meta, url_date,
)

URL = "https://news.example/story"


def meta_of(head: str = "", body: str = "", url: str = URL, lang: str = "") -> PageMeta:
    lang_attr = f' lang="{lang}"' if lang else ""
    return page_meta(parse_html(f"<html{lang_attr}><head>{head}</head><body>{body}</body></html>"), url)


def ld(obj) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# --- dates: structured data ------------------------------------------------------------------------

@pytest.mark.parametrize("head, expected", [
    (ld({"@type": "NewsArticle", "datePublished": "2019-11-19T09:01:42+05:30"}), "2019-11-19"),
    (ld({"@type": "NewsArticle", "dateCreated": "2019-11-18"}), "2019-11-18"),
    (ld({"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Daily", "foundingDate": "2001-01-01"},
        {"@type": "WebPage", "datePublished": "2019-01-01"},
        {"@type": "Article", "headline": "H", "datePublished": "2019-11-19"}]}), "2019-11-19"),
    (ld([{"@type": "BreadcrumbList"}, {"@type": ["NewsArticle"], "datePublished": "2019-11-19"}]), "2019-11-19"),
    (ld({"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "datePublished": "2019-11-17"}}), "2019-11-17"),
    (ld({"@type": "NewsArticle", "datePublished": "Tue Nov 19 2019 03:05:46 GMT+0000"}), "2019-11-19"),
    (ld({"@type": "NewsArticle", "datePublished": "01:38:07 PM IST Nov 20, 2019"}), "2019-11-20"),
    (ld({"@type": "NewsArticle", "datePublished": ["2019-11-16", "2019-11-17"]}), "2019-11-16"),
    (ld({"@type": "ClaimReview", "datePublished": "2019-11-18T10:15:00+00:00"}), "2019-11-18"),
    # A stray comma makes the JSON invalid; the date it states still counts.
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-11-15",}</script>',
     "2019-11-15"),
    ('<script type="application/ld+json">//<![CDATA[\n{"@type": "BlogPosting", "datePublished": "2019-11-14"}\n//]]>'
     "</script>", "2019-11-14"),
])
def test_jsonld_dates(head, expected):
    m = meta_of(head)
    assert (m.published_at, m.published_source) == (expected, "jsonld")


def test_jsonld_image_date_is_not_the_article_date():
    m = meta_of(ld({"@type": "ImageObject", "datePublished": "2015-01-01"}), url="https://n.example/a")
    assert m.published_at == ""


@pytest.mark.parametrize("name, attr, content", [
    ("article:published_time", "property", "2019-11-19T10:00:00Z"),
    ("og:published_time", "property", "2019-11-19"),
    ("pubdate", "name", "2019-11-19"),
    ("publishdate", "name", "20191119"),
    ("DC.date.issued", "name", "2019-11-19"),
    ("parsely-pub-date", "name", "2019-11-19T08:00:00Z"),
    ("sailthru.date", "name", "2019-11-19 08:00:00"),
    ("date", "name", "2019-11-19"),
    ("sn-post-date", "name", "2019/11/19"),  # no list names it: the generic rule reads it
    ("article:published_time", "property", "November 19, 2019 12:32"),
])
def test_meta_dates(name, attr, content):
    m = meta_of(f'<meta {attr}="{name}" content="{content}">')
    assert (m.published_at, m.published_source) == ("2019-11-19", "meta")


def test_jsonld_wins_over_meta_and_url():
    m = meta_of(ld({"@type": "NewsArticle", "datePublished": "2019-11-19"})
                + '<meta property="article:published_time" content="2019-11-01">', url="https://n.example/2019/10/01/x")
    assert m.published_at == "2019-11-19"


@pytest.mark.parametrize("body", [
    '<span itemprop="datePublished" content="2019-11-19T10:00">Yesterday</span>',
    '<time itemprop="datePublished" datetime="2019-11-19">Nov 19</time>',
    '<span itemprop="datePublished">Fri 6:45 PM, Nov 19, 2019</span>',
    '<div itemscope><meta itemprop="datePublished" content="2019-11-19"></div>',
])
def test_microdata_dates(body):
    m = meta_of(body=body)
    assert m.published_at == "2019-11-19"
    assert m.published_source in ("microdata", "time")


# --- dates: modified is never published ----------------------------------------------------------

def test_modified_is_not_taken_when_a_published_date_exists():
    head = (ld({"@type": "NewsArticle", "dateModified": "2019-12-01"})
            + '<meta property="article:modified_time" content="2019-12-01">')
    body = '<time class="updated" datetime="2019-12-01">Dec 1</time><p class="byline">Published 19 Nov 2019</p>'
    m = meta_of(head, body)
    assert (m.published_at, m.published_source, m.modified_at) == ("2019-11-19", "text", "2019-12-01")


def test_updated_cue_in_a_byline_is_a_modified_date():
    m = meta_of(body='<div class="article-date">Updated: 1 Dec 2019</div><div class="dateline">Posted 19 Nov 2019</div>')
    assert (m.published_at, m.modified_at) == ("2019-11-19", "2019-12-01")


def test_modified_only_is_used_and_labelled():
    m = meta_of('<meta property="article:modified_time" content="2019-12-01T10:00:00Z">')
    assert (m.published_at, m.published_source, m.modified_at) == ("2019-12-01", "modified", "2019-12-01")
    assert m.published_source in DATE_SOURCES


# --- dates: time tags, text, URL -----------------------------------------------------------------

def test_time_marked_as_published_wins_over_the_first_time():
    body = ('<aside><time datetime="2019-10-01">Oct 1</time></aside>'
            '<header><time class="entry-date published" datetime="2019-11-19T08:00:00-05:00">19 Nov</time></header>')
    m = meta_of(body=body)
    assert (m.published_at, m.published_source) == ("2019-11-19", "time")


def test_time_with_pubdate_attribute():
    m = meta_of(body='<time datetime="2019-10-01"></time><time pubdate datetime="2019-11-19"></time>')
    assert m.published_at == "2019-11-19"


def test_time_text_without_datetime():
    m = meta_of(body="<p>x</p><time>19 November 2019</time>")
    assert (m.published_at, m.published_source) == ("2019-11-19", "time")


def test_url_date_before_an_unmarked_time():
    m = meta_of(body='<time datetime="2019-10-01">Oct 1</time>', url="https://n.example/2019/11/19/story/")
    assert (m.published_at, m.published_source) == ("2019-11-19", "url")


@pytest.mark.parametrize("body, expected", [
    ('<p class="byline">By Ann Lee. Published November 19, 2019</p>', "2019-11-19"),
    ('<div class="article-date">19 Nov 2019</div>', "2019-11-19"),
    ('<span class="date">2019年11月19日 10:00</span>', "2019-11-19"),
    ('<span class="post-date">19.11.2019</span>', "2019-11-19"),
    ('<div class="meta">Posted on November 19th, 2019 by admin</div>', "2019-11-19"),
    ('<span class="about__block">publiziert am 25. September 2018</span>', "2018-09-25"),
    ("<td>기사입력 :[ 2018-08-25 15:24 ]</td>", "2018-08-25"),
    ('<input class="published_date" type="hidden" value="2019-11-18 23:41:18">', "2019-11-18"),
    ('<div class="info">19 de noviembre de 2019</div>', "2019-11-19"),
])
def test_textual_dates_near_the_byline(body, expected):
    m = meta_of(body=f"<h1>Title</h1>{body}<p>Body text of the story.</p>", url="https://n.example/a")
    assert (m.published_at, m.published_source) == (expected, "text")


def test_dates_of_tweets_and_comments_are_not_the_page_date():
    body = ('<div class="aptf-tweet-date"><p class="aptf-timestamp">November 20, 2019</p></div>'
            '<section class="comments"><span class="comment-date">Posted 21 Nov 2019</span></section>')
    assert meta_of(body=body, url="https://n.example/a").published_at == ""


def test_a_date_in_the_text_without_a_cue_is_not_taken():
    body = "<p>On November 15, 2019, the ambassador testified.</p>"
    assert meta_of(body=body, url="https://n.example/a").published_at == ""


@pytest.mark.parametrize("url, expected", [
    ("https://n.example/2019/11/19/story/", "2019-11-19"),
    ("https://n.example/news/2019-11-19/story", "2019-11-19"),
    ("https://n.example/news/20191119/story", "2019-11-19"),
    ("https://www.quantamagazine.org/tuft-cells-that-taste-danger-set-off-immune-responses-20191115/", "2019-11-15"),
    ("https://n.example/2019/11/story", ""),  # a month is not a date
    ("https://n.example/id/123420191119999", ""),  # digits inside a longer number
    ("https://n.example/2019/13/45/x", ""),
    ("https://n.example/story?date=2019-11-19", ""),  # the query is not the page's path
])
def test_url_dates(url, expected):
    assert url_date(url) == expected


# --- dates: parsing and the range check ----------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2019-11-19T23:30:00-05:00", "2019-11-19"),  # as written: not moved to UTC
    ("2019-11-19T02:00:00+09:00", "2019-11-19"),
    ("Nov. 19, 2019", "2019-11-19"),
    ("Tuesday, 19 November 2019", "2019-11-19"),
    ("19 ноября 2019", "2019-11-19"),
    ("2019년 11월 19일", "2019-11-19"),
    ("11/19/2019", "2019-11-19"),
    ("19/11/2019", "2019-11-19"),
    ("03/04/2019", ""),  # day and month cannot be told apart
    ("2019-02-30", ""),
    ("12 Mar 1989", ""),  # before 1990
    ("Marathon 2019", ""),
    ("", ""),
])
def test_date_of(text, expected):
    assert date_of(text) == expected


def test_compact_dates_only_when_asked():
    assert (date_of("20191119"), date_of("20191119", compact=True)) == ("", "2019-11-19")


def test_future_dates_are_refused_beyond_tomorrow():
    today = dt.date(2024, 3, 5)
    assert date_of("2024-03-06", today=today) == "2024-03-06"
    assert date_of("2024-03-07", today=today) == ""
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    m = meta_of(f'<meta property="article:published_time" content="{future}">', url="https://n.example/2019/11/19/a")
    assert (m.published_at, m.published_source) == ("2019-11-19", "url")


# --- authors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("author, expected", [
    ("Jane Doe", ("Jane Doe",)),
    ({"@type": "Person", "name": "Jane Doe", "url": "https://n.example/jane"}, ("Jane Doe",)),
    ([{"name": "Jane Doe"}, {"name": "John Roe"}, "Ann Lee"], ("Jane Doe", "John Roe", "Ann Lee")),
    ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
    ("https://n.example/authors/jane", ()),
])
def test_jsonld_authors(author, expected):
    assert meta_of(ld({"@type": "NewsArticle", "author": author})).authors == expected


@pytest.mark.parametrize("head, body, expected", [
    ('<meta name="author" content="Jane Doe">', "", ("Jane Doe",)),
    ('<meta name="byl" content="By Jane Doe and John Roe">', "", ("Jane Doe", "John Roe")),
    ("", '<a rel="author" href="/jane">Jane Doe</a>', ("Jane Doe",)),
    ("", '<span itemprop="author" itemscope><span itemprop="name">Jane Doe</span></span>', ("Jane Doe",)),
    ("", '<span itemprop="author creator">Text: Jane Doe</span>', ("Jane Doe",)),
    ("", '<p class="byline">By Jane Doe and John Roe</p>', ("Jane Doe", "John Roe")),
    ("", '<div class="story-byline">By JANE DOE, AP Auto Writer</div>', ("JANE DOE",)),
    ("", '<div class="byline">By ANN LEE, BO ROE and CY POE Associated Press</div>', ("ANN LEE", "BO ROE", "CY POE")),
    ("", '<div class="byline">By Jane Doe @janedoe jane@n.example Updated Nov 19, 2019</div>', ("Jane Doe",)),
])
def test_authors_from_the_page(head, body, expected):
    assert meta_of(head, body).authors == expected


@pytest.mark.parametrize("raw, expected", [
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("Analysis by Chris Lee, CNN Editor-at-large", ["Chris Lee"]),
    ("Jane E Doe & John Y Roe", ["Jane E Doe", "John Y Roe"]),  # capital initials are not joiners
    ("Associated Press", ["Associated Press"]),
    ("Posted by Jane Doe on November 19, 2019", ["Jane Doe"]),
    ("Jane Doe Published 19 Nov 2019", ["Jane Doe"]),
    ("@handle", []),
    ("", []),
])
def test_author_names(raw, expected):
    assert author_names(raw) == expected


# --- language ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, head, expected", [
    ("en-GB", "", "en"),
    ("", '<meta http-equiv="content-language" content="pt-BR, en">', "pt"),
    ("", '<meta property="og:locale" content="de_DE">', "de"),
    ("", ld({"@type": "NewsArticle", "inLanguage": "ko-KR"}), "ko"),
    ("", ld({"@type": "NewsArticle", "inLanguage": {"@type": "Language", "name": "Spanish"}}), "es"),
    ("x-default", '<meta property="og:locale" content="fr_FR">', "fr"),  # no language: ask the next
    ("", "", ""),
])
def test_language(lang, head, expected):
    assert meta_of(head, lang=lang).language == expected


@pytest.mark.parametrize("value, expected", [
    ("EN-us", "en"), ("pt_BR", "pt"), ("eng", "en"), ("ger", "de"), ("English", "en"), ("zz9", ""), ("", ""),
])
def test_language_code(value, expected):
    assert language_code(value) == expected


# --- title ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("head, body, expected", [
    ('<meta property="og:title" content="Rain falls"><title>Other | Daily</title>', "<h1>H1</h1>", "Rain falls"),
    (ld({"@type": "NewsArticle", "headline": "Rain falls"}) + "<title>Other</title>", "<h1>H1</h1>", "Rain falls"),
    ("<title>Other | Daily</title>", "<h1>Rain <em>falls</em></h1>", "Rain falls"),
    ("<title>Rain falls | The Daily</title>", "", "Rain falls"),
    ('<meta property="og:site_name" content="Daily News"><title>Daily News - Rain falls</title>', "", "Rain falls"),
    ('<meta property="og:site_name" content="Sportsnet.ca">'
     '<meta property="og:title" content="Nadal wins - Sportsnet.ca">', "", "Nadal wins"),
    ("<title>Star Wars: review - shoots for the moon</title>", "", "Star Wars: review - shoots for the moon"),
])
def test_title(head, body, expected):
    assert meta_of(head, body).title == expected


def test_canonical_site_name_and_body():
    head = ('<link rel="Canonical" href="https://n.example/a"><meta property="og:url" content="https://n.example/og">'
            + ld({"@type": "NewsArticle", "articleBody": "Text.", "publisher": {"name": "Daily"}}))
    m = meta_of(head)
    assert (m.canonical, m.og_url, m.site_name, m.article_body) == ("https://n.example/a", "https://n.example/og",
                                                                    "Daily", "Text.")


# --- never raises -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30)
    | st.sampled_from(["NewsArticle", "2019-11-19", "WebPage", "@graph", "By Jane Doe"]),
    lambda kids: st.lists(kids, max_size=4)
    | st.dictionaries(st.sampled_from(["@type", "@graph", "datePublished", "author", "name", "headline",
                                       "inLanguage", "mainEntity", "publisher", "articleBody", "dateModified"]),
                      kids, max_size=5),
    max_leaves=20,
)
fragments = st.sampled_from([
    "<time>", "</time>", '<time datetime="', '<meta name="date" content="', '<meta property="og:locale" content="',
    '<span itemprop="datePublished">', '<a rel="author">', '<p class="byline">', "By ", " and ", "Published ",
    "2019-11-19", "19.11.2019", "2019年11月19日", "<h1>", "<title>", " | ", '">', "</p>", "<html lang=", "&amp;", "\x00",
])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=300) | st.lists(fragments | st.text(max_size=10), max_size=30).map("".join),
       st.text(max_size=60))
def test_page_meta_never_raises_on_odd_markup(html, url):
    m = page_meta(parse_html(html), url)
    assert isinstance(m, PageMeta)
    assert m.published_source in DATE_SOURCES + ("",)
    assert (m.published_at == "") == (m.published_source == "")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(json_values)
def test_page_meta_never_raises_on_odd_jsonld(value):
    m = meta_of(ld(value))
    assert isinstance(m.authors, tuple) and all(isinstance(a, str) for a in m.authors)
    assert m.published_at == "" or dt.date.fromisoformat(m.published_at)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_date_of_gives_a_real_date_or_nothing(text):
    found = date_of(text)
    assert found == "" or dt.date(1990, 1, 1) <= dt.date.fromisoformat(found) <= dt.date.today() + dt.timedelta(days=1)


def test_deep_jsonld_is_bounded():
    deep = "[" * 5000 + "]" * 5000
    m = meta_of(f'<script type="application/ld+json">{deep}</script>')
    assert m.published_at == ""


# --- the development corpus (read in place, never copied) --------------------------------------------

CORPUS = pathlib.Path(__file__).resolve().parents[2] / "shared" / "corpus" / "aeb-dev"


# Dates read by hand from the pages, one per kind of source (page id prefix: date, source).
CORPUS_DATES = {
    "076f4f33": ("2019-11-19", "jsonld"),  # JSON-LD with a trailing comma
    "65408257": ("2019-11-20", "jsonld"),  # "01:38:07 PM IST Nov 20, 2019"
    "0d461229": ("2019-11-19", "meta"),  # sn-post-date
    "3ce1c8fd": ("2018-02-16", "microdata"),  # <span itemprop="datePublished">Fri 6:45 PM, Feb 16, 2018
    "bdb56ac8": ("2019-11-15", "url"),  # ...-20191115/
    "0ec95c72": ("2018-08-25", "text"),  # 기사입력 :[ 2018-08-25 15:24 ]
    "c69e539d": ("2018-08-23", "text"),  # <div class="ws-press__container__date">
}


@pytest.mark.skipif(not (CORPUS / "html").is_dir(), reason="aeb-dev corpus not present")
def test_corpus_pages_get_a_plausible_published_date():
    truth = json.loads((CORPUS / "ground-truth.json").read_text())
    dated = total = 0
    for path in sorted((CORPUS / "html").glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        m = page_meta(parse_html(gzip.decompress(path.read_bytes()).decode("utf8", "replace")),
                      truth.get(page_id, {}).get("url", ""))
        total += 1
        if m.published_at:
            dated += 1
            assert m.published_at <= "2019-12-31", (page_id, m.published_at)  # saved in 2019
        if page_id[:8] in CORPUS_DATES:
            assert (m.published_at, m.published_source) == CORPUS_DATES[page_id[:8]], page_id
    assert total and dated / total >= 0.95, (dated, total)
