"""What the commands share: the `--store` and `--format` options as one decorator, and the store
itself, opened on first use and handed to a command through click's `make_pass_decorator`."""
from __future__ import annotations

import functools
from typing import Callable

import click

from .output import TABLE_FORMATS, warn

DEFAULT_STORE = "./policy-store"
STORE_HELP = "Policy store folder (default: $MEDPOLICY_STORE, else ./policy-store)."


class State:
    """`ctx.obj`: where the store is, and the store once a command asks for it (closed, with its
    warnings printed, when the command ends)."""

    def __init__(self, store_path: str | None = None):
        self.store_path = store_path
        self._store = None

    @property
    def path(self) -> str:
        return self.store_path or DEFAULT_STORE

    def open(self):
        if self._store is None:
            from ..store import PolicyStore

            self._store = PolicyStore.open(self.path)
            click.get_current_context().call_on_close(self.close)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            for message in store.warnings:
                warn(message)
            store.close()


pass_state = click.make_pass_decorator(State, ensure=True)


def _set_store(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(State).store_path = value


def store_option(f: Callable) -> Callable:
    """`--store DIR`, accepted after the command name too (`medpolicy list --store DIR`)."""
    return click.option("--store", metavar="DIR", expose_value=False, is_eager=True, callback=_set_store,
                        help=STORE_HELP)(f)


def format_option(choices: tuple[str, ...] = TABLE_FORMATS, default: str = "text") -> Callable:
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format" + (" (jsonl: one object per line, as work completes)."
                                                if "jsonl" in choices else "."))


def common(formats: tuple[str, ...] = TABLE_FORMATS) -> Callable:
    """The options every store command has: `--store` and `--format`."""
    def decorate(f: Callable) -> Callable:
        return store_option(format_option(formats)(f))
    return decorate


def pass_store(f: Callable) -> Callable:
    """Hand the command the opened store as its first argument."""
    @pass_state
    def wrapper(state: State, *args, **kwargs):
        return f(state.open(), *args, **kwargs)
    return functools.update_wrapper(wrapper, f)
