"""The interactive network: one self-contained HTML page that works offline.

The page inlines vis-network's standalone build (read from the installed pyvis package at render
time) and our own script, and carries the graph as JSON in a ``<script type="application/json">``
element. Every string in the graph comes from the web, so data never reaches the page as HTML:
the template autoescapes, the JSON is escaped so it cannot close its element, and the page's
script builds tooltips and panels with ``textContent`` only.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import numbers
import pathlib
from collections import Counter
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

import jinja2
import networkx as nx

from citegraph.render.layout import LAYOUTS, LayoutError, layout as compute_layout
from markupsafe import Markup

from citegraph.graph.metadata import RESERVED_COLUMNS
from citegraph.models import CITATION_KINDS, OUTLET_KINDS

__all__ = ["KIND_COLORS", "RenderError", "network_html", "render_network", "safe_href"]

DEFAULT_TITLE = "citegraph network"

# One fixed colour per outlet kind, so the same kind looks the same in every graph.
KIND_COLORS = {
    "news": "#4e79a7",
    "wire": "#f28e2b",
    "magazine": "#e15759",
    "broadcaster": "#76b7b2",
    "think_tank": "#59a14f",
    "state_media": "#edc948",
    "platform": "#b07aa1",
    "government": "#ff9da7",
    "academic": "#9c755f",
    "other": "#bab0ac",
}
# Colours for any other categorical attribute (community, country): the kind palette minus grey,
# which stays reserved for values beyond the palette.
CATEGORY_PALETTE = tuple(c for k, c in KIND_COLORS.items() if k != "other")
REST_COLOR = KIND_COLORS["other"]

# A ramp for numeric colourings (low to high), light to dark so the heaviest stand out.
NUMBER_RAMP = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")

# Node attributes the page offers to size by, in this order, when the graph has them.
SIZE_METRICS = ("in_weight", "out_weight", "articles", "in_degree", "out_degree", "pagerank", "hub", "authority",
                "betweenness", "core", "reciprocity", "community_share")
# Categorical node attributes the page offers to colour by, besides metadata columns.
COLORINGS = ("kind", "community", "country")
MAX_CATEGORIES = 60  # a text column with more distinct values is filtered by a text box, not a list

NODE_SIZE = (8.0, 48.0)  # pixels, smallest and largest node
EDGE_WIDTH = (1.0, 8.0)  # pixels, lightest and heaviest edge
LABEL_CHARS = 40  # longer names are cut on the canvas; the panel shows them whole
EVIDENCE_PER_EDGE = 25  # the page stays small; the report has the rest
SAFE_SCHEMES = ("http", "https")
EVIDENCE_KEYS = (
    "article_url", "article_title", "published_at", "kind", "target_url", "anchor_text", "context",
)
VIS_FILES = ("templates/lib/vis-9.1.2/vis-network.min.js", "templates/lib/vis-9.1.2/vis-network.css")

# Escapes that keep JSON inert inside a <script> element: no "</script>", no "<!--", and no
# line separators that older parsers treat as line ends.
JSON_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


class RenderError(ValueError):
    """Input that cannot be rendered, with a short reason ``code`` and a message a person can act on."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def safe_href(url: object) -> str:
    """Return ``url`` when it is an absolute http(s) URL, else ``''``.

    Parameters
    ----------
    url : object
        A URL from the web.

    Returns
    -------
    str
        The URL, fit for an ``href``; empty for ``javascript:``, ``data:``, relative or broken URLs.

    Examples
    --------
    >>> safe_href("https://example.org/a")
    'https://example.org/a'
    >>> safe_href("javascript:alert(1)")
    ''
    """
    if not isinstance(url, str):
        return ""
    url = _text(url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc:
        return url
    return ""


def network_html(
    G: nx.DiGraph,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str = "in_weight",
    color_by: str = "kind",
    physics_max_nodes: int = 300,
    seed: int = 0,
    layout: str = "auto",
    edge_months: dict | None = None,
) -> str:
    """Return the interactive network of ``G`` as one self-contained HTML page.

    Parameters
    ----------
    G : networkx.DiGraph
        Outlets as nodes (``name``, ``kind``, ``country``, ``articles``, ``in_weight``,
        ``out_weight``, optional ``x``/``y``); edges A -> B when articles of A cite B (``weight``,
        ``link``, ``mention``, ``syndication``, ``first_seen``, ``last_seen``, ``evidence``).
        Never changed.
    title : str
        Page title; when left at the default, ``G.graph["title"]`` is used if present.
    size_by : str
        Numeric node attribute that sets node size (square-root scale).
    color_by : str
        ``"kind"`` for the fixed outlet-kind palette, or any categorical node attribute.
    physics_max_nodes : int
        Above this many nodes the layout is computed here (or taken from ``x``/``y``) and the
        browser's physics is off, so large graphs draw in seconds.
    seed : int
        Seed of the layout, in Python and in the browser.
    layout : str
        ``"auto"``: the browser's physics up to ``physics_max_nodes`` outlets, a layout computed here
        above (``citegraph.render.layout``, sparse and fast at 20,000 outlets); ``"physics"``: the
        browser's physics whatever the size; ``"sparse"``, ``"forceatlas2"``, ``"spring"``,
        ``"kamada-kawai"``: that layout, computed here, physics off. Positions given as node ``x``/``y``
        are used as they are.
    edge_months : dict, optional
        ``{(source, target): {"YYYY-MM": {kind: citing articles}}}``, so the page can filter edges by date
        (``pipeline.edge_months`` gives it from a store); without it the page has no date filter.

    The page filters by citation kind, minimum weight, date (with ``edge_months``), community, outlet kind
    and any metadata column (node attributes beyond citegraph's own, as joined by ``--outlet-metadata``);
    sizes nodes by any metric and colours them by kind, community, country or a metadata column, with a
    legend that follows; turns physics on and off; and exports the view as PNG.

    Returns
    -------
    str
        The page. It makes no request: vis-network, styles and data are inline.

    Raises
    ------
    RenderError
        ``not-a-digraph``, ``bad-option``, ``bad-attribute``, ``bad-evidence``, ``duplicate-id``,
        ``asset-missing`` or ``bad-asset``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("a.com", name="A", kind="news", articles=1, in_weight=0, out_weight=1)
    >>> "1 outlet, 0 citation edges" in network_html(G)
    True
    """
    check_graph(G)
    _check_network_options(size_by, color_by, physics_max_nodes, seed)
    if layout not in ("auto", "physics", *LAYOUTS):
        raise RenderError("bad-option", f"layout must be auto, physics or one of {', '.join(LAYOUTS)}, got {layout!r}")
    physics = layout == "physics" or (layout == "auto" and G.number_of_nodes() <= physics_max_nodes)
    positions = {} if physics else _positions(G, seed, layout)
    colors = _category_colors(G, color_by)
    meta = _metadata_columns(G)
    months = _months(edge_months)
    data = {
        "nodes": _node_records(G, size_by, color_by, colors, positions, meta),
        "edges": _edge_records(G, edge_months or {}, months),
        "physics": physics,
        "seed": seed,
        "sizeBy": size_by,
        "colorBy": color_by,
        "sizeOptions": _size_options(G, meta),
        "colorOptions": [c for c in COLORINGS if c == "kind" or any(c in a for _, a in G.nodes(data=True))],
        "meta": meta,
        "months": months,
        "palette": {"kinds": KIND_COLORS, "categories": CATEGORY_PALETTE, "rest": REST_COLOR, "ramp": NUMBER_RAMP},
        "sizes": NODE_SIZE,
        "widths": EDGE_WIDTH,
    }
    assets = _page_assets(include_vis=G.number_of_nodes() > 0)
    return _template("network.html").render(
        title=page_title(G, title, DEFAULT_TITLE),
        summary=_shown(G),
        empty=G.number_of_nodes() == 0,
        physics=physics,
        legend=_legend(colors, color_by),
        size_by=size_by,
        data_json=Markup(script_json(data)),
        csp=_content_security_policy(assets["scripts"]),
        **assets,
    )


def render_network(G: nx.DiGraph, path: str | pathlib.Path, **options) -> pathlib.Path:
    """Write :func:`network_html` of ``G`` to ``path``, creating parent folders; return the path.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = render_network(nx.DiGraph(), pathlib.Path(tempfile.mkdtemp()) / "a" / "network.html")
    >>> out.exists()
    True
    """
    return write_page(network_html(G, **options), path)


# Shared with report.py -------------------------------------------------------------------------


def check_graph(G: object) -> None:
    """Raise ``RenderError('not-a-digraph')`` unless ``G`` is a simple networkx DiGraph."""
    if not isinstance(G, nx.DiGraph) or isinstance(G, nx.MultiDiGraph):
        raise RenderError(
            "not-a-digraph",
            f"expected a networkx.DiGraph of outlets, got {type(G).__name__}",
        )


def page_title(G: nx.DiGraph, title: object, default: str) -> str:
    """The title given, or the graph's own ``title`` when the caller left the default."""
    if title == default and G.graph.get("title"):
        return _text(G.graph["title"])
    return _text(title)


def graph_summary(G: nx.DiGraph) -> str:
    """``"N outlets, E citation edges"``, in the singular where it applies."""
    n, e = G.number_of_nodes(), G.number_of_edges()
    return f"{n} outlet{'' if n == 1 else 's'}, {e} citation edge{'' if e == 1 else 's'}"


def count(value: object, what: str) -> float:
    """A non-negative number from the graph; missing counts as 0, anything else is an error."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
        raise RenderError("bad-attribute", f"{what} must be a non-negative number, got {_text(repr(value))[:80]}")
    return int(value) if float(value).is_integer() else float(value)


def evidence_records(value: object, where: str, cap: int, hrefs: bool = True) -> tuple[list[dict], int]:
    """Up to ``cap`` evidence dicts with every field as text (plus safe hrefs, unless ``hrefs`` is false:
    the network page checks URLs itself), and the total count."""
    if value is None:
        return [], 0
    if not isinstance(value, (list, tuple)):
        raise RenderError(
            "bad-evidence", f"evidence of {where} must be a list of dicts, got {type(value).__name__}"
        )
    records = []
    for item in value[:cap]:
        if not isinstance(item, dict):
            raise RenderError("bad-evidence", f"evidence of {where} holds a {type(item).__name__}, not a dict")
        record = {key: _text(item.get(key)) for key in EVIDENCE_KEYS}
        if hrefs:
            record["article_href"] = safe_href(record["article_url"])
            record["target_href"] = safe_href(record["target_url"])
        records.append(record)
    return records, len(value)


def write_page(html: str, path: str | pathlib.Path) -> pathlib.Path:
    """Write ``html`` as UTF-8 to ``path`` (parents created) and return the path."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def script_json(data: object) -> str:
    """JSON that is safe as the text of a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, escaped in JSON_SCRIPT_ESCAPES:
        text = text.replace(raw, escaped)
    return text


@lru_cache(maxsize=None)
def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of the package's templates, autoescaping everything."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citegraph.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=None)
def package_text(name: str) -> str:
    """A text file from the package's ``templates`` folder (our own script and styles)."""
    return (resources.files("citegraph.render") / "templates" / name).read_text(encoding="utf-8")


def _text(value: object) -> str:
    """Any value as text; lone surrogates (broken input) become U+FFFD so the page can be written."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# Network internals -------------------------------------------------------------------------------


def _template(name: str) -> jinja2.Template:
    return template_environment().get_template(name)


def _check_network_options(size_by, color_by, physics_max_nodes, seed) -> None:
    for name, value in (("size_by", size_by), ("color_by", color_by)):
        if not isinstance(value, str) or not value:
            raise RenderError("bad-option", f"{name} must be a node attribute name, got {value!r}")
    for name, value in (("physics_max_nodes", physics_max_nodes), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RenderError("bad-option", f"{name} must be a non-negative integer, got {value!r}")


def _kind(value: object) -> str:
    # Unknown kinds are drawn as "other" rather than refused: the colour is cosmetic.
    text = _text(value)
    return text if text in OUTLET_KINDS else "other"


def _category(attrs: dict, color_by: str) -> str:
    return _kind(attrs.get("kind")) if color_by == "kind" else _text(attrs.get(color_by))


def _category_colors(G: nx.DiGraph, color_by: str) -> dict[str, str]:
    """Colour of every category present, in legend order."""
    values = Counter(_category(attrs, color_by) for _, attrs in G.nodes(data=True))
    if color_by == "kind":
        return {k: c for k, c in KIND_COLORS.items() if k in values}
    # Outlets without a value come last, in grey, so no colour of the palette speaks for "unknown".
    ranked = sorted(values, key=lambda v: (v == "", -values[v], v))
    return {v: (CATEGORY_PALETTE[i] if i < len(CATEGORY_PALETTE) and v != "" else REST_COLOR)
            for i, v in enumerate(ranked)}


def _legend(colors: dict[str, str], color_by: str) -> list[tuple[str, str]]:
    """(label, colour) rows; values beyond the palette share one grey row."""
    rows, rest = [], False
    for value, color in colors.items():
        if color_by != "kind" and color == REST_COLOR and value != "":
            rest = True
        elif value != "" or color_by == "kind":
            rows.append((value.replace("_", " ") if color_by == "kind" else value, color))
    if rest:
        rows.append(("other values", REST_COLOR))
    if color_by != "kind" and "" in colors:
        rows.append(("(none)", REST_COLOR))
    return rows


def _scaled(values: list[float], low: float, high: float, curve) -> list[float]:
    """Values mapped onto [low, high] through ``curve`` (sqrt, log), so no raw count becomes pixels."""
    top = curve(max(values, default=0))
    return [round(low + (high - low) * (curve(v) / top if top else 0.0), 2) for v in values]


def _label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "\u2026"


def _number(value: object) -> float | int:
    """A metric for the page: integers as they are, floats to 6 significant digits (the page stays small)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    return float(f"{float(value):.6g}")


def _size_value(value: object, what: str) -> float:
    """A number to size a node by: missing is 0; any finite number, negative too; else an error."""
    if value is None:
        return 0
    if isinstance(value, bool) or not _finite(value):
        raise RenderError("bad-attribute", f"{what} must be a number, got {_text(repr(value))[:80]}")
    return int(value) if float(value).is_integer() else float(value)


def _metadata_columns(G) -> list[dict]:
    """The node attributes beyond citegraph's own (joined metadata), each with its type and, for a column
    of few values, the values by frequency: ``number``, ``category`` or ``text``."""
    values: dict[str, Counter] = {}
    for _node, attrs in G.nodes(data=True):
        for key, value in attrs.items():
            if key in RESERVED_COLUMNS or not isinstance(key, str) or value is None or value == "":
                continue
            if isinstance(value, (str, numbers.Real)) and not (isinstance(value, float) and not math.isfinite(value)):
                values.setdefault(key, Counter())[value if isinstance(value, (str, bool)) else float(value)] += 1
    columns = []
    for key in sorted(values):
        seen = values[key]
        numeric = all(isinstance(v, float) for v in seen)
        if numeric:
            columns.append({"name": _text(key), "type": "number", "min": _number(min(seen)), "max": _number(max(seen))})
            continue
        ranked = sorted(seen, key=lambda v: (-seen[v], _text(v)))
        kind = "category" if len(ranked) <= MAX_CATEGORIES else "text"
        columns.append({"name": _text(key), "type": kind,
                        "values": [_meta_value(v) for v in ranked[:MAX_CATEGORIES]] if kind == "category" else []})
    return columns


def _meta_value(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Real):
        return _number(value)
    return _text(value)


def _size_options(G, meta: list[dict]) -> list[str]:
    present = {key for _, attrs in G.nodes(data=True) for key, value in attrs.items() if _finite(value)}
    options = list(SIZE_METRICS[:3]) + [m for m in SIZE_METRICS[3:] if m in present]
    return options + [c["name"] for c in meta if c["type"] == "number"]


def _months(edge_months: dict | None) -> list[str]:
    if not edge_months:
        return []
    return sorted({_text(month) for by_month in edge_months.values() for month in by_month})


def _node_records(G, size_by, color_by, colors, positions, meta) -> list[dict]:
    seen: set[str] = set()
    records = []
    for node, attrs in G.nodes(data=True):
        node_id = _text(node)
        if node_id in seen:
            raise RenderError(
                "duplicate-id", f"two nodes are both written {node_id!r}; outlet ids must be distinct strings"
            )
        seen.add(node_id)
        name = _text(attrs.get("name")) or node_id
        records.append({
            "id": node_id,
            "name": name,
            "label": _label(name),
            "kind": _kind(attrs.get("kind")),
            "country": _text(attrs.get("country")),
            "articles": count(attrs.get("articles"), f"articles of {node_id!r}"),
            "in_weight": count(attrs.get("in_weight"), f"in_weight of {node_id!r}"),
            "out_weight": count(attrs.get("out_weight"), f"out_weight of {node_id!r}"),
            "metric": _size_value(attrs.get(size_by), f"{size_by} of {node_id!r}"),
            "color": colors[_category(attrs, color_by)],
            "category": _category(attrs, color_by),
            "m": {m: _number(attrs[m]) for m in SIZE_METRICS[3:] if _finite(attrs.get(m))},
        })
        if _finite(attrs.get("community")):
            records[-1]["community"] = int(attrs["community"])
        values = {c["name"]: _meta_value(attrs[c["name"]]) for c in meta
                  if attrs.get(c["name"]) not in (None, "") and c["name"] in attrs}
        if values:
            records[-1]["meta"] = values
        if node in positions:
            records[-1]["x"], records[-1]["y"] = positions[node]
    low = min([0] + [r["metric"] for r in records])  # a metadata column may go below zero: shifted up
    sizes = _scaled([r["metric"] - low for r in records], *NODE_SIZE, math.sqrt)
    for record, size in zip(records, sizes):
        record["size"] = size
    return records


def _edge_records(G, edge_months: dict, months: list[str]) -> list[dict]:
    records = []
    index = {m: i for i, m in enumerate(months)}
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        where = f"edge {_text(u)!r} -> {_text(v)!r}"
        evidence, total = evidence_records(attrs.get("evidence"), where, EVIDENCE_PER_EDGE, hrefs=False)
        records.append({
            "id": f"e{i}",
            "from": _text(u),
            "to": _text(v),
            # networkx's convention: an edge without a weight weighs 1 (it is drawn, not filtered out as empty)
            "weight": count(attrs.get("weight", 1), f"weight of {where}"),
            "link": count(attrs.get("link"), f"link count of {where}"),
            "mention": count(attrs.get("mention"), f"mention count of {where}"),
            "syndication": count(attrs.get("syndication"), f"syndication count of {where}"),
            "first_seen": _text(attrs.get("first_seen")),
            "last_seen": _text(attrs.get("last_seen")),
            "evidence": evidence,
            "evidence_total": total,
        })
        by_month = edge_months.get((u, v))
        if by_month:  # [month index, link, mention, syndication] rows, for the date filter
            records[-1]["months"] = [
                [index[_text(m)], *(count(k.get(kind), f"{kind} count of {where} in {_text(m)}") for kind in CITATION_KINDS)]
                for m, k in sorted(by_month.items())]
    # one citing article is the thinnest line: when every edge has one, all are thin, not all heavy
    widths = _scaled([r["weight"] for r in records], *EDGE_WIDTH, lambda w: math.log(max(w, 1)))
    for record, width in zip(records, widths):
        record["width"] = width
    return records


def _finite(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _given_positions(G) -> dict | None:
    """The graph's own x/y when every node has them, else None."""
    positions = {}
    for node, attrs in G.nodes(data=True):
        if not (_finite(attrs.get("x")) and _finite(attrs.get("y"))):
            return None
        positions[node] = (float(attrs["x"]), float(attrs["y"]))
    return positions


def _shown(G: nx.DiGraph) -> str:
    """The summary line: what is drawn, and out of how much when the graph was cut to its top outlets."""
    total_n, total_e = G.graph.get("total_outlets"), G.graph.get("total_edges")
    n, e = G.number_of_nodes(), G.number_of_edges()
    if isinstance(total_n, int) and isinstance(total_e, int) and (total_n > n or total_e > e):
        return f"showing {n:,} of {total_n:,} outlets, {e:,} of {total_e:,} citation edges"
    return graph_summary(G)


def _positions(G, seed: int, method: str = "auto") -> dict:
    """Pixel positions for a graph too large for in-browser physics."""
    # Unweighted: raw citation counts span orders of magnitude and would pile heavy pairs together.
    try:
        positions = _given_positions(G) or compute_layout(G, method=method, seed=seed)
    except LayoutError as e:
        raise RenderError("bad-option", e.detail) from e
    if not positions:
        return {}
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    reach = max([abs(x - cx) for x in xs] + [abs(y - cy) for y in ys] + [1e-9])
    extent = 200 + 40 * math.sqrt(len(xs))
    return {
        node: (round((float(p[0]) - cx) / reach * extent, 1), round((float(p[1]) - cy) / reach * extent, 1))
        for node, p in positions.items()
    }


def _vis_text(relative: str) -> str:
    try:
        return (resources.files("pyvis") / relative).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise RenderError("asset-missing", f"cannot read pyvis/{relative} ({error}); reinstall pyvis>=0.3.2") from error


@lru_cache(maxsize=None)
def _page_assets(include_vis: bool) -> dict:
    """Scripts and styles to inline, checked so that none can end its own element early."""
    vis_js, vis_css = (_vis_text(VIS_FILES[0]), _vis_text(VIS_FILES[1])) if include_vis else ("", "")
    scripts = [s for s in (vis_js, package_text("network.js")) if s]
    styles = [vis_css, package_text("network.css")]
    for text, end in [(s, "</script") for s in scripts] + [(s, "</style") for s in styles]:
        if end in text.lower() or "<!--" in text:
            raise RenderError("bad-asset", f"an inlined asset contains {end!r} or '<!--' and cannot be inlined safely")
    return {
        "scripts": tuple(Markup(s) for s in scripts),
        "styles": tuple(Markup(s) for s in styles if s),
    }


def _content_security_policy(scripts) -> str:
    """A policy that lets only our inline scripts run and forbids every request."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(str(s).encode("utf-8")).digest()).decode("ascii") + "'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
