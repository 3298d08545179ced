"""Billing and diagnosis codes from a policy's code tables.

Codes come only from coding sections and from code tables elsewhere that announce themselves
with a system label ("CPT", "HCPCS J3490 ...", "ICD10-PCS" then rows). A code named in a
history row or in prose is not one of the policy's codes, so every code must lead its row:
first cell of a table row, first token of a line, or right after a system label.

The system of a code comes from the nearest label (a heading "CPT Codes", a label row "CPT" carried
down a grouped table, a header cell "ICD-10-CM Diagnosis Codes") when the code has that system's
shape, else from the code's shape alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..codesystems import CM, CPT, HCPCS, LABELLED_SHAPES, PCS, SHAPES
from ..models import Code, CodeSystem, Provenance
from .document import Document, Line
from .sections import SectionSpan

ICD10 = "ICD-10"  # a label that does not say CM or PCS: decided by shape
ANY = "ANY"  # a codes label with no system ("Policy Applicable Codes", "CPT/HCPCS")
IGNORE = "IGNORE"  # tables of things that are not codes of the four systems

# Labels that name code lists which are not CPT/HCPCS/ICD-10 codes; checked first, so that
# "CPT/HCPCS Modifiers" and "Revenue Codes" rows (e.g. "99999 Not Applicable") are skipped.
NON_SYSTEM_LABELS = re.compile(
    r"modifier|revenue|bill\s*type|type\s+of\s+bill|place\s+of\s+service|\bPOS\b|\bNDC\b|\bDRG\b|"
    r"\bMS-DRG\b|HIPPS|taxonomy|condition\s+codes?|occurrence\s+codes?|value\s+codes?|ICD[\s-]?9",
    re.I)
# System labels, most specific first.
SYSTEM_LABELS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"ICD[\s-]?10[\s-]?PCS|\bPCS\b", re.I), PCS),
    (re.compile(r"ICD[\s-]?10[\s-]?CM", re.I), CM),
    (re.compile(r"\bICD(?:[\s-]?10)?\b|ICD-?10|diagnosis\s+codes?", re.I), ICD10),
    (re.compile(r"HCPCS", re.I), HCPCS),
    (re.compile(r"\bCPT", re.I), CPT),
    (re.compile(r"\bcodes?\b", re.I), ANY),
]
# A label is a short line or cell, not a sentence.
LABEL_MAX_CHARS = 70
LABEL_MAX_WORDS = 9
_GENERIC_LABEL = re.compile(r"\bcodes?(?:\s+list)?$", re.I)

_TOKEN = r"[A-Z0-9]{3,7}(?:\.[A-Z0-9]{1,4})?"
_RANGE_SEP = r"\s*(?:[-\u2010-\u2014]|\bthrough\b|\bthru\b|\bto\b)\s*"
_ITEM = rf"(?P<a>{_TOKEN})(?:{_RANGE_SEP}(?P<b>{_TOKEN}))?"
_ITEM_RE = re.compile(rf"{_ITEM}(?![\w.])", re.I)
_LIST_SEP = re.compile(r"\s*(?:[,;]|\band\b|\bor\b)\s*|\s+", re.I)
# A line that starts with a code (or a range) and goes on with its description.
_LEADING_CODE = re.compile(rf"^\s*(?P<item>{_ITEM})(?![\w.])(?:\s*[:\-\u2013\u2014]\s+|\s+|$)(?P<rest>.*)$")
# CPT books mark add-on codes with "+" ("+99354"); the mark is not part of the code.
_ADD_ON = re.compile(r"(^|[\s,;])\+(?=\d{4}[0-9FTUM]\b)")
_MARKS = re.compile(r"[\u00ae\u2122*\u2020\u2021\u00a9]")
_BULLET = re.compile(r"^\s*(?:[-\u2022\u25aa\u25cf\u25e6\u00b7o]\s+)")
# Rows that say there is no code, or are a list's "not applicable" placeholder.
NO_CODE_DESCRIPTION = re.compile(r"^(?:n/?a|none|not\s+applicable|no\s+codes?)\.?$", re.I)
_SHAPED = re.compile(r"\b(?:\d{4}[0-9FTU]|[A-Z]\d{4}|[A-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4})\b")
# Codes in one row with nothing else that make the row a code table without a label.
MIN_GRID_CODES = 3
# Sections whose rows are never the policy's codes.
EXCLUDED_KINDS = {"history", "references", "toc"}


@dataclass
class _Found:
    system: str
    code: str
    code_end: str | None
    description: str | None
    line: Line


def _clean(text: str) -> str:
    return _MARKS.sub("", text).strip()


def label_system(text: str) -> str | None:
    """The system a label names (CPT, HCPCS, ICD-10-CM, ICD-10-PCS, ICD-10 undecided, ANY
    for several or none in particular, IGNORE for non-code lists); None when not a label."""
    s = _clean(text).rstrip(":").strip()
    if not s or len(s) > LABEL_MAX_CHARS or len(s.split()) > LABEL_MAX_WORDS or s.endswith((".", ";", ",")):
        return None
    if NON_SYSTEM_LABELS.search(s):
        return IGNORE
    found = []
    for pattern, system in SYSTEM_LABELS:
        if pattern.search(s) and system not in found:
            found.append(system)
    if not found:
        return None
    specific = [f for f in found if f != ANY]
    if not specific:
        # a bare "codes" label must end with the word: "Policy Applicable Codes:", not a sentence
        return ANY if _GENERIC_LABEL.search(s) and len(s.split()) <= 5 else None
    if len(specific) == 1 or set(specific) <= {CM, ICD10} or set(specific) <= {PCS, ICD10}:
        return specific[0]
    return ANY


def system_of(code: str, context: str | None) -> str | None:
    """The code's system under a label context, or None when it has no code shape."""
    if context in (CPT, HCPCS, CM, PCS):
        if SHAPES[context].fullmatch(code) or (context in LABELLED_SHAPES
                                               and LABELLED_SHAPES[context].fullmatch(code)):
            return context
    if context == ICD10:
        if SHAPES[CM].fullmatch(code):
            return CM
        if LABELLED_SHAPES[PCS].fullmatch(code):
            return PCS
    for system in (CPT, HCPCS, CM, PCS):
        if SHAPES[system].fullmatch(code):
            return system
    return None


