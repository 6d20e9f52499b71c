"""Extraction on hostile pages: right-to-left and CJK text, entities good and broken, legacy
encodings, absurd nesting, empty and all-link bodies, and the evidence sentence of every fixture page."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from citegraph.models import Article
from citegraph.scrapers.extract import extract_article
from citegraph.scrapers.sources import decode_html

PAGES = Path(__file__).parent / "fixtures" / "pages"
LABELS = json.loads((PAGES / "labels.json").read_text(encoding="utf-8"))
# Bidirectional controls: LRM, RLM, ALM and the embedding/override/isolate marks.
BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
FILLER = ("The council met for four hours on Tuesday and heard from more than sixty residents, most of "
          "whom opposed the plan, before a vote that was delayed twice by procedural motions. ")


def extracted(name: str) -> Article:
    return extract_article((PAGES / name).read_text(encoding="utf-8"), LABELS[name]["url"])


def link_to(article: Article, fragment: str):
    """The one link citation whose URL contains ``fragment``."""
    found = [c for c in article.citations if c.kind == "link" and fragment in c.target_url]
    assert found, f"no link containing {fragment!r} in {[c.target_url for c in article.citations]}"
    return found[0]


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>"


# --- right to left ----------------------------------------------------------------------------


def test_arabic_anchors_keep_their_text():
    art = extracted("r01_arabic_rtl.html")
    assert link_to(art, "fao.org").anchor_text == "تقريرها الشهري عن أسعار الغذاء"
    assert "بي بي سي عربي" in link_to(art, "bbc.com/arabic").anchor_text


def test_arabic_path_and_direction_marks_do_not_break_the_url():
    art = extracted("r01_arabic_rtl.html")
    jazeera = link_to(art, "aljazeera.net")
    assert jazeera.target_outlet == "aljazeera.com"
    assert "الجزيرة نت" in jazeera.anchor_text
    assert not BIDI.search(jazeera.target_url)


def test_hebrew_anchor_wrapped_in_embedding_marks_resolves_to_its_outlet():
    art = extracted("r02_hebrew_rtl.html")
    ynet = link_to(art, "ynet.co.il")
    assert ynet.target_outlet == "ynetnews.com"
    assert "ynet" in ynet.anchor_text
    toi = link_to(art, "timesofisrael.com")
    assert "טיימס אוף ישראל" in toi.anchor_text and "Times of Israel" in toi.anchor_text


def test_no_rtl_citation_url_carries_a_direction_mark():
    for name in ("r01_arabic_rtl.html", "r02_hebrew_rtl.html"):
        bad = [c.target_url for c in extracted(name).citations if BIDI.search(c.target_url)]
        assert not bad, f"{name}: direction marks inside URLs: {bad}"


def test_direction_marks_around_an_inline_href_do_not_change_the_target():
    html = page(f"<p>{FILLER}لقراءة المزيد انظر <a href=\"https://www.reuters.com/world/a-1/\">\u200fتقرير "
                f"رويترز\u200f</a> حول الموضوع.</p>")
    (cite,) = [c for c in extract_article(html, "https://www.alarabiya.net/x").citations if c.kind == "link"]
    assert cite.target_outlet == "reuters.com"
    assert "تقرير رويترز" in cite.anchor_text


# --- CJK --------------------------------------------------------------------------------------


def test_japanese_anchor_and_sentence_are_kept_as_evidence():
    nikkei = link_to(extracted("c01_japanese.html"), "nikkei.com")
    assert nikkei.anchor_text == "日本経済新聞は円相場が一時1ドル150円台まで値下がりしたと伝えています"
    assert "市場の反応について、日本経済新聞は円相場が一時1ドル150円台まで値下がりしたと伝えています" in nikkei.context
    assert "<" not in nikkei.context


def test_japanese_short_anchor_inside_a_sentence():
    kyodo = link_to(extracted("c01_japanese.html"), "kyodonews.net")
    assert kyodo.anchor_text == "共同通信の英語版"
    assert kyodo.target_outlet == "kyodonews.net"
    assert "共同通信の英語版は「歴史的な転換」と伝えています" in kyodo.context


def test_chinese_two_character_anchor_keeps_its_sentence():
    scmp = link_to(extracted("c02_chinese.html"), "scmp.com")
    assert scmp.anchor_text == "报道"
    assert "《南华早报》报道，多名议员在辩论中要求加快执法部门的培训" in scmp.context
    assert "<" not in scmp.context


# --- entities ---------------------------------------------------------------------------------


def test_entities_in_anchors_decode():
    art = extracted("e01_entities.html")
    sec = link_to(art, "sec.gov")
    assert "AT&T" in sec.anchor_text and "&amp;" not in sec.anchor_text
    assert "Inc.’s annual filings" in sec.anchor_text
    assert "“Results & Outlook”" in link_to(art, "verizon.com").anchor_text
    assert "📱" in link_to(art, "theverge.com").anchor_text


def test_entities_in_hrefs_decode():
    art = extracted("e01_entities.html")
    assert "action=getcompany&CIK=0000732717" in link_to(art, "sec.gov").target_url
    assert link_to(art, "fcc.gov").target_url.startswith("https://fcc.gov/document/fcc-seeks-comment-handset-unlocking")


def test_broken_entities_do_not_raise_and_keep_the_link():
    art = extracted("e01_entities.html")
    assert "Public Knowledge" in link_to(art, "publicknowledge.org").anchor_text
    assert "Ars" in link_to(art, "arstechnica.com").anchor_text


@pytest.mark.parametrize("junk", ["&bogus;", "&#xD800;", "&#0;", "&#x110000;", "&#99999999999;", "&", "&#;", "&amp"])
def test_each_broken_entity_alone(junk):
    html = page(f"<p>{FILLER}See <a href=\"https://www.bbc.co.uk/news/a{junk}b\">the BBC {junk} story</a>.</p>")
    links = [c for c in extract_article(html, "https://news.example/a").citations if c.kind == "link"]
    assert [c.target_outlet for c in links] == ["bbc.co.uk"]
    assert "the BBC" in links[0].anchor_text


def test_inline_entities_decode_in_anchor_and_url():
    html = page(f"<p>{FILLER}Read the <a href=\"https://www.reuters.com/a?x=1&amp;y=2\">Q&amp;A&nbsp;with"
                f"&#160;Reuters&#8217; editor</a>.</p>")
    (cite,) = [c for c in extract_article(html, "https://news.example/a").citations if c.kind == "link"]
    assert cite.anchor_text == "Q&A with Reuters’ editor"
    assert "x=1&y=2" in cite.target_url


# --- legacy encodings -------------------------------------------------------------------------


def test_windows_1252_page_gives_the_right_anchor():
    html = page(f"<p>{FILLER}The <a href=\"https://www.lemonde.fr/a\">Café “Noël” — l’enquête</a> ran "
                "on Monday.</p>", head="<meta charset=\"windows-1252\">")
    data = html.encode("cp1252")
    assert b"\x93" in data  # real cp1252 bytes, not UTF-8
    art = extract_article(decode_html(data, "text/html; charset=windows-1252"), "https://news.example/a")
    (cite,) = [c for c in art.citations if c.kind == "link"]
    assert cite.anchor_text == "Café “Noël” — l’enquête"


def test_windows_1252_page_without_a_header_uses_its_meta_charset():
    html = page(f"<p>{FILLER}Voir <a href=\"https://www.liberation.fr/b\">l’été à Nîmes</a>.</p>",
                head="<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">")
    art = extract_article(decode_html(html.encode("cp1252")), "https://news.example/a")
    assert [c.anchor_text for c in art.citations if c.kind == "link"] == ["l’été à Nîmes"]


def test_shift_jis_page_gives_the_right_anchor():
    text = "東京都は火曜日、新しい防災計画を発表しました。計画は首都直下地震に備えるものです。" * 4
    html = page(f"<p>{text}詳しくは<a href=\"https://www.asahi.com/articles/ASS1.html\">朝日新聞の記事</a>"
                "をご覧ください。</p>", head="<meta charset=\"shift_jis\">")
    data = html.encode("shift_jis")
    art = extract_article(decode_html(data, "text/html"), "https://news.example/a")
    (cite,) = [c for c in art.citations if c.kind == "link"]
    assert cite.anchor_text == "朝日新聞の記事"
    assert cite.target_outlet == "asahi.com"


# --- structure --------------------------------------------------------------------------------

DEEP = 10_000


def deep_page() -> str:
    inner = f"<p>{FILLER}As <a href=\"https://www.reuters.com/deep/\">Reuters reported</a>, it rained.</p>"
    return page("<div>" * DEEP + inner + "</div>" * DEEP)


def test_ten_thousand_levels_of_nesting_return_without_error():
    art = extract_article(deep_page(), "https://news.example/deep")
    assert isinstance(art, Article)
    assert art.url == "https://news.example/deep"


def test_ten_thousand_levels_of_nesting_keep_the_link():
    links = [c for c in extract_article(deep_page(), "https://news.example/deep").citations if c.kind == "link"]
    assert [c.target_outlet for c in links] == ["reuters.com"], (
        "the link under 10,000 nested <div>s was lost (a parser depth limit drops what is below it)")
    assert "reuters.com/deep" in links[0].target_url and links[0].anchor_text == "Reuters reported"


@pytest.mark.parametrize("html", ["", "<html><body></body></html>", "<html><body><article></article></body></html>",
                                  "<html><body>   \n\t </body></html>"])
def test_an_empty_body_gives_no_links(html):
    art = extract_article(html, "https://news.example/empty")
    assert [c for c in art.citations if c.kind == "link"] == []


def test_an_all_links_body_gives_no_body_links():
    outlets = ["reuters.com", "nytimes.com", "bbc.co.uk", "theguardian.com", "apnews.com", "cnn.com",
               "washingtonpost.com", "wsj.com", "ft.com", "bloomberg.com", "npr.org", "aljazeera.com"]
    items = "".join(f"<li><a href=\"https://www.{o}/\">{o}</a></li>" for o in outlets * 3)
    more = " ".join(f"<a href='https://{o}/x'>{o}</a>" for o in outlets)
    html = f"<html><body><ul>{items}</ul><div>{more}</div></body></html>"
    art = extract_article(html, "https://links.example/")
    body = [c.target_url for c in art.citations if c.kind == "link" and c.position == "body"]
    assert body == [], f"{len(body)} body links returned from a page that is only links"


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_is_clean_text_for_every_citation_of_every_fixture_page():
    problems = []
    for name in sorted(LABELS):
        for c in extracted(name).citations:
            if "<" in c.context or len(c.context) > 600:
                problems.append(f"{name}: {c.kind} {c.target_outlet}: {c.context[:120]!r} ({len(c.context)} chars)")
            if "<" in c.anchor_text:
                problems.append(f"{name}: markup in anchor {c.anchor_text[:80]!r}")
    assert not problems, "\n".join(problems)


def test_every_link_citation_has_evidence():
    empty = [f"{name}: {c.target_url}" for name in sorted(LABELS) for c in extracted(name).citations
             if c.kind == "link" and c.position == "body" and not c.context.strip()]
    assert not empty, "link citations with no sentence:\n" + "\n".join(empty)
