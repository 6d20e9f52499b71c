"""A deterministic, fictional news web on ``.example`` domains.

The sample web is the demo's data, the test suite's ground truth and the benchmarks' load. Fictional
outlets (a mainstream cluster, a fringe cluster that cites itself and state media, a wire service that
many republish, a think tank) cite each other and a handful of real outlets, in three page templates
(modern HTML5, a 2008-style table layout, a WordPress-like theme).

Every page carries its ground truth: one :class:`ExpectedCitation` per (article, target outlet, kind),
taken from the article body only. Navigation, "most read" sidebars, footers, comments, share bars and
ads link to outlets too, and none of those links is a citation.

Conventions of the ground truth, for the extractors that are checked against it:

- ``target_url`` is the ``href`` as written in the page, entities decoded (so ``&amp;`` is ``&``): it
  may be relative (a self-citation), carry ``utm_*`` parameters, or wrap the article in a
  ``web.archive.org`` or AMP-cache URL. The first link to a target wins.
- A link's anchor text and sentence never name an outlet, and a mention sentence carries no link, so
  a name is a mention only where the expected list says so.
- An outlet named in a syndication note or dateline ("LONDON (Civic Wire Service) —", "This article
  first appeared on ...") is a syndication citation, not a mention.
- A syndication citation found through ``<link rel=canonical>`` (original article on the original
  outlet's domain, while ``og:url`` keeps the republisher's URL) has that canonical URL as
  ``target_url``; one found only in text has an empty ``target_url``.

The same arguments give byte-identical pages, HTML files and WARC files: all randomness comes from
``random.Random(seed)`` and no clock is read.

Two options of :func:`iter_pages` serve the live sample web (:mod:`citegraph.sample_web`):
``scheme="http"`` puts every fictional URL on plain http, since a local HTTP proxy cannot look
inside https tunnels, and ``even=True`` gives every outlet the same number of pages (give or take
one), so a crawl benchmark has hosts of equal size. Neither changes what the ground truth means.

Examples
--------
>>> page = next(iter_pages(n_pages=1))
>>> page.url.startswith("http")
True
"""
from __future__ import annotations

import html
import json
import random
import re
import unicodedata
import uuid
from dataclasses import dataclass, replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import quote

from citegraph.models import CITATION_KINDS, OUTLET_KINDS, Outlet

__all__ = [
    "SampleError",
    "SamplePage",
    "ExpectedCitation",
    "SampleFiles",
    "sample_outlets",
    "iter_pages",
    "expected_edges",
    "write_html_dir",
    "write_warc",
    "write_outlets_file",
    "write_sample",
]


