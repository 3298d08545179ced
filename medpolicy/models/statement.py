"""Coverage statements."""
from __future__ import annotations

from enum import Enum
from typing import Sequence

from pydantic import Field

from ..textnorm import text_keys
from .base import Provenance, Record


class Position(str, Enum):
    """What a statement's main predicate says of the service."""

    MEDICALLY_NECESSARY = "medically_necessary"
    NOT_MEDICALLY_NECESSARY = "not_medically_necessary"
    INVESTIGATIONAL = "investigational"
    NOT_COVERED = "not_covered"
    COVERED = "covered"
    OTHER = "other"


class Statement(Record):
    """One coverage statement: its lead sentence and the criteria list that belongs to it.

    `text` is the statement as printed, lead sentence first and each criterion on a line of its
    own after it; `criteria` holds the same criteria one item each, as printed (enumerator
    included), whether they were printed under the lead or in a section of their own (Criteria,
    Prior-Approval Requirements, ...). `id` is only the statement's ordinal in its own document
    ("S1", "S2", ...); across editions a statement is known by `identity()`."""

    id: str
    text: str
    position: Position
    section: str | None = None
    criteria: list[str] = Field(default_factory=list)
    provenance: Provenance | None = None

    @property
    def lead(self) -> str:
        """The lead sentence: the statement without its criteria."""
        return self.text.split("\n", 1)[0]

    def identity(self) -> str:
        """The lead sentence as a reader sees it (layout, list numbering and case aside). A
        statement has no stable id across editions, and its lead is what names it: the same
        lead with other criteria is the same statement edited ("its list gained an item"),
        while its position and criteria are what the diff compares."""
        return Statement.identities([self])[0]

    @staticmethod
    def identities(statements: "Sequence[Statement]") -> list[str]:
        """`identity()` of many statements, normalised in one pass (a diff of thousands of
        statements would otherwise spend its time starting the normalisation over)."""
        return [k.casefold() for k in text_keys([s.lead for s in statements])]
