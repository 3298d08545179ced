"""`medpolicy diff`: two files, or two editions of a policy in the store."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from ..errors import DocumentError, UsageError
from .options import format_option


def _load_file(path: str):
    """A policy document, or a record saved by `parse --format json`."""
    if path.lower().endswith(".json"):
        from pydantic import ValidationError

        from ..models import Policy

        try:
            return Policy.from_json(Path(path).read_bytes())
        except (OSError, ValidationError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DocumentError(f"not a policy record: {first}", path=path) from exc
    from ..ingest import parse_policy

    return parse_policy(path)


_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_COMMIT = re.compile(r"^[0-9a-fA-F]{4,40}$")


def _sort_date(value: str) -> str:
    return value if len(value) == 10 else value + "-01"  # a month-only edition starts on the 1st


def _edition_index(key: str, editions: list, ref: str) -> int:
    """Which of `editions` (oldest effective first) `ref` names: a date YYYY-MM-DD (the edition
    in effect that day) or a commit id or prefix."""
    from ..errors import NotFoundError

    if _DATE.match(ref):
        found = [i for i, e in enumerate(editions) if _sort_date(e.effective) <= _sort_date(ref)]
        if not found:
            raise NotFoundError(f"{key} had no edition in effect on {ref}: its first takes effect on "
                                f"{editions[0].effective}")
        return found[-1]
    if not _COMMIT.match(ref):
        raise UsageError(f"{ref!r} is neither a date (YYYY-MM-DD) nor a commit id")
    found = [i for i, e in enumerate(editions) if e.commit.startswith(ref.lower())]
    if len({editions[i].commit for i in found}) > 1:
        raise NotFoundError(f"commit prefix {ref!r} is ambiguous for {key}")
    if not found:
        raise NotFoundError(f"no edition of {key} at commit {ref!r} (`medpolicy log {key}` lists them)")
    return found[-1]


def _store_editions(store_path: str | None, ref: str, frm: str | None, to: str | None):
    """(old, new, old commit, new commit): `to` defaults to the latest edition by effective date,
    `from` to the edition before `to`."""
    from ..errors import NotFoundError
    from ..store import PolicyStore

    with PolicyStore.open(store_path or "policy-store") as store:
        key = store.resolve(ref)
        editions = store.editions(key)
        if not editions:
            raise NotFoundError(f"no editions of {key} in the store")
        new_idx = len(editions) - 1 if to is None else _edition_index(key, editions, to)
        old_idx = new_idx - 1 if frm is None else _edition_index(key, editions, frm)
        if old_idx < 0:
            raise NotFoundError(f"{key} has no edition before {editions[new_idx].effective} to compare with")
        old_ed, new_ed = editions[old_idx], editions[new_idx]
        return store.get(key, at=old_ed.commit), store.get(key, at=new_ed.commit), old_ed.commit, new_ed.commit


def register(cli: click.Group) -> None:
    @cli.command("diff")
    @click.argument("args", nargs=-1, required=True, metavar="OLD NEW | POLICY")
    @click.option("--from", "frm", metavar="DATE|COMMIT", help="Store mode: the older edition (default: the one before --to).")
    @click.option("--to", "to", metavar="DATE|COMMIT", help="Store mode: the newer edition (default: the latest).")
    @format_option(("text", "markdown", "json", "html"))
    @click.option("--output", "-o", "output", type=click.Path(dir_okay=False, writable=True), default=None,
                  help="Write the report to this file instead of stdout.")
    @click.pass_obj
    def diff(obj, args: tuple[str, ...], frm: str | None, to: str | None, fmt: str, output: str | None) -> int:
        """Show what changed between two editions of a policy.

        OLD NEW are two files (PDF, HTML, text, or JSON records from `parse`). POLICY is a
        policy in the store; without --from/--to its two latest editions by effective date
        are compared. DATE (YYYY-MM-DD) means the edition in effect that day.

        Exit status: 0 no change, 1 changes found, 2 error.

        \b
        Example:
          medpolicy diff old.pdf new.pdf
          medpolicy diff 8.01.01 --format html --output changes.html
          medpolicy diff premera/8.01.01 --from 2025-05-01 --to 2026-05-01 --format json
        """
        from ..diff import diff_policies
        from ..diff.render import render

        if len(args) == 2:
            missing = [a for a in args if not os.path.isfile(a)]
            if missing:
                raise DocumentError("no such file", path=missing[0])
            if frm or to:
                raise UsageError("--from/--to apply to a policy in the store, not to two files")
            old, new = (_load_file(a) for a in args)
            commits = (None, None)
        elif len(args) == 1:
            old, new, *commits = _store_editions(obj.store_path if obj else None, args[0], frm, to)
        else:
            raise UsageError("give two files (OLD NEW) or one policy in the store (POLICY)")
        result = diff_policies(old, new)
        result.old.commit, result.new.commit = commits
        color = fmt == "text" and output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        report = render(result, fmt, color=color)
        if output:
            try:
                Path(output).write_text(report if report.endswith("\n") else report + "\n", encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
            click.echo(f"wrote {output}", err=True)
        else:
            click.echo(report, nl=not report.endswith("\n"), color=color)
        return 1 if result.changed else 0
