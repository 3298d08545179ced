"""Rows of the policy's own revision-history table.

Layouts seen across payers, all read by one walk over the history sections' lines:
- "Date | Comments" / "Date | Action" / "Date | Summary of Changes": date first;
- "Type of Revision | Summary of Changes | Review Date": date last;
- "Reviews, Revisions, and Approvals | Date | Approval Date": date in the middle;
- "Revision History Date | Revision History Number | Revision History Explanation | Reasons";
- plain lines "01/07/26 Policy edit; ...", or a date alone on a line with its text below.
A header row, when there is one, says which column holds the date and which the summary;
without one the first cell that is a date is the date and the other text cells the summary.
A row without a date continues the row above (a cell wrapped onto the next row, a row split by
a page break); header rows repeated after a page break are skipped; a date with no text under
it (a "Committee Approval Dates" list) is not a revision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import HistoryEntry, Provenance
from .dates import find_dates, parse_date
from .document import Document, Line
from .sections import SectionSpan

# Words that make up history-table header cells ("Revision History Date", "Summary of Changes").
HEADER_VOCAB = frozenset("""
date dates summary of changes change comments comment action actions description explanation reason
reasons for number no type revision revisions review reviews reviewed history approval approvals
approved committee p&t pt and effective the status by updates update details information log notes
note modification modifications version
""".split())
# A header cell has at least one of these.
HEADER_CORE = frozenset("date dates summary comments comment action actions explanation changes description".split())
# Header words that name the column holding a row's date / its summary (best first) / a number.
DATE_COLUMN = re.compile(r"\bdates?\b", re.I)
SUMMARY_COLUMN_WORDS = ("summary", "explanation", "comment", "action", "description", "change", "revision", "review")
NUMBER_COLUMN = re.compile(r"\b(?:number|no\.?|version)\b", re.I)
# Lines inside a history table that are notes about the table, not revisions.
NOTE_LINES = [
    re.compile(r"^history\s+section\b", re.I),
    re.compile(r"\bentries\s+(?:prior\s+to|before)\b.*\barchived\b", re.I),
]
_BULLET = re.compile(r"^(?:[-\u2022\u25aa\u25cf\u25e6\u00b7\u2013o]\s+)+")
_PIPE_ROW = re.compile(r"^\s*\|?(.+?\|.+?)\|?\s*$")
_PIPE_RULE = re.compile(r"^[\s|:\-]+$")
_LEAD_SEP = re.compile(r"^[\s:;|\-\u2013\u2014]+")


@dataclass
class _Columns:
    """Column roles read from the last header row."""

    date: int | None = None
    summary: int | None = None
    skip: set[int] = field(default_factory=set)
    date_last: bool = False


@dataclass
class _Row:
    date_text: str
    date: str | None
    parts: list[str]
    line: Line
    last_line: Line


def _words(cell: str) -> list[str]:
    return re.findall(r"[a-z&.]+", cell.lower().replace("p & t", "p&t"))


def _is_header_cell(cell: str) -> bool:
    words = [w.strip(".") for w in _words(cell)]
    return (bool(words) and len(words) <= 8 and not re.search(r"\d", cell)
            and all(w in HEADER_VOCAB for w in words) and any(w in HEADER_CORE for w in words))


def _header_columns(cells: list[str]) -> _Columns | None:
    """Column roles when the row is a header row, else None."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled or any(re.search(r"\d", c) or not _words(c) for _, c in filled):
        return None
    has_date_column = any(DATE_COLUMN.search(c) for _, c in filled)
    if not all(_is_header_cell(c) or (has_date_column and all(w.strip(".") in HEADER_VOCAB for w in _words(c)))
               for _, c in filled):
        return None
    cols = _Columns()
    for i, c in filled:
        if DATE_COLUMN.search(c) and not any(w in c.lower() for w in SUMMARY_COLUMN_WORDS[:5]):
            if cols.date is None:
                cols.date = i
            else:
                cols.skip.add(i)  # a second date column (approval date) is not the revision date
        elif NUMBER_COLUMN.search(c) and not any(w in c.lower() for w in SUMMARY_COLUMN_WORDS[:5]):
            cols.skip.add(i)
    for word in SUMMARY_COLUMN_WORDS:
        hit = next((i for i, c in filled if word in c.lower() and i != cols.date and i not in cols.skip), None)
        if hit is not None:
            cols.summary = hit
            break
    cols.date_last = cols.date is not None and cols.date == filled[-1][0] and cols.date != filled[0][0]
    return cols


def _is_plain_header(text: str) -> bool:
    words = [w.strip(".") for w in _words(text)]
    return (0 < len(words) <= 12 and not re.search(r"\d", text) and all(w in HEADER_VOCAB for w in words)
            and ("date" in words or "dates" in words))


def _clean(text: str) -> str:
    return _BULLET.sub("", re.sub(r"\s+", " ", text).strip()).strip()


def _whole_date(cell: str) -> tuple[str, str | None] | None:
    """(printed, iso) when the cell is a date (or an impossible one), else None."""
    s = cell.strip()
    if not s:
        return None
    iso, _ = parse_date(s)
    if iso:
        found = find_dates(s)
        return (found[0].text if found else s), iso
    bad = find_dates(s, include_invalid=True)
    if len(bad) == 1 and bad[0].iso is None and len(bad[0].text) >= len(s.strip(" *.:;")) - 1:
        return bad[0].text, None
    return None


