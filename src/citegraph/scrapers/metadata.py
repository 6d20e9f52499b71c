"""Page metadata: canonical URL, title, site name, publication date, authors, language.

Structured data answers first (JSON-LD, OpenGraph and meta tags, microdata), then ``<time>`` tags, the
date in the URL, and dates written near the byline. The cheap sources come from one pass over the
tags that carry them; the tree is searched further only when they give no answer.

Dates are calendar dates (``YYYY-MM-DD``) as written on the page: a time zone offset is dropped, never
applied, so ``2019-11-19T23:30:00-05:00`` stays ``2019-11-19`` (converting it to UTC would move the
article to the next day, away from the date its readers saw). Dates before 1990 or after tomorrow are
refused as misreadings. A modified date is never taken as the published one when a published one
exists anywhere on the page; when none does, the modified date is used and ``published_source``
says ``modified``, so a time filter can leave such pages out.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from collections import deque
from dataclasses import dataclass

__all__ = ["PageMeta", "page_meta", "date_of", "url_date", "author_names", "language_code", "DATE_SOURCES"]

# Where published_at came from, most trusted first: the order in which page_meta asks.
DATE_SOURCES = ("jsonld", "meta", "microdata", "time", "url", "text", "modified")

# Ordered: the first that gives a date wins. Keys are lower-case meta name/property values.
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "article:published",
    "publishdate", "publish-date", "publish_date", "published_time", "published-date", "pubdate",
    "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date.created", "rnews:datepublished",
    "sailthru.date", "parsely-pub-date", "article.published", "article_date_original",
    "original-publish-date", "cxenseparse:recs:publishtime", "og:pubdate", "date", "dc.date",
    "displaydate", "pdate",
)
# Any other meta name that says "published" and not "modified" (``sn-post-date``, ``nv:pubdate``).
_PUBLISHED_META_RX = re.compile(r"publish|pub-?date|post-?date|creat|issued|release")
_NOT_PUBLISHED_RX = re.compile(r"modif|updat|expir|revis|last|edit|crawl|index")
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "article:updated_time", "datemodified",
    "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "revised",
)
_AUTHOR_META = ("author", "article:author", "byl", "dc.creator", "dcterms.creator", "sailthru.author",
                "parsely-author", "cxenseparse:author", "twitter:creator")
_LANGUAGE_META = ("content-language", "og:locale", "dc.language", "language")

# schema.org types whose dates and authors are the page's own, in order of trust.
_ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting",
    "liveblogposting", "socialmediaposting", "scholarlyarticle", "techarticle", "report", "claimreview",
    "review", "creativework", "videoobject", "podcastepisode",
})
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "collectionpage"})
_JSONLD_MAX_NODES = 2000  # a page's JSON-LD rarely has 200; this bounds hostile input

_MONTHS = {
    # English, German, French, Spanish, Portuguese, Italian, Dutch, Russian (genitive), Indonesian.
    1: "january jan januar janvier enero janeiro gennaio januari января янв",
    2: "february feb februar février fevrier febrero fevereiro febbraio februari февраля фев",
    3: "march mar märz maerz mars marzo março marco maart марта мар",
    4: "april apr avril abril aprile апреля апр",
    5: "may mai mayo maio maggio mei мая",
    6: "june jun juni juin junio junho giugno июня июн",
    7: "july jul juli juillet julio julho luglio июля июл",
    8: "august aug août aout agosto augustus agustus августа авг",
    9: "september sep sept septembre septiembre setembro settembre сентября сен",
    10: "october oct oktober octobre octubre outubro ottobre oktober октября окт",
    11: "november nov novembre noviembre novembro нояб ноября",
    12: "december dec dezember décembre decembre diciembre dezembro dicembre desember декабря дек",
}
_MONTH_OF = {name: num for num, names in _MONTHS.items() for name in names.split()}
_MONTH_RX = "|".join(sorted(map(re.escape, _MONTH_OF), key=len, reverse=True))

# Ordered date shapes: at each position the first shape that matches is read. Every shape names its
# groups y, m, d with a suffix; "mn" is a month name, "a"/"b" an ambiguous numeric day and month.
_DATE_SHAPES = (
    ("iso", r"(?<!\d)(?P<y0>(?:19|20)\d\d)[-/.](?P<m0>[01]?\d)[-/.](?P<d0>[0-3]?\d)(?!\d)"),
    ("cjk", r"(?P<y1>(?:19|20)\d\d)\s*[年년]\s*(?P<m1>[01]?\d)\s*[月월]\s*(?P<d1>[0-3]?\d)"),
    ("dmy", r"(?<![\d.])(?P<d2>[0-3]?\d)\.\s?(?P<m2>[01]?\d)\.\s?(?P<y2>(?:19|20)\d\d)(?!\d)"),
    ("d_mon_y", r"(?<!\d)(?P<d3>[0-3]?\d)(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?P<mn3>" + _MONTH_RX
     + r")\.?,?\s+(?:de\s+)?(?P<y3>(?:19|20)\d\d)(?!\d)"),
    ("mon_d_y", r"(?<![^\W\d_])(?P<mn4>" + _MONTH_RX + r")\.?\s+(?P<d4>[0-3]?\d)(?:st|nd|rd|th)?,?\s+"
     r"(?P<y4>(?:19|20)\d\d)(?!\d)"),
    ("slash", r"(?<![\d/])(?P<a5>[0-3]?\d)/(?P<b5>[0-3]?\d)/(?P<y5>(?:19|20)\d\d)(?!\d)"),
)
_DATE_RX = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _DATE_SHAPES), re.I)
_SHAPE_GROUPS = {name: i for i, (name, _rx) in enumerate(_DATE_SHAPES)}
# Dates packed without separators are read only where nothing else is written (attributes, URLs).
_COMPACT_RX = re.compile(r"(?<!\d)((?:19|20)\d\d)([01]\d)([0-3]\d)(?!\d)")
_URL_DATE_RX = (
    re.compile(r"/((?:19|20)\d\d)[/-]([01]?\d)[/-]([0-3]?\d)(?=[/_.-]|$)"),  # /2019/11/19/, /2019-11-19-
    re.compile(r"[/_-]((?:19|20)\d\d)([01]\d)([0-3]\d)(?=[/_.?-]|$)"),  # /20191119/, slug-20191115/
)

# Words before a date in a byline that say which date it is, in the languages met most.
_PUBLISHED_CUES = ("published", "posted", "publiziert", "veröffentlicht", "erschienen", "publié", "publicado",
                   "publicada", "pubblicato", "gepubliceerd", "diterbitkan", "опубликовано", "опубликован",
                   "기사입력", "입력", "発行", "公開", "发布", "發布")
_MODIFIED_CUES = ("updated", "modified", "aktualisiert", "geändert", "mis à jour", "actualizado", "atualizado",
                  "aggiornato", "bijgewerkt", "обновлено", "수정", "更新")
_CUE_TAIL = r"(?:\s+(?:on|am|le|em|el|il|op))?[\s:：\[(|-]*$"  # "Published on: ", "publiziert am "
_PUBLISHED_WORD_RX = re.compile("|".join(map(re.escape, _PUBLISHED_CUES)), re.I)
_PUBLISHED_CUE_RX = re.compile(f"({_PUBLISHED_WORD_RX.pattern}){_CUE_TAIL}", re.I)
_MODIFIED_CUE_RX = re.compile(f"({'|'.join(map(re.escape, _MODIFIED_CUES))}){_CUE_TAIL}", re.I)
# class/id words of elements that hold a page's date or byline, and of those that hold other people's.
_DATE_BOX_RX = re.compile(r"date|time|publish|posted|byline|dateline|meta|info", re.I)
_NOT_OWN_RX = re.compile(r"tweet|twitter|comment|reply|related|recommend|widget|sidebar|footer|"
                         r"promo|card|teaser|list-item|calendar|weather|event", re.I)
_TEXT_BOX_MAX = 300  # characters: a date box holds a date and a byline, not an article
_TEXT_SCAN_MAX = 20000  # characters of body text searched for "Published ..." cues

# "By", "Analysis by", "Par", "Von", "Por"; "Text:" and "Autor:" only with their colon.
_BY_RX = re.compile(r"^\s*(?:(?:(?:\w+\s+){0,2}by|par|von|por|oleh|автор)\s*[:\-]?\s+"
                    r"|(?:text|texto|текст|autor|author|auteur|written)\s*:\s*)", re.I)
# After a comma, a byline names the author's role or employer ("Jane Doe, AP Auto Writer").
_AFFILIATION_RX = re.compile(r"\b(?:writer|editor|correspondent|reporter|contributor|columnist|staff|bureau|"
                             r"desk|analyst|producer|at-large|press|news|business|insider|times|post|media|"
                             r"magazine|journal|daily|herald|tribune|network|online)\b|\.(?:com|org|net)\b", re.I)
# Wire credits glued to the last name ("ERIC TUCKER Associated Press").
_WIRE_TAIL_RX = re.compile(r"\s*(?:the\s+)?(?:associated press|reuters|afp|agence france-presse|bloomberg)$", re.I)
_COMMA_RX = re.compile(r"\s*[,;]\s*")
# Lower-case joiners only: a capital "E" or "Y" is a middle initial.
_AUTHOR_SPLIT_RX = re.compile(r"\s*(?:\||&|\band\b|\bAnd\b|\bund\b|\bet\b|\by\b|\be\b|、|\s/\s)\s*")
# A byline often goes on with its date: the names end where a cue word or a date begins.
_BYLINE_END_RX = re.compile(r"\b(?:published|posted|updated|last updated|modified)\b(?!\s+by\b)"
                            r"|\s(?:on|at|am|le|el|em|il|op)\s*$", re.I)
_HANDLE_RX = re.compile(r"@\w+|\S+@\S+\.\w+|\(?\bhttps?://\S+|\bwww\.\S+")
_AUTHOR_MAX_WORDS = 6

_TITLE_SEP_RX = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")

# Three-letter and spelled-out language names met in the wild, to their ISO 639-1 codes.
_LANGUAGE_ALIASES = {
    "eng": "en", "english": "en", "deu": "de", "ger": "de", "german": "de", "deutsch": "de",
    "fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "spa": "es", "spanish": "es",
    "español": "es", "por": "pt", "portuguese": "pt", "português": "pt", "ita": "it", "italian": "it",
    "nld": "nl", "dut": "nl", "dutch": "nl", "rus": "ru", "russian": "ru", "русский": "ru",
    "kor": "ko", "korean": "ko", "jpn": "ja", "japanese": "ja", "zho": "zh", "chi": "zh",
    "chinese": "zh", "ara": "ar", "arabic": "ar", "ind": "id", "indonesian": "id", "tur": "tr",
    "pol": "pl", "ukr": "uk", "heb": "he", "iw": "he", "in": "id", "ji": "yi", "hin": "hi",
}


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page says about itself. Empty strings and tuples mean the page did not say."""

    canonical: str = ""
    og_url: str = ""
    title: str = ""
    site_name: str = ""
    published_at: str = ""  # YYYY-MM-DD as written on the page (no time zone conversion)
    authors: tuple[str, ...] = ()
    language: str = ""  # ISO 639-1
    article_body: str = ""  # JSON-LD articleBody, when the page gives one
    modified_at: str = ""
    published_source: str = ""  # one of DATE_SOURCES, empty when published_at is


