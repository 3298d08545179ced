"""The policy's reference list (References, Bibliography, Sources, Citations...).

A list is numbered ("1. ", "1) ", "[1] ", "(1) ") or not (one entry per paragraph). In a
numbered list a new entry needs the next number in sequence, so a wrapped line that happens to
start with a number ("3882. PMID ...") continues the entry above, and so does any line without
a number ("- allogeneic ...", "Society (LAHRS). Europace. 2024 ..."); the numbering may restart
under a sub-list ("Peer Reviewed Publications" 1-120, then "Government Agency ..." 1-84), and
entries run together in one line are split before the next number in sequence. In an
unnumbered list a line continues the entry above when it starts in lower case or like the
tail of a citation ("Int J Cancer. 2010;...", "Accessed ...", "2014."), or when the entry above
is plainly unfinished; entries run together (one-line web text) are split before an author list
("Surname AB, ...") that follows the end of a citation.

Lines in a list that are not references are left out: notes about the list, topic sub-headings,
dated trailer lines ("Medical Director review 5/2019"), bullets left alone on a line, page
furniture (copyright footers, page markers, running headers printed on every page). A list cut
by a false heading (a citation's tail or a running header taken for one) goes on after it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..models import Provenance, Reference
from ..models.reference import DOI_PATTERN, PMID_PATTERNS, URL_PATTERN
from .document import Document, Line
from .list_sections import Repeated, is_furniture, repeated_lines
from .reference_lines import (BULLET, FINISHED, LONE_MARK, OPEN_END, author_start, authors_only, citation_like,
                              citations, dated_label, ends_list, trailer_start,
                              group_head, is_empty_entry, opens_next_section, split_at_heads,
                              is_note, is_subheading, is_tail, is_trailer, marker, split_run_together, split_numbered,
                              starts_like_citation, starts_lower_name, starts_with_tail_word, trailing_label)
from .sections import SectionSpan, match_heading
from .vocab import reference_rules

# How far a numbered list may skip (a number missing from the printed list), and step back (a
# number printed twice).
MAX_NUMBER_GAP, MAX_STEP_BACK = 2, 3
# A list whose lines are this often whole citations is printed one citation per line.
ONE_PER_LINE_SHARE = 0.8
# A line this short printed elsewhere in the document too is no part of a citation.
STRAY_MAX_WORDS = 6
# The lines of a reference list hold this many words on average, at least.
LIST_MIN_WORDS_PER_LINE = 3
# Text after an unnumbered list this long, with no mark of a citation, is the page's prose.
PROSE_MIN_WORDS = 20

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
    elif _URL.match(last_token) and last_token.endswith(_URL_TAIL_OK) and not re.match(r"[A-Z][a-z]", text):
        entry.parts.append(text)
    else:
        entry.parts.append(" " + text)
    entry.last = line


def _numbered(lines: list[Line]) -> bool:
    numbers = {m[0] for m in (marker(ln.text) for ln in lines) if m}
    return 1 in numbers or any(n + 1 in numbers for n in numbers)


def _walk_numbered(lines: list[Line], entries: list[_Entry]) -> None:
    expected: int | None = None
    closed = False  # after a table row, lines without a number belong to that table
    for line in lines:
        raw = line.text.strip()
        if line.is_row and line.cells[0] and marker(line.cells[0]) is None:
            closed = True
            continue
        pieces = [raw] if line.is_row else split_numbered(raw, expected)
        for text in pieces:
            if expected is not None and (is_subheading(text) or line.is_heading) and marker(text) is None \
                    and entries and FINISHED.search(entries[-1].text):
                continue  # a topic title between entries (or before a sub-list's "1.")
            m = marker(text) or _lost_stop_marker(text, expected)
            if m is not None:
                num, rest = m
                in_sequence = expected is None or expected <= num <= expected + MAX_NUMBER_GAP
                label = trailing_label(entries[-1].text) if entries and num == 1 else None
                if label is not None:
                    # "... 2021;12(6):2643-2652. Government Agency, ... Publications:" then "1. ...":
                    # the sub-list's label was run into the last entry of the list before
                    entries[-1].parts = [entries[-1].text[:label].rstrip()]
                # the numbering starts again under a sub-list, or steps back where the printed
                # list repeats a number ("18, 19, 20, 19, 20, 21"); never far back, as a wrapped
                # "691. Carrier screening" or "3882. PMID ..." does
                restart = (expected is not None and (num == 1 or expected - MAX_STEP_BACK <= num < expected)
                           and bool(FINISHED.search(entries[-1].text)) and starts_like_citation(rest))
                if in_sequence or restart:
                    entries.append(_Entry(num, [rest.replace("\t", " ")], line, line))
                    expected = num + 1
                    closed = False
                    continue
            text = " ".join(c for c in line.cells if c) if line.is_row else text
            if not entries or expected is None or closed:
                continue  # a note or title before the list, or a table after it
            if is_note(text) or is_subheading(text) and FINISHED.search(entries[-1].text) or \
                    is_trailer(text) and FINISHED.search(entries[-1].text):
                continue
            _join(entries[-1], BULLET.sub("", text), line)


def _lost_stop_marker(text: str, expected: int | None) -> tuple[int, str] | None:
    """'12 Scher HI, Lu D, ...': the next number with its stop lost, before an author list."""
    m = re.match(r"(\d{1,3})\s+(?=\S)", text)
    if m is None or expected is None or int(m.group(1)) != expected or not author_start(text[m.end():]):
        return None
    return expected, text[m.end():]


def _continues(prev: str, text: str, paragraphs: bool) -> bool:
    """Does `text` carry on the unnumbered entry `prev`? Loaders give one paragraph per entry,
    so only a line that cannot start a citation (lower case, a digit or a mark first, the tail
    of a citation) or one after a plainly cut-off line is a continuation. In a list printed a
    whole citation per line (`paragraphs`), a line after a finished citation is an entry of its
    own whatever it looks like."""
    if starts_lower_name(text):
        return False  # "van de Vijver MJ, ...": a citation that starts in lower case
    if authors_only(prev):
        return not author_start(text)
    if paragraphs:
        if not FINISHED.search(prev):
            return not author_start(text)  # a paragraph the page broke ("... Indeterminate Thyroid" / "Nodules: ...")
        if not text[:1].islower() and not starts_with_tail_word(text):
            return False
    if not text[:1].isupper() and text[:1] not in "\"'[\u201c":
        return True
    if is_tail(text) and not author_start(text):
        return True
    return bool(OPEN_END.search(prev)) and not author_start(text)


def _one_per_line(lines: list[Line]) -> bool:
    """Most lines are whole citations: a year or an identifier, and a finished end."""
    texts = [ln.text for ln in lines if not ln.is_row]
    whole = sum(1 for t in texts if citation_like([t]) and FINISHED.search(t.rstrip()))
    return len(texts) >= 3 and whole >= ONE_PER_LINE_SHARE * len(texts)


def _walk_unnumbered(lines: list[Line], entries: list[_Entry]) -> None:
    paragraphs = _one_per_line(lines)
    closed = False
    held = ""
    for i, line in enumerate(lines):
        if line.is_row and line.cells[0]:
            closed = True  # a table (a revision log under the list) is not a reference
            continue
        text = BULLET.sub("", " ".join(c for c in line.cells if c)).strip()
        following = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
        if not text or LONE_MARK.match(text) or is_note(text):
            continue
        if held:
            text, held = f"{held} {text}", ""
        if text.lower() in reference_rules().author_particles and author_start(following):
            held = text  # "Van" / "Poznak C, Somerfield MR, ...": a surname cut at its particle
            continue
        finished = not entries or bool(FINISHED.search(entries[-1].text))
        if line.is_heading or (finished and (is_subheading(text, following) or is_trailer(text))):
            continue
        if entries and not closed:
            prev = entries[-1].text
            if _continues(prev, text, paragraphs):
                _join(entries[-1], text, line)
                continue
        if entries and author_start(text):
            particle = re.search(r"\s(\S+)$", entries[-1].text)
            if particle and particle.group(1).lower() in reference_rules().author_particles:
                # "... 2021;4(2):1-9. Van" / "Poznak C, Somerfield MR": a surname cut at its particle
                entries[-1].parts = [entries[-1].text[:particle.start()]]
                text = f"{particle.group(1)} {text}"
        entries.append(_Entry(None, [text], line, line))
        closed = False


def _split_run_together(entry: _Entry) -> list[_Entry]:
    pieces = split_run_together(entry.text)
    if len(pieces) == 1:
        return [entry]
    # a sub-list's label run into the list ("Peer Reviewed Publications:") is no entry
    return [_Entry(None, [p], entry.first, entry.last) for p in pieces if not (is_note(p) or is_subheading(p))]


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


def _last_number(lines: list[Line]) -> int | None:
    for ln in reversed(lines):
        m = marker(ln.text)
        if m:
            return m[0]
    return None


def _carries_on(lines: list[Line], span: SectionSpan) -> bool:
    """Does a section under a heading that no rule knows carry the list above on? Its 'heading'
    is a fragment of an entry ("PMID 18311409", "(NCCN", "2014."), its lines continue the
    list's numbering, or they read as citations under a topic taken for a heading ("EGFR")."""
    heading = (span.heading or "").strip()
    if not heading or match_heading(heading) is not None:
        return False
    if is_tail(heading) or not heading[:1].isalnum() or heading[:1].islower():
        return True
    last = _last_number(lines)
    first = next((m[0] for m in (marker(ln.text) for ln in span.lines) if m), None)
    if last is not None and first is not None:
        return last < first <= last + MAX_NUMBER_GAP + 1
    return last is None and first is None and citations([ln.text for ln in span.lines])


