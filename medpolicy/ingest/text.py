"""Plain text -> blocks (see document.py).

Text has no structure but its characters: pages are split at form feeds, hard-wrapped
paragraphs are unwrapped, a line with TABs is a table row, a line that starts with a bullet or
an enumerator is a list item, and a line ending in two spaces (a markdown hard break) runs on
into the next. Markup left in the text (markdown headings, bold lines, HTML tags) is read by
normalize.strip_markup, which every format goes through."""
from __future__ import annotations

import re

from .document import Block, BlockKind

_BULLET = re.compile(r"^\s*(?:[-*•▪●◦·o§]\s+|\(?[0-9]{1,3}[.)]\s+|\(?[A-Za-z][.)]\s+|\(?[ivxIVX]{1,5}[.)]\s+)")
# a line that starts a new entry: a policy or code id first ("MP-1.120 Title", "C43.0-C43.9 ...")
_LEADING_ID = re.compile(r"^\s*[A-Z]{0,6}[-.]?\d+(?:[.\-]\d+)+[A-Z]?\s")


def text_to_blocks(text: str, *, unwrap_paragraphs: bool = True) -> list[Block]:
    """The blocks of a plain-text document, pages numbered from 1 when it has form feeds.
    A block's gap is the number of blank lines before it (at most 2; a page boundary is 2).
    `unwrap_paragraphs=False` takes every line as written (text known to be one paragraph per
    line, such as a snippet)."""
    pages = text_to_pages(text) if unwrap_paragraphs else text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
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
                blocks.append(_block(raw, pno if paged else None, gap))
            soft = raw.endswith("  ") and not raw.endswith("\t")
            gap = 0
    return blocks


def _block(raw: str, page: int | None, gap: int) -> Block:
    if "\t" in raw.strip(" "):
        return Block.row([c.strip(" ") for c in raw.strip(" ").split("\t")], page=page, gap=gap)
    kind = BlockKind.ITEM if _BULLET.match(raw) else BlockKind.PARAGRAPH
    return Block(kind, raw.rstrip(), page=page, gap=gap)


def text_to_pages(text: str) -> list[str]:
    """Split on form feeds; unwrap paragraphs when the text is hard-wrapped at a fixed width."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    return [unwrap(p) if is_hard_wrapped(p) else p for p in pages]


def _content_lines(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.split("\n") if ln.strip()]


def is_hard_wrapped(text: str) -> bool:
    """True when most lines stop near one width and run on into the next line: text that a
    PDF-to-text tool or an editor wrapped, rather than one paragraph per line."""
    lines = _content_lines(text)
    if len(lines) < 8:
        return False
    lengths = sorted(len(ln) for ln in lines)
    width = lengths[int(len(lengths) * 0.95) - 1]
    if width > 140 or width < 30:
        return False
    near = sum(1 for n in lengths if n >= 0.75 * width)
    return near >= 0.4 * len(lines)


def unwrap(text: str) -> str:
    """Join hard-wrapped lines of a paragraph; keep list items, table rows and short lines apart."""
    raw = text.split("\n")
    widths = sorted(len(ln.rstrip()) for ln in raw if ln.strip())
    width = widths[int(len(widths) * 0.95) - 1] if widths else 80
    out: list[str] = []
    for ln in raw:
        s = ln.rstrip()
        if not s.strip():
            out.append("")
            continue
        prev = out[-1] if out else ""
        t = s.strip()
        # "Section:" starts a field; "10]. Available from:" is the tail of a wrapped sentence
        label = t.endswith(":") and t[:1].isupper() and len(t.split()) <= 4 and "." not in t
        url_next = t.startswith(("http", "<http", "www."))
        if (prev and "\t" not in prev and "\t" not in s and len(prev.split("\n")[-1]) >= 0.6 * width
                and not _BULLET.match(s) and not _LEADING_ID.match(s) and not label and (url_next or not prev.endswith(":"))):
            if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha():
                out[-1] = prev + s.strip()  # keep the hyphen: hyphenated words stay hyphenated
            else:
                out[-1] = prev + " " + s.strip()
            continue
        out.append(s)
    return "\n".join(out)
