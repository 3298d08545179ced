"""Billing and diagnosis codes: the policy's code tables and labelled code lists.

Where codes are read:
- a **coding section** and the sections after it that continue its table: a heading the rules do
  not know (a test name, a running header or a table cell that the layout took for a heading), a
  column header ("Description"), or a section that opens with a code row (a table continued after
  a page break). The table ends at a heading of another kind or at a revision table's header row;
- outside coding sections, a **labelled block**: it starts at a system label ("CPT", "ICD-10-CM
  Diagnosis Codes", "Established codes:"), a header whose last column holds the codes, a row led
  by its label ("HCPCS J3490 ...") or a row of several codes alone, and runs while its lines are
  codes, their descriptions, headers or further labels;
- anywhere but history, references and tables of contents, a code right after its label in
  running text ("Procedure Codes 0005U, 0019U", "CPT 0015U").

A related policy's number is never a code: ids such as "GENE.00052" or "AHS-M2178" are not code
tokens (code_scan reads a token only where it is not part of a longer id or number).

A code named in prose, a history row or a reference is not one of the policy's codes (code_scan
says which tokens are mentions). When the coding sections list codes of a system, blocks of that
system elsewhere (example-test tables, lists in the policy text) are examples: the coding section
is the policy's list.

The system of a code comes from the nearest label (a heading "CPT Codes", a label row "CPT" carried
down a grouped table, a header cell "ICD-10-CM Diagnosis Codes") when the code has that system's
shape, else from the code's shape alone.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..models import Code, CodeSystem, Provenance
from .code_scan import (ANY, IGNORE, Scan, clean, grid, is_header, is_history_header, is_mark_line,
                        is_placeholder, is_status, label_system, parse_code_cell, scan_line, system_of)
from .document import Document, Line
from .sections import SectionSpan, match_heading

__all__ = ["extract_codes", "label_system", "parse_code_cell", "system_of"]

# A section under an unknown heading continues a code table when a code row shows within this
# many lines (a test name or a running header taken for a heading sits between table rows; a
# discussion under its own heading does not start with codes).
CONTINUATION_LINES = 12
# Lines printed this many times in a document are running headers and footers: they do not count
# among those lines.
FURNITURE_REPEATS = 3
# A capitalised line of at most this many words inside a code list names a group of codes.
GROUP_NAME_MAX_WORDS = 5
# A description that goes on longer than this is no longer one code's description; its wrap is
# judged on its last characters.
DESCRIPTION_MAX_CHARS = 1500
DESCRIPTION_TAIL = 200
# Where codes come last in their rows, a name printed over more lines than this is not one name.
NAME_MAX_LINES = 4
# Sections whose lines are never the policy's codes.
EXCLUDED_KINDS = {"history", "references", "toc", "archive"}
_SHAPED = re.compile(r"\b(?:\d{4}[0-9FTU]|[A-Z]\d{4}|[A-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4})\b")
# "C34.10 -" / "C34.12": a range printed over two lines
_OPEN_RANGE = re.compile(r"[A-Z0-9]{3,7}(?:\.[A-Z0-9]{1,4})?\s*[-\u2010-\u2014]\s*$")
_STARTS_CODE = re.compile(r"^\s*[A-Z0-9]{3,7}(?:\.[A-Z0-9]{1,4})?(?![\w.])")
_CONNECTOR_END = re.compile(r"(?:[,;(\[/-]|\b(?:and|or|of|the|in|with|for|to|a|an|by|on|at|as|from))$", re.I)


@dataclass
class _Found:
    system: str
    code: str
    code_end: str | None
    description: str | None
    line: Line


@dataclass
class _Table:
    """Where a walk through a code table stands: the label context, whether the codes come last
    in their rows, and the last rows (whose description may go on in the next lines)."""

    context: str | None
    code_last: bool = False
    last: list[_Found] = field(default_factory=list)
    pending: bool = False  # the last row was a code printed alone: its description comes next
    closed: bool = False  # a status column came after the description: it is complete
    names: list[str] = field(default_factory=list)  # name lines waiting for their code (codes last)

    def add(self, found: list[_Found], scan: Scan, line: Line) -> None:
        self.last = []
        for row in scan.rows:
            desc = row.description or None
            if self.code_last:  # "Test name ... 0485U": the name before the code describes it
                desc = " ".join([*self.names, row.name]).strip() or None
                self.names = []
            rows = [_Found(system, a, b, desc, line) for system, a, b in row.codes]
            found.extend(rows)
            self.last = rows
        self.pending = not self.code_last and len(scan.rows) == 1 and len(self.last) == 1 \
            and not self.last[0].description
        self.closed = False

    def describe(self, text: str) -> bool:
        """Add a line to the last rows' description when it belongs there."""
        if not self.last or self.closed:
            return False
        desc = self.last[0].description
        if not (self.pending or (desc and _continues(desc, text))):
            return False
        for f in self.last:
            f.description = f"{desc} {text}" if desc else text
        self.pending = False
        return True


