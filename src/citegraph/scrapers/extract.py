"""From one page to an Article and its citations: body links, mentions, syndication.

The page is parsed once with lxml. ``extract_article`` is a pure function of ``(html, url)`` and
the registry, so it runs the same in a process pool or a Spark job.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..models import Article, Citation
from ..outlets import default_registry, parse_url
from .body import (BOILERPLATE_ATTRS, EMBED_TAG, MAYBE_BOILERPLATE, Survey, find_body, is_boilerplate,
                   parse_html, remove_junk, settle_frames, text_content)
from .mentions import cue_languages, find_dateline, find_mentions, find_syndication, name_index, sentence_at
from .metadata import page_meta
from .profiles import default_profiles

__all__ = ["ExtractOptions", "ScraperError", "extract_article", "cited_urls", "is_share_link", "SHARE_RULES",
           "PROMO_RULES", "STOCK_PHOTO_OUTLETS"]

# Share buttons and intents: (host regex, path regex). Ordered data; never citations.
SHARE_RULES = (
    (r"(^|\.)facebook\.com$", r"^/(sharer|share\.php|dialog/(share|feed|send)|plugins/)"),
    (r"(^|\.)(twitter|x)\.com$", r"^/(intent/|share|home/?(\?|$))"),
    (r"(^|\.)linkedin\.com$", r"^/(sharearticle|sharing/|cws/share|shareArticle)"),
    (r"(^|\.)pinterest\.[a-z.]+$", r"^/pin/(create|find)"),
    (r"(^|\.)reddit\.com$", r"^/submit"),
    (r"(^|\.)whatsapp\.com$", r"^/send"),
    (r"^wa\.me$", r""),
    (r"^(t|telegram)\.me$", r"^/share"),
    (r"(^|\.)tumblr\.com$", r"^/(share|widgets/share)"),
    (r"(^|\.)getpocket\.com$", r"^/(save|edit)"),
    (r"(^|\.)flipboard\.com$", r"^/bookmarklet"),
    (r"^news\.ycombinator\.com$", r"^/submitlink"),
    (r"(^|\.)(vk\.com|vkontakte\.ru)$", r"^/share\.php"),
    (r"(^|\.)ok\.ru$", r"^/(offer|dk)"),
    (r"^plus\.google\.com$", r"^/share"),
    (r"(^|\.)(addthis|sharethis|addtoany)\.com$", r""),
    (r"(^|\.)line\.me$", r"^/(r/msg|R/msg|share)"),
    (r"^service\.weibo\.com$", r"^/share"),
    (r"(^|\.)po\.st$", r""),
    (r"(^|\.)youtube\.com$", r".*[?&]sub_confirmation=1"),
    # sign-in, sign-up and subscribe actions on any site (Medium's "Follow" buttons, paywall links)
    (r".", r"^/(m/)?(signin|sign-in|login|log-in|signup|sign-up|register|subscribe)([/?]|$)"),
)
_SHARE_RX = tuple((re.compile(h, re.I), re.compile(p, re.I)) for h, p in SHARE_RULES if h != ".")
# One search over the (short) host tells whether a host rule can apply: most links go to no share host.
_SHARE_HOSTS = re.compile("|".join(f"(?:{h})" for h, _p in SHARE_RULES if h != "."), re.I)
_ANY_HOST_RX = re.compile("|".join(f"(?:{p})" for h, p in SHARE_RULES if h == ".") or "(?!)", re.I)

# Sentences whose links are the page's own promotion, not sources: calls to follow, reach or subscribe,
# app and newsletter pitches, "Also:"/"Read more:" teasers. Ordered data, matched against the link's
# sentence (clean text); one match makes every link of that sentence a non-citation.
PROMO_RULES = (
    r"^\W*(?:please )?(?:follow (?:us|me|him|her|them|our|@|(?-i:[A-Z]))|(?:like|find|join|connect with) (?:us|our)\b)",
    r"\bfollow (?:us|him|her|me|them)\b",
    r"^\W*(?:reach|email|e-mail|contact|write to|message|tweet) (?:the )?(?:reporters?|writers?|authors?|editors?|"
    r"us|him|her|them|(?-i:[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3})) (?:at|on|via|by)\b",
    r"(?:^|[.!?]\s+)\W*(?:subscribe|sign up|get a subscription|click here|tap here|download (?:the|our)|"
    r"get (?:the|our) [\w .'’-]{0,40}\bapp\b|get [\w .'’-]{1,40} delivered)\b",
    r"\b(?:our|a) sister (?:title|publication|site|magazine|brand|newspaper)s?\b",
    r"\b(?:sign up for|subscribe to) (?:our|the|a) [\w .'’-]{0,40}(?:newsletter|channel|podcast|feed)\b",
)
# Related-story teasers inside the article ("Read more: ...", "Also: ..."): kept, with position "related",
# which the graph leaves out unless asked (--related).
TEASER_RULES = (
    r"^\W*(?:also|related|read more|read also|see also|more|recommended|don['’]t miss|must read|trending|"
    r"sponsored|advertisement|promoted|watch|listen|more from [\w .'’-]{1,30})\s*[:|»>]",
)
_TEASER_RX = re.compile("|".join(f"(?:{r})" for r in TEASER_RULES), re.I)
_PROMO_RX = re.compile("|".join(f"(?:{r})" for r in PROMO_RULES), re.I)
# Credits of stock-photo agencies: where a picture was licensed, never a source of the story.
STOCK_PHOTO_OUTLETS = frozenset({
    "gettyimages.com", "shutterstock.com", "istockphoto.com", "alamy.com", "depositphotos.com", "unsplash.com",
    "pexels.com", "pixabay.com", "dreamstime.com", "123rf.com", "stock.adobe.com", "agefotostock.com",
})
_CREDIT_RX = re.compile(r"^\W*(?:(?:top|lead|header|cover|featured) )?(?:image|photo|picture|pic|video|graphic|"
                        r"illustration|photograph|footage)s?(?: credit)?s?\s*(?:via|by|:|courtesy|©|source)|"
                        r"\b(?:credit|source|courtesy(?: of)?)\s*:", re.I)

_BLOCKS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
    "td", "th", "tr", "table", "figure", "figcaption", "caption", "section", "article", "pre", "br", "hr",
    "header", "main", "address", "center", EMBED_TAG,
})
# Tags that change where a link sits: quotes (or embeds, by their class) and captions.
_MARKS = {"blockquote": "quote", "q": "quote", "figcaption": "caption", "caption": "caption", EMBED_TAG: "embed"}
_EMBED_RX = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|fb-post|embed|reddit-card|bluesky", re.I)


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Settings of one extraction. ``registry`` defaults to the shipped outlet registry."""

    registry: object = None
    context_chars: int = 300
    max_links: int = 5000
    mentions: bool = True
    syndication: bool = True
    # Keep link URLs as written (resolved, not normalised): for scoring against labels of raw hrefs.
    raw_urls: bool = False
    # Embedded players (YouTube, Vimeo, ... iframes) as citations of the platform, position "embed".
    players: bool = True
    # Per-outlet rules and scrapers (scrapers.profiles.Profiles); the shipped profiles by default.
    profiles: object = None


