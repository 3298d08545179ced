"""Text normalisation shared by ingest, the record models and the diff.

Three layers, each used where it belongs:

1. Characters (`CHAR_MAP`, `unify_characters`): spaces, zero-width marks, soft hyphens, smart
   quotes and hyphen look-alikes that a reader cannot tell apart. Ingest applies them to every
   line it reads; comparison keys start from them too.
2. Markup and page markers (`MD_LINK`, `ANGLE_URL`, `TAG`, `BLOCK_TAG`, `PAGE_MARKER`,
   `clean_markup`): HTML and markdown remnants and "Page 2 of 10" lines. The patterns never
   cross a newline, so they serve ingest (one line at a time) and the diff (many lines joined,
   one pass) alike.
3. Comparison keys (`normalize_lines`, `text_key`, `text_keys`, `loose_key`): the text a reader
   sees without layout noise, so that line wrapping, hyphenation at a wrap, whitespace, quote
   and dash styles, bullets, list numbering, markup, running page numbers and citation markers
   never count as differences. Record identities (models) and the diff compare keys, never raw
   text. Keys are built for many lines at once (one pass of each regular expression over the
   joined text) because a 100-page policy has thousands of paragraphs and per-line Python work
   would dominate the diff's time budget.

Case is kept in keys: a capitalisation change inside a statement is still a change of wording
(the diff classes it as editorial); callers that only want similarity lower-case the keys.
"""
from __future__ import annotations

import html
import re
import unicodedata
from typing import Sequence

# -- 1. characters -------------------------------------------------------------------------

CHAR_MAP = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
    "\u200a": " ", "\u3000": " ", "\u2028": "\n", "\u2029": "\n",
    "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u00ad": None,
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-",
})


def unify_characters(text: str) -> str:
    """Characters a reader cannot tell apart made one (CHAR_MAP)."""
    return text if text.isascii() else text.translate(CHAR_MAP)  # every mapped character is beyond ASCII


# -- 2. markup and page markers --------------------------------------------------------------

MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\n]|\([^)\n]*\))*\)")
ANGLE_URL = re.compile(r"<((?:https?|ftp)://[^>\s]+|www\.[^>\s]+)>")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:[^\S\n][^<>\n]*)?/?>")
BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|br|tr|table|h[1-6])(?:[^\S\n][^<>\n]*)?/?>", re.I)
# A line that is only a page label: "Page 2", "Page: 2 of 10", "2 of 10", "- 3 -", "4 | Page".
PAGE_MARKER = re.compile(
    r"^\s*(?:page\s*:?\s*(\d{1,4})(?:\s*(?:of|/)\s*(\d{1,4}))?|(\d{1,4})\s*(?:of|/)\s*(\d{1,4})|"
    r"-\s*(\d{1,4})\s*-|(\d{1,4})\s*\|\s*page)\s*$",
    re.I,
)

# A page label anywhere in a line ("Plan name      Page 2 of 14"), as running headers print it.
PAGE_LABEL = re.compile(r"\bpage\s*:?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b", re.I)


def clean_markup(text: str) -> str:
    """Markup removed, for display and comparison: markdown links and emphasis, HTML tags (a
    block tag leaves a space, an inline one nothing) and entities."""
    if "](" in text:
        text = MD_LINK.sub(r"\1", text)
    if "<" in text:
        text = ANGLE_URL.sub(r"\1", text)
        text = BLOCK_TAG.sub(" ", text)
        text = TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    for mark in ("**", "__"):
        if mark in text:
            text = text.replace(mark, "")
    return text


# -- 3. comparison keys ----------------------------------------------------------------------

# Citation markers renumber whenever a reference is added, so they are not part of the wording.
# Superscripts count only when they follow a letter or punctuation ("bladder⁵⁴", "system,⁵⁵"),
# never a digit ("10⁹/L" is a quantity). Every pattern starts with a literal: the regex engine
# scans for a literal prefix in C, while a leading class or look-behind is tried at every position
# and cost more than all the rest of the diff on a 100-page policy.
_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_CARET_CITATION = re.compile(r"\^(?:\{[\d,\t \-–]+\}|\d+(?:[,\-–]\d+)*)")
_BRACKET_CITATION = re.compile(r"\[\d{1,3}(?:[\t ]*[,\-–][\t ]*\d{1,3})*\](?!\()")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_FURNITURE = re.compile(r"age:?[ \t]*\d+[ \t]*(?:of|/)[ \t]*\d+")
_FURNITURE_UPPER = re.compile(r"AGE:?[ \t]*\d+[ \t]*(?:OF|/)[ \t]*\d+")
# A line that is only a page number. "8/2020" on its own is a date (a history table cell), so the
# bare "N/M" form is not accepted.
_FURNITURE_LINE = re.compile(r"(?i)(?:page[ \t]*\d+(?:[ \t]*(?:of|/)[ \t]*\d+)?|\d{1,3}[ \t]+of[ \t]+\d{1,3}|-[ \t]*\d{1,3}[ \t]*-)")
_LINE_MARKERS = re.compile(
    r"(?:[-*•▪●◦·‣⁃■□➢➤✓✔o>][ \t]+"
    r"|(?:\(?\d{1,3}[.)]|\(?[A-Za-z][.)]|\(?[ivxlIVXL]{1,5}[.)]|\[\d{1,3}\])[ \t]+)+")
