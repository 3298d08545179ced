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
from bisect import bisect_right
from dataclasses import dataclass, field

from .document import BlockKind, Document, Line
from .lexicon import bullet_prefix, enumerator_mark, inline_enumerator
from .sections import SectionSpan
from .text import is_hard_wrapped
from .vocab import position_keywords, position_rules

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_ENUM = enumerator_mark()
_BULLET = bullet_prefix()
_TERMINAL = (".", ":", ";", "!", "?")
_LONE_NUMBER = re.compile(r"^\d{1,3}$")  # a page number left between two halves of a sentence


@dataclass(frozen=True)
class Marker:
    """A list item's marker as printed, and the readings it allows: (kind, ordinal), where kind
    is the family (num, upper, lower, roman, lroman, bullet) with its punctuation style, so "a."
    and "a)" are different lists. "i." reads as roman 1 or letter 9: the list it sits in decides."""

    text: str
    readings: tuple[tuple[str, int], ...]
    prefix: str = ""  # a bullet printed before the enumerator ("- A."): markup, not the item's

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
    b = _BULLET.match(text)
    if b:
        inner = list_marker(text[b.end():]) if _ENUM.match(text[b.end():]) else None
        if inner is not None:  # "- A. Individual ...": markdown's bullet before the printed letter
            return Marker(inner.text, inner.readings, text[:b.end()])
        return Marker(b.group("mark"), ((f"bullet{b.group('mark')}", 0),))
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
    def item_text(self) -> str:
        """The unit as a list item reads: its marker and text, without a bullet set before the
        marker ("- A. Adult" is "A. Adult")."""
        return self.text[len(self.marker.prefix):] if self.marker and self.marker.prefix else self.text

    @property
    def end(self) -> int:
        last = self.pieces[-1]
        return last.line.start + last.hi

    def doc_offset(self, pos: int) -> int:
        """The offset in Document.text of position `pos` of `text`."""
        k = max(0, bisect_right(self.starts, pos) - 1)
        piece = self.pieces[k]
        raw = piece.line.text[piece.lo:piece.hi]
        return piece.line.start + piece.lo + (len(raw) - len(raw.lstrip())) + max(0, pos - self.starts[k])


class _Builder:
    """A unit being joined: what the joining rules read of it, kept as it grows (no re-scan of
    the text joined so far, so a paragraph of many lines costs its length, not its square)."""

    def __init__(self, section: SectionSpan, piece: Piece):
        self.section = section
        self.pieces = [piece]
        self.parts = [piece.text]
        self.starts = [0]
        self.size = len(piece.text)
        self.depth = piece.text.count("(") - piece.text.count(")")
        self.marker = list_marker(piece.text)

    @property
    def is_row(self) -> bool:
        return self.pieces[0].line.is_row

    @property
    def tail(self) -> str:
        """The end of the text so far (the last non-empty part)."""
        return self.parts[-1].rstrip() or (self.parts[-3].rstrip() if len(self.parts) > 2 else "")

    def add(self, piece: Piece, sep: str) -> None:
        self.parts.append(sep)
        self.size += len(sep)
        self.starts.append(self.size)
        self.parts.append(piece.text)
        self.size += len(piece.text)
        self.depth += piece.text.count("(") - piece.text.count(")")
        self.pieces.append(piece)

    def unit(self) -> Unit:
        return Unit(self.section, self.pieces, "".join(self.parts), self.starts, self.marker)


# a list that starts inside a line, right after its lead's colon: ": A. The", ": 1) Age", ": i. Prior"
_INLINE_LIST = inline_enumerator()


_ROMAN_DIGITS = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _to_roman(n: int) -> str:
    out = ""
    for value, digits in _ROMAN_DIGITS:
        while n >= value:
            out, n = out + digits, n - value
    return out


def _successors(marker: Marker) -> list[str]:
    """How the next item of the marker's list is printed ("b." after "a.", "(3)" after "(2)")."""
    out = []
    for kind, value in marker.readings:
        family, style = re.match(r"([a-z]+\d*)(.*)", kind).groups()
        if family == "num":
            tok = str(value + 1)
        elif family in ("upper", "lower") and value < 26:
            tok = chr(value + 97)
        elif family in ("roman", "lroman") and value < 39:
            tok = _to_roman(value + 1)
        else:
            continue
        tok = tok.upper() if family in ("upper", "roman") else tok
        out.append(f"({tok})" if style == "()" else tok + style)
    return out


