"""Article discovery: the URLs an outlet lists in its sitemaps, feeds, robots.txt and pages.

Everything here is a pure function over bytes or text that the crawler has already fetched; the
crawler owns fetching, queueing, loop detection and politeness. Hostile input is expected: XML is
parsed by lxml in recover mode with its DOCTYPE dropped, entities left unexpanded and no network
access (in a billion-laughs or external-entity document, the text holding the entity reads as
nothing and the rest is read as usual), gzip bodies are inflated with a bound, and every
listing that cannot be read comes back with a short reason code and a sentence a person can act on.

Reason codes of :class:`Listing`: ``empty``, ``too-large``, ``not-xml``, ``bad-sitemap``,
``bad-feed``. :func:`parse_since` alone raises, with :class:`DiscoverError` code ``bad-since``.

Examples
--------
>>> listing = parse_sitemap(b"<urlset><url><loc>https://a.example/2024/05/17/big-news</loc>"
...                         b"<lastmod>2024-05-17</lastmod></url></urlset>", "https://a.example/sitemap.xml")
>>> listing.entries[0].url, listing.entries[0].lastmod, listing.error
('https://a.example/2024/05/17/big-news', '2024-05-17', '')
>>> looks_like_article("https://a.example/tag/climate/")
False
"""
from __future__ import annotations

import calendar
import codecs
import datetime as _dt
import email.utils
import functools
import html.entities
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from citegraph.outlets import registered_domain

__all__ = [
    "Entry",
    "Listing",
    "DiscoverError",
    "parse_sitemap",
    "parse_feed",
    "parse_listing",
    "robots_sitemaps",
    "feed_links",
    "article_links",
    "looks_like_article",
    "parse_since",
    "is_recent",
    "COMMON_SITEMAP_PATHS",
    "COMMON_FEED_PATHS",
]

# Where sites put sitemaps that robots.txt does not name, most common first.
COMMON_SITEMAP_PATHS = (
    "/sitemap.xml", "/sitemap_index.xml", "/sitemap-index.xml", "/news-sitemap.xml", "/sitemap-news.xml",
    "/sitemap_news.xml", "/wp-sitemap.xml", "/sitemap.txt",
)
# Where sites put feeds that no <link rel="alternate"> names: WordPress, generic, Hugo/Jekyll, Blogger.
COMMON_FEED_PATHS = (
    "/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feeds/posts/default",
)

DEFAULT_MAX_BYTES = 50_000_000  # the sitemaps protocol's own limit for one uncompressed file
_GZIP_MAGIC = b"\x1f\x8b"

# UTF-16 and UTF-32 bodies are re-encoded as UTF-8; a UTF-8 mark is dropped. Longest marks first.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
_SITEMAP_ITEMS = frozenset({"url", "sitemap"})
_FEED_ROOTS = frozenset({"rss", "rdf", "feed", "channel"})
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


