"""Cited references."""
from __future__ import annotations

from .base import Provenance, Record


class Reference(Record):
    """One entry of the reference list. Identity: PMID, else DOI, else URL, else normalised text;
    `number` is only its place in this edition's list."""

    number: int | None = None
    text: str
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    provenance: Provenance | None = None