def date_of(text: str, compact: bool = False, today: _dt.date | None = None) -> str:
    """The first plausible calendar date written in ``text``, as ``YYYY-MM-DD``, else ``""``.

    Reads ISO dates, ``19.11.2019``, ``19 Nov 2019``, ``November 19th, 2019``, ``2019年11月19日``,
    ``2019년 11월 19일`` and unambiguous ``11/19/2019``; with ``compact``, also ``20191119``. Dates
    before 1990 or after tomorrow are skipped. A time and time zone after the date are ignored.

    Examples
    --------
    >>> date_of("Published Nov. 19, 2019 at 5:00 pm EST")
    '2019-11-19'
    >>> date_of("2019-11-19T23:30:00-05:00")
    '2019-11-19'
    """
    if not text or not isinstance(text, str):
        return ""
    limit = today or _dt.date.today()
    for m in _DATE_RX.finditer(text[:2000]):
        found = _valid(*_ymd(m), limit)
        if found:
            return found
    if compact:
        for m in _COMPACT_RX.finditer(text[:200]):
            found = _valid(m.group(1), m.group(2), m.group(3), limit)
            if found:
                return found
    return ""


def _ymd(m: re.Match) -> tuple[str, str, str]:
    """Year, month, day of a match of _DATE_RX, whichever shape matched."""
    shape = next(name for name in _SHAPE_GROUPS if m.group(name) is not None)
    i = _SHAPE_GROUPS[shape]
    g = m.groupdict()
    if shape in ("d_mon_y", "mon_d_y"):
        return g[f"y{i}"], str(_MONTH_OF.get(g[f"mn{i}"].lower(), 0)), g[f"d{i}"]
    if shape == "slash":
        a, b = int(g["a5"]), int(g["b5"])
        if a > 12 >= b:
            return g["y5"], str(b), str(a)
        if b > 12 >= a:
            return g["y5"], str(a), str(b)
        return "0", "0", "0"  # 03/04/2019: day or month first cannot be told
    return g[f"y{i}"], g[f"m{i}"], g[f"d{i}"]


