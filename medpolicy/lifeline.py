"""Child processes die with the process that started them.

A parser pool worker, a PDF reader child, or a `git cat-file --batch` left running after
`kill -9` of `medpolicy ingest` runs forever: a worker waits on a queue whose writing end other
workers still hold, and git waits on a pipe those workers inherited. So every child medpolicy
starts is tied to its parent:

- Python children (pool workers, the PDF reader) call `die_with_parent()` first thing: on
  Linux the kernel sends them SIGKILL when their parent dies (PR_SET_PDEATHSIG); elsewhere a
  daemon thread notices that the parent changed and exits.
- `git cat-file --batch` ends by itself when its stdin closes; once the Python children are
  gone, nothing holds that pipe open but the dead parent, so it does.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_POLL_SECONDS = 1.0


def die_with_parent(parent: int | None = None) -> None:
    """Arrange for this process to end when its parent does. `parent` is the pid the parent had
    when it started us (the parent may already be gone by the time we run)."""
    expected = parent if parent is not None else os.getppid()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (cli.main's): just end
    if not _linux_death_signal():
        threading.Thread(target=_watch_parent, args=(expected,), daemon=True, name="lifeline").start()
    if os.getppid() != expected:  # the parent died before the signal was armed
        os._exit(1)


def _linux_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(expected: int) -> None:
    while os.getppid() == expected:
        time.sleep(_POLL_SECONDS)
    os._exit(1)
