"""Renderings of a PolicyDiff: text (optionally coloured), markdown and HTML. JSON is the model's
own dump (`PolicyDiff.to_json`).

Every rendering shows the same things in the same order (changes.py): the summary, findings,
then each record kind's changes, then the text changes. In redlines deleted words are struck
and inserted words underlined or bold, so a change is visible without colour too.
"""
from __future__ import annotations

import click

from ..textsafe import json_for_terminal, md_escape, safe_line, safe_text
from .changes import KIND_TITLES, Change, changes, short
from .model import PolicyDiff, Segment

FORMATS = ("text", "markdown", "json", "html")
_SIGN = {"added": "+", "removed": "-", "modified": "~", "moved": ">"}
_OP_COLOR = {"added": "green", "removed": "red", "modified": "yellow", "moved": "cyan"}


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
    """Lines under a change's label: the redline of an edit, the text of a move."""
    item = c.item
    segments = getattr(item, "redline", None)
    if c.kind == "sections" and c.op in ("added", "removed"):
        text = item.new_text or item.old_text or ""
        return [safe_line(short(text, 400))] if short(text, 90) != text else []
    if c.kind == "sections" and c.op == "moved":
        lines = [safe_line(f"from [{item.old_section or '-'}] to [{item.new_section or '-'}]")]
        return lines + ([_redline_text(segments, color)] if segments else [safe_line(short(item.new_text, 200))])
    if segments and c.op == "modified":
        return [_redline_text(segments, color)]
    return []


def render_text(diff: PolicyDiff, *, color: bool = False) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    # document text is made safe (textsafe) before any colour of ours is put around it
    lines = [style(safe_line(_title(diff)), bold=True), _edition_line("old", diff.old), _edition_line("new", diff.new)]
    verdict = "substantive" if diff.summary.substantive else ("not substantive" if diff.summary.changed else "")
    lines.append("summary: " + safe_line(diff.summary.text) + (f" [{verdict}]" if verdict else ""))
    if diff.findings:
        lines.append("")
        lines.append(style("Findings", bold=True))
        lines += [style(f"  ! {f.kind}: {safe_line(f.message)}", fg="magenta") for f in diff.findings]
    kind = None
    for c in changes(diff):
        if c.kind != kind:
            kind = c.kind
            extra = f" ({diff.references.renumbered} renumbered)" if kind == "references" and diff.references.renumbered else ""
            lines += ["", style(KIND_TITLES[kind] + extra, bold=True)]
        lines.append(style(f"  {_SIGN[c.op]} ", fg=_OP_COLOR[c.op]) + safe_line(c.label))
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
    verdict = "**substantive**" if diff.summary.substantive else "not substantive"
    out += ["", f"**Summary:** {md_escape(diff.summary.text)}" + (f" ({verdict})" if diff.summary.changed else ""), ""]
    if diff.findings:
        out += ["## Findings", ""] + [f"- **{f.kind}**: {md_escape(f.message)}" for f in diff.findings] + [""]
    kind = None
    for c in changes(diff):
        if c.kind != kind:
            kind = c.kind
            extra = f" ({diff.references.renumbered} renumbered)" if kind == "references" and diff.references.renumbered else ""
            out += ["", f"## {KIND_TITLES[kind]}{extra}", ""]
        out.append(f"- **{c.op}** {md_escape(c.label)}")
        segments = getattr(c.item, "redline", None)
        if segments and c.op in ("modified", "moved"):
            out.append(f"  > {_redline_md(segments)}")
        elif c.kind == "sections" and c.op in ("added", "removed"):
            mark = "**" if c.op == "added" else "~~"
            out.append(f"  > {mark}{md_escape(short(c.item.new_text or c.item.old_text, 600))}{mark}")
    return "\n".join(out).rstrip() + "\n"
