"""What the list extractors (history, references) share about the sections they read: page
furniture inside a list, and the sections that carry a list on.

A history table or a reference list printed over several pages reaches the extractors cut into
several sections when a running header, a repeated notice, a wrapped line of a cell ("Testing
for FMR1 mutations"), a citation's tail ("PMID 18311409") or a stray fragment ("(NCCN") was
taken for a heading. Each extractor decides with its own knowledge (numbering, header words)
whether the section after its own carries its list on; the furniture is the same for both.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .document import Document
from .sections import SectionSpan
from .vocab import list_rules

# A line printed this often (and no longer than this) is a running header, footer or notice.
REPEATED_MIN, REPEATED_MAX_CHARS = 3, 300
# Furniture patterns are tried on lines up to this long (a long line is text that may quote them).
FURNITURE_MAX_CHARS = 200


@lru_cache(maxsize=1)
def _furniture() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I) for p in list_rules().furniture)


def is_furniture(text: str) -> bool:
    """A page marker, a copyright or proprietary notice, a bare page number."""
    s = text.strip()
    return len(s) <= FURNITURE_MAX_CHARS and any(p.search(s) for p in _furniture())


_PAGE_NUMBER = re.compile(r"\bpage\s*:?\s*\d+(?:\s*(?:of|/)\s*\d+)?", re.I)


def _key(text: str) -> str:
    """A running footer changes only its page number ("... Page 66 of 77 ..."): lines that name
    a page are compared without their numbers; other lines exactly (a history row differs
    from the next one by its date only)."""
    s = text.strip()
    return re.sub(r"\d+", "#", s) if _PAGE_NUMBER.search(s) else s


class Repeated:
    """Short lines printed three times or more, at least once outside the list itself: running
    headers and footers, repeated notices. (A line that repeats only inside the list is its
    own: "https://www.uptodate.com. Updated August 2023." under several citations, "Coding
    Update." in several history rows.) `keep` spares lines that repeat for a reason of their
    own (a table header on every page)."""

    def __init__(self, doc: Document, inside: set[int], keep=lambda text: False) -> None:
        counts: Counter[str] = Counter()
        outside: Counter[str] = Counter()
        for ln in doc.lines:
            if len(ln.text) <= REPEATED_MAX_CHARS:
                k = _key(ln.text)
                counts[k] += 1
                outside[k] += ln.start not in inside
        # a bare mark ("®", "•") repeats as text does, not as furniture
        self._keys = frozenset(k for k, n in counts.items()
                               if n >= REPEATED_MIN and outside[k] and re.search(r"[A-Za-z]{3}", k) and not keep(k))
        self._outside = frozenset(k for k, n in outside.items() if n)

    def __contains__(self, text: str) -> bool:
        return len(text) <= REPEATED_MAX_CHARS and _key(text) in self._keys

    def elsewhere(self, text: str) -> bool:
        """The line is printed outside the list too (a table cell the text layer put inside it)."""
        return len(text) <= REPEATED_MAX_CHARS and _key(text) in self._outside


def repeated_lines(doc: Document, sections: list[SectionSpan], kind: str, keep=lambda text: False) -> Repeated:
    """The repeated lines of `doc` around its sections of `kind`."""
    inside = {ln.start for s in sections if s.kind == kind for ln in s.lines}
    return Repeated(doc, inside, keep)
