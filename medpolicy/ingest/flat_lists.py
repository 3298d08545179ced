"""Entries of a list that flattened web-page text ran together (see flat.py).

Under a heading, a flattened reference list, revision history or code table is one long
paragraph. Its entries still start the way entries start:
- a reference with its authors after the end of the one before ("... 2004; 10(20):6897-6904.
  Balic M, Dandachi N, ..." in Vancouver style, "... e0237802. Woodhouse, R., Li, M., ..." in APA
  style), or with an organisation and a year ("... (Level 4 evidence) National Comprehensive
  Cancer Network (2025, January). ...");
- a history row with its date after the end of the row before, maybe led by a status word
  ("... review. Reviewed 05/13/2010 MPTAC review. 01/01/2012 Updated Coding ..."); a date inside
  a summary follows a word of the sentence ("with 10/01/2024 CPT changes", "effective
  01/01/2026"), not the end of one;
- a code row with a bare code before its description ("...; 86153 Cell enumeration ...").
Entries become items (references), rows of cells (history: status, date, summary; codes: code,
description). Only long paragraphs are split: an HTML list already has one block per entry.
"""
from __future__ import annotations

import re

from .dates import find_dates
from .document import Block, BlockKind
from .sections import match_heading

MIN_RUN_CHARS = 300  # a paragraph shorter than this holds one entry

# -- references ----------------------------------------------------------------------------------

_NAME = r"(?:(?:van|von|de|da|del|der|di|le|la)\s)?[A-Z][A-Za-z'’\-]+"
_VANCOUVER = re.compile(rf"{_NAME}(?:[ -][A-Z][A-Za-z'’\-]+)?\s[A-Z]{{1,3}}(?:,\s|\.\s(?=[A-Z][a-z])|\s+et al)")
_APA = re.compile(rf"{_NAME},\s(?:[A-Z]\.\s?-?){{1,3}}(?:,|\s&|\s\(|\s[A-Z][a-z])")
_ORG_YEAR = re.compile(r"(?:[A-Z][\w.&'’-]*(?:\s(?:of|for|and|&|the|on))?\s){0,8}[A-Z][\w.&'’-]*\.?\s\((?:19|20)\d\d\b")
_ORG_DOT = re.compile(r"(?:[A-Z][\w&'’-]*(?:\s(?:of|for|and|&|the|on))?\s){0,6}[A-Z][\w&'’-]*(?:\s\([A-Z]{2,8}\))?\.\s[A-Z]")
# what the end of an entry looks like: pages, a year, a DOI or URL, an access date, a note in brackets
_ENTRY_END = re.compile(r"(?:\d[\d\-–:;()]*|\b(?:19|20)\d\d[a-z]?|\bdoi:\S+|https?://\S+|www\.\S+|\))\.?\s*$"
                        r"|[.):]\s*$", re.I)
# a title-case label of a sub-list ("Peer Reviewed Publications:", "Government Agency, Medical
# Society, and Other Authoritative Publications:")
_TITLE_WORD = r"(?:[A-Z][\w,]*|and|of|for|the|&)"
_SUBLIST = re.compile(rf"[A-Z][\w,]*(?:\s{_TITLE_WORD}){{0,10}}\s[A-Z][a-z]{{3,}}:\s")


_TWO_AUTHORS = re.compile(rf"{_NAME},\s(?:[A-Z]\.\s?-?){{1,3}},\s{_NAME},\s(?:[A-Z]\.\s?-?){{1,3}}[,&]"
                          rf"|{_NAME}(?:[ -][A-Z][A-Za-z'’\-]+)?\s[A-Z]{{1,3}},\s{_NAME}\s[A-Z]{{1,3}}[,.]")
