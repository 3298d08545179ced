"""Codes in one line of text: their shapes, the labels that name their system, and whether a
code-shaped token in a line leads a code row, continues a code list, or is only mentioned.

Text layers and flattened web pages do not keep a code table's rows apart: a row can run on into
the previous one ("... alleles 81172 AFF2 (AF4/FMR2 ..."), a code can be glued to the first word of
its description ("81479Unlisted") or to the end of a test name ("Caris Assure0485U"), and a list
can lose a comma ("81462 81479"). So a line is read token by token (scan_line): a code leads a row
where it starts the line, follows a system label ("CPT 0015U", "Procedure Codes 0005U, ..."), or,
inside a code table, follows a description and is followed by the next description; it continues a
list after such a code; anything else is a mention ("see 0612U", "report 0306U with 0307U", a code in
parentheses, "0001U is ...") and is not a code of the policy. The vocabulary is rules/codes.json.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..codesystems import CM, CPT, HCPCS, LABELLED_SHAPES, PCS, SHAPES
from .lexicon import bullet_prefix, is_empty_value
from .vocab import code_rules

ICD10 = "ICD-10"  # a label that does not say CM or PCS: decided by shape
ANY = "ANY"  # a codes label with no system ("Policy Applicable Codes", "CPT/HCPCS")
IGNORE = "IGNORE"  # lists of things that are not codes of the four systems (modifiers, revenue codes)

# An amino-acid change (V600E, L858R, G551D, W515A) has the shape of an ICD-10-CM code printed
# without its dot; a real dotless CM code of that length ends in a digit (E1165) or is 7 long (S72001A).
_VARIANT = re.compile(r"[A-Z]\d{2,4}[A-Z]")
# A PCS code fills most of its 7 places with digits or the "Z" placeholder (0DTJ4ZZ, XW033L7);
# gene symbols of the same length (CACNA1A, TMPRSS2) have one digit.
PCS_MIN_DIGITS_OR_Z = 3

_TOKEN = r"[A-Z0-9]{3,7}(?:\.[A-Z0-9]{1,4})?"
_RANGE_SEP = r"\s*(?:[-\u2010-\u2014]|\bthrough\b|\bthru\b|\bto\b)\s*"
_ITEM = rf"(?P<a>{_TOKEN})(?:{_RANGE_SEP}(?P<b>{_TOKEN}))?"
_ITEM_RE = re.compile(rf"{_ITEM}(?![\w.])", re.I)
_LIST_SEP = re.compile(r"\s*(?:[,;&]|\band\b|\bor\b)\s*|\s+", re.I)
# A code token in running text: not part of a longer word, number or id ("GENE.00052", "AHS-M2178",
# "2026T0585"); it may be glued to the next capitalised word ("81479Unlisted", "0011MOncology").
_CANDIDATE = re.compile(rf"(?<![\w.\-/#<>=~\u2264\u2265]){_ITEM}(?=$|[^\w.]|\.(?!\w)|[A-Z][a-z])")
# A code glued to the end of a test name in a table whose code column comes last ("Caris
# Assure0485U", "IDH1 mutation analysis81120", "(e.g. codon 646)81237").
_GLUED_END = re.compile(r"(?<=[A-Za-z)\]])(?P<a>\d{4}[0-9FTUM])\s*$")
# ... anywhere in a line, where the table is known to end with a code column and a text layer ran
# its rows together ("TERT sequencing81345 PIK3CA panel0177U")
_GLUED_LEFT = re.compile(r"(?<=[a-z)\]])(?P<a>\d{4}[0-9FTUM])(?=\s)")
# ... or to a number that ends the name ("MPL mutation analysis, exon 1081339"): only where the
# table is known to end with a code column.
_GLUED_NUMBER_END = re.compile(r"(?<=\s\d)(?P<a>\d{4}[0-9FTUM])\s*$|(?<=\s\d\d)(?P<b>\d{4}[0-9FTUM])\s*$")
# CPT books mark add-on codes with "+" ("+99354"); the mark is not part of the code.
_ADD_ON = re.compile(r"(^|[\s,;(])\+(?=\d{4}[0-9FTUM]\b)")
_BULLET = bullet_prefix()
_LIST_GAP = re.compile(r"\s*(?:(?:[,;&/]|\band\b|\bor\b)\s*)*", re.I)
# "Franklin, TN 37067": a street address, not a code.
_ADDRESS = re.compile(r",\s+[A-Z]{2}\s*$")
_DIGIT = re.compile(r"\d")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")
_SENTENCE_BREAK = re.compile(r"(?:[a-z]{3,}|\))[.!?]\s+[A-Z]")
_DATE_ONLY = re.compile(r"^\(?\d{1,2}/\d{1,2}/\d{2,4}\)?$|^\(?\d{1,2}/\d{4}\)?$")
# Labels read as a line: short, not a sentence.
LABEL_MAX_CHARS = 70
LABEL_MAX_WORDS = 9
# How far back from a code the scanner looks for its label, a mention word or an open parenthesis
# (a flattened web page can be one line of 100,000 characters).
_WINDOW = 160
# Codes in one row with nothing else that make the row a code list without a label.
MIN_GRID_CODES = 3


@dataclass(frozen=True)
class _Vocab:
    non_system: re.Pattern
    systems: tuple[tuple[re.Pattern, str], ...]
    generic: re.Pattern
    generic_max_words: int
    code_column: re.Pattern
    inline_column: re.Pattern
    inline_label_end: re.Pattern
    label_lead: re.Pattern
    header_words: frozenset[str]
    mentions: frozenset[str]
    prose_followers: frozenset[str]
    no_code: re.Pattern
    status: re.Pattern
    history_words: frozenset[str]
    history_one_of: frozenset[str]
    history_needs: str


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    r = code_rules()
    inline = "|".join(f"(?:{p})" for p in r.inline_labels)
    return _Vocab(
        non_system=re.compile("|".join(r.non_system_labels), re.I),
        systems=tuple((re.compile(s.pattern, re.I), s.system) for s in r.system_labels),
        generic=re.compile(r.generic_label, re.I),
        generic_max_words=r.generic_label_max_words,
        code_column=re.compile(rf"(?:^|(?<=[a-z])|\s)(?:{r.code_column})$", re.I),
        # the same header run into a flattened line: "...by this guidelineProcedure codes Multi-Cancer ..."
        inline_column=re.compile(rf"(?:(?<=[a-z])|(?<=\s))(?i:{r.code_column})(?=\s+[A-Z][a-z])"),
        # a label just before a code: "CPT 0015U", "Procedure Codes: 0005U", "(CPT code 0439U)"
        inline_label_end=re.compile(rf"(?:^|(?<=[\s(\[\]),;:]))(?P<label>{inline})\s*:?\s*$", re.I),
        label_lead=re.compile(rf"^\s*(?P<label>{inline})\s*:?\s+(?=\S)", re.I),
        header_words=frozenset(r.header_words),
        mentions=frozenset(r.mention_words),
        prose_followers=frozenset(r.prose_followers),
        no_code=re.compile(rf"^(?:{'|'.join(r.no_code)})\.?$", re.I),
        status=re.compile(rf"^(?:{'|'.join(r.status_values)})$", re.I),
        history_words=frozenset(r.history_header.words),
        history_one_of=frozenset(r.history_header.needs_one_of),
        history_needs=r.history_header.needs,
    )


_MARK_CHARS = str.maketrans({c: " " for c in "\u00ae\u2122*\u2020\u2021\u00a9\u2120\t\u00a0"})
_SPACES = re.compile(r" {2,}")


def clean(text: str) -> str:
    """The line without trademark and footnote marks, add-on marks and a leading bullet."""
    # lines are read several times (label, header, row); a flattened page's one long line is not kept
    return _clean_cached(text) if len(text) <= _CACHED_CHARS else _clean(text)


_CACHED_CHARS = 2000


@lru_cache(maxsize=8192)
def _clean_cached(text: str) -> str:
    return _clean(text)


def _clean(text: str) -> str:
    s = text.translate(_MARK_CHARS)
    if "(" in s:
        s = s.replace("(R)", " ").replace("(TM)", " ")
    if "+" in s:
        s = _ADD_ON.sub(r"\1", s)
    s = _BULLET.sub("", s)
    return _SPACES.sub(" ", s).strip()


# -- shapes and labels ---------------------------------------------------------------------------

def _pcs_ok(code: str) -> bool:
    return sum(1 for c in code if c.isdigit() or c == "Z") >= PCS_MIN_DIGITS_OR_Z


def _labelled_cm(code: str) -> bool:
    return bool(LABELLED_SHAPES[CM].fullmatch(code)) and not _VARIANT.fullmatch(code)


def system_of(code: str, context: str | None) -> str | None:
    """The code's system under a label context, or None when it has no code shape. A label that
    does not fit the shape gives way to the shape (J3490 under "CPT" is HCPCS), except that a
    7-character token is a PCS code only where an ICD label or no label at all allows it."""
    if context in (CPT, HCPCS) and SHAPES[context].fullmatch(code):
        return context
    if context == CM and (SHAPES[CM].fullmatch(code) or _labelled_cm(code)):
        return CM
    if context == PCS and LABELLED_SHAPES[PCS].fullmatch(code):
        return PCS
    if context == ICD10:
        if SHAPES[CM].fullmatch(code):
            return CM
        if LABELLED_SHAPES[PCS].fullmatch(code) and _pcs_ok(code):
            return PCS
    for system in (CPT, HCPCS, CM):
        if SHAPES[system].fullmatch(code):
            return system
    if context in (None, ANY, ICD10, PCS) and SHAPES[PCS].fullmatch(code) and _pcs_ok(code):
        return PCS
    return None


def _strip_note(s: str) -> str:
    # "CPT/HCPCS Level II Codes (Note: The inclusion of a code ...": the label before its note
    paren = s.find("(")
    if 0 < paren and not s[:paren].rstrip().endswith(("/", "-")):
        head = s[:paren].strip()
        if head and len(head) <= LABEL_MAX_CHARS:
            return head
    return s


@lru_cache(maxsize=8192)
def label_system(text: str) -> str | None:
    """The system a label names (CPT, HCPCS, ICD-10-CM, ICD-10-PCS, ICD-10 undecided, ANY
    for several or none in particular, IGNORE for non-code lists); None when not a label."""
    s = clean(text).rstrip(":").strip()
    s = _strip_note(s).rstrip(":").strip()
    if not s or len(s) > LABEL_MAX_CHARS or len(s.split()) > LABEL_MAX_WORDS or s.endswith((".", ";", ",")):
        return None
    if any(_item(m.group("a"), m.group("b"), None) for m in _CANDIDATE.finditer(s)):
        return None  # "CPT code 77014" is a code row, not a label
    v = vocab()
    if v.non_system.search(s):
        return IGNORE
    found = []
    for pattern, system in v.systems:
        if pattern.search(s) and system not in found:
            found.append(system)
    if not found:
        return None
    specific = [f for f in found if f != ANY]
    if not specific:
        # a bare "codes" label ends with the word: "Policy Applicable Codes:", not a sentence
        # ("Routine maintenance, codes" ends a history row's line)
        generic = v.generic.search(s) and len(s.split()) <= v.generic_max_words and "," not in s
        return ANY if generic and not _DATE.search(s) else None
    if len(specific) == 1 or set(specific) <= {CM, ICD10} or set(specific) <= {PCS, ICD10}:
        return specific[0]
    return ANY


def code_column_header(text: str) -> str | None:
    """The system of a table header whose last column holds the codes ("Procedures addressed by
    this guidelineProcedure codes", "Example Tests (Labs) Common CPT Codes"); None otherwise."""
    s = clean(text).rstrip(":").strip()
    if not s or len(s) > 2 * LABEL_MAX_CHARS or not s.lower().endswith(("code", "codes", "(s)")):
        return None
    m = vocab().code_column.search(s)
    if not m or not s[:m.start()].strip():
        return None
    return label_system(m.group(0)) or ANY


def is_header(text: str) -> bool:
    """A row of column headers ("Code Description", "Codes", "Description Comments")."""
    s = clean(text).rstrip(":").strip().lower()
    return bool(s) and (s in vocab().header_words or all(w in vocab().header_words for w in s.split()))


def is_history_header(text: str) -> bool:
    """The header row of a revision table ("Status Review Date Effective Date Action"): the
    codes in its rows are history, not the policy's codes."""
    v = vocab()
    words = [w for w in re.split(r"[\s,/&]+", clean(text).lower().rstrip(":")) if w]
    return (2 <= len(words) <= 12 and all(w in v.history_words for w in words) and v.history_needs in words
            and any(w in v.history_one_of for w in words))


def is_placeholder(text: str) -> bool:
    """'No code(s) identified', 'N/A', 'Not Applicable': a list that says it has no codes."""
    s = clean(text).strip(" -:;")
    return is_empty_value(s) or bool(vocab().no_code.match(s))


def is_status(text: str) -> bool:
    """A value of a status or comment column ('Not Covered', 'New Code Effective', a date)."""
    s = clean(text).strip(" -:;")
    return bool(vocab().status.match(s) or _DATE_ONLY.match(s))


def is_mark_line(text: str) -> bool:
    """A line that is only a trademark sign, a dagger or a stray watermark letter or two."""
    s = clean(text)
    return not s or (len(s) <= 2 and not any(c.isdigit() for c in s))


# -- cells ---------------------------------------------------------------------------------------

Triple = tuple[str, str, "str | None"]


def _item(a: str, b: str | None, context: str | None) -> Triple | None:
    a = a.upper()
    b = b.upper() if b else None
    system = system_of(a, context)
    if system is None:
        return None
    if b is not None:
        # both ends of a range have the same shape ("C43.0-J3490" is not a range)
        shape = SHAPES[system] if SHAPES[system].fullmatch(a) else LABELLED_SHAPES[system]
        if b == a or not shape.fullmatch(b) or system_of(b, system) != system:
            return None
    return system, a, b


def parse_code_cell(cell: str, context: str | None) -> list[Triple] | None:
    """All codes when the whole cell is codes or ranges ("C43.0-C43.9", "0537T, 0538T",
    "23605 23615"); None when anything else is in it."""
    s = clean(cell)
    if not s:
        return None
    out = []
    pos = 0
    while pos < len(s):
        m = _ITEM_RE.match(s, pos)
        if not m:
            return None
        item = _item(m.group("a"), m.group("b"), context)
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


# -- lines ---------------------------------------------------------------------------------------

@dataclass
class Row:
    """Codes that lead one row, and the text printed after them up to the next row."""

    codes: list[Triple]
    description: str = ""
    lead: str = "start"  # "start" of the line, after a "label", or "glued" after a description
    name: str = ""  # the text before the codes: the description where the codes come last in a row


@dataclass
class Scan:
    """What one line is: 'code' (rows), 'label' (sets the system for what follows), 'header',
    'placeholder', 'mark', or 'text' (prose, a description, a name)."""

    kind: str
    rows: list[Row] = field(default_factory=list)
    label: str | None = None
    code_last: bool = False


@dataclass
class _Cand:
    triple: Triple
    start: int  # where the code (or its label) begins
    code_start: int
    stop: int


def _prev_word(before: str) -> str:
    words = re.findall(r"[\w'-]+", before[-40:])
    return words[-1].lower() if words else ""


def _depth(before: str) -> int:
    """1 when the text before a code leaves a parenthesis or bracket open (the code is inside it),
    read backwards so that a window cut off at its start does not matter."""
    closed = 0
    for ch in reversed(before):
        if ch in ")]":
            closed += 1
        elif ch in "([":
            if not closed:
                return 1
            closed -= 1
    return 0


def _follows_prose(s: str, stop: int, cands_after: list[_Cand], strict: bool = False) -> bool:
    """Text after a code that makes it part of a sentence: "0001U is ...", "0306U in conjunction".
    `strict` (running text): any word in lower case goes on with the sentence ("CPT codes
    99281-99285 use only MDM"); in a table a description may start in lower case ("therascreen")."""
    m = re.match(r"\s*,?\s*([A-Za-z][\w'-]*)", s[stop:stop + 60])
    if not m or s[stop:stop + 1] in "([":
        return False
    word = m.group(1)
    if word.lower() in ("and", "or", "through", "thru", "to"):
        nxt = stop + m.end()
        return not any(c.code_start >= nxt and not s[nxt:c.code_start].strip(" ,;") for c in cands_after)
    return word.lower() in vocab().prose_followers or (strict and word[:1].islower())


def _candidates(s: str, context: str | None, code_last: bool) -> list[_Cand]:
    out: list[_Cand] = []
    if not _DIGIT.search(s):
        return out  # every code has digits
    for m in _CANDIDATE.finditer(s):
        item = _item(m.group("a"), m.group("b"), context)
        if item is not None:
            out.append(_Cand(item, m.start(), m.start(), m.end()))
    if code_last:  # "TERT sequencing81345 PIK3CA panel0177U": names and codes run together
        glued = [_Cand(item, m.start("a"), m.start("a"), m.end("a")) for m in _GLUED_LEFT.finditer(s)
                 if (item := _item(m.group("a"), None, context))]
        out = sorted(out + glued, key=lambda c: c.code_start)
    if not out or out[-1].stop < len(s):
        cut = max(0, len(s) - 12)  # a glued code ends the line: look at its tail only
        tail = s[cut:]
        m = _GLUED_END.search(tail)
        if not m and code_last:
            m = _GLUED_NUMBER_END.search(tail)
        if m:
            g = "a" if m.group("a") else "b"
            item = _item(m.group(g), None, context)
            start = cut + m.start(g)
            if item and not (out and out[-1].stop > start):
                out.append(_Cand(item, start, start, cut + m.end(g)))
    return out


def scan_line(text: str, context: str | None, *, table: bool, code_last: bool = False) -> Scan:
    """Read one line. `context` is the system of the nearest label; `table` says the line is
    inside a code table (a coding section or a labelled block), where rows may run on into one
    another; outside a table only labelled codes count ("CPT 0015U", "Procedure Codes 0005U, ...")."""
    s = clean(text)
    if is_mark_line(s):
        return Scan("mark")
    if is_placeholder(s):
        return Scan("placeholder")
    v = vocab()
    start_pos = 0
    lead_label = None
    lm = v.label_lead.match(s)
    if lm and label_system(lm.group("label")) not in (None, IGNORE):
        lead_label = label_system(lm.group("label"))
        start_pos = lm.end()
    ctx = lead_label if lead_label and lead_label != ANY else context
    cands = _candidates(s, ctx, code_last)
    if not cands or cands[0].code_start > start_pos:
        label = label_system(s)
        if label is not None:
            return Scan("label", label=label)
        col = code_column_header(s)
        if col is not None:
            return Scan("label", label=col, code_last=True)
        if is_header(s):
            return Scan("header")
    if not cands:
        return Scan("text")
    rows: list[Row] = []
    spans: list[list[int]] = []  # per row: where its lead (or label) starts, where its last code stops
    prev: _Cand | None = None  # the last code taken
    prev_mention: _Cand | None = None
    # rows may run on into one another: in a table, or in a flattened line after a labelled code
    # or a header that names a codes column
    run = table
    column = None if table or "ode" not in s else v.inline_column.search(s)
    if column is not None and s[column.start() - 1:column.start()] == " " \
            and _prev_word(s[max(0, column.start() - 40):column.start()]) in v.mentions:
        column = None  # "deleted CPT codes Foo and Bar": a sentence, not a header
    if column is not None:
        brk = _SENTENCE_BREAK.search(s, column.end())
        column_span = (column.end(), brk.start() if brk else len(s))  # the flattened table after the header
    for i, c in enumerate(cands):
        if not run and column is not None and column_span[0] <= c.code_start < column_span[1]:
            run = True
        elif run and not table and _SENTENCE_BREAK.search(s, prev.stop if prev else 0, c.code_start):
            run = False  # a flattened table ends where the running text goes on in sentences
        before = s[max(0, c.code_start - _WINDOW):c.code_start]
        after = cands[i + 1:]
        if c.code_start == start_pos and (lead_label or table):
            lead = "label" if lead_label else "start"
            c.start = 0  # a row led by its label starts with the label
        elif prev is not None and spans[-1][1] == prev.stop and prev_mention is None \
                and _LIST_GAP.fullmatch(s[prev.stop:c.code_start]):
            rows[-1].codes.append(c.triple)  # "0239U C15, C16", "81535 and 81536"
            spans[-1][1] = c.stop
            prev = c
            continue
        elif prev_mention is not None and _LIST_GAP.fullmatch(s[prev_mention.stop:c.code_start]):
            prev_mention = c  # "see 0612U, 0613U": the whole list is mentioned
            continue
        elif (lab := v.inline_label_end.search(before)) and label_system(lab.group("label")) not in (None, IGNORE):
            head = before[:lab.start()].rstrip()
            if (_prev_word(head) in v.mentions and not head.endswith((")", "]"))) or _depth(head[-_WINDOW:]):
                prev_mention = c  # "bill HCPCS code J1234", "(CPT codes 77014, 77280)": examples
                continue
            c.start = c.code_start - len(before) + lab.start()
            lead = "label"
        elif _lead_in(before) and re.match(r"\s*[A-Z(\[]", s[c.stop:]):
            lead = "label"  # "For the following CPT codes when ...: 86152 Cell enumeration ..."
        elif run and _glued_row(before, c, s, context, after):
            lead = "glued"
        else:
            prev_mention = c
            continue
        if rows and _follows_prose(s, spans[-1][1], [c], strict=not run):
            rows.pop()  # "CPT codes 37246 and 37247 include ...": the last row was a sentence
            spans.pop()
        if _follows_prose(s, c.stop, after, strict=not run):
            prev_mention = c
            continue
        rows.append(Row([c.triple], lead=lead))
        spans.append([c.start, c.stop])
        run = run or lead == "label"
        prev = c
        prev_mention = None
    if rows and _follows_prose(s, spans[-1][1], [], strict=not run):
        rows.pop()
        spans.pop()
    if not rows:
        return Scan("text")
    for k, r in enumerate(rows):
        stop = spans[k + 1][0] if k + 1 < len(rows) else len(s)
        r.description = re.sub(r"\s+", " ", s[spans[k][1]:stop]).strip(" -\u2013\u2014:;,")
        r.name = re.sub(r"\s+", " ", s[spans[k - 1][1] if k else 0:spans[k][0]]).strip(" -\u2013\u2014:;,")
    rows = [r for r in rows if not (r.description and is_placeholder(r.description))]
    if not rows:
        return Scan("placeholder")  # "99999 Not Applicable"
    return Scan("code", rows=rows, label=lead_label if lead_label not in (None, ANY) else None)


_LEAD_IN_CODES = re.compile(r"\b(?:CPT|HCPCS|ICD[\s-]?10(?:[\s-]?CM)?|procedure|diagnosis|following)\s+codes?\b", re.I)


def _lead_in(before: str) -> bool:
    """A clause that names codes and ends in a colon, right before the first of them."""
    b = before.rstrip()
    if not b.endswith(":"):
        return False
    clause = re.split(r"[.;:!?](?=\s)", b[:-1])[-1]
    m = _LEAD_IN_CODES.search(clause)
    return bool(m) and _prev_word(clause[:m.start()]) not in vocab().mentions


def _glued_row(before: str, c: _Cand, s: str, context: str | None, after: list[_Cand]) -> bool:
    """A code after a description starts a new row when nothing makes it a mention: it is not
    inside parentheses, not after a mention word ("see", "with", "added"), a colon, a slash or
    a list comma, and what follows is the next description or the end of the line."""
    b = before.rstrip()
    if not b or b.endswith(("(", "[", "/", "-", "#", ":", ",", "&", "+")) or _depth(before):
        return False
    if _prev_word(b) in vocab().mentions or _ADDRESS.search(b):
        return False
    system, code, end = c.triple
    if system == CM and "." not in code and end is None and context not in (CM, ICD10):
        return False  # "B12", "A1C": three-character categories only under an ICD label
    if system == PCS:
        return False  # "the prothrombin G20210A variant": in running text a 7-character token is a name
    # what follows is the row's description: anything but a sentence's next word ("0306U in ...")
    return not _follows_prose(s, c.stop, after)


def grid(scan: Scan) -> bool:
    """A row of nothing but codes, several of them: a code list by itself."""
    return scan.kind == "code" and sum(len(r.codes) for r in scan.rows) >= MIN_GRID_CODES and \
        all(not r.description for r in scan.rows) and scan.rows[0].lead == "start"
