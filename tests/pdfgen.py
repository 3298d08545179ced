"""Render seed-like text to a PDF that looks like a payer's policy PDF, for tests.

What a real payer PDF has, this one has: paragraphs wrapped to the page width, list items with
hanging indents, TAB-separated rows drawn as ruled tables (split across pages, the header row
repeated on each page when the first row looks like one), a running header with the policy
title and a footer with "Page N of M" on every page. Markdown and HTML remnants of the source
text (**bold**, <p>, [link](#), <https://...>) are not shown, as a real PDF would not show
them. Nothing here reads the shared corpus: callers pass the text.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# --- markup removal ----------------------------------------------------------------------------
# Deliberately independent of medpolicy.ingest.normalize.strip_markup: the seed-PDF tests compare
# the parser's reading of a text with its reading of this rendering, and a shared helper would make
# a markup bug in the parser invisible on both sides of that comparison.

_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|div|br)\b[^>]*>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_HEADING = re.compile(r"^\s*#{1,6}\s+")


def strip_markup(line: str) -> str:
    """The text a reader of the rendered page would see on this line."""
    line = _ANGLE_URL.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _BLOCK_TAG.sub(" ", line)
    line = _TAG.sub("", line)
    line = _BOLD.sub(r"\1", line)
    line = _ITALIC.sub(r"\1", line)
    line = _ESCAPE.sub(r"\1", line)
    line = _HEADING.sub("", line)
    line = html.unescape(line).replace("\u00a0", " ")
    if line.rstrip().endswith("\\"):
        line = line.rstrip()[:-1]
    return re.sub(r"[ ]{2,}", " ", line).strip(" ")


# --- blocks ------------------------------------------------------------------------------------

_ITEM = re.compile(r"^(?P<indent>\s*)(?:(?P<dash>[-*•▪◦·])\s+)?(?P<enum>(?:\(?\d{1,3}[.)]|\(?[A-Za-z][.)]|"
                   r"\(?(?:i{1,3}|iv|vi{0,3}|ix|x|I{1,3}|IV|VI{0,3}|IX|X)[.)])(?=\s))?\s*(?P<text>.*)$")


@dataclass
class Block:
    kind: str  # "para" | "heading" | "item" | "table"
    text: str = ""
    bullet: str = ""
    level: int = 0
    rows: list[list[str]] | None = None


def _looks_like_heading(text: str) -> bool:
    return (len(text) <= 70 and not text.endswith((".", ",", ";", ":")) and text[:1].isupper()
            and len(text.split()) <= 10 and not re.search(r"\d{3,}", text))


def parse_blocks(text: str) -> list[Block]:
    """Seed-like text -> blocks: each non-blank line is a paragraph, list item or table row;
    consecutive TAB rows (blank lines allowed between them) make one table."""
    blocks: list[Block] = []
    for raw in text.replace("\r\n", "\n").replace("\f", "\n").split("\n"):
        if not raw.strip() or re.fullmatch(r"\s*[-*_]{3,}\s*", raw):
            continue
        if "\t" in raw:
            cells = [strip_markup(c) for c in raw.split("\t")]
            if any(cells):
                if blocks and blocks[-1].kind == "table":
                    blocks[-1].rows.append(cells)
                else:
                    blocks.append(Block("table", rows=[cells]))
            continue
        heading = bool(_HEADING.match(raw))
        m = _ITEM.match(raw)
        indent = len(m.group("indent").expandtabs(4))
        body = strip_markup(m.group("text"))
        if not body:
            continue
        if m.group("dash") or m.group("enum"):
            bullet = m.group("enum") or "•"
            level = min(3, indent // 2 + (1 if m.group("dash") and m.group("enum") and indent else 0))
            blocks.append(Block("item", body, bullet=bullet, level=level))
        elif heading or _looks_like_heading(body):
            blocks.append(Block("heading", body))
        else:
            blocks.append(Block("para", body))
    return blocks


# --- rendering ---------------------------------------------------------------------------------

def _font_names() -> tuple[str, str]:
    """A Unicode TrueType font (the seeds hold curly quotes, ≥, superscript digits): the
    system's DejaVu Sans where installed, else the Vera font that ships with reportlab."""
    if "PgRegular" in pdfmetrics.getRegisteredFontNames():
        return "PgRegular", "PgBold"
    candidates = [("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")]
    import reportlab

    rl = Path(reportlab.__file__).parent / "fonts"
    candidates.append((str(rl / "Vera.ttf"), str(rl / "VeraBd.ttf")))
    for regular, bold in candidates:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("PgRegular", regular))
            pdfmetrics.registerFont(TTFont("PgBold", bold))
            return "PgRegular", "PgBold"
    return "Helvetica", "Helvetica-Bold"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


