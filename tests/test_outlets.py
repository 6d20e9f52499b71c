"""Outlet identity: URL normal forms, outlet ids, the registry and user outlet files."""
from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph import outlets
from citegraph.models import OUTLET_KINDS, Outlet
from citegraph.outlets import (
    NORMALIZER_VERSION,
    NormalURL,
    Registry,
    default_registry,
    normalize_url,
    outlet_of,
    parse_url,
    registered_domain,
)

FIXTURE = Path(__file__).parent / "fixtures" / "outlet_urls.tsv"
DATA = Path(outlets.__file__).parent / "data"
URL_RULES = json.loads((DATA / "url_rules.json").read_text(encoding="utf-8"))
PLATFORMS = json.loads((DATA / "platforms.json").read_text(encoding="utf-8"))
SHIPPED = json.loads((DATA / "outlets.json").read_text(encoding="utf-8"))


def _unescaped(text: str) -> str:
    # The fixture writes control and invisible characters as \n, \t, \uXXXX so they stay reviewable.
    def char(match: re.Match) -> str:
        code = match.group(1)
        return {"n": "\n", "t": "\t"}.get(code) or chr(int(code[1:], 16))

    return re.sub(r"\\(n|t|u[0-9a-fA-F]{4})", char, text)


def _fixture_rows() -> list[tuple[str, str, str, str | None]]:
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        rows.append((_unescaped(cols[0]), cols[1], cols[2], cols[3] if len(cols) > 3 else None))
    return rows


ROWS = _fixture_rows()


# ---------------------------------------------------------------------------------------------
# The table of real-shaped URLs.


def test_fixture_is_large_enough():
    assert len(ROWS) >= 170


@pytest.mark.parametrize(("url", "normal", "outlet", "base"), ROWS, ids=[r[0][:70] for r in ROWS])
def test_normal_form_and_outlet(url, normal, outlet, base):
    assert normalize_url(url, base) == normal
    assert normalize_url(normal) == normal
    assert outlet_of(normal) == outlet
    if base is None:
        assert outlet_of(url) == outlet


# ---------------------------------------------------------------------------------------------
# Flags: what was peeled off, archives, shorteners.

FLAGS = [
    ("https://web.archive.org/web/2024/https://www.rt.com/news/1/", "archive", "web.archive.org", False),
    ("https://archive.ph/newest/https://www.rt.com/news/1/", "archive", "archive.today", False),
    ("https://archive.ph/AbC12", "", "", False),
    ("https://www-bbc-co-uk.cdn.ampproject.org/c/s/www.bbc.co.uk/news/world-1", "amp", "", False),
    ("https://amp.theguardian.com/world/x", "amp", "", False),
    ("https://www.bbc.co.uk/news/world-1.amp", "amp", "", False),
    ("https://www.washingtonpost.com/x/?outputType=amp", "amp", "", False),
    ("https://www.google.com/url?q=https://www.nytimes.com/x.html", "redirect", "", False),
    ("https://www.google.com/url?q=https://web.archive.org/web/2024/https://rt.com/x", "redirect", "web.archive.org", False),
    ("https://web.archive.org/web/2024/https://x.cdn.ampproject.org/c/s/example.org/a", "archive", "web.archive.org", False),
    ("https://www.bbc.co.uk/news", "", "", False),
    ("https://news.google.com/articles/CBMi", "", "", False),
    ("https://bit.ly/3abc", "", "", True),
    ("https://t.co/AbCdEf", "", "", True),
    ("https://nyti.ms/3abc", "", "", False),
    ("https://web.archive.org/web/2024/https://bit.ly/3abc", "archive", "web.archive.org", True),
]


@pytest.mark.parametrize(("url", "unwrapped", "via_archive", "shortener"), FLAGS)
def test_flags(url, unwrapped, via_archive, shortener):
    result = parse_url(url)
    assert result.url and not result.error
    assert (result.unwrapped, result.via_archive, result.shortener) == (unwrapped, via_archive, shortener)


