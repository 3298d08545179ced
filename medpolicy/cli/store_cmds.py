"""Store commands: init, ingest, list, log, show, verify. Thin wrappers over PolicyStore.

Imports of the store (and of anything heavy) happen inside the commands, so that `medpolicy
log` and `show` start without loading the parser's libraries.
"""
from __future__ import annotations

import sys

import click

from ..textsafe import safe_line
from .output import echo_json, echo_json_text, echo_policy, error, format_option, warn

DEFAULT_STORE = "./policy-store"
AS_KNOWN_AT = click.option("--as-known-at", "as_known_at", metavar="DATE",
                           help="Answer as the store knew it at the end of DATE (YYYY-MM-DD) "
                                "or at an ISO date-time.")


def _store_path(obj) -> str:
    return getattr(obj, "store_path", None) or DEFAULT_STORE


def _open(obj):
    from ..store import PolicyStore

    return PolicyStore.open(_store_path(obj))


def _style(text: str, **kw) -> str:
    return click.style(text, **kw)  # click.echo drops the colour when stdout is not a terminal


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()


def _table(header: list[str], rows: list[list[str]], last_free: bool = True) -> None:
    rows = [[safe_line(c) for c in r] for r in rows]  # cells come from documents and commits
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    if last_free:
        widths[-1] = 0
    click.echo(_style(_row(header, widths), bold=True))
    for r in rows:
        click.echo(_row(r, widths))


def _finish_store(store) -> None:
    for message in store.warnings:
        warn(message)
    store.close()


def register(cli: click.Group) -> None:
    @cli.command("init")
    @click.argument("directory", required=False, metavar="[DIR]")
    @click.pass_obj
    def init(obj, directory: str | None) -> None:
        """Create an empty policy store (a git repository) in DIR.

        DIR defaults to --store, else $MEDPOLICY_STORE, else ./policy-store.

        Exit status: 0 created, 2 if DIR is not empty or already a store.

        \b
        Example:
          medpolicy init ~/policy-store
          export MEDPOLICY_STORE=~/policy-store
        """
        from ..store import PolicyStore

        store = PolicyStore.init(directory or _store_path(obj))
        click.echo(f"Created an empty policy store in {store.path}")
        store.close()

    @cli.command("ingest")
    @click.argument("paths", nargs=-1, required=True, metavar="PATH...")
    @click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
                  help="Parse this many files in parallel (writing stays serial).")
    @click.option("--policy", "policy_key", metavar="KEY",
                  help="Store as this policy (PAYER/ID, or ID under the document's payer) instead of "
                       "the key derived from the document.")
    @click.option("--strict", is_flag=True, help="Treat extraction warnings as failures.")
    @click.option("--timeout", type=float, default=None, help="Seconds allowed per PDF (default 60).")
    @format_option(("text", "json"))
    @click.pass_obj
    def ingest(obj, paths: tuple[str, ...], jobs: int, policy_key: str | None, strict: bool,
               timeout: float | None, fmt: str) -> int:
        """Parse documents and record each as an edition of its policy.

        PATH is a file or a folder (searched recursively for .pdf, .html, .htm, .txt, .md files).
        Each file becomes a new edition, a correction (same effective date, different
        content), or is reported unchanged when the same document was stored before. A line is
        printed for each file once its edition is saved to disk.

        Exit status: 0 all files stored, 1 when some file failed (the others are stored),
        2 on an error such as a missing store.

        \b
        Example:
          medpolicy ingest policies/ --jobs 4
          medpolicy ingest new-edition.pdf --format json
        """
        from ..store.batch import collect_files, ingest_files

        files = collect_files(paths)
        store = _open(obj)
        try:
            results = _run_ingest(store, files, jobs, policy_key, timeout, strict, fmt)
            if any(r.status in ("new", "correction") for r in results):
                store.maintain()
        finally:
            _finish_store(store)
        counts = {s: sum(1 for r in results if r.status == s) for s in ("new", "correction", "unchanged", "failed")}
        if fmt == "json":
            echo_json({"new": counts["new"], "corrections": counts["correction"], "unchanged": counts["unchanged"],
                       "failed": counts["failed"], "files": [r.to_dict() for r in results]})
        else:
            click.echo(f"{counts['new']} new, {counts['correction']} corrections, {counts['unchanged']} unchanged, "
                       f"{counts['failed']} failed")
        return 1 if counts["failed"] else 0

    @cli.command("list")
    @AS_KNOWN_AT
    @format_option(("text", "json"))
    @click.pass_obj
    def list_(obj, as_known_at: str | None, fmt: str) -> None:
        """List the policies in the store, with their latest effective date.

        Exit status: 0 ok, 2 on an error (no store, bad date).

        \b
        Example:
          medpolicy list
          medpolicy list --format json --as-known-at 2025-12-31
        """
        store = _open(obj)
        try:
            items = store.list(as_known_at=as_known_at)
        finally:
            _finish_store(store)
        if fmt == "json":
            echo_json([p.to_dict() for p in items])
            return
        _table(["KEY", "PAYER", "ID", "LATEST", "EDITIONS", "TITLE"],
               [[p.key, p.payer or "-", p.policy_id or "-", p.latest_effective, str(p.editions), p.title or "-"]
                for p in items])

    @cli.command("log")
    @click.argument("policy")
    @AS_KNOWN_AT
    @format_option(("text", "json"))
    @click.pass_obj
    def log(obj, policy: str, as_known_at: str | None, fmt: str) -> None:
        """Show a policy's editions, newest effective date first.

        POLICY is a store key (payer/id), an unambiguous prefix of one, or a policy id.

        Exit status: 0 ok, 2 on an error (unknown or ambiguous POLICY).

        \b
        Example:
          medpolicy log premera/8.01.01
          medpolicy log 8.01.01 --format json
        """
        store = _open(obj)
        try:
            editions = list(reversed(store.editions(store.resolve(policy), as_known_at)))
        finally:
            _finish_store(store)
        if fmt == "json":
            echo_json([e.to_dict() for e in editions])
            return
        rows = [[e.effective, e.ingested_at.replace("T", " ").rstrip("Z"), e.commit[:10], e.source_name,
                 e.source_sha256[:12], (_style("correction: ", fg="yellow") if e.correction else "") + e.summary]
                for e in editions]
        _table(["EFFECTIVE", "INGESTED (UTC)", "COMMIT", "SOURCE", "SHA256", "SUMMARY"], rows)

    @cli.command("show")
    @click.argument("policy", metavar="POLICY[@DATE|@COMMIT]")
    @AS_KNOWN_AT
    @format_option(("text", "json", "markdown"))
    @click.pass_obj
    def show(obj, policy: str, as_known_at: str | None, fmt: str) -> None:
        """Print one edition of a policy: the latest, the one in effect on DATE, or the one
        made by COMMIT. POLICY is a store key (payer/id), an unambiguous prefix of one, or a
        policy id.

        --format json prints the same record as `medpolicy parse --format json`, as stored:
        keys sorted, source.path reduced to the file name.

        Exit status: 0 ok, 2 on an error (unknown policy, a DATE before the first edition).

        \b
        Example:
          medpolicy show premera/8.01.01@2025-06-01
          medpolicy show 8.01.01 --format markdown
        """
        ref, _, at = policy.rpartition("@") if "@" in policy else (policy, "", "")
        store = _open(obj)
        try:
            key = store.resolve(ref)
            if fmt == "json":  # the stored canonical JSON as it is: nothing to parse or load
                data = store.record_json(key, at or None, as_known_at=as_known_at)[0]
                echo_json_text(data.decode("utf-8", "surrogateescape"))
                return
            record, commit, edition = store.lookup(key, at or None, as_known_at=as_known_at)
            if fmt == "text":
                commit = store.edition_commit(key, edition, commit)
        finally:
            _finish_store(store)
        if fmt == "markdown":
            from ..models.markdown import policy_to_markdown

            click.echo(policy_to_markdown(record), nl=False)
        else:
            _print_record(record, key, edition, commit)

    @cli.command("verify")
    @format_option(("text", "json"))
    @click.pass_obj
    def verify(obj, fmt: str) -> int:
        """Check the store: git's integrity check (fsck), every record against the schema, every
        source file against its sha256.

        Exit status: 0 sound, 1 when problems were found (one per line), 2 on an error.

        \b
        Example:
          medpolicy verify
          MEDPOLICY_STORE=~/policy-store medpolicy verify --format json
        """
        store = _open(obj)
        try:
            problems = store.verify()
            keys = store.keys()
        finally:
            _finish_store(store)
        if fmt == "json":
            echo_json({"ok": not problems, "policies": len(keys), "problems": problems})
        elif problems:
            for p in problems:
                error(p)
        else:
            click.echo(f"ok: {len(keys)} policies checked")
        return 1 if problems else 0


