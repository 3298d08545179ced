"""Issue 11, item 5: a full disk or a read-only store gives one clear line and exit status 3,
never a traceback, and never leaves anything git reads (a cut-off pack index) or fails on.

The store lives on a small tmpfs mounted for the test: a real full disk, at every amount of
free space from none to a few pages, so the write fails at each step of the write path in turn
(the pack, its index, the branch's lock file). Mounting needs root; elsewhere these tests skip.
"""
from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from tests.store.docs import write_doc
from tests.store.util import assert_fsck_clean, cli, git

PAGE = 4096


@pytest.fixture
def small_fs(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs (a disk that can fill up) needs root")
    mount = tmp_path / "fs"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(fs: Path, leave: int) -> Path:
    """Fill the file system up to `leave` free bytes."""
    filler = fs / "filler"
    filler.unlink(missing_ok=True)
    st = os.statvfs(fs)
    size = max(0, st.f_bavail * st.f_frsize - leave)
    with open(filler, "wb") as fh:
        try:
            fh.write(b"\0" * size)
            fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _assert_nothing_git_could_trip_on(store: Path) -> None:
    assert_fsck_clean(store)
    pack_dir = store / "objects" / "pack"
    names = os.listdir(pack_dir)
    assert not [n for n in names if n.startswith("tmp_pack_medpolicy")], names
    for name in names:
        if name.endswith(".idx"):
            assert (pack_dir / name).stat().st_size > 0 and name[:-4] + ".pack" in names, names


def _one_line(proc: subprocess.CompletedProcess, words: str) -> None:
    lines = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], proc.stderr


def test_full_disk_at_every_step_of_the_write(small_fs, tmp_path):
    store = small_fs / "store"
    assert cli(store, "init").returncode == 0
    docs = tmp_path / "docs"
    assert cli(store, "ingest", str(write_doc(docs, "first.txt"))).returncode == 0
    failed = 0
    stored = ["first.txt"]
    for pages in range(0, 8):
        doc = write_doc(docs, f"{pages}.txt", policy_id=f"TS-9.{pages:03d}", extra="x" * 3000)
        filler = _fill(small_fs, pages * PAGE)
        proc = cli(store, "ingest", str(doc))
        filler.unlink()
        if proc.returncode == 3:
            failed += 1
            _one_line(proc, "no space left on the device")
            assert str(store) in proc.stderr
        else:
            assert proc.returncode == 0, proc.stderr
            assert "Traceback" not in proc.stderr
            stored.append(doc.name)
        _assert_nothing_git_could_trip_on(store)
        assert cli(store, "verify").returncode == 0
    assert failed >= 2  # the disk really was too full for some of them
    # with space again, everything goes in and the store is sound
    proc = cli(store, "ingest", str(docs))
    assert proc.returncode == 0, proc.stderr
    listed = cli(store, "list", "--format", "json")
    assert listed.stdout.count('"key"') == 9
    _assert_nothing_git_could_trip_on(store)


def test_output_to_a_full_disk(small_fs, tmp_path):
    store = tmp_path / "store"
    cli(store, "init")
    cli(store, "ingest", str(write_doc(tmp_path / "docs", "a.txt", extra="y" * 20000)))
    _fill(small_fs, 0)
    with open(small_fs / "out.json", "w") as out:
        proc = subprocess.run([*cli_argv(store), "show", "ts-1.001", "--format", "json"], stdout=out,
                              stderr=subprocess.PIPE, text=True, env=cli_env(), timeout=120)
    assert proc.returncode == 3
    _one_line(proc, "no space left on the device")


def test_read_only_store(small_fs, tmp_path):
    store = small_fs / "store"
    assert cli(store, "init").returncode == 0
    docs = tmp_path / "docs"
    assert cli(store, "ingest", str(write_doc(docs, "a.txt"))).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    try:
        proc = cli(store, "ingest", str(write_doc(docs, "b.txt", policy_id="TS-2.002")))
        assert proc.returncode == 3
        _one_line(proc, "read-only")
        for args in (["list"], ["log", "ts-1.001"], ["show", "ts-1.001"], ["verify"]):
            proc = cli(store, *args)
            assert proc.returncode == 0 and "Traceback" not in proc.stderr, (args, proc.stderr)
        proc = cli(small_fs / "new-store", "init")
        assert proc.returncode == 3
        _one_line(proc, "read-only")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_fs)], check=True)
    assert git(store, "rev-list", "--count", "main").stdout.strip() == "2"
    _assert_nothing_git_could_trip_on(store)


def cli_argv(store: Path) -> list[str]:
    from tests.store.util import MEDPOLICY

    return [*MEDPOLICY, "--store", str(store)]


def cli_env() -> dict[str, str]:
    from tests.store.util import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("MEDPOLICY_STORE", None)
    return env
