"""Citations without links: outlets named as sources in the text, and republication notes.

Names and aliases come from the outlet registry. A name counts as a mention only beside a cue
("according to", "told", "a ... article", "... reported"): precision first. Names that are ordinary
words (The Hill, Time, Fox) need a cue right beside them, and a short name that several outlets share
("the Post", "The Times") needs the text to say which one.

The cues are data, one file per language under ``citegraph/data/cues/`` (``en.json``, ``es.json``, ...):
ordered regular expressions, each with its confidence and an example. :func:`cues` loads and merges
them; :func:`name_index` takes the languages to use.
"""
from __future__ import annotations

import copy
import functools
import json
import re
import weakref
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

__all__ = ["NameIndex", "name_index", "find_mentions", "find_syndication", "find_dateline", "named_outlets",
           "sentence_at", "Found", "Cues", "CueError", "cues", "read_cue_file", "available_languages",
           "cue_languages",
           "PRE_CUES", "POST_CUES", "SYNDICATION_CUES"]

DEFAULT_LANGUAGES = ("en",)

_LANG_CODE = re.compile(r"[a-z]{2,3}")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Placed before every republication cue so that a cue starts at a word or a symbol ("©").
_SYND_START = r"(?:^|\b|(?<=\W))"

# Language-neutral guards for ambiguous names: one that runs into another proper noun is that other
# thing ("Post Office", "Hill Country", "Capitol Hill", "Time's Up").
_NEXT_PROPER = re.compile(r"^ [A-Z][a-z]")
_NEXT_PROPER_POSSESSIVE = re.compile(r"^['’]s? [A-Z][a-z]")
_PREV_PROPER = re.compile(r"[a-z,;] [A-Z][a-z]+ $")

# A wire credit at the head of a line: "WASHINGTON (AP) —", "LONDON, June 3 (Reuters) -", "(Reuters) -",
# "Washington (CNN)The Senate ...". Up to eight words of place and date before the credit.
_DATELINE = re.compile(r"(?:^|\n)[ \t]*(?:[^\W\d_][\w.'’\-]*(?:[ ,/]+[^\W_][\w.'’\-]*){0,7},?\s*)?"
                       r"\((?P<name>[^()\n]{2,60})\)(?:\s*(?:[-—–:_|]|--)|(?=[A-Z]))")
_HEAD_CHARS = 300  # a credit further into the text is not a credit of the story
# A person in a byline: "Jane Doe", "JANE DOE", "María José García", "Jean-Luc van der Berg".
_PERSON = (r"[A-Z\u00c0-\u00de][\w.'’\-]*"
           r"(?: (?:[A-Z\u00c0-\u00de][\w.'’\-]*|de|da|del|van|von|der|den|la|le|al|bin)){0,3}")
_SENT_END = re.compile(r"(?<=[.!?…])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")
_POSSESSIVE = re.compile(r"['’]s?$")
_CAP_WORD = re.compile(r"[A-Z0-9\u00c0-\u024f][\w&.'’\-]*")


class CueError(ValueError):
    """A cue file that cannot be used. ``code`` is a short reason: ``bad-language``,
    ``unknown-language``, ``bad-cue-file`` or ``bad-cue``."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True, slots=True)
class Found:
    """A named outlet in a text: where, who, and the cue's confidence."""

    outlet_id: str
    name: str
    start: int
    end: int
    confidence: float


@dataclass(frozen=True)
class Cues:
    """The compiled cues of one or more languages, in rule order (languages in the order asked)."""

    languages: tuple[str, ...]
    pre: tuple  # (regex over the text before a name, confidence)
    post: tuple  # (regex over the text after a name, confidence, enough for an ambiguous name)
    possessive: tuple  # (regex after a name, confidence): "the BBC's Jeremy Bowen reported"
    determiners: tuple  # (regex before, regex after, confidence): "a Reuters article"
    descriptors_before: tuple  # what a source is called before its name: "Japanese broadcaster"
    descriptors_after: tuple  # ... and after it: "Stern magazine", "Meduza, the Latvia-based outlet,"
    joined: tuple  # what joins two cited names: "Reuters and Bloomberg reported"
    not_before: tuple  # before an ambiguous name, a sign it is a person: "Dr. Fox"
    not_after: tuple  # after it: "Fox, who coached the team"
    bylines: re.Pattern  # "By Jane Doe, Reuters": the prefix before the outlet's name
    byline_start: re.Pattern  # "By ": a line without it is no byline, whatever follows
    syndication: tuple  # republication cues, the strong ones first
    strong_syndication: int  # how many of them count anywhere (the rest only in end-matter)
    strong_keywords: re.Pattern  # a word every strong cue needs: one search rules a block out
    any_keywords: re.Pattern
    pre_width: tuple = ()  # the longest text each pre cue can match (0: unbounded): its search starts there
    strong_literals: tuple = ()  # the same words as (plain lower-case text, whole word only), for str.find
    any_literals: tuple = ()


