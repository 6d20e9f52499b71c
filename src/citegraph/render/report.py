"""The HTML report: one self-contained file of what a run read and found, fit to attach to a paper.

The report gives a summary of the run and of the graph, rankings of outlets by several metrics,
the communities, a timeline of citations per month (an inline SVG chart drawn here, no script),
a section per outlet with the evidence behind its heaviest edges, the evidence edge by edge, and
the network page embedded in a sandboxed ``<iframe srcdoc>``.

Every string in the graph comes from the web: the Jinja2 template autoescapes everything, links
are made only for http(s) URLs, and the page's one script (``report.js``: sorting and filtering
tables) builds nothing from data as HTML. The page's Content-Security-Policy allows no request and
no script but ours and the embedded network page's, by their hashes.
"""
from __future__ import annotations

import hashlib
import math
import numbers
import pathlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

import networkx as nx

from markupsafe import Markup

from citegraph.graph.metadata import RESERVED_COLUMNS
from citegraph.graph.metrics import community_edges, community_rows
from citegraph.models import RunStats
from citegraph.render.network import (
    RenderError,
    _content_security_policy,
    _page_assets,
    _text,
    check_graph,
    count,
    evidence_records,
    graph_summary,
    package_text,
    page_title,
    safe_href,
    template_environment,
    write_page,
)

__all__ = ["report_html", "render_report"]

DEFAULT_TITLE = "citegraph report"
CITATION_ORDER = ("link", "mention", "syndication")

# The rankings, in page order: (node attribute, section id, heading, note, value column, text when empty).
# The first two are always shown; the others only when some outlet carries the metric.
RANKINGS = (
    ("in_weight", "top-cited", "Most cited outlets",
     "Ranked by citing articles from other outlets (weighted in-degree).", "Cited by (articles)",
     "No outlet is cited."),
    ("out_weight", "top-citing", "Most citing outlets",
     "Ranked by their articles that cite other outlets (weighted out-degree).", "Cites (articles)",
     "No outlet cites another."),
    ("pagerank", "top-pagerank", "Outlets by PageRank",
     "Ranked by PageRank on the weighted citation graph: cited often, or by outlets that are themselves cited.",
     "PageRank", ""),
    ("hub", "top-hubs", "Hubs (HITS)",
     "Ranked by hub score: outlets whose citations point to the strongest authorities.", "Hub score", ""),
    ("authority", "top-authorities", "Authorities (HITS)",
     "Ranked by authority score: outlets cited by the strongest hubs.", "Authority score", ""),
)
ALWAYS_RANKED = ("in_weight", "out_weight")

# An outlet's facts and metrics, in display order, when present on its node.
OUTLET_FACTS = (
    ("articles", "Articles seen"),
    ("in_weight", "Cited by (articles)"),
    ("out_weight", "Cites (articles)"),
    ("in_degree", "Outlets citing it"),
    ("out_degree", "Outlets it cites"),
    ("pagerank", "PageRank"),
    ("hub", "Hub score (HITS)"),
    ("authority", "Authority score (HITS)"),
    ("betweenness", "Betweenness"),
    ("core", "Core number"),
    ("reciprocity", "Reciprocity"),
    ("community_share", "Share of its citations inside its community"),
)
# Node attributes that are ours or are drawing data, never shown as user metadata.
NOT_METADATA = RESERVED_COLUMNS | {"evidence", "viz", "size", "color"}

NAME_CHARS = 120  # names are cut in tables and lists
HEADING_CHARS = 300  # and in headings; an outlet's own section shows the whole name beneath
TITLE_CHARS = 2000  # the tooltip of a cut name
METADATA_CHARS = 500
OUTLET_NEIGHBOURS = 10  # rows in an outlet's "cites most" and "cited most by" tables
OUTLET_EDGES = 5  # an outlet's heaviest edges whose evidence its section lists
OUTLET_EVIDENCE = 3  # evidence items per edge in an outlet's section (the edge section has more)
COMMUNITY_MEMBERS = 10  # members listed per community; the rest are counted

