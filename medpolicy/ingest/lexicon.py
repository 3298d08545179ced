"""The text's own marks, read the same way by every reader: the bullet or enumerator that starts
a list item and the words printed in place of a missing value (rules/lexicon.json).

Each reader takes the pattern for the question it asks, all built here from the one list of
marks:
- `bullet_prefix()`: one bullet at a line's start and the space after it ('• ', '- ', 'o ', or
  a glyph glued to its word, '•Item'); group `mark` is the bullet itself;
- `bullet_run()`: every bullet at a line's start ('• o Item' -> 'Item'), to strip them;
- `lone_bullet()`: a line that is only a bullet (a text layer put the mark on a line of its own);
- `continuation_bullet()`: a bullet before a word in lower case (a sentence cut at a page break
  and picked up under a bullet);
- `enumerator_prefix()`: '1. ', '(a) ', 'iv) ', 'B. ' at a line's start; a decimal ('1.5') is no
  enumerator, as the mark needs a space after it;
- `item_prefix()`: either of the two: the line starts a list item;
- `is_empty_value()`: 'N/A', 'None', '-' and the like.

Patterns are compiled once, when a reader imports them: nothing here runs per line but the
match itself.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .vocab import empty_value_key, lexicon_rules


def _chars(marks: tuple[str, ...] | str) -> str:
    return "[" + "".join(re.escape(c) for c in marks) + "]"


@lru_cache(maxsize=1)
def _bullet() -> str:
    """One bullet, without the space after it: a glyph before a space, a glued glyph before
    anything (its word, or the line's end: a mark the text layer put on a line of its own), a
    letter before a space and more text."""
    b = lexicon_rules().bullets
    glyphs, glued = b.glyphs + b.private_use_for(b.glyphs), b.glued + b.private_use_for(b.glued)
    return rf"(?:{_chars(glyphs)}(?=\s)|{_chars(glued)}|{_chars(b.letters)}(?=\s+\S))"


def private_use_bullets() -> dict[int, str]:
    """Code point -> glyph of the bullets symbol fonts draw in the Private Use Area (a
    str.translate table)."""
    return {int(k, 16): v for k, v in lexicon_rules().bullets.private_use.items()}


@lru_cache(maxsize=1)
def _enumerator() -> str:
    """One enumerator with its punctuation, without the space after it."""
    e = lexicon_rules().enumerators
    roman = f"{{2,{e.max_roman}}}"  # one letter is a letter enumerator already
    return (rf"{_chars(e.opening)}?(?:\d{{1,{e.max_digits}}}|[A-Za-z]|{_chars(e.roman_digits)}{roman}"
            rf"|{_chars(e.roman_digits.upper())}{roman}){_chars(e.closing)}")


@lru_cache(maxsize=1)
def bullet_prefix() -> re.Pattern[str]:
    return re.compile(rf"^\s*(?P<mark>{_bullet()})\s*")


@lru_cache(maxsize=1)
def bullet_run() -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{_bullet()}\s*)+")


@lru_cache(maxsize=1)
def lone_bullet() -> re.Pattern[str]:
    b = lexicon_rules().bullets
    return re.compile(rf"^\s*{_chars(b.glyphs + b.private_use_for(b.glyphs) + b.letters)}\s*$")


@lru_cache(maxsize=1)
def continuation_bullet() -> re.Pattern[str]:
    return re.compile(rf"^\s*{_bullet()}\s*(?=[a-z])")


@lru_cache(maxsize=1)
def enumerator_prefix() -> re.Pattern[str]:
    return re.compile(rf"^\s*{_enumerator()}\s+")


@lru_cache(maxsize=1)
def item_prefix() -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{_bullet()}\s*|{_enumerator()}\s+)")


@lru_cache(maxsize=1)
def _empty_values() -> frozenset[str]:
    return lexicon_rules().empty_values.words


def is_empty_value(text: str) -> bool:
    """True when `text` is what a document prints for a missing value ('N/A', 'None.', '-');
    never for an empty string (nothing printed is not a printed value)."""
    return empty_value_key(text) in _empty_values()


__all__ = ["bullet_prefix", "bullet_run", "continuation_bullet", "enumerator_prefix", "is_empty_value",
           "item_prefix", "lone_bullet", "private_use_bullets"]
