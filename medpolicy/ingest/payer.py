"""The organisation that issues the policy (rules/payers.json), from the evidence a document gives.

A policy names many organisations: its own plan, but also the CMS, the BCBS Association, other
plans whose guidelines it defers to ("Federal Employee Program (FEP): Follow FEP guidelines"),
guideline vendors and journals. So a name found is evidence with a weight, by where it stands:

- the letterhead: the document's first lines (before its first section), names or web domains;
- a sentence in which the document speaks as the organisation: an approval ("approved by the
  X Medical Policy Committee"), an "X is an independent licensee" line, a copyright line, or
  the name as the subject of a coverage verb ("X considers ...", "X does not cover ...");
- a plain mention anywhere outside references, evidence and history (weak, but a plan names
  itself often).
The organisation with the most evidence wins. A national coverage determination is issued by
Medicare. A document whose letterhead names an organisation we do not know gets that name.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from .document import Document, Line
from .sections import SectionSpan
from .vocab import Payer, payer_rules

# Weights of the kinds of evidence (see the module doc).
LETTERHEAD = 6
SELF_STATEMENT = 4
MENTION = 1
MENTION_CAP = 5  # a name repeated in every paragraph does not outweigh a letterhead
# How many lines from the top may be letterhead, at most (a web page's menus come first).
LETTERHEAD_LINES = 12
_NOT_SCANNED = {"references", "evidence", "history", "archive"}

_APPROVED = re.compile(r"approved by (?:the )?(?P<org>[^.\n]{2,160}?(?:committee|council|board|team))", re.I)
_LICENSEE = re.compile(r"(?P<org>[A-Z][\w&.' -]{3,80}?),? (?:is )?an independent licensee", re.I)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?(?P<org>[A-Z][\w&.' -]{1,60}?)\s*(?:,|\.|all rights|$)", re.I)
_SUBJECT_VERB = r"\s+(?:considers?|covers?|does not|do not|will|may|requires?|reserves?|defines?|uses?|has determined)\b"
_NCD = re.compile(r"\bnational coverage determinations?\b|\bNCD\s+\d", re.I)
_ORG_WORDS = (r"(?:Health\s?Plans?|Health\s?Care|Healthcare|HealthCare|Health Insurance|Health Partners|Health"
              r"|Insurance(?: Company)?|Blue\s?Cross(?: (?:and |& )?Blue\s?Shield)?|Blue\s?Shield|Assurance|Mutual|HMO|Medical Group)")
_LETTERHEAD_ORG = re.compile(rf"(?:[A-Z][\w&'.-]*\s){{1,5}}{_ORG_WORDS}(?:(?:,)? (?:Inc\.?|LLC|of [A-Z][a-z]+(?: [A-Z][a-z]+)?))?")


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern, re.Pattern, re.Pattern, dict[str, Payer]]:
    """Names matched case-insensitively (mixed case) or as written (all-capital abbreviations
    like 'FEP' or 'CMS'), longest first; and web domains."""
    owner: dict[str, Payer] = {}
    for p in payer_rules().payers:
        for n in p.names:
            owner.setdefault(n.lower(), p)
        for d in p.domains:
            owner.setdefault(d.lower(), p)
    names = sorted({n for p in payer_rules().payers for n in p.names}, key=len, reverse=True)

    def alt(group: list[str]) -> str:
        return "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in group) or "(?!)"

    mixed = [n for n in names if n != n.upper()]
    caps = [n for n in names if n == n.upper()]
    domains = sorted({d for p in payer_rules().payers for d in p.domains}, key=len, reverse=True)
    return (re.compile(rf"(?<![\w-])(?:{alt(mixed)})(?![\w-])", re.I),
            re.compile(rf"(?<![\w-])(?:{alt(caps)})(?![\w-])"),
            re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(d) for d in domains)})\b", re.I), owner)


def names_in(text: str) -> list[tuple[re.Match, Payer]]:
    """Every known organisation name or domain in `text`, with the organisation."""
    mixed, caps, domains, owner = _matchers()
    out = []
    for pat in (mixed, caps, domains):
        for m in pat.finditer(text):
            p = owner.get(" ".join(m.group(0).split()).lower())
            if p is not None:
                out.append((m, p))
    return out


def payer_in(text: str) -> str | None:
    """The canonical name of the first known organisation named in `text`."""
    found = sorted(names_in(text), key=lambda mp: (mp[0].start(), -len(mp[0].group(0))))
    return found[0][1].name if found else None


class _Evidence:
    def __init__(self) -> None:
        self.score: dict[str, float] = defaultdict(float)
        self.mentions: dict[str, int] = defaultdict(int)
        self.printed: dict[str, set[str]] = defaultdict(set)
        self.payers: dict[str, Payer] = {}

    def add(self, payer: Payer, weight: float, printed: str | None = None) -> None:
        self.payers[payer.name] = payer
        self.score[payer.name] += weight
        if printed:
            self.printed[payer.name].add(" ".join(printed.split()))

    def mention(self, payer: Payer, printed: str) -> None:
        if payer.self_only:
            return
        self.mentions[payer.name] += 1
        if self.mentions[payer.name] <= MENTION_CAP:
            self.add(payer, MENTION, printed)
        else:
            self.printed[payer.name].add(" ".join(printed.split()))

    def best(self) -> str | None:
        if not self.score:
            return None
        name = max(self.score, key=lambda n: (self.score[n], self.mentions[n]))
        return _display(self.payers[name], self.printed[name])


def _display(payer: Payer, printed: set[str]) -> str:
    """The name as the document prints it in full, else the canonical name (a document that
    names itself only 'BCBSRI' or by its web domain)."""
    full = [p for p in printed if p != p.upper() and len(p.split()) >= 2 and "." not in p
            and p.lower() in {n.lower() for n in payer.names}]
    return max(full, key=len) if full else payer.name


def _letterhead(doc: Document, sections: list[SectionSpan]) -> list[Line]:
    first = next((s for s in sections if s.heading is not None), None)
    stop = first.heading_line.start if first is not None and first.heading_line is not None else None
    lines = [ln for ln in doc.lines[:LETTERHEAD_LINES] if stop is None or ln.start < stop]
    return lines or doc.lines[:3]


def extract_payer(doc: Document, sections: list[SectionSpan]) -> str | None:
    ev = _Evidence()
    skip = {id(ln) for s in sections if s.kind in _NOT_SCANNED for ln in s.lines}
    head = _letterhead(doc, sections)
    head_ids = {id(ln) for ln in head}
    for ln in head:
        for m, p in names_in(ln.text):
            # the CMS or the BCBS Association head only their own documents: a line that is
            # their name alone, not "BCBSA Ref. Policy: 8.01.01" in a plan's header
            if not p.self_only or len(m.group(0)) >= len(ln.text.strip(" .,:;-®™")) - 1:
                ev.add(p, LETTERHEAD, m.group(0))
    for ln in doc.lines:
        if id(ln) in skip:
            continue
        text = ln.text
        for pat in (_APPROVED, _LICENSEE, _COPYRIGHT):
            for m in pat.finditer(text):
                for n, p in names_in(m.group("org")):
                    ev.add(p, SELF_STATEMENT, n.group(0))
        if id(ln) in head_ids:
            continue
        for m, p in names_in(text):
            if not p.self_only and re.match(_SUBJECT_VERB, text[m.end():]):
                ev.add(p, SELF_STATEMENT, m.group(0))
            else:
                ev.mention(p, m.group(0))
    if any(_NCD.search(ln.text) for ln in head):
        medicare = next(p for p in payer_rules().payers if p.family == "Medicare" and p.self_only)
        ev.add(medicare, LETTERHEAD)
    return ev.best() or _unknown_organisation(doc)


def _unknown_organisation(doc: Document) -> str | None:
    """An organisation we have no entry for: a letterhead line that is an organisation's name,
    else the name in a licensee or copyright line (never an association of physicians)."""
    never = {n.lower() for n in payer_rules().never_payers}
    for ln in doc.lines[:6]:
        m = _LETTERHEAD_ORG.fullmatch(ln.text.strip().rstrip("®™ "))
        if m and m.group(0).lower() not in never:
            return m.group(0)
    for ln in doc.lines:
        for pat in (_LICENSEE, _COPYRIGHT):
            m = pat.search(ln.text)
            if m:
                name = m.group("org").strip(" .,-")
                if name and name.lower() not in never and not any(n in name.lower() for n in never if len(n) > 4):
                    return name
    return None
