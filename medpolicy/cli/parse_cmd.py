"""`medpolicy parse` and `medpolicy schema`."""
from __future__ import annotations

import json

import click

from ..errors import MedpolicyError
from .output import echo_json_line, echo_json_text, echo_policy, error, format_option, progress


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
        with progress("parse", len(files)) as bar:
            for i, path in enumerate(files):
                try:
                    policy = parse_policy(path, timeout=timeout, strict=strict)
                except MedpolicyError as exc:
                    error(str(exc) if exc.path else f"{path}: {exc}")
                    failed += 1
                    continue
                finally:
                    bar.advance()
                if fmt == "json":
                    if len(files) == 1:
                        echo_json_text(policy.to_json(indent=2))
                    else:
                        echo_json_line(policy)
                elif fmt == "markdown":
                    from ..models.markdown import policy_to_markdown

                    click.echo(policy_to_markdown(policy))
                else:
                    if i:
                        click.echo()
                    echo_policy(policy)
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
