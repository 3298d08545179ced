"""Related policies: other documents a policy names, by number or by title (phrases in
rules/metadata.json).

Where they are found:
- under a related-policies heading (and the sub-headings it swallowed): one entry per bullet or
  per line, a wrapped title joined; an entry with a number gives the number (and its title), an
  entry without one gives its title ("Genetic Testing and Counseling"), the part that says what it
  is for dropped ("X for criteria related to ...");
- after a phrase that sends the reader elsewhere ("Please refer to:", "see also", "other related
  documents include"): the numbers on the rest of its sentence and on the list lines below it;
- anywhere outside history, references and coding: Medicare documents by their numbers (an LCD
  "L35125", an article "A54117", "NCD 270.3"), and numbers shaped like the policy's own
  ("Refer to ERX.PA.01" in an ERX.SPA.241 policy: a payer numbers its policies one way).
A code is never a related policy ("81201 81202", "S3854", "C34.10"), nor is the policy's own number.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..models import Provenance, RelatedPolicy
from .dates import find_date
from .document import Document, Line
from .lexicon import bullet_prefix, bullet_run, enumerator_prefix, is_empty_value
from .sections import SectionSpan, match_heading
from .title import is_type_line
from .vocab import metadata_rules

# "Policy No. M-149", "Policy #12.3", "Policy Number: 7.01.02" inside a line
_LABELLED = re.compile(r"\b(?:policy|guideline|bulletin)\s*(?:no\.?|number|#)\s*:?\s*([A-Za-z]{0,12}[-.]?\d[\w.\-]*)", re.I)
# a line that starts with an id: "8.01.53 Title", "AP-29 Title", "Pharmacy-103 Title", "CP.VP.28 Title"
_LEADING = re.compile(r"^((?:[A-Z][A-Za-z]{0,11}[.\-_])*[A-Za-z]{0,12}[-._]?\d+(?:[.\-_]\d+)*[A-Za-z]?)\b[\s:\t–—-]*(.*)$")
# "CPB 0140 - Title", "CAM 342 Title": a series abbreviation, a space, the number
_PREFIXED = re.compile(r"^([A-Z]{2,6})\s+(\d[\dA-Z]*(?:[.\-]\d+)*)\b\s*[-–—:]?\s*(.*)$")
# "Endovascular Procedures ..., 02-61000-35" / "Title (MP-104)" / "Title, #336"
_TRAILING = re.compile(r"(?:[,(]\s*|\s#\s?)([A-Za-z]{0,6}[-.]?\d+(?:[.\-]\d+)*[A-Za-z]?)\)?\.?$")
_HASH = re.compile(r"^(?P<title>.+?),?\s+#\s?(?P<id>\d{2,}[\w.\-]*)\b")
_BULLET = bullet_prefix()
_ENUMERATED = enumerator_prefix()
# a number inside text that is shaped like a policy's: letters and digits with separators
# ("GENE.00049", "CG-GENE-14", "AHS-M2178", "2.04.53", "02-61000-35") or a Medicare document's
_ID_IN_TEXT = re.compile(
    r"(?<![\w./-])(?:[A-Z][A-Za-z]{0,11}(?:[._-][A-Z][A-Za-z]{0,11})*[._-][A-Z]?\d{2,}(?:[._-][A-Z0-9]+)*"
    r"|\d{1,3}(?:\.\d{1,3}){2,}[A-Z]?|\d{2}-\d{5}-\d{2}|[LA]\d{5})(?!\w|-(?![A-Z][a-z])|\.\d)")  # "AHS-M2178-Microsatellite": glued to its title
# codes and gene names that the shapes above would take: CPT/PLA, HCPCS, ICD-10
_CODE = re.compile(r"^(?:ICD-?\d+(?:-[A-Z]+)?|\d{4}[0-9A-Z]|[A-Z]\d{4}|[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?|\d{1,2}|(?:19|20)\d\d)$")
_MEDICARE = re.compile(r"\b(?:LCD|L)\s*#?\s*:?\s*(?P<lcd>L\d{5})\b|\b(?P<art>A\d{5})\b|\bNCD\s*#?\s*:?\s*(?P<ncd>\d{1,3}(?:\.\d{1,2})+)\b")
_EXCLUDED = {"history", "archive", "references", "toc"}
_PAGE_FURNITURE = re.compile(r"\bpage:?\s*\d+\s*(?:of|/)\s*\d+", re.I)
# a related entry says what the other policy is for: the title ends there
_PURPOSE = re.compile(r"\s+for (?:criteria|information|more information|additional information|guidance|details|"
                      r"coverage criteria|requirements)\b.*$", re.I)
# a title names a thing; a line with one of these verbs states something ("X may be considered ...")
_VERB = re.compile(r"\b(?:is|are|may|be|will|must|should|shall|has|have|was|were|does|do)\b")
TITLE_MAX_WORDS = 25
SIDEBAR_MAX_LINES = 30
WRAP_WIDTH = 30  # a line this long that stops mid-title was wrapped; a shorter one ended
CONTINUATION_MAX_WORDS = 12  # the rest of a wrapped title; a longer line is text
TITLE_ONLY_MAX_WORDS = 18
PLAIN_WRAP_SHARE = 0.85
SUB_HEADING_MAX_WORDS = 6  # "Medicare Advantage Policy" inside a list; a longer unmarked line is text
PLAIN_WRAP_MIN = 55  # lines of titles shorter than this were not wrapped


@lru_cache(maxsize=1)
def _lead() -> re.Pattern:
    words = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in
                     sorted(metadata_rules().related_leads, key=len, reverse=True))
    return re.compile(rf"\b(?:{words})\b\s*:?", re.I)


def extract_related(doc: Document, sections: list[SectionSpan],
                    policy_id: str | None = None) -> tuple[list[RelatedPolicy], list[str]]:
    found: dict[str, RelatedPolicy] = {}
    own = (policy_id or "").lower()

    def add(pid: str | None, title: str, ln: Line) -> None:
        key = (pid or title).lower()
        if not key or key == own or key in found:
            return
        found[key] = RelatedPolicy(policy_id=pid, title=title or None,
                                   provenance=Provenance(page=ln.page, start=ln.start, end=ln.end))

    for lines in [*_related_sections(sections), *_sidebars(doc, sections)]:
        for pid, title, ln in _entries(lines, policy_id):
            add(pid, title, ln)
    scanned = [(s, ln) for s in sections if s.kind not in _EXCLUDED for ln in s.lines]
    for pid, ln in _after_leads([ln for _s, ln in scanned]):
        add(pid, "", ln)
    shape = id_shape(policy_id)
    for _s, ln in scanned:
        for m in _MEDICARE.finditer(ln.text):
            add(m.group("lcd") or m.group("art") or m.group("ncd"), "", ln)
        if shape:
            for m in shape.finditer(ln.text):
                add(m.group(0), "", ln)
    return list(found.values()), []


def _is_related_heading(heading: str | None) -> bool:
    rule = match_heading(heading or "")
    return rule is not None and rule.kind == "related"


def _related_sections(sections: list[SectionSpan]) -> list[list[Line]]:
    """The lines of each run of related-policies sections: the heading rules cut a list into
    sections where an entry looked like a heading ("CPB 0140 - Genetic Testing", a wrapped
    title's last word): those headings are entries again."""
    groups: list[list[Line]] = []
    current: list[Line] | None = None
    for sec in sections:
        if sec.kind != "related" and not (current is not None and _names_products(sec.heading)):
            if current and sec.heading_line is not None and _wrapped(current[-1].text) \
                    and len(sec.heading.split()) <= CONTINUATION_MAX_WORDS:
                current.append(sec.heading_line)  # the rest of a wrapped title the rules took for a heading
            current = None
            continue
        if current is None or _is_related_heading(sec.heading):
            current = []
            groups.append(current)
        if sec.heading_line is not None and not _is_related_heading(sec.heading):
            current.append(sec.heading_line)
        current.extend(sec.lines)
    return groups


def _names_products(heading: str | None) -> bool:
    """A sub-heading of a related list that says which products' policies follow ("Medicare
    Advantage Policy", "Community Plan Policies")."""
    words = re.findall(r"[a-z]+", (heading or "").lower())
    business = {w for phrase in metadata_rules().lines_of_business for w in phrase.split()}
    return bool(words) and words[-1] in ("policy", "policies") and any(w in business for w in words) and all(
        w in business or w in ("policy", "policies", "and", "plan") for w in words)  # never "Policy" alone


def _sidebars(doc: Document, sections: list[SectionSpan]) -> list[list[Line]]:
    """Related-policies boxes a text layer ran into the text beside them: a line that ends with a
    related heading ("... or Related Commercial Policies"), then the list lines below it."""
    heads = {id(s.heading_line) for s in sections if s.heading_line is not None}
    out = []
    lines = doc.lines
    for i, ln in enumerate(lines):
        if "related" not in ln.text.lower() or id(ln) in heads or ln.is_row:
            continue
        words = ln.text.split()
        tails = [" ".join(words[-n:]) for n in range(2, min(7, len(words) - 1) + 1)]
        # a heading is capitalised ("Related Commercial Policies", "RELATED POLICIES"); prose that
        # ends in "... related guidelines" is not one
        if not any(re.fullmatch(r"(?:[A-Z&][\w&./-]*\s*)+:?", t) and _is_related_heading(t) for t in tails):
            continue
        box = []
        for nxt in lines[i + 1:i + 1 + SIDEBAR_MAX_LINES]:
            if _PAGE_FURNITURE.search(nxt.text) or is_type_line(nxt.text):
                continue  # a running header or footer the cleaning left between the heading and the list
            if len(nxt.text.split()) > TITLE_MAX_WORDS or nxt.is_row or (
                    match_heading(nxt.text) and not _names_products(nxt.text)):
                break  # the text the box was printed beside resumes
            box.append(nxt)
        if box and (_BULLET.match(box[0].text) or _leading_id(box[0].text)):
            out.append(box)
    return out


def _entries(lines: list[Line], policy_id: str | None):
    """(id or None, title, line) for each entry of a related-policies list. Entries start at a
    bullet, or at a number where the list numbers its entries, or at each line of a plain list;
    a line without that mark continues the entry above when that one was wrapped, and is a
    sub-heading ("Community Plan Policy") otherwise. A heading of another section ends the list."""
    texts = [(ln.text.replace("\t", " ").strip(), ln) for ln in lines]
    texts = [(t, ln) for t, ln in texts if t and not re.fullmatch(r"\d{1,3}", t)]  # page numbers
    # the list's first entry says how entries are marked (a lead-in sentence comes before it)
    first = next((t for t, ln in texts if not (ln.is_row or _is_prose(t) or t.endswith(":") or _lead().match(t)
                                                  or match_heading(t) or _names_products(t))), "")
    if _BULLET.match(first):
        marked = lambda t: bool(_BULLET.match(t))  # noqa: E731
    elif _ENUMERATED.match(first) and not _leading_id(first):
        marked = lambda t: bool(_ENUMERATED.match(t))  # noqa: E731  "1. Title, Policy No. 22"
    elif _leading_id(first):
        marked = lambda t: bool(_leading_id(t))  # noqa: E731
    else:
        marked = None
    # a plain list wraps a title at the width of its longest lines
    width = max((len(t) for t, _ln in texts), default=0) * PLAIN_WRAP_SHARE
    entries: list[tuple[str, Line, bool]] = []  # text, first line, from a heading line
    last = ""  # the last line read
    for t, ln in texts:
        rule = match_heading(t)
        if is_empty_value(t) and not entries:
            return  # "Related Policies: None"
        if (rule is not None and rule.kind != "related" and not _names_products(t)) or (
                entries and ((t.isupper() and len(t.split()) <= 4) or t.endswith(":"))):
            break  # the next section ("Policy", "PUBLISHED", "Established codes:") left inside this one
        sub_heading = rule is not None or _names_products(t) or re.match(r"(?i)related\b", t)
        if marked is None:
            joins = entries and not sub_heading and (t[:1].islower() or last.endswith(_OPEN) or len(last) >= width >= PLAIN_WRAP_MIN)
        else:
            joins = entries and not marked(t) and not sub_heading and _wrapped(last) and not entries[-1][0].endswith(".")
        if joins and len(t.split()) <= CONTINUATION_MAX_WORDS:
            glue = "" if entries[-1][0].endswith("/") else " "
            entries[-1] = (entries[-1][0] + glue + t, entries[-1][1], entries[-1][2])
        elif sub_heading:
            pass
        elif (marked is None and not ln.is_row) or (marked is not None and marked(t)):
            entries.append((t, ln, ln.is_heading))
        elif entries and (_is_prose(t) or (marked is not None and len(t.split()) > SUB_HEADING_MAX_WORDS)):
            break  # the list has ended: the text it was printed beside, or the rest of the section
        last = t
    numbered: list[tuple[str, str, Line]] = []
    titled: list[tuple[None, str, Line]] = []
    for text, ln, heading in entries:
        text = bullet_run().sub("", text).strip()
        if _ENUMERATED.match(text) and not _leading_id(text):
            text = _ENUMERATED.sub("", text)  # "2. Title, Policy No. 2": the list's counter goes
        if is_empty_value(text):
            continue
        pid, title = _parse_line(text, policy_id)
        if pid:
            numbered.append((pid, title, ln))
            continue
        title = _PURPOSE.sub("", text).strip(" .;")
        if _is_prose(title) or title.endswith(":") or _lead().match(title):
            if numbered or titled:
                break  # the list has ended: the section runs on into text the heading rules missed
            continue  # a lead-in ("For other testing, please refer to:")
        # a line the loader knows as a heading ("LCDs") or a table row names a part of the page
        if heading or ln.is_row:
            continue
        names = [n.strip() for n in title.split(",")]
        if len(names) > 1 and all(re.fullmatch(r"[A-Z][\w-]+", n) for n in names):
            titled.extend((None, n, ln) for n in names)  # drugs named one by one: "Kisqali, Verzenio"
        elif _title_like(title):
            titled.append((None, title, ln))
    # a list that numbers its entries has no entries without a number: those lines are its
    # sub-headings ("Administrative Policy" over "AP-29 ...")
    yield from numbered
    if len(numbered) < len(titled):
        yield from titled


_OPEN = ("-", "(", " and", " of", " for", ",", " or", " the", " in", " to", "/")


def _wrapped(line: str) -> bool:
    """A line that stops mid-title: it ran to a wrapping width, or ends open."""
    return len(line) >= WRAP_WIDTH or line.endswith(_OPEN) or line.count("(") > line.count(")")


def _is_prose(text: str) -> bool:
    words = text.split()
    return len(words) > TITLE_MAX_WORDS or bool(re.search(r"[a-z]{2}\. [A-Z]", text)) or \
        (text.endswith(".") and len(words) > 12 and not _PURPOSE.search(text))


def _title_like(text: str) -> bool:
    words = text.split()
    if not (2 <= len(words) <= TITLE_ONLY_MAX_WORDS) or text.endswith(":"):
        return False
    if re.search(r"\b(?:i\.e|e\.g)\.", text) or words[-1].lower() in ("and", "or", "and/or") or _VERB.search(text):
        return False  # a criterion or a statement of the policy, not another policy's title
    if not re.search(r"[A-Za-z]{3,}", text) or not text[:1].isupper():
        return False
    return match_heading(text) is None and find_date(text) is None


def _leading_id(text: str) -> str | None:
    """The number an entry starts with ("8.01.53 Title", "CPB 0140 - Title")."""
    body = _BULLET.sub("", text)
    m = _LEADING.match(body)
    if m and _is_id(m.group(1)):
        return m.group(1)
    m = _PREFIXED.match(body)
    return m.group(2) if m and _is_id(m.group(2)) else None


def _is_id(pid: str) -> bool:
    """A policy number, not a code, a year, a count or a date ("11.01.03" is a number: lists of
    policies do not print dates with dots)."""
    if len(re.findall(r"\d", pid)) < 2 or len(pid) > 30 or _CODE.match(pid):
        return False  # one digit: a gene or a grade ("HER2", "PD-L1"), not a policy number
    d = find_date(pid)
    return not (d and d.start == 0 and len(d.text) >= len(pid) - 1 and not re.fullmatch(r"[\d.]+", pid))


def _parse_line(text: str, policy_id: str | None = None) -> tuple[str | None, str]:
    m = _LABELLED.search(text)
    if m:  # "Policy No. 2": the label makes any number a policy's, one digit too
        title = text[: m.start()].strip(" ,;:-–")
        parts = [p.strip() for p in title.split(",")]
        if len(parts) > 1 and len(parts[-1].split()) <= 2:  # ", Medicine," names the manual section
            title = ", ".join(parts[:-1])
        if not title and _title_like(text[m.end():].strip(" ,;:-–")):
            title = text[m.end():].strip(" ,;:-–")  # "Policy No. 45 Ankle Braces"
        return m.group(1).rstrip(".,;"), title
    m = _PREFIXED.match(text)
    if m and _is_id(m.group(2)) and not _CODE.match(m.group(2)):
        prefix, num, title = m.groups()
        # "CPB 0140": the series abbreviation is part of the number only where the policy's own
        # number carries it ("CAM 273" -> "CAM 342")
        keep = policy_id is not None and policy_id.upper().startswith(prefix + " ")
        return (f"{prefix} {num}" if keep else num), title.strip()
    m = _HASH.match(text)
    if m and _is_id(m.group("id")):
        return m.group("id"), m.group("title").strip(" ,;:-–")
    m = _TRAILING.search(text)
    if m and _is_id(m.group(1)) and re.search(r"[.\-]", m.group(1)):
        return m.group(1), text[: m.start()].strip(" ,;:-–")
    m = _LEADING.match(text)
    if m and _is_id(m.group(1)):
        return m.group(1), m.group(2).strip()
    return None, ""


def _after_leads(lines: list[Line]):
    """(id, line) for the numbers a sending-elsewhere phrase introduces: on the rest of its
    sentence, and on the list lines below it (an id first, or after a bullet mid-line where a
    text layer ran two list lines together)."""
    lead = _lead()
    i = 0
    while i < len(lines):
        text = lines[i].text
        m = lead.search(text)
        if not m:
            i += 1
            continue
        rest = re.split(r"(?<=[a-z)])\.\s", text[m.end():], maxsplit=1)[0]
        for pid in _ids_in(rest):
            yield pid, lines[i]
        j = i + 1
        while j < len(lines):
            t = lines[j].text.strip()
            body = _BULLET.sub("", t)
            ids = [mm.group(1).rstrip(".,;:") for mm in re.finditer(r"(?:^|\s[−•▪●◦·*–-]\s+)(\S+)", body)]
            ids = [p for p in ids if _ID_IN_TEXT.fullmatch(p) and _is_id(p)]
            if ids:
                for pid in ids:
                    yield pid, lines[j]
            elif _BULLET.match(t) or len(t.split()) > 10 or match_heading(t) or not t:
                break  # the list has ended
            j += 1
        i = max(i + 1, j if j > i + 1 else i + 1)


def _ids_in(text: str) -> list[str]:
    return [m.group(0) for m in _ID_IN_TEXT.finditer(text) if _is_id(m.group(0))]


def id_shape(policy_id: str | None) -> re.Pattern | None:
    """A pattern for ids numbered like `policy_id`: its first segment literal, then the same kinds
    of segments ("CAM 273": "CAM" and a number). Plain numbers ("338") have no telling shape."""
    if policy_id and re.fullmatch(r"[A-Z]{2,6} \d{2,}", policy_id):
        # a series abbreviation and a number ("CAM 273"): "CAM 342", not "CAM" alone
        return re.compile(r"(?<![\w.\-])" + re.escape(policy_id.split()[0]) + r" \d{2,}(?![\w\-]|\.\d)")
    if not policy_id or not re.search(r"[A-Za-z.\-]", policy_id) or " " in policy_id:
        return None
    parts = re.findall(r"[A-Za-z]+|\d+|[.\-]", policy_id)
    if len(parts) < 2:
        return None
    out = [re.escape(parts[0])]
    for p in parts[1:]:
        out.append(r"\d+" if p.isdigit() else "[A-Z]+" if p.isalpha() else re.escape(p))
    return re.compile(r"(?<![\w.\-])" + "".join(out) + r"(?![\w\-]|\.\d)")
