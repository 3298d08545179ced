"""The `medpolicy` command group. Commands live in one module per group and stay thin."""
from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import MedpolicyError
from .output import error


class Context:
    """Shared state on ctx.obj: where the store is."""

    def __init__(self, store: str | None):
        self.store_path = store


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", envvar="MEDPOLICY_STORE", default=None, metavar="DIR",
              help="Policy store folder (default: $MEDPOLICY_STORE, else ./policy-store).")
@click.version_option(__version__, prog_name="medpolicy")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """Parse, store and compare health-plan medical policies.

    \b
    Example:
      medpolicy parse policy.pdf --format json
    """
    ctx.obj = Context(store)


def _register() -> None:
    from . import parse_cmd

    parse_cmd.register(cli)
    try:  # store and diff commands register themselves once their modules exist
        from . import store_cmds
        store_cmds.register(cli)
    except ImportError:  # pragma: no cover - removed once store lands
        pass
    try:
        from . import diff_cmd
        diff_cmd.register(cli)
    except ImportError:  # pragma: no cover
        pass
    from . import library_cmds

    library_cmds.register(cli)


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point: library errors become one line on stderr and exit status 2."""
    try:
        rv = cli.main(args=argv, prog_name="medpolicy", standalone_mode=False)
    except click.exceptions.Abort:
        error("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MedpolicyError as exc:
        error(str(exc))
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        error("interrupted")
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)
