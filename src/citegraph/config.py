"""Every setting once: its name, default and help.

Values are read from the defaults, then ``citegraph.toml`` (in the working directory, or the file named
by ``CITEGRAPH_CONFIG``), then ``CITEGRAPH_<NAME>`` environment variables, then command-line flags.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

__all__ = ["Settings", "SETTINGS_HELP", "load_settings", "ConfigError"]


class ConfigError(ValueError):
    """A configuration file or variable that cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    """All of citegraph's settings, with their defaults."""

    output_dir: str = "output"
    db: str = ""
    base_url: str = ""
    outlets_files: tuple[str, ...] = ()
    profiles_files: tuple[str, ...] = ()
    config_file: str = ""
    max_bytes: int = 20_000_000
    kinds: tuple[str, ...] = ("link", "mention", "syndication")
    min_weight: int = 1
    min_confidence: float = 0.0
    self_citations: bool = False
    related: bool = False
    platforms: bool = False
    evidence_limit: int = 5
    date_from: str = ""
    date_until: str = ""
    only_outlets: tuple[str, ...] = ()
    drop_outlets: tuple[str, ...] = ()
    only_outlet_kinds: tuple[str, ...] = ()
    drop_outlet_kinds: tuple[str, ...] = ()
    top: int = 0
    top_by: str = "pagerank"
    largest_component: bool = False
    outlet_metadata: str = ""
    communities: str = "louvain"
    seed: int = 0
    physics_max_nodes: int = 300
    layout: str = "auto"
    size_by: str = "in_weight"
    color_by: str = "kind"
    progress: bool = True
    # crawling: politeness first
    user_agent: str = ""
    concurrency: int = 16
    per_host: int = 1
    delay: float = 1.0
    robots: bool = True
    retries: int = 3
    timeout: float = 30.0
    connect_timeout: float = 10.0
    response_timeout: float = 120.0
    max_redirects: int = 10
    proxy: str = ""
    depth: int = 0
    max_pages: int = 0
    max_per_outlet: int = 0
    since: str = ""
    follow_citations: int = 0
    warc_dir: str = ""
    read_processes: int = -1

    def db_path(self) -> Path:
        """The store file: ``db`` when set, else ``citegraph.db`` in the output directory."""
        return Path(self.db) if self.db else Path(self.output_dir) / "citegraph.db"

    def warc_path(self) -> Path:
        """Where a crawl writes its WARC files: ``warc_dir`` when set, else ``warc/`` beside the store."""
        return Path(self.warc_dir) if self.warc_dir else self.db_path().parent / "warc"


