"""Renderings of a PolicyDiff: text (optionally coloured), markdown and HTML. JSON is the model's
own dump (`PolicyDiff.to_json`).

Every rendering shows the same things in the same order (changes.py): the summary with the
count of each change class, findings, then the changes grouped by class, coverage and coding
first. In redlines deleted words are struck and inserted words underlined or bold, so a change
is visible without colour too.
"""
from __future__ import annotations

import click

from ..textsafe import json_for_terminal, md_escape, safe_line, safe_text
from .changes import KIND_NOUNS, Change, changes, statement_detail
from .classes import load_rules
from .model import PolicyDiff, Segment

FORMATS = ("text", "markdown", "json", "html")
_SIGN = {"added": "+", "removed": "-", "modified": "~", "moved": ">", "split": "/", "merged": "&"}
_OP_COLOR = {"added": "green", "removed": "red", "modified": "yellow", "moved": "cyan", "split": "yellow",
             "merged": "yellow"}


def render(diff: PolicyDiff, fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        return json_for_terminal(diff.to_json())
    if fmt == "markdown":
        return render_markdown(diff)
    if fmt == "html":
        from .html import render_html

        return safe_text(render_html(diff))  # escaped HTML may still hold terminal controls
    if fmt == "text":
        return render_text(diff, color=color)
    raise ValueError(f"unknown format {fmt!r}")


def _edition_line(label: str, ed) -> str:
    where = ed.commit[:12] if ed.commit else (ed.path or "?")
    return safe_line(f"{label}: {where}" + (f" (effective {ed.effective})" if ed.effective else ""))


def _title(diff: PolicyDiff) -> str:
    ed = diff.new
    name = ed.title or diff.old.title or "(untitled policy)"
    return name + (f" ({ed.policy_id})" if ed.policy_id else "")


def classes_line(diff: PolicyDiff) -> str:
    """ "coverage 2, coding 0, administrative 4, ..." in the table's order."""
    return ", ".join(f"{name} {diff.summary.classes.get(name, 0)}" for name in load_rules().names)


def verdict(diff: PolicyDiff) -> str:
    return "substantive" if diff.summary.substantive else ("not substantive" if diff.summary.changed else "")


def grouped(diff: PolicyDiff) -> list[tuple[str, list[Change]]]:
    """(class, its changes) for each class that has changes, in report order."""
    groups: dict[str, list[Change]] = {}
    for c in changes(diff):
        groups.setdefault(c.cls, []).append(c)
    return list(groups.items())


# -- text --------------------------------------------------------------------------------------

def _redline_text(segments: list[Segment], color: bool) -> str:
    out = []
    for s in segments:
        text = safe_line(s.text.replace("\n", " ¶ "))
        if s.op == "equal":
            out.append(text)
        elif color:
            style = {"fg": "red", "strikethrough": True} if s.op == "delete" else {"fg": "green", "underline": True}
            out.append(click.style(text, **style))
        else:
            out.append(f"[-{text}-]" if s.op == "delete" else f"{{+{text}+}}")
    return " ".join(out)


def _detail_text(c: Change, color: bool) -> list[str]:
    """Lines under a change's label: the redline of an edit, criteria changes, the whole text of
    an added or removed statement or paragraph, the text of a move. Document text is made safe
    (textsafe) before any colour of ours is put around it."""
    item = c.item
    segments = getattr(item, "redline", None)
    if c.kind == "statements":
        return [f"{sign} criterion: {body}" if sign else body
                for sign, body in statement_detail(c, safe_line, lambda seg: _redline_text(seg, color))]
    if c.kind == "sections" and c.op in ("added", "removed"):
        text = safe_line(item.new_text or item.old_text)
        return [text] if c.short_label() != c.label else []
    if c.kind == "sections" and c.op == "moved":
        lines = [safe_line(f"from [{item.old_section or '-'}] to [{item.new_section or '-'}]")]
        return lines + ([_redline_text(segments, color)] if segments else [safe_line(item.new_text)])
    if c.kind == "codes" and c.op == "modified" and "description" in item.changes:
        return [safe_line(f"description: {item.old.description or '—'} → {item.new.description or '—'}")]
    if segments and c.op == "modified":
        return [_redline_text(segments, color)]
    return []


def render_text(diff: PolicyDiff, *, color: bool = False) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    lines = [style(safe_line(_title(diff)), bold=True), _edition_line("old", diff.old), _edition_line("new", diff.new)]
    v = verdict(diff)
    lines.append("summary: " + safe_line(diff.summary.text) + (f" [{v}]" if v else ""))
    if diff.summary.changed:
        lines.append("classes: " + classes_line(diff))
    if diff.findings:
        lines.append("")
        lines.append(style("Findings", bold=True))
        lines += [style(f"  ! {f.kind}: {safe_line(f.message)}", fg="magenta") for f in diff.findings]
    titles = load_rules().titles
    for cls, items in grouped(diff):
        extra = f", {diff.references.renumbered} references renumbered" if cls == "references" and diff.references.renumbered else ""
        lines += ["", style(f"{titles[cls]} ({len(items)}{extra})", bold=True)]
        for c in items:
            lines.append(style(f"  {_SIGN[c.op]} ", fg=_OP_COLOR[c.op]) + f"{KIND_NOUNS[c.kind]} " + safe_line(c.short_label()))
            lines += [f"      {d}" for d in _detail_text(c, color)]
    return "\n".join(lines) + "\n"


# -- markdown ----------------------------------------------------------------------------------

def _redline_md(segments: list[Segment]) -> str:
    out = []
    for s in segments:
        text = md_escape(s.text).replace("\n", " ¶ ")
        out.append(text if s.op == "equal" else (f"~~{text}~~" if s.op == "delete" else f"**{text}**"))
    return " ".join(out)


def render_markdown(diff: PolicyDiff) -> str:
    out = [f"# Changes: {md_escape(_title(diff))}", ""]
    out += ["| | edition | effective |", "|---|---|---|"]
    for label, ed in (("old", diff.old), ("new", diff.new)):
        where = ed.commit[:12] if ed.commit else (ed.path or "")
        out.append(f"| {label} | {md_escape(where)} | {md_escape(ed.effective or '')} |")
    v = "**substantive**" if diff.summary.substantive else "not substantive"
    out += ["", f"**Summary:** {md_escape(diff.summary.text)}" + (f" ({v})" if diff.summary.changed else ""), ""]
    if diff.summary.changed:
        out += [f"**Classes:** {md_escape(classes_line(diff))}", ""]
    if diff.findings:
        out += ["## Findings", ""] + [f"- **{f.kind}**: {md_escape(f.message)}" for f in diff.findings] + [""]
    titles = load_rules().titles
    for cls, items in grouped(diff):
        extra = f", {diff.references.renumbered} references renumbered" if cls == "references" and diff.references.renumbered else ""
        out += ["", f"## {titles[cls]} ({len(items)}{extra})", ""]
        for c in items:
            out.append(f"- **{c.op}** {KIND_NOUNS[c.kind]} {md_escape(c.short_label())}")
            out += [f"  > {line}" for line in _detail_markdown(c)]
    return "\n".join(out).rstrip() + "\n"


def _detail_markdown(c: Change) -> list[str]:
    item = c.item
    segments = getattr(item, "redline", None)
    if c.kind == "statements":
        return [f"{md_escape(sign)} criterion: {body}" if sign else body
                for sign, body in statement_detail(c, md_escape, _redline_md)]
    if segments and c.op in ("modified", "moved"):
        return [_redline_md(segments)]
    if c.kind == "sections" and c.op in ("added", "removed"):
        mark = "**" if c.op == "added" else "~~"
        return [f"{mark}{md_escape(' '.join((item.new_text or item.old_text or '').split()))}{mark}"]
    if c.kind == "codes" and c.op == "modified" and "description" in item.changes:
        return [md_escape(f"description: {item.old.description or '—'} → {item.new.description or '—'}")]
    return []
