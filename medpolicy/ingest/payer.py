"""The organisation that issues the policy (rules/payers.json), from the evidence a document gives.

A policy names many organisations: its own plan, but also the CMS, the BCBS Association, other
plans whose guidelines it defers to ("Federal Employee Program (FEP): Follow FEP guidelines"),
guideline vendors and journals. So a name found is evidence with a weight, by where it stands:

- the letterhead: the document's first lines (before its first section), names or web domains;
- a sentence in which the document speaks as the organisation: an approval ("approved by the
  X Medical Policy Committee"), an "X is an independent licensee" line, a copyright line, or
  the name as the subject of a coverage verb ("X considers ...", "X does not cover ...");
- the name before a word for its documents ("Related Anthem Document", "X Medical Policy"):
  weaker, since a plan also cites another's ("follow FEP guidelines");
- a plain mention anywhere outside references, evidence and history (weak, but a plan names
  itself often), counted once per distinct line (a disclaimer repeated on every page is one
  mention); a benefit manager's name (kind "vendor") counts half, since plans send their
  members to it ("prior authorization via X").
A letterhead line is short: a sentence in the first lines (a disclaimer) only mentions names.
An `ambiguous` alias ("NGS", next-generation sequencing) counts only in a letterhead or a self
statement. The organisation with the most evidence wins, a plan before a vendor on a tie. A
national coverage determination is issued by Medicare. A document whose letterhead names an
organisation we do not know gets that name.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from .document import Document, Line
from .phrases import PhraseIndex
from .sections import SectionSpan
from .vocab import Payer, payer_rules

# Weights of the kinds of evidence (see the module doc).
LETTERHEAD = 6
SELF_STATEMENT = 4
DOCUMENTS = 2
MENTION = 1
VENDOR_MENTION = 0.5
MENTION_CAP = 5  # a name repeated in every paragraph does not outweigh a letterhead
# How many lines from the top may be letterhead, at most (a web page's menus come first).
LETTERHEAD_LINES = 12
_NOT_SCANNED = {"references", "evidence", "history", "archive"}

_APPROVED = re.compile(r"approved by (?:the )?(?P<org>[^.\n]{2,160}?(?:committee|council|board|team))", re.I)
_LICENSEE = re.compile(r"(?P<org>[A-Z][\w&.' -]{3,80}?),? (?:is )?an independent licensee", re.I)
# The holder follows a year or the sign: "Copyright 2025 X", "© X"; the word alone names a
# statement or a law ("Copyright Statement", "subject to copyright law"), not a holder.
_COPYRIGHT = re.compile(r"(?:(?:©|\(c\)|copyright)\s*(?:©\s*)?\d{4}(?:\s*[-–]\s*\d{4})?,?\s*|(?:©|\(c\))\s*)"
                        r"(?P<org>[A-Z][\w&.' -]{1,60}?)\s*(?:,|\.|all rights|$)", re.I)
_SELF_STATEMENTS = ((_APPROVED, ("approved by",)), (_LICENSEE, ("licensee",)), (_COPYRIGHT, ("©", "(c)", "copyright")))
_SUBJECT_VERB = r"\s+(?:considers?|covers?|does not|do not|will|may|requires?|reserves?|defines?|uses?|has determined)\b"
_DOCUMENT_NOUN = re.compile(r"(?:'s)?\s+(?:(?:medical|clinical|coverage|reimbursement|payment|pharmacy|um)\s+)*"
                            r"(?:polic(?:y|ies)|documents?|guidelines?|bulletins?)\b", re.I)
# a letterhead line is not a sentence: a disclaimer in the first lines only mentions names
LETTERHEAD_MAX_WORDS = 14
_NCD = re.compile(r"\bnational coverage determinations?\b|\bNCD\s+\d", re.I)
# Words that end an organisation's name, in the order they are tried: the insurer's words, and
# in a letterhead also looser ones ("... Health", "... Medical Group"). A site's name after a
# page title ("X | Blue Cross and Blue Shield of Wyoming", "X - Zenith Health Plan") takes only
# the insurer's ("Behavioral Health" is a topic).
_NAME_ENDS = (  # (alternative, letterhead, insurer)
    (r"Health\s?Plans?", True, True), (r"Health\s?Care", True, True), ("Healthcare", True, True),
    ("HealthCare", True, True), ("Health Insurance", True, True), ("Health Partners", True, False),
    ("Health", True, False), (r"Insurance(?: Company)?", True, True),
    (r"Blue\s?Cross(?: (?:and |& )?Blue\s?Shield)?", True, True), (r"Blue\s?Shield", True, True),
    ("BCBS", False, True), ("Assurance", True, True), ("Mutual", True, True), ("HMO", True, True),
    ("Medical Group", True, False),
)
_ORG_WORDS = "(?:" + "|".join(alt for alt, letterhead, _insurer in _NAME_ENDS if letterhead) + ")"
_INSURER_WORDS = "(?:" + "|".join(alt for alt, _letterhead, insurer in _NAME_ENDS if insurer) + ")"
_LETTERHEAD_ORG = re.compile(rf"(?:[A-Z][\w&'.-]*\s){{1,5}}{_ORG_WORDS}(?:(?:,)? (?:Inc\.?|LLC|of [A-Z][a-z]+(?: [A-Z][a-z]+)?))?")
_SITE_ORG = re.compile(rf"(?:[A-Z][\w&'.-]*\s+){{0,5}}{_INSURER_WORDS}(?:\s+(?:of|in)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,3}})?"
                       rf"(?:,?\s+(?:Inc|LLC)\.?)?[®™]?")
_SITE_SEPARATOR = re.compile(r"\s+(?:\||[-–—])\s+")


def site_suffix(text: str) -> tuple[str, str] | None:
    """(the page title, the organisation) when `text` is a page title followed by the site's name
    after a bar or a dash ("Knee Braces | Blue Cross Blue Shield of Wyoming", "Knee Braces |
    Members | Humana"): the name of a known organisation, or one shaped like an insurer's."""
    text = text.strip()
    seps = list(_SITE_SEPARATOR.finditer(text))
    for k, m in enumerate(seps):
        part = text[m.end(): seps[k + 1].start() if k + 1 < len(seps) else len(text)].strip(" .,")
        found = names_in(part)
        known = bool(found) and found[0][0].start() == 0 and len(found[0][0].group(0)) >= len(part.rstrip("®™ ")) - 1
        if m.start() and (known or _SITE_ORG.fullmatch(part)):
            return text[: m.start()], part
    return None
    for k in range(1, len(parts)):
        tail = " ".join(parts[k:]) if k == len(parts) - 1 else parts[k]
        found = names_in(tail)
        known = found and found[0][0].start() == 0 and len(found[0][0].group(0)) >= len(tail.strip(" .,®™")) - 1
        if known or _SITE_ORG.fullmatch(tail.strip()):
            head = _SITE_SEPARATOR.split(text.strip(), maxsplit=k)
            title = text.strip()[: len(text.strip()) - len(head[-1])].rstrip(" |-–—") if len(head) > k else ""
            return (title, tail.strip()) if title else None
    return None


@lru_cache(maxsize=1)
def _matchers() -> tuple[PhraseIndex, dict[str, Payer]]:
    """Names matched case-insensitively (mixed case) or as written (all-capital abbreviations
    like 'FEP' or 'CMS'), longest first; and web domains; found by their first word."""
    owner: dict[str, Payer] = {}
    for p in payer_rules().payers:
        for n in p.names:
            owner.setdefault(n.lower(), p)
        for d in p.domains:
            owner.setdefault(d.lower(), p)
    names = {n for p in payer_rules().payers for n in p.names}
    domains = {d for p in payer_rules().payers for d in p.domains}

    def build(group: list[str]) -> re.Pattern:
        mixed = [n for n in group if n in names and n != n.upper()]
        caps = [n for n in group if n in names and n == n.upper()]
        doms = [d for d in group if d in domains]
        alts = []
        if mixed:
            alts.append("(?i:" + "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in mixed) + r")(?![\w-])")
        if doms:
            alts.append("(?i:" + "|".join(re.escape(d) for d in doms) + r")\b")
        if caps:
            alts.append("(?:" + "|".join(re.escape(n) for n in caps) + r")(?![\w-])")
        return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + ")")

    return PhraseIndex(names | domains, build), owner