# The timeline chart: one colour per citation kind; kinds beyond these take the next free colour.
SERIES_COLORS = {"link": "#4e79a7", "mention": "#f28e2b", "syndication": "#59a14f"}
EXTRA_SERIES_COLORS = ("#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
REST_SERIES_COLOR = "#bab0ac"
CHART_PLOT_HEIGHT = 220
CHART_MARGIN = {"left": 64, "right": 16, "bottom": 48}
CHART_WIDTH = 760  # the plot's width up to 126 months; beyond, each month keeps CHART_SLOT and the chart widens
CHART_SLOT = 6.0  # pixels per month, at least
CHART_BAR = 40.0  # pixels, the widest bar
CHART_LABEL_GAP = 64  # pixels between month labels on the axis
CHART_LABEL_CHARS = 10
LEGEND_ROW = 18
LEGEND_LABEL_CHARS = 24

_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}\Z")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def report_html(
    G: nx.DiGraph,
    stats: RunStats,
    *,
    title: str = DEFAULT_TITLE,
    network_href: str = "network.html",
    network_page: str = "",
    timeline=(),
    top: int = 20,
    max_edges: int = 200,
    evidence_per_edge: int = 10,
    outlet_sections: int = 100,
) -> str:
    """Return the run report of ``G`` and ``stats`` as one self-contained HTML page.

    The page holds, in order: a summary of the run (inputs, articles, outlets, citations by kind,
    failures by reason) and of the graph (reciprocity, modularity); the top outlets by weighted
    in-degree, out-degree, PageRank, hub and authority score; the communities with their members,
    the share of citations kept inside and the heaviest edges between them; citations per month as
    a stacked bar chart and a table; the network; a section per outlet with its facts, the outlets
    it cites most and those citing it most, and the evidence of its heaviest edges; and the
    evidence edge by edge. Metrics a graph lacks (one a library user made, say) leave their table
    or row out. Every table with a header row sorts by a click on a column and has a filter box.

    Parameters
    ----------
    G : networkx.DiGraph
        The outlet graph (see :func:`citegraph.render.network_html`), with the node attributes of
        :func:`citegraph.graph.metrics.add_metrics` (``pagerank``, ``hub``, ``authority``,
        ``community``, ...) and the graph attributes ``reciprocity`` and ``modularity`` where
        present. Never changed.
    stats : citegraph.models.RunStats
        What the run read and found.
    title : str
        Page title; when left at the default, ``G.graph["title"]`` is used if present.
    network_href : str
        Where the network page is, relative to the report (or an http(s) URL): the "open it on its
        own page" link, and the ``<iframe>`` source when ``network_page`` is empty. An empty string
        leaves the link out.
    network_page : str
        The whole HTML of the network page (:func:`citegraph.render.network_html`), embedded as an
        ``<iframe srcdoc>`` so that the report is one file; its scripts are allowed by their hashes.
        Empty: the network is framed from ``network_href``, or left out when both are empty.
    timeline : iterable of (str, str, number)
        ``(month, kind, citations)`` rows as :func:`citegraph.pipeline.citation_timeline` returns
        them (month as ``YYYY-MM``); drawn as a chart and a table. Empty: the section is left out.
    top : int
        Rows in each ranking, communities listed, and edges between communities listed.
    max_edges : int
        Edges whose evidence is listed, heaviest first; a note says how many are left out.
    evidence_per_edge : int
        Evidence items listed per edge; a note says how many more the graph holds.
    outlet_sections : int
        Outlets with a section of their own, most citations in and out first; a note says how many
        are left out.

    Returns
    -------
    str
        The page. It makes no request but the framed ``network_href`` (none when the network is
        embedded): styles, script, chart and network are inline.

    Raises
    ------
    RenderError
        ``not-a-digraph``, ``not-runstats``, ``bad-stats``, ``bad-option``, ``bad-attribute``,
        ``bad-evidence``, ``bad-timeline``, ``asset-missing`` or ``bad-asset``.

    Examples
    --------
    >>> import networkx as nx
    >>> from citegraph.models import RunStats
    >>> html = report_html(nx.DiGraph(), RunStats(inputs=3, failures_by_reason=(("http-404", 3),)))
    >>> "http-404" in html
    True
    >>> html = report_html(nx.DiGraph([("a.example", "b.example", {"weight": 2})]), RunStats(),
    ...                    timeline=[("2024-05", "link", 2)])
    >>> "<svg" in html and 'id="outlet-b.example"' in html
    True
    """
    check_graph(G)
    _check_stats(stats)
    _check_report_options(network_href, top, max_edges, evidence_per_edge,
                          outlet_sections=outlet_sections, network_page=network_page)
    edges = _heaviest_edges(G)
    listed = edges[:max_edges]
    section_nodes = _section_nodes(G, outlet_sections)
    anchors = _anchors(section_nodes)
    edge_anchors = {(u, v): f"edge-{i}" for i, (u, v, _attrs) in enumerate(listed, start=1)}
    communities = _communities(G, anchors, top)
    script = _report_script()
    scripts = [script, *(_page_assets(include_vis=True)["scripts"] if network_page else ())]
    csp = _content_security_policy(scripts)
    if network_href and not network_page:
        csp += "; frame-src 'self' file: http: https:"
    return template_environment().get_template("report.html").render(
        title=page_title(G, title, DEFAULT_TITLE),
        style=Markup(package_text("report.css")),
        script=script,
        csp=csp,
        summary=graph_summary(G),
        run_rows=[(label, _num(value)) for label, value in _run_rows(G, stats)],
        graph_rows=_graph_rows(G),
        generated_at=_text(stats.generated_at),
        citations=[(kind, _num(n)) for kind, n in _citation_rows(stats)],
        failures=[(reason, _num(n)) for reason, n in _failure_rows(stats)],
        rankings=_rankings(G, anchors, top),
        communities=communities,
        timeline=_timeline(timeline),
        outlets=[_outlet_section(G, node, anchors, edge_anchors, communities, evidence_per_edge)
                 for node in section_nodes],
        outlets_left_out=G.number_of_nodes() - len(section_nodes),
        edges=[_linked_edge(G, u, v, attrs, evidence_per_edge, anchors) for u, v, attrs in listed],
        edges_left_out=max(0, len(edges) - max_edges),
        network_href=network_href,
        network_page=_text(network_page),  # plain text, so that a Markup page is escaped all the same
        num=_num,
    )