def _continues(desc: str, text: str) -> bool:
    """A wrapped description: it stops mid-phrase or the next line starts in lower case."""
    if len(desc) >= DESCRIPTION_MAX_CHARS:
        return False
    tail = desc[-DESCRIPTION_TAIL:]
    return bool(_CONNECTOR_END.search(tail)) or tail.count("(") > tail.count(")") or text[:1].islower() \
        or text[:1] in "([" or desc.endswith("-")


def _set_context(table: _Table, label: str) -> None:
    # A generic "Group 1 Codes" must not undo a specific "ICD-10-CM Codes" above it.
    if label != ANY or table.context in (None, ANY, IGNORE):
        table.context = label
    table.last = []
    table.names = []
    table.pending = False


# -- one line ------------------------------------------------------------------------------------

def _read(line: Line, text: str, table: _Table, found: list[_Found]) -> str:
    """Read one line of a table; returns what it was: 'code', 'label', 'header', 'desc', 'skip'
    (marks, placeholders, status values) or 'text'."""
    if line.is_row:
        kind = _row(line, table, found)
        if kind != "text":
            return kind
    context = None if table.context == IGNORE else table.context
    scan = scan_line(text, context, table=True, code_last=table.code_last)
    if scan.kind == "code":
        if table.context != IGNORE:
            if scan.label:
                _set_context(table, scan.label)
            table.add(found, scan, line)
        return "code"
    if scan.kind == "label":
        _set_context(table, scan.label)
        table.code_last = scan.code_last or (table.code_last and scan.label != IGNORE)
        return "label"
    if scan.kind in ("mark", "header"):
        return "skip" if scan.kind == "mark" else "header"
    if scan.kind == "placeholder" or is_status(text):
        table.pending = False
        table.closed = True
        return "skip"
    if table.code_last and not _sentence(text):
        table.names = [*table.names[-(NAME_MAX_LINES - 1):], clean(text)]
        return "desc"
    if table.describe(clean(text)):
        return "desc"
    return "text"


def _row(line: Line, table: _Table, found: list[_Found]) -> str:
    """A table row from a loader that knows the cells: codes in the first cell (or, in a table
    whose codes come last, in a later cell), a label cell, a header, or a description continued
    in a row with an empty first cell."""
    cells = [clean(c) for c in line.cells]
    while cells and not cells[-1]:
        cells.pop()
    first_empty = bool(cells) and not cells[0]
    cells = [c for c in cells if c] if first_empty else cells
    if not cells:
        return "header"
    context = None if table.context == IGNORE else table.context
    codes = parse_code_cell(cells[0], context)
    if codes:
        if table.context == IGNORE:
            return "code"
        rest = [parse_code_cell(c, context) for c in cells[1:]]
        if rest and all(rest):
            for more in rest:  # a grid of codes, several to a row, no descriptions
                codes = codes + more
            _emit(found, table, codes, "", line)
        else:
            _emit(found, table, codes, " ".join(c for c, r in zip(cells[1:], rest) if not r), line,
                  extra=[t for r in rest if r for t in r])
        return "code"
    if is_header(" ".join(cells)) or all(is_header(c) for c in cells):
        return "header"
    label = label_system(cells[0])
    if label is not None:
        _set_context(table, label)
        if len(cells) > 1 and label != IGNORE:
            codes = parse_code_cell(cells[1], table.context)
            if codes:
                _emit(found, table, codes, " ".join(cells[2:]), line)
                return "code"
        return "label"
    later = [(i, parse_code_cell(c, context)) for i, c in enumerate(cells) if i]
    later = [(i, r) for i, r in later if r]
    if later and table.context != IGNORE:
        # "Test name | 0239U | C15, C16": a table whose codes follow the name
        _emit(found, table, [t for _, r in later for t in r],
              " ".join(c for i, c in enumerate(cells) if i not in dict(later)), line)
        return "code"
    if first_empty and table.last:
        text = " ".join(cells)
        for f in table.last:
            f.description = f"{f.description} {text}" if f.description else text
        return "desc"
    return "text"