class ScraperError(RuntimeError):
    """A user's scraper function failed on a page."""


# The first words and the words that the promotion and teaser rules need: a sentence with none of them
# is neither (a plain string test, many times cheaper than the rules; a test keeps them in step).
_START_WORDS = ("follow", "please", "like", "find", "join", "connect", "reach", "email", "e-mail", "contact",
                "write", "message", "tweet", "subscribe", "sign", "get", "click", "tap", "download", "also",
                "related", "read", "see", "more", "recommended", "don", "must", "trending", "sponsored",
                "advertisement", "promoted", "watch", "listen")
_ANY_WORDS = ("follow ", "sister ", "subscri", "sign up", "click here", "tap here", "download ", "get ")
_LEAD = " \t\n\"'“‘(*-–—•·|»>[:"


def _link_role(sentence: str) -> str:
    """"promo" for a sentence that promotes the page's own channels, "related" for a related-story
    teaser, else ""."""
    low = sentence.lower()
    if not (low.lstrip(_LEAD).startswith(_START_WORDS) or any(w in low for w in _ANY_WORDS)):
        return ""
    if _PROMO_RX.search(sentence):
        return "promo"
    return "related" if _TEASER_RX.search(sentence) else ""


_URL_PARTS = re.compile(r"^https?://([^/?#]+)([^#]*)")
_SHARE_HOST_SEEN: dict[str, bool] = {}  # host -> whether a host rule names it (hosts repeat across pages)


