"""Find the article body in a parsed page, fast, and strip what is not the article.

The rules are ordered data: selectors tried first (schema.org, semantic tags, the class names that
publishing systems use), then a paragraph-scoring fallback in the spirit of readability. The page is
parsed once with lxml; boilerplate inside the body (share bars, related boxes, newsletters, comments)
is dropped from the tree in place.
"""
from __future__ import annotations

import re

from lxml import etree

__all__ = ["parse_html", "find_body", "Survey", "settle_frames", "is_boilerplate", "text_content", "drop", "BODY_SELECTORS"]

# Plain etree elements: lxml.html's element classes cost a Python lookup for every element touched.
# No id index (collect_ids): nothing looks elements up by id, and building it costs 5% of the parse.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
_PARSER_UTF8 = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8")

# Elements that never hold article text.
# (iframes are settled by ``settle_frames``: a player is a citation, any other frame is junk)
_JUNK_TAGS = ("script", "style", "noscript", "template", "button", "select", "input", "textarea",
              "object", "embed", "canvas", "map", "dialog", "head")
# Elements that are boilerplate wherever they sit.
_BOILER_TAGS = ("nav", "aside", "footer", "form", "menu")

# Ordered: the first rule that finds an element with enough text wins. Earlier rules are more specific.
# Each rule is (attribute, value): a tag name, an exact attribute value, or one class token.
BODY_SELECTORS = (
    ("itemprop", "articleBody"),
    ("data-component-parent", "text-block"),  # the parent of BBC-style text blocks
    ("class", "entry-content"),
    ("class", "post-content"),
    ("class", "article-body"),
    ("class", "article__body"),
    ("class", "articleBody"),
    ("class", "story-body"),
    ("class", "storybody"),
    ("class", "post-body"),
    ("class", "article-content"),
    ("tag", "article"),
    ("role", "main"),
    ("tag", "main"),
)
_RULE_RANK = {rule: rank for rank, rule in enumerate(BODY_SELECTORS)}
# Every class rule contains "ody" or "content" (a test checks it): other class values are skipped unsplit.
_CLASS_RULES = {value for attr, value in BODY_SELECTORS if attr == "class"}


# class/id words that mark boilerplate inside a body. Matched against class and id tokens.
_BOILER_RX = re.compile(
    r"(^|[-_ ])("
    r"share|sharing|social|sociable|addthis|sharethis|"
    r"related|recommend|recommended|more-?stories|read-?more|most-?(read|popular)|trending|"
    r"newsletter|subscribe|subscription|signup|sign-up|promo|advert|advertisement|ads?|adslot|sponsor|"
    r"comment|comments|disqus|respond|reply|"
    r"sidebar|side-bar|widget|breadcrumbs?|pagination|pager|"
    r"tags?|tag-?list|topics|categories|author-?bio|about-?the-?author|byline|"
    r"footer|masthead|navigation|nav|menu|toolbar|"
    r"outbrain|taboola|zergnet|revcontent|paywall-?promo|inline-?promo|print-?only|hidden|visually-?hidden|"
    r"skip-?link|cookie|consent|modal|popup|overlay"
    r")($|[-_ ])",
    re.I,
)
# Inline styles that hide an element: hidden link farms and screen-reader copies are not the article.
_HIDDEN_RX = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|(?:left|top|text-indent)\s*:\s*-\d{3,}", re.I)
# A body-part name with a boilerplate part ("post-meta", "entry-footer", "article-share"): boilerplate even
# though it says "post" or "article".
_PART_BOILER_RX = re.compile(
    r"(?:^|\s)(?:post|entry|article|story|content|body)[-_]+(?:meta|byline|author|authors|info|tags|share|sharing|"
    r"social|related|footer|comments?|newsletter|subscribe|promo|ads?)(?:\s|$)", re.I)
# "View original article on Reuters" in a read-more box: a republication pointer, kept.
_ORIGINAL_RX = re.compile(r"\b(?:view|read|see)\b.{0,20}\boriginal (?:article|story|post|report)\b", re.I)
_KEEP_RX = re.compile(r"(^|[-_ ])(article|body|content|entry|story|post|main|text)($|[-_ ])", re.I)


def parse_html(html: str | bytes):
    """The lxml document of ``html``; an empty document for markup lxml cannot read.

    libxml2 drops what lies deeper than its nesting limit; pages nested that deep (thousands of
    wrapper tags) are read again with the runs of wrappers collapsed, so their text is not lost."""
    doc = _parse(html)
    if doc is not None and _too_deep(_PARSER) and isinstance(html, str):
        doc = _parse(_collapse_runs(html)) if len(html) <= 50_000_000 else doc
    if doc is None:
        doc = etree.fromstring("<html><body></body></html>", _PARSER)
    return doc


