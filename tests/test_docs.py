"""Every command and every setting is documented, so the docs cannot drift from the code."""
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from citegraph.cli import cli
from citegraph.config import SETTINGS_HELP

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("name", _commands())
def test_command_help_has_example(name):
    result = CliRunner().invoke(cli, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example:" in result.output
    for param in cli.commands[name].params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help"


@pytest.mark.parametrize("name", _commands())
def test_command_in_readme(name):
    assert f"citegraph {name}" in README.read_text()


@pytest.mark.parametrize("setting", sorted(SETTINGS_HELP))
def test_setting_in_readme(setting):
    assert f"`{setting}`" in README.read_text()


def test_readme_starts_with_the_two_setup_commands():
    text = README.read_text()
    head = text[:1500]
    assert "citegraph demo" in head and "pytest" in head
    ci = (README.parent / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && python -m pytest" in ci
    assert "pip install -e '.[test]' && python -m pytest" in head
