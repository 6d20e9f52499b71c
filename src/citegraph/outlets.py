"""Outlet identity: from a URL to the outlet that published it.

Two halves live here. ``parse_url`` brings any href to one normal form: it peels off AMP caches,
redirectors and web archives, drops tracking parameters and fragments, and flags generic shorteners.
``Registry`` maps a normal URL to an outlet id: the outlet's registered domain (public suffix list,
private section included, from the snapshot bundled with tldextract), a registry entry that claims the
domain, the full host for hosting platforms, or ``platform/account`` for social media accounts.

Every rule is data in ``citegraph/data/url_rules.json`` and ``citegraph/data/platforms.json``; the
outlets themselves are in ``citegraph/data/outlets.json``, extended by user files.

Examples
--------
>>> normalize_url("https://www.bbc.co.uk/news/uk-1?utm_source=x#top")
'https://bbc.co.uk/news/uk-1'
>>> outlet_of("https://twitter.com/SomeOne/status/1")
'x.com/someone'
"""
from __future__ import annotations

import functools
import ipaddress
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit

import tldextract

from citegraph.models import OUTLET_KINDS, Outlet

__all__ = [
    "NORMALIZER_VERSION",
    "read_outlets_file",
    "NormalURL",
    "parse_url",
    "normalize_url",
    "registered_domain",
    "Registry",
    "default_registry",
    "outlet_of",
]

# Written into every build so that an old graph can be recomputed with the rules it was made with.
NORMALIZER_VERSION = "1"

_DATA = Path(__file__).parent / "data"
# Archive inside AMP inside redirect is realistic; anything deeper is a loop or an attack.
_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class NormalURL:
    """The result of :func:`parse_url`.

    ``url`` is the normal form, or ``''`` when the input is not a usable http(s) URL; ``error`` then
    holds a reason code: ``empty``, ``scheme``, ``no-host``, ``bad-host``, ``bad-port`` or ``nested``.
    """

    url: str
    via_archive: str = ""
    unwrapped: str = ""
    shortener: bool = False
    error: str = ""


# ---------------------------------------------------------------------------------------------
# Rules, loaded once from data files.


def _load_json(name: str):
    with open(_DATA / name, encoding="utf-8") as handle:
        return json.load(handle)


class _Rules:
    """The URL rules of ``url_rules.json``, compiled for the hot path."""

    def __init__(self, raw: dict) -> None:
        self.schemes = frozenset(raw["schemes"])
        self.default_ports = dict(raw["default_ports"])
        self.removed = re.compile("[" + re.escape("".join(raw["removed_chars"])) + "]")
        self.host_prefixes = {p["label"]: p["unwrapped"] for p in raw["host_prefixes"]}
        self.tracking = frozenset(raw["tracking_params"])
        self.tracking_prefixes = tuple(raw["tracking_prefixes"])
        self.host_tracking = {
            host: frozenset(rule["params"]) for rule in raw["host_tracking_params"] for host in rule["hosts"]
        }
        self.amp_markers = {m["name"]: frozenset(m["values"]) for m in raw["amp_query_markers"]}
        self.amp_suffixes = tuple((s["suffix"], s["replacement"]) for s in raw["amp_path_suffixes"])
        self.amp_caches = [_HostRule(rule) for rule in raw["amp_caches"]]
        self.archives = [_HostRule(rule) for rule in raw["archives"]]
        self.redirectors = [_HostRule(rule) for rule in raw["redirectors"]]
        self.shorteners = frozenset(raw["shorteners"])


