"""One PDF page -> its visual lines with geometry, read through PDFium.

Speed is the point of this module: PDFium gives the whole page's text in one call, and we ask it
for geometry only where layout needs it (the ends of each line, the extent of each text object
on it), never for every character. Characters are fetched one by one only on the rare lines
whose text objects sit far apart (table cells without rulings), to find where to put a TAB.

Coordinates are top-down like pdfplumber's: `top` grows downwards from the page's top edge.
"""
from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field
from typing import Callable

import pypdfium2.raw as pdfium_c

from .pdf_settings import LAYOUT, PdfLayout

_LINE_SPAN = re.compile(r"[^\r\n]+")
_JOINED = re.compile("[\ufffe\u0002]")


@dataclass(slots=True)
class VLine:
    """A visual line: text on one baseline (TAB between cells that sit far apart)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    # "text" for running text, "row" for a row read from a ruled table
    kind: str = "text"
    # left edges of the TAB-separated pieces, so a continuation line can be matched to a column
    cell_x: list[float] = field(default_factory=list)
    # first character index on the PDFium text page (stream order), -1 for synthesized lines
    order: int = -1
    # for kind "table": which of the page's ruled tables this placeholder stands for
    table: int = -1
    # top of the last visual line: PDFium joins the two lines around a line-end hyphen into
    # one, so a line can span two baselines; pitch to the next line is measured from here
    tail_top: float | None = None
    # text direction of the first character, radians (a diagonal watermark is not 0)
    angle: float = 0.0
    # narrowest gap (in font sizes) where a TAB was put, for telling cells from wide spaces
    gap_em: float = math.inf
    # a running header or footer kept on page 1 as metadata: not where the page's text ends
    furniture: bool = False
    # every sampled character is set in a bold face (only measured on lines short enough to be
    # headings; a long line is running text whatever its weight)
    bold: bool = False

    @property
    def last_top(self) -> float:
        return self.top if self.tail_top is None else self.tail_top

    @property
    def height(self) -> float:
        return self.bottom - self.top


class _Scratch:
    """ctypes out-parameters reused for every call: allocating them per call costs more than
    the call itself."""

    def __init__(self) -> None:
        self.rect = pdfium_c.FS_RECTF()
        self.l = ctypes.c_double()
        self.t = ctypes.c_double()
        self.r = ctypes.c_double()
        self.b = ctypes.c_double()


_SCRATCH = _Scratch()


def page_text(textpage) -> str:
    """All text of the page with one character per PDFium char index.

    FPDFText_GetText can drop or insert characters relative to the char list (pdfium bug 2079);
    when the lengths disagree we rebuild the text one code unit per index instead."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return ""
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
    text = bytes(memoryview(buf)[: max(0, got - 1)]).decode("utf-16-le", errors="replace") if got > 0 else ""
    if len(text) == n:
        return text
    get = pdfium_c.FPDFText_GetUnicode
    return "".join(chr(get(textpage, i)) if 0 < get(textpage, i) < 0x110000 else " " for i in range(n))


def _loose_box(textpage, i: int) -> tuple[float, float, float, float]:
    r = _SCRATCH.rect
    pdfium_c.FPDFText_GetLooseCharBox(textpage, i, r)
    return r.left, r.top, r.right, r.bottom


def _char_box(textpage, i: int) -> tuple[float, float, float, float]:
    s = _SCRATCH
    pdfium_c.FPDFText_GetCharBox(textpage, i, s.l, s.r, s.b, s.t)
    return s.l.value, s.t.value, s.r.value, s.b.value


def _rects(textpage, n: int) -> list[tuple[float, float, float, float]]:
    """Tight boxes of the text objects counted by the last FPDFText_CountRects call: one rect
    per object on that stretch of characters."""
    s = _SCRATCH
    rects = []
    for k in range(max(0, n)):
        if pdfium_c.FPDFText_GetRect(textpage, k, s.l, s.t, s.r, s.b):
            rects.append((s.l.value, s.t.value, s.r.value, s.b.value))
    return rects