class SampleError(ValueError):
    """Bad arguments to the sample generator; ``code`` is a short reason code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True, slots=True)
class ExpectedCitation:
    """A citation that the body of a sample page carries."""

    article_url: str
    source_outlet: str
    target_outlet: str
    kind: str  # 'link' | 'mention' | 'syndication'
    target_url: str  # the href as written in the page, '' for a mention or a note in text


@dataclass(frozen=True, slots=True)
class SamplePage:
    """One generated article page and the citations its body carries."""

    url: str
    html: str
    outlet_id: str  # registered domain
    published_at: str  # ISO date
    expected: tuple[ExpectedCitation, ...]


@dataclass(frozen=True, slots=True)
class SampleFiles:
    """The paths :func:`write_sample` wrote, and how many pages."""

    directory: Path
    html_dir: Path
    warc: Path
    outlets: Path
    expected: Path
    pages: int


# --------------------------------------------------------------------------------------------------
# Outlets

# The fictional outlets, in the order they are taken: a small n_outlets still gets a mainstream
# paper, the wire, a fringe site, state media and the think tank.
# Countries are ISO 3166 user-assigned codes (XF Freedonia, XR Ruritania, XV Valoria, XC Karvonia).
# (id, name, article before the name mid-sentence, kind, country, cluster, template, www host,
#  volume of articles, mean links an article, html lang, aliases)
_FICTIONAL = (
    ("daily-bugle.example", "The Daily Bugle", "", "news", "XF", "mainstream", "modern",
     True, 10.0, 4, "en-US", ("Daily Bugle",)),
    ("civicwire.example", "Civic Wire Service", "the", "wire", "XF", "wire", "modern",
     True, 8.0, 1, "en", ("Civic Wire",)),
    ("truthpatriotdaily.example", "Truth Patriot Daily", "", "news", "XF", "fringe",
     "wordpress", False, 6.0, 5, "en-US", ()),
    ("meridian-tv.example", "Meridian State TV", "", "state_media", "XC", "state", "modern",
     True, 5.0, 3, "en", ("Meridian TV",)),
    ("openpolicy.example", "Institute for Open Policy", "the", "think_tank", "XF",
     "thinktank", "wordpress", True, 1.5, 6, "en", ("Open Policy Institute",)),
    ("harbour-gazette.example", "Harbour Gazette", "the", "news", "XR", "mainstream",
     "table", True, 5.0, 3, "en-GB", ()),
    ("northern-ledger.example", "Northern Ledger", "the", "news", "XR", "mainstream",
     "table", False, 3.0, 2, "en-GB", ()),
    ("eagle-eye-dispatch.example", "Eagle Eye Dispatch", "", "news", "XF", "fringe",
     "wordpress", False, 3.0, 6, "en-US", ()),
    ("weekly-lantern.example", "The Weekly Lantern", "", "magazine", "XR", "mainstream",
     "wordpress", True, 2.0, 3, "en-GB", ("Weekly Lantern",)),
    ("valoria-radio.example", "Valoria Public Radio", "", "broadcaster", "XV", "mainstream",
     "modern", True, 3.0, 2, "en", ()),
    ("awakened-citizen.example", "The Awakened Citizen", "", "other", "XF", "fringe",
     "table", False, 1.0, 4, "en-US", ("Awakened Citizen",)),
    ("zollner-review.example", "Zöllner Review", "the", "magazine", "XV", "mainstream",
     "modern", True, 1.0, 2, "en", ("Zollner Review",)),
)

# Extra outlets beyond the list above get made-up names from these parts.
_EXTRA_PLACES = ("Riverside", "Eastport", "Westbrook", "Highmoor", "Lakeshore", "Granite Bay",
                 "Silverton", "Oakvale")
_EXTRA_TITLES = ("Courier", "Tribune", "Sentinel", "Herald", "Observer", "Chronicle", "Examiner")
_EXTRA_COUNTRIES = ("XF", "XR", "XV", "XC")
_TEMPLATES = ("modern", "table", "wordpress")


@dataclass(frozen=True, slots=True)
class _Profile:
    """How a fictional outlet writes: what the generator needs beyond :class:`Outlet`."""

    outlet: Outlet
    article: str
    cluster: str
    template: str
    scheme: str
    host: str
    volume: float
    cite_rate: int
    lang: str
    authors: tuple[str, ...]


def _extra_row(k: int, rng: random.Random) -> tuple:
    place = _EXTRA_PLACES[k % len(_EXTRA_PLACES)]
    title = _EXTRA_TITLES[(k // len(_EXTRA_PLACES)) % len(_EXTRA_TITLES)]
    round_ = k // (len(_EXTRA_PLACES) * len(_EXTRA_TITLES))
    name = f"The {place} {title}" + (f" {round_ + 1}" if round_ else "")
    slug = _slug(f"{place} {title}") + (str(round_ + 1) if round_ else "")
    cluster = "fringe" if k % 4 == 3 else "mainstream"
    return (f"{slug}.example", name, "", "news", rng.choice(_EXTRA_COUNTRIES), cluster,
            rng.choice(_TEMPLATES), rng.random() < 0.5, round(rng.uniform(0.5, 3.0), 2),
            rng.randint(1, 5), "en", ())


_FIRST_NAMES = ("Zoë", "Łukasz", "Maria", "James", "Aiko", "Søren", "Amara", "Daniel", "Chloé",
                "Tomás", "Priya", "Olu", "Hannah", "Mateo", "Yuki", "Fatima", "Ewan", "Ingrid")
_LAST_NAMES = ("Kowalska", "O'Brien", "Nakamura", "Brennan", "Okafor", "Lindqvist", "Durand",
               "Haddad", "Moreno", "Fischer", "Patel", "MacLeod", "Ferreira", "Tanaka", "Novák")


def _authors_of(outlet_id: str, seed: int) -> tuple[str, ...]:
    # A private stream per outlet, so adding outlets never changes existing outlets' bylines.
    rng = random.Random(f"{seed}:{outlet_id}")
    return tuple(f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}" for _ in range(4))


def _profiles(n_outlets: int, seed: int) -> tuple[_Profile, ...]:
    if not isinstance(n_outlets, int) or n_outlets < 1:
        raise SampleError("bad-count", f"n_outlets must be a positive integer, got {n_outlets!r}")
    rows = list(_FICTIONAL[:n_outlets])
    extra_rng = random.Random(f"extra:{seed}")
    rows += [_extra_row(k, extra_rng) for k in range(n_outlets - len(rows))]
    return tuple(_profile_of(row, seed) for row in rows)


def _profile_of(row: tuple, seed: int) -> _Profile:
    (oid, name, article, kind, country, cluster, template, www, volume, rate, lang, aliases) = row
    outlet = Outlet(id=oid, name=name, domains=(oid,), kind=kind, country=country, aliases=aliases)
    # The 2008-style sites never moved to https.
    scheme = "http" if template == "table" else "https"
    host = f"www.{oid}" if www else oid
    return _Profile(outlet, article, cluster, template, scheme, host, volume, rate, lang,
                    _authors_of(oid, seed))


def sample_outlets(n_outlets: int = 12, seed: int = 0) -> list[Outlet]:
    """Return the fictional outlets of the sample web.

    Parameters
    ----------
    n_outlets : int
        How many outlets. The first twelve are fixed; more get made-up names whose country and
        page template depend on ``seed``.
    seed : int
        Seed of the made-up outlets beyond the fixed twelve.

    Returns
    -------
    list of Outlet
        Ids are registered domains on ``.example``; kinds come from ``OUTLET_KINDS``.

    Examples
    --------
    >>> [o.id for o in sample_outlets(2)]
    ['daily-bugle.example', 'civicwire.example']
    """
    return [p.outlet for p in _profiles(n_outlets, seed)]


# --------------------------------------------------------------------------------------------------
# Real outlets that fictional ones cite. Their ids and names are those of the shipped registry.

def _reuters(rng, slug, d):
    section = rng.choice(("world/europe", "business", "world/asia-pacific", "markets"))
    return f"https://www.reuters.com/{section}/{slug}-{d:%Y-%m-%d}/"


def _apnews(rng, slug, d):
    return f"https://apnews.com/article/{slug}-{rng.getrandbits(128):032x}"


def _nytimes(rng, slug, d):
    section = rng.choice(("world/europe", "us/politics", "business", "climate"))
    return f"https://www.nytimes.com/{d:%Y/%m/%d}/{section}/{slug}.html"


def _guardian(rng, slug, d):
    section = rng.choice(("world", "politics", "business", "environment"))
    return f"https://www.theguardian.com/{section}/{d.year}/{d:%b}/{d:%d}/{slug}".lower()


def _wapo(rng, slug, d):
    return f"https://www.washingtonpost.com/world/{d:%Y/%m/%d}/{slug}/"


def _aljazeera(rng, slug, d):
    return f"https://www.aljazeera.com/news/{d.year}/{d.month}/{d.day}/{slug}"


def _rt(rng, slug, d):
    return f"https://www.rt.com/news/{rng.randrange(500000, 620000)}-{slug}/"


def _foxnews(rng, slug, d):
    return f"https://www.foxnews.com/{rng.choice(('politics', 'world', 'us'))}/{slug}"


def _brookings(rng, slug, d):
    return f"https://www.brookings.edu/articles/{slug}/"


def _bbc(rng, slug, d):
    return f"https://www.bbc.co.uk/news/{rng.choice(('world-europe', 'uk', 'business'))}-{rng.randrange(60000000, 69999999)}"


def _neo(rng, slug, d):
    return f"https://journal-neo.org/{d:%Y/%m/%d}/{slug}/"


# (id, name, article before the name mid-sentence, cluster, prominence, URL shape)
_REAL = (
    ("reuters.com", "Reuters", "", "real_main", 10.0, _reuters),
    ("apnews.com", "The Associated Press", "", "real_main", 9.0, _apnews),
    ("nytimes.com", "The New York Times", "", "real_main", 8.0, _nytimes),
    ("theguardian.com", "The Guardian", "", "real_main", 6.0, _guardian),
    ("washingtonpost.com", "The Washington Post", "", "real_main", 5.0, _wapo),
    ("bbc.co.uk", "BBC", "the", "real_main", 6.0, _bbc),
    ("aljazeera.com", "Al Jazeera", "", "real_main", 3.0, _aljazeera),
    ("foxnews.com", "Fox News", "", "real_right", 4.0, _foxnews),
    ("rt.com", "RT", "", "real_state", 3.0, _rt),
    ("journal-neo.org", "New Eastern Outlook", "", "real_state", 2.0, _neo),
    ("brookings.edu", "Brookings Institution", "the", "real_tank", 2.0, _brookings),
)

# Who cites whom: weight of a target cluster for a source cluster ("self" is the source itself).
# Multiplied by the target's volume or prominence, so big outlets are cited more (a skewed graph).
_AFFINITY = {
    "mainstream": {"self": 0.8, "mainstream": 0.5, "wire": 1.2, "thinktank": 1.0, "state": 0.05,
                   "fringe": 0.02, "real_main": 1.0, "real_right": 0.3, "real_state": 0.05,
                   "real_tank": 1.0},
    "fringe": {"self": 1.0, "mainstream": 0.1, "wire": 0.1, "thinktank": 0.05, "state": 1.5,
               "fringe": 2.0, "real_main": 0.15, "real_right": 1.2, "real_state": 2.0,
               "real_tank": 0.02},
    "state": {"self": 1.5, "mainstream": 0.05, "wire": 0.1, "thinktank": 0.0, "state": 0.5,
              "fringe": 1.0, "real_main": 0.1, "real_right": 0.5, "real_state": 2.5,
              "real_tank": 0.0},
    "wire": {"self": 0.6, "mainstream": 0.1, "wire": 0.0, "thinktank": 0.3, "state": 0.05,
             "fringe": 0.0, "real_main": 0.4, "real_right": 0.05, "real_state": 0.02,
             "real_tank": 0.3},
    "thinktank": {"self": 2.0, "mainstream": 0.8, "wire": 0.6, "thinktank": 0.0, "state": 0.2,
                  "fringe": 0.02, "real_main": 1.0, "real_right": 0.1, "real_state": 0.2,
                  "real_tank": 3.0},
}
# Exponent on the target's size: above 1 makes the in-degree heavy-tailed, as in real news webs.
_SKEW = 1.5
# Mean mentions (names without a link) per article, by cluster.
_MENTION_RATE = {"mainstream": 2, "fringe": 3, "state": 2, "wire": 1, "thinktank": 2}


@dataclass(frozen=True, slots=True)
class _Target:
    """An outlet that can be cited: a fictional one (``profile`` set) or a real one."""

    id: str
    name: str
    article: str
    cluster: str
    weight: float
    url_shape: Callable | None
    profile: _Profile | None


def _targets(profiles: tuple[_Profile, ...]) -> tuple[_Target, ...]:
    fictional = tuple(_Target(p.outlet.id, p.outlet.name, p.article, p.cluster, p.volume, None, p)
                      for p in profiles)
    return fictional + tuple(_Target(*row, None) for row in _REAL)


def _cum_weights(source: _Profile, targets: tuple[_Target, ...]) -> list[float]:
    row = _AFFINITY[source.cluster]
    total, cum = 0.0, []
    for t in targets:
        key = "self" if t.id == source.outlet.id else t.cluster
        total += row[key] * t.weight ** _SKEW
        cum.append(total)
    return cum


# --------------------------------------------------------------------------------------------------
# Prose. Strings here are HTML-safe already; slot values are escaped when an article is set up.

_PLACES = ("Port Elmwood", "Łódź", "東京", "São Paulo", "Reykjavík", "Kingsbridge", "Valdora",
           "New Harlow", "Ostrava Heights", "Marisol Bay", "Fenwick", "Zürich")
_ORGS = ("the dockworkers' union", "the Ministry of Transport", "Smith & Partners",
         "the regional council", "the Harbour Authority", "the national audit office",
         "Kessler & Vane Holdings", "the teachers' federation", "the energy regulator")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

# (noun, headline templates, clauses for attributed statements, link anchors)
_TOPICS = (
    ("harbour strike",
     ("Harbour strike talks resume in {place} as unions weigh offer",
      "\"We will not back down,\" dockworkers tell {person}",
      "Strike & lockout: what the {place} stand-off means for shipping"),
     ("the harbour strike could cost as much as {number} million a week",
      "union leaders had rejected a second pay offer",
      "port operators were quietly hiring replacement crews"),
     ("a leaked draft of the port agreement", "last year's walkout at the container terminal",
      "the union's &ldquo;final&rdquo; offer")),
    ("energy prices",
     ("Energy bills to rise again in {place}, regulator warns",
      "{person}'s plan to cap energy prices faces scrutiny",
      "Gas & power: why bills in {place} keep climbing"),
     ("household energy bills would rise by {number} per cent next winter",
      "the regulator had been warned about the price cap months earlier",
      "two suppliers were close to collapse"),
     ("the regulator's own price forecasts", "an analysis of winter bills",
      "the Smith &amp; Partners audit of the price cap")),
    ("election",
     ("{person} leads in {place} as election campaign tightens",
      "Polls & pitfalls: the {place} election in five charts",
      "Election officials in {place} defend \"robust\" count"),
     ("turnout had fallen for the third election in a row",
      "{person} had privately conceded the race",
      "campaign spending rules were broken in at least {number} districts"),
     ("polling from the final week of the campaign", "the electoral commission's report",
      "an interview with the returning officer")),
    ("flood defences",
     ("Flood defences in {place} 'not fit for purpose', report finds",
      "{person} visits {place} after record rainfall",
      "Rivers & reservoirs: inside {place}'s flood plan"),
     ("the flood barrier was {number} years behind schedule",
      "insurers were pulling out of the worst-hit streets",
      "engineers had flagged cracks in the embankment"),
     ("the engineers' inspection report", "maps of the flood plain",
      "the council's emergency plan")),
    ("trade deal",
     ("Trade deal with {place} stalls over farm tariffs",
      "Tariffs & talks: {person} heads to {place}",
      "What the {place} trade deal means for exporters"),
     ("the trade deal would remove tariffs on {number} product lines",
      "negotiators had agreed a text that was later withdrawn",
      "farmers' groups were lobbying against the deal"),
     ("the draft trade text", "tariff schedules published in the spring",
      "the exporters' survey")),
    ("hospital waiting lists",
     ("Hospital waiting lists hit record in {place}",
      "{person} promises \"urgent\" action on waiting times",
      "Nurses & doctors warn of winter crisis in {place}"),
     ("about {number},000 patients were waiting more than a year",
      "two hospitals had stopped routine surgery",
      "the health board had missed every target since spring"),
     ("the health board's monthly figures", "a survey of junior doctors",
      "the waiting-list recovery plan")),
    ("rail privatisation",
     ("Rail sell-off in {place} divides ministers",
      "{person} defends rail privatisation plan",
      "Fares & franchises: the fight over {place}'s railways"),
     ("fares would rise by {number} per cent after the sale",
      "the rail operator had overstated its losses",
      "bidders were offered guarantees that were never made public"),
     ("the franchise documents", "a history of the line's timetable cuts",
      "the passengers' watchdog findings")),
    ("border dispute",
     ("Border dispute flares as {place} recalls ambassador",
      "{person}: \"No talks until troops withdraw\"",
      "Maps & memory: the roots of the {place} border row"),
     ("troops had crossed the line at {number} points",
      "a secret channel between the two capitals had been reopened",
      "the ceasefire monitors had been denied access"),
     ("satellite images of the border crossings", "the 1998 boundary treaty",
      "the monitors' latest report")),
)

_FILLERS = (
    "Officials in {place} said on {day} that the {noun} would be reviewed before the end of the month.",
    "{person}, a spokesperson for {org}, called the latest figures \"deeply worrying\".",
    "The {noun} has divided opinion in {place} for more than {small} years.",
    "Critics argue that the plan does little for those most affected, while supporters say it is long overdue.",
    "About {number},000 people are thought to be affected, according to local estimates.",
    "Analysts expect further announcements in the coming weeks.",
    "{person2} described the decision as \"a betrayal\" of earlier promises.",
    "{org_cap} did not respond to a request for comment.",
    "It is the {ordinal} time this year that the issue has reached parliament.",
    "Residents gathered outside the town hall in {place} on {day} evening.",
    "\"We have heard these promises before &amp; nothing changed,\" said {person2}.",
    "The figures, released on {day}, were higher than most forecasts.",
    "Opposition members called for an independent inquiry into the {noun}.",
    "{person} declined to say when a final decision would be made.",
    "Some business owners in {place} said they had already begun to feel the effects.",
    "A second round of talks is expected in {month}.",
    "The government insists that the {noun} is under control.",
    "Local newspapers in {place} have covered the story for weeks.",
    "Campaigners plan a march through central {place} next {day}.",
    "Neither side has published the full terms.",
    "Officials said privately that {clause}.",
    "Documents released on {day} suggest that {clause2}.",
    "{person} has denied any wrongdoing.",
    "The debate is likely to dominate the next session of the assembly.",
    "Few expect a quick resolution.",
    "\u201cThis is not over,\u201d {person2} said outside the ministry in {place}.",
    "Turnout at a public meeting in {place} on {day} was the highest in a decade.",
    "Independent experts have questioned some of the assumptions behind the plan.",
    "{org_cap} said it would publish its own figures in {month}.",
    "The cost of the {noun} is now estimated at {number} million.",
)

# Statements that fit any story, for attributed sentences.
_CLAUSES = (
    "the plan had been drawn up in a matter of days",
    "{org} had lobbied hard against the proposal",
    "the official figures had been revised twice",
    "ministers were deeply divided over what to do next",
    "{person2} had warned colleagues about the risks in {month}",
    "the cost had been underestimated from the start",
    "a compromise was within reach as late as {day}",
)

# Links: the anchor ({a}) describes the cited piece; no outlet is named in the sentence.
_LINK_SENTENCES = (
    "The row follows {a} earlier this year.",
    "{person} pointed to {a} as evidence that the {noun} had been mishandled.",
    "Those numbers are roughly in line with {a}.",
    "Much of the background is laid out in {a}.",
    "The decision came weeks after {a} was made public.",
    "As {a} showed, the {noun} has been years in the making.",
    "Readers can compare the claims with {a}.",
)

# Mentions: (template, form of the name it needs). "mid" is the name as written mid-sentence
# ("the Harbour Gazette"), "initial" at the start of a sentence, "bare" as a modifier
# ("a Reuters article"), "paper" for think tanks' papers.
_MENTION_SENTENCES = (
    ("According to {mid}, {clause}.", "mid"),
    ("{initial} reported that {clause}.", "initial"),
    ("In a {year} {bare} interview, {person} said that {clause}.", "bare"),
    ("In a {year} interview with {mid}, {person} said that {clause}.", "mid"),
    ("A {bare} article titled \"{title}\" claimed that {clause}.", "bare"),
    ("An article in {mid} titled \"{title}\" claimed that {clause}.", "mid"),
    ("{person} told {mid} that {clause}.", "mid"),
    ("Last year {mid}, in a paper titled \"{title}\", argued that {clause}.", "paper"),
)

_DATELINE_CITIES = ("LONDON", "WASHINGTON", "ŁÓDŹ", "TOKYO", "PORT ELMWOOD", "SÃO PAULO",
                    "GENEVA", "REYKJAVÍK")
_ORDINALS = ("second", "third", "fourth", "fifth")
_SECTIONS = ("world", "politics", "business", "climate", "health")
_COMMENTERS = (("Zoë_K", "https://zoek.blog.example/"), ("harbourwatcher", ""),
               ("Łukasz W.", "http://lukasz-notes.example/about"), ("T. O'Brien", ""),
               ("anon&amp;proud", "https://www.anonproud.example/"), ("東京ニュース好き", ""))
_COMMENT_TEXTS = ("Typical. Nobody in charge ever pays for this.",
                  "According to Reuters it was far worse than this article says.",
                  "Great reporting &mdash; keep it up!",
                  "I live in {place} and can confirm every word.",
                  "The Daily Bugle covered this last week, and better.",
                  "Does anyone have the full report?")


# --------------------------------------------------------------------------------------------------
# Small helpers

_esc = html.escape
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "AE",
                               "æ": "ae", "Đ": "D", "đ": "d"})


def _slug(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
        text = text.encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", text.lower()).strip("-")[:60].rstrip("-") or "story"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _mid_name(t: _Target) -> str:
    return f"{t.article} {t.name}" if t.article else t.name


def _amp_cache(url: str) -> str:
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0]
    cache_host = host.replace("-", "--").replace(".", "-")
    return f"https://{cache_host}.cdn.ampproject.org/c/{'s/' if scheme == 'https' else ''}{rest}"


def _toggle_www(url: str) -> str:
    scheme, rest = url.split("://", 1)
    rest = rest[4:] if rest.startswith("www.") else "www." + rest
    return f"{scheme}://{rest}"


_UTM = ("utm_source=twitter&utm_medium=social", "utm_source=newsletter&utm_campaign=morning",
        "utm_medium=referral&utm_content=inline")


def _url_variant(rng: random.Random, url: str, d: date) -> str:
    """Return the URL as a writer pasted it: plain mostly, sometimes tracked, archived or AMP."""
    roll = rng.random()
    if roll < 0.62:
        return url
    if roll < 0.76:
        return f"{url}{'&' if '?' in url else '?'}{rng.choice(_UTM)}"
    if roll < 0.86:
        return _toggle_www(url)
    if roll < 0.93:
        return f"https://web.archive.org/web/{d:%Y%m%d}{rng.randrange(240000):06d}/{url}"
    return _amp_cache(url)


def _a(href: str, text: str) -> str:
    return f'<a href="{_esc(href)}">{text}</a>'


# --------------------------------------------------------------------------------------------------
# The generator's state: everything that lives across pages is bounded by the outlet count.

_RECENT = 6  # article URLs remembered per fictional outlet, for links between real sample pages


class _Web:
    """Page-by-page generator state; memory is O(outlets), never O(pages).

    ``scheme`` (``http`` or ``https``) replaces every fictional outlet's own scheme; ``even``
    hands pages to outlets in turn instead of by volume.
    """

    def __init__(self, n_outlets: int, seed: int, scheme: str | None = None,
                 even: bool = False) -> None:
        self.rng = random.Random(seed)
        self.scheme = scheme
        self.even = even
        self.profiles = _profiles(n_outlets, seed)
        if scheme:
            self.profiles = tuple(replace(p, scheme=scheme) for p in self.profiles)
        self.targets = _targets(self.profiles)
        self.by_id = {t.id: t for t in self.targets}
        self.cum = {p.outlet.id: _cum_weights(p, self.targets) for p in self.profiles}
        self.source_cum = _running([p.volume for p in self.profiles])
        self.recent: dict[str, list[str]] = {p.outlet.id: [] for p in self.profiles}
        self.first_day = date(2023, 1, 2).toordinal()

    def article_url(self, t: _Target, topic: tuple, d: date) -> str:
        """Return a URL of an article of ``t`` on ``topic``: a page already generated if any."""
        rng = self.rng
        recent = self.recent.get(t.id)
        if recent and rng.random() < 0.8:
            return rng.choice(recent)
        slug = _slug(_other_headline(rng, topic))
        if t.profile is None:
            return t.url_shape(rng, slug, d)
        return _page_url(t.profile, slug, rng.randrange(10**6, 10**7), d)

    def remember(self, outlet_id: str, url: str) -> None:
        recent = self.recent[outlet_id]
        recent.append(url)
        if len(recent) > _RECENT:
            del recent[0]


def _with_scheme(url: str, scheme: str | None) -> str:
    """Return a fictional boilerplate URL on ``scheme`` (unchanged when none is forced)."""
    if not scheme or "://" not in url:
        return url
    return f"{scheme}://{url.split('://', 1)[1]}"


def _running(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _page_url(p: _Profile, slug: str, number: int, d: date) -> str:
    base = f"{p.scheme}://{p.host}"
    if p.template == "table":
        return f"{base}/news/{d:%Y%m%d}/{slug}-{number}.htm"
    if p.template == "wordpress":
        return f"{base}/{d:%Y/%m/%d}/{slug}-{number}/"
    return f"{base}/{d:%Y/%m/%d}/{slug}-{number}.html"


# --------------------------------------------------------------------------------------------------
# One article


class _Article:
    """The parts of one article page, filled in by the functions below and rendered by a template."""

    __slots__ = ("web", "rng", "p", "d", "url", "number", "topic", "ctx", "headline", "author",
                 "time", "expected", "body_urls", "canonical", "dateline", "note", "paragraphs")


def _article(web: _Web, number: int) -> _Article:
    rng = web.rng
    art = _Article()
    art.web, art.rng, art.number = web, rng, number
    if web.even:
        # Equal hosts for crawl benchmarks; by volume a few outlets would hold most pages.
        art.p = web.profiles[(number - 1) % len(web.profiles)]
    else:
        art.p = web.profiles[_pick(rng, web.source_cum)]
    art.d = date.fromordinal(web.first_day + rng.randrange(728))
    art.topic = rng.choice(_TOPICS)
    place, person = rng.choice(_PLACES), _person(rng)
    art.headline = rng.choice(art.topic[1]).format(place=place, person=person)
    art.url = _page_url(art.p, _slug(art.headline), number, art.d)
    art.author = rng.choice(art.p.authors)
    art.time = f"{art.d.isoformat()}T{rng.randrange(6, 21):02d}:{rng.randrange(60):02d}:00+00:00"
    org = rng.choice(_ORGS)
    art.ctx = {
        "place": _esc(place), "person": _esc(person), "person2": _esc(_person(rng)),
        "org": _esc(org), "org_cap": _esc(_cap(org)), "noun": art.topic[0],
        "number": rng.randrange(2, 90), "small": rng.randrange(2, 12), "day": rng.choice(_DAYS),
        "month": rng.choice(_MONTHS), "ordinal": rng.choice(_ORDINALS),
    }
    art.ctx["clause"], art.ctx["clause2"] = rng.sample(art.topic[2] + _CLAUSES, 2)
    art.ctx["clause"] = art.ctx["clause"].format_map(art.ctx)
    art.ctx["clause2"] = art.ctx["clause2"].format_map(art.ctx)
    art.expected, art.body_urls = {}, set()
    art.canonical, art.dateline, art.note = art.url, "", ""
    return art


def _pick(rng: random.Random, cum: list[float]) -> int:
    x = rng.random() * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _expect(art: _Article, target_id: str, kind: str, url: str) -> None:
    key = (target_id, kind)
    if key not in art.expected:
        art.expected[key] = ExpectedCitation(art.url, art.p.outlet.id, target_id, kind, url)


def _clause(art: _Article) -> str:
    rng = art.rng
    pool = art.topic[2] if rng.random() < 0.6 else _CLAUSES
    return rng.choice(pool).format_map(art.ctx)


def _other_headline(rng: random.Random, topic: tuple) -> str:
    """Return a headline for a story other than the one being written (unescaped)."""
    return rng.choice(topic[1]).format(place=rng.choice(_PLACES), person=_person(rng))


def _title_quote(art: _Article) -> str:
    return _esc(_other_headline(art.rng, art.topic), quote=False)


# Syndication: republished stories. Each plan returns the original outlet's id or None.

def _syndicate(art: _Article) -> None:
    cluster, rng, by_id = art.p.cluster, art.rng, art.web.by_id
    roll = rng.random()
    if cluster == "mainstream":
        if roll < 0.14:
            wire = by_id.get("civicwire.example") or by_id["apnews.com"]
            _republish(art, wire, dateline=True, canonical=rng.random() < 0.4,
                       note=rng.random() < 0.3)
        elif roll < 0.19:
            _republish(art, by_id["apnews.com"], dateline=True, canonical=False, note=False)
        elif roll < 0.23:
            peer = _peer(art, ("mainstream",))
            if peer:
                _republish(art, peer, dateline=False, canonical=rng.random() < 0.5, note=True)
    elif cluster in ("fringe", "state") and roll < 0.28:
        peer = _peer(art, ("fringe", "state", "real_state"))
        if peer:
            _republish(art, peer, dateline=False, canonical=rng.random() < 0.4, note=True)


def _peer(art: _Article, clusters: tuple[str, ...]) -> _Target | None:
    peers = [t for t in art.web.targets
             if t.cluster in clusters and t.id != art.p.outlet.id and t.id != "rt.com"]
    return art.rng.choice(peers) if peers else None


_NOTES = (
    "The original source of this article is {name}.",
    "This article first appeared on {name}.",
    "Republished with permission from {mid}.",
)


def _republish(art: _Article, t: _Target, *, dateline: bool, canonical: bool, note: bool) -> None:
    rng = art.rng
    url = ""
    if canonical:
        # The original carries the same headline, so the same slug, on its own outlet's site.
        slug = _slug(art.headline)
        url = (t.url_shape(rng, slug, art.d) if t.profile is None
               else _page_url(t.profile, slug, rng.randrange(10**6, 10**7), art.d))
        art.canonical = url
    if dateline:
        credit = "AP" if t.id == "apnews.com" else _esc(t.name)
        art.dateline = f"{rng.choice(_DATELINE_CITIES)} ({credit}) — "
    if note:
        art.note = rng.choice(_NOTES).format(name=_esc(t.name), mid=_esc(_mid_name(t)))
    _expect(art, t.id, "syndication", url)


# Citations in running text.

# A body sentence is (html, citation or None); a citation is (target id, kind, target_url). The
# expected list is filled in document order, so "the first link to a target" is the first in the page.

def _link_sentence(art: _Article) -> tuple[str, tuple[str, str, str]]:
    web, rng, ctx = art.web, art.rng, art.ctx
    t = web.targets[_pick(rng, web.cum[art.p.outlet.id])]
    url = web.article_url(t, art.topic, art.d)
    if t.id == art.p.outlet.id and rng.random() < 0.35:
        url = "/" + url.split("://", 1)[1].split("/", 1)[1]  # relative internal link
    else:
        url = _url_variant(rng, url, art.d)
    art.body_urls.add(url)
    anchor = rng.choice(art.topic[3]).format_map(ctx)
    html_ = rng.choice(_LINK_SENTENCES).format_map({**ctx, "a": _a(url, anchor)})
    return html_, (t.id, "link", url)


def _mention_sentence(art: _Article) -> tuple[str, tuple[str, str, str]] | None:
    web, rng = art.web, art.rng
    t = web.targets[_pick(rng, web.cum[art.p.outlet.id])]
    if t.id == art.p.outlet.id:
        return None
    template, form = rng.choice(_MENTION_SENTENCES)
    name = _esc(t.name)
    if form == "paper" and t.cluster not in ("thinktank", "real_tank"):
        template, form = _MENTION_SENTENCES[0]
    # "A The Guardian article" and "the BBC reported" at a sentence start read wrong: fall back.
    if form == "bare" and (t.article or t.name.startswith("The ")):
        template, form = _MENTION_SENTENCES[5]
    if form == "initial" and t.article:
        template, form = _MENTION_SENTENCES[0]
    html_ = template.format_map({**art.ctx, "mid": _esc(_mid_name(t)), "initial": name,
                                 "bare": name, "year": rng.randrange(2012, 2023),
                                 "title": _title_quote(art), "clause": _clause(art)})
    return html_, (t.id, "mention", "")


def _filler_sentences(art: _Article, count: int) -> list[tuple[str, None]]:
    # Drawn without replacement (cycling when an article is long), so sentences rarely repeat.
    rng, ctx = art.rng, art.ctx
    order = rng.sample(_FILLERS, min(count, len(_FILLERS)))
    return [(order[i % len(order)].format_map(ctx), None) for i in range(count)]


def _paragraphs(art: _Article) -> list[str]:
    rng, p = art.rng, art.p
    sizes = [rng.randint(1, 3) for _ in range(rng.randint(4, 12))]
    fillers = iter(_filler_sentences(art, sum(sizes)))
    paras = [[next(fillers) for _ in range(size)] for size in sizes]
    cites = [_link_sentence(art) for _ in range(rng.randint(0, 2 * p.cite_rate))]
    cites += [s for s in (_mention_sentence(art)
                          for _ in range(rng.randint(0, _MENTION_RATE[p.cluster]))) if s]
    for sentence in cites:
        para = paras[rng.randrange(len(paras))]
        para.insert(rng.randrange(len(para) + 1), sentence)
    for para in paras:
        for _, cite in para:
            if cite:
                _expect(art, *cite)
    out = [" ".join(text for text, _ in para) for para in paras]
    out[0] = art.dateline + out[0]
    if art.note:
        out.append(f"<em>{art.note}</em>")
    return out


# --------------------------------------------------------------------------------------------------
# Boilerplate around the body: links that are never citations.

def _noise_url(art: _Article, t: _Target) -> str:
    """Return an article URL of ``t`` that the body does not cite, for sidebars and comments."""
    web = art.web
    for _ in range(4):
        url = web.article_url(t, art.topic, art.d)
        if url not in art.body_urls and url != art.canonical:
            return url
    return f"{url}#more-{art.number}"  # the fragment keeps it distinct from every body URL


def _related(art: _Article) -> list[tuple[str, str]]:
    """Return (href, label) pairs of other outlets' stories for a "most read" box."""
    rng, web = art.rng, art.web
    others = [t for t in web.targets if t.id != art.p.outlet.id]
    out = []
    for t in rng.sample(others, min(4, len(others))):
        label = _esc(_other_headline(rng, rng.choice(_TOPICS)))
        out.append((_noise_url(art, t), label))
    return out


