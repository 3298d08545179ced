"""`medpolicy parse` and `medpolicy schema`."""
from __future__ import annotations

import json

import click

from ..errors import MedpolicyError
from .output import echo_json_line, error, format_option, stdout_console


def _print_text(policy) -> None:
    from rich.table import Table

    console = stdout_console()
    console.print(f"[bold]{policy.title or '(untitled)'}[/bold]")
    console.print(f"policy {policy.policy_id or '-'} · payer {policy.payer or '-'} · {policy.source.format}, "
                  f"{policy.source.pages or '-'} page(s)")
    dates = {k: v for k, v in policy.dates.model_dump().items() if v}
    if dates:
        console.print("dates: " + ", ".join(f"{k} {v}" for k, v in dates.items()))
    table = Table(show_header=True, header_style="bold")
    table.add_column("position")
    table.add_column("statement")
    for s in policy.statements:
        if s.position.value != "other":
            table.add_row(s.position.value, s.text[:200] + ("…" if len(s.text) > 200 else ""))
    if table.row_count:
        console.print(table)
    console.print(f"{len(policy.codes)} codes, {len(policy.history)} history rows, "
                  f"{len(policy.references)} references, {len(policy.related_policies)} related policies, "
                  f"{len(policy.sections)} sections")
    for w in policy.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")


def register(cli: click.Group) -> None:
    @cli.command("parse")
    @click.argument("files", nargs=-1, required=True, type=str)  # each file's problem is reported by the library
    @format_option(("text", "json", "markdown"))
    @click.option("--strict", is_flag=True, help="Treat extraction warnings as failures.")
    @click.option("--timeout", type=float, default=None, help="Seconds allowed per PDF (default 60).")
    def parse(files: tuple[str, ...], fmt: str, strict: bool, timeout: float | None) -> int:
        """Parse policy documents (PDF, HTML or text) into structured records.

        With several files and --format json, prints one JSON object per line.
        Exit status: 0 all parsed, 2 if any file failed.

        \b
        Example:
          medpolicy parse policy.pdf --format json
          medpolicy parse docs/*.pdf --format json > records.jsonl
        """
        from ..ingest import parse_policy

        failed = 0
        for i, path in enumerate(files):
            try:
                policy = parse_policy(path, timeout=timeout, strict=strict)
            except MedpolicyError as exc:
                error(str(exc) if exc.path else f"{path}: {exc}")
                failed += 1
                continue
            if fmt == "json":
                if len(files) == 1:
                    click.echo(policy.to_json(indent=2))
                else:
                    echo_json_line(policy)
            elif fmt == "markdown":
                from ..models.markdown import policy_to_markdown

                click.echo(policy_to_markdown(policy))
            else:
                if i:
                    click.echo()
                _print_text(policy)
        return 2 if failed else 0

    @cli.command("schema")
    def schema() -> None:
        """Print the JSON Schema of the policy record.

        \b
        Example:
          medpolicy schema > policy.schema.json
        """
        from ..models import Policy

        click.echo(json.dumps(Policy.model_json_schema(), indent=2))
