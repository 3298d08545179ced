"""Rows of the policy's own revision-history table.

Layouts seen across payers, all read by one walk over the history sections' lines:
- a table with a header row, the date first ("Date | Summary of Changes"), last ("Type of
  Revision | Summary of Changes | Date"), or after a status column ("Status | Date | Action");
  several date columns ("Effective | Signature | Approval Date"): the first is the row's date;
- the same table as a PDF text layer gives it: the header as words ("Status Date Action"),
  glued ("DateActionDescription") or one cell per line, cells wrapped onto lines of their own,
  the date alone on its line with the summary below it (or, date last, above it);
- plain lines "01/07/26 Policy edit; ...", "January 2024: Annual review";
- rows run together into one line (flattened web text, unwrapped paragraphs): a date starts a
  new row only after the end of a sentence ("... no change. 1/1/17 Routine ..."), never inside
  one ("effective 7/1/18.", "updated with 01/01/2023 CPT changes", "deleted 12/31/2012").
A row without a date continues the row above (a cell wrapped onto the next row, a row split by
a page break); header rows repeated after a page break are skipped; a date with no text under
it (a "Committee Approval Dates" list) is not a revision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import HistoryEntry, Provenance, SectionKind
from .dates import find_dates
from .document import Document, Line
from .history_columns import Columns, cell_columns, header_words_only, split_glued, text_columns, vocab_only
from .history_lines import (BULLET, LEAD_SEP, PLACEHOLDER_DATE, SENTENCE_END, Chronology, cells_of, clean,
                            date_list, is_empty_cell, is_short, part, row_start, skip_cells,
                            split_inline, takes_date, trailing_dates, unglue_dates, whole_date)
from .lexicon import is_empty_value
from .list_sections import Repeated, is_furniture, repeated_lines
from .sections import SectionSpan, match_heading


@dataclass
class _Row:
    date_text: str
    date: str | None
    parts: list[str]
    line: Line
    last_line: Line
    notes: list[str] = field(default_factory=list)  # other columns' text, read after the summary
    n_dates: int = 1  # date cells read so far (other date columns printed on lines of their own)
    open_cell: bool = False  # a narrow column before the summary may still wrap onto the next lines

    def add(self, text: str, line: Line) -> None:
        self.parts.append(text)
        self.last_line = line


class _Walk:
    """The state of one pass over a history table."""

    def __init__(self, date_last_hint: bool = False, closes: bool = False) -> None:
        self.rows: list[_Row] = []
        # dates still waiting for their text, oldest first: a loader that reads a table column by
        # column gives "June 2016", "June 2017", then "Annual review", "Annual editorial review"
        self.pending: list[_Row] = []
        self.cols = Columns()
        self.header: list[str] = []
        self.partial: list[str] | None = None  # the first row of a two-row header
        self.warnings: list[str] = []
        self.prev = ""  # the text of the line before
        self.header_buf: list[tuple[str, Line]] = []  # header cells printed one per line
        self.short_buf: list[tuple[str, Line]] = []  # status cells waiting for their row
        self.text_buf: list[tuple[str, Line]] = []  # date last: text waiting for its date
        self.after_break = False  # a header repeated after a page break was just seen
        self.tail: tuple[str, Line] | None = None  # a bare date that ended the last line
        self.date_last_hint = date_last_hint
        # date last, the date alone on a line closes its row: the text above it is the row's
        self.closes = closes

    @property
    def date_last(self) -> bool:
        return self.cols.date_last if self.cols.roles else self.date_last_hint

    # -- rows ----------------------------------------------------------------------------

    def start(self, date_text: str, iso: str | None, parts: list[str], line: Line,
              notes: list[str] | None = None, open_cell: bool = False) -> _Row:
        if iso is None and not PLACEHOLDER_DATE.match(date_text):
            self.warnings.append(f"history: impossible date {date_text!r} (page {line.page})")
        row = _Row(date_text, iso, [p for p in parts if p], line, line, list(notes or []), open_cell=open_cell)
        if row.parts:
            self.pending = []
            self.rows.append(row)
        else:
            self.pending.append(row)
        self.after_break = False
        return row

    def go_on(self, text: str, line: Line) -> None:
        text = part(text)
        if not text:
            return
        if self.pending:
            row = self.pending.pop(0)
            self._first_text(row, text, line)
            self.rows.append(row)
        elif self.rows:
            self.rows[-1].add(text, line)

    def _first_text(self, row: _Row, text: str, line: Line) -> None:
        """The first text of a row printed below its date: empty cells of the columns between
        the date and the summary ("n/a Unchanged CPT code update ...") are not its summary."""
        _, rest = skip_cells(text, self.cols) if self.cols.between else ([], text)
        row.add(rest or text, line)

    def boundary(self) -> None:
        """A header or heading: dates waiting for text here had none."""
        self.pending = []
        self.text_buf = []

    # -- table rows (cells) ----------------------------------------------------------------

    def table_row(self, cells: list[str], line: Line) -> None:
        self.flush(line)
        if self.partial is not None and vocab_only(cells):
            # a header printed over two rows ("Type of | Summary of Changes | Review" then
            # "Revision | | Date")
            top = self.partial + [""] * (len(cells) - len(self.partial))
            cells = [f"{a} {b}".strip() for a, b in zip(top, cells + [""] * (len(top) - len(cells)))]
        self.partial = None
        cols = cell_columns(cells)
        if cols is not None:
            self._set_header(cols, [c.lower() for c in cells])
            return
        if vocab_only(cells) and sum(1 for c in cells if c) > 1:
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
        texts = {i: clean(c) for i, c in enumerate(cells)
                 if i != index and roles.get(i) not in ("skip", "date", "date2") and c and not whole_date(c)
                 and not is_empty_cell(c)}
        summary_at = next((i for i, r in roles.items() if r == "summary"), None)
        order = sorted(texts)
        if (rest or texts) and not re.search(r"[^\W\d_]", " ".join([rest] + list(texts.values()))):
            return  # a date with only digits and marks beside it ("6/18/26, 17)"): page furniture
        parts = [rest] if rest and summary_at is None else []
        notes = [rest] if rest and summary_at is not None else []
        if summary_at in texts and order[0] != summary_at:
            # the summary column leads; columns printed before it (type of revision) follow it
            before = [texts[i] for i in order if i < summary_at]
            parts += [texts[summary_at]] + [texts[i] for i in order if i > summary_at]
            notes = before + notes
        else:
            parts += [texts[i] for i in order]
        more: list[str] = []
        if parts:
            # rows run together inside the last cell ("Annual review. 07/01/2016 NEW POLICY")
            order_so_far = self._chronology()
            order_so_far.add(iso)
            pieces = split_inline(parts[-1], Columns(), False, order_so_far)
            parts[-1], more = pieces[0], pieces[1:]
        self.start(date_text, iso, parts, line, notes)
        for piece in more:
            self._date_first_piece(piece, line)
            self.prev = piece

    def _set_header(self, cols: Columns, header: list[str]) -> None:
        repeated = bool(self.cols.roles) and cols.roles == self.cols.roles
        self.cols = cols
        self.header = header
        if not (repeated and self.closes):
            self.boundary()
        self.after_break = repeated

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
        """(cell index, printed date, iso, text around the date in that cell) for a dated row:
        the date column's date; when that cell is empty ("n/a"), another date column's; else the
        first date cell, or a cell that starts or ends with a date ("Updated codes 01/01/2026")."""
        for wanted in ("date", "date2"):
            for i, role in roles.items():
                if role == wanted:
                    got = whole_date(cells[i])
                    if got:
                        return i, got[0], got[1], ""
        for i, cell in enumerate(cells):
            if roles.get(i) == "skip":
                continue
            got = whole_date(cell)
            if got:
                return i, got[0], got[1], ""
        for i, cell in enumerate(cells):
            if not cell or roles.get(i) == "summary":
                continue
            found = find_dates(cell, include_invalid=True)
            if found and found[0].start == 0 and not cell[found[0].end:found[0].end + 1].isalnum():
                return i, found[0].text, found[0].iso, clean(LEAD_SEP.sub("", cell[found[0].end:]))
            if found and roles.get(i) == "lead" and found[-1].end == len(cell.rstrip()):
                return i, found[-1].text, found[-1].iso, clean(cell[:found[-1].start])
            break
        return None

    # -- plain lines -------------------------------------------------------------------------

    def plain_line(self, text: str, line: Line) -> None:
        text = unglue_dates(text.strip())
        if header_words_only(text) and not self.rows_waiting_for_text():
            self.header_buf.append((text, line))
            return
        text = self._last_header_cell(text, line)
        self.flush_header()
        head = self._header_run_into_row(text)
        if head is not None:
            self._set_header(head[0], [])
            text = head[1]
        tail = self._header_after_dates(text)
        if tail is not None:
            self.boundary()  # "08/15/19, 10/22/20, 11/18/21 Date Summary of Changes": approval dates
            self._set_header(tail, [])
            self.prev = text
            return
        if date_list(text, self.cols):
            self.boundary()
            self.prev = text
            return
        for piece in split_inline(text, self.cols, self.date_last, self._chronology()):
            if self.date_last:
                self._date_last_piece(piece, line)
            else:
                self._date_first_piece(piece, line)
            self.prev = piece

    def _last_header_cell(self, text: str, line: Line) -> str:
        """A header repeated after a page break, a cell per line, whose last cell the text layer
        ran into the row's text going on below it ("Date to align with ..."): that cell ends the
        header, the rest is text."""
        first, _, rest = text.partition(" ")
        if not self.header_buf or not rest or not self.cols.roles or not header_words_only(first):
            return text
        cells = [t for t, _ in self.header_buf]
        alone, cols = text_columns(" ".join(cells)), text_columns(" ".join([*cells, first]))
        if cols is None or cols.roles != self.cols.roles or (alone is not None and alone.roles == cols.roles):
            return text  # not the table's header, or one already whole without that word
        self.header_buf.append((first, line))
        return rest

    def _chronology(self) -> Chronology:
        order = Chronology()
        for row in self.rows[-2:]:
            order.add(row.date)
        return order

    def rows_waiting_for_text(self) -> bool:
        """A date printed alone waits for its text ("Review" under "01/01/2020" is a summary)."""
        return bool(self.pending) and not self.header_buf

    def _header_run_into_row(self, text: str) -> tuple[Columns, str] | None:
        """'Effective Date Action 08/01/2023 New policy': a header with the first row run into it."""
        found = find_dates(text, include_invalid=True)
        if not found or found[0].start == 0:
            return None
        head = text[:found[0].start].strip()
        if len(head.split()) < 2 or not header_words_only(head):
            return None
        cols = text_columns(head)
        return (cols, text[found[0].start:]) if cols else None

    def _header_after_dates(self, text: str) -> Columns | None:
        """A list of dates with the table's header run on after it."""
        found = find_dates(text, include_invalid=True)
        if len(found) < 2:
            return None
        head = text[found[-1].end:].strip()
        cols = text_columns(head) if head else None
        return cols if cols is not None and date_list(text[:found[-1].end], Columns()) else None

    def flush_header(self) -> None:
        """Lines of header words end: one header printed a cell per line, or (when they do not
        make a header) text."""
        if not self.header_buf:
            return
        buf, self.header_buf = self.header_buf, []
        cols = text_columns(" ".join(t for t, _ in buf))
        if cols is not None:
            self._set_header(cols, [])
            return
        for t, ln in buf:
            self._date_last_piece(t, ln) if self.date_last else self._date_first_piece(t, ln)
            self.prev = t

    def flush(self, line: Line | None = None) -> None:
        """Before a table row, a heading or the end: what the line buffers hold."""
        self.flush_header()
        if self.short_buf:
            buf, self.short_buf = self.short_buf, []
            for t, ln in buf:
                self.go_on(t, ln)

    def _date_first_piece(self, text: str, line: Line) -> None:
        tail, self.tail = self.tail, None
        got = row_start(text, self.cols, self.prev)
        if got is None and tail is not None and text[:1].isupper() and not self.pending:
            self._detach(*tail)
        if got is None:
            row = self.pending[-1] if self.pending else (self.rows[-1] if self.rows else None)
            if row is not None and row.open_cell and is_short(text) and (row.notes or text[:1].islower()):
                row.notes.append(clean(text))  # a narrow column wrapped onto lines of its own
                row.last_line = line
                return
            if self.cols.has_lead and is_short(text) and not self.pending:
                self.short_buf.append((text, line))  # maybe the status of the next row
                return
            self._drain_short()
            if row is not None:
                row.open_cell = False
            self.go_on(text, line)
            self._note_tail(text, line)
            return
        lead = got.lead
        if self.short_buf and not lead:
            lead = " ".join(clean(t) for t, _ in self.short_buf)
            self.short_buf = []
        self._drain_short()
        if not got.rest and self.pending and not lead and self.pending[-1].n_dates < self.cols.n_dates:
            self.pending[-1].n_dates += 1  # another date column printed on its own line
            return
        notes = ([lead] if lead else []) + [e for e in got.extras if re.search(r"[A-Za-z]", e)]
        rest = part(got.rest)
        if got.extras and rest[:1].islower():
            # "Revised 04/21/2025 11/15/2025 except for": the date cell before the summary wraps
            notes.append(rest)
            rest = ""
        self.start(got.date.text, got.date.iso, [rest] if rest else [], line, notes,
                   open_cell=bool(got.extras) and not rest)
        if rest:
            self._note_tail(rest, line)

    def _note_tail(self, text: str, line: Line) -> None:
        """A line of a row's text that ends with a bare date ("Coding update 03/01/2023"): when
        the next line is text, not a row, that date was the next row's, its line joined to this
        one (an unwrapped paragraph, a flattened page)."""
        got = trailing_dates(text)
        if got is None or not got[1] or not self.rows or text.rstrip()[-1:] in ".,;:)":
            return
        order = self._chronology()
        if order.direction and not order.follows(got[0].iso):
            return  # out of the table's order: a date of the text ("... updated 2026-01-01")
        self.tail = (text[got[0].start:].strip(), line)

    def _detach(self, tail: str, line: Line) -> None:
        row = self.rows[-1]
        if not row.parts or not row.parts[-1].endswith(tail):
            return
        row.parts[-1] = row.parts[-1][:-len(tail)].rstrip()
        got = row_start(tail, self.cols, "")
        if got is not None:
            self.start(got.date.text, got.date.iso, [], line)

    def _drain_short(self) -> None:
        buf, self.short_buf = self.short_buf, []
        for t, ln in buf:
            self.go_on(t, ln)

    def _date_last_piece(self, text: str, line: Line) -> None:
        got = trailing_dates(text)
        if got is None:
            last = self.rows[-1].parts[-1] if self.rows and self.rows[-1].parts else ""
            broke = self.after_break or (bool(self.rows) and not self.text_buf and line.page is not None
                                         and line.page != self.rows[-1].last_line.page)
            if broke and self.rows and (BULLET.match(text) or text[:1].islower()
                                        or (last and not SENTENCE_END.search(last))):
                # the row above went on after the page break: its text had not ended ("... under
                # AR-V7" / its date / the break / "Androgen Receptor ...")
                self.rows[-1].add(part(text), line)
                self.after_break = True  # ... until its text ends
                return
            self.after_break = False
            if self.closes:
                self.text_buf.append((text, line))
            elif self.rows:
                self.rows[-1].add(part(text), line)
            return
        date, before = got
        buf, self.text_buf = self.text_buf, []
        texts = [part(t) for t, _ in buf] + ([part(before)] if before else [])
        first = buf[0][1] if buf else line
        if not self.closes and buf and self.rows:
            for t, ln in buf:
                self.rows[-1].add(part(t), ln)
            texts, first = [part(before)] if before else [], line
        texts = [t for t in texts if t]
        if not texts:
            self.start(date.text, date.iso, [], line)  # its text follows
            return
        row = self.start(date.text, date.iso, texts, first)
        row.last_line = line