def render_report(G: nx.DiGraph, stats: RunStats, path: str | pathlib.Path, **options) -> pathlib.Path:
    """Write :func:`report_html` to ``path``, creating parent folders; return the path.

    Parameters
    ----------
    G : networkx.DiGraph
        The outlet graph. Never changed.
    stats : citegraph.models.RunStats
        What the run read and found.
    path : str or pathlib.Path
        Where to write the page.
    **options
        Keywords of :func:`report_html` (``network_page``, ``timeline``, ``outlet_sections``, ...).

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> from citegraph.models import RunStats
    >>> out = render_report(nx.DiGraph(), RunStats(), pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return write_page(report_html(G, stats, **options), path)


# Checks ------------------------------------------------------------------------------------------


def _check_stats(stats: object) -> None:
    if not isinstance(stats, RunStats):
        raise RenderError("not-runstats", f"expected citegraph.models.RunStats, got {type(stats).__name__}")
    for field in ("citations_by_kind", "failures_by_reason"):
        for pair in getattr(stats, field):
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
                raise RenderError(
                    "bad-stats", f"RunStats.{field} must hold (name, count) pairs, got {_text(repr(pair))[:80]}"
                )
            count(pair[1], f"RunStats.{field}[{pair[0]!r}]")


def _check_report_options(network_href, top, max_edges, evidence_per_edge, *, outlet_sections=0,
                          network_page="") -> None:
    for name, value in (("top", top), ("max_edges", max_edges), ("evidence_per_edge", evidence_per_edge),
                        ("outlet_sections", outlet_sections)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RenderError("bad-option", f"{name} must be a non-negative integer, got {value!r}")
    if not isinstance(network_href, str) or not _frame_href_ok(network_href):
        raise RenderError(
            "bad-option",
            f"network_href must be a relative path or an http(s) URL, got {_text(repr(network_href))[:80]}",
        )
    if not isinstance(network_page, str):
        raise RenderError("bad-option", f"network_page must be the network page's HTML, got {type(network_page).__name__}")


def _frame_href_ok(href: str) -> bool:
    # A relative path or http(s) only: a javascript: or data: frame would run code in the report.
    if href == "" or safe_href(href):
        return True
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc and href.strip() == href and ":" not in href.split("/")[0]


def _real(value: object, what: str) -> float:
    """A finite number of the graph that may be negative (modularity is)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise RenderError("bad-attribute", f"{what} must be a finite number, got {_text(repr(value))[:80]}")
    return int(value) if float(value).is_integer() else float(value)


