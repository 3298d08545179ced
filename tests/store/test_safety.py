"""Crashes, concurrent writers, outside git writers, and clones made with plain git."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from medpolicy.store import PolicyStore
from medpolicy.store.writer import Batch
from tests.store.docs import record, write_doc
from tests.store.util import MEDPOLICY, ROOT, assert_fsck_clean, cli, git

CRASH_WRITER = Path(__file__).with_name("crash_writer.py")


def _acks(stdout: bytes) -> list[tuple[str, str, str]]:
    """(key, effective, commit) of every complete acknowledgement line."""
    out = []
    for line in stdout.decode("utf-8", "replace").splitlines(keepends=True):
        parts = line.split()
        if line.endswith("\n") and len(parts) == 5 and parts[0] == "ack":
            out.append((parts[2], parts[3], parts[4]))
    return out


def _kill_at_random(argv: list[str], delay: float, *, after_line: bool = False, **kw) -> tuple[bytes, int]:
    """Run argv in its own process group and SIGKILL the whole group (git children included)
    `delay` seconds after it starts, or after its first line of output with `after_line`;
    returns what it printed and its exit status."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, start_new_session=True, **kw)
        first = proc.stdout.readline() if after_line else b""
        timer = threading.Timer(delay, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        out = first + proc.stdout.read()
        proc.wait(timeout=120)
        timer.cancel()
        errors.seek(0)
        assert proc.returncode in (0, -signal.SIGKILL), errors.read().decode()
    return out, proc.returncode


def _check_store_after_crashes(store: Path, acked: list[tuple[str, str, str]]) -> None:
    assert_fsck_clean(store)
    reachable = set(git(store, "rev-list", "HEAD").stdout.split())
    missing = [a for a in acked if a[2] not in reachable]
    assert not missing, f"acknowledged but lost: {missing[:5]}"
    s = PolicyStore.open(store)
    try:
        for key in sorted({a[0] for a in acked}):
            known = {(e.effective, e.commit) for e in s.editions(key)}
            assert {(a[1], a[2]) for a in acked if a[0] == key} <= known
        assert s.verify() == []
    finally:
        s.close()
    key = acked[0][0]
    for args in (["list"], ["log", key], ["show", key], ["show", f"{key}@2021-06-01"], ["verify"]):
        proc = cli(store, *args)
        assert proc.returncode == 0, (args, proc.stderr)


@pytest.mark.slow
def test_kill_minus_9_during_writes(tmp_path):
    """The write path killed at random points, many times: no half-made state, nothing
    acknowledged is lost, and the next writer needs no repair."""
    store = tmp_path / "store"
    PolicyStore.init(store).close()
    rng = random.Random(20251121)
    acked: list[tuple[str, str, str]] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = mid_write = runs = 0
    deadline = time.monotonic() + 30
    while kills < 40 and time.monotonic() < deadline:
        out, status = _kill_at_random([sys.executable, str(CRASH_WRITER), str(store), str(runs)],
                                      rng.uniform(0.0, 0.6), after_line=True, env=env)
        got = _acks(out)
        acked += got
        kills += status == -signal.SIGKILL
        mid_write += status == -signal.SIGKILL and bool(got)  # killed between two batches' writes
        runs += 1
    print(f"{runs} runs, {kills} killed, {mid_write} of them between acknowledged batches, {len(acked)} acks")
    assert kills >= 15 and mid_write >= 5, (kills, mid_write)
    # a run left to finish completes the universe
    done = subprocess.run([sys.executable, str(CRASH_WRITER), str(store), "999"], capture_output=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    acked += _acks(done.stdout)
    assert not list((store / "objects" / "pack").glob("tmp_pack_medpolicy_*"))
    _check_store_after_crashes(store, acked)
    s = PolicyStore.open(store)
    assert sum(p.editions for p in s.list()) == 60 * 4
    s.close()


@pytest.mark.slow
def test_kill_minus_9_of_the_ingest_command(tmp_path):
    """`medpolicy ingest` itself, killed at random moments: its printed lines are promises."""
    store = tmp_path / "store"
    PolicyStore.init(store).close()
    docs = tmp_path / "docs"
    for i in range(40):
        write_doc(docs, f"p{i:02d}-{2020 + i % 3}.txt", policy_id=f"TS-{i // 3}", effective=f"01/01/{2020 + i % 3}",
                  extra=f"Note {i}.")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(7)
    acked = []
    for run in range(6):
        out, _ = _kill_at_random([*MEDPOLICY, "--store", str(store), "ingest", str(docs), "--jobs", "2"],
                                 rng.uniform(0.5, 4.0), env=env, cwd=ROOT)
        for line in out.decode().splitlines():
            parts = line.split()
            if len(parts) == 5 and parts[0] in ("new", "correction", "unchanged"):
                acked.append((parts[1], parts[2], parts[3]))
    final = cli(store, "ingest", str(docs), "--format", "json")
    assert final.returncode == 0, final.stderr
    assert [r for r in json.loads(final.stdout) if r["status"] == "failed"] == []
    reachable = git(store, "rev-list", "HEAD").stdout.split()
    for key, eff, short in acked:
        assert any(c.startswith(short) for c in reachable), (key, eff, short)
    assert_fsck_clean(store)
    assert len(json.loads(cli(store, "list", "--format", "json").stdout)) == 14


def test_eight_concurrent_ingests_all_land(tmp_path):
    store = tmp_path / "store"
    PolicyStore.init(store).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = []
    for w in range(8):
        folder = tmp_path / f"w{w}"
        write_doc(folder, "own.txt", policy_id=f"TS-{w}", effective="01/01/2025")
        # every writer also adds an edition of one shared policy: they contend for one folder
        write_doc(folder, "shared.txt", policy_id="TS-99.1", effective=f"01/01/{2010 + w}")
        procs.append(subprocess.Popen([*MEDPOLICY, "--store", str(store), "ingest", str(folder), "--format", "json"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT))
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
        assert [r["status"] for r in json.loads(out)] == ["new", "new"]
    assert int(git(store, "rev-list", "--count", "HEAD").stdout) == 1 + 16
    listed = json.loads(cli(store, "list", "--format", "json").stdout)
    assert len(listed) == 9
    shared = json.loads(cli(store, "log", "TS-99.1", "--format", "json").stdout)
    assert [e["effective"] for e in shared] == [f"{y}-01-01" for y in range(2017, 2009, -1)]
    # the summaries follow effective dates, whatever order the writers landed in
    assert shared[-1]["summary"] == "first edition"
    assert all(e["summary"] != "first edition" for e in shared[:-1])
    assert_fsck_clean(store)


def test_branch_moved_by_plain_git_during_a_write(store, monkeypatch):
    """update-ref's compare-and-swap catches a writer that does not take our lock."""
    policy, data = record(policy_id="TS-OURS")
    real_apply = Batch.apply
    moved = []

    def apply_and_race(self, p):
        if not moved:  # someone pushes a commit while we build ours
            tip = git(store.path, "rev-parse", "HEAD").stdout.strip()
            tree = git(store.path, "rev-parse", "HEAD^{tree}").stdout.strip()
            theirs = git(store.path, "commit-tree", tree, "-p", tip, "-m", "outside commit").stdout.strip()
            git(store.path, "update-ref", "refs/heads/main", theirs, tip)
            moved.append(theirs)
        return real_apply(self, p)

    monkeypatch.setattr(Batch, "apply", apply_and_race)
    res = store.put(policy, data, "ours.txt")
    history = git(store.path, "rev-list", "HEAD").stdout.split()
    assert res.commit == history[0] and moved[0] in history  # theirs kept, ours on top
    assert store.get("contoso/ts-ours").policy_id == "TS-OURS"


def test_killed_writer_leftovers_are_cleaned(store):
    pack_dir = store.git_dir / "objects" / "pack"
    (pack_dir / "tmp_pack_medpolicy_deadbeef.pack").write_bytes(b"PACK half")
    orphan = pack_dir / ("pack-" + "ab" * 20 + ".pack")
    orphan.write_bytes(b"PACK no index")
    os.utime(orphan, (time.time() - 3600, time.time() - 3600))
    policy, data = record()
    store.put(policy, data, "x.txt")
    assert not (pack_dir / "tmp_pack_medpolicy_deadbeef.pack").exists() and not orphan.exists()
    assert_fsck_clean(store.path)


def test_plain_git_clone_works_with_every_command(store, tmp_path):
    for year in (2024, 2025):
        policy, data = record(effective=f"{year}-01-01", text=f"text {year}")
        store.put(policy, data, f"{year}.txt")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(store.path), str(clone)], check=True)
    assert (clone / "contoso" / "ts-1.001" / "record.json").is_file()  # browsable without medpolicy
    assert cli(clone, "list").returncode == 0
    log = json.loads(cli(clone, "log", "ts-1.001", "--format", "json").stdout)
    assert [e["effective"] for e in log] == ["2025-01-01", "2024-01-01"]
    shown = json.loads(cli(clone, "show", "ts-1.001@2024-06-01", "--format", "json").stdout)
    assert shown["statements"][0]["text"] == "text 2024"
    assert cli(clone, "verify").returncode == 0
    folder = tmp_path / "new"
    write_doc(folder, "2026.txt", policy_id="TS-1.001", effective="01/01/2026", payer="Contoso")
    proc = cli(clone, "ingest", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr
    # the clone's work tree follows its branch, so plain git sees a clean checkout
    assert git(clone, "status", "--porcelain").stdout == ""
    assert (clone / "contoso" / "ts-1.001" / "editions" / "2026-01-01" / "source.txt").is_file()
    # and the edition can be pushed back to the store it came from
    git(clone, "push", "-q", "origin", "main")
    assert [(p.key, p.editions) for p in store.list()] == [("contoso/ts-1.001", 3)]
    assert_fsck_clean(clone)