def _sisters(art: _Article) -> list[tuple[str, str]]:
    same = [p for p in art.web.profiles
            if p.cluster == art.p.cluster and p.outlet.id != art.p.outlet.id][:3]
    return [(f"{p.scheme}://{p.host}/", _esc(p.outlet.name)) for p in same]


_FOOTER_PARTNERS = (("https://www.reuters.com/", "Reuters"), ("https://apnews.com/", "AP"),
                    ("https://www.bbc.co.uk/news", "BBC News"),
                    ("https://www.theguardian.com/international", "The Guardian"))


def _share(art: _Article) -> str:
    u = quote(art.url, safe="")
    t = quote(art.headline, safe="")
    return (f'<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={u}">'
            f'Facebook</a> <a class="share-twitter" href="https://twitter.com/intent/tweet?url={u}'
            f'&amp;text={t}">Twitter</a> <a class="share-email" href="mailto:?subject={t}&amp;'
            f'body={u}">Email</a>')


def _comments(art: _Article) -> str:
    rng = art.rng
    items = []
    for _ in range(rng.randrange(4)):
        name, site = rng.choice(_COMMENTERS)
        site = _with_scheme(site, art.web.scheme)
        who = f'<a class="url" rel="ugc nofollow" href="{site}">{name}</a>' if site else name
        text = rng.choice(_COMMENT_TEXTS).format(place=art.ctx["place"])
        if rng.random() < 0.3:
            t = art.web.by_id[rng.choice(("rt.com", "foxnews.com", "reuters.com"))]
            text += f' See <a rel="ugc nofollow" href="{_esc(_noise_url(art, t))}">this</a>.'
        items.append(f'<li class="comment"><cite class="fn">{who}</cite><p>{text}</p></li>')
    return "".join(items)


