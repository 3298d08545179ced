"""Run one parsing job in a child process with a time and memory limit.

PDF libraries can loop forever on a cyclic cross-reference table, inflate a compression bomb
until the machine swaps, or crash in C code. Running the job in a child process turns each of
these into one `DocumentError` for the file concerned, and the rest of a batch carries on.

The child is forked where the platform allows it (cheap: the libraries the parent already
imported are shared, nothing is re-imported); elsewhere it is spawned, which needs `fn` to be
a module-level function.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from typing import Any, Callable

from ..errors import DocumentError, LimitExceeded, UsageError

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048
EXIT_GRACE = 5.0  # seconds a child that has answered may take to exit before it is killed
TIMEOUT_ENV = "MEDPOLICY_PDF_TIMEOUT"
MEMORY_ENV = "MEDPOLICY_PDF_MEMORY_MB"

# Built before the job runs: once the child is out of memory it may not manage to build it.
_MEMORY_OUTCOME = pickle.dumps(("memory",))
_MAX_DETAIL = 160


def default_timeout() -> float:
    """Seconds allowed per job: $MEDPOLICY_PDF_TIMEOUT, else 60."""
    return _env_number(TIMEOUT_ENV, float, DEFAULT_TIMEOUT)


def default_memory_mb() -> int:
    """Megabytes allowed per job: $MEDPOLICY_PDF_MEMORY_MB, else 2048."""
    return _env_number(MEMORY_ENV, int, DEFAULT_MEMORY_MB)


def _env_number(name: str, kind: type, default: float | int) -> Any:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise UsageError(f"${name} must be a number, not {raw!r}") from None
    if value < 0:
        raise UsageError(f"${name} must not be negative")
    return value


def resolve_limits(timeout: float | None, memory_mb: int | None) -> tuple[float, int]:
    """The limits a job runs under: None means the default (environment, else 60 s / 2048 MB)."""
    if timeout is None:
        timeout = default_timeout()
    if memory_mb is None:
        memory_mb = default_memory_mb()
    if timeout < 0 or memory_mb < 0:
        raise UsageError("time and memory limits must not be negative")
    return timeout, memory_mb


def run_limited(fn: Callable[..., Any], *args: Any, timeout: float | None = None, memory_mb: int | None = None,
                path_for_errors: str) -> Any:
    """Return `fn(*args)` computed in a child process; the result must be picklable.

    `timeout` is wall-clock seconds and `memory_mb` the address space the job may add to what
    the process already holds (a forked child starts with the parent's libraries mapped, so an
    absolute cap would depend on what the caller happened to import). None means the default
    (environment, else 60 s / 2048 MB); 0 means no limit.

    Raises `LimitExceeded` when a limit is hit, `DocumentError` (naming `path_for_errors`) for
    anything else that goes wrong in the child; a `DocumentError` raised by `fn` keeps its
    message.
    """
    timeout, memory_mb = resolve_limits(timeout, memory_mb)
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    reader, writer = ctx.Pipe(duplex=False)
    # not a daemon: daemonic processes may not start children, and a job may call run_limited
    # itself (a batch runner wrapping parse_policy); we always reap the child ourselves
    proc = ctx.Process(target=_child_main, args=(writer, fn, args, memory_mb, os.getpid()))
    proc.start()
    writer.close()  # else the parent never sees end-of-file when the child dies
    payload: bytes | None = None
    finished = False  # the child sent its outcome or closed the pipe by dying
    try:
        remaining = timeout if timeout else None
        if reader.poll(remaining):
            try:
                payload = reader.recv_bytes()
            except EOFError:  # the child died before sending anything
                pass
            finished = True
        else:
            raise LimitExceeded(f"took longer than {timeout:g} s; gave up", path=path_for_errors)
    finally:
        reader.close()
        if finished:
            # a child that is done exits at once, unless the job left a thread running that
            # its exit waits for: give it a moment, then kill it like any other
            proc.join(EXIT_GRACE)
        if proc.exitcode is None:
            proc.kill()  # on timeout or Ctrl-C; the child ignores SIGINT so as to be killed here
        proc.join()
        exitcode = proc.exitcode
        proc.close()

    if payload is None:
        raise death_error(exitcode, memory_mb, path_for_errors)
    return outcome(pickle.loads(payload), memory_mb, path_for_errors)


def outcome(result: tuple, memory_mb: int, path: str) -> Any:
    """The job's value, or its failure raised as one MedpolicyError."""
    kind = result[0]
    if kind == "ok":
        return result[1]
    if kind == "memory":
        return _raise(LimitExceeded(f"needed more than {memory_mb} MB of memory", path=path))
    if kind == "recursion":
        return _raise(DocumentError("damaged PDF: cross-reference loop", path=path))
    if kind == "document":
        cls, reason, own_path = result[1], result[2], result[3]
        try:
            exc = cls(reason, path=own_path or path)
        except TypeError:  # a subclass with its own constructor: keep the message, lose the type
            exc = DocumentError(reason, path=own_path or path)
        return _raise(exc)
    # "crash": any other exception in the reader
    return _raise(DocumentError(f"unreadable PDF: {result[1]}: {result[2]}", path=path))


