"""Word-level redline of two texts: which words were kept, deleted and inserted.

Words are compared by their normalisation keys (see normalize.py), so a word that differs only
by layout (quotes, hyphenation at a wrap, a citation marker) is shown as kept. What is shown is
the cleaned text a reader sees: markup removed, table cells separated by " | ".
"""
from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from .match import WordCoder
from .model import Segment
from ..textnorm import clean_markup, is_marker, normalize_lines

_WS = re.compile(r"\s+")
_WRAPPED_WORD = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[^\W\d_])")
# An equal run this short between two changes reads better folded into the change
# ("~~the old~~ **a new** wording" rather than "~~old~~ the **new**").
_ISLAND = 2
_ISLAND_CONTEXT = 5


def display_text(text: str) -> str:
    """The cleaned text of one paragraph, as shown in reports."""
    text = clean_markup(text).replace("\t", " | ")
    return _WS.sub(" ", text).strip()


def _paragraph_tokens(paragraph: str) -> list[tuple[str, str]]:
    text = display_text(paragraph)
    words = text.split()
    if "- " in text:  # a word hyphenated at a wrap and joined with a space is one word again
        joined: list[str] = []
        for w in words:
            if joined and len(joined[-1]) > 1 and joined[-1].endswith("-") and joined[-1][-2].isalpha() and w[:1].isalpha():
                joined[-1] += w
            else:
                joined.append(w)
        words = joined
    keys = normalize_lines(words, strip_markers=False)
    if words and is_marker(words[0]):
        keys[0] = ""
    if "|" in words:  # a table's cell separator is shown, never compared
        keys = ["" if w == "|" else k for w, k in zip(words, keys)]
    return list(zip(words, keys))


def tokenize(text: str) -> list[tuple[str, str]]:
    """(display, key) word pairs; a token whose key is empty (a bullet, a list number, a cell
    separator) is glued to the next word so it is shown but never compared. Paragraph breaks
    survive as a "\\n" at the start of the first word of the next paragraph."""
    out: list[tuple[str, str]] = []
    pending = ""
    text = _WRAPPED_WORD.sub("-", text)  # a word hyphenated across a line break is one word
    for n, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
        if n:
            pending += "\n"
        first = len(out)
        for disp, key in _paragraph_tokens(paragraph):
            if key:
                out.append((pending + disp, key))
                pending = ""
            elif len(out) > first:  # a cell separator inside a paragraph stays with the word before
                out[-1] = (out[-1][0] + " " + disp, out[-1][1])
            else:  # a list marker at its start goes with the first word
                pending += disp + " "
    if pending.strip() and out:
        disp, key = out[-1]
        out[-1] = (disp + " " + pending.rstrip(), key)
    elif pending.strip():
        out.append((pending.strip(), ""))
    return out


def _runs(a: list[tuple[str, str]], b: list[tuple[str, str]]) -> list[tuple[str, list[str], list[str]]]:
    coder = WordCoder()
    ca = coder.encode([k for _, k in a])
    cb = coder.encode([k for _, k in b])
    runs: list[tuple[str, list[str], list[str]]] = []
    for op in Indel.opcodes(ca, cb):
        olds = [d for d, _ in a[op.src_start:op.src_end]]
        news = [d for d, _ in b[op.dest_start:op.dest_end]]
        if op.tag == "equal":
            runs.append(("equal", olds, news))
        elif runs and runs[-1][0] == "change":
            runs[-1][1].extend(olds)
            runs[-1][2].extend(news)
        else:
            runs.append(("change", olds, news))
    return _fold_islands(runs)


def _fold_islands(runs: list[tuple[str, list[str], list[str]]]) -> list[tuple[str, list[str], list[str]]]:
    out: list[tuple[str, list[str], list[str]]] = []
    for n, run in enumerate(runs):
        if (run[0] == "equal" and 0 < n < len(runs) - 1 and len(run[1]) <= _ISLAND and out
                and out[-1][0] == "change" and runs[n + 1][0] == "change"):
            around = len(out[-1][1]) + len(out[-1][2]) + len(runs[n + 1][1]) + len(runs[n + 1][2])
            if around >= _ISLAND_CONTEXT:
                out[-1][1].extend(run[1])
                out[-1][2].extend(run[2])
                continue
        if run[0] == "change" and out and out[-1][0] == "change":
            out[-1][1].extend(run[1])
            out[-1][2].extend(run[2])
            continue
        out.append((run[0], list(run[1]), list(run[2])))
    return out


def redline(old: str, new: str) -> list[Segment]:
    """Segments in reading order: kept words (shown as in the new text), then for each change
    the deleted words followed by the inserted ones."""
    segments: list[Segment] = []
    for kind, olds, news in _runs(tokenize(old), tokenize(new)):
        if kind == "equal":
            segments.append(Segment(op="equal", text=" ".join(news)))
            continue
        if olds:
            segments.append(Segment(op="delete", text=" ".join(olds)))
        if news:
            segments.append(Segment(op="insert", text=" ".join(news)))
    return segments


def has_change(segments: list[Segment]) -> bool:
    return any(s.op != "equal" for s in segments)