def _parse(html):
    try:
        return etree.fromstring(html, _PARSER) if html else None
    except ValueError:  # a str carrying an XML encoding declaration
        return etree.fromstring(html.encode("utf8"), _PARSER_UTF8)
    except etree.XMLSyntaxError:
        return None


def _too_deep(parser) -> bool:
    return any("Excessive depth" in e.message for e in parser.error_log)


_OPEN_RUN = re.compile(r"(?:<(div|span|section|p|table|tr|td|ul|li|font|b|i|blockquote)\b[^>]*>\s*){64,}", re.I)
_CLOSE_RUN = re.compile(r"(?:</(div|span|section|p|table|tr|td|ul|li|font|b|i|blockquote)\s*>\s*){64,}", re.I)


def _collapse_runs(html: str) -> str:
    """``html`` with each run of 64 or more wrapper tags in a row cut to one."""
    html = _OPEN_RUN.sub(lambda m: f"<{m.group(1)}>", html)
    return _CLOSE_RUN.sub(lambda m: f"</{m.group(1)}>", html)


def text_content(el) -> str:
    """All the text under ``el`` (comments were dropped at parse time)."""
    # libxml2's text serialiser: the same string as joining itertext(), three times faster
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _para_chars(el, known: dict | None = None) -> int:
    """Characters of paragraph-like text (p, blockquote, pre, headings) under ``el``; ``known`` holds
    the lengths already measured, by element."""
    known = known or {}
    return sum(known[p] if p in known else len(text_content(p)) for p in el.iter("p", "blockquote", "pre", "h2", "h3"))


def _link_density(el) -> float:
    total = len(text_content(el)) or 1
    linked = sum(len(text_content(a)) for a in el.iter("a"))
    return linked / total


