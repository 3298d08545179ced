"""Edition metadata in commit messages, and reading it back from `git log`.

Every edition commit ends with trailers, so the history can be queried with git alone
(`git log --grep='^Medpolicy-Key: premera/8.01.01$'`, `git log --format='%(trailers)'`):

    premera/8.01.01 effective 2026-05-01: 1 history row added; dates.effective changed

    Adoptive Immunotherapy
    1 history row added; dates.effective changed

    Medpolicy-Key: premera/8.01.01
    Effective: 2026-05-01
    Effective-From: document            (or "ingest-date" when the document prints no date)
    Status: new                         (or "correction": same effective date, new content)
    Compared-To: 2025-05-01             (the edition the summary was computed against, or "none")
    Source-Name: 2026-05-01.txt
    Source-SHA256: ...
    Record-SHA256: ...                  (canonical record without source.path; see serialize)
    Payer: / Policy-Id: / Title: / Summary:
    Medpolicy-Version: 0.1.0
    Revises-Summary-Of: <commit>        (only when this edition lands before a later one, or
    Revised-Summary: ...                 corrects one that has a later one: the later one's
                                         summary against this edition, since commits never change)

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
_TRAILER_RE = re.compile(r"^([A-Za-z0-9-]+): (.*)$")
_MAX_VALUE = 400


def one_line(text: str | None, limit: int = _MAX_VALUE) -> str:
    """A trailer value: printable, one line, at most `limit` characters."""
    return safe_line(text, limit)


@dataclass(frozen=True)
class Edition:
    """One ingested edition of one policy (one commit).

    `effective` orders editions; `ingested_at` (ISO 8601, UTC) is when the store learned of
    it. `correction` is true when it replaced an edition with the same effective date.
    `summary` says what changed against the previous edition by effective date (`compared_to`).
    `effective_from` is "document", or "ingest-date" when the document printed no date."""

    key: str
    effective: str
    ingested_at: str
    commit: str
    source_name: str
    source_sha256: str
    summary: str
    correction: bool = False
    record_sha256: str = ""
    compared_to: str | None = None
    effective_from: str = "document"
    payer: str | None = None
    policy_id: str | None = None
    title: str | None = None
    medpolicy_version: str = ""
    # When this edition arrived before an existing later one (or corrected an edition that has
    # a later one), that later edition's summary became stale; its commit and new summary:
    revises: str | None = None
    revised_summary: str | None = None
    timestamp: int = field(default=0, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {"key": self.key, "effective": self.effective, "ingested_at": self.ingested_at,
                "commit": self.commit, "source_name": self.source_name, "source_sha256": self.source_sha256,
                "summary": self.summary, "correction": self.correction, "record_sha256": self.record_sha256,
                "compared_to": self.compared_to, "effective_from": self.effective_from,
                "payer": self.payer, "policy_id": self.policy_id, "title": self.title}

    def with_summary(self, summary: str, compared_to: str | None) -> "Edition":
        return replace(self, summary=summary, compared_to=compared_to)


def format_message(ed: Edition) -> str:
    label = " (correction)" if ed.correction else ""
    subject = one_line(f"{ed.key} effective {ed.effective}{label}: {ed.summary}", 200)
    trailers = [
        (KEY_TRAILER, ed.key), ("Effective", ed.effective), ("Effective-From", ed.effective_from),
        ("Status", "correction" if ed.correction else "new"), ("Compared-To", ed.compared_to or "none"),
        ("Source-Name", ed.source_name), ("Source-SHA256", ed.source_sha256),
        ("Record-SHA256", ed.record_sha256), ("Payer", ed.payer or ""), ("Policy-Id", ed.policy_id or ""),
        ("Title", ed.title or ""), ("Summary", ed.summary), ("Medpolicy-Version", ed.medpolicy_version),
    ]
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
    if not key or "Effective" not in t:
        return None
    compared = t.get("Compared-To")
    return Edition(
        key=key, effective=t["Effective"], commit=commit, timestamp=timestamp,
        ingested_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp)),
        source_name=t.get("Source-Name", ""), source_sha256=t.get("Source-SHA256", ""),
        summary=t.get("Summary", ""), correction=t.get("Status") == "correction",
        record_sha256=t.get("Record-SHA256", ""), compared_to=None if compared in (None, "none", "-") else compared,
        effective_from=t.get("Effective-From", "document"), payer=_opt(t.get("Payer")),
        policy_id=_opt(t.get("Policy-Id")), title=_opt(t.get("Title")),
        medpolicy_version=t.get("Medpolicy-Version", ""), revises=_opt(t.get("Revises-Summary-Of")),
        revised_summary=t.get("Revised-Summary"))


# git parses the trailers itself (the message's last paragraph), so Python only splits strings
_LOG_FORMAT = "--format=%H%x1f%at%x1f%(trailers:only,unfold,separator=%x1e)"
_ERE_SPECIAL = re.compile(r"([.\[\]()*+?{}|^$\\])")


def _ere_escape(text: str) -> str:
    """Escape for git's POSIX extended regex (Python's re.escape adds escapes POSIX leaves undefined)."""
    return _ERE_SPECIAL.sub(r"\\\1", text)


def scan(git: Git, revs: list[str], *, key: str | None = None, path_limited: bool = False) -> list[Edition]:
    """Editions recorded in the commits `revs` reach, newest commit first.

    With `key`, only that policy's: selected by git through the key trailer, or, with
    `path_limited`, by the commits that touched its folder (fast when the commit-graph has
    changed-path Bloom filters: git then skips most commits without reading them)."""
    args = ["log", "-z", _LOG_FORMAT]
    paths: list[str] = []
    if key is not None and path_limited:
        args.append("--full-history")
        paths = [f"{key}/"]
    elif key is not None:
        args += ["--extended-regexp", "--grep=^" + _ere_escape(f"{KEY_TRAILER}: {key}") + "$"]
    proc = git.run(*args, "--end-of-options", *revs, "--", *paths)
    out: list[Edition] = []
    for record in proc.stdout.decode("utf-8", "replace").split("\0"):
        parts = record.split("\x1f", 2)
        if len(parts) != 3 or not parts[2]:
            continue
        trailers = dict(t.split(": ", 1) for t in parts[2].split("\x1e") if ": " in t)
        ed = edition_from_trailers(parts[0].strip(), int(parts[1]), trailers)
        if ed is not None and (key is None or ed.key == key):
            out.append(ed)
    return out


class HistoryIndex:
    """Every edition reachable from a tip, refreshed incrementally when the tip moves."""

    def __init__(self, git: Git):
        self._git = git
        self.tip: str | None = None
        self.editions: list[Edition] = []  # newest commit first
        self._by_key: dict[str, list[Edition]] | None = None

    def refresh(self, tip: str) -> None:
        if tip == self.tip:
            return
        if self.tip is not None and self._is_ancestor(self.tip, tip):
            self.editions = scan(self._git, [tip, "^" + self.tip]) + self.editions
        else:
            self.editions = scan(self._git, [tip])
        self.tip = tip
        self._by_key = None

    def add(self, ed: Edition, tip: str) -> None:
        """Record an edition we just committed on top of the indexed tip."""
        self.editions.insert(0, ed)
        self.tip = tip
        if self._by_key is not None:
            self._by_key.setdefault(ed.key, []).insert(0, ed)

    def by_key(self) -> dict[str, list[Edition]]:
        if self._by_key is None:
            grouped: dict[str, list[Edition]] = {}
            for ed in self.editions:
                grouped.setdefault(ed.key, []).append(ed)
            self._by_key = grouped
        return self._by_key

    def _is_ancestor(self, old: str, new: str) -> bool:
        return self._git.run("merge-base", "--is-ancestor", old, new, check=False).returncode == 0