def _item(match: re.Match, context: str | None) -> tuple[str, str, str | None] | None:
    a = match.group("a").upper()
    b = match.group("b").upper() if match.group("b") else None
    system = system_of(a, context)
    if system is None:
        return None
    if b is not None:
        # both ends of a range have the same shape ("C43.0-J3490" is not a range)
        shape = SHAPES[system] if SHAPES[system].fullmatch(a) else LABELLED_SHAPES[system]
        if b == a or not shape.fullmatch(b):
            return None
    return system, a, b


def parse_code_cell(cell: str, context: str | None) -> list[tuple[str, str, str | None]] | None:
    """All codes when the whole cell is codes or ranges ("C43.0-C43.9", "0537T, 0538T",
    "23605 23615"); None when anything else is in it."""
    s = _ADD_ON.sub(r"\1", _clean(cell))
    if not s:
        return None
    out = []
    pos = 0
    while pos < len(s):
        m = _ITEM_RE.match(s, pos)
        if not m:
            return None
        item = _item(m, context)
        if item is None:
            return None
        out.append(item)
        pos = m.end()
        sep = _LIST_SEP.match(s, pos)
        if sep and sep.end() > pos:
            pos = sep.end()
        elif pos < len(s):
            return None
    return out or None


def parse_code_line(text: str, context: str | None) -> tuple[list[tuple[str, str, str | None]], str] | None:
    """(codes, description) for a plain line led by a code or a code list; None otherwise."""
    s = _ADD_ON.sub(r"\1", _BULLET.sub("", _clean(text)))
    whole = parse_code_cell(s, context)
    if whole:
        return whole, ""
    m = _LEADING_CODE.match(s)
    if not m:
        return None
    item = _item(m, context)
    if item is None:
        return None
    rest = m.group("rest").strip()
    if rest[:1].islower() or rest[:1] in "(%$=<>":
        return None  # "36511 is reported..." is prose; descriptions start with a capital letter
    return [item], rest


