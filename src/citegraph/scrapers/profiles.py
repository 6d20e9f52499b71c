"""Per-outlet extraction rules, for layouts that defeat the heuristics.

A *profile* names, for the pages of one domain, the element that holds the article (CSS selectors,
tried in order) and the elements to throw away before anything else (CSS selectors). Profiles ship as
data in ``data/profiles.json`` and users add their own in ``citegraph.toml`` or a profiles file::

    [profiles."example.com"]
    body = ["div.story-text", "article"]
    discard = [".author-card", "div.promo"]

    [scrapers]
    "example.org" = "my_scrapers.py:example_org"   # or an importable "package.module:function"

A *scraper* is a user's Python function for a domain. It receives a ``BeautifulSoup`` of the page
(lxml tree builder) and the page URL, and returns one of:

- ``None``: use the profile and the heuristics as usual;
- a ``bs4.Tag`` or an HTML string: the article body; links, mentions and syndication are found in it;
- an iterable of citations: each a URL string, a dict with ``url`` (and optionally ``anchor_text``,
  ``context``, ``kind``, ``position``) or a :class:`~citegraph.models.Citation`. These are the page's
  citations; nothing else is searched.

A scraper that raises makes the page fail with the reason code ``scraper-error`` (the run goes on).
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

from lxml import etree

__all__ = ["Profile", "Profiles", "ProfileError", "default_profiles", "load_profiles", "selector"]


class ProfileError(ValueError):
    """A profile or scraper that cannot be used: a bad selector, file or function."""


@lru_cache(maxsize=512)
def selector(css: str) -> etree.XPath:
    """The compiled XPath of a CSS selector (cached)."""
    from cssselect import HTMLTranslator, SelectorError

    try:
        return etree.XPath(HTMLTranslator().css_to_xpath(css))
    except (SelectorError, etree.XPathSyntaxError) as e:
        raise ProfileError(f"not a usable CSS selector: {css!r} ({e})") from e


@dataclass(frozen=True, slots=True)
class Profile:
    """The rules for one domain's pages."""

    domain: str
    body: tuple[str, ...] = ()
    discard: tuple[str, ...] = ()
    scraper: Callable | None = field(default=None, compare=False)
    scraper_name: str = ""
    note: str = ""

    def __post_init__(self):
        for css in (*self.body, *self.discard):
            selector(css)  # fail early, naming the selector

    def discard_from(self, doc) -> int:
        """Remove the discarded elements from ``doc``; how many were removed."""
        from .body import drop

        n = 0
        for css in self.discard:
            for el in selector(css)(doc):
                drop(el)
                n += 1
        return n

    def body_of(self, doc):
        """The first element a body selector finds that holds text, or None."""
        from .body import text_content

        for css in self.body:
            for el in selector(css)(doc):
                if text_content(el).strip():
                    return el
        return None


class Profiles:
    """Profiles by domain; a page's profile is the one of its host or the nearest parent domain."""

    def __init__(self, profiles=()):
        self.by_domain: dict[str, Profile] = {}
        for p in profiles:
            self.add(p)

    def add(self, profile: Profile) -> None:
        """Add ``profile``; a user's profile for a domain merges over the shipped one (its fields win)."""
        key = profile.domain.lower().strip(".")
        old = self.by_domain.get(key)
        if old is not None:
            profile = Profile(domain=key, body=profile.body or old.body, discard=profile.discard or old.discard,
                              scraper=profile.scraper or old.scraper,
                              scraper_name=profile.scraper_name or old.scraper_name, note=profile.note or old.note)
        self.by_domain[key] = profile

    def for_host(self, host: str) -> Profile | None:
        """The profile of a host name ("www.example.com" finds "example.com"), or None."""
        if not self.by_domain or not host:
            return None
        host = host.lower().strip(".")
        while host:
            hit = self.by_domain.get(host)
            if hit is not None:
                return hit
            _, _, host = host.partition(".")
        return None

    def __len__(self) -> int:
        return len(self.by_domain)

    def __iter__(self):
        return iter(self.by_domain.values())