@lru_cache(maxsize=None)
def _report_script() -> Markup:
    text = package_text("report.js")
    if "</script" in text.lower() or "<!--" in text:
        raise RenderError("bad-asset", "report.js contains '</script' or '<!--' and cannot be inlined safely")
    return Markup(text)


# Text --------------------------------------------------------------------------------------------


def _num(value) -> str:
    """A count with thousands separators; a score with four decimals, or three significant digits when tiny."""
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if value == 0 or float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 0.001:
        return f"{value:,.4f}"
    return f"{value:.3e}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _outlet_name(G: nx.DiGraph, node) -> str:
    return _text(G.nodes[node].get("name")) or _text(node)


def _ref(G: nx.DiGraph, node, anchors: dict) -> dict:
    """An outlet as the tables show it: a name cut to fit, the whole name as a tooltip, its section's id."""
    name = _outlet_name(G, node)
    cut = _cut(name, NAME_CHARS)
    return {"name": cut, "full": _cut(name, TITLE_CHARS) if cut != name else "", "anchor": anchors.get(node, "")}


def _anchors(nodes: list) -> dict:
    """A fragment id for each outlet, safe in an attribute and a URL whatever the outlet id holds.

    Plain ids (``nytimes.com``) keep their name, so links into a report stay readable and stable;
    any other id becomes a slug plus a digest of the id.
    """
    anchors, used = {}, set()
    for node in nodes:
        text = _text(node)
        if _PLAIN_ID.match(text):
            base = f"outlet-{text}"
        else:
            slug = _ID_UNSAFE.sub("-", text).strip("-._")[:40]
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
            base = f"outlet-{slug}-{digest}" if slug else f"outlet-{digest}"
        anchor, n = base, 2
        while anchor in used:  # 1 and "1" are two nodes with one text
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        anchors[node] = anchor
    return anchors


# Summary -----------------------------------------------------------------------------------------


def _run_rows(G: nx.DiGraph, stats: RunStats) -> list[tuple[str, object]]:
    return [
        ("Inputs tried", stats.inputs),
        ("Articles read", stats.articles),
        ("Outlets seen", stats.outlets),
        ("Outlets in the graph", G.number_of_nodes()),
        ("Citation edges in the graph", G.number_of_edges()),
        ("Self-citations left out", stats.self_citations),
    ]


def _graph_rows(G: nx.DiGraph) -> list[tuple[str, str]]:
    """Graph-level measures that ``add_metrics`` leaves in ``G.graph``, those present."""
    rows = []
    if G.graph.get("reciprocity") is not None:
        rows.append(("Reciprocity (share of edges returned)", _num(_real(G.graph["reciprocity"], 'G.graph["reciprocity"]'))))
    if G.graph.get("communities") is not None:
        method = _text(G.graph.get("community_method"))
        n = _num(count(G.graph["communities"], 'G.graph["communities"]'))
        rows.append(("Communities", f"{n} ({method})" if method else n))
    if G.graph.get("modularity") is not None:
        rows.append(("Modularity", _num(_real(G.graph["modularity"], 'G.graph["modularity"]'))))
    return rows


