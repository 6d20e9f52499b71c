"""Shared fixtures: one headless Chromium per session (Debian's /usr/bin/chromium via playwright).

Browser tests are skipped when chromium or playwright is missing, unless CITEGRAPH_REQUIRE_BROWSER=1
(as in CI), where a missing browser fails them instead.
"""
from __future__ import annotations

import os
import pathlib
from types import SimpleNamespace

import pytest

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _no_browser(reason: str):
    if os.environ.get("CITEGRAPH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser required (CITEGRAPH_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def pytest_configure(config):
    """CI installs igraph beside the tests (it is GPL, so no dependency of citegraph's): there, the tests of
    Leiden communities and of GraphML read by igraph must run, not be skipped."""
    if os.environ.get("CITEGRAPH_REQUIRE_IGRAPH") == "1":
        try:
            import igraph  # noqa: F401
        except ImportError as error:
            raise pytest.UsageError(f"CITEGRAPH_REQUIRE_IGRAPH=1 but igraph cannot be imported: {error}") from error


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium shared by the whole session."""
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is missing (pip install playwright)")
    driver = sync_playwright().start()
    try:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:  # a broken install is reported like a missing one
        driver.stop()
        _no_browser(f"chromium did not start: {error}")
    yield chromium
    chromium.close()
    driver.stop()


@pytest.fixture
def page(browser):
    """A fresh page that records every request, console error and page error.

    Anything but file: and data: is aborted, so no test can reach the network even when the
    page under test is wrong; the request is still recorded for the test to see.
    """
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    seen = SimpleNamespace(requests=[], console_errors=[], page_errors=[])
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort(),
    )
    tab = context.new_page()
    tab.on("request", lambda request: seen.requests.append(request.url))
    tab.on("console", lambda message: seen.console_errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    tab.seen = seen
    yield tab
    context.close()


@pytest.fixture
def sample_cli(tmp_path):
    """The sample web ingested into a store through the CLI; ``sample_cli(command)`` runs ``citegraph COMMAND
    --db STORE -o OUT`` on it and returns OUT."""
    from click.testing import CliRunner

    from citegraph.cli import cli
    from citegraph.sample import write_sample

    files = write_sample(tmp_path / "sample")
    db, out = tmp_path / "c.db", tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(files.warc), "--db", str(db), "--outlets", str(files.outlets),
                                 "--no-progress"])
    assert result.exit_code == 0, result.output

    def run(*command):
        result = runner.invoke(cli, [*command, "--db", str(db), "-o", str(out), "--no-progress"])
        assert result.exit_code == 0, result.output
        return out
    return run