class DiscoverError(ValueError):
    """An option that cannot be read, with its reason ``code`` and a ``detail`` a person can act on."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Entry:
    """One URL listed by a sitemap or a feed.

    ``url`` is absolute, as listed (entities decoded, whitespace stripped), not normalised.
    ``lastmod`` is an ISO 8601 date or datetime, or ``''`` when unknown. ``kind`` is ``page`` for an
    article candidate, ``sitemap`` for a child of a sitemap index, ``feed`` for another page of a
    paged feed. ``title`` is the feed item's title or the ``news:title``.
    """

    url: str
    lastmod: str = ""
    kind: str = "page"
    title: str = ""


@dataclass(frozen=True, slots=True)
class Listing:
    """What one sitemap or feed lists, and why not more.

    ``error`` is ``''`` or a reason code; ``detail`` is a sentence a person can act on when ``error``
    is set, or a note (``truncated at 50000 URLs``) when it is not.
    """

    entries: tuple[Entry, ...]
    error: str = ""
    detail: str = ""
    truncated: bool = False


# --- bytes to a tree ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Body:
    """Bytes ready for a parser, and what went wrong on the way (``too-large`` or ``corrupt``)."""

    data: bytes
    problem: str = ""
    detail: str = ""


def _inflated(data: bytes, max_bytes: int) -> _Body:
    """Return a gzip body inflated to at most ``max_bytes``, keeping what was read on any failure."""
    out = bytearray()
    rest = data
    while rest[:2] == _GZIP_MAGIC:  # a gzip file may hold several members, one after another
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        try:
            while pending and not inflater.eof:
                out += inflater.decompress(pending, max_bytes + 1 - len(out))
                if len(out) > max_bytes:
                    return _Body(bytes(out[:max_bytes]), "too-large",
                                 f"The gzip body inflates to more than {max_bytes} bytes; only the first "
                                 f"{max_bytes} were read (a sitemap file may hold at most 50 MB).")
                pending = inflater.unconsumed_tail
        except zlib.error as error:
            return _Body(bytes(out), "corrupt", f"The gzip body is corrupt ({error}); what came before was kept.")
        if not inflater.eof:
            return _Body(bytes(out), "corrupt", "The gzip body ends early; what came before was kept.")
        rest = inflater.unused_data
    return _Body(bytes(out))


def _unpacked(data: bytes, max_bytes: int) -> _Body:
    """Return the body inflated (gzip) or cut to ``max_bytes``, its byte order mark and leading space gone."""
    body = _inflated(data, max_bytes) if data[:2] == _GZIP_MAGIC else _Body(data)
    if body.problem == "" and len(body.data) > max_bytes:
        body = _Body(body.data[:max_bytes], "too-large",
                     f"The body is larger than {max_bytes} bytes; only the first {max_bytes} were read.")
    return _Body(_plain_start(body.data), body.problem, body.detail)


def _plain_start(data: bytes) -> bytes:
    """Return UTF-8 (or declared-encoding) bytes without a byte order mark or leading whitespace."""
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(codec, "replace")
            # The declaration names the old encoding; the bytes are UTF-8 now.
            return _XML_DECLARATION.sub("", text, count=1).encode("utf-8").lstrip()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return data.lstrip()


def _xml_parser() -> etree.XMLParser:
    # Entities stay unexpanded and nothing is fetched: no billion laughs, no external entities.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True,
                           load_dtd=False)


_DOCTYPE_START = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_SUBSET_END = re.compile(rb"\]\s*>")


def _without_doctype(data: bytes) -> bytes:
    """Return the document without its DOCTYPE.

    Sitemaps and feeds have no use for one, and entities it declares (a billion laughs) make libxml2
    stop the whole parse at its amplification limit; without the declarations each reference stays
    an unexpanded entity node and the rest of the document is read.
    """
    start = _DOCTYPE_START.search(data, 0, 4096)  # a DOCTYPE stands in the prolog, or nowhere
    if start is None:
        return data
    bracket, close = data.find(b"[", start.end()), data.find(b">", start.end())
    if 0 <= bracket < close:
        end = _SUBSET_END.search(data, bracket)
        close = end.end() - 1 if end else -1
    return data if close < 0 else data[:start.start()] + data[close + 1:]


_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")


def _numeric_reference(match: re.Match) -> bytes:
    chars = html.entities.html5.get(match.group(1).decode("ascii") + ";")
    return "".join(f"&#{ord(char)};" for char in chars).encode("ascii") if chars else match.group(0)


def _entities_as_numbers(data: bytes) -> bytes:
    """Return the document with named entities (``&amp;``, ``&eacute;``) as character references.

    Feeds use HTML entities without declaring them, and once libxml2 in recover mode has met an
    undeclared entity it drops every predefined one (``&amp;``) after it: ``?a=1&amp;b=2`` would read
    ``?a=1b=2``. Character references survive, and expand to one character each. CDATA sections are
    left as they are; an entity that is not HTML stays, and makes its text unreadable.
    """
    if b"&" not in data:
        return data
    pieces, position = [], 0
    while position < len(data):
        start = data.find(b"<![CDATA[", position)
        start = len(data) if start < 0 else start
        end = data.find(b"]]>", start)
        end = len(data) if end < 0 else end + 3
        pieces += [_NAMED_ENTITY.sub(_numeric_reference, data[position:start]), data[start:end]]
        position = end
    return b"".join(pieces)


def _xml_root(data: bytes, base_url: str):
    """Return the root element of possibly broken XML, or None when nothing can be read."""
    if not data:
        return None
    try:
        root = etree.fromstring(_entities_as_numbers(_without_doctype(data)), _xml_parser(), base_url=base_url or None)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def _local(element) -> str:
    """Return an element's local name, lower-cased: namespaces (declared or not) play no part."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _elements(root, names: frozenset[str]) -> Iterator:
    """Yield the elements under ``root`` whose local name is one of ``names``, in document order."""
    for element in root.iter():
        if _local(element) in names:
            yield element


def _children(element, name: str) -> list:
    return [child for child in element if _local(child) == name]


def _text(element, *, lenient: bool = False) -> str:
    """Return an element's text, stripped.

    Entities stay unexpanded by the parser: one that is still there (not an HTML one: see
    :func:`_entities_as_numbers`) makes the text unreadable (''), or is left out when ``lenient``
    (a title loses a character, a URL would become another URL).
    """
    pieces: list[str] = []
    return "".join(pieces).strip() if _gathered(element, pieces, lenient, 0) else ""


def _gathered(element, pieces: list[str], lenient: bool, depth: int) -> bool:
    """Append an element's text to ``pieces``; False when an entity or the depth makes it unreadable."""
    pieces.append(element.text or "")
    for child in element:
        if child.tag is etree.Entity and not lenient:
            return False
        if isinstance(child.tag, str) and (depth > 16 or not _gathered(child, pieces, lenient, depth + 1)):
            return False
        pieces.append(child.tail or "")
    return True


def _title(element) -> str:
    """Return the text of an element's ``title`` (or ``news:title``) child, whitespace collapsed."""
    return next((" ".join(text.split()) for child in _children(element, "title")
                 if (text := _text(child, lenient=True))), "")


def _child_text(element, name: str) -> str:
    for child in _children(element, name):
        text = _text(child)
        if text:
            return text
    return ""


_C0 = "".join(map(chr, range(33)))  # control characters and the space, which URL parsers strip at the ends


