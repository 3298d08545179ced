"""PDF -> blocks (see document.py).

The stages, each in its own module:
  pdf_page       PDFium text and line geometry; ruled tables (pdfplumber's finder on rulings
                 read by PDFium) become TAB-separated rows in place of their text
  pdf_furniture  running headers and footers removed by position and repetition
  pdf_layout     visual lines joined into paragraphs, list items and rows
  (here)         blocks that continue on the next page joined; repeated table headers dropped
  pdf_text       line-end hyphens resolved against the document's own words
  (here)         each block typed: a short bold or large paragraph alone is a heading

Every layout threshold of these stages is a named setting of `pdf_settings.PdfLayout`; the entry
points take one (default `LAYOUT`).

`extract_pdf_pages` runs in-process; `load_pdf` runs it in a child process under time and
memory limits, since a hostile PDF can make any parser spin or balloon.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import DocumentError
from .document import Block as TypedBlock
from .document import BlockKind, render_pages
from .pdf_furniture import strip_furniture
from .pdf_layout import (FUNCTION_WORDS, HYPHEN_MARK, Block, Geometry, PageBlocks, continues_across_pages, ends_sentence,
                         join_text, right_edge)
from .pdf_page import PageContent, read_page
from .pdf_settings import LAYOUT, PdfLayout
from .pdf_text import document_vocabulary, resolve_hyphens

# A page with fewer visible characters than this and an image on it is counted as scanned.
_SCANNED_CHARS = 20


def _open(path: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise DocumentError("encrypted PDF (password required)", path=path) from exc
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise DocumentError("encrypted PDF (unsupported security handler)", path=path) from exc
        if code == pdfium.raw.FPDF_ERR_FILE:
            raise DocumentError("cannot read file", path=path) from exc
        reason = _damage(path)
        if reason == "no pages":
            raise DocumentError("empty PDF (no pages)", path=path) from exc
        raise DocumentError(f"damaged PDF: {reason}", path=path) from exc
    except (OSError, ValueError) as exc:
        raise DocumentError(f"cannot read file ({exc})", path=path) from exc


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_EMPTY_TREE = re.compile(rb"/Count\s+0(?![0-9])")


def _damage(path: str) -> str:
    """A short reason why PDFium could not open the file (its own error code is unreliable:
    PDFium refuses a document with an empty page tree without setting one)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(64 * 1024 * 1024)
    except OSError:
        return "cannot be read"
    if b"%PDF-" not in data[:1024]:
        return "no PDF header"
    if b"%%EOF" not in data[-2048:]:
        return "truncated (no end-of-file marker)"
    if _EMPTY_TREE.search(data) and not _PAGE_OBJECT.search(data) and b"/ObjStm" not in data:
        return "no pages"
    return "cross-reference table or page tree unreadable"


def _read_pages(path: str, warnings: list[str], layout: PdfLayout) -> list[PageContent]:
    """Every page's lines; a page PDFium cannot load is left empty with a warning."""
    import pypdfium2 as pdfium

    doc = _open(path)
    try:
        n = len(doc)
        if n <= 0:
            raise DocumentError("empty PDF (no pages)", path=path)
        pages = []
        broken = []
        for i in range(n):
            try:
                page = doc[i]
            except pdfium.PdfiumError:
                broken.append(i + 1)
                pages.append(PageContent(i, 612.0, 792.0))
                continue
            try:
                pages.append(read_page(page, i, layout))
            finally:
                page.close()
        if len(broken) == n:
            raise DocumentError(f"damaged PDF: none of its {n} pages can be loaded", path=path)
        if broken:
            warnings.append(f"damaged PDF: page(s) {', '.join(map(str, broken))} could not be loaded; their text is missing")
        return pages
    finally:
        doc.close()


def _check_text_layer(pages: list[PageContent], path: str, warnings: list[str]) -> None:
    """A PDF of page images has no text to read: fail when no page has text, warn for the
    pages without."""
    textless = [p for p in pages if p.n_chars < _SCANNED_CHARS]
    if len(textless) == len(pages) and sum(p.n_chars for p in pages) < _SCANNED_CHARS:
        if any(p.n_images for p in pages):
            raise DocumentError("no text layer (scanned PDF?)", path=path)
        raise DocumentError("no text layer (blank pages, or text drawn as shapes)", path=path)
    scanned = [p.number + 1 for p in textless if p.n_images]
    if scanned:
        warnings.append(f"page(s) {', '.join(map(str, scanned))} have no text layer (scanned?); their text is missing")


def _same_row(a: list[str], b: list[str]) -> bool:
    """Equal rows, ignoring case, spacing and empty trailing cells."""
    def norm(cells: list[str]) -> list[str]:
        out = [" ".join(c.split()).lower() for c in cells]
        while out and not out[-1]:
            out.pop()
        return out

    return norm(a) == norm(b)


