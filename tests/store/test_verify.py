"""`verify` finds damage done behind the store's back (here: with plain git in a clone)."""
from __future__ import annotations

import json
import subprocess

from medpolicy.store import PolicyStore
from tests.store.docs import record
from tests.store.util import git

KEY = "contoso/ts-1.001"


def _store_with_two_editions(tmp_path):
    store = PolicyStore.init(tmp_path / "store")
    for year in (2024, 2025):
        policy, data = record(effective=f"{year}-01-01", text=f"text {year}")
        store.put(policy, data, f"{year}.txt")
    return store


def _tamper(store, tmp_path, edit) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(store.path), str(clone)], check=True)
    edit(clone / "contoso" / "ts-1.001")
    git(clone, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-qam", "tamper")
    git(clone, "push", "-q", "origin", "main")


def test_clean_store_verifies(tmp_path):
    assert _store_with_two_editions(tmp_path).verify() == []


def test_changed_source_file(tmp_path):
    store = _store_with_two_editions(tmp_path)
    _tamper(store, tmp_path, lambda d: (d / "editions" / "2024-01-01" / "source.txt").write_bytes(b"changed"))
    problems = store.verify()
    assert problems == [f"{KEY}/editions/2024-01-01/source.txt: sha256 does not match the record's source.sha256"]


def test_record_not_canonical_or_not_valid(tmp_path):
    store = _store_with_two_editions(tmp_path)

    def edit(folder):
        rec = folder / "editions" / "2024-01-01" / "record.json"
        rec.write_text(json.dumps(json.loads(rec.read_text()), indent=4))
        bad = folder / "editions" / "2025-01-01" / "record.json"
        data = json.loads(bad.read_text())
        data["unexpected"] = 1
        bad.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")

    _tamper(store, tmp_path, edit)
    problems = store.verify()
    assert any("2024-01-01/record.json: not in canonical form" in p for p in problems)
    assert any("2025-01-01/record.json" in p and "schema" in p for p in problems)
    assert any(p.startswith(f"{KEY}/record.json: differs from the latest edition") for p in problems)


def test_missing_objects_fail_fsck(tmp_path):
    store = _store_with_two_editions(tmp_path)
    packs = sorted((store.git_dir / "objects" / "pack").glob("pack-*.pack"), key=lambda p: p.stat().st_mtime)
    for p in packs[1:2]:  # the first edition's objects
        p.with_suffix(".idx").unlink()
        p.unlink()
    store.close()
    problems = PolicyStore.open(store.path).verify()
    assert any(p.startswith("git fsck:") for p in problems)


def test_policy_folder_replaced_by_a_symlink(tmp_path):
    """Issue 11, item 10: plain git replaces a policy folder by a symbolic link. `list` cannot
    show that policy (and says why), and `verify` reports it, through the real commands."""
    from tests.store.util import cli

    store = _store_with_two_editions(tmp_path)
    other, data = record(policy_id="TS-2.002")
    store.put(other, data, "other.txt")
    store.close()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(store.path), str(clone)], check=True)
    git(clone, "rm", "-rq", "contoso/ts-1.001")
    (clone / "contoso" / "ts-1.001").symlink_to("ts-2.002")
    git(clone, "add", "-A")
    git(clone, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-qm", "link")
    git(clone, "push", "-q", "origin", "main")

    proc = cli(store.path, "verify")
    assert proc.returncode == 1
    assert "contoso/ts-1.001: a symbolic link where a policy folder belongs" in proc.stderr
    proc = cli(store.path, "list")
    assert proc.returncode == 0 and "ts-2.002" in proc.stdout and "ts-1.001" not in proc.stdout
    assert "warning: contoso/ts-1.001: not a folder in the store (a symbolic link?)" in proc.stderr
