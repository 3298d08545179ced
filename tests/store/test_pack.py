"""Packs written without git, read back by git."""
from __future__ import annotations

import random
import struct
import subprocess

import pytest

from medpolicy.store.gitio import BLOB_MODE, TREE_MODE, format_tree, parse_tree
from medpolicy.store.pack import PackBuilder, _index, make_delta, remove_leftovers
from tests.store.util import assert_fsck_clean, git


@pytest.fixture
def bare(tmp_path):
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "r.git")], check=True)
    return tmp_path / "r.git"


def test_git_reads_every_object_including_deltas(bare):
    pack = PackBuilder()
    rng = random.Random(3)
    blobs = [pack.add("blob", bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 3000)))) for _ in range(20)]
    entries = {f"f{i:03d}": (BLOB_MODE, b) for i, b in enumerate(blobs)}
    trees = [pack.add("tree", format_tree(entries))]
    for i in range(30):  # one entry changed per version: stored as deltas
        entries[f"f{rng.randint(0, 19):03d}"] = (BLOB_MODE, blobs[rng.randint(0, 19)])
        entries[f"new{i}"] = (BLOB_MODE, blobs[0])
        trees.append(pack.add("tree", format_tree(entries), base=trees[-1]))
    top = pack.add("tree", format_tree({"sub": (TREE_MODE, trees[-1])}))
    path = pack.write(bare / "objects")
    verify = subprocess.run(["git", "verify-pack", "-v", str(path.with_suffix(".idx"))], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    assert "chain length = 1:" in verify.stdout  # deltas were used
    for oid in blobs + trees + [top]:
        kind, data = pack.raw[oid]
        got = subprocess.run(["git", "--git-dir", str(bare), "cat-file", kind, oid], capture_output=True, check=True)
        assert got.stdout == data
    assert parse_tree(pack.raw[trees[-1]][1]) == entries


def test_pack_order_puts_commits_first(bare):
    pack = PackBuilder()
    blob = pack.add("blob", b"x" * 100)
    tree = pack.add("tree", format_tree({"x": (BLOB_MODE, blob)}))
    pack.add("commit", f"tree {tree}\nauthor a <a> 1 +0000\ncommitter a <a> 1 +0000\n\nm\n".encode())
    path = pack.write(bare / "objects")
    listing = subprocess.run(["git", "verify-pack", "-v", str(path.with_suffix(".idx"))], capture_output=True,
                             text=True, check=True).stdout.splitlines()
    kinds = [ln.split()[1] for ln in listing if len(ln.split()) > 3 and ln.split()[1] in ("commit", "tree", "blob")]
    offsets = {ln.split()[1]: int(ln.split()[4]) for ln in listing if len(ln.split()) > 4 and ln.split()[1] in kinds}
    assert offsets["commit"] < offsets["tree"] < offsets["blob"]


@pytest.mark.parametrize("seed", range(5))
def test_delta_roundtrip_through_git(bare, seed):
    rng = random.Random(seed)
    base = bytes(rng.getrandbits(8) for _ in range(rng.randint(600, 70000)))
    target = bytearray(base)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(target))
        target[at:at + rng.randint(0, 300)] = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 400)))
    pack = PackBuilder()
    a = pack.add("blob", base)
    b = pack.add("blob", bytes(target), base=a)
    pack.write(bare / "objects")
    got = subprocess.run(["git", "--git-dir", str(bare), "cat-file", "blob", b], capture_output=True, check=True)
    assert got.stdout == bytes(target)
    assert len(make_delta(base, bytes(target))) < len(target)


def test_large_offsets_use_the_64_bit_table():
    ids = {"11" * 20: 12, "ff" * 20: 2**31 + 7}
    idx = _index(ids, {k: 0 for k in ids}, b"\0" * 20)
    n = 2
    offsets_at = 8 + 256 * 4 + n * 20 + n * 4
    small, large_ref = struct.unpack(">II", idx[offsets_at:offsets_at + 8])
    assert small == 12 and large_ref == 0x80000000
    assert struct.unpack(">Q", idx[offsets_at + 8:offsets_at + 16])[0] == 2**31 + 7


def test_leftovers_of_a_killed_writer_are_removed(bare):
    pack_dir = bare / "objects" / "pack"
    pack_dir.mkdir(parents=True, exist_ok=True)
    (pack_dir / "tmp_pack_medpolicy_x.pack").write_bytes(b"half")
    (pack_dir / "tmp_pack_other").write_bytes(b"not ours")
    assert remove_leftovers(bare / "objects") == ["tmp_pack_medpolicy_x.pack"]
    assert (pack_dir / "tmp_pack_other").exists()
    git(bare, "fsck")
    assert_fsck_clean(bare)