def _citation_rows(stats: RunStats) -> list[tuple[str, object]]:
    """Citations by kind, known kinds first, with a total row when there is anything to add."""
    rank = {kind: i for i, kind in enumerate(CITATION_ORDER)}
    rows = sorted(stats.citations_by_kind, key=lambda pair: (rank.get(pair[0], len(rank)), pair[0]))
    if rows:
        rows.append(("total", sum(n for _, n in rows)))
    return rows


def _failure_rows(stats: RunStats) -> list[tuple[str, object]]:
    return sorted(stats.failures_by_reason, key=lambda pair: (-pair[1], pair[0]))


# Rankings ----------------------------------------------------------------------------------------


def _top_outlets(G: nx.DiGraph, metric: str, top: int) -> list[dict]:
    """The ``top`` outlets by ``metric``, ties broken by name, without zeros."""
    rows = []
    for node, attrs in G.nodes(data=True):
        value = count(attrs.get(metric), f"{metric} of {_text(node)!r}")
        if value:
            rows.append({
                "node": node,
                "name": _outlet_name(G, node),
                "id": _text(node),
                "kind": _text(attrs.get("kind")).replace("_", " "),
                "country": _text(attrs.get("country")),
                "articles": count(attrs.get("articles"), f"articles of {_text(node)!r}"),
                "value": value,
            })
    rows.sort(key=lambda row: (-row["value"], row["name"].lower(), row["id"]))
    return rows[:top]


def _rankings(G: nx.DiGraph, anchors: dict, top: int) -> list[dict]:
    tables = []
    for metric, section, heading, note, label, empty in RANKINGS:
        if metric not in ALWAYS_RANKED and not any(metric in attrs for _n, attrs in G.nodes(data=True)):
            continue
        rows = [dict(row, ref=_ref(G, row["node"], anchors), id=_cut(row["id"], NAME_CHARS),
                     kind=_cut(row["kind"], NAME_CHARS), country=_cut(row["country"], NAME_CHARS))
                for row in _top_outlets(G, metric, top)]
        tables.append({"section": section, "heading": heading, "note": note, "label": label,
                       "empty": empty or f"No outlet has a {label.lower()} above zero.", "rows": rows})
    return tables


# Communities -------------------------------------------------------------------------------------


def _communities(G: nx.DiGraph, anchors: dict, top: int) -> dict | None:
    """Communities of a measured graph, largest first: members by in-weight, inside share, edges between."""
    labelled = [node for node, attrs in G.nodes(data=True) if attrs.get("community") is not None]
    if not labelled:
        return None
    labels = [G.nodes[node]["community"] for node in labelled]
    if not (all(isinstance(x, numbers.Integral) and not isinstance(x, bool) for x in labels)
            or all(isinstance(x, str) for x in labels)):
        raise RenderError("bad-attribute", "community labels must be all integers or all strings")
    for node in labelled:
        for key in ("pagerank", "in_weight", "out_weight", "community_share"):
            count(G.nodes[node].get(key), f"{key} of {_text(node)!r}")
    sub = G if len(labelled) == G.number_of_nodes() else G.subgraph(labelled)
    groups = community_rows(sub)
    listed = groups[:top]
    ids = {row["community"]: f"community-{i}" for i, row in enumerate(listed, start=1)}
    rows = []
    for row in listed:
        members = sorted(row["members"], key=lambda n: (-count(G.nodes[n].get("in_weight"), ""),
                                                        _outlet_name(G, n).lower(), _text(n)))
        rows.append({
            "label": _cut(_text(row["community"]), NAME_CHARS),
            "anchor": ids[row["community"]],
            "size": row["size"],
            "inside": "\u2013" if row["inside_share"] is None else _num(float(row["inside_share"])),
            "members": [_ref(G, n, anchors) for n in members[:COMMUNITY_MEMBERS]],
            "more": max(0, row["size"] - COMMUNITY_MEMBERS),
        })
    between = [{"source": _cut(_text(a), NAME_CHARS), "target": _cut(_text(b), NAME_CHARS),
                "source_anchor": ids.get(a, ""), "target_anchor": ids.get(b, ""), "weight": w}
               for a, b, w in community_edges(sub)[:top]]
    return {
        "rows": rows,
        "left_out": len(groups) - len(listed),
        "between": between,
        "ids": ids,
        "method": _text(G.graph.get("community_method")),
        "modularity": (_num(_real(G.graph["modularity"], 'G.graph["modularity"]'))
                       if G.graph.get("modularity") is not None else ""),
    }


