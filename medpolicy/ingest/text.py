"""Plain text -> blocks (see document.py).

Text has no structure but its characters: pages are split at form feeds, hard-wrapped
paragraphs are unwrapped, a line with TABs is a table row, a line that starts with a bullet or
an enumerator is a list item, and a line ending in two spaces (a markdown hard break) runs on
into the next. Markup left in the text (markdown headings, bold lines, HTML tags) is read by
normalize.strip_markup, which every format goes through."""
from __future__ import annotations

import re

from .document import Block, BlockKind
from .flat import flat_to_blocks, is_flattened
from .furniture import is_chrome_line
from .lexicon import item_prefix
from .normalize import unify_characters
from .text_pages import split_pages, strip_page_furniture

_ITEM_START = item_prefix()  # a bullet or an enumerator
# a line that starts a new entry: a policy or code id first ("MP-1.120 Title", "C43.0-C43.9 ...")
_LEADING_ID = re.compile(r"^\s*(?:[A-Z]{0,6}[-.]?\d+(?:[.\-]\d+)+[A-Z]?\s|[A-Z]{2,6}[-.]\d{3,}\s"
                         r"|(?:\d{4}[0-9A-Z]|[A-Z]\d{4}|[A-Z]\d{2}(?:\.\d{1,4})?)\s+[A-Z])")
# "Guideline#: CG-GENE-14 Publish Date: ...": a labelled field starts its own line
_FIELD = re.compile(r"^[A-Z][\w#/&()'-]*(?: [\w#/&()'-]+){0,3}:\s+[A-Z0-9]")
_LEADING_CODE = re.compile(r"^\s*(?:\d{4}[0-9A-Z]|[A-Z]\d{4})\s+[A-Z(]")
_CODE_SHAPE = r"(?:\d{4}[0-9A-Z]|[A-Z]\d{4}|[A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?)"
_ANY_CODE = re.compile(rf"(?<![\w.-]){_CODE_SHAPE}(?:\s*[-\u2013]\s*{_CODE_SHAPE})?(?![\w-])")
_LEADER = re.compile(r"(?:\.\s?){4,}")
_TRAILING_WIDE_SPACES = re.compile(r"(?<=\S)[\u00a0\u2007\u202f\u2002\u2003\u2009\u200a\u3000][\u00a0\u2007\u202f\u2002\u2003\u2009\u200a\u3000 ]*$", re.M)


def text_to_blocks(text: str, *, unwrap_paragraphs: bool = True, furniture: list[str] | None = None) -> list[Block]:
    """The blocks of a plain-text document, pages numbered from 1 when it shows page breaks
    (form feeds, or a text layer's empty-line page separators; see text_pages). A block's gap is
    the number of blank lines before it (at most 2; a page boundary is 2).
    `unwrap_paragraphs=False` takes every line as written (text known to be one paragraph per
    line, such as a snippet). The running headers and footers removed are appended to
    `furniture` when a list is given."""
    # A web page pads its lines with no-break spaces; at a line's end they are not the two typed
    # spaces of a markdown hard break, which they would become once unified to spaces.
    text = _TRAILING_WIDE_SPACES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = unify_characters(text)
    if unwrap_paragraphs and is_flattened(text):
        return flat_to_blocks(text, furniture)
    layer = unwrap_paragraphs and ends_with_spaces(text.split("\n"))
    pages = text_to_pages(text, furniture) if unwrap_paragraphs else text.split("\f")
    paged = len(pages) > 1
    blocks: list[Block] = []
    for pno, page in enumerate(pages, 1):
        gap = 2 if blocks else 0
        soft = False
        for raw in page.split("\n"):
            if not raw.strip("\t \f\v"):
                gap = min(2, gap + 1)
                continue
            if soft and gap == 0 and blocks[-1].kind is not BlockKind.ROW:
                last = blocks[-1]
                blocks[-1] = Block(last.kind, last.text + " " + raw.strip(), last.cells, last.page, last.level, last.gap)
            else:
                blocks.append(_block(raw, pno if paged else None, gap, layer=layer))
            # a markdown hard break ("two spaces at the end") runs on; a text layer ends every
            # line with spaces, so there it means nothing
            soft = not layer and raw.endswith("  ") and not raw.endswith("\t")
            gap = 0
    return blocks