def _continuation(lines: list[Line], span: SectionSpan) -> list[Line]:
    """The lines a carrying-on section adds: its heading too when the entry above is unfinished
    (a wrapped fragment: "FirstSight" / "CRC"), not when it is a topic between entries."""
    last = next((ln.text for ln in reversed(lines) if ln.text.strip()), "")
    head = span.heading_line
    if head is not None and (not FINISHED.search(last.rstrip()) or is_tail(head.text)):
        return [head, *span.lines]
    return list(span.lines)


def _list_shaped(lines: list[Line]) -> bool:
    """Numbered entries, or lines long enough to hold citations (a table's cells printed one per
    line under a "Reference" header cell are a word or two each)."""
    texts = [ln.text for ln in lines if ln.text.strip()]
    if not texts:
        return False  # a heading alone (its entries, if any, come under the next heading)
    if _numbered(lines):
        return True
    return sum(len(t.split()) for t in texts) >= LIST_MIN_WORDS_PER_LINE * len(texts)


# A table's header cell taken for a references heading ("Reference" over "Standard") is followed
# by more cells this short; its lines are numbered this rarely (footnotes "1. Health outcomes not
# assessed" under the table), where a list numbers most of its lines.
HEADER_CELL_MAX_WORDS, NUMBERED_MIN_SHARE = 3, 0.5
# ... and most of its lines are such cells, few carry a year (a list's citations mostly do)
CELL_MIN_SHARE, DATED_MAX_SHARE = 0.4, 0.2
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _header_cells(span: SectionSpan) -> bool:
    """A table printed one cell per line under a header cell that reads like a references
    heading ("Reference" / "Standard" / "Threshold for Positive" ...): its first line is a short
    cell, and so are many of its lines; few are numbered or dated."""
    texts = [ln.text.strip() for ln in span.lines if ln.text.strip()]
    if not texts:
        return False
    first = texts[0]
    if len(first.split()) > HEADER_CELL_MAX_WORDS or re.search(r"[\d.,:;]", first) or not first[:1].isupper():
        return False
    numbered = sum(1 for t in texts if marker(t)) >= NUMBERED_MIN_SHARE * len(texts)
    short = sum(1 for t in texts if len(t.split()) <= HEADER_CELL_MAX_WORDS)
    dated = sum(1 for t in texts if _YEAR.search(t))
    return not numbered and short >= CELL_MIN_SHARE * len(texts) and dated < DATED_MAX_SHARE * len(texts)


