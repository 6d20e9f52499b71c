"""The run report as Markdown, for papers and issues: the report's content, tables instead of a page.

Everything that came from the web is escaped for Markdown and for the HTML that Markdown renderers let
through: table pipes, emphasis and link brackets are backslashed, ``<``, ``>`` and ``&`` become entities,
and links are made only for http(s) URLs.
"""
from __future__ import annotations

import pathlib
import re

import networkx as nx

from citegraph.graph.metrics import community_edges, community_rows
from citegraph.models import RunStats
from citegraph.render.network import _text, check_graph, graph_summary, page_title, safe_href, write_page
from citegraph.render.report import (DEFAULT_TITLE, _check_report_options, _check_stats, _citation_rows,
                                     _edge_section, _failure_rows, _heaviest_edges, _run_rows, _top_outlets)

__all__ = ["report_markdown", "render_markdown", "md"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_BAR = "█"


def md(value: object) -> str:
    """``value`` as inert Markdown text on one line.

    Examples
    --------
    >>> md('<script>alert(1)</script> | [x](javascript:y)')
    '&lt;script&gt;alert\\\\(1\\\\)&lt;/script&gt; \\\\| \\\\[x\\\\]\\\\(javascript:y\\\\)'
    """
    text = " ".join(_text(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _link(text: object, url: object) -> str:
    href = safe_href(url)
    if not href:
        return md(text)
    for ch, code in (("(", "%28"), (")", "%29"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
        href = href.replace(ch, code)
    return f"[{md(text) or md(href)}]({href})"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def _num(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4f}"
    return f"{int(value):,}"


def report_markdown(G: nx.DiGraph, stats: RunStats, *, timeline=(), title: str = DEFAULT_TITLE, top: int = 20,
                    max_edges: int = 200, evidence_per_edge: int = 10) -> str:
    """The run report of ``G`` and ``stats`` as Markdown.

    Parameters
    ----------
    G : networkx.DiGraph
        The outlet graph, with its metrics (``citegraph.graph.metrics.add_metrics``) where present.
    stats : RunStats
        What the run read and found.
    timeline : iterable of (month, kind, citations)
        Citations per month (``pipeline.citation_timeline``), drawn as a table with bars.

    Examples
    --------
    >>> from citegraph.models import RunStats
    >>> text = report_markdown(nx.DiGraph([("a.example", "b.example", {"weight": 2})]), RunStats(articles=2))
    >>> text.splitlines()[0]
    '# citegraph report'
    """
    check_graph(G)
    _check_stats(stats)
    _check_report_options("", top, max_edges, evidence_per_edge)
    out = [f"# {md(page_title(G, title, DEFAULT_TITLE))}", "", f"{md(graph_summary(G))}."]
    out += ["", "## Summary", ""] + _table(["", ""], [[md(k), _num(v)] for k, v in _run_rows(G, stats)])
    if stats.citations_by_kind:
        out += ["", "### Citations by kind", ""] + _table(["kind", "citations"],
                                                          [[md(k), _num(n)] for k, n in _citation_rows(stats)])
    if stats.failures_by_reason:
        out += ["", "### Inputs that failed, by reason", ""] + _table(
            ["reason", "inputs"], [[md(k), _num(n)] for k, n in _failure_rows(stats)])
    reciprocity = G.graph.get("reciprocity")
    if reciprocity is not None:
        out += ["", f"Reciprocity: {float(reciprocity):.3f} of the edges are returned."]
    for metric, heading in (("in_weight", "Most cited outlets"), ("out_weight", "Most citing outlets"),
                            ("pagerank", "Outlets by PageRank"), ("hub", "Hubs (HITS)"), ("authority", "Authorities (HITS)")):
        rows = _top_outlets(G, metric, top) if any(metric in d for _n, d in G.nodes(data=True)) else []
        if rows:
            out += ["", f"## {heading}", ""] + _table(
                ["outlet", "id", "kind", "articles", metric.replace("_", " ")],
                [[md(r["name"]), md(r["id"]), md(r["kind"]), _num(r["articles"]), _num(r["value"])] for r in rows])
    out += _communities(G, top)
    out += _timeline(timeline)
    edges = _heaviest_edges(G)
    if edges:
        out += ["", "## Evidence, heaviest edges first", ""]
        for u, v, attrs in edges[:max_edges]:
            e = _edge_section(G, u, v, attrs, evidence_per_edge)
            counts = ", ".join(f"{kind} {_num(n)}" for kind, n in e["counts"] if n)
            dates = f", {md(e['first_seen'][:10])} to {md(e['last_seen'][:10])}" if e["first_seen"] else ""
            out += [f"### {md(e['source'])} → {md(e['target'])}", "",
                    f"{_num(e['weight'])} citing articles ({counts}{dates}).", ""]
            for item in e["evidence"]:
                out.append(f"- {md(item.get('kind', ''))}: {_link(item.get('article_title') or item.get('article_url'), item.get('article_url'))}"
                           f" cites {_link(item.get('anchor_text') or item.get('target_url'), item.get('target_url'))}"
                           f": “{md(item.get('context', ''))}”")
            if e["evidence_left_out"]:
                out.append(f"- and {_num(e['evidence_left_out'])} more")
            out.append("")
        if len(edges) > max_edges:
            out.append(f"{_num(len(edges) - max_edges)} lighter edges are left out.")
    return "\n".join(out).rstrip() + "\n"


def _communities(G: nx.DiGraph, top: int) -> list[str]:
    groups = community_rows(G)
    if not groups:
        return []
    out = ["", "## Communities", ""]
    method, modularity = G.graph.get("community_method", ""), G.graph.get("modularity")
    if modularity is not None:
        out += [f"{len(groups)} communities ({md(method)}, modularity {float(modularity):.3f}).", ""]
    rows = [[str(r["community"]), str(r["size"]), "–" if r["inside_share"] is None else f"{r['inside_share']:.2f}",
             ", ".join(md(G.nodes[n].get("name") or n) for n in r["members"][:8]) + (" …" if r["size"] > 8 else "")]
            for r in groups[:top]]
    out += _table(["community", "outlets", "citations kept inside", "members, by PageRank"], rows)
    between = community_edges(G)[:top]
    if between:
        out += ["", "Citations between communities:", ""] + _table(
            ["from", "to", "weight"], [[str(a), str(b), _num(w)] for a, b, w in between])
    return out


def _timeline(rows) -> list[str]:
    months: dict[str, dict[str, int]] = {}
    for month, kind, n in rows:
        months.setdefault(str(month), {})[str(kind)] = int(n)
    if not months:
        return []
    peak = max(sum(k.values()) for k in months.values()) or 1
    table = []
    for month in sorted(months):
        k = months[month]
        total = sum(k.values())
        table.append([md(month), _num(k.get("link", 0)), _num(k.get("mention", 0)), _num(k.get("syndication", 0)),
                      _num(total), _BAR * max(1, round(20 * total / peak))])
    return ["", "## Citations per month", ""] + _table(["month", "link", "mention", "syndication", "total", ""], table)


def render_markdown(G: nx.DiGraph, stats: RunStats, path: str | pathlib.Path, **options) -> pathlib.Path:
    """Write :func:`report_markdown` to ``path``; return the path."""
    return write_page(report_markdown(G, stats, **options), path)
