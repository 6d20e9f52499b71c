"""citegraph: who cites whom among news outlets.

>>> import citegraph
>>> citegraph.outlet_of("https://www.reuters.com/world/some-story?utm_source=x")
'reuters.com'
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "extract_article", "outlet_of", "normalize_url", "build_graph", "Article", "Citation",
           "Outlet", "FetchRecord", "Store"]

_LAZY = {
    "extract_article": ("citegraph.scrapers.extract", "extract_article"),
    "outlet_of": ("citegraph.outlets", "outlet_of"),
    "normalize_url": ("citegraph.outlets", "normalize_url"),
    "build_graph": ("citegraph.graph.build", "build_graph"),
    "Article": ("citegraph.models", "Article"),
    "Citation": ("citegraph.models", "Citation"),
    "Outlet": ("citegraph.models", "Outlet"),
    "FetchRecord": ("citegraph.models", "FetchRecord"),
    "Store": ("citegraph.store", "Store"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'citegraph' has no attribute {name!r}")