def _lists(sections: list[SectionSpan], repeated: Repeated) -> list[list[Line]]:
    """The lines of each reference list: a references section, with the sections that carry it
    on after a false heading or page furniture. A sub-section that only inherited the kind (an
    unknown heading under References) is a list of its own when its lines read as citations."""
    lists: list[list[Line]] = []
    current: list[Line] | None = None
    for span in sections:
        heading = (span.heading or "").strip()
        if current is not None and heading in repeated:
            current.extend(span.lines)  # a running header taken for a heading
            continue
        if current is not None and _carries_on(current, span):
            current.extend(_continuation(current, span))
            continue
        if span.kind != "references":
            current = None
            continue
        rule = match_heading(heading) if heading else None
        texts = [ln.text for ln in span.lines]
        if not _list_shaped(span.lines) or _header_cells(span) or (
                heading and (rule is None or rule.kind != "references") and not (_numbered(span.lines) or citations(texts))):
            # "Documentation for Clinical Review", "Index", a table's "Reference Standard" header
            # cells printed one per line: not a list of citations
            current = None
            continue
        current = list(span.lines)
        lists.append(current)
    return lists


def extract_references(doc: Document, sections: list[SectionSpan]) -> tuple[list[Reference], list[str]]:
    """The entries of every reference list, in the order printed."""
    references: list[Reference] = []
    warnings: list[str] = []
    lists = _lists(sections, repeated_lines(doc, sections, "references"))
    # the furniture again, now that the lists' own lines are known: a tail printed under several
    # citations ("https://www.uptodate.com. Updated August 2023.") repeats only inside them
    repeated = Repeated(doc, {ln.start for lines in lists for ln in lines})
    for raw in lists:
        lines = _before_trailer([ln for ln in raw if ln.text.strip() and not _stray(ln.text, repeated)])
        entries: list[_Entry] = []
        if _numbered(lines):
            _walk_numbered(lines, entries)
        elif sum(ln.is_row for ln in lines) * 2 <= len(lines):
            _walk_unnumbered(lines, entries)
            entries = [part for e in entries for part in _split_run_together(e)]
            entries = _drop_trailing_prose(_before_next_section(_split_at_list_heads(entries)))
            entries = _join_shared_heads(entries)
        # else: a table (a change log under a heading taken for references), not a list
        references.extend(_reference(e) for e in _before_run_in_trailer(entries) if _is_entry(e.text))
    spans = [s for s in sections if s.kind == "references"]
    readable = [ln for s in spans for ln in s.lines if not ln.is_row and not is_empty_entry(ln.text)]
    if not references and readable:
        warnings.append("references: a references section was found but no entries could be read from it")
    return references, warnings