BAD_HREFS = [
    ("javascript:alert(1)", "scheme"),
    ("JavaScript:void(0)", "scheme"),
    ("mailto:a@b", "scheme"),
    ("data:text/html,<script>alert(1)</script>", "scheme"),
    ("ftp://ftp.example.org/file.txt", "scheme"),
    ("tel:+441234567890", "scheme"),
    ("http://", "no-host"),
    ("https:///path", "no-host"),
    ("http://[::1", "bad-host"),
    ("http://[not-an-ip]/", "bad-host"),
    ("   ", "empty"),
    ("", "empty"),
    ("\u200b\ufeff", "empty"),
    ("http://exa mple.com", "bad-host"),
    ("http://a..b.com/", "bad-host"),
    ("http://999.1.1.1/", "bad-host"),
    ("http://" + "a" * 64 + ".com/", "bad-host"),
    ("http://xn--a.xn--ls8h\udcff.com/", "bad-host"),
    ("http://example.com:99999/", "bad-port"),
    ("http://example.com:8o/", "bad-port"),
    ("/relative/without/base", "no-host"),
    ("www.bbc.co.uk/news", "no-host"),
    ("#top", "no-host"),
]


@pytest.mark.parametrize(("href", "error"), BAD_HREFS)
def test_bad_hrefs_get_a_reason(href, error):
    assert parse_url(href) == NormalURL("", error=error)
    assert normalize_url(href) == ""
    assert outlet_of(href) == ""


def test_none_is_empty():
    assert parse_url(None).error == "empty"  # lxml gives None for a missing href


def test_good_hrefs_of_the_brief():
    assert normalize_url("http://münchen.de/x") == "http://xn--mnchen-3ya.de/x"
    assert normalize_url("HTTP://WWW.BBC.CO.UK/News#x") == "http://bbc.co.uk/News"


def test_relative_href_against_a_bad_base():
    assert parse_url("/x", base="http://[::1").error == "bad-host"
    assert parse_url("/x", base="mailto:a@b").error == "no-host"
    assert parse_url("x", base="ftp://example.org/").error == "scheme"


def test_too_deeply_nested_is_an_error():
    url = "https://example.org/x"
    for _ in range(12):
        url = "https://href.li/?" + url
    assert parse_url(url).error == "nested"


def test_docstring_examples_run():
    failures, tried = doctest.testmod(outlets)
    assert tried > 5 and failures == 0


def test_normalizer_version_is_a_string():
    assert isinstance(NORMALIZER_VERSION, str) and NORMALIZER_VERSION


# ---------------------------------------------------------------------------------------------
# Every rule in the data files is exercised.


@pytest.mark.parametrize("name", URL_RULES["tracking_params"])
def test_every_tracking_param_is_dropped(name):
    url = f"https://example.org/a?keep=1&{name}=x&also=2"
    assert normalize_url(url) == "https://example.org/a?keep=1&also=2"
    assert normalize_url(f"https://example.org/a?{name.upper()}=x") == "https://example.org/a"


@pytest.mark.parametrize("prefix", URL_RULES["tracking_prefixes"])
def test_every_tracking_prefix_is_dropped(prefix):
    assert normalize_url(f"https://example.org/a?{prefix}anything=x&k=1") == "https://example.org/a?k=1"


@pytest.mark.parametrize(
    ("host", "param"),
    [(h, p) for rule in URL_RULES["host_tracking_params"] for h in rule["hosts"] for p in rule["params"]],
)
def test_host_tracking_params_are_dropped_on_their_host_only(host, param):
    assert normalize_url(f"https://{host}/a?{param}=1&k=2") == f"https://{host}/a?k=2"
    assert normalize_url(f"https://example.org/a?{param}=1&k=2") == f"https://example.org/a?{param}=1&k=2"


