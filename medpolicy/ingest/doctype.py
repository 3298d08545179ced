"""What a document is when it is not one policy (rules/doctypes.json): an error page that a
crawler saved instead of the policy, an index or search page that lists policies, or a bulletin
that summarises changes to several policies. The pipeline refuses these with a reason a user can
act on ("an error page", "an index page") instead of a generic "not a medical policy"."""
from __future__ import annotations

import re
from functools import lru_cache

from .document import Document
from .vocab import doctype_rules


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    r = doctype_rules()
    return (re.compile("|".join(f"(?:{p})" for p in r.error_page), re.I),
            re.compile("|".join(f"(?:{p})" for p in r.bulletin_title), re.I),
            re.compile(r.bulletin_entry, re.M))


def error_page(doc: Document) -> str | None:
    """The error message when the whole document is a short web-server or site error page."""
    r = doctype_rules()
    if len(doc.text) > r.error_page_max_chars:
        return None
    m = _patterns()[0].search(doc.text)
    if not m:
        return None
    line = next((ln.text for ln in doc.lines if m.start() < ln.end + 1), m.group(0))
    return " ".join(line.split())[:80]


def bulletin(doc: Document) -> int:
    """The number of policies a change bulletin lists (0 when the document is not one)."""
    r = doctype_rules()
    head = "\n".join(ln.text for ln in doc.lines[:5])
    if not _patterns()[1].search(head):
        return 0
    ids = {m.group("id") for m in _patterns()[2].finditer(doc.text)}
    return len(ids) if len(ids) >= r.bulletin_min_policies else 0


def index_page(doc: Document) -> bool:
    """Mostly short entries (links, menu items, rows of policy names and dates), few sentences."""
    r = doctype_rules()
    lines = [ln.text for ln in doc.lines]
    short = [t for t in lines if len(t.split()) <= r.index_entry_max_words and not t.rstrip().endswith(".")]
    return len(short) >= r.index_min_entries and len(short) >= r.index_min_share * len(lines)


def refusal(doc: Document) -> str:
    """Why a document that gave no policy content is not a policy, in a few words."""
    msg = error_page(doc)
    if msg:
        return f"not a medical policy: an error page ({msg})"
    n = bulletin(doc)
    if n:
        return f"not a medical policy: a bulletin about {n} policies (parse each policy's own document)"
    if index_page(doc):
        return "not a medical policy: an index page (a list of policies or links, no policy text)"
    return ("not a medical policy (no coverage statements, codes, policy number, dated header or "
            "policy sections found)")