def _ad(art: _Article) -> str:
    slot = art.rng.randrange(1000, 9999)
    click = _with_scheme("https://ads.adnet.example/click", art.web.scheme)
    banner = _with_scheme("https://cdn.adnet.example/banner", art.web.scheme)
    return (f'<div class="ad ad-slot" data-ad-unit="/{slot}/news"><a rel="sponsored nofollow" '
            f'href="{click}?slot={slot}&amp;cb={art.number}">'
            f'<img src="{banner}-{slot}.jpg" alt="Advertisement" '
            f'width="300" height="250"></a></div>')


def _jsonld(art: _Article) -> str:
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": art.headline,
        "datePublished": art.time, "author": [{"@type": "Person", "name": art.author}],
        "publisher": {"@type": "Organization", "name": art.p.outlet.name},
        "mainEntityOfPage": art.url,
    }
    # "</" would end the script element early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _head(art: _Article, extra: str = "") -> str:
    site = _esc(art.p.outlet.name)
    headline = _esc(art.headline)
    return (f"<title>{headline} | {site}</title>\n"
            f'<link rel="canonical" href="{_esc(art.canonical)}">\n'
            f'<meta property="og:url" content="{_esc(art.url)}">\n'
            f'<meta property="og:site_name" content="{site}">\n'
            f'<meta property="og:title" content="{headline}">\n'
            f'<meta property="og:type" content="article">\n'
            f'<meta property="article:published_time" content="{art.time}">\n'
            f'<meta name="author" content="{_esc(art.author)}">\n{extra}'
            f'<script type="application/ld+json">{_jsonld(art)}</script>\n')


