"""Header fields: policy id, title, payer and labelled dates (labels in rules/metadata.json).

The labelled fields are read once (fields.py); each extractor takes the values of its own labels,
first from the document's head, then from anywhere outside the history, references and evidence
(a sidebar, a block at the end of a web page), and last from labelled lines inside those sections
that hold nothing but labels and dates (a "Policy History" block that prints "Last Review:" and
"Next Review:" above its table).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..models import PolicyDates
from .dates import find_date, find_dates
from .document import Document, Line
from .fields import Field, read_fields
from .payer import extract_payer
from .sections import SectionSpan
from .title import extract_title, series_number_alone, series_payer, series_record_id
from .vocab import metadata_rules

# sections whose dates belong to other documents or to past editions
_NOT_METADATA = {"history", "references", "evidence", "archive", "related"}
HEADER_LINES = 60
# how far down the head a number printed alone may be the policy's own ("5.21.054", "L35041")
BARE_ID_LINES = 15


@dataclass(frozen=True)
class LabelVocabulary:
    """The header labels by field, lower case (longest first), and the lines that are never a
    title (document types included): the view of rules/metadata.json that the loaders use to
    split header fields run together on one line of web text (flat.py)."""

    date_labels: dict[str, tuple[str, ...]]
    id_labels: tuple[str, ...]
    title_labels: tuple[str, ...]
    not_titles: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> LabelVocabulary:
    r = metadata_rules()

    def longest_first(labels) -> tuple[str, ...]:
        return tuple(sorted((" ".join(lb.lower().split()) for lb in labels if "*" not in lb), key=len, reverse=True))

    dates = {k: longest_first(v) for k, v in r.dates.items()}
    dates["last_review"] = longest_first((*r.dates.get("last_review", ()), *r.review_either))
    return LabelVocabulary(dates, longest_first(r.policy_id), longest_first((*r.title, *r.type_names)),
                           frozenset(t.lower() for t in (*r.not_titles, *r.type_names) if "*" not in t))


class Scopes:
    """The document's fields by where they stand: the head, the body outside history/references/
    evidence, and those excluded sections."""

    def __init__(self, doc: Document, sections: list[SectionSpan]) -> None:
        excluded = {id(ln) for s in sections if s.kind in _NOT_METADATA for ln in s.lines}
        self.fields = read_fields(doc.lines)
        head = {id(ln) for ln in doc.lines[:HEADER_LINES]}
        self.head = [f for f in self.fields if id(f.line) in head and id(f.line) not in excluded]
        # below the head, a label counts on a line of fields, not quoted inside a sentence
        self.body = [f for f in self.fields if id(f.line) not in excluded and (f.lead or id(f.line) in head)]
        self.excluded = [f for f in self.fields if id(f.line) in excluded and f.lead]
        self.history = {id(ln) for s in sections if s.kind == "history" for ln in s.lines}


def header_lines(doc: Document, sections: list[SectionSpan]) -> list[Line]:
    """The lines where header fields live: the document's head, minus history/reference tables."""
    excluded = {id(ln) for s in sections if s.kind in _NOT_METADATA for ln in s.lines}
    return [ln for ln in doc.lines[:HEADER_LINES] if id(ln) not in excluded]


# -- dates ---------------------------------------------------------------------------------------

_VALUE_PREFIX = re.compile(r"^(?:for services (?:performed|rendered|provided) on or after|on or after|effective|as of)\s*:?\s*", re.I)
# a numeric date printed with bars or stray spaces ("01|07|2026", "1/ 1/2024")
_SPACED_NUMERIC = re.compile(r"\b(\d{1,2})\s?[|/]\s?(\d{1,2})\s?[|/]\s?(\d{2}|\d{4})\b")


