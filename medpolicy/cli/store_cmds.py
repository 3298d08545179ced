"""Store commands: init, ingest, list, log, show, verify, mv. Each is a thin wrapper over a
PolicyStore method; the store arrives through `pass_store` (options.py).

Imports of the store (and of anything heavy) happen inside the commands, so that `medpolicy
log` and `show` start without loading the parser's libraries.
"""
from __future__ import annotations

import click

from ..errors import EXIT_FINDINGS, EXIT_OK
from .options import State, common, pass_state, pass_store, store_option
from .output import Table, echo_json, echo_json_text, echo_policy, error, progress, warn

STATUS_COLOUR = {"new": "green", "correction": "yellow", "another-format": "cyan"}
STATUS_WORDS = {"another-format": "same edition, another format"}
AS_KNOWN_AT = click.option("--as-known-at", "as_known_at", metavar="DATE",
                           help="Answer as the store knew it at the end of DATE (YYYY-MM-DD) or at an ISO date-time.")


def _policy_key(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """`--policy` checked before any file is read: a malformed key is a usage error."""
    if value is not None:
        parts = [p for p in value.strip().split("/") if p.strip()]
        if not 1 <= len(parts) <= 2 or len(value.strip().split("/")) != len(parts):
            raise click.BadParameter(f"want PAYER/ID or ID, not {value!r}")
    return value


@click.command("init")
@click.argument("directory", required=False, metavar="[DIR]")
@store_option
@pass_state
def init(state: State, directory: str | None) -> None:
    """Create an empty policy store (a git repository) in DIR.

    DIR defaults to --store, else $MEDPOLICY_STORE, else ./policy-store.

    Exit status: 0 created, 2 if DIR is not empty or already a store, 3 if it cannot be written.

    \b
    Example:
      medpolicy init ~/policy-store
      export MEDPOLICY_STORE=~/policy-store
    """
    from ..store import PolicyStore

    PolicyStore.init(directory or state.path).close()
    click.echo(f"Created an empty policy store in {directory or state.path}")


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(exists=True, allow_dash=True))
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parse this many files in parallel (writing stays serial).")
@click.option("--policy", "policy_key", metavar="KEY", callback=_policy_key,
              help="Store as this policy (PAYER/ID, or ID under the document's payer) instead of the key "
                   "derived from the document.")
