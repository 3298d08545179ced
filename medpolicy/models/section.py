"""The document's full text, section by section."""
from __future__ import annotations

from enum import StrEnum

from .base import Provenance, Record


class SectionKind(StrEnum):
    """The role a heading gives the text under it. The heading rules (ingest/rules/headings.json)
    name one of these for each heading; `metadata` is the text before the first heading, `archive`
    an older edition printed after the current one, `other` a heading no rule knows.

    A StrEnum (not `str, Enum`): a member is its value wherever it is printed or formatted, so
    the JSON, the store's files and every rendering keep the plain strings."""

    METADATA = "metadata"
    TOC = "toc"
    POLICY = "policy"
    GUIDELINES = "guidelines"
    CODING = "coding"
    HISTORY = "history"
    REFERENCES = "references"
    RELATED = "related"
    DESCRIPTION = "description"
    EVIDENCE = "evidence"
    BACKGROUND = "background"
    BOILERPLATE = "boilerplate"
    OTHER = "other"
    ARCHIVE = "archive"


class Section(Record):
    """A heading and the cleaned text under it (paragraphs separated by newlines, table cells by
    tabs). `kind` is the role the heading rules gave it (policy, coding, history, ...)."""

    heading: str | None = None
    kind: SectionKind = SectionKind.OTHER
    level: int = 1
    text: str = ""
    provenance: Provenance | None = None
