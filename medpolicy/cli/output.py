"""Output shared by every command: tables in four formats, JSON, errors and warnings, the one
progress bar. Data goes to stdout, everything else to stderr; colour only on a terminal; text
that came from a document passes through textsafe."""
from __future__ import annotations

import json
import sys
from typing import Any, Callable

import click

from ..textsafe import json_for_terminal, safe_line, safe_text

TABLE_FORMATS = ("text", "json", "jsonl", "csv")


def echo_json(obj: Any) -> None:
    """One JSON document on stdout."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    echo_json_text(json.dumps(obj, ensure_ascii=False, indent=2))


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


def style(text: str, **kw) -> str:
    return click.style(text, **kw)  # click.echo drops the colour when stdout is not a terminal


class Table:
    """Rows (dicts) printed as `fmt`: `text`, aligned columns once every row is in (`cells`
    turns a row into its column texts under `headers`); `json`, one array; `jsonl`, one object
    per line as each row arrives; `csv`, a header line, then each row as it arrives. Streaming
    formats flush every row, so a reader sees work as it completes. Use as a context manager."""

    def __init__(self, fmt: str, headers: list[str], cells: Callable[[dict], list[str]],
                 fields: list[str] | None = None):
        self.fmt, self.headers, self.cells, self.fields = fmt, headers, cells, fields
        self._rows: list[dict] = []
        self._csv_header = False

    def __enter__(self) -> "Table":
        return self

    def add(self, row: dict) -> None:
        if self.fmt == "jsonl":
            echo_json_line(row)
        elif self.fmt == "csv":
            self._csv(row)
        else:
            self._rows.append(row)
            return
        sys.stdout.flush()

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return
        if self.fmt == "json":
            echo_json(self._rows)
        elif self.fmt == "text" and self._rows:
            self._text()

    def _text(self) -> None:
        rows = [[safe_line(c) for c in self.cells(r)] for r in self._rows]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(self.headers)]
        widths[-1] = 0  # the last column runs free
        click.echo(style(_line(self.headers, widths), bold=True))
        for r in rows:
            click.echo(_line(r, widths))

    def _csv(self, row: dict) -> None:
        import csv
        import io

        fields = self.fields or list(row)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if not self._csv_header:
            writer.writerow(fields)
            self._csv_header = True
        writer.writerow([_csv_value(row.get(f)) for f in fields])
        click.echo(safe_text(buf.getvalue()), nl=False)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(_csv_value(v) for v in value)
    return str(value)


def echo_policy(record: dict, where: str | None = None) -> None:
    """A readable summary of one record, given as its JSON object (what `parse --format json`
    prints and the store keeps: `show` reads it without loading the models). Document text is
    flattened to one line and stripped of control characters, so a document cannot drive the
    terminal."""
    source = record.get("source") or {}
    click.echo(style(safe_line(record.get("title")) or "(untitled)", bold=True))
    if where:
        click.echo(where)
    pages = f", {source['pages']} page(s)" if source.get("pages") else ""
    click.echo(f"policy {safe_line(record.get('policy_id')) or '-'} · payer {safe_line(record.get('payer')) or '-'} · "
               f"{source.get('format')} source {safe_line(source.get('path'))}{pages} "
               f"(sha256 {(source.get('sha256') or '')[:12]})")
    dates = {k: v for k, v in (record.get("dates") or {}).items() if v}
    if dates:
        click.echo("dates: " + ", ".join(f"{k} {safe_line(v)}" for k, v in dates.items()))
    for s in record.get("statements") or []:
        if s.get("position") != "other":
            click.echo(f"  {style(s.get('position'), fg='cyan')}: {safe_line(s.get('text'), 200)}")
    n = {k: len(record.get(k) or []) for k in ("codes", "history", "references", "related_policies", "sections")}
    click.echo(f"{n['codes']} codes, {n['history']} history rows, {n['references']} references, "
               f"{n['related_policies']} related policies, {n['sections']} sections")
    for w in record.get("warnings") or []:
        click.echo(style("warning: ", fg="yellow") + safe_line(w))


def _rich_bar():
    """The bar both progress helpers draw: on stderr, gone when done, never redirecting stdout (a
    redirected stdout must get the data, not the terminal). rich is loaded only when a bar is
    drawn."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True, redirect_stdout=False, redirect_stderr=False)


class progress:
    """The one progress bar: on stderr for `total` items, shown only when stderr is a terminal
    and there is more than one item. `advance()` moves it; `echo()` prints a line above it (on
    stdout, or stderr with `err`), so that lines and bar never tear each other. Use as a context
    manager."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self._bar, self._task = label, total, None, None

    def __enter__(self) -> "progress":
        if self.total > 1 and sys.stderr.isatty():
            self._bar = _rich_bar()
            self._task = self._bar.add_task(self.label, total=self.total)
            self._bar.start()
        return self

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def echo(self, label: str, rest: str, *, colour: str | None = None, err: bool = False) -> None:
        """`label` (coloured on a terminal) then `rest`, as one line; flushed at once (a line
        may be the acknowledgement that work is saved, which must not wait in a buffer)."""
        rest = safe_line(rest)
        if self._bar is not None and (err or sys.stdout.isatty()):
            from rich.text import Text

            self._bar.console.print(Text.assemble((label, colour or ""), rest), soft_wrap=True, highlight=False)
        elif err:
            click.secho(label, fg=colour, err=True, nl=False, color=sys.stderr.isatty() or None)
            click.echo(rest, err=True)
        else:
            click.echo((style(label, fg=colour) if colour else label) + rest)
            sys.stdout.flush()

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def stage_progress(min_total: int = 50):
    """The progress helper's callback form, for library work reported as `(stage, done, total)`
    (an index update, a site build): one bar per stage, on a terminal only (None elsewhere),
    and none for quick work of fewer than `min_total` items."""
    if not sys.stderr.isatty():
        return None
    state: dict = {}

    def update(stage: str, done: int, total: int) -> None:
        if total < min_total:
            return
        if "bar" not in state:
            state["bar"], state["tasks"] = _rich_bar(), {}
            state["bar"].start()
        bar, tasks = state["bar"], state["tasks"]
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done)
        if all(bar.tasks[t].finished for t in tasks.values()):
            bar.stop()

    return update