class _HostRule:
    """One unwrapping rule: which hosts, which path, where the wrapped URL sits."""

    __slots__ = ("hosts", "host_regex", "host_suffix", "path", "params", "param", "whole_query", "name")

    def __init__(self, rule: dict) -> None:
        self.hosts = frozenset(rule.get("hosts", ()))
        self.host_regex = re.compile(rule["host_regex"]) if "host_regex" in rule else None
        self.host_suffix = rule.get("host_suffix", "")
        self.path = re.compile(rule["path"])
        self.params = tuple(rule.get("params", ()))
        self.param = rule.get("param", "")
        self.whole_query = bool(rule.get("whole_query", False))
        self.name = rule.get("name", "")

    def applies_to(self, host: str) -> bool:
        if host in self.hosts:
            return True
        if self.host_suffix and host.endswith(self.host_suffix):
            return True
        return bool(self.host_regex and self.host_regex.match(host))


_RULES = _Rules(_load_json("url_rules.json"))

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_EDGE_JUNK_RE = re.compile(r"^[\x00-\x20\s]+|[\x00-\x20\s]+$")
_HOST_RE = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$")
_IPV4_SHAPE_RE = re.compile(r"^[0-9]+(?:\.[0-9]+){3}$")
_PCT_RE = re.compile(r"%[0-9a-fA-F]{2}")
_WRAPPED_SCHEME_RE = re.compile(r"^(https?):/*(.*)$", re.IGNORECASE | re.DOTALL)
# Characters left as they are in a normal path or query; everything else is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=~-._"
_QUERY_SAFE = _PATH_SAFE + "?"
_PATH_OK_RE = re.compile(r"^[A-Za-z0-9/%:@!$&'()*+,;=~._-]*$")
_QUERY_OK_RE = re.compile(r"^[A-Za-z0-9/%:@!$&'()*+,;=~._?-]*$")


# ---------------------------------------------------------------------------------------------
# Registered domains.


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() and cache_dir=None: the snapshot bundled with tldextract, never the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _is_ip(host: str) -> bool:
    return host.startswith("[") or bool(_IPV4_SHAPE_RE.match(host))


@functools.lru_cache(maxsize=65536)
def registered_domain(host: str) -> str:
    """Return the registered domain of ``host`` (public suffix + one label).

    Uses the public suffix list with its private section (``someone.blogspot.com`` is its own
    domain), from the snapshot bundled with tldextract. Hosts under a TLD with no public suffix
    (``.example``, ``.test``, ``.local``, ``.internal``...) keep their last two labels; IP addresses and
    hosts that are a public suffix themselves are returned unchanged.

    Examples
    --------
    >>> registered_domain("www.bbc.co.uk")
    'bbc.co.uk'
    >>> registered_domain("www.daily-bugle.example")
    'daily-bugle.example'
    """
    host = host.strip().lower().rstrip(".")
    if not host or _is_ip(host):
        return host
    try:
        parts = _extractor()(host)
    except (UnicodeError, ValueError):
        parts = None
    if parts is not None and parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    if parts is not None and parts.suffix:
        return host  # the host is itself a public suffix (co.uk, blogspot.com)
    return ".".join(host.split(".")[-2:])


# ---------------------------------------------------------------------------------------------
# URL normalisation.


def parse_url(url: str, base: str | None = None) -> NormalURL:
    """Bring an href to its normal form, peeling off what wraps the real target.

    Parameters
    ----------
    url
        Any string, typically an ``href``; relative URLs need ``base``. ``None`` counts as empty.
    base
        The URL the href was found on (or the page's ``<base href>``).

    Returns
    -------
    NormalURL
        ``url`` is ``''`` and ``error`` a reason code when the input is not a usable http(s) URL.
        Never raises on a string.

    Examples
    --------
    >>> parse_url("https://web.archive.org/web/2020/https://www.rt.com/news/1/").via_archive
    'web.archive.org'
    >>> parse_url("mailto:someone@example.org").error
    'scheme'
    """
    if url is None:
        return NormalURL("", error="empty")
    if base is None:
        return _parse_cached(url, "")
    return _parse_cached(url, base)


def normalize_url(url: str, base: str | None = None) -> str:
    """Return the normal form of ``url`` (``''`` if unusable); idempotent.

    Examples
    --------
    >>> normalize_url("/world/x?fbclid=1", base="https://www.theguardian.com/uk")
    'https://theguardian.com/world/x'
    """
    return parse_url(url, base).url