def _drop_repeated_headers(pages: list[list[Block]]) -> None:
    """A table continued on the next page repeats its header row there: keep the first only."""
    header: list[str] | None = None
    for i in range(1, len(pages)):
        prev_page, page = pages[i - 1], pages[i]
        if not prev_page or not page:
            continue
        start = _table_start(prev_page)
        if start is None:
            header = None
            continue
        if start > 0 or header is None:
            # the table began on the previous page (a table that merely continues there keeps
            # the header seen before)
            header = prev_page[start].cells
        while page and page[0].kind == "row" and _same_row(page[0].cells, header):
            page.pop(0)


def _join_pages(pages: list[list[Block]], edges: list[float], layout: PdfLayout) -> None:
    """Carry a paragraph, reference or table row that a page break split back onto the page
    where it began."""
    for i in range(1, len(pages)):
        prev_page, page = pages[i - 1], pages[i]
        if not prev_page or not page:
            continue
        tail = _lowest(prev_page)
        if tail.kind == "row":
            if page[0].kind == "row" and _continues_row(tail, page[0], layout):
                for k, cell in enumerate(page[0].cells):
                    if cell:
                        tail.append_to_cell(k, cell)
                page.pop(0)
            continue
        head = _highest(page)
        if head.kind == "para" and tail.kind != "row" and _continues_on(tail, head, edges[i - 1], layout):
            tail.parts[:] = [join_text(tail.text(), head.text())]
            page.remove(head)


def _continues_on(tail: Block, head: Block, edge: float, layout: PdfLayout) -> bool:
    """Whether `head`, first on its page, is the rest of `tail`, last on the page before: by
    its wording (an unfinished sentence, a lower-case start) or by layout (the last line ran to
    the margin; the next page's first line sits at the list item's hanging indent)."""
    if continues_across_pages(tail.text(), head.text()):
        return True
    size = tail.last.size
    if abs(head.first.size - size) > layout.size_change_em * size:
        return False
    if tail.kind == "item" and head.first.x0 > tail.first.x0 + layout.hanging_indent_min_em * size:
        indent = tail.lines[1].x0 if len(tail.lines) > 1 else None
        return indent is None or abs(head.first.x0 - indent) <= layout.align_em * size
    return tail.last.x1 >= edge - layout.full_line_em * size and not ends_sentence(tail.text())


def _body(blocks: list[Block]) -> list[Block]:
    """The blocks that are not a running header or footer kept as page-1 metadata."""
    return [b for b in blocks if not all(ln.furniture for ln in b.lines)] or blocks


def _lowest(blocks: list[Block]) -> Block:
    """The block that ends lowest on the page: where the page's running text stops, even if the
    stream put a sidebar after it."""
    return max(reversed(_body(blocks)), key=lambda b: max(ln.bottom for ln in b.lines))


def _highest(blocks: list[Block]) -> Block:
    return min(_body(blocks), key=lambda b: min(ln.top for ln in b.lines))


def _table_start(blocks: list[Block]) -> int | None:
    """Index of the first row of the table the page ends with (lowest on the page), if any."""
    k = blocks.index(_lowest(blocks))
    if blocks[k].kind != "row":
        return None
    while k > 0 and blocks[k - 1].kind == "row":
        k -= 1
    return k


def _continues_row(prev: Block, row: Block, layout: PdfLayout) -> bool:
    """A row whose first cell is empty, at the top of a page, finishes the row the previous page
    ended with (when it starts like the rest of a sentence)."""
    cells = row.cells
    if not cells or cells[0].strip() or not any(c.strip() for c in cells):
        return False
    if not prev.cells or not prev.cells[0].strip():
        return False
    first = next(c for c in cells if c.strip()).lstrip()
    k = next(i for i, c in enumerate(cells) if c.strip())
    before = prev.cells[k].rstrip() if k < len(prev.cells) else ""
    return first[:1] in _LOWER_OR_OPEN or _unfinished(before, layout.cell_label_max_chars)


def _unfinished(cell: str, label_max_chars: int) -> bool:
    """A cell that stops mid-sentence: on a hyphen, a comma or a word like "for", or a text of
    `label_max_chars` or more without a full stop (a shorter one is a label, such as a header
    cell)."""
    if not cell:
        return False
    if cell.endswith(("-", ",", HYPHEN_MARK)) or cell.split()[-1].lower() in FUNCTION_WORDS:
        return True
    return len(cell) >= label_max_chars and not ends_sentence(cell)


_LOWER_OR_OPEN = frozenset("abcdefghijklmnopqrstuvwxyz(,;[")


