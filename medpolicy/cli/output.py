"""Output helpers shared by every command: --format, colour only on a terminal, errors."""
from __future__ import annotations

import json
import sys
from typing import Any, Callable

import click

FORMATS = ("text", "json", "markdown")


def format_option(choices: tuple[str, ...] = FORMATS, default: str = "text") -> Callable:
    """The shared `--format` option."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def echo_json(obj: Any) -> None:
    """One JSON document (or JSON line) on stdout."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    click.echo(json.dumps(obj, ensure_ascii=False, indent=None if isinstance(obj, dict) and obj.get("_nl") else 2))


def echo_json_line(obj: Any) -> None:
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    click.echo(json.dumps(obj, ensure_ascii=False))


def error(message: str) -> None:
    """One line on stderr, red on a terminal."""
    click.secho(f"error: {message}", fg="red", err=True, color=sys.stderr.isatty() or None)


def warn(message: str) -> None:
    click.secho(f"warning: {message}", fg="yellow", err=True, color=sys.stderr.isatty() or None)


def stderr_console():
    """A rich console on stderr (progress bars), silent styling off a terminal."""
    from rich.console import Console

    return Console(stderr=True)


def stdout_console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)