def is_share_link(url: str) -> bool:
    """A share button or intent link (never a citation)."""
    m = _URL_PARTS.match(url)
    if not m:
        return False
    host, rest = m.group(1).lower(), m.group(2) or "/"
    if _ANY_HOST_RX.search(rest):
        return True
    share_host = _SHARE_HOST_SEEN.get(host)
    if share_host is None:
        if len(_SHARE_HOST_SEEN) > 50_000:
            _SHARE_HOST_SEEN.clear()
        share_host = _SHARE_HOST_SEEN[host] = bool(_SHARE_HOSTS.search(host))
    if not share_host:
        return False
    return any(hrx.search(host) and prx.search(rest) for hrx, prx in _SHARE_RX)


@dataclass(slots=True)
class _Block:
    text: str
    position: str
    chars: int = 0  # characters of text without the surrounding whitespace


def _walk(body, max_links: int):
    """One pass over the body: its text blocks, each link with its block and span, and the links cut
    by a block boundary. Boilerplate inside the body (``is_boilerplate``: share bars, related boxes,
    comments, link lists) is skipped on the way, its tail text kept."""
    blocks: list[_Block] = []
    links: list[tuple] = []
    parts: list[str] = []  # the text of the block being read
    size = 0  # its length so far: link offsets in O(1)
    depth = {"quote": 0, "caption": 0, "embed": 0}
    open_links: list[list] = []
    crossed: set = set()  # links whose text runs over a block boundary (<a><p>..</p></a>)
    blocks_set, marks = _BLOCKS, _MARKS
    maybe, marks_free = MAYBE_BOILERPLATE, BOILERPLATE_ATTRS

    def position():
        if depth["embed"]:
            return "embed"
        if depth["caption"]:
            return "caption"
        if depth["quote"]:
            return "quote"
        return "body"

    here = "body"  # position() as of the last quote, caption or embed that opened or closed

    def close_block():
        nonlocal parts, size
        # A block boundary inside a link (<a><p>..</p></a>): the link ends where its block ends.
        while open_links:
            a, start, pos = open_links.pop()
            links.append((a, len(blocks), start, size, pos))
            crossed.add(a)
        if parts:
            # offsets of the links in this block stay valid: whitespace is folded later, per sentence
            text = "".join(parts)
            blocks.append(_Block(text, here, len(text.strip())))
            parts, size = [], 0

    def mark(el):
        kind = marks[el.tag]
        if kind == "quote" and _EMBED_RX.search(el.get("class") or ""):  # a tweet or post embed
            return "embed"
        return kind

    walk = etree.iterwalk(body, events=("start", "end"))
    skipped = None  # the boilerplate element being skipped: only its tail is read
    for event, el in walk:
        tag = el.tag
        if event == "start":
            # without a class, id, style or hidden attribute an element is boilerplate only by its tag
            if (tag in maybe or not marks_free.isdisjoint(el.keys())) and el is not body and is_boilerplate(el):
                walk.skip_subtree()
                skipped = el
                continue
            if tag in blocks_set:
                if parts or open_links:
                    close_block()
            if tag in marks:
                depth[mark(el)] += 1
                here = position()
            if tag == "a" and len(links) + len(open_links) < max_links:
                open_links.append([el, size, here])
            text = el.text  # each read of .text makes a new string: read it once
            if text:
                parts.append(text)
                size += len(text)
        else:
            if el is skipped:
                skipped = None
                tail = el.tail
                if tail:
                    parts.append(tail)
                    size += len(tail)
                continue
            if tag == "a" and open_links and open_links[-1][0] is el:
                a, start, pos = open_links.pop()
                links.append((a, len(blocks), start, size, pos))
            if tag in marks:
                depth[mark(el)] -= 1
                here = position()
            if tag in blocks_set and (parts or open_links):
                close_block()
            tail = el.tail
            if tail:
                parts.append(tail)
                size += len(tail)
    close_block()
    return blocks, links, crossed