@functools.lru_cache(maxsize=32768)
def _parse_cached(url: str, base: str) -> NormalURL:
    return _parse(url, base, 0)


def _clean(text: str) -> str:
    if text.isprintable() and not text[:1].isspace() and not text[-1:].isspace():
        return text  # the common case, and the removed characters are all unprintable
    return _EDGE_JUNK_RE.sub("", _RULES.removed.sub("", text))


def _absolute(text: str, base: str) -> tuple[str, str]:
    """Return ``(absolute url, error)`` for a cleaned href."""
    match = _SCHEME_RE.match(text)
    if match:
        return (text, "") if match.group(1).lower() in _RULES.schemes else ("", "scheme")
    if base:
        try:
            joined = urljoin(_clean(base), text)
        except ValueError:
            return "", "bad-host"
        return _absolute(joined, "") if _SCHEME_RE.match(joined) else ("", "no-host")
    if text.startswith("//"):
        # A protocol-relative href seen without its page: nearly all of the web is https now.
        return "https:" + text, ""
    return "", "no-host"


def _parse(url: str, base: str, depth: int) -> NormalURL:
    text = _clean(url)
    if not text:
        return NormalURL("", error="empty")
    if depth > _MAX_DEPTH:
        return NormalURL("", error="nested")
    absolute, error = _absolute(text, base)
    if error:
        return NormalURL("", error=error)
    try:
        scheme, netloc, path, query, fragment = urlsplit(absolute)
    except ValueError:  # 'http://[::1' and netlocs that NFKC-normalise to delimiters
        return NormalURL("", error="bad-host")
    scheme = scheme.lower()
    if scheme not in _RULES.schemes:
        return NormalURL("", error="scheme")
    if not netloc:
        return NormalURL("", error="no-host")
    host, port, error, host_unwrapped = _netloc_parts(netloc, scheme)
    if error:
        return NormalURL("", error=error)
    if fragment.startswith("!/") and path in ("", "/") and not query:
        # '#!/' URLs (old Twitter, AJAX-crawlable sites) carry the page route in the fragment.
        path, _, query = fragment[1:].partition("?")
    unwrapped = _unwrapped(host, path, query, depth)
    if unwrapped is not None:
        return unwrapped
    result = _assembled(scheme, host, port, path, query, host_unwrapped)
    if _wrapper_rules(host):
        # A wrapper whose target was unusable: normalising the wrapper can repair the target
        # ('href.li/?http://host&' loses its '&'), so look again to stay idempotent.
        again = _parse(result.url, "", depth + 1)
        if again.url and again.url != result.url:
            return replace(again, unwrapped=again.unwrapped or result.unwrapped)
    return result


@functools.lru_cache(maxsize=65536)
def _netloc_parts(netloc: str, scheme: str) -> tuple[str, str, str, str]:
    """Return ``(host, port, error, unwrapped)`` for a netloc: the host-level work, cached."""
    hostport = netloc.rpartition("@")[2]  # credentials are never part of an identity
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            return "", "", "bad-host", ""
        host, rest = hostport[: end + 1], hostport[end + 1 :]
        if rest and not rest.startswith(":"):
            return "", "", "bad-host", ""
        port = rest[1:]
    else:
        host, _, port = hostport.partition(":")
    if port and (not port.isascii() or not port.isdigit() or int(port) > 65535):
        return "", "", "bad-port", ""
    port = str(int(port)) if port else ""
    if port == _RULES.default_ports.get(scheme):
        port = ""
    host, error = _normal_host(host)
    if error:
        return "", "", error, ""
    host, unwrapped = _without_prefixes(host)
    return host, port, "", unwrapped


