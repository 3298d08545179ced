"""A warm sandbox: `run_limited`'s child process kept up between documents.

Forking a sandbox for every PDF costs about 15 ms (the kernel copies the parent's page tables,
the child starts up), a tenth of the whole parse of a typical 14-page policy. A batch parses
hundreds of PDFs, so `run_warm` sends each job to one child that waits for the next job, under
the same guarantees as a one-shot child:

- **time**: the parent waits `timeout` seconds for the answer, then kills the reader (the next
  job gets a new one) and raises `LimitExceeded`;
- **memory**: the reader's address space is capped when it starts (the same headroom as
  `run_limited`); it is retired once it has grown by half that headroom, so a job never starts
  with less than half of it;
- **isolation**: one job at a time; any job that does not end with a value (a damaged or hostile
  file, a limit) retires the reader, so the next document starts in a fresh process; and a
  reader serves at most `RETIRE_AFTER` jobs;
- **lifetime**: the reader dies with its parent (`lifeline`), exits when its pipe closes, and is
  killed and reaped when the parent exits normally, multiprocessing workers included.

A call that finds the reader busy (another thread) or a job that cannot be pickled by reference
falls back to a one-shot child. Only where fork() exists (elsewhere: `run_limited`).
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import os
import pickle
import signal
import threading
from typing import Any, Callable

from ..errors import LimitExceeded
from .limits import (current_address_space, death_error, outcome, prepare_child, resolve_limits, run_job,
                     run_limited, send_outcome)

RETIRE_AFTER = 200  # jobs per reader: bounds what one process accumulates (caches, fragmentation)
_LOCK = threading.Lock()
_reader: _Reader | None = None


class _Reader:
    """One forked child serving jobs over a pipe."""

    def __init__(self, memory_mb: int):
        ours, theirs = multiprocessing.Pipe(duplex=True)
        parent = os.getpid()
        # the child's address space at birth is ours: its growth is measured from here
        self.start_mb = current_address_space()
        pid = os.fork()
        if pid == 0:  # the reader: never returns into the caller's stack
            code = 0
            try:
                ours.close()
                _keep_only(theirs.fileno())
                _serve(theirs, memory_mb, parent)
            except BaseException:  # noqa: BLE001 - whatever happens, this process must end here
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.pid, self.conn, self.memory_mb, self.owner, self.jobs = pid, ours, memory_mb, parent, 0

    def stop(self, *, kill: bool = True) -> int | None:
        """Close the pipe, kill the reader unless it has died already, reap it; its exit status
        as `Process.exitcode` gives it (negative: the signal that ended it)."""
        try:
            self.conn.close()
        except OSError:
            pass
        if self.owner != os.getpid() or self.pid is None:
            return None  # inherited through a fork (its starter reaps it), or reaped already
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        pid, self.pid = self.pid, None  # once reaped, the number may name another process
        try:
            _pid, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status)

    def grown(self) -> bool:
        """Whether the reader has used up half of its memory headroom."""
        if not self.memory_mb:
            return False
        return current_address_space(f"/proc/{self.pid}/status") - self.start_mb > self.memory_mb // 2


def _keep_only(fd: int) -> None:
    """Close every descriptor inherited from the parent but the job pipe and stderr. The reader
    outlives the moment it was forked: holding the write end of another child's stdin (the
    store's `git cat-file --batch`) or the parent's stdout pipe would keep those open after the
    parent closed them, and a reader of that pipe would wait for an end that never comes."""
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    os.closerange(3, fd)
    os.closerange(fd + 1, _max_fd())


def _max_fd() -> int:
    try:
        return max(int(n) for n in os.listdir("/proc/self/fd")) + 1
    except (OSError, ValueError):
        return os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024


def _serve(conn: multiprocessing.connection.Connection, memory_mb: int, parent: int) -> None:
    prepare_child(memory_mb, parent)
    while True:
        try:
            fn, args = pickle.loads(conn.recv_bytes())
        except EOFError:  # the parent closed the pipe: retired or gone
            return
        send_outcome(conn, run_job(fn, args))


def run_warm(fn: Callable[..., Any], *args: Any, timeout: float | None = None, memory_mb: int | None = None,
             path_for_errors: str) -> Any:
    """`run_limited(fn, *args, ...)`, computed in the warm reader when it is free."""
    timeout, memory_mb = resolve_limits(timeout, memory_mb)
    one_shot = (fn, *args)
    if not hasattr(os, "fork"):
        return run_limited(*one_shot, timeout=timeout, memory_mb=memory_mb, path_for_errors=path_for_errors)
    try:
        job = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):  # a local function: it needs its own fork
        return run_limited(*one_shot, timeout=timeout, memory_mb=memory_mb, path_for_errors=path_for_errors)
    if not _LOCK.acquire(blocking=False):  # another thread's job is running: don't queue behind it
        return run_limited(*one_shot, timeout=timeout, memory_mb=memory_mb, path_for_errors=path_for_errors)
    try:
        return _run(job, timeout, memory_mb, path_for_errors)
    finally:
        _LOCK.release()


def _run(job: bytes, timeout: float, memory_mb: int, path: str) -> Any:
    reader = _ready(memory_mb)
    try:
        reader.conn.send_bytes(job)
    except OSError:  # it died while idle (the thread that started it ended, say): a new one
        _retire()
        reader = _ready(memory_mb)
        reader.conn.send_bytes(job)
    try:
        if not reader.conn.poll(timeout if timeout else None):
            _retire()
            raise LimitExceeded(f"took longer than {timeout:g} s; gave up", path=path)
        payload = reader.conn.recv_bytes()
    except EOFError:  # the reader died on this job: say how
        raise death_error(_retire(kill=False), memory_mb, path) from None
    except BaseException:  # Ctrl-C while waiting: the job is abandoned with its reader
        _retire()
        raise
    result = pickle.loads(payload)
    reader.jobs += 1
    if result[0] != "ok" or reader.jobs >= RETIRE_AFTER or reader.grown():
        _retire()
    return outcome(result, memory_mb, path)


def _ready(memory_mb: int) -> _Reader:
    global _reader
    if _reader is not None and (_reader.memory_mb != memory_mb or _reader.owner != os.getpid()):
        _retire()
    if _reader is None:
        _reader = _Reader(memory_mb)
        _stop_at_exit()
    return _reader


_finalizer_for: int | None = None


def _stop_at_exit() -> None:
    """Retire the reader at exit, before multiprocessing joins its children; registered once
    per process (a multiprocessing child starts with an empty registry)."""
    global _finalizer_for
    if _finalizer_for != os.getpid():
        multiprocessing.util.Finalize(None, _retire, exitpriority=100)
        _finalizer_for = os.getpid()


def _retire(*, kill: bool = True) -> int | None:
    global _reader
    reader, _reader = _reader, None
    return reader.stop(kill=kill) if reader is not None else None


def _forget_in_child() -> None:
    """In a forked child the reader is the parent's: drop it without touching the process."""
    global _reader, _LOCK
    if _reader is not None:
        try:
            _reader.conn.close()
        except OSError:
            pass
    _reader = None
    _LOCK = threading.Lock()


def reader_pid() -> int | None:
    """The live reader's process id, if one is up (for tests and CPU accounting)."""
    return _reader.pid if _reader is not None and _reader.owner == os.getpid() else None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
