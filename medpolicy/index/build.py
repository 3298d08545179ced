"""Bringing the index up to date with the store, incrementally.

One update is one SQLite transaction (BEGIN IMMEDIATE ... COMMIT) that ends by recording the
store commit it describes (`meta.store_tip`): a process killed anywhere in it leaves the index as
it was, still naming the old commit, and the next run redoes the work. Concurrent updaters queue
on the write lock; each re-reads `store_tip` once it holds the lock, so the second finds the
first's work done.

From the indexed commit to the store's tip:
- if the indexed commit is in the tip's history, only the edition records that differ between
  the two trees are read (`git diff-tree`), and only the commits between them are scanned for
  when each record became known;
- otherwise (first build, a schema change, history rewritten under the index, an index built
  from another store), everything is rebuilt from the tip.

Then, for each policy touched, editions are ordered by effective date and every edition whose
(previous record, own record) pair is not the one its changes were computed from is diffed
again: an edition inserted between two others re-judges the later one too.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator

from .. import __version__
from ..errors import MedpolicyError, StoreError
from ..store.layout import date_sort_key
from ..store.serialize import load_record
from . import changes as judge
from . import store_tip
from .commits import changed_records, commits_between, edition_of, is_ancestor, last_touch, read_blobs
from .db import get_meta, is_current_schema, set_meta
from .rows import change_rows, child_rows, edition_columns, edition_id
from .schema import EDITION_TABLES, SCHEMA_VERSION, create, create_fts
from .timeline import Known, Timeline, iso, parse_iso

if TYPE_CHECKING:
    from ..store import PolicyStore

Progress = Callable[[str, int, int], None]  # (stage, done, total)
READ_CHUNK = 500  # records read from git at once (bounds memory on a full build)
DIFF_CHUNK = 256  # edition pairs handed to the diff workers at once


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass
class UpdateReport:
    """What one update did. `tip` is the store commit the index now describes."""

    tip: str
    previous_tip: str | None
    rebuilt: bool = False
    added: int = 0
    updated: int = 0
    removed: int = 0
    diffed: int = 0
    skipped: list[str] = field(default_factory=list)  # "path: reason"
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return self.tip != self.previous_tip

    def to_dict(self) -> dict:
        return {"tip": self.tip, "previous_tip": self.previous_tip, "rebuilt": self.rebuilt,
                "added": self.added, "updated": self.updated, "removed": self.removed,
                "diffed": self.diffed, "skipped": self.skipped, "seconds": round(self.seconds, 3)}


def update(store: PolicyStore, conn: sqlite3.Connection, *, rebuild: bool = False, workers: int | None = None,
           progress: Progress | None = None) -> UpdateReport:
    """Bring the index on `conn` up to date with `store`'s tip (see the module docstring)."""
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    try:
        tip = store_tip(store)  # read under the lock: a queued updater sees the latest tip
        indexed = get_meta(conn, "store_tip")
        report = UpdateReport(tip=tip, previous_tip=indexed)
        if indexed == tip and not rebuild:
            conn.execute("COMMIT")
            return report
        if rebuild or indexed is None or not is_current_schema(conn) or not is_ancestor(store.git, indexed, tip):
            create(conn, fts=False)
            indexed, report.rebuilt = None, True
        _Updater(store, conn, indexed, tip, report, workers, progress).run()
        if report.rebuilt:
            create_fts(conn)
        set_meta(conn, store_tip=tip, store_path=str(store.path), schema_version=str(SCHEMA_VERSION),
                 medpolicy_version=__version__, updated_at=iso(int(time.time())))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    report.seconds = time.perf_counter() - started
    return report


