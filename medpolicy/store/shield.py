"""Ctrl-C and SIGTERM wait until a step that must not be cut in half has finished.

The store itself never needs this (a killed writer leaves the previous commit or the next one),
but the work tree of a non-bare store does: cut between the branch moving and the work tree
following, its index is left at the old tree, and a later `git commit` there would record the
difference, deleting what was just stored (issue 11). Under `shielded()` a signal is held and
delivered once the block is done; a SIGKILL cannot be held, which is why the store also repairs
a work tree left behind on its next write (repo.py).
"""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

_HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def shielded() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals in Python
        return
    received: list[int] = []

    def hold(signum: int, frame: object) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, hold) for sig in _HELD}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            os.kill(os.getpid(), received[0])  # now handled as it would have been