# ---------------------------------------------------------------------------------------------------
# Loading cue files


@functools.lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """The language codes that have a cue file in the package, sorted."""
    folder = resources.files("citegraph") / "data" / "cues"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json")))


def cue_languages(page_language: str, *, always: Iterable[str] = DEFAULT_LANGUAGES) -> tuple[str, ...]:
    """The cue languages for a page: ``always`` plus the page's own language when it has a cue file.

    Parameters
    ----------
    page_language : an ``html lang`` value such as ``"es"``, ``"fr-FR"`` or ``""``.
    always : languages used whatever the page says (English by default: wire copy travels).

    Examples
    --------
    >>> cue_languages("es-ES")
    ('en', 'es')
    >>> cue_languages("pt-BR")  # no Portuguese cues yet
    ('en',)
    """
    langs = list(dict.fromkeys(always))
    primary = (page_language or "").strip().lower().replace("_", "-").split("-")[0]
    if primary and primary not in langs and primary in available_languages():
        langs.append(primary)
    return tuple(langs)


def cues(languages: str | Iterable[str] = DEFAULT_LANGUAGES) -> Cues:
    """The cues of ``languages`` ("en" or ("en", "es")), loaded from the package and compiled once.

    Raises
    ------
    CueError
        With ``code`` ``bad-language`` (not a language code), ``unknown-language`` (no cue file),
        ``bad-cue-file`` (not JSON, or a part missing) or ``bad-cue`` (a rule that does not compile).

    Examples
    --------
    >>> c = cues(("en", "es"))
    >>> c.languages
    ('en', 'es')
    """
    return _cues(_language_tuple(languages))


def _language_tuple(languages) -> tuple[str, ...]:
    langs = (languages,) if isinstance(languages, str) else tuple(languages)
    if not langs:
        raise CueError("bad-language", "no language given; use a code such as 'en'")
    for lang in langs:
        if not isinstance(lang, str) or not _LANG_CODE.fullmatch(lang):
            raise CueError("bad-language", f"{lang!r} is not a lower-case ISO 639 language code such as 'en'")
    return tuple(dict.fromkeys(langs))


