"""parse_policy's chain: load -> normalise -> sections -> extractors -> Policy. Only chains stages."""
from __future__ import annotations

import os

from ..errors import DocumentError, NotAPolicyError
from ..models import Policy, Provenance, Section, SourceInfo
from .codes import extract_codes
from .doctype import bulletin, error_page, refusal
from .document import Document
from .history import extract_history
from .metadata import extract_metadata
from .normalize import build_document
from .references import extract_references
from .related import extract_related
from .sections import SectionSpan, find_sections
from .source import load_source
from .statements import extract_statements


def run_pipeline(path: str | os.PathLike, *, timeout: float | None = None, memory_mb: int | None = None,
                 strict: bool = False) -> Policy:
    source = load_source(path, timeout=timeout, memory_mb=memory_mb)
    doc = build_document(source)
    if not doc.lines:
        raise DocumentError("no text found in the document", path=str(path))
    return policy_from_document(doc, strict=strict)


def policy_from_document(doc: Document, *, strict: bool = False) -> Policy:
    path = doc.source.path
    if error_page(doc) or bulletin(doc):
        # a saved error page can quote a policy's title; a bulletin quotes many policies' text:
        # neither is a policy whatever it mentions
        raise NotAPolicyError(refusal(doc), path=path)
    sections = find_sections(doc)
    meta, warnings = extract_metadata(doc, sections)
    statements, w = extract_statements(doc, sections)
    warnings += w
    codes, w = extract_codes(doc, sections)
    warnings += w
    history, w = extract_history(doc, sections)
    warnings += w
    references, w = extract_references(doc, sections)
    warnings += w
    related, w = extract_related(doc, sections, meta["policy_id"])
    warnings += w
    if not _looks_like_policy(meta, statements, codes, history, sections):
        raise NotAPolicyError(refusal(doc), path=path)
    warnings = doc.warnings + warnings
    if strict and warnings:
        raise DocumentError("strict mode: " + "; ".join(warnings), path=path)
    return Policy(
        policy_id=meta["policy_id"], title=meta["title"], payer=meta["payer"], dates=meta["dates"],
        related_policies=related, statements=statements, codes=codes, history=history,
        references=references, sections=[_section(s) for s in sections],
        source=SourceInfo(path=path, sha256=doc.source.sha256, format=doc.source.format,
                          pages=doc.source.n_pages,
                          size=doc.source.size),
        warnings=warnings,
    )


def _looks_like_policy(meta, statements, codes, history, sections: list[SectionSpan]) -> bool:
    """A policy says something about coverage or billing: positioned statements in a policy
    section, codes, a revision history, or a policy id with a dated header. Headings alone
    ("Clinical Guidelines", "Code Lists" on a portal page) are not enough."""
    kinds = {s.kind for s in sections if s.heading}
    # statements found outside any policy section (prose that says "investigational") are too weak
    # to make a document a policy on their own
    positioned = [s for s in statements if s.position.value != "other"] if "policy" in kinds else []
    dated = any(v for v in meta["dates"].model_dump().values())
    return bool(positioned or codes or history or (meta["policy_id"] and dated))


def _section(span: SectionSpan) -> Section:
    first = span.heading_line or (span.lines[0] if span.lines else None)
    last = span.lines[-1] if span.lines else span.heading_line
    prov = Provenance(page=first.page, start=first.start, end=last.end) if first and last else None
    return Section(heading=span.heading, kind=span.kind, level=span.level, text=span.text, provenance=prov)
