"""Mentions, wire credits and the cue files: every cue's example, the languages, and the hard names."""
import json
from importlib import resources

import pytest
from hypothesis import given, settings, strategies as st

from citegraph.models import Outlet
from citegraph.outlets import Registry, default_registry
from citegraph.scrapers.extract import extract_article
from citegraph.scrapers.mentions import (CueError, available_languages, cue_languages, cues, find_dateline,
                                         find_mentions, find_syndication, name_index, named_outlets,
                                         read_cue_file)

LANGUAGES = ("en", "es", "fr", "de")


@pytest.fixture(scope="module")
def registry():
    return default_registry()


@pytest.fixture(scope="module")
def en(registry):
    return name_index(registry)


def cited(text, index, **kw):
    return [f.outlet_id for f in find_mentions(text, index, **kw)]


def cue_file(lang):
    return json.loads((resources.files("citegraph") / "data" / "cues" / f"{lang}.json").read_text("utf-8"))


def rule_examples(lang):
    """(field, position, example) for every rule of a cue file that has an example sentence."""
    data = cue_file(lang)
    for field in ("pre_cues", "post_cues", "possessive_roles", "determiners"):
        for i, rule in enumerate(data[field]):
            yield pytest.param(lang, field, i, rule["example"], id=f"{lang}-{field}-{i}")


ALL_RULES = [p for lang in LANGUAGES for p in rule_examples(lang)]


# --- the cue files -----------------------------------------------------------------------------------

def test_shipped_languages():
    assert set(LANGUAGES) <= set(available_languages())
    for lang in LANGUAGES:
        assert cue_file(lang)["language"] == lang


@pytest.mark.parametrize("lang,field,i,example", ALL_RULES)
def test_every_cue_matches_its_example(registry, lang, field, i, example):
    """The rule itself matches beside a name of its example, and the example is found as a mention."""
    index = name_index(registry, languages=(lang,))
    c = index.cues
    rule = {"pre_cues": c.pre, "post_cues": c.post, "possessive_roles": c.possessive,
            "determiners": c.determiners}[field][i]
    hits = list(index.scan(example))
    assert hits, f"no registry name in the example {example!r}"

    def matches(start, end):
        before, after = example[max(0, start - 100):start], example[end:end + 120]
        befores = [before] + [d.sub("", before, count=1) for d in c.descriptors_before]
        afters = [after] + [after[m.end():] for m in (d.match(after) for d in c.descriptors_after) if m]
        if field == "pre_cues":
            return any(rule[0].search(b) for b in befores)
        if field == "determiners":
            return bool(rule[0].search(before) and rule[1].search(after))
        return any(rule[0].search(a) for a in afters)

    assert any(matches(s, e) for s, e, *_ in hits)
    assert cited(example, index)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_other_language_examples_need_their_language(registry, en, lang):
    examples = [p.values[3] for p in rule_examples(lang)]
    assert examples
    with_lang = name_index(registry, languages=("en", lang))
    for example in examples:
        assert cited(example, with_lang), example
        assert cited(example, en) == [], example


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_syndication_cue_matches_its_example(registry, lang):
    index = name_index(registry, languages=(lang,))
    data = cue_file(lang)
    strong = [r for r in data["syndication_cues"] if r["strong"]]
    for rule in data["syndication_cues"]:
        found = find_syndication(rule["example"], index, end_matter=True)
        assert found, rule["example"]
        # The strong ones count in the body too; the loose ones only in the end-matter.
        assert bool(find_syndication(rule["example"], index, end_matter=False)) == (rule in strong), rule["example"]


