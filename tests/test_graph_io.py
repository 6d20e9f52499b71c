"""Exports of the outlet graph (GEXF 1.3, GraphML, JSON, CSV, Parquet) and the outlet-metadata join."""
from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
import tracemalloc
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from citegraph.graph import build_graph
from citegraph.graph.io import (
    CITATIONS_HEADER, EDGE_COLUMNS, GEXF_NS, SIZE_RANGE, VIZ_NS, ExportError, column_type, write_citations_parquet,
    write_edges_csv, write_gexf, write_graphml, write_json, write_nodes_csv, xml_safe,
)
from citegraph.graph.metadata import (
    MetadataError, MetadataProblem, OutletMetadata, join_metadata, read_outlet_metadata, unknown_outlets,
)
from citegraph.models import Article, Citation

FIXTURES = Path(__file__).parent / "fixtures" / "graph"
NS = {"g": GEXF_NS, "viz": VIZ_NS}

ARTICLES = {
    "https://a.example/1": Article("https://a.example/1", outlet_id="a.example", title="One",
                                   published_at="2024-01-02"),
    "https://a.example/2": Article("https://a.example/2", outlet_id="a.example", title="Two",
                                   published_at="2024-03-04"),
    "https://c.example/1": Article("https://c.example/1", outlet_id="c.example", title="Three"),
}
CITES = [
    Citation("https://a.example/1", "a.example", "b.example", "link", "https://b.example/x", "anchor", "ctx"),
    Citation("https://a.example/2", "a.example", "b.example", "mention", context="as b said"),
    Citation("https://a.example/2", "a.example", "c.example", "syndication"),
    Citation("https://c.example/1", "c.example", "a.example", "link", "https://a.example/1"),
]


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "gexf-1.3-subset.xsd")))


def outlet_graph() -> nx.DiGraph:
    """A built graph with what the metrics step adds: floats, ints, a mixed int/float column, a bool, a None."""
    g = build_graph(CITES, articles=ARTICLES)
    metrics = {"a.example": (0.5, 0, 2, 1), "b.example": (0.3, 1, 1, 2.5), "c.example": (0.2, 1, 1, None)}
    for node, (pagerank, community, core, score) in metrics.items():
        g.nodes[node].update(pagerank=pagerank, community=community, core=core, score=score,
                             verified=node != "c.example", tags=["a", "list"])
    return g


def valid(schema, path) -> etree._ElementTree:
    doc = etree.parse(str(path))
    assert schema.validate(doc), schema.error_log
    return doc


def declared(doc, cls: str) -> dict[str, tuple[str, str]]:
    """Attribute id -> (title, type) declared for ``cls``."""
    return {a.get("id"): (a.get("title"), a.get("type"))
            for a in doc.findall(f"g:graph/g:attributes[@class='{cls}']/g:attribute", NS)}


# ---------------------------------------------------------------------------------------------
# GEXF 1.3


def test_subset_schema_rejects_what_gexf_forbids(schema, tmp_path):
    """The schema is worth validating against only if it can fail."""
    text = write_gexf(outlet_graph(), tmp_path / "g.gexf").read_text(encoding="utf-8")
    valid(schema, tmp_path / "g.gexf")
    broken = [text.replace('version="1.3"', 'version="1.2"'),
              text.replace('defaultedgetype="directed"', 'defaultedgetype="sideways"'),
              text.replace('target="b.example"', 'target="nowhere.example"'),
              text.replace('type="double"', 'type="number"', 1),
              text.replace('weight="', 'weight="x', 1),
              text.replace("<viz:size value=\"", "<viz:size value=\"-", 1),
              text.replace("<creator>", "<keyword>x</keyword><creator>")]
    for doc in broken:
        assert doc != text
        assert not schema.validate(etree.fromstring(doc.encode())), doc[:200]