@pytest.mark.parametrize("prefix", URL_RULES["host_prefixes"], ids=lambda p: p["label"])
def test_every_host_prefix_is_stripped(prefix):
    result = parse_url(f"https://{prefix['label']}.example.org/a")
    assert result.url == "https://example.org/a"
    assert result.unwrapped == prefix["unwrapped"]
    # ...but not when the label is the registrable part itself.
    assert normalize_url(f"https://{prefix['label']}.co.uk/a") == f"https://{prefix['label']}.co.uk/a"


@pytest.mark.parametrize(
    ("name", "value"), [(m["name"], v) for m in URL_RULES["amp_query_markers"] for v in m["values"]]
)
def test_every_amp_query_marker_is_dropped(name, value):
    pair = f"{name}={value}" if value else name
    result = parse_url(f"https://example.org/a?x=1&{pair}")
    assert (result.url, result.unwrapped) == ("https://example.org/a?x=1", "amp")


@pytest.mark.parametrize("rule", URL_RULES["amp_path_suffixes"], ids=lambda r: r["suffix"])
def test_every_amp_path_suffix_is_stripped(rule):
    result = parse_url(f"https://example.org/news/story{rule['suffix']}")
    assert result.url == f"https://example.org/news/story{rule['replacement'] or ''}"
    assert result.unwrapped == "amp"


@pytest.mark.parametrize("host", URL_RULES["shorteners"])
def test_every_generic_shortener_is_flagged_and_kept(host):
    result = parse_url(f"https://{host}/AbC123")
    assert result.shortener and result.url == f"https://{host}/AbC123"
    assert outlet_of(result.url) == registered_domain(host)


def _matching_rows(rule: dict) -> list[str]:
    """Fixture URLs whose outermost host and path match an unwrapping rule."""
    compiled = outlets._HostRule(rule)
    found = []
    for url, _normal, _outlet, _base in ROWS:
        parts = re.match(r"^\s*https?://([^/?#]+)([^?#]*)", url, re.IGNORECASE)
        if not parts:
            continue
        host = outlets._without_prefixes(parts.group(1).lower())[0]
        if compiled.applies_to(host) and compiled.path.match(parts.group(2) or "/"):
            found.append(url)
    return found


@pytest.mark.parametrize(
    "rule", URL_RULES["archives"] + URL_RULES["amp_caches"] + URL_RULES["redirectors"], ids=lambda r: r["path"][:40]
)
def test_every_unwrapping_rule_has_fixture_rows_that_unwrap(rule):
    rows = _matching_rows(rule)
    assert rows, f"no fixture row for {rule}"
    assert any(parse_url(url).unwrapped for url in rows)


@pytest.mark.parametrize("host", [h for r in URL_RULES["archives"] + URL_RULES["redirectors"] for h in r.get("hosts", [])])
def test_every_wrapper_host_is_in_the_fixture(host):
    found = (re.match(r"^https?://([^/?#]+)", url, re.IGNORECASE) for url, *_ in ROWS)
    hosts = {m.group(1).lower().removeprefix("www.").removeprefix("m.") for m in found if m}
    assert host in hosts or host.removeprefix("m.") in hosts


@pytest.mark.parametrize(
    ("platform", "pattern"),
    [(p["platform"], pat["path"]) for p in PLATFORMS["accounts"] for pat in p["patterns"]],
)
def test_every_account_pattern_has_a_fixture_row(platform, pattern):
    rows = [(normal, oid) for _u, normal, oid, _b in ROWS if oid.startswith(platform + "/")]
    regex = re.compile(pattern)
    assert any(regex.match("/" + normal.split("/", 3)[3].partition("?")[0]) for normal, _ in rows)


@pytest.mark.parametrize("platform", PLATFORMS["accounts"], ids=lambda p: p["platform"])
def test_every_platform_host_maps_to_the_platform(platform):
    for host in platform["hosts"]:
        assert outlet_of(f"https://{host}/") == platform["platform"]