def _resolved(href: str, base: str) -> str:
    href = href.strip()
    if href.startswith(("https://", "http://")):  # already absolute: urljoin would give it back
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _clean(s: str) -> str:
    return " ".join(s.split())


def _context(blocks, index: int, start: int, end: int, limit: int) -> str:
    if index >= len(blocks):
        return ""
    text = blocks[index].text
    return _clean(sentence_at(text, start, end, limit * 2))[:limit]


def extract_article(html: str, url: str = "", *, registry=None, options: ExtractOptions | None = None,
                    fallback_url: str = "") -> Article:
    """The article of a page and the citations it makes.

    Parameters
    ----------
    html : str
        The page, decoded.
    url : str
        The page's URL; when empty, its canonical link or og:url is used, else ``fallback_url``.
    registry : Registry, optional
        Outlet registry for identities and names; the shipped one by default.

    Examples
    --------
    >>> page = '<html><body><article><p>As <a href="https://www.reuters.com/x">Reuters reported</a>, '
    ... 'and according to The New York Times, rain.</p></article></body></html>'
    >>> art = extract_article(page, "https://news.example/a")
    >>> sorted((c.kind, c.target_outlet) for c in art.citations)
    [('link', 'reuters.com'), ('mention', 'nytimes.com')]
    """
    opts = options or ExtractOptions()
    reg = registry or opts.registry or default_registry()
    doc = parse_html(html or "")
    meta = page_meta(doc, url)
    page_url = parse_url(url).url or _own_url(meta, reg) or parse_url(fallback_url).url
    canonical = parse_url(meta.canonical, page_url).url if meta.canonical else ""
    source = reg.outlet_of(page_url) if page_url else ""
    base_href = _base_href(doc)
    base = parse_url(base_href, page_url).url if base_href else page_url
    citations: list[Citation] = []
    seen: set = set()

    def add(c: Citation):
        key = (c.target_outlet, c.kind, c.target_url, c.context if not c.target_url else "")
        if c.target_outlet and key not in seen:
            seen.add(key)
            citations.append(c)

    profile = _profile_of(opts, page_url)
    body = None
    if profile is not None and profile.scraper is not None:
        got = _run_scraper(profile, html, page_url)
        if isinstance(got, list):  # the scraper's citations are the page's citations
            for item in got:
                add(_scraped_citation(item, page_url, source, base, reg, opts))
            return _article(page_url, canonical, source, meta, 0, citations)
        if got is not None:  # the scraper's body is the page from here on
            doc = parse_html(got)
            body = doc.find("body")
            body = doc if body is None else body
    remove_junk(doc)
    if body is None and profile is not None:
        profile.discard_from(doc)
        body = profile.body_of(doc)
    survey = Survey(doc)
    settle_frames(survey.frames, opts.players)
    if body is None:
        body = find_body(doc, survey)
    blocks, links, crossed = _walk(body, opts.max_links)

    # Cue lists: English, plus the page's own language when citegraph has cues for it.
    index = name_index(reg, languages=cue_languages(meta.language)) if (opts.mentions or opts.syndication) else None
    consumed: dict[int, list[tuple[int, int]]] = {}  # spans already cited: link anchors, syndication names
    credited: set = set()  # link elements that are a republication credit ("Via <a>X</a>")
    joined = _Joined(blocks, range(len(blocks)))  # the body's text in one string, for one search per rule
    if opts.syndication:
        for c, bi, start, end, a in _syndication(blocks, joined, links, base, canonical, page_url, source, reg,
                                                 index, opts):
            add(c)
            consumed.setdefault(bi, []).append((start, end))
            if a is not None:
                credited.add(a)
    cards = _link_cards(blocks, links)
    for a, bi, start, end, pos in links:
        consumed.setdefault(bi, []).append((start, end))
        href = a.get("href")
        if not href or a in credited or (bi in cards and pos != "embed"):
            continue
        parsed = parse_url(href, base or None)
        if not parsed.url or is_share_link(parsed.url):
            continue
        # the anchor as read by the walk (boilerplate inside it left out), unless a block boundary cut it
        anchor = _clean(text_content(a) if a in crossed or bi >= len(blocks) else blocks[bi].text[start:end])
        if not anchor:
            continue
        context = _context(blocks, bi, start, end, opts.context_chars)
        role = _link_role(context)
        if role == "promo":
            continue
        if role == "related":
            pos = "related"
        target = reg.outlet_of(parsed.url)
        if target in STOCK_PHOTO_OUTLETS and (pos == "caption" or _CREDIT_RX.search(context)):
            continue
        target_url = _resolved(href, base) if opts.raw_urls else parsed.url
        add(Citation(article_url=page_url, source_outlet=source, target_outlet=target,
                     kind="link", target_url=target_url, anchor_text=anchor[:300],
                     context=context, confidence=1.0, position=pos))
    if opts.mentions:
        # A name inside a link's anchor or a republication note is already cited, not a second time.
        for f in find_mentions(joined.text, index):
            bi, start, end = joined.locate(f.start, f.end)
            if bi < 0 or any(s < end and start < e for s, e in consumed.get(bi, ())):
                continue
            add(Citation(article_url=page_url, source_outlet=source, target_outlet=f.outlet_id,
                         kind="mention", anchor_text=_clean(f.name),
                         context=_context(blocks, bi, start, end, opts.context_chars),
                         confidence=f.confidence, position=blocks[bi].position))
    return _article(page_url, canonical, source, meta, sum(b.chars for b in blocks), citations)