def test_gexf_document_shape(schema, tmp_path):
    g = outlet_graph()
    g.graph.update(citegraph="0.1.0", normalizer="1")
    doc = valid(schema, write_gexf(g, tmp_path / "g.gexf"))
    root = doc.getroot()
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.3"
    assert root.nsmap["viz"] == VIZ_NS
    meta = root.find("g:meta", NS)
    assert meta.get("lastmodifieddate") == dt.date.today().isoformat()
    assert meta.findtext("g:creator", namespaces=NS) == "citegraph"
    assert "3 outlets, 3 edges" in meta.findtext("g:description", namespaces=NS)
    assert "citegraph 0.1.0" in meta.findtext("g:description", namespaces=NS)
    graph = root.find("g:graph", NS)
    assert (graph.get("defaultedgetype"), graph.get("mode")) == ("directed", "static")
    nodes = {n.get("id"): n for n in graph.findall("g:nodes/g:node", NS)}
    assert nodes["b.example"].get("label") == g.nodes["b.example"]["name"]
    edges = graph.findall("g:edges/g:edge", NS)
    assert sorted(float(e.get("weight")) for e in edges) == [1.0, 1.0, 2.0]


def test_gexf_columns_are_typed_from_their_values(schema, tmp_path):
    doc = valid(schema, write_gexf(outlet_graph(), tmp_path / "g.gexf"))
    nodes = {title: kind for title, kind in declared(doc, "node").values()}
    assert nodes["articles"] == "integer" and nodes["pagerank"] == "double" and nodes["community"] == "integer"
    assert nodes["score"] == "double"  # 1, 2.5 and None: mixed ints and floats
    assert nodes["verified"] == "boolean" and nodes["kind"] == "string"
    assert "tags" not in nodes and "name" not in nodes  # lists are not written; the name is the label
    edges = {title: kind for title, kind in declared(doc, "edge").values()}
    assert edges == {"link": "integer", "mention": "integer", "syndication": "integer", "first_seen": "string",
                     "last_seen": "string", "evidence_count": "integer"}
    c_node = doc.find("g:graph/g:nodes/g:node[@id='c.example']", NS)
    score_id = next(k for k, (title, _) in declared(doc, "node").items() if title == "score")
    assert not c_node.findall(f"g:attvalues/g:attvalue[@for='{score_id}']", NS)  # None is simply left out


def test_gexf_values_are_lexically_valid_for_their_declared_type(schema, tmp_path):
    g = outlet_graph()
    g.nodes["a.example"].update(big=2 ** 40, ratio=math.inf, odd=math.nan)
    doc = valid(schema, write_gexf(g, tmp_path / "g.gexf"))
    checks = {"integer": lambda v: -2 ** 31 <= int(v) < 2 ** 31, "long": lambda v: int(v) < 2 ** 63,
              "double": lambda v: v in ("INF", "-INF", "NaN") or math.isfinite(float(v)),
              "boolean": lambda v: v in ("true", "false"), "string": lambda v: True}
    for cls, path in (("node", "g:nodes/g:node"), ("edge", "g:edges/g:edge")):
        types = declared(doc, cls)
        values = doc.findall(f"g:graph/{path}/g:attvalues/g:attvalue", NS)
        assert values
        for v in values:
            assert checks[types[v.get("for")][1]](v.get("value")), (types[v.get("for")], v.get("value"))
    assert ("big", "long") in declared(doc, "node").values()


@pytest.mark.parametrize("values, expected", [
    ([1, 2, 3], "integer"), ([1, 2 ** 40], "long"), ([1, 2 ** 70], "string"), ([1, 2.5], "double"),
    ([0.1, None, []], "double"), ([True, False], "boolean"), ([True, 1], "string"), (["a", 1], "string"),
    ([None, {}, []], ""),
])
def test_column_type(values, expected):
    assert column_type(values) == expected


