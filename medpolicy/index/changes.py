"""Each edition against the one before it, by the diff engine: the `changes` rows and the
edition's summary, class counts and substantive verdict, exactly as `medpolicy diff` judges.

Diffs are the cost of a full build (tens of milliseconds an edition, where everything else is
a few), so many of them are spread over worker processes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

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
    """Compare record `new` with `old` (None for a first edition): canonical JSON bytes."""

    edition_id: int
    old: bytes | None
    new: bytes
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


def _run(job: DiffJob) -> tuple[int, Verdict | str]:
    from ..errors import MedpolicyError

    try:
        return job.edition_id, judge(job.old, job.new, job.where)
    except MedpolicyError as exc:
        return job.edition_id, str(exc)


class Judges:
    """Runs diff jobs, in worker processes when there are enough of them to pay for a pool."""

    def __init__(self, expected: int, workers: int | None = None):
        self.workers = min(workers or os.cpu_count() or 1, expected)
        self._pool = None
        if self.workers >= 2 and expected >= POOL_MIN_DIFFS:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from ..diff import diff_policies  # noqa: F401  loaded once, before forking
            from ..lifeline import die_with_parent

            # workers die with us, even by kill -9 (lifeline.py)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=die_with_parent, initargs=(os.getpid(),))

    def map(self, jobs: list[DiffJob]) -> Iterator[tuple[int, Verdict | str]]:
        """(edition id, verdict or why it could not be computed) for each job, in order."""
        if self._pool is None:
            return map(_run, jobs)
        return self._pool.map(_run, jobs, chunksize=max(1, min(8, len(jobs) // (self.workers * 4))))

    def __enter__(self) -> "Judges":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
