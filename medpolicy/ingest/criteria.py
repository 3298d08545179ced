"""The criteria of a coverage statement, as printed.

Two layouts put them with their statement:
- **under the lead**: "X is medically necessary when ALL of the following are met:" and the
  numbered, lettered or bulleted items after it, nested lists and "AND ONE of the following:"
  sub-leads included, up to the next item at the lead's own level, the next statement, the next
  full sentence or the end of the section;
- **in sections of their own**: "X may be considered medically necessary if the conditions
  indicated below are met." and, after it, the sub-sections of its section (Prior-Approval
  Requirements, Diagnoses) and sections named for criteria (Criteria, Indications, Limitations,
  Prior-Approval Limits: rules/positions.json `criteria_headings`), each heading kept as an item
  before its lines.

Items are the units of paragraphs.py: one item per printed list item or row, its wrapped lines
joined, its marker kept, so the same item printed in two editions is the same text.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .document import BlockKind
from .normalize import PAGE_MARKER
from .paragraphs import Marker, Unit
from .sections import SectionSpan, heading_key
from .vocab import position_rules

# a level-1 section of these kinds ends the criteria of a statement before it
_STOP_KINDS = {"evidence", "background", "description", "references", "history", "related", "archive", "toc",
               "coding", "boilerplate", "metadata"}


@lru_cache(maxsize=1)
def _reference() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in position_rules().criteria_references), re.I)


@lru_cache(maxsize=2)
def _heading_pattern(group: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in getattr(position_rules(), group)))


def _heading_is(group: str, heading: str | None) -> bool:
    """The heading, lower-cased without numbering or dashes, is one of positions.json's `group`."""
    if not heading:
        return False
    key = re.sub(r"[\s\-–—/]+", " ", heading_key(heading)).strip()
    return bool(_heading_pattern(group).fullmatch(key))


def refers_to_criteria(lead: str) -> bool:
    """The lead points at criteria printed after it ("the following", "indicated below")."""
    return bool(_reference().search(lead))


def is_criteria_heading(heading: str | None) -> bool:
    return _heading_is("criteria_headings", heading)


def is_appendix_heading(heading: str | None) -> bool:
    return _heading_is("appendix_headings", heading)


_PAGE_OF = re.compile(r"\bpage\s*:?\s*\d{1,4}\s*(?:of|/)\s*\d{1,4}\b", re.I)


def is_page_furniture(unit: Unit) -> bool:
    """A running header or footer left between two criteria ("Page 3 of 7", a row "Subject: |
    Drug | Page: | 3 of 7", "Medical Policy: Title Policy Number: 1.2 Page: 2 of 18"): printed on
    every page, it would make a criterion of the page a list happens to break on."""
    text = re.sub(r"\s*\t\s*", " ", unit.text)
    return bool(PAGE_MARKER.match(text) or _PAGE_OF.search(text))


def _resolve(marker: Marker, last: dict[str, int]) -> tuple[str, int]:
    """The reading of an ambiguous marker that continues an open list ("I." after "H." is a
    letter, "ii." after "i." a roman numeral), else its first reading."""
    for kind, value in marker.readings:
        if last.get(kind) == value - 1:
            return kind, value
    for kind, value in marker.readings:
        if value == 1:
            return kind, value  # a new list starts at one: "i." opens a roman list
    return marker.readings[0]


def _full_sentence(text: str) -> bool:
    t = text.rstrip()
    return t.endswith(".") and len(t.split()) > 6


class Outline:
    """Which sections sit under which: a section is inside a section `s` when no section of
    `s`'s level or higher (smaller number) comes between them."""

    def __init__(self, sections: list[SectionSpan], units: list[Unit] = ()):
        self.sections = sections
        self.index = {id(s): i for i, s in enumerate(sections)}
        self.first_unit: dict[int, int] = {}  # section id -> index of its first unit
        for k, u in enumerate(units):
            self.first_unit.setdefault(id(u.section), k)
        levels = sorted({s.level for s in sections})
        # last_top[level][i]: the last section at or before i whose level is <= level
        self.last_top: dict[int, list[int]] = {}
        for level in levels:
            row, last = [], -1
            for i, s in enumerate(sections):
                if s.level <= level:
                    last = i
                row.append(last)
            self.last_top[level] = row

    def inside(self, sec: SectionSpan, parent: SectionSpan) -> bool:
        i, p = self.index.get(id(sec)), self.index.get(id(parent))
        if i is None or p is None or i < p:
            return False
        return i == p or self.last_top[parent.level][i] == p


