"""The whole pipeline on the sample web: the graph built equals the graph the sample wrote."""
import pytest

from citegraph.config import load_settings
from citegraph.outlets import normalize_url
from citegraph.pipeline import graph_from_store, run
from citegraph.sample import expected_edges, iter_pages, write_sample
from citegraph.store import Store

N_PAGES, N_OUTLETS, SEED = 150, 12, 3


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample")
    files = write_sample(tmp / "sample", n_pages=N_PAGES, n_outlets=N_OUTLETS, seed=SEED)
    settings = load_settings({"output_dir": str(tmp / "out"), "outlets_files": (str(files.outlets),),
                              "progress": False}, config_file=tmp / "none.toml", environ={})
    outputs = run([str(files.warc)], settings)
    pages = list(iter_pages(N_PAGES, N_OUTLETS, SEED))
    return settings, outputs, pages, files


KEYS = ("weight", "link", "mention", "syndication")


def _edges(g):
    return {(u, v): {k: d[k] for k in KEYS} for u, v, d in g.edges(data=True)}


def _expected(pages, **kw):
    """The sample's expected edges, with a zero for each kind it did not count."""
    return {e: {k: counts.get(k, 0) for k in KEYS} for e, counts in expected_edges(pages, **kw).items()}


def test_every_page_read(sample_run):
    _settings, outputs, pages, _files = sample_run
    assert outputs.ingest.articles == len(pages) and outputs.ingest.failures == 0


def test_graph_equals_expected(sample_run):
    settings, _outputs, pages, _ = sample_run
    with Store(settings.db_path()) as store:
        g = graph_from_store(store, settings)
    assert _edges(g) == _expected(pages)


@pytest.mark.parametrize("kind", ["link", "mention", "syndication"])
def test_graph_per_kind_equals_expected(sample_run, kind):
    settings, _outputs, pages, _ = sample_run
    settings = type(settings)(**{**{k: getattr(settings, k) for k in settings.__slots__}, "kinds": (kind,)})
    with Store(settings.db_path()) as store:
        g = graph_from_store(store, settings)
    assert _edges(g) == _expected(pages, kinds=[kind])


def test_self_citations_kept_in_store(sample_run):
    settings, _outputs, pages, _ = sample_run
    with Store(settings.db_path()) as store:
        stored = {(c.article_url, c.target_outlet) for c in store.citations() if c.source_outlet == c.target_outlet}
    expected = {(normalize_url(c.article_url), c.target_outlet) for p in pages for c in p.expected
                if c.source_outlet == c.target_outlet}
    assert expected and expected <= stored


def test_html_folder_gives_the_same_graph(sample_run, tmp_path):
    settings, _outputs, pages, files = sample_run
    other = load_settings({"output_dir": str(tmp_path), "outlets_files": (str(files.outlets),), "progress": False},
                          config_file=tmp_path / "none.toml", environ={})
    outputs = run([str(files.html_dir)], other)
    assert outputs.ingest.articles == len(pages)
    with Store(other.db_path()) as store:
        assert _edges(graph_from_store(store, other)) == _expected(pages)
