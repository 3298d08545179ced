"""`diff_policies`: compare two editions' records and text, judge the result, summarise it.

The substantive-change rule: a diff is substantive when coverage statements changed (added,
removed, reworded, or their position changed) or when codes were added, removed, or had their
range changed. Everything else (dates, a code's description, history, references, related
policies, prose) is reported, and counts as a change for the exit status, but is not
substantive on its own.
"""
from __future__ import annotations

from ..models import Policy
from .findings import check_history_claims
from .model import Edition, PolicyDiff, Summary
from .records import (diff_codes, diff_history, diff_metadata, diff_references, diff_related,
                      diff_statements)
from .textdiff import diff_sections

# (key in the JSON, singular noun, plural noun) in the order the summary line names them.
_KINDS = (
    ("statements", "statement", "statements"),
    ("codes", "code", "codes"),
    ("history", "history row", "history rows"),
    ("references", "reference", "references"),
    ("related_policies", "related policy", "related policies"),
)
_OPS = ("added", "removed", "modified")


def edition_of(policy: Policy, commit: str | None = None) -> Edition:
    return Edition(path=policy.source.path, format=policy.source.format, sha256=policy.source.sha256,
                   commit=commit, policy_id=policy.policy_id, title=policy.title, effective=policy.effective)


def diff_policies(old: Policy, new: Policy) -> PolicyDiff:
    """Everything that changed from `old` to `new`, and nothing that is only layout."""
    statements = diff_statements(old.statements, new.statements)
    codes = diff_codes(old.codes, new.codes)
    history = diff_history(old.history, new.history)
    references = diff_references(old.references, new.references)
    sections, alignment = diff_sections(old, new)
    parts = dict(
        metadata=diff_metadata(old, new),
        statements=statements,
        codes=codes,
        history=history,
        references=references,
        related_policies=diff_related(old.related_policies, new.related_policies),
        sections=sections,
        findings=check_history_claims(old, new, statements, codes, history, references),
    )
    counts = _counts(parts)
    summary = Summary(changed=_changed(counts), substantive=_substantive(parts), counts=counts,
                      text=_summary_text(counts, parts["metadata"]))
    result = PolicyDiff(old=edition_of(old), new=edition_of(new), summary=summary, **parts)
    result._alignment = alignment
    return result


def _counts(parts: dict) -> dict[str, dict[str, int]]:
    counts = {key: {op: len(getattr(parts[key], op)) for op in _OPS} for key, _, _ in _KINDS}
    counts["statements"]["position_changed"] = sum(m.position_changed for m in parts["statements"].modified)
    counts["references"]["renumbered"] = parts["references"].renumbered
    counts["metadata"] = {"changed": len(parts["metadata"])}
    counts["sections"] = {op: len(getattr(parts["sections"], op)) for op in (*_OPS, "moved")}
    counts["findings"] = {"total": len(parts["findings"])}
    return counts


def _changed(counts: dict[str, dict[str, int]]) -> bool:
    """Any change at all; renumbered references alone are not one (they are not a change of
    any reference), and findings only ever accompany a change."""
    return any(n for kind, ops in counts.items() if kind != "findings"
               for op, n in ops.items() if op not in ("renumbered", "position_changed"))


def _substantive(parts: dict) -> bool:
    s, c = parts["statements"], parts["codes"]
    return bool(s.added or s.removed or s.modified or c.added or c.removed
                or any("range" in m.changes for m in c.modified))


def _summary_text(counts: dict[str, dict[str, int]], metadata) -> str:
    items = []
    for key, one, many in _KINDS:
        for op in _OPS:
            n = counts[key][op]
            if n:
                items.append(f"{n} {one if n == 1 else many} {op}")
        if key == "statements" and counts[key]["position_changed"]:
            n = counts[key]["position_changed"]
            items.append(f"{n} coverage position{'' if n == 1 else 's'} changed")
    parts = [", ".join(items)] if items else []
    if metadata:
        parts.append(", ".join(m.field for m in metadata) + " changed")
    text = sum(n for n in counts["sections"].values())
    if text:
        moved = counts["sections"]["moved"]
        parts.append(f"{text} text change{'' if text == 1 else 's'}" + (f" ({moved} moved)" if moved else ""))
    return "; ".join(parts) if parts else "no changes"
