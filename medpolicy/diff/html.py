"""The HTML report: one self-contained file (inline CSS, no scripts, no external resources).

On top: the summary with the count of each change class, findings and the change list grouped
by class (coverage and coding first), each entry a link to the change below it. Then a card for
each record change, holding the whole record (an added code, history row or reference in full),
then the side-by-side redline of the full text, where runs of unchanged paragraphs are folded. Deleted words are struck through and inserted ones underlined,
so changes stay visible in print and without colour.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from .changes import KIND_NOUNS, KIND_TITLES, Change, statement_detail
from .classes import load_rules
from .model import Alignment, Paragraph, PolicyDiff, Row, Segment
from .render import grouped

# unchanged paragraphs kept visible around each change; longer unchanged runs are folded
CONTEXT = 2
FOLD_MIN = 2 * CONTEXT + 3


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("medpolicy.diff", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def _text(text: str) -> Markup:
    return Markup("<br>").join(escape(part) for part in text.split("\n"))


def segments_html(segments: list[Segment], side: str | None = None) -> Markup:
    """A redline; `side` "old" shows kept + deleted words, "new" kept + inserted, None both."""
    out = []
    for s in segments:
        if s.op == "equal":
            out.append(_text(s.text))
        elif s.op == "delete" and side != "new":
            out.append(Markup('<del class="del">{}</del>').format(_text(s.text)))
        elif s.op == "insert" and side != "old":
            out.append(Markup('<ins class="ins">{}</ins>').format(_text(s.text)))
    return Markup(" ").join(out)


@dataclass
class Cell:
    html: Markup = Markup("")
    link: str | None = None  # anchor of the other end of a move
    link_text: str = ""


@dataclass
class HtmlRow:
    cls: str
    id: str | None
    old: Cell = field(default_factory=Cell)
    new: Cell = field(default_factory=Cell)
    heading: bool = False


def _paras(paras: list[Paragraph], idx: list[int]) -> Markup:
    return Markup("<br>").join(_text(paras[i].text) for i in idx)


def _row(row: Row, al: Alignment) -> HtmlRow:
    heading = any(al.old[i].heading for i in row.old) or any(al.new[j].heading for j in row.new)
    if row.op == "equal":
        return HtmlRow("same", None, Cell(_paras(al.old, row.old)), Cell(_paras(al.new, row.new)), heading)
    if row.op == "modified":
        return HtmlRow("chg mod", row.change_id, Cell(segments_html(row.segments, "old")),
                       Cell(segments_html(row.segments, "new")), heading)
    if row.op == "added":
        return HtmlRow("chg add", row.change_id, Cell(), Cell(Markup('<ins class="ins">{}</ins>').format(_paras(al.new, row.new))), heading)
    if row.op == "removed":
        return HtmlRow("chg rem", row.change_id, Cell(Markup('<del class="del">{}</del>').format(_paras(al.old, row.old))), Cell(), heading)
    if row.op == "moved_from":
        return HtmlRow("chg mov from", f"{row.change_id}-from", Cell(_paras(al.old, row.old)),
                       Cell(link=row.change_id, link_text="moved to ↓"), heading)
    if row.op == "moved_to":
        new = segments_html(row.segments, "new") if row.segments else _paras(al.new, row.new)
        return HtmlRow("chg mov to", row.change_id, Cell(link=f"{row.change_id}-from", link_text="moved from ↑"),
                       Cell(new), heading)
    raise ValueError(row.op)


def _blocks(al: Alignment) -> list[dict]:
    """Rows grouped into shown runs and folded runs of unchanged paragraphs."""
    rows = [_row(r, al) for r in al.rows]
    changed = [i for i, r in enumerate(rows) if r.cls != "same"]
    keep = set()
    for i in changed:
        keep.update(range(max(0, i - CONTEXT), min(len(rows), i + CONTEXT + 1)))
    blocks: list[dict] = []
    run: list[HtmlRow] = []

    def flush_run() -> None:
        if not run:
            return
        if len(run) >= FOLD_MIN:
            blocks.append({"fold": True, "rows": list(run)})
        else:
            for r in run:
                blocks.append({"fold": False, "rows": [r]})
        run.clear()

    for i, r in enumerate(rows):
        if r.cls == "same" and i not in keep:
            run.append(r)
            continue
        flush_run()
        blocks.append({"fold": False, "rows": [r]})
    flush_run()
    return blocks


def _detail(c: Change) -> Markup:
    """The body of a change's card: the whole record, or what changed in it."""
    item = c.item
    segments = getattr(item, "redline", None)
    if c.kind == "statements":
        if c.op in ("added", "removed"):
            return _text(item.text)
        parts = []
        for sign, body in statement_detail(c, escape, segments_html):
            if sign in ("+", "-"):  # a whole criterion added or removed is marked as such
                body = Markup('<{0} class="{0}">{1}</{0}>').format("ins" if sign == "+" else "del", body)
            parts.append(Markup('<span class="crit">{} criterion:</span> {}').format(sign, body) if sign else body)
        return Markup("<br>").join(parts)
    if c.op == "modified" and segments:
        return segments_html(segments)
    if c.kind == "codes" and c.op == "modified":
        return Markup("{} → {}").format(item.old.description or "—", item.new.description or "—")
    if c.kind == "codes":
        return Markup("{} {}{}: {}").format(item.system.value, item.code, f"–{item.code_end}" if item.code_end else "",
                                            item.description or "—")
    if c.kind == "history" and c.op in ("added", "removed"):
        return Markup("{}: {}").format(item.date_text, item.summary)
    if c.kind == "references" and c.op in ("added", "removed"):
        return _text(item.text)
    if c.kind == "sections" and c.op == "moved":
        body = segments_html(segments) if segments else _text(item.new_text or "")
        return Markup("moved from “{}” to “{}”: {}").format(item.old_section or "—", item.new_section or "—", body)
    if c.kind == "sections":
        tag = "ins" if c.op == "added" else "del"
        return Markup('<{0} class="{0}">{1}</{0}>').format(tag, _text(item.new_text or item.old_text or ""))
    return Markup("")


def render_html(diff: PolicyDiff) -> str:
    rules = load_rules()
    groups = [(cls, [(c, _detail(c)) for c in items]) for cls, items in grouped(diff)]
    history_anchor = {}
    for cls, entries in groups:
        for c, _ in entries:
            if c.kind == "history" and c.op == "added":
                history_anchor.setdefault(id(c.item), c.anchor)
    findings = [(f, next((history_anchor.get(id(h)) for h in diff.history.added if h == f.history), None))
                for f in diff.findings]
    al = diff.alignment
    return _env().get_template("report.html.j2").render(
        diff=diff,
        title=diff.new.title or diff.old.title or "(untitled policy)",
        groups=groups,
        class_titles=rules.titles,
        class_names=rules.names,
        substantive_classes=rules.substantive,
        kind_titles=KIND_TITLES,
        kind_nouns=KIND_NOUNS,
        findings=findings,
        blocks=_blocks(al) if al is not None else None,
        text_changes=[c for _, entries in groups for c, _ in entries if c.kind == "sections"],
    )