# Timeline ----------------------------------------------------------------------------------------


def _timeline_counts(rows) -> dict[str, dict[str, float]]:
    """Month -> kind -> citations, rows with the same month and kind added up."""
    try:
        items = iter(rows)
    except TypeError:
        raise RenderError("bad-timeline", f"timeline must be (month, kind, citations) rows, got {type(rows).__name__}") from None
    months: dict[str, dict[str, float]] = {}
    for row in items:
        if isinstance(row, (str, bytes)) or not isinstance(row, (tuple, list)) or len(row) != 3:
            raise RenderError("bad-timeline", f"a timeline row must be (month, kind, citations), got {_text(repr(row))[:80]}")
        month, kind = _text(row[0]), _text(row[1])
        try:
            n = count(row[2], f"citations of {kind!r} in {month!r}")
        except RenderError as error:
            raise RenderError("bad-timeline", error.message) from None
        by_kind = months.setdefault(month, {})
        by_kind[kind] = by_kind.get(kind, 0) + n
    return months


def _series_colors(kinds: list[str]) -> dict[str, str]:
    extra = iter(EXTRA_SERIES_COLORS)
    return {kind: SERIES_COLORS.get(kind) or next(extra, REST_SERIES_COLOR) for kind in kinds}


def _timeline(rows) -> dict | None:
    months = _timeline_counts(rows)
    if not months:
        return None
    present = {kind for by_kind in months.values() for kind in by_kind}
    kinds = list(CITATION_ORDER) + sorted(present - set(CITATION_ORDER))
    colors = _series_colors(kinds)
    table = [{"month": month, "counts": [_num(months[month].get(k, 0)) for k in kinds],
              "total": _num(sum(months[month].values()))} for month in sorted(months)]
    return {"kinds": kinds, "rows": table, "chart": _chart(months, kinds, colors)}


def _nice_step(peak: float) -> int:
    """A round tick step (1, 2 or 5 times a power of ten) giving about five ticks up to ``peak``."""
    raw = peak / 5
    if raw <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


def _legend(kinds: list[str], colors: dict, width: float) -> tuple[list[dict], float]:
    """Legend items laid out in rows across the chart, and the height they take."""
    items, x, y = [], CHART_MARGIN["left"], 14.0
    for kind in kinds:
        label = _cut(kind or "(none)", LEGEND_LABEL_CHARS)
        span = 16 + 7 * len(label) + 18
        if x + span > width and x > CHART_MARGIN["left"]:
            x, y = CHART_MARGIN["left"], y + LEGEND_ROW
        items.append({"x": x, "y": y, "label": label, "color": colors[kind]})
        x += span
    return items, y + LEGEND_ROW


