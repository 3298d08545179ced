"""The flat list of every change in a diff, in report order, each with a stable anchor.

All renderings list changes in this order, and the HTML report links each entry of its change
list to the element with the same anchor.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import PolicyDiff

KIND_TITLES = {
    "metadata": "Metadata",
    "statements": "Coverage statements",
    "codes": "Codes",
    "history": "History",
    "references": "References",
    "related_policies": "Related policies",
    "sections": "Text",
}
_OPS = ("added", "removed", "modified", "moved")


@dataclass(frozen=True)
class Change:
    anchor: str
    kind: str  # a key of KIND_TITLES
    op: str  # added, removed, modified, moved
    label: str  # one line naming what changed
    item: Any  # the record, change record, or TextChange


def short(text: str | None, limit: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(kind: str, op: str, item: Any) -> str:
    if kind == "metadata":
        return f"{item.field}: {item.old or '—'} → {item.new or '—'}"
    if kind == "sections":
        where = item.new_section or item.old_section
        text = item.new_text or item.old_text
        return (f"[{where}] " if where else "") + short(text, 90)
    record = item.new if op == "modified" else item
    if kind == "statements":
        pos = (f"{item.old.position.value} → {item.new.position.value}" if op == "modified" and item.position_changed
               else record.position.value)
        return f"[{pos}] {short(record.text, 90)}"
    if kind == "codes":
        rng = f"–{record.code_end}" if record.code_end else ""
        what = f" ({', '.join(item.changes)})" if op == "modified" else ""
        return f"{record.system.value} {record.code}{rng}{what} {short(record.description, 70)}".rstrip()
    if kind == "history":
        return f"{record.date_text}: {short(record.summary, 90)}"
    if kind == "references":
        what = f" ({', '.join(item.changes)})" if op == "modified" else ""
        num = f"{record.number}. " if record.number is not None else ""
        return f"{num}{short(record.text, 90)}{what}"
    if kind == "related_policies":
        return " ".join(p for p in (record.policy_id, record.title) if p)
    raise ValueError(kind)


def changes(diff: PolicyDiff) -> list[Change]:
    out: list[Change] = []
    for n, m in enumerate(diff.metadata, 1):
        out.append(Change(f"metadata-{n}", "metadata", "modified", _label("metadata", "modified", m), m))
    for kind in ("statements", "codes", "history", "references", "related_policies"):
        part = getattr(diff, kind)
        for op in _OPS:
            for n, item in enumerate(getattr(part, op, []), 1):
                out.append(Change(f"{kind}-{op}-{n}", kind, op, _label(kind, op, item), item))
    text = diff.sections
    for item in sorted(text.added + text.removed + text.modified + text.moved, key=lambda c: int(c.id[1:])):
        out.append(Change(item.id, "sections", item.op, _label("sections", item.op, item), item))
    return out
