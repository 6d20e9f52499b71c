"""Citations without links: outlets named as sources in the text, and republication notes.

Names and aliases come from the outlet registry. A name counts as a mention only beside a cue
("according to", "told", "a ... article", "... reported"): precision first. Names that are ordinary
words (The Hill, Time, Fox) need a cue right beside them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
import weakref

__all__ = ["NameIndex", "name_index", "find_mentions", "find_syndication", "find_dateline", "Found",
           "PRE_CUES", "POST_CUES", "SYNDICATION_CUES"]

_NOUNS = (r"(?:report|reports|article|story|stories|piece|investigation|analysis|interview|poll|survey|"
          r"study|paper|op-?ed|column|editorial|documentary|podcast|segment|broadcast|exposé|expose|"
          r"video|dispatch|feature|profile|review|tally|count|data|estimate|fact-?check|headline|"
          r"report(?:ing)?|coverage|investigation)")

# Cues that stand right before a name. Ordered, each a regex anchored at the end of the text before
# the name. (pattern, confidence)
PRE_CUES = (
    (r"according to (?:(?:a|an|the) )?(?:(?:new|recent|latest|earlier|separate|\d{4}) )*(?:" + _NOUNS
     + r" )?(?:(?:by|from|in|of|with|published by|on) )?$", 0.95),
    (r"(?:told|tells|telling) $", 0.9),
    (r"(?:first |originally |as |was |were |been |previously |exclusively )?(?:reported|revealed|published|"
     r"broken|noted|cited|quoted|obtained|confirmed|disclosed|aired|broadcast) (?:earlier )?(?:by|in|on) $", 0.9),
    (r"(?:in|during|with|to) (?:an?|the) (?:(?:exclusive|recent|new|\d{4}|lengthy|televised|joint) )*"
     r"(?:interview|conversation|appearance|op-?ed|column|statement|podcast|segment|broadcast) "
     r"(?:with|on|for|in|to) $", 0.9),
    (r"(?:speaking|spoke|speaks|talking|talked|talks) (?:to|with) $", 0.85),
    (r"(?:wrote|writes|writing|written|said|saying|published|appeared|appearing|posted) (?:an? \w+ )?(?:in|on|for) $", 0.85),
    (r"(?:an?|this|that|the) (?:(?:new|recent|\d{4}|earlier|separate|joint) )*(?:" + _NOUNS + r") "
     r"(?:by|from|in|for|published by|released by|on) $", 0.9),
    (r"(?:reports?|reporting|data|figures|analysis|polling|footage|documents) (?:by|from) $", 0.85),
    (r"(?:cited|quoted) (?:by|in) $", 0.85),
)
# Cues that follow a name. (pattern, confidence, enough for an ambiguous name?)
POST_CUES = (
    (r"^(?:'s?|’s?)? (?:(?:own|recent|new|latest|earlier|\d{4}|exclusive) )*" + _NOUNS + r"\b", 0.9, True),
    (r"^ (?:first |previously |also |later |recently |exclusively |has |had |have )?(?:reported|reports|revealed|"
     r"reveals|wrote|writes|published|publishes|broke the story|obtained|learned|confirmed|found|"
     r"cited|quoted|disclosed|noted in)\b", 0.9, True),
    (r"^,? (?:in|with|through) (?:an?|its|the|one) (?:(?:new|recent|\d{4}|earlier|separate|joint) )*" + _NOUNS
     + r" (?:titled|called|entitled|published|released)\b", 0.9, True),
    (r"^ (?:said|says|stated|added|claimed|alleged)\b", 0.7, False),
    (r"^(?:'s?|’s?) (?:\w+ ){0,2}?(?:correspondent|reporter|journalist|columnist|editor|anchor|host|"
     r"bureau chief|contributor|writer)s?\b", 0.85, True),
)
# A determiner before and a noun after ("a Reuters article", "in a 2015 Fox News interview").
_DET_BEFORE = re.compile(r"\b(?:an?|the|this|that|one|another)(?: (?:new|recent|\d{4}|earlier|exclusive|separate))* $", re.I)
_NOUN_AFTER = re.compile(r"^ " + _NOUNS + r"\b", re.I)
_PRE = tuple((re.compile(p, re.I), c) for p, c in PRE_CUES)
_POST = tuple((re.compile(p, re.I), c, amb) for p, c, amb in POST_CUES)

# Republication notes. Ordered; the outlet's name follows the cue.
SYNDICATION_CUES = (
    r"(?:the )?original source of this (?:article|story|post|piece) is\s+",
    r"this (?:article|story|post|piece|report|column|op-?ed|item|commentary|essay) (?:was |is |has been )?"
    r"(?:first |originally )?(?:appeared|published|posted|ran|republished|reproduced|syndicated)"
    r"(?: here)?(?: with permission)?(?: (?:on|in|at|by|from|courtesy of))?\s+",
    r"(?:first|originally) (?:appeared|published|posted|ran) (?:on|in|at|by)\s+",
    r"republished (?:here )?(?:with|by) (?:kind )?permission (?:from|of)\s+",
    r"(?:reprinted|reproduced) (?:with permission )?(?:from|courtesy of)\s+",
    r"(?:this (?:article|story) is )?republished from\s+",
    r"(?:via|source|courtesy of|credit):?\s+(?=\S)",
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?",
)
_SYND = tuple(re.compile(r"(?:^|\b|(?<=\W))" + p, re.I) for p in SYNDICATION_CUES)
# The first six rules count anywhere; the loose ones (via, ©) count only in end-matter.
_SYND_STRONG = 6
# Words every rule needs: a block without one of them holds no republication note.
_SYND_STRONG_ANY = re.compile(r"source of this|appeared|published|posted|\bran\b|syndicated|reprinted|reproduced|"
                              r"permission", re.I)
_SYND_ANY = re.compile(_SYND_STRONG_ANY.pattern + r"|via|source|courtesy|credit|©|\(c\)|copyright", re.I)

_DATELINE = re.compile(r"^\s*(?:[^\W\d_][\w.'’\-]*(?:[ ,/]+[^\W\d_][\w.'’\-]*){0,5},?\s*)?"
                       r"\((?P<name>[^()]{2,60})\)\s*[-—–:]")
_SENT_END = re.compile(r"(?<=[.!?…])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")
_POSSESSIVE = re.compile(r"['’]s?$")
_CAP_WORD = re.compile(r"[A-Z0-9\u00c0-\u024f][\w&.'’\-]*")


@dataclass(frozen=True, slots=True)
class Found:
    """A named outlet in a text: where, who, and the cue's confidence."""

    outlet_id: str
    name: str
    start: int
    end: int
    confidence: float