@pytest.mark.parametrize("sentence,lang,outlet", [
    ("Según El País, el Gobierno aprobará el plan el martes.", "es", "elpais.com"),
    ("De acuerdo con The New York Times, la reunión se aplazó.", "es", "nytimes.com"),
    ("El acuerdo se firmará el lunes, informó la agencia EFE.", "es", "efe.com"),
    ("El ministro dijo a Reuters que no habrá elecciones.", "es", "reuters.com"),
    ("Selon Le Monde, le gouvernement prépare un nouveau texte.", "fr", "lemonde.fr"),
    ("Le Monde a rapporté que le projet serait abandonné.", "fr", "lemonde.fr"),
    ("Le ministre a déclaré à l'AFP qu'il ne démissionnerait pas.", "fr", "afp.com"),
    ("Laut Reuters will der Konzern 300 Stellen streichen.", "de", "reuters.com"),
    ("Der Spiegel berichtete, die Verhandlungen seien gescheitert.", "de", "spiegel.de"),
    ("Wie die Süddeutsche Zeitung berichtete, wurde der Vertrag gekündigt.", "de", "sueddeutsche.de"),
])
def test_a_language_is_found_only_when_enabled(registry, en, sentence, lang, outlet):
    assert cited(sentence, name_index(registry, languages=("en", lang))) == [outlet]
    assert cited(sentence, en) == []


def test_language_choice(registry):
    assert cue_languages("es-ES") == ("en", "es")
    assert cue_languages("FR") == ("en", "fr")
    assert cue_languages("en-GB") == ("en",)
    assert cue_languages("pt-BR") == ("en",)
    assert cue_languages("") == ("en",)
    assert cue_languages("de", always=()) == ("de",)
    assert name_index(registry, languages=("en", "es")) is name_index(registry, languages=["en", "es"])
    assert name_index(registry).cues.languages == ("en",)
    assert cues("en") is cues(("en",))
    # Languages merge in order: the rules of the first come first.
    both = cues(("en", "es"))
    assert both.pre[:len(cues("en").pre)] == cues("en").pre and len(both.pre) > len(cues("en").pre)


def test_registry_change_rebuilds_the_index():
    reg = Registry([Outlet("a-paper.example", "Alpha Courier", ("a-paper.example",), "news")])
    assert cited("According to Alpha Courier, prices rose.", name_index(reg)) == ["a-paper.example"]
    assert cited("According to Beta Ledger, prices rose.", name_index(reg)) == []
    reg.add(Outlet("b-paper.example", "Beta Ledger", ("b-paper.example",), "news"))
    assert cited("According to Beta Ledger, prices rose.", name_index(reg, languages=("en", "es"))) == [
        "b-paper.example"]


@pytest.mark.parametrize("languages,code", [
    ("xx", "unknown-language"),
    (("en", "EN!"), "bad-language"),
    ((), "bad-language"),
    ("../en", "bad-language"),
])
def test_bad_languages_say_why(registry, languages, code):
    with pytest.raises(CueError) as err:
        cues(languages)
    assert err.value.code == code
    with pytest.raises(CueError):
        name_index(registry, languages=languages)


def _minimal(**changes):
    data = {"language": "xx", "words": {"nouns": ["report"]},
            "pre_cues": [{"pattern": r"\bper $", "confidence": 0.8, "example": "Per Reuters, it rained."}],
            "post_cues": [], "possessive_roles": [], "determiners": [], "descriptors": {},
            "joined": {"pattern": r"^ and $", "example": "Reuters and AFP"}, "not_outlet": {},
            "bylines": {"pattern": "By", "example": "By A B, Reuters"}, "syndication_cues": [],
            "syndication_keywords": {"strong": [], "loose": []}}
    data.update(changes)
    return data


@pytest.mark.parametrize("content,code", [
    ("{not json", "bad-cue-file"),
    (json.dumps([1, 2]), "bad-cue-file"),
    (json.dumps(_minimal(pre_cues={"pattern": "x"})), "bad-cue-file"),
    (json.dumps(_minimal(pre_cues=[{"pattern": "(unclosed", "confidence": 0.8, "example": "x"}])), "bad-cue"),
    (json.dumps(_minimal(pre_cues=[{"pattern": "{verbs} $", "confidence": 0.8, "example": "x"}])), "bad-cue"),
    (json.dumps(_minimal(pre_cues=[{"pattern": "per $", "confidence": 0.8}])), "bad-cue-file"),
    (json.dumps(_minimal(pre_cues=[{"pattern": "per $", "confidence": 3, "example": "x"}])), "bad-cue-file"),
    (json.dumps(_minimal(words={"nouns": "report"})), "bad-cue-file"),
])
def test_bad_cue_files_say_why(tmp_path, content, code):
    path = tmp_path / "xx.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CueError) as err:
        read_cue_file(path)
    assert err.value.code == code and str(path) in str(err.value)