def _article(page_url, canonical, source, meta, body_chars, citations) -> Article:
    return Article(url=page_url, canonical_url=canonical, outlet_id=source, title=meta.title[:500],
                   published_at=meta.published_at, authors=meta.authors, language=meta.language,
                   body_chars=body_chars, site_name=meta.site_name[:200], citations=tuple(citations))


_DEFAULT_PROFILES = None


def _profile_of(opts: ExtractOptions, page_url: str):
    """The profile of the page's host: the options' profiles, else the shipped ones."""
    global _DEFAULT_PROFILES
    profiles = opts.profiles
    if profiles is None:
        if _DEFAULT_PROFILES is None:
            _DEFAULT_PROFILES = default_profiles()
        profiles = _DEFAULT_PROFILES
    host = urlsplit(page_url).hostname if page_url else ""
    return profiles.for_host(host) if host else None


def _run_scraper(profile, html: str, page_url: str):
    """A user scraper's answer: HTML of the body (str), a list of citation items, or None."""
    from bs4 import BeautifulSoup, Tag

    try:
        got = profile.scraper(BeautifulSoup(html, "lxml"), page_url)
        if got is None or isinstance(got, str):
            return got
        if isinstance(got, Tag):
            return str(got)
        return list(got)
    except Exception as e:
        raise ScraperError(f"scraper {profile.scraper_name or profile.scraper!r} for {profile.domain} failed on "
                           f"{page_url}: {type(e).__name__}: {e}") from e


