"""Dates as policies print them -> ISO 8601 (`YYYY-MM-DD`, or `YYYY-MM` for month and year).

Shared by every extractor (metadata, history, references). Numeric dates are read US-style
(month first); two-digit years 00-49 are 20xx and 50-99 are 19xx; a range ("11/2011-4/2012")
stands for its start. A date that cannot exist (9/59/2013, 13/01/2020) is not a date: the
functions return None and say why, they never raise.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

# Month names and the abbreviations payers print ("Sept", "Apr."); matched case-sensitively in
# title case or upper case so that the verb "may" and the word "march" in prose stay words.
MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

# Four-digit years outside this window are taken for page numbers, counts or typos.
YEAR_MIN, YEAR_MAX = 1900, 2099
# Two-digit years below this pivot are 20xx, the rest 19xx.
CENTURY_PIVOT = 50


def _month_alternation() -> str:
    names = sorted(MONTHS, key=len, reverse=True)
    forms = [n.capitalize() for n in names] + [n.upper() for n in names]
    return "|".join(forms)


_MON = rf"(?:{_month_alternation()})\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR4 = r"(?:1[89]|2[01])\d\d"

# One date, each form a named alternative so that _interpret knows which parts it holds.
_DATE_FORMS = [
    # 2026-02-15, 2026-02 (ISO; also 2026/02/15)
    rf"(?P<iso>(?P<iso_y>\d{{4}})(?P<iso_s>[-/])(?P<iso_m>\d{{1,2}})(?:(?P=iso_s)(?P<iso_d>\d{{1,2}}))?)",
    # 05/19/98, 1/1/2012, 09.01.18, 05-19-1998, 01/97, 4/2019, 08.18
    rf"(?P<num>(?P<num_m>\d{{1,2}})(?P<num_s>[/.-])(?:(?P<num_d>\d{{1,2}})(?P=num_s))?(?P<num_y>\d{{4}}|\d{{2}}))",
    # 7 / 2021, 7 / 1 / 2021 (spaced slashes; four-digit year only, so "1 / 2" stays a fraction)
    rf"(?P<sp>(?P<sp_m>\d{{1,2}}) / (?:(?P<sp_d>\d{{1,2}}) / )?(?P<sp_y>\d{{4}}))",
    # May 1, 2026 / Apr. 27, 2026 / Dec 12 2024 / May 08 2024
    rf"(?P<mdy>(?P<mdy_m>{_MON})\s+(?P<mdy_d>{_DAY}),?\s+(?P<mdy_y>{_YEAR4}))",
    # 1 March 2024 / 28 February, 2023
    rf"(?P<dmy>(?P<dmy_d>{_DAY})\s+(?P<dmy_m>{_MON}),?\s+(?P<dmy_y>{_YEAR4}))",
    # 2025 Aug 18 (Vancouver-style citations)
    rf"(?P<ymd>(?P<ymd_y>{_YEAR4})\s+(?P<ymd_m>{_MON})\s+(?P<ymd_d>{_DAY})(?![\d]))",
    # December 2025 / March, 2015
    rf"(?P<my>(?P<my_m>{_MON}),?\s+(?P<my_y>{_YEAR4}))",
]
# Not glued to other digits, letters, slashes or money: "9/59/2013" must not yield "59/2013",
# "$12.50" is a price and "0537T-0540T" a code range.
_BEFORE = r"(?<![\w/$.\-])"
_AFTER = r"(?![\w/]|\.\d)"
_ONE = "(?:" + "|".join(_DATE_FORMS) + ")"
_DATE_RE = re.compile(_BEFORE + _ONE + _AFTER)
# The second date of a range follows a dash, which _BEFORE would refuse.
_RANGE_DATE_RE = re.compile(_ONE + _AFTER)
# The end of a printed range: "11/2011-4/2012", "November 2011 – April 2012", "1/1/19 to 3/1/19".
_RANGE_TAIL_RE = re.compile(r"\s*(?:[-\u2013\u2014]|\bto\b|\bthrough\b|\bthru\b)\s*")
# Characters that may wrap a date printed on its own ("3/1/2018*", "(May 2025)", "01/07/26:",
# a quoted "March 8, 2024").
_WRAP = " \t\u00a0*()[],;:.\"'\u201c\u201d\u2018\u2019"


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a string: the text as printed (a range included), where it sits, and its
    ISO form (None when the text has the shape of a date that cannot exist)."""

    text: str
    start: int
    end: int
    iso: str | None
    reason: str = ""


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        return 2000 + y if y < CENTURY_PIVOT else 1900 + y
    return y


