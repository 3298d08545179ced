"""The objects every stage shares.

A loader turns a file into a `SourceDocument`: the text of each page in one common shape
("seed-like" text) whatever the format was:

- one logical line per paragraph, list item or table row (a PDF loader joins the visual lines
  of a paragraph; a text loader unwraps hard-wrapped paragraphs);
- table cells separated by TAB characters, one row per line;
- blank lines between blocks are allowed and carry no meaning beyond separation.

`normalize.build_document()` then cleans that text the same way for every format (markup,
spaces, page furniture, paragraphs split by a page break) into a `Document` of `Line`s whose
offsets index `Document.text`. Extractors only ever read a `Document`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceDocument:
    """A loaded file, before cleaning."""

    path: str
    sha256: str
    format: str  # "pdf" | "html" | "text"
    pages: list[str]
    size: int = 0
    # True when the loader already removed running headers/footers (PDF geometry)
    furniture_removed: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Line:
    """One logical line of the cleaned text: a paragraph, a list item, or a table row."""

    text: str
    page: int | None
    start: int
    end: int

    @property
    def cells(self) -> list[str]:
        return [c.strip() for c in self.text.split("\t")]

    @property
    def is_row(self) -> bool:
        return "\t" in self.text


@dataclass
class Document:
    """The cleaned document: `lines` hold no blank lines; `text` is their "\\n" join."""

    source: SourceDocument
    lines: list[Line]
    text: str
    warnings: list[str] = field(default_factory=list)
    # indices of lines the source marked up as headings (markdown #, whole-line bold, <h1>..)
    heading_hints: set[int] = field(default_factory=set)

    @classmethod
    def from_lines(cls, source: SourceDocument, items: list[tuple[str, int | None]]) -> "Document":
        lines: list[Line] = []
        parts: list[str] = []
        pos = 0
        for text, page in items:
            lines.append(Line(text, page, pos, pos + len(text)))
            parts.append(text)
            pos += len(text) + 1
        return cls(source=source, lines=lines, text="\n".join(parts), warnings=list(source.warnings))
