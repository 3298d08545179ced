"""Ingest many files: parse them (in parallel if asked), then store them serially in batches.

Parsing is the slow part and needs no lock, so it runs in a process pool; writing is fast and
must be ordered, so the parent writes whatever has been parsed in one `put_many` every half
second or 64 files. Each file is reported through `on_result` only once its edition is on disk,
so a caller that prints as results arrive never claims an edition that a crash could lose.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from ..errors import MedpolicyError, StorageError
from .repo import PolicyStore
from .results import PutRequest

FLUSH_FILES = 64
FLUSH_SECONDS = 0.5
FLUSH_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class FileResult:
    """The outcome for one file: status new / correction / another-format / unchanged / failed
    (see PutResult), with the key, the edition's date and what placed it, and a note when the
    edition joined a policy under another payer name."""

    path: str
    status: str
    key: str | None = None
    effective: str | None = None
    commit: str | None = None
    summary: str | None = None
    error: str | None = None
    effective_from: str | None = None
    note: str | None = None

    @classmethod
    def of(cls, path: str, res) -> "FileResult":
        return cls(path, res.status, res.key, res.effective, res.commit, res.summary, res.error, res.effective_from,
                   res.note)

    @property
    def placed(self) -> str:
        from .layout import describe_placement

        return describe_placement(self.effective, self.effective_from or "effective") if self.effective else ""

    def to_dict(self) -> dict:
        return {**asdict(self), "placed": self.placed or None}


def _parse(path: str, timeout: float | None, strict: bool):
    from ..ingest import parse_policy

    return parse_policy(path, timeout=timeout, strict=strict)


class _Writer:
    """Collects parsed files and stores them in batches."""

    def __init__(self, store: PolicyStore, key: str | None, on_result: Callable[[FileResult], None],
                 dry_run: bool = False):
        self.store = store
        self.key = key
        self.dry_run = dry_run
        self.on_result = on_result
        self.pending: list[tuple[str, object]] = []
        self.bytes = 0
        self.since = 0.0
        self.results: list[FileResult] = []

    def add(self, path: str, policy) -> None:
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append((path, policy))
        self.bytes += policy.source.size or 0
        if not self.dry_run and (len(self.pending) >= FLUSH_FILES or self.bytes >= FLUSH_BYTES):
            self.flush()

    def due(self) -> bool:
        # a dry run judges every file in one batch, so that each sees the ones before it
        return not self.dry_run and bool(self.pending) and time.monotonic() - self.since >= FLUSH_SECONDS

    def fail(self, path: str, message: str) -> None:
        self._report(FileResult(path, "failed", error=message))

    def flush(self) -> None:
        requests, paths = [], []
        for path, policy in self.pending:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                self.fail(path, f"cannot read file ({exc.strerror or exc})")
                continue
            requests.append(PutRequest(policy, data, path, self.key))
            paths.append(path)
        self.pending, self.bytes = [], 0
        try:
            landed = self.store.put_many(requests, dry_run=self.dry_run)
        except StorageError as exc:  # the disk filled up: say what did land, then stop
            self._report_landed(paths, exc.done)
            raise
        self._report_landed(paths, landed)

    def _report_landed(self, paths: list[str], results: list) -> None:
        for path, res in zip(paths, results):
            if res is not None:
                self._report(FileResult.of(path, res))

    def _report(self, result: FileResult) -> None:
        self.results.append(result)
        self.on_result(result)


def ingest_files(store: PolicyStore, files: list[str], *, jobs: int = 1, key: str | None = None,
                 timeout: float | None = None, strict: bool = False, dry_run: bool = False,
                 on_result: Callable[[FileResult], None] = lambda r: None) -> list[FileResult]:
    """Parse and store `files`; returns one FileResult per file, in the order they landed. With
    `dry_run`, parse them and say what each would become, writing nothing."""
    writer = _Writer(store, key, on_result, dry_run)
    if jobs <= 1:
        for path in files:
            try:
                writer.add(path, _parse(path, timeout, strict))
            except MedpolicyError as exc:
                writer.fail(path, exc.reason)
            if writer.due():
                writer.flush()
    else:
        _parse_in_pool(files, jobs, timeout, strict, writer)
    writer.flush()
    return writer.results


def _parse_in_pool(files: list[str], jobs: int, timeout: float | None, strict: bool, writer: _Writer) -> None:
    queue = list(reversed(files))
    tries: dict[str, int] = {}
    from ..lifeline import die_with_parent

    def new_pool() -> ProcessPoolExecutor:  # workers die with us, even by kill -9 (lifeline.py)
        return ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),))

    pool = new_pool()
    running: dict[Future, str] = {}
    try:
        while queue or running:
            while queue and len(running) < jobs * 2:
                path = queue.pop()
                running[pool.submit(_parse, path, timeout, strict)] = path
            done, _ = wait(running, timeout=FLUSH_SECONDS, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                path = running.pop(fut)
                try:
                    writer.add(path, fut.result())
                except MedpolicyError as exc:
                    writer.fail(path, exc.reason)
                except BrokenProcessPool:
                    # a parser process died (killed, out of memory); we cannot tell which file
                    # did it, so every file in flight gets one more try in a fresh pool
                    tries[path] = tries.get(path, 0) + 1
                    if tries[path] > 1:
                        writer.fail(path, "the parser process died on this file")
                    else:
                        queue.append(path)
                    broken = True
            if broken:
                for fut, path in running.items():
                    queue.append(path)
                running.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
            if writer.due():
                writer.flush()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
