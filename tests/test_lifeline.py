"""Issue 11, item 6: killing `medpolicy ingest --jobs N` (kill -9 or SIGTERM) leaves no pool
worker, PDF reader or `git cat-file` behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.store.docs import write_doc
from tests.store.util import MEDPOLICY, ROOT, cli


def _session(sid: int) -> dict[int, str]:
    """Live (not zombie) processes of session `sid`: pid -> command line."""
    out: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp session ...
        if int(fields[3]) == sid and fields[0] != "Z":
            out[int(entry.name)] = cmdline
    return out


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _reap(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to list processes")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_children_die_with_the_ingest_command(tmp_path, sig):
    store = tmp_path / "store"
    assert cli(store, "init").returncode == 0
    docs = tmp_path / "docs"
    long_text = "Widget therapy is considered investigational for other indications. " * 300
    for i in range(40):
        write_doc(docs, f"{i}.txt", policy_id=f"TS-{i}.001", extra=long_text)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([*MEDPOLICY, "--store", str(store), "ingest", str(docs), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        # the pool's two workers and git cat-file, besides the command itself
        assert _wait_for(lambda: len(_session(proc.pid)) >= 4, 30), _session(proc.pid)
        children = {pid: cmd for pid, cmd in _session(proc.pid).items() if pid != proc.pid}
        assert any("cat-file" in cmd for cmd in children.values()), children
        os.kill(proc.pid, sig)  # the command only, not its process group
        err = proc.communicate(timeout=60)[1].decode()
        assert _wait_for(lambda: not _session(proc.pid), 10), f"left running: {_session(proc.pid)}"
        if sig == signal.SIGTERM:
            assert proc.returncode == 143 and err.strip().splitlines()[-1] == "error: terminated", err
            assert "Traceback" not in err
    finally:
        proc.kill()
        _reap(_session(proc.pid))


def test_pdf_reader_child_dies_with_its_parent(tmp_path):
    """The time-limited child that reads a PDF (ingest.limits), here running a job that would
    never end, must not outlive a parent killed with kill -9."""
    code = ("import time; from medpolicy.ingest.limits import run_limited\n"
            "run_limited(time.sleep, 600, timeout=0, memory_mb=0, path_for_errors='x')\n")
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                            start_new_session=True)
    try:
        assert _wait_for(lambda: len(_session(proc.pid)) >= 2, 30)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert _wait_for(lambda: not _session(proc.pid), 10), f"left running: {_session(proc.pid)}"
    finally:
        proc.kill()
        _reap(_session(proc.pid))
