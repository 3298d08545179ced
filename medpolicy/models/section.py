"""The document's full text, section by section."""
from __future__ import annotations

from .base import Provenance, Record


class Section(Record):
    """A heading and the cleaned text under it (paragraphs separated by newlines, table cells by
    tabs). `kind` is the role the heading rules gave it (policy, coding, history, ...)."""

    heading: str | None = None
    kind: str = "other"
    level: int = 1
    text: str = ""
    provenance: Provenance | None = None