def _split_points(textpage, text: str, start: int, end: int, gaps: list[tuple[float, float]],
                  slack: float) -> list[int | None]:
    """For each gap (left to right), the char index (absolute) where the text after it starts:
    the first non-space char at or right of the gap's right edge (within `slack` points of
    glyph-box jitter); None where no char is."""
    points: list[int | None] = [None] * len(gaps)
    gi = 0
    prev_right = None
    for i in range(start, end):
        if gi >= len(gaps):
            break
        ch = text[i]
        if ch.isspace() or pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        left, _t, right, _b = _char_box(textpage, i)
        while gi < len(gaps) and left >= gaps[gi][1] - slack:
            gap_left, gap_right = gaps[gi]
            if prev_right is not None and prev_right <= gap_left + slack:
                points[gi] = i
            gi += 1
        prev_right = right
    return points


def read_lines(textpage, text: str, page_no: int, page_top: float, page_left: float,
               locate: Callable[[float, float, float, float], int | None] | None = None,
               layout: PdfLayout = LAYOUT) -> list[VLine]:
    """Visual lines of one page in PDFium's (content stream) order.

    `locate(x0, top, x1, bottom)` names the ruled table a box lies in, if any. Text inside a
    table is left out and a placeholder line (kind "table", `table` = its index) marks where
    in the stream the table's text began, so the caller can put the table's rows there."""
    lines: list[VLine] = []
    for a, b in _spans(text):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        n = pdfium_c.FPDFText_CountRects(textpage, a, b - a)
        if n <= 0:
            continue
        if n == 1 and locate is None:
            # one text object: the ends of the line are all the geometry needed (most lines)
            lines.append(_make_line(textpage, text, a, b, None, page_no, page_top, page_left, layout))
            continue
        # PDF space -> top-down; rect = (left, top, right, bottom) with top > bottom in PDF space
        objs = [(rl - page_left, page_top - rt, rr - page_left, page_top - rb) for rl, rt, rr, rb in _rects(textpage, n)]
        if not objs:
            continue
        if locate is not None and _upright(textpage, a, layout.angle_tolerance_rad):
            where = [locate(*o) for o in objs]
            if all(w is not None for w in where):
                lines.append(_placeholder(where[0], a, page_no, objs))
                continue
            if any(w is not None for w in where):
                lines.extend(_split_by_table(textpage, text, a, b, page_no, page_top, page_left, locate, layout))
                continue
        lines.append(_make_line(textpage, text, a, b, objs, page_no, page_top, page_left, layout))
    return lines


def _upright(textpage, i: int, tolerance: float) -> bool:
    angle = pdfium_c.FPDFText_GetCharAngle(textpage, i)
    return angle < tolerance or angle > 2 * math.pi - tolerance


def _spans(text: str):
    """Char ranges of PDFium's lines, cut after each hyphen PDFium joined (U+FFFE): PDFium joins
    a line ending in a hyphen to whatever text the stream draws next, which may be a running
    header at the top of the page rather than the next line. Each visual line is kept apart
    here; the layout step decides what joins."""
    for m in _LINE_SPAN.finditer(text):
        a, b = m.span()
        for cut in _JOINED.finditer(text, a, b):
            yield a, cut.end()
            a = cut.end()
        if a < b:
            yield a, b


def _placeholder(table: int, order: int, page_no: int, objs) -> VLine:
    return VLine("", min(o[0] for o in objs), max(o[2] for o in objs), min(o[1] for o in objs),
                 max(o[3] for o in objs), 0.0, page_no, kind="table", order=order, table=table)