def _entry(row: _Row) -> HistoryEntry:
    parts = list(row.parts)
    if parts and parts[0].startswith("\u2022 ") and "\u2022" not in " ".join(parts)[1:]:
        parts[0] = parts[0][2:]  # one bullet is layout; several make a list
    parts += ["(" + "; ".join(row.notes) + ")"] if row.notes else []
    summary = re.sub(r"\s+", " ", " ".join(parts)).strip()
    return HistoryEntry(date=row.date, date_text=row.date_text, summary=summary,
                        provenance=Provenance(page=row.line.page, start=row.line.start, end=row.last_line.end))


def _only_header_words(span: SectionSpan) -> bool:
    return all(header_words_only(ln.text) for ln in span.lines)


def _wrapped_cell_heading(group: list[SectionSpan], span: SectionSpan) -> bool:
    """A line of a wrapped summary cell taken for a heading: the table's text stops mid-sentence,
    the 'heading' is no known one and the line under it carries on in lower case."""
    last = next((ln.text.strip() for s in reversed(group) for ln in reversed(s.lines)), "")
    first = span.lines[0].text.strip() if span.lines else ""
    heading = span.heading or ""
    if heading.rstrip().endswith(",") or takes_date(heading + " "):
        return bool(last)  # no heading ends on "and" or a comma: "Description/Scope, Rationale, and"
    return (bool(last) and bool(first) and not SENTENCE_END.search(last) and not last.endswith(":")
            and match_heading(heading) is None and (first[0].islower() or first[0] == "("))