SETTINGS_HELP = {
    "output_dir": "Folder that generated files are written to.",
    "db": "SQLite store file (default: citegraph.db in the output folder).",
    "base_url": "URL of saved HTML files that carry no canonical link or og:url; ending in '/', the file name is appended.",
    "outlets_files": "Outlet registry files (.json or .toml) that extend or override the shipped registry.",
    "profiles_files": "Per-outlet extraction rules and scrapers (.toml or .json with [profiles] and [scrapers] tables); citegraph.toml's own tables are read too.",
    "config_file": "The configuration file in use (set from CITEGRAPH_CONFIG or ./citegraph.toml when it exists).",
    "max_bytes": "Largest page read, in bytes; larger inputs are recorded as too-large.",
    "kinds": "Citation kinds in the graph: link, mention, syndication.",
    "min_weight": "Leave out edges cited by fewer distinct articles.",
    "min_confidence": "Leave out citations whose confidence is lower (mentions carry their cue's confidence).",
    "self_citations": "Keep an outlet's citations of itself in the graph.",
    "related": "Keep links from related-story teasers inside articles (\"Read more: ...\", position related).",
    "platforms": "Keep platform accounts (x.com/someone, youtube.com/@channel) in the graph.",
    "evidence_limit": "Evidence items kept per edge in the graph and its HTML views.",
    "date_from": "Keep citations of articles published on or after this date (2024-05-17, 2024-05, 2024); undated articles are left out.",
    "date_until": "Keep citations of articles published on or before this date (2024-05-17, or 2024-05 for all of May).",
    "only_outlets": "Keep only these outlets (ids, names or URLs) in the graph.",
    "drop_outlets": "Leave these outlets (ids, names or URLs) out of the graph.",
    "only_outlet_kinds": "Keep only outlets of these kinds (news, wire, magazine, broadcaster, think_tank, state_media, platform, government, academic, other).",
    "drop_outlet_kinds": "Leave outlets of these kinds out of the graph.",
    "top": "Keep the top N outlets by --top-by (0: all); metrics are computed on the whole filtered graph first.",
    "top_by": "The node metric --top ranks by: pagerank, in_weight, out_weight, hub, authority, betweenness, core, articles.",
    "largest_component": "Keep only the largest connected component (edges taken as undirected).",
    "outlet_metadata": "CSV of outlet metadata (a domain column, then any columns): joined to the nodes, to colour and filter by.",
    "communities": "Community detection: louvain (networkx) or leiden (where igraph is installed: pip install igraph).",
    "seed": "Seed of community detection and sampled betweenness, so results repeat.",
    "physics_max_nodes": "Above this many outlets, network.html uses a layout computed in Python with physics off.",
    "layout": "network.html's layout: auto (browser physics up to physics_max_nodes, else computed here), physics, sparse (fast at 20,000 outlets), forceatlas2, spring, kamada-kawai.",
    "size_by": "network.html's first sizing of outlets: in_weight, out_weight, articles, pagerank, hub, authority, betweenness, core, or a numeric metadata column (the page can change it).",
    "color_by": "network.html's first colouring of outlets: kind, community, country or a metadata column (the page can change it).",
    "progress": "Show progress bars.",
    "user_agent": "User-Agent of the crawler's requests (default: citegraph/VERSION with a project URL); robots.txt rules for 'citegraph' apply.",
    "concurrency": "Requests in flight at once, all hosts together.",
    "per_host": "Requests in flight at once to one host.",
    "delay": "Seconds between two requests to the same host (a robots.txt Crawl-delay asks for more, up to 30 s).",
    "robots": "Obey robots.txt (turn off only for sites you own or have permission to crawl).",
    "retries": "Retries of a request after a 429, a 5xx, a timeout or a dropped connection, with backoff (Retry-After honoured).",
    "timeout": "Seconds a server may stay silent in the middle of an answer.",
    "connect_timeout": "Seconds to wait for a connection.",
    "response_timeout": "Seconds a whole response may take (stops slow drips).",
    "max_redirects": "Redirects followed per URL.",
    "proxy": "HTTP proxy for every request (http://host:port); without it, HTTP(S)_PROXY from the environment.",
    "depth": "Hops of in-site article links followed from crawled articles (0: only what the outlet lists).",
    "max_pages": "Article pages fetched per run (0: no limit); run again to go on.",
    "max_per_outlet": "Article pages queued per outlet (0: no limit), newest first.",
    "since": "Leave out articles older than this date (2024-05-17, 2024-05, 2024) or span (30d, 12w, 6m, 1y), by listing date, else page date.",
    "follow_citations": "Crawl the outlets that crawled articles cite, this many hops out.",
    "warc_dir": "Folder of the crawl's WARC files (default: warc/ beside the store).",
    "read_processes": "Processes that read fetched pages while the crawler fetches (-1: one per spare core, up to 4, from a crawl's 100th page; 0: read in the crawling process).",
}


def _coerce(name: str, value, default):
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                if value.lower() in ("1", "true", "yes", "on"):
                    return True
                if value.lower() in ("0", "false", "no", "off", ""):
                    return False
                raise ValueError(value)
            return bool(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(value)
        return type(default)(value)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"setting {name!r}: cannot use {value!r} ({type(default).__name__} expected)") from e


def load_settings(overrides: dict | None = None, *, config_file: str | os.PathLike | None = None,
                  environ: dict | None = None) -> Settings:
    """Settings from defaults < citegraph.toml < CITEGRAPH_* variables < ``overrides`` (flags).

    ``None`` values in ``overrides`` mean "not given".
    """
    environ = os.environ if environ is None else environ
    base = Settings()
    names = {f.name: getattr(base, f.name) for f in fields(Settings)}
    values: dict = {}
    path = Path(config_file or environ.get("CITEGRAPH_CONFIG") or "citegraph.toml")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text("utf8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: not valid TOML: {e}") from e
        for key, value in data.get("citegraph", data).items():
            key = key.replace("-", "_")
            if key not in names:
                if isinstance(value, dict):
                    continue  # other tables (profiles, scrapers) are read by their own modules
                raise ConfigError(f"{path}: unknown setting {key!r}; known: {', '.join(names)}")
            values[key] = _coerce(key, value, names[key])
        values["config_file"] = str(path)
    for key, default in names.items():
        env = environ.get(f"CITEGRAPH_{key.upper()}")
        if env is not None:
            values[key] = _coerce(key, env, default)
    for key, value in (overrides or {}).items():
        if value is None or value == ():
            continue
        if key not in names:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = _coerce(key, value, names[key])
    return replace(base, **values)