def _valid(y: str, m: str, d: str, limit: _dt.date) -> str:
    """``YYYY-MM-DD`` when the parts make a real date from 1990 to the day after ``limit``."""
    try:
        day = _dt.date(int(y), int(m), int(d))
    except ValueError:
        return ""
    if day.year < 1990 or day > limit + _dt.timedelta(days=1):
        return ""
    return day.isoformat()


def url_date(url: str, today: _dt.date | None = None) -> str:
    """The date in a URL's path: ``/2019/11/19/``, ``/2019-11-19/``, ``/20191119/``, ``-20191115/``."""
    if not url:
        return ""
    path = url.split("?", 1)[0].split("#", 1)[0]
    limit = today or _dt.date.today()
    for rx in _URL_DATE_RX:
        for m in rx.finditer(path):
            found = _valid(m.group(1), m.group(2), m.group(3), limit)
            if found:
                return found
    return ""


def author_names(raw: str) -> list[str]:
    """Person names in a byline: ``"By Jane Doe and John Roe"`` gives ``["Jane Doe", "John Roe"]``.

    Drops "By", URLs, e-mail addresses and handles, and parts too long to be a name.
    """
    if not raw or not isinstance(raw, str):
        return []
    text = _HANDLE_RX.sub(" ", " ".join(raw.split()))
    end = _DATE_RX.search(text)
    text = text[: end.start()] if end else text
    end = _BYLINE_END_RX.search(text)  # after the date is cut: "Posted by Jane Doe on "
    text = _BY_RX.sub("", text[: end.start()] if end else text)
    names = []
    for i, part in enumerate(_COMMA_RX.split(text)):
        part = _WIRE_TAIL_RX.sub("", part) or part  # a wire credit alone is the author
        if i and _AFFILIATION_RX.search(part):
            continue
        for piece in _AUTHOR_SPLIT_RX.split(part):
            name = _BY_RX.sub("", piece).strip(" \t\n-–—:·|()[]'\".")
            if name and len(name.split()) <= _AUTHOR_MAX_WORDS and any(c.isalpha() for c in name):
                names.append(name)
    return names


