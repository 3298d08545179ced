"""How a history table's rows show in lines of text: where a row starts or ends, which dates
belong to the row's date cells and which to its sentences.

Shared by history.py's walk; every function reads one line (or the text before it) and the
table's columns (history_columns.Columns), never the walk's state."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import DateMatch, find_dates, parse_date
from .history_columns import Columns, header_words_only
from .lexicon import bullet_run, is_empty_value
from .vocab import history_rules

# A date not filled in on a template ("MM/DD/YYYY", "__/__/__"): a row with no date.
PLACEHOLDER_DATE = re.compile(r"^(?:[M_X]{1,2}|mm|xx)[/.\-](?:[D_X]{1,2}|dd|xx)[/.\-](?:[Y_X]{2,4}|yy|yyyy|xx|xxxx)$"
                              r"|^(?:[M_X]{1,2}|mm)[/.\-](?:[Y_X]{2,4}|yy|yyyy)$")
BULLET = bullet_run()
_PIPE_ROW = re.compile(r"^\s*\|?(.+?\|.+?)\|?\s*$")
_PIPE_RULE = re.compile(r"^[\s|:\-]+$")
LEAD_SEP = re.compile(r"^[\s:;|\-\u2013\u2014]+")
# The end of a sentence or of a parenthesis, after which a date may start a new row.
SENTENCE_END = re.compile(r"[.;!?)\]][\"'\u201d]?\s*$")
# A date glued to the word after it ("September 2016New policy") or to a status before it
# ("New05/12/2022Medical Policy ...").
_GLUED_AFTER = re.compile(r"((?:\d{1,2}/\d{1,2}/\d{4})|(?:\b[A-Z][a-z]{2,8}\.? \d{4}))(?=[A-Z][a-z])")
_GLUED_BEFORE = re.compile(r"(?<=[a-z])(?=\d{1,2}/\d{1,2}/\d{2,4}\b)")


def unglue_dates(text: str) -> str:
    return _GLUED_BEFORE.sub(" ", _GLUED_AFTER.sub(r"\1 ", text))
# A short cell line: a status ("Updated codes") or a narrow column wrapped onto lines of its own.
_SHORT_WORDS, _SHORT_CHARS = 3, 28


def clean(text: str) -> str:
    return BULLET.sub("", re.sub(r"\s+", " ", text).strip()).strip()


def part(text: str) -> str:
    """A line of a row's text; a bullet that opens an item of a list inside the cell is kept
    (as "• "): the summary reads as the list it is. _entry drops it when it is the only one."""
    s = re.sub(r"\s+", " ", text).strip()
    if BULLET.match(s):
        rest = clean(s)
        return "• " + rest if rest else ""
    return s


def is_short(text: str) -> bool:
    s = text.strip()
    return (0 < len(s) <= _SHORT_CHARS and len(s.split()) <= _SHORT_WORDS and not re.search(r"\d", s)
            and not re.search(r"[.;:!?,]$", s) and not BULLET.match(s))


def whole_date(cell: str) -> tuple[str, str | None] | None:
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


def is_empty_cell(token: str) -> bool:
    return is_empty_value(token) or token.lower().strip(" .,;:") in history_rules().empty_cells


def _strip_empty_cells(text: str) -> str:
    words = text.split()
    while words and is_empty_cell(words[-1]):
        words.pop()
    return " ".join(words)


def takes_date(before: str) -> bool:
    """Does the text before a date run on into it ("effective 7/1/18", "updated with 01/01/2023")?
    (Also: does a line stop in the middle of a phrase, on "and", "for", a comma.)"""
    s = before.rstrip()
    if not s:
        return False
    if s[-1] in ",(/-\u2013&":
        return True
    last = re.findall(r"[A-Za-z]+\.?$", s)
    return bool(last) and last[0].lower().rstrip(".") in history_rules().date_taking_words


def date_list(text: str, cols: Columns) -> bool:
    """A line of dates only ("08/15/19, 10/22/20, 11/18/21"): committee approval dates, unless
    they are the date cells of one row ("11/1/13 8/22/13 8/27/13" under three date columns)."""
    found = find_dates(text, include_invalid=True)
    if len(found) < 2:
        return False
    rest = text
    for d in reversed(found):
        rest = rest[:d.start] + rest[d.end:]
    if re.search(r"[A-Za-z0-9]", rest):
        return False
    return bool(re.search(r"[,;]", rest)) or len(found) > cols.n_dates


@dataclass
class Start:
    """A row start read from a line: status words before the date, the date, other columns'
    values after it (more dates, 'n/a'), and the text after them."""

    lead: str
    date: DateMatch
    extras: list[str]
    rest: str


def skip_cells(rest: str, cols: Columns) -> tuple[list[str], str]:
    """Other date columns and empty cells printed right after the row's date."""
    extras: list[str] = []
    budget = max(cols.between, cols.n_dates - 1, 0)
    # a date printed inside the status cell leaves every column up to the summary to skip
    empties = cols.between + 1 if cols.between else 0
    while rest:
        nxt = find_dates(rest, include_invalid=True)
        if nxt and nxt[0].start == 0 and (budget > 0 or not cols.roles):
            extras.append(nxt[0].text)
            rest = LEAD_SEP.sub("", rest[nxt[0].end:])
            budget -= 1
            continue
        tok = rest.split(" ", 1)
        if empties > 0 and is_empty_cell(tok[0]):
            rest = tok[1] if len(tok) > 1 else ""
            empties -= 1
            continue
        break
    return extras, rest


