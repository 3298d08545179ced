"""Visual lines of a page -> logical blocks: paragraphs, list items and table rows.

The rules, in the order `_continues` applies them, each a reason to start a new block:
  - a table row (ruled, or a line whose pieces sit far apart) is a block of its own; a later
    line that starts under one of its cells (not the first) continues that cell;
  - a vertical gap clearly wider than the document's usual line pitch for that font size;
  - a change of font size;
  - a bullet or enumerator ("1.", "A.", "iv)", "•", "-") at the line start, unless the line is
    an indented continuation such as "3882. PMID ..." inside a numbered reference;
  - a change of indentation once a block has two lines (continuation lines align), or a first
    continuation line that is not near the first line's start;
  - the previous line stopped short: the next line's first word would have fitted on it, so
    the author broke the line on purpose (a heading, the end of a paragraph).
Everything here is pure: numbers in, text out, so each rule can be tested with synthetic lines.
Every distance a rule compares against is a named setting of `pdf_settings.PdfLayout`, mostly in
em (multiples of the lines' font size); the rules read them from the `Geometry` they are given.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .pdf_lines import VLine
from .pdf_settings import LAYOUT, PdfLayout

# Marks a line-end hyphen inside a word, to be resolved against the document's vocabulary
# (pdf_text.resolve_hyphens); PDFium uses the same code point for the hyphens it joined.
HYPHEN_MARK = "\ufffe"

_ROMAN = r"(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}|I{1,3}|IV|VI{0,3}|IX|XI{0,3})"
ENUMERATOR = re.compile(
    r"^(?:(?:(?P<bullet>[•·▪■□◦●○‣⁃➢►✓✔➤*§o\-–—])"
    r"|(?P<num>\(?\d{1,3}[.)])"
    r"|(?P<roman>\(?" + _ROMAN + r"[.)])"
    r"|(?P<alpha>\(?[A-Za-z][.)]))(?=\s|$)"
    r"|(?P<tight>\d{1,3}\.)(?=[A-Z][a-z]))"  # "23.Sacks NC": a reference number without its space
)
# Dot leaders: a table-of-contents entry or a "Label ........ value" line stands alone.
_LEADER = re.compile(r"\.{4,}|(?:\. ){4,}|…{2,}")


def _has_leader(text: str) -> bool:
    return (".." in text or ". ." in text or "…" in text) and bool(_LEADER.search(text))


_TERMINAL = re.compile(r"[.!?:]['\"”’)\]]*$")
FUNCTION_WORDS = frozenset(
    "a an and or of the to in on for with by as at from that which who whose than nor but is are "
    "was were be been including include such e.g., i.e., vs. versus per via".split()
)


@dataclass
class Block:
    """A logical line under construction: one paragraph, list item or table row."""

    lines: list[VLine]
    kind: str  # "para" | "item" | "row"
    cells: list[str] = field(default_factory=list)  # for rows
    cell_x: list[float] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # for para/item

    @property
    def first(self) -> VLine:
        return self.lines[0]

    @property
    def last(self) -> VLine:
        return self.lines[-1]

    @property
    def page(self) -> int:
        return self.lines[0].page

    def text(self) -> str:
        if self.kind == "row":
            cells = list(self.cells)
            while cells and not cells[-1]:
                cells.pop()
            return "\t".join(cells)
        return "".join(self.parts)

    def append_text(self, more: str) -> None:
        self.parts[:] = [join_text("".join(self.parts), more)]

    def append_to_cell(self, k: int, more: str) -> None:
        while len(self.cells) <= k:
            self.cells.append("")
        self.cells[k] = join_text(self.cells[k], more) if self.cells[k] else more


def join_text(left: str, right: str) -> str:
    """Join two pieces of a wrapped line: a space, or a hyphen mark when a word was split."""
    left = left.rstrip()
    right = right.lstrip()
    if not left:
        return right
    if not right:
        return left
    if left.endswith(HYPHEN_MARK):
        return left + right
    if left.endswith("-") and len(left) >= 2 and left[-2].isalpha() and right[:1].isalpha():
        return left[:-1] + HYPHEN_MARK + right
    if left.endswith("-") and len(left) >= 2 and left[-2].isdigit() and right[:1].isdigit():
        return left + right  # a page or number range: "1168-" + "1176"
    if left.endswith("/") and not left.endswith(" /") and re.search(r"\S+/$", left) and "/" in left.split()[-1][:-1]:
        return left + right  # a URL or path broken at a slash
    return left + " " + right


@dataclass
class Geometry:
    """Document-wide typography used by the rules: usual line pitch per font size, and the
    layout settings the rules read it with."""

    pitch: dict[int, float]
    layout: PdfLayout = LAYOUT
    # block_gap by font size: asked for every line, from a handful of sizes per document
    _gaps: dict[float, float] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def measure(cls, pages: list[list[VLine]], layout: PdfLayout = LAYOUT) -> "Geometry":
        counts: dict[int, Counter] = {}
        same_size, align = layout.pitch_sample_size_pt, layout.pitch_sample_align_em
        low, high = layout.pitch_sample_min_em, layout.pitch_sample_max_em
        for lines in pages:
            for a, b in zip(lines, lines[1:]):
                if a.kind != "text" or b.kind != "text":
                    continue
                size = round(max(a.size, b.size))
                p = b.top - a.last_top
                # beyond `high` the gap is paragraph spacing, not line spacing (two one-line
                # headings in a row would otherwise teach us their spacing as the line pitch)
                if (abs(a.size - b.size) < same_size and low * size <= p <= high * size
                        and abs(a.x0 - b.x0) < align * size):
                    counts.setdefault(size, Counter())[round(p * 2) / 2] += 1
        pitch = {}
        for size, c in counts.items():
            if sum(c.values()) >= layout.pitch_min_samples:
                # the tightest well-attested spacing: a paragraph's lines sit closer than list
                # entries or one-line paragraphs with space after them, however many those are
                floor = max(layout.pitch_min_samples, layout.pitch_share_fraction * c.most_common(1)[0][1])
                attested = [p for p, n in c.items() if n >= floor]
                pitch[size] = min(attested) if attested else c.most_common(1)[0][0]
        return cls(pitch, layout)

    def line_pitch(self, size: float) -> float:
        key = round(size)
        if key in self.pitch:
            return self.pitch[key]
        near = [k for k in self.pitch if abs(k - size) <= self.layout.pitch_size_match_pt]
        if near:
            return self.pitch[min(near, key=lambda k: abs(k - size))]
        return self.layout.default_pitch_em * size

    def block_gap(self, size: float) -> float:
        """The largest distance from a line's top to the next line's top at which the next line
        can still belong to the same block; beyond it the author left paragraph spacing."""
        gap = self._gaps.get(size)
        if gap is None:
            gap = self._gaps[size] = (self.line_pitch(size) * self.layout.paragraph_gap_ratio
                                      + self.layout.paragraph_gap_slack_pt)
        return gap


def right_edge(lines: list[VLine], layout: PdfLayout = LAYOUT) -> float:
    """Where full lines of running text end on this page: the right margin. Ragged-right text
    reaches it only on some lines, so this is near the maximum, not a typical line end; the
    top few percent (`layout.right_edge_quantile`) are left out so one overlong URL does not
    move it."""
    min_chars = layout.right_edge_min_chars
    ends = sorted(ln.x1 for ln in lines if ln.kind == "text" and "\t" not in ln.text and len(ln.text) > min_chars)
    if not ends:
        return max((ln.x1 for ln in lines), default=0.0)
    return ends[int(layout.right_edge_quantile * (len(ends) - 1))]


def enumerator(text: str) -> re.Match | None:
    return ENUMERATOR.match(text)


def _enum_number(m: re.Match) -> int | None:
    found = m.group("num") or m.group("tight")
    return int(re.sub(r"\D", "", found)) if found else None


def _first_word_width(line: VLine, layout: PdfLayout) -> float:
    """Estimated width of the line's first word from the line's mean character width (a
    fixed width per character when the line is short or spans two baselines and its width
    says nothing)."""
    word = line.text.split(None, 1)[0] if line.text.strip() else ""
    if line.tail_top is None and len(line.text) >= layout.char_width_min_chars:
        per_char = (line.x1 - line.x0) / len(line.text)
    else:
        per_char = layout.char_width_em * line.size
    return per_char * len(word)


def column_edges(lines: list[VLine], page_edge: float, layout: PdfLayout = LAYOUT) -> dict[int, float]:
    """Right edge available to each line: the page's, or the start of text beside it on the
    same baseline (a second column, a sidebar), whichever comes first."""
    edges: dict[int, float] = {}
    gutter, lookback, overlap = layout.column_gutter_em, layout.column_lookback_em, layout.baseline_overlap
    ordered = sorted((ln for ln in lines if ln.kind == "text"), key=lambda ln: ln.top)
    for i, ln in enumerate(ordered):
        edge = page_edge
        for other in ordered[i + 1:]:
            if other.top >= ln.bottom:
                break
            if other.x0 > ln.x1 and _same_baseline(ln, other, overlap):
                edge = min(edge, other.x0 - gutter * ln.size)
        for other in reversed(ordered[:i]):
            if other.bottom <= ln.top - lookback * ln.size:
                break
            if other.x0 > ln.x1 and _same_baseline(ln, other, overlap):
                edge = min(edge, other.x0 - gutter * ln.size)
        edges[id(ln)] = edge
    return edges


def _stopped_short(prev: VLine, cur: VLine, edge: float, layout: PdfLayout) -> bool:
    """True when the first word of `cur` would have fitted at the end of `prev`."""
    if prev.text.endswith(("-", HYPHEN_MARK)):
        return False
    room = edge - prev.x1
    # with a margin to spare: word processors wrap a word that would touch the margin, and our
    # width is only an estimate
    need = layout.space_width_em * prev.size + _first_word_width(cur, layout)
    return room > need + layout.wrap_margin_em * prev.size


def merge_fragments(lines: list[VLine], layout: PdfLayout = LAYOUT) -> list[VLine]:
    """Rejoin pieces of one visual line that PDFium reported as separate lines (it breaks a
    line at a raised superscript: "I2" + ", 51%) and ..."). A piece continues the line before
    it when it starts at or right of that line's end on the same baseline."""
    out: list[VLine] = []
    touch, overlap = layout.touch_pt, layout.baseline_overlap
    cell_gap, word_gap = layout.cell_gap_em, layout.word_gap_em
    for ln in lines:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == ln.kind == "text" and ln.x0 >= prev.x1 - touch
                and _same_baseline(prev, ln, overlap)):
            gap = ln.x0 - prev.x1
            size = max(prev.size, ln.size)
            if gap > cell_gap * size:
                sep = "\t"
                prev.cell_x = (prev.cell_x or [prev.x0]) + ln.cell_x
                prev.gap_em = min(prev.gap_em, ln.gap_em, gap / size)
            else:
                sep = " " if gap > word_gap * size else ""
                prev.cell_x = (prev.cell_x or [prev.x0]) + ln.cell_x[1:]
                prev.gap_em = min(prev.gap_em, ln.gap_em)
            prev.text = prev.text + sep + ln.text
            prev.bold = prev.bold and ln.bold
            prev.x1 = ln.x1
            prev.bottom = max(prev.bottom, ln.bottom)
            continue
        out.append(ln)
    return out


