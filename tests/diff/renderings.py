"""The same edition in other forms, made from its text for the same-edition tests: an HTML page
as a payer's site would serve it, and the text `pdftotext -layout` prints for a PDF of it
(paragraphs wrapped, list items with hanging indents, table columns aligned with spaces, page
breaks with a running footer). Nothing here reads the parser's code: headings are passed in
(the headings a reader of the text sees), the rest is the text's own structure.
"""
from __future__ import annotations

import html
import re
import textwrap

LAYOUT_WIDTH = 92
PAGE_LINES = 54
_ITEM = re.compile(r"^((?:[IVX]{1,4}|[A-Za-z]|\d{1,3})[.)]|[•\-*])\s+")


def _blocks(text: str) -> list[list[str]]:
    """Runs of consecutive TAB rows, and every other non-blank line on its own."""
    out: list[list[str]] = []
    for line in text.split("\n"):
        if not line.strip():
            out.append([])
            continue
        if "\t" in line and out and out[-1] and "\t" in out[-1][-1]:
            out[-1].append(line)
        else:
            out.append([line])
    return [b for b in out if b]


def to_html(text: str, headings: set[str], title: str) -> str:
    """An HTML page: headings as <h2>, TAB rows as a table, other lines as paragraphs, inside the
    navigation and footer a web page has around its content."""
    body = []
    for block in _blocks(text):
        if "\t" in block[0]:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in r.split("\t")) + "</tr>\n"
                           for r in block)
            body.append(f"<table>\n{rows}</table>")
        elif block[0].strip() in headings:
            body.append(f"<h2>{html.escape(block[0].strip())}</h2>")
        else:
            body.append(f"<p>{html.escape(block[0].strip())}</p>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html.escape(title) + "</title>"
            "<script>var tracking = 1;</script></head><body>\n<nav><ul><li><a href=\"/\">Home</a></li>"
            "<li><a href=\"/policies\">Policies</a></li></ul></nav>\n<main>\n" + "\n".join(body)
            + "\n</main>\n</body></html>\n")


def _layout_table(rows: list[str]) -> list[str]:
    cells = [[c.strip() for c in r.split("\t")] for r in rows]
    ncol = max(len(r) for r in cells)
    widths = [max(len(r[k]) if k < len(r) else 0 for r in cells) for k in range(ncol)]
    out = []
    for r in cells:
        parts = [(r[k] if k < len(r) else "").ljust(widths[k]) for k in range(ncol)]
        out.append("   ".join(parts).rstrip())
    return out


def _layout_paragraph(line: str) -> list[str]:
    m = _ITEM.match(line)
    indent = " " * (len(m.group(0)) if m else 0)
    return textwrap.wrap(line, LAYOUT_WIDTH, subsequent_indent=indent, break_on_hyphens=False,
                         break_long_words=False) or [line]


def to_layout(text: str, footer: str) -> str:
    """What `pdftotext -layout` prints for a PDF of `text`: lines wrapped at the page width,
    columns aligned with spaces, a form feed between pages, each page ending with a running
    footer and its page label right-aligned."""
    lines: list[str] = []
    for block in _blocks(text):
        lines += _layout_table(block) if "\t" in block[0] else _layout_paragraph(block[0])
        lines.append("")
    pages = [lines[k:k + PAGE_LINES] for k in range(0, len(lines), PAGE_LINES)]
    out = []
    for n, page in enumerate(pages, 1):
        label = f"Page {n} of {len(pages)}"
        out.append("\n".join(page + ["", footer + " " * max(2, LAYOUT_WIDTH - len(footer) - len(label)) + label]))
    return "\f".join(out) + "\n"
