"""A user's table of outlet metadata (owner, audience, leaning...) joined onto the graph's outlets.

The table is a CSV file with a header row: one column names the outlet (a domain, a URL or an
outlet id), the others are whatever the user knows about it. Keys become outlet ids exactly as
citegraph makes them (``citegraph.outlets``), so ``https://www.NYTimes.com/section`` and
``nytimes.com`` are the same row. A row that cannot be used is reported with its line number and a
reason code, and the rest of the file is still read.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "meta.csv"
>>> _ = path.write_text("domain;owner;audience\\nwww.a.example;Ann;12000\\n", encoding="utf-8")
>>> meta = read_outlet_metadata(path)
>>> meta.columns, meta.rows
(('owner', 'audience'), {'a.example': {'owner': 'Ann', 'audience': 12000}})
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

__all__ = [
    "KEY_COLUMNS",
    "RESERVED_COLUMNS",
    "MetadataError",
    "MetadataProblem",
    "OutletMetadata",
    "read_outlet_metadata",
    "join_metadata",
    "unknown_outlets",
]

# Where the outlet is named when no key column is given, in order of preference (case-insensitive).
KEY_COLUMNS = ("domain", "outlet", "id", "url", "site")
# Delimiters a spreadsheet saves with; the one the header line uses most wins, ties in this order.
DELIMITERS = (",", ";", "\t")
# citegraph's own node attributes: a user column of the same name would overwrite them, so it is
# renamed with META_PREFIX. "id" and "label" are the node id in the CSV export and in GEXF/GraphML.
RESERVED_COLUMNS = frozenset({
    "name", "kind", "country", "articles", "pagerank", "hub", "authority", "betweenness", "core",
    "reciprocity", "community", "community_share", "in_weight", "out_weight", "in_degree", "out_degree",
    "x", "y", "id", "label",
})
META_PREFIX = "meta_"
BOOLEAN_WORDS = {"true": True, "false": False, "yes": True, "no": False}
# Leading zeros mark codes (postcodes, phone numbers), not quantities: such a column stays text.
_INT_RE = re.compile(r"[+-]?(?:0|[1-9][0-9]*)\Z")
_FLOAT_RE = re.compile(r"[+-]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


class MetadataError(ValueError):
    """A metadata file that cannot be read at all.

    ``code`` is ``missing``, ``unreadable``, ``empty``, ``no-header`` or ``no-key``; ``detail`` is a
    sentence a person can act on.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class MetadataProblem:
    """A row that was not used (or, for ``unknown-outlet``, that matched no outlet).

    ``code`` is ``no-domain`` (an empty or unusable key), ``duplicate`` (the key again: the first
    row wins), ``bad-row`` (more or fewer fields than the header) or ``unknown-outlet``.
    """

    line: int
    code: str
    detail: str


@dataclass(frozen=True)
class OutletMetadata:
    """The rows of a metadata file, keyed by outlet id, with typed values.

    ``columns`` are the value columns in file order (the key column is not one of them), renamed
    where they clash with citegraph's node attributes; ``rows`` maps outlet id to the row's
    non-empty values; ``lines`` maps outlet id to the row's line in the file.
    """

    columns: tuple[str, ...]
    rows: dict[str, dict]
    problems: tuple[MetadataProblem, ...] = ()
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


# ---------------------------------------------------------------------------------------------
# Reading.


def read_outlet_metadata(path, *, key: str | None = None, registry=None) -> OutletMetadata:
    """Read a CSV file of outlet metadata.

    Parameters
    ----------
    path : str or Path
        A CSV file with a header row, delimited by ``,``, ``;`` or tab, in UTF-8 (a BOM is fine).
    key : str, optional
        The column naming the outlet. By default the first of ``KEY_COLUMNS`` in the header
        (case-insensitive), else the first column.
    registry : Registry, optional
        Maps domains and URLs to outlet ids; the shipped registry by default.

    Returns
    -------
    OutletMetadata
        Values are ints or floats when every cell of their column parses as one, booleans when
        every cell is true/false/yes/no, else strings; empty cells are left out. Rows that cannot
        be used are in ``problems``.

    Raises
    ------
    MetadataError
        ``missing``, ``unreadable`` (not a file, not UTF-8, broken quoting), ``empty``,
        ``no-header`` (the first row looks like data, or has no names) or ``no-key`` (``key`` is
        not a column).
    """
    from ..outlets import default_registry

    registry = registry if registry is not None else default_registry()
    text = _file_text(Path(path))
    records = _records(text, _delimiter(text))
    header_line, header = next(records, (0, []))
    if not any(header):
        raise MetadataError("no-header", f"{path}: the first row has no column names")
    key_at = _key_index(header, key, registry, path)
    names = _column_names(header, key_at)
    rows, lines, problems = _read_rows(records, len(header), key_at, names, registry, header[key_at])
    columns = tuple(n for n in names if n)
    typed = _typed_rows(rows, columns)
    return OutletMetadata(columns=columns, rows=typed, problems=tuple(problems), lines=lines)


