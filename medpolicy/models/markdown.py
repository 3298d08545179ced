"""A readable markdown page for one Policy record (used by `parse`, `show` and the store)."""
from __future__ import annotations

from .policy import DATE_KEYS, Policy


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def policy_to_markdown(policy: Policy) -> str:
    out: list[str] = []
    title = policy.title or "(untitled policy)"
    out.append(f"# {title}\n")
    meta = [("Policy", policy.policy_id), ("Payer", policy.payer)]
    meta += [(k.replace("_", " ").capitalize(), getattr(policy.dates, k)) for k in DATE_KEYS]
    out.append("| Field | Value |\n|---|---|")
    out.extend(f"| {k} | {_cell(v)} |" for k, v in meta if v)
    out.append(f"| Source | {_cell(policy.source.path.rsplit('/', 1)[-1])} ({policy.source.format}, sha256 {policy.source.sha256[:12]}) |\n")
    if policy.related_policies:
        out.append("## Related policies\n")
        out.extend("- " + " ".join(p for p in (r.policy_id, r.title) if p) for r in policy.related_policies)
        out.append("")
    if policy.statements:
        out.append("## Coverage statements\n")
        for s in policy.statements:
            out.append(f"- **{s.position.value}** ({s.id}): {s.text}")
        out.append("")
    if policy.codes:
        out.append("## Codes\n\n| System | Code | Description |\n|---|---|---|")
        for c in policy.codes:
            code = c.code + (f"-{c.code_end}" if c.code_end else "")
            out.append(f"| {c.system.value} | {code} | {_cell(c.description)} |")
        out.append("")
    if policy.history:
        out.append("## History\n\n| Date | Summary |\n|---|---|")
        out.extend(f"| {_cell(h.date_text)} | {_cell(h.summary)} |" for h in policy.history)
        out.append("")
    if policy.references:
        out.append("## References\n")
        for i, r in enumerate(policy.references, 1):
            out.append(f"{r.number or i}. {r.text}")
        out.append("")
    if policy.sections:
        out.append("## Full text\n")
        for sec in policy.sections:
            if sec.heading:
                out.append(f"{'#' * min(6, sec.level + 2)} {sec.heading}\n")
            if sec.text:
                out.append(sec.text.replace("\t", " | ") + "\n")
    if policy.warnings:
        out.append("## Warnings\n")
        out.extend(f"- {w}" for w in policy.warnings)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
