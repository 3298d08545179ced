"""Header fields: policy id, title, payer and labelled dates (rules/metadata.json)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..models import PolicyDates
from .dates import find_date, find_dates
from .payer import extract_payer, payer_in
from .document import Document, Line
from .sections import SectionSpan, match_heading

# sections whose dates belong to other documents or to past editions
_NOT_METADATA = {"history", "references", "evidence", "archive"}
HEADER_LINES = 60


@dataclass(frozen=True)
class MetadataRules:
    date_labels: dict[str, tuple[str, ...]]
    id_labels: tuple[str, ...]
    title_labels: tuple[str, ...]
    not_titles: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> MetadataRules:
    data = json.loads(resources.files("medpolicy.ingest").joinpath("rules/metadata.json").read_text("utf-8"))
    dates = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in data["dates"].items()}
    if set(dates) - set(PolicyDates.model_fields):
        raise ValueError(f"metadata.json: unknown date keys {set(dates) - set(PolicyDates.model_fields)}")
    return MetadataRules(dates, tuple(data["policy_id"]), tuple(sorted(data["title"], key=len, reverse=True)),
                         frozenset(t.lower() for t in data["not_titles"]))


# A label starts a line, a table cell, or follows a wide gap / a bar on a line of several fields.
_BOUNDARY = r"(?:^|\t|\s{2,}|\|\s*|(?<=[\d)])\s+)"
_SEP = r"\s*(?:[:\-–—#]\s*|\t|\s+(?=\d)|$)"


@lru_cache(maxsize=512)
def _label_re(label: str, midline: bool = False) -> re.Pattern:
    """A label at a field boundary; with `midline`, also after a plain space when a colon follows
    ("... Robotic Assisted Surgery Policy Number: CPP-137"), which only ids need: for dates it
    would find "Effective Date:" inside "Original Effective Date:"."""
    words = r"\s+".join(re.escape(w) for w in label.split())
    pat = rf"{_BOUNDARY}{words}(?:\(s\))?\.?{_SEP}"
    if midline:
        pat = rf"(?:{pat}|(?<=[a-z)]\s){words}(?:\(s\))?\s*:\s*)"
    return re.compile(pat, re.I)


@lru_cache(maxsize=1)
def _any_label() -> re.Pattern:
    """Where another labelled field starts inside a value ("... Policy Number: X")."""
    r = rules()
    labels = {lb for group in r.date_labels.values() for lb in group} | set(r.id_labels[:-3])
    alt = "|".join(r"\s+".join(re.escape(w) for w in lb.split()) for lb in sorted(labels, key=len, reverse=True))
    return re.compile(rf"\s(?:{alt})(?:\(s\))?\s*:", re.I)


_VALUE_PREFIX = re.compile(r"^(?:for services (?:performed|rendered|provided) on or after|on or after|effective|as of)\s*:?\s*", re.I)


def _clip(value: str) -> str:
    """A value ends at the next cell, bullet, or labelled field."""
    value = value.split("\t")[0] if value.split("\t")[0].strip() else value.strip("\t").split("\t")[0]
    value = value.split(" • ")[0]
    m = _any_label().search(value)
    if m:
        value = value[: m.start()]
    return value.strip()


def header_lines(doc: Document, sections: list[SectionSpan]) -> list[Line]:
    """The lines where header fields live: the document's head, minus history/reference tables."""
    excluded = {id(ln) for s in sections if s.kind in _NOT_METADATA for ln in s.lines}
    head = []
    for ln in doc.lines[:HEADER_LINES]:
        if id(ln) not in excluded:
            head.append(ln)
    return head


def metadata_lines(doc: Document, sections: list[SectionSpan]) -> list[Line]:
    """Every line outside history/references/evidence (labelled fields can sit at the end too)."""
    excluded = {id(ln) for s in sections if s.kind in _NOT_METADATA for ln in s.lines}
    return [ln for ln in doc.lines if id(ln) not in excluded]