def language_code(value: str) -> str:
    """The ISO 639-1 code of a language tag or name (``en-US``, ``pt_BR``, ``eng``, ``English``)."""
    if not value or not isinstance(value, str):
        return ""
    tag = value.split(",")[0].strip().replace("_", "-").split("-")[0].lower()
    tag = _LANGUAGE_ALIASES.get(tag, tag)
    return tag if len(tag) == 2 and tag.isascii() and tag.isalpha() else ""


class _Page:
    """The tags that carry metadata, gathered in one pass over the tree; the elements that may hold a
    printed date or byline, gathered by one more pass only when the tags did not answer."""

    __slots__ = ("doc", "meta", "microdata", "canonical", "scripts", "title", "h1", "h1_el", "times", "_boxes",
                 "_near")

    def __init__(self, doc):
        self.doc = doc
        self.meta: dict[str, str] = {}  # lower-cased name or property -> first content
        self.microdata: dict[str, str] = {}  # itemprop of <meta> -> first content
        self.canonical = self.title = self.h1 = ""
        self.h1_el = None
        self._near = None
        self.scripts: list[str] = []  # JSON-LD texts
        self.times: list = []
        self._boxes = None
        meta, microdata = self.meta, self.microdata
        for el in doc.iter("meta", "link", "script", "title", "h1", "time"):
            tag = el.tag
            if tag == "meta":
                content = el.get("content")
                if content:
                    key = (el.get("property") or el.get("name") or el.get("http-equiv") or "").strip().lower()
                    if key and key not in meta:
                        meta[key] = content.strip()
                    for prop in (el.get("itemprop") or "").split():  # itemprop may hold several names
                        microdata.setdefault(prop, content.strip())
            elif tag == "script":
                if "ld+json" in (el.get("type") or "") and el.text:  # type first: a script's text is a copy
                    self.scripts.append(el.text)
            elif tag == "link":
                if not self.canonical and "canonical" in (el.get("rel") or "").lower().split():
                    self.canonical = (el.get("href") or "").strip()
            elif tag == "time":
                self.times.append(el)
            elif tag == "title":
                self.title = self.title or _squash(el.text or "")
            elif not self.h1:
                self.h1 = _squash("".join(el.itertext()))
                self.h1_el = el

    @property
    def lang(self) -> str:
        return (self.doc.get("lang") or self.doc.get("xml:lang") or "") if self.doc.tag == "html" else ""

    def boxes(self) -> list:
        """Elements marked by microdata, rel=author, or a class or id naming a date or a byline."""
        if self._boxes is None:
            self._boxes = _boxes(self.doc)
        return self._boxes

    def box_passes(self):
        """The boxes around the headline first (a small part of the page, where bylines and dates are
        printed), then, only when those did not answer, the boxes of the whole page."""
        if self.h1_el is not None:
            if self._near is None:
                self._near = _boxes(_headline_region(self.h1_el))
            yield self._near
        yield self.boxes()