def test_a_new_language_file_can_be_tried(tmp_path):
    path = tmp_path / "xx.json"
    path.write_text(json.dumps(_minimal()), encoding="utf-8")
    c = read_cue_file(path)
    assert c.languages == ("xx",) and c.pre[0][0].search("per ") and c.pre[0][1] == 0.8
    with pytest.raises(CueError) as err:
        read_cue_file(tmp_path / "missing.json")
    assert err.value.code == "bad-cue-file"


# --- short names, possessives and ordinary words ----------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("The Washington Post obtained the memo; the Post's reporting showed the plan was dropped.",
     ["washingtonpost.com", "washingtonpost.com"]),
    ("The New York Post broke the story, and the Post's reporting was later confirmed.", ["nypost.com", "nypost.com"]),
    ("The New York Times published first; the Times's investigation traced the money.",
     ["nytimes.com", "nytimes.com"]),
    ("The Times reported that Downing Street had drawn up plans for a reshuffle.", ["thetimes.co.uk"]),
    ("The Times's investigation found the council had ignored warnings.", ["thetimes.co.uk"]),
    ("The Post's reporting prompted a congressional inquiry.", []),  # which Post? not said: not counted
    ("The Guardian's investigation found the firm paid no tax for a decade.", ["theguardian.com"]),
    ("The BBC's Jeremy Bowen reported that the crossing had been closed since dawn.", ["bbc.co.uk"]),
    ("CNN's analysis of flight data showed the jet circled for an hour.", ["cnn.com"]),
    ("The Sun's Harry Cole reported that the minister would resign.", ["thesun.co.uk"]),
    ("The Guardian's Alan Rusbridger resigned in 2015.", []),
    ("Time's Up organisers told reporters the movement had changed the industry.", []),
])
def test_possessives_and_shared_short_names(en, text, expected):
    assert cited(text, en) == expected


def test_names_seen_earlier_in_the_article_settle_a_short_name(en):
    text = "Later, the Post's reporting prompted a congressional inquiry."
    assert cited(text, en) == []
    assert cited(text, en, seen=named_outlets("The Washington Post obtained the emails.", en)) == [
        "washingtonpost.com"]
    assert cited(text, en, seen=["nypost.com"]) == ["nypost.com"]
    # A later full name in the same text overrides what was seen before.
    assert cited("The New York Times ran it. The Times's investigation was cited.", en, seen=["thetimes.co.uk"]) == [
        "nytimes.com"]
    assert named_outlets("Reuters and the Post and The Times of India", en) == (
        "reuters.com", "timesofindia.indiatimes.com")


@pytest.mark.parametrize("text,expected", [
    ("ABC News reported that the vote had been delayed.", ["abcnews.go.com"]),
    ("CBS News reported that the vote had been delayed.", ["cbsnews.com"]),
    ("NBC News reported that the vote had been delayed.", ["nbcnews.com"]),
    ("Fox News reported that the vote had been delayed.", ["foxnews.com"]),
    ("The host told Fox that he had no regrets.", ["foxnews.com"]),
    ("According to Fox, who coached the team for 11 years, the budget was cut.", []),
    ("Fox Searchlight said the film would open in 3,000 theatres.", []),
    ("Politico reported that the White House had been blindsided.", ["politico.com"]),
    ("A seasoned politico told reporters the bill had stalled.", []),
    ("Time reported that the company had quietly dropped the pledge.", ["time.com"]),
    ("It is time to act, the mayor told reporters.", []),
    ("According to The Hill, the vote was close.", ["thehill.com"]),
    ("According to Hill, the contractor never showed up.", []),
    ("They walked up the hill, according to the guide.", []),
    ("Speaking to Mint, the chief executive said the company would list.", ["livemint.com"]),
    ("The Royal Mint said demand for gold coins had doubled.", []),
    ("Writing in The Nation, the author argued the reforms had failed.", ["thenation.com"]),
    ("According to the Nation of Islam, the convention drew 20,000 people.", []),
    ("The Sun revealed that the footballer had been fined twice.", ["thesun.co.uk"]),
    ("The sun rose over the harbour, the fishermen told reporters.", []),
    ("An Atlantic essay titled \"The Age of Rage\" was shared widely.", ["theatlantic.com"]),
    ("An Atlantic storm report warned of gales.", []),
])
def test_ordinary_words_and_network_names(en, text, expected):
    assert cited(text, en) == expected


