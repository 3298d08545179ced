"""Issue 11, item 7: the work tree of a non-bare store never stays behind its branch (where a
`git commit` would record deletions of stored editions), and `verify` says so when it is."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from medpolicy.store import PolicyStore
from tests.store.docs import write_doc
from tests.store.util import MEDPOLICY, ROOT, cli, git


@pytest.fixture
def clone(tmp_path):
    bare = tmp_path / "bare"
    PolicyStore.init(bare).close()
    assert cli(bare, "ingest", str(write_doc(tmp_path / "docs", "first.txt"))).returncode == 0
    path = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(path))
    return path


def _staged(clone) -> list[str]:
    return [line for line in git(clone, "status", "--porcelain", "--untracked-files=no").stdout.splitlines() if line]


def test_a_sync_cut_short_is_reported_and_repaired(clone, tmp_path):
    docs = tmp_path / "docs"
    assert cli(clone, "ingest", str(write_doc(docs, "second.txt", policy_id="TS-2.002"))).returncode == 0
    assert _staged(clone) == []
    # A writer killed between moving the branch and updating the work tree: the same state,
    # made exactly, by a writer that skips the work-tree step.
    third = write_doc(docs, "third.txt", policy_id="TS-3.003")
    code = ("import sys; from medpolicy.ingest import parse_policy; from medpolicy.store import PolicyStore\n"
            "s = PolicyStore.open(sys.argv[1]); s.work_tree = None\n"
            "s.put(parse_policy(sys.argv[2]), open(sys.argv[2], 'rb').read(), sys.argv[2]); s.close()\n")
    subprocess.run([sys.executable, "-c", code, str(clone), str(third)], check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    staged = _staged(clone)
    assert staged and all(line.startswith("D ") for line in staged), staged  # a commit here would delete TS-3.003

    proc = cli(clone, "verify")
    assert proc.returncode == 1
    assert "1 commit(s) behind" in proc.stderr and "a `git commit` there would record that" in proc.stderr

    proc = cli(clone, "ingest", str(third))  # any later write (here: nothing new) completes the update
    assert proc.returncode == 0 and "unchanged" in proc.stdout, proc.stderr
    assert _staged(clone) == []
    assert (clone / "contoso-health" / "ts-3.003" / "record.json").is_file()
    assert cli(clone, "verify").returncode == 0


def test_local_edits_are_reported_not_lost(clone, tmp_path):
    readme = clone / "README.md"
    readme.write_text(readme.read_text() + "\nA local note.\n")
    proc = cli(clone, "ingest", str(write_doc(tmp_path / "docs", "second.txt", policy_id="TS-2.002")))
    assert proc.returncode == 0, proc.stderr
    assert "A local note." in readme.read_text()
    assert (clone / "contoso-health" / "ts-2.002" / "record.json").is_file()
    proc = cli(clone, "verify")
    assert proc.returncode == 1 and "1 file(s) differ from the store's branch, e.g. README.md" in proc.stderr


@pytest.mark.slow
def test_ctrl_c_at_random_moments_never_leaves_the_work_tree_behind(clone, tmp_path):
    """Ctrl-C as a terminal sends it (to the whole foreground process group) at random moments
    of `ingest` in a non-bare store: afterwards the work tree is always at the branch."""
    rng = random.Random(11)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    docs = tmp_path / "many"
    interrupted = 0
    for run in range(10):
        files = [write_doc(docs / str(run), f"{i}.txt", policy_id=f"TS-{run}.{i:03d}") for i in range(6)]
        proc = subprocess.Popen([*MEDPOLICY, "--store", str(clone), "ingest", *map(str, files)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(rng.uniform(0.3, 1.6))
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        out, err = proc.communicate(timeout=60)
        assert b"Traceback" not in err, err.decode()
        # 130: interrupted and cleaned up; -SIGINT: the signal came while the interpreter was still
        # starting (its default action, before any handler or any work), which a shell also shows as 130
        interrupted += proc.returncode in (130, -signal.SIGINT)
        assert proc.returncode in (0, 130, -signal.SIGINT), err.decode()
        assert _staged(clone) == [], (run, err.decode())
    assert interrupted >= 3
    assert cli(clone, "verify").returncode == 0