@pytest.mark.parametrize(
    ("platform", "word"), [(p["platform"], w) for p in PLATFORMS["accounts"] for w in p["reserved"]]
)
def test_reserved_paths_give_the_bare_platform(platform, word):
    assert outlet_of(f"https://{platform}/{word}") == platform
    assert outlet_of(f"https://{platform}/{word.upper()}?x=1") == platform


@pytest.mark.parametrize("hosting", PLATFORMS["hosting"])
def test_every_hosting_platform_gives_the_full_host(hosting):
    host = "someone." + hosting.replace(".*", ".com")
    assert outlet_of(f"https://{host}/post") == host
    assert any(oid == host for _u, _n, oid, _b in ROWS), f"no fixture row for {hosting}"


# ---------------------------------------------------------------------------------------------
# Registered domains.


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("WWW.BBC.CO.UK.", "bbc.co.uk"),
        ("foo.bar.com.au", "bar.com.au"),
        ("someone.blogspot.com", "someone.blogspot.com"),
        ("someone.github.io", "someone.github.io"),
        ("someone.substack.com", "substack.com"),  # not in the PSL: Registry handles hosting platforms
        ("www.daily-bugle.example", "daily-bugle.example"),
        ("news.test", "news.test"),
        ("a.b.c.invalid", "c.invalid"),
        ("printer.local", "printer.local"),
        ("localhost", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("co.uk", "co.uk"),
        ("xn--mnchen-3ya.de", "xn--mnchen-3ya.de"),
        ("", ""),
    ],
)
def test_registered_domain(host, domain):
    assert registered_domain(host) == domain


# ---------------------------------------------------------------------------------------------
# The shipped registry.

REQUIRED = [
    ("reuters.com", "Reuters", (), ()),
    ("apnews.com", "Associated Press", ("The Associated Press", "AP"), ("AP",)),
    ("nytimes.com", "The New York Times", (), ()),
    ("theguardian.com", "The Guardian", (), ()),
    ("washingtonpost.com", "The Washington Post", (), ()),
    ("aljazeera.com", "Al Jazeera", (), ()),
    ("rt.com", "RT", (), ()),
    ("foxnews.com", "Fox News", (), ()),
    ("brookings.edu", "Brookings Institution", ("the Brookings Institution", "Brookings"), ()),
    ("bbc.co.uk", "BBC", ("BBC News",), ()),
    ("journal-neo.org", "New Eastern Outlook", (), ()),
]


@pytest.mark.parametrize(("oid", "name", "aliases", "ambiguous"), REQUIRED, ids=[r[0] for r in REQUIRED])
def test_required_outlets(oid, name, aliases, ambiguous):
    outlet = default_registry().get(oid)
    assert outlet is not None and outlet.name == name
    assert set(aliases) <= set(outlet.aliases)
    assert set(ambiguous) <= set(outlet.ambiguous)


def test_required_alternate_domains():
    reg = default_registry()
    assert reg.outlet_for_domain("guardian.co.uk") == "theguardian.com"
    assert reg.outlet_for_domain("www.bbc.com") == "bbc.co.uk"
    assert reg.outlet_for_domain("BBC.COM") == "bbc.co.uk"


def test_registry_is_large_and_valid():
    reg = default_registry()
    assert len(reg) >= 300
    assert len(list(reg)) == len(reg)
    for outlet in reg:
        assert isinstance(outlet, Outlet)
        assert outlet.kind in OUTLET_KINDS, outlet.id
        assert re.fullmatch(r"(?:[A-Z]{2})?", outlet.country), outlet.id
        assert outlet.domains[0] == outlet.id, outlet.id
        assert outlet.name, outlet.id


def test_shipped_file_has_only_known_keys_and_unique_ids():
    ids = [entry["id"] for entry in SHIPPED]
    assert len(ids) == len(set(ids))
    for entry in SHIPPED:
        assert set(entry) == {"id", "name", "kind", "country", "domains", "aliases", "shorteners", "ambiguous"}
        assert set(entry["ambiguous"]) <= {entry["name"], *entry["aliases"]} | set(entry["ambiguous"])


