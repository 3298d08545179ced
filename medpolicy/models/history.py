"""Rows of a policy's own revision-history table."""
from __future__ import annotations

from .base import Provenance, Record


class HistoryEntry(Record):
    """One revision row. `date` is ISO 8601 (`YYYY-MM` when only month and year are printed;
    the start of a printed range); `date_text` is the date as printed. Identity: date + summary."""

    date: str | None = None
    date_text: str
    summary: str
    provenance: Provenance | None = None