def _raise(exc: Exception) -> Any:
    raise exc


def death_error(exitcode: int | None, memory_mb: int, path: str) -> DocumentError:
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig == signal.SIGKILL:
            # We only send SIGKILL on timeout, handled before; otherwise it is the kernel's
            # out-of-memory killer.
            return LimitExceeded(f"needed more than {memory_mb} MB of memory (killed by the system)", path=path)
        if sig == signal.SIGABRT and memory_mb:
            # PDFium (C++) aborts when an allocation fails, which under our address-space limit
            # is what a compression bomb causes; its failed checks trap instead (SIGTRAP/SIGILL).
            return LimitExceeded(f"needed more than {memory_mb} MB of memory", path=path)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return DocumentError(f"unreadable PDF: the reader crashed ({name})", path=path)
    return DocumentError(f"unreadable PDF: the reader exited with status {exitcode} without a result", path=path)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _classify(exc: BaseException) -> tuple:
    """Libraries wrap the errors that matter (pdfplumber raises PdfminerException from a
    RecursionError or MemoryError), so look down the chain of causes for them."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, MemoryError):
            return ("memory",)
        if isinstance(cause, RecursionError):
            return ("recursion",)
        cause = cause.__cause__ or cause.__context__
    return ("crash", type(exc).__name__, _short(exc))


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time limit still applies
        return
    limit = (current_address_space() + memory_mb) << 20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # platforms that refuse RLIMIT_AS (macOS): time limit only
        pass


def current_address_space(status: str = "/proc/self/status") -> int:
    """Megabytes of address space a process holds now, read from its /proc status file (0
    where /proc is unavailable)."""
    try:
        with open(status, encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) >> 10
    except OSError:
        pass
    return 0


def prepare_child(memory_mb: int, parent: int) -> None:
    """First steps of every sandbox child: die with the parent, leave Ctrl-C to it, no crash
    dumps, the memory cap."""
    import gc

    from ..lifeline import die_with_parent

    # The parent's objects (spaCy, pydantic, the library) are inherited and never freed here:
    # keep the collector off them, or its first full pass writes to every one of them and the
    # kernel copies the parent's heap into this process (see gc.freeze in Python's docs).
    gc.freeze()
    die_with_parent(parent)  # a reader looping on a hostile PDF must not outlive a killed parent
    # Ctrl-C reaches the whole process group; the parent cleans up and kills us instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import faulthandler

        faulthandler.disable()  # a crash is reported by the parent in one line, not as a dump
    except ImportError:  # pragma: no cover
        pass
    if memory_mb:
        _limit_memory(memory_mb)


def run_job(fn: Callable[..., Any], args: tuple) -> bytes:
    """`fn(*args)` as the pickled outcome the parent's `outcome()` reads."""
    try:
        result: tuple = ("ok", fn(*args))
    except MemoryError:
        result = ("memory",)
    except RecursionError:
        result = ("recursion",)
    except DocumentError as exc:
        result = ("document", type(exc), " ".join(exc.reason.split()), exc.path)
    except Exception as exc:  # noqa: BLE001 - the one broad catch: whatever a PDF library raises
        # on a hostile file must become one DocumentError for that file, never a traceback.
        result = _classify(exc)
    try:
        return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return _MEMORY_OUTCOME
    except Exception as exc:  # noqa: BLE001 - an unpicklable result is a bug, reported as one line
        return pickle.dumps(("crash", type(exc).__name__, _short(exc)))


def send_outcome(conn, data: bytes) -> None:
    try:
        conn.send_bytes(data)
    except MemoryError:
        conn.send_bytes(_MEMORY_OUTCOME)


def _child_main(conn, fn: Callable[..., Any], args: tuple, memory_mb: int, parent: int) -> None:
    prepare_child(memory_mb, parent)
    data = run_job(fn, args)
    try:
        send_outcome(conn, data)
    except BrokenPipeError:  # the parent gave up on us
        pass
    finally:
        conn.close()
