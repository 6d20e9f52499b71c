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
          r"study|paper|op-?ed|essay|column|editorial|documentary|podcast|segment|broadcast|exposé|expose|"
          r"video|dispatch|feature|profile|review|tally|count|data|estimate|fact-?check|headline|"
          r"reporting|investigation)")
# What a source is called beside its name: "Japanese broadcaster NHK", "the Kyodo news agency".
_OUTLET_WORDS = (r"(?:broadcaster|newspaper|daily|tabloid|magazine|weekly|news agency|agency|outlet|channel|"
                 r"network|website|news site|wire service|wire|paper|journal|radio|television|TV)")
# A descriptor between a cue and a name: "according to [the German magazine] Der Spiegel".
_DESCRIPTOR = re.compile(r"(?:(?:the|a|an) )?(?:[\w'’.-]+ ){0,3}?" + _OUTLET_WORDS + r" $", re.I)
# ... and after a name: "Stern [magazine] reported", "Meduza[, the Latvia-based outlet,] reported".
_AFTER_DESCRIPTOR = re.compile(r"^(?: " + _OUTLET_WORDS + r"\b|, (?:an?|the) [^,]{3,60}" + _OUTLET_WORDS + r",)",
                               re.I)

# Cues that stand right before a name. Ordered, each a regex anchored at the end of the text before
# the name. (pattern, confidence)
PRE_CUES = (
    (r"according to (?:(?:a|an|the) )?(?:[\w-]+ ){0,3}?(?:" + _NOUNS
     + r" )?(?:(?:by|from|in|of|with|published by|compiled by|reviewed by|on) )?$", 0.95),
    (r"\b(?:told|tells|telling) $", 0.9),
    (r"(?:first |originally |as |was |were |been |previously |exclusively )?(?:reported|revealed|published|"
     r"broken|noted|cited|quoted|obtained|confirmed|disclosed|aired|broadcast|seen|compiled|reviewed|"
     r"commissioned|conducted) (?:earlier )?(?:by|in|on) $", 0.9),
    (r"\b(?:in|during|with|to|gave|give|gives|giving) (?:an?|the|his|her|their|its|one) (?:[\w-]+ ){0,2}"
     r"(?:interview|conversation|appearance|op-?ed|essay|column|statement|podcast|segment|broadcast|letter) "
     r"(?:with|on|for|in|to) $", 0.9),
    (r"\b(?:his|her|their|its|an?) (?:[\w-]+ )?(?:op-?ed|essay|column|editorial|commentary|letter) (?:in|for) $", 0.9),
    (r"\b(?:speaking|spoke|speaks|talking|talked|talks) (?:to|with|on) $", 0.85),
    (r"\b(?:wrote|writes|writing|written|said|saying|published|appeared|appearing|posted) (?:an? \w+ )?(?:in|on|for) $", 0.85),
    (r"\b(?:an?|this|that|the) (?:[\w-]+ ){0,2}?(?:" + _NOUNS + r") "
     r"(?:by|from|in|for|published by|released by|on) $", 0.9),
    (r"\b(?:reports?|reporting|data|figures|analysis|polling|footage|documents) (?:by|from|in) $", 0.85),
    (r"\b(?:cited|quoted) (?:by|in) $", 0.85),
    (r"\bciting $", 0.9),
    (r"(?:^|[,;(—–-] ?|\b(?:and|but) )(?:per|via) $", 0.85),
    (r"\breleased (?:by|via|through) $", 0.85),
)
# Cues that follow a name. (pattern, confidence, enough for an ambiguous name?)
POST_CUES = (
    (r"^(?:'s?|’s?)? (?:(?:own|recent|new|latest|earlier|\d{4}|exclusive) )*" + _NOUNS + r"\b", 0.9, True),
    (r"^(?:/[\w-]+)? (?:poll|survey)\b", 0.9, True),
    (r"^ (?:first |previously |also |both |all |later |recently |exclusively |has |had |have |was first to )?"
     r"(?:reported|reports|revealed|reveals|wrote|writes|published|publishes|broke the story|obtained|learned|"
     r"confirmed|found|cited|quoted|disclosed|noted in)\b", 0.9, True),
    (r"^,? (?:in|with|through) (?:an?|its|the|one) (?:(?:new|recent|\d{4}|earlier|separate|joint) )*" + _NOUNS
     + r" (?:titled|called|entitled|published|released)\b", 0.9, True),
    (r"^, citing\b", 0.9, True),
    (r"^ (?:said|says|stated|added|claimed|alleged)\b", 0.7, False),
)
# A possessive and a journalist, counted when the sentence goes on to report: "the BBC's Jeremy Bowen reported".
_POSSESSIVE_ROLE = re.compile(
    r"^(?:'s?|’s?) (?:[\w-]+ ){0,3}?(?:correspondent|reporter|journalist|columnist|anchor|"
    r"bureau chief|contributor|writer)s?\b.{0,80}?\b(?:reported|reports|said|says|wrote|writes|found|revealed|told)\b",
    re.I)