def _leading_date(text: str) -> tuple[str, str | None, str] | None:
    """(printed, iso, rest) when `text` starts with a date."""
    s = _BULLET.sub("", text.strip())
    found = find_dates(s, include_invalid=True)
    if not found or found[0].start != 0:
        return None
    d = found[0]
    rest = s[d.end:]
    if rest and rest[0].isalnum():
        return None
    return d.text, d.iso, _LEAD_SEP.sub("", rest)


def _trailing_date(text: str) -> tuple[str, str | None, str] | None:
    s = text.strip()
    found = find_dates(s, include_invalid=True)
    if not found or found[-1].end != len(s.rstrip(" *.")):
        return None
    d = found[-1]
    return d.text, d.iso, s[:d.start].rstrip(" |\t")


def _cells(line: Line) -> list[str] | None:
    """Cells of a table row (TAB or pipe separated), or None for a plain line."""
    if line.is_row:
        return line.cells
    m = _PIPE_ROW.match(line.text)
    if m and line.text.count("|") >= 1 and not _PIPE_RULE.match(line.text):
        return [c.strip() for c in m.group(1).split("|")]
    return None


class _Walk:
    """The state of one pass over a history table."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self.pending: _Row | None = None  # a date still waiting for its text
        self.cols = _Columns()
        self.warnings: list[str] = []

    @property
    def current(self) -> _Row | None:
        return self.pending or (self.rows[-1] if self.rows else None)

    def start(self, date_text: str, iso: str | None, parts: list[str], line: Line) -> None:
        self.pending = None
        if iso is None:
            self.warnings.append(f"history: impossible date {date_text!r} (page {line.page})")
        row = _Row(date_text, iso, [p for p in parts if p], line, line)
        if row.parts:
            self.rows.append(row)
        else:
            self.pending = row

    def go_on(self, text: str, line: Line) -> None:
        text = _clean(text)
        if not text:
            return
        if self.pending is not None:
            self.pending.parts.append(text)
            self.pending.last_line = line
            self.rows.append(self.pending)
            self.pending = None
        elif self.rows:
            self.rows[-1].parts.append(text)
            self.rows[-1].last_line = line

    def boundary(self) -> None:
        """A header or heading: a date waiting for text here had none."""
        self.pending = None

    def table_row(self, cells: list[str], line: Line) -> None:
        cols = _header_columns(cells)
        if cols is not None:
            self.cols = cols
            self.boundary()
            return
        dated = self._row_date(cells)
        if dated is None:
            self.go_on(" ".join(c for c in cells if c), line)
            return
        index, date_text, iso, rest = dated
        texts = {i: _clean(c) for i, c in enumerate(cells)
                 if i != index and i not in self.cols.skip and c and not _whole_date(c)}
        main = texts.pop(self.cols.summary, None) if self.cols.summary is not None else None
        parts = [p for p in (rest, main) if p]
        others = [t for _, t in sorted(texts.items()) if t]
        if main and others:
            # the summary column leads; the other columns (type of revision, reason) follow it
            parts.append("(" + "; ".join(others) + ")")
        else:
            parts.extend(others)
        self.start(date_text, iso, parts, line)

    def _row_date(self, cells: list[str]) -> tuple[int, str, str | None, str] | None:
        """(cell index, printed date, iso, text after the date in that cell) for a dated row."""
        if self.cols.date is not None and self.cols.date < len(cells):
            got = _whole_date(cells[self.cols.date])
            if got:
                return self.cols.date, got[0], got[1], ""
        for i, cell in enumerate(cells):
            if i in self.cols.skip:
                continue
            got = _whole_date(cell)
            if got:
                return i, got[0], got[1], ""
        first = next((i for i, c in enumerate(cells) if c), None)
        if first is not None:
            lead = _leading_date(cells[first])
            if lead:
                return first, lead[0], lead[1], _clean(lead[2])
        return None

    def plain_line(self, text: str, line: Line) -> None:
        if _is_plain_header(text):
            words = _words(text)
            self.cols = _Columns(date_last=words[-1] in ("date", "dates") and words[0] not in ("date", "dates"))
            self.boundary()
            return
        lead = None if self.cols.date_last else _leading_date(text)
        if lead is None and self.cols.date_last:
            lead = _trailing_date(text)
        if lead:
            self.start(lead[0], lead[1], [_clean(lead[2])] if _clean(lead[2]) else [], line)
            return
        self.go_on(text, line)


def _entry(row: _Row) -> HistoryEntry:
    summary = re.sub(r"\s+", " ", " ".join(row.parts)).strip()
    return HistoryEntry(date=row.date, date_text=row.date_text, summary=summary,
                        provenance=Provenance(page=row.line.page, start=row.line.start, end=row.last_line.end))


def extract_history(doc: Document, sections: list[SectionSpan]) -> tuple[list[HistoryEntry], list[str]]:
    """The revision-history rows, in the order printed."""
    entries: list[HistoryEntry] = []
    warnings: list[str] = []
    spans = [s for s in sections if s.kind == "history"]
    for span in spans:
        walk = _Walk()
        for line in span.lines:
            if any(p.search(line.text) for p in NOTE_LINES):
                continue
            cells = _cells(line)
            if cells is not None:
                walk.table_row(cells, line)
            else:
                walk.plain_line(line.text, line)
        entries.extend(_entry(r) for r in walk.rows)
        warnings.extend(walk.warnings)
    if spans and not entries:
        warnings.append("history: a history section was found but no dated rows could be read from it")
    return entries, warnings
