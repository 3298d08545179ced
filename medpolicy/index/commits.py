"""What the index reads from the store's git history: which edition records changed between two
commits, and which commits wrote them (when the store learned of each).

The index follows the store's *tree*, not only its commit messages: every
`<payer>/<policy>/editions/<date>/record.json` at the tip is one edition, whatever wrote it
(medpolicy, a plain `git commit`, a merge of two clones, a `git mv`). Commit trailers add what
only they know (what placed an undated edition in time); commit times say when the store learned
of each record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..store.gitio import EMPTY_TREE, Git
from ..store.layout import EDITIONS, RECORD, edition_name, is_key

_RECORD_PATH = re.compile(rf"^([^/]+/[^/]+)/{EDITIONS}/([^/]+)/{re.escape(RECORD)}$")
_SUFFIX = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
# git parses the trailers itself; Python only splits strings
_LOG_FORMAT = "--format=%x1e%H%x1f%at%x1f%(trailers:only,unfold,separator=%x1d)"


def edition_of(path: str) -> tuple[str, str] | None:
    """(key, edition folder) of an edition record's path in the store, else None. A folder is
    a date (`2025-03-01`, `2025-03`), possibly qualified by a safe suffix (`2026-01-04~undated`:
    an edition placed by the day it became known)."""
    m = _RECORD_PATH.match(path)
    if not m or not is_key(m.group(1)):
        return None
    date, _, suffix = m.group(2).partition("~")
    if edition_name(date) != date or (suffix and not _SUFFIX.match(suffix)):
        return None
    return m.group(1), m.group(2)


@dataclass(frozen=True)
class Write:
    """A commit's change to one edition record: blob ids before and after (None: absent)."""

    path: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Commit:
    id: str
    timestamp: int
    trailers: dict[str, str] = field(default_factory=dict, compare=False)
    writes: tuple[Write, ...] = ()


_ZERO = "0" * 40


def changed_records(git: Git, old: str | None, new: str) -> dict[str, str | None]:
    """Edition record paths that differ between commits `old` (None: nothing indexed yet) and
    `new`: path -> the record's blob id at `new`, or None where it is gone."""
    proc = git.run("diff-tree", "-r", "-z", "--no-renames", "--end-of-options", old or EMPTY_TREE, new)
    fields = proc.stdout.split(b"\0")
    out: dict[str, str | None] = {}
    for i in range(0, len(fields) - 1, 2):
        meta, path = fields[i].decode("ascii", "replace"), fields[i + 1].decode("utf-8", "surrogateescape")
        if not meta.startswith(":") or edition_of(path) is None:
            continue
        parts = meta[1:].split()
        out[path] = None if parts[4].startswith("D") else parts[3]
    return out


def commits_between(git: Git, old: str | None, new: str) -> list[Commit]:
    """The commits reachable from `new` and not from `old`, parents before children, each with
    the edition records it wrote. (A merge lists no writes of its own: its parents' commits
    carry them.)"""
    revs = [new] + (["^" + old] if old else [])
    proc = git.run("log", "--topo-order", "--reverse", "--no-renames", "--raw", "--no-abbrev", _LOG_FORMAT,
                   "--end-of-options", *revs)
    out: list[Commit] = []
    for chunk in proc.stdout.decode("utf-8", "surrogateescape").split("\x1e"):
        head, _, body = chunk.partition("\n")
        parts = head.split("\x1f", 2)
        if len(parts) != 3:
            continue
        writes = []
        for line in body.splitlines():
            meta, tab, path = line.partition("\t")
            fields = meta.split()
            if not tab or len(fields) != 5 or not meta.startswith(":") or edition_of(path) is None:
                continue
            before, after = fields[2], fields[3]
            writes.append(Write(path, None if before == _ZERO else before, None if after == _ZERO else after))
        trailers = dict(t.split(": ", 1) for t in parts[2].split("\x1d") if ": " in t)
        out.append(Commit(parts[0], int(parts[1]), trailers, tuple(writes)))
    return out


def last_touch(git: Git, tip: str, path: str) -> Commit:
    """The commit that last wrote `path` as seen from `tip` (for a record whose final content
    came from a merge, which lists no writes)."""
    out = git.out("log", "-1", "--format=%H %at", "--end-of-options", tip, "--", path).split()
    if len(out) == 2:
        return Commit(out[0], int(out[1]))
    when = git.out("log", "-1", "--format=%at", "--end-of-options", tip).strip()
    return Commit(tip, int(when or 0))


def read_blobs(git: Git, oids: list[str]) -> dict[str, bytes]:
    """The contents of many blobs from one `git cat-file --batch` run: a persistent reader's
    request-and-wait round trip per object costs more than the object on a busy machine."""
    wanted = list(dict.fromkeys(o for o in oids if o))
    if not wanted:
        return {}
    data = git.run("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode("ascii")).stdout
    out: dict[str, bytes] = {}
    pos = 0
    for oid in wanted:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out[oid] = data[pos:pos + size]
            pos += size + 1
    return out


def is_ancestor(git: Git, old: str, new: str) -> bool:
    """Whether commit `old` is in `new`'s history (False when `old` is not even in this
    repository: an index built from another store)."""
    return git.run("merge-base", "--is-ancestor", "--end-of-options", old, new, check=False).returncode == 0
