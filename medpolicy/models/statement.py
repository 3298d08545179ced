"""Coverage statements."""
from __future__ import annotations

from enum import Enum

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
    """One coverage statement, with any criteria list under it kept in `text`.

    Identity across editions is decided by the diff (similar text), not by `id`, which is only
    the statement's ordinal in its own document ("S1", "S2", ...)."""

    id: str
    text: str
    position: Position
    section: str | None = None
    provenance: Provenance | None = None
