"""Related policies: the ids (and titles) listed under a related-policies / cross-references heading."""
from __future__ import annotations

import re

from ..models import Provenance, RelatedPolicy
from .dates import find_date
from .document import Document
from .sections import SectionSpan

# "Policy No. M-149", "Policy #12.3", "Policy Number: 7.01.02" inside a line
_LABELLED = re.compile(r"\b(?:policy|guideline|bulletin)\s*(?:no\.?|number|#)\s*:?\s*([A-Za-z]{0,12}[-.]?\d[\w.\-]*)", re.I)
# a line that starts with an id: "8.01.53 Title", "AP-29 Title", "Pharmacy-103 Title", "CP.VP.28 Title"
_LEADING = re.compile(r"^(?:[-•▪·]\s*)?((?:[A-Z][A-Za-z]{0,11}[.\-])*[A-Za-z]{0,12}[-.]?\d+(?:[.\-]\d+)*[A-Za-z]?)\b[\s:\t–—-]*(.*)$")
_NONE = re.compile(r"^(?:none|n/a|not applicable|-)\.?$", re.I)


def extract_related(doc: Document, sections: list[SectionSpan]) -> tuple[list[RelatedPolicy], list[str]]:
    found: dict[str, RelatedPolicy] = {}
    for sec in sections:
        if sec.kind != "related":
            continue
        for ln in sec.lines:
            text = ln.text.replace("\t", " ").strip()
            if _NONE.match(text):
                continue
            pid, title = _parse_line(text)
            if pid and pid.lower() not in {k.lower() for k in found}:
                found[pid] = RelatedPolicy(policy_id=pid, title=title or None,
                                           provenance=Provenance(page=ln.page, start=ln.start, end=ln.end))
    return list(found.values()), []


def _parse_line(text: str) -> tuple[str | None, str]:
    m = _LABELLED.search(text)
    if m:
        title = text[: m.start()].strip(" ,;:-–")
        parts = [p.strip() for p in title.split(",")]
        if len(parts) > 1 and len(parts[-1].split()) <= 2:  # ", Medicine," names the manual section
            title = ", ".join(parts[:-1])
        return m.group(1).rstrip(".,;"), title
    m = _LEADING.match(text)
    if m and re.search(r"\d", m.group(1)):
        pid = m.group(1)
        d = find_date(text)
        if d and d.start == 0:
            return None, ""
        if len(pid) > 30 or re.fullmatch(r"\d{1,2}", pid) or re.fullmatch(r"(?:19|20)\d\d", pid):
            return None, ""
        return pid, m.group(2).strip()
    return None, ""
