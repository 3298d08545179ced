"""The warm reader: one sandboxed child serves job after job under the same limits as a one-shot
child, and every way it can go wrong costs that job only."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from medpolicy.errors import DocumentError, LimitExceeded
from medpolicy.ingest import reader
from medpolicy.ingest.reader import reader_pid, run_warm

from .test_limits import allocate, double, kill_self, raise_value_error, sleep_forever

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not os.path.isdir("/proc"), reason="fork and /proc")


def whoami(_x=None):
    return os.getpid()


def open_descriptors():
    return sorted(int(n) for n in os.listdir("/proc/self/fd"))


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(autouse=True)
def fresh_reader():
    reader._retire()
    yield
    reader._retire()


def test_jobs_share_one_process_that_is_not_ours():
    first = run_warm(whoami, path_for_errors="a.pdf")
    second = run_warm(whoami, path_for_errors="b.pdf")
    assert first == second == reader_pid()
    assert first != os.getpid()
    assert run_warm(double, 21, path_for_errors="a.pdf") == 42


def test_a_failed_job_retires_the_reader():
    first = run_warm(whoami, path_for_errors="a.pdf")
    with pytest.raises(DocumentError, match="ValueError"):
        run_warm(raise_value_error, path_for_errors="odd.pdf")
    assert not alive(first)
    assert run_warm(whoami, path_for_errors="b.pdf") != first


def test_timeout_kills_the_reader_and_the_next_job_gets_a_new_one():
    first = run_warm(whoami, path_for_errors="a.pdf")
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match="0.5 s"):
        run_warm(sleep_forever, timeout=0.5, path_for_errors="slow.pdf")
    assert time.monotonic() - start < 5
    assert not alive(first)
    assert run_warm(double, 2, path_for_errors="a.pdf") == 4


def test_memory_limit_holds_in_the_reader():
    with pytest.raises(LimitExceeded, match="200 MB"):
        run_warm(allocate, 1024, timeout=10, memory_mb=200, path_for_errors="bomb.pdf")
    assert run_warm(allocate, 20, timeout=10, memory_mb=200, path_for_errors="a.pdf") == 20 << 20


def test_a_reader_that_grew_past_half_its_headroom_is_retired():
    first = run_warm(allocate, 1, timeout=10, memory_mb=100, path_for_errors="a.pdf")
    assert first == 1 << 20
    pid = reader_pid()
    # bytearray memory is returned at once; a leak in a library is not: hold some on purpose
    run_warm(allocate_and_keep, 80, timeout=10, memory_mb=100, path_for_errors="b.pdf")
    assert reader_pid() is None and not alive(pid)


_kept = []


def allocate_and_keep(mb):
    _kept.append(bytearray(mb << 20))
    return mb


def test_a_crash_names_the_signal_and_costs_only_that_job():
    with pytest.raises(DocumentError, match="SIGSEGV"):
        run_warm(kill_self, signal.SIGSEGV, timeout=10, path_for_errors="crash.pdf")
    assert run_warm(double, 3, path_for_errors="a.pdf") == 6


def test_a_reader_that_died_while_idle_is_replaced():
    first = run_warm(whoami, path_for_errors="a.pdf")
    os.kill(first, signal.SIGKILL)
    time.sleep(0.1)
    second = run_warm(whoami, path_for_errors="b.pdf")
    assert second != first and alive(second)


def test_a_local_function_gets_a_one_shot_child():
    def local(x):
        return x + 1

    assert run_warm(local, 1, path_for_errors="a.pdf") == 2


def test_the_reader_holds_no_descriptor_of_ours():
    # stdin and stdout are /dev/null, stderr is kept; then only the job pipe (and the fd
    # listdir itself opened)
    fds = run_warm(open_descriptors, path_for_errors="a.pdf")
    assert fds[:3] == [0, 1, 2]
    assert len(fds) <= 5
    out = run_warm(stdout_target, path_for_errors="a.pdf")
    assert out == os.devnull


def stdout_target():
    return os.readlink("/proc/self/fd/1")


def test_it_is_retired_after_a_number_of_jobs(monkeypatch):
    monkeypatch.setattr(reader, "RETIRE_AFTER", 3)
    pids = [run_warm(whoami, path_for_errors="a.pdf") for _ in range(6)]
    assert len(set(pids)) == 2
    assert pids[:3] == [pids[0]] * 3


def test_threads_at_once_all_get_answers():
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda i: run_warm(double, i, timeout=30, path_for_errors="a.pdf"), range(12))) == [
            2 * i for i in range(12)]


def test_interrupt_kills_the_reader():
    first = run_warm(whoami, path_for_errors="a.pdf")
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        run_warm(sleep_forever, timeout=30, path_for_errors="slow.pdf")
    timer.join()
    assert not alive(first) and reader_pid() is None


def pool_job(_):
    return run_warm(whoami, path_for_errors="a.pdf")


def test_pool_workers_reap_their_readers_when_they_end():
    with ProcessPoolExecutor(2) as pool:
        pids = set(pool.map(pool_job, range(4)))
    time.sleep(0.2)
    assert pids and not any(alive(p) for p in pids)


def test_a_program_that_exits_leaves_no_reader_and_no_open_pipe():
    code = ("import sys\n"
            "from medpolicy.ingest.reader import run_warm, reader_pid\n"
            "from tests.ingest.test_reader import whoami\n"
            "print(run_warm(whoami, path_for_errors='a.pdf'), flush=True)\n")
    root = Path(__file__).resolve().parents[2]
    # stdout is a pipe read to its end: a reader still holding it would hang this call
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=root)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[0])
    assert not alive(pid)
