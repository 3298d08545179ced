"""When the store learned each edition record, by replaying its commits oldest first.

For every edition record path the replay keeps (blob id, first known, known), where `known` is
the time of the commit that gave the record its present *content*:
- a record added is known from its commit;
- a record rewritten is known anew only if the diff engine sees a change: the same edition
  stored again from another file format (text, then PDF) teaches the store nothing new;
- a record that disappears from one key in the commit that adds the same blob under another
  (`medpolicy mv`, `git mv`) was moved, not learned: it keeps its dates.

A full build replays every commit from the first; an incremental update replays the new commits
starting from what the index holds for the paths they write. Both give the same dates, which is
what makes a rebuilt index identical to an updated one.
"""
from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from typing import Callable

from .commits import Commit


@dataclass(frozen=True)
class Known:
    oid: str
    first_known: int
    known: int
    commit: str  # the last commit that wrote the record, whether or not its content changed
    effective_from: str | None = None


def iso(timestamp: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def parse_iso(text: str) -> int:
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


class Timeline:
    """`indexed(path)`: what the index holds for a path before the replay (None if nothing);
    `same(old_oid, new_oid)`: whether two records differ in nothing the diff sees."""

    def __init__(self, indexed: Callable[[str], Known | None], same: Callable[[str, str], bool]):
        self._indexed = indexed
        self._same = same
        self.state: dict[str, Known | None] = {}

    def _get(self, path: str) -> Known | None:
        if path not in self.state:
            self.state[path] = self._indexed(path)
        return self.state[path]

    def replay(self, commits: list[Commit]) -> None:
        for c in commits:
            moved: dict[str, Known] = {}
            for w in c.writes:
                if w.new is None:
                    gone = self._get(w.path)
                    if gone is not None:
                        moved[gone.oid] = gone
                    self.state[w.path] = None
            for w in c.writes:
                if w.new is None:
                    continue
                source = c.trailers.get("Effective-From")
                before = self._get(w.path)
                if before is None:
                    was = moved.get(w.new)
                    first, known = (was.first_known, was.known) if was else (c.timestamp, c.timestamp)
                    source = source or (was.effective_from if was else None)
                elif w.new == before.oid or self._same(before.oid, w.new):
                    first, known = before.first_known, before.known
                    source = source or before.effective_from
                else:
                    first, known = before.first_known, c.timestamp
                self.state[w.path] = Known(w.new, first, known, c.id, source)