def _merge_row_continuations(blocks: list[Block], layout: PdfLayout) -> list[Block]:
    """Within a page: a row with an empty first cell that reads as the rest of the row above
    (a cell's lines drawn as separate ruled rows) is merged into it."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "row" and out and out[-1].kind == "row" and _continues_row(out[-1], b, layout) and (
                next(c for c in b.cells if c.strip()).lstrip()[:1] in _LOWER_OR_OPEN):
            for k, cell in enumerate(b.cells):
                if cell:
                    out[-1].append_to_cell(k, cell)
            continue
        out.append(b)
    return out


# A bold "Reviewed: 02/26/26" or "Policy Number 2026R5007A" is a header field, not a heading: a
# label with a value after its colon, or a token holding this many digits (a date, an id, a code).
_FIELD = re.compile(r"^[A-Za-z][\w /&().'#-]{0,40}:\s*\S")
_DIGITS_TOKEN = re.compile(r"\S*\d\S*\d\S*\d\S*")


def body_size(pages: list[list]) -> float:
    """The font size most of the document's text is set in."""
    sizes: Counter = Counter()
    for lines in pages:
        for ln in lines:
            if ln.kind == "text":
                sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _is_heading(b: Block, body: float, layout: PdfLayout) -> bool:
    """A heading is set apart by typography, bold or larger than the body text, and is short:
    a paragraph of a line or two with no full stop at its end ("Policy", "Prior-Approval
    Requirements", a title wrapped over two lines). The limits are `layout.heading_*`."""
    text = b.text().strip()
    if b.kind != "para" or not text:
        return False
    if len(b.lines) > layout.heading_max_lines or len(text) > layout.heading_max_chars:
        return False
    if text.endswith(":") and len(text.split()) > layout.heading_colon_max_words:
        return False
    if ends_sentence(text) and not text.endswith(":") or text.endswith((",", ";")):
        return False
    if not re.search(r"[A-Za-z]{2}", text) or _FIELD.match(text) or _DIGITS_TOKEN.search(text):
        return False
    return all(ln.bold for ln in b.lines) or min(ln.size for ln in b.lines) >= layout.heading_size_ratio * body


def _typed(blocks: list[Block], page: int, body: float, layout: PdfLayout) -> list[TypedBlock]:
    """The page's blocks as the document's typed blocks: a blank line between blocks except
    between the rows of one table or the items of one list; a page starts with a page break."""
    out: list[TypedBlock] = []
    prev: Block | None = None
    for b in blocks:
        gap = 2 if not out else (0 if prev is not None and b.kind == prev.kind and b.kind in ("row", "item") else 1)
        if b.kind == "row":
            cells = [c.strip() for c in b.cells]
            while cells and not cells[-1]:
                cells.pop()
            if not any(cells):
                continue
            out.append(TypedBlock.row(cells, page=page, gap=gap))
        else:
            text = b.text().strip()
            if not text:
                continue
            kind = BlockKind.HEADING if _is_heading(b, body, layout) else (
                BlockKind.ITEM if b.kind == "item" else BlockKind.PARAGRAPH)
            out.append(TypedBlock(kind, text, page=page, gap=gap))
        prev = b
    return out


def _resolve_hyphens(blocks: list[TypedBlock]) -> list[TypedBlock]:
    if not any(HYPHEN_MARK in b.display for b in blocks):
        return blocks
    words, compounds = document_vocabulary("\n".join(b.display for b in blocks))
    out = []
    for b in blocks:
        if HYPHEN_MARK not in b.display:
            out.append(b)
        elif b.kind is BlockKind.ROW:
            out.append(TypedBlock.row([resolve_hyphens(c, words, compounds) for c in b.cells], page=b.page, gap=b.gap))
        else:
            out.append(TypedBlock(b.kind, resolve_hyphens(b.text, words, compounds), page=b.page, level=b.level, gap=b.gap))
    return out


def extract_pdf_blocks(path: str, layout: PdfLayout = LAYOUT) -> tuple[list[TypedBlock], int, list[str]]:
    """The document's typed blocks, its page count and warnings, read in this process with the
    given layout settings."""
    path = str(path)
    if not Path(path).is_file():
        raise DocumentError("no such file", path=path)
    warnings: list[str] = []
    contents = _read_pages(path, warnings, layout)
    _check_text_layer(contents, path, warnings)
    lines, _removed = strip_furniture([c.lines for c in contents], [c.height for c in contents])
    geometry = Geometry.measure(lines, layout)
    body = body_size(lines)
    blocks = [PageBlocks(ls, geometry).build() for ls in lines]
    _drop_repeated_headers(blocks)
    blocks = [_merge_row_continuations(b, layout) for b in blocks]
    _join_pages(blocks, [right_edge(ls, layout) for ls in lines], layout)
    typed = [tb for i, page in enumerate(blocks, 1) for tb in _typed(page, i, body, layout)]
    return _resolve_hyphens(typed), len(contents), warnings


def extract_pdf_pages(path: str, layout: PdfLayout = LAYOUT) -> tuple[list[str], list[str]]:
    """The seed-like text of each page (document.render_pages) and warnings: a view for tests."""
    blocks, n, warnings = extract_pdf_blocks(path, layout)
    rendered = dict(zip(sorted({b.page for b in blocks}), render_pages(blocks)))
    return [rendered.get(i, "") for i in range(1, n + 1)], warnings


def load_pdf(path: str, *, timeout: float | None, memory_mb: int | None,
             layout: PdfLayout = LAYOUT) -> tuple[list[TypedBlock], int, list[str]]:
    """`extract_pdf_blocks` in a child process under a time and memory limit: the warm reader
    (ingest.reader), one process serving document after document."""
    from .reader import run_warm

    return run_warm(extract_pdf_blocks, path, layout, timeout=timeout, memory_mb=memory_mb, path_for_errors=path)