@dataclass
class _Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    items: list[ParagraphStyle]
    cell: ParagraphStyle
    cell_bold: ParagraphStyle


def _styles(font: str, bold: str, size: float, justify: bool) -> _Styles:
    # splitLongWords=0: a long URL overflows rather than being cut at an arbitrary letter
    body = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.25, spaceAfter=size * 0.6,
                          alignment=TA_JUSTIFY if justify else TA_LEFT, splitLongWords=0)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=size + 2, leading=(size + 2) * 1.25,
                             spaceBefore=size * 0.8, spaceAfter=size * 0.4, alignment=TA_LEFT)
    items = [ParagraphStyle(f"item{k}", parent=body, leftIndent=18 * (k + 1), bulletIndent=18 * k + 4,
                            spaceAfter=size * 0.25, bulletFontName=font) for k in range(4)]
    cell = ParagraphStyle("cell", parent=body, fontSize=size - 1, leading=(size - 1) * 1.2, spaceAfter=0,
                          alignment=TA_LEFT)
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName=bold)
    return _Styles(body, heading, items, cell, cell_bold)


def _col_widths(rows: list[list[str]], total: float, font: str, size: float) -> list[float]:
    """Widths by content length, each column at least as wide as its longest word (a real
    table is laid out so that words are not broken inside a cell)."""
    n = max(len(r) for r in rows)
    longest = [max((len(r[j]) if j < len(r) else 0) for r in rows) for j in range(n)]
    widest_word = [max((pdfmetrics.stringWidth(w, font, size) for r in rows if j < len(r) for w in r[j].split()),
                       default=0.0) + 10 for j in range(n)]
    weights = [min(max(x, 6), 60) for x in longest]
    s = sum(weights)
    widths = [max(total * w / s, ww) for w, ww in zip(weights, widest_word)]
    if sum(widths) > total:
        excess = sum(widths) - total
        j = max(range(n), key=lambda k: widths[k])
        widths[j] = max(widest_word[j], widths[j] - excess)
    return widths


def _table(rows: list[list[str]], st: _Styles, width: float, repeat_header: bool) -> Table:
    n = max(len(r) for r in rows)
    header = repeat_header and len(rows) >= 3 and all(len(c) <= 40 and not re.search(r"\d{2}", c) for c in rows[0])
    data = []
    for i, row in enumerate(rows):
        style = st.cell_bold if header and i == 0 else st.cell
        data.append([Paragraph(_esc(c), style) for c in row] + [Paragraph("", st.cell)] * (n - len(row)))
    table = Table(data, colWidths=_col_widths(rows, width, st.cell_bold.fontName, st.cell.fontSize), repeatRows=1 if header else 0, splitInRow=1,
                  hAlign="LEFT")
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6F0")))
    table.setStyle(TableStyle(style))
    return table


def build_flowables(text: str, st: _Styles, width: float, repeat_header: bool) -> list:
    flow: list = []
    for b in parse_blocks(text):
        if b.kind == "table":
            flow.append(_table(b.rows, st, width, repeat_header))
            flow.append(Spacer(1, 6))
        elif b.kind == "heading":
            flow.append(Paragraph(_esc(b.text), st.heading))
        elif b.kind == "item":
            flow.append(Paragraph(_esc(b.text), st.items[b.level], bulletText=b.bullet))
        else:
            flow.append(Paragraph(_esc(b.text), st.body))
    return flow


