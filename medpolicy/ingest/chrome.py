"""A website's chrome around a policy page saved as text or HTML (rules/furniture.json):

- control and link texts on lines of their own ("back to top", "opens a dialog", "Link to
  PDF"), wherever they stand, and the ones glued into a line ("Share opens in a new window");
- a site's menu and page buttons: a line of two or more menu entries ("Home | Search | Help",
  "Expand All | Collapse All"), or a run of two or more lines of one entry each ("Home" /
  "Search" / "Downloads"), wherever they stand (one entry alone stays: "Help" may be a word of
  the policy);
- a tab menu whose labels the page text glued together ("PolicyCodesBackgroundReferences": three
  or more section names without a space between them);
- a breadcrumb trail that ends with the page's title printed on the next line ("Home > Current
  > Bone Scans" over "Bone Scans");
- the site's footer: from its first control text or its non-discrimination notice to the end,
  once no section heading of the policy follows (a run of links, a terms-of-use dialog); and a
  run of footer links ("Privacy Policy", "Site Map", "Careers") anywhere.

`strip_chrome(texts, web)` returns the indices of the lines to keep; footers are only cut from
web pages (`web`): a PDF's text layer has no site around it, and a control text there ("back to
top" after each criteria block) is dropped alone.
"""
from __future__ import annotations

import re

from .furniture import footer_start, is_chrome_line, is_footer_term, is_menu_line, is_menu_term
from .sections import match_heading
from .vocab import furniture_rules

_GLUE = re.compile(r"(?<=[a-z)])(?=[A-Z])")
MENU_MIN_LABELS = 3
FOOTER_LINK_MAX_WORDS = 6


def is_glued_menu(text: str) -> bool:
    """Section names glued together by a page text extractor ("PolicyApplicable CPT Codes
    BackgroundReferences")."""
    if len(text) > 200 or "." in text:
        return False
    parts = [p.strip() for p in _GLUE.split(text) if p.strip()]
    return len(parts) >= MENU_MIN_LABELS and sum(1 for p in parts if match_heading(p, exact=True)) >= MENU_MIN_LABELS - 1


def _short(text: str) -> bool:
    return len(text.split()) <= FOOTER_LINK_MAX_WORDS and not text.rstrip().endswith((".", ":", ";"))


def _footer_runs(texts: list[str]) -> set[int]:
    """Lines of a run of short link-like lines holding several footer links."""
    need = furniture_rules().footer_min_terms
    out: set[int] = set()
    k = 0
    while k < len(texts):
        if not _short(texts[k]):
            k += 1
            continue
        j = k
        while j < len(texts) and _short(texts[j]):
            j += 1
        terms = sum(1 for t in texts[k:j] if is_footer_term(t))
        if terms >= need and terms * 2 >= j - k:
            out.update(range(k, j))
        k = j
    return out


# a list marker or a separator left before a menu entry ("- Home" from an HTML list, "| Print")
_ENTRY_LEAD = re.compile(r"^\s*(?:[-•·|]\s*)+")


def _menu_runs(texts: list[str]) -> set[int]:
    """Lines of a site's menu: a line of several entries, and a run of lines of one entry each
    (control texts among them) holding two entries or more."""
    entries = [_ENTRY_LEAD.sub("", t) if t[:3].lstrip()[:1] in ("-", "•", "·", "|") else t for t in texts]
    term = [is_menu_term(t) or is_chrome_line(t) for t in entries]
    line = [is_menu_line(t) for t in entries]
    out: set[int] = set()
    k = 0
    while k < len(texts):
        if not (term[k] or line[k]):
            k += 1
            continue
        j = k
        while j < len(texts) and (term[j] or line[j]):
            j += 1
        run = range(k, j)
        if sum(1 for i in run if term[i]) >= 2:
            out.update(run)
        out.update(i for i in run if line[i])
        k = j
    return out


def strip_chrome(texts: list[str], *, web: bool) -> list[int]:
    """Indices of the lines that are not chrome (see the module doc)."""
    drop = {k for k, t in enumerate(texts) if is_chrome_line(t) or is_glued_menu(t)}
    drop |= _menu_runs(texts)
    for k in range(len(texts) - 1):
        nxt = texts[k + 1].strip()
        if len(nxt) >= 12 and texts[k].rstrip().endswith(nxt) and len(texts[k]) > len(nxt) + 2:
            drop.add(k)  # a breadcrumb ending with the title printed below it
    drop |= _footer_runs(texts)
    if web:
        last_heading = max((k for k, t in enumerate(texts) if _section_heading(t)), default=-1)
        # the controls above the page's first text are its header, not the start of its footer
        first_text = next((k for k in range(len(texts)) if k not in drop), len(texts))
        for k in range(max(last_heading, first_text) + 1, len(texts)):
            if (k in drop and is_chrome_line(texts[k])) or footer_start(texts[k]):
                drop.update(range(k, len(texts)))
                break
    return [k for k in range(len(texts)) if k not in drop]


def _section_heading(text: str) -> bool:
    rule = match_heading(text, exact=True) if len(text) <= 120 else None
    return rule is not None and rule.kind not in ("boilerplate", "toc")