_BOX_PROPS = frozenset({"datePublished", "dateCreated", "dateModified", "author"})


def _headline_region(h1):
    """The headline's ancestor four levels up (or below <body>): the article's header, usually."""
    region = h1
    for _ in range(4):
        parent = region.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        region = parent
    return region


def _boxes(doc) -> list:
    """Elements marked by microdata, rel=author, or a class or id naming a date or a byline."""
    # One pass in Python with plain substring tests: lxml's XPath spends more on contains() over every
    # element, and a regex costs five times these tests. This runs on every element of the page.
    found = []
    body = doc.find("body") if doc.tag == "html" else doc  # the head's tags were read by _Page
    for el in (body if body is not None else doc).iter(*_BOX_TAGS):
        marks = el.get("class")
        ident = el.get("id")
        if ident:
            marks = f"{marks} {ident}" if marks else ident
        if marks:
            low = marks.lower()
            if ("date" in low or "publish" in low or "posted" in low or "byline" in low or "meta" in low
                    or "author" in low or "time" in low or "info" in low):
                if el.tag not in _NOT_BOX:
                    found.append(el)
                continue
        prop = el.get("itemprop")
        if (prop and not _BOX_PROPS.isdisjoint(prop.split())) \
                or (el.tag == "a" and "author" in (el.get("rel") or "")):
            found.append(el)
    return found


# The tags a date or byline box is made of (hidden <input>s too); scripts, images and svg paths are skipped.
_BOX_TAGS = ("div", "span", "p", "a", "li", "ul", "section", "header", "footer", "small", "em", "strong", "b", "i",
             "address", "abbr", "td", "font", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "cite", "dd",
             "dt", "dl", "article", "aside", "main", "center", "label", "u", "ol", "table", "tr", "tbody", "input")
_NOT_BOX = frozenset({"script", "style", "meta", "link", "time", "html", "body", "head"})
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "svg"})


def _squash(text: str) -> str:
    return " ".join(text.split())


def _jsonld_items(scripts: list[str]) -> tuple[list[dict], list[str]]:
    """Every JSON-LD object, outermost first, through @graph, lists and nesting (a NewsArticle that is
    a WebPage's mainEntity); and the texts that are not valid JSON."""
    roots, broken = [], []
    for text in scripts:
        try:
            roots.append(json.loads(_unwrapped(text)))
        except (ValueError, RecursionError):
            broken.append(text)
    items: list[dict] = []
    queue = deque(roots)
    seen = 0
    while queue and seen < _JSONLD_MAX_NODES:
        node = queue.popleft()
        seen += 1
        if isinstance(node, list):
            queue.extend(node)
        elif isinstance(node, dict):
            items.append(node)
            queue.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return items, broken


def _unwrapped(text: str) -> str:
    # Publishers wrap JSON-LD in CDATA or HTML comment markers for old browsers.
    text = text.strip()
    for start, end in (("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>"), ("<!--", "-->")):
        if text.startswith(start):
            text = text[len(start):]
            if text.rstrip().endswith(end):
                text = text.rstrip()[: -len(end)]
    return text


