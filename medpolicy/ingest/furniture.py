"""What page furniture and site chrome look like, whatever the format: page markers, notices
printed at page edges, a website's control and link texts (rules/furniture.json).

The loaders decide *where* furniture may stand (pdf_furniture by geometry, text_pages by a
line's distance from the page edge, flat and html by the page's chrome); this module only says
what a line or phrase is. It imports no PDF library: the text loaders use it too.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .vocab import furniture_rules

# "Page 2 of 10", "Page: 2 of 10", "page 2/10"; also glued to the word before it, as text layers
# print a footer's cells ("(c)2025 Company NamePage 3 of 18")
PAGE_OF = re.compile(r"(?<![a-z])(?i:page)\s*:?\s*\d{1,4}\s*(?i:of|/)\s*\d{1,4}\b")
_PAGE_ALONE = re.compile(r"^\s*(?:\d+\s*\|\s*page|page\s*\|?\s*\d+)\s*$", re.IGNORECASE)  # 2 | Page, Page 2
BARE_NUMBER = re.compile(r"^\s*[-–]?\s*(\d{1,4})\s*[-–]?\s*$")  # 7, - 7 -
N_OF_M = re.compile(r"^\s*\d{1,4}\s*/\s*\d{1,4}\s*$")  # 3/36 (browser print footers)
STAMP = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def signature(text: str) -> str:
    """A line's text with digits and spacing evened out: page 2's header equals page 3's."""
    return " ".join(_DIGITS.sub("#", text.lower()).split())


def is_page_marker(text: str, *, outermost: bool = False) -> bool:
    """A page number or a print time stamp. "Page 2 of 10" may share its line with a title;
    a bare number must be the whole line, or an end piece of the line nearest the page edge
    ("Company confidential<TAB>7"; "50" in a table row higher up is a count), and "3/36" the
    last piece of its line. A printed URL alone is not a marker: a reference's URL may end a
    page, and the browser's URL footer repeats anyway."""
    pieces = [p.strip() for p in text.split("\t") if p.strip()] or [text]
    if BARE_NUMBER.match(text) or N_OF_M.match(pieces[-1]) or STAMP.match(pieces[0]):
        return True
    if outermost and (BARE_NUMBER.match(pieces[-1]) or BARE_NUMBER.match(pieces[0])):
        return True
    return any(PAGE_OF.search(p) or _PAGE_ALONE.match(p) for p in pieces)


@lru_cache(maxsize=1)
def _compiled() -> dict[str, re.Pattern]:
    r = furniture_rules()

    def alt(pats) -> str:
        return "|".join(f"(?:{p})" for p in pats)

    # a menu entry: a menu term or a control text of fixed words (not one that runs on: "click here ...")
    entry = alt((*r.menu_terms, *(p for p in r.chrome_lines if "." not in p)))

    return {
        "edge": re.compile(alt(r.edge_notices), re.I),
        "chrome": re.compile(rf"\s*(?:{alt(r.chrome_lines)})\s*[.:]?\s*", re.I),
        "phrase": re.compile(rf"\s*(?:{alt(r.chrome_phrases)})", re.I),
        "footer_term": re.compile(rf"\s*(?:{alt(r.footer_terms)})\s*", re.I),
        "menu_term": re.compile(rf"\s*(?:{alt(r.menu_terms)})\s*", re.I),
        # two or more menu entries or control texts on one line, parted by bars, bullets or spaces
        "menu_line": re.compile(rf"\s*(?:{entry})(?:\s*[|•·]\s*|\s+)(?:(?:{entry})(?:\s*[|•·]\s*|\s+|$))+", re.I),
        # the same run inline in flattened text: capitalised entries, two or more parted by a bar or
        # bullet, or three or more ("Home | Search | Help", "Print Share Email")
        # the same run inline in flattened text: capitalised entries (how many, and parted how, is
        # checked by `menu_runs`)
        "menu_entry": re.compile(rf"(?<!\S)(?i:{entry})(?!\S)"),
        "menu_run": re.compile(rf"(?<!\S)(?=[A-Z])(?i:{entry})(?:(?:\s*[|•·]\s*|\s+)(?=[A-Z])(?i:{entry}))+(?!\S)"),
        "footer_start": re.compile(alt(r.footer_starts), re.I),
    }


def is_edge_notice(text: str) -> bool:
    """A copyright, proprietary or print notice: furniture when it stands at a page edge."""
    return bool(_compiled()["edge"].search(text))


def is_chrome_line(text: str) -> bool:
    """The whole line is a website's or viewer's control or link text."""
    return len(text) <= 120 and bool(_compiled()["chrome"].fullmatch(text))


def strip_chrome_phrases(text: str) -> str:
    """The line without control texts glued into it ("Share opens in a new window" -> "Share")."""
    if "open" not in text.lower():  # every phrase today is an "opens ..." label; skip the regex otherwise
        return text
    return _compiled()["phrase"].sub("", text).strip()


def is_footer_term(text: str) -> bool:
    """One link of a site's footer or menu ("Privacy Policy", "Site Map", "Copyright ...")."""
    return len(text) <= 80 and bool(_compiled()["footer_term"].fullmatch(text))


MENU_LINE_MAX_CHARS = 200


def is_menu_term(text: str) -> bool:
    """One entry of a site's menu or one page button alone ("Home", "Downloads", "Expand All")."""
    return len(text) <= 40 and bool(_compiled()["menu_term"].fullmatch(text))


def is_menu_line(text: str) -> bool:
    """A line of a site's menu: two or more menu entries or control texts and nothing else
    ("Home | Search | Reports | Help", "Expand All | Collapse All")."""
    return len(text) <= MENU_LINE_MAX_CHARS and bool(_compiled()["menu_line"].fullmatch(text))


MENU_RUN_MIN_ENTRIES = 3  # entries parted by spaces alone; two are enough with a bar or bullet between


def menu_runs(text: str) -> list[tuple[int, int]]:
    """Spans of a site's menu inline in a flattened text: capitalised menu entries and control
    texts, two or more parted by a bar or bullet ("Home | Search"), or three or more ("Print
    Share Email")."""
    out = []
    for m in _compiled()["menu_run"].finditer(text):
        run = m.group(0)
        if re.search(r"[|•·]", run) or len(_compiled()["menu_entry"].findall(run)) >= MENU_RUN_MIN_ENTRIES:
            out.append(m.span())
    return out


def footer_start(text: str) -> re.Match | None:
    """Where the block a website prints after every page begins in `text`, if it does."""
    return _compiled()["footer_start"].search(text)