def read_cue_file(path) -> Cues:
    """The cues of one language file outside the package, checked and compiled: the way to try a new
    language before adding it to ``citegraph/data/cues/``. Raises :class:`CueError` as :func:`cues` does."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise CueError("bad-cue-file", f"cannot read {path}: {err.strerror or err}") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise CueError("bad-cue-file", f"{path} is not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise CueError("bad-cue-file", f"{path} must hold an object")
    lang = data.get("language") if isinstance(data.get("language"), str) else Path(path).stem
    return _merged((lang,), [_language_cues(data, str(path))])


@functools.lru_cache(maxsize=32)
def _cues(langs: tuple[str, ...]) -> Cues:
    return _merged(langs, [_language_cues(_cue_file(lang), f"citegraph/data/cues/{lang}.json") for lang in langs])


def _merged(langs: tuple[str, ...], parts: list[dict]) -> Cues:

    def joined(field):
        return tuple(rule for part in parts for rule in part[field])

    strong = tuple(rx for part in parts for rx, is_strong in part["syndication"] if is_strong)
    loose = tuple(rx for part in parts for rx, is_strong in part["syndication"] if not is_strong)
    strong_words = [w for part in parts for w in part["strong_keywords"]]
    loose_words = [w for part in parts for w in part["loose_keywords"]]
    bylines = "|".join(part["byline"] for part in parts)
    return Cues(
        languages=langs, pre=joined("pre"), pre_width=tuple(_max_width(rx) for rx, _c in joined("pre")), post=joined("post"), possessive=joined("possessive"),
        determiners=joined("determiners"), descriptors_before=joined("descriptors_before"),
        descriptors_after=joined("descriptors_after"), joined=joined("joined"),
        not_before=joined("not_before"), not_after=joined("not_after"),
        bylines=re.compile(r"\s*(?i:" + bylines + r") (?:" + _PERSON + r"(?:(?:,| and| &| y| et| und) " + _PERSON
                           + r"){0,3}(?:,|\s*[|/–—-])?\s*)?$"),
        byline_start=re.compile(r"\s*(?i:" + bylines + r") "),
        syndication=strong + loose, strong_syndication=len(strong),
        strong_keywords=re.compile("|".join(strong_words) or r"(?!)", re.I),
        any_keywords=re.compile("|".join(strong_words + loose_words) or r"(?!)", re.I),
        strong_literals=tuple(_literal(w) for w in strong_words),
        any_literals=tuple(_literal(w) for w in strong_words + loose_words))


@functools.lru_cache(maxsize=1024)
def _width(rx: re.Pattern) -> int:
    return _max_width(rx)


def _tail_search(rx: re.Pattern, text: str):
    """``rx.search(text)`` for a regex anchored at the end ($): it starts searching where the longest
    match could start, not at every character."""
    width = _width(rx)
    return rx.search(text, max(0, len(text) - width) if width else 0)


def _max_width(rx: re.Pattern) -> int:
    """The most characters ``rx`` can match, or 0 when there is no bound (a `+` or `*` in it)."""
    try:
        import re._parser as parser  # the standard library's own width computation (private: guarded)

        width = parser.parse(rx.pattern, rx.flags).getwidth()[1]
    except (ImportError, AttributeError, re.error):
        return 0  # unknown: search the whole text, as without a bound
    return width if width < 10_000 else 0


def _literal(word: str) -> tuple[str, bool]:
    """A keyword regex as the plain text it stands for, and whether it must stand as a whole word."""
    return re.sub(r"\\(.)", r"\1", word.replace("\\b", "")).lower(), "\\b" in word


# Around each keyword of a republication note, the stretch of text its cue can span.
_CUE_BEFORE, _CUE_AFTER = 160, 160


def _keyword_windows(text: str, words: tuple, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Stretches of ``text`` around its keywords, merged: the rules run there only. A plain substring
    search over the lower-cased text is many times faster than a case-blind regex over all of it."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: offsets would drift
        return [(0, len(text))] if pattern.search(text) else []
    spans = []
    for w, whole in words:
        i = low.find(w)
        while i >= 0:
            j = i + len(w)
            if not whole or not ((i and low[i - 1].isalnum()) or (j < len(low) and low[j].isalnum())):
                spans.append((max(0, i - _CUE_BEFORE), j + _CUE_AFTER))
            i = low.find(w, j)
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, min(b, len(text))) for a, b in merged]


@functools.lru_cache(maxsize=32)
def _cue_file(lang: str) -> dict:
    path = resources.files("citegraph") / "data" / "cues" / f"{lang}.json"
    if not path.is_file():
        raise CueError("unknown-language", f"no cue file for {lang!r} (citegraph/data/cues/{lang}.json); "
                                           f"available: {', '.join(available_languages())}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise CueError("bad-cue-file", f"citegraph/data/cues/{lang}.json is not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise CueError("bad-cue-file", f"citegraph/data/cues/{lang}.json must hold an object")
    return data


def _language_cues(data: dict, where: str) -> dict:
    """One language's rules compiled, by field."""
    words = {}
    for key, values in _part(data, "words", dict, where).items():
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            raise CueError("bad-cue-file", f"{where}: the word list {key!r} must be a list of strings")
        words[key] = "(?:" + "|".join(values) + ")"

    def rx(entry, field, anchor=""):
        pattern = entry.get("pattern") if isinstance(entry, dict) else None
        if not isinstance(pattern, str) or not pattern:
            raise CueError("bad-cue-file", f"{where}: every rule of {field!r} needs a 'pattern'")
        if not isinstance(entry.get("example"), str) or not entry["example"]:
            raise CueError("bad-cue-file", f"{where}: the rule {pattern!r} of {field!r} needs an 'example'")
        return _compiled(anchor + _expanded(pattern, words, where), where, field)

    def conf(entry, field):
        c = entry.get("confidence")
        if not isinstance(c, (int, float)) or not 0 < c <= 1:
            raise CueError("bad-cue-file", f"{where}: the rule {entry['pattern']!r} of {field!r} needs a "
                                           f"confidence in (0, 1]")
        return float(c)

    def rules(field):
        return _part(data, field, list, where)

    def optional(block, key):
        entry = _part(data, block, dict, where).get(key)
        return (rx(entry, f"{block}.{key}"),) if entry else ()

    keywords = _part(data, "syndication_keywords", dict, where)
    return {
        "pre": tuple((rx(e, "pre_cues"), conf(e, "pre_cues")) for e in rules("pre_cues")),
        "post": tuple((rx(e, "post_cues"), conf(e, "post_cues"), bool(e.get("ambiguous")))
                      for e in rules("post_cues")),
        "possessive": tuple((rx(e, "possessive_roles"), conf(e, "possessive_roles"))
                            for e in rules("possessive_roles")),
        "determiners": tuple((rx(e, "determiners"), rx({**e, "pattern": e.get("after")}, "determiners"),
                              conf(e, "determiners")) for e in rules("determiners")),
        "descriptors_before": optional("descriptors", "before"),
        "descriptors_after": optional("descriptors", "after"),
        "joined": (rx(_part(data, "joined", dict, where), "joined"),),
        "not_before": optional("not_outlet", "before"),
        "not_after": optional("not_outlet", "after"),
        "byline": _part(data, "bylines", dict, where).get("pattern", "By"),
        "syndication": tuple((rx(e, "syndication_cues", _SYND_START), bool(e.get("strong")))
                             for e in rules("syndication_cues")),
        "strong_keywords": list(keywords.get("strong", [])),
        "loose_keywords": list(keywords.get("loose", [])),
    }