def _http_url(text: str) -> str:
    """Return ``text`` (without the control characters and spaces around it) when it is an absolute
    http(s) URL, else ''. A control character inside it makes it no URL."""
    text = text.strip(_C0)
    if not text.lower().startswith(("http://", "https://")) or any(c in _C0[:32] for c in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.netloc else ""


def _joined(base: str, href: str) -> str:
    """Return ``href`` resolved against ``base`` when the result is an http(s) URL, else ''."""
    try:
        return _http_url(urljoin(base, href))
    except ValueError:
        return ""


def _collected(entries: Iterable[Entry], limit: int, noun: str) -> tuple[tuple[Entry, ...], bool, str]:
    """Return at most ``limit`` entries, whether more were left, and the note saying so."""
    kept: list[Entry] = []
    for entry in entries:
        if len(kept) >= limit:
            return tuple(kept), True, f"truncated at {limit} {noun}: the rest were not read."
        kept.append(entry)
    return tuple(kept), False, ""


def _finished(entries: tuple[Entry, ...], truncated: bool, note: str, body: _Body,
              failure: tuple[str, str] | None) -> Listing:
    """Return the listing, with the reason codes in order of weight: too-large, then the parser's failure."""
    if body.problem == "too-large":
        return Listing(entries, "too-large", " ".join(filter(None, (body.detail, note))), truncated)
    if failure is not None:
        return Listing(entries, failure[0], failure[1], truncated)
    return Listing(entries, "", " ".join(filter(None, (note, body.detail))), truncated)


# --- dates ----------------------------------------------------------------------------------

_W3C_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:([T ])(\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?", re.IGNORECASE)
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")


def _iso_date(text: str) -> str:
    """Return ``text`` as an ISO 8601 date or datetime ('' when it is not a valid date).

    A W3C datetime is kept as written (``T`` put for a space); ``2024`` and ``2024-05`` are kept as
    the partial dates they are; an RFC 822 date (RSS ``pubDate``) becomes a full ISO datetime.
    """
    text = " ".join(text.split())
    if not text or len(text) > 64:
        return ""
    match = _W3C_DATETIME.fullmatch(text)
    if match:
        return _valid_w3c(match)
    partial = _PARTIAL_DATE.fullmatch(text)
    if partial:
        return text if int(partial.group(1)) >= 1 else ""
    return _rfc822(text)


def _valid_w3c(match: re.Match) -> str:
    day, _, clock, fraction, zone = match.groups()
    # fromisoformat checks ranges; the fraction may carry more digits than Python reads.
    probe = day + (f"T{clock}{(fraction or '')[:7]}{zone or ''}" if clock else "")
    try:
        _dt.datetime.fromisoformat(probe.upper()) if clock else _dt.date.fromisoformat(day)
    except ValueError:
        return ""
    return match.group(0).replace(" ", "T", 1) if clock else day


def _rfc822(text: str) -> str:
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""
    return when.isoformat() if when is not None else ""


def _date_span(lastmod: str) -> tuple[_dt.date, _dt.date] | None:
    """Return the first and last day a lastmod value can mean, or None when it is unreadable."""
    iso = _iso_date(lastmod)
    if not iso:
        return None
    if len(iso) >= 10:
        day = _dt.date.fromisoformat(iso[:10])  # the calendar date as written: no time zone shift
        return day, day
    year = int(iso[:4])
    if len(iso) == 4:
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    month = int(iso[5:7])
    return _dt.date(year, month, 1), _dt.date(year, month, calendar.monthrange(year, month)[1])


def is_recent(lastmod: str, since: _dt.date) -> bool | None:
    """Say whether a listed date is on or after ``since``.

    Parameters
    ----------
    lastmod : str
        An ISO 8601 date or datetime (as in :attr:`Entry.lastmod`), a partial date (``2024-05``) or an
        RFC 822 date. A datetime counts by the calendar date written in it.
    since : datetime.date
        The first day wanted.

    Returns
    -------
    bool or None
        True on or after ``since``, False before it, None when ``lastmod`` is empty, unreadable, or a
        partial date whose span contains ``since`` (the caller then reads the page's own date).

    Examples
    --------
    >>> import datetime
    >>> is_recent("2024-05-17T08:00:00Z", datetime.date(2024, 5, 17)), is_recent("", datetime.date(2024, 1, 1))
    (True, None)
    """
    span = _date_span(lastmod or "")
    if span is None:
        return None
    first, last = span
    if first >= since:
        return True
    if last < since:
        return False
    return None


_SINCE_SPAN = re.compile(r"(\d{1,6})\s*([dwmy])")
_SINCE_HINT = "give a date like 2024-05-17 (or 2024-05, 2024) or a span like 30d, 12w, 6m, 1y"


def parse_since(text: str, *, today: _dt.date | None = None) -> _dt.date:
    """Return the first day of a ``--since`` option.

    Parameters
    ----------
    text : str
        ``2024-05-17``, ``2024-05`` or ``2024`` (the start of that month or year), or a span back from
        today: ``30d`` days, ``12w`` weeks, ``6m`` calendar months, ``1y`` years.
    today : datetime.date, optional
        The day spans count back from; the local date by default.

    Raises
    ------
    DiscoverError
        Code ``bad-since`` for anything else.

    Examples
    --------
    >>> import datetime
    >>> parse_since("6m", today=datetime.date(2024, 8, 31))
    datetime.date(2024, 2, 29)
    """
    value = str(text).strip().lower()
    try:
        found = _since_date(value) or _since_span(value, today or _dt.date.today())
    except (ValueError, OverflowError):
        found = None
    if found is None:
        raise DiscoverError("bad-since", f"Cannot read {str(text)[:40]!r} as a start date: {_SINCE_HINT}.")
    return found


def _since_date(value: str) -> _dt.date | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _dt.date.fromisoformat(value)
    match = _PARTIAL_DATE.fullmatch(value)
    if match:
        return _dt.date(int(match.group(1)), int(match.group(2) or 1), 1)
    return None


def _since_span(value: str, today: _dt.date) -> _dt.date | None:
    match = _SINCE_SPAN.fullmatch(value)
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2)
    if unit in "dw":
        return today - _dt.timedelta(days=count * (7 if unit == "w" else 1))
    months = count * (12 if unit == "y" else 1)
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    # The same day of that month, or its last day when it is shorter (31 May - 3m = 29 Feb).
    return _dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


# --- sitemaps -------------------------------------------------------------------------------


def parse_sitemap(data: bytes, url: str, *, max_urls: int = 50_000, max_bytes: int = DEFAULT_MAX_BYTES) -> Listing:
    """Return the URLs a sitemap lists.

    Reads a ``urlset`` (page entries, with ``lastmod``; Google News ``news:publication_date`` wins
    over ``lastmod`` and ``news:title`` gives the title), a ``sitemapindex`` (``sitemap`` entries with
    their ``lastmod``), a plain-text sitemap (one URL per line), and an RSS or Atom feed (which the
    sitemaps protocol accepts as a sitemap). Namespaces may be present, absent or wrong: elements
    match by local name. Gzip bodies are inflated up to ``max_bytes``.

    Locations that are relative or not http(s) are dropped, not resolved: the protocol asks for
    absolute URLs and a relative one is a sign the file is not what it claims. An index that lists
    itself, or sitemaps that list each other, are returned as they are: loop detection is the
    caller's.

    Parameters
    ----------
    data : bytes
        The response body as fetched (gzip or not).
    url : str
        The sitemap's own URL, for messages.
    max_urls : int
        At most this many entries are returned; ``truncated`` then says more were listed.
    max_bytes : int
        At most this many bytes are read (after inflating); beyond them ``error`` is ``too-large`` and
        the entries read before are kept.

    Returns
    -------
    Listing
        Malformed XML gives the entries that can be read; ``error`` is ``bad-sitemap`` only when
        nothing could be read, ``empty`` for an empty body or a sitemap listing nothing, ``not-xml``
        for an HTML page.
    """
    body = _unpacked(data, max_bytes)
    if not body.data:
        return _nothing(body, "bad-sitemap", f"sitemap {url}")
    if not body.data.startswith(b"<"):
        entries, truncated, note = _collected(_text_entries(body.data), max_urls, "URLs")
        failure = None if entries else ("bad-sitemap", f"{url} is neither XML nor a text sitemap (one URL a line).")
        return _finished(entries, truncated, note, body, failure)
    root = _xml_root(body.data, url)
    if root is not None and _local(root) in _FEED_ROOTS:
        return _feed_listing(root, body, url, max_urls)
    return _sitemap_listing(root, body, url, max_urls)


def _nothing(body: _Body, bad_code: str, what: str) -> Listing:
    """Return the listing of a body that held no bytes at all."""
    if body.problem == "corrupt":
        return Listing((), bad_code, f"Nothing could be read from {what}: {body.detail}")
    return Listing((), "empty", f"The {what} is empty: check the URL, or fetch it again later.")


def _sitemap_listing(root, body: _Body, url: str, max_urls: int) -> Listing:
    if root is None:
        return _finished((), False, "", body, ("bad-sitemap", f"Nothing could be read from {url}: it is not XML."))
    if _local(root) == "html":
        return _finished((), False, "", body, ("not-xml", f"{url} is an HTML page, not a sitemap: look for the "
                                                          "sitemap's URL in robots.txt."))
    listed = (_sitemap_entry(element) for element in _elements(root, _SITEMAP_ITEMS))
    entries, truncated, note = _collected(filter(None, listed), max_urls, "URLs")
    return _finished(entries, truncated, note, body, None if entries else _sitemap_failure(root, url))


def _sitemap_failure(root, url: str) -> tuple[str, str]:
    """Return why a sitemap gave no entries: unusable locations, no entries at all, or not a sitemap."""
    found = sum(1 for _ in _elements(root, _SITEMAP_ITEMS))
    if found:
        return "bad-sitemap", f"{url} has {found} entries but none with an absolute http(s) <loc>."
    if _local(root) in _SITEMAP_ROOTS:
        return "empty", f"The sitemap {url} is well-formed but lists no URLs."
    return "bad-sitemap", f"{url} is XML with root <{_local(root)}>, not <urlset> or <sitemapindex>."


def _sitemap_entry(element) -> Entry | None:
    """Return the entry of a ``<url>`` or ``<sitemap>`` element, or None when its loc is unusable."""
    loc = _http_url(_child_text(element, "loc"))
    if not loc:
        return None
    if _local(element) == "sitemap":
        return Entry(loc, _iso_date(_child_text(element, "lastmod")), "sitemap")
    news = _children(element, "news")
    published = _iso_date(_child_text(news[0], "publication_date")) if news else ""
    title = _title(news[0]) if news else ""
    return Entry(loc, published or _iso_date(_child_text(element, "lastmod")), "page", title)


def _text_entries(data: bytes) -> Iterator[Entry]:
    """Yield the http(s) URLs of a text sitemap, one a line; other lines are skipped."""
    for line in data.decode("utf-8", "replace").splitlines():
        found = _http_url(line.strip())
        if found:
            yield Entry(found)


# --- feeds ----------------------------------------------------------------------------------


def parse_feed(data: bytes, url: str, *, max_items: int = 10_000) -> Listing:
    """Return the items a feed lists.

    Reads RSS 2.0 and 0.9x, RSS 1.0 (RDF), Atom 1.0 and 0.3, and JSON Feed. An item's link is its
    FeedBurner ``origLink``, else its Atom ``link`` with ``rel="alternate"`` or no ``rel``, else its
    RSS ``link`` text, else a ``guid`` that is a permalink, else its RDF ``about``. Relative links are
    resolved against ``xml:base`` or ``url`` (Atom allows them). The date is ``published``, else
    ``pubDate`` (RFC 822), ``dc:date``, ``issued``, ``created``, ``updated``, ``modified``. Links to
    further pages of a paged feed (RFC 5005 ``next``, ``prev-archive``) come as ``feed`` entries.

    Parameters
    ----------
    data : bytes
        The response body as fetched (gzip is inflated, up to 50 MB).
    url : str
        The feed's own URL: the base for relative links.
    max_items : int
        At most this many entries are returned; ``truncated`` then says more were listed.

    Returns
    -------
    Listing
        Malformed XML gives the items that can be read; ``error`` is ``bad-feed`` only when nothing
        could be read, ``empty`` for an empty body or a feed without items, ``not-xml`` for HTML.
    """
    body = _unpacked(data, DEFAULT_MAX_BYTES)
    if not body.data:
        return _nothing(body, "bad-feed", f"feed {url}")
    if body.data[:1] in (b"{", b"["):
        return _json_feed_listing(body, url, max_items)
    if not body.data.startswith(b"<"):
        return _finished((), False, "", body, ("not-xml", f"{url} is not XML: a feed is RSS, Atom or JSON Feed."))
    root = _xml_root(body.data, url)
    if root is not None and _local(root) == "html":
        return _finished((), False, "", body, ("not-xml", f"{url} is an HTML page, not a feed: its "
                                                          "<link rel=\"alternate\"> tags name the feeds."))
    return _feed_listing(root, body, url, max_items)


def _feed_listing(root, body: _Body, url: str, max_items: int) -> Listing:
    if root is None:
        return _finished((), False, "", body, ("bad-feed", f"Nothing could be read from {url}: it is not XML."))
    items = list(_elements(root, frozenset({"item", "entry"})))
    entries, truncated, note = _collected(_feed_entries(root, items), max_items, "items")
    failure = None
    if not entries and items:
        failure = "bad-feed", f"{url} has {len(items)} items but none with a usable link."
    elif not entries and _local(root) in _FEED_ROOTS:
        failure = "empty", f"The feed {url} is well-formed but lists no items."
    elif not entries:
        failure = "bad-feed", f"{url} is XML with root <{_local(root)}>, not <rss>, <rdf:RDF> or <feed>."
    return _finished(entries, truncated, note, body, failure)


def _feed_entries(root, items: list) -> Iterator[Entry]:
    for item in items:
        link = _item_link(item)
        if link:
            yield Entry(link, _item_date(item), "page", _title(item))
    yield from _next_pages(root)


def _link_rel(element) -> str:
    return (element.get("rel") or "alternate").strip().lower()


# How an item names its page, in order of trust. Each takes the item and returns a href or ''.
_ITEM_LINK_RULES: tuple[Callable[[etree._Element], str], ...] = (
    # FeedBurner rewrites links to its own redirector and keeps the real one here.
    lambda item: _child_text(item, "origlink"),
    # Atom: the alternate link (no rel means alternate).
    lambda item: next((link.get("href", "") for link in _children(item, "link")
                       if link.get("href") and _link_rel(link) == "alternate"), ""),
    # RSS: the link's text.
    lambda item: next((_text(link) for link in _children(item, "link") if _text(link)), ""),
    # RSS 2.0: a guid is the page's URL unless isPermaLink says otherwise.
    lambda item: next((_text(guid) for guid in _children(item, "guid")
                       if (guid.get("isPermaLink") or "true").strip().lower() != "false"), ""),
    # RSS 1.0: the item's rdf:about is its URL.
    lambda item: next((value for key, value in item.attrib.items()
                       if key.rpartition("}")[2].rpartition(":")[2] == "about"), ""),
)

# Item date elements by local name, in order of trust: publication before modification.
_ITEM_DATES = ("published", "pubdate", "date", "issued", "created", "updated", "modified")


def _item_link(item) -> str:
    base = item.base or ""
    for rule in _ITEM_LINK_RULES:
        href = rule(item).strip()
        if href:
            found = _joined(base, href)
            if found:
                return found
    return ""


def _item_date(item) -> str:
    for name in _ITEM_DATES:
        for child in _children(item, name):
            found = _iso_date(_text(child))
            if found:
                return found
    return ""


# Feed-level links to older pages of the same feed (RFC 5005).
_NEXT_PAGE_RELS = ("next", "prev-archive")


def _next_pages(root) -> Iterator[Entry]:
    holders = [root, *_children(root, "channel")]
    for holder in holders:
        for link in _children(holder, "link"):
            if link.get("href") and _link_rel(link) in _NEXT_PAGE_RELS:
                found = _joined(link.base or "", link.get("href", "").strip())
                if found:
                    yield Entry(found, kind="feed")


def _json_feed_listing(body: _Body, url: str, max_items: int) -> Listing:
    try:
        feed = json.loads(body.data.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        feed = None
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list):
        return _finished((), False, "", body, ("bad-feed", f"{url} is not a JSON Feed: it has no \"items\" list."))
    entries, truncated, note = _collected(_json_entries(feed, items, url), max_items, "items")
    failure = None
    if not entries:
        failure = ("bad-feed", f"{url} has {len(items)} items but none with a usable url.") if items else (
            "empty", f"The feed {url} lists no items.")
    return _finished(entries, truncated, note, body, failure)


def _json_entries(feed: dict, items: list, url: str) -> Iterator[Entry]:
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        found = _joined(url, item["url"].strip())
        if found:
            dates = (item.get("date_published"), item.get("date_modified"))
            when = next((_iso_date(d) for d in dates if isinstance(d, str) and _iso_date(d)), "")
            title = item.get("title") if isinstance(item.get("title"), str) else ""
            yield Entry(found, when, "page", " ".join(title.split()))
    if isinstance(feed.get("next_url"), str) and _joined(url, feed["next_url"].strip()):
        yield Entry(_joined(url, feed["next_url"].strip()), kind="feed")


# --- either ---------------------------------------------------------------------------------


def parse_listing(data: bytes, url: str, content_type: str = "") -> Listing:
    """Return the entries of a sitemap or a feed, whichever ``data`` is.

    The root element decides: ``urlset`` and ``sitemapindex`` are sitemaps, ``rss``, ``rdf:RDF`` and
    ``feed`` are feeds; a JSON body (or a JSON ``content_type``) is a JSON Feed; text whose first line
    is a URL is a text sitemap. An HTML page or anything else gives ``not-xml``.

    Parameters
    ----------
    data : bytes
        The response body as fetched (gzip is inflated, up to 50 MB).
    url : str
        Where it came from: the base for relative feed links, and named in messages.
    content_type : str
        The response's Content-Type, used to recognise JSON and in messages.
    """
    body = _unpacked(data, DEFAULT_MAX_BYTES)
    if not body.data:
        return _nothing(body, "bad-sitemap", f"document {url}")
    if body.data[:1] in (b"{", b"["):
        return _json_feed_listing(body, url, 10_000)
    if body.data.startswith(b"<"):
        root = _xml_root(body.data, url)
        name = _local(root) if root is not None else ""
        if name in _SITEMAP_ROOTS:
            return _sitemap_listing(root, body, url, 50_000)
        if name in _FEED_ROOTS:
            return _feed_listing(root, body, url, 10_000)
        return _finished((), False, "", body, ("not-xml", _not_listing_detail(url, name, content_type)))
    if "json" in content_type.lower():
        return _json_feed_listing(body, url, 10_000)
    first = next((line.strip() for line in body.data.decode("utf-8", "replace").splitlines() if line.strip()), "")
    if _http_url(first):
        entries, truncated, note = _collected(_text_entries(body.data), 50_000, "URLs")
        return _finished(entries, truncated, note, body, None)
    return _finished((), False, "", body, ("not-xml", _not_listing_detail(url, "", content_type)))


def _not_listing_detail(url: str, root_name: str, content_type: str) -> str:
    served = f" (served as {content_type.split(';')[0].strip()})" if content_type.strip() else ""
    if root_name == "html":
        return f"{url} is an HTML page{served}, not a sitemap or a feed."
    if root_name:
        return f"{url} is XML with root <{root_name}>{served}, not a sitemap or a feed."
    return f"{url} is neither XML nor a list of URLs{served}: it is not a sitemap or a feed."


# --- robots.txt -----------------------------------------------------------------------------

_SITEMAP_LINE = re.compile(r"^[ \t]*sitemap[ \t]*:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


def robots_sitemaps(robots_text: str, robots_url: str) -> list[str]:
    """Return the sitemaps a robots.txt names, in order, without duplicates.

    ``Sitemap:`` lines count wherever they stand (inside or outside a user-agent group), whatever the
    case of the key; relative values are resolved against ``robots_url``. An HTML page served as
    robots.txt gives ``[]``; nothing here raises.

    Examples
    --------
    >>> robots_sitemaps("User-agent: *\\nDisallow: /x\\nsitemap: /news.xml", "https://a.example/robots.txt")
    ['https://a.example/news.xml']
    """
    if isinstance(robots_text, bytes):
        robots_text = robots_text.decode("utf-8", "replace")
    text = str(robots_text).lstrip("\ufeff \t\r\n")
    if text.startswith("<"):  # an error page or a soft 404, not a robots.txt
        return []
    found: list[str] = []
    for value in _SITEMAP_LINE.findall(text):
        sitemap = _joined(str(robots_url), value)
        if sitemap and sitemap not in found:
            found.append(sitemap)
    return found


# --- HTML pages -----------------------------------------------------------------------------


def _html_root(html: str | bytes):
    """Return the root of an HTML page parsed by lxml, or None when there is nothing to parse."""
    if isinstance(html, bytes):
        data, parser = html, etree.HTMLParser(no_network=True)
    else:
        # Already text: its <meta charset> must not re-decode it.
        data, parser = str(html).encode("utf-8", "replace"), etree.HTMLParser(encoding="utf-8", no_network=True)
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None


_URL_INVISIBLES = re.compile(r"[\t\n\r]")


def _page_base(root, page_url: str) -> str:
    """Return the URL links resolve against: the first ``<base href>``, resolved, else the page's."""
    for base in root.iter("base"):
        href = _URL_INVISIBLES.sub("", base.get("href") or "").strip()
        if href:
            return _joined(page_url, href) or page_url
    return page_url


def _resolved(href: str | None, base: str) -> str:
    """Return a link made absolute with its fragment dropped, or '' when it is not http(s)."""
    # Browsers drop tabs and newlines anywhere in a URL and spaces at its ends.
    href = _URL_INVISIBLES.sub("", href or "").strip()
    if not href:
        return ""
    found = _joined(base, href)
    return urldefrag(found)[0] if found else ""


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(url for url in urls if url))


# Feeds of comments, not of articles: the WordPress site-wide one and the per-post ones.
_COMMENT_FEED = re.compile(r"/comments/feed/?$|/feed/comments|/comments/default", re.IGNORECASE)


def feed_links(html: str, page_url: str) -> list[str]:
    """Return the feeds a page announces, resolved, in page order, without duplicates.

    These are the ``<link rel="alternate">`` tags typed RSS, Atom, RDF or JSON Feed; comment feeds are
    left out. Links resolve against ``<base href>`` when there is one. Nothing here raises.

    Examples
    --------
    >>> feed_links('<link rel="alternate" type="application/rss+xml" href="/feed/">', "https://a.example/")
    ['https://a.example/feed/']
    """
    root = _html_root(html)
    if root is None:
        return []
    base = _page_base(root, str(page_url))
    found = []
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rels and kind in _FEED_TYPES:
            url = _resolved(link.get("href"), base)
            if url and not _COMMENT_FEED.search(url):
                found.append(url)
    return _unique(found)


def _site_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return _registered(host) if host else ""


@functools.lru_cache(maxsize=4096)
def _registered(host: str) -> str:
    return registered_domain(host)


def _same_site_as(page_url: str) -> Callable[[str], bool]:
    """Return a test for URLs on the page's registered domain."""
    site = _site_of(page_url)
    return lambda url: bool(site) and _site_of(url) == site


def article_links(html: str, page_url: str, *, same_site: Callable[[str], bool] | None = None) -> list[str]:
    """Return the links of a page that stay on the site and look like articles.

    Links are ``<a href>`` and ``<area href>`` resolved against ``<base href>`` or ``page_url``, with
    fragments dropped, in page order, without duplicates and without the page itself. Links in
    ``<nav>``, ``<header>`` and ``<footer>`` count too (home pages list articles everywhere); each URL
    must pass :func:`looks_like_article`. Nothing here raises on any page text.

    Parameters
    ----------
    html : str
        The page (a home page, a section page, or an article when crawling deeper).
    page_url : str
        The page's URL.
    same_site : callable, optional
        ``same_site(url) -> bool`` decides which URLs belong to the site; by default, those on the
        same registered domain as ``page_url`` (public suffix list, private section included).

    Examples
    --------
    >>> article_links('<a href="/2024/05/17/big-news">x</a><a href="/tag/x/">t</a>', "https://a.example/")
    ['https://a.example/2024/05/17/big-news']
    """
    root = _html_root(html)
    if root is None:
        return []
    page_url = str(page_url)
    base = _page_base(root, page_url)
    on_site = same_site or _same_site_as(page_url)
    itself = _resolved(page_url, page_url)
    found = (_resolved(anchor.get("href"), base) for anchor in root.iter("a", "area"))
    return _unique(url for url in found if url and url != itself and looks_like_article(url) and on_site(url))


# --- which URLs are articles ----------------------------------------------------------------

_YEAR = r"(?:19|20)\d{2}"
_MONTH = (r"(?:0?[1-9]|1[0-2]|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_LANG = r"(?:[a-z]{2}(?:[-_][a-z]{2})?/)?"  # an edition prefix: /en/, /pt-br/
_WORD = r"(?:[^\W_]|%[0-9a-f]{2})+"  # letters or digits of any script, or percent-escapes; no separators


# Article URLs are far shorter (the longest seen are a few hundred characters); the bound also keeps
# the rules' work small on hostile input.
_MAX_URL_CHARS = 2048


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# Ordered rules: (verdict, part of the URL, pattern). The first match wins; no match is not an article.
# Parts: "path" (lower-cased, no query) or "query". Exclusions come first, so a tag page with a long
# slug or a paginated article list with a date stays out.
_ARTICLE_RULES: tuple[tuple[bool, str, re.Pattern], ...] = (
    # Files that are not pages: images, media, documents, code, data, archives, fonts.
    (False, "path", _rx(r"\.(?:jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|pdf|css|js|mjs|map|json|xml|rss|atom"
                        r"|txt|csv|zip|gz|tgz|bz2|rar|7z|mp3|mp4|m4a|m4v|wav|ogg|oga|webm|mov|avi|flv|woff2?"
                        r"|ttf|eot|otf|docx?|xlsx?|pptx?|odt|epub|exe|dmg|apk|swf)$")),
    # CMS machinery and CDN endpoints.
    (False, "path", _rx(r"(?:^|/)(?:wp-admin|wp-login\.php|wp-json|wp-content|wp-includes|xmlrpc\.php|cdn-cgi"
                        r"|wp-signup\.php|admin|ajax)(?:/|$)")),
    # Feeds and sitemaps (WordPress per-post /feed/ included).
    (False, "path", _rx(r"(?:^|/)(?:feeds?|rss2?|atom|rdf)(?:/|$)|(?:^|/)sitemap[^/]*$")),
    # Search pages, by path or query.
    (False, "path", _rx(r"(?:^|/)(?:search|suche|recherche|busqueda|buscar)(?:/|$)")),
    (False, "query", _rx(r"(?:^|&)(?:s|q|query|search|searchterm|keywords?)=")),
    # Pagination of any listing.
    (False, "path", _rx(r"(?:^|/)page/\d+(?:/|$)|-page-\d+(?:\.[a-z]+)?/?$")),
    (False, "query", _rx(r"(?:^|&)(?:page|paged|pg|pagenum|start|offset)=\d")),
    # WordPress listings by query: categories, tags, authors, static pages, monthly archives.
    (False, "query", _rx(r"(?:^|&)(?:cat|tag|author|page_id|category|m)=")),
    # Article ids in the query: WordPress ?p=123 and the ?id= of older CMSs.
    (True, "query", _rx(r"(?:^|&)(?:p|id|story_?id|article_?id|news_?id|aid|nid|sid|docid|contentid|itemid)="
                        r"\d+(?:&|$)")),
    # The home page, or an edition's (/en/, /uk).
    (False, "path", _rx(r"^/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?$")),
    # A front page file at the root or one section down.
    (False, "path", _rx(r"^(?:/[^/]+)?/(?:index|default|home|main)\.[a-z]+$")),
    # Author pages: /author/jane-doe/, /by/jane-doe, /people/jane-doe, /@jane.
    (False, "path", _rx(rf"^/{_LANG}(?:authors?|by|people|contributors?|profiles?|staff|writers?|columnists?"
                        r"|journalists?|team|user|users)(?:/[^/]+)?/?$"
                        r"|^/@[^/]+/?$|/(?:authors?|contributors?)/[^/]+/?$")),
    # Tag and category listings, at any depth.
    (False, "path", _rx(r"(?:^|/)(?:tags?|categor(?:y|ies)|labels?|keywords?|hashtags?|schlagworte?)/")),
    # Topic and section index pages: the word and at most one name after it.
    (False, "path", _rx(r"(?:^|/)(?:topics?|sections?|subjects?|themes?|series|hubs?|collections?|dossiers?"
                        r"|focus|region|location|themen?)(?:/[^/]+)?/?$")),
    # Date archives: /2024/, /2024/05/, /2024/may/17/, /archive/, with an index file or not.
    (False, "path", _rx(rf"(?:^|/)(?:archives?/)?{_YEAR}(?:/{_MONTH}(?:/\d{{1,2}})?)?/?"
                        r"(?:(?:index|default)\.[a-z]+)?$|(?:^|/)archives?/?$")),
    # Service pages, as the last segment: login, account, subscriptions, about, legal, jobs.
    (False, "path", _rx(r"(?:^|/)(?:login|log-in|signin|sign-in|signup|sign-up|register|logout|account|my-account"
                        r"|subscribe|subscriptions?|newsletters?|about|about-us|contact|contact-us|privacy"
                        r"|privacy-policy|privacy-notice|cookies?|cookie-policy|terms|terms-of-service|terms-of-use"
                        r"|terms-and-conditions|tos|advertise|advertising|careers|jobs|legal|imprint|impressum"
                        r"|accessibility|help|faq|donate|corrections|masthead|ethics|mentions-legales|datenschutz)"
                        r"(?:\.[a-z]+)?/?$")),
    # Service sections, as the first segment, whatever follows.
    (False, "path", _rx(rf"^/{_LANG}(?:account|my-account|login|subscribe|subscriptions?|newsletters?|about|about-us"
                        r"|contact|careers|jobs|advertise|legal|help|shop|store|donate|settings|checkout)/")),
    # Media hubs with nothing after them.
    (False, "path", _rx(r"(?:^|/)(?:videos?|gallery|galleries|photos?|pictures|podcasts?|live|multimedia"
                        r"|interactives?|audio|watch|listen)/?$")),
    # A date then a slug: /2024/05/17/slug, /world/2024/may/17/slug, /2008/politics/11/04/slug/index.html.
    (True, "path", _rx(rf"(?:^|/){_YEAR}/(?:[a-z][a-z-]*/)?{_MONTH}/(?:\d{{1,2}}/)?[^/]*[a-z0-9][^/]*")),
    # A numeric id of five digits or more, alone or ending a slug.
    (True, "path", _rx(r"(?:^|[/_.-])\d{5,}(?:[/_.-]|$)")),
    # Single-item paths: /article/..., /story/..., /p/... with something after.
    (True, "path", _rx(r"(?:^|/)(?:articles?|story|stories|p|posts?|a)/[^/]+")),
    # /news/ and /blog/ are also section fronts (/news/world); the next segment must look like a slug.
    (True, "path", _rx(r"(?:^|/)(?:news|blogs?)/(?:[^/]+/)*[^/]*[-_\d][^/]*/?$")),
    # An old-style page file with a slug: words joined by - or _, or a number.
    (True, "path", _rx(r"/(?=[^/]*[a-z][^/]*\.[a-z]+\d?$)[^/]*[-_\d][^/]*\.(?:html?|shtml|php\d?|aspx?|cms|jsp|cfm)$")),
    # A long slug: three words or more joined by - or _, as the last segment.
    (True, "path", _rx(rf"(?:^|/){_WORD}(?:[-_]{_WORD}){{2,}}(?:\.[a-z]+)?/?$")),
)


def looks_like_article(url: str) -> bool:
    """Say whether a URL looks like an article rather than a listing, a hub or a service page.

    Ordered rules decide (first match wins): exclusions for the site root, static files, feeds,
    search, pagination, author, tag, category, topic and archive pages, service pages and media hubs;
    then the signs of an article: a date then a slug, a numeric id, ``/article/`` or ``/story/`` with
    something after, a page file with a slug, a slug of three words or more. No sign: not an article.
    Relative URLs are judged by their path. Nothing here raises.

    Examples
    --------
    >>> looks_like_article("https://a.example/2024/05/17/mayor-resigns")
    True
    >>> looks_like_article("https://a.example/author/jane-doe/")
    False
    """
    parts = _url_parts(url)
    if parts is None or len(parts["path"]) + len(parts["query"]) > _MAX_URL_CHARS:
        return False
    for verdict, part, pattern in _ARTICLE_RULES:
        if pattern.search(parts[part]):
            return verdict
    return False


def _url_parts(url: str) -> dict[str, str] | None:
    """Return the lower-cased path and query of an http(s) or relative URL, or None for other schemes."""
    try:
        split = urlsplit(str(url).strip())
    except ValueError:
        return None
    if split.scheme and split.scheme.lower() not in ("http", "https"):
        return None
    return {"path": split.path.lower(), "query": split.query.lower()}