def _chart(months: dict[str, dict[str, float]], kinds: list[str], colors: dict) -> dict:
    """The geometry of a stacked bar chart of citations per month, for the template's inline SVG."""
    order = sorted(months)
    slot = max(CHART_SLOT, CHART_WIDTH / len(order))
    bar = min(slot * 0.7, CHART_BAR)
    left, bottom = CHART_MARGIN["left"], CHART_MARGIN["bottom"]
    width = round(left + slot * len(order) + CHART_MARGIN["right"], 1)
    legend, top = _legend(kinds, colors, width)
    base = top + CHART_PLOT_HEIGHT
    peak = max(sum(by_kind.values()) for by_kind in months.values())
    step = _nice_step(peak)
    ceiling = step * max(1, math.ceil(peak / step))
    scale = CHART_PLOT_HEIGHT / ceiling
    bars = []
    for i, month in enumerate(order):
        y = base
        for kind in kinds:
            n = months[month].get(kind, 0)
            if not n:
                continue
            height = n * scale
            y -= height
            bars.append({"x": round(left + i * slot + (slot - bar) / 2, 2), "y": round(y, 2),
                         "width": round(bar, 2), "height": round(height, 2), "color": colors[kind],
                         "title": f"{month}, {kind or '(none)'}: {_num(n)}"})
    every = max(1, math.ceil(CHART_LABEL_GAP / slot))
    return {
        "width": width,
        "height": round(base + bottom, 1),
        "left": left,
        "right": round(width - CHART_MARGIN["right"], 1),
        "top": top,
        "base": base,
        "legend": legend,
        "bars": bars,
        "ticks": [{"y": round(base - t * scale, 2), "label": _num(t)} for t in range(0, ceiling + 1, step)],
        "labels": [{"x": round(left + i * slot + slot / 2, 2), "text": _cut(month, CHART_LABEL_CHARS)}
                   for i, month in enumerate(order) if i % every == 0],
        "y_title": {"x": 14, "y": round(top + CHART_PLOT_HEIGHT / 2, 1)},
        "x_title": {"x": round((left + width) / 2, 1), "y": round(base + bottom - 6, 1)},
    }


# Outlets -----------------------------------------------------------------------------------------


def _activity(G: nx.DiGraph, node) -> float:
    attrs = G.nodes[node]
    where = _text(node)
    return count(attrs.get("in_weight"), f"in_weight of {where!r}") + count(attrs.get("out_weight"), f"out_weight of {where!r}")


def _section_nodes(G: nx.DiGraph, limit: int) -> list:
    """The outlets that get a section: most citations in and out first, ties by name and id."""
    ranked = sorted(G.nodes, key=lambda n: (-_activity(G, n), _outlet_name(G, n).lower(), _text(n)))
    return ranked[:limit]


def _edge_weight(G: nx.DiGraph, u, v) -> float:
    return count(G[u][v].get("weight", 1), f"weight of edge {_text(u)!r} -> {_text(v)!r}")


def _neighbour_rows(G: nx.DiGraph, pairs: list[tuple], other: int, anchors: dict) -> tuple[list[dict], int]:
    """The heaviest edges of ``pairs`` as rows naming the outlet at position ``other``, and how many are left."""
    ranked = sorted(pairs, key=lambda e: (-_edge_weight(G, *e), _outlet_name(G, e[other]).lower(), _text(e[other])))
    rows = [{"ref": _ref(G, e[other], anchors), "weight": _edge_weight(G, *e),
             "counts": [count(G[e[0]][e[1]].get(kind), f"{kind} count of edge {_text(e[0])!r} -> {_text(e[1])!r}")
                        for kind in CITATION_ORDER]}
            for e in ranked[:OUTLET_NEIGHBOURS]]
    return rows, len(ranked) - len(rows)


def _metadata(attrs: dict) -> list[tuple[str, str]]:
    """A user's metadata columns on the node (owner, audience...): text and numbers, ours left out."""
    rows = []
    for key, value in attrs.items():
        if not isinstance(key, str) or key in NOT_METADATA or value is None or value == "":
            continue
        if isinstance(value, bool):
            rows.append((key, "yes" if value else "no"))
        elif isinstance(value, numbers.Real) and math.isfinite(value):
            rows.append((key, _num(value) if value >= 0 else f"{value:g}"))
        elif isinstance(value, str):
            rows.append((key, _text(value)))
    return sorted(((_cut(_text(k), NAME_CHARS), _cut(v, METADATA_CHARS)) for k, v in rows), key=lambda r: r[0].lower())