def attach_bullets(lines: list[VLine], layout: PdfLayout = LAYOUT) -> list[VLine]:
    """Put each lone bullet or number back in front of its text. Some generators draw all of a
    list's bullets first and the item texts after, so the text on a bullet's baseline, just to
    its right, may come anywhere later in the stream."""
    lone = [ln for ln in lines if ln.kind == "text" and (m := enumerator(ln.text)) and m.end() == len(ln.text)]
    if not lone:
        return lines
    taken: set[int] = set()
    used: set[int] = set()
    touch, reach, overlap = layout.touch_pt, layout.bullet_gap_max_em, layout.baseline_overlap
    for bullet in lone:
        best = None
        for ln in lines:
            if (ln is bullet or ln.kind != "text" or id(ln) in used or enumerator(ln.text)
                    or not bullet.x1 - touch <= ln.x0 <= bullet.x1 + reach * bullet.size
                    or not _same_baseline(bullet, ln, overlap)):
                continue
            if best is None or ln.x0 < best.x0:
                best = ln
        if best is not None and abs(best.order - bullet.order) > 1:
            # the item keeps its text's place in the stream, where its wrapped lines follow
            taken.add(id(bullet))
            used.add(id(best))
            best.text = f"{bullet.text} {best.text}"
            best.x0 = bullet.x0
            best.cell_x = [bullet.x0] + best.cell_x[1:]
    return [ln for ln in lines if id(ln) not in taken]


