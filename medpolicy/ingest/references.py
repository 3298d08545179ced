"""The policy's reference list (References, Bibliography, Sources, Citations...).

A list is numbered ("1. ", "1) ", "[1] ", "(1) ") or not (one entry per paragraph). In a
numbered list a new entry needs the next number in sequence, so a wrapped line that happens to
start with a number ("3882. PMID ...") continues the entry above, and so does any line without
a number ("- allogeneic ...", "Society (LAHRS). Europace. 2024 ..."). In an unnumbered list a
line continues the entry above when it starts in lower case, or when the entry above is plainly
unfinished and the line does not start like a new citation (an author "Surname AB,").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Provenance, Reference
from ..models.reference import DOI_PATTERN, PMID_PATTERNS, URL_PATTERN
from .document import Document, Line
from .sections import SectionSpan

# "12. ", "12) ", "[12] ", "(12) ", and "12.Smith" (no space, as PDF text often has it)
_MARKER = re.compile(r"^\s*(?:\[(?P<b>\d{1,3})\]|\((?P<p>\d{1,3})\)|(?P<n>\d{1,3})[.)])"
                     r"(?:\s+(?P<rest>\S.*)|(?P<glued>[A-Z\u00c0-\u00de][^\s.].*)|\s*$)")
_BULLET = re.compile(r"^\s*(?:[-\u2022\u25aa\u25cf\u25e6\u00b7\u2013]\s+)+")
# How a citation begins: "Amini L,", "Haslam A, Hoeg TB", "Collins RH, Jr.", "van 't Land FR".
_AUTHOR_START = re.compile(r"^(?:(?:van|von|de|der|den|la|le|di|da|du|el|al)\s+(?:'t\s+)?)*"
                           r"[A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+){0,2}\s+[A-Z]{1,4}(?:[,.;]|\s+et\s+al)")
# Two citations printed as one paragraph: "...58(4):208-13.Liang Z, Yang H, ..." (no space
# between the end of one and the author list of the next).
_GLUED = re.compile(r"(?<=[\d)]\.)(?=[A-Z][A-Za-z'\u2019\-]+(?: [A-Z][A-Za-z'\u2019\-]+)? [A-Z]{1,4}(?:,| et al))")
# An entry that ends like this is finished; otherwise the next line may carry on its sentence.
_FINISHED = re.compile(r"(?:[.?!)\]}>\"'\u201d]|\d|PMID:?\s*\d+|(?:https?://|www\.)\S+)\s*$", re.I)
# Lines that are about the list, not in it.
NOTE_LINES = [
    re.compile(r"^note\s*:", re.I),
    re.compile(r"^page\s+\d+(?:\s+of\s+\d+)?$", re.I),
]
# What a section prints when it has no references.
EMPTY_ENTRY = re.compile(r"^(?:none|n/?a|not\s+applicable|no\s+references?)\.?$", re.I)
# How far a numbered list may skip (a number missing from the printed list).
MAX_NUMBER_GAP = 2

# PMID, DOI and URL patterns: one definition, beside the Reference model's identity.
_PMID, _DOI, _URL = PMID_PATTERNS, DOI_PATTERN, URL_PATTERN
# A URL cut after one of these went on at the start of the next line.
_URL_TAIL_OK = ("/", "-", "_", "=", "?", "&", "#", "~")


@dataclass
class _Entry:
    number: int | None
    parts: list[str]
    first: Line
    last: Line
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


def _join(entry: _Entry, text: str, line: Line) -> None:
    """Append a continuation line: a line-end hyphen inside a word is kept without a space, a URL
    broken at a separator is rejoined, any other break becomes a space."""
    prev = entry.text
    last_token = prev.split(" ")[-1] if prev else ""
    if not prev:
        entry.parts.append(text)
    elif prev.endswith("-") and len(prev) > 1 and prev[-2].isalnum():
        entry.parts.append(text)
    elif _URL.match(last_token) and last_token.endswith(_URL_TAIL_OK):
        entry.parts.append(text)
    else:
        entry.parts.append(" " + text)
    entry.last = line


def _marker(text: str) -> tuple[int, str] | None:
    m = _MARKER.match(text)
    if not m:
        return None
    num = m.group("b") or m.group("p") or m.group("n")
    return int(num), (m.group("rest") or m.group("glued") or "").strip()


# Words that begin the tail of a citation, not a new one ("1. PMID: 30937874." wrapped).
_TAIL_WORDS = frozenset("pmid pmcid doi epub available accessed retrieved updated published".split())


def _starts_like_citation(text: str) -> bool:
    first = re.match(r"[A-Za-z\u00c0-\u024f'\-]+", text)
    return bool(_AUTHOR_START.match(text) or (first and text[:1].isupper() and len(first.group()) >= 3
                                               and first.group().lower() not in _TAIL_WORDS))


def _is_note(text: str) -> bool:
    return any(p.search(text) for p in NOTE_LINES)


def _is_subheading(text: str) -> bool:
    """A title inside the list ("Professional Societies", "Other Publications:")."""
    s = text.strip()
    if s.endswith(":") and len(s.split()) <= 12:
        return True
    words = s.split()
    return (len(words) <= 6 and not re.search(r"[\d.,;]", s)
            and all(w[:1].isupper() or w.lower() in ("and", "of", "the", "for", "&", "in", "on") for w in words))


def _numbered(lines: list[Line]) -> bool:
    numbers = [m[0] for m in (_marker(ln.text) for ln in lines) if m]
    if 1 in numbers:
        return True
    return any(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def _walk_numbered(lines: list[Line], entries: list[_Entry]) -> None:
    expected: int | None = None
    closed = False  # after a table row, lines without a number belong to that table
    for line in lines:
        text = line.text.strip()
        if _is_note(text) and not entries:
            continue
        m = _marker(text)
        if m is not None:
            num, rest = m
            in_sequence = expected is None or expected <= num <= expected + MAX_NUMBER_GAP
            restart = (num == 1 and expected is not None and expected > 2 and _FINISHED.search(entries[-1].text)
                       and _starts_like_citation(rest))
            if in_sequence or restart:
                entries.append(_Entry(num, [rest.replace("\t", " ")], line, line))
                expected = num + 1
                closed = False
                continue
        if line.is_row and line.cells[0]:
            closed = True
            continue
        text = " ".join(c for c in line.cells if c) if line.is_row else text
        if not entries or expected is None or closed:
            continue  # a note or title before the list, or a table after it
        if _is_note(text):
            continue
        _join(entries[-1], _BULLET.sub("", text), line)


# Marks a citation's paragraph cannot end on: the entry goes on in the next line. (Words such
# as "and" are no proof: publishers print entries cut short, and loaders give whole paragraphs.)
_OPEN_END = re.compile(r"[-,;/&(]$")


def _continues(prev: str, text: str) -> bool:
    """Does `text` carry on the unnumbered entry `prev`? Loaders give one paragraph per entry,
    so only a line that cannot start a citation (lower case, a digit or a mark first) or one
    after a plainly cut-off line is a continuation."""
    if not text[:1].isupper() and not text[:1] in "\"'[\u201c":
        return True
    return bool(_OPEN_END.search(prev)) and not _AUTHOR_START.match(text)


def _walk_unnumbered(lines: list[Line], entries: list[_Entry]) -> None:
    closed = False
    for line in lines:
        if line.is_row and line.cells[0]:
            closed = True  # a table (a revision log under the list) is not a reference
            continue
        text = _BULLET.sub("", " ".join(c for c in line.cells if c)).strip()
        if not text or _is_note(text) or _is_subheading(text):
            continue
        if entries and not closed:
            prev = entries[-1].text
            if _continues(prev, text):
                _join(entries[-1], text, line)
                continue
        entries.append(_Entry(None, [text], line, line))
        closed = False


def _split_glued(entry: _Entry) -> list[_Entry]:
    pieces = _GLUED.split(entry.text)
    if len(pieces) == 1:
        return [entry]
    return [_Entry(None, [p.strip()], entry.first, entry.last) for p in pieces if p.strip()]


def _strip_url(url: str) -> str:
    url = url.strip("<>")
    while url and url[-1] in ".,;:'\"]>":
        url = url[:-1]
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1]
    return url


def find_pmid(text: str) -> str | None:
    for pattern in _PMID:
        m = pattern.search(text)
        if m:
            return m.group(1)
    return None


def find_doi(text: str) -> str | None:
    m = _DOI.search(text)
    return _strip_url(m.group(1)) if m else None


def find_url(text: str) -> str | None:
    m = _URL.search(text)
    return _strip_url(m.group(0)) if m else None


def _reference(entry: _Entry) -> Reference:
    text = entry.text
    return Reference(number=entry.number, text=text, pmid=find_pmid(text), doi=find_doi(text), url=find_url(text),
                     provenance=Provenance(page=entry.first.page, start=entry.first.start, end=entry.last.end))


def extract_references(doc: Document, sections: list[SectionSpan]) -> tuple[list[Reference], list[str]]:
    """The entries of every references section, in the order printed."""
    references: list[Reference] = []
    warnings: list[str] = []
    spans = [s for s in sections if s.kind == "references"]
    for span in spans:
        lines = [ln for ln in span.lines if ln.text.strip()]
        entries: list[_Entry] = []
        if _numbered(lines):
            _walk_numbered(lines, entries)
        elif sum(ln.is_row for ln in lines) * 2 <= len(lines):
            _walk_unnumbered(lines, entries)
            entries = [part for e in entries for part in _split_glued(e)]
        # else: a table (a change log under a heading taken for references), not a list
        references.extend(_reference(e) for e in entries if e.text and not EMPTY_ENTRY.match(e.text))
    readable = [ln for s in spans for ln in s.lines if not ln.is_row and not EMPTY_ENTRY.match(ln.text.strip())]
    if not references and readable:
        warnings.append("references: a references section was found but no entries could be read from it")
    return references, warnings
