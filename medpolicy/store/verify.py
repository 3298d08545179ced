"""`PolicyStore.verify()`: check a store with git's eyes and with ours."""
from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from ..errors import StoreError
from .gitio import TREE_MODE, Git
from .layout import EDITIONS, MARKDOWN, RECORD, UNDATED, date_sort_key, edition_date, edition_name, placement
from .serialize import canonical_json, load_record

if TYPE_CHECKING:
    from .repo import PolicyStore


_FSCK_KIND = re.compile(r"\b[0-9a-f]{40}\b|'[^']*'|\(.*?\)")  # what varies between lines of one kind
_FSCK_KINDS = 8
_OTHER_FORMAT = re.compile(r"^source-([0-9a-f]{12})\.[a-z]+$")
_KIND = {"120000": "a symbolic link", "160000": "a submodule", "100644": "a file", "100755": "a file"}


def verify_store(store: "PolicyStore") -> list[str]:
    problems = _fsck(store)
    if store.damaged:
        return problems + ["the store's branch points to a commit that is missing: its history cannot be read"]
    try:
        problems += _check_layout(store)
        problems += _check_tree(store)
    except StoreError as exc:  # damage deep enough that the tree cannot be read at all
        problems.append(str(exc))
    problems += _check_work_tree(store)
    return problems


def _check_layout(store: "PolicyStore") -> list[str]:
    """Entries that stand where payer or policy folders belong but are not folders (a policy
    folder replaced by a symbolic link with plain git): `list` and the checks below cannot see
    what is behind them, so they are problems in their own right."""
    problems: list[str] = []
    root = store.reader.tree(store._root_tree(store._require_tip())) or {}
    for payer, (mode, oid) in sorted(root.items()):
        if payer.startswith(".") or payer.lower() in ("readme.md", "license"):
            continue
        if mode != TREE_MODE:
            problems.append(f"{payer}: {_KIND.get(mode, 'mode ' + mode)} where a payer folder belongs")
            continue
        for name, (m, _) in sorted((store.reader.tree(oid) or {}).items()):
            if m != TREE_MODE:
                problems.append(f"{payer}/{name}: {_KIND.get(m, 'mode ' + m)} where a policy folder belongs "
                                f"(`medpolicy list` cannot show it)")
    return problems


def _check_work_tree(store: "PolicyStore") -> list[str]:
    """A non-bare store whose work tree is not at its branch: a `git commit` there would record
    the difference (undoing editions the store holds)."""
    if store.work_tree is None:
        return []
    where = f"work tree {store.work_tree}"
    problems: list[str] = []
    tip = store._require_tip()
    mark = store.synced_commit()
    if mark is not None and mark != tip:
        behind = store.git.run("rev-list", "--count", "--end-of-options", f"{mark}..{tip}", check=False)
        count = behind.stdout.decode().strip() or "some"
        problems.append(f"{where}: {count} commit(s) behind the store's branch (its update was cut short); "
                        f"the next `medpolicy ingest` brings it up to date")
    proc = Git(store.git_dir, store.work_tree).run("--no-optional-locks", "status", "--porcelain=v1", "-z",
                                                   "--untracked-files=no", "--no-renames", check=False)
    if proc.returncode != 0:
        return problems + [f"{where}: git status failed"]
    entries = [e for e in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if len(e) > 3]
    staged = [e[3:] for e in entries if e[0] not in " ?"]
    changed = [e[3:] for e in entries if e[1] not in " ?"]
    if staged:
        problems.append(f"{where}: its index differs from the store's branch in {len(staged)} path(s), e.g. "
                        f"{staged[0]}: a `git commit` there would record that")
    if changed:
        problems.append(f"{where}: {len(changed)} file(s) differ from the store's branch, e.g. {changed[0]}")
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
    """git's integrity check, summarised: one line per kind of damage with a count and an
    example (a store missing its objects makes git print a line for each of thousands)."""
    proc = store.git.run("fsck", "--strict", "--no-dangling", "--no-progress", check=False)
    if proc.returncode == 0:
        return []
    lines = [re.sub(r"^(error|fatal): ", "", line.strip())
             for line in (proc.stdout + proc.stderr).decode("utf-8", "replace").splitlines()
             if line.strip() and not line.startswith(("warning:", "notice:"))]
    kinds: dict[str, list[str]] = {}
    for line in lines:
        kinds.setdefault(_FSCK_KIND.sub("", line).strip(), []).append(line)
    out = []
    for kind, examples in list(kinds.items())[:_FSCK_KINDS]:
        more = f" ({len(examples)} like it)" if len(examples) > 1 else ""
        out.append(f"git fsck: {examples[0]}{more}")
    if len(kinds) > _FSCK_KINDS:
        out.append(f"git fsck: and {len(kinds) - _FSCK_KINDS} other kinds of damage")
    return out or [f"git fsck failed with status {proc.returncode}"]


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
    expected, basis = placement(policy.dates, edition_date(name))
    if expected != name and not (basis == UNDATED and edition_name(name) == name):  # stores before 0.2
        problems.append(f"{where}: the record places this edition at {expected}")
    if sources:
        blob = store.reader.blob(files[sources[0]][1]) or b""
        if hashlib.sha256(blob).hexdigest() != policy.source.sha256:
            problems.append(f"{where}/{sources[0]}: sha256 does not match the record's source.sha256")
    for other in (f for f in files if _OTHER_FORMAT.match(f)):  # the same edition in other formats
        blob = store.reader.blob(files[other][1]) or b""
        if not hashlib.sha256(blob).hexdigest().startswith(_OTHER_FORMAT.match(other).group(1)):
            problems.append(f"{where}/{other}: sha256 does not match its name")
    return problems
