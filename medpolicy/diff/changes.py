"""The flat list of every change in a diff, in report order, each with its class and a stable
anchor.

Report order leads with the substantive classes: changes are grouped by class in the order of
rules/classes.json (coverage, coding, administrative, references, evidence, editorial), and
within a class by record kind, then in each kind's own order. All renderings list changes in
this order, and the HTML report links each entry of its change list to the element with the
same anchor.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from .classes import load_rules
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
KIND_NOUNS = {
    "metadata": "field",
    "statements": "statement",
    "codes": "code",
    "history": "history row",
    "references": "reference",
    "related_policies": "related policy",
    "sections": "text",
}
# (list in a record kind's diff, the op its changes are reported as)
T = TypeVar("T")
_OPS = (("added", "added"), ("removed", "removed"), ("modified", "modified"), ("split", "split"),
        ("merged", "merged"), ("editorial", "modified"))
# Labels of statements and text changes are cut in lists (their details hold the whole text);
# codes, history rows, references and the rest are always shown whole.
LABEL_LIMIT = 110


@dataclass(frozen=True, slots=True)
class Change:
    anchor: str
    kind: str  # a key of KIND_TITLES
    op: str  # added, removed, modified, split, merged, moved
    cls: str  # a class of rules/classes.json
    item: Any  # the record, change record, or TextChange

    @property
    def label(self) -> str:
        """One line naming what changed, whole (made when asked: a diff of two large editions
        has tens of thousands of changes, and their text is in the items already)."""
        return _label(self.kind, self.op, self.item)

    def short_label(self) -> str:
        """The label as lists show it: statements and text cut to LABEL_LIMIT characters."""
        return short(self.label, LABEL_LIMIT) if self.kind in ("statements", "sections") else self.label


def short(text: str | None, limit: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def criteria_summary(item: Any) -> str:
    """ "criteria: 2 added, 1 reworded" for a modified statement whose criteria changed."""
    c = item.criteria
    parts = [f"{len(c.added)} added" if c.added else "", f"{len(c.removed)} removed" if c.removed else "",
             f"{len(c.modified)} reworded" if c.modified else ""]
    parts = [p for p in parts if p]
    return ("criteria: " + ", ".join(parts)) if parts else ""


def _label(kind: str, op: str, item: Any) -> str:
    if kind == "metadata":
        return f"{item.field}: {one_line(item.old) or '—'} → {one_line(item.new) or '—'}"
    if kind == "sections":
        where = item.new_section or item.old_section
        return (f"[{one_line(where)}] " if where else "") + one_line(item.new_text or item.old_text)
    if kind == "statements" and op in ("split", "merged"):
        many = item.new if op == "split" else item.old
        one = item.old if op == "split" else item.new
        return f"[{one.position.value}] {one_line(one.lead)} ({op}: {len(many)} statements)"
    record = item.new if op == "modified" else item
    if kind == "statements":
        pos = (f"{item.old.position.value} → {item.new.position.value}" if op == "modified" and item.position_changed
               else record.position.value)
        crit = criteria_summary(item) if op == "modified" else ""
        return f"[{pos}] {one_line(record.lead)}" + (f" ({crit})" if crit else "")
    if kind == "codes":
        rng = f"–{record.code_end}" if record.code_end else ""
        what = f" ({', '.join(item.changes)})" if op == "modified" else ""
        return f"{record.system.value} {record.code}{rng}{what} {one_line(record.description)}".rstrip()
    if kind == "history":
        return f"{one_line(record.date_text)}: {one_line(record.summary)}"
    if kind == "references":
        what = f" ({', '.join(item.changes)})" if op == "modified" else ""
        num = f"{record.number}. " if record.number is not None else ""
        return f"{num}{one_line(record.text)}{what}"
    if kind == "related_policies":
        # a related policy may be printed by its title alone (no number)
        return " ".join(p for p in (record.policy_id, one_line(record.title) if record.title else None) if p)
    raise ValueError(kind)


def class_of(kind: str, item: Any) -> str:
    """A change record's own class, or (an added or removed record) its kind's class."""
    return getattr(item, "change_class", "") or load_rules().records[kind]


def changes(diff: PolicyDiff) -> list[Change]:
    out: list[Change] = []
    for n, m in enumerate(diff.metadata, 1):
        out.append(Change(f"metadata-{n}", "metadata", "modified", class_of("metadata", m), m))
    for kind in ("statements", "codes", "history", "references", "related_policies"):
        part = getattr(diff, kind)
        for field, op in _OPS:
            for n, item in enumerate(getattr(part, field, []), 1):
                out.append(Change(f"{kind}-{field}-{n}", kind, op, class_of(kind, item), item))
    text = diff.sections
    for item in sorted(text.added + text.removed + text.modified + text.moved, key=lambda c: int(c.id[1:])):
        out.append(Change(item.id, "sections", item.op, class_of("sections", item), item))
    order = {name: i for i, name in enumerate(load_rules().names)}
    return sorted(out, key=lambda c: order[c.cls])  # stable: kind order kept inside a class


def statement_detail(c: Change, plain: Callable[[str], T], redlined: Callable[[list], T]) -> list[tuple[str | None, T]]:
    """What a report shows under a statement change, each line as (criterion sign or None, body):
    the statements a split or merge involves; an added or removed statement's criteria; a
    modification's redline (when its lead changed, or nothing else did) and each criterion added
    (+), removed (-) or reworded (~). `plain` renders document text, `redlined` a redline."""
    item = c.item
    if c.op in ("split", "merged"):
        return [(None, plain(t)) for t in statement_texts(item, c.op)]
    if c.op in ("added", "removed"):
        return [(None, plain(" ".join(item.text.split())))] if item.text.strip() != item.lead.strip() else []
    lines = [(None, redlined(item.redline))] if item.lead_changed or not item.criteria.changed else []
    for sign, text, redline in criteria_lines(item):
        lines.append((sign, redlined(redline) if redline else plain(" ".join(text.split()))))
    return lines


def criteria_lines(item: Any) -> list[tuple[str, str, Any]]:
    """(sign, text, redline or None) for each criterion added, removed or reworded."""
    c = item.criteria
    return ([("+", t, None) for t in c.added] + [("-", t, None) for t in c.removed]
            + [("~", m.new, m.redline) for m in c.modified])


def statement_texts(item: Any, op: str) -> list[str]:
    """The statements a split or merge involves, old first, as lines."""
    olds = [item.old] if op == "split" else item.old
    news = item.new if op == "split" else [item.new]
    return ([f"old: {one_line(s.text)}" for s in olds] + [f"new: {one_line(s.text)}" for s in news])


__all__ = ["Change", "KIND_NOUNS", "KIND_TITLES", "changes", "class_of", "criteria_lines",
           "criteria_summary", "short", "statement_detail", "statement_texts"]