def _part(data: dict, key: str, kind: type, where: str):
    value = data.get(key)
    if not isinstance(value, kind):
        raise CueError("bad-cue-file", f"{where}: {key!r} must be a {'list' if kind is list else 'object'}")
    return value


def _expanded(pattern: str, words: dict, where: str) -> str:
    def word_list(m):
        if m.group(1) not in words:
            raise CueError("bad-cue", f"{where}: {{{m.group(1)}}} in {pattern!r} is not one of the word lists "
                                      f"({', '.join(sorted(words))})")
        return words[m.group(1)]
    return _PLACEHOLDER.sub(word_list, pattern)


def _compiled(pattern: str, where: str, field: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.I)
    except re.error as err:
        raise CueError("bad-cue", f"{where}: a rule of {field!r} does not compile ({err}): {pattern!r}") from None


# The English rules as plain data, for readers of the previous API.
PRE_CUES = tuple((rx.pattern, c) for rx, c in cues("en").pre)
POST_CUES = tuple((rx.pattern, c, amb) for rx, c, amb in cues("en").post)
SYNDICATION_CUES = tuple(rx.pattern[len(_SYND_START):] for rx in cues("en").syndication)


# ---------------------------------------------------------------------------------------------------
# Names


@dataclass(frozen=True, slots=True)
class _Name:
    """One registry name (without a leading "The") and the outlets it may stand for."""

    text: str
    with_the: tuple[tuple[str, ...], bool]  # (outlet ids, ambiguous) when the text says "the X"
    bare: tuple[tuple[str, ...], bool]  # ... when it says "X" alone


def _owners(forms: dict[str, set[tuple[bool, bool]]], bare: bool) -> tuple[tuple[str, ...], bool]:
    # An ambiguous registry name written with "The" ("The Hill", "The Times") stands for the outlet
    # only with its article: "according to Hill" is a person.
    usable = {oid: [amb for had_the, amb in fs if not (bare and had_the and amb)] for oid, fs in forms.items()}
    usable = {oid: ambs for oid, ambs in usable.items() if ambs}
    ids = tuple(sorted(usable))
    return ids, len(ids) > 1 or any(all(ambs) for ambs in usable.values())


