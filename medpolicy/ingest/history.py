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
# A date not filled in on a template ("MM/DD/YYYY", "__/__/__"): a row with no date.
PLACEHOLDER_DATE = re.compile(r"^(?:[M_X]{1,2}|mm|xx)[/.\-](?:[D_X]{1,2}|dd|xx)[/.\-](?:[Y_X]{2,4}|yy|yyyy|xx|xxxx)$"
                              r"|^(?:[M_X]{1,2}|mm)[/.\-](?:[Y_X]{2,4}|yy|yyyy)$")
# Page furniture or boilerplate that may sit under the table in the same section.
FURNITURE_LINES = [
    re.compile(r"\u00a9|\(c\)\s*\d{4}|\ball rights reserved\b|\bproprietary information\b", re.I),
    re.compile(r"^page\s+\d+(?:\s+of\s+\d+)?$", re.I),
    # a running header left in the text: "Subject: Drug X    Page: 6 of 7"
    re.compile(r"^.{0,60}\bpage:?\s*\d+\s+of\s+\d+\s*$", re.I),
]
# What a history section prints when it has no rows.
_EMPTY = re.compile(r"^(?:n/?a|none|not\s+applicable)\.?$", re.I)
_BULLET = re.compile(r"^(?:[-\u2022\u25aa\u25cf\u25e6\u00b7\u2013o]\s+)+")
_PIPE_ROW = re.compile(r"^\s*\|?(.+?\|.+?)\|?\s*$")
_PIPE_RULE = re.compile(r"^[\s|:\-]+$")
_LEAD_SEP = re.compile(r"^[\s:;|\-\u2013\u2014]+")


@dataclass
class _Columns:
    """Column roles read from the last header row: one role per filled header cell, in order
    ('date', 'summary', 'skip' or 'other'), and the raw cell count, so that a data row can be
    matched to them by its filled cells or by position."""

    roles: list[str] = field(default_factory=list)
    raw: dict[int, str] = field(default_factory=dict)
    width: int = 0

    @property
    def date_last(self) -> bool:
        return len(self.roles) > 1 and self.roles[-1] == "date" and self.roles[0] != "date"

    def of(self, cells: list[str]) -> dict[int, str]:
        """Role of each cell of a data row (empty when the row does not line up)."""
        filled = [i for i, c in enumerate(cells) if c]
        if self.roles and len(filled) == len(self.roles):
            return dict(zip(filled, self.roles))
        if self.width and len(cells) == self.width:
            return dict(self.raw)
        return {}


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


