"""Paragraphs and list items of a section, as a reader reads them.

A PDF's text layer or a crawler's copy of it keeps the printed lines: a sentence runs over two or
more lines ("... may be considered" / "medically necessary when:"), a registered-trademark sign
sits on a line of its own between the two halves of a sentence, an "AND" between two criteria
has its own line. The loaders join what they know to belong together (a PDF paragraph, an HTML
<p>, a hard-wrapped text), but flattened text reaches us as printed lines. This stage joins the
lines of one section back into units, a paragraph or one list item each, by what the text itself
says: a line that stops without a full stop, a comma or a function word at its end ("of", "be",
"considered"), a line that starts in lower case, a lone mark (rules/positions.json), a line that
runs to the width a hard-wrapped page is set at. A list item (its marker: "1.", "b)", "iv.",
"•") always starts a unit of its own. Units keep their lines, so offsets into `Document.text`
survive the join.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .document import BlockKind, Document, Line
from .sections import SectionSpan
from .vocab import position_rules

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_ENUM = re.compile(r"^\s*(?P<open>\()?(?P<tok>[ivxlIVXL]{1,6}|[A-Za-z]|\d{1,2}(?:\.\d{1,2})*)(?P<close>[.)])(?=\s|$)")
_TERMINAL = (".", ":", ";", "!", "?")
_LONE_NUMBER = re.compile(r"^\d{1,3}$")  # a page number left between two halves of a sentence


@dataclass(frozen=True)
class Marker:
    """A list item's marker as printed, and the readings it allows: (kind, ordinal), where kind
    is the family (num, upper, lower, roman, lroman, bullet) with its punctuation style, so "a."
    and "a)" are different lists. "i." reads as roman 1 or letter 9: the list it sits in decides."""

    text: str
    readings: tuple[tuple[str, int], ...]

    @property
    def is_bullet(self) -> bool:
        return self.readings[0][0].startswith("bullet")


def _roman_value(tok: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(tok.lower()):
        v = _ROMAN[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total if 0 < total < 90 else None


@lru_cache(maxsize=1)
def _bullet_pattern() -> re.Pattern:
    chars = sorted(position_rules().bullets, key=len, reverse=True)
    # a letter used as a bullet ("o") must be followed by a space and a word, not be a word itself
    return re.compile(r"^\s*(" + "|".join(re.escape(c) for c in chars) + r")\s+(?=\S)")


def list_marker(text: str) -> Marker | None:
    """The marker a line starts with, or None for an unmarked line."""
    m = _ENUM.match(text)
    if m:
        tok, style = m.group("tok"), "()" if m.group("open") else m.group("close")
        readings: list[tuple[str, int]] = []
        if tok[0].isdigit():
            readings.append((f"num{style}" if "." not in tok else f"num{tok.count('.')}{style}", int(tok.split(".")[-1])))
        else:
            if set(tok.lower()) <= set(_ROMAN):
                value = _roman_value(tok)
                if value:
                    readings.append((("roman" if tok.isupper() else "lroman") + style, value))
            if len(tok) == 1:
                readings.append((("upper" if tok.isupper() else "lower") + style, ord(tok.lower()) - 96))
        if readings:
            return Marker(m.group(0).strip(), tuple(readings))
    b = _bullet_pattern().match(text)
    if b:
        return Marker(b.group(1), ((f"bullet{b.group(1)}", 0),))
    return None


@dataclass(frozen=True)
class Piece:
    """A line, or the part of it from `lo` to `hi` when a list starts inside it ("... the
    following: A. The member ..." on one line)."""

    line: Line
    lo: int
    hi: int

    @property
    def text(self) -> str:
        return self.line.text[self.lo:self.hi].strip()

    @property
    def kind(self) -> BlockKind:
        return self.line.kind if self.lo == 0 else BlockKind.ITEM


@dataclass
class Unit:
    """One paragraph, list item or table row of a section, joined from its printed lines."""

    section: SectionSpan
    pieces: list[Piece]
    text: str
    starts: list[int] = field(default_factory=list)  # where each piece's text starts in `text`
    marker: Marker | None = None

    @property
    def is_row(self) -> bool:
        return self.pieces[0].line.is_row

    @property
    def page(self) -> int | None:
        return self.pieces[0].line.page

    @property
    def end(self) -> int:
        last = self.pieces[-1]
        return last.line.start + last.hi

    def doc_offset(self, pos: int) -> int:
        """The offset in Document.text of position `pos` of `text`."""
        k = 0
        for i, s in enumerate(self.starts):
            if s <= pos:
                k = i
        piece = self.pieces[k]
        lead = len(piece.line.text[piece.lo:piece.hi]) - len(piece.line.text[piece.lo:piece.hi].lstrip())
        return piece.line.start + piece.lo + lead + max(0, pos - self.starts[k])

    def add(self, piece: Piece, sep: str) -> None:
        self.text += sep
        self.starts.append(len(self.text))
        self.text += piece.text
        self.pieces.append(piece)


# a list that starts inside a line, right after its lead's colon: ": A. The", ": 1) Age", ": i. Prior"
_INLINE_LIST = re.compile(r"(?<=:)\s+(?=(?:\(?(?:[A-Za-z]|\d{1,2}|[ivx]{1,4}|[IVX]{1,4})[.)])\s+\S)")


def _pieces(line: Line) -> list[Piece]:
    if line.is_row:
        return [Piece(line, 0, len(line.text))]
    cuts = [m.end() for m in _INLINE_LIST.finditer(line.text)]
    bounds = [0, *cuts, len(line.text)]
    return [Piece(line, a, b) for a, b in zip(bounds, bounds[1:]) if line.text[a:b].strip()]


def wrap_width(doc: Document) -> int | None:
    """The width a hard-wrapped plain text is set at, else None. PDF and HTML loaders join a
    paragraph's lines themselves, and in a text of one paragraph per line the length of a line
    says nothing about where a sentence ends; in text wrapped at a width, a line that reaches it
    ran on."""
    if doc.source.format != "text":
        return None
    lengths = sorted(len(ln.text) for ln in doc.lines if not ln.is_row and not ln.is_heading)
    if len(lengths) < 20:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    if width > 200 or width < 40:
        return None
    near = sum(1 for n in lengths if n >= 0.75 * width)
    return width if near >= 0.15 * len(lengths) else None


def _is_mark(text: str) -> bool:
    return text in position_rules().marks


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1].lower() if words else ""