_TRIM_END = frozenset(".,'’")  # the last character of a punctuated name or a plural possessive
_POSSESSIVE_ENDS = ("'s", "’s")


class NameIndex:
    """Registry names indexed by their first capitalised word, for one pass over a text.

    ``names`` holds ``(name, outlet id, ambiguous)`` rows (``Registry.names()``); ``primary`` holds
    ``(name, outlet id)`` for each outlet's own name, which settles a short name several outlets
    share ("The Times" is the London paper's own name); ``languages`` picks the cue files.
    """

    def __init__(self, names, *, primary: Iterable[tuple[str, str]] = (), languages=DEFAULT_LANGUAGES):
        self.cues = cues(languages)
        forms: dict[str, dict[str, set[tuple[bool, bool]]]] = {}
        for name, outlet_id, ambiguous in names:
            name = " ".join(name.split())
            had_the = name[:4] in ("The ", "the ")
            stripped = name[4:] if had_the else name
            if not _CAP_WORD.match(stripped) or len(stripped) < 2:
                continue
            forms.setdefault(stripped, {}).setdefault(outlet_id, set()).add((had_the, bool(ambiguous)))
        self.by_first: dict[str, list[_Name]] = {}
        self.lookup: dict[str, _Name] = {}
        for stripped, owners in forms.items():
            entry = _Name(stripped, _owners(owners, bare=False), _owners(owners, bare=True))
            self.by_first.setdefault(_CAP_WORD.match(stripped).group(0), []).append(entry)
            self.lookup[stripped.lower()] = entry
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e.text))
        self.primary = {(_key(name), oid) for name, oid in primary}

    def with_languages(self, languages) -> "NameIndex":
        """The same names with the cues of other languages."""
        other = copy.copy(self)
        other.cues = cues(languages)
        return other

    def scan(self, text: str):
        """Every registry name in ``text``, longest first: (start, end, name as written, candidate outlet
        ids, ambiguous, whether "the" precedes it). Several candidates mean a shared short name."""
        pos = 0
        for m in _CAP_WORD.finditer(text):
            if m.start() < pos:
                continue
            word = m.group(0)
            entries = self.by_first.get(word)
            if not entries and (word[-1] in _TRIM_END or word.endswith(_POSSESSIVE_ENDS)):
                # "Reuters'", "CNN's", "Bloomberg.": try the bare name
                entries = self.by_first.get(_POSSESSIVE.sub("", word).rstrip(".,'’"))
            if not entries:
                continue
            start = m.start()
            the = text[max(0, start - 4):start] in ("the ", "The ") and not text[max(0, start - 5):start - 4].isalnum()
            for entry in entries:
                end = start + len(entry.text)
                if not (text.startswith(entry.text, start) and (end == len(text) or not text[end].isalnum())):
                    continue
                ids, ambiguous = entry.with_the if the else entry.bare
                if not ids and self._determined(text, start):
                    ids, ambiguous = entry.with_the  # "an Atlantic essay": the determiner stands for "the"
                if not ids:
                    continue
                begin = start - 4 if the else start
                yield begin, end, text[begin:end], ids, ambiguous, the
                pos = end
                break

    def _determined(self, text: str, start: int) -> bool:
        before = text[max(0, start - 40):start]
        return any(_tail_search(rx, before) for rx, _after, _c in self.cues.determiners)

    def owner(self, name: str, ids: tuple[str, ...], named_before: Iterable[str] = ()) -> str:
        """The outlet a name stands for: its only candidate; else the candidate last named in full
        before it; else the one whose own name it is; else '' (unknown, so not counted)."""
        if len(ids) == 1:
            return ids[0]
        for oid in reversed(list(named_before)):
            if oid in ids:
                return oid
        own = [oid for oid in ids if (_key(name), oid) in self.primary]
        return own[0] if len(own) == 1 else ""

    def resolve(self, name: str) -> str:
        """The outlet id of a name as written ('' when unknown or not settled)."""
        key = _key(name)
        entry = self.lookup.get(key)
        if entry is None:
            return ""
        return self.owner(key, entry.with_the[0] or entry.bare[0])


