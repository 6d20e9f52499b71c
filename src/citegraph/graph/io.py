"""Write the outlet graph for Gephi (GEXF 1.3), igraph and Cytoscape (GraphML), JSON, CSV and Parquet tools.

GEXF is written by hand, element by element, with ``lxml.etree.xmlfile``: a graph of 50,000 outlets
and 500,000 edges never becomes one XML tree in memory. GraphML goes through networkx, after every
attribute column has been given one type. The CSV files are shaped for ``pandas.read_csv``; the
citations table can also be written as Parquet (optional extra ``citegraph[parquet]``), in batches.

Examples
--------
>>> import networkx as nx, tempfile, pathlib
>>> g = nx.DiGraph()
>>> g.add_edge("a.example", "b.example", weight=2, link=2, mention=0, syndication=0, evidence=[{}, {}])
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> nx.read_gexf(write_gexf(g, out / "g.gexf"))["a.example"]["b.example"]["evidence_count"]
2
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import math
import numbers
import os
import re
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import networkx as nx
from lxml import etree

from ..models import Citation

__all__ = [
    "CITATIONS_HEADER",
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "GEXF_NS",
    "VIZ_NS",
    "PARQUET_BATCH_ROWS",
    "SIZE_RANGE",
    "ExportError",
    "scalar_copy",
    "column_type",
    "xml_safe",
    "write_gexf",
    "write_graphml",
    "write_json",
    "write_csv",
    "write_nodes_csv",
    "write_edges_csv",
    "write_citations_parquet",
]

CITATIONS_HEADER = ("article_url", "source_outlet", "target_outlet", "kind", "target_url", "anchor_text",
                    "context", "confidence")
# Node columns in the order people read them: identity, counts, then the metrics step's results.
# Any other scalar attribute follows, sorted by name, so the order is stable from run to run.
NODE_COLUMNS = ("name", "kind", "country", "articles", "in_weight", "out_weight", "in_degree", "out_degree",
                "pagerank", "hub", "authority", "betweenness", "core", "reciprocity", "community",
                "community_share", "x", "y")
EDGE_COLUMNS = ("source", "target", "weight", "link", "mention", "syndication", "first_seen", "last_seen",
                "evidence_count")

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = f"{GEXF_NS} {GEXF_NS}/gexf.xsd"
# Node attributes that GEXF holds elsewhere: the name is the node's label, x/y its viz:position.
_GEXF_NODE_SKIP = frozenset({"name", "label", "x", "y"})
# Edge attributes that GEXF holds elsewhere: weight is the edge's own attribute, evidence is counted.
_GEXF_EDGE_SKIP = frozenset({"weight", "evidence", "evidence_count"})
_EDGE_ORDER = ("link", "mention", "syndication", "first_seen", "last_seen", "evidence_count")
# viz:size range (Gephi's units) onto which PageRank is mapped linearly.
SIZE_RANGE = (5.0, 50.0)
PARQUET_BATCH_ROWS = 50_000
_INT32 = (-(2 ** 31), 2 ** 31 - 1)
_INT64 = (-(2 ** 63), 2 ** 63 - 1)
# Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF):
# lxml refuses them, Gephi chokes on them, and web text carries them more often than one would think.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class ExportError(ValueError):
    """A graph or table that cannot be written as asked.

    ``code`` is a short reason (``missing-extra``, ``bad-row``, ``bad-position``, ``bad-weight``);
    ``detail`` is a sentence a person can act on.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


