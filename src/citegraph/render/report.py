"""The HTML report: what a run read and found, who cites whom, and the evidence behind each edge.

A static page with no script at all: a Jinja2 template with autoescape, inlined styles, and the
network page embedded in an ``<iframe>``. Links are made only for http(s) URLs.
"""
from __future__ import annotations

import pathlib
from urllib.parse import urlsplit

import networkx as nx

from markupsafe import Markup

from citegraph.models import RunStats
from citegraph.render.network import (
    RenderError,
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


def report_html(
    G: nx.DiGraph,
    stats: RunStats,
    *,
    title: str = DEFAULT_TITLE,
    network_href: str = "network.html",
    top: int = 20,
    max_edges: int = 200,
    evidence_per_edge: int = 10,
) -> str:
    """Return the run report of ``G`` and ``stats`` as one HTML page.

    Parameters
    ----------
    G : networkx.DiGraph
        The outlet graph (see :func:`citegraph.render.network_html`). Never changed.
    stats : citegraph.models.RunStats
        What the run read and found.
    title : str
        Page title; when left at the default, ``G.graph["title"]`` is used if present.
    network_href : str
        Where the network page is, relative to the report (or an http(s) URL); it is embedded
        in an ``<iframe>``. An empty string leaves the network out.
    top : int
        Rows in the tables of most cited and most citing outlets.
    max_edges : int
        Edges whose evidence is listed, heaviest first; a note says how many are left out.
    evidence_per_edge : int
        Evidence items listed per edge; a note says how many more the graph holds.

    Returns
    -------
    str
        The page; it has no script and loads nothing but the embedded network.

    Raises
    ------
    RenderError
        ``not-a-digraph``, ``not-runstats``, ``bad-stats``, ``bad-option``, ``bad-attribute``
        or ``bad-evidence``.

    Examples
    --------
    >>> import networkx as nx
    >>> from citegraph.models import RunStats
    >>> html = report_html(nx.DiGraph(), RunStats(inputs=3, failures_by_reason=(("http-404", 3),)))
    >>> "http-404" in html
    True
    """
    check_graph(G)
    _check_stats(stats)
    _check_report_options(network_href, top, max_edges, evidence_per_edge)
    edges = _heaviest_edges(G)
    return template_environment().get_template("report.html").render(
        title=page_title(G, title, DEFAULT_TITLE),
        style=Markup(package_text("report.css")),
        summary=graph_summary(G),
        run_rows=_run_rows(G, stats),
        generated_at=_text(stats.generated_at),
        citations=_citation_rows(stats),
        failures=_failure_rows(stats),
        top_cited=_top_outlets(G, "in_weight", top),
        top_citing=_top_outlets(G, "out_weight", top),
        edges=[_edge_section(G, u, v, attrs, evidence_per_edge) for u, v, attrs in edges[:max_edges]],
        edges_left_out=max(0, len(edges) - max_edges),
        network_href=network_href,
    )


def render_report(G: nx.DiGraph, stats: RunStats, path: str | pathlib.Path, **options) -> pathlib.Path:
    """Write :func:`report_html` to ``path``, creating parent folders; return the path.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> from citegraph.models import RunStats
    >>> out = render_report(nx.DiGraph(), RunStats(), pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return write_page(report_html(G, stats, **options), path)


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


def _check_report_options(network_href, top, max_edges, evidence_per_edge) -> None:
    for name, value in (("top", top), ("max_edges", max_edges), ("evidence_per_edge", evidence_per_edge)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RenderError("bad-option", f"{name} must be a non-negative integer, got {value!r}")
    if not isinstance(network_href, str) or not _frame_href_ok(network_href):
        raise RenderError(
            "bad-option",
            f"network_href must be a relative path or an http(s) URL, got {_text(repr(network_href))[:80]}",
        )


def _frame_href_ok(href: str) -> bool:
    # A relative path or http(s) only: a javascript: or data: frame would run code in the report.
    if href == "" or safe_href(href):
        return True
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc and href.strip() == href and ":" not in href.split("/")[0]


def _run_rows(G: nx.DiGraph, stats: RunStats) -> list[tuple[str, object]]:
    return [
        ("Inputs tried", stats.inputs),
        ("Articles read", stats.articles),
        ("Outlets seen", stats.outlets),
        ("Outlets in the graph", G.number_of_nodes()),
        ("Citation edges in the graph", G.number_of_edges()),
        ("Self-citations left out", stats.self_citations),
    ]


def _citation_rows(stats: RunStats) -> list[tuple[str, object]]:
    """Citations by kind, known kinds first, with a total row when there is anything to add."""
    rank = {kind: i for i, kind in enumerate(CITATION_ORDER)}
    rows = sorted(stats.citations_by_kind, key=lambda pair: (rank.get(pair[0], len(rank)), pair[0]))
    if rows:
        rows.append(("total", sum(n for _, n in rows)))
    return rows


def _failure_rows(stats: RunStats) -> list[tuple[str, object]]:
    return sorted(stats.failures_by_reason, key=lambda pair: (-pair[1], pair[0]))


def _outlet_name(G: nx.DiGraph, node) -> str:
    return _text(G.nodes[node].get("name")) or _text(node)


def _top_outlets(G: nx.DiGraph, metric: str, top: int) -> list[dict]:
    """The ``top`` outlets by ``metric``, ties broken by name, without zeros."""
    rows = []
    for node, attrs in G.nodes(data=True):
        value = count(attrs.get(metric), f"{metric} of {_text(node)!r}")
        if value:
            rows.append({
                "name": _outlet_name(G, node),
                "id": _text(node),
                "kind": _text(attrs.get("kind")).replace("_", " "),
                "country": _text(attrs.get("country")),
                "articles": count(attrs.get("articles"), f"articles of {_text(node)!r}"),
                "value": value,
            })
    rows.sort(key=lambda row: (-row["value"], row["name"].lower(), row["id"]))
    return rows[:top]


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