def _profile(domain: str, spec: dict, origin: str) -> Profile:
    if not isinstance(spec, dict):
        raise ProfileError(f"{origin}: the profile of {domain!r} must be a table, not {type(spec).__name__}")
    unknown = set(spec) - {"body", "discard", "note"}
    if unknown:
        raise ProfileError(f"{origin}: profile {domain!r} has unknown keys {sorted(unknown)}; "
                           "known: body, discard, note")

    def css_list(key):
        value = spec.get(key, ())
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ProfileError(f"{origin}: {domain}.{key} must be a CSS selector or a list of them")
        return tuple(v.strip() for v in value)

    try:
        return Profile(domain=domain, body=css_list("body"), discard=css_list("discard"),
                       note=str(spec.get("note", "")))
    except ProfileError as e:
        raise ProfileError(f"{origin}: profile {domain!r}: {e}") from None


def _scraper(spec: str, base_dir: Path, origin: str) -> Callable:
    """The function named by "module:function" or "path/to/file.py:function"."""
    if not isinstance(spec, str) or ":" not in spec:
        raise ProfileError(f"{origin}: a scraper is 'module:function' or 'file.py:function', not {spec!r}")
    target, _, name = spec.rpartition(":")
    try:
        if target.endswith(".py"):
            path = Path(target)
            path = path if path.is_absolute() else base_dir / path
            mod_name = f"citegraph_user_scrapers.{path.stem}_{abs(hash(str(path.resolve())))}"
            module = sys.modules.get(mod_name)
            if module is None:
                loader = importlib.util.spec_from_file_location(mod_name, path)
                if loader is None or not path.exists():
                    raise ProfileError(f"{origin}: scraper file not found: {path}")
                module = importlib.util.module_from_spec(loader)
                loader.loader.exec_module(module)
                sys.modules[mod_name] = module
        else:
            module = importlib.import_module(target)
    except ProfileError:
        raise
    except Exception as e:  # the user's module failed to import: say which and why
        raise ProfileError(f"{origin}: cannot load scraper {spec!r}: {type(e).__name__}: {e}") from e
    fn = getattr(module, name, None)
    if not callable(fn):
        raise ProfileError(f"{origin}: scraper {spec!r}: {name!r} is not a function of {target}")
    return fn


def read_profiles(path) -> list[Profile]:
    """The profiles and scrapers of a .toml or .json file (tables ``profiles`` and ``scrapers``)."""
    path = Path(path)
    try:
        text = path.read_text("utf8")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except OSError as e:
        raise ProfileError(f"{path}: cannot read: {e.strerror or e}") from e
    except (ValueError, UnicodeDecodeError) as e:
        raise ProfileError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'}: {e}") from e
    return profiles_from(data, base_dir=path.parent, origin=str(path))


def profiles_from(data: dict, *, base_dir: Path = Path("."), origin: str = "profiles") -> list[Profile]:
    """Profiles from parsed data: ``{"profiles": {domain: {...}}, "scrapers": {domain: "mod:fn"}}``."""
    if not isinstance(data, dict):
        raise ProfileError(f"{origin}: expected tables 'profiles' and 'scrapers'")
    data = data.get("citegraph", data) if isinstance(data.get("citegraph"), dict) else data
    out = [_profile(domain, spec, origin) for domain, spec in (data.get("profiles") or {}).items()]
    scrapers = data.get("scrapers") or {}
    if not isinstance(scrapers, dict):
        raise ProfileError(f"{origin}: 'scrapers' must map domains to 'module:function'")
    for domain, spec in scrapers.items():
        out.append(Profile(domain=domain, scraper=_scraper(spec, base_dir, origin), scraper_name=str(spec)))
    return out


@lru_cache(maxsize=1)
def _shipped() -> tuple[Profile, ...]:
    data = json.loads(resources.files("citegraph").joinpath("data/profiles.json").read_text("utf8"))
    return tuple(profiles_from(data, origin="data/profiles.json"))


def default_profiles() -> Profiles:
    """The profiles shipped with citegraph."""
    return Profiles(_shipped())


def load_profiles(paths=()) -> Profiles:
    """The shipped profiles, with the profiles and scrapers of the user's files over them."""
    profiles = default_profiles()
    for path in paths:
        for p in read_profiles(path):
            profiles.add(p)
    return profiles