def _same_baseline(a: VLine, b: VLine, min_overlap: float) -> bool:
    """Whether the two lines' vertical extents overlap by `min_overlap` of the shorter one."""
    a_top, a_bottom = a.last_top, a.bottom
    overlap = min(a_bottom, b.bottom) - max(a_top, b.top)
    return overlap >= min_overlap * min(a_bottom - a_top, b.bottom - b.top)


class PageBlocks:
    """Builds the blocks of one page, with the settings of the document's `geometry`."""

    def __init__(self, lines: list[VLine], geometry: Geometry):
        self.lines = lines
        self.geometry = geometry
        self.layout = geometry.layout
        self.edge = right_edge(lines, self.layout)
        self.blocks: list[Block] = []
        self.edges: dict[int, float] = {}

    def build(self) -> list[Block]:
        lines = merge_fragments(attach_bullets(self.lines, self.layout), self.layout)
        self.edges = column_edges(lines, self.edge, self.layout)
        for line in lines:
            self._add(line)
        return self.blocks

    def _add(self, line: VLine) -> None:
        cur = self.blocks[-1] if self.blocks else None
        if line.kind == "row":
            self.blocks.append(Block([line], "row", cells=line.text.split("\t"), cell_x=list(line.cell_x)))
            return
        if cur is not None and cur.kind == "row" and cur.first.kind == "text":
            k = self._cell_for(cur, line)
            # a bullet under a cell starts a list there only if the cell is a list already
            if k is not None and enumerator(line.text) and not enumerator(cur.cells[k] if k < len(cur.cells) else ""):
                k = None
            if k is not None:
                self._extend_row(cur, line, k)
                return
            if self._row_was_prose(cur, line):
                cur.kind, cur.parts = "item" if enumerator(cur.first.text) else "para", [cur.first.text.replace("\t", " ")]
                cur.first.cell_x = [cur.first.x0]
        if "\t" in line.text and cur is not None and cur.kind == "para" and self._wide_space(cur, line):
            line.text, line.cell_x = line.text.replace("\t", " "), [line.x0]
        if "\t" in line.text:
            self.blocks.append(Block([line], "row", cells=line.text.split("\t"), cell_x=list(line.cell_x)))
            return
        if cur is not None and cur.kind != "row" and self._continues(cur, line):
            cur.lines.append(line)
            cur.append_text(line.text)
            return
        kind = "item" if enumerator(line.text) else "para"
        self.blocks.append(Block([line], kind, parts=[line.text]))

    def _wide_space(self, block: Block, line: VLine) -> bool:
        """A gap that is only a stretched space of justified prose: the line runs on from a
        full-width line of the paragraph above at the same indent, and the gap is not wide."""
        lay = self.layout
        prev = block.last
        size = max(prev.size, line.size)
        return (line.gap_em < lay.wide_space_max_em and abs(line.x0 - prev.x0) <= lay.align_em * size
                and "\t" not in prev.text and prev.x1 >= self.edges.get(id(prev), self.edge) - lay.full_line_em * size
                and lay.same_line_em * size < line.top - prev.last_top <= self.geometry.block_gap(size))

    def _row_was_prose(self, row: Block, line: VLine) -> bool:
        """A one-line "row" whose gap is a stretched space: it runs to the margin and the next
        line carries on at its indent ("Limitation of Use:  Dupixent is not indicated for the
        relief of acute" / "bronchospasm ...")."""
        lay = self.layout
        first = row.first
        size = max(first.size, line.size)
        aligned = abs(line.x0 - first.x0) <= lay.align_em * size or (
            enumerator(first.text) is not None and self._at_hanging_indent(first, line, size))
        return (len(row.lines) == 1 and first.gap_em < lay.wide_space_max_em and aligned
                and "\t" not in line.text and first.x1 >= self.edges.get(id(first), self.edge) - lay.full_line_em * size
                and lay.same_line_em * size < line.top - first.last_top <= self.geometry.block_gap(size))

    # --- rows without rulings -------------------------------------------------------------
    def _cell_for(self, row: Block, line: VLine) -> int | None:
        """The cell (index >= 1) of an unruled row that `line` continues, if any."""
        last = row.last
        size = max(last.size, line.size)
        pitch = line.top - last.last_top
        near = self.layout.baseline_tolerance_em * size
        same_baseline = abs(line.top - row.first.top) < near
        if not same_baseline and not (near < pitch <= self.geometry.block_gap(size)):
            return None
        xs = row.cell_x
        if len(xs) < 2:
            return None
        tol = self.layout.align_em * size
        if same_baseline and line.x0 > row.first.x1 - tol:
            return len(xs)  # a cell the stream gave us after the row's first line
        if line.x0 < xs[1] - tol:
            return None
        k = 1
        for i in range(1, len(xs)):
            if line.x0 >= xs[i] - tol:
                k = i
        return k

    def _extend_row(self, row: Block, line: VLine, k: int) -> None:
        pieces = line.text.split("\t")
        xs = line.cell_x if len(line.cell_x) == len(pieces) else [line.x0] * len(pieces)
        row.lines.append(line)
        if k >= len(row.cell_x):
            row.cell_x.append(line.x0)
        tol = self.layout.align_em * line.size
        for piece, x in zip(pieces, xs):
            j = k
            for i in range(k, len(row.cell_x)):
                if x >= row.cell_x[i] - tol:
                    j = i
            row.append_to_cell(j, piece)

    # --- paragraphs and items -------------------------------------------------------------
    def _continues(self, block: Block, line: VLine) -> bool:
        lay = self.layout
        prev = block.last
        size = max(prev.size, line.size)
        pitch = line.top - prev.last_top
        if pitch < lay.same_line_em * size:
            return False
        if pitch > self.geometry.block_gap(size):
            return False
        if abs(prev.size - line.size) > lay.size_change_em * size:
            return False
        if _has_leader(prev.text) or _has_leader(line.text):
            return False
        m = enumerator(line.text)
        if m and not self._indented_continuation(block, line, m) and not self._wrapped_number(block, line, m):
            return False
        tol = lay.align_em * size
        if block.kind == "item" and line.x0 < block.first.x0 - tol:
            # back left of the bullet: the list is over, unless its sentence runs on there
            # ("• Epidiolex (cannabidiol oral solution)" / "is(are) covered as medically ...")
            return line.text[:1].islower() and not ends_sentence(prev.text)
        if len(block.lines) >= 2:
            if abs(line.x0 - prev.x0) > tol:
                return False
        elif block.kind == "item":
            # a list item wraps to its hanging indent, right of its bullet or number; a line
            # back at the bullet's position is the next paragraph, unless the item's line ran
            # to the margin in mid-sentence (a list without hanging indents)
            flush = abs(line.x0 - prev.x0) <= tol and not ends_sentence(prev.text) and not _stopped_short(
                prev, line, self.edges.get(id(prev), self.edge), lay)
            if not (flush or self._at_hanging_indent(prev, line, size)):
                return False
        elif not (prev.x0 - lay.wrap_left_em * size <= line.x0 <= prev.x0 + lay.wrap_right_em * size):
            return False
        if not _stopped_short(prev, line, self.edges.get(id(prev), self.edge), lay):
            return True
        # The line before ended early. Still one block when the sentence plainly goes on (a
        # lower-case start), or inside a list item at its hanging indent unless a sentence
        # ended there (lists often have a right indent we cannot see).
        if ends_sentence(prev.text):
            return False
        return line.text[:1].islower() or (
            block.kind == "item" and line.x0 > block.first.x0 + lay.hanging_indent_min_em * size)

    def _at_hanging_indent(self, item: VLine, line: VLine, size: float) -> bool:
        """Whether `line` starts where a list item's text wraps to: right of the bullet or number
        that starts the line `item`, not as far as another column."""
        lay = self.layout
        return item.x0 + lay.hanging_indent_min_em * size <= line.x0 <= item.x0 + lay.hanging_indent_max_em * size

    def _wrapped_number(self, block: Block, line: VLine, m: re.Match) -> bool:
        """"...listed in Table" + "1." : a number the paragraph wrapped onto a new line, not a
        list item: nothing follows it, and the paragraph had not finished its sentence."""
        rest = line.text[m.end():].strip()
        return (block.kind == "para" and not rest and not ends_sentence(block.last.text)
                and abs(line.x0 - block.last.x0) <= self.layout.align_em * line.size)

    def _indented_continuation(self, block: Block, line: VLine, m: re.Match) -> bool:
        """'112. PMID 387...' under an item's text is a wrapped continuation, not item 112: it
        is indented past the item's start and its number cannot follow the item's own."""
        first = block.first
        if line.x0 <= first.x0 + self.layout.nested_indent_em * line.size:
            return False
        n = _enum_number(m)
        head = enumerator(first.text)
        head_n = _enum_number(head) if head else None
        return n is not None and head_n is not None and n > head_n + 1


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip()))


def continues_across_pages(prev_text: str, next_text: str) -> bool:
    """Whether a paragraph or reference that ends page N goes on at the top of page N+1."""
    prev_text, next_text = prev_text.rstrip(), next_text.lstrip()
    if not prev_text or not next_text:
        return False
    m = enumerator(next_text)
    if m and _enum_number(m) is not None:
        return False
    if m and (m.group("bullet") or m.group("roman") or m.group("alpha")):
        return False
    if prev_text.endswith(("-", HYPHEN_MARK)) and prev_text[:-1][-1:].isalpha():
        return True
    last_word = prev_text.split()[-1].lower()
    if prev_text.endswith(",") or last_word in FUNCTION_WORDS:
        return True
    first = next_text[0]
    if ends_sentence(prev_text):
        # "...15(1):" + "3882. PMID ..." in a reference list
        return prev_text.endswith((":", ";")) and first.isdigit() and not next_text.split()[0].endswith(":")
    return first.islower() or first.isdigit() or first in "(,;[" or prev_text.endswith((";", "("))