@click.option("--include", multiple=True, metavar="GLOB", help="In folders, only files matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="In folders, skip files matching GLOB (repeatable).")
@click.option("--dry-run", is_flag=True, help="Say what each file would become (key, status, date); write nothing.")
@click.option("--strict", is_flag=True, help="Treat extraction warnings as failures.")
@click.option("--timeout", type=click.FloatRange(min=0), default=None,
              help="Seconds allowed per PDF (default 60; 0: no limit).")
@common()
@pass_store
def ingest(store, paths: tuple[str, ...], jobs: int, policy_key: str | None, include: tuple[str, ...],
           exclude: tuple[str, ...], dry_run: bool, strict: bool, timeout: float | None, fmt: str) -> int:
    """Parse documents and record each as an edition of its policy.

    PATH is a file, a folder (searched recursively for .pdf, .html, .htm, .txt, .md files) or
    - for a document on stdin. Each file becomes a new edition, a correction (same date, other
    content), the same edition in another format (kept beside the first), or is reported
    unchanged when the same document was stored before. A line is printed for each file once
    its edition is saved to disk.

    Exit status: 0 all files stored, 1 when some file failed (the others are stored), 2 on a
    usage error (a missing PATH, a bad --policy, no documents), 3 when the store cannot be
    written (disk full, read-only).

    \b
    Example:
      medpolicy ingest policies/ --jobs 4 --exclude 'drafts/*'
      medpolicy ingest new-edition.pdf --dry-run
      curl -s https://example.org/policy.pdf | medpolicy ingest - --format json
    """
    from ..store.batch import ingest_files
    from .files import NO_DOCUMENTS, StdinFile, collect_files, is_empty_folder

    files = collect_files(paths, include, exclude)
    for folder in filter(is_empty_folder, files):
        warn(f"{folder}: {NO_DOCUMENTS}")
    files = [f for f in files if not is_empty_folder(f)]
    with StdinFile(files) as stdin, progress("ingest", len(files)) as bar, \
            Table(fmt, [], lambda r: [], fields=_INGEST_FIELDS) as table:
        def report(r) -> None:
            _report_file(r, stdin.shown(r.path), fmt, bar, table)

        results = ingest_files(store, stdin.swap(files), jobs=jobs, key=policy_key, timeout=timeout, strict=strict,
                               dry_run=dry_run, on_result=report)
    if not dry_run and any(r.status in ("new", "correction", "another-format") for r in results):
        store.maintain()
    counts = {s: sum(1 for r in results if r.status == s) for s in ("new", "correction", "another-format",
                                                                   "unchanged", "failed")}
    line = (f"{'would be: ' if dry_run else ''}{counts['new']} new, {counts['correction']} corrections, "
            f"{counts['another-format']} in another format, {counts['unchanged']} unchanged, {counts['failed']} failed")
    click.echo(line, err=fmt != "text")
    return EXIT_FINDINGS if counts["failed"] else EXIT_OK


_INGEST_FIELDS = ["path", "status", "key", "effective", "effective_from", "placed", "commit", "summary", "note",
                  "error"]


def _report_file(r, shown: str, fmt: str, bar: progress, table: Table) -> None:
    if r.status == "failed":
        bar.echo("error:", f" {shown}: {r.error}", colour="red", err=True)
    elif fmt == "text":
        word = STATUS_WORDS.get(r.status, r.status)
        note = f"  ({r.note})" if r.note else ""
        bar.echo(word.ljust(10), f" {r.key}  {r.placed}  {(r.commit or '')[:10]}  {shown}{note}",
                 colour=STATUS_COLOUR.get(r.status))
    if fmt != "text":
        table.add({**r.to_dict(), "path": shown})
    bar.advance()


@click.command("list")
@AS_KNOWN_AT
@common()
@pass_store
def list_(store, as_known_at: str | None, fmt: str) -> None:
    """List the policies in the store, with the date of their latest edition.

    Exit status: 0 ok, 2 on an error (no store, bad date).

    \b
    Example:
      medpolicy list
      medpolicy list --format csv --as-known-at 2025-12-31 > policies.csv
    """
    with Table(fmt, ["KEY", "PAYER", "ID", "LATEST", "EDITIONS", "TITLE"],
               lambda p: [p["key"], p["payer"] or "-", p["policy_id"] or "-", p["latest_placed"], str(p["editions"]),
                          p["title"] or "-"]) as table:
        for p in store.list(as_known_at=as_known_at):
            table.add(p.to_dict())


def _split(policy: str) -> tuple[str, str | None]:
    """POLICY[@DATE|@COMMIT] -> (policy, ref or None)."""
    name, at, ref = policy.rpartition("@")
    return (name, ref or None) if at else (policy, None)


@click.command("log")
@click.argument("policy", metavar="POLICY[@DATE|@COMMIT]")
@AS_KNOWN_AT
@common()
@pass_store
def log(store, policy: str, as_known_at: str | None, fmt: str) -> None:
    """Show a policy's editions, newest date first, down from the latest (or from the one in
    effect on DATE, or made by COMMIT). POLICY is a store key (payer/id), an id, a prefix or
    suffix of one, or a word of its title.

    Exit status: 0 ok, 2 on an error (unknown or ambiguous POLICY).

    \b
    Example:
      medpolicy log premera/8.01.01
      medpolicy log 8.01.01@2024-12-31 --format json
    """
    name, ref = _split(policy)
    key = store.resolve(name)
    editions = store.editions(key, as_known_at)
    if ref is not None:
        last = store.resolve_edition(key, ref, as_known_at=as_known_at)
        editions = editions[:[e.commit for e in editions].index(last.commit) + 1]
    with Table(fmt, ["EFFECTIVE", "INGESTED (UTC)", "COMMIT", "SOURCE", "SHA256", "SUMMARY"], _log_cells) as table:
        for ed in reversed(editions):
            table.add(ed.to_dict())


def _log_cells(e: dict) -> list[str]:
    source = e["source_name"] + (f" (also {', '.join(e['also_as'])})" if e["also_as"] else "")
    summary = ("correction: " if e["correction"] else "") + e["summary"]
    return [e["placed"], e["ingested_at"].replace("T", " ").rstrip("Z"), e["commit"][:10], source,
            e["source_sha256"][:12], summary]


@click.command("show")
@click.argument("policy", metavar="POLICY[@DATE|@COMMIT]")
@AS_KNOWN_AT
@common(("text", "json", "markdown"))
@pass_store
def show(store, policy: str, as_known_at: str | None, fmt: str) -> None:
    """Print one edition of a policy: the latest, the one in effect on DATE, or the one made by
    COMMIT. POLICY is a store key (payer/id), an id, a prefix or suffix of one, or a word of its
    title.

    --format json prints the same record as `medpolicy parse --format json`, as stored:
    keys sorted, source.path reduced to the file name.

    Exit status: 0 ok, 2 on an error (unknown policy, a DATE before the first edition).

    \b
    Example:
      medpolicy show premera/8.01.01@2025-06-01
      medpolicy show 8.01.01 --format markdown
    """
    name, ref = _split(policy)
    key = store.resolve(name)
    edition = store.resolve_edition(key, ref, as_known_at=as_known_at)
    if fmt == "json":  # the stored canonical JSON as it is: nothing to parse or load
        echo_json_text(store.record_json(edition).decode("utf-8", "surrogateescape"))
        return
    if fmt == "markdown":
        from ..models.markdown import policy_to_markdown

        click.echo(policy_to_markdown(store.record(edition)), nl=False)
        return
    import json

    record = json.loads(store.record_json(edition).decode("utf-8", "surrogateescape"))  # no models to load
    when = ("effective " if edition.effective_from == "effective" else "") + edition.placed
    echo_policy(record, f"{key} · edition {when} · commit {edition.commit[:10]}")


@click.command("verify")
@common()
@pass_state
def verify(state: State, fmt: str) -> int:
    """Check the store: git's integrity check (fsck), every record against the schema, every
    source file against its sha256, the layout of folders, and a work tree against its branch.

    Exit status: 0 sound, 1 when problems were found (one per line), 2 on an error.

    \b
    Example:
      medpolicy verify
      MEDPOLICY_STORE=~/policy-store medpolicy verify --format json
    """
    from ..store import PolicyStore

    with PolicyStore.open(state.path, damaged=True) as store:
        problems = store.verify()
        count = len(store.keys()) if not store.damaged else 0
    if fmt == "text":
        for p in problems:
            error(p)
        if not problems:
            click.echo(f"ok: {count} policies checked")
    else:
        with Table(fmt, [], lambda r: [], fields=["problem"]) as table:
            for p in problems:
                table.add({"problem": p})
    return EXIT_FINDINGS if problems else EXIT_OK


@click.command("mv")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@common(("text", "json"))
@pass_store
def mv(store, old: str, new: str, fmt: str) -> None:
    """Rename a policy's key, or merge it into another policy: OLD's editions become NEW's,
    with their history, in one commit. Documents that would be filed under OLD go to NEW
    from then on. Editions of the same date in both must be the same edition.

    Exit status: 0 moved, 2 on an error (unknown OLD, a bad NEW, editions that conflict).

    \b
    Example:
      medpolicy mv federal-employee-program/5.21.054 blue-cross-blue-shield-association/5.21.054
      medpolicy mv acme/untitled-policy acme/widget-therapy
    """
    moved = store.move(store.resolve(old), new.strip().lower())
    if fmt == "json":
        echo_json(moved.to_dict())
    else:
        click.echo(f"{moved.summary} (commit {moved.commit[:10]})")


COMMANDS = (init, ingest, list_, log, show, verify, mv)

