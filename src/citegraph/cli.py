"""The command line: each command parses its options and calls one library function."""
from __future__ import annotations

import functools

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
    """The filters that decide which citations make edges, and which outlets stay."""
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
    fn = click.option("--from", "date_from", default=None, help=SETTINGS_HELP["date_from"])(fn)
    fn = click.option("--until", "date_until", default=None, help=SETTINGS_HELP["date_until"])(fn)
    for flag, name in (("--only-outlet", "only_outlets"), ("--drop-outlet", "drop_outlets"),
                       ("--only-outlet-kind", "only_outlet_kinds"), ("--drop-outlet-kind", "drop_outlet_kinds")):
        fn = click.option(flag, name, multiple=True, help=SETTINGS_HELP[name] + " Repeatable.")(fn)
    fn = click.option("--top", type=int, default=None, help=SETTINGS_HELP["top"])(fn)
    fn = click.option("--top-by", default=None, help=SETTINGS_HELP["top_by"] + " [default: pagerank]")(fn)
    fn = click.option("--largest-component/--all-components", default=None,
                      help=SETTINGS_HELP["largest_component"] + " [default: all]")(fn)
    fn = click.option("--outlet-metadata", default=None, type=click.Path(dir_okay=False),
                      help=SETTINGS_HELP["outlet_metadata"])(fn)
    fn = click.option("--communities", default=None, type=click.Choice(["louvain", "leiden"]),
                      help=SETTINGS_HELP["communities"] + " [default: louvain]")(fn)
    fn = click.option("--seed", type=int, default=None, help=SETTINGS_HELP["seed"] + " [default: 0]")(fn)
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
        ("warc_dir", "--warc-dir", str, None), ("read_processes", "--read-processes", int, "-1"),
    ]):
        text = SETTINGS_HELP[name] + (f" [default: {default}]" if default else "")
        fn = click.option(flag, name, type=kind, default=None, help=text)(fn)
    fn = click.option("--robots/--no-robots", default=None, help=SETTINGS_HELP["robots"] + " [default: on]")(fn)
    return fn


def _print_crawl(r) -> None:
    state = "stopped; run the same command to resume" if r.stopped else (
        "stopped at --max-pages; run again to go on" if r.limited else "done")
    click.echo(f"crawl {state}: {r.fetched} fetched, {r.articles} articles, {r.queued} left in the queue")
    if r.deferred:
        click.echo(f"{r.deferred} left queued because their site's robots.txt could not be read (the site is off "
                   "limits until it can): run the same command later to try them again")
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
@click.option("--sample-seed", type=int, default=0, show_default=True, help="Seed of the sample web.")
@store_options
@graph_options
@crawl_options
@_library_errors
def demo(pages, outlets_count, sample_seed, **flags):
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
    outputs = run_demo(_settings(**flags), n_pages=pages, n_outlets=outlets_count, seed=sample_seed)
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
@click.option("--by", type=click.Choice(["month", "quarter", "year"]), default=None,
              help="Also slice the graph by publication period: one graph per period, metrics over time.")
@store_options
@graph_options
@_library_errors
def build(by, **flags):
    """Build the outlet graph from the store, with its metrics and communities, and write graph.json
    (node-link, with evidence). With --by, one graph per period in OUTPUT/slices/ and a table of each
    outlet's metrics over time.

    \b
    Example:
        citegraph build --kind link --min-weight 2 --from 2024-01 --until 2024-06
        citegraph build --by quarter --top 100
    """
    from .pipeline import build_outputs

    settings = _settings(**flags)
    if by:
        from .analyze import build_slices

        result = build_slices(settings, by)
        click.echo(f"{len(result.periods)} periods ({result.periods[0]} to {result.periods[-1]}), "
                   f"{len(result.empty)} without edges")
        for path in result.files:
            click.echo(f"wrote {path}")
        return
    path, g = build_outputs(settings)
    click.echo(f"graph: {g.number_of_nodes()} outlets, {g.number_of_edges()} edges, "
               f"{g.graph.get('communities', 0)} communities")
    click.echo(f"wrote {path}")


@cli.command()
@click.option("--layout", type=click.Choice(["auto", "physics", "sparse", "forceatlas2", "spring", "kamada-kawai"]),
              default=None, help=SETTINGS_HELP["layout"] + " [default: auto]")