_LIST_ITEM = re.compile(r"^\s*[-•▪●◦·*]\s")


def _values_after(label: str, lines: list[Line], midline: bool = False):
    """Yield (value text, line) for every occurrence of `label` in `lines`."""
    pat = _label_re(label, midline)
    first = label.split()[0].lower()
    for i, ln in enumerate(lines):
        if first not in ln.text.lower() or _LIST_ITEM.match(ln.text):
            continue  # no label here; or a table of contents or a list, not a field
        for m in pat.finditer(ln.text):
            rest = ln.text[m.end():]
            if not rest.strip() and i + 1 < len(lines):
                # a label alone on its line gives the next line, unless it is just a heading ("Policy")
                if ln.text.rstrip().endswith(":") or (len(label.split()) > 1 and not match_heading(label)):
                    yield _clip(lines[i + 1].text), lines[i + 1]
            else:
                yield _clip(rest), ln


@lru_cache(maxsize=16)
def _any_of(labels: tuple[str, ...]) -> re.Pattern:
    """One pattern for a field's labels (longest first), so each line is scanned once per field."""
    alt = "|".join(r"\s+".join(re.escape(w) for w in lb.split()) for lb in labels)
    return re.compile(rf"{_BOUNDARY}(?P<label>{alt})(?:\(s\))?\.?{_SEP}", re.I)


def _field_values(labels: tuple[str, ...], lines: list[Line]):
    """(value, line) for every occurrence of any of `labels`, in document order."""
    pat = _any_of(labels)
    firsts = {lb.split()[0].lower() for lb in labels}
    for i, ln in enumerate(lines):
        low = ln.text.lower()
        if not any(f in low for f in firsts) or _LIST_ITEM.match(ln.text):
            continue
        for m in pat.finditer(ln.text):
            rest = ln.text[m.end():]
            if not rest.strip() and i + 1 < len(lines):
                label = m.group("label")
                if ln.text.rstrip().endswith(":") or (len(label.split()) > 1 and not match_heading(label)):
                    yield _clip(lines[i + 1].text), lines[i + 1]
            else:
                yield _clip(rest), ln


def extract_dates(doc: Document, sections: list[SectionSpan]) -> PolicyDates:
    """Each date field from its labels: the first labelled value that is a date, in the header
    first, then anywhere outside history, references and evidence."""
    r = rules()
    found: dict[str, str] = {}
    scopes = (header_lines(doc, sections), metadata_lines(doc, sections))
    for key, labels in r.date_labels.items():
        for scope in scopes:
            iso = next((v for v in (_date_value(value) for value, _ln in _field_values(labels, scope)) if v), None)
            if iso:
                found[key] = iso
                break
    if "approved" not in found:
        m = _APPROVED.search("\n".join(ln.text for ln in doc.lines))
        if m:
            d = find_date(m.group(1))
            if d:
                found["approved"] = d.iso
    return PolicyDates(**found)


def _date_value(value: str) -> str | None:
    """The date a field gives: its first date, or the latest of a plain list of dates."""
    value = _VALUE_PREFIX.sub("", value)
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


_APPROVED = re.compile(r"approved by (?:the )?[^.\n]{0,120}?(?:committee|council|board|team)[^.\n]{0,40}? on ([^.\n]{4,40})", re.I)

_ID_VALUE = re.compile(r"^(?:no\.?\s*|#\s*)?([A-Za-z0-9][A-Za-z0-9.\-_/]*(?:\s[A-Za-z0-9][A-Za-z0-9.\-_/]*){0,2})")


def _clean_id(value: str) -> str | None:
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


_BARE_ID = re.compile(r"^\(?(?:[A-Z]{1,6}[.\-]?\s?)?\d[\dA-Z]*(?:\s?[.\-–]\s?[\dA-Z]+)+\)?$|^[A-Z]{1,3}\d{4,6}$")


