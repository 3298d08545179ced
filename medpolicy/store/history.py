"""Edition metadata in commit messages, and reading it back from `git log`.

Every edition commit ends with trailers, so the history can be queried with git alone
(`git log --grep='^Medpolicy-Key: premera/8.01.01$'`, `git log --format='%(trailers)'`):

    premera/8.01.01 effective 2026-05-01: 1 history row added; dates.effective changed

    Adoptive Immunotherapy
    1 history row added; dates.effective changed

    Medpolicy-Key: premera/8.01.01
    Effective: 2026-05-01               (the edition's folder: its date, see layout.placement)
    Effective-From: effective           (which date placed it: effective, issued, published,
                                         last_revised, last_review, approved, original_effective,
                                         or undated; stores written before 0.2 say "document" or
                                         "ingest-date", read as "effective" and "undated")
    Status: new                         (or "correction": same date, new content; "another-format":
                                         the same edition again as another file, kept beside it)
    Compared-To: 2025-05-01             (the edition the summary was computed against, or "none")
    Source-Name: 2026-05-01.txt
    Source-SHA256: ...
    Record-SHA256: ...                  (canonical record without source.path; see serialize)
    Payer: / Policy-Id: / Title: / Summary:
    Medpolicy-Version: 0.1.0
    Joined: ...                         (only when the edition joined a policy under another
                                         payer name of the same family: why)
    Revises-Summary-Of: <commit>        (only when this edition lands before a later one, or
    Revised-Summary: ...                 corrects one that has a later one: the later one's
                                         summary against this edition, since commits never change)

`medpolicy mv OLD NEW` makes a commit with `Medpolicy-Key: NEW`, `Medpolicy-Move: OLD` and
`Status: move`: OLD's editions are NEW's from then on (their files were under OLD's folder).

Values are reduced to one line of printable text, so text from a document can never add or
fake a trailer.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

from ..textsafe import safe_line
from .gitio import Git

KEY_TRAILER = "Medpolicy-Key"
MOVE_TRAILER = "Medpolicy-Move"
_TRAILER_RE = re.compile(r"^([A-Za-z0-9-]+): (.*)$")
_MAX_VALUE = 400


def one_line(text: str | None, limit: int = _MAX_VALUE) -> str:
    """A trailer value: printable, one line, at most `limit` characters."""
    return safe_line(text, limit)


STATUSES = ("new", "correction", "another-format", "move")
_LEGACY_BASIS = {"document": "effective", "ingest-date": "undated"}


@dataclass(frozen=True)
class Edition:
    """One commit of one policy: an edition (status "new"), a correction of one (same date, new
    content), the same edition as another file ("another-format"), or a move of the policy to
    its key from `moved_from` ("move", no edition).

    `effective` is the edition's folder (its date, see layout.placement), `effective_from` the
    date that placed it; `ingested_at` (ISO 8601, UTC) is when the store learned of it.
    `summary` says what changed against the previous edition by date (`compared_to`). `folder`
    is the key its files were stored under, when that is not `key` (a policy moved since)."""

    key: str
    effective: str
    ingested_at: str
    commit: str
    source_name: str
    source_sha256: str
    summary: str
    status: str = "new"
    record_sha256: str = ""
    compared_to: str | None = None
    effective_from: str = "effective"
    payer: str | None = None
    policy_id: str | None = None
    title: str | None = None
    medpolicy_version: str = ""
    # When this edition arrived before an existing later one (or corrected an edition that has
    # a later one), that later edition's summary became stale; its commit and new summary:
    revises: str | None = None
    revised_summary: str | None = None
    joined: str | None = None
    moved_from: str | None = None
    folder: str | None = None
    also_as: tuple[str, ...] = ()  # source names of the same edition in other formats
    timestamp: int = field(default=0, repr=False, compare=False)

    @property
    def correction(self) -> bool:
        return self.status == "correction"

    @property
    def is_edition(self) -> bool:
        """A distinct edition or a correction of one (not another format, not a move)."""
        return self.status in ("new", "correction")

    @property
    def where(self) -> str:
        """The key its files are under in its own commit."""
        return self.folder or self.key

    @property
    def placed(self) -> str:
        """When it applies, for people: "2025-03-01", "2020-05, from last review", ..."""
        from .layout import describe_placement

        return describe_placement(self.effective, self.effective_from)

    def to_dict(self) -> dict:
        from .layout import edition_date

        return {"key": self.key, "edition": self.effective, "effective": edition_date(self.effective),
                "effective_from": self.effective_from, "placed": self.placed, "status": self.status,
                "ingested_at": self.ingested_at, "commit": self.commit, "source_name": self.source_name,
                "source_sha256": self.source_sha256, "also_as": list(self.also_as), "summary": self.summary,
                "correction": self.correction, "record_sha256": self.record_sha256,
                "compared_to": self.compared_to, "payer": self.payer, "policy_id": self.policy_id,
                "title": self.title}

    def with_summary(self, summary: str, compared_to: str | None) -> "Edition":
        return replace(self, summary=summary, compared_to=compared_to)


def format_message(ed: Edition) -> str:
    if ed.status == "move":
        subject = one_line(f"Move {ed.moved_from} to {ed.key}: {ed.summary}", 200)
        trailers = [(KEY_TRAILER, ed.key), (MOVE_TRAILER, ed.moved_from or ""), ("Status", "move"),
                    ("Summary", ed.summary), ("Medpolicy-Version", ed.medpolicy_version)]
        body = [one_line(ed.summary)]
    else:
        label = {"correction": " (correction)", "another-format": " (another format)"}.get(ed.status, "")
        subject = one_line(f"{ed.key} effective {ed.effective}{label}: {ed.summary}", 200)
        trailers = [
            (KEY_TRAILER, ed.key), ("Effective", ed.effective), ("Effective-From", ed.effective_from),
            ("Status", ed.status), ("Compared-To", ed.compared_to or "none"),
            ("Source-Name", ed.source_name), ("Source-SHA256", ed.source_sha256),
            ("Record-SHA256", ed.record_sha256), ("Payer", ed.payer or ""), ("Policy-Id", ed.policy_id or ""),
            ("Title", ed.title or ""), ("Summary", ed.summary), ("Medpolicy-Version", ed.medpolicy_version),
        ]
        if ed.joined:
            trailers.append(("Joined", ed.joined))
        if ed.revises:
            trailers += [("Revises-Summary-Of", ed.revises), ("Revised-Summary", ed.revised_summary or "")]
        body = [one_line(ed.title) or ed.key, one_line(ed.summary)]
    lines = [f"{k}: {one_line(v) or '-'}" for k, v in trailers]
    return subject + "\n\n" + "\n".join(body) + "\n\n" + "\n".join(lines) + "\n"


def parse_trailers(message: str) -> dict[str, str]:
    last = message.rstrip("\n").rsplit("\n\n", 1)[-1]
    out: dict[str, str] = {}
    for line in last.splitlines():
        m = _TRAILER_RE.match(line)
        if m:
            out.setdefault(m.group(1), m.group(2))
    return out


def _opt(value: str | None) -> str | None:
    return None if value in (None, "", "-") else value


def edition_from_commit(commit: str, timestamp: int, message: str) -> Edition | None:
    return edition_from_trailers(commit, timestamp, parse_trailers(message))


def edition_from_trailers(commit: str, timestamp: int, t: dict[str, str]) -> Edition | None:
    key = t.get(KEY_TRAILER)
    status = t.get("Status", "new")
    if not key or ("Effective" not in t and status != "move"):
        return None
    if status not in STATUSES:
        status = "new"
    compared = t.get("Compared-To")
    basis = t.get("Effective-From", "effective")
    return Edition(
        key=key, effective=t.get("Effective", ""), commit=commit, timestamp=timestamp,
        ingested_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp)),
        source_name=t.get("Source-Name", ""), source_sha256=t.get("Source-SHA256", ""),
        summary=t.get("Summary", ""), status=status,
        record_sha256=t.get("Record-SHA256", ""), compared_to=None if compared in (None, "none", "-") else compared,
        effective_from=_LEGACY_BASIS.get(basis, basis), payer=_opt(t.get("Payer")),
        policy_id=_opt(t.get("Policy-Id")), title=_opt(t.get("Title")),
        medpolicy_version=t.get("Medpolicy-Version", ""), revises=_opt(t.get("Revises-Summary-Of")),
        revised_summary=t.get("Revised-Summary"), joined=_opt(t.get("Joined")),
        moved_from=_opt(t.get(MOVE_TRAILER)))


# git parses the trailers itself (the message's last paragraph), so Python only splits strings
_LOG_FORMAT = "--format=%H%x1f%at%x1f%(trailers:only,unfold,separator=%x1e)"
_ERE_SPECIAL = re.compile(r"([.\[\]()*+?{}|^$\\])")


def _ere_escape(text: str) -> str:
    """Escape for git's POSIX extended regex (Python's re.escape adds escapes POSIX leaves undefined)."""
    return _ERE_SPECIAL.sub(r"\\\1", text)


def scan(git: Git, revs: list[str], *, key: str | None = None, path_limited: bool = False,
         paths: list[str] | None = None, limit: int | None = None) -> list[Edition]:
    """Editions recorded in the commits `revs` reach, newest commit first.

    With `key`, only that policy's commits and any move of it to another key: selected by git
    through the trailers, or, with `path_limited`, by the commits that touched its folder (fast
    when the commit-graph has changed-path Bloom filters: git then skips most commits without
    reading them). `paths` limits to commits that touched them, `limit` to the newest few."""
    args = ["log", "-z", _LOG_FORMAT] + ([f"--max-count={limit}"] if limit else [])
    paths = list(paths or [])
    if key is not None and path_limited:
        args.append("--full-history")
        paths = [f"{key}/"]
    elif key is not None:  # its commits, and a move of it elsewhere
        args += ["--extended-regexp", "--grep=^" + _ere_escape(f"{KEY_TRAILER}: {key}") + "$",
                 "--grep=^" + _ere_escape(f"{MOVE_TRAILER}: {key}") + "$"]
    proc = git.run(*args, "--end-of-options", *revs, "--", *paths)
    out: list[Edition] = []
    for record in proc.stdout.decode("utf-8", "replace").split("\0"):
        parts = record.split("\x1f", 2)
        if len(parts) != 3 or not parts[2]:
            continue
        trailers = dict(t.split(": ", 1) for t in parts[2].split("\x1e") if ": " in t)
        ed = edition_from_trailers(parts[0].strip(), int(parts[1]), trailers)
        if ed is not None and (key is None or ed.key == key or ed.moved_from == key):
            out.append(ed)
    return out


class HistoryIndex:
    """Every edition reachable from a tip, refreshed incrementally when the tip moves."""

    def __init__(self, git: Git):
        self._git = git
        self.tip: str | None = None
        self.editions: list[Edition] = []  # newest commit first
        self._by_key: dict[str, list[Edition]] | None = None
        self._redirects: dict[str, str] | None = None

    def refresh(self, tip: str) -> None:
        if tip == self.tip:
            return
        if self.tip is not None and self._is_ancestor(self.tip, tip):
            self.editions = scan(self._git, [tip, "^" + self.tip]) + self.editions
        else:
            self.editions = scan(self._git, [tip])
        self.tip = tip
        self._by_key = self._redirects = None

    def add(self, ed: Edition, tip: str) -> None:
        """Record an edition we just committed on top of the indexed tip."""
        self.editions.insert(0, ed)
        self.tip = tip
        if self._by_key is not None and ed.status != "move":
            self._by_key.setdefault(ed.key, []).insert(0, ed)
        else:
            self._by_key = self._redirects = None

    def by_key(self) -> dict[str, list[Edition]]:
        """Each policy's commits, newest first, under the key it has now: a moved policy's
        earlier commits come with it (their `folder` says where their files were)."""
        if self._by_key is None:
            self._by_key = group_by_key(self.editions)
        return self._by_key

    def redirects(self) -> dict[str, str]:
        """Keys that were moved away -> the key they were moved to (last move wins)."""
        if self._redirects is None:
            self._redirects = {}
            for ed in reversed(self.editions):
                if ed.status == "move" and ed.moved_from:
                    self._redirects[ed.moved_from] = ed.key
                    self._redirects.pop(ed.key, None)  # a key moved back to is a key again
        return self._redirects

    def _is_ancestor(self, old: str, new: str) -> bool:
        return self._git.run("merge-base", "--is-ancestor", old, new, check=False).returncode == 0


def group_by_key(editions: list[Edition]) -> dict[str, list[Edition]]:
    """Commits (newest first) grouped by the key each policy has after every move in them."""
    grouped: dict[str, list[Edition]] = {}
    for ed in reversed(editions):  # oldest first, so that a move takes what came before it
        if ed.status == "move" and ed.moved_from:
            moved = [replace(e, key=ed.key, folder=e.where) for e in grouped.pop(ed.moved_from, [])]
            grouped[ed.key] = sorted(moved + grouped.get(ed.key, []), key=lambda e: e.timestamp)
        grouped.setdefault(ed.key, []).append(ed)
    return {k: list(reversed(v)) for k, v in grouped.items()}