class _Updater:
    def __init__(self, store: PolicyStore, conn: sqlite3.Connection, base: str | None, tip: str,
                 report: UpdateReport, workers: int | None, progress: Progress | None):
        self.store, self.conn, self.base, self.tip = store, conn, base, tip
        self.report, self.workers = report, workers
        self.progress = progress or (lambda stage, done, total: None)
        self.touched: set[str] = set()

    def run(self) -> None:
        git = self.store.git
        changed = changed_records(git, self.base, self.tip)
        if not changed:
            return
        timeline = Timeline(self._indexed, self._same)
        timeline.replay(commits_between(git, self.base, self.tip))
        for path in (p for p, o in changed.items() if o is None):
            self._remove(path)
        present = sorted(p for p, o in changed.items() if o is not None)
        done = 0
        for chunk in _chunks(present, READ_CHUNK):
            blobs = read_blobs(git, [changed[p] for p in chunk])  # type: ignore[misc]
            for path in chunk:
                known = timeline.state.get(path)
                if known is None or known.oid != changed[path]:  # its last content came from a merge
                    last = last_touch(git, self.tip, path)
                    known = Known(changed[path], last.timestamp, last.timestamp, last.id)  # type: ignore[arg-type]
                self._put(path, known, blobs.get(known.oid))
                done += 1
                self.progress("reading records", done, len(present))
        self._rejudge()

    def _indexed(self, path: str) -> Known | None:
        key, eff = edition_of(path)  # type: ignore[misc]
        row = self.conn.execute("SELECT record_oid, first_known_at, known_at, commit_id, effective_from "
                                "FROM editions WHERE id = ?", (edition_id(key, eff),)).fetchone()
        return Known(row[0], parse_iso(row[1]), parse_iso(row[2]), row[3], row[4]) if row else None

    def _same(self, old: str, new: str) -> bool:
        old_data, new_data = self.store.reader.blob(old), self.store.reader.blob(new)
        if old_data is None or new_data is None:
            return False
        try:
            return judge.same_content(old_data, new_data)
        except MedpolicyError:  # one of them is not a valid record: not the same
            return False

    # --- editions ---------------------------------------------------------------------------

    def _remove(self, path: str) -> None:
        key, eff = edition_of(path)  # type: ignore[misc]
        eid = edition_id(key, eff)
        if self.conn.execute("SELECT 1 FROM editions WHERE id = ?", (eid,)).fetchone():
            self._delete(eid)
            self.report.removed += 1
        self.conn.execute("DELETE FROM skipped WHERE path = ?", (path,))
        self.touched.add(key)

    def _delete(self, eid: int) -> None:
        for table in EDITION_TABLES:
            self.conn.execute(f"DELETE FROM {table} WHERE edition_id = ?", (eid,))
        self.conn.execute("UPDATE editions SET previous_id = NULL WHERE previous_id = ?", (eid,))
        self.conn.execute("DELETE FROM editions WHERE id = ?", (eid,))

    def _put(self, path: str, known: Known, data: bytes | None) -> None:
        key, eff = edition_of(path)  # type: ignore[misc]
        eid = edition_id(key, eff)
        self.touched.add(key)
        self.conn.execute("DELETE FROM skipped WHERE path = ?", (path,))
        existed = self.conn.execute("SELECT 1 FROM editions WHERE id = ?", (eid,)).fetchone() is not None
        if existed:
            self._delete(eid)
        try:
            if data is None:
                raise StoreError("the record's object is missing (run `medpolicy verify`)")
            policy = load_record(data, where=path)
        except MedpolicyError as exc:
            self.conn.execute("INSERT INTO skipped (path, record_oid, reason) VALUES (?, ?, ?)",
                              (path, known.oid, exc.reason))
            self.report.skipped.append(f"{path}: {exc.reason}")
            self.report.removed += existed
            return
        if existed:
            self.report.updated += 1
        else:
            self.report.added += 1
        cols = edition_columns(key, eff, policy)
        cols.update(known_at=iso(known.known), first_known_at=iso(known.first_known), commit_id=known.commit,
                    record_oid=known.oid, effective_from=known.effective_from)
        self.conn.execute(f"INSERT INTO editions ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                          list(cols.values()))
        for table, rows in child_rows(key, eff, policy).items():
            if rows:
                self.conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)

    # --- order and changes --------------------------------------------------------------------

    def _rejudge(self) -> None:
        pending: list[tuple[int, str | None, str, str]] = []  # (edition, previous record, record, where)
        pairs: dict[int, str] = {}
        for key in sorted(self.touched):
            rows = self.conn.execute("SELECT id, effective, record_oid, diffed FROM editions WHERE policy_key = ?",
                                     (key,)).fetchall()
            if not rows:
                self.conn.execute("DELETE FROM policies WHERE key = ?", (key,))
                continue
            rows.sort(key=lambda r: date_sort_key(r[1]))
            prev = None
            for i, (eid, eff, oid, diffed) in enumerate(rows):
                pair = f"{prev[2] if prev else ''}:{oid}"
                self.conn.execute("UPDATE editions SET previous_id = ?, is_latest = ? WHERE id = ?",
                                  (prev[0] if prev else None, int(i == len(rows) - 1), eid))
                if diffed != pair:
                    pending.append((eid, prev[2] if prev else None, oid, f"{key}@{eff}"))
                    pairs[eid] = pair
                prev = (eid, eff, oid)
            self._policy_row(key)
        done = 0
        with judge.Judges(len(pending), self.workers) as judges:
            for chunk in _chunks(pending, DIFF_CHUNK):
                blobs = read_blobs(self.store.git, [o for _, old, new, _ in chunk for o in (old, new) if o])
                jobs = [judge.DiffJob(eid, blobs.get(old, b"") if old else None, blobs.get(new, b""), where)
                        for eid, old, new, where in chunk]
                for eid, verdict in judges.map(jobs):
                    self._write_verdict(eid, verdict, pairs[eid])
                    done += 1
                    self.progress("comparing editions", done, len(pending))
        self.report.diffed = len(pending)

    def _write_verdict(self, eid: int, verdict: judge.Verdict | str, pair: str) -> None:
        key, eff = self.conn.execute("SELECT policy_key, effective FROM editions WHERE id = ?", (eid,)).fetchone()
        self.conn.execute("DELETE FROM changes WHERE edition_id = ?", (eid,))
        if isinstance(verdict, str):  # the diff could not read a record: say so, retry next time
            self.report.skipped.append(f"{key}@{eff}: not compared with the edition before it: {verdict}")
            self.conn.execute("UPDATE editions SET summary = ?, substantive = NULL, classes = NULL, diffed = NULL "
                              "WHERE id = ?", (f"not compared: {verdict}", eid))
            return
        self.conn.execute("UPDATE editions SET summary = ?, substantive = ?, classes = ?, diffed = ? WHERE id = ?",
                          (verdict.summary, None if verdict.substantive is None else int(verdict.substantive),
                           None if verdict.classes is None else json.dumps(verdict.classes),  # the diff's order
                           pair, eid))
        rows = change_rows(key, eff, verdict.changes)
        if rows:
            self.conn.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _policy_row(self, key: str) -> None:
        self.conn.execute("""
            INSERT OR REPLACE INTO policies (key, payer, policy_id, title, latest_effective, editions, first_known_at)
            SELECT e.policy_key, e.payer, e.policy_id, e.title, e.effective,
                   (SELECT count(*) FROM editions x WHERE x.policy_key = e.policy_key),
                   (SELECT min(first_known_at) FROM editions x WHERE x.policy_key = e.policy_key)
            FROM editions e WHERE e.policy_key = ? AND e.is_latest = 1""", (key,))