# A text loader may run several short code lines together ("C43.0-C43.9 Melanoma C51.0-C51.9
# Vulva"): a later code of the first code's system, followed by a capitalised description and
# not introduced as a mention ("see code 12345 Unlisted"), starts a row of its own.
_RUN_ON = re.compile(rf"(?<=\s)(?P<item>{_ITEM})(?![\w.])(?=\s+[A-Z(])")
MENTION_WORDS = frozenset("code codes and or with see to through thru use report plus including include includes "
                          "except for cpt hcpcs icd-10 icd10 of by".split())


def split_run_on(codes: list[tuple[str, str, str | None]], rest: str,
                 context: str | None) -> list[tuple[list, str]]:
    """[(codes, description), ...] for a description that may hold further code rows."""
    system = codes[0][0]
    out: list[tuple[list, str]] = []
    for m in _RUN_ON.finditer(rest):
        before = rest[:m.start()].rstrip()
        prev_word = before.split(" ")[-1].lower().strip(",;:") if before else ""
        if not before or prev_word in MENTION_WORDS or before.endswith((",", "(", "/", "-")):
            continue
        item = _item(m, system if context in (None, ANY) else context)
        if item is None or item[0] != system:
            continue
        out.append((codes, before))
        return out + split_run_on([item], rest[m.end():].strip(), context)
    return [(codes, rest)]


# A row led by its system label: "HCPCS J3490 Unclassified drugs", "CPT code 77014", "CPT: 99354".
_LABEL_LEAD = re.compile(r"^\s*(?P<label>(?:ICD[\s-]?10(?:[\s-]?(?:CM|PCS))?|HCPCS|CPT)(?:\s+codes?)?)"
                         r"\s*:?\s+(?P<rest>\S.*)$", re.I)


@dataclass
class _State:
    """Where a table walk stands: the label context and the last code rows (for descriptions
    printed on the next line or in a continuation row)."""

    context: str | None
    last: list[_Found] | None = None


def _add(found: list[_Found], codes, description: str, line: Line, state: _State) -> None:
    desc = re.sub(r"\s+", " ", description).strip(" -\u2013:;") or None
    if desc and NO_CODE_DESCRIPTION.match(desc):
        state.last = None
        return
    rows = [_Found(system, a, b, desc, line) for system, a, b in codes]
    found.extend(rows)
    state.last = rows


def _set_context(state: _State, label: str) -> None:
    # A generic "Group 1 Codes" must not undo a specific "ICD-10-CM Codes" above it.
    if label != ANY or state.context in (None, ANY, IGNORE):
        state.context = label
    state.last = None


def _row(line: Line, state: _State, found: list[_Found]) -> str:
    """Read one table row; returns what it was: 'code', 'label', 'desc', 'header' or 'other'."""
    cells = [_clean(c) for c in line.cells]
    while cells and not cells[-1]:
        cells.pop()
    first_empty = bool(cells) and not cells[0]
    cells = [c for c in cells if c] if first_empty else cells
    if not cells:
        return "header"
    context = None if state.context == IGNORE else state.context
    codes = parse_code_cell(cells[0], context)
    if codes:
        if state.context != IGNORE:
            grid = [parse_code_cell(c, context) for c in cells[1:] if c]
            if grid and all(grid):
                # a grid of codes, several to a row, no descriptions
                for more in grid:
                    codes = codes + more
                _add(found, codes, "", line, state)
            else:
                _add(found, codes, " ".join(c for c in cells[1:] if c), line, state)
        return "code"
    if _is_header(cells):
        return "header"
    lead = _LABEL_LEAD.match(cells[0])
    if lead and label_system(lead.group("label")) not in (None, IGNORE):
        # "CPT code 77014 | Computed tomography guidance ..."
        label = label_system(lead.group("label"))
        codes = parse_code_cell(lead.group("rest"), label)
        if codes:
            _set_context(state, label)
            _add(found, codes, " ".join(c for c in cells[1:] if c), line, state)
            return "code"
    label = label_system(cells[0])
    if label is not None:
        _set_context(state, label)
        if len(cells) > 1 and label != IGNORE:
            codes = parse_code_cell(cells[1], state.context)
            if codes:
                _add(found, codes, " ".join(c for c in cells[2:] if c), line, state)
                return "code"
        return "label"
    if first_empty and state.last is not None:
        text = " ".join(cells)
        for f in state.last:
            f.description = f"{f.description} {text}" if f.description else text
        return "desc"
    return "other"


