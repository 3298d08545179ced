"""Build Documents from snippets for extractor tests."""
from __future__ import annotations

from medpolicy.ingest.document import SourceDocument
from medpolicy.ingest.normalize import build_document
from medpolicy.ingest.sections import find_sections


def doc_from_text(text: str, fmt: str = "text"):
    src = SourceDocument(path="snippet.txt", sha256="0" * 64, format=fmt, pages=text.split("\f"))
    doc = build_document(src)
    return doc, find_sections(doc)
