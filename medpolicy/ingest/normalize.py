"""Named cleaning steps: SourceDocument blocks -> one clean Document.

Every format goes through the same steps, in this order:
1. `unify_characters`  non-breaking and odd spaces, soft hyphens, smart quotes, zero-width marks
2. `strip_markup`      HTML tags and entities, markdown emphasis/links/headings/escapes; notes
                       which lines were marked up as headings (a hint for sections.py)
3. `remove_furniture`  page markers ("Page: 2 of 10") and the running header/footer lines that
                       repeat beside them (text sources; the PDF loader removes its own by geometry)
4. `join_broken_blocks` paragraphs, entries and hyphenated words split by a page break
"""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

from ..textnorm import ANGLE_URL as _ANGLE_URL
from ..textnorm import BLOCK_TAG as _BLOCK_TAG
from ..textnorm import MD_LINK as _MD_LINK
from ..textnorm import CHAR_MAP, PAGE_MARKER
from ..textnorm import TAG as _TAG
from .document import Block, BlockKind, Document, Line, SourceDocument
from .lexicon import continuation_bullet, enumerator_prefix, private_use_bullets

# -- 1. characters -------------------------------------------------------------------------
# The character map, markup patterns and page-marker pattern are shared with the diff and the
# record models (medpolicy/textnorm.py), so that what ingest cleans and what the diff compares
# agree. Ingest adds what only a PDF text layer leaves in a document (the diff compares text
# ingested with it, so the two still agree):
# symbol-font bullets in the Private Use Area (Symbol F0B7, Wingdings F0A7/F0D8/F076/F0FC...);
# the rest of the Private Use Area is glyph noise (icons); ligatures; the minus sign.
PUA_BULLETS = private_use_bullets()  # rules/lexicon.json
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
_CHAR_MAP = dict(CHAR_MAP)
_CHAR_MAP[ord("\u2212")] = "-"
_CHAR_MAP.update(dict.fromkeys(range(0xF000, 0xF100)))  # symbol-font glyphs (icons, arrows)
_CHAR_MAP.update(PUA_BULLETS)
_CHAR_MAP.update({ord(k): v for k, v in LIGATURES.items()})


def unify_characters(text: str) -> str:
    """textnorm.unify_characters, and the text layer's glyphs above."""
    return text if text.isascii() else text.translate(_CHAR_MAP)  # every mapped character is beyond ASCII


# -- 2. markup -----------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_LEADER = re.compile(r"\s*(?:\.\s?){4,}\s*")  # "Effective Date ........ 7/15/2026": a label/value row
_STRAY_STARS = re.compile(r"(?<!\S)\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?!\S)")
_CELL_SPACES = re.compile(r"[ \u000b\u000c]+")


def _whole_line_bold(line: str) -> bool:
    s = line.strip()
    return len(s) > 4 and s.startswith(("**", "__")) and s.endswith(("**", "__")) and s.count("**") + s.count("__") == 2


def strip_markup(line: str) -> tuple[str, bool]:
    """Clean one line; return (text, marked_as_heading)."""
    heading = False
    m = _MD_HEADING.match(line)
    if m:
        line, heading = m.group(1), True
    elif _whole_line_bold(line):
        heading = True
    # each pattern is tried only when the character it needs is in the line (most lines of a
    # text layer have no markup at all)
    if "](" in line:
        line = _MD_LINK.sub(r"\1", line)
    if "<" in line:
        line = _ANGLE_URL.sub(r"\1", line)
        if re.match(r"\s*<h[1-6][\s>]", line, re.I):
            heading = True
        line = _BLOCK_TAG.sub(" ", line)
        line = _TAG.sub("", line)
    if "&" in line:
        line = html.unescape(line)
    if "*" in line or "_" in line:
        line = _BOLD.sub(r"\2", line)
        line = _ITALIC.sub(r"\1", line)
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)
    if "*" in line:
        line = _STRAY_STARS.sub("", line)
    line = unify_characters(line)
    if "...." in line or ". . . ." in line:
        line = _LEADER.sub("\t", line)
    # collapse spaces inside cells, keep the tabs that separate cells
    cells = [_CELL_SPACES.sub(" ", c).strip() for c in line.split("\t")]
    while len(cells) > 1 and not cells[-1]:
        cells.pop()
    return "\t".join(cells), heading