# ---------------------------------------------------------------------------------------------
# Values and columns.


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (tab, newline and return are kept).

    Examples
    --------
    >>> xml_safe("a\\x00b\\x1bc\\td")
    'abc\\td'
    """
    return _XML_FORBIDDEN.sub("", text)


# The kinds of the everyday types, looked up before the slower abstract checks (numpy scalars...).
_KIND_OF_TYPE = {bool: "boolean", int: "int", float: "double", str: "string", type(None): "", list: "", dict: "",
                 tuple: ""}


def _scalar_kind(value) -> str:
    """``boolean``, ``int``, ``double``, ``string``, or ``''`` for what is never written (None, lists, dicts)."""
    kind = _KIND_OF_TYPE.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, bool) or type(value).__name__ == "bool_":  # numpy's bool is no bool subclass
        return "boolean"
    if isinstance(value, numbers.Integral):
        return "int"
    if isinstance(value, numbers.Real):
        return "double"
    if isinstance(value, str):
        return "string"
    return ""


def column_type(values: Iterable) -> str:
    """The narrowest GEXF type that holds every scalar in ``values``.

    ``boolean``, ``integer`` (32 bits), ``long`` (64 bits) or ``double``; a mix of ints and floats is
    ``double``; any other mix, or an int beyond 64 bits, is ``string``. None, lists and dicts are
    ignored; ``''`` when nothing is left.

    Examples
    --------
    >>> column_type([1, 2.5, None]), column_type([1, 2 ** 40]), column_type([True, 1])
    ('double', 'long', 'string')
    """
    acc = _Column()
    for value in values:
        acc.add(value)
    return acc.type


class _Column:
    """What one attribute column holds so far: the kinds of its values and the range of its ints."""

    __slots__ = ("kinds", "low", "high")

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.low = self.high = 0

    def add(self, value) -> None:
        kind = _scalar_kind(value)
        if not kind:
            return
        self.kinds.add(kind)
        if kind == "int":
            self.low, self.high = min(self.low, int(value)), max(self.high, int(value))

    @property
    def type(self) -> str:
        kinds = self.kinds
        if not kinds:
            return ""
        if kinds == {"boolean"}:
            return "boolean"
        if kinds == {"int"}:
            if _INT32[0] <= self.low and self.high <= _INT32[1]:
                return "integer"
            return "long" if _INT64[0] <= self.low and self.high <= _INT64[1] else "string"
        if kinds <= {"int", "double"}:
            return "double"
        return "string"


def _columns(items: Iterable[Mapping], skip: frozenset = frozenset()) -> dict[str, str]:
    """Attribute name -> GEXF type over ``items`` (attribute dicts), for the names with a scalar value."""
    found: dict[str, _Column] = {}
    for data in items:
        for name, value in data.items():
            if name not in skip:
                found.setdefault(name, _Column()).add(value)
    return {name: acc.type for name, acc in found.items() if acc.type}


def _ordered(names: Iterable[str], first: tuple[str, ...]) -> list[str]:
    names = set(names)
    return [n for n in first if n in names] + sorted(names - set(first))


def _text(value, kind: str) -> str:
    """``value`` as the lexical form of GEXF type ``kind`` (XML Schema's forms for booleans and doubles)."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("integer", "long"):
        return str(int(value))
    if kind == "double":
        return _double(float(value))
    return xml_safe(value if isinstance(value, str) else str(value))


def _double(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    return repr(x)


def _typed(value, kind: str):
    """``value`` as the Python type of GEXF type ``kind``, so one column has one type in GraphML."""
    if kind == "boolean":
        return bool(value)
    if kind in ("integer", "long"):
        return int(value)
    if kind == "double":
        return float(value)
    return xml_safe(value if isinstance(value, str) else str(value))


def _evidence_count(data: Mapping) -> int:
    evidence = data.get("evidence")
    if isinstance(evidence, (list, tuple)):
        return len(evidence)
    count = data.get("evidence_count", 0)
    return int(count) if _scalar_kind(count) == "int" else 0


def scalar_copy(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` with only str/int/float/bool attributes (GEXF and GraphML hold no lists).

    Each edge keeps ``evidence_count`` in place of its evidence list.
    """
    out = g.__class__()
    out.graph.update({k: v for k, v in g.graph.items() if _scalar_kind(v)})
    for n, data in g.nodes(data=True):
        out.add_node(n, **{k: v for k, v in data.items() if _scalar_kind(v)})
    for u, v, data in g.edges(data=True):
        attrs = {k: x for k, x in data.items() if _scalar_kind(x)}
        attrs["evidence_count"] = _evidence_count(data)
        out.add_edge(u, v, **attrs)
    return out


# ---------------------------------------------------------------------------------------------
# Files.


def _target(path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def _atomic(path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it on success: no half-written export is left."""
    path = _target(path)
    part = path.with_name(f".{path.name}.part")
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# GEXF 1.3.


def write_gexf(g: nx.DiGraph, path, *, positions: Mapping | None = None) -> Path:
    """Write ``g`` as GEXF 1.3 for Gephi, streamed element by element.

    Parameters
    ----------
    g : networkx.DiGraph
        The outlet graph. Scalar node and edge attributes become typed columns (``integer``,
        ``long``, ``double``, ``boolean`` or ``string``, chosen from the values); lists, dicts and
        None are not written, except that each edge gets ``evidence_count``.
    path : str or Path
    positions : mapping of node to (x, y), optional
        Layout coordinates, written as ``viz:position``; node attributes ``x`` and ``y`` serve
        when a node has no entry here.

    Returns
    -------
    Path

    Raises
    ------
    ExportError
        ``bad-position`` for a coordinate that is not a finite number, ``bad-weight`` for an edge
        weight that is not a number.

    Notes
    -----
    Node labels are the ``name`` attribute; ``viz:size`` maps PageRank linearly onto
    ``SIZE_RANGE``. Characters that XML forbids are removed from every string.
    """
    node_cols, edge_cols = _gexf_columns(g)
    with _atomic(path) as part, etree.xmlfile(str(part), encoding="utf-8") as xf:
        xf.write_declaration()
        root = {"version": "1.3", f"{{{_XSI_NS}}}schemaLocation": _SCHEMA_LOCATION}
        with xf.element(_g("gexf"), root, nsmap={None: GEXF_NS, "viz": VIZ_NS, "xsi": _XSI_NS}):
            xf.write("\n")
            _write_meta(xf, g)
            kind = "directed" if g.is_directed() else "undirected"
            with xf.element(_g("graph"), {"defaultedgetype": kind, "mode": "static"}):
                xf.write("\n")
                _write_declarations(xf, "node", node_cols)
                _write_declarations(xf, "edge", edge_cols)
                _write_nodes(xf, g, node_cols, positions)
                _write_edges(xf, g, edge_cols)
            xf.write("\n")
    return Path(path)


def _gexf_columns(g: nx.DiGraph) -> tuple[list, list]:
    """(GEXF id, name, type) of the node columns and of the edge columns, in a stable order."""
    node_types = _columns((d for _, d in g.nodes(data=True)), _GEXF_NODE_SKIP)
    edge_types = _columns((d for _, _, d in g.edges(data=True)), _GEXF_EDGE_SKIP)
    edge_types["evidence_count"] = "integer"
    return ([(str(i), n, node_types[n]) for i, n in enumerate(_ordered(node_types, NODE_COLUMNS))],
            [(str(i), n, edge_types[n]) for i, n in enumerate(_ordered(edge_types, _EDGE_ORDER))])


def _write_nodes(xf, g: nx.DiGraph, cols, positions: Mapping | None) -> None:
    size_of = _sizer(g)
    with xf.element(_g("nodes"), {"count": str(g.number_of_nodes())}):
        xf.write("\n")
        for n, data in g.nodes(data=True):
            _write_node(xf, n, data, cols, _position(n, data, positions), size_of(data))


def _write_edges(xf, g: nx.DiGraph, cols) -> None:
    with xf.element(_g("edges"), {"count": str(g.number_of_edges())}):
        xf.write("\n")
        for u, v, data in g.edges(data=True):
            _write_edge(xf, u, v, data, cols)
    xf.write("\n")


def _g(tag: str) -> str:
    return f"{{{GEXF_NS}}}{tag}"


# Tags of the elements written once per node, edge or value, spelled out once (a hot loop).
_NODE, _EDGE, _ATTVALUES, _ATTVALUE = _g("node"), _g("edge"), _g("attvalues"), _g("attvalue")
_POSITION, _SIZE = f"{{{VIZ_NS}}}position", f"{{{VIZ_NS}}}size"


def _leaf(xf, tag: str, attrs: dict) -> None:
    with xf.element(tag, attrs):
        pass


def _write_meta(xf, g: nx.DiGraph) -> None:
    with xf.element(_g("meta"), {"lastmodifieddate": dt.date.today().isoformat()}):
        with xf.element(_g("creator")):
            xf.write("citegraph")
        with xf.element(_g("description")):
            xf.write(_description(g))
    xf.write("\n")


def _description(g: nx.DiGraph) -> str:
    text = (f"Which news outlets cite which: {g.number_of_nodes()} outlets, {g.number_of_edges()} edges "
            "weighted by the number of citing articles")
    made = [f"{k} {g.graph[k]}" for k in ("citegraph", "normalizer") if _scalar_kind(g.graph.get(k))]
    return xml_safe(text + (f" ({', '.join(made)})" if made else ""))


def _write_declarations(xf, cls: str, cols: list[tuple[str, str, str]]) -> None:
    if not cols:
        return
    with xf.element(_g("attributes"), {"class": cls, "mode": "static"}):
        for key, name, kind in cols:
            _leaf(xf, _g("attribute"), {"id": key, "title": xml_safe(name), "type": kind})
    xf.write("\n")


def _write_attvalues(xf, data: Mapping, cols: list[tuple[str, str, str]]) -> None:
    values = [(key, _text(data[name], kind)) for key, name, kind in cols
              if name in data and _scalar_kind(data[name])]
    if not values:
        return
    with xf.element(_ATTVALUES):
        for key, text in values:
            with xf.element(_ATTVALUE, {"for": key, "value": text}):
                pass


def _write_node(xf, n, data: Mapping, cols, position, size) -> None:
    label = data.get("name") or data.get("label") or n
    with xf.element(_NODE, {"id": xml_safe(str(n)), "label": xml_safe(str(label))}):
        _write_attvalues(xf, data, cols)
        if position is not None:
            _leaf(xf, _POSITION, {"x": _double(position[0]), "y": _double(position[1]), "z": "0.0"})
        if size is not None:
            _leaf(xf, _SIZE, {"value": _double(size)})
    xf.write("\n")


def _write_edge(xf, u, v, data: Mapping, cols) -> None:
    attrs = {"source": xml_safe(str(u)), "target": xml_safe(str(v))}
    if "weight" in data:
        attrs["weight"] = _weight(u, v, data["weight"])
    values = dict(data, evidence_count=_evidence_count(data))
    with xf.element(_EDGE, attrs):
        _write_attvalues(xf, values, cols)
    xf.write("\n")


def _weight(u, v, weight) -> str:
    if _scalar_kind(weight) not in ("int", "double") or not math.isfinite(weight):
        raise ExportError("bad-weight", f"edge {u!r} -> {v!r} has weight {weight!r}: a weight must be a finite number")
    return _double(float(weight))


def _position(n, data: Mapping, positions: Mapping | None) -> tuple[float, float] | None:
    """The (x, y) of node ``n`` from ``positions`` or its x/y attributes; None when it has none."""
    if positions is not None and n in positions:
        xy = positions[n]
        try:
            xy = (xy.get("x"), xy.get("y")) if isinstance(xy, Mapping) else tuple(xy)[:2]
        except TypeError:  # not a pair at all: reported below like any other bad position
            xy = (xy,)
    elif "x" in data and "y" in data:
        xy = (data["x"], data["y"])
    else:
        return None
    if len(xy) != 2 or not all(_scalar_kind(c) in ("int", "double") and math.isfinite(c) for c in xy):
        raise ExportError("bad-position", f"node {n!r} has position {xy!r}: give two finite numbers (x, y)")
    return float(xy[0]), float(xy[1])


def _sizer(g: nx.DiGraph):
    """A function from node data to its viz:size (PageRank mapped onto SIZE_RANGE), or to None."""
    ranks = [d["pagerank"] for _, d in g.nodes(data=True)
             if _scalar_kind(d.get("pagerank")) in ("int", "double") and math.isfinite(d["pagerank"])]
    if not ranks:
        return lambda data: None
    low, high = min(ranks), max(ranks)
    small, big = SIZE_RANGE

    def size(data: Mapping) -> float | None:
        pr = data.get("pagerank")
        if _scalar_kind(pr) not in ("int", "double") or not math.isfinite(pr):
            return None
        return small if high == low else small + (big - small) * (pr - low) / (high - low)

    return size


# ---------------------------------------------------------------------------------------------
# GraphML and JSON.


def _uniform_copy(g: nx.DiGraph) -> nx.DiGraph:
    """``scalar_copy(g)`` where each attribute column holds one type and strings are XML-safe."""
    out = scalar_copy(g)
    node_types = _columns(d for _, d in out.nodes(data=True))
    edge_types = _columns(d for _, _, d in out.edges(data=True))
    for _, data in out.nodes(data=True):
        data.update({k: _typed(v, node_types[k]) for k, v in data.items()})
    for _, _, data in out.edges(data=True):
        data.update({k: _typed(v, edge_types[k]) for k, v in data.items()})
    out.graph.update({k: _typed(v, column_type([v])) for k, v in out.graph.items()})
    if any(_XML_FORBIDDEN.search(str(n)) for n in out):
        out = nx.relabel_nodes(out, {n: xml_safe(str(n)) for n in out})
    return out


def write_graphml(g: nx.DiGraph, path) -> Path:
    """GraphML, which networkx, igraph and Cytoscape read, with one typed key per attribute.

    A column of ints and floats is written as ``double``; any other mix as ``string``.
    """
    with _atomic(path) as part:
        nx.write_graphml(_uniform_copy(g), part, infer_numeric_types=True)
    return Path(path)


def write_json(g: nx.DiGraph, path) -> Path:
    """networkx node-link JSON, evidence included (``networkx.node_link_graph(data, edges="links")``)."""
    path = _target(path)
    data = nx.node_link_data(g, edges="links")
    # A lone surrogate (broken UTF-16 from the web) cannot be UTF-8: it is written as its JSON escape.
    with open(path, "w", encoding="utf8", errors="backslashreplace") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)  # streamed: no second copy of a large graph as one string
    return path


# ---------------------------------------------------------------------------------------------
# CSV and Parquet.


def write_csv(citations: Iterable[Citation], path) -> Path:
    """One row per citation, with the header in ``CITATIONS_HEADER``."""
    path = _target(path)
    with open(path, "w", newline="", encoding="utf8") as f:
        w = csv.writer(f)
        w.writerow(CITATIONS_HEADER)
        for c in citations:
            w.writerow([getattr(c, k) for k in CITATIONS_HEADER])
    return path


def _cell(value) -> str:
    kind = _scalar_kind(value)
    if kind == "double":
        return repr(float(value))  # 'nan' and 'inf' are what pandas reads back as floats
    if kind == "string":
        return xml_safe(value)  # control characters break more CSV readers than XML ones
    return str(value) if kind else ""


def write_nodes_csv(g: nx.DiGraph, path) -> Path:
    """One row per outlet: ``id`` and every scalar node attribute, in a stable column order.

    Columns follow ``NODE_COLUMNS`` and then the other attribute names, sorted; a value that is
    missing, None or a list is an empty cell. Booleans are ``True``/``False``, so that
    ``pandas.read_csv`` types every column without help.
    """
    columns = _ordered(_columns(d for _, d in g.nodes(data=True)), NODE_COLUMNS)
    with _atomic(path) as part:
        with open(part, "w", newline="", encoding="utf8") as f:
            w = csv.writer(f)
            w.writerow(("id", *columns))
            for n, data in g.nodes(data=True):
                w.writerow([_cell(str(n)), *(_cell(data.get(c)) for c in columns)])
    return Path(path)


def write_edges_csv(g: nx.DiGraph, path) -> Path:
    """One row per edge with the columns of ``EDGE_COLUMNS`` (``evidence_count`` for the evidence list)."""
    with _atomic(path) as part:
        with open(part, "w", newline="", encoding="utf8") as f:
            w = csv.writer(f)
            w.writerow(EDGE_COLUMNS)
            for u, v, data in g.edges(data=True):
                values = dict(data, source=str(u), target=str(v), evidence_count=_evidence_count(data))
                w.writerow([_cell(values.get(c)) for c in EDGE_COLUMNS])
    return Path(path)


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ExportError("missing-extra", "Parquet export needs pyarrow: pip install 'citegraph[parquet]'") from error
    return pa, pq


def _citation_row(row, number: int) -> tuple:
    if isinstance(row, Citation):
        return tuple(getattr(row, k) for k in CITATIONS_HEADER)
    if not isinstance(row, (tuple, list)) or len(row) != len(CITATIONS_HEADER):
        raise ExportError("bad-row", f"row {number} is {row!r:.80}: give a Citation or a tuple of "
                                     f"{len(CITATIONS_HEADER)} fields ({', '.join(CITATIONS_HEADER)})")
    return tuple(row)


def _row_batches(rows: Iterable, size: int) -> Iterator[tuple[int, list[tuple]]]:
    """(number of the batch's first row, its rows as tuples), ``size`` rows at a time."""
    batch: list[tuple] = []
    start = 1
    for number, row in enumerate(rows, 1):
        batch.append(_citation_row(row, number))
        if len(batch) == size:
            yield start, batch
            start, batch = number + 1, []
    if batch:
        yield start, batch


def write_citations_parquet(rows: Iterable, path, *, batch_rows: int = PARQUET_BATCH_ROWS) -> Path:
    """The citations table as Parquet, written ``batch_rows`` rows at a time (one row group each).

    Parameters
    ----------
    rows : iterable of Citation, or of tuples in ``CITATIONS_HEADER`` order
        Read once, lazily: only one batch is held in memory.
    path : str or Path
    batch_rows : int

    Raises
    ------
    ExportError
        ``missing-extra`` when pyarrow is not installed; ``bad-row`` for a row of the wrong shape
        or types (the file is then not written).
    """
    pa, pq = _pyarrow()
    schema = pa.schema([(k, pa.float64() if k == "confidence" else pa.string()) for k in CITATIONS_HEADER])
    with _atomic(path) as part, pq.ParquetWriter(str(part), schema) as writer:
        for start, batch in _row_batches(rows, max(1, batch_rows)):
            writer.write_batch(_record_batch(pa, schema, batch, start))
    return Path(path)


def _record_batch(pa, schema, batch: list[tuple], start: int):
    try:
        arrays = [pa.array(column, type=field.type) for column, field in zip(zip(*batch), schema)]
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise ExportError("bad-row", f"rows {start}-{start + len(batch) - 1}: {error}") from error
    return pa.record_batch(arrays, schema=schema)