_HEADER_WORDS = re.compile(r"^(?:codes?|code\s+description|descriptions?|descriptor|number|"
                           r"long\s+description|short\s+description|code\s+type|type)$", re.I)


def _is_header(cells: list[str]) -> bool:
    return all(_HEADER_WORDS.match(c.rstrip(":")) for c in cells if c)


def _plain(line: Line, state: _State, found: list[_Found]) -> str:
    """Read one non-table line; same answers as _row."""
    text = _clean(line.text)
    if not text:
        return "header"
    context = state.context if state.context != IGNORE else None
    lead = _LABEL_LEAD.match(text)
    if lead:
        label = label_system(lead.group("label"))
        parsed = parse_code_line(lead.group("rest"), label)
        if label not in (None, IGNORE) and parsed:
            _set_context(state, label)
            for codes, desc in split_run_on(parsed[0], parsed[1], state.context):
                _add(found, codes, desc, line, state)
            return "code"
    parsed = parse_code_line(text, context)
    if parsed:
        if state.context == IGNORE:
            return "code"
        for codes, desc in split_run_on(parsed[0], parsed[1], state.context):
            _add(found, codes, desc, line, state)
        return "code"
    if _is_header([text]):
        return "header"
    label = label_system(text)
    if label is not None:
        _set_context(state, label)
        return "label"
    if NO_CODE_DESCRIPTION.match(text):
        state.last = None
        return "header"
    if state.last and all(f.description is None for f in state.last):
        # a code printed alone with its description on the next line
        for f in state.last:
            f.description = text
        state.last = None
        return "desc"
    return "other"


def _read(line: Line, state: _State, found: list[_Found]) -> str:
    return _row(line, state, found) if line.is_row else _plain(line, state, found)


def _coding_section(span: SectionSpan, found: list[_Found]) -> None:
    state = _State(label_system(span.heading) if span.heading else None)
    for line in span.lines:
        _read(line, state, found)


def _other_section(span: SectionSpan, found: list[_Found]) -> None:
    """Outside coding sections only a labelled block counts: it starts at a system label (a
    label line, a label cell, "HCPCS J3490 ...") and runs while rows are codes, their
    descriptions, headers or further labels."""
    heading_label = label_system(span.heading) if span.heading else None
    active = heading_label not in (None, IGNORE)
    state = _State(heading_label if active else None)
    for line in span.lines:
        if not active:
            probe = _State(None)
            scratch: list[_Found] = []
            kind = _read(line, probe, scratch)
            # a row of nothing but codes, several of them, is a code table by itself
            grid = kind == "code" and len(scratch) >= MIN_GRID_CODES and all(not f.description for f in scratch)
            starts = grid or (kind == "label" and probe.context not in (None, IGNORE)) or (
                kind == "code" and probe.context not in (None, ANY, IGNORE))
            if not starts:
                continue
            active = True
            state = probe
            found.extend(scratch)
            continue
        kind = _read(line, state, found)
        if kind == "other":
            active = False
            state = _State(None)


def extract_codes(doc: Document, sections: list[SectionSpan]) -> tuple[list[Code], list[str]]:
    """The policy's codes, deduplicated by (system, code, code_end), in document order."""
    found: list[_Found] = []
    for span in sections:
        if span.kind in EXCLUDED_KINDS:
            continue
        if span.kind == "coding":
            _coding_section(span, found)
        else:
            _other_section(span, found)
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
    warnings: list[str] = []
    if not codes and any(s.kind == "coding" and any(_SHAPED.search(ln.text) for ln in s.lines) for s in sections):
        # a coding section that prints something shaped like a code, yet no code row was read
        warnings.append("codes: a coding section shows codes but none could be read from it")
    return codes, warnings
