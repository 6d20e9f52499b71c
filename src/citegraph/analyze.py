"""The questions researchers ask of the outlet graph, as stages the CLI calls: time slices, an outlet's
neighbourhood, citation paths, and comparisons of two runs, stores or periods.

Each stage reads the store, builds the graph with the settings' filters (``pipeline.graph_from_store``),
asks :mod:`citegraph.graph.analysis`, writes its files in the output folder and returns plain data for
the CLI to print.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from .config import Settings
from .graph.analysis import AnalysisError, compare, ego, ego_table, metrics_over_time, paths, period_of, \
    periods_between
from .graph.io import write_gexf, write_json
from .pipeline import CitegraphError, _date_bound, existing_store, graph_from_store
from .store import Store

__all__ = ["SliceResult", "build_slices", "ego_stage", "path_stage", "compare_stage", "period_window", "SLICE_METRICS"]

SLICE_METRICS = ("in_weight", "out_weight", "pagerank", "hub", "authority", "community")


@dataclass(frozen=True, slots=True)
class SliceResult:
    periods: tuple[str, ...]  # every period from the first dated article to the last
    files: tuple[Path, ...]
    empty: tuple[str, ...]  # periods with no edge (no graph file)


def period_window(period: str) -> tuple[str, str]:
    """The (from, until) date bounds of a period label: '2024-05', '2024-Q2' or '2024'."""
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if m:
        year, q = m.group(1), int(m.group(2))
        return f"{year}-{3 * q - 2:02d}", f"{year}-{3 * q:02d}"
    if re.fullmatch(r"\d{4}(?:-\d{2})?", period):
        return period, period
    raise CitegraphError(f"{period!r} is not a period: give 2024, 2024-05 or 2024-Q2")


def build_slices(settings: Settings, by: str) -> SliceResult:
    """One graph per month, quarter or year (GEXF and JSON in OUTPUT/slices/), and a table of per-outlet
    metrics over time (OUTPUT/slices/metrics-over-time.csv)."""
    if by not in ("month", "quarter", "year"):
        raise CitegraphError(f"--by {by!r}: choose month, quarter or year")
    with existing_store(settings) as store:
        first, last = store.date_range()
        if not first:
            raise CitegraphError("no article in the store has a publication date: there is nothing to slice by "
                                 f"{by}")
        date_from, date_until = _date_bound(settings.date_from, "--from"), _date_bound(settings.date_until, "--until")
        first = max(first, _day(date_from, end=False)) if date_from else first
        last = min(last, _day(date_until, end=True)) if date_until else last
        folder = Path(settings.output_dir) / "slices"
        graphs: dict[str, nx.DiGraph] = {}
        files, empty = [], []
        periods = periods_between(period_of(first, by), period_of(last, by), by) if first <= last else []
        for period in periods:
            g = graph_from_store(store, settings, window=_narrowed(period_window(period), date_from, date_until))
            if not g.number_of_edges():
                empty.append(period)
                continue
            graphs[period] = g
            files += [write_gexf(g, folder / f"graph-{period}.gexf"), write_json(g, folder / f"graph-{period}.json")]
    if not graphs:
        raise CitegraphError(f"no {by} from {first} to {last} has an edge left after the filters")
    rows = metrics_over_time(graphs, SLICE_METRICS)
    table = folder / "metrics-over-time.csv"
    with open(table, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["period", "outlet", "name", *SLICE_METRICS], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return SliceResult(tuple(periods), (*files, table), tuple(empty))


def _day(bound: str, *, end: bool) -> str:
    """A date bound (2024, 2024-05, 2024-05-17) as the first or last day it covers, for comparisons."""
    if len(bound) == 4:
        return f"{bound}-12-31" if end else f"{bound}-01-01"
    if len(bound) == 7:
        return f"{bound}-31" if end else f"{bound}-01"  # "-31" compares after every day of any month
    return bound


def _narrowed(window: tuple[str, str], date_from: str, date_until: str) -> tuple[str, str]:
    """A period's window inside the user's --from/--until."""
    start, end = window
    if date_from and _day(date_from, end=False) > _day(start, end=False):
        start = date_from
    if date_until and _day(date_until, end=True) < _day(end, end=True):
        end = date_until
    return start, end


def _asked(g: nx.DiGraph, call):
    try:
        return call()
    except AnalysisError as e:  # its detail names what was asked and the nearest names
        raise CitegraphError(e.detail) from e


def ego_stage(settings: Settings, outlet: str, *, radius: int = 1) -> tuple[dict, tuple[Path, ...]]:
    """An outlet's neighbourhood: its table (who it cites, who cites it, with evidence counts) and its
    graph written as OUTPUT/ego-<outlet>.gexf and .json."""
    with existing_store(settings) as store:
        g = graph_from_store(store, settings, strict=True)
    table = _asked(g, lambda: ego_table(g, outlet))
    sub = _asked(g, lambda: ego(g, table["outlet"], radius=radius))
    stem = Path(settings.output_dir) / f"ego-{_slug(table['outlet'])}"
    return table, (write_gexf(sub, stem.with_suffix(".gexf")), write_json(sub, stem.with_suffix(".json")))


def path_stage(settings: Settings, source: str, target: str, *, k: int = 3, max_hops: int = 6) -> dict:
    """The citation chains from one outlet to another: the shortest and the strongest, with evidence."""
    with existing_store(settings) as store:
        g = graph_from_store(store, settings, strict=True)
    return _asked(g, lambda: paths(g, source, target, k=k, max_hops=max_hops))


def compare_stage(settings: Settings, a: str, b: str, *, min_change: float = 0.0) -> tuple[dict, tuple[Path, ...]]:
    """What changed from A to B, each a store file, a run id of the store ('3' or 'run:3') or a period
    ('2024', '2024-05', '2024-Q2', or 'FROM..UNTIL'): a table, and a graph whose edges say how they changed
    (OUTPUT/compare.gexf and .json)."""
    g_a, g_b = _graph_of(settings, a), _graph_of(settings, b)
    if not g_a.number_of_nodes() and not g_b.number_of_nodes():
        raise CitegraphError(f"neither {a!r} nor {b!r} has any outlet left after the filters")
    diff, summary = compare(g_a, g_b, min_change=min_change)
    summary["a"], summary["b"] = a, b
    stem = Path(settings.output_dir) / "compare"
    return summary, (write_gexf(diff, stem.with_suffix(".gexf")), write_json(diff, stem.with_suffix(".json")))


def _graph_of(settings: Settings, spec: str) -> nx.DiGraph:
    """The graph a comparison side names: a store, a run of the settings' store, or a period of it."""
    path = Path(spec)
    if path.suffix in (".db", ".sqlite", ".sqlite3") or path.is_file():
        if not path.is_file():
            raise CitegraphError(f"no store at {spec}")
        with Store(path) as store:
            return graph_from_store(store, settings)
    # "3" or "run:3" is a run; four digits from 1900 to 2099 are a year ("run:2024" for the run)
    m = re.fullmatch(r"run:(\d+)", spec) or (None if re.fullmatch(r"(?:19|20)\d\d", spec) else re.fullmatch(r"(\d+)", spec))
    with existing_store(settings) as store:
        if m:
            run_id = int(m.group(1))
            if run_id not in store.run_ids():
                raise CitegraphError(f"the store has no run {run_id}; its runs: "
                                     f"{', '.join(map(str, store.run_ids())) or 'none'}")
            return graph_from_store(store, settings, run_id=run_id)
        return graph_from_store(store, settings, window=_window_of(spec))


def _window_of(spec: str) -> tuple[str, str]:
    if ".." in spec:
        start, _, end = spec.partition("..")
        for part in (start, end):
            if part and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", part):
                raise CitegraphError(f"{spec!r}: give dates like 2024-01-01..2024-03-31")
        return start, end
    try:
        return period_window(spec)
    except CitegraphError:
        raise CitegraphError(f"{spec!r} is neither a store file, a run id (3 or run:3) nor a period "
                             "(2024, 2024-05, 2024-Q2, 2024-01-01..2024-03-31)") from None


def _slug(outlet_id: str) -> str:
    return re.sub(r"[^a-z0-9.-]+", "_", outlet_id.lower()).strip("_")[:80] or "outlet"