def _key(name: str) -> str:
    return re.sub(r"^the ", "", " ".join(name.split()).strip(" .,;:"), flags=re.I).lower()


_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def name_index(registry, languages: str | Iterable[str] = DEFAULT_LANGUAGES) -> NameIndex:
    """The name index of a registry with the cues of ``languages``, built once per registry version.

    Examples
    --------
    >>> from citegraph.outlets import default_registry
    >>> [f.outlet_id for f in find_mentions("Según El País, el plan sigue.",
    ...                                     name_index(default_registry(), languages=("en", "es")))]
    ['elpais.com']
    """
    langs = _language_tuple(languages)
    version = getattr(registry, "version", None)
    cached = _INDEXES.get(registry)
    if cached is None or cached[0] != version or version is None:
        cached = (version, {})
        _INDEXES[registry] = cached
    by_langs = cached[1]
    if langs not in by_langs:
        base = next(iter(by_langs.values()), None)
        by_langs[langs] = (base.with_languages(langs) if base is not None
                           else NameIndex(registry.names(), primary=_primary_names(registry), languages=langs))
    return by_langs[langs]


def _primary_names(registry) -> list[tuple[str, str]]:
    try:
        return [(outlet.name, outlet.id) for outlet in registry]
    except TypeError:  # a registry that cannot list its outlets: shared short names stay unsettled
        return []


# ---------------------------------------------------------------------------------------------------
# Mentions


def _not_outlet(before: str, after: str, the: bool, c: Cues) -> bool:
    """Whether an ambiguous name is something else here: a longer proper name, or a person."""
    if _PREV_PROPER.search(before):
        return True
    # ... except when the next word says what the name is: "Bloomberg Television", "Fox News Radio".
    if _NEXT_PROPER.match(after) and not any(rx.match(after) for rx in c.descriptors_after):
        return True
    # "Time's Up" is a movement, but "the Post's Bob Woodward" is the paper's reporter.
    if not the and _NEXT_PROPER_POSSESSIVE.match(after):
        return True
    return any(rx.search(before) for rx in c.not_before) or any(rx.search(after) for rx in c.not_after)


def _cue(text: str, start: int, end: int, ambiguous: bool, the: bool, c: Cues) -> float:
    before = text[max(0, start - 100):start]
    after = text[end:end + 120]
    if ambiguous and _not_outlet(before, after, the, c):
        return 0.0
    befores = [before]
    if before.endswith(" "):
        for rx in c.descriptors_before:  # "according to [the German magazine ]Der Spiegel"
            m = _tail_search(rx, before)
            if m:
                befores.append(before[:m.start()] + before[m.end():])
    for (rx, conf), width in zip(c.pre, c.pre_width):
        # an end-anchored cue can only start within its width of the end: search from there
        if any(rx.search(b, max(0, len(b) - width) if width else 0) for b in befores):
            return conf
    for rx in c.descriptors_after:
        m = rx.match(after)
        if m:
            after = after[m.end():]
            break
    for rx, conf, enough_for_ambiguous in c.post:
        if rx.search(after) and (enough_for_ambiguous or not ambiguous):
            return conf
    for rx, conf in c.possessive:
        if rx.search(after):
            return conf
    for rx_before, rx_after, conf in c.determiners:
        if _tail_search(rx_before, before) and rx_after.search(after):
            return conf
    return 0.0


