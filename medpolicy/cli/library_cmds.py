"""Library commands: index, search, changes, site. Thin wrappers over medpolicy.index and
medpolicy.site; the printing of their results lives in library_output.py.

Each command opens the store and its index, which is brought up to date with the store's branch
before anything is answered (a note on stderr says when it was).
"""
from __future__ import annotations

import contextlib

import click

from .library_output import FORMATS, echo_changes, echo_compare, echo_hits, echo_update
from .options import State, format_option, pass_state, store_option
from .output import stage_progress, warn


DB = click.option("--db", "db", metavar="PATH", type=click.Path(dir_okay=False),
                  help="The index file (default: medpolicy-index.sqlite in the store's git directory).")
PAYER = click.option("--payer", "payers", multiple=True, metavar="NAME",
                     help="Only this payer (a part of its name or key; repeat for several).")


@contextlib.contextmanager
def opened_index(state: State, db: str | None):
    from ..index import LibraryIndex

    with LibraryIndex.open(state.open(), db) as index:
        yield index


def current(index):
    """The index's queries, after bringing it up to date (and saying so on stderr)."""
    library = index.current(progress=stage_progress())
    if index.last_update is not None and index.last_update.changed:
        r = index.last_update
        click.echo(f"index updated to {r.tip[:12]}: {r.added} added, {r.updated} updated, {r.removed} removed",
                   err=True)
        for line in r.skipped:
            warn(line)
    return library


@click.command("index")
@DB
@click.option("--rebuild", is_flag=True, help="Build it again from the store's first commit.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Processes comparing editions (default: one per CPU).")
@format_option(("text", "json"))
@store_option
@pass_state
def index_cmd(state: State, db: str | None, rebuild: bool, jobs: int | None, fmt: str) -> int:
    """Build or bring up to date the library index: one SQLite file of every edition.

    Only commits the index has not seen are read. `search`, `changes`, `site` and `ingest`
    update it too; this command does it explicitly. The file opens in the sqlite3 shell and
    in Datasette (the README documents its tables).

    Exit status: 0 up to date, 1 when some record could not be indexed (named on stderr; the
    rest is indexed), 2 on an error.

    \b
    Example:
      medpolicy index
      medpolicy index --db library.sqlite && datasette library.sqlite
    """
    with opened_index(state, db) as index:
        report = index.update(rebuild=rebuild, workers=jobs, progress=stage_progress())
        echo_update(report, index.path, fmt)
    for line in report.skipped:
        warn(line)
    return 1 if report.skipped else 0


@click.command("search")
@click.option("--code", metavar="CODE", help="A CPT, HCPCS or ICD-10 code; ranges that hold it count.")
@click.option("--system", type=click.Choice(["CPT", "HCPCS", "ICD-10-CM", "ICD-10-PCS"]),
              help="The code's system, when its shape leaves a doubt.")
@click.option("--text", metavar="WORDS", help='Words in statements or sections (all of them; "a phrase" in quotes).')
@click.option("--position", metavar="POSITION",
              help="Statements taking this position (medically_necessary, investigational, ...).")
@PAYER
@click.option("--as-of", "as_of", metavar="DATE", help="The editions in effect that day (default: the latest).")
@click.option("--compare", is_flag=True, help="One row per policy: the position it takes and its criteria.")
@click.option("--limit", "-n", type=int, metavar="N", help="Only the N best-matching policies (by text rank, else by key).")
@DB
@format_option(FORMATS)
@store_option
@pass_state
def search_cmd(state: State, code, system, text, position, payers, as_of, compare, limit, db, fmt) -> int:
    """Which policies list a code, say some words or take a position.

    Criteria combine (all must hold). Each hit names the payer, policy and edition, and shows the
    code row (with its description) or the statement (position, section) that matched; a
    policy that says the words only outside its statements is shown by those sections.

    Exit status: 0 found, 1 nothing found, 2 on an error.

    \b
    Example:
      medpolicy search --code 81445
      medpolicy search --text "liquid biopsy" --position investigational --as-of 2025-01-01
      medpolicy search --code 81445 --compare --format csv > compare.csv
    """
    from ..index import Query, Scope, check_date

    scope = Scope(as_of=check_date(as_of, "--as-of") if as_of else None, payers=tuple(payers))
    query = Query(code=code, system=system, text=text, position=position, scope=scope, limit=limit)
    query.check()
    with opened_index(state, db) as index:
        library = current(index)
        rows = library.compare(query) if compare else library.search(query)
        if not rows and position:
            _check_position(position)
    (echo_compare if compare else echo_hits)(rows, fmt)
    return 0 if rows else 1


