"""Split a Document into sections by heading rules kept as data (rules/headings.json)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import Document, Line

# Section kinds: what role a heading gives the text under it.
KINDS = ("metadata", "toc", "policy", "guidelines", "coding", "history", "references", "related",
         "description", "evidence", "background", "boilerplate", "other")


@dataclass
class SectionSpan:
    """A heading (None for the text before the first heading) and the lines under it.

    `kind` comes from the heading rules; an unrecognised sub-heading inherits its parent's kind
    (a "Summary of Evidence" under "Rationale" stays evidence). `lines` excludes the heading."""

    heading: str | None
    kind: str
    level: int
    heading_line: Line | None
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


def find_sections(doc: Document) -> list[SectionSpan]:  # implemented below in this module
    raise NotImplementedError