def _types(item: dict) -> set[str]:
    t = item.get("@type", "")
    return {str(x).lower().rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])}


def _main_items(items: list[dict]) -> list[dict]:
    """The objects that describe the page itself: articles first, then web pages."""
    articles = [i for i in items if _types(i) & _ARTICLE_TYPES]
    pages = [i for i in items if _types(i) & _PAGE_TYPES]
    # An article with a body or a headline is the page's own, not a related one listed beside it.
    articles.sort(key=lambda i: not ("articleBody" in i or "headline" in i))
    return articles + pages


def _names(value, depth: int = 0) -> list[str]:
    if depth > 5:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name", ""), depth + 1)
    if isinstance(value, list):
        return [n for v in value[:20] for n in _names(v, depth + 1)]
    return []


def _text(value) -> str:
    """A JSON-LD value as text: a string, the first of a list, or an object's @value or name."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("alternateName") or ""
    return value if isinstance(value, str) else ""


def _jsonld_date(main: list[dict], broken: list[str], keys: tuple[str, ...], today) -> str:
    for item in main:
        for key in keys:
            found = date_of(_text(item.get(key)), compact=True, today=today)
            if found:
                return found
    for text in broken:  # invalid JSON (a stray comma, a raw newline) still states its dates
        for key in keys:
            m = re.search(rf'"{key}"\s*:\s*"([^"]{{4,80}})"', text)
            found = date_of(m.group(1), compact=True, today=today) if m else ""
            if found:
                return found
    return ""


def _meta_date(meta: dict[str, str], keys, today) -> str:
    for key in keys:
        found = date_of(meta.get(key, ""), compact=True, today=today)
        if found:
            return found
    return ""


def _loose_meta_date(meta: dict[str, str], today) -> str:
    for key, value in meta.items():
        if "date" in key or "time" in key or "publish" in key:
            if _PUBLISHED_META_RX.search(key) and not _NOT_PUBLISHED_RX.search(key):
                found = date_of(value, compact=True, today=today)
                if found:
                    return found
    return ""


def _attr_or_text_date(el, today) -> str:
    for attr in ("datetime", "content", "value", "title"):
        found = date_of(el.get(attr) or "", compact=True, today=today)
        if found:
            return found
    text = _squash("".join(el.itertext()))
    return date_of(text, today=today) if len(text) <= _TEXT_BOX_MAX else ""


def _microdata_date(page: _Page, prop: str, today) -> str:
    found = date_of(page.microdata.get(prop, ""), compact=True, today=today)
    if found:
        return found
    for boxes in page.box_passes():
        for el in boxes:
            if prop in (el.get("itemprop") or "").split():
                found = _attr_or_text_date(el, today)
                if found:
                    return found
    return ""


def _is_published_time(el) -> bool:
    marks = " ".join((el.get("class") or "", el.get("itemprop") or "", el.get("id") or "")).lower()
    return el.get("pubdate") is not None or "publish" in marks or "datecreated" in marks \
        or ("itemprop" in el.attrib and "modif" not in marks)


def _time_date(times: list, today, marked: bool) -> str:
    """A date from a ``<time>``: with ``marked``, only one flagged as the publication time; else the
    first that is not flagged as a modification time."""
    for el in times:
        marks = ((el.get("class") or "") + " " + (el.get("itemprop") or "")).lower()
        if marked != _is_published_time(el) or "modif" in marks or "updat" in marks:
            continue
        found = _attr_or_text_date(el, today)
        if found:
            return found
    return ""


def _box_dates(page: _Page, today) -> tuple[str, str]:
    """Published and modified dates printed in date and byline boxes, told apart by their cue words."""
    modified = ""
    for boxes in page.box_passes():
        published, modified = _dates_in(boxes, today, modified)
        if published:
            return published, modified
    return "", modified


def _dates_in(boxes, today, modified: str) -> tuple[str, str]:
    tried = 0
    for el in boxes:
        marks = (el.get("class") or "") + " " + (el.get("id") or "")
        if el.tag == "a" or not _DATE_BOX_RX.search(marks) or _NOT_OWN_RX.search(marks):
            continue
        tried += 1
        if tried > 60:  # the page's own date sits near its top; the rest is listings
            break
        text = _squash(" ".join(el.itertext()))
        if len(text) > _TEXT_BOX_MAX or _in_others_content(el):
            continue
        kind, found = _cued_date(text, today)
        if not found:
            found = date_of(el.get("value") or el.get("content") or "", compact=True, today=today)
            kind = "modified" if re.search("modif|updat", marks, re.I) else "published"
        if found and kind == "modified":
            modified = modified or found
        elif found:
            return found, modified
    return "", modified


def _in_others_content(el) -> bool:
    """Whether ``el`` sits in a tweet, a comment or a listing: dates there are not the page's own."""
    for up, _ in zip(el.iterancestors(), range(6)):
        marks = (up.get("class") or "") + " " + (up.get("id") or "")
        if _NOT_OWN_RX.search(marks):
            return True
    return False


