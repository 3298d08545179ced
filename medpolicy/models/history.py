"""Rows of a policy's own revision-history table."""
from __future__ import annotations

from ..textnorm import text_key
from .base import Provenance, Record


class HistoryEntry(Record):
    """One revision row. `date` is ISO 8601 (`YYYY-MM` when only month and year are printed;
    the start of a printed range); `date_text` is the date as printed."""

    date: str | None = None
    date_text: str
    summary: str
    provenance: Provenance | None = None

    def identity(self) -> tuple[str, str]:
        """(date, summary), both normalised: the date because tables repeat "Annual review."
        every year, so the same words under another date are another row; the date as printed
        when it could not be read; the summary as a reader sees it (layout, case and a final
        full stop aside)."""
        date = self.date or text_key(self.date_text, strip_markers=False).casefold()
        return (date, text_key(self.summary, strip_markers=False).casefold().rstrip(" .;,"))