_PHONE = re.compile(r"\b\d{3}[.\-\s]\d{3}[.\-\s]\d{4}\b|\(\d{3}\)")


def extract_policy_id(doc: Document, sections: list[SectionSpan]) -> str | None:
    head = header_lines(doc, sections)
    for label in rules().id_labels:
        for value, _line in _values_after(label, head, midline=len(label.split()) > 1):
            pid = _clean_id(value)
            if pid:
                return pid
    # a number printed alone at the top, as letterheads do ("5.21.054", "02-33000-28", "L35041")
    for ln in head[:15]:
        text = ln.text.strip()
        if _BARE_ID.match(text) and not _PHONE.search(text) and not (find_date(text) and find_date(text).start == 0):
            return _clean_id(text.strip("()"))
    return None


def _titleish(text: str, r: MetadataRules, payer: str | None) -> bool:
    s = text.strip()
    low = s.lower().rstrip(":")
    if not (3 <= len(s) <= 220) or "\t" in s or s.endswith((".", ",", ";")) or low in r.not_titles:
        return False
    if not re.search(r"[A-Za-z]{3,}", s) or _starts_with_label(s):
        return False
    if " " not in s and re.search(r"\d", s):
        return False  # an id or a form number ("CMS-1500")
    if match_heading(s) or find_date(s) and find_date(s).start == 0:
        return False
    if payer and (low in payer.lower() or payer.lower() in low):
        return False
    if payer_in(s) and len(s.split()) > 1 and _mentions_org(s):
        return False
    return not s.startswith(("- ", "• ", "http", "www.", "©", "(")) and "copyright" not in low


def _starts_with_label(s: str) -> bool:
    m = re.match(r"^([A-Za-z][\w/&(). '-]{0,40}):\s*\S", s)
    if not m:
        return False
    r = rules()
    known = {lb for g in r.date_labels.values() for lb in g} | set(r.id_labels) | set(r.title_labels)
    return re.sub(r"\(s\)", "", m.group(1)).strip().lower() in known


def _mentions_org(s: str) -> bool:
    return bool(re.search(r"\b(licensee|association|inc\b|corporation|company|®|™)", s, re.I)) or len(s.split()) <= 4


def extract_title(doc: Document, sections: list[SectionSpan], payer: str | None = None,
                  policy_id: str | None = None) -> str | None:
    r = rules()
    head = header_lines(doc, sections)
    for label in r.title_labels:
        for value, _line in _values_after(label, head):
            if value and _titleish(value, r, None):
                return value.strip()
    lines = head[:25]
    for ln in lines:  # a line the source marked up as a heading comes first
        if ln.is_heading and _titleish(ln.text, r, payer):
            return ln.text.strip()
    for ln in lines:
        if policy_id and policy_id in ln.text:
            continue  # "MEDICAL POLICY – 8.01.01": the id's own label line
        if _titleish(ln.text, r, payer) and not _has_id_label(ln.text):
            return _strip_id_prefix(ln.text.strip())
    return None


def _has_id_label(text: str) -> bool:
    return any(_label_re(label).search(text) for label in rules().id_labels[:6])


def _strip_id_prefix(text: str) -> str:
    return re.sub(r"^(?:[A-Z]{1,4}[.\-]?)?\d+(?:[.\-]\d+)+\s+", "", text)


def extract_metadata(doc: Document, sections: list[SectionSpan]) -> tuple[dict, list[str]]:
    """policy_id, title, payer and dates, with a warning for each field not found."""
    payer = extract_payer(doc, sections)
    policy_id = extract_policy_id(doc, sections)
    meta = {
        "policy_id": policy_id,
        "title": extract_title(doc, sections, payer, policy_id),
        "payer": payer,
        "dates": extract_dates(doc, sections),
    }
    warnings = [f"no {name.replace('_', ' ')} found" for name in ("policy_id", "title", "payer") if not meta[name]]
    if not meta["dates"].effective:
        warnings.append("no effective date found")
    return meta, warnings