def row_start(text: str, cols: Columns, prev: str) -> Start | None:
    """A row start (date first) when `text` begins one; `prev` is the text printed before it."""
    s = BULLET.sub("", text.strip())
    found = find_dates(s, include_invalid=True)
    if not found:
        return None
    d = found[0]
    lead = ""
    if d.start:
        lead = _strip_empty_cells(s[:d.start].strip())  # "Updated n/a 01/01/2024": no review date
        if not (cols.has_lead and re.fullmatch(r"[A-Z][A-Za-z\-]*(?: [A-Za-z\-]+){0,2}", lead)):
            return None
    rest = s[d.end:]
    if rest and rest[0].isalnum():
        return None
    if re.match(r"[.,;:)]\s*(?:$|[a-z])", rest):
        # "7/1/18." or "12/31/2012, and" end a sentence of the row above; "7/10/25: corrected
        # ..." is a dated note inside it
        return None
    if not lead and takes_date(prev):
        return None
    extras, rest = skip_cells(LEAD_SEP.sub("", rest), cols)
    return Start(lead, d, extras, rest)


@dataclass
class Chronology:
    """The order of the rows read so far: the last row's date and the direction of the table
    (-1 newest first, +1 oldest first, 0 not known yet)."""

    last: str | None = None
    direction: int = 0

    def follows(self, iso: str | None) -> bool:
        """A date that carries the table's order on (older than the last row in a table printed
        newest first): a row's own date, not one quoted in a summary ("effective 01/01/2026")."""
        if not (iso and self.last and self.direction):
            return False
        return (iso > self.last) if self.direction > 0 else (iso < self.last)

    def add(self, iso: str | None) -> None:
        if iso and self.last and iso != self.last:
            self.direction = 1 if iso > self.last else -1
        self.last = iso or self.last


