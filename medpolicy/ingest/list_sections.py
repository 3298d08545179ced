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


def repeated_lines(doc: Document, keep=lambda text: False) -> frozenset[str]:
    """Short lines printed three times or more: running headers and footers, repeated notices.
    `keep` spares lines that repeat for a reason of their own (a table header on every page)."""
    counts = Counter(ln.text.strip() for ln in doc.lines if len(ln.text) <= REPEATED_MAX_CHARS)
    return frozenset(t for t, n in counts.items() if n >= REPEATED_MIN and t and not keep(t))
