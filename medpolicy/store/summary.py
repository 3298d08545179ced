"""One line saying what changed between two editions, for commit messages and `log`.

The diff engine (`medpolicy.diff.diff_policies`) owns the real comparison; when it is present
its `summary_line()` is used. `_summarize` is the stand-in used only when it is not: a count of
records present in one edition and not the other, by each record kind's identity.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..models import Policy

FIRST = "first edition"


def summarize(old: Policy | None, new: Policy) -> str:
    if old is None:
        return FIRST
    engine = _diff_engine()
    if engine is not None:
        line = engine(old, new).summary_line()
        return line or "no change in the record"
    return _summarize(old, new)


def _diff_engine() -> Callable | None:
    try:
        from ..diff import diff_policies  # type: ignore[attr-defined]
    except ImportError:
        return None
    return diff_policies


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _count(kind: str, old: list, new: list, ident: Callable) -> list[str]:
    before, after = Counter(ident(x) for x in old), Counter(ident(x) for x in new)
    added, removed = sum((after - before).values()), sum((before - after).values())
    parts = []
    if added:
        parts.append(f"{added} {kind}{'s' if added > 1 else ''} added")
    if removed:
        parts.append(f"{removed} {kind}{'s' if removed > 1 else ''} removed")
    return parts


def _summarize(old: Policy, new: Policy) -> str:
    """Fallback summary: e.g. "1 statement added, 2 codes removed; dates.effective changed"."""
    from ..models import DATE_KEYS

    parts: list[str] = []
    # records are told apart by their models' identity(), as the diff does
    parts += _count("statement", old.statements, new.statements, lambda s: (s.identity(), s.position.value))
    parts += _count("code", old.codes, new.codes, lambda c: c.identity())
    parts += _count("history row", old.history, new.history, lambda h: h.identity())
    parts += _count("reference", old.references, new.references, lambda r: r.identity())
    parts += _count("related policy", old.related_policies, new.related_policies, lambda r: r.identity())
    fields = [f"dates.{k}" for k in DATE_KEYS if getattr(old.dates, k) != getattr(new.dates, k)]
    fields += [k for k in ("policy_id", "title", "payer") if _norm(getattr(old, k)) != _norm(getattr(new, k))]
    line = ", ".join(parts)
    if fields:
        line = (line + "; " if line else "") + ", ".join(fields) + " changed"
    if not line:
        old_text = [_norm(s.text) for s in old.sections]
        new_text = [_norm(s.text) for s in new.sections]
        line = "text edited" if old_text != new_text else "no change in the record"
    return line
