"""One line saying what changed between two editions, for commit messages and `log`, and the
store's test of "the same edition": both from the diff engine (`diff_policies`), which owns the
comparison.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..models import Policy

FIRST = "first edition"
NO_CHANGE = "no change in the record"


class Comparison(NamedTuple):
    summary: str
    changed: bool  # False: the diff finds no change of any kind (the same edition)


def compare(old: Policy | None, new: Policy) -> Comparison:
    if old is None:
        return Comparison(FIRST, True)
    from ..diff import diff_policies

    diff = diff_policies(old, new)
    return Comparison(diff.summary_line() or NO_CHANGE, diff.summary.changed)


def summarize(old: Policy | None, new: Policy) -> str:
    return compare(old, new).summary
