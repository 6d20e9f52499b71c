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
@_library_errors
def run(sources, **flags):
    """Read SOURCES and write every output: citations.csv, graph files, network.html, report.html.

    SOURCES are HTML files, folders of them, WARC / WARC.gz files and @list.txt files of paths.
    A second run on more sources extends the same store.

    \b
    Example:
        citegraph run pages/ archive.warc.gz @more.txt -o output --base-url https://site.example/
    """
    from .pipeline import run as run_all

    outputs = run_all(sources, _settings(**flags))
    _print_outputs(outputs)
    if outputs.ingest is not None and outputs.ingest.articles == 0:
        raise click.ClickException("no article could be read from the sources; see `citegraph stats` for why")


@cli.command()
@click.option("--pages", type=int, default=120, show_default=True, help="Pages of the sample web to generate.")
@click.option("--outlets-count", type=int, default=12, show_default=True, help="Fictional outlets in the sample web.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sample web.")
@store_options
@graph_options
@_library_errors
def demo(pages, outlets_count, seed, **flags):
    """Generate the bundled sample web and run the whole pipeline on it.

    Writes the sample (HTML, WARC, outlet file) under OUTPUT/sample and the outputs of `run` in OUTPUT.

    \b
    Example:
        citegraph demo -o output && xdg-open output/network.html
    """
    from .pipeline import run as run_all
    from .sample import write_sample

    settings = _settings(**flags)
    files = write_sample(Path(settings.output_dir) / "sample", n_pages=pages, n_outlets=outlets_count, seed=seed)
    settings = _settings(**{**flags, "outlets_files": tuple(flags.get("outlets_files") or ()) + (str(files.outlets),)})
    outputs = run_all([str(files.warc)], settings)
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