def _before_trailer(lines: list[Line]) -> list[Line]:
    """The list's lines before what a page prints after it: from a line that closes it (the
    policy's maintenance sentence, a signature, a dated label such as "Devised: 09/2023"), and a
    run of dated label lines at its end ("Reviewed: 03/2025", "Last updated 06/2025")."""
    end = next((i for i, ln in enumerate(lines) if ends_list(ln)), len(lines))
    while end and not lines[end - 1].is_row and dated_label(lines[end - 1]) is not None:
        end -= 1
    return lines[:end]


def _before_run_in_trailer(entries: list[_Entry]) -> list[_Entry]:
    """The entries before a closing line run into one of them (one-line web text), that entry cut
    where the closing line starts."""
    for i, e in enumerate(entries):
        cut = trailer_start(e.text)
        if cut is not None:
            e.parts = [e.text[:cut]]
            return entries[:i + 1]
    return entries


def _join_shared_heads(entries: list[_Entry]) -> list[_Entry]:
    """An entry that is only the start other entries share ("National Cancer Network [Internet].
    Clinical practice guidelines in oncology.") was cut from its own title on the next line
    ("Melanoma: Cutaneous. V.3.2024 ..."): a citation is never the start of another one."""
    texts = sorted(e.text for e in entries)
    heads = {a for a, b in zip(texts, texts[1:]) if b.startswith(a) and len(b) > len(a)}
    if not heads:
        return entries
    out: list[_Entry] = []
    for e in entries:
        if out and out[-1].text in heads and not author_start(e.text):
            _join(out[-1], e.text, e.last)
            continue
        out.append(e)
    return out


def _split_at_list_heads(entries: list[_Entry]) -> list[_Entry]:
    """Entries run together where the second starts with a group author that starts other
    entries of the list too."""
    counts = Counter(h for h in (group_head(e.text) for e in entries) if h)
    heads = {h for h, n in counts.items() if n >= 2}
    if not heads:
        return entries
    out: list[_Entry] = []
    for e in entries:
        pieces = split_at_heads(e.text, heads)
        out.extend([e] if len(pieces) == 1 else [_Entry(None, [p], e.first, e.last) for p in pieces])
    return out


def _before_next_section(entries: list[_Entry]) -> list[_Entry]:
    """The entries before one that opens with the heading of what follows a list on a page, run
    into the list in one-line web text ("Websites for Additional Information American Cancer
    Society. ...")."""
    for i, e in enumerate(entries):
        if opens_next_section(e.text):
            return entries[:i]
    return entries


def _drop_trailing_prose(entries: list[_Entry]) -> list[_Entry]:
    """A page's text after the list ("Policies included in the Medical Policy Manual are not
    intended to ..."): long, with no year, identifier or author list, after the last citation."""
    while entries and len(entries[-1].text.split()) > PROSE_MIN_WORDS and not citation_like([entries[-1].text]) \
            and not author_start(entries[-1].text):
        entries = entries[:-1]
    return entries


def _stray(text: str, repeated: Repeated) -> bool:
    """Page furniture, or a short line printed elsewhere in the document too (a table cell the
    text layer put inside the list): no part of a citation, which is printed once."""
    s = text.strip()
    short_tail = is_tail(s) or (len(s.split()) <= 4 and citation_like([s]))  # "February 2, 2021."
    return ((s in repeated and not short_tail) or is_furniture(s)
            or (len(s.split()) <= STRAY_MAX_WORDS and re.search(r"[A-Za-z]{3}", s) and not citation_like([s])
                and not is_tail(s)
                and marker(s) is None and repeated.elsewhere(s)))


def _is_entry(text: str) -> bool:
    """Not an empty list's 'None', a mark or a lone word; a bare URL is an entry."""
    return (bool(text) and not is_empty_entry(text) and not LONE_MARK.match(text)
            and (len(text.split()) >= 2 or find_url(text) is not None))