def find_mentions(text: str, index: NameIndex, *, seen: Iterable[str] = ()) -> list[Found]:
    """Outlets named as sources in ``text``, each with the confidence of its cue.

    A name with no cue of its own shares the cue of a cited name it is joined to ("Reuters and
    Bloomberg reported"). A short name several outlets share ("the Post") stands for the one last
    named in full before it, in ``text`` or in ``seen`` (outlet ids named earlier in the article, see
    :func:`named_outlets`), else for the outlet whose own name it is ("The Times"), else for none.

    Examples
    --------
    >>> from citegraph.outlets import default_registry
    >>> index = name_index(default_registry())
    >>> [f.outlet_id for f in find_mentions("The Washington Post ran it first; the Post's reporting "
    ...                                     "prompted an inquiry.", index)]
    ['washingtonpost.com']
    """
    named = list(seen)
    hits = []
    for start, end, name, ids, ambiguous, the in index.scan(text):
        oid = index.owner(name, ids, named)
        if len(ids) == 1:
            named.append(oid)
        if oid:
            hits.append((start, end, name, oid, ambiguous, the))
    c = index.cues
    conf = [_cue(text, start, end, ambiguous, the, c) for start, end, _n, _o, ambiguous, the in hits]
    changed = True
    while changed:  # spread along chains of joined names, both ways
        changed = False
        for i in range(len(hits) - 1):
            between = text[hits[i][1]:hits[i + 1][0]]
            if bool(conf[i]) != bool(conf[i + 1]) and any(rx.match(between) for rx in c.joined):
                j = i if not conf[i] else i + 1
                conf[j] = min(conf[i] or conf[i + 1], 0.85)
                changed = True
    return [Found(oid, name, start, end, cf) for (start, end, name, oid, _a, _t), cf in zip(hits, conf) if cf]


def named_outlets(text: str, index: NameIndex) -> tuple[str, ...]:
    """The outlets ``text`` names by a name only they carry, in order, cue or not: the context that
    settles a later short name ("The Washington Post ... the Post"). Pass them as ``seen``."""
    return tuple(ids[0] for _s, _e, _n, ids, _a, _t in index.scan(text) if len(ids) == 1)


# ---------------------------------------------------------------------------------------------------
# Republication and wire credits


def find_syndication(text: str, index: NameIndex, *, end_matter: bool = False) -> list[Found]:
    """Outlets that ``text`` says it republishes ("The original source of this article is X")."""
    c = index.cues
    out = []
    # The rules run only around the keywords they need: most texts have none.
    windows = (_keyword_windows(text, c.any_literals, c.any_keywords) if end_matter
               else _keyword_windows(text, c.strong_literals, c.strong_keywords))
    if not windows:
        return out
    rules = c.syndication if end_matter else c.syndication[:c.strong_syndication]
    for rx in rules:
        for m in (m for a, b in windows for m in rx.finditer(text, a, b)):
            rest = text[m.end():m.end() + 120]
            for start, end, name, ids, _amb, _the in index.scan(rest):
                if start > 12:  # the name must follow the cue closely
                    break
                oid = index.owner(name, ids)
                if oid:
                    out.append(Found(oid, name, m.end() + start, m.end() + end, 0.95))
                break
        if out:
            break
    return out


def find_dateline(text: str, index: NameIndex) -> Found | None:
    """A wire credit at the head of a story: "WASHINGTON (AP) —", "LONDON, June 3 (Reuters) -",
    "(Reuters) -", or a byline "By Jane Doe, Reuters" (in the cue languages' own words: "Por", "Par").

    Only the first ``300`` characters are read, at the start of a line; a dateline wins over a byline.

    Examples
    --------
    >>> from citegraph.outlets import default_registry
    >>> find_dateline("KYIV, Ukraine (AP) — Drones struck overnight.", name_index(default_registry())).outlet_id
    'apnews.com'
    """
    head = text[:_HEAD_CHARS]
    for m in _DATELINE.finditer(head):
        outlet_id = index.resolve(m.group("name"))
        if outlet_id:
            return Found(outlet_id, m.group("name"), m.start("name"), m.end("name"), 0.95)
    return _byline(head, index)


def _byline(head: str, index: NameIndex) -> Found | None:
    """"By Jane Doe, Reuters": an outlet right after the people, and then no sentence going on."""
    line_start = 0
    for line in head.split("\n")[:4]:
        if not index.cues.byline_start.match(line):
            line_start += len(line) + 1
            continue
        for start, end, name, ids, _amb, _the in index.scan(line):
            if start > 120:
                break
            rest = line[end:]
            if index.cues.bylines.match(line[:start]) and not re.match(r"\s*[a-z]", rest):
                oid = index.owner(name, ids)
                if oid:
                    return Found(oid, name, line_start + start, line_start + end, 0.9)
        line_start += len(line) + 1
    return None


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