def _links_li(pairs: Iterable[tuple[str, str]], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "".join(f'<li{attr}><a href="{_esc(h)}">{label}</a></li>' for h, label in pairs)


def _internal_nav() -> list[tuple[str, str]]:
    return [("/", "Home")] + [(f"/{s}/", s.title()) for s in _SECTIONS]


# --------------------------------------------------------------------------------------------------
# Page templates


def _modern(art: _Article, body: list[str]) -> str:
    p = art.p
    site = _esc(p.outlet.name)
    paras = "\n".join(f"<p>{x}</p>" for x in body)
    return f"""<!DOCTYPE html>
<html lang="{p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{_head(art)}<link rel="stylesheet" href="/assets/main.css">
</head>
<body class="article-page">
<header class="site-header"><a class="logo" href="/">{site}</a>
<nav class="primary-nav" aria-label="Sections"><ul>{_links_li(_internal_nav())}</ul></nav>
<nav class="network-nav" aria-label="Our network"><ul>{_links_li(_sisters(art))}</ul></nav>
</header>
<main id="main">
<article class="story">
<header class="story-header"><h1 class="headline">{_esc(art.headline)}</h1>
<p class="byline">By <span class="author">{_esc(art.author)}</span> · <time datetime="{art.time}">{art.d:%d %B %Y}</time></p>
<div class="share-bar">{_share(art)}</div>
</header>
<div class="article-body">
{paras}
</div>
</article>
<section id="comments" class="comments"><h2>Comments</h2><ol>{_comments(art)}</ol></section>
</main>
<aside class="sidebar"><section class="most-read"><h2>Most read across the web</h2><ol>{_links_li(_related(art))}</ol></section>
{_ad(art)}</aside>
<footer class="site-footer"><p>Partners:</p><ul>{_links_li(_FOOTER_PARTNERS)}</ul>
<p><a href="/about/">About us</a> · <a href="/privacy/">Privacy</a> · &copy; {art.d.year} {site}</p></footer>
<script src="/assets/app.js" defer></script>
</body>
</html>
"""


def _table(art: _Article, body: list[str]) -> str:
    p = art.p
    site = _esc(p.outlet.name)
    paras = "\n".join(f"<p>{x}</p>" for x in body)
    nav = " | ".join(f'<a href="{h}">{label}</a>' for h, label in _internal_nav())
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html lang="{p.lang}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
{_head(art)}<link rel="stylesheet" type="text/css" href="/css/style2008.css">
<script type="text/javascript" src="/js/prototype.js"></script>
</head>
<body bgcolor="#ffffff">
<table id="layout" width="960" cellpadding="0" cellspacing="0" border="0">
<tr><td colspan="3" id="masthead"><a href="/"><img src="/img/logo.gif" alt="{site}" border="0"></a><br>
<span class="topnav">{nav}</span></td></tr>
<tr>
<td id="left-nav" width="160" valign="top"><b>Sister papers</b><ul class="sisters">{_links_li(_sisters(art))}</ul>
{_ad(art)}</td>
<td valign="top" width="560"><div id="content">
<h1 class="headline">{_esc(art.headline)}</h1>
<div class="byline">By {_esc(art.author)} &middot; {art.d:%d/%m/%Y}</div>
<div class="storybody">
{paras}
</div>
<div class="sharethis"><b>Share:</b> {_share(art)}</div>
<div id="comments"><h3>Your views</h3><ul>{_comments(art)}</ul></div>
</div></td>
<td id="right-col" width="240" valign="top"><div class="mostread"><h3>Most Read</h3><ol>{_links_li(_related(art))}</ol></div></td>
</tr>
<tr><td colspan="3" id="footer"><font size="1">Our partners: {" &middot; ".join(f'<a href="{h}">{n}</a>' for h, n in _FOOTER_PARTNERS)}<br>
&copy; {art.d.year} {site}. All rights reserved.</font></td></tr>
</table>
</body>
</html>
"""


def _wordpress(art: _Article, body: list[str]) -> str:
    p = art.p
    site = _esc(p.outlet.name)
    paras = "\n".join(f"<p>{x}</p>" for x in body)
    generator = '<meta name="generator" content="WordPress 6.4.3">\n'
    return f"""<!doctype html>
<html lang="{p.lang}">
<head>
<meta charset="UTF-8">
{_head(art, generator)}<link rel="stylesheet" id="theme-css" href="/wp-content/themes/newsline/style.css?ver=2.1" media="all">
</head>
<body class="post-template-default single single-post postid-{art.number} single-format-standard">
<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title"><a href="/" rel="home">{site}</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{_links_li(_internal_nav(), "menu-item")}</ul></nav>
</header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
<article id="post-{art.number}" class="post-{art.number} post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{_esc(art.headline)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{art.time}">{art.d:%B %d, %Y}</time></span> <span class="byline">by <span class="author vcard">{_esc(art.author)}</span></span></div>
</header>
<div class="entry-content">
{paras}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>{_share(art)}</div>
</div>
</article>
<div id="comments" class="comments-area"><h2 class="comments-title">Comments</h2><ol class="comment-list">{_comments(art)}</ol></div>
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">From our friends</h2><ul>{_links_li(_sisters(art))}</ul></section>
<section class="widget widget_related"><h2 class="widget-title">Related around the web</h2><ul>{_links_li(_related(art))}</ul></section>
<section class="widget widget_ads">{_ad(art)}</section>
</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">Friends of the site: {" ".join(f'<a href="{h}">{n}</a>' for h, n in _FOOTER_PARTNERS)} | Proudly powered by WordPress</div></footer>
</div>
</body>
</html>
"""


_RENDER = {"modern": _modern, "table": _table, "wordpress": _wordpress}


def _page(web: _Web, number: int) -> SamplePage:
    art = _article(web, number)
    _syndicate(art)
    body = _paragraphs(art)
    text = _RENDER[art.p.template](art, body)
    web.remember(art.p.outlet.id, art.url)
    return SamplePage(art.url, text, art.p.outlet.id, art.d.isoformat(),
                      tuple(art.expected.values()))


_SCHEMES = (None, "http", "https")


def iter_pages(n_pages: int = 120, n_outlets: int = 12, seed: int = 0, scheme: str | None = None,
               even: bool = False) -> Iterator[SamplePage]:
    """Yield the pages of the sample web, one at a time.

    Parameters
    ----------
    n_pages : int
        How many pages; memory stays constant however many.
    n_outlets : int
        How many fictional outlets publish them (see :func:`sample_outlets`).
    seed : int
        Same seed, same pages, byte for byte.
    scheme : {None, "http", "https"}
        ``None`` keeps each outlet's own scheme (the 2008-style sites are http, the rest https).
        ``"http"`` puts every fictional ``.example`` URL on http: page URLs, links between fictional
        outlets, canonical and ``og:url``, ads and commenters' sites, so that the whole sample web
        can be crawled through a plain HTTP proxy. Real outlets' URLs keep their scheme.
    even : bool
        Hand pages to the outlets in turn (page ``k`` to outlet ``(k - 1) % n_outlets``), so every
        outlet has the same number of pages give or take one, instead of pages by outlet volume.

    Yields
    ------
    SamplePage

    Raises
    ------
    SampleError
        ``bad-count`` when a count is not a non-negative integer, ``bad-scheme`` when ``scheme`` is
        not one of the above (checked on the first ``next``).

    Examples
    --------
    >>> pages = list(iter_pages(3, seed=1))
    >>> len(pages), pages == list(iter_pages(3, seed=1))
    (3, True)
    """
    if not isinstance(n_pages, int) or n_pages < 0:
        raise SampleError("bad-count", f"n_pages must be a non-negative integer, got {n_pages!r}")
    if scheme not in _SCHEMES:
        raise SampleError("bad-scheme", f"scheme must be 'http', 'https' or None, got {scheme!r}")
    web = _Web(n_outlets, seed, scheme, bool(even))
    for number in range(1, n_pages + 1):
        yield _page(web, number)


# --------------------------------------------------------------------------------------------------
# Ground truth as a graph


def expected_edges(pages: Iterable[SamplePage], *, include_self: bool = False,
                   kinds: Iterable[str] | None = None) -> dict[tuple[str, str], dict[str, int]]:
    """Return the edges the pages' bodies support, counted in distinct citing articles.

    Parameters
    ----------
    pages : iterable of SamplePage
        A page seen twice (same URL) counts once.
    include_self : bool
        Keep edges from an outlet to itself.
    kinds : iterable of str, optional
        Citation kinds to count (default all of ``link``, ``mention``, ``syndication``).

    Returns
    -------
    dict
        ``{(source, target): {"weight": n, "<kind>": n, ...}}`` with one count per asked kind;
        ``weight`` counts articles citing the target by any asked kind.

    Examples
    --------
    >>> edges = expected_edges(iter_pages(20))
    >>> all(e["weight"] >= e["link"] for e in edges.values())
    True
    """
    wanted = _kinds(kinds)
    edges: dict[tuple[str, str], dict[str, int]] = {}
    seen: set[str] = set()
    for page in pages:
        if page.url in seen:
            continue
        seen.add(page.url)
        for pair, found in _article_edges(page, wanted, include_self).items():
            counts = edges.setdefault(pair, dict.fromkeys(("weight",) + wanted, 0))
            counts["weight"] += 1
            for kind in found:
                counts[kind] += 1
    return edges


def _kinds(kinds: Iterable[str] | None) -> tuple[str, ...]:
    if kinds is None:
        return CITATION_KINDS
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    wanted = tuple(k for k in CITATION_KINDS if k in set(kinds))
    unknown = set(kinds) - set(CITATION_KINDS)
    if unknown:
        raise SampleError("bad-kind", f"unknown citation kind(s) {sorted(unknown)}; "
                                      f"use some of {list(CITATION_KINDS)}")
    return wanted


def _article_edges(page: SamplePage, wanted: tuple[str, ...],
                   include_self: bool) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for c in page.expected:
        if c.kind in wanted and (include_self or c.source_outlet != c.target_outlet):
            found.setdefault((c.source_outlet, c.target_outlet), set()).add(c.kind)
    return found


# --------------------------------------------------------------------------------------------------
# Files


def _file_name(page: SamplePage) -> str:
    tail = page.url.rstrip("/").rsplit("/", 1)[-1]
    tail = tail.rsplit(".", 1)[0] if tail.endswith((".html", ".htm")) else tail
    return f"{page.outlet_id}_{tail}.html"


def _write_html(page: SamplePage, directory: Path) -> None:
    (directory / _file_name(page)).write_bytes(page.html.encode("utf-8"))


def write_html_dir(pages: Iterable[SamplePage], directory: str | Path) -> int:
    """Write one ``<outlet>_<slug>.html`` file a page (UTF-8) and return how many.

    The page's own URL is in its ``og:url`` meta tag. The directory is created when missing.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    for page in pages:
        _write_html(page, directory)
        count += 1
    return count


def _warc_writer(fh):
    from warcio.warcwriter import WARCWriter  # only the file writers need warcio

    return WARCWriter(fh, gzip=True)


def _record_id(kind: str, url: str) -> str:
    # Derived from the content, not random, so the same pages give the same WARC bytes.
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + ':' + url)}>"


