"""Per-outlet profiles and user scrapers: shipped rules, the user's files, and their failures."""
import textwrap

import pytest
from click.testing import CliRunner

from citegraph.cli import cli
from citegraph.config import load_settings
from citegraph.pipeline import CitegraphError, ingest, open_store, profiles_for
from citegraph.scrapers.extract import ExtractOptions, ScraperError, extract_article
from citegraph.scrapers.profiles import Profile, ProfileError, Profiles, default_profiles, load_profiles

PROSE = ("The ministry's figures, published on Tuesday, show that exports fell for the third month in a row, "
         "the longest slide since the records began, and economists expect the decline to deepen further.")

# A Kinja-style page: the byline and an author card sit inside <main>, beside the post text.
KINJA = f"""<html><body><main>
<header><h1>Title</h1><div><a href="https://kinja.com/ace">Adam Clark Estes</a></div></header>
<div class="js_expandable-container"><p>{PROSE} <a href="https://www.reuters.com/x">Reuters reported</a>.</p>
<p>{PROSE}</p></div>
<div class="card"><a href="https://twitter.com/adamclarkestes">Twitter</a> Email <a href="https://kinja.com/ace">Posts</a>
 and a few words about the writer that make this card long enough to read as prose on its own, for sure.</div>
</main></body></html>"""


def links(article):
    return sorted(c.target_outlet for c in article.citations if c.kind == "link")


def test_shipped_profile_finds_the_kinja_post_body():
    assert links(extract_article(KINJA, "https://gizmodo.com/some-story-1839927963")) == ["reuters.com"]
    # the same page on a host without a profile: the heuristics see the whole <main>
    no_profiles = ExtractOptions(profiles=Profiles())
    assert "x.com/adamclarkestes" in links(extract_article(KINJA, "https://other.example/s", options=no_profiles))


def test_profile_matches_subdomains_and_not_lookalikes():
    profiles = default_profiles()
    assert profiles.for_host("earther.gizmodo.com").domain == "gizmodo.com"
    assert profiles.for_host("www.gizmodo.com").domain == "gizmodo.com"
    assert profiles.for_host("notgizmodo.com") is None


