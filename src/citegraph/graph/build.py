"""Citations -> a directed, weighted graph of outlets whose edges keep their evidence.

Two ways in, one way out: ``build_graph`` aggregates an iterable of citations in memory;
``graph_from_aggregates`` takes the same aggregates computed elsewhere (the store does it in SQL, so
a large corpus never sits in memory as Python objects). Both end in ``_assemble``.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping

import networkx as nx

from ..models import CITATION_KINDS, Article, Citation

__all__ = ["build_graph", "graph_from_aggregates", "check_kinds"]


def check_kinds(kinds: Iterable[str] | None) -> tuple[str, ...]:
    """The citation kinds asked for (all when none), or ValueError naming the unknown ones."""
    wanted = tuple(dict.fromkeys(kinds)) if kinds else CITATION_KINDS
    unknown = set(wanted) - set(CITATION_KINDS)
    if unknown:
        raise ValueError(f"unknown citation kind(s) {sorted(unknown)}: choose from {', '.join(CITATION_KINDS)}")
    return wanted


def _registry(registry):
    if registry is None:
        from ..outlets import default_registry
        return default_registry()
    return registry


def build_graph(citations: Iterable[Citation], *, articles: Mapping[str, Article] | None = None,
                registry=None, kinds: Iterable[str] | None = None, min_weight: int = 1,
                self_citations: bool = False, platforms: bool = False, min_confidence: float = 0.0,
                evidence_limit: int = 5, related: bool = False) -> nx.DiGraph:
    """The outlet graph of ``citations``: an edge A -> B when articles of A cite B.

    Parameters
    ----------
    citations : iterable of Citation
    articles : mapping of article URL to Article, optional
        Gives edges their dates and evidence its titles, and nodes their article counts.
    registry : Registry, optional
        Names, kinds and countries of outlets; the shipped registry by default.
    kinds : iterable of str, optional
        Citation kinds to keep (``link``, ``mention``, ``syndication``); all by default.
    min_weight : int
        Drop edges cited by fewer distinct articles.
    self_citations : bool
        Keep an outlet's citations of itself (as self-loops).
    platforms : bool
        Keep platform accounts (``x.com/someone``) and bare platforms as nodes.
    min_confidence : float
        Drop citations of lower confidence.
    evidence_limit : int
        Evidence items kept per edge (the counts always cover all of them).
    related : bool
        Keep links from related-story teasers inside articles (position ``related``).

    Returns
    -------
    networkx.DiGraph
        Nodes carry ``name``, ``kind``, ``country``, ``articles``, ``in_weight``, ``out_weight``;
        edges carry ``weight`` (distinct citing articles), a count per kind (distinct articles),
        ``first_seen``, ``last_seen`` and ``evidence`` (a list of dicts).

    Examples
    --------
    >>> from citegraph.models import Citation
    >>> cs = [Citation("https://a.example/1", "a.example", "reuters.com", "link", "https://reuters.com/x"),
    ...       Citation("https://a.example/2", "a.example", "reuters.com", "mention")]
    >>> g = build_graph(cs)
    >>> g["a.example"]["reuters.com"]["weight"], g["a.example"]["reuters.com"]["mention"]
    (2, 1)
    """
    wanted = set(check_kinds(kinds))
    articles = articles or {}
    by_edge: dict = defaultdict(set)
    by_kind: dict = defaultdict(set)
    evidence: dict = defaultdict(list)
    for c in citations:
        if c.kind not in wanted or c.confidence < min_confidence or not c.source_outlet or not c.target_outlet:
            continue
        if (c.source_outlet == c.target_outlet and not self_citations) or (c.position == "related" and not related):
            continue
        key = (c.source_outlet, c.target_outlet)
        by_edge[key].add(c.article_url)
        by_kind[key + (c.kind,)].add(c.article_url)
        if len(evidence[key]) < evidence_limit:
            art = articles.get(c.article_url)
            evidence[key].append({
                "article_url": c.article_url, "article_title": art.title if art else "",
                "published_at": art.published_at if art else "", "kind": c.kind, "target_url": c.target_url,
                "anchor_text": c.anchor_text, "context": c.context,
            })

    def dates(urls):
        return sorted(d for d in (articles[u].published_at for u in urls if u in articles) if d)

    rows = []
    for (src, dst), urls in by_edge.items():
        d = dates(urls)
        rows.append((src, dst, "", len(urls), d[0] if d else "", d[-1] if d else ""))
    for (src, dst, kind), urls in by_kind.items():
        rows.append((src, dst, kind, len(urls), "", ""))
    per_outlet: dict = defaultdict(int)
    for art in articles.values():
        per_outlet[art.outlet_id] += 1
    return _assemble(rows, ((s, t, e) for (s, t), items in evidence.items() for e in items), per_outlet,
                     _registry(registry), min_weight=min_weight, platforms=platforms)


def graph_from_aggregates(edge_rows: Iterable[tuple], evidence_rows: Iterable[tuple],
                          articles_per_outlet: Mapping[str, int], *, registry=None, min_weight: int = 1,
                          platforms: bool = False) -> nx.DiGraph:
    """The outlet graph from aggregates: ``edge_rows`` are (source, target, kind or '' for all kinds,
    distinct articles, first date, last date); ``evidence_rows`` are (source, target, evidence dict)."""
    return _assemble(edge_rows, evidence_rows, articles_per_outlet, _registry(registry),
                     min_weight=min_weight, platforms=platforms)


def _assemble(edge_rows, evidence_rows, articles_per_outlet, registry, *, min_weight: int,
              platforms: bool) -> nx.DiGraph:
    def keep(src, dst):
        return platforms or not (registry.is_platform(src) or registry.is_platform(dst))

    g = nx.DiGraph()
    per_kind = []
    for src, dst, kind, n, first, last in edge_rows:
        if kind:
            per_kind.append((src, dst, kind, n))
        elif n >= min_weight and keep(src, dst):
            g.add_edge(src, dst, weight=int(n), **dict.fromkeys(CITATION_KINDS, 0), first_seen=first or "",
                       last_seen=last or "", evidence=[])
    for src, dst, kind, n in per_kind:
        if g.has_edge(src, dst):
            g[src][dst][kind] = int(n)
    for src, dst, item in evidence_rows:
        if g.has_edge(src, dst):
            g[src][dst]["evidence"].append(item)
    for node in g.nodes:
        o = registry.outlet(node)
        g.nodes[node].update(name=o.name, kind=o.kind, country=o.country,
                             articles=int(articles_per_outlet.get(node, 0)),
                             in_weight=int(g.in_degree(node, weight="weight")),
                             out_weight=int(g.out_degree(node, weight="weight")))
    return g
