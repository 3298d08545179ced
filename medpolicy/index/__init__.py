"""The library index: the whole store as one SQLite database, for questions across policies.

    from medpolicy.index import LibraryIndex
    with LibraryIndex.open(store) as index:        # embedded in the store's git directory
        index.search(Query(code="81445"))          # brought up to date first, if the store moved

Every question first compares the commit the index describes with the store's branch and brings
the index up to date when they differ (build.py), so an answer is never about an older store
than the one on disk; if the index cannot be written, the question fails rather than answer
from the past.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StorageError, StoreError
from .db import connect, default_path, get_meta
from .query import Library, Query, Scope, check_date

if TYPE_CHECKING:  # the update machinery loads only when the store has moved
    from ..store import PolicyStore
    from .build import Progress, UpdateReport

__all__ = ["LibraryIndex", "Query", "Scope", "UpdateReport", "check_date", "default_path", "refresh_embedded"]


class LibraryIndex:
    def __init__(self, store: PolicyStore, path: Path, *, embedded: bool):
        self.store = store
        self.path = path
        self.embedded = embedded
        self.conn = connect(path, embedded=embedded)
        self.last_update: UpdateReport | None = None

    @classmethod
    def open(cls, store: PolicyStore, path: str | Path | None = None) -> "LibraryIndex":
        """The index of `store`: at `path`, or the embedded one in its git directory."""
        if path is None:
            return cls(store, default_path(store.git_dir), embedded=True)
        return cls(store, Path(path).absolute(), embedded=False)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "LibraryIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def tip(self) -> str | None:
        """The store commit the index describes (None before the first build)."""
        return get_meta(self.conn, "store_tip")

    def update(self, *, rebuild: bool = False, workers: int | None = None,
               progress: Progress | None = None) -> UpdateReport:
        """Bring the index up to date with the store (everything again with `rebuild`)."""
        from .build import update

        try:
            self.last_update = update(self.store, self.conn, rebuild=rebuild, workers=workers, progress=progress)
        except sqlite3.OperationalError as exc:  # read-only file or folder, full disk
            raise StorageError(f"cannot update the index ({exc}); name a writable file with --db",
                               path=str(self.path)) from None
        return self.last_update

    def current(self, progress: Progress | None = None) -> Library:
        """Queries over an index that describes the store's tip as it is now."""
        if self.tip != store_tip(self.store):  # one `git rev-parse`: the price of never being stale
            self.update(progress=progress)
        return Library(self.conn)

    def search(self, query: Query) -> list[dict]:
        return self.current().search(query)

    def compare(self, query: Query) -> list[dict]:
        return self.current().compare(query)

    def changes(self, since: str, until: str | None = None, **kw) -> list[dict]:
        return self.current().changes(since, until, **kw)


def store_tip(store: PolicyStore) -> str:
    """The commit the store's branch points to now."""
    tip = store.git.rev_parse(store.ref + "^{commit}")
    if tip is None:
        raise StoreError("the store's branch has no commits", path=str(store.path))
    return tip


def refresh_embedded(store: PolicyStore) -> UpdateReport | None:
    """Bring the store's embedded index up to date if the store has one (what `ingest` does
    after writing; a store nobody indexed is left alone, and gets its index on the first
    question)."""
    path = default_path(store.git_dir)
    if not path.exists():
        return None
    with LibraryIndex(store, path, embedded=True) as index:
        return index.update()
