"""Find the phrases of a vocabulary (labels, organisation names) in long text, fast.

One regular expression of a few hundred alternatives is tried at every character of the text:
on a 2 MB web page that costs seconds. Here the text is cut into words once, and a phrase is
tried only where a word starts it, with one anchored pattern per first word (its phrases
longest first). A word is a run of letters or digits, camel-case humps split so that a label a
text layer glued to the word before it is still found ("NewLast Review Date" -> "Last").
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|&")


def first_word(phrase: str) -> str:
    m = WORD.search(phrase)
    return m.group().lower() if m else ""


class PhraseIndex:
    """Phrases grouped by their first word; `build(phrases)` returns the pattern source of one
    group (anchored where the word starts)."""

    def __init__(self, phrases: Iterable[str], build: Callable[[list[str]], re.Pattern]) -> None:
        groups: dict[str, list[str]] = {}
        for p in phrases:
            groups.setdefault(first_word(p), []).append(p)
        self.by_first = {w: build(sorted(ps, key=len, reverse=True)) for w, ps in groups.items() if w}

    def matches(self, text: str) -> Iterator[re.Match]:
        """Every match of a phrase at a word start, left to right (they may overlap: the caller
        keeps the ones it accepts)."""
        by_first = self.by_first
        if by_first.keys().isdisjoint(map(str.lower, WORD.findall(text))):
            return  # no word of the text starts a phrase (most lines): one pass in C
        for w in WORD.finditer(text):
            pat = by_first.get(w.group().lower())
            if pat is not None:
                m = pat.match(text, w.start())
                if m:
                    yield m