def _open_sentence(text: str) -> bool:
    """True when `text` stops where its sentence cannot end."""
    t = text.rstrip()
    if not t:
        return False
    rules = position_rules()
    if t.endswith(_TERMINAL):
        return False
    if t.endswith((",", "(", "/", "&", "+", "-", "–")):
        return True
    if t.count("(") > t.count(")"):
        return True
    return _last_word(t).strip("\"'") in rules.continuation_words


def _continues(unit: Unit, piece: Piece, width: int | None) -> str | None:
    """How `piece` joins `unit` (the separator), or None when it starts a unit of its own."""
    line = piece.line
    if line.is_row or unit.is_row or line.is_heading or piece.lo > 0:
        return None
    t = piece.text
    prev = unit.text.rstrip()
    last = unit.pieces[-1].text
    if _is_mark(t):
        return ""  # "Guardant360" / "®": the mark belongs to the word before it
    if _is_mark(last):
        return " " if not list_marker(t) else None
    rules = position_rules()
    if t.lower().strip("-() ") in rules.connectors:
        return " " if unit.marker is not None or not prev.endswith(_TERMINAL) else None
    if list_marker(t) or piece.kind is BlockKind.ITEM:
        return None
    if prev.endswith(".") and _last_word(prev) in rules.abbreviations and t[:1].islower():
        return " "
    if prev.endswith(_TERMINAL):
        return None
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and t[:1].isalpha():
        return ""  # "receptor-" / "positive": the hyphenated word stays hyphenated
    if t[:1].islower() or _open_sentence(prev):
        return " "
    if width and len(unit.pieces[-1].line.text) >= 0.75 * width:
        return " "  # the line ran to the margin: the sentence wraps
    return None


def section_units(sections: list[SectionSpan], width: int | None) -> list[Unit]:
    """The units of each section in document order (a unit never crosses a section boundary)."""
    units: list[Unit] = []
    for sec in sections:
        current: Unit | None = None
        for line in sec.lines:
            for piece in _pieces(line):
                text = piece.text
                if current is not None:
                    if _LONE_NUMBER.match(text) and _open_sentence(current.text):
                        continue  # a page number between the halves of a sentence
                    sep = _continues(current, piece, width)
                    if sep is not None:
                        current.add(piece, sep)
                        continue
                current = Unit(sec, [piece], text, [0], list_marker(text))
                units.append(current)
    return units