def _numbered_canvas(header: str | None, footer: str | None, page_numbers: bool, font: str, size: float,
                     page_label: str):
    class NumberedCanvas(rl_canvas.Canvas):
        """Holds every page until the end, so each footer can say 'of M'."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            w, h = self._pagesize
            self.setFont(font, size)
            if header:
                self.drawString(0.75 * inch, h - 0.5 * inch, header)
                self.setLineWidth(0.5)
                self.line(0.75 * inch, h - 0.58 * inch, w - 0.75 * inch, h - 0.58 * inch)
            if footer:
                self.drawString(0.75 * inch, 0.5 * inch, footer)
            if page_numbers:
                self.drawRightString(w - 0.75 * inch, 0.5 * inch,
                                     page_label.format(n=self._pageNumber, m=total))

    return NumberedCanvas


def render_text_to_pdf(text: str, out_path: str | Path, *, title_header: str | None = None,
                       page_numbers: bool = True, footer_text: str | None = None, font_size: float = 10,
                       justify: bool = True, repeat_header_rows: bool = True,
                       page_label: str = "Page {n} of {m}", pagesize=letter) -> Path:
    """Write `text` (seed-like: one logical line per paragraph, item or TAB row) as a PDF."""
    out = Path(out_path)
    font, bold = _font_names()
    st = _styles(font, bold, font_size, justify)
    doc = SimpleDocTemplate(str(out), pagesize=pagesize, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                            topMargin=0.9 * inch, bottomMargin=0.9 * inch, title=title_header or "")
    flow = build_flowables(text, st, doc.width, repeat_header_rows)
    if not flow:
        flow = [KeepTogether([Spacer(1, 1)])]
    doc.build(flow, canvasmaker=_numbered_canvas(title_header, footer_text, page_numbers, font, font_size - 2,
                                                 page_label))
    return out


# --- exact layouts ------------------------------------------------------------------------------

@dataclass
class Text:
    """A string drawn with its top-left corner at (x, top), top measured down from the page top."""

    x: float
    top: float
    text: str
    size: float = 10
    bold: bool = False
    angle: float = 0.0


@dataclass
class Rule:
    """A straight ruling from (x0, top0) to (x1, top1)."""

    x0: float
    top0: float
    x1: float
    top1: float
    width: float = 0.5


def lines_of(x: float, top: float, lines: list[str], *, size: float = 10, leading: float = 12.5,
             bold: bool = False) -> list[Text]:
    """Consecutive lines of text, `leading` apart: a paragraph wrapped exactly as given."""
    return [Text(x, top + k * leading, s, size, bold) for k, s in enumerate(lines)]


def grid(x: float, top: float, widths: list[float], heights: list[float]) -> list[Rule]:
    """The rulings of a table with these column widths and row heights."""
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    return [Rule(xs[0], y, xs[-1], y) for y in ys] + [Rule(xx, ys[0], xx, ys[-1]) for xx in xs]


def draw_pdf(path: str | Path, pages: list[list[Text | Rule]], *, pagesize=letter) -> Path:
    """A PDF with exactly these strings and rulings on each page, for tests that need to
    control where every line breaks."""
    out = Path(path)
    font, bold = _font_names()
    c = rl_canvas.Canvas(str(out), pagesize=pagesize)
    height = pagesize[1]
    for ops in pages:
        for op in ops:
            if isinstance(op, Rule):
                c.setLineWidth(op.width)
                c.line(op.x0, height - op.top0, op.x1, height - op.top1)
                continue
            c.setFont(bold if op.bold else font, op.size)
            # the baseline sits about 0.8 em below the top of the line
            baseline = height - op.top - 0.8 * op.size
            if op.angle:
                c.saveState()
                c.translate(op.x, baseline)
                c.rotate(op.angle)
                c.drawString(0, 0, op.text)
                c.restoreState()
            else:
                c.drawString(op.x, baseline, op.text)
        c.showPage()
    c.save()
    return out


def wrap_text(text: str, width: float, *, size: float = 10, bold: bool = False) -> list[str]:
    """Greedy word wrap with the font draw_pdf uses: each line ends where the next word would
    not fit, as a word processor breaks lines."""
    font, bold_font = _font_names()
    name = bold_font if bold else font
    lines: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if cur and pdfmetrics.stringWidth(trial, name, size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines
