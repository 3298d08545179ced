"""Character clean-up of PDF text and the resolution of line-end hyphens.

PDF fonts leave traces in extracted text that no other format has: private-use code points
from symbol fonts (bullets drawn with Wingdings or Symbol), typographic ligatures, soft hyphens
and PDFium's own mark for a hyphen it joined at a line end. `clean_chars` maps those to plain
text. `resolve_hyphens` then decides, for every marked line-end hyphen, whether the word was
hyphenated by the author ("well-conducted": keep) or split by the typesetter ("treat-ment":
join), using the words of the whole document as evidence: the form that occurs elsewhere
wins; with no evidence a split is only undone when one half cannot be a word (a suffix such as
"-ment", a fragment without a vowel), since authors' hyphens are far more common in policies
than typesetters' ones.
"""
from __future__ import annotations

import re

from .normalize import LIGATURES, PUA_BULLETS
from .pdf_layout import HYPHEN_MARK

_PUA_BULLETS = PUA_BULLETS
_LIGATURES = LIGATURES
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")


def _char_map() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in range(0xE000, 0xF900):
        table[cp] = None
    table.update(_PUA_BULLETS)
    table.update({ord(k): v for k, v in _LIGATURES.items()})
    table.update(_SPACES)
    for cp in list(range(0, 32)) + [0x7F]:
        table[cp] = None
    table[ord("\t")] = "\t"
    table[0x02] = HYPHEN_MARK  # PDFium's end-of-line hyphen in older builds
    table[0x200B] = None  # zero-width space
    table[0xFEFF] = None
    return table


_MAP = _char_map()
_MULTISPACE = re.compile(r" {2,}")


def clean_chars(text: str) -> str:
    """Plain text from one line of PDF text; TABs and the hyphen mark survive."""
    if text.isascii() and text.isprintable() and "  " not in text:
        return text.strip(" ")  # most lines: nothing to map
    text = text.translate(_MAP)
    if "\u00ad" in text:
        # a soft hyphen at a line end marks a split word; inside a line it is invisible
        text = re.sub("\u00ad$", HYPHEN_MARK, text).replace("\u00ad", "")
    return _MULTISPACE.sub(" ", text).strip(" ")


# Endings that are never words on their own: a line that starts with one continues a word
# split by the typesetter ("treat-" + "ment").
_SUFFIXES = frozenset(
    "tion tions sion sions ment ments ness ity ities ance ances ence ences ing ings ed er ers est "
    "ly ally ically ous ious ive ives able ably ible ibly ize ized izes izing ise ised ism isms ist "
    "ists ure ures age al ial ials ic ics ical ent ents ant ants ary ory ery cy sy ty ry ia ium "
    "ology ologic ological ography ectomy otomy itis osis oses emia".split()
)
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
_PUNCT = ".,;:!?()[]{}<>\"'“”‘’*#%&+=|~`^$@\t"
_AROUND = re.compile(r"([A-Za-z0-9]*)" + HYPHEN_MARK + r"([A-Za-z0-9]*)")


def document_vocabulary(text: str) -> tuple[set[str], set[str]]:
    """Lower-cased words of the document, and its hyphenated compounds, outside marked splits.
    (Whitespace tokens stripped of punctuation: several times faster than a word regex over
    a whole document, and the same words for this purpose.)"""
    words: set[str] = set()
    compounds: set[str] = set()
    # each distinct token once (a document repeats most of its words many times); the split
    # words around a mark are dropped token by token, as they never cross a space or a slash
    tokens: set[str] = set()
    for token in set(text.replace("/", " ").split()):
        if HYPHEN_MARK in token:
            tokens.update(_AROUND.sub(" ", token).lower().split())
        else:
            tokens.add(token.lower())
    for token in tokens:
        token = token.strip(_PUNCT)
        if not token:
            continue
        if "-" in token:
            compounds.add(token)
            words.update(token.split("-"))
        else:
            words.add(token)
    return words, compounds


def resolve_hyphens(text: str, words: set[str], compounds: set[str]) -> str:
    """Replace each hyphen mark by '' (a split word) or '-' (a hyphenated compound)."""
    if HYPHEN_MARK not in text:
        return text

    def decide(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        if not left or not right:
            return left + "-" + right
        if f"{left}-{right}".lower() in compounds:
            return left + "-" + right
        if (left + right).lower() in words:
            return left + right
        if right[0].isupper() or left[-1].isdigit() or right[0].isdigit():
            return left + "-" + right
        if right.lower() in _SUFFIXES and right.lower() not in words:
            return left + right
        if not _VOWEL.search(left) or not _VOWEL.search(right):
            return left + right  # a fragment without a vowel is no word: "th-" + "erapy"
        return left + "-" + right

    return _AROUND.sub(decide, text)