def _normal_host(host: str) -> tuple[str, str]:
    """Return ``(host, error)``: lower-cased, IDNA-encoded, validated."""
    if host.startswith("["):
        try:
            return "[" + ipaddress.IPv6Address(host[1:-1]).compressed + "]", ""
        except ValueError:
            return "", "bad-host"
    host = host.lower().rstrip(".")
    if not host:
        return "", "no-host"
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            return "", "bad-host"
    if not _HOST_RE.match(host) or len(host) > 253 or any(len(label) > 63 for label in host.split(".")):
        return "", "bad-host"
    if _IPV4_SHAPE_RE.match(host):
        try:
            return str(ipaddress.IPv4Address(host)), ""
        except ValueError:
            return "", "bad-host"
    return host, ""


def _without_prefixes(host: str) -> tuple[str, str]:
    """Strip ``www.``, ``m.``, ``amp.``... from the front while something registrable is left."""
    unwrapped = ""
    while not _is_ip(host):
        label, dot, rest = host.partition(".")
        if not dot or label not in _RULES.host_prefixes:
            break
        if host.count(".") <= registered_domain(host).count("."):
            break  # the label belongs to the registered domain itself (www.co.uk, amp.dev)
        unwrapped = unwrapped or _RULES.host_prefixes[label]
        host = rest
    return host, unwrapped


def _unwrapped(host: str, path: str, query: str, depth: int) -> NormalURL | None:
    """Return the normal form of the URL wrapped by an archive, AMP cache or redirector, if any."""
    for kind, rule in _wrapper_rules(host):
        match = rule.path.match(path)
        if match:
            inner = _wrapped_url(kind, rule, match, query)
            result = _parse(inner, "", depth + 1) if inner else None
            if result is not None and result.url:
                via = rule.name if kind == "archive" else result.via_archive
                return replace(result, unwrapped=kind, via_archive=via)
            if result is not None and result.error == "nested":
                return result
    return None


@functools.lru_cache(maxsize=65536)
def _wrapper_rules(host: str) -> tuple[tuple[str, _HostRule], ...]:
    """Return the unwrapping rules that apply to ``host``, in order: archives, AMP caches, redirectors."""
    kinds = (("archive", _RULES.archives), ("amp", _RULES.amp_caches), ("redirect", _RULES.redirectors))
    return tuple((kind, rule) for kind, rules in kinds for rule in rules if rule.applies_to(host))


def _wrapped_url(kind: str, rule: _HostRule, match: re.Match, query: str) -> str:
    """Return the raw URL that a wrapper carries ('' if none)."""
    if kind == "amp":
        scheme = "https" if match.group(1) else "http"
        return f"{scheme}://{match.group(2)}" + (f"?{query}" if query else "")
    if rule.whole_query:
        return _as_http_url(unquote(query)) if query.lower().startswith(("http%3a", "https%3a")) else _as_http_url(query)
    names = rule.params or ((rule.param,) if rule.param else ())
    if names:
        values = dict(parse_qsl(query, keep_blank_values=True))
        for name in names:
            value = values.get(name, "").strip()
            if value.lower().startswith(("http://", "https://")):
                return value
        return ""
    inner = match.group(1) + (f"?{query}" if query else "")
    if inner.lower().startswith(("http%3a", "https%3a")):
        inner = unquote(inner)
    return _as_http_url(inner, schemeless=True)


def _as_http_url(text: str, schemeless: bool = False) -> str:
    """Repair the scheme of a URL embedded in a path (archives collapse '//' to '/')."""
    match = _WRAPPED_SCHEME_RE.match(text)
    if match:
        return f"{match.group(1)}://{match.group(2)}"
    first = text.split("/", 1)[0]
    if schemeless and "." in first and ":" not in first:
        return "http://" + text
    return ""


def _assembled(scheme: str, host: str, port: str, path: str, query: str, unwrapped: str) -> NormalURL:
    path = _normal_path(path)
    path, amp_path = _without_amp_suffix(path)
    query, amp_query = _normal_query(query, host)
    if amp_path or amp_query:
        unwrapped = "amp"
    netloc = f"{host}:{port}" if port else host
    url = f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")
    return NormalURL(url, unwrapped=unwrapped, shortener=host in _RULES.shorteners)