def _date_value(value: str) -> str | None:
    """The date a field gives: its first date, or the latest of a plain list of dates."""
    value = _SPACED_NUMERIC.sub(r"\1/\2/\3", _VALUE_PREFIX.sub("", value))
    found = find_dates(value)
    if not found or found[0].start > 2:
        return None
    rest, pos = "", 0
    for d in found:
        rest += value[pos:d.start]
        pos = d.end
    rest += value[pos:]
    if len(found) > 1 and not re.sub(r"[\s,;&]|and", "", rest):
        return max((d.iso for d in found), key=lambda iso: (iso + "-00")[:10])
    return found[0].iso


# a note after a date: "Revised: 03/2025 (criteria clarified)"
_NOTE = re.compile(r"^\s*\([^()]*\)\s*$")


def _only_dates(field: Field, in_history: bool) -> bool:
    """A field line inside a history or reference section (a block of dated labels printed after
    the references) that is a header field, not a row: it starts with its label and gives a date,
    alone or with a note in brackets after it (not in a revision history, whose rows say what
    changed), or with a colon after a label of two words."""
    if field.line.is_row:
        return False
    value = _SPACED_NUMERIC.sub(r"\1/\2/\3", field.value)
    d = find_date(value)
    if d is None or d.start > 2:
        return False
    rest = value[d.end:]
    if not rest.strip(" .,;*()") or (field.colon and not in_history and _NOTE.match(rest)):
        return True
    return field.explicit and len(field.label.split()) > 1


_APPROVED = re.compile(r"approved by (?:the )?[^.\n]{0,120}?(?:committee|council|board|team)[^.\n]{0,40}? on ([^.\n]{4,40})", re.I)


def extract_dates(doc: Document, scopes: Scopes) -> PolicyDates:
    """Each date field from its labels: the first labelled value that is a date, in the head
    first, then anywhere outside history, references and evidence, then from label-and-date lines
    inside them."""
    found: dict[str, str] = {}
    tail = [f for f in scopes.excluded if _only_dates(f, id(f.line) in scopes.history)]
    for scope in (scopes.head, scopes.body, tail):
        for f in scope:
            for key in f.keys:
                if (key in PolicyDates.model_fields or key == "review_either") and key not in found:
                    iso = _date_value(f.value)
                    if iso:
                        found[key] = iso
    either = found.pop("review_either", None)
    if either:
        # "Annual Review: December 2023" beside "Effective Date: January 29, 2024" is the review
        # that was done; beside an earlier effective date it is the one to come
        ref = found.get("effective") or found.get("issued") or found.get("published")
        key = "last_review" if ref and either[:7] <= ref[:7] else "next_review"
        found.setdefault(key, either)
    if "approved" not in found:
        m = _APPROVED.search(doc.text)
        if m:
            d = find_date(m.group(1))
            if d:
                found["approved"] = d.iso
    return PolicyDates(**found)


# -- policy id -------------------------------------------------------------------------------------

_ID_VALUE = re.compile(r"^(?:no\.?\s*|#\s*)?([A-Za-z0-9][A-Za-z0-9.\-_/]*(?:\s[A-Za-z0-9][A-Za-z0-9.\-_/]*){0,2})")


def clean_id(value: str) -> str | None:
    """The policy number a field value starts with, or None (a date, a word, a placeholder)."""
    m = _ID_VALUE.match(re.sub(r"(?<=[A-Za-z0-9])\s*[-–]\s+(?=\d)", "-", value.strip()))
    if not m:
        return None
    cand = m.group(1)
    # keep the multi-token ids ("2024 P 1003-13") only when every token carries a digit or is one letter
    tokens = cand.split()
    keep = [tokens[0]]
    for t in tokens[1:]:
        if re.search(r"\d", t) or (len(t) == 1 and t.isalpha()):
            keep.append(t)
        else:
            break
    cand = " ".join(keep).rstrip(".-/")
    cand = re.sub(r"(?<=[A-Za-z0-9])\s*[-–]\s*(?=[A-Za-z0-9])", "-", cand)  # "RP- 031" is RP-031
    if not re.search(r"\d", cand) or len(cand) > 30:
        return None
    d = find_date(cand)
    if d and d.start == 0 and len(d.text) >= len(cand) - 1:
        return None  # a date, not an id
    if keep[-1].isalpha() and len(keep) > 1:
        cand = " ".join(keep[:-1])
    return cand