def _groups(sections: list[SectionSpan], repeated: Repeated) -> list[list[SectionSpan]]:
    """History sections that follow one another make one table (a sub-heading inside it, or its
    header repeated after a page break and taken for a heading). The table also goes on through
    sections headed by a header cell printed on a line of its own ("Policy", "Date", "Comments")
    and through page furniture taken for headings (a running title after a page break)."""
    groups: list[list[SectionSpan]] = []
    open_ = False
    header_only = False  # the group so far holds header cells only: more may follow as headings
    for s in sections:
        heading = (s.heading_line.text.strip() if s.heading_line else "")
        if s.kind == "history":
            if open_ and groups:
                groups[-1].append(s)
            else:
                groups.append([s])
            open_ = True
            header_only = _only_header_words(s)
            continue
        if open_ and heading and (heading in repeated or (header_only and header_words_only(heading))
                                  or _wrapped_cell_heading(groups[-1], s)):
            groups[-1].append(s)
            header_only = header_only and _only_header_words(s)
            continue
        open_ = False
    return groups


def _plain_texts(group: list[SectionSpan]) -> list[str]:
    return [ln.text for s in group for ln in s.lines if "\t" not in ln.text]


def _orientation(group: list[SectionSpan]) -> tuple[bool, bool]:
    """(date last, a date alone closes its row) guessed from the lines when no header says so:
    more lines end with a date than start with one."""
    starts = ends = alone = 0
    for text in _plain_texts(group) + [s.heading or "" for s in group]:
        s = BULLET.sub("", text.strip())
        found = find_dates(s)
        if not found:
            continue
        whole = whole_date(s) or _date_cells_only(s, found)
        if whole:
            alone += 1
        elif found[0].start == 0:
            starts += 1
        elif trailing_dates(s):
            ends += 1
    return ends > starts and ends >= 2, alone > 0