def drop(el) -> None:
    """Remove ``el`` from its tree, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = _xml_safe((prev.tail or "") + el.tail)
        else:
            parent.text = _xml_safe((parent.text or "") + el.tail)
    parent.remove(el)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """``text`` without the control characters lxml refuses in a text or tail it is given (the HTML
    parser lets them through from the page)."""
    return _CONTROL.sub("", text)


# Players and post embeds whose source is a citation of the platform (account): kept as a link.
_EMBED_SRC = re.compile(
    r"^(?:https?:)?//(?:www\.)?(?:youtube(?:-nocookie)?\.com/embed/|player\.vimeo\.com/video/|"
    r"dailymotion\.com/embed/|rumble\.com/embed/|bitchute\.com/embed/|odysee\.com/\$/embed/|"
    r"open\.spotify\.com/embed/|w\.soundcloud\.com/player/|facebook\.com/plugins/(?:video|post)\.php|"
    r"instagram\.com/(?:p|reel)/|tiktok\.com/embed/|platform\.twitter\.com/embed/)", re.I)
EMBED_TAG = "cg-embed"  # the element an embedded player becomes: its position is "embed"


def settle_frames(frames, players: bool = True) -> None:
    """Turn embedded players (<iframe src=youtube.com/embed/...>) into links inside an ``cg-embed``
    element, so that they cite the platform; drop every other frame (and players when ``players`` is
    false), keeping its tail text."""
    for frame in frames:
        src = (frame.get("src") or frame.get("data-src") or "").strip()
        if not players or not _EMBED_SRC.match(src):
            drop(frame)
            continue
        wrapper = etree.Element(EMBED_TAG)
        # what came from the page may hold control characters, which lxml refuses in values it is given
        link = etree.SubElement(wrapper, "a", href=_xml_safe(src))
        link.text = _xml_safe(" ".join((frame.get("title") or "embedded media").split()))[:200]
        wrapper.tail = _xml_safe(frame.tail) if frame.tail else None
        frame.getparent().replace(frame, wrapper)


def remove_junk(doc) -> None:
    """Drop scripts, styles and form controls: never article text (comments went at parse time)."""
    etree.strip_elements(doc, *_JUNK_TAGS, with_tail=False)


def _score_candidates(paragraphs, lengths: dict | None = None):
    """Readability-style paragraph scores: each paragraph (p, pre, td, blockquote) credits its parent
    and, half, its grandparent. The text length of each paragraph read goes into ``lengths``."""
    scores: dict = {}
    lengths = {} if lengths is None else lengths
    for p in paragraphs:
        text = text_content(p)
        lengths[p] = len(text)
        n = len(text.strip())
        if n < 25:
            continue
        score = 1 + text.count(",") + min(n // 100, 3)
        parent = p.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + score / 2
    # The final score is the raw score times (1 - link density) <= the raw score: visiting candidates by
    # raw score, stop once no raw score can beat the best final one (link density is the costly part).
    best, best_score = None, 0.0
    for el, s in sorted(scores.items(), key=lambda kv: -kv[1]):
        if s <= best_score:
            break
        s *= 1 - _link_density(el)
        if s > best_score:
            best, best_score = el, s
    return best


# Attribute rules other than class: (attribute, value, rule, whether the rule names the parent).
_ATTR_RULES = tuple((attr.removesuffix("-parent"), value, (attr, value), attr.endswith("-parent"))
                    for attr, value in BODY_SELECTORS if attr not in ("class", "tag"))
_ATTR_NAMES = frozenset(attr for attr, _v, _r, _p in _ATTR_RULES)
# Tags that hold an article's text; leaves (a, li, img, p, script, ...) are most of a page and are skipped.
_CONTAINERS = ("article", "main", "div", "section", "td")


def _body_candidates(containers) -> dict[int, list]:
    """Elements that match a body rule, by the rule's rank, among the page's containers."""
    found: dict[int, list] = {}
    class_rules, attr_names = _CLASS_RULES, _ATTR_NAMES
    for el in containers:
        tag = el.tag
        if tag == "article" or tag == "main":
            found.setdefault(_RULE_RANK[("tag", tag)], []).append(el)
        names = el.keys()  # one call for the attribute names, then plain list tests
        if not names:
            continue
        classes = el.get("class") if "class" in names else None
        if classes and ("ody" in classes or "content" in classes):  # a cheap test before the split
            for token in classes.split():
                if token in class_rules:
                    found.setdefault(_RULE_RANK[("class", token)], []).append(el)
        if attr_names.isdisjoint(names):
            continue
        for attr, value, rule, parent in _ATTR_RULES:
            if el.get(attr) == value:
                target = el.getparent() if parent else el
                if target is not None:
                    found.setdefault(_RULE_RANK[rule], []).append(target)
    return found


_PARAS = frozenset({"p", "pre", "td", "blockquote"})
_SURVEYED = ("p", "pre", "td", "blockquote", "iframe") + _CONTAINERS


class Survey:
    """What the body search needs from a page, gathered in one pass over it (each full pass over a
    tree costs about a tenth of parsing it): paragraphs to score, containers that body rules may
    match, and frames."""

    __slots__ = ("paragraphs", "containers", "frames")

    def __init__(self, root):
        self.paragraphs: list = []
        self.containers: list = []
        self.frames: list = []
        paras, containers = self.paragraphs, self.containers
        for el in root.iter(*_SURVEYED):
            tag = el.tag
            if tag in _PARAS:
                paras.append(el)
                if tag == "td":
                    containers.append(el)
            elif tag == "iframe":
                self.frames.append(el)
            else:
                containers.append(el)


def find_body(doc, survey: Survey | None = None):
    """The element that holds the article text, or the page's <body> when nothing better is found.
    ``survey``: the page's survey, when the caller has made it."""
    survey = survey or Survey(doc)
    lengths: dict = {}
    fallback = _score_candidates(survey.paragraphs, lengths)
    fallback_chars = _para_chars(fallback, lengths) if fallback is not None else 0
    candidates = _body_candidates(survey.containers)
    for rank in sorted(candidates):
        # Several matches (e.g. one <article> per teaser): keep the one with the most paragraph text.
        measured = [(_para_chars(c, lengths), c) for c in dict.fromkeys(candidates[rank])]
        chars, el = max(enumerate(measured), key=lambda t: (t[1][0], -t[0]))[1]
        stream = _stream_of(el, measured)
        if stream is not None and _para_chars(stream, lengths) >= 0.5 * fallback_chars:
            return stream
        if chars >= 200 and chars >= 0.5 * fallback_chars:
            joined = _joined_sections(el, survey.containers, lengths)
            return el if joined is None else joined
    if fallback is not None:
        joined = _joined_sections(fallback, survey.containers, lengths)
        return fallback if joined is None else joined
    body = doc.find("body")
    return body if body is not None else doc