class NameIndex:
    """Registry names indexed by their first capitalised word, for one pass over a text."""

    def __init__(self, names):
        self.by_first: dict[str, list[tuple[str, str, bool]]] = {}
        for name, outlet_id, ambiguous in names:
            name = " ".join(name.split())
            stripped = re.sub(r"^(?:the|The) ", "", name)
            m = _CAP_WORD.match(stripped)
            if not m or len(stripped) < 2:
                continue
            self.by_first.setdefault(m.group(0), []).append((stripped, outlet_id, ambiguous))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.lookup = {}
        for entries in self.by_first.values():
            for stripped, outlet_id, ambiguous in entries:
                self.lookup.setdefault(stripped.lower(), (outlet_id, ambiguous))

    def scan(self, text: str):
        """Every registry name in ``text``: (start, end, name, outlet id, ambiguous), longest first."""
        pos = 0
        for m in _CAP_WORD.finditer(text):
            if m.start() < pos:
                continue
            word = m.group(0)
            entries = self.by_first.get(word) or self.by_first.get(_POSSESSIVE.sub("", word).rstrip(".,'’"))
            if not entries:
                continue
            for stripped, outlet_id, ambiguous in entries:
                end = m.start() + len(stripped)
                if text.startswith(stripped, m.start()) and (end == len(text) or not text[end].isalnum()):
                    start = m.start()
                    if text[max(0, start - 4):start] in ("the ", "The "):
                        start -= 4
                    yield start, end, text[start:end], outlet_id, ambiguous
                    pos = end
                    break

    def resolve(self, name: str) -> str:
        """The outlet id of a name as written ('' when unknown)."""
        key = re.sub(r"^(?:the) ", "", " ".join(name.split()).strip(" .,;:"), flags=re.I).lower()
        hit = self.lookup.get(key)
        return hit[0] if hit else ""


_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def name_index(registry) -> NameIndex:
    """The name index of a registry, built once per registry version."""
    version = getattr(registry, "version", None)
    cached = _INDEXES.get(registry)
    if cached is None or cached[0] != version or version is None:
        cached = (version, NameIndex(registry.names()))
        _INDEXES[registry] = cached
    return cached[1]


def _cue(text: str, start: int, end: int, ambiguous: bool) -> float:
    before = text[max(0, start - 80):start]
    after = text[end:end + 60]
    for rx, conf in _PRE:
        if rx.search(before):
            return conf
    for rx, conf, enough_for_ambiguous in _POST:
        if rx.search(after) and (enough_for_ambiguous or not ambiguous):
            return conf
    if _DET_BEFORE.search(before) and _NOUN_AFTER.search(after):
        return 0.85
    return 0.0


def find_mentions(text: str, index: NameIndex) -> list[Found]:
    """Outlets named as sources in ``text``, each with the confidence of its cue."""
    out = []
    for start, end, name, outlet_id, ambiguous in index.scan(text):
        conf = _cue(text, start, end, ambiguous)
        if conf:
            out.append(Found(outlet_id, name, start, end, conf))
    return out


def find_syndication(text: str, index: NameIndex, *, end_matter: bool = False) -> list[Found]:
    """Outlets that ``text`` says it republishes ("The original source of this article is X")."""
    out = []
    # One cheap search rules out most blocks before the ordered rules run.
    if not (_SYND_ANY if end_matter else _SYND_STRONG_ANY).search(text):
        return out
    rules = _SYND if end_matter else _SYND[:_SYND_STRONG]
    for rx in rules:
        for m in rx.finditer(text):
            rest = text[m.end():m.end() + 120]
            for start, end, name, outlet_id, _amb in index.scan(rest):
                if start > 12:  # the name must follow the cue closely
                    break
                out.append(Found(outlet_id, name, m.end() + start, m.end() + end, 0.95))
                break
        if out:
            break
    return out


def find_dateline(text: str, index: NameIndex) -> Found | None:
    """A wire credit at the start of a story: "WASHINGTON (AP) —", "(Reuters) -"."""
    m = _DATELINE.match(text[:200])
    if not m:
        return None
    outlet_id = index.resolve(m.group("name"))
    if not outlet_id:
        return None
    return Found(outlet_id, m.group("name"), m.start("name"), m.end("name"), 0.95)


def sentence_at(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence of ``text`` that holds the span [start, end), at most ``limit`` characters."""
    left = 0
    for m in _SENT_END.finditer(text, 0, start):
        left = m.end()
    m = _SENT_END.search(text, end)
    right = m.start() if m else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > limit:
        mid = (start + end) // 2 - left
        lo = max(0, mid - limit // 2)
        sentence = ("…" if lo else "") + sentence[lo:lo + limit].strip() + "…"
    return sentence
