"""A readable markdown page for one Policy record (used by `parse`, `show` and the store).

Every piece of document text is escaped (`textsafe.md_escape`): a document's `<script>`, raw HTML,
links or emphasis marks stay the characters they are in any CommonMark renderer.
"""
from __future__ import annotations

import re

from ..textsafe import md_escape, md_line
from .policy import DATE_KEYS, Policy


def _cell(text: str | None) -> str:
    return md_line(text)


def _item(text: str | None) -> str:
    """One line of a list item: escaped, and a leading enumerator ("1.", "a)") or bullet kept as
    text rather than starting a list of its own."""
    line = _cell(text)
    return re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", line) if line[:1].isdigit() else \
        (("\\" + line) if line.startswith(("-", "+")) else line)


def _lines(text: str | None) -> str:
    return md_escape(text)  # line by line: escaping never adds or removes a newline


def policy_to_markdown(policy: Policy) -> str:
    out: list[str] = []
    title = policy.title or "(untitled policy)"
    out.append(f"# {_cell(title)}\n")
    meta = [("Policy", policy.policy_id), ("Payer", policy.payer)]
    meta += [(k.replace("_", " ").capitalize(), getattr(policy.dates, k)) for k in DATE_KEYS]
    out.append("| Field | Value |\n|---|---|")
    out.extend(f"| {k} | {_cell(v)} |" for k, v in meta if v)
    out.append(f"| Source | {_cell(policy.source.path.rsplit('/', 1)[-1])} ({policy.source.format}, sha256 {policy.source.sha256[:12]}) |\n")
    if policy.related_policies:
        out.append("## Related policies\n")
        # an entry may print a title and no number (RelatedPolicy.policy_id is optional)
        out.extend("- " + " ".join(_cell(p) for p in (r.policy_id, r.title) if p) for r in policy.related_policies)
        out.append("")
    if policy.statements:
        out.append("## Coverage statements\n")
        for s in policy.statements:
            out.append(f"- **{s.position.value}** ({_cell(s.id)}): {_item(s.lead)}")
            # the criteria as a list nested under their statement (CommonMark: indented to the
            # content of the item above), each item's own enumerator kept as text
            out.extend(f"  - {_item(c)}" for c in s.criteria)
        out.append("")
    if policy.codes:
        out.append("## Codes\n\n| System | Code | Description |\n|---|---|---|")
        for c in policy.codes:
            code = c.code + (f"-{c.code_end}" if c.code_end else "")
            out.append(f"| {c.system.value} | {_cell(code)} | {_cell(c.description)} |")
        out.append("")
    if policy.history:
        out.append("## History\n\n| Date | Summary |\n|---|---|")
        out.extend(f"| {_cell(h.date_text)} | {_cell(h.summary)} |" for h in policy.history)
        out.append("")
    if policy.references:
        out.append("## References\n")
        for i, r in enumerate(policy.references, 1):
            out.append(f"{r.number or i}. {_cell(r.text)}")
        out.append("")
    if policy.sections:
        out.append("## Full text\n")
        for sec in policy.sections:
            if sec.heading:
                out.append(f"{'#' * min(6, sec.level + 2)} {_cell(sec.heading)}\n")
            if sec.text:
                out.append(_lines(sec.text).replace("\t", " | ") + "\n")
    if policy.warnings:
        out.append("## Warnings\n")
        out.extend(f"- {_cell(w)}" for w in policy.warnings)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
