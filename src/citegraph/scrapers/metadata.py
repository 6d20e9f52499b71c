"""Page metadata: canonical URL, title, site name, publication date, authors, language.

Structured data first (JSON-LD, OpenGraph, meta tags), then time tags and dates in the URL.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

__all__ = ["PageMeta", "page_meta"]

# Ordered: the first that gives a date wins.
_DATE_META = (
    "article:published_time", "og:article:published_time", "datePublished", "date", "pubdate",
    "publishdate", "publish-date", "published_time", "DC.date.issued", "dc.date", "sailthru.date",
    "parsely-pub-date", "article.published", "cXenseParse:recs:publishtime", "dcterms.created",
)
_URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_])")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "webpage", "scholarlyarticle", "backgroundnewsarticle", "report",
                  "socialmediaposting", "liveblogposting", "techarticle"}


@dataclass(frozen=True, slots=True)
class PageMeta:
    canonical: str = ""
    og_url: str = ""
    title: str = ""
    site_name: str = ""
    published_at: str = ""
    authors: tuple[str, ...] = ()
    language: str = ""
    article_body: str = ""  # JSON-LD articleBody, when the page gives one


def _first(values) -> str:
    for v in values:
        v = " ".join(str(v).split())
        if v:
            return v
    return ""


def _meta(doc) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in doc.iter("meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv")
        content = m.get("content")
        if key and content and key not in out:
            out[key.strip()] = content.strip()
            out.setdefault(key.strip().lower(), content.strip())
    return out


def _jsonld_items(doc):
    """Every JSON-LD object of the page, flattened through @graph and lists."""
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                yield item


def _types(item) -> set[str]:
    t = item.get("@type", "")
    return {str(x).lower() for x in (t if isinstance(t, list) else [t])}


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _iso(value: str) -> str:
    m = _ISO_DATE.search(value or "")
    if not m:
        return ""
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if not ("1990" <= y <= "2100" and "01" <= mo <= "12" and "01" <= d <= "31"):
        return ""
    return f"{y}-{mo}-{d}"


def page_meta(doc, url: str = "") -> PageMeta:
    """Metadata of a parsed page (before any element is removed from it)."""
    meta = _meta(doc)
    article = {}
    for item in _jsonld_items(doc):
        if _types(item) & _ARTICLE_TYPES and (not article or "articleBody" in item):
            article = item
    canonical = _first(doc.xpath("//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href"))
    title = _first([meta.get("og:title", ""), article.get("headline", "") if article else "",
                    *doc.xpath("//h1//text()")[:1], *doc.xpath("//title/text()")[:1]])
    site = _first([meta.get("og:site_name", ""), meta.get("application-name", ""),
                   *(_names(article.get("publisher")) if article else [])])
    date = ""
    for candidate in ([article.get("datePublished", "")] if article else []) + \
            [meta.get(k, "") for k in _DATE_META] + doc.xpath("//time/@datetime")[:1]:
        date = _iso(str(candidate))
        if date:
            break
    if not date:
        m = _URL_DATE.search(url or canonical)
        if m:
            date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    authors = _names(article.get("author")) if article else []
    if not authors and meta.get("author"):
        authors = [meta["author"]]
    if not authors:
        authors = [" ".join(a.split()) for a in doc.xpath("//a[@rel='author']//text()")[:3]]
    authors = tuple(dict.fromkeys(" ".join(a.split()) for a in authors if a and a.strip()))
    lang = _first([*doc.xpath("/html/@lang")[:1], meta.get("og:locale", ""), meta.get("content-language", ""),
                   *(([article.get("inLanguage", "")]) if article else [])])
    lang = lang.replace("_", "-").split("-")[0].lower()[:3]
    body = article.get("articleBody", "") if article else ""
    return PageMeta(canonical=canonical, og_url=meta.get("og:url", ""), title=title, site_name=site,
                    published_at=date, authors=authors[:10], language=lang,
                    article_body=body if isinstance(body, str) else "")
