"""`PolicyStore.verify()`: check a store with git's eyes and with ours."""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from ..errors import StoreError
from .layout import EDITIONS, MARKDOWN, RECORD, date_sort_key, edition_name
from .serialize import canonical_json, load_record

if TYPE_CHECKING:
    from .repo import PolicyStore


def verify_store(store: "PolicyStore") -> list[str]:
    problems = _fsck(store)
    try:
        problems += _check_tree(store)
    except StoreError as exc:  # damage deep enough that the tree cannot be read at all
        problems.append(str(exc))
    return problems


def _check_tree(store: "PolicyStore") -> list[str]:
    problems: list[str] = []
    tip = store._require_tip()
    for key in store.keys(tip):
        folder = store.reader.tree(f"{tip}:{key}") or {}
        editions = store.reader.tree(f"{tip}:{key}/{EDITIONS}") or {}
        if not editions:
            problems.append(f"{key}: no editions/ folder")
            continue
        for name, (_, oid) in sorted(editions.items()):
            where = f"{key}/{EDITIONS}/{name}"
            files = store.reader.tree(oid) or {}
            problems += _check_edition(store, where, name, files)
        latest = max(editions, key=date_sort_key)
        latest_files = store.reader.tree(editions[latest][1]) or {}
        for fname, (mode, oid) in latest_files.items():
            if folder.get(fname, (None, None))[1] != oid:
                problems.append(f"{key}/{fname}: differs from the latest edition ({latest})")
    return problems


def _fsck(store: "PolicyStore") -> list[str]:
    proc = store.git.run("fsck", "--strict", "--no-dangling", "--no-progress", check=False)
    if proc.returncode == 0:
        return []
    lines = (proc.stdout + proc.stderr).decode("utf-8", "replace").splitlines()
    return [f"git fsck: {line}" for line in lines if line.strip() and not line.startswith("warning:")] \
        or [f"git fsck failed with status {proc.returncode}"]


def _check_edition(store: "PolicyStore", where: str, name: str, files: dict) -> list[str]:
    problems: list[str] = []
    if RECORD not in files:
        return [f"{where}: no {RECORD}"]
    if MARKDOWN not in files:
        problems.append(f"{where}: no {MARKDOWN}")
    sources = [f for f in files if f.startswith("source.")]
    if len(sources) != 1:
        problems.append(f"{where}: expected one source file, found {len(sources)}")
    data = store.reader.blob(files[RECORD][1]) or b""
    try:
        policy = load_record(data, where=f"{where}/{RECORD}")
    except StoreError as exc:
        return problems + [str(exc)]
    if canonical_json(policy) != data:
        problems.append(f"{where}/{RECORD}: not in canonical form")
    dated = edition_name(policy.effective)
    if dated is not None and dated != name:
        problems.append(f"{where}: the record's effective date is {dated}")
    if sources:
        blob = store.reader.blob(files[sources[0]][1]) or b""
        if hashlib.sha256(blob).hexdigest() != policy.source.sha256:
            problems.append(f"{where}/{sources[0]}: sha256 does not match the record's source.sha256")
    return problems