def test_gexf_round_trips_through_networkx(tmp_path):
    g = outlet_graph()
    path = write_gexf(g, tmp_path / "g.gexf")
    back = nx.read_gexf(path, version="1.3")  # networkx 3.x reads the 1.3 namespace natively
    assert nx.read_gexf(path).number_of_edges() == g.number_of_edges()  # and finds it without being told
    assert isinstance(back, nx.DiGraph) and set(back.nodes) == set(g.nodes) and set(back.edges) == set(g.edges)
    for u, v, data in g.edges(data=True):
        e = back[u][v]
        assert e["weight"] == data["weight"] and e["evidence_count"] == len(data["evidence"])
        assert (e["link"], e["mention"], e["syndication"]) == (data["link"], data["mention"], data["syndication"])
        assert e["first_seen"] == data["first_seen"] and "evidence" not in e
    a = back.nodes["a.example"]
    assert a["label"] == g.nodes["a.example"]["name"]
    assert type(a["articles"]) is int and a["articles"] == 2
    assert type(a["pagerank"]) is float and a["pagerank"] == 0.5
    assert type(a["score"]) is float and a["score"] == 1.0
    assert a["verified"] is True and back.nodes["c.example"]["verified"] is False
    assert "score" not in back.nodes["c.example"] and "tags" not in a
    assert "evidence" in g["a.example"]["b.example"]  # the input is not changed


def test_gexf_positions_and_sizes(schema, tmp_path):
    g = outlet_graph()
    g.nodes["c.example"].update(x=-3, y=4.5)  # attributes serve when positions has no entry
    path = write_gexf(g, tmp_path / "g.gexf", positions={"a.example": (1.5, -2.0), "b.example": {"x": 0, "y": 7}})
    valid(schema, path)
    viz = {n: d["viz"] for n, d in nx.read_gexf(path).nodes(data=True)}
    assert viz["a.example"]["position"] == {"x": 1.5, "y": -2.0, "z": 0.0}
    assert viz["b.example"]["position"] == {"x": 0.0, "y": 7.0, "z": 0.0}
    assert viz["c.example"]["position"] == {"x": -3.0, "y": 4.5, "z": 0.0}
    assert viz["a.example"]["size"] == SIZE_RANGE[1] and viz["c.example"]["size"] == SIZE_RANGE[0]
    assert SIZE_RANGE[0] < viz["b.example"]["size"] < SIZE_RANGE[1]
    plain = build_graph(CITES)
    assert all("viz" not in d for _, d in nx.read_gexf(write_gexf(plain, tmp_path / "p.gexf")).nodes(data=True))


@pytest.mark.parametrize("positions, attrs, code", [
    ({"a.example": (1.0, math.nan)}, {}, "bad-position"),
    ({"a.example": ("left", 2)}, {}, "bad-position"),
    ({"a.example": (1.0,)}, {}, "bad-position"),
    ({"a.example": 7}, {}, "bad-position"),
    (None, {"weight": "heavy"}, "bad-weight"),
    (None, {"weight": math.inf}, "bad-weight"),
])
def test_gexf_bad_input_is_a_reason_code(tmp_path, positions, attrs, code):
    g = outlet_graph()
    g["a.example"]["b.example"].update(attrs)
    (tmp_path / "g.gexf").write_text("the previous export")
    with pytest.raises(ExportError) as err:
        write_gexf(g, tmp_path / "g.gexf", positions=positions)
    assert err.value.code == code and "a.example" in err.value.detail
    assert (tmp_path / "g.gexf").read_text() == "the previous export"  # no half-written file replaces it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.gexf"]


HOSTILE = {
    "xss": '<script>alert("x")</script>"><img src=x onerror=alert(1)>&amp;',
    "emoji": "News 📰 👩🏽‍💻 🇺🇦",
    "rtl": "الجزيرة \u202eevil\u202c עברית",
    "control": "bad\x00name\x07with\x1bcontrols\ttab\nnewline\ud800",
    "long": "N" * 10_000,
}


def hostile_graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for i, (key, text) in enumerate(HOSTILE.items()):
        g.add_node(f"{key}.example", name=text, kind="news", note=text, rank=i)
    for key in HOSTILE:
        g.add_edge(f"{key}.example", "xss.example", weight=1, first_seen=HOSTILE[key],
                   evidence=[{"context": HOSTILE[key]}])
    g.add_node("ctl\x01.example", name="id with a control character")
    return g


