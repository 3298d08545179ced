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
# "Endovascular Procedures ..., 02-61000-35" / "Title (MP-104)"
_TRAILING = re.compile(r"[,(]\s*([A-Za-z]{0,6}[-.]?\d+(?:[.\-]\d+)+[A-Za-z]?)\)?\.?$")
_NONE = re.compile(r"^(?:none|n/a|not applicable|-)\.?$", re.I)


def extract_related(doc: Document, sections: list[SectionSpan],
                    policy_id: str | None = None) -> tuple[list[RelatedPolicy], list[str]]:
    """Ids listed under related-policies headings, then ids elsewhere that share the shape of the
    policy's own id ("Refer to ERX.PA.01" in an ERX.SPA.241 policy): a payer numbers its policies
    one way, so a number of that shape is another of its policies."""
    found: dict[str, RelatedPolicy] = {}

    def add(pid: str, title: str, ln) -> None:
        if pid.lower() not in {k.lower() for k in found} and (not policy_id or pid.lower() != policy_id.lower()):
            found[pid] = RelatedPolicy(policy_id=pid, title=title or None,
                                       provenance=Provenance(page=ln.page, start=ln.start, end=ln.end))

    for sec in sections:
        if sec.kind != "related":
            continue
        for ln in sec.lines:
            text = ln.text.replace("\t", " ").strip()
            if _NONE.match(text):
                continue
            pid, title = _parse_line(text)
            if pid:
                add(pid, title, ln)
    shape = id_shape(policy_id)
    if shape:
        for sec in sections:
            if sec.kind in ("history", "archive", "metadata"):
                continue
            for ln in sec.lines:
                for m in shape.finditer(ln.text):
                    add(m.group(0), "", ln)
    return list(found.values()), []


def id_shape(policy_id: str | None) -> re.Pattern | None:
    """A pattern for ids numbered like `policy_id`: its first segment literal, then the same kinds
    of segments. Plain numbers ("338") have no telling shape."""
    if not policy_id or not re.search(r"[A-Za-z.\-]", policy_id) or " " in policy_id:
        return None
    parts = re.findall(r"[A-Za-z]+|\d+|[.\-]", policy_id)
    if len(parts) < 2:
        return None
    out = [re.escape(parts[0])]
    for p in parts[1:]:
        out.append(r"\d+" if p.isdigit() else "[A-Z]+" if p.isalpha() else re.escape(p))
    return re.compile(r"(?<![\w.\-])" + "".join(out) + r"(?![\w\-]|\.\d)")


def _parse_line(text: str) -> tuple[str | None, str]:
    m = _LABELLED.search(text)
    if m:
        title = text[: m.start()].strip(" ,;:-–")
        parts = [p.strip() for p in title.split(",")]
        if len(parts) > 1 and len(parts[-1].split()) <= 2:  # ", Medicine," names the manual section
            title = ", ".join(parts[:-1])
        return m.group(1).rstrip(".,;"), title
    m = _TRAILING.search(text)
    if m and re.search(r"\d", m.group(1)) and re.search(r"[.\-]", m.group(1)):
        return m.group(1), text[: m.start()].strip(" ,;:-–")
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