# A determiner before and a noun after ("a Reuters article", "in a 2015 Fox News interview").
_DET_BEFORE = re.compile(r"\b(?:an?|the|this|that|one|another)(?: (?:new|recent|\d{4}|earlier|exclusive|separate))* $", re.I)
_NOUN_AFTER = re.compile(r"^ " + _NOUNS + r"\b", re.I)
# Names joined to a cited name share its cue: "Reuters and Bloomberg reported", "the Post-ABC News poll".
_JOINED = re.compile(r"^(?:,? and|/|-|,? or|,? as well as)(?: (?:later|also|then))?(?: (?:the|by|to))? ?$", re.I)
# An ambiguous name that runs into another proper noun is that other thing: "Post Office", "Capitol Hill".
_NEXT_PROPER = re.compile(r"^(?:['’]s)? [A-Z][a-z]")
_PREV_PROPER = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov)\.?|[a-z,;] [A-Z][a-z]+) $")
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

_DATELINE = re.compile(r"^\s*(?:[^\W\d_][\w.'’\-]*(?:[ ,/]+[^\W_][\w.'’\-]*){0,5},?\s*)?"
                       r"\((?P<name>[^()]{2,60})\)\s*(?:[-—–:]|--)")
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
    before = text[max(0, start - 100):start]
    after = text[end:end + 120]
    if ambiguous and (_NEXT_PROPER.match(after) or _PREV_PROPER.search(before)):
        return 0.0
    stripped = _DESCRIPTOR.sub("", before) if before.endswith(" ") else before
    for rx, conf in _PRE:
        if rx.search(before) or (stripped is not before and rx.search(stripped)):
            return conf
    m = _AFTER_DESCRIPTOR.match(after)
    if m:
        after = after[m.end():]
    for rx, conf, enough_for_ambiguous in _POST:
        if rx.search(after) and (enough_for_ambiguous or not ambiguous):
            return conf
    if _POSSESSIVE_ROLE.search(after):
        return 0.85
    if _DET_BEFORE.search(before) and _NOUN_AFTER.search(after):
        return 0.85
    return 0.0


def find_mentions(text: str, index: NameIndex) -> list[Found]:
    """Outlets named as sources in ``text``, each with the confidence of its cue.

    A name with no cue of its own shares the cue of a cited name it is joined to ("Reuters and
    Bloomberg reported").
    """
    names = list(index.scan(text))
    conf = [_cue(text, start, end, ambiguous) for start, end, _n, _o, ambiguous in names]
    changed = True
    while changed:  # spread along chains of joined names, both ways
        changed = False
        for i in range(len(names) - 1):
            joined = _JOINED.match(text[names[i][1]:names[i + 1][0]])
            if joined and bool(conf[i]) != bool(conf[i + 1]):
                j = i if not conf[i] else i + 1
                conf[j] = min(conf[i] or conf[i + 1], 0.85)
                changed = True
    return [Found(outlet_id, name, start, end, c)
            for (start, end, name, outlet_id, _amb), c in zip(names, conf) if c]


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
    """The sentence of ``text`` that holds the span [start, end), at most ``limit`` characters.

    Only ``limit`` characters either side are searched for the sentence's bounds, so the cost does not
    grow with the length of the text.
    """
    lo = max(0, start - limit)
    left = lo
    for m in _SENT_END.finditer(text, lo, start):
        left = m.end()
    m = _SENT_END.search(text, end, min(len(text), end + limit))
    right = m.start() if m else min(len(text), end + limit)
    sentence = text[left:right].strip()
    if len(sentence) > limit:
        mid = (start + end) // 2 - left
        cut = max(0, mid - limit // 2)
        sentence = ("…" if cut else "") + sentence[cut:cut + limit].strip() + "…"
    return sentence
