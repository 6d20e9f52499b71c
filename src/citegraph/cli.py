"""The command line: each command parses its options and calls one library function."""
from __future__ import annotations

import functools
from pathlib import Path

import click

from . import __version__
from .config import SETTINGS_HELP, ConfigError, load_settings

EPILOG_WIDTH = 100


def _settings(**flags):
    try:
        return load_settings(flags)
    except ConfigError as e:
        raise click.ClickException(str(e)) from e


def _library_errors(fn):
    """Library failures a person can act on become clean CLI errors."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .pipeline import CitegraphError
        from .store import StoreError
        try:
            return fn(*args, **kwargs)
        except (CitegraphError, StoreError, ConfigError) as e:
            raise click.ClickException(str(e)) from e
    return wrapper


def store_options(fn):
    """--db, -o and --outlets: where the store and outputs live, and extra outlets."""
    fn = click.option("--outlets", "outlets_files", multiple=True, type=click.Path(dir_okay=False),
                      help=SETTINGS_HELP["outlets_files"] + " Repeatable.")(fn)
    fn = click.option("--db", default=None, type=click.Path(dir_okay=False), help=SETTINGS_HELP["db"])(fn)
    fn = click.option("-o", "--output-dir", default=None, type=click.Path(file_okay=False),
                      help=SETTINGS_HELP["output_dir"] + " [default: output]")(fn)
    fn = click.option("--progress/--no-progress", default=None, help=SETTINGS_HELP["progress"])(fn)
    return fn


def graph_options(fn):
    """The filters that decide which citations make edges."""
    fn = click.option("--kind", "kinds", multiple=True, type=click.Choice(["link", "mention", "syndication"]),
                      help=SETTINGS_HELP["kinds"] + " Repeatable; all by default.")(fn)
    fn = click.option("--min-weight", type=int, default=None, help=SETTINGS_HELP["min_weight"] + " [default: 1]")(fn)
    fn = click.option("--min-confidence", type=float, default=None, help=SETTINGS_HELP["min_confidence"])(fn)
    fn = click.option("--self-citations/--no-self-citations", default=None,
                      help=SETTINGS_HELP["self_citations"] + " [default: off]")(fn)
    fn = click.option("--related/--no-related", default=None,
                      help=SETTINGS_HELP["related"] + " [default: off]")(fn)
    fn = click.option("--platforms/--no-platforms", default=None,
                      help=SETTINGS_HELP["platforms"] + " [default: off]")(fn)
    return fn


def source_options(fn):
    fn = click.option("--profiles", "profiles_files", multiple=True, type=click.Path(dir_okay=False),
                      help=SETTINGS_HELP["profiles_files"] + " Repeatable.")(fn)
    fn = click.option("--base-url", default=None, help=SETTINGS_HELP["base_url"])(fn)
    fn = click.option("--max-bytes", type=int, default=None,
                      help=SETTINGS_HELP["max_bytes"] + " [default: 20000000]")(fn)
    return fn


def crawl_options(fn):
    """Where and how far to crawl, and how politely."""
    for name, flag, kind, default in reversed([
        ("depth", "--depth", int, "0"), ("max_pages", "--max-pages", int, "0: no limit"),
        ("max_per_outlet", "--max-per-outlet", int, "0: no limit"), ("since", "--since", str, None),
        ("follow_citations", "--follow-citations", int, "0"), ("proxy", "--proxy", str, None),
        ("delay", "--delay", float, "1.0"), ("concurrency", "--concurrency", int, "16"),
        ("per_host", "--per-host", int, "1"), ("retries", "--retries", int, "3"),
        ("timeout", "--timeout", float, "30"), ("user_agent", "--user-agent", str, None),
        ("warc_dir", "--warc-dir", str, None),
    ]):
        text = SETTINGS_HELP[name] + (f" [default: {default}]" if default else "")
        fn = click.option(flag, name, type=kind, default=None, help=text)(fn)
    fn = click.option("--robots/--no-robots", default=None, help=SETTINGS_HELP["robots"] + " [default: on]")(fn)
    return fn


def _print_crawl(r) -> None:
    state = "stopped; run the same command to resume" if r.stopped else (
        "stopped at --max-pages; run again to go on" if r.limited else "done")
    click.echo(f"crawl {state}: {r.fetched} fetched, {r.articles} articles, {r.queued} left in the queue")
    if r.failures:
        click.echo("failures: " + ", ".join(f"{code} {n}" for code, n in r.failures))
    for path in r.warc_files:
        click.echo(f"archived {path}")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": EPILOG_WIDTH})
@click.version_option(__version__, prog_name="citegraph")
def cli():
    """citegraph: who cites whom among news outlets.

    Reads articles (saved HTML, folders, WARC files), finds the outlets each one cites by link,
    mention or syndication, and builds a graph of outlets with the evidence behind every edge.

    \b
    Example:
        citegraph run saved-pages/ crawl.warc.gz -o output
    """


def _print_outputs(outputs):
    if outputs.crawl is not None:
        _print_crawl(outputs.crawl)
    r = outputs.ingest
    if r is not None:
        click.echo(f"read {r.inputs} inputs: {r.articles} articles, {r.failures} failed, {r.citations} citations")
    click.echo(f"graph: {outputs.nodes} outlets, {outputs.edges} edges")
    for path in outputs.files:
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@store_options
@source_options
@graph_options
@crawl_options
@_library_errors
def run(sources, **flags):
    """Read SOURCES and write every output: citations.csv, graph files, network.html, report.html.

    SOURCES are HTML files, folders of them, WARC / WARC.gz files and @list.txt files of paths, and
    web seeds: article URLs, outlets' root URLs and bare domains, which are crawled (see `crawl`).
    A second run on more sources extends the same store.

    \b
    Example:
        citegraph run pages/ archive.warc.gz @more.txt -o output --base-url https://site.example/
        citegraph run example.com https://news.example.org/ --max-per-outlet 50 --since 30d
    """
    from .pipeline import run as run_all

    outputs = run_all(sources, _settings(**flags))
    _print_outputs(outputs)
    read = (outputs.ingest.articles if outputs.ingest else 0) + (outputs.crawl.articles if outputs.crawl else 0)
    if read == 0 and not (outputs.crawl and outputs.crawl.stopped):
        raise click.ClickException("no article could be read from the sources; see `citegraph stats` for why")


@cli.command()
@click.argument("seeds", nargs=-1)
@store_options
@source_options
@crawl_options
@_library_errors
def crawl(seeds, **flags):
    """Crawl SEEDS politely into the store, archiving every response in WARC files beside it.

    A seed is an article URL, an outlet's root URL, or a bare domain (https first, http when https
    fails). For an outlet, articles come from its robots.txt sitemaps, sitemap indexes, news sitemaps,
    RSS/Atom feeds and home page. Running the same command again resumes where it stopped (Ctrl-C
    stops cleanly); with no seeds, the store's queue is resumed.

    \b
    Example:
        citegraph crawl example.com https://news.example.org/ --max-per-outlet 100 --since 2024-01-01
        citegraph crawl https://example.com/2024/05/17/a-story --follow-citations 1 --db output/citegraph.db
    """
    from .pipeline import crawl as crawl_seeds

    result = crawl_seeds(seeds, _settings(**flags))
    _print_crawl(result)
    if result.stopped:
        raise SystemExit(130)


@cli.command()
@click.option("--pages", type=int, default=120, show_default=True, help="Pages of the sample web to generate.")
@click.option("--outlets-count", type=int, default=12, show_default=True, help="Fictional outlets in the sample web.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sample web.")
@store_options
@graph_options
@crawl_options
@_library_errors
def demo(pages, outlets_count, seed, **flags):
    """Serve the bundled sample web on 127.0.0.1, crawl it live, and write every output.

    The crawler reaches the fictional outlets through the local server's proxy address, with their
    robots.txt, sitemaps, feeds and home pages, as it would reach real ones. The sample is also
    written as files (HTML, WARC, outlets file) under OUTPUT/sample. Between requests to a host the
    demo waits 0.02 s unless --delay says otherwise.

    \b
    Example:
        citegraph demo -o output && xdg-open output/network.html
    """
    from .pipeline import demo as run_demo

    if flags.get("delay") is None:
        flags["delay"] = 0.02  # the sample web is local: politeness would only slow the demo down
    outputs = run_demo(_settings(**flags), n_pages=pages, n_outlets=outlets_count, seed=seed)
    _print_outputs(outputs)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@store_options
@source_options
@_library_errors
def ingest(sources, **flags):
    """Read SOURCES into the store (no graph, no files).

    \b
    Example:
        citegraph ingest crawl.warc.gz --db output/citegraph.db
    """
    from .pipeline import ingest as ingest_sources

    r = ingest_sources(sources, _settings(**flags))
    click.echo(f"read {r.inputs} inputs: {r.articles} articles, {r.failures} failed, {r.citations} citations")


@cli.command()
@store_options
@graph_options
@_library_errors
def build(**flags):
    """Build the outlet graph from the store and write graph.json (node-link, with evidence).

    \b
    Example:
        citegraph build --kind link --min-weight 2
    """
    from .pipeline import build_outputs

    path, g = build_outputs(_settings(**flags))
    click.echo(f"graph: {g.number_of_nodes()} outlets, {g.number_of_edges()} edges")
    click.echo(f"wrote {path}")


@cli.command()
@store_options
@graph_options
@_library_errors
def render(**flags):
    """Write network.html, the interactive network of the store's graph.

    \b
    Example:
        citegraph render -o output --min-weight 2
    """
    from .pipeline import render_stage

    for path in render_stage(_settings(**flags), network=True, report=False):
        click.echo(f"wrote {path}")


@cli.command()
@store_options
@graph_options
@_library_errors
def report(**flags):
    """Write report.html: the run's summary, top outlets, and the evidence behind each edge.

    \b
    Example:
        citegraph report -o output
    """
    from .pipeline import render_stage

    for path in render_stage(_settings(**flags), network=False, report=True):
        click.echo(f"wrote {path}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "json", "csv"]), required=True,
              help="gexf (Gephi), graphml (igraph, Cytoscape), json (networkx node-link), csv (citations table).")
@click.option("--to", "target", type=click.Path(dir_okay=False), default=None,
              help="File to write [default: OUTPUT/graph.FORMAT, or OUTPUT/citations.csv].")
@store_options
@graph_options
@_library_errors
def export(fmt, target, **flags):
    """Export the graph or the citations table.

    \b
    Example:
        citegraph export --format gexf --to mygraph.gexf
    """
    from .pipeline import export_stage

    click.echo(f"wrote {export_stage(_settings(**flags), fmt, target)}")


@cli.command()
@click.option("--top", type=int, default=15, show_default=True, help="Outlets listed in each table.")
@store_options
@graph_options
@_library_errors
def stats(top, **flags):
    """Print what the store holds: counts, failures by reason, top cited and citing outlets.

    \b
    Example:
        citegraph stats --db output/citegraph.db --top 20
    """
    from .pipeline import print_stats

    print_stats(_settings(**flags), top=top)


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--outlets", "outlets_files", multiple=True, type=click.Path(dir_okay=False),
              help=SETTINGS_HELP["outlets_files"] + " Repeatable.")
@_library_errors
def outlets(urls, outlets_files):
    """Print each URL's normal form and outlet id (tab-separated), and the outlet's name and kind.

    \b
    Example:
        citegraph outlets 'https://web.archive.org/web/2020/https://www.nytimes.com/x?utm_source=tw'
    """
    from .pipeline import describe_urls

    for row in describe_urls(urls, _settings(outlets_files=outlets_files)):
        click.echo("\t".join(row))
