"""A cache of what `list` shows, kept in the git directory and brought up to date from the
commits made since it was written, so that `list` does not read 10,000 commit messages.

It is derived data: keyed by the tip it describes, rebuilt from history when missing, damaged,
or describing a tip that is not an ancestor of the current one; never committed, never
cloned, and a store without it (read-only, or a fresh clone) only loses speed.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .gitio import Git
from .history import Edition, scan
from .layout import date_sort_key

CACHE_NAME = "medpolicy-catalog.json"
VERSION = 3


def fold(policies: dict[str, dict], ed: Edition) -> None:
    """Add one commit (commits must come oldest first)."""
    if ed.status == "move":
        moved = policies.pop(ed.moved_from, None) if ed.moved_from else None
        if moved is not None:
            policies[ed.key] = _merge(moved, policies.get(ed.key))
        return
    entry = policies.setdefault(ed.key, {"dates": [], "commits": 0, "rank": [["", ""], 0]})
    entry["commits"] += 1
    if not ed.is_edition:
        return
    if ed.effective not in entry["dates"]:
        entry["dates"].append(ed.effective)
    rank = [list(date_sort_key(ed.effective)), ed.timestamp]
    if rank >= entry["rank"]:
        entry.update(rank=rank, latest_effective=ed.effective, latest_effective_from=ed.effective_from,
                     payer=ed.payer, policy_id=ed.policy_id, title=ed.title)


def _merge(moved: dict, into: dict | None) -> dict:
    if into is None:
        return moved
    latest = max((moved, into), key=lambda e: e["rank"])
    return {**latest, "dates": sorted(set(moved["dates"]) | set(into["dates"])),
            "commits": moved["commits"] + into["commits"]}


class Catalog:
    def __init__(self, git: Git):
        self._git = git
        self.path = Path(git.git_dir) / CACHE_NAME

    def policies(self, tip: str) -> dict[str, dict]:
        """key -> {latest_effective, payer, policy_id, title, dates, commits} at `tip`."""
        cached = self._read()
        if cached is not None and cached["tip"] == tip:
            return cached["policies"]
        if cached is not None and self._is_ancestor(cached["tip"], tip):
            policies, editions = cached["policies"], scan(self._git, [tip, "^" + cached["tip"]])
        else:
            policies, editions = {}, scan(self._git, [tip])
        for ed in reversed(editions):
            fold(policies, ed)
        self._write({"version": VERSION, "tip": tip, "policies": policies})
        return policies

    def _read(self) -> dict | None:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("policies"), dict):
            return None
        return data

    def _write(self, data: dict) -> None:
        tmp = self.path.with_name(f"{CACHE_NAME}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)  # readers see the old file or the new one
        except OSError:  # a read-only store: we only lose the speed-up
            tmp.unlink(missing_ok=True)

    def _is_ancestor(self, old: str, new: str) -> bool:
        return self._git.run("merge-base", "--is-ancestor", "--end-of-options", old, new,
                             check=False).returncode == 0
