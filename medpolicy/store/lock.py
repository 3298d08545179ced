"""The writers' lock: an flock on a file inside the git directory.

flock, not a lock *file*: the kernel releases it when the holding process dies, however it
dies, so a `kill -9` never leaves a lock that blocks the next ingest (git's `index.lock` does).
The file itself stays; its existence means nothing.
"""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from ..errors import StoreError

LOCK_NAME = "medpolicy.lock"


class StoreLock:
    """Exclusive, blocking (up to `timeout` seconds) lock on one store."""

    def __init__(self, git_dir: Path, timeout: float = 300.0):
        self.path = git_dir / LOCK_NAME
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> "StoreLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        delay = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreError(f"store is busy: another writer held the lock for {self.timeout:.0f} s",
                                     path=str(self.path)) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