def test_user_profile_from_toml_body_and_discard(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(textwrap.dedent("""
        [profiles."harbour.example"]
        body = ["div.story-text", "article"]
        discard = [".inline-promo"]
    """))
    page = f"""<html><body><div class="story-text"><p>{PROSE} <a href="https://www.bbc.co.uk/news/1">the BBC</a>.</p>
    <div class="inline-promo"><p>{PROSE} <a href="https://sister.example/deal">our sister site</a></p></div></div>
    <article><p>{PROSE} {PROSE} <a href="https://www.cnn.com/x">CNN</a></p></article></body></html>"""
    opts = ExtractOptions(profiles=load_profiles([rules]))
    assert links(extract_article(page, "https://www.harbour.example/a", options=opts)) == ["bbc.co.uk"]


@pytest.mark.parametrize("text, message", [
    ('[profiles."a.example"]\nbody = "div[[["', "not a usable CSS selector"),
    ('[profiles."a.example"]\nbodyy = "div"', "unknown keys"),
    ('[profiles."a.example"]\nbody = 3', "must be a CSS selector"),
    ('[scrapers]\n"a.example" = "nofunction"', "module:function"),
    ('[scrapers]\n"a.example" = "missing_file.py:f"', "not found"),
    ('[scrapers]\n"a.example" = "citegraph.outlets:NOT_THERE"', "is not a function"),
    ('[scrapers]\n"a.example" = "no_such_module_xyz:f"', "cannot load scraper"),
    ("profiles = [", "not valid TOML"),
])
def test_bad_profile_files_are_named(tmp_path, text, message):
    rules = tmp_path / "rules.toml"
    rules.write_text(text)
    with pytest.raises(ProfileError, match=message) as err:
        load_profiles([rules])
    assert str(rules) in str(err.value)


SCRAPERS = '''
from citegraph.models import Citation

def body(soup, url):
    story = soup.select_one("div#story")
    for box in story.select("div.more"):
        box.decompose()
    return story

def cites(soup, url):
    return ["https://www.nytimes.com/2024/x.html", {"url": "https://apnews.com/y", "kind": "syndication",
            "anchor_text": "AP"}]

def nothing(soup, url):
    return None

def broken(soup, url):
    return soup.select_one("div#nowhere").text
'''

SCRAPED_PAGE = f"""<html><body><div id="story"><p>{PROSE} <a href="https://www.reuters.com/a">Reuters</a></p>
<div class="more"><p>{PROSE} <a href="https://www.cnn.com/b">CNN story</a></p></div></div>
<article><p>{PROSE} {PROSE} <a href="https://www.foxnews.com/c">Fox</a></p></article></body></html>"""


@pytest.fixture
def scraper_file(tmp_path):
    path = tmp_path / "my_scrapers.py"
    path.write_text(SCRAPERS)
    return path


def _opts(tmp_path, fn):
    rules = tmp_path / f"{fn}.toml"
    rules.write_text(f'[scrapers]\n"docks.example" = "my_scrapers.py:{fn}"\n')
    return ExtractOptions(profiles=load_profiles([rules]))


def test_scraper_returning_the_body(tmp_path, scraper_file):
    art = extract_article(SCRAPED_PAGE, "https://docks.example/s", options=_opts(tmp_path, "body"))
    assert links(art) == ["reuters.com"]


def test_scraper_returning_citations(tmp_path, scraper_file):
    art = extract_article(SCRAPED_PAGE, "https://docks.example/s", options=_opts(tmp_path, "cites"))
    assert sorted((c.kind, c.target_outlet) for c in art.citations) == [("link", "nytimes.com"),
                                                                         ("syndication", "apnews.com")]
    assert all(c.source_outlet == "docks.example" for c in art.citations)


def test_scraper_returning_none_falls_back(tmp_path, scraper_file):
    art = extract_article(SCRAPED_PAGE, "https://docks.example/s", options=_opts(tmp_path, "nothing"))
    assert links(art) == ["foxnews.com"]  # the heuristics pick the <article>


def test_scraper_that_raises_names_itself(tmp_path, scraper_file):
    with pytest.raises(ScraperError, match=r"my_scrapers.py:broken.*docks.example/s.*AttributeError"):
        extract_article(SCRAPED_PAGE, "https://docks.example/s", options=_opts(tmp_path, "broken"))


def test_scraper_error_fails_the_page_not_the_run(tmp_path, scraper_file, monkeypatch):
    pages = tmp_path / "pages"
    pages.mkdir()
    canon = '<link rel="canonical" href="https://docks.example/{0}">'
    (pages / "a.html").write_text(SCRAPED_PAGE.replace("<html>", "<html><head>" + canon.format("a") + "</head>"))
    (pages / "b.html").write_text(SCRAPED_PAGE.replace("<html>", "<html><head><link rel='canonical' "
                                                       "href='https://ok.example/b'></head>"))
    (tmp_path / "citegraph.toml").write_text('[scrapers]\n"docks.example" = "my_scrapers.py:broken"\n')
    monkeypatch.chdir(tmp_path)
    settings = load_settings({"db": str(tmp_path / "s.db"), "progress": False})
    assert settings.config_file == "citegraph.toml"
    result = ingest([str(pages)], settings)
    assert (result.articles, result.failures) == (1, 1)
    with open_store(settings) as store:
        failed = store.fetches(errors_only=True)
    assert [f.error for f in failed] == ["scraper-error"]
    assert "my_scrapers.py:broken" in failed[0].detail


def test_bad_profile_stops_the_run_before_it_starts(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[profiles."a.example"]\nbody = "div[[["')
    settings = load_settings({"profiles_files": (str(rules),)}, config_file=tmp_path / "none.toml")
    with pytest.raises(CitegraphError, match="not a usable CSS selector"):
        profiles_for(settings)
    res = CliRunner().invoke(cli, ["run", str(tmp_path), "--profiles", str(rules), "-o", str(tmp_path / "o"),
                                   "--no-progress"])
    assert res.exit_code != 0 and "not a usable CSS selector" in res.output


def test_user_profile_merges_over_the_shipped_one():
    profiles = default_profiles()
    profiles.add(Profile(domain="reuters.com", body=("div.x",)))
    merged = profiles.for_host("www.reuters.com")
    assert merged.body == ("div.x",) and merged.discard == ("[class*='trustBadge']",)