# A number printed alone at the top, as letterheads do: "5.21.054", "02-33000-28", "L35041",
# "MOL.TS.194.A", "BSC_CON_2.04", "BSC2.18". Not a version ("v1.0.2026"), a section number
# ("2.0"), a phone number or a date.
_BARE_ID = re.compile(r"^\(?(?![vV]\d)(?=[\w.\-]*\d)(?:[A-Z][A-Za-z]*[._\-]?)*[A-Z0-9]*\d[\w]*(?:\s?[._\-–]\s?[A-Za-z0-9]+)*\)?$")
_VERSION_TAIL = re.compile(r"\s+[vV](?:ersion\s*)?\d+(?:\.\d+)+\s*$")
_PHONE = re.compile(r"\b\d{3}[.\-\s]\d{3}[.\-\s]\d{4}\b|\(\d{3}\)")


def bare_id(text: str) -> str | None:
    """The id when `text` is a policy number and nothing else."""
    s = text.strip().strip("()")
    if not _BARE_ID.match(s) or _PHONE.search(s) or len(s) > 30:
        return None
    d = find_date(s)
    if d is not None and d.start == 0:
        return None
    letters = re.search(r"[A-Za-z]", s)
    parts = re.split(r"[._\-–]", s)
    if not letters and len(parts) < 3:
        return None  # "2.0", "12-3": a section or a count, not a policy number
    if letters and len(parts) < 2 and not re.fullmatch(r"[A-Z]{1,4}\d{3,6}[A-Z]{0,3}|\d{4}[A-Z]\d{4}[A-Z]{1,3}", s):
        return None  # a word with a digit; keep "L35041", "2026T0588MM"
    return clean_id(s)


def _weak(field: Field) -> bool:
    return "policy_id" not in field.keys or " ".join(field.label.lower().split()) in {" ".join(w.split()) for w in metadata_rules().weak}


def extract_policy_id(doc: Document, sections: list[SectionSpan], scopes: Scopes) -> str | None:
    ids = [f for f in scopes.head if "policy_id" in f.keys or "type" in f.keys]
    for f in sorted(ids, key=_weak):  # "Policy Number: X" before a bare "Policy: X"
        pid = clean_id(f.value)
        if pid:
            return pid
    head = header_lines(doc, sections)[:BARE_ID_LINES]
    for ln in head:
        pid = bare_id(_VERSION_TAIL.sub("", ln.text))  # "MOL.TS.194.A v1.0.2026"
        if pid:
            return pid
    pid = series_number_alone([ln.text for ln in head])
    if pid:
        return pid
    # a running header removed from every page may be the only line that prints the number
    # ("Medical Policy Manual Knee Braces, Policy No. 61")
    running = read_fields([Line(t, None, 0, len(t)) for t in doc.source.furniture])
    for f in running:
        if "policy_id" in f.keys and not _weak(f):
            pid = clean_id(f.value)
            if pid:
                return pid
    return None


def extract_metadata(doc: Document, sections: list[SectionSpan]) -> tuple[dict, list[str]]:
    """policy_id, title, payer and dates, with a warning for each field not found."""
    scopes = Scopes(doc, sections)
    payer = extract_payer(doc, sections)
    policy_id = extract_policy_id(doc, sections, scopes)
    title, printed_id = extract_title(doc, sections, scopes.head, payer, policy_id)
    policy_id = policy_id or printed_id
    meta = {
        "policy_id": series_record_id(policy_id),
        "title": title,
        # a national coverage determination is Medicare's whether or not its page names anyone
        "payer": payer or series_payer(policy_id),
        "dates": extract_dates(doc, scopes),
    }
    warnings = [f"no {name.replace('_', ' ')} found" for name in ("policy_id", "title", "payer") if not meta[name]]
    if not meta["dates"].effective:
        warnings.append("no effective date found")
    return meta, warnings