def _joined_sections(best, containers, lengths):
    """When the article is split into sections of the same kind (the same class attribute as ``best``,
    text between them: ads, pull quotes), the element that holds them all, else None. Guarded so that
    it holds little else and one headline: infinite-scroll pages put whole articles side by side."""
    classes = best.get("class")
    if not classes or best.tag in ("article", "main"):  # an <article> is a whole story, not a section of one
        return None
    kind = sorted(classes.split())
    sections = [c for c in containers if c is not best and _same_classes(c.get("class"), classes, kind)
                and _para_chars(c, lengths) >= 200 and not _inside(c, best) and not _inside(best, c)]
    if not sections:
        return None
    common = best
    for c in sections:
        common = _common_ancestor(common, c)
        if common is None or common.tag in ("body", "html"):
            return None
    total = _para_chars(best, lengths) + sum(_para_chars(c, lengths) for c in sections)
    if _para_chars(common, lengths) > 1.25 * total or sum(1 for _ in common.iter("h1")) > 1:
        return None
    for c in (best, *sections):  # the walk skips boilerplate: no section may sit inside any
        for up in c.iterancestors():
            if up is common:
                break
            if is_boilerplate(up):
                return None
    return common


def _same_classes(value: str | None, classes: str, kind: list[str]) -> bool:
    """Whether a class attribute names the same classes (in any order) as ``classes``."""
    return bool(value) and (value == classes or sorted(value.split()) == kind)


def _inside(el, other) -> bool:
    return any(up is other for up in el.iterancestors())


def _common_ancestor(a, b):
    ups = {id(x): x for x in (a, *a.iterancestors())}
    for x in (b, *b.iterancestors()):
        if id(x) in ups:
            return x
    return None


# A live blog: posts, each an element the body rules match, side by side in one list.
_STREAM_MIN_POSTS, _STREAM_MIN_CHARS, _STREAM_MAX_CHARS = 3, 80, 2500


def _stream_of(best, measured):
    """The list that holds ``best`` and its sibling posts when the page is a stream of short posts (a
    live blog), else None. Posts share a parent or grandparent; each holds some prose and none is a
    whole article (infinite-scroll pages append full articles side by side: those are not a stream)."""
    for up in (best.getparent(), best.getparent().getparent() if best.getparent() is not None else None):
        if up is None or up.tag in ("body", "html"):
            return None
        posts = [(chars, c) for chars, c in measured if c.getparent() is up or c.getparent() is not None
                 and c.getparent().getparent() is up]
        if len(posts) >= _STREAM_MIN_POSTS and all(_STREAM_MIN_CHARS <= chars <= _STREAM_MAX_CHARS
                                                   for chars, _c in posts) \
                and not any(is_boilerplate(x) for x in (up, *(c for _chars, c in posts))):  # a comment thread
            return up
    return None


_TOKEN_VERDICTS: dict[str, bool] = {}  # class/id strings repeat across a page and a corpus: judge each once


def _boilerplate_tokens(tokens: str) -> bool:
    """Whether class and id words mark boilerplate (cached)."""
    verdict = _TOKEN_VERDICTS.get(tokens)
    if verdict is None:
        verdict = bool(_PART_BOILER_RX.search(tokens) or (_BOILER_RX.search(tokens) and not _KEEP_RX.search(tokens)))
        if len(_TOKEN_VERDICTS) > 100_000:
            _TOKEN_VERDICTS.clear()
        _TOKEN_VERDICTS[tokens] = verdict
    return verdict


def is_boilerplate(el) -> bool:
    """Whether ``el`` is not the article: a share bar, related box, comment thread, hidden block or link list."""
    tag = el.tag
    if tag in _BOILER_TAGS:
        return True
    attrib = el.attrib
    if attrib:
        style = attrib.get("style")
        if (style and ("none" in style or "hidden" in style or "-" in style) and _HIDDEN_RX.search(style)) \
                or "hidden" in attrib:
            return True
        classes, ident = attrib.get("class"), attrib.get("id")
        if classes or ident:
            tokens = f"{classes} {ident}" if classes and ident else (classes or ident)
            if _boilerplate_tokens(tokens):
                return not _ORIGINAL_RX.search(text_content(el)[:300])
    return tag in _LIST_TAGS and _is_link_list(el)


_LIST_TAGS = frozenset({"ul", "ol", "div", "section", "table", "dl"})
_BOILER_TAGS_SET = frozenset(_BOILER_TAGS)
MAYBE_BOILERPLATE = _BOILER_TAGS_SET | _LIST_TAGS  # tags that can be boilerplate without any attribute
BOILERPLATE_ATTRS = frozenset({"class", "id", "style", "hidden"})  # the attributes is_boilerplate reads


def _is_link_list(el) -> bool:
    """A block that is mostly links with little prose: a related box, a tag list, a nav."""
    links = list(el.iter("a"))  # C-level iteration: several times faster than findall(".//a")
    if len(links) < 3:
        return False
    total = len(text_content(el))
    if total > 1500:
        return False
    linked = sum(len(text_content(a)) for a in links)
    return linked / (total or 1) > 0.65