_STRONG_END = re.compile(r"(?:\d[\d\-–:;()]*\.|\b(?:19|20)\d\d\.|https?://\S+|www\.\S+|evidence\)|reviewed\))\s*$", re.I)
_AUTHOR_BEFORE = re.compile(r"(?:\b[A-Z]\.\s?)+,\s*$|\b[A-Z][A-Za-z'’\-]+\s[A-Z]{1,3},\s*$"
                            r"|\b[A-Z]{1,3},\s+(?:[Dd]e[lr]?|[Vv][ao]n|[Dd][aiu]|[Ll][ae]|[Dd]os|[Dd]as)\s*$"
                            r"|(?:^|\s)(?:van|von|de|del|der|da|di|du|le|la|dos|das)\s*$")
_NUMBERED = re.compile(r"(?:(?<=\s)|^)(\d{1,3})\.\s+(?=[A-Z])")
_ORG_YEAR_NO_DOT = re.compile(r"(?:[A-Z][\w&'’-]*(?:\s(?:of|for|and|&|the|on))?\s){0,8}[A-Z][\w&'’-]*\s\((?:19|20)\d\d\b")
_ORG_COLON = re.compile(r"[A-Z][\w.&'’-]*(?:\s[\w.&'’-]+){0,3}:\s[A-Z]")


def _reference_starts(text: str) -> list[int]:
    starts = []
    for m in re.finditer(r"(?<=\s)(?=[A-Z]|(?:van|von|de|da|del|der|di|le|la)\s[A-Z])", text):
        pos = m.start()
        before = text[max(0, pos - 200):pos]
        rest = text[pos:pos + 160]
        if _TWO_AUTHORS.match(rest) and not _AUTHOR_BEFORE.search(before):
            starts.append(pos)  # a list of authors only starts an entry, wherever it stands
            continue
        if not _ENTRY_END.search(before):
            continue
        strong = _VANCOUVER.match(rest) or _APA.match(rest)
        end_strong = re.search(r"(?:\d|\))\.?\s*$|[.:]\s*$", before)
        if strong and end_strong:
            starts.append(pos)
        elif _SUBLIST.match(rest) and re.search(r"[.)]\s*$", before):
            starts.append(pos)  # "... 5701-5710. Government Agency, ... Publications: Andre F, ..."
        elif (_ORG_YEAR.match(rest) or _ORG_DOT.match(rest) or _ORG_COLON.match(rest)) and _STRONG_END.search(before):
            starts.append(pos)
        elif _ORG_YEAR_NO_DOT.match(rest) and re.search(r"[.)]\s*$", before):
            starts.append(pos)  # "... PubMed database. Cancer Network (2024, December). ..."
    # "... retrieved from the Cancer Network Cancer Network (2024, July). ...": the source named at
    # the end of one entry is the author of the next
    for m in re.finditer(r"((?:[A-Z][\w&'’-]*\s){1,6})\1(?=\((?:19|20)\d\d)", text):
        starts.append(m.start() + len(m.group(1)))
    return sorted(set(starts))


def _numbered_starts(text: str) -> list[int]:
    """Where "1. ... 2. ... 3. ..." entries start, counting up from 1 (at least three of them)."""
    starts: list[int] = []
    want = 1
    for m in _NUMBERED.finditer(text):
        if int(m.group(1)) == want:
            starts.append(m.start())
            want += 1
    return starts if len(starts) >= 3 else []


def _split_references(text: str) -> list[str]:
    starts = _numbered_starts(text) or _reference_starts(text)
    # a sub-list label ("Peer Reviewed Publications:") before the first entry is its own line
    cuts = sorted(set([0, *starts]))
    parts = [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)])]
    return [p for p in parts if p]


# -- history rows ----------------------------------------------------------------------------------

_STATUS = re.compile(r"[A-Z][a-z]{2,12}$")
# header words of a history table, never a row's status
_HEADER_WORDS = {"Date", "Dates", "Action", "Actions", "Status", "Summary", "Comments", "Description", "Changes",
                 "Change", "Reason", "Explanation", "Details", "Approval", "Revision"}