# A text layer that lost a bullet glyph keeps the space after it: " Acute myeloid leukemia"
_LOST_BULLET = re.compile(r"^ (?=[A-Z(\"'\d])\S")


def _block(raw: str, page: int | None, gap: int, *, layer: bool = False) -> Block:
    if "\t" in raw.strip(" "):
        return Block.row([c.strip(" ") for c in raw.strip(" ").split("\t")], page=page, gap=gap)
    item = _ITEM_START.match(raw) or (layer and _LOST_BULLET.match(raw))
    kind = BlockKind.ITEM if item else BlockKind.PARAGRAPH
    return Block(kind, raw.rstrip(), page=page, gap=gap)


def text_to_pages(text: str, furniture: list[str] | None = None) -> list[str]:
    """The text of each page: split at page breaks, running headers and footers removed, lines
    broken by the text layer repaired (`repair_lines`), and paragraphs unwrapped when the text
    is hard-wrapped (one width for the whole document: a page of short list items is wrapped at
    the same width as the pages around it)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages, removed = strip_page_furniture(split_pages(text))
    if furniture is not None:
        furniture.extend(removed)
    every = [ln for p in pages for ln in p]
    trailing = ends_with_spaces(every)
    pages = [repair_lines(p) if trailing else p for p in pages]
    joined = "\n".join("\n".join(p) for p in pages)
    width = wrap_width(joined) if is_hard_wrapped(joined) else None
    return ["\n".join(p) if width is None else unwrap("\n".join(p), width) for p in pages]


def ends_with_spaces(lines: list[str]) -> bool:
    """True when the text layer ends its lines with a space (as pdfminer-style tools write a
    soft line end): then a line that does *not* end in one was cut inside a word or before an
    inline superscript, and `repair_lines` can join it back."""
    content = [ln for ln in lines if ln.strip()]
    return len(content) >= 20 and sum(1 for ln in content if ln[-1].isspace()) >= 0.5 * len(content)


# an inline mark set on its own line by the text layer: (R), TM, an ordinal suffix, a footnote number
_FRAGMENT = re.compile(r"^(?:[®™©℠†‡*]|st|nd|rd|th|\d{1,3})$")
_SIGNS = frozenset("®™©℠†‡*")


def repair_lines(lines: list[str]) -> list[str]:
    """Join what a text layer that ends its lines with a space broke apart without one:
    - an inline mark on a line of its own between two pieces of one line ("FoundationOne" /
      "(R)" / " Heme" -> "FoundationOne (R) Heme", "12" / "th" / " Street" -> "12th Street",
      "results." / "2" / " Studies"): the piece after it starts with a space or closing punctuation;
    - a word cut at the line end ("in" / "vestigational", "potentially off" / "er a"): the line
      ends in a letter without a space and the next starts with a lower-case letter."""
    out: list[str] = []
    k = 0
    while k < len(lines):
        ln = lines[k]
        if out and out[-1].strip() and not out[-1][-1].isspace():
            prev = out[-1]
            nxt = lines[k + 1] if k + 1 < len(lines) else ""
            if (_FRAGMENT.match(ln) and nxt.strip() and (nxt[0].isspace() or nxt[0] in ")]},.;:")
                    and not nxt.strip()[0].isdigit()):
                # a sign (R, TM) is read where the layer put it, a line break being a space
                # ("Keytruda" / "(R)" / " [Label]" -> "Keytruda (R) [Label]", as the corpus
                # contract reads wrapped text); a suffix or a footnote number stays on its word
                sep = " " if ln in _SIGNS else ""
                out[-1] = prev + sep + ln + nxt
                k += 2
                continue
            if prev[-1].isalpha() and ln[:1].islower():
                out[-1] = prev + ln
                k += 1
                continue
        out.append(ln)
        k += 1
    return out


def _content_lines(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.split("\n") if ln.strip()]


def is_hard_wrapped(text: str) -> bool:
    """True when lines stop near one width and run on into the next line: text that a
    PDF-to-text tool or an editor wrapped, rather than one paragraph per line. A text layer
    shows it by its many lines that continue in lower case on the next line; an editor's
    wrapping by most lines ending near one width."""
    lines = _content_lines(text)
    if len(lines) < 8:
        return False
    runs_on = sum(1 for a, b in zip(lines, lines[1:]) if b.lstrip()[:1].islower())
    if runs_on >= 0.15 * len(lines):
        return True
    lengths = sorted(len(ln) for ln in lines)
    width = lengths[int(len(lengths) * 0.95) - 1]
    if width > 140 or width < 30:
        return False
    near = sum(1 for n in lengths if n >= 0.75 * width)
    return near >= 0.4 * len(lines)


def wrap_width(text: str) -> int:
    """The width a text is wrapped at: the length most full lines reach."""
    widths = sorted(len(ln) for ln in _content_lines(text))
    return widths[int(len(widths) * 0.95) - 1] if widths else 80


_CLAUSE_END = (".", ";", ":", "?", "!")


def _known_heading(text: str) -> bool:
    from .sections import match_heading  # noqa: PLC0415 (sections imports document only)

    return len(text) <= 60 and text[:1].isupper() and match_heading(text, exact=True) is not None


def unwrap(text: str, width: int | None = None) -> str:
    """Join hard-wrapped lines of a paragraph; keep list items, table rows and short lines apart.
    A line is wrapped when it reaches most of the width, or when the next line goes on in lower
    case after a line that does not end a clause."""
    raw = text.split("\n")
    if width is None:
        width = wrap_width(text)
    out: list[str] = []
    last = 0  # length of the last visual line of out[-1]
    for ln in raw:
        s = ln.rstrip()
        if not s.strip():
            out.append("")
            last = 0
            continue
        prev = out[-1] if out else ""
        t = s.strip()
        # "Section:" starts a field; "10]. Available from:" is the tail of a wrapped sentence
        label = (t.endswith(":") and t[:1].isupper() and len(t.split()) <= 4 and "." not in t) or bool(_FIELD.match(t))
        url_next = t.startswith(("http", "<http", "www."))
        wrapped = (last >= 0.6 * width or (t[:1].islower() and not prev.endswith(_CLAUSE_END))
                   or (url_next and prev.endswith(":"))
                   # a code table's row runs on until the next code: "0231U Oncology ... insertions" /
                   # "GeneScan(R) SMN1 Analysis, Acme Labs" (the test's name, printed under it); a
                   # line that holds codes ("C18-C20, C24," "81275, 81276 Name") is a cell of its own
                   or (bool(_LEADING_CODE.match(prev)) and not prev.endswith(_CLAUSE_END[1:]) and not _FIELD.match(t)
                       and not _ANY_CODE.search(t)))
        if _LEADER.search(s) or _LEADER.search(prev) or is_chrome_line(t) or _known_heading(t):
            # "Effective Date ...... 7/15/2026": a label and its value, a row; "back to top";
            # "Position Statement": a known section heading never continues a sentence
            wrapped = False
        if (prev and "\t" not in prev and "\t" not in s and wrapped
                and not _ITEM_START.match(s) and not _LEADING_ID.match(s) and not label and (url_next or not prev.endswith(":"))):
            if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha():
                out[-1] = prev + t  # keep the hyphen: hyphenated words stay hyphenated
            else:
                out[-1] = prev + " " + t
            last = len(s)
            continue
        out.append(s)
        last = len(s)
    return "\n".join(out)