def _scraped_citation(item, page_url, source, base, reg, opts) -> Citation:
    """A Citation from what a scraper returned: a Citation, a URL, or a dict with 'url'."""
    if isinstance(item, Citation):
        return item
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict) or not isinstance(item.get("url"), str):
        raise ScraperError(f"a scraper returned {item!r} for {page_url}: expected a URL, a dict with 'url' "
                           "or a Citation")
    parsed = parse_url(item["url"], base or None)
    kind = item.get("kind", "link")
    if kind not in ("link", "mention", "syndication"):
        raise ScraperError(f"a scraper returned kind {kind!r} for {page_url}: expected link, mention or syndication")
    target_url = _resolved(item["url"], base) if opts.raw_urls else parsed.url
    return Citation(article_url=page_url, source_outlet=source, target_outlet=reg.outlet_of(parsed.url) if parsed.url else "",
                    kind=kind, target_url=target_url, anchor_text=_clean(str(item.get("anchor_text", "")))[:300],
                    context=_clean(str(item.get("context", "")))[:opts.context_chars], confidence=1.0,
                    position=item.get("position", "body"))


def _base_href(doc) -> str:
    """The page's <base href>, which sits in its <head> (a child lookup, not a search of the page)."""
    head = doc.find("head")
    base = head.find("base") if head is not None else None
    if base is None or not base.get("href"):
        return ""
    return base.get("href").strip()


def _own_url(meta, reg) -> str:
    """The page's own URL from its metadata. A republished page may point its canonical link at the
    original on another outlet while its og:url stays its own: then og:url is the page."""
    canonical = parse_url(meta.canonical).url
    og = parse_url(meta.og_url).url
    if canonical and og and reg.outlet_of(canonical) != reg.outlet_of(og):
        return og
    return canonical or og


def _syndication(blocks, joined, links, base, canonical, page_url, source, reg, index, opts):
    """Republication: a canonical URL on another outlet, a wire dateline, a note in the end-matter.

    Yields (citation, block index, start, end, link element or None): the span of the outlet's name in its
    block, and the link that names the original when the note is a link."""
    if canonical and page_url:
        target = reg.outlet_of(canonical)
        if target and target != source:
            yield (Citation(article_url=page_url, source_outlet=source, target_outlet=target,
                            kind="syndication", target_url=canonical, anchor_text="",
                            context="canonical URL of the page", confidence=0.9, position="metadata"), -1, 0, 0, None)
    texts = [(i, b) for i, b in enumerate(blocks) if b.chars]
    for first_i, first in texts[:2]:  # the dateline opens the story; a byline block may come before it
        lead = len(first.text) - len(first.text.lstrip())
        f = find_dateline(first.text[lead:], index)
        if f:
            yield (Citation(article_url=page_url, source_outlet=source, target_outlet=f.outlet_id,
                            kind="syndication", anchor_text=_clean(f.name),
                            context=_clean(sentence_at(first.text[lead:], f.start, f.end, opts.context_chars)),
                            confidence=f.confidence, position="body"), first_i, lead + f.start, lead + f.end, None)
            break
    # End-matter: the last few blocks, and every block after the last paragraph of prose.
    bounds = _prose_bounds(blocks)
    last_prose = bounds[1] if bounds else len(blocks)
    tail = {i for i, _ in texts[-4:]} | {i for i, _ in texts if i > last_prose}
    links_by_block: dict[int, list] = {}
    for a, bi, _s, _e, _p in links:
        links_by_block.setdefault(bi, []).append(a)
    # The strong notes count anywhere, the loose ones ("via", "©") in the end-matter: one search each over
    # the joined text of the blocks (far cheaper than one per block).
    found_in: set[int] = set()
    for where, end_matter in ((joined, False),
                              (_Joined(blocks, sorted(tail)), True)):
        for f in find_syndication(where.text, index, end_matter=end_matter):
            i, start, end = where.locate(f.start, f.end)
            if i < 0:
                continue
            found_in.add(i)
            yield (Citation(article_url=page_url, source_outlet=source, target_outlet=f.outlet_id,
                            kind="syndication", anchor_text=_clean(f.name),
                            context=_context(blocks, i, start, end, opts.context_chars),
                            confidence=f.confidence, position="body"), i, start, end, None)
    for i in sorted(tail - found_in):
        block = blocks[i]
        if links_by_block.get(i) and (find_syndication_cue(block.text) or _CREDIT_LINE.match(block.text)):
            # "This article first appeared on <a href=...>a site we do not know by name</a>"
            for a in links_by_block[i]:
                target_url = parse_url(a.get("href") or "", base or None).url
                target = reg.outlet_of(target_url) if target_url else ""
                if target and target != source:
                    yield (Citation(article_url=page_url, source_outlet=source, target_outlet=target,
                                    kind="syndication", target_url=target_url, anchor_text=_clean(text_content(a)),
                                    context=_clean(block.text)[:opts.context_chars], confidence=0.85,
                                    position="body"), i, 0, 0, None if find_syndication_cue(block.text) else a)
                    break