def test_no_domain_is_claimed_by_two_outlets():
    owners: dict[str, str] = {}
    for outlet in default_registry():
        for domain in (*outlet.domains, *outlet.shorteners):
            assert owners.setdefault(domain, outlet.id) == outlet.id, f"{domain}: {owners[domain]} and {outlet.id}"


def test_every_claimed_domain_leads_back_to_its_outlet():
    reg = default_registry()
    for outlet in reg:
        for domain in (*outlet.domains, *outlet.shorteners):
            assert reg.outlet_for_domain(domain) == outlet.id, domain
            assert reg.outlet_of(f"https://{domain}/some/article") in (outlet.id,) or reg.is_platform(outlet.id)


def test_every_shipped_domain_is_already_normal():
    for outlet in default_registry():
        for domain in (*outlet.domains, *outlet.shorteners):
            assert normalize_url(f"https://{domain}/") == f"https://{domain}/", domain


def test_names_longest_first_with_ambiguity_flags():
    names = default_registry().names()
    lengths = [len(name) for name, _oid, _amb in names]
    assert lengths == sorted(lengths, reverse=True)
    rows = set(names)
    assert ("The New York Times", "nytimes.com", False) in rows
    assert ("New York Times", "nytimes.com", False) in rows
    assert ("Associated Press", "apnews.com", False) in rows
    assert ("AP", "apnews.com", True) in rows
    assert ("The Hill", "thehill.com", True) in rows
    assert ("Fox", "foxnews.com", True) in rows
    assert ("Brookings", "brookings.edu", False) in rows
    # A name two outlets share is ambiguous even where neither lists it so.
    times = {(oid, amb) for name, oid, amb in names if name == "The Times"}
    assert times == {("nytimes.com", True), ("thetimes.co.uk", True)}


def test_names_are_unique_per_outlet():
    names = default_registry().names()
    assert len({(n, oid) for n, oid, _ in names}) == len(names)


def test_default_registry_is_cached():
    assert default_registry() is default_registry()


def test_host_lookups_are_cached():
    reg = Registry.load()
    reg.outlet_of("https://www.cbsnews.com/news/a/")
    before = reg._host_id.cache_info().hits
    reg.outlet_of("https://www.cbsnews.com/news/b/")
    assert reg._host_id.cache_info().hits == before + 1


# ---------------------------------------------------------------------------------------------
# Outlets made up from ids, platforms.


def test_unknown_outlet_is_made_up_from_its_id():
    reg = default_registry()
    assert reg.get("daily-bugle.example") is None
    assert reg.outlet("daily-bugle.example") == Outlet(
        "daily-bugle.example", name="daily-bugle.example", domains=("daily-bugle.example",), kind="other"
    )


@pytest.mark.parametrize(
    ("oid", "name"),
    [
        ("x.com/someone", "@someone (X)"),
        ("youtube.com/@bbcnews", "@bbcnews (YouTube)"),
        ("youtube.com/channel/UCupvZG-5ko_eiXAupbDfxWw", "channel/UCupvZG-5ko_eiXAupbDfxWw (YouTube)"),
        ("reddit.com/r/worldnews", "r/worldnews (Reddit)"),
        ("t.me/rtnews", "@rtnews (Telegram)"),
        ("bsky.app/profile/nytimes.com", "@nytimes.com (Bluesky)"),
    ],
)
def test_account_outlets(oid, name):
    outlet = default_registry().outlet(oid)
    assert (outlet.id, outlet.name, outlet.kind, outlet.domains) == (oid, name, "platform", (oid,))


def test_is_platform():
    reg = default_registry()
    assert reg.is_platform("x.com")
    assert reg.is_platform("x.com/someone")
    assert reg.is_platform("substack.com")
    assert not reg.is_platform("nytimes.com")
    assert not reg.is_platform("someone.substack.com")


