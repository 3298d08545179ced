"""Split a Document into sections by heading rules kept as data (rules/headings.json)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..models.section import SectionKind
from .document import Document, Line
from .lexicon import bullet_prefix, heading_number
from .vocab import section_rules

_CONNECTORS = {"and", "or", "and/or", "not", "and or", "either", "plus"}
# a table whose header row names the section: "Reviews, Revisions, and Approvals | Date | Approval"
_ROW_HEADING_KINDS = {SectionKind.HISTORY, SectionKind.CODING}


@dataclass
class SectionSpan:
    """A heading (None for the text before the first heading) and the lines under it.

    `kind` comes from the heading rules; an unrecognised sub-heading inherits its parent's kind
    (a "Medical Policy Manual" sub-heading under "Policy Criteria" stays policy). `lines` excludes
    the heading."""

    heading: str | None
    kind: SectionKind
    level: int
    heading_line: Line | None
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


@dataclass(frozen=True)
class HeadingRule:
    kind: SectionKind
    level: int
    pattern: re.Pattern


@lru_cache(maxsize=1)
def heading_rules() -> tuple[HeadingRule, ...]:
    """The heading rules, one per pattern (vocab.SectionRules validates them: a rule naming a
    kind that is no SectionKind fails at load)."""
    return tuple(HeadingRule(rule.kind, rule.level, re.compile(rf"(?:{pat})", re.I))
                 for rule in section_rules().rules for pat in rule.patterns)


_ENUM = heading_number()
_BULLET = bullet_prefix()
_LABEL_VALUE = re.compile(r"^[A-Za-z][\w/&(). '-]{0,40}:\s*\S")
_DATEISH = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d\d\b")


def heading_key(text: str) -> str:
    """The comparable form of a heading: no numbering, '(s)', trailing colons or dashes."""
    s = _ENUM.sub("", text.strip())
    s = re.sub(r"\(s\)", "", s, flags=re.I)
    s = re.sub(r"[\s:*.\-–—]+$", "", s)
    s = re.sub(r"\s+", " ", s)
    return s.strip().lower()


@lru_cache(maxsize=1)
def _rule_groups() -> tuple[HeadingRule, ...]:
    """The rules of each kind joined into one pattern, in file order (first match wins)."""
    return tuple(HeadingRule(r.kind, r.level, re.compile("|".join(f"(?:{p})" for p in r.patterns), re.I))
                 for r in section_rules().rules)


@lru_cache(maxsize=8192)
def match_heading(text: str, *, exact: bool = False) -> HeadingRule | None:
    """The rule naming a heading. `exact` does not try the text without a last letter (a
    footnote mark glued on): for a phrase inside running text, where "Updated" is a word."""
    key = heading_key(text)
    if not key or len(key) > 90:
        return None
    candidates = [key]
    if not exact and re.search(r"[a-z]{3}[a-z0-9]$", key):  # "Coverage Criteriaa": a footnote mark glued on
        candidates.append(key[:-1])
    for cand in candidates:
        for rule in _rule_groups():
            if rule.pattern.fullmatch(cand):
                return rule
    if "/" in key:
        # "Discussion/General Information", "Background/Overview", "Billing/Coding/Physician
        # Documentation": two section names in one heading, the first names its kind
        first = key.split("/")[0].strip()
        if len(first) >= 4:
            return match_heading(first, exact=exact)
    return None


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _is_titleish(text: str) -> bool:
    words = [w for w in re.split(r"\s+", text) if w]
    if not words or len(words) > 9 or not text[0].isupper():
        return False
    small = {"a", "an", "and", "or", "of", "the", "for", "to", "in", "on", "with", "by", "at", "vs", "&", "/", "-"}
    caps = sum(1 for w in words if w[0].isupper() or w[0].isdigit() or w.lower() in small or not w[0].isalpha())
    return caps >= 0.75 * len(words)


def _shape_ok(text: str) -> bool:
    s = text.strip()
    if "\t" in s or len(s) > 120 or len(s) < 2 or not any(c.isalpha() for c in s):
        return False
    if s.endswith((".", ",", ";")) and not s.endswith(("etc.", "Inc.")):
        return False
    if re.search(r"[a-z]\. [A-Z]", s):  # two sentences: a paragraph, not a heading
        return False
    if not re.search(r"[A-Za-z]{3,}", s):  # codes, dates, numbers
        return False
    return len(s.split()) <= 14


# inside a numbered list of references, a numbered line is an entry unless it opens one of these
_AFTER_REFERENCES = {SectionKind.HISTORY, SectionKind.CODING, SectionKind.POLICY, SectionKind.RELATED,
                     SectionKind.ARCHIVE}


def _heading_for(doc: Document, i: int,
                 parent_kind: SectionKind | None = None) -> tuple[SectionKind | None, int] | None:
    """(kind, level) when line i is a heading; kind None means: inherit."""
    line = doc.lines[i]
    text = line.text.strip()
    if not _shape_ok(text):
        return None
    rule = match_heading(text)
    if parent_kind == SectionKind.REFERENCES and _ENUM.match(text) and (not rule or rule.kind not in _AFTER_REFERENCES):
        return None  # "2. Centers for Medicare and Medicaid Services (CMS)": an entry
    hinted = line.is_heading
    if _BULLET.match(text):
        return None
    first = text.split()[0]
    if heading_key(text).strip("-() ") in _CONNECTORS:
        return None  # "-AND-" between two criteria
    if not rule and re.search(r"\d", first) and not _ENUM.match(text):
        return None  # "L35125 - Wound Care", "CPP-143": an id or a code, not a heading
    if rule:
        return rule.kind, rule.level
    if _ENUM.match(text) and not hinted:
        return None  # "A. Place of Service": a list item, unless it names a known section
    if not hinted and (text.endswith(":") or _LABEL_VALUE.match(text)):
        return None  # a label ("Effective Date:"), a field ("Policy Number: 338") or a lead-in
    if not hinted and _DATEISH.search(text):
        return None
    if hinted and text[:1] == "(" and i > 0 and not doc.lines[i - 1].text.rstrip().endswith(_CLAUSE_END):
        return None  # "... with supportive evidence" / "(if applicable):" in bold: the sentence goes on
    if hinted:
        return None, 1 if _is_caps(text) else 2
    if parent_kind in _LIST_KINDS and not line.is_row and not _after_table_note(doc, i, parent_kind):
        return None  # in a reference list, a revision history or a code table: an entry or a cell
    if _is_caps(text):
        if len(text.split()) <= 10 and _CAPS_HEADING.fullmatch(text):
            # an unknown heading in capitals: a section of its own, or a sub-heading of the
            # policy's criteria ("SINGLE GENE TESTS VIA CIRCULATING TUMOR DNA" under "CRITERIA")
            return (None, 2) if parent_kind in _SUBHEADED_KINDS else (SectionKind.OTHER, 1)
        return None  # an acronym, a list of gene symbols, a code
    nxt = doc.lines[i + 1].text if i + 1 < len(doc.lines) else ""
    if (_is_titleish(text) and len(text.split()) <= 8 and len(nxt) > len(text) and not nxt[:1].islower()
            and _after_break(doc, i) and not _unbalanced(text)):
        return None, 2
    return None


# A paragraph of this many words after a code table's rows is a note that closes the table
TABLE_NOTE_WORDS = 20
_ANY_CODE_START = re.compile(r"\s*(?=[A-Z]*\d)[A-Z0-9]{3,7}(?:\.[A-Z0-9]{1,4})?\b")
# Sections whose unknown lines are entries, rows or cells, never sub-headings
_LIST_KINDS = {SectionKind.REFERENCES, SectionKind.HISTORY, SectionKind.CODING}
# Sections whose unknown headings in capitals are sub-headings, not sections of their own
_SUBHEADED_KINDS = {SectionKind.POLICY, SectionKind.RELATED}
# A heading in capitals is words of letters (no list of gene symbols "EGFR, KRAS", no code, no
# vendor in brackets "(QIAGEN)"), at least five letters ("ATM", "CRC", "NCD" are acronyms)
_CAPS_HEADING = re.compile(r"(?=(?:[^A-Za-z]*[A-Za-z]){5})[A-Z][A-Za-z&/'’ :-]*(?:\([A-Za-z &/-]+\))?[A-Za-z:)]?")
_CLAUSE_END = (".", ":", ";", "?", "!", ")", '"', "'")


def _after_table_note(doc: Document, i: int, parent_kind: SectionKind | None) -> bool:
    """A line in capitals after the note that closes a code table (prose, not a row, not a
    code's description): the table is over, the line may head what follows ("This policy
    references CPT ... Inclusion of a code does not guarantee coverage." / "E/M GLOSSARY"). A code
    table that goes on under it is still read as one (codes.py continues a table across an
    unknown heading when code rows follow)."""
    if parent_kind != SectionKind.CODING or i == 0 or not _is_caps(doc.lines[i].text):
        return False
    prev = doc.lines[i - 1]
    text = prev.text.strip()
    return not prev.is_row and len(text.split()) >= TABLE_NOTE_WORDS and not _ANY_CODE_START.match(text)


def _after_break(doc: Document, i: int) -> bool:
    """Line i follows the end of a sentence, a heading or a page break: a title-case line after
    an unfinished one is the rest of a wrapped cell or item ("Cancer Diagnosis, Prognosis, and
    Treatment" / "Decisions")."""
    if i == 0:
        return True
    prev, line = doc.lines[i - 1], doc.lines[i]
    return prev.is_heading or prev.is_row or prev.page != line.page or prev.text.rstrip().endswith(_CLAUSE_END) \
        or bool(match_heading(prev.text))


def _unbalanced(text: str) -> bool:
    """"Laboratories)", "Inc)": the end of a wrapped vendor name, not a heading."""
    return text.count("(") != text.count(")")


_PREFIX_KINDS = {SectionKind.POLICY}
# "Disclaimer: This medical policy is a guide ...": boilerplate run into its text after a colon
_PREFIX_COLON_KINDS = {SectionKind.BOILERPLATE}


def _split_prefix_heading(line: Line) -> tuple[Line, Line, HeadingRule] | None:
    """'Policy Position Coverage is subject to ...': a heading run into its first sentence."""
    words = line.text.split(" ")
    if "\t" in line.text or len(words) < 4:
        return None
    colon = line.text.find(":")
    if 0 < colon <= 40:
        head = line.text[:colon]
        rule = match_heading(head)
        rest = line.text[colon + 1:].strip()
        if rule and rule.kind in _PREFIX_COLON_KINDS and len(rest.split()) >= 5:
            h = Line(head, line.page, line.start, line.start + colon)
            b = Line(rest, line.page, line.end - len(rest), line.end)
            return h, b, rule
    for n in range(min(5, len(words) - 2), 1, -1):
        head = " ".join(words[:n])
        rest = " ".join(words[n:])
        # the shape first: most lines of running text fail it before any heading rule is tried
        if not (rest[:1].isupper() and head[:1].isupper() and len(rest.split()) >= 5 and not head.endswith(":")):
            continue
        rule = match_heading(head)
        if rule and rule.kind in _PREFIX_KINDS:
            h = Line(head, line.page, line.start, line.start + len(head))
            b = Line(rest, line.page, line.start + len(head) + 1, line.end)
            return h, b, rule
    return None


def _row_heading(doc: Document, i: int) -> HeadingRule | None:
    """A table's header row that names its section ("Reviews and Approvals | Date | Approval"):
    a row with rows under it that starts a table, or starts a new one of another shape right
    after the last row of the table before. A row in the body, as many cells as the row above
    ("HCPCS | No specific code"), is data, however much its first cell looks like a heading."""
    line = doc.lines[i]
    if not line.is_row or i + 1 >= len(doc.lines) or not doc.lines[i + 1].is_row:
        return None
    above = doc.lines[i - 1] if i > 0 else None
    if above is not None and above.is_row and len(above.cells) == len(line.cells):
        return None
    cells = line.cells
    rule = match_heading(cells[0])
    if rule and rule.kind in _ROW_HEADING_KINDS and all(len(c.split()) <= 4 for c in cells[1:]) \
            and not any(re.search(r"\d", c) for c in cells[1:]):
        return rule
    return None


def later_edition_start(doc: Document) -> int | None:
    """Index where an older edition printed in the same file begins: the header block's labelled
    fields ("Bulletin Number:", "Effective Date:", "Issue Date:") again, together, on a later
    page. None for single-edition files."""
    lines = doc.lines
    if len(lines) < 20:
        return None
    top = [_label_of(ln.text) for ln in lines[:8]]
    labels = {lb for lb in top if lb}
    if len(labels) < 3:
        return None
    for j in range(10, len(lines)):
        here = _label_of(lines[j].text)
        if here in labels and lines[j].page != lines[0].page:
            window = {_label_of(ln.text) for ln in lines[j:j + 6]}
            if len(window & labels) >= 3:
                return j
    return None


def _label_of(text: str) -> str | None:
    m = re.match(r"^([A-Za-z][\w &/#().'-]{2,40}?)\s*(?::|\t)", text)
    return m.group(1).strip().lower() if m else None


SUBSECTION_REPEATS = 3  # times a heading is printed for it to label a part of each block


def find_sections(doc: Document) -> list[SectionSpan]:
    """Sections in document order; the text before the first heading is a 'metadata' section.
    An older edition printed after the current one becomes 'archive' sections: kept as text,
    not read by the extractors."""
    sections = [SectionSpan(None, SectionKind.METADATA, 0, None)]
    parent_kind = SectionKind.METADATA
    archive_from = later_edition_start(doc)
    seen: set[str] = set()  # the keys of the headings met so far
    # how often each short line is printed: an evidence heading printed again and again inside
    # the policy ("Rationale" under each indication's criteria) labels a part of each block, not
    # the start of the evidence section
    printed = Counter(" ".join(ln.text.lower().split()).rstrip(":") for ln in doc.lines if len(ln.text) <= 40)
    for i, line in enumerate(doc.lines):
        if i == archive_from:
            sections.append(SectionSpan("Earlier edition", SectionKind.ARCHIVE, 1, None))
            parent_kind = SectionKind.ARCHIVE
        if parent_kind == SectionKind.ARCHIVE:  # an older edition printed after the current one: keep as text only
            found = _heading_for(doc, i)
            if found:
                sections.append(SectionSpan(line.text.strip().rstrip(":").strip(), SectionKind.ARCHIVE, 2, line))
            else:
                sections[-1].lines.append(line)
            continue
        row_rule = _row_heading(doc, i)
        if row_rule:
            sections.append(SectionSpan(line.cells[0].rstrip(":"), row_rule.kind, 1, None, [line]))
            parent_kind = row_rule.kind
            continue
        found = _heading_for(doc, i, parent_kind)
        if (found and parent_kind == SectionKind.HISTORY and not line.is_heading and heading_key(line.text) in seen
                and sections[-1].lines):
            # a revision row naming the section it changed ("Coverage Rationale" / "Added ..."); in a
            # history with no row yet (a table of contents' last entry) it is the next heading
            found = None
        if found is None:
            split = _split_prefix_heading(line)
            if split:
                head, body, rule = split
                sections.append(SectionSpan(head.text, rule.kind, rule.level, head, [body]))
                parent_kind = rule.kind
                continue
            sections[-1].lines.append(line)
            continue
        kind, level = found
        if (level <= 1 and kind == SectionKind.EVIDENCE and parent_kind == SectionKind.POLICY
                and printed[" ".join(line.text.lower().split()).rstrip(":")] >= SUBSECTION_REPEATS):
            level = 2  # its own kind for its own text; the headings after it stay the policy's
            sections.append(SectionSpan(line.text.strip().rstrip(":").strip(), kind, level, line))
            seen.add(heading_key(line.text))
            continue
        if level <= 1:
            kind = kind or SectionKind.OTHER
            parent_kind = kind
        else:
            kind = kind or parent_kind
        sections.append(SectionSpan(line.text.strip().rstrip(":").strip(), kind, level, line))
        seen.add(heading_key(line.text))
    return [s for s in sections if s.heading is not None or s.lines]


def sections_of(sections: list[SectionSpan], *kinds: str) -> list[SectionSpan]:
    return [s for s in sections if s.kind in kinds]
