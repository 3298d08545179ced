"""The objects every stage shares.

A loader turns a file into a `SourceDocument`: a list of typed `Block`s, whatever the format was.
A block is what the loader *knows* about a piece of text from the file's own structure:

- a PDF loader knows a heading by its typography (bold or larger than the running text, alone
  on its line), a list item by its bullet and hanging indent, a table row by its rulings or its
  column alignment, and joins the visual lines of a paragraph;
- an HTML loader knows them by their tags (`<h2>`, `<li>`, `<tr>`/`<td>`, a paragraph that is
  all `<b>`), and drops navigation, scripts and hidden elements;
- a text loader only has the text: a TAB-separated line is a row, a marked line an item, and
  markdown or HTML marks in the text (`## Coding`, `**Policy**`, `<h2>`) make a heading
  (normalize.strip_markup reads them); everything else is a paragraph.

`normalize.build_document()` then cleans the blocks the same way for every format (markup,
spaces, page furniture, paragraphs split by a page break) into a `Document` of `Line`s whose
offsets index `Document.text`. Extractors only ever read a `Document`: its lines keep the kind
the loader gave them (`Line.kind`, `Line.cells`) so that no stage has to guess structure back
from characters. In `Document.text` a row's cells are joined by TAB, which is how a row reads
in the cleaned text (and in `Section.text`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"  # a list item, its marker ("1.", "a)", "-") kept at the start of its text
    ROW = "row"  # a table row: `cells`


@dataclass(frozen=True, slots=True)
class Block:
    """One heading, paragraph, list item or table row as the loader found it.

    `gap` says how the block is set off from the one before: 0 directly under it (the rows of one
    table, the items of one list, a soft line break), 1 a blank line or paragraph spacing, 2 a
    page break. `level` is a heading's level (1 biggest; 0 when the loader only knows it stands
    out, e.g. a bold line) or a list item's nesting depth (0 outermost)."""

    kind: BlockKind
    text: str = ""
    cells: tuple[str, ...] = ()
    page: int | None = None
    level: int = 0
    gap: int = 1

    @classmethod
    def row(cls, cells, **kw) -> "Block":
        cells = tuple(cells)
        return cls(BlockKind.ROW, "\t".join(cells), cells, **kw)

    @property
    def display(self) -> str:
        """The block as one line of seed-like text: a row's cells joined by TAB."""
        return "\t".join(self.cells) if self.kind is BlockKind.ROW else self.text


@dataclass
class SourceDocument:
    """A loaded file, before cleaning."""

    path: str
    sha256: str
    format: str  # "pdf" | "html" | "text"
    blocks: list[Block]
    size: int = 0
    n_pages: int | None = None  # pages of a PDF (a text source's form feeds are not counted)
    # True when the loader already removed running headers/footers (PDF geometry)
    furniture_removed: bool = False
    warnings: list[str] = field(default_factory=list)
    # The distinct running-header/footer and chrome lines a loader or normalize removed, in
    # order of first appearance: not the policy's text, but still the letterhead of every page
    # ("Proprietary Information of X", "(c) 2025 X"), evidence of who issues the document.
    furniture: list[str] = field(default_factory=list)

    @property
    def pages(self) -> list[str]:
        """The blocks of each page as seed-like text (blank line between blocks, none between the
        rows of a table or the items of a list): a readable view for debugging and tests."""
        return render_pages(self.blocks)


def render_pages(blocks: list[Block]) -> list[str]:
    pages: dict[int | None, list[str]] = {}
    for b in blocks:
        parts = pages.setdefault(b.page, [])
        if parts:
            parts.append("\n" if b.gap == 0 else "\n\n")
        parts.append(b.display)
    return ["".join(parts) for parts in pages.values()]


@dataclass(frozen=True, slots=True)
class Line:
    """One logical line of the cleaned text: a heading, a paragraph, a list item, or a table row."""

    text: str
    page: int | None
    start: int
    end: int
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0  # a heading's level as the loader knew it (1 biggest: an HTML <h1>; 0 unknown)

    @property
    def cells(self) -> list[str]:
        return [c.strip() for c in self.text.split("\t")]

    @property
    def is_row(self) -> bool:
        return self.kind is BlockKind.ROW

    @property
    def is_heading(self) -> bool:
        """The loader marked this line as a heading (by typography, tag or markup)."""
        return self.kind is BlockKind.HEADING


@dataclass
class Document:
    """The cleaned document: `lines` hold no blank lines; `text` is their "\\n" join."""

    source: SourceDocument
    lines: list[Line]
    text: str
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_lines(cls, source: SourceDocument,
                   items: list[tuple[str, int | None] | tuple[str, int | None, BlockKind]
                               | tuple[str, int | None, BlockKind, int]]) -> "Document":
        lines: list[Line] = []
        parts: list[str] = []
        pos = 0
        for item in items:
            text, page = item[0], item[1]
            kind = item[2] if len(item) > 2 else (BlockKind.ROW if "\t" in text else BlockKind.PARAGRAPH)
            level = item[3] if len(item) > 3 and kind is BlockKind.HEADING else 0
            lines.append(Line(text, page, pos, pos + len(text), kind, level))
            parts.append(text)
            pos += len(text) + 1
        return cls(source=source, lines=lines, text="\n".join(parts), warnings=list(source.warnings))