def test_hostile_strings_survive_every_format(schema, tmp_path):
    g = hostile_graph()
    gexf = write_gexf(g, tmp_path / "g.gexf")
    raw = gexf.read_bytes()
    assert b"<script>" not in raw and b"<img" not in raw and b"\x00" not in raw and b"\x1b" not in raw
    valid(schema, gexf)
    back = nx.read_gexf(gexf)
    expected = {k: xml_safe(v) for k, v in HOSTILE.items()}
    assert expected["control"] == "badnamewithcontrols\ttab\nnewline"
    for key, text in expected.items():
        assert back.nodes[f"{key}.example"]["label"] == text
        assert back.nodes[f"{key}.example"]["note"] == text
        assert back[f"{key}.example"]["xss.example"]["first_seen"] == text
    assert "ctl.example" in back  # the id lost its control character, not its node

    gm = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert {gm.nodes[f"{k}.example"]["name"] for k in HOSTILE} == set(expected.values())

    data = json.loads(write_json(g, tmp_path / "g.json").read_text(encoding="utf-8"))
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names["emoji.example"] == HOSTILE["emoji"] and names["long.example"] == HOSTILE["long"]
    assert names["control.example"] == HOSTILE["control"]  # JSON escapes what XML must drop

    pd = pytest.importorskip("pandas")
    nodes = pd.read_csv(write_nodes_csv(g, tmp_path / "n.csv"), keep_default_na=False)
    assert dict(zip(nodes["id"], nodes["name"]))["rtl.example"] == HOSTILE["rtl"]
    assert dict(zip(nodes["id"], nodes["note"]))["control.example"] == expected["control"]


@pytest.mark.parametrize("size", [0, 1])
def test_empty_and_one_node_graphs_export_in_every_format(schema, tmp_path, size):
    g = nx.DiGraph()
    if size:
        g.add_node("solo.example", name="Solo", kind="news", articles=3)
    assert nx.read_gexf(valid(schema, write_gexf(g, tmp_path / "g.gexf")).docinfo.URL).number_of_nodes() == size
    assert nx.read_graphml(write_graphml(g, tmp_path / "g.graphml")).number_of_nodes() == size
    igraph = pytest.importorskip("igraph")
    assert igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml")).vcount() == size
    data = json.loads(write_json(g, tmp_path / "g.json").read_text())
    assert len(nx.node_link_graph(data, edges="links")) == size
    pd = pytest.importorskip("pandas")
    nodes = pd.read_csv(write_nodes_csv(g, tmp_path / "n.csv"))
    assert len(nodes) == size and nodes.columns[0] == "id"
    edges = pd.read_csv(write_edges_csv(g, tmp_path / "e.csv"))
    assert len(edges) == 0 and tuple(edges.columns) == EDGE_COLUMNS


def test_gexf_streams_a_graph_without_building_it(tmp_path):
    """Peak memory while writing stays flat as the graph grows: no tree of the whole document."""
    peaks, sizes = [], []
    for n in (500, 4_000):
        g = random_graph(n, 4 * n)
        tracemalloc.start()
        path = write_gexf(g, tmp_path / f"g{n}.gexf")
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        sizes.append(path.stat().st_size)
    assert sizes[1] > 7 * sizes[0]
    assert peaks[1] < 1.5 * peaks[0] + 256_000, peaks
    assert peaks[1] < sizes[1] / 10, (peaks, sizes)


def test_gexf_of_50000_outlets_and_200000_edges(tmp_path):
    g = random_graph(50_000, 200_000, attrs=False)
    path = write_gexf(g, tmp_path / "big.gexf")
    counts = {"node": 0, "edge": 0}
    for _, el in etree.iterparse(str(path), tag=(f"{{{GEXF_NS}}}node", f"{{{GEXF_NS}}}edge")):
        counts[etree.QName(el).localname] += 1
        el.clear()
        while el.getprevious() is not None:  # keep the parsed tree small as well
            del el.getparent()[0]
    assert counts == {"node": 50_000, "edge": 200_000}


def random_graph(n: int, m: int, *, attrs: bool = True) -> nx.DiGraph:
    rng = random.Random(n)
    g = nx.DiGraph()
    for i in range(n):
        extra = {"kind": "news", "articles": rng.randint(0, 99), "pagerank": rng.random()} if attrs else {}
        g.add_node(f"o{i}.example", name=f"Outlet {i}", **extra)
    pairs: set = set()
    while len(pairs) < m:
        pairs.add((rng.randrange(n), rng.randrange(n)))
    for u, v in pairs:
        g.add_edge(f"o{u}.example", f"o{v}.example", weight=1 + (u + v) % 5, link=1, mention=0, syndication=0,
                   first_seen="2024-01-01", last_seen="", evidence=[])
    return g


