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
  enumerator, as the mark needs a space after it; `enumerator_mark()` reads a marker's parts
  (paragraphs.py tells lists apart by them), numbers a level down ('2.3.') included;
  `inline_enumerator()` finds one inside a line after a colon; `heading_number()` is a
  heading's numbering ('IV. ', 'Section 4: ');
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


# A roman numeral of two letters or more (one letter is a letter enumerator), 2 to 89, spelled as
# numerals are: "xxviii", "xli", never "ill" or "vix". Grammar rather than a set of letters, as
# lists number their items far down ("XXXVIII. ...") and short words are made of the same letters.
_ROMAN = r"(?=[ivxl]{2})(?:xl|l?x{0,3})(?:ix|iv|v?i{0,3})"


@lru_cache(maxsize=2)
def _enumerator(marker: bool = False) -> str:
    """One enumerator with its punctuation, without the space after it. The `marker` variant names
    its parts (`open`, `tok`, `close`) and takes numbers a level down ("2.3."): it reads the
    marker of what is known to start an item; at a raw line's start a wrapped decimal ("99.9) and
    ...", "0.75. The ...") is as likely, so there a number is a single one."""
    e = lexicon_rules().enumerators
    digits = f"{{1,{e.max_digits}}}"
    number = rf"\d{digits}(?:\.\d{digits})*" if marker else rf"\d{digits}"
    tok = rf"{number}|[A-Za-z]|{_ROMAN}|{_ROMAN.upper()}"
    open_, tok_, close = ("?P<open>", "?P<tok>", "?P<close>") if marker else ("?:", "?:", "?:")
    return rf"({open_}{_chars(e.opening)})?({tok_}{tok})({close}{_chars(e.closing)})"


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
def enumerator_mark() -> re.Pattern[str]:
    """An enumerator before its text or alone on its line, its parts in groups `open`, `tok`
    (the number, letter or numeral) and `close`."""
    return re.compile(rf"^\s*{_enumerator(True)}(?=\s|$)")


@lru_cache(maxsize=1)
def inline_enumerator() -> re.Pattern[str]:
    """The space before a list that starts inside a line, right after its lead's colon
    (': A. The', ': 1) Age', ': ii. Prior')."""
    return re.compile(rf"(?<=:)\s+(?={_enumerator()}\s+\S)")


@lru_cache(maxsize=1)
def heading_number() -> re.Pattern[str]:
    """The numbering printed before a heading, with the space after it: an enumerator ('IV. ',
    'B) ', '2.3. ') or a numbering word and its number ('Section 4: '); in any case."""
    words = "|".join(re.escape(w) for w in lexicon_rules().enumerators.heading_words)
    return re.compile(rf"^\s*(?:{_enumerator(True)}\s+|(?:{words})\s+\d+[.:]?\s+)", re.I)


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


__all__ = ["bullet_prefix", "bullet_run", "continuation_bullet", "enumerator_mark", "enumerator_prefix",
           "heading_number", "inline_enumerator", "is_empty_value", "item_prefix", "lone_bullet",
           "private_use_bullets"]