def _cued_date(text: str, today) -> tuple[str, str]:
    """("published" or "modified", date) for the first date in ``text``, judged by the words before it."""
    if not text:
        return "", ""
    limit = today or _dt.date.today()
    for m in _DATE_RX.finditer(text):
        found = _valid(*_ymd(m), limit)
        if found:
            before = text[max(0, m.start() - 40): m.start()]
            if _MODIFIED_CUE_RX.search(before) and not _PUBLISHED_CUE_RX.search(before):
                return "modified", found
            return "published", found
    return "", ""


def _cue_date(doc, today) -> str:
    """A date right after "Published", "Posted", "기사입력" ... in the first part of the body text."""
    body = doc.find("body")
    if body is None:
        return ""
    chunks, size = [], 0
    stack = [body]
    while stack and size <= _TEXT_SCAN_MAX:
        el = stack.pop()
        if isinstance(el, str):  # the tail of an element, once its children are read
            chunks.append(el)
            size += len(el)
            continue
        if el.tail and el is not body:
            stack.append(el.tail)
        marks = (el.get("class") or "") + " " + (el.get("id") or "")
        # Script and style hold no page text; tweets, comments and listings hold other people's dates.
        if el.tag in _NOT_TEXT or (marks != " " and _NOT_OWN_RX.search(marks)):
            continue
        if el.text:
            chunks.append(el.text)
            size += len(el.text)
        stack.extend(reversed(el))
    text = _squash(" ".join(chunks))
    for cue in _PUBLISHED_WORD_RX.finditer(text):
        # The cue and its date stand together: "Published: 19 Nov 2019", "기사입력 :[ 2018-08-25".
        found = date_of(text[cue.end(): cue.end() + 50], today=today)
        if found:
            return found
    return ""


def _dates(doc, page: _Page, main, broken, url, canonical) -> tuple[str, str, str]:
    """(published, source, modified). Sources are asked in the order of DATE_SOURCES."""
    today = _dt.date.today()
    meta = page.meta
    modified = (_jsonld_date(main, broken, ("dateModified",), today)
                or _meta_date(meta, _MODIFIED_META, today)
                or date_of(page.microdata.get("dateModified", ""), compact=True, today=today))
    steps = (
        ("jsonld", lambda: _jsonld_date(main, broken, ("datePublished", "dateCreated"), today)),
        ("meta", lambda: _meta_date(meta, _PUBLISHED_META, today) or _loose_meta_date(meta, today)),
        ("microdata", lambda: _microdata_date(page, "datePublished", today)
         or _microdata_date(page, "dateCreated", today)),
        ("time", lambda: _time_date(page.times, today, marked=True)),
        ("url", lambda: url_date(url, today) or url_date(canonical, today)),
        ("time", lambda: _time_date(page.times, today, marked=False)),
    )
    for source, step in steps:
        found = step()
        if found:
            return found, source, modified
    published, boxed_modified = _box_dates(page, today)
    modified = modified or boxed_modified
    if published:
        return published, "text", modified
    published = _cue_date(doc, today)
    if published:
        return published, "text", modified
    return (modified, "modified", modified) if modified else ("", "", "")


# Ordered: where a page prints its authors' names when its metadata does not give them.
_AUTHOR_BOXES = (
    lambda el: "author" in (el.get("itemprop") or "").split(),
    lambda el: el.tag == "a" and "author" in (el.get("rel") or "").lower().split(),
    lambda el: "byline" in ((el.get("class") or "") + " " + (el.get("id") or "")).lower(),
)