class _Joined:
    """The texts of some blocks joined by blank lines, to search them in one pass; ``locate`` maps a span
    of the joined text back to (block index, start, end), or block -1 for a span across blocks."""

    SEP = "\n\n"

    def __init__(self, blocks, indexes):
        self.indexes = list(indexes)
        self.starts: list[int] = []
        pos = 0
        for i in self.indexes:
            self.starts.append(pos)
            pos += len(blocks[i].text) + len(self.SEP)
        self.lengths = [len(blocks[i].text) for i in self.indexes]
        self.text = self.SEP.join(blocks[i].text for i in self.indexes)

    def locate(self, start: int, end: int) -> tuple[int, int, int]:
        k = bisect_right(self.starts, start) - 1
        if k < 0:
            return -1, 0, 0
        s, e = start - self.starts[k], end - self.starts[k]
        if e > self.lengths[k]:
            return -1, 0, 0
        return self.indexes[k], s, e


_SYND_CUE_ONLY = re.compile(
    r"original source of this|(?:first|originally) (?:appeared|published|posted)|republished (?:with|from|by)|"
    r"reprinted (?:with|from)|\b(?:view|read|see) (?:the )?original (?:article|story|post|report)", re.I)


# A short end line that credits where the text came from: "Via SyndiGate.info", "Source: <a>X</a>".
_CREDIT_LINE = re.compile(r"^\W*(?:via|source|courtesy of|distributed by|provided by)\b\W*\S.{0,60}$", re.I | re.S)
_PUNCT = re.compile(r"[\W_]+")


_PROSE_CHARS = 150  # a block this long is a paragraph of the story, not furniture


def _prose_bounds(blocks) -> tuple[int, int] | None:
    """The indexes of the first and last paragraphs of prose, or None when there are none."""
    prose = [i for i, b in enumerate(blocks) if b.chars >= _PROSE_CHARS]
    return (prose[0], prose[-1]) if prose else None


def _link_cards(blocks, links) -> set[int]:
    """Blocks before the first or after the last paragraph of prose that are nothing but links: bylines,
    provider logos, author cards, "more from" teasers. Their links are the page's furniture, not the
    article's sources."""
    bounds = _prose_bounds(blocks)
    if bounds is None:
        return set()
    first, last = bounds
    linked: dict[int, int] = {}
    for _a, bi, start, end, _pos in links:
        if (bi < first or last < bi) and bi < len(blocks):
            linked[bi] = linked.get(bi, 0) + len(_PUNCT.sub("", blocks[bi].text[start:end]))
    # a republication pointer ("View original article on Reuters") is a citation, whatever it looks like
    return {bi for bi, chars in linked.items() if chars >= len(_PUNCT.sub("", blocks[bi].text))
            and not find_syndication_cue(blocks[bi].text)}


def find_syndication_cue(text: str) -> bool:
    """Whether ``text`` reads like a republication note."""
    return bool(_SYND_CUE_ONLY.search(text))


def cited_urls(html: str, url: str, *, raw: bool = True, players: bool = True) -> list[str]:
    """The URLs the body links of a page point to, as written (``raw``) or normalised; related-story
    teasers left out, embedded players (iframes) in unless ``players`` is false."""
    opts = ExtractOptions(mentions=False, syndication=False, raw_urls=raw, players=players)
    return [c.target_url for c in extract_article(html, url, options=opts).citations
            if c.kind == "link" and c.position != "related"]