def _run_ingest(store, files: list[str], jobs: int, key: str | None, timeout: float | None, strict: bool,
                fmt: str) -> list:
    from ..store.batch import ingest_files
    from .output import stderr_console

    console = stderr_console()
    bar = task = None
    if len(files) > 1 and console.is_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # no stream redirection: a redirected stdout must get the result lines, not the terminal
        bar = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=console, transient=True, redirect_stdout=False, redirect_stderr=False)
        task = bar.add_task("ingest", total=len(files))
    same_terminal = bar is not None and sys.stdout.isatty()

    def say(label: str, colour: str | None, rest: str, *, err: bool = False) -> None:
        if bar is not None and (err or same_terminal):
            from rich.text import Text

            # printed above the bar rather than through it
            bar.console.print(Text.assemble((label, colour or ""), rest), soft_wrap=True, highlight=False)
        elif err:
            error(rest.lstrip())
        else:
            click.echo((_style(label, fg=colour) if colour else label) + rest)
            sys.stdout.flush()  # the line is the acknowledgement: it must not wait in a buffer

    def report(r) -> None:
        if r.status == "failed":
            say("error:", "red", f" {safe_line(r.path)}: {safe_line(r.error)}", err=True)
        elif fmt == "text":
            colour = {"new": "green", "correction": "yellow"}.get(r.status)
            say(r.status.ljust(10), colour, f" {r.key}  {r.effective}  {(r.commit or '')[:10]}  {safe_line(r.path)}")
        if bar is not None:
            bar.advance(task)

    if bar is not None:
        bar.start()
    try:
        return ingest_files(store, files, jobs=jobs, key=key, timeout=timeout, strict=strict, on_result=report)
    finally:
        if bar is not None:
            bar.stop()


def _print_record(policy, key: str, edition: str, commit: str) -> None:
    echo_policy(policy, f"{key} · edition effective {edition} · commit {commit[:10]}")