def _file_text(path: Path) -> str:
    if not path.exists():
        raise MetadataError("missing", f"{path} does not exist")
    if not path.is_file():
        raise MetadataError("unreadable", f"{path} is not a file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise MetadataError("unreadable", f"{path} cannot be read: {error.strerror or error}") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MetadataError("unreadable", f"{path} is not UTF-8 (byte 0x{data[error.start]:02x} at offset "
                                          f"{error.start}): save it as UTF-8 CSV") from error
    if not text.strip():
        raise MetadataError("empty", f"{path} is empty: give a header row and one row per outlet")
    return text


def _delimiter(text: str) -> str:
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = [first.count(d) for d in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))]


def _records(text: str, delimiter: str):
    """(line number, stripped cells) of each row that is not blank; a row's line is where it starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise MetadataError("unreadable", f"line {start}: {error}") from error
        cells = [c.strip() for c in row]
        if any(cells):
            yield start, cells
        start = reader.line_num + 1


def _key_index(header: list[str], key: str | None, registry, path) -> int:
    lowered = [h.lower() for h in header]
    if key is not None:
        if key.lower() not in lowered:
            raise MetadataError("no-key", f"{path} has no column {key!r}; its columns are {', '.join(header)}")
        return lowered.index(key.lower())
    for name in KEY_COLUMNS:
        if name in lowered:
            return lowered.index(name)
    if _outlet_id(header[0], registry) and ("." in header[0] or "/" in header[0]):
        raise MetadataError("no-header", f"{path}: the first row looks like data ({header[0]!r}); add a header "
                                         f"row naming the columns, e.g. domain,{','.join(['...'] * (len(header) - 1))}")
    return 0


def _column_names(header: list[str], key_at: int) -> list[str]:
    """Output names of the header's columns ('' for the key column): clashes renamed, blanks and repeats named."""
    names: list[str] = []
    for i, raw in enumerate(header):
        if i == key_at:
            names.append("")
            continue
        name = raw or f"column_{i + 1}"
        name = META_PREFIX + name if name.lower() in RESERVED_COLUMNS else name
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def _outlet_id(text: str, registry) -> str:
    text = text.strip()
    return registry.outlet_of(text) if "://" in text else registry.outlet_for_domain(text)


def _read_rows(records, width: int, key_at: int, names: list[str], registry, key_name: str):
    rows: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    problems: list[MetadataProblem] = []
    for line, cells in records:
        problem = _row_problem(line, cells, width, key_at, key_name, registry, lines)
        if problem is not None:
            problems.append(problem)
            continue
        outlet = _outlet_id(cells[key_at], registry)
        lines[outlet] = line
        rows[outlet] = {name: cell for name, cell in zip(names, cells) if name and cell}
    return rows, lines, problems


def _row_problem(line, cells, width, key_at, key_name, registry, seen) -> MetadataProblem | None:
    if len(cells) != width:
        return MetadataProblem(line, "bad-row", f"{len(cells)} fields where the header has {width}: "
                                                "check for a stray delimiter or a missing quote")
    if not cells[key_at]:
        return MetadataProblem(line, "no-domain", f"the {key_name!r} cell is empty")
    outlet = _outlet_id(cells[key_at], registry)
    if not outlet:
        return MetadataProblem(line, "no-domain", f"{cells[key_at]!r} is not a domain, URL or outlet id")
    if outlet in seen:
        return MetadataProblem(line, "duplicate", f"{outlet} again (first on line {seen[outlet]}): this row is ignored")
    return None


def _typed_rows(rows: dict[str, dict[str, str]], columns: tuple[str, ...]) -> dict[str, dict]:
    parse = {c: _parser([r[c] for r in rows.values() if c in r]) for c in columns}
    return {outlet: {c: parse[c](v) for c, v in row.items()} for outlet, row in rows.items()}


def _parser(cells: list[str]):
    """The function that types every cell of a column: int, float, bool, or str when nothing else fits."""
    if cells and all(_INT_RE.match(c) for c in cells):
        return int
    if cells and all(_FLOAT_RE.match(c) for c in cells):
        return float
    if cells and all(c.lower() in BOOLEAN_WORDS for c in cells):
        return lambda c: BOOLEAN_WORDS[c.lower()]
    return str


# ---------------------------------------------------------------------------------------------
# Joining.


def join_metadata(g: nx.DiGraph, meta: OutletMetadata) -> tuple[nx.DiGraph, dict[str, int]]:
    """A copy of ``g`` whose nodes carry the metadata columns of their row.

    Parameters
    ----------
    g : networkx.DiGraph
        Not changed.
    meta : OutletMetadata

    Returns
    -------
    (networkx.DiGraph, dict)
        The copy, and counts ``matched`` (rows whose outlet is a node), ``unmatched_rows`` (rows
        for outlets not in the graph, see :func:`unknown_outlets`) and ``nodes_without_row``.
    """
    out = g.copy()
    matched = 0
    for outlet, values in meta.rows.items():
        if outlet in out:
            out.nodes[outlet].update(values)
            matched += 1
    counts = {"matched": matched, "unmatched_rows": len(meta.rows) - matched,
              "nodes_without_row": out.number_of_nodes() - matched}
    return out, counts


def unknown_outlets(g: nx.DiGraph, meta: OutletMetadata) -> tuple[MetadataProblem, ...]:
    """The ``unknown-outlet`` problems: rows of ``meta`` whose outlet is not a node of ``g``."""
    return tuple(MetadataProblem(meta.lines.get(outlet, 0), "unknown-outlet", f"{outlet} is not an outlet of the graph")
                 for outlet in meta.rows if outlet not in g)