_MARKER_START = frozenset("-*•▪●◦·‣⁃■□➢➤✓✔>([0123456789") | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A hyphen at a wrap joined with a space ("well- conducted") or kept ("well-conducted") and a
# soft hyphen dropped by a PDF tool ("treatment") all become one word.
_HYPHEN = re.compile(r"-[ \t]*(?=\w)")
_SPACES = re.compile(r"  +")
# Targeted replacements first (str.replace of a character absent from the text costs almost
# nothing); full NFKC only runs when something else remains to normalise. The reader-invisible
# characters of CHAR_MAP come first (a line separator is a space here: keys are one line each),
# then what only comparison ignores: dash styles, bullets, ligatures, emphasis characters.
_KEY_ONLY = (
    ("\u201f", '"'), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"), ("\u2015", "-"), ("\u2212", "-"),
    ("\u2060", ""), ("•", " "), ("▪", " "), ("●", " "), ("◦", " "), ("‣", " "), ("⁃", " "), ("■", " "),
    ("□", " "), ("➢", " "), ("➤", " "), ("\t", " "), ("\r", " "), ("\f", " "), ("\v", " "),
    ("\u2026", "..."), ("\ufb01", "fi"), ("\ufb02", "fl"), ("\ufb00", "ff"), ("\ufb03", "ffi"),
    ("\ufb04", "ffl"), ("\u2122", "TM"), ("*", ""), ("\\", ""), ("`", ""),
)
_REPLACE = tuple((chr(k), " " if v == "\n" else (v or "")) for k, v in CHAR_MAP.items()) + _KEY_ONLY
_ASCII_REPLACE = tuple(pair for pair in _KEY_ONLY if pair[0].isascii())


def _drop_superscript_citations(text: str) -> str:
    """Remove runs of superscript digits ("⁵⁴", "⁵⁷,⁵⁸") that follow a word or punctuation.
    Found with str.find: a regex starting with a character class scans far slower."""
    positions = sorted(i for c in _SUP for i in _find_all(text, c))
    if not positions:
        return text
    runs: list[list[int]] = []
    for i in positions:
        if runs and (i == runs[-1][1] or (i == runs[-1][1] + 1 and text[i - 1] in ",-–")):
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    out: list[str] = []
    pos = 0
    for start, end in runs:
        before = text[start - 1] if start else " "
        if before.isspace() or before.isdigit():
            continue
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _find_all(text: str, char: str):
    i = text.find(char)
    while i >= 0:
        yield i
        i = text.find(char, i + 1)


def _join_hyphen(m: re.Match) -> str:
    """A hyphen attached to the word before it: a wrap space after it goes ("CD19- directed",
    "(EBV)- associated"), and between two letters or digits the hyphen goes too, so "well-
    conducted", "well-conducted" and a PDF's "wellconducted" are one word."""
    if m.start() == 0:
        return m.group()
    before = m.string[m.start() - 1]
    if before.isspace():
        return m.group()
    return "" if before.isalnum() or before == "_" else "-"


def _drop_page_label(text: str, pattern: re.Pattern) -> str:
    """Remove running "Page 2 of 10" labels left inside a paragraph (the literal search finds
    "age"; the P before it is checked here)."""
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        start = m.start() - 1
        if start >= 0 and text[start] in "Pp" and (start == 0 or not text[start - 1].isalnum()):
            out.append(text[pos:start])
            out.append(" ")
            pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _nfkc(m: re.Match) -> str:
    return unicodedata.normalize("NFKC", m.group())


def _has_superscript(text: str) -> bool:
    return any(c in text for c in _SUP)


