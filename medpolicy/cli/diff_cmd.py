"""`medpolicy diff`: two files, two editions of a policy in the store, or a stored edition and a
candidate file (to see what a new revision changes before it is ingested)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import DocumentError, UsageError
from .options import State, format_option, pass_state, store_option
from .output import warn

# What a path to a document ends with; a store key or policy id does not.
_DOCUMENT_SUFFIXES = (".pdf", ".txt", ".text", ".htm", ".html", ".json", ".md")


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


def _store_editions(state: State, ref: str, frm: str | None, to: str | None):
    """(old, new, old commit, new commit): `to` defaults to the latest edition by date, `from` to
    the edition before `to`. Editions are named as `show` and `log` name them
    (PolicyStore.resolve_edition); the same edition stored again in another format is not one."""
    from ..errors import NotFoundError

    store = state.open()
    key = store.resolve(ref)
    new_ed = store.resolve_edition(key, to)
    if frm is None:
        old_ed = store.previous_edition(key, new_ed)
        if old_ed is None:
            raise NotFoundError(f"{key} has no edition before {new_ed.placed} to compare with")
    else:
        old_ed = store.resolve_edition(key, frm)
    return store.get(key, at=old_ed.commit), store.get(key, at=new_ed.commit), old_ed.commit, new_ed.commit


def _stored_edition(state: State, ref: str, frm: str | None):
    """(edition, commit) of a stored policy: the latest, or the one `frm` names."""
    store = state.open()
    key = store.resolve(ref)
    ed = store.resolve_edition(key, frm)
    return store.get(key, at=ed.commit), ed.commit


def _editions(state: State, args: tuple[str, ...], frm: str | None, to: str | None):
    """(old, new, old commit, new commit) for OLD NEW (two files), POLICY FILE (a stored edition
    and a candidate file) or POLICY (two stored editions)."""
    if len(args) == 2:
        first, second = args
        if os.path.isfile(first) or first.lower().endswith(_DOCUMENT_SUFFIXES):
            missing = [a for a in args if not os.path.isfile(a)]
            if missing:
                raise DocumentError("no such file", path=missing[0])
            if frm or to:
                raise UsageError("--from/--to apply to a policy in the store, not to two files")
            return _load_file(first), _load_file(second), None, None
        if not os.path.isfile(second):
            raise DocumentError("no such file", path=second)
        if to:
            raise UsageError("--to does not apply when comparing with a candidate FILE (it is the new side)")
        old, commit = _stored_edition(state, first, frm)
        return old, _load_file(second), commit, None
    if len(args) == 1:
        return _store_editions(state, args[0], frm, to)
    raise UsageError("give two files (OLD NEW), a policy and a candidate file (POLICY FILE), or a policy (POLICY)")


@click.command("diff")
@click.argument("args", nargs=-1, required=True, metavar="OLD NEW | POLICY [FILE]")
@click.option("--from", "frm", metavar="DATE|COMMIT",
              help="Store mode: the older edition (default: the one before --to; with FILE: the latest).")
@click.option("--to", "to", metavar="DATE|COMMIT", help="Store mode: the newer edition (default: the latest).")
@format_option(("text", "markdown", "json", "html"))
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only set the exit status.")
@click.option("--substantive-only", is_flag=True,
              help="Exit 1 only for coverage or coding changes (the report still lists every change).")
@store_option
@pass_state
def diff(state: State, args: tuple[str, ...], frm: str | None, to: str | None, fmt: str, output: str | None,
         quiet: bool, substantive_only: bool) -> int:
    """Show what changed between two editions of a policy.

    OLD NEW are two files (PDF, HTML, text, or JSON records from `parse`). POLICY is a
    policy in the store: alone, its two latest editions by effective date are compared (or
    --from/--to); with a candidate FILE, the latest stored edition (or --from) is compared
    with FILE before it is ingested. DATE (YYYY-MM-DD) means the edition in effect that day.
    Comparing two different policies prints a warning.

    Every change has a class: coverage, coding, administrative, references, evidence or
    editorial; coverage and coding changes make the diff substantive.

    Exit status (as GNU diff): 0 no change, 1 changes found (with --substantive-only: only
    coverage or coding changes), 2 error.

    \b
    Example:
      medpolicy diff old.pdf new.pdf
      medpolicy diff 8.01.01 revised-draft.pdf --substantive-only
      medpolicy diff 8.01.01 --format html --output changes.html
      medpolicy diff premera/8.01.01 --from 2025-05-01 --to 2026-05-01 --format json
    """
    from ..diff import diff_policies
    from ..diff.render import render

    if quiet and output:
        raise UsageError("--quiet prints nothing: it cannot be combined with --output")
    old, new, *commits = _editions(state, args, frm, to)
    result = diff_policies(old, new)
    result.old.commit, result.new.commit = commits
    status = int(result.summary.substantive if substantive_only else result.changed)
    if quiet:
        return status
    for message in result.warnings:
        warn(message)
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
    return status


COMMANDS = (diff,)