def _normal_path(path: str) -> str:
    if not path:
        return "/"
    if not path.startswith("/"):
        path = "/" + path
    if "/." in path:
        path = _without_dot_segments(path)
    if not _PATH_OK_RE.match(path):
        path = quote(path, safe=_PATH_SAFE)
    if "%" in path:
        path = _PCT_RE.sub(lambda m: m.group(0).upper(), path)
    return path


def _without_dot_segments(path: str) -> str:
    """Resolve '.' and '..' segments as a browser does (RFC 3986, section 5.2.4)."""
    segments = path.split("/")[1:]
    if not any(s in (".", "..") for s in segments):
        return path
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")
    return "/" + "/".join(kept)


def _without_amp_suffix(path: str) -> tuple[str, bool]:
    """Strip AMP path suffixes (``/amp``, ``/amp/``, ``.amp``) until none is left."""
    stripped = False
    changed = True
    while changed:
        changed = False
        for suffix, replacement in _RULES.amp_suffixes:
            if path.endswith(suffix) and len(path) > len(suffix) + (0 if replacement else 1):
                path = path[: -len(suffix)] + replacement
                stripped = changed = True
                break
    return path or "/", stripped


def _normal_query(query: str, host: str) -> tuple[str, bool]:
    """Return ``(query without tracking and AMP parameters, whether an AMP marker was seen)``."""
    if not query:
        return "", False
    host_params = _RULES.host_tracking.get(host, frozenset())
    kept = []
    amp = False
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        key = unquote(name.replace("+", " ")).lower() if ("%" in name or "+" in name) else name.lower()
        if key in _RULES.tracking or key in host_params or key.startswith(_RULES.tracking_prefixes):
            continue
        markers = _RULES.amp_markers.get(key)
        if markers is not None and value.lower() in markers:
            amp = True
            continue
        kept.append(pair)
    query = "&".join(kept)
    if not _QUERY_OK_RE.match(query):
        query = quote(query, safe=_QUERY_SAFE)
    if "%" in query:
        query = _PCT_RE.sub(lambda m: m.group(0).upper(), query)
    return query, amp


# ---------------------------------------------------------------------------------------------
# Platforms: hosting services and social media accounts.


class _AccountRule:
    __slots__ = ("path", "account", "label", "lower")

    def __init__(self, raw: dict) -> None:
        self.path = re.compile(raw["path"])
        self.account = raw["account"]
        self.label = raw.get("label", "{0}")
        self.lower = bool(raw.get("lower", True))


class _Platform:
    __slots__ = ("domain", "name", "hosts", "reserved", "patterns")

    def __init__(self, raw: dict) -> None:
        self.domain = raw["platform"]
        self.name = raw["name"]
        self.hosts = tuple(raw["hosts"])
        self.reserved = frozenset(raw.get("reserved", ()))
        self.patterns = [_AccountRule(p) for p in raw["patterns"]]

    def account_of(self, path: str) -> tuple[str, str]:
        """Return ``(account id, label)`` for a normal path, or ``('', '')`` for the bare platform."""
        for rule in self.patterns:
            match = rule.path.match(path)
            if not match:
                continue
            name = match.group(1).lower() if rule.lower else match.group(1)
            if name.lower() in self.reserved:
                return "", ""
            return f"{self.domain}/{rule.account.format(name)}", rule.label.format(name)
        return "", ""


def _load_platforms() -> tuple[dict[str, _Platform], tuple[str, ...], dict[str, _Platform]]:
    raw = _load_json("platforms.json")
    platforms = [_Platform(p) for p in raw["accounts"]]
    by_host = {host: p for p in platforms for host in p.hosts}
    by_domain = {p.domain: p for p in platforms}
    return by_host, tuple(raw["hosting"]), by_domain


