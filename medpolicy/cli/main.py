"""The `medpolicy` command group. Commands live in one module per group and stay thin."""
from __future__ import annotations

import os
import signal
import sys
import threading

import click

from .. import __version__
from ..errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_TERMINATED, MedpolicyError, os_failure
from . import diff_cmd, library_cmds, parse_cmd, store_cmds
from .options import STORE_HELP, State
from .output import error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", envvar="MEDPOLICY_STORE", default=None, metavar="DIR", help=STORE_HELP)
@click.version_option(__version__, prog_name="medpolicy")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """Parse, store and compare health-plan medical policies.

    \b
    Example:
      medpolicy parse policy.pdf --format json
      medpolicy ingest policies/ && medpolicy log 8.01.01
    """
    ctx.obj = State(store)


for _command in (*parse_cmd.COMMANDS, *store_cmds.COMMANDS, *diff_cmd.COMMANDS, *library_cmds.COMMANDS):
    cli.add_command(_command)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same cleanup runs (a pool shut down, a lock
    released, a work tree synced) instead of the process vanishing mid-way."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> None:
    """Entry point: library errors become one line on stderr and an exit status (errors.py)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        # click's own `main` would turn Ctrl-C into Abort after printing a blank line: run the
        # command ourselves, so that every outcome is handled here, in one line
        with cli.make_context("medpolicy", list(sys.argv[1:] if argv is None else argv)) as ctx:
            rv = cli.invoke(ctx)
        sys.stdout.flush()  # a failure to deliver the output is an error of this command, reported here
    except click.exceptions.Exit as exc:  # --help, --version
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:  # a prompt answered with Ctrl-D
        error("aborted")
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MedpolicyError as exc:
        error(str(exc))
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # `medpolicy list | head -1`: quiet, and a success (the reader had enough)
        _drop_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except KeyboardInterrupt as exc:
        error("terminated" if isinstance(exc, Terminated) else "interrupted")
        sys.exit(EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED)
    except OSError as exc:  # writing our own output failed (stdout on a full disk), or a file the library did not wrap
        _drop_stdout()
        failure = os_failure(exc.errno, str(exc.filename), "cannot access it") if exc.filename else \
            os_failure(exc.errno, None, "cannot write the output")
        error(str(failure))
        sys.exit(failure.exit_code)
    sys.exit(rv if isinstance(rv, int) else 0)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of what could not be
    written cannot fail again with a message of its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no stdout at all
        pass
