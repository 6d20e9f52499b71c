"""Write the outlet graph for Gephi (GEXF), igraph/Cytoscape (GraphML), JSON and CSV tools."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable

import networkx as nx

from ..models import Citation

__all__ = ["CITATIONS_HEADER", "scalar_copy", "write_gexf", "write_graphml", "write_json", "write_csv"]

CITATIONS_HEADER = ("article_url", "source_outlet", "target_outlet", "kind", "target_url", "anchor_text",
                    "context", "confidence")


def scalar_copy(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` with only str/int/float/bool attributes (GEXF and GraphML hold no lists).

    Each edge keeps ``evidence_count`` in place of its evidence list.
    """
    out = nx.DiGraph()
    out.graph.update({k: v for k, v in g.graph.items() if isinstance(v, (str, int, float, bool))})
    for n, data in g.nodes(data=True):
        out.add_node(n, **{k: v for k, v in data.items() if isinstance(v, (str, int, float, bool))})
    for u, v, data in g.edges(data=True):
        attrs = {k: x for k, x in data.items() if isinstance(x, (str, int, float, bool))}
        attrs["evidence_count"] = len(data.get("evidence", ()))
        out.add_edge(u, v, **attrs)
    return out


def _target(path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_gexf(g: nx.DiGraph, path) -> Path:
    """GEXF for Gephi: node and edge attributes become typed columns."""
    path = _target(path)
    nx.write_gexf(scalar_copy(g), path)
    return path


def write_graphml(g: nx.DiGraph, path) -> Path:
    """GraphML, which networkx, igraph and Cytoscape read."""
    path = _target(path)
    nx.write_graphml(scalar_copy(g), path)
    return path


def write_json(g: nx.DiGraph, path) -> Path:
    """networkx node-link JSON, evidence included (``networkx.node_link_graph(data, edges="links")``)."""
    path = _target(path)
    data = nx.node_link_data(g, edges="links")
    with open(path, "w", encoding="utf8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)  # streamed: no second copy of a large graph as one string
    return path


def write_csv(citations: Iterable[Citation], path) -> Path:
    """One row per citation, with the header in ``CITATIONS_HEADER``."""
    path = _target(path)
    with open(path, "w", newline="", encoding="utf8") as f:
        w = csv.writer(f)
        w.writerow(CITATIONS_HEADER)
        for c in citations:
            w.writerow([getattr(c, k) for k in CITATIONS_HEADER])
    return path
