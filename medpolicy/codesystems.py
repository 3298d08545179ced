"""The four code systems: what a code of each looks like, and how codes of one system are ordered.

Kept free of pydantic and of the ingest pipeline: ingest reads codes with these shapes, and the
library index (`medpolicy search --code`) orders and compares codes with them, in a command that
must start in milliseconds.

Ordering, per system, as a string key whose plain (byte) order is the system's order, so that
SQLite compares ranges with an ordinary index:

- CPT: five characters. Category I codes are numbers (81410 < 81445 < 81471); Category II, III,
  PLA and MAAA codes (0001F, 0042T, 0001U, 0002M) are numbered within their letter, so the letter
  goes first in the key ("T0042"): a range 0042T-0054T holds 0050T and no Category I code.
- HCPCS Level II: a letter, then a number (A4238 < A9276 < E2102): the code itself.
- ICD-10-CM and ICD-10-PCS: hierarchical. A code stands for itself and every code below it (C43
  covers C43.0-C43.9, T84.84 covers T84.84XA), so a code is an interval of keys: the code without
  its dot, up to that prefix followed by a character that sorts after every code character.
  Within a level, digits come before letters, as in the tabular lists. Known limit: the few
  categories with a letter in third place (C4A, D3A, M1A, Z3A) are listed in the tabular list
  next to a numeric neighbour; here they sort after the digits of their block.

A stored code or range [start, end] then covers the keys [low(start), high(end)], and a code
looked up matches when its own interval overlaps that one (C43 finds C43.0-C43.9 and C43.4 finds
C43, and C43.0-C43.9 finds C43.4).
"""
from __future__ import annotations

import re

CPT, HCPCS, CM, PCS = "CPT", "HCPCS", "ICD-10-CM", "ICD-10-PCS"
SYSTEMS = (CPT, HCPCS, CM, PCS)

# Shapes, on upper-cased text with no spaces.
SHAPES: dict[str, re.Pattern] = {
    CPT: re.compile(r"\d{4}[0-9FTUM]"),  # Category I, II (F), III (T), PLA (U), MAAA (M)
    HCPCS: re.compile(r"[A-Z]\d{4}"),
    CM: re.compile(r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?"),
    # letters and digits both: "RELATED" or "EXCLUDE" are words, 1234567 a number; the first
    # character names the PCS section: 0-9, B (imaging), C (nuclear medicine), D (radiation),
    # F, G, H, X (new technology)
    PCS: re.compile(r"(?=[0-9A-Z]*[A-Z])(?=[A-Z]*\d)[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}"),
}
# Under an explicit label a code may be printed without its usual marks.
LABELLED_SHAPES: dict[str, re.Pattern] = {
    CM: re.compile(r"[A-Z]\d[0-9A-Z]{1,5}"),
    PCS: re.compile(r"(?=[A-Z]*\d)[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}"),
}
HIERARCHICAL = {CM, PCS}
# Sorts after every character a code key holds (digits and upper-case letters).
_AFTER = "~"
_SPACES = re.compile(r"\s+")


def clean(code: str) -> str:
    """A code as written by a user or a document: upper case, no spaces."""
    return _SPACES.sub("", code).upper()


def code_key(system: str, code: str) -> str:
    """The ordering key of one code of `system` (see the module docstring)."""
    c = clean(code)
    if system == CPT:
        return c[-1] + c[:-1] if c and not c[-1].isdigit() else c
    if system in HIERARCHICAL:
        return c.replace(".", "")
    return c


def span(system: str, code: str, code_end: str | None = None) -> tuple[str, str]:
    """The keys a code, or a range `code`-`code_end`, covers: (low, high), both inclusive."""
    low = code_key(system, code)
    high = code_key(system, code_end) if code_end else low
    if high < low:  # a range printed backwards still means the codes between its ends
        low, high = high, low
    if system in HIERARCHICAL:
        high += _AFTER
    return low, high


def systems_of(code: str) -> list[str]:
    """The systems a code looked up on its own may belong to, by its shape: a letter and four
    digits is HCPCS (an ICD-10-CM code is written with its dot: G20.A1), five digits CPT, a
    dotted or three-character letter-digit code ICD-10-CM; seven characters may be either ICD-10
    system. Empty when it has no code shape."""
    c = clean(code)
    found = [s for s in (CPT, HCPCS) if SHAPES[s].fullmatch(c)]
    if not found and (SHAPES[CM].fullmatch(c) or LABELLED_SHAPES[CM].fullmatch(c)):
        found.append(CM)
    if LABELLED_SHAPES[PCS].fullmatch(c) and (PCS not in found):
        found.append(PCS)
    return found