def _outlet_section(G: nx.DiGraph, node, anchors: dict, edge_anchors: dict, communities: dict | None,
                    evidence_per_edge: int) -> dict:
    attrs = G.nodes[node]
    where = _text(node)
    facts = [(label, _num(count(attrs[key], f"{key} of {where!r}")))
             for key, label in OUTLET_FACTS if attrs.get(key) is not None]
    community = attrs.get("community")
    out_pairs = [(node, v) for v in G.successors(node)]
    in_pairs = [(u, node) for u in G.predecessors(node)]
    cites, cites_more = _neighbour_rows(G, out_pairs, 1, anchors)
    cited_by, cited_by_more = _neighbour_rows(G, in_pairs, 0, anchors)
    touching = sorted(set(out_pairs) | set(in_pairs),
                      key=lambda e: (-_edge_weight(G, *e), _text(e[0]), _text(e[1])))
    cap = min(evidence_per_edge, OUTLET_EVIDENCE)
    edges = []
    for u, v in touching[:OUTLET_EDGES]:
        evidence, total = evidence_records(G[u][v].get("evidence"), f"edge {_text(u)!r} -> {_text(v)!r}", cap)
        edges.append({"source": _ref(G, u, anchors), "target": _ref(G, v, anchors), "weight": _edge_weight(G, u, v),
                      "evidence": evidence, "evidence_left_out": total - len(evidence),
                      "edge_anchor": edge_anchors.get((u, v), "")})
    return {
        "anchor": anchors[node],
        "name": _cut(_outlet_name(G, node), HEADING_CHARS),
        "full_name": _outlet_name(G, node) if len(_outlet_name(G, node)) > HEADING_CHARS else "",
        "id": where,
        "kind": _text(attrs.get("kind")).replace("_", " "),
        "country": _text(attrs.get("country")),
        "community": None if community is None else _cut(_text(community), NAME_CHARS),
        "community_anchor": (communities or {}).get("ids", {}).get(community, "") if community is not None else "",
        "facts": facts,
        "metadata": _metadata(attrs),
        "cites": cites,
        "cites_more": cites_more,
        "cited_by": cited_by,
        "cited_by_more": cited_by_more,
        "edges": edges,
        "edges_more": len(touching) - len(edges),
    }


# Evidence, edge by edge --------------------------------------------------------------------------


def _heaviest_edges(G: nx.DiGraph) -> list[tuple]:
    edges = [(u, v, attrs) for u, v, attrs in G.edges(data=True)]
    weights = {
        (u, v): count(attrs.get("weight"), f"weight of edge {_text(u)!r} -> {_text(v)!r}") for u, v, attrs in edges
    }
    return sorted(edges, key=lambda e: (-weights[e[0], e[1]], _text(e[0]), _text(e[1])))


def _edge_section(G: nx.DiGraph, u, v, attrs: dict, cap: int) -> dict:
    where = f"edge {_text(u)!r} -> {_text(v)!r}"
    evidence, total = evidence_records(attrs.get("evidence"), where, cap)
    return {
        "source": _outlet_name(G, u),
        "target": _outlet_name(G, v),
        "source_id": _text(u),
        "target_id": _text(v),
        "weight": count(attrs.get("weight"), f"weight of {where}"),
        "counts": [(kind, count(attrs.get(kind), f"{kind} count of {where}")) for kind in CITATION_ORDER],
        "first_seen": _text(attrs.get("first_seen")),
        "last_seen": _text(attrs.get("last_seen")),
        "evidence": evidence,
        "evidence_left_out": total - len(evidence),
    }


def _linked_edge(G: nx.DiGraph, u, v, attrs: dict, cap: int, anchors: dict) -> dict:
    """An edge section with links to the sections of its two outlets."""
    section = _edge_section(G, u, v, attrs, cap)
    section.update(source=_cut(section["source"], HEADING_CHARS), target=_cut(section["target"], HEADING_CHARS),
                   source_anchor=anchors.get(u, ""), target_anchor=anchors.get(v, ""))
    return section
