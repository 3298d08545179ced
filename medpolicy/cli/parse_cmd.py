"""`medpolicy parse` and `medpolicy schema`."""
from __future__ import annotations

import json
import os

import click

from ..errors import EXIT_ERROR, EXIT_OK, MedpolicyError
from .files import NO_DOCUMENTS, StdinFile, collect_files, is_empty_folder
from .options import format_option
from .output import echo_json_line, echo_json_text, echo_policy, error, progress


@click.command("parse")
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR|-...")  # each file's problem: the library's
@click.option("--include", multiple=True, metavar="GLOB", help="In folders, only files matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="In folders, skip files matching GLOB (repeatable).")
@format_option(("text", "json", "jsonl", "markdown"))
@click.option("--strict", is_flag=True, help="Treat extraction warnings as failures.")
@click.option("--timeout", type=click.FloatRange(min=0), default=None,
              help="Seconds allowed per PDF (default 60; 0: no limit).")
def parse(files: tuple[str, ...], include: tuple[str, ...], exclude: tuple[str, ...], fmt: str, strict: bool,
          timeout: float | None) -> int:
    """Parse policy documents (PDF, HTML or text) into structured records.

    FILE is a document, DIR a folder searched recursively as `ingest` does, - a document on
    stdin. --format json prints one object for one FILE and an array otherwise; jsonl prints
    one object per line, as each file is parsed.

    Exit status: 0 all parsed, 2 if any file failed (each failure is one line on stderr).

    \b
    Example:
      medpolicy parse policy.pdf --format json
      medpolicy parse docs/ --include '*.pdf' --format jsonl > records.jsonl
      curl -s https://example.org/policy.html | medpolicy parse -
    """
    from ..ingest import parse_policy

    paths = collect_files(files, include, exclude)
    single = len(files) == 1 and not os.path.isdir(files[0])
    failed = 0
    with StdinFile(paths) as stdin, progress("parse", len(paths)) as bar, _JsonArray(fmt == "json" and not single):
        for i, path in enumerate(stdin.swap(paths)):
            bar.advance()
            if is_empty_folder(path):
                error(f"{path}: {NO_DOCUMENTS}")
                failed += 1
                continue
            try:
                policy = parse_policy(path, timeout=timeout, strict=strict)
            except MedpolicyError as exc:
                error(f"{stdin.shown(exc.path or path)}: {exc.reason}")
                failed += 1
                continue
            _print(policy, fmt, single, first=i - failed == 0)
    return EXIT_ERROR if failed else EXIT_OK


def _print(policy, fmt: str, single: bool, first: bool) -> None:
    if fmt == "json":
        text = policy.to_json(indent=2)
        echo_json_text(text if single or first else ",\n" + text)
    elif fmt == "jsonl":
        echo_json_line(policy)
    elif fmt == "markdown":
        from ..models.markdown import policy_to_markdown

        click.echo(policy_to_markdown(policy))
    else:
        if not first:
            click.echo()
        echo_policy(policy.model_dump(mode="json"))


class _JsonArray:
    """Brackets around records printed one after another (so that each is printed, and its
    memory freed, as soon as it is parsed)."""

    def __init__(self, active: bool):
        self.active = active

    def __enter__(self) -> "_JsonArray":
        if self.active:
            click.echo("[")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.active and exc[0] is None:
            click.echo("]")


@click.command("schema")
def schema() -> None:
    """Print the JSON Schema of the policy record.

    \b
    Example:
      medpolicy schema > policy.schema.json
    """
    from ..models import Policy

    click.echo(json.dumps(Policy.model_json_schema(), indent=2))


COMMANDS = (parse, schema)