def _authors(page: _Page, main: list[dict]) -> tuple[str, ...]:
    """Author names: JSON-LD, meta tags, microdata, rel=author links, byline boxes, first that answers."""
    for item in main:
        names = [n for raw in _names(item.get("author") or item.get("creator")) for n in author_names(raw)]
        if names:
            return _unique(names)
    for raw in (*(page.meta.get(key, "") for key in _AUTHOR_META), page.microdata.get("author", "")):
        names = author_names(raw)
        if names:
            return _unique(names)
    for boxes in page.box_passes():
        for rule in _AUTHOR_BOXES:
            for el in [el for el in boxes if rule(el)][:5]:
                names = _box_names(el)
                if names:
                    return _unique(names)
    return ()


def _box_names(el) -> list[str]:
    named = el.xpath(".//*[@itemprop='name']")
    raw = el.get("content") or _squash(" ".join((named[0] if named else el).itertext()))
    return author_names(raw) if len(raw) <= _TEXT_BOX_MAX else []


def _unique(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))[:10]


def _title(page: _Page, main: list[dict], site: str) -> str:
    for candidate in (page.meta.get("og:title", ""), *(_text(i.get("headline")) for i in main[:1]), page.h1):
        candidate = _squash(candidate)
        if candidate:
            return _without_site(candidate, site, strict=True)
    return _without_site(page.title, site, strict=False)


def _without_site(title: str, site: str, strict: bool) -> str:
    """``title`` without a " | Site Name" part at its end or start. With ``strict``, only a part that
    names ``site`` goes; otherwise also a short last part after a pipe, where pages put their name."""
    seps = list(_TITLE_SEP_RX.finditer(title))
    if not seps:
        return title
    first, last = seps[0], seps[-1]
    key = _key(site)
    if key and _names_site(title[last.end():], key):
        return title[: last.start()]
    if key and _names_site(title[: first.start()], key):
        return title[first.end():]
    if not strict:
        head, sep, tail = title.rpartition(" | ")
        if sep and head.strip() and len(tail.split()) <= 4:
            return head.strip()
    return title


def _key(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _names_site(part: str, key: str) -> bool:
    """Whether a title part is the site's name ("BBC News" for site "BBC", "The Daily" for "Daily")."""
    k = _key(part)
    return bool(k) and (k == key or k.removeprefix("the") == key.removeprefix("the")
                        or (k.startswith(key) and len(k) - len(key) <= 4))


def _language(page: _Page, main: list[dict]) -> str:
    for value in (page.lang, *(page.meta.get(k, "") for k in _LANGUAGE_META),
                  *(_text(i.get("inLanguage")) for i in main)):
        code = language_code(value)
        if code:
            return code
    return ""


def page_meta(doc, url: str = "") -> PageMeta:
    """Metadata of a parsed page (before any element is removed from it).

    Parameters
    ----------
    doc : lxml element
        The root of the page, as returned by ``citegraph.scrapers.body.parse_html``.
    url : str
        The page's URL, read for a date in its path when the page states none.

    Returns
    -------
    PageMeta
        Never raises on odd markup: what cannot be read is left empty.

    Examples
    --------
    >>> from citegraph.scrapers.body import parse_html
    >>> doc = parse_html('<html lang="en-GB"><head><title>Rain | Daily</title></head>'
    ...                  '<body><p class="byline">By Ann Lee and Bo Roe. Published 19 Nov 2019</p></body></html>')
    >>> m = page_meta(doc, "https://daily.example/rain")
    >>> m.title, m.published_at, m.published_source, m.authors, m.language
    ('Rain', '2019-11-19', 'text', ('Ann Lee', 'Bo Roe'), 'en')
    """
    page = _Page(doc)
    items, broken = _jsonld_items(page.scripts)
    main = _main_items(items)
    publishers = [n for i in main[:1] for n in _names(i.get("publisher"))]
    site = _squash(page.meta.get("og:site_name", "") or page.meta.get("application-name", "")
                   or (publishers[0] if publishers else ""))
    canonical = page.canonical
    published, source, modified = _dates(doc, page, main, broken, url, canonical or page.meta.get("og:url", ""))
    body = next((i["articleBody"] for i in main if isinstance(i.get("articleBody"), str)), "")
    return PageMeta(canonical=canonical, og_url=page.meta.get("og:url", ""), title=_title(page, main, site),
                    site_name=site, published_at=published, authors=_authors(page, main),
                    language=_language(page, main), article_body=body, modified_at=modified,
                    published_source=source)