def _make_line(textpage, text: str, a: int, b: int, objs, page_no: int, page_top: float,
               page_left: float, layout: PdfLayout) -> VLine:
    fl, ft, _fr, fb = _loose_box(textpage, a)
    _ll, lt, lr, lb = _loose_box(textpage, b - 1)
    # Size and position from the characters that sit lowest, on the baseline: five samples
    # (first, last, three between), leaving out a bullet (a symbol font's glyph is taller) and
    # superscripts (raised), and preferring the larger of fake small caps' two sizes so that
    # every line of such a paragraph measures alike.
    samples = []
    if text[a].isalnum() and not (b - a > 2 and text[a + 1] == " "):  # not "o" used as a bullet
        samples.append((fb, ft))
    if text[b - 1].isalnum():
        samples.append((lb, lt))
    for k in (1, 2, 3):
        i = a + (b - a) * k // 4
        while i < b - 1 and not text[i].isalnum():
            i += 1
        _ml, mt, _mr, mb = _loose_box(textpage, i)
        samples.append((mb, mt))
    base = min(bt for bt, _t in samples)  # PDF space: the lowest bottom
    slack = layout.glyph_slack_pt
    rb, rt = max(((bt, t) for bt, t in samples if bt - base < slack), key=lambda s: s[1] - s[0])
    # sizes are never below one point: a degenerate glyph box must not make every gap (measured
    # in sizes) infinite
    top, bottom, size = page_top - rt, page_top - min(fb, lb, rb), max(1.0, rt - rb)
    tail_top = None
    if lt < fb:  # the last character sits below the first one's baseline: two visual lines
        top, size, tail_top = page_top - ft, max(1.0, lt - lb), page_top - lt
    if objs is None:
        x0, x1 = fl - page_left, lr - page_left
    else:
        x0 = min(min(o[0] for o in objs), fl - page_left)
        x1 = max(max(o[2] for o in objs), lr - page_left)
    piece = text[a:b]
    cell_x = [x0]
    gap_em = math.inf
    if objs is not None and len(objs) > 1:
        ordered = sorted(objs, key=lambda o: o[0])
        gaps = []
        reach = ordered[0][2]
        cell_gap = layout.cell_gap_em * size
        for o in ordered[1:]:
            if o[0] - reach > cell_gap:
                gaps.append((reach, o[0]))
            reach = max(reach, o[2])
        if gaps:
            pdf_gaps = [(g0 + page_left, g1 + page_left) for g0, g1 in gaps]
            points = _split_points(textpage, text, a, b, pdf_gaps, slack)
            found = [(p, g) for p, g in zip(points, gaps) if p is not None]
            if found:
                parts = []
                prev = a
                for p, _g in found:
                    parts.append(text[prev:p].strip())
                    prev = p
                parts.append(text[prev:b].strip())
                piece = "\t".join(parts)
                cell_x = [x0] + [g[1] for _p, g in found]
                gap_em = min(g[1] - g[0] for _p, g in found) / size
    angle = pdfium_c.FPDFText_GetCharAngle(textpage, a)
    bold = b - a <= layout.bold_sample_max_chars and _all_bold(textpage, text, a, b, layout.bold_weight)
    return VLine(piece, x0, x1, top, bottom, size, page_no, cell_x=cell_x, order=a, tail_top=tail_top,
                 angle=max(0.0, angle), gap_em=gap_em, bold=bold)


def _all_bold(textpage, text: str, a: int, b: int, bold_weight: int) -> bool:
    """Whether the line's first, middle and last letters are all set in a bold face: PDFium's
    font weight (100-900, -1 unknown) at least `bold_weight`."""
    picks = []
    for i in (a, (a + b) // 2, b - 1):
        j = i
        while j < b and not text[j].isalnum():
            j += 1
        if j < b and j not in picks:
            picks.append(j)
    weights = [pdfium_c.FPDFText_GetFontWeight(textpage, i) for i in picks]
    known = [w for w in weights if w > 0]
    return bool(known) and all(w >= bold_weight for w in known)


def _split_by_table(textpage, text: str, a: int, b: int, page_no: int, page_top: float, page_left: float,
                    locate, layout: PdfLayout) -> list[VLine]:
    """A line partly inside a table (text beside a table): split it char by char, which is
    slow but rare."""
    out: list[VLine] = []
    run: list[int] = []
    placed: set[int] = set()

    def flush() -> None:
        if run:
            s, e = run[0], run[-1] + 1
            boxes = [_char_box(textpage, i) for i in (s, e - 1)]
            objs = [(bx[0] - page_left, page_top - bx[1], bx[2] - page_left, page_top - bx[3]) for bx in boxes]
            out.append(_make_line(textpage, text, s, e, objs, page_no, page_top, page_left, layout))
            run.clear()

    for i in range(a, b):
        if text[i].isspace():
            continue
        left, top, right, bottom = _char_box(textpage, i)
        x0, y0, x1, y1 = left - page_left, page_top - top, right - page_left, page_top - bottom
        where = locate(x0, y0, x1, y1)
        if where is None:
            run.append(i)
            continue
        flush()
        if where not in placed:
            placed.add(where)
            out.append(_placeholder(where, i, page_no, [(x0, y0, x1, y1)]))
    flush()
    return out
