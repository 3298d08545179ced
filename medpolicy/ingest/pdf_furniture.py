"""Running headers and footers ("page furniture") of a PDF, found by geometry and repetition.

A line is furniture when it sits in the top or bottom band of its page and either
  - names a page, or lies between such a line and the page edge ("Page 2 of 10", "Page: 2 of 10", "2 | Page", a bare "7", "3/36"), is a printed
    URL, or a browser print stamp ("6/18/26, 9:51 AM ..."); or
  - repeats, digits aside, in the same band of many pages (the title, the policy number, a
    copyright line).
Repeated lines on the first page are kept when they carry the document's own metadata (a
policy number and title block printed on every page is still the title block on page 1; a
footer only when it states dates or numbers, not a copyright line), unless that band of page 1
also holds a page number: then the band is furniture there too.
"""
from __future__ import annotations

import re
from collections import defaultdict

from .furniture import is_page_marker, signature
from .pdf_lines import VLine

# Bands, as fractions of the page height, where running headers and footers live.
TOP_BAND = 0.15
BOTTOM_BAND = 0.86

# A running footer is kept on page 1 only when it states the document's own data ("Original
# Effective Date: ... - Revised: ..."); a copyright or confidentiality line is not metadata.
_METADATA = re.compile(r"\b(?:date|effective|revised|reviewed|review|version|policy\s+(?:number|no\.?|#))\b",
                       re.IGNORECASE)

_signature = signature


def _pieces(line: VLine) -> list[str]:
    return [p for p in (s.strip() for s in line.text.split("\t")) if p]


_PAGE_LABEL = re.compile(r"^\s*page\s*:?\s*\d+\s*(?:of|/)\s*\d+\s*$", re.IGNORECASE)
_PAGE_WORD = re.compile(r"^\s*page\s*:?\s*$", re.IGNORECASE)
_COUNT_OF = re.compile(r"^\s*\d+\s*(?:of|/)\s*\d+\s*$", re.IGNORECASE)


def without_page_label(text: str) -> str | None:
    """The line without its page label when the label is a cell of its own among other cells
    ("Subject:<TAB>Ibrance<TAB>Page:<TAB>1 of 5" -> "Subject:<TAB>Ibrance"); None when the line
    has no such cell or nothing else."""
    pieces = [p.strip() for p in text.split("\t") if p.strip()]
    if len(pieces) < 2:
        return None
    kept: list[str] = []
    k = 0
    found = False
    while k < len(pieces):
        if _PAGE_LABEL.match(pieces[k]):
            found, k = True, k + 1
            continue
        if k + 1 < len(pieces) and _PAGE_WORD.match(pieces[k]) and _COUNT_OF.match(pieces[k + 1]):
            found, k = True, k + 2
            continue
        kept.append(pieces[k])
        k += 1
    return "\t".join(kept) if found and kept else None


# Only this many distinct line positions counted from the page edge can be furniture: a
# footer is a few lines; body text reaching into the band lies further in.
OUTER_LINES = 4


def _banded(lines: list[VLine], height: float) -> list[tuple[VLine, str, int]]:
    """The outermost lines of the top and bottom bands, with their band and their rank
    (0 for the line nearest the page edge)."""
    out: list[tuple[VLine, str, int]] = []
    for band, inside, key in (("top", lambda ln: ln.top < TOP_BAND * height, lambda ln: ln.top),
                              ("bottom", lambda ln: ln.bottom > BOTTOM_BAND * height, lambda ln: -ln.bottom)):
        cand = sorted((ln for ln in lines if inside(ln)), key=key)
        rows: list[float] = []
        for ln in cand:
            pos = key(ln)
            if not rows or abs(pos - rows[-1]) > 2.0:
                rows.append(pos)
            if len(rows) > OUTER_LINES:
                break
            out.append((ln, band, len(rows) - 1))
    return out


def strip_furniture(pages: list[list[VLine]], heights: list[float]) -> tuple[list[list[VLine]], int]:
    """Remove running headers/footers from every page; returns the pages and how many lines
    were removed."""
    n = len(pages)
    seen: dict[str, set[int]] = defaultdict(set)
    banded: list[list[tuple[VLine, str, int]]] = []
    for i, lines in enumerate(pages):
        marks = _banded(lines, heights[i])
        for ln, _band, _rank in marks:
            keys = {_signature(ln.text)} | {_signature(p) for p in _pieces(ln)}
            for key in keys:
                if len(key.replace("#", "").strip()) >= 2:
                    seen[key].add(i)
        banded.append(marks)
    need = 2 if n <= 4 else max(3, (n + 1) // 2)

    def repeated(ln: VLine) -> bool:
        if len(seen.get(_signature(ln.text), ())) >= need:
            return True
        pieces = _pieces(ln)
        return bool(pieces) and all(len(seen.get(_signature(p), ())) >= need for p in pieces)

    out: list[list[VLine]] = []
    removed = 0
    for i, lines in enumerate(pages):
        drop: set[int] = set()
        marker_bands = set()
        marker_rank: dict[str, int] = {}
        for ln, band, rank in banded[i]:
            rest = without_page_label(ln.text)
            if rest is not None:
                # a page label among the cells of a header grid: the other cells may be the
                # document's own data, so only the label goes
                ln.text = rest
                ln.cell_x = ln.cell_x[: len(rest.split("\t"))]
                continue
            if is_page_marker(ln.text, outermost=rank == 0 and ln.kind == "text"):
                drop.add(id(ln))
                marker_bands.add(band)
                marker_rank[band] = max(marker_rank.get(band, 0), rank)
        for ln, band, rank in banded[i]:
            # nearer the page edge than the page number: the rest of the footer (a form
            # number, a copyright line), even on the one page that prints it
            if band in marker_rank and rank < marker_rank[band] and ln.kind == "text":
                drop.add(id(ln))
        head: list[VLine] = []
        foot: list[VLine] = []
        for ln, band, _rank in banded[i]:
            if id(ln) in drop or not repeated(ln):
                continue
            drop.add(id(ln))
            if i == 0 and band not in marker_bands and (band == "top" or _METADATA.search(ln.text)):
                # kept as metadata, but moved to where a reader meets it: a generator may
                # draw the page's header last
                (head if band == "top" else foot).append(ln)
        head.sort(key=lambda ln: ln.top)
        foot.sort(key=lambda ln: ln.top)
        for ln in head + foot:
            ln.furniture = True
        kept = head + [ln for ln in lines if id(ln) not in drop] + foot
        removed += len(lines) - len(kept)
        out.append(kept)
    return out, removed
