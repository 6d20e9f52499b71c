"""The records that stages pass to each other.

Every stage reads and writes these frozen dataclasses (or documented files), never ad-hoc dicts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["OUTLET_KINDS", "CITATION_KINDS", "POSITIONS", "Outlet", "FetchRecord", "Citation", "Article", "RunStats"]

OUTLET_KINDS = (
    "news", "wire", "magazine", "broadcaster", "think_tank", "state_media",
    "platform", "government", "academic", "other",
)
CITATION_KINDS = ("link", "mention", "syndication")
# Where a citation stands in the page.
POSITIONS = ("body", "quote", "caption", "embed", "related", "metadata")


@dataclass(frozen=True, slots=True)
class Outlet:
    """A publisher identity. ``id`` is its registered domain, or ``platform/account`` for accounts."""

    id: str
    name: str
    domains: tuple[str, ...] = ()
    kind: str = "other"
    country: str = ""
    aliases: tuple[str, ...] = ()
    shorteners: tuple[str, ...] = ()
    # Names that count as a mention only beside a cue ("according to The Hill").
    ambiguous: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One input tried (a URL, a file, a WARC record), whether it worked or not.

    ``error`` is empty on success, else a short reason code (``not-html``, ``decode``, ``empty``,
    ``too-large``, ``warc-corrupt``, ``http-404``, ...).
    """

    url: str
    final_url: str = ""
    status: int | None = None
    error: str = ""
    fetched_at: str = ""
    content_type: str = ""
    warc_file: str = ""
    warc_offset: int | None = None
    source: str = ""  # the file, WARC or list the input came from
    detail: str = ""  # a sentence a person can act on when error is set


@dataclass(frozen=True, slots=True)
class Citation:
    """An article of ``source_outlet`` citing ``target_outlet``.

    ``kind`` is ``link``, ``mention`` or ``syndication``; ``context`` is the sentence it stands
    in; ``target_url`` is empty for a mention without a link; ``position`` says where it sits.
    """

    article_url: str
    source_outlet: str
    target_outlet: str
    kind: str
    target_url: str = ""
    anchor_text: str = ""
    context: str = ""
    confidence: float = 1.0
    position: str = "body"

    @property
    def is_self(self) -> bool:
        return self.source_outlet == self.target_outlet


@dataclass(frozen=True, slots=True)
class Article:
    """An article page and the citations found in it."""

    url: str
    canonical_url: str = ""
    outlet_id: str = ""
    title: str = ""
    published_at: str = ""  # ISO 8601 date or datetime, empty when unknown
    authors: tuple[str, ...] = ()
    language: str = ""
    body_chars: int = 0
    site_name: str = ""
    citations: tuple[Citation, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class RunStats:
    """What a run read and found, for the report and ``citegraph stats``."""

    inputs: int = 0  # URLs, files and WARC records tried
    articles: int = 0
    outlets: int = 0
    citations_by_kind: tuple[tuple[str, int], ...] = ()
    failures_by_reason: tuple[tuple[str, int], ...] = ()
    self_citations: int = 0
    generated_at: str = ""
