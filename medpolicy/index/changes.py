"""Each edition against the one before it, by the diff engine: the `changes` rows and the
edition's summary, class counts and substantive verdict, exactly as `medpolicy diff` judges.

Diffs are the cost of a full build (tens of milliseconds an edition, where everything else is
well under one), so many of them are spread over worker processes.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import StoreError
from ..store.gitio import CatFile, Git
from ..store.serialize import load_record

# Below this many diffs a pool costs more to start than it saves.
POOL_MIN_DIFFS = 24
FIRST = "first edition"


@dataclass(frozen=True)
class Verdict:
    """What changed in one edition against the one before it (None for a first edition)."""

    summary: str
    substantive: bool | None
    classes: dict[str, int] | None
    changes: list[tuple[str, str, str, str]]  # (kind, op, class, label), in report order


@dataclass(frozen=True)
class DiffJob:
    """Compare record `new` (a blob id) with `old` (None for a first edition)."""

    edition_id: int
    old: str | None
    new: str
    where: str  # the edition, for error messages


def judge(old: bytes | None, new: bytes, where: str = "") -> Verdict:
    if old is None:
        return Verdict(FIRST, None, None, [])
    from ..diff import diff_policies

    diff = diff_policies(load_record(old, where=where), load_record(new, where=where))
    summary = diff.summary
    return Verdict(summary.text or "no changes", bool(summary.substantive), dict(summary.classes),
                   [(c.kind, c.op, c.change_class, c.label) for c in diff.changes])


def same_content(old: bytes, new: bytes, where: str = "") -> bool:
    """Whether two versions of one edition's record differ in nothing the diff sees (the same
    edition stored again from another file format)."""
    from ..diff import diff_policies

    return not diff_policies(load_record(old, where=where), load_record(new, where=where)).summary.changed


# Each worker process reads records through its own `git cat-file`: jobs carry blob ids only,
# so a full build never holds more than a few records in memory.
_reader: CatFile | None = None


def _start_worker(git_dir: str) -> None:
    global _reader
    _reader = CatFile(Git(Path(git_dir)))


def _run(job: DiffJob, reader: CatFile | None = None) -> tuple[int, Verdict | str]:
    from ..errors import MedpolicyError

    reader = reader or _reader
    assert reader is not None
    try:
        new = reader.blob(job.new)
        old = reader.blob(job.old) if job.old else None
        if new is None or (job.old and old is None):
            raise StoreError("a record's object is missing (run `medpolicy verify`)", path=job.where)
        return job.edition_id, judge(old, new, job.where)
    except MedpolicyError as exc:
        return job.edition_id, str(exc)


def run_all(jobs: list[DiffJob], reader: CatFile, git_dir: Path,
            workers: int | None = None) -> Iterator[tuple[int, Verdict | str]]:
    """(edition id, verdict or the reason it could not be computed) for every job, in any order."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers < 2 or len(jobs) < POOL_MIN_DIFFS:
        for job in jobs:
            yield _run(job, reader)
        return
    from ..diff import diff_policies  # noqa: F401  loaded once, before forking

    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                             initargs=(str(git_dir),)) as pool:
        yield from pool.map(_run, jobs, chunksize=max(1, min(16, len(jobs) // (workers * 4))))
