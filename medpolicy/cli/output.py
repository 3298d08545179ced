"""Output helpers shared by every command: --format, colour only on a terminal, errors."""
from __future__ import annotations

import json
import sys
from typing import Any, Callable

import click

from ..textsafe import json_for_terminal, safe_line

FORMATS = ("text", "json", "markdown")


def format_option(choices: tuple[str, ...] = FORMATS, default: str = "text") -> Callable:
    """The shared `--format` option."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def echo_json(obj: Any) -> None:
    """One JSON document (or JSON line) on stdout."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    echo_json_text(json.dumps(obj, ensure_ascii=False, indent=None if isinstance(obj, dict) and obj.get("_nl") else 2))


def echo_json_line(obj: Any) -> None:
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    echo_json_text(json.dumps(obj, ensure_ascii=False))


def echo_json_text(text: str) -> None:
    """JSON text as it is, but with the controls JSON leaves raw escaped (textsafe)."""
    click.echo(json_for_terminal(text), nl=not text.endswith("\n"))


def error(message: str) -> None:
    """One line on stderr, red on a terminal."""
    click.secho(f"error: {safe_line(message)}", fg="red", err=True, color=sys.stderr.isatty() or None)


def warn(message: str) -> None:
    click.secho(f"warning: {safe_line(message)}", fg="yellow", err=True, color=sys.stderr.isatty() or None)


def stderr_console():
    """A rich console on stderr (progress bars), silent styling off a terminal."""
    from rich.console import Console

    return Console(stderr=True)


def style(text: str, **kw) -> str:
    return click.style(text, **kw)  # click.echo drops the colour when stdout is not a terminal


def echo_policy(policy, where: str | None = None) -> None:
    """A readable summary of one record. Document text is flattened to one line and stripped of
    control characters, so a document cannot drive the terminal."""
    click.echo(style(safe_line(policy.title) or "(untitled)", bold=True))
    if where:
        click.echo(where)
    pages = f", {policy.source.pages} page(s)" if policy.source.pages else ""
    click.echo(f"policy {safe_line(policy.policy_id) or '-'} · payer {safe_line(policy.payer) or '-'} · "
               f"{policy.source.format} source {safe_line(policy.source.path)}{pages} (sha256 {policy.source.sha256[:12]})")
    dates = {k: v for k, v in policy.dates.model_dump().items() if v}
    if dates:
        click.echo("dates: " + ", ".join(f"{k} {safe_line(v)}" for k, v in dates.items()))
    for s in policy.statements:
        if s.position.value != "other":
            click.echo(f"  {style(s.position.value, fg='cyan')}: {safe_line(s.text, 200)}")
    click.echo(f"{len(policy.codes)} codes, {len(policy.history)} history rows, {len(policy.references)} references, "
               f"{len(policy.related_policies)} related policies, {len(policy.sections)} sections")
    for w in policy.warnings:
        click.echo(style("warning: ", fg="yellow") + safe_line(w))


class progress:
    """A progress bar on stderr for `total` items, shown only when stderr is a terminal and there
    is more than one item; `advance()` is a no-op otherwise. Use as a context manager."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self._bar, self._task = label, total, None, None

    def __enter__(self) -> "progress":
        console = stderr_console()
        if self.total > 1 and console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                 console=console, transient=True, redirect_stdout=False, redirect_stderr=False)
            self._task = self._bar.add_task(self.label, total=self.total)
            self._bar.start()
        return self

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