def _date_cells_only(text: str, found) -> bool:
    """A line of a row's date cells and nothing else ("10/23 10/23": revision and approval dates)."""
    rest = text
    for d in reversed(found):
        rest = rest[:d.start] + rest[d.end:]
    return len(found) <= 3 and not rest.strip()


def _is_history_header(text: str) -> bool:
    cells = cells_of(text)
    cols = cell_columns(cells) if cells else text_columns(split_glued(text.strip()))
    return cols is not None and "date" in cols.roles and "summary" in cols.roles


def _table_without_heading(span: SectionSpan) -> SectionSpan | None:
    """A revision table whose heading was lost (run into the paragraph before it: "... all
    products available. Document History"): its header row ("StatusDateAction") with a dated
    row under it starts a history table in whatever section it landed in."""
    if span.kind == "archive":
        return None
    lines = span.lines
    for i, line in enumerate(lines[:-1]):
        if not _is_history_header(line.text):
            continue
        cols = text_columns(split_glued(line.text.strip())) or Columns()
        nxt = unglue_dates(lines[i + 1].text.strip())
        if row_start(nxt, cols, "") is not None or whole_date(nxt):
            return SectionSpan(None, SectionKind.HISTORY, 1, None, lines[i:])
    return None


def _heading_of(span: SectionSpan) -> tuple[str, Line] | None:
    if span.heading_line is None:
        return None
    return span.heading_line.text, span.heading_line