def test_self_mentions_are_kept_with_the_right_id(registry):
    page = ("<html lang='en'><body><article><p>The Guardian's investigation found that the firm paid no tax, "
            "according to the Guardian's own analysis.</p></article></body></html>")
    art = extract_article(page, "https://www.theguardian.com/business/2024/tax", registry=registry)
    mentions = [c for c in art.citations if c.kind == "mention"]
    assert art.outlet_id == "theguardian.com"
    assert mentions and all(c.target_outlet == "theguardian.com" and c.is_self for c in mentions)


# --- wire credits -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,outlet", [
    ("(Reuters) - Oil prices rose more than 2% on Monday.", "reuters.com"),
    ("LONDON (Reuters) — British retail sales fell unexpectedly in May.", "reuters.com"),
    ("WASHINGTON (AP) — The Senate passed the measure.", "apnews.com"),
    ("WASHINGTON (AP) _ The Senate passed the measure.", "apnews.com"),
    ("LONDON, June 3 (Reuters) - Sales fell.", "reuters.com"),
    ("RIO DE JANEIRO, Brazil, March 12 (Reuters) - Police raided the offices.", "reuters.com"),
    ("SAN FRANCISCO/NEW YORK (Reuters) – Shares slid.", "reuters.com"),
    ("ST. PAUL, Minn. (AP) -- A judge ruled.", "apnews.com"),
    ("Washington (CNN)The Senate voted on Tuesday.", "cnn.com"),
    ("Updated 10:42 GMT\nPARIS (AFP) - French lawmakers approved the bill.", "afp.com"),
    ("By Jane Doe, Reuters", "reuters.com"),
    ("By Jane Doe and John Roe, Associated Press", "apnews.com"),
    ("By JANE DOE Associated Press\nWASHINGTON — The Senate voted.", "apnews.com"),
    ("By Jane Doe | AFP\nFrench lawmakers approved the bill.", "afp.com"),
    ("By The Associated Press", "apnews.com"),
])
def test_wire_credits(en, text, outlet):
    found = find_dateline(text, en)
    assert found is not None and found.outlet_id == outlet
    assert text[found.start:found.end] == found.name


@pytest.mark.parametrize("text", [
    "By Sunday, Reuters had reported the deal.",
    "By contrast, Reuters kept its forecast.",
    "Protesters gather outside parliament (AP Photo/Evan Vucci) as the vote nears.",
    "The minister (Reuters) said nothing.",
    "Prices rose. " * 30 + "LONDON (Reuters) - Late credit.",
    "WASHINGTON (Unknown Wire Service) — Nobody knows them.",
])
def test_not_wire_credits(en, text):
    assert find_dateline(text, en) is None


def test_bylines_in_other_languages(registry, en):
    multi = name_index(registry, languages=("en", "es", "fr"))
    assert find_dateline("Por Ana Pérez, EFE", multi).outlet_id == "efe.com"
    assert find_dateline("Par Jeanne Dupont, AFP", multi).outlet_id == "afp.com"
    assert find_dateline("Por Ana Pérez, EFE", en) is None


def test_a_wire_credit_through_extraction(registry):
    page = "<html><body><article><p>By Jane Doe, Reuters</p><p>Markets fell on Monday.</p></article></body></html>"
    art = extract_article(page, "https://citing-page.example/a", registry=registry)
    assert {(c.kind, c.target_outlet) for c in art.citations} == {("syndication", "reuters.com")}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.lists(st.sampled_from(["The", "the", "Post", "Times", "'s", "Reuters", " ", "(", ")", "AP", "—",
                                   "according to", "By", ",", "\n", "Hill", "told", "Según", "El País"]),
                  max_size=30).map(" ".join))
def test_never_raises(text):
    index = name_index(default_registry(), languages=LANGUAGES)
    for f in find_mentions(text, index):
        assert text[f.start:f.end] == f.name and 0 < f.confidence <= 1
    find_syndication(text, index, end_matter=True)
    found = find_dateline(text, index)
    assert found is None or text[found.start:found.end] == found.name
