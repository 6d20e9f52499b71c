"""The stages, as library functions: ingest sources into the store, build the graph, write the outputs.

The CLI calls exactly one of these per command.
"""
from __future__ import annotations

import functools
import re
import time
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

import networkx as nx

from . import __version__
from .config import Settings
from .graph.analysis import AnalysisError, resolve_outlet
from .graph.build import check_kinds, graph_from_aggregates
from .graph.metadata import MetadataError, join_metadata, read_outlet_metadata
from .graph.metrics import MetricsError, add_metrics, community_rows, graph_summary, largest_component, top_k
from .graph.io import (ExportError, write_citations_parquet, write_csv, write_edges_csv, write_gexf, write_graphml,
                       write_json, write_nodes_csv)
from .models import CITATION_KINDS, OUTLET_KINDS, FetchRecord, RunStats
from .outlets import NORMALIZER_VERSION, Registry, parse_url, read_outlets_file
from .scrapers.extract import ExtractOptions, ScraperError, extract_article
from .scrapers.profiles import ProfileError, Profiles, load_profiles
from .scrapers.archive import ArchiveError, WarcArchive
from .scrapers.crawl import CrawlOptions, CrawlResult, crawl as run_crawl, parse_seed
from .scrapers.discover import DiscoverError, parse_since
from .scrapers.fetch import USER_AGENT, FetchPolicy, run_sync
from .scrapers.pool import ReaderPool, auto_processes
from .scrapers.sources import RawPage, decode_html, iter_inputs
from .store import Store