def _heading_names_a_column(heading: str, span: SectionSpan) -> bool:
    """The heading is the first cell of a header whose other cells follow one per line: the
    cells below name no summary column, the heading with them does."""
    cells = []
    for ln in span.lines:
        t = ln.text.strip()
        if "\t" in t or not header_words_only(t):
            break
        cells.append(t)
    if not cells or not header_words_only(heading):
        return False
    below = text_columns(" ".join(cells))
    joined = text_columns(split_glued(" ".join([heading, *cells])))
    return (below is None or "summary" not in below.roles) and joined is not None and \
        {"date", "summary"} <= set(joined.roles)


def _walk_group(group: list[SectionSpan], repeated: Repeated) -> _Walk:
    date_last, alone = _orientation(group)
    walk = _Walk(date_last_hint=date_last, closes=alone)
    for span in group:
        head = _heading_of(span)
        if head is not None and head[0].strip() not in repeated:
            text, line = head
            rule = match_heading(text)
            if text_columns(split_glued(text)) is None and rule is not None and rule.kind == "history":
                walk.flush()
                walk.boundary()
                if _heading_names_a_column(text, span):
                    # "Reviews, Revisions, and Approvals Revision" over "Date" / "Approval" / "Date":
                    # the heading is the first of the header's cells printed one per line
                    walk.header_buf.append((text, line))
            else:
                # a header taken for a heading, or a sub-heading inside the table ("Template Update")
                walk.plain_line(text, line)
        for line in span.lines:
            text = line.text
            if is_furniture(text.strip()) or text.strip() in repeated or re.fullmatch(r"\s*[^\W\d_]\s*", text):
                continue  # furniture; a letter alone on its line is a stray glyph of the text layer
            cells = cells_of(text)
            if cells is not None:
                walk.table_row(cells, line)
            else:
                walk.plain_line(text, line)
    walk.flush()
    return walk


def extract_history(doc: Document, sections: list[SectionSpan]) -> tuple[list[HistoryEntry], list[str]]:
    """The revision-history rows, in the order printed."""
    entries: list[HistoryEntry] = []
    warnings: list[str] = []
    # a table header repeated after each page break is read as a header, not dropped
    repeated = repeated_lines(doc, sections, "history", keep=header_words_only)
    groups = _groups(sections, repeated)
    grouped = {id(s) for g in groups for s in g}
    groups += [[t] for t in (_table_without_heading(s) for s in sections if id(s) not in grouped) if t]
    for group in groups:
        walk = _walk_group(group, repeated)
        entries.extend(_entry(r) for r in walk.rows)
        warnings.extend(walk.warnings)
    if not entries and any(not is_empty_value(ln.text) for g in groups for s in g for ln in s.lines):
        warnings.append("history: a history section was found but no dated rows could be read from it")
    return entries, warnings
