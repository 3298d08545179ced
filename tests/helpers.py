"""Build Documents from snippets for extractor tests."""
from __future__ import annotations

from medpolicy.ingest.document import SourceDocument
from medpolicy.ingest.normalize import build_document
from medpolicy.ingest.sections import find_sections
from medpolicy.ingest.text import text_to_blocks


def doc_from_text(text: str, fmt: str = "text"):
    src = SourceDocument(path="snippet.txt", sha256="0" * 64, format=fmt, blocks=text_to_blocks(text, unwrap_paragraphs=False))
    doc = build_document(src)
    return doc, find_sections(doc)


def build_sections(*blocks):
    """A Document and hand-made sections from (heading, kind, lines) blocks, bypassing the heading
    rules, so an extractor is tested alone; a line may be (text, page)."""
    from medpolicy.ingest.document import Document
    from medpolicy.ingest.sections import SectionSpan

    items: list[tuple[str, int | None]] = []
    marks = []
    for heading, kind, lines in blocks:
        start = len(items)
        if heading:
            items.append((heading, 1))
        for ln in lines:
            items.append(ln if isinstance(ln, tuple) else (ln, 1))
        marks.append((heading, kind, start, len(items)))
    doc = Document.from_lines(SourceDocument("test.txt", "0" * 64, "text", []), items)
    sections = []
    for heading, kind, start, end in marks:
        head = doc.lines[start] if heading else None
        sections.append(SectionSpan(heading, kind, 1, head, doc.lines[start + 1 if heading else start:end]))
    return doc, sections