def test_outlet_for_domain_forms():
    reg = default_registry()
    assert reg.outlet_for_domain("edition.cnn.com") == "cnn.com"
    assert reg.outlet_for_domain("someone.substack.com") == "someone.substack.com"
    assert reg.outlet_for_domain("twitter.com") == "x.com"
    assert reg.outlet_for_domain("twitter.com/SomeOne") == "x.com/someone"
    assert reg.outlet_for_domain("127.0.0.1:8000") == "127.0.0.1"
    assert reg.outlet_for_domain("exa mple.com") == ""
    assert reg.outlet_for_domain("") == ""


# ---------------------------------------------------------------------------------------------
# User outlet files.


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_json_extends_and_overrides(tmp_path):
    path = _write(
        tmp_path,
        "mine.json",
        json.dumps(
            [
                {"id": "daily-bugle.example", "name": "Daily Bugle", "kind": "news", "country": "US",
                 "domains": ["bugle.test"], "aliases": ["The Bugle"], "ambiguous": ["The Bugle"]},
                {"id": "reuters.com", "name": "Reuters (mine)", "kind": "wire", "domains": ["reuters.com"]},
            ]
        ),
    )
    reg = Registry.load([path])
    assert len(reg) == len(default_registry()) + 1
    assert reg.outlet_of("https://news.bugle.test/x") == "daily-bugle.example"
    assert reg.outlet("daily-bugle.example").domains == ("daily-bugle.example", "bugle.test")
    assert reg.get("reuters.com").name == "Reuters (mine)"
    # The override replaces the whole entry: the old shortener no longer points to Reuters.
    assert reg.outlet_of("https://reut.rs/abc") == "reut.rs"
    assert ("The Bugle", "daily-bugle.example", True) in reg.names()
    assert default_registry().get("reuters.com").name == "Reuters"


def test_user_toml_extends_and_overrides(tmp_path):
    path = _write(
        tmp_path,
        "mine.toml",
        """
[[outlet]]
id = "news.test"
name = "Test News"
kind = "broadcaster"
domains = ["news.test", "tn.test"]

[[outlet]]
id = "nytimes.com"
name = "NYT"
kind = "news"
country = "US"
domains = ["nytimes.com", "x.com/nytimes"]
""",
    )
    reg = Registry.load([path])
    assert reg.outlet_of("http://tn.test/a") == "news.test"
    assert reg.get("news.test").kind == "broadcaster"
    assert reg.get("nytimes.com").name == "NYT"
    # An account listed as a domain folds the account into the outlet.
    assert reg.outlet_of("https://twitter.com/NYTimes/status/1") == "nytimes.com"


def test_later_user_files_win(tmp_path):
    first = _write(tmp_path, "a.json", '[{"id": "news.test", "name": "First"}]')
    second = _write(tmp_path, "b.json", '[{"id": "news.test", "name": "Second"}]')
    assert Registry.load([first, second]).get("news.test").name == "Second"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.json", "[{", "not valid JSON"),
        ("bad.toml", "[[outlet]\nid=", "not valid TOML"),
        ("bad.json", '{"id": "x.test"}', "expected a list"),
        ("bad.json", '[{"id": "a.test"}, {"name": "no id"}]', "entry 2"),
        ("bad.json", '[{"id": "a.test", "kind": "blog"}]', "unknown kind 'blog'"),
        ("bad.json", '[{"id": "a.test", "domain": ["a.test"]}]', "unknown key(s) domain"),
        ("bad.json", '[{"id": "a.test", "domains": "a.test"}]', "'domains' must be a list"),
        ("bad.json", '[{"id": "a.test", "country": "UK1"}]', "ISO 3166"),
        ("bad.json", '["a.test"]', "must be a table/object"),
        ("bad.toml", '[[outlet]]\nid = "a.test"\nkind = "tabloid"\n', "unknown kind 'tabloid'"),
        ("bad.yaml", "- id: a.test", "must be .json or .toml"),
    ],
)
def test_malformed_user_file_names_file_and_entry(tmp_path, name, text, message):
    path = _write(tmp_path, name, text)
    with pytest.raises(ValueError) as info:
        Registry.load([path])
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_missing_user_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        Registry.load([tmp_path / "nope.json"])