def names_in(text: str) -> list[tuple[re.Match, Payer]]:
    """Every known organisation name or domain in `text`, with the organisation (the longest
    where names overlap)."""
    index, owner = _matchers()
    out = []
    pos = 0
    for m in index.matches(text):
        if m.start() < pos:
            continue
        p = owner.get(" ".join(m.group(0).split()).lower())
        if p is not None:
            out.append((m, p))
            pos = m.end()
    return out


def payer_in(text: str) -> str | None:
    """The canonical name of the first known organisation named in `text`."""
    found = sorted(names_in(text), key=lambda mp: (mp[0].start(), -len(mp[0].group(0))))
    return found[0][1].name if found else None


class _Evidence:
    def __init__(self) -> None:
        self.score: dict[str, float] = defaultdict(float)
        self.mentions: dict[str, int] = defaultdict(int)
        self.printed: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.payers: dict[str, Payer] = {}

    def add(self, payer: Payer, weight: float, printed: str | None = None) -> None:
        self.payers[payer.name] = payer
        self.score[payer.name] += weight
        if printed:
            self.printed[payer.name][" ".join(printed.split())] += 1

    def mention(self, payer: Payer, printed: str) -> None:
        if payer.self_only or printed in payer.ambiguous:
            return
        self.mentions[payer.name] += 1
        if self.mentions[payer.name] <= MENTION_CAP:
            self.add(payer, VENDOR_MENTION if payer.kind == "vendor" else MENTION, printed)
        else:
            self.printed[payer.name][" ".join(printed.split())] += 1

    def best(self) -> str | None:
        if not self.score:
            return None
        name = max(self.score, key=lambda n: (self.score[n], self.payers[n].kind == "payer", self.mentions[n]))
        return _display(self.payers[name], self.printed[name])


