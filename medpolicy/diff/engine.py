"""`diff_policies`: compare two editions' records and text, class every change, summarise.

The substantive rule is data (rules/classes.json): a diff is substantive exactly when it holds a
change of a substantive class, `coverage` (statements added, removed, reworded, split or merged,
positions, criteria, covered indications and limits in coverage sections) or `coding` (codes
added or removed, ranges, systems, descriptions). Everything else (dates, letterhead, history,
references, related policies, evidence text, editorial edits) is reported, and counts as a
change for the exit status, but is not substantive.
"""
from __future__ import annotations

from collections import Counter

from ..models import Policy
from ..models.related import policy_id_key
from ..textnorm import loose_key
from .changes import changes
from .classes import Classifier
from .match import WordCoder, similarity
from .findings import check_history_claims
from .model import Alignment, ChangeEntry, Edition, PolicyDiff, SectionDiff, Summary
from .records import diff_codes, diff_history, diff_metadata, diff_references, diff_related
from .statements import diff_statements, full_text
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
    classifier = Classifier(old, new)
    _classify(parts, alignment, classifier)
    counts = _counts(parts)
    result = PolicyDiff(old=edition_of(old), new=edition_of(new),
                        summary=Summary(changed=False, substantive=False, counts=counts,
                                        text=_summary_text(counts, parts["metadata"])), **parts)
    entries = changes(result)
    # labels as lists show them: a statement's or paragraph's whole text is in its change record
    result.changes = [ChangeEntry(id=c.anchor, kind=c.kind, op=c.op, change_class=c.cls, label=c.short_label())
                      for c in entries]
    per_class = Counter(c.cls for c in entries)
    result.summary.classes = {name: per_class.get(name, 0) for name in classifier.rules.names}
    result.summary.changed = bool(entries)
    result.summary.substantive = any(c.cls in classifier.rules.substantive for c in entries)
    result.warnings = policy_warnings(old, new)
    result._alignment = alignment
    return result


# Below this share of their words kept, two titles name two different policies.
TITLE_SIMILARITY = 0.5


def policy_warnings(old: Policy, new: Policy) -> list[str]:
    """A diff of two different policies is most likely a mistake: their ids differ or, when one
    has no id, their titles have little in common."""
    a, b = policy_id_key(old.policy_id), policy_id_key(new.policy_id)
    if a and b:
        different = a != b
    else:
        ta, tb = loose_key(old.title).split(), loose_key(new.title).split()
        coder = WordCoder()
        different = bool(ta and tb) and similarity(coder.encode(ta), coder.encode(tb)) < TITLE_SIMILARITY
    if not different:
        return []
    return [f"the two editions are different policies: {_name(old)} and {_name(new)}"]


def _name(p: Policy) -> str:
    return " ".join(x for x in (p.policy_id, f"“{p.title}”" if p.title else None) if x) or "(unnamed)"


def _classify(parts: dict, alignment: Alignment, clf: Classifier) -> None:
    """Set the class of every change record (added and removed records have their kind's). A
    statement, history row or reference edited only editorially moves from `modified` to
    `editorial`: it is reported, but it is not a modification."""
    for m in parts["metadata"]:
        m.change_class = clf.record("metadata")
    st = parts["statements"]
    for m in st.modified:
        m.change_class = (clf.record("statements") if m.position_changed
                          else clf.modified("statements", full_text(m.old), full_text(m.new)))
    for m in [*st.split, *st.merged]:
        m.change_class = clf.record("statements")
    for m in parts["codes"].modified:
        m.change_class = (clf.modified("codes", m.old.description or "", m.new.description or "")
                          if m.changes == ["description"] else clf.record("codes"))
    for m in parts["history"].modified:
        m.change_class = clf.modified("history", m.old.summary, m.new.summary)
    for m in parts["references"].modified:
        m.change_class = (clf.modified("references", m.old.text, m.new.text) if m.changes == ["text"]
                          else clf.record("references"))
    for kind in ("statements", "history", "references"):
        part = parts[kind]
        part.editorial = [m for m in part.modified if m.change_class == clf.rules.editorial.cls]
        part.modified = [m for m in part.modified if m.change_class != clf.rules.editorial.cls]
    for m in parts["related_policies"].modified:
        m.change_class = clf.modified("related_policies", m.old.title or "", m.new.title or "")
    _classify_text(parts["sections"], alignment, clf)


def _classify_text(sections: SectionDiff, alignment: Alignment, clf: Classifier) -> None:
    by_id = {c.id: c for c in (*sections.added, *sections.removed, *sections.modified, *sections.moved)}
    for row in alignment.rows:
        change = by_id.get(row.change_id) if row.op != "moved_from" else None
        if change is not None:
            change.change_class = clf.text(change, [alignment.old[i] for i in row.old],
                                           [alignment.new[j] for j in row.new])


def _counts(parts: dict) -> dict[str, dict[str, int]]:
    counts = {key: {op: len(getattr(parts[key], op)) for op in _OPS} for key, _, _ in _KINDS}
    st = parts["statements"]
    counts["statements"].update(position_changed=sum(m.position_changed for m in st.modified),
                                split=len(st.split), merged=len(st.merged))
    for key in ("statements", "history", "references"):
        counts[key]["editorial"] = len(parts[key].editorial)
    counts["references"]["renumbered"] = parts["references"].renumbered
    counts["metadata"] = {"changed": len(parts["metadata"])}
    counts["sections"] = {op: len(getattr(parts["sections"], op)) for op in (*_OPS, "moved")}
    counts["findings"] = {"total": len(parts["findings"])}
    return counts


def _summary_text(counts: dict[str, dict[str, int]], metadata) -> str:
    items = []
    for key, one, many in _KINDS:
        for op in _OPS:
            n = counts[key][op]
            if n:
                items.append(f"{n} {one if n == 1 else many} {op}")
        if counts[key].get("editorial"):
            n = counts[key]["editorial"]
            items.append(f"{n} {one if n == 1 else many} edited editorially")
        if key == "statements":
            for op in ("split", "merged"):
                n = counts[key][op]
                if n:
                    items.append(f"{n} {one if n == 1 else many} {op}")
            if counts[key]["position_changed"]:
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