def test_add_in_memory_overrides_and_clears_cache():
    reg = Registry.load()
    assert reg.outlet_of("https://www.bugle.test/x") == "bugle.test"
    reg.add(Outlet("daily-bugle.example", "Daily Bugle", ("daily-bugle.example", "bugle.test"), "news"))
    assert reg.outlet_of("https://www.bugle.test/x") == "daily-bugle.example"
    reg.add(Outlet("daily-bugle.example", "Daily Bugle", ("daily-bugle.example",), "news"))
    assert reg.outlet_of("https://www.bugle.test/x") == "bugle.test"
    assert default_registry().outlet_of("https://www.bugle.test/x") == "bugle.test"


# ---------------------------------------------------------------------------------------------
# Properties.

_HOSTS = st.sampled_from(
    ["www.bbc.co.uk", "EXAMPLE.org", "m.facebook.com", "twitter.com", "someone.blogspot.co.uk", "münchen.de",
     "127.0.0.1", "[::1]", "news.test", "amp.theguardian.com", "www.co.uk", "t.co", "xn--bcher-kva.de", "a..b",
     "exa mple.com", ""]
) | st.text(max_size=20)
_WRAPPERS = st.sampled_from(
    ["", "https://web.archive.org/web/2020/", "https://web.archive.org/web/2020id_/", "https://www.google.com/url?q=",
     "https://x.cdn.ampproject.org/c/s/", "https://archive.ph/newest/", "https://href.li/?",
     "https://l.facebook.com/l.php?u=", "https://www.google.com/amp/s/"]
)
_URLISH = st.builds(
    lambda wrap, scheme, host, port, path, query, frag: f"{wrap}{scheme}{host}{port}{path}{query}{frag}",
    _WRAPPERS,
    st.sampled_from(["http://", "https://", "HTTP://", "//", "", "javascript:", "ftp://", "http:/"]),
    _HOSTS,
    st.sampled_from(["", ":80", ":443", ":8080", ":0", ":99999", ":x", ":"]),
    st.text(alphabet="/.%aZ09-_~é ?#!@:;&=+", max_size=30),
    st.lists(
        st.sampled_from(["utm_source=x", "amp", "amp=1", "q=%41", "fbclid=1", "s=20", "a=b", "", "outputType=amp"]),
        max_size=4,
    ).map(lambda ps: ("?" + "&".join(ps)) if ps else ""),
    st.sampled_from(["", "#x", "#!/a", "#!/", "#"]),
)
_BASES = st.none() | st.sampled_from(["https://www.bbc.co.uk/news/", "http://[::1", "mailto:x", "http://127.0.0.1:8765/a/b"])


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parse_url_never_raises_on_text(text):
    result = parse_url(text)
    assert isinstance(result, NormalURL)
    assert bool(result.url) != bool(result.error)
    assert normalize_url(result.url) == result.url


@settings(max_examples=600, deadline=None)
@given(_URLISH, _BASES)
def test_normalize_url_is_idempotent(url, base):
    once = normalize_url(url, base)
    assert normalize_url(once) == once
    assert normalize_url(once, base) == once
    if once:
        assert once.isascii() and once.startswith(("http://", "https://"))
        assert "#" not in once


@settings(max_examples=400, deadline=None)
@given(_URLISH | st.text())
def test_outlet_of_never_raises_and_agrees_with_the_normal_form(url):
    oid = outlet_of(url)
    assert isinstance(oid, str)
    assert oid == outlet_of(normalize_url(url))
    assert bool(oid) == bool(normalize_url(url))
