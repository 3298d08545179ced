"""The pages of a plain-text document and the running headers and footers on them.

A text layer saved from a PDF has lost its geometry but keeps two traces of its pages:
- where the extraction tool joined them: a form feed; or, as pdfminer-style tools join pages,
  one truly empty line in a text whose blank lines inside a page hold spaces (or that has no
  blank lines at all). Such a text has one empty line per page (dozens of lines apart), where a
  hand-written text has one per paragraph;
- the furniture itself: "Page 3 of 16", a copyright notice, the same header on every page.

Furniture is then found as pdf_furniture finds it, with a line's distance from the page edge
standing in for its y coordinate: walking in from a page's first (or last) line, a line is
furniture while it is a page marker, a notice (copyright, proprietary, print stamp), or repeats,
digits aside, at the same edge of many pages; the walk stops at the first line that is none of
these, so body text that happens to repeat is left alone.

Texts without such separators keep the marker-based clean-up of normalize.remove_furniture.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict

from .furniture import BARE_NUMBER, N_OF_M, is_edge_notice, is_page_marker, signature

# A page of a text layer holds dozens of lines; a hand-written text has a blank line every
# few lines. Fewer content lines than this per empty line: the empty lines are paragraph breaks.
MIN_LINES_PER_PAGE = 15
# How far in from a page edge a running header or footer may reach, in non-blank lines: a
# repeated disclaimer paragraph under the header runs to a dozen lines or so.
EDGE_ZONE = 24
# A notice printed once at a page edge is a footer line; longer, it is a paragraph of the text (a
# licence statement: "CPT codes, descriptions and other data only are copyright ... Fee schedules
# ..."), which the PDF loader keeps as well.
NOTICE_MAX_CHARS = 150
# A page counter "n/m" names the page it stands on and the number of pages, within this many
# (a cover page, a text layer's page separators missed or doubled).
PAGE_SLACK = 2
# A running header on page 1 that states a labelled field ("Date of Last Revision: 11/2024",
# "Policy Number: 2.02.56") is the document's own header there: kept on page 1 only.
_LABELLED = re.compile(r"^[A-Z][\w ./&#()'-]{1,40}:\s*\S*\d")


def split_pages(text: str) -> list[list[str]]:
    """The raw lines of each page (one page when the text shows no page breaks)."""
    if "\f" in text:
        return [p.split("\n") for p in text.split("\f")]
    lines = text.split("\n")
    if not _empty_line_separated(lines):
        return [lines]
    pages: list[list[str]] = [[]]
    for ln in lines:
        if ln == "":
            if pages[-1]:
                pages.append([])
            continue
        pages[-1].append(ln)
    return [p for p in pages if p]


def _empty_line_separated(lines: list[str]) -> bool:
    content = sum(1 for ln in lines if ln.strip())
    breaks = sum(1 for a, b in zip(lines, lines[1:]) if b == "" and a != "")
    return breaks >= 1 and content / (breaks + 1) >= MIN_LINES_PER_PAGE


def _plausible_marker(text: str, n_pages: int, page_no: int) -> bool:
    m = BARE_NUMBER.match(text)
    if m:  # a bare number is a page number only if the document has that many pages
        return int(m.group(1)) <= n_pages + 2
    m = N_OF_M.match(text)
    if m:
        # "3/36" counts the pages where it stands; "11/23" on page 18 is a date (a month and a year)
        n, total = (int(x) for x in text.split("/"))
        return abs(n - page_no) <= PAGE_SLACK and abs(total - n_pages) <= PAGE_SLACK
    return is_page_marker(text)


def strip_page_furniture(pages: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Every page without its running header and footer; returns the pages and the distinct
    lines removed (in order of first appearance)."""
    n = len(pages)
    if n < 2:
        return pages, []
    nonblank = [[k for k, ln in enumerate(p) if ln.strip()] for p in pages]
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    # Printed 3+ times at one edge of one page, or twice on several pages: rows of a list or a
    # criterion the text repeats, never a running header or footer (printed once a page; a title
    # may be printed twice on page one, as header and as title).
    listed: set[tuple[str, str]] = set()
    twice: dict[tuple[str, str], int] = defaultdict(int)
    for i, (page, idx) in enumerate(zip(pages, nonblank)):
        for edge, zone in (("head", idx[:EDGE_ZONE]), ("tail", idx[-EDGE_ZONE:])):
            count: dict[str, int] = defaultdict(int)
            for k in zone:
                sig = signature(page[k])
                if len(sig.replace("#", "").strip()) >= 2:
                    seen[(edge, sig)].add(i)
                    count[sig] += 1
            listed.update((edge, sig) for sig, c in count.items() if c >= 3)
            for sig, c in count.items():
                twice[(edge, sig)] += c == 2
    listed.update(key for key, pages_twice in twice.items() if pages_twice >= 2)
    for key in listed:
        seen.pop(key, None)
    need = 2 if n <= 4 else max(3, math.ceil(0.4 * n))
    first = next((i for i, idx in enumerate(nonblank) if idx), 0)
    out: list[list[str]] = []
    removed: dict[str, str] = {}
    for i, (page, idx) in enumerate(zip(pages, nonblank)):
        drop: set[int] = set()
        for edge, walk in (("head", idx[:EDGE_ZONE]), ("tail", list(reversed(idx[-EDGE_ZONE:])))):
            for k in walk:
                text = page[k].strip()
                if _plausible_marker(text, n, i + 1) or (is_edge_notice(text) and len(text) <= NOTICE_MAX_CHARS):
                    drop.add(k)
                elif len(seen.get((edge, signature(text)), ())) >= need:
                    if not (i == first and _LABELLED.match(text)):
                        drop.add(k)
                else:
                    break
        for k in sorted(drop):
            removed.setdefault(signature(page[k]), page[k].strip())
        out.append([ln for k, ln in enumerate(page) if k not in drop])
    return out, list(removed.values())
