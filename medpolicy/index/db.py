"""Opening the index file: where it lives, whether it is ours, and how writers take turns.

Stdlib sqlite3 rather than sqlite-utils: the index needs transactions that span a whole update
(BEGIN IMMEDIATE ... COMMIT, so a killed update leaves the previous index), external-content
FTS5 tables with triggers, and deterministic row ids; sqlite-utils' conveniences (table
creation from dicts, upserts, enable-fts) would each have to be bypassed for one of these, and
it would add its import time to every `search`.

Writers queue on SQLite's own lock (BEGIN IMMEDIATE with a long busy timeout); the file is in
WAL mode, so readers keep answering from the last committed state while a writer works. Locks
die with their process, so a killed writer never blocks the next one.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from ..errors import StorageError, UsageError
from .schema import APPLICATION_ID, SCHEMA_VERSION

INDEX_NAME = "medpolicy-index.sqlite"
BUSY_SECONDS = 600.0  # a full build of a large store holds the write lock for minutes
MMAP_BYTES = 1 << 30


def default_path(git_dir: Path) -> Path:
    """The embedded index: one file in the store's git directory (never committed, never cloned)."""
    return Path(git_dir) / INDEX_NAME


def row_id(*parts: object) -> int:
    """A stable 63-bit row id for what a row is (see schema.py)."""
    digest = hashlib.blake2b("\0".join(str(p) for p in parts).encode("utf-8", "surrogatepass"),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def connect(path: Path, *, embedded: bool) -> sqlite3.Connection:
    """Open (creating if needed) the index at `path`. An embedded index that SQLite cannot read
    is derived data and is started afresh; a file named with --db that is not a medpolicy index
    is refused, never overwritten."""
    try:
        return _open(path)
    except sqlite3.DatabaseError as exc:
        if not embedded:
            raise UsageError(f"{path}: not a medpolicy index ({exc}); name another --db or delete it") from None
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return _open(path)


def _open(path: Path) -> sqlite3.Connection:
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; --db names the index file")
    try:
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    except sqlite3.OperationalError as exc:  # e.g. a read-only store folder: no file can be made there
        raise StorageError(f"cannot open the index ({exc}); name a writable file with --db", path=str(path)) from None
    # reads through a memory map: a query touching thousands of rows of a large index spends half
    # its time in read() calls otherwise (this reserves address space, not memory)
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app != APPLICATION_ID and (app != 0 or tables):
        conn.close()
        raise UsageError(f"{path}: is a database but not a medpolicy index; name another --db")
    if os.access(path, os.W_OK) or not path.exists():
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            # WAL with synchronous=NORMAL survives a killed process (not a power cut, which
            # costs only a rebuild: this is derived data)
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError:
            pass  # a read-only file or folder: reads still work
    return conn


def is_current_schema(conn: sqlite3.Connection) -> bool:
    return conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION and \
        conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    if not is_current_schema(conn):
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, **values: str | None) -> None:
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", list(values.items()))
