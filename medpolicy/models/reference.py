"""Cited references."""
from __future__ import annotations

import re
from typing import Sequence

from ..textnorm import text_keys
from .base import Provenance, Record

# The one place a PMID, DOI or URL is recognised in a reference's text (ingest fills the fields
# with them; identity falls back on them when a field is empty).
PMID_PATTERNS = (
    re.compile(r"\bPMID\s*[:#]?\s*(\d{1,9})\b", re.I),
    re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})\b", re.I),
    re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/(\d{1,9})\b", re.I),
)
DOI_PATTERN = re.compile(r"\b(10\.\d{4,9}/[^\s<>\"]+)")
URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.I)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_URL_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?", re.I)

# Dates a reference prints that a new edition updates without citing another work: the access
# date, the month or year of a package insert or guideline version.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATES = re.compile(
    r"\b(?:last\s+)?(?:accessed|retrieved|cited|viewed|updated|revised)(?:\s+on)?\s*:?\s*"
    r"|\b" + _MONTH + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?,?)?\s+(?:19|20)\d{2}\b"
    r"|\b\d{1,2}\s+" + _MONTH + r",?\s+(?:19|20)\d{2}\b"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}\b|\b(?:19|20)\d{2}(?:[/.-]\d{1,2}){0,2}\b",
    re.I)
_NUMBERS = re.compile(r"\d+(?:[.,:;/()-]+\d+)*")
# An undated text this short names no work on its own ("NCCN 2024.").
MIN_UNDATED_WORDS = 4

IDENTITY_KINDS = ("pmid", "doi", "url", "text", "undated", "unnumbered")


def find_pmid(text: str) -> str | None:
    """The first PMID the text prints ("PMID: 12345", a PubMed address)."""
    if "pmid" not in text.lower() and "pubmed" not in text.lower():
        return None
    for pattern in PMID_PATTERNS:
        m = pattern.search(text)
        if m:
            return m.group(1)
    return None


class Reference(Record):
    """One entry of the reference list; `number` is only its place in this edition's list."""

    number: int | None = None
    text: str
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    provenance: Provenance | None = None

    def identities(self) -> dict[str, str | None]:
        """Every identity the reference carries, strongest first (IDENTITY_KINDS): its PMID, its
        DOI (lower case, without resolver prefix), its URL (host lower case, without scheme and
        "www."), its text as a reader sees it (layout and case aside), that text without its
        dates (the same package insert accessed another day), and without any number (the same
        guideline in its next version: "Version 3.2025" -> "Version 1.2026"). A field left empty
        by extraction falls back on what the text prints, so one edition's missing field does
        not make one paper two. The diff pairs references kind by kind in this order:
        renumbering never matters, and two different PMIDs are never one paper."""
        return Reference.identities_of([self])[0]

    @staticmethod
    def identities_of(references: "Sequence[Reference]",
                      kinds: Sequence[str] = IDENTITY_KINDS) -> list[dict[str, str | None]]:
        """`identities()` of many references, their texts normalised in one pass; only the
        `kinds` asked for (the weaker ones cost more and are needed only for the references the
        stronger ones left unpaired)."""
        n = len(references)
        dated = bool({"undated", "unnumbered"} & set(kinds))
        keys = text_keys([r.text for r in references] + ([_DATES.sub(" ", r.text) for r in references] if dated else []))
        out = []
        for k, r in enumerate(references):
            ids: dict[str, str | None] = {}
            if "pmid" in kinds:
                ids["pmid"] = r._pmid()
            if "doi" in kinds:
                ids["doi"] = r._doi()
            if "url" in kinds:
                ids["url"] = r._url()
            if "text" in kinds:
                ids["text"] = keys[k].casefold() or None
            if dated:
                undated = " ".join(keys[n + k].casefold().split())
                unnumbered = " ".join(_NUMBERS.sub(" ", undated).split())
                enough = len(unnumbered.split()) >= MIN_UNDATED_WORDS
                ids["undated"] = undated if enough else None
                ids["unnumbered"] = unnumbered if enough else None
            out.append({kind: ids[kind] for kind in IDENTITY_KINDS if kind in kinds})
        return out

    def identity(self) -> tuple[str, str]:
        """The strongest identity: (kind, value)."""
        return next((k, v) for k, v in self.identities().items() if v is not None or k == "text")

    def _pmid(self) -> str | None:
        if self.pmid:
            return re.sub(r"\D", "", self.pmid) or None
        return find_pmid(self.text)

    def _doi(self) -> str | None:
        value = self.doi
        if not value and "10." in self.text:
            m = DOI_PATTERN.search(self.text)
            value = m.group(1) if m else None
        if not value:
            return None
        return _DOI_PREFIX.sub("", value.strip()).rstrip(".,;)]>").lower() or None

    def _url(self) -> str | None:
        value = self.url
        if not value and ("://" in self.text or "www." in self.text.lower()):
            m = URL_PATTERN.search(self.text)
            value = m.group(0) if m else None
        if not value:
            return None
        value = _URL_SCHEME.sub("", value.strip()).rstrip("/.,;)]>")
        host, _, path = value.partition("/")
        return host.lower() + ("/" + path if path else "") or None