# How many units before a lead are read for the lists it sits in
ENCLOSING_WINDOW = 60


def _enclosing_lists(units: list[Unit], ui: int) -> dict[str, int]:
    """The last ordinal of each list style printed before units[ui] in its section ("C." and
    "2." above "a. Drug X is approved when:"): an item that goes on with one of them is not
    under the lead."""
    lead = units[ui]
    start = ui
    while start > 0 and ui - start < ENCLOSING_WINDOW and units[start - 1].section is lead.section:
        start -= 1
    last: dict[str, int] = {}
    for u in units[start:ui]:
        if u.marker is not None and not u.marker.is_bullet:
            kind, value = _resolve(u.marker, last)
            last[kind] = value
    return last


def criteria_under(units: list[Unit], ui: int, positioned: Callable[[int], bool], outline: Outline, *,
                   colon: bool) -> list[int]:
    """Indices of the units that make up the list printed under units[ui]. `colon`: the lead ends
    with ':' (what follows is its list even where an item takes a position of its own); a lead
    that only refers to criteria ("... when the following criteria are met.") takes the items
    that follow it up to the first one that is a statement of its own."""
    lead = units[ui]
    last: dict[str, int] = {}
    own = None
    if lead.marker is not None and not lead.marker.is_bullet:
        own = _resolve(lead.marker, last)
        last[own[0]] = own[1]
    outer = _enclosing_lists(units, ui)
    out: list[int] = []
    for k in range(ui + 1, len(units)):
        u = units[k]
        if not outline.inside(u.section, lead.section):
            break
        if u.marker is not None:
            kind, value = _resolve(u.marker, last)
            if own is not None and kind == own[0]:
                break  # the next item at the lead's own level
            if any(k2 not in last and outer.get(k2) == v2 - 1 for k2, v2 in u.marker.readings):
                break  # the next item of a list the lead sits in ("D." after the "C." above "a. ...:")
            if not colon and positioned(k):
                break
            last[kind] = value
            out.append(k)
            continue
        if u.is_row:
            out.append(k)
            continue
        if u.pieces[0].kind is BlockKind.ITEM and lead.pieces[0].kind is not BlockKind.ITEM:
            if not colon and positioned(k):
                break
            out.append(k)  # a list item the loader knows (an HTML <li> drawn without a marker)
            continue
        if positioned(k) or _full_sentence(u.text):
            break
        out.append(k)
    return out


def criteria_sections(units: list[Unit], ui: int, outline: Outline,
                      positioned: Callable[[int], bool]) -> list[int | SectionSpan]:
    """The criteria printed in sections of their own after the lead units[ui]: its section's
    sub-sections and sections named for criteria, until a section that is neither (headings
    without text are passed over) or one that opens with a statement of its own. Returns unit
    indices, each included section's SectionSpan first (its heading is an item)."""
    lead_sec = units[ui].section
    if id(lead_sec) not in outline.index:
        return []
    out: list[int | SectionSpan] = []
    in_group = True
    for sec in outline.sections[outline.index[id(lead_sec)] + 1:]:
        if sec.level <= lead_sec.level:
            in_group = False
            if sec.kind in _STOP_KINDS and sec.level <= 1:
                break
        included = (in_group and sec.level > lead_sec.level and sec.kind == lead_sec.kind) \
            or is_criteria_heading(sec.heading)
        k0 = outline.first_unit.get(id(sec))
        if k0 is None:  # a heading without text
            continue
        if not included or positioned(k0):
            break
        out.append(sec)
        k = k0
        while k < len(units) and units[k].section is sec:
            out.append(k)
            k += 1
    return out
