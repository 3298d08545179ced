"""Every command has --help with an example, and appears in the README."""
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from medpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("name", _commands())
def test_help_has_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"medpolicy {name}" in result.output


@pytest.mark.parametrize("name", _commands())
def test_command_in_readme(name):
    assert f"medpolicy {name}" in (ROOT / "README.md").read_text()


def test_group_help():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0 and "parse" in result.output
    assert isinstance(cli, click.Group)
