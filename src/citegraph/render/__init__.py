"""Rendering: the interactive network page and the HTML report.

Both are self-contained HTML files that work offline from ``file://``; every string from the
web is escaped before it reaches a page.
"""
from citegraph.render.network import KIND_COLORS, RenderError, network_html, render_network, safe_href
from citegraph.render.report import render_report, report_html

__all__ = [
    "KIND_COLORS",
    "RenderError",
    "network_html",
    "render_network",
    "render_report",
    "report_html",
    "safe_href",
]