@click.option("--size-by", "size_by", default=None, help=SETTINGS_HELP["size_by"] + " [default: in_weight]")
@click.option("--color-by", "color_by", default=None, help=SETTINGS_HELP["color_by"] + " [default: kind]")
@store_options
@graph_options
@_library_errors
def render(**flags):
    """Write network.html, the interactive network of the store's graph.

    Large graphs keep their top 300 outlets by --top-by unless --top says otherwise (--top 0 draws them
    all, with a layout computed here); the page says "showing K of N outlets, E of M citation edges".

    \b
    Example:
        citegraph render -o output --min-weight 2
        citegraph render --top 0 --layout sparse
        citegraph render --color-by community --size-by pagerank
    """
    from .pipeline import render_stage

    if flags.get("top") is None:
        flags["top"] = 300  # a readable network; the whole graph with --top 0
    for path in render_stage(_settings(**flags), network=True, report=False):
        click.echo(f"wrote {path}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="html: report.html, with the network embedded; md: report.md, Markdown for papers and issues.")
@store_options
@graph_options
@_library_errors
def report(fmt, **flags):
    """Write report.html (or report.md): the run's summary, top outlets by each metric, communities,
    citations per month, and the evidence behind each edge.

    \b
    Example:
        citegraph report -o output
        citegraph report --format md --top 50 --kind link
    """
    from .pipeline import markdown_stage, render_stage

    settings = _settings(**flags)
    paths = [markdown_stage(settings)] if fmt == "md" else render_stage(settings, network=False, report=True)
    for path in paths:
        click.echo(f"wrote {path}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "json", "csv", "nodes", "edges", "parquet"]),
              required=True, help="gexf (Gephi 1.3, metrics as columns), graphml (igraph, Cytoscape), json (networkx "
                                  "node-link), nodes / edges (CSV tables), csv / parquet (the citations table).")
@click.option("--to", "target", type=click.Path(dir_okay=False), default=None,
              help="File to write [default: OUTPUT/graph.gexf, graph.graphml, graph.json, nodes.csv, edges.csv, "
                   "citations.csv or citations.parquet].")
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
@click.option("--rows", type=int, default=15, show_default=True, help="Outlets listed in each table.")
@store_options
@graph_options
@_library_errors
def stats(rows, **flags):
    """Print what the store holds: counts, failures by reason, the graph's reciprocity and communities,
    and the top outlets by weighted in- and out-degree, PageRank, HITS authority and hub, and betweenness.

    \b
    Example:
        citegraph stats --db output/citegraph.db --rows 20 --kind link --from 2024-01
    """
    from .pipeline import print_stats

    print_stats(_settings(**flags), rows=rows)


@cli.command()
@click.argument("outlet")
@click.option("--radius", type=int, default=1, show_default=True, help="Hops around the outlet, either direction.")
@store_options
@graph_options
@_library_errors
def ego(outlet, radius, **flags):
    """Show OUTLET's neighbourhood: who it cites and who cites it, with evidence counts by kind; write
    its graph as OUTPUT/ego-OUTLET.gexf and .json.

    OUTLET is an id, a name, a URL or a host; an unknown one gets the nearest names.

    \b
    Example:
        citegraph ego reuters.com --radius 2 --kind link
    """
    from .analyze import ego_stage

    table, files = ego_stage(_settings(**flags), outlet, radius=radius)
    click.echo(f"{table['outlet']} ({table['name']})")
    for side, title in (("cites", "cites"), ("cited_by", "is cited by")):
        click.echo(f"\n{title} {len(table[side])} outlets:")
        click.echo(f"  {'outlet':32s} {'weight':>6s} {'link':>5s} {'mention':>7s} {'synd.':>5s}  first..last")
        for row in table[side]:
            click.echo(f"  {row['outlet'][:32]:32s} {row['weight']:6d} {row['link']:5d} {row['mention']:7d} "
                       f"{row['syndication']:5d}  {row['first_seen'][:10]}..{row['last_seen'][:10]}")
            for ev in row["evidence"][:1]:
                click.echo(f"      e.g. {ev['article_url']}: {ev['context'][:120]}")
    for path in files:
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("-k", "k", type=int, default=3, show_default=True, help="Paths of each sort shown.")
@click.option("--max-hops", type=int, default=6, show_default=True, help="Longest chain looked at.")
@store_options
@graph_options
@_library_errors
def path(source, target, k, max_hops, **flags):
    """Show the citation chains from SOURCE to TARGET: the shortest (fewest hops) and the strongest
    (heaviest links), each hop with its evidence.

    \b
    Example:
        citegraph path rt.com nytimes.com -k 5
    """
    from .analyze import path_stage

    found = path_stage(_settings(**flags), source, target, k=k, max_hops=max_hops)
    for sort in ("shortest", "strongest"):
        click.echo(f"{sort}:")
        for p in found[sort]:
            click.echo(f"  {' -> '.join(p['outlets'])}  ({p['hops']} hops, weakest link {p['min_weight']})")
            for edge in p["edges"]:
                for ev in edge["evidence"][:1]:
                    click.echo(f"      {edge['source']} -> {edge['target']} ({edge['weight']}): "
                               f"{ev['article_url']}: {ev['context'][:100]}")


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--min-change", type=float, default=0.0, show_default=True,
              help="Count an edge as grown or shrunk only past this share of its old weight.")
@store_options
@graph_options
@_library_errors
def compare(a, b, min_change, **flags):
    """Compare two graphs: A and B are each a store file, a run id of the store (3 or run:3) or a period
    (2024, 2024-05, 2024-Q2, 2024-01-01..2024-03-31). Prints the outlets and edges that appeared,
    vanished, grew or shrank; writes OUTPUT/compare.gexf and .json, whose edges say which.

    \b
    Example:
        citegraph compare 2024-Q1 2024-Q2 --kind link
        citegraph compare old/citegraph.db output/citegraph.db
    """
    from .analyze import compare_stage

    summary, files = compare_stage(_settings(**flags), a, b, min_change=min_change)
    for side in ("appeared", "vanished"):
        names = summary["outlets"][side]
        click.echo(f"outlets {side}: {len(names)}" + (f" ({', '.join(names[:10])}{' ...' if len(names) > 10 else ''})" if names else ""))
    for change in ("appeared", "vanished", "grew", "shrank"):
        rows = summary["edges"][change]
        click.echo(f"edges {change}: {len(rows)}")
        for row in rows[:10]:
            click.echo(f"  {row['source']} -> {row['target']}: {row['weight_a']} -> {row['weight_b']} ({row['delta']:+d})")
    for path in files:
        click.echo(f"wrote {path}")


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