# ---------------------------------------------------------------------------------------------
# GraphML


def test_graphml_round_trips_through_networkx_and_igraph(tmp_path):
    igraph = pytest.importorskip("igraph")
    g = outlet_graph()
    path = write_graphml(g, tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert set(back.edges) == set(g.edges)
    weights = {(u, v): d["weight"] for u, v, d in g.edges(data=True)}
    assert {(u, v): d["weight"] for u, v, d in back.edges(data=True)} == weights
    assert back.nodes["b.example"]["score"] == 2.5 and type(back.nodes["a.example"]["score"]) is float
    assert back.nodes["a.example"]["verified"] is True and back["a.example"]["b.example"]["evidence_count"] == 2
    ig = igraph.Graph.Read_GraphML(str(path))
    assert (ig.vcount(), ig.ecount(), ig.is_directed()) == (g.number_of_nodes(), g.number_of_edges(), True)
    ids = ig.vs["id"]
    assert {(ids[e.source], ids[e.target]): e["weight"] for e in ig.es} == weights
    assert dict(zip(ids, ig.vs["pagerank"]))["a.example"] == 0.5
    assert dict(zip(ids, ig.vs["score"]))["b.example"] == 2.5


def test_graphml_declares_one_key_per_attribute(tmp_path):
    doc = etree.parse(str(write_graphml(outlet_graph(), tmp_path / "g.graphml")))
    keys = [(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in doc.getroot()
            if etree.QName(k).localname == "key"]
    names = [(f, n) for f, n, _ in keys]
    assert len(names) == len(set(names))
    assert ("node", "score", "double") in keys and ("node", "verified", "boolean") in keys


# ---------------------------------------------------------------------------------------------
# CSV and Parquet


def test_nodes_csv_reads_back_with_pandas_types(tmp_path):
    pd = pytest.importorskip("pandas")
    g = outlet_graph()
    g.nodes["a.example"]["zeta"] = "last"
    df = pd.read_csv(write_nodes_csv(g, tmp_path / "n.csv"))
    assert list(df.columns[:7]) == ["id", "name", "kind", "country", "articles", "in_weight", "out_weight"]
    assert list(df.columns[-3:]) == ["score", "verified", "zeta"]  # others follow, sorted
    assert "tags" not in df.columns
    assert pd.api.types.is_integer_dtype(df["articles"]) and pd.api.types.is_integer_dtype(df["community"])
    assert pd.api.types.is_float_dtype(df["pagerank"]) and pd.api.types.is_float_dtype(df["score"])
    assert pd.api.types.is_bool_dtype(df["verified"]) and pd.api.types.is_string_dtype(df["name"])
    row = df.set_index("id").loc["b.example"]
    assert row["in_weight"] == 2 and row["score"] == 2.5 and math.isnan(df.set_index("id").loc["c.example", "score"])
    assert list(pd.read_csv(write_nodes_csv(g, tmp_path / "again.csv")).columns) == list(df.columns)


def test_edges_csv_reads_back_with_pandas_types(tmp_path):
    pd = pytest.importorskip("pandas")
    g = outlet_graph()
    df = pd.read_csv(write_edges_csv(g, tmp_path / "e.csv"), keep_default_na=False)
    assert tuple(df.columns) == EDGE_COLUMNS and len(df) == 3
    for col in ("weight", "link", "mention", "syndication", "evidence_count"):
        assert pd.api.types.is_integer_dtype(df[col]), col
    ab = df[(df.source == "a.example") & (df.target == "b.example")].iloc[0]
    assert (ab.weight, ab.link, ab.mention, ab.evidence_count) == (2, 1, 1, 2)
    assert (ab.first_seen, ab.last_seen) == ("2024-01-02", "2024-03-04")


def citation_rows(n: int):
    for i in range(n):
        c = Citation(f"https://a.example/{i}", "a.example", f"t{i % 7}.example", "link", f"https://t.example/{i}",
                     "anchor", "context", confidence=i / n)
        yield c if i % 2 else tuple(getattr(c, k) for k in CITATIONS_HEADER)


def test_parquet_120000_citations_in_batches(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = write_citations_parquet(citation_rows(120_000), tmp_path / "c.parquet")
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 120_000
    assert meta.num_row_groups == 3  # 50,000 + 50,000 + 20,000: written as they came
    table = pq.read_table(path)
    assert tuple(table.column_names) == CITATIONS_HEADER
    assert str(table.schema.field("confidence").type) == "double"
    assert table.column("article_url")[100_001].as_py() == "https://a.example/100001"
    assert table.column("target_outlet")[8].as_py() == "t1.example"


def test_parquet_of_no_rows_has_the_schema(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(write_citations_parquet([], tmp_path / "c.parquet"))
    assert table.num_rows == 0 and tuple(table.column_names) == CITATIONS_HEADER


@pytest.mark.parametrize("bad, where", [
    (("https://a.example/1", "a.example", "b.example"), "row 3"),
    (("https://a.example/1", "a.example", "b.example", "link", "", "", "", "very"), "rows 1-3"),
    ("not a row", "row 3"),
])
def test_parquet_bad_rows_are_a_reason_code(tmp_path, bad, where):
    pytest.importorskip("pyarrow")
    rows = [*list(citation_rows(2)), bad]
    with pytest.raises(ExportError) as err:
        write_citations_parquet(rows, tmp_path / "c.parquet")
    assert err.value.code == "bad-row" and where in err.value.detail
    assert list(tmp_path.iterdir()) == []


def test_parquet_without_pyarrow_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ExportError) as err:
        write_citations_parquet(citation_rows(3), tmp_path / "c.parquet")
    assert err.value.code == "missing-extra" and isinstance(err.value, ValueError)
    assert "pip install 'citegraph[parquet]'" in err.value.detail
    assert not (tmp_path / "c.parquet").exists()


# ---------------------------------------------------------------------------------------------
# Outlet metadata


def test_metadata_types_keys_and_clashing_names():
    meta = read_outlet_metadata(FIXTURES / "outlets.csv")
    # "Domain" is the key (case-insensitive); "name" would overwrite citegraph's own: renamed.
    assert meta.columns == ("owner", "audience", "share", "public", "founded", "meta_name", "notes")
    assert set(meta.rows) == {"nytimes.com", "bbc.co.uk", "a.example"}  # from a URL, "www.BBC.co.uk", a bare domain
    nyt, bbc, a = meta.rows["nytimes.com"], meta.rows["bbc.co.uk"], meta.rows["a.example"]
    assert nyt["audience"] == 9_000_000 and type(nyt["audience"]) is int
    assert bbc["share"] == 1.0 and type(bbc["share"]) is float  # the whole column is not ints
    assert (nyt["public"], bbc["public"], a["public"]) == (False, True, True)
    assert a["founded"] == "0042" and nyt["founded"] == "1851"  # a leading zero keeps the column text
    assert nyt["meta_name"] == "The Times" and "meta_name" not in a  # empty cells are missing
    assert nyt["notes"] == "a note, with a comma" and "notes" not in bbc
    assert meta.problems == ()


def test_metadata_bom_and_semicolons():
    meta = read_outlet_metadata(FIXTURES / "outlets-bom-semicolon.csv")
    assert meta.columns == ("leaning", "rank")  # the BOM is not part of the first column's name: "outlet" is the key
    assert meta.rows == {"nytimes.com": {"leaning": "centre-left", "rank": 1},
                         "bbc.co.uk": {"leaning": "centre", "rank": 2}}


def test_metadata_tabs_and_an_explicit_key(tmp_path):
    path = tmp_path / "m.tsv"
    path.write_text("label\twebsite\tscore\nThe Guardian\thttps://www.theguardian.com/uk\t3.5\n", encoding="utf-8")
    meta = read_outlet_metadata(path, key="WEBSITE")
    assert meta.rows == {"theguardian.com": {"meta_label": "The Guardian", "score": 3.5}}
    with pytest.raises(MetadataError) as err:
        read_outlet_metadata(path, key="domain")
    assert err.value.code == "no-key" and "website" in err.value.detail


def test_metadata_first_column_is_the_key_when_none_is_named(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("publisher,owner\nwww.lemonde.fr,Groupe Le Monde\n", encoding="utf-8")
    assert read_outlet_metadata(path).rows == {"lemonde.fr": {"owner": "Groupe Le Monde"}}


def test_metadata_problem_rows_have_lines_and_codes():
    meta = read_outlet_metadata(FIXTURES / "outlets-problems.csv")
    assert [(p.line, p.code) for p in meta.problems] == [
        (3, "duplicate"), (4, "bad-row"), (5, "bad-row"), (6, "no-domain"), (7, "no-domain")]
    assert "first on line 2" in meta.problems[0].detail
    assert meta.rows["nytimes.com"]["owner"] == "NYT"  # the first row wins
    assert meta.rows["apnews.com"] == {"owner": "Associated\nPress", "audience": 600}  # a quoted newline is one row
    assert meta.lines == {"nytimes.com": 2, "apnews.com": 8, "c.example": 11}


@pytest.mark.parametrize("content, code", [
    (None, "missing"), (b"", "empty"), (b"  \n\n", "empty"),
    (b"domain,owner\nlemonde.fr,Soci\xe9t\xe9\n", "unreadable"),
    (b",,\n,,\n", "no-header"), ("directory", "unreadable"),
])
def test_metadata_files_that_cannot_be_read(tmp_path, content, code):
    path = tmp_path / "m.csv"
    if content == "directory":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(MetadataError) as err:
        read_outlet_metadata(path)
    assert err.value.code == code and str(path) in err.value.detail


def test_metadata_without_a_header_row():
    with pytest.raises(MetadataError) as err:
        read_outlet_metadata(FIXTURES / "outlets-no-header.csv")
    assert err.value.code == "no-header" and "'nytimes.com'" in err.value.detail


def test_join_metadata_counts_and_leaves_the_graph_alone():
    g = nx.DiGraph()
    g.add_edge("nytimes.com", "bbc.co.uk", weight=1, evidence=[])
    g.add_node("lemonde.fr", name="Le Monde")
    for n in g:
        g.nodes[n].setdefault("name", n)
    before = {n: dict(d) for n, d in g.nodes(data=True)}
    meta = read_outlet_metadata(FIXTURES / "outlets.csv")
    joined, counts = join_metadata(g, meta)
    assert counts == {"matched": 2, "unmatched_rows": 1, "nodes_without_row": 1}
    assert {n: dict(d) for n, d in g.nodes(data=True)} == before
    assert joined.nodes["nytimes.com"]["owner"] == "The New York Times Company"
    assert joined.nodes["nytimes.com"]["name"] == "nytimes.com"  # the user's "name" did not overwrite it
    assert joined.nodes["nytimes.com"]["meta_name"] == "The Times"
    assert "owner" not in joined.nodes["lemonde.fr"]
    unknown = MetadataProblem(4, "unknown-outlet", "a.example is not an outlet of the graph")
    assert unknown_outlets(g, meta) == (unknown,)


def test_joined_metadata_exports_as_typed_columns(schema, tmp_path):
    g = build_graph([Citation("https://www.nytimes.com/1", "nytimes.com", "bbc.co.uk", "link"),
                     Citation("https://www.nytimes.com/1", "nytimes.com", "lemonde.fr", "mention")])
    joined, _ = join_metadata(g, read_outlet_metadata(FIXTURES / "outlets.csv"))
    doc = valid(schema, write_gexf(joined, tmp_path / "g.gexf"))
    types = dict(declared(doc, "node").values())
    assert [types[c] for c in ("audience", "share", "public", "founded")] == ["integer", "double", "boolean", "string"]
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert back.nodes["bbc.co.uk"]["audience"] == 20_000_000 and "audience" not in back.nodes["lemonde.fr"]


def test_outlet_metadata_is_a_frozen_record():
    meta = OutletMetadata(columns=("a",), rows={"x.example": {"a": 1}})
    with pytest.raises(AttributeError):
        meta.columns = ()  # type: ignore[misc]
    assert meta.problems == () and meta.lines == {}