def split_inline(text: str, cols: Columns, date_last: bool, order: Chronology | None = None) -> list[str]:
    """Pieces of a line that holds several rows (flattened text): date first, a piece starts at a
    date that follows the end of a sentence, or carries the table's chronology on, and is
    followed by the row's text; date last, a piece ends after such a date."""
    order = Chronology(order.last, order.direction) if order else Chronology()
    cuts: list[int] = []
    prev_end = -1
    prev_taken = False  # the date before belongs to a sentence ("effective 01/01/2024")
    for d in find_dates(text, include_invalid=True):
        follows = prev_end >= 0 and not text[prev_end:d.start].strip()
        prev_end = d.end
        before, after = text[:d.start], text[d.end:]
        taken = takes_date(before)
        if d.start == 0 or (follows and not prev_taken) or (cuts and d.start < cuts[-1]):
            if d.start == 0:
                order.add(d.iso)
            prev_taken = taken and not follows
            continue  # a date right after another one is the next date cell of the same row
        prev_taken = taken
        if follows:
            # "... added 0611U effective 01/01/2026 09/25/2025 Revised ...": the row's date
            # follows a date that closed the sentence before it
            before = before.rstrip() + "."
        if date_last:
            extras, rest = skip_cells(LEAD_SEP.sub("", after), cols)
            if rest and (rest[:1].isupper() or BULLET.match(rest)) and SENTENCE_END.search(before) \
                    and not takes_date(before):
                cuts.append(len(text) - len(rest))
            continue
        cut = d.start
        cluster = cluster_size(text, d)
        status = re.search(r"(?<=[.;!?)] )([A-Z][A-Za-z\-]*(?: [A-Za-z\-]+){0,2})((?: \S{1,4})?) $", before) \
            if cols.has_lead else None
        if status and status.group(2).strip() and not is_empty_cell(status.group(2).strip()):
            status = None  # only an empty cell may sit between a status and its date ("Updated n/a 01/01/2024")
        if status:
            cut = status.start(1)  # "... added 0492U. Reviewed 02/15/2024 MPTAC review."
        elif cluster >= 2 and not takes_date(before):
            pass  # "... maintenance 11/1/11 8/16/11 8/16/11 Routine ...": the date cells of a row
        elif order.follows(d.iso) and not takes_date(before) and re.match(r"\s+[A-Z]{2}|\s+[A-Z][a-z]", after):
            pass  # "... no change to policy intent 07/01/2016 NEW POLICY": older than the row above
        elif not SENTENCE_END.search(before):
            continue
        if after[:1].isalnum() or re.match(r"[.,;)]", after):
            continue
        extras, rest = skip_cells(LEAD_SEP.sub("", after), cols)
        if not rest or rest[:1].isupper() or BULLET.match(rest) or rest[:1] in "\"'\u201c":
            cuts.append(cut)
            order.add(d.iso)
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def cluster_size(text: str, d: DateMatch) -> int:
    """How many dates are printed in a row from `d` on, with only spaces between them."""
    n, pos = 1, d.end
    while True:
        m = re.match(r"\s+", text[pos:])
        nxt = find_dates(text[pos:pos + 40], include_invalid=True) if m else []
        if not nxt or nxt[0].start != len(m.group()):
            return n
        n += 1
        pos += nxt[0].end


def trailing_dates(text: str) -> tuple[DateMatch, str] | None:
    """(first date of the trailing date cluster, the text before it) when a line ends with dates."""
    s = text.strip().rstrip(" *")
    found = find_dates(s, include_invalid=True)
    if not found or found[-1].end != len(s.rstrip(" .")):
        return None
    first = len(found) - 1
    while first > 0 and not re.search(r"[A-Za-z0-9]", s[found[first - 1].end:found[first].start]):
        first -= 1
    d = found[first]
    before = s[:d.start].rstrip(" |\t")
    if before and (takes_date(before) or is_label(before)):
        return None
    return d, before


def is_label(text: str) -> bool:
    """'Last Review', 'Effective:': a labelled date of the header block, not a history row."""
    s = text.strip()
    return (s.endswith(":") and len(s.split()) <= 5) or (len(s.split()) <= 4 and header_words_only(s))


def cells_of(text: str) -> list[str] | None:
    """Cells of a table row (TAB or pipe separated), or None for a plain line."""
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    m = _PIPE_ROW.match(text)
    if m and not _PIPE_RULE.match(text):
        return [c.strip() for c in m.group(1).split("|")]
    return None
