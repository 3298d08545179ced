"""Read one PDF page: its text lines, with each ruled table's rows in place of the table's text."""
from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

from .pdf_layout import enumerator, join_text
from .pdf_lines import VLine, page_text, read_lines
from .pdf_settings import LAYOUT, PdfLayout
from .pdf_tables import FoundTable, find_tables, page_edges
from .pdf_text import clean_chars

# One buffer for every cell query (one call per cell instead of a size query and a read).
_CELL_BUF_LEN = 4096
_CELL_BUF = (ctypes.c_ushort * _CELL_BUF_LEN)()


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    lines: list[VLine] = field(default_factory=list)
    n_chars: int = 0
    n_images: int = 0


def _bounded_text(textpage, box: tuple[float, float, float, float], page_top: float, page_left: float,
                  layout: PdfLayout) -> str:
    """Text of a cell. PDFium takes every character whose glyph box touches the rectangle, so
    the rectangle is shrunk first: the descender of a 'g' in the cell above would otherwise
    leak in, while any character that belongs in the cell still overlaps what is left."""
    x0, top, x1, bottom = box
    inset = layout.cell_inset_fraction
    dy = min(layout.cell_inset_max_y_pt, inset * (bottom - top))
    dx = min(layout.cell_inset_max_x_pt, inset * (x1 - x0))
    x0, top, x1, bottom = x0 + dx, top + dy, x1 - dx, bottom - dy
    args = (textpage, x0 + page_left, page_top - top, x1 + page_left, page_top - bottom)
    got = pdfium_c.FPDFText_GetBoundedText(*args, _CELL_BUF, _CELL_BUF_LEN)
    if got >= _CELL_BUF_LEN:  # a cell longer than the buffer: ask for its size, then read it all
        n = pdfium_c.FPDFText_GetBoundedText(*args, None, 0)
        buf = (ctypes.c_ushort * (n + 1))()
        got = pdfium_c.FPDFText_GetBoundedText(*args, buf, n + 1)
        return bytes(memoryview(buf)[:max(0, got)]).decode("utf-16-le", errors="replace").rstrip("\x00")
    if got <= 0:
        return ""
    return bytes(memoryview(_CELL_BUF)[:got]).decode("utf-16-le", errors="replace").rstrip("\x00")


def _cell_text(raw: str) -> str:
    """The lines of a cell as one line: wrapped lines joined, split words marked for later."""
    out = ""
    for piece in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        piece = clean_chars(piece.replace("\t", " "))
        if piece:
            out = join_text(out, piece) if out else piece
    return out


def _is_data_table(table: FoundTable, sliver: float) -> bool:
    """Two real columns (cells at least `sliver` wide) somewhere. Coloured boxes and heading
    bars are also grids of rectangles (one wide cell between two padding slivers); their text
    reads as ordinary text."""
    return any(sum(1 for c in row if c is not None and c[2] - c[0] >= sliver) >= 2 for row in table.rows)


def table_rows(textpage, table: FoundTable, page_no: int, page_top: float, page_left: float,
               order: int, cell_texts: dict | None = None, layout: PdfLayout = LAYOUT) -> list[VLine]:
    """One TAB-separated line per table row. A slot covered by a cell spanning from the left
    is no cell; one covered from above reads as an empty cell, so columns stay aligned and a
    row continued from the row above starts with an empty cell. An empty cell narrower than a
    sliver (`layout.sliver_pt`) is no column."""
    xs = sorted({c[0] for row in table.rows for c in row if c is not None})
    right = table.bbox[2]
    widths = [(xs[j + 1] if j + 1 < len(xs) else right) - xs[j] for j in range(len(xs))]
    sliver = layout.sliver_pt
    rows: list[VLine] = []
    for row in table.rows:
        boxes = [c for c in row if c is not None]
        if not boxes:
            continue
        texts: list[str] = []
        cell_x: list[float] = []
        for j, cell in enumerate(row):
            if cell is None:
                x = xs[j] if j < len(xs) else right
                if any(c[0] < x < c[2] for c in boxes):
                    continue  # inside a cell that spans columns of this row
                text, width = "", widths[j] if j < len(widths) else 0.0
            else:
                raw = (cell_texts.get(cell, "") if cell_texts is not None
                       else _bounded_text(textpage, cell, page_top, page_left, layout))
                text, width, x = _cell_text(raw), cell[2] - cell[0], cell[0]
            if not text and width < sliver:
                continue
            texts.append(text)
            cell_x.append(x)
        if not any(texts):
            continue
        rows.append(VLine("\t".join(texts), min(c[0] for c in boxes), max(c[2] for c in boxes),
                          min(c[1] for c in boxes), max(c[3] for c in boxes), 0.0, page_no, kind="row",
                          cell_x=cell_x, order=order))
    return rows


def _same_angle(a: float, b: float, tolerance: float) -> bool:
    d = abs(a - b) % (2 * math.pi)
    return min(d, 2 * math.pi - d) < tolerance


def _dominant_angle(lines: list[VLine]) -> float:
    counts: dict[float, int] = {}
    for ln in lines:
        if ln.kind == "text":
            key = round(ln.angle, 1) % round(2 * math.pi, 1)
            counts[key] = counts.get(key, 0) + len(ln.text)
    return max(counts, key=counts.get) if counts else 0.0