def _month_number(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _iso(year: int, month: int, day: int | None) -> tuple[str | None, str]:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None, f"year {year} out of range"
    if not 1 <= month <= 12:
        return None, f"no month {month}"
    if day is None:
        return f"{year:04d}-{month:02d}", ""
    try:
        _dt.date(year, month, day)
    except ValueError:
        return None, f"no day {day} in {year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}", ""


def _interpret(m: re.Match) -> tuple[str | None, str] | None:
    """ISO date (or None and why) for a regex match; None when the shape itself is not a date
    form we accept (a version number "1.2025", an age range "2-17")."""
    g = m.groupdict()
    if g["iso"]:
        return _iso(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]) if g["iso_d"] else None)
    if g["num"]:
        sep, month, day, year = g["num_s"], g["num_m"], g["num_d"], g["num_y"]
        if sep == "." and (len(month) != 2 or (day is None and len(year) != 2)):
            return None  # "1.2025", "Version 4.2015": version numbers, not dates
        if sep == "-" and day is None:
            return None  # "2-17", "18-64": ranges of numbers
        return _iso(_year(year), int(month), int(day) if day else None)
    if g["sp"]:
        return _iso(int(g["sp_y"]), int(g["sp_m"]), int(g["sp_d"]) if g["sp_d"] else None)
    for form in ("mdy", "dmy", "ymd"):
        if g[form]:
            return _iso(int(g[f"{form}_y"]), _month_number(g[f"{form}_m"]), _day_number(g[f"{form}_d"]))
    return _iso(int(g["my_y"]), _month_number(g["my_m"]), None)


def _range_end(text: str, pos: int) -> int:
    """End of a range's second date starting at `pos`, or `pos` when none follows."""
    tail = _RANGE_TAIL_RE.match(text, pos)
    if not tail:
        return pos
    nxt = _RANGE_DATE_RE.match(text, tail.end())
    if nxt and _interpret(nxt) is not None:
        return nxt.end()
    return pos


def find_dates(text: str, *, include_invalid: bool = False) -> list[DateMatch]:
    """Every date in `text`, in order; a range is one match whose ISO is its start.

    With `include_invalid`, shapes that cannot be dates ("9/59/2013") are returned too, with
    `iso` None and a reason, so a caller can warn about them."""
    out: list[DateMatch] = []
    pos = 0
    while True:
        m = _DATE_RE.search(text, pos)
        if not m:
            return out
        got = _interpret(m)
        if got is None:
            pos = m.start() + 1
            continue
        iso, reason = got
        end = _range_end(text, m.end()) if iso else m.end()
        if iso or include_invalid:
            out.append(DateMatch(text[m.start():end], m.start(), end, iso, reason))
        pos = end


def find_date(text: str) -> DateMatch | None:
    """The first valid date in `text` (with its span), or None."""
    found = find_dates(text)
    return found[0] if found else None


def parse_date(text: str) -> tuple[str | None, str]:
    """(ISO date, "") when `text` is one date or a range; (None, why) otherwise.

    Wrapping spaces, brackets, asterisks and trailing punctuation are ignored ("3/1/2018*").
    Use `find_date` to locate a date inside longer text."""
    s = (text or "").strip(_WRAP)
    if not s:
        return None, "no date"
    m = _DATE_RE.match(s)
    if not m:
        return None, f"not a date: {text.strip()!r}"
    got = _interpret(m)
    if got is None:
        return None, f"not a date: {text.strip()!r}"
    iso, reason = got
    if iso is None:
        return None, f"impossible date {s[m.start():m.end()]!r}: {reason}"
    end = _range_end(s, m.end())
    if s[end:].strip(_WRAP):
        return None, f"not a date: {text.strip()!r}"
    return iso, ""