def _display(payer: Payer, printed: dict[str, int]) -> str:
    """The fullest name the document prints that holds the canonical one ("Noridian Healthcare
    Solutions", "Aetna Inc"); else the canonical name, when printed or when the document prints
    only one-word forms it holds ("Premera" of "Premera Blue Cross", 'BCBSRI', a web domain);
    else the longest name printed: a name of several words is the letterhead as printed
    ("Federal Employee Program"), which the store keeps (a letterhead change is told apart and
    joined by family). A brand and a legal entity that hold neither the other
    ("UnitedHealthcare", "United HealthCare Services") give the canonical one."""
    names = {n.lower() for n in payer.names}
    full = [p for p in printed if p not in (p.upper(), p.lower()) and "." not in p and p.lower() in names]
    canonical = payer.name.lower()
    holding = [p for p in full if canonical in p.lower()]
    if holding:
        return max(holding, key=lambda p: (len(p), printed[p]))
    if all(p.lower() in canonical and len(p.split()) == 1 for p in full):
        return payer.name
    return max(full, key=lambda p: (len(p), printed[p]))


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
    head = [ln for ln in head if len(ln.text.split()) <= LETTERHEAD_MAX_WORDS]
    head_ids = {id(ln) for ln in head}
    for ln in head:
        for m, p in names_in(ln.text):
            # the CMS or the BCBS Association head only their own documents: a line that is
            # their name alone, not "BCBSA Ref. Policy: 8.01.01" in a plan's header
            if not p.self_only or len(m.group(0)) >= len(ln.text.strip(" .,:;-®™")) - 1:
                ev.add(p, LETTERHEAD, m.group(0))
    for text in doc.source.furniture:
        # a running header or footer is the letterhead of every page, even once removed from
        # the text ("Proprietary Information of X", "(c)2025 X"): once per distinct line; a
        # disclaimer's sentence repeated on every page only mentions the names in it
        if len(text.split()) > LETTERHEAD_MAX_WORDS:
            continue
        for p in {p.name: p for m, p in names_in(text)
                  if not p.self_only or len(m.group(0)) >= len(text.strip(" .,:;-®™")) - 1}.values():
            ev.add(p, LETTERHEAD, None)
    seen: set[str] = set()
    for k, ln in enumerate(doc.lines):
        if id(ln) in skip:
            continue
        if ln.text in seen:
            continue  # boilerplate repeated on every page: one mention
        seen.add(ln.text)
        text = ln.text
        low = text.lower()
        for pat, word in _SELF_STATEMENTS:
            if not any(w in low for w in word):
                continue  # these patterns backtrack at every character: only where their word is
            for m in pat.finditer(text):
                for n, p in names_in(m.group("org")):
                    ev.add(p, SELF_STATEMENT, n.group(0))
        if id(ln) in head_ids:
            continue
        for m, p in names_in(text):
            ambiguous = m.group(0) in p.ambiguous
            if not p.self_only and not ambiguous and re.match(_SUBJECT_VERB, text[m.end():]):
                ev.add(p, SELF_STATEMENT, m.group(0))
            elif not p.self_only and not ambiguous and (_DOCUMENT_NOUN.match(text, m.end()) or (
                    not text[m.end():].strip() and k + 1 < len(doc.lines)
                    and _DOCUMENT_NOUN.match(" " + doc.lines[k + 1].text.strip()))):
                # "<Org> policies", also where a text layer broke the line after the name (a
                # table's header cell "Related Anthem" / "Document")
                ev.add(p, DOCUMENTS, m.group(0))
            else:
                ev.mention(p, m.group(0))
    if any(_NCD.search(ln.text) for ln in head):
        medicare = next(p for p in payer_rules().payers if p.family == "Medicare" and p.self_only)
        ev.add(medicare, LETTERHEAD)
    return ev.best() or _in_history(doc, sections) or _unknown_organisation(doc)


def _in_history(doc: Document, sections: list[SectionSpan]) -> str | None:
    """With no other evidence, the organisation a revision history names (a plan's own history:
    "Pre-merger X policy ... reviewed"); references are never evidence, they cite others."""
    ev = _Evidence()
    for s in sections:
        if s.kind == "history":
            for ln in s.lines:
                for m, p in names_in(ln.text):
                    ev.mention(p, m.group(0))
    return ev.best()


def _unknown_organisation(doc: Document) -> str | None:
    """An organisation we have no entry for: a letterhead line that is an organisation's name,
    else the name in a licensee or copyright line (never an association of physicians)."""
    never = {n.lower() for n in payer_rules().never_payers}
    for ln in doc.lines[:6]:
        m = _LETTERHEAD_ORG.fullmatch(ln.text.strip().rstrip("®™ "))
        if m and m.group(0).lower() not in never:
            return m.group(0)
        site = site_suffix(ln.text) if len(ln.text) <= 200 else None
        if site and site[1].lower() not in never:
            return site[1].rstrip("®™ ")
    for ln in doc.lines:
        for pat in (_LICENSEE, _COPYRIGHT):
            m = pat.search(ln.text)
            if m:
                name = m.group("org").strip(" .,-")
                if name and name.lower() not in never and not any(n in name.lower() for n in never if len(n) > 4):
                    return name
    return None