def _overlaps(a: tuple[float, float, float, float], line: VLine) -> bool:
    return not (line.x1 < a[0] or line.x0 > a[2] or line.bottom < a[1] or line.top > a[3])


def _cell_texts_by_chars(textpage, text: str, table: FoundTable, page_top: float, page_left: float,
                         upright: float, layout: PdfLayout) -> dict:
    """Cell texts from individual characters, leaving out characters at another angle. Used
    instead of PDFium's bounded-text query when a watermark crosses the table (that query
    would take the watermark's letters into the cells); slower, so only then."""
    cells = [c for row in table.rows for c in row if c is not None]
    out: dict = {c: [] for c in cells}
    last: dict = {}
    box = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    tolerance, line_break = layout.angle_tolerance_rad, layout.cell_line_break_em
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        pdfium_c.FPDFText_GetCharBox(textpage, i, box[0], box[1], box[2], box[3])
        left, right, bottom, top = (v.value for v in box)
        cx, cy = (left + right) / 2 - page_left, page_top - (top + bottom) / 2
        if not table.contains(cx, cy, cx, cy, slack=0.0):
            continue
        if not _same_angle(max(0.0, pdfium_c.FPDFText_GetCharAngle(textpage, i)), upright, tolerance):
            continue
        for c in cells:
            if c[0] <= cx < c[2] and c[1] <= cy < c[3]:
                prev = last.get(c)
                if prev is not None:
                    j, y = prev
                    if cy - y > line_break * (top - bottom):
                        out[c].append("\n")
                    elif any(t.isspace() for t in text[j + 1:i]):
                        out[c].append(" ")
                out[c].append(ch)
                last[c] = (i, cy)
                break
    return {c: "".join(v) for c, v in out.items()}


# Dot leaders are a tab stop drawn with dots: "Effective Date ........ 4/15/2026" is the row
# "Effective Date<TAB>4/15/2026", as a contents entry is "Overview<TAB>2".
_LEADER = re.compile(r"\s*(?:\.{4,}|(?:\. ){3,}\.?|…{2,})\s*")


def _tidy(line: VLine) -> bool:
    """Clean a line's characters; a bullet or number set apart by a tab stop is joined to its
    text ("o<TAB>Stroke" -> "o Stroke"); dot leaders become a TAB. False when nothing is left."""
    text = _LEADER.sub("\t", line.text) if (".." in line.text or ". ." in line.text or "…" in line.text) else line.text
    pieces = [clean_chars(p) for p in text.split("\t")]
    xs = line.cell_x if len(line.cell_x) == len(pieces) else [line.x0] + [line.x1] * (len(pieces) - 1)
    kept = [(p, x) for p, x in zip(pieces, xs) if p]
    if not kept:
        return False
    if len(kept) >= 2:
        head = kept[0][0]
        m = enumerator(head)
        if m and m.end() == len(head):
            kept = [(head + " " + kept[1][0], kept[0][1])] + kept[2:]
    line.text = "\t".join(p for p, _x in kept)
    line.cell_x = [x for _p, x in kept]
    return True


def read_page(pdf_page, number: int, layout: PdfLayout = LAYOUT) -> PageContent:
    """Lines of one page (a pypdfium2 PdfPage) in reading order, ruled tables as rows."""
    left, bottom, right, top = pdf_page.get_bbox()
    content = PageContent(number, right - left, top - bottom)
    textpage = pdf_page.get_textpage()
    try:
        raw_tp = textpage.raw
        text = page_text(raw_tp)
        content.n_chars = len(text) - sum(text.count(ch) for ch in (' ', '\r', '\n', '\t'))
        edges, content.n_images = page_edges(pdf_page.raw, top, left, layout)
        if not content.n_chars:
            return content
        tables = [t for t in find_tables(edges, content.width, content.height, layout)
                  if _is_data_table(t, layout.sliver_pt)]
        slack, tolerance = layout.table_slack_pt, layout.angle_tolerance_rad

        def locate(x0: float, y0: float, x1: float, y1: float) -> int | None:
            for k, t in enumerate(tables):
                if t.contains(x0, y0, x1, y1, slack=slack):
                    return k
            return None

        raw_lines = read_lines(raw_tp, text, number, top, left, locate if tables else None, layout)
        upright = _dominant_angle(raw_lines)
        if pdf_page.get_rotation() and _same_angle(upright, 0.0, tolerance):
            # PDFium orders the lines of a page shown rotated by their place on the rotated
            # view; ours are in the page's own space, where this text runs upright: read it so
            raw_lines.sort(key=lambda ln: (round(ln.top), ln.x0))
        skewed = [ln for ln in raw_lines if ln.kind == "text" and not _same_angle(ln.angle, upright, tolerance)]
        placed: set[int] = set()
        for ln in raw_lines:
            if ln.kind == "table":
                if ln.table not in placed:
                    placed.add(ln.table)
                    table = tables[ln.table]
                    cells = None
                    if any(_overlaps(table.bbox, s) for s in skewed):
                        cells = _cell_texts_by_chars(raw_tp, text, table, top, left, upright, layout)
                    content.lines.extend(table_rows(raw_tp, table, number, top, left, ln.order, cells, layout))
                continue
            if not _same_angle(ln.angle, upright, tolerance):
                continue  # a watermark drawn across the page, or text running up a margin
            if _tidy(ln):
                content.lines.append(ln)
    finally:
        textpage.close()
    return content