def _emit(found: list[_Found], table: _Table, codes, description: str, line: Line, extra=()) -> None:
    desc = re.sub(r"\s+", " ", description).strip(" -\u2013:;") or None
    if desc and is_placeholder(desc):
        table.last = []
        return
    rows = [_Found(system, a, b, desc, line) for system, a, b in [*codes, *extra]]
    found.extend(rows)
    table.last = rows
    table.pending = False


def _texts(lines: list[Line]) -> list[tuple[Line, str]]:
    """The lines to read, with a range printed over two lines ("C34.10 -" / "C34.12") joined, and
    mark lines (a lone "®", a dagger, a stray watermark letter) dropped."""
    out: list[tuple[Line, str]] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        text = line.text
        if not line.is_row and is_mark_line(text):
            continue
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if not line.is_row and _OPEN_RANGE.search(clean(text)[-24:]) and _STARTS_CODE.match(clean(nxt)):
            text = clean(text) + clean(nxt)
            skip = True
        out.append((line, text))
    return out


# -- sections ------------------------------------------------------------------------------------

def _continues_table(span: SectionSpan, furniture: frozenset[str]) -> bool:
    """A section right after a code table that is still that table: its heading is a column
    header, or its first line is a code row, or its heading is not a known section heading and
    the section looks like table rows (a code within its first lines, or only a few lines)."""
    texts = [(line, text) for line, text in _texts(span.lines) if text not in furniture]
    if span.heading is not None and is_header(span.heading):
        return True
    for line, text in texts[:1]:
        scan = scan_line(text, None, table=True)
        if scan.kind == "code" and scan.rows[0].lead in ("start", "label"):
            return True
    if span.heading is not None and match_heading(span.heading) is not None:
        return False
    if len(texts) < CONTINUATION_LINES:
        return True
    first = ([span.heading] if span.heading else []) + [t for _, t in texts[:CONTINUATION_LINES]]
    return any(scan_line(t, None, table=True).kind == "code" for t in first)


def _section_lines(span: SectionSpan, in_table: bool) -> list[Line]:
    """A section's lines to read, its heading first when it is part of a table (a test name with
    its code, "HCPCS S3854", "Caris Assure0485U")."""
    if in_table and span.heading_line is not None:
        return [span.heading_line, *span.lines]
    return span.lines


def _coding(span: SectionSpan, table: _Table | None, found: list[_Found]) -> _Table | None:
    """Read a coding section (or a section continuing its table); None when a revision table
    starts inside it."""
    if table is None:
        table = _Table(label_system(span.heading) if span.heading else None)
    elif span.heading and (head := label_system(span.heading)) is not None:
        _set_context(table, head)
    lines = span.lines if span.kind == "coding" and match_heading(span.heading or "") else \
        _section_lines(span, True)
    for line, text in _texts(lines):
        if is_history_header(text):
            return None
        _read(line, text, table, found)
    return table


def _block_start(line: Line, text: str, prev_text: str, found: list[_Found]) -> tuple[_Table | None, Scan]:
    """The table a line opens outside coding sections (with the codes it already holds), and the
    line read as running text (for its labelled codes when it opens nothing)."""
    plain = scan_line(text, None, table=False)
    if line.is_row:
        probe, scratch = _Table(None), []
        kind = _row(line, probe, scratch)
        if (kind == "label" and probe.context not in (None, IGNORE)) or (
                kind == "code" and probe.context not in (None, ANY, IGNORE)):
            found.extend(scratch)
            return probe, plain
    scan = scan_line(text, None, table=True)
    if scan.kind == "label" and scan.label not in (None, IGNORE):
        return _Table(scan.label, code_last=scan.code_last), plain
    labelled = plain.kind == "code" and plain.rows[0].lead == "label" and plain.label not in (None, ANY)
    if labelled or (grid(scan) and not _mid_sentence(prev_text)):
        table = _Table(plain.label if labelled else None)
        table.add(found, plain if labelled else scan, line)
        return table, Scan("text")
    return None, plain