__all__ = ["CitegraphError", "IngestResult", "RunOutputs", "crawl", "demo", "fetch_policy", "crawl_options", "split_sources", "open_store", "registry_for", "profiles_for", "read_user_outlets", "ingest",
           "graph_from_store", "export", "render_outputs", "run", "build_outputs", "render_stage", "export_stage",
           "print_stats", "describe_urls", "top_outlets", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("gexf", "graphml", "json", "csv", "nodes", "edges", "parquet")
# The file each format is written to by default, in the output folder.
EXPORT_NAMES = {"gexf": "graph.gexf", "graphml": "graph.graphml", "json": "graph.json", "csv": "citations.csv",
                "nodes": "nodes.csv", "edges": "edges.csv", "parquet": "citations.parquet"}


class CitegraphError(Exception):
    """A failure a person can act on; the CLI prints it and exits non-zero."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    inputs: int
    articles: int
    failures: int
    citations: int


@dataclass(frozen=True, slots=True)
class RunOutputs:
    out_dir: Path
    db: Path
    files: tuple[Path, ...]
    ingest: IngestResult | None
    nodes: int
    edges: int
    crawl: "CrawlResult | None" = None


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def open_store(settings: Settings) -> Store:
    return Store(settings.db_path())


def registry_for(settings: Settings, store: Store | None = None) -> Registry:
    """The shipped registry, plus the outlets kept in the store, plus the user's outlet files."""
    try:
        reg = Registry.load(())
        if store is not None:
            for outlet in store.outlets():
                reg.add(outlet)
        for path in settings.outlets_files:
            for outlet in read_user_outlets(path):
                reg.add(outlet)
    except (OSError, ValueError) as e:
        raise CitegraphError(f"outlet file: {e}") from e
    return reg


def profiles_for(settings: Settings) -> Profiles:
    """The shipped extraction profiles, with the user's profile files and citegraph.toml's tables over them."""
    paths = list(settings.profiles_files)
    if settings.config_file:
        paths.append(settings.config_file)
    try:
        return load_profiles(paths)
    except ProfileError as e:
        raise CitegraphError(f"profiles: {e}") from e


def read_user_outlets(path) -> list:
    """The outlets a user file defines (so the store can keep them for later stages)."""
    try:
        return read_outlets_file(path)
    except (OSError, ValueError) as e:
        raise CitegraphError(f"outlet file: {e}") from e


def _versions() -> dict:
    return {"citegraph": __version__, "normalizer": NORMALIZER_VERSION}


def _progress(enabled: bool, label: str):
    if not enabled:
        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    return Progress(SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[status]}"), TimeElapsedColumn(), transient=True)


def _file_url(page: RawPage, base_url: str) -> str:
    """The fallback URL of a saved HTML file: --base-url, with the file name when it ends in '/'."""
    if not base_url:
        return ""
    if base_url.endswith("/"):
        return base_url + quote(Path(page.source).name)
    return base_url


def _failure(page: RawPage, code: str, detail: str) -> FetchRecord:
    return FetchRecord(url=page.url or page.source, final_url=page.url, status=page.status, error=code,
                       fetched_at=page.fetched_at or _now(), content_type=page.content_type,
                       warc_file=page.warc_file, warc_offset=page.warc_offset, source=page.source, detail=detail)


def ingest(sources: Iterable[str], settings: Settings, *, store: Store | None = None, command: str = "ingest") -> IngestResult:
    """Read every source into the store: one fetch-log row per input, one article per page read.

    Inputs that fail are recorded with a reason code and the run goes on.
    """
    sources = list(sources)
    if not sources:
        raise CitegraphError("no sources given: name HTML files, folders, WARC files or @list.txt files")
    own = store is None
    store = store or open_store(settings)
    try:
        options = _extract_options(store, settings)
        run_id = store.start_run(command, {"sources": sources, **_settings_dict(settings)}, _versions())
        n_inputs = n_articles = n_failures = n_citations = 0
        with _progress(settings.progress, "reading") as bar:
            task = bar.add_task("reading", total=None, status="") if bar else None
            batch = 0
            store.db.execute("BEGIN IMMEDIATE")
            try:
                for item in iter_inputs(sources, max_bytes=settings.max_bytes):
                    n_inputs += 1
                    article = _store_item(store, item, settings, options, run_id)
                    if article is None:
                        n_failures += 1
                    else:
                        n_articles += 1
                        n_citations += len(article.citations)
                    batch += 1
                    if batch >= 500:  # commit in batches: fast, and a killed run keeps what it read
                        store.db.execute("COMMIT")
                        store.db.execute("BEGIN IMMEDIATE")
                        batch = 0
                    if bar:
                        bar.update(task, advance=1, status=f"{n_articles} articles, {n_failures} failed")
                store.db.execute("COMMIT")
            except BaseException:
                # Keep what was read before the failure or Ctrl-C: each row is complete on its own.
                if store.db.in_transaction:
                    store.db.execute("COMMIT")
                raise
        result = IngestResult(n_inputs, n_articles, n_failures, n_citations)
        store.finish_run(run_id, {"inputs": n_inputs, "articles": n_articles, "failures": n_failures,
                                  "citations": n_citations})
        return result
    finally:
        if own:
            store.close()


def _extract_options(store: Store, settings: Settings) -> ExtractOptions:
    """The extraction options of a run: the registry with the user's outlets, and the profiles.

    The user's outlets go into the store first, so later stages know them; the registry then takes them
    from the store rather than reading the files a second time."""
    if settings.outlets_files:
        with store.transaction():
            for path in settings.outlets_files:
                store.save_outlets(read_user_outlets(path))
    reg = registry_for(replace(settings, outlets_files=()), store)
    return ExtractOptions(registry=reg, profiles=profiles_for(settings))


def _store_item(store: Store, item, settings: Settings, options: ExtractOptions, run_id: int):
    """Log one input and store its article; the article, or None when the input failed."""
    if isinstance(item, FetchRecord):
        store.record_fetch(item, run_id)
        return None
    rec, article = _read_page(item, settings, options)
    store.record_fetch(rec, run_id)
    if article is not None:
        store.save_article(article, source=item.source, run_id=run_id)
    return article


def _settings_dict(settings: Settings) -> dict:
    return {k: getattr(settings, k) for k in settings.__slots__}


def _read_page(page: RawPage, settings: Settings, options: ExtractOptions):
    """(fetch record, article or None) for one page."""
    html = decode_html(page.data, page.content_type)
    if not html.strip():
        return _failure(page, "empty", "the page has no text"), None
    try:
        article = extract_article(html, page.url, options=options, fallback_url=_file_url(page, settings.base_url))
    except ScraperError as e:  # the user's scraper failed: the page fails, the run goes on
        return _failure(page, "scraper-error", str(e)), None
    except RecursionError:
        return _failure(page, "too-deep", "the page's markup is nested too deeply to read"), None
    except Exception as e:  # our bug: stop, naming the input
        raise CitegraphError(f"extraction failed on {page.url or page.source}: {type(e).__name__}: {e}") from e
    if not article.url:
        return _failure(page, "no-url", "the page has no canonical link or og:url: give --base-url"), None
    if not article.outlet_id:
        return _failure(page, "bad-url", f"cannot tell the outlet of the page URL {article.url!r}"), None
    if not article.body_chars and not article.citations:
        return _failure(page, "no-body", "the page has no article text"), None
    rec = FetchRecord(url=page.url or page.source, final_url=article.url, status=page.status or 200, error="",
                      fetched_at=page.fetched_at or _now(), content_type=page.content_type,
                      warc_file=page.warc_file, warc_offset=page.warc_offset, source=page.source)
    return rec, article


# Pages a crawl reads in its own process before it starts reading processes: a worker takes about a
# second to start, more than a short crawl spends reading.
READ_HERE_FIRST = 100


def _reader(settings: Settings, options: ExtractOptions) -> ReaderPool:
    """The crawl's page reader: in worker processes once the crawl is long enough (``read_processes``)."""
    processes = auto_processes() if settings.read_processes < 0 else settings.read_processes
    return ReaderPool(functools.partial(_read_page, settings=settings, options=options), _worker_read,
                      _worker_init, (settings, options.registry), _crashed, processes=processes,
                      after=READ_HERE_FIRST)


_WORKER: tuple | None = None  # (settings, extraction options) in a reading process


def _worker_init(settings: Settings, registry: Registry) -> None:
    global _WORKER
    _WORKER = (settings, ExtractOptions(registry=registry, profiles=profiles_for(settings)))


def _worker_read(page: RawPage):
    settings, options = _WORKER
    return _read_page(page, settings, options)


def _crashed(page: RawPage, detail: str):
    return _failure(page, "reader-crashed", detail), None


# -- crawling
def fetch_policy(settings: Settings) -> FetchPolicy:
    """The fetcher's politeness and limits, from the settings."""
    return FetchPolicy(user_agent=settings.user_agent or USER_AGENT, concurrency=max(1, settings.concurrency),
                       per_host=max(1, settings.per_host), delay=max(0.0, settings.delay), robots=settings.robots,
                       retries=max(0, settings.retries), connect_timeout=settings.connect_timeout,
                       read_timeout=settings.timeout, total_timeout=settings.response_timeout,
                       max_redirects=max(0, settings.max_redirects), max_bytes=settings.max_bytes,
                       proxy=settings.proxy)


def crawl_options(settings: Settings) -> CrawlOptions:
    """What to crawl, from the settings; a --since that cannot be read is a CitegraphError."""
    since = None
    if settings.since:
        try:
            since = parse_since(settings.since)
        except DiscoverError as e:
            raise CitegraphError(f"--since {settings.since!r}: {e.detail}") from e
    return CrawlOptions(depth=max(0, settings.depth), max_pages=max(0, settings.max_pages),
                        max_per_outlet=max(0, settings.max_per_outlet), since=since,
                        follow_citations=max(0, settings.follow_citations))


def split_sources(sources: Iterable[str]) -> tuple[list[str], list[str]]:
    """(local sources, web seeds): http(s) URLs, and bare domains that are not existing paths, are seeds."""
    local, web = [], []
    for s in sources:
        if s.lower().startswith(("http://", "https://")):
            web.append(s)
        elif not s.startswith("@") and not Path(s).exists() and not parse_seed(s).error:
            web.append(s)
        else:
            local.append(s)
    return local, web


def crawl(seeds: Iterable[str], settings: Settings, *, store: Store | None = None, command: str = "crawl",
          console=None) -> CrawlResult:
    """Crawl from ``seeds`` into the store, or resume the store's frontier: every response archived in
    WARC files beside the store, every URL tried in the fetch log, every article stored with its citations.

    Ctrl-C stops cleanly: what was fetched is kept, and the same command resumes."""
    seeds = list(seeds)
    policy, options = fetch_policy(settings), crawl_options(settings)
    own = store is None
    store = store or open_store(settings)
    try:
        extract_options = _extract_options(store, settings)
        reg = extract_options.registry
        if not seeds and not store.frontier_counts().get("queued"):
            raise CitegraphError("nothing to crawl: give seeds (URLs or domains), or run where a crawl was left")
        run_id = store.start_run(command, {"seeds": seeds, **_settings_dict(settings)}, _versions())
        archive = WarcArchive(settings.warc_path(), info={
            "robots": "obey" if policy.robots else "ignore", "http-header-user-agent": policy.user_agent})
        read = _reader(settings, extract_options)
        display = _CrawlDisplay(settings.progress, console)
        try:
            with display:
                result = run_sync(run_crawl(seeds, store, reg, read, policy=policy, options=options,
                                               archive=archive, run_id=run_id, on_progress=display.update))
        except ArchiveError as e:
            raise CitegraphError(f"{e}; free some space and run the same command again to resume") from e
        except KeyboardInterrupt:
            read.close(wait=False)  # a worker stuck on a page must not hold up the stop
            left = store.frontier_counts().get("queued", 0)
            p = display.last
            result = CrawlResult(fetched=p.fetched if p else 0, articles=p.articles if p else 0,
                                 failures=tuple(p.failures.most_common()) if p else (), queued=left, stopped=True,
                                 limited=False, warc_files=tuple(str(f) for f in archive.files),
                                 deferred=p.deferred if p else 0)
        finally:
            read.close()
            archive.close()
        if read.unavailable:
            _warn(f"pages were read in the crawling process: {read.unavailable}")
        store.finish_run(run_id, {"fetched": result.fetched, "articles": result.articles, "queued": result.queued,
                                  "stopped": result.stopped, "failures": dict(result.failures),
                                  "read_in_workers": read.read_remotely, "reader_crashes": read.crashes})
        return result
    finally:
        if own:
            store.close()


class _CrawlDisplay:
    """A live view of the crawl: pages fetched, queued, per outlet, failures by reason."""

    def __init__(self, enabled: bool, console=None) -> None:
        self.enabled = enabled
        self.console = console
        self.live = None
        self.last = None
        self._shown = 0.0

    def __enter__(self):
        if self.enabled:
            from rich.live import Live
            self.live = Live(console=self.console, refresh_per_second=4, transient=True)
            self.live.__enter__()
        return self

    def __exit__(self, *exc):
        if self.live is not None:
            self.live.__exit__(*exc)

    def update(self, progress) -> None:
        self.last = progress
        now = time.monotonic()
        if self.live is None or now - self._shown < 0.25:
            return
        self._shown = now
        from rich.table import Table
        table = Table.grid(padding=(0, 2))
        table.add_row("fetched", f"{progress.fetched}", "articles", f"{progress.articles}",
                      "queued", f"{progress.queued}", "in flight", f"{progress.in_flight}",
                      "rate", f"{progress.rate:.1f}/s")
        if progress.failures:
            table.add_row("failed", ", ".join(f"{k} {v}" for k, v in progress.failures.most_common(6)))
        if progress.by_outlet:
            table.add_row("outlets", ", ".join(f"{k} {v}" for k, v in progress.by_outlet.most_common(6)))
        self.live.update(table)


def graph_from_store(store: Store, settings: Settings, *, window: tuple[str, str] | None = None,
                     run_id: int | None = None, strict: bool = False) -> nx.DiGraph:
    """The outlet graph of the store, with the settings' filters: citations aggregated in SQLite (they
    never sit in memory as Python objects), then outlets selected, metadata joined, metrics and
    communities computed on the filtered graph, and the top outlets kept.

    ``window`` (from, until) replaces the settings' date window; ``run_id`` keeps the articles one run
    read. With ``strict``, a graph with no edge is a CitegraphError that says why."""
    reg = registry_for(settings, store)
    filters = _citation_filters(settings, window, run_id)
    date_from, date_until = filters["date_from"], filters["date_until"]
    g = graph_from_aggregates(store.edge_counts(**filters),
                              store.edge_evidence(limit=settings.evidence_limit, **filters),
                              store.articles_per_outlet(date_from=date_from, date_until=date_until, run_id=run_id),
                              registry=reg, min_weight=settings.min_weight, platforms=settings.platforms)
    g = _selected_outlets(g, settings, reg)
    if settings.outlet_metadata:
        g = _with_metadata(g, settings.outlet_metadata, reg)
    if settings.largest_component and g.number_of_nodes():
        g = largest_component(g)
    try:
        g = add_metrics(g, method=settings.communities, seed=settings.seed)
        if 0 < settings.top < g.number_of_nodes():
            total_outlets, total_edges = g.number_of_nodes(), g.number_of_edges()
            g = top_k(g, settings.top_by, settings.top)
            g.graph.update(total_outlets=total_outlets, total_edges=total_edges)  # "showing K of N outlets"
    except MetricsError as e:
        raise CitegraphError(e.detail) from e
    g.graph.update(normalizer=NORMALIZER_VERSION, citegraph=__version__, date_from=date_from, date_until=date_until)
    if strict and not g.number_of_edges():
        raise CitegraphError(_why_empty(store, settings, date_from, date_until, run_id))
    return g


def _citation_filters(settings: Settings, window: tuple[str, str] | None = None, run_id: int | None = None) -> dict:
    """The citation-level filters of the settings, as the store's queries take them."""
    try:
        kinds = check_kinds(settings.kinds)
    except ValueError as e:
        raise CitegraphError(str(e)) from e
    date_from, date_until = window or (_date_bound(settings.date_from, "--from"), _date_bound(settings.date_until, "--until"))
    return {"kinds": kinds, "min_confidence": settings.min_confidence, "self_citations": settings.self_citations,
            "related": settings.related, "date_from": date_from, "date_until": date_until, "run_id": run_id}


def citation_timeline(store: Store, g: nx.DiGraph, settings: Settings) -> list[tuple[str, str, int]]:
    """(YYYY-MM, kind, citations) of the citations behind the edges of ``g`` (built from ``store`` with
    ``settings``): the same filters, and only the outlets and edges the graph kept."""
    return _by_month(store, g, settings)[0]


def edge_months(store: Store, g: nx.DiGraph, settings: Settings) -> dict:
    """``{(source, target): {"YYYY-MM": {kind: citing articles}}}`` for the edges of ``g``: what the
    network page's date filter needs."""
    return _by_month(store, g, settings)[1]


def _by_month(store: Store, g: nx.DiGraph, settings: Settings) -> tuple[list, dict]:
    """:func:`citation_timeline` and :func:`edge_months` from one pass over the store."""
    window = (g.graph.get("date_from", ""), g.graph.get("date_until", ""))
    totals: dict[tuple[str, str], int] = {}
    per_edge: dict = {}
    for month, source, target, kind, n, articles in store.citations_per_month(**_citation_filters(settings, window)):
        if g.has_edge(source, target):
            totals[month, kind] = totals.get((month, kind), 0) + n
            per_edge.setdefault((source, target), {}).setdefault(month, {})[kind] = articles
    return [(month, kind, n) for (month, kind), n in sorted(totals.items())], per_edge


_DATE_BOUND = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _date_bound(text: str, flag: str) -> str:
    text = (text or "").strip()
    if text and not _DATE_BOUND.match(text):
        raise CitegraphError(f"{flag} {text!r}: give a date like 2024-05-17, a month like 2024-05 or a year like 2024")
    return text


def _selected_outlets(g: nx.DiGraph, settings: Settings, reg: Registry) -> nx.DiGraph:
    """The outlets kept by --only-outlet, --drop-outlet, --only-outlet-kind and --drop-outlet-kind."""
    if not (settings.only_outlets or settings.drop_outlets or settings.only_outlet_kinds or settings.drop_outlet_kinds):
        return g
    for kind in (*settings.only_outlet_kinds, *settings.drop_outlet_kinds):
        if kind not in OUTLET_KINDS:
            raise CitegraphError(f"unknown outlet kind {kind!r}: choose from {', '.join(OUTLET_KINDS)}")
    keep = set(g.nodes)
    if settings.only_outlets:
        keep = {_outlet_in(g, o, reg) for o in settings.only_outlets}
    keep -= {_outlet_in(g, o, reg) for o in settings.drop_outlets}
    if settings.only_outlet_kinds:
        keep = {n for n in keep if g.nodes[n].get("kind") in settings.only_outlet_kinds}
    keep = {n for n in keep if g.nodes[n].get("kind") not in settings.drop_outlet_kinds}
    return g.subgraph(keep).copy()


def _outlet_in(g: nx.DiGraph, text: str, reg: Registry) -> str:
    """The node a user means by ``text`` (id, name, URL or host), or a CitegraphError with the nearest names."""
    try:
        return resolve_outlet(g, text, registry=reg)
    except AnalysisError as e:
        raise CitegraphError(e.detail) from e


def _with_metadata(g: nx.DiGraph, path: str, reg: Registry) -> nx.DiGraph:
    try:
        meta = read_outlet_metadata(path, registry=reg)
    except MetadataError as e:
        raise CitegraphError(f"--outlet-metadata {path}: {e.detail}") from e
    for problem in meta.problems[:20]:  # a person can fix these: say them, and go on
        _warn(f"{path}, line {problem.line}: {problem.code}: {problem.detail}")
    if len(meta.problems) > 20:
        _warn(f"{path}: {len(meta.problems) - 20} more problems")
    joined, counts = join_metadata(g, meta)
    joined.graph["outlet_metadata"] = str(path)
    joined.graph["metadata_columns"] = ",".join(meta.columns)
    if not counts.get("matched") and g.number_of_nodes():
        _warn(f"{path}: no row matches an outlet of the graph ({counts.get('unmatched_rows', 0)} rows)")
    return joined


def _warn(message: str) -> None:
    import click
    click.echo(f"warning: {message}", err=True)


def _why_empty(store: Store, settings: Settings, date_from: str, date_until: str, run_id) -> str:
    """Why a graph came out with no edge, in words a person can act on."""
    counts = store.counts()
    if not counts["articles"]:
        return (f"the store {settings.db_path()} holds no articles yet: read some with `citegraph ingest` or "
                "`citegraph crawl` first")
    if date_from or date_until:
        first, last = store.date_range()
        if not store.articles_per_outlet(date_from=date_from, date_until=date_until, run_id=run_id):
            span = f"{date_from or 'the start'} to {date_until or 'the end'}"
            held = f"from {first} to {last}" if first else "no dated article"
            return f"no article in the store was published from {span}; the store holds {held}"
    if run_id is not None and not store.articles_per_outlet(run_id=run_id):
        return f"run {run_id} stored no articles; runs in the store: {', '.join(map(str, store.run_ids()))}"
    if not counts["citations"]:
        return "the store's articles cite no outlet: there is no edge to draw"
    used = [f"--kind {' '.join(settings.kinds)}" if set(settings.kinds) != set(CITATION_KINDS) else "",
            f"--min-weight {settings.min_weight}" if settings.min_weight > 1 else "",
            f"--min-confidence {settings.min_confidence}" if settings.min_confidence else "",
            "self-citations off" if not settings.self_citations else "", "platforms off" if not settings.platforms else "",
            "--only-outlet ..." if settings.only_outlets else "", "--drop-outlet ..." if settings.drop_outlets else "",
            "--only-outlet-kind ..." if settings.only_outlet_kinds else "",
            "--drop-outlet-kind ..." if settings.drop_outlet_kinds else "",
            f"--top {settings.top}" if settings.top else "", "--largest-component" if settings.largest_component else ""]
    return (f"no edge is left after the filters ({', '.join(u for u in used if u)}); the store holds "
            f"{counts['citations']} citations in {counts['articles']} articles")


def export(store: Store, settings: Settings, fmt: str, path, graph: nx.DiGraph | None = None) -> Path:
    """Write the graph (gexf, graphml, json, nodes, edges) or the citations table (csv, parquet) to ``path``."""
    writers = {"gexf": write_gexf, "graphml": write_graphml, "json": write_json, "nodes": write_nodes_csv,
               "edges": write_edges_csv}
    if fmt not in writers and fmt not in ("csv", "parquet"):
        raise CitegraphError(f"unknown export format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
    try:
        if fmt == "csv":
            return write_csv(store.citations(), path)
        if fmt == "parquet":
            return write_citations_parquet(store.citations(), path)
        return writers[fmt](graph if graph is not None else graph_from_store(store, settings, strict=True), path)
    except ExportError as e:
        raise CitegraphError(f"cannot write {path}: {e.detail}") from e


def render_outputs(store: Store, settings: Settings, out_dir, *, graph: nx.DiGraph | None = None,
                   network: bool = True, report: bool = True) -> list[Path]:
    """network.html and report.html for the store's graph; the report embeds the same network page, so it
    is one self-contained file too."""
    from .render import network_html, render_report
    from .render.network import RenderError, write_page

    g = graph if graph is not None else graph_from_store(store, settings)
    out_dir = Path(out_dir)
    files = []
    _check_styling(g, settings)
    timeline, months = _by_month(store, g, settings)
    try:
        page = network_html(g, physics_max_nodes=settings.physics_max_nodes, layout=settings.layout,
                            seed=settings.seed, edge_months=months, size_by=settings.size_by,
                            color_by=settings.color_by)
    except RenderError as e:
        raise CitegraphError(f"network.html: {e}") from e
    if network:
        files.append(write_page(page, out_dir / "network.html"))
    if report:
        try:
            files.append(render_report(g, store.run_stats(), out_dir / "report.html", network_page=page,
                                       network_href="network.html" if network else "",
                                       timeline=timeline))
        except RenderError as e:
            raise CitegraphError(f"report.html: {e}") from e
    return files


def _check_styling(g: nx.DiGraph, settings: Settings) -> None:
    """--size-by and --color-by must name what the graph's outlets carry (a typo would draw a grey graph)."""
    import difflib

    if not g.number_of_nodes():
        return
    numeric = {k for _n, a in g.nodes(data=True) for k, v in a.items()
               if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in ("x", "y")}
    from .graph.metadata import RESERVED_COLUMNS

    named = {"kind", "country"} | {k for _n, a in g.nodes(data=True) for k in a
                                   if k == "community" or k not in RESERVED_COLUMNS}
    for flag, value, allowed in (("--size-by", settings.size_by, numeric), ("--color-by", settings.color_by, named)):
        if value not in allowed:
            near = difflib.get_close_matches(value, sorted(allowed), n=3)
            raise CitegraphError(f"{flag} {value!r}: the outlets have no such {'number' if flag == '--size-by' else 'attribute'}"
                                 f"{'; did you mean ' + ', '.join(near) + '?' if near else ''} "
                                 f"(choose from {', '.join(sorted(allowed))})")


def run(sources: Iterable[str], settings: Settings) -> RunOutputs:
    """Everything: crawl the web sources (URLs, domains), ingest the local ones (files, folders, WARCs,
    @lists), build the graph, write citations.csv, graph files, network and report."""
    local, web = split_sources(sources)
    crawled = result = None
    with open_store(settings) as store:
        if web:
            crawled = crawl(web, settings, store=store, command="run")
        if local or not web:
            result = ingest(local, settings, store=store, command="run")
        return _all_outputs(store, settings, result, crawled)


def _all_outputs(store: Store, settings: Settings, ingested, crawled) -> RunOutputs:
    out_dir = Path(settings.output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    g = graph_from_store(store, settings)
    files = [export(store, settings, fmt, out_dir / EXPORT_NAMES[fmt], g)
             for fmt in ("csv", "gexf", "graphml", "json", "nodes", "edges")]
    files += render_outputs(store, settings, out_dir, graph=g)
    return RunOutputs(out_dir=out_dir, db=settings.db_path(), files=tuple(files), ingest=ingested,
                      nodes=g.number_of_nodes(), edges=g.number_of_edges(), crawl=crawled)


def demo(settings: Settings, *, n_pages: int = 120, n_outlets: int = 12, seed: int = 0) -> RunOutputs:
    """The sample web served on 127.0.0.1, crawled live through its proxy address, then every output.

    The sample is also written as files under OUTPUT/sample (HTML pages, a WARC, the outlets file and
    the expected citations), to try ``run`` and ``ingest`` on. Run again, the crawl finds its work done
    and the outputs come out the same."""
    from .sample import write_sample
    from .sample_web import SampleWeb

    files = write_sample(Path(settings.output_dir) / "sample", n_pages=n_pages, n_outlets=n_outlets, seed=seed)
    settings = replace(settings, outlets_files=settings.outlets_files + (str(files.outlets),))
    with SampleWeb(n_pages=n_pages, n_outlets=n_outlets, seed=seed) as web:
        with open_store(settings) as store:
            crawled = crawl(web.seeds, replace(settings, proxy=web.proxy_url), store=store, command="demo")
            return _all_outputs(store, settings, None, crawled)


def build_outputs(settings: Settings) -> tuple[Path, nx.DiGraph]:
    """``build``: the graph of the store, written as graph.json in the output folder."""
    with _existing_store(settings) as store:
        g = graph_from_store(store, settings, strict=True)
        return export(store, settings, "json", Path(settings.output_dir) / "graph.json", g), g


def render_stage(settings: Settings, *, network: bool, report: bool) -> list[Path]:
    """``render`` / ``report``: the HTML views of the store's graph."""
    with _existing_store(settings) as store:
        g = graph_from_store(store, settings, strict=True)
        return render_outputs(store, settings, settings.output_dir, graph=g, network=network, report=report)


def markdown_stage(settings: Settings) -> Path:
    """``report --format md``: the report as Markdown, in OUTPUT/report.md."""
    from .render.markdown import render_markdown

    with _existing_store(settings) as store:
        g = graph_from_store(store, settings, strict=True)
        return render_markdown(g, store.run_stats(), Path(settings.output_dir) / "report.md",
                               timeline=citation_timeline(store, g, settings))


def export_stage(settings: Settings, fmt: str, target=None) -> Path:
    """``export``: one format to ``target`` (default: its name in EXPORT_NAMES, in the output folder)."""
    with _existing_store(settings) as store:
        return export(store, settings, fmt, target or Path(settings.output_dir) / EXPORT_NAMES.get(fmt, fmt))


def existing_store(settings: Settings) -> Store:
    """The settings' store, which must exist (a CitegraphError says how to make one)."""
    return _existing_store(settings)


def _existing_store(settings: Settings) -> Store:
    path = settings.db_path()
    if not path.exists():
        raise CitegraphError(f"no store at {path}: run `citegraph ingest SOURCES --db {path}` first")
    return Store(path)


def top_outlets(g: nx.DiGraph, attribute: str, n: int) -> list[tuple[str, dict]]:
    """The ``n`` nodes with the highest ``attribute``, heaviest first, ties by id."""
    return sorted(g.nodes(data=True), key=lambda item: (-item[1].get(attribute, 0), item[0]))[:n]


def print_stats(settings: Settings, *, rows: int = 15, console=None) -> RunStats:
    """``stats``: counts, failures by reason code, the graph's shape and communities, and the top outlets
    by each metric, as tables."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    with _existing_store(settings) as store:
        st = store.run_stats()
        if not st.articles and not st.inputs:
            raise CitegraphError(f"the store {settings.db_path()} is empty: read articles with `citegraph ingest` "
                                 "or `citegraph crawl` first")
        g = graph_from_store(store, settings)
    shape = graph_summary(g)
    summary = Table(title="store", show_header=False)
    for label, value in (("inputs tried", st.inputs), ("articles", st.articles), ("outlets", st.outlets),
                         *((f"citations: {k}", n) for k, n in st.citations_by_kind),
                         ("self-citations (left out of the graph)", st.self_citations),
                         ("graph", f"{g.number_of_nodes()} outlets, {g.number_of_edges()} edges"),
                         ("reciprocity (share of edges returned)", f"{shape.get('reciprocity', 0):.3f}"),
                         ("communities", f"{g.graph.get('communities', 0)} ({g.graph.get('community_method', '')}, "
                                         f"modularity {g.graph.get('modularity', 0):.3f})")):
        summary.add_row(label, str(value))
    console.print(summary)
    if st.failures_by_reason:
        failures = Table(title="failures by reason")
        failures.add_column("reason")
        failures.add_column("inputs", justify="right")
        for code, n in st.failures_by_reason:
            failures.add_row(code, str(n))
        console.print(failures)
    if not g.number_of_nodes():
        console.print("no outlet is left in the graph after the filters")
        return st
    for metric, title in _STATS_TABLES:
        table = Table(title=title)
        for col in ("outlet", "name", "kind", metric.replace("_", " "), "community"):
            table.add_column(col, justify="right" if col in (metric.replace("_", " "), "community") else "left")
        for node, data in top_outlets(g, metric, rows):
            value = data.get(metric, 0)
            table.add_row(node, data.get("name", ""), data.get("kind", ""),
                          f"{value:.4f}" if isinstance(value, float) else str(value), str(data.get("community", "")))
        console.print(table)
    console.print(_communities_table(g, rows))
    return st


_STATS_TABLES = (("in_weight", "most cited (weighted in-degree)"), ("out_weight", "most citing (weighted out-degree)"),
                 ("pagerank", "PageRank"), ("authority", "authorities (HITS)"), ("hub", "hubs (HITS)"),
                 ("betweenness", "bridges (betweenness)"))


def _communities_table(g: nx.DiGraph, rows: int):
    from rich.table import Table

    table = Table(title="communities")
    for col in ("community", "outlets", "inside share", "largest members"):
        table.add_column(col)
    for row in community_rows(g)[:rows]:
        share = row["inside_share"]
        table.add_row(str(row["community"]), str(row["size"]), "-" if share is None else f"{share:.2f}",
                      ", ".join(row["members"][:6]))
    return table


def describe_urls(urls: Iterable[str], settings: Settings) -> list[tuple[str, ...]]:
    """``outlets``: (input, normal form, outlet id, name, kind) for each URL; an error code for unusable ones."""
    reg = registry_for(settings)
    rows = []
    for url in urls:
        parsed = parse_url(url)
        if not parsed.url:
            rows.append((url, "", "", f"error: {parsed.error or 'bad-url'}", ""))
            continue
        oid = reg.outlet_of(parsed.url)
        o = reg.outlet(oid) if oid else None
        rows.append((url, parsed.url, oid, o.name if o else "", o.kind if o else ""))
    return rows