_PLATFORM_BY_HOST, _HOSTING, _PLATFORM_BY_DOMAIN = _load_platforms()
_HOSTING_EXACT = frozenset(h for h in _HOSTING if not h.endswith(".*"))
_HOSTING_ANY_SUFFIX = frozenset(h[:-2] for h in _HOSTING if h.endswith(".*"))


def _hosting_id(host: str, domain: str) -> str:
    """Return the outlet id of a publisher on a hosting platform ('' if ``host`` is not one)."""
    if host == domain:
        return ""
    if domain in _HOSTING_EXACT:
        return host
    base, _, _suffix = domain.partition(".")
    if base in _HOSTING_ANY_SUFFIX:
        # Blogger's country domains (x.blogspot.co.uk) all serve the one blog at x.blogspot.com.
        return host[: -len(domain)] + base + ".com"
    return ""


def _split_normal(url: str) -> tuple[str, str]:
    """Return ``(host, path)`` of a normal URL, without port and query."""
    rest = url.partition("://")[2]
    netloc, slash, path = rest.partition("/")
    if netloc.startswith("["):
        host = netloc[1 : netloc.find("]")]
    else:
        host = netloc.partition(":")[0]
    return host, (slash + path).partition("?")[0]


# ---------------------------------------------------------------------------------------------
# The registry.

_FIELDS = ("id", "name", "kind", "country", "domains", "aliases", "shorteners", "ambiguous")
_COUNTRY_RE = re.compile(r"^(?:[A-Z]{2})?$")


