"""`medpolicy mv OLD NEW`: a policy's folder renamed, or merged into another policy's.

A rename moves the folder as it is (the same tree, under the new name). A merge copies OLD's
editions into NEW's `editions/`; an edition both have on the same date must be the same edition
(the diff finds no change), and then OLD's source files are kept beside NEW's as other formats;
editions of one date that differ stop the merge before anything is written. NEW's top level then
mirrors its latest edition again. The history stays where it is: the move commit says where the
policy went, and the store reads OLD's commits as NEW's from then on.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from ..errors import NotFoundError, UsageError
from .gitio import TREE_MODE
from .layout import EDITIONS, RECORD, date_sort_key
from .serialize import load_record
from .summary import compare

if TYPE_CHECKING:
    from .trees import TreeEditor


def move_tree(tree: "TreeEditor", old: str, new: str) -> str:
    """Edit `tree` to move policy `old` to `new`; returns a one-line account of what it did."""
    entries = tree.listdir(old)
    if not entries or RECORD not in entries:
        raise NotFoundError(f"no policy {old} in the store")
    if not tree.listdir(new):
        parent, _, name = old.rpartition("/")
        tree.put_entry(new, TREE_MODE, tree.listdir(parent)[name][1])
        tree.remove(old)
        return f"renamed {old} to {new}"
    if RECORD not in (tree.listdir(new) or {}):
        raise UsageError(f"{new} is a folder in the store but not a policy; choose another key")
    added, same, conflicts = 0, 0, []
    theirs = tree.listdir(f"{new}/{EDITIONS}") or {}
    for date, (mode, oid) in sorted((tree.listdir(f"{old}/{EDITIONS}") or {}).items()):
        if date not in theirs:
            tree.put_entry(f"{new}/{EDITIONS}/{date}", mode, oid)
            added += 1
        elif _same_edition(tree, f"{old}/{EDITIONS}/{date}", f"{new}/{EDITIONS}/{date}"):
            _keep_sources(tree, f"{old}/{EDITIONS}/{date}", f"{new}/{EDITIONS}/{date}")
            same += 1
        else:
            conflicts.append(date)
    if conflicts:
        raise UsageError(f"{old} and {new} both have an edition of {', '.join(conflicts)} with different content; "
                         f"nothing was moved (`medpolicy diff` shows how they differ)")
    tree.remove(old)
    _mirror_latest(tree, new)
    return f"merged {old} into {new}: {added} edition(s) added" + (f", {same} already there" if same else "")


def _same_edition(tree: "TreeEditor", a: str, b: str) -> bool:
    old = load_record(tree.read_blob(f"{a}/{RECORD}") or b"", where=f"{a}/{RECORD}")
    new = load_record(tree.read_blob(f"{b}/{RECORD}") or b"", where=f"{b}/{RECORD}")
    return not compare(new, old).changed


def _keep_sources(tree: "TreeEditor", src: str, dst: str) -> None:
    """OLD's source files of an edition NEW has too, beside NEW's (as other formats)."""
    present = {oid for _mode, oid in (tree.listdir(dst) or {}).values()}
    for name, (mode, oid) in (tree.listdir(src) or {}).items():
        if not name.startswith("source") or oid in present:
            continue
        data = tree.read_blob(f"{src}/{name}") or b""
        ext = name.rsplit(".", 1)[-1]
        tree.put_entry(f"{dst}/source-{hashlib.sha256(data).hexdigest()[:12]}.{ext}", mode, oid)


def _mirror_latest(tree: "TreeEditor", key: str) -> None:
    latest = max(tree.listdir(f"{key}/{EDITIONS}") or {}, key=date_sort_key)
    for name in [n for n in (tree.listdir(key) or {}) if n != EDITIONS]:
        tree.remove(f"{key}/{name}")
    for name, (mode, oid) in (tree.listdir(f"{key}/{EDITIONS}/{latest}") or {}).items():
        tree.put_entry(f"{key}/{name}", mode, oid)