def _history_rows(text: str) -> list[tuple[str, str, str]] | None:
    """(status, date, summary) rows, or None when the text is not a run of dated rows."""
    starts: list[tuple[int, int, int, str]] = []  # row start, date start, date end, status
    dates = find_dates(text)
    for k, d in enumerate(dates):
        before = text[:d.start].rstrip()
        after = text[d.end:d.end + 3].lstrip()
        # a row goes on with its text or its next date cell; a date before a number
        # ("09/23/2004 2.11.23 Title") is a cell of another table (a document's number and title)
        next_date = k + 1 < len(dates) and not text[d.end:dates[k + 1].start].strip()
        if not after[:1].isupper() and not next_date:
            continue
        status = ""
        m = re.search(r"(\S+)$", before)
        word = m.group(1) if m else ""
        row_start = d.start
        lead = before[: -len(word)].rstrip() if word else ""
        if word and _STATUS.fullmatch(word) and word not in _HEADER_WORDS and (re.search(r"(?:^|[.;)]|\d)\s*$", lead or ".")
                                                 or (not starts and _header_words(lead))):
            status, row_start = word, m.start()
        elif before and not re.search(r"[.;)]$|\d$", before) and not (not starts and _header_words(before)):
            continue  # "with 10/01/2024 CPT changes": a date inside a sentence
        elif before and re.search(r"\d$", before) and not starts:
            continue
        starts.append((row_start, d.start, d.end, status))
    if len(starts) < 2:
        return None
    rows = []
    ends = [s[0] for s in starts[1:]] + [len(text)]
    for (row_start, ds, de, status), end in zip(starts, ends):
        rows.append((status, text[ds:de], text[de:end].strip()))
    head = text[:starts[0][0]].strip()
    if head:
        rows.insert(0, ("", "", head))
    return rows


def _header_words(text: str) -> bool:
    """A table's header row run into its first row: "Status Date Action"."""
    words = text.split()
    return 1 <= len(words) <= 6 and all(w[:1].isupper() and w.isalpha() for w in words)


# -- code rows ---------------------------------------------------------------------------------------

_CODE = r"(?:\d{4}[0-9A-Z]|[A-V]\d{4})"
_CODE_ROW = re.compile(rf"(?<=[\s;:,)])(?={_CODE}\s+[A-Z(\[])(?!{_CODE}\s+{_CODE}\b)")


def _code_rows(text: str) -> list[str]:
    cuts = [m.start() for m in _CODE_ROW.finditer(text)]
    if len(cuts) < 2:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


# -- the walk ----------------------------------------------------------------------------------------

def split_entries(blocks: list[Block]) -> list[Block]:
    """The blocks with long paragraphs under reference, history and coding headings split into
    their entries."""
    out: list[Block] = []
    kind = ""
    for b in blocks:
        if b.kind is BlockKind.HEADING:
            rule = match_heading(b.text, exact=True)
            if rule is not None:
                kind = rule.kind
            out.append(b)
            continue
        if b.kind is not BlockKind.PARAGRAPH or len(b.text) < MIN_RUN_CHARS:
            out.append(b)
            continue
        if kind == "references":
            parts = _split_references(b.text)
            out += [Block(BlockKind.PARAGRAPH if p.endswith(":") and "." not in p[:-1].replace("e.g.", "") else BlockKind.ITEM,
                          p, page=b.page, gap=b.gap if k == 0 else 0) for k, p in enumerate(parts)]
        elif kind == "history" and (rows := _history_rows(b.text)):
            with_status = any(r[0] for r in rows)
            for k, (status, date, summary) in enumerate(rows):
                if not date:
                    head = Block.row(summary.split(), page=b.page, gap=b.gap) if _header_words(summary) \
                        else Block(BlockKind.PARAGRAPH, summary, page=b.page, gap=b.gap)
                    out.append(head)
                    continue
                cells = [status, date, summary] if with_status else [date, summary]
                out.append(Block.row(cells, page=b.page, gap=b.gap if k == 0 else 0))
        elif kind == "coding":
            parts = _code_rows(b.text)
            out += [Block(BlockKind.PARAGRAPH, p, page=b.page, gap=b.gap if k == 0 else 0) for k, p in enumerate(parts)]
        else:
            out.append(b)
    return out