def _next_item_at(text: str, marker: Marker) -> int | None:
    """Where the next item of the same list starts inside `text`, an item run on into the one
    before it ("b. HER2-negative c. Males must ..."): its marker, then a capital."""
    for tok in _successors(marker):
        m = re.search(r"\s" + re.escape(tok) + r"\s+(?=[A-Z])", text)
        if m:
            return m.start() + 1
    return None


def _pieces(line: Line) -> list[Piece]:
    """A line cut where a list starts after a colon, or where an item runs on into the next."""
    if line.is_row:
        return [Piece(line, 0, len(line.text))]
    cuts = [m.end() for m in _INLINE_LIST.finditer(line.text)]
    bounds = [0, *cuts, len(line.text)]
    out: list[Piece] = []
    for a, b in zip(bounds, bounds[1:]):
        while line.text[a:b].strip():
            marker = list_marker(line.text[a:b])
            cut = _next_item_at(line.text[a:b], marker) if marker and not marker.is_bullet else None
            if cut is None:
                out.append(Piece(line, a, b))
                break
            out.append(Piece(line, a, a + cut))
            a += cut
    return out


def wrap_width(doc: Document) -> int | None:
    """The width a hard-wrapped plain text is set at, else None. PDF and HTML loaders join a
    paragraph's lines themselves, and in a text of one paragraph per line the length of a line
    says nothing about where a sentence ends; in text wrapped at a width, a line that reaches it
    ran on."""
    if doc.source.format != "text":
        return None
    lines = [ln.text for ln in doc.lines if not ln.is_row and not ln.is_heading]
    if len(lines) < 20 or not is_hard_wrapped("\n".join(lines)):
        return None  # one paragraph or item per line: a long line is a long sentence, not a wrap
    lengths = sorted(len(t) for t in lines)
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


def _open_sentence(tail: str, depth: int = 0) -> bool:
    """True when text ending in `tail` (with `depth` parentheses open) stops where its sentence
    cannot end."""
    t = tail.rstrip()
    if not t or t.endswith(_TERMINAL):
        return False
    if t.endswith((",", "(", "/", "&", "+", "-", "–")) or depth > 0:
        return True
    return _last_word(t).strip("\"'") in position_rules().continuation_words


def _continues(unit: _Builder, piece: Piece, width: int | None) -> str | None:
    """How `piece` joins `unit` (the separator), or None when it starts a unit of its own."""
    line = piece.line
    if line.is_row or unit.is_row or line.is_heading or piece.lo > 0:
        return None
    t = piece.text
    prev = unit.tail
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
    if (_last_word(prev) + t.split()[0].lower()).strip(".,;:") in position_keywords():
        return ""  # "in" / "vestigational": a position word the text layer broke in two
    if t[:1].islower():
        return " "
    if line.page != unit.pieces[-1].line.page:
        return None  # across a page break only a lower-case start runs on: furniture cut the rest
    if _open_sentence(prev, unit.depth):
        return " "
    if width and len(unit.pieces[-1].line.text) >= 0.75 * width:
        return " "  # the line ran to the margin: the sentence wraps
    return None


def section_units(sections: list[SectionSpan], width: int | None) -> list[Unit]:
    """The units of each section in document order (a unit never crosses a section boundary)."""
    units: list[Unit] = []
    for sec in sections:
        current: _Builder | None = None
        for line in sec.lines:
            for piece in _pieces(line):
                text = piece.text
                if current is not None:
                    if _LONE_NUMBER.match(text) and _open_sentence(current.tail, current.depth):
                        continue  # a page number between the halves of a sentence
                    sep = _continues(current, piece, width)
                    if sep is not None:
                        current.add(piece, sep)
                        continue
                    units.append(current.unit())
                current = _Builder(sec, piece)
        if current is not None:
            units.append(current.unit())
    return units