def _strip_line(line: str, strip_markers: bool) -> str:
    line = line.strip()
    if not line:
        return line
    if len(line) < 16 and _FURNITURE_LINE.fullmatch(line):
        return ""
    if strip_markers and line[0] in _MARKER_START:
        m = _LINE_MARKERS.match(line)
        if m:
            line = line[m.end():]
    return line


# Keys of short lines already seen, per `strip_markers`: a diff normalises the same lead
# sentences, criteria and words several times (identity, content, classes, redlines). Bounded:
# emptied when full, so a long-running process does not grow without end.
_CACHE: dict[bool, dict[str, str]] = {True: {}, False: {}}
_CACHE_MAX = 50_000
_CACHE_LINE_MAX = 240


def normalize_lines(lines: list[str], *, strip_markers: bool = True) -> list[str]:
    """One comparison key per line (lines must not contain newlines).

    `strip_markers` drops a bullet or list number at the start of each line: a renumbered list
    item, or one bulleted differently, says the same thing. Each line's key depends on that line
    alone; identical lines are normalised once, so two similar editions cost little more than
    one."""
    if not lines:
        return []
    cache = _CACHE[strip_markers]
    found: dict[str, str] = {}
    missing: list[str] = []
    for ln in dict.fromkeys(lines):
        key = cache.get(ln)
        if key is None:
            missing.append(ln)
        else:
            found[ln] = key
    if missing:
        keys = _normalize(missing, strip_markers)
        found.update(zip(missing, keys))
        if len(cache) + len(missing) > _CACHE_MAX:
            cache.clear()
        cache.update((ln, k) for ln, k in zip(missing, keys) if len(ln) <= _CACHE_LINE_MAX)
    return [found[ln] for ln in lines]


def _normalize(unique: list[str], strip_markers: bool) -> list[str]:
    """Keys of distinct lines, each regular expression run once over all of them joined."""
    text = "\n".join(unique)
    if "^" in text:
        text = _CARET_CITATION.sub("", text)
    if "[" in text:
        text = _BRACKET_CITATION.sub("", text)
    text = clean_markup(text)
    if _has_superscript(text):
        text = _drop_superscript_citations(text)
    if not text.isascii():
        for old, new in _REPLACE:
            if old in text:
                text = text.replace(old, new)
        if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
            text = _NON_ASCII.sub(_nfkc, text)
    else:
        for old, new in _ASCII_REPLACE:
            if old in text:
                text = text.replace(old, new)
    if "age" in text:
        text = _drop_page_label(text, _FURNITURE)
    if "AGE" in text:
        text = _drop_page_label(text, _FURNITURE_UPPER)
    if "-" in text:
        text = _HYPHEN.sub(_join_hyphen, text)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    keys = [_strip_line(ln, strip_markers) for ln in text.split("\n")]
    if len(keys) != len(unique):  # a pattern must never merge or split lines
        raise AssertionError("normalisation changed the number of lines")
    return keys


def is_marker(word: str) -> bool:
    """True for a lone bullet or list number ("•", "3.", "b)", "[12]")."""
    return bool(word) and word[0] in _MARKER_START and _LINE_MARKERS.fullmatch(word + " ") is not None


def rejoin(key: str) -> str:
    """Join a word hyphenated across two keys that were put together with a space."""
    return _HYPHEN.sub(_join_hyphen, key) if "-" in key else key


def text_keys(texts: Sequence[str | None], *, strip_markers: bool = True) -> list[str]:
    """`text_key` of many texts in one normalisation pass."""
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    for text in texts:
        parts = text.split("\n") if text else []
        spans.append((len(lines), len(lines) + len(parts)))
        lines.extend(parts)
    keys = normalize_lines(lines, strip_markers=strip_markers)
    out = []
    for start, end in spans:
        if end - start == 1:  # one line: normalize_lines joined its hyphenated words already
            out.append(keys[start])
            continue
        joined = " ".join(k for k in keys[start:end] if k)
        out.append(_HYPHEN.sub(_join_hyphen, joined) if "-" in joined else joined)
    return out


def text_key(text: str | None, *, strip_markers: bool = True) -> str:
    """The key of a whole (possibly multi-line) text: its lines' keys joined by spaces, with a
    word hyphenated across two lines joined again."""
    if not text:
        return ""
    keys = normalize_lines(text.split("\n"), strip_markers=strip_markers)
    joined = " ".join(k for k in keys if k)
    return _HYPHEN.sub(_join_hyphen, joined)


def loose_key(text: str | None) -> str:
    """A case-insensitive key, for names and titles whose capitalisation varies with layout."""
    return text_key(text, strip_markers=False).casefold()