class Registry:
    """Outlets by id, and the domains, publisher shorteners and names that point to them.

    Examples
    --------
    >>> reg = Registry.load()
    >>> reg.outlet_of("https://nyti.ms/3abc")
    'nytimes.com'
    >>> reg.outlet("x.com/someone").name
    '@someone (X)'
    """

    def __init__(self, outlets: Iterable[Outlet] = ()) -> None:
        self._outlets: dict[str, Outlet] = {}
        self._owner: dict[str, str] = {}
        self._host_id = functools.lru_cache(maxsize=65536)(self._host_id_uncached)
        self._names: list[tuple[str, str, bool]] | None = None
        self.version = 0  # bumped on every change, so caches built from the registry know when to rebuild
        for outlet in outlets:
            self.add(outlet)

    def __getstate__(self) -> dict:
        # The caches are rebuilt on the other side: a registry travels to the processes that read pages.
        return {"outlets": list(self._outlets.values()), "owner": dict(self._owner), "version": self.version}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self._outlets = {o.id: o for o in state["outlets"]}
        self._owner = dict(state["owner"])  # as it is: overrides may have left some domains to no one
        self.version = state["version"]

    @classmethod
    def load(cls, user_files: Iterable[str | Path] = ()) -> "Registry":
        """Return the shipped outlets extended (and overridden by id) by ``user_files``.

        Parameters
        ----------
        user_files
            Paths of ``.json`` files (a list of outlet objects) or ``.toml`` files (``[[outlet]]``
            tables), with the keys of ``data/outlets.json``.

        Raises
        ------
        ValueError
            A user file that cannot be read or parsed, or an entry with a missing id, a wrong
            type, an unknown key, an unknown kind or a bad country code; the message names the
            file and the entry.
        """
        registry = cls(_shipped_outlets())
        for path in user_files:
            for outlet in _user_outlets(Path(path)):
                registry.add(outlet)
        return registry

    def add(self, outlet: Outlet) -> None:
        """Add ``outlet``, or replace the outlet with the same id, with all its domains."""
        old = self._outlets.pop(outlet.id, None)
        if old is not None:
            for key in [k for k, owner in self._owner.items() if owner == outlet.id]:
                del self._owner[key]
        self._outlets[outlet.id] = outlet
        for key in (outlet.id, *outlet.domains, *outlet.shorteners):
            self._owner[_domain_key(key)] = outlet.id
        self._host_id.cache_clear()
        self._names = None
        self.version += 1

    def get(self, outlet_id: str) -> Outlet | None:
        """Return the registry entry for ``outlet_id``, or ``None``."""
        return self._outlets.get(outlet_id)

    def outlet(self, outlet_id: str) -> Outlet:
        """Return the outlet for ``outlet_id``, made up from the id when it has no entry.

        Platform accounts (``x.com/someone``) get kind ``platform`` and a name like
        ``"@someone (X)"``; other unknown ids get their id as name and kind ``other``.
        """
        known = self._outlets.get(outlet_id)
        if known is not None:
            return known
        domain, slash, _account = outlet_id.partition("/")
        platform = _PLATFORM_BY_DOMAIN.get(domain)
        if platform is not None and slash:
            _id, label = platform.account_of("/" + _account)
            name = f"{label or _account} ({platform.name})"
            return Outlet(outlet_id, name=name, domains=(outlet_id,), kind="platform")
        if platform is not None:
            return Outlet(outlet_id, name=platform.name, domains=(outlet_id,), kind="platform")
        return Outlet(outlet_id, name=outlet_id, domains=(outlet_id,), kind="other")

    def is_platform(self, outlet_id: str) -> bool:
        """Return whether ``outlet_id`` is a platform or an account on one."""
        known = self._outlets.get(outlet_id)
        if known is not None and known.kind == "platform":
            return True
        return outlet_id.partition("/")[0] in _PLATFORM_BY_DOMAIN

    def outlet_of(self, url: str) -> str:
        """Return the outlet id of ``url`` (``''`` if it is not a usable http(s) URL)."""
        normal = parse_url(url).url
        if not normal:
            return ""
        host, path = _split_normal(normal)
        platform = _PLATFORM_BY_HOST.get(host)
        if platform is not None:
            account, _label = platform.account_of(path)
            if account:
                return self._owner.get(account, account)
            return self._owner.get(platform.domain, platform.domain)
        return self._host_id(host)

    def outlet_for_domain(self, domain_or_host: str) -> str:
        """Return the outlet id for a domain or host name (``''`` if it is not a valid host)."""
        text = domain_or_host.strip()
        if "/" in text:
            return self.outlet_of(text if "://" in text else "http://" + text)
        host, _port, error, _unwrapped = _netloc_parts(text, "http") if text else ("", "", "empty", "")
        if error:
            return ""
        platform = _PLATFORM_BY_HOST.get(host)
        if platform is not None:
            return self._owner.get(platform.domain, platform.domain)
        return self._host_id(host.strip("[]"))

    def _host_id_uncached(self, host: str) -> str:
        owner = self._owner.get(host)
        if owner is not None:
            return owner
        if _is_ip(host) or ":" in host:
            return host
        domain = registered_domain(host)
        hosted = _hosting_id(host, domain)
        if hosted:
            return self._owner.get(hosted, hosted)
        parent = host
        while parent != domain and "." in parent:
            parent = parent.partition(".")[2]
            owner = self._owner.get(parent)
            if owner is not None:
                return owner
        return domain

    def names(self) -> list[tuple[str, str, bool]]:
        """Return ``(name or alias, outlet id, ambiguous)`` for mention detection, longest first.

        A name is ambiguous when its outlet lists it under ``ambiguous`` (an ordinary word or
        phrase, such as "The Hill") or when two outlets share it.
        """
        if self._names is None:
            self._names = _names_of(self._outlets.values())
        return list(self._names)

    def __len__(self) -> int:
        return len(self._outlets)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(list(self._outlets.values()))


def read_outlets_file(path: str | Path) -> list[Outlet]:
    """The outlets a user file (.json or .toml) defines; ValueError naming the file and entry if malformed."""
    return list(_user_outlets(Path(path)))


def _domain_key(domain: str) -> str:
    return domain.strip().lower().rstrip(".")