def _inline(line: Line, scan: Scan, found: list[_Found]) -> None:
    """Codes right after their label in running text ("Procedure Codes 0005U, 0019U")."""
    if scan.kind == "code":
        for row in scan.rows:
            found.extend(_Found(s, a, b, row.description or None, line) for s, a, b in row.codes)


def _other(span: SectionSpan, table: _Table | None, blocks: list[_Found], inline: list[_Found]) -> _Table | None:
    """Outside coding sections: labelled blocks, and labelled codes in running text."""
    continued = table is not None
    head = label_system(span.heading) if span.heading else None
    if head not in (None, IGNORE) and not continued:
        table = _Table(head)  # "ICD-10-CM Diagnosis Codes" as a heading opens a block
    lines = _section_lines(span, continued)
    prev_text = ""
    for line, text in _texts(lines):
        if table is None:
            table, plain = _block_start(line, text, prev_text, blocks)
            if table is None:
                _inline(line, plain, inline)
        elif is_history_header(text):
            table = None
        else:
            kind = _read(line, text, table, blocks)
            if kind == "text" and not _group_name(text):
                table = None
                _inline(line, scan_line(text, None, table=False), inline)
        prev_text = text
    return table


def _mid_sentence(text: str) -> bool:
    """A line that stops in the middle of a sentence ("Routine maintenance, codes"): a list of
    codes on the next line is part of that sentence, not a table."""
    s = clean(text)
    words = s[-40:].split()
    return bool(s) and (bool(_CONNECTOR_END.search(s[-20:])) or s.endswith(",") or (
        len(words) >= 3 and words[-1].isalpha() and words[-1].islower()))


def _group_name(text: str) -> bool:
    """A short capitalised line between code rows ("Genetic Counseling"): the name of the group of
    codes that follows, not the end of the list."""
    s = clean(text)
    return 0 < len(s.split()) <= GROUP_NAME_MAX_WORDS and s[:1].isupper() and not s.endswith((".", ":", ";"))


def _sentence(text: str) -> bool:
    s = clean(text)
    return len(s.split()) >= 8 and (s.endswith((".", ":")) or bool(re.search(r"[a-z]\. [A-Z]", s)))


def extract_codes(doc: Document, sections: list[SectionSpan]) -> tuple[list[Code], list[str]]:
    """The policy's codes, deduplicated by (system, code, code_end), in document order."""
    coding: list[_Found] = []
    blocks: list[_Found] = []
    inline: list[_Found] = []
    table: _Table | None = None
    origin = None  # "coding" or "block": where the open table started
    # lines printed again and again (running headers and footers) say nothing about a table
    counts = Counter(ln.text for ln in doc.lines)
    furniture = frozenset(t for t, n in counts.items() if n >= FURNITURE_REPEATS)
    for span in sections:
        if span.kind in EXCLUDED_KINDS:
            table = origin = None
        elif span.kind == "coding" or (origin == "coding" and _continues_table(span, furniture)):
            table = _coding(span, table if origin == "coding" else None, coding)
            origin = "coding" if table is not None else None
        else:
            going_on = origin == "block" and _continues_table(span, furniture)
            table = _other(span, table if going_on else None, blocks, inline)
            origin = "block" if table is not None else None
    # the coding section is the policy's list of the systems it names; a block elsewhere of the same
    # system is an example table ("Example Tests (Labs) | Common CPT Codes")
    listed = {f.system for f in coding}
    found = sorted(coding + [f for f in blocks if f.system not in listed] + inline, key=lambda f: f.line.start)
    codes = _dedupe(found)
    warnings: list[str] = []
    if not codes and any(s.kind == "coding" and any(_SHAPED.search(ln.text) for ln in s.lines) for s in sections):
        # a coding section that prints something shaped like a code, yet no code row was read
        warnings.append("codes: a coding section shows codes but none could be read from it")
    return codes, warnings


def _dedupe(found: list[_Found]) -> list[Code]:
    codes: list[Code] = []
    index: dict[tuple[str, str, str | None], Code] = {}
    for f in found:
        key = (f.system, f.code, f.code_end)
        if key in index:
            if index[key].description is None and f.description:
                index[key].description = f.description
            continue
        code = Code(system=CodeSystem(f.system), code=f.code, code_end=f.code_end, description=f.description,
                    provenance=Provenance(page=f.line.page, start=f.line.start, end=f.line.end))
        index[key] = code
        codes.append(code)
    return codes