def _warc_date(page: SamplePage) -> str:
    return f"{page.published_at}T22:00:00Z"  # captured the evening of publication


def _write_warcinfo(writer, filename: str) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    info = (b"software: citegraph.sample\r\nformat: WARC File Format 1.0\r\n"
            b"description: fictional news web on .example domains\r\n")
    headers = StatusAndHeaders("", [("WARC-Type", "warcinfo"),
                                    ("WARC-Record-ID", _record_id("warcinfo", filename)),
                                    ("WARC-Filename", filename),
                                    ("WARC-Date", "2025-01-01T00:00:00Z")], protocol="WARC/1.0")
    writer.write_record(writer.create_warc_record("", "warcinfo", payload=BytesIO(info),
                                                  length=len(info), warc_headers=headers,
                                                  warc_content_type="application/warc-fields"))


def _write_exchange(writer, page: SamplePage) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    body = page.html.encode("utf-8")
    date_ = _warc_date(page)
    response_id = _record_id("response", page.url)
    host_path = page.url.split("://", 1)[1]
    host, _, path = host_path.partition("/")
    request = writer.create_warc_record(
        page.url, "request",
        http_headers=StatusAndHeaders(f"GET /{path} HTTP/1.1",
                                      [("Host", host), ("User-Agent", "citegraph-sample"),
                                       ("Accept", "text/html")],
                                      is_http_request=True),
        warc_headers_dict={"WARC-Record-ID": _record_id("request", page.url),
                           "WARC-Date": date_, "WARC-Concurrent-To": response_id})
    response = writer.create_warc_record(
        page.url, "response", payload=BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                 ("Content-Length", str(len(body)))],
                                      protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Record-ID": response_id, "WARC-Date": date_})
    writer.write_record(request)
    writer.write_record(response)