def _check_position(position: str) -> None:
    """A position no statement takes may be a typo: say so (checked only when nothing was
    found, so that a search does not load the record models)."""
    from ..errors import UsageError
    from ..models import Position

    names = [p.value for p in Position]
    if position not in names:
        raise UsageError(f"--position is one of {', '.join(names)}")


@click.command("changes")
@click.option("--since", required=True, metavar="DATE", help="From this day (YYYY-MM-DD), inclusive.")
@click.option("--until", metavar="DATE", help="Up to this day, inclusive (default: no end).")
@click.option("--known", is_flag=True, help="By the day the store learned of each edition, not its effective date.")
@click.option("--substantive", is_flag=True, help="Only editions with a coverage or coding change.")
@click.option("--class", "classes", multiple=True, metavar="CLASS",
              help="Only editions with a change of this class (coverage, coding, ...; repeat for all of several).")
@PAYER
@DB
@format_option(FORMATS)
@store_option
@pass_state
def changes_cmd(state: State, since, until, known, substantive, classes, payers, db, fmt) -> int:
    """The store-wide change feed: one line per edition, newest first, with what changed
    against the edition before it.

    Editions are taken by effective date, or with --known by the day they became known. A
    policy's first edition is listed as such, and left out by --substantive and --class.

    \b
    Example:
      medpolicy changes --since 2026-01-01 --substantive
      medpolicy changes --since 2026-03-01 --known --class coverage --format json
    """
    from ..index import check_date

    since = check_date(since, "--since")
    until = check_date(until, "--until") if until else None
    with opened_index(state, db) as index:
        items = current(index).changes(since, until, known=known, substantive=substantive,
                                       classes=tuple(classes), payers=tuple(payers))
    if not items and classes:
        _check_classes(classes)
    echo_changes(items, fmt, known=known)
    return 0


def _check_classes(classes: tuple[str, ...]) -> None:
    """An unknown class finds nothing: say so (checked only then, as positions are)."""
    from ..diff.classes import load_rules
    from ..errors import UsageError

    names = load_rules().names
    unknown = [c for c in classes if c not in names]
    if unknown:
        raise UsageError(f"--class {unknown[0]!r} is not a change class; the classes are {', '.join(names)}")


@click.command("site")
@click.argument("out", metavar="OUT", type=click.Path(file_okay=False))
@DB
@store_option
@pass_state
def site_cmd(state: State, out: str, db: str | None) -> int:
    """Write a static HTML site of the library into the folder OUT.

    An index of policies (filter by payer and words, sortable), a page per policy with its
    editions as a timeline and the diff report of each edition against the one before, a code
    index and the recent changes. Self-contained: open OUT/index.html from disk, no server.
    OUT must be new, empty, or a site written before (which is replaced whole).

    \b
    Example:
      medpolicy site library-site/ && xdg-open library-site/index.html
    """
    from pathlib import Path

    from ..site import build_site

    with opened_index(state, db) as index:
        current(index)
        report = build_site(index, Path(out), progress=stage_progress())
    click.echo(f"wrote {report.pages} pages ({report.diffs} diff reports) to {report.out}; "
               f"open {report.out / 'index.html'}")
    return 0


COMMANDS = (index_cmd, search_cmd, changes_cmd, site_cmd)