# -- 3. page furniture ---------------------------------------------------------------------

@dataclass
class _Raw:
    text: str
    page: int | None
    kind: BlockKind
    blank_before: int  # number of blank lines (or a page break) before this line
    furniture_before: bool = False
    level: int = 0  # a heading's level from the loader (HTML h1-h6), 0 when unknown

    @property
    def heading(self) -> bool:
        return self.kind is BlockKind.HEADING


_N_OF_M = re.compile(r"^\s*(\d{1,4})\s*/\s*(\d{1,4})\s*$")


def _mask(text: str) -> str:
    """Compare short lines modulo numbers (dates, page numbers); longer ones exactly."""
    s = text.strip().lower()
    return re.sub(r"\d+", "#", s) if len(s) <= 60 else s


HEAD_LINES = 8  # the lines at a text's start that can be page 1's running header


def remove_furniture(items: list[_Raw], removed: list[str] | None = None) -> list[_Raw]:
    """Drop page markers and the short lines that repeat beside them on most pages (appended,
    once each, to `removed` when given)."""
    marker_idx = [i for i, it in enumerate(items) if "\t" not in it.text and PAGE_MARKER.match(it.text)]
    # "3/36" counts pages only as one of a run that shares its total: a lone "11/23" is a date
    totals = Counter(_N_OF_M.match(items[i].text).group(2) for i in marker_idx if _N_OF_M.match(items[i].text))
    marker_idx = [i for i in marker_idx if not (m := _N_OF_M.match(items[i].text)) or totals[m.group(2)] >= 2]
    if not marker_idx:
        return items
    total: Counter[str] = Counter(_mask(it.text) for it in items if "\t" not in it.text)
    markers = set(marker_idx)
    near_idx: set[int] = set()
    for i in marker_idx:
        for j in range(max(0, i - 4), min(len(items), i + 5)):
            if j not in markers and "\t" not in items[j].text and len(items[j].text) <= 160:
                near_idx.add(j)
    near: Counter[str] = Counter(_mask(items[j].text) for j in near_idx)
    threshold = max(2, (len(marker_idx) + 1) // 2)
    furniture = {k for k, n in near.items() if n >= threshold and total[k] <= n + 1}
    # The document's first lines are page 1's header: a line printed there and again beside a
    # counter is that header repeated on the next page (a two-page text has one such repeat,
    # too few to count on its own). Page 1 keeps its copy: it is the document's own header.
    head = [i for i in range(min(len(items), marker_idx[0], HEAD_LINES)) if "\t" not in items[i].text]
    head_keys = {_mask(items[i].text) for i in head}
    repeated_head = {k for k, n in near.items() if k in head_keys and k not in furniture
                     and n + 1 >= threshold and total[k] <= n + 1}
    kept = {i for i in head if _mask(items[i].text) in repeated_head}
    furniture |= repeated_head
    out: list[_Raw] = []
    dropped = False
    for i, it in enumerate(items):
        if i in kept:
            out.append(it)
            continue
        if i in markers or ("\t" not in it.text and _mask(it.text) in furniture):
            dropped = True
            if removed is not None and i not in markers and it.text not in removed:
                removed.append(it.text)
            continue
        if dropped:
            it.furniture_before = True
            dropped = False
        out.append(it)
    return out


def _assign_pages(items: list[_Raw]) -> None:
    """Number pages of a text source from its page markers (headers or footers)."""
    first = None
    for it in items:
        m = PAGE_MARKER.match(it.text) if "\t" not in it.text else None
        if m:
            nums = [g for g in m.groups() if g]
            first = int(nums[0]) if nums else None
            break
    if first is None:
        return
    footer_style = first == 1  # "Page 1 of N" printed at the bottom of page 1
    page = 1
    for it in items:
        m = PAGE_MARKER.match(it.text) if "\t" not in it.text else None
        if m:
            nums = [g for g in m.groups() if g]
            if nums:
                n = int(nums[0])
                if footer_style:
                    it.page = n
                    page = n + 1
                    continue
                page = n
        it.page = page


# -- 4. joins across breaks ----------------------------------------------------------------

_TERMINAL = (".", ":", ";", "?", "!", ")", "]", '"', "'")
_CONT_BULLET = continuation_bullet()
_ENUMERATOR = enumerator_prefix()  # read only where the line starts in lower case


def _joinable(prev: str, nxt: str, broke_page: bool) -> str | None:
    """How to join `nxt` onto `prev` across a break, or None to keep them apart."""
    if "\t" in prev or "\t" in nxt or not prev or not nxt:
        return None
    if prev.endswith("-") and len(prev) > 2 and prev[-2].isalpha() and broke_page and nxt[0].isalpha():
        return ""  # "non-" / "Hispanic": a hyphenated word split by the page break
    if prev.rstrip().endswith(_TERMINAL):
        return None
    if nxt[0].islower() and len(prev) >= 40 and not _ENUMERATOR.match(nxt):
        return " "  # a sentence goes on; "b. Patient has ..." is the next item of a list
    if _CONT_BULLET.match(nxt) and len(prev) >= 60:
        return "bullet"
    return None


def join_broken_blocks(items: list[_Raw]) -> list[_Raw]:
    out: list[_Raw] = []
    for it in items:
        if out and (it.blank_before or it.furniture_before) and not it.heading and not out[-1].heading:
            broke = it.furniture_before or it.blank_before >= 2 or (it.page or 0) != (out[-1].page or 0)
            how = _joinable(out[-1].text, it.text, broke)
            if how is not None:
                nxt = _CONT_BULLET.sub("", it.text) if how == "bullet" else it.text
                sep = " " if how == "bullet" else how
                out[-1].text = out[-1].text + sep + nxt
                continue
        out.append(it)
    return out


# -- the chain -----------------------------------------------------------------------------

def _raw_lines(source: SourceDocument) -> list[_Raw]:
    """Clean each block; markup in the text can make a paragraph a heading (a text source's only
    way to say so), and a dot leader makes a "Label ...... value" line a row."""
    items: list[_Raw] = []
    for block in source.blocks:
        if block.kind is BlockKind.ROW:
            cells = [strip_markup(unify_characters(c))[0].replace("\t", " ") for c in block.cells]
            while cells and not cells[-1]:
                cells.pop()
            # a "row" of one cell is a paragraph with a stray TAB at its end
            text, kind = "\t".join(cells), BlockKind.ROW if len(cells) > 1 else BlockKind.PARAGRAPH
        else:
            text, marked = strip_markup(unify_characters(block.text))
            kind = BlockKind.HEADING if marked else block.kind
            if "\t" in text:
                kind = BlockKind.ROW
        if not text.strip("\t "):
            continue
        level = block.level if kind is BlockKind.HEADING and block.kind is BlockKind.HEADING else 0
        items.append(_Raw(text, block.page, kind, block.gap, level=level))
    return items


def remove_chrome(items: list[_Raw], source: SourceDocument) -> list[_Raw]:
    """Drop a website's control texts, glued tab menus, breadcrumbs and footer (chrome.py); the
    footer only from a page without pages (HTML, or text that is not a PDF's text layer)."""
    from .chrome import strip_chrome  # noqa: PLC0415 (chrome reads the heading rules: sections)
    from .furniture import strip_chrome_phrases  # noqa: PLC0415

    web = source.format == "html" or (source.format == "text" and all(it.page is None for it in items))
    for it in items:
        if it.kind is not BlockKind.ROW:
            it.text = strip_chrome_phrases(it.text)
    keep = set(strip_chrome([it.text for it in items], web=web))
    source.furniture.extend(it.text for k, it in enumerate(items) if k not in keep and it.text)
    return [it for k, it in enumerate(items) if k in keep and it.text]


def build_document(source: SourceDocument) -> Document:
    items = remove_chrome(_raw_lines(source), source)
    if not source.furniture_removed:
        if all(b.page is None for b in source.blocks):
            _assign_pages(items)
        items = remove_furniture(items, source.furniture)
    items = join_broken_blocks(items)
    return Document.from_lines(source, [(it.text, it.page, it.kind, it.level) for it in items])


__all__ = ["build_document", "join_broken_blocks", "remove_furniture", "strip_markup", "unify_characters",
           "PAGE_MARKER", "Line"]