def _vocab_only(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(not re.search(r"\d", c) and _words(c) and
                                all(w.strip(".") in HEADER_VOCAB for w in _words(c)) for c in filled)


def _header_columns(cells: list[str]) -> _Columns | None:
    """Column roles when the row is a header row, else None."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled or any(re.search(r"\d", c) or not _words(c) for _, c in filled):
        return None
    has_date_column = any(DATE_COLUMN.search(c) for _, c in filled)
    if not all(_is_header_cell(c) or (has_date_column and all(w.strip(".") in HEADER_VOCAB for w in _words(c)))
               for _, c in filled):
        return None
    role = {i: "other" for i, _ in filled}
    for i, c in filled:
        low = c.lower()
        if DATE_COLUMN.search(c) and not any(w in low for w in SUMMARY_COLUMN_WORDS[:5]):
            # a second date column (an approval date) is not the revision date
            role[i] = "date" if "date" not in role.values() else "skip"
        elif NUMBER_COLUMN.search(c) and not any(w in low for w in SUMMARY_COLUMN_WORDS[:5]):
            role[i] = "skip"
    for word in SUMMARY_COLUMN_WORDS:
        hit = next((i for i, c in filled if word in c.lower() and role[i] == "other"), None)
        if hit is not None:
            role[hit] = "summary"
            break
    return _Columns(roles=[role[i] for i, _ in filled], raw=role, width=len(cells))


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
    if PLACEHOLDER_DATE.match(s):
        return s, None
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


def _cells(line: Line, text: str) -> list[str] | None:
    """Cells of a table row (TAB or pipe separated), or None for a plain line."""
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    m = _PIPE_ROW.match(text)
    if m and not _PIPE_RULE.match(text):
        return [c.strip() for c in m.group(1).split("|")]
    return None


class _Walk:
    """The state of one pass over a history table."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        # dates still waiting for their text, oldest first: a loader that reads a table column by
        # column gives "June 2016", "June 2017", then "Annual review", "Annual editorial review"
        self.pending: list[_Row] = []
        self.cols = _Columns()
        self.header: list[str] = []
        self.partial: list[str] | None = None  # the first row of a two-row header
        self.warnings: list[str] = []

    def start(self, date_text: str, iso: str | None, parts: list[str], line: Line) -> None:
        if iso is None and not PLACEHOLDER_DATE.match(date_text):
            self.warnings.append(f"history: impossible date {date_text!r} (page {line.page})")
        row = _Row(date_text, iso, [p for p in parts if p], line, line)
        if row.parts:
            self.pending = []
            self.rows.append(row)
        else:
            self.pending.append(row)

    def go_on(self, text: str, line: Line) -> None:
        text = _clean(text)
        if not text:
            return
        if self.pending:
            row = self.pending.pop(0)
            row.parts.append(text)
            row.last_line = line
            self.rows.append(row)
        elif self.rows:
            self.rows[-1].parts.append(text)
            self.rows[-1].last_line = line

    def boundary(self) -> None:
        """A header or heading: dates waiting for text here had none."""
        self.pending = []

    def table_row(self, cells: list[str], line: Line) -> None:
        if self.partial is not None and _vocab_only(cells):
            # a header printed over two rows ("Type of | Summary of Changes | Review" then
            # "Revision | | Date")
            top = self.partial + [""] * (len(cells) - len(self.partial))
            cells = [f"{a} {b}".strip() for a, b in zip(top, cells + [""] * (len(top) - len(cells)))]
        self.partial = None
        cols = _header_columns(cells)
        if cols is not None:
            self.cols = cols
            self.header = [c.lower() for c in cells]
            self.boundary()
            return
        if _vocab_only(cells) and sum(1 for c in cells if c) > 1:
            self.partial = cells
            return
        glued = self._after_repeated_header(cells)
        if glued is not None:
            # a header repeated after a page break with the row's wrapped text run into it
            self.boundary()
            self.go_on(glued, line)
            return
        roles = self.cols.of(cells)
        dated = self._row_date(cells, roles)
        if dated is None:
            self.go_on(" ".join(c for c in cells if c), line)
            return
        index, date_text, iso, rest = dated
        texts = {i: _clean(c) for i, c in enumerate(cells)
                 if i != index and roles.get(i) not in ("skip", "date") and c and not _whole_date(c)}
        summary_at = next((i for i, r in roles.items() if r == "summary"), None)
        order = sorted(texts)
        if (rest or texts) and not re.search(r"[^\W\d_]", " ".join([rest] + list(texts.values()))):
            return  # a date with only digits and marks beside it ("6/18/26, 17)"): page furniture
        parts = [rest] if rest else []
        if summary_at in texts and order[0] != summary_at:
            # the summary column leads; columns printed before it (type of revision) follow it
            before = [texts[i] for i in order if i < summary_at]
            parts += [texts[summary_at]] + [texts[i] for i in order if i > summary_at]
            parts.append("(" + "; ".join(before) + ")")
        else:
            parts += [texts[i] for i in order]
        self.start(date_text, iso, parts, line)

    def _after_repeated_header(self, cells: list[str]) -> str | None:
        """The text after the header when a row repeats the header's cells and runs on."""
        head = self.header
        if not head or len(cells) < len(head):
            return None
        low = [c.lower() for c in cells]
        n = len(head)
        if low[:n - 1] != head[:n - 1] or not low[n - 1].startswith(head[n - 1]) or low[n - 1] == head[n - 1]:
            return None
        return " ".join([cells[n - 1][len(head[n - 1]):]] + cells[n:])

    def _row_date(self, cells: list[str], roles: dict[int, str]) -> tuple[int, str, str | None, str] | None:
        """(cell index, printed date, iso, text after the date in that cell) for a dated row."""
        for i, role in roles.items():
            if role == "date":
                got = _whole_date(cells[i])
                if got:
                    return i, got[0], got[1], ""
        for i, cell in enumerate(cells):
            if roles.get(i) == "skip":
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
            first = "date" if words[0] in ("date", "dates") else "other"
            last = "date" if words[-1] in ("date", "dates") else "other"
            self.cols = _Columns(roles=[first, last])
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
            text = line.text
            if any(p.search(text) for p in FURNITURE_LINES):
                continue
            cells = _cells(line, text)
            if cells is not None:
                walk.table_row(cells, line)
            else:
                walk.plain_line(text, line)
        entries.extend(_entry(r) for r in walk.rows)
        warnings.extend(walk.warnings)
    if not entries and any(not _EMPTY.match(ln.text.strip()) for s in spans for ln in s.lines):
        warnings.append("history: a history section was found but no dated rows could be read from it")
    return entries, warnings
