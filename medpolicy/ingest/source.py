"""Load a file into a SourceDocument, choosing the format by content, not by extension."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import DocumentError
from .document import SourceDocument

PDF_MAGIC = b"%PDF-"


def sniff_format(data: bytes, path: str | None = None) -> str:
    """'pdf', 'html' or 'text' from the first bytes; raises DocumentError for binary data."""
    head = data[:1024]
    if PDF_MAGIC in head:
        return "pdf"
    text = decode_text(data[:65536], path=path)
    lowered = text[:4096].lower()
    if "<html" in lowered or "<!doctype html" in lowered or "<body" in lowered:
        return "html"
    # HTML fragments without <html>: mostly block-level tags at line starts
    tags = sum(lowered.count(t) for t in ("<p>", "<p ", "<div", "<table", "<tr", "<li", "<h1", "<h2", "<br"))
    lines = max(1, lowered.count("\n"))
    if tags >= 5 and tags >= lines / 4:
        from .residue import TAG_TAIL

        if lines < 3 and TAG_TAIL.search(text):
            # page text on one line with escaped HTML and tag tails left in it: text (flat.py)
            return "text"
        return "html"
    return "text"


def decode_text(data: bytes, *, path: str | None) -> str:
    """Decode text bytes (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252), refusing binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    sample = data[:8192]
    if b"\x00" in sample:
        raise DocumentError("binary data, not a text, HTML or PDF document", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample_text = text[:8192]
    if sample_text:
        control = sum(1 for ch in sample_text if ord(ch) < 32 and ch not in "\t\n\r\f")
        bad = sample_text.count("\ufffd")
        if (control + bad) / len(sample_text) > 0.05:
            raise DocumentError("binary data, not a text, HTML or PDF document", path=path)
    return text


def read_file(path: str | os.PathLike) -> bytes:
    p = Path(path)
    if not p.exists():
        raise DocumentError("no such file", path=str(path))
    if p.is_dir():
        raise DocumentError("is a directory, not a document", path=str(path))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file ({exc.strerror or exc})", path=str(path)) from exc
    if not data.strip():
        raise DocumentError("empty file", path=str(path))
    return data


def load_source(path: str | os.PathLike, *, timeout: float | None = None, memory_mb: int | None = None) -> SourceDocument:
    """Read `path` and return its blocks (see document.py).

    PDFs are parsed in a child process under `timeout` seconds and `memory_mb` of address space
    (defaults in ingest.limits) so that a hostile file becomes one DocumentError."""
    data = read_file(path)
    sha = hashlib.sha256(data).hexdigest()
    spath = str(path)
    fmt = sniff_format(data, spath)
    if fmt == "pdf":
        if b"%%EOF" not in data[-2048:]:
            # a cut-off download parses "successfully" into a fraction of the policy: refuse it
            raise DocumentError("damaged PDF: truncated (no end-of-file marker)", path=spath)
        from .pdf import load_pdf  # imported lazily: pdf libraries are slow to import

        blocks, n_pages, warnings = load_pdf(spath, timeout=timeout, memory_mb=memory_mb)
        return SourceDocument(spath, sha, "pdf", blocks, len(data), n_pages=n_pages, furniture_removed=True,
                              warnings=warnings)
    text = decode_text(data, path=spath)
    if fmt == "html":
        from .html import html_to_blocks

        return SourceDocument(spath, sha, "html", html_to_blocks(text, path=spath), len(data))
    from .text import text_to_blocks

    furniture: list[str] = []
    blocks = text_to_blocks(text, furniture=furniture)
    return SourceDocument(spath, sha, "text", blocks, len(data), furniture=furniture)