def write_warc(pages: Iterable[SamplePage], path: str | Path) -> int:
    """Write the pages to a gzip WARC file and return how many pages.

    A ``warcinfo`` record comes first, then per page a ``request`` and a ``response`` record
    (HTTP/1.1 200, ``text/html; charset=utf-8``, ``WARC-Date`` on the publication date, payload
    digest). Pages are written as they come, so any number fits in memory.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer = _warc_writer(fh)
        _write_warcinfo(writer, path.name)
        count = 0
        for page in pages:
            _write_exchange(writer, page)
            count += 1
    return count


def _outlet_row(o: Outlet) -> dict:
    return {"id": o.id, "name": o.name, "kind": o.kind, "country": o.country,
            "domains": list(o.domains), "aliases": list(o.aliases),
            "shorteners": list(o.shorteners), "ambiguous": list(o.ambiguous)}


def write_outlets_file(outlets: Iterable[Outlet], path: str | Path) -> None:
    """Write outlets as a JSON list in the registry's user-file schema.

    Each entry has ``id``, ``name``, ``kind``, ``country``, ``domains``, ``aliases``,
    ``shorteners`` and ``ambiguous``.
    """
    rows = []
    for o in outlets:
        if o.kind not in OUTLET_KINDS:
            raise SampleError("bad-kind", f"outlet {o.id!r} has kind {o.kind!r}, "
                                          f"not one of {list(OUTLET_KINDS)}")
        rows.append(_outlet_row(o))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _expected_row(c: ExpectedCitation) -> str:
    return json.dumps({"article_url": c.article_url, "source_outlet": c.source_outlet,
                       "target_outlet": c.target_outlet, "kind": c.kind,
                       "target_url": c.target_url}, ensure_ascii=False)


def write_sample(directory: str | Path, n_pages: int = 120, n_outlets: int = 12,
                 seed: int = 0) -> SampleFiles:
    """Write the whole sample web into ``directory`` in one streaming pass.

    Writes ``html/`` (one file a page), ``sample.warc.gz``, ``outlets.json`` (the fictional
    outlets, in the registry's user-file schema) and ``expected.json`` (a JSON list of every
    expected citation).

    Returns
    -------
    SampleFiles
        The paths written and the page count.
    """
    directory = Path(directory)
    files = SampleFiles(directory, directory / "html", directory / "sample.warc.gz",
                        directory / "outlets.json", directory / "expected.json", n_pages)
    files.html_dir.mkdir(parents=True, exist_ok=True)
    write_outlets_file(sample_outlets(n_outlets, seed), files.outlets)
    first = True
    with open(files.warc, "wb") as warc_fh, open(files.expected, "w", encoding="utf-8") as exp_fh:
        writer = _warc_writer(warc_fh)
        _write_warcinfo(writer, files.warc.name)
        exp_fh.write("[")
        for page in iter_pages(n_pages, n_outlets, seed):
            _write_html(page, files.html_dir)
            _write_exchange(writer, page)
            for c in page.expected:
                exp_fh.write(("\n" if first else ",\n") + _expected_row(c))
                first = False
        exp_fh.write("\n]\n")
    return files
