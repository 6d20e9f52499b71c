"""The outlet graph: build it from citations, measure it, write it out."""
from .build import build_graph
from .io import write_csv, write_gexf, write_graphml, write_json

__all__ = ["build_graph", "write_gexf", "write_graphml", "write_json", "write_csv"]