def _names_of(outlets: Iterable[Outlet]) -> list[tuple[str, str, bool]]:
    pairs: dict[tuple[str, str], bool] = {}
    for outlet in outlets:
        for name in (outlet.name, *outlet.aliases, *outlet.ambiguous):
            if name:
                pairs[(name, outlet.id)] = pairs.get((name, outlet.id), False) or name in outlet.ambiguous
    owners: dict[str, int] = {}
    for name, _id in pairs:
        owners[name] = owners.get(name, 0) + 1
    rows = [(name, oid, flag or owners[name] > 1) for (name, oid), flag in pairs.items()]
    rows.sort(key=lambda row: (-len(row[0]), row[0], row[1]))
    return rows


# ---------------------------------------------------------------------------------------------
# Reading outlet files.


def _outlet_from(entry: object, where: str) -> Outlet:
    """Return the Outlet an entry of an outlets file describes; ``ValueError`` naming ``where``."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: an outlet must be a table/object, not {type(entry).__name__}")
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(_FIELDS)}")
    outlet_id = entry.get("id")
    if not isinstance(outlet_id, str) or not outlet_id.strip():
        raise ValueError(f"{where}: 'id' is missing or not a non-empty string")
    outlet_id = outlet_id.strip()
    where = f"{where} (id {outlet_id!r})"
    texts = {}
    for key in ("name", "kind", "country"):
        value = entry.get(key, "")
        if not isinstance(value, str):
            raise ValueError(f"{where}: {key!r} must be a string")
        texts[key] = value.strip()
    lists = {}
    for key in ("domains", "aliases", "shorteners", "ambiguous"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"{where}: {key!r} must be a list of non-empty strings")
        lists[key] = tuple(v.strip() for v in value)
    kind = texts["kind"] or "other"
    if kind not in OUTLET_KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r}; use one of {', '.join(OUTLET_KINDS)}")
    if not _COUNTRY_RE.match(texts["country"]):
        raise ValueError(f"{where}: country {texts['country']!r} is not an ISO 3166 alpha-2 code")
    domains = tuple(_domain_key(d) for d in lists["domains"])
    if _domain_key(outlet_id) not in domains:
        domains = (outlet_id, *domains)
    return Outlet(
        id=outlet_id,
        name=texts["name"] or outlet_id,
        domains=domains,
        kind=kind,
        country=texts["country"],
        aliases=lists["aliases"],
        shorteners=tuple(_domain_key(s) for s in lists["shorteners"]),
        ambiguous=lists["ambiguous"],
    )


def _outlets_in(entries: object, source: str) -> list[Outlet]:
    if isinstance(entries, dict):
        entries = entries.get("outlet", entries.get("outlets"))
    if not isinstance(entries, list):
        raise ValueError(f"{source}: expected a list of outlets ('[[outlet]]' tables in TOML)")
    return [_outlet_from(entry, f"{source}: entry {i + 1}") for i, entry in enumerate(entries)]


def _user_outlets(path: Path) -> list[Outlet]:
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise ValueError(f"{path}: outlet files must be .json or .toml")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read outlet file ({exc})") from exc
    try:
        if suffix == ".json":
            data = json.loads(text)
        else:
            import tomllib

            data = tomllib.loads(text)
    except ValueError as exc:  # JSONDecodeError and TOMLDecodeError are both ValueErrors
        raise ValueError(f"{path}: not valid {suffix[1:].upper()} ({exc})") from exc
    return _outlets_in(data, str(path))


@functools.cache
def _shipped_outlets() -> tuple[Outlet, ...]:
    return tuple(_outlets_in(_load_json("outlets.json"), "citegraph/data/outlets.json"))


@functools.cache
def default_registry() -> Registry:
    """Return the registry of shipped outlets (built once)."""
    return Registry.load()


def outlet_of(url: str) -> str:
    """Return the outlet id of ``url`` with the shipped registry (``''`` if unusable).

    Examples
    --------
    >>> outlet_of("https://someone.substack.com/p/post")
    'someone.substack.com'
    """
    return default_registry().outlet_of(url)
