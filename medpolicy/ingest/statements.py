"""Coverage statements: sentences of the policy sections whose main predicate says what the plan
decides about the service (rules/positions.json), with the criteria list under each attached."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..models import Position, Provenance, Statement
from .document import Document, Line
from .sections import SectionSpan

POLICY_KINDS = ("policy", "coding")  # coding notes say what is not separately reimbursable
FALLBACK_KINDS = ("policy", "guidelines", "other", "metadata", "description")
_PRIORITY = {p: i for i, p in enumerate(("investigational", "not_medically_necessary", "not_covered",
                                          "medically_necessary", "covered"))}


@lru_cache(maxsize=1)
def _nlp():
    """spaCy blank English with a rule-based sentencizer and the predicate Matcher (built once)."""
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = Matcher(nlp.vocab)
    data = json.loads(resources.files("medpolicy.ingest").joinpath("rules/positions.json").read_text("utf-8"))
    for entry in data["positions"]:
        position = Position(entry["position"]).value
        matcher.add(position, [_compile(p) for p in entry["phrases"]])
    return nlp, matcher


def _compile(phrase: str) -> list[dict]:
    tokens = []
    for word in phrase.split():
        optional = word.endswith("?") and len(word) > 1
        word = word[:-1] if optional else word
        if word.startswith("(") and word.endswith(")"):
            spec: dict = {"LOWER": {"IN": word[1:-1].split("|")}}
        elif word == "\\d+":
            spec = {"LIKE_NUM": True}
        else:
            spec = {"LOWER": word}
        if optional:
            spec["OP"] = "?"
        tokens.append(spec)
    return tokens


_SUBORDINATE = re.compile(r"^(?:if|when|because|although|unless|while|since|where|whereas|once|after|before)\b", re.I)
_LEAD_LABEL = re.compile(r"^\s*(?:note|notes|important|policy|statement|position)\s*:\s*", re.I)
_ENUM = re.compile(r"^\s*(?:[-•▪●◦·*]\s+)?(?:(?P<roman>[IVXivx]{1,5})|(?P<letter>[A-Za-z])|(?P<num>\d{1,2}))[.)]\s+")
_BULLET = re.compile(r"^\s*[-•▪●◦·*]\s+")
_NOTE = re.compile(r"^\s*(?:\*?\s*)?(?:note|notes|important)\b", re.I)


def classify(span) -> str:
    """The position of one spaCy sentence span (see module doc for the rule)."""
    _nlp_, matcher = _nlp()
    doc = span.as_doc() if hasattr(span, "as_doc") else span
    return _position(doc.text, _matches(doc, matcher))


def _position(text: str, matches: list[tuple[str, int]]) -> str:
    """Position from the predicates found in a sentence (label, char offset in `text`)."""
    start_char = 0
    lead = _LEAD_LABEL.match(text)
    if lead:
        start_char = lead.end()
    if _SUBORDINATE.match(text[start_char:]):
        comma = text.find(", ", start_char)
        if comma > 0:
            start_char = comma + 2
    main = [m for m in matches if m[1] >= start_char] or matches
    if not main:
        return Position.OTHER.value
    found = {m[0] for m in main}
    if "investigational" in found and "not_medically_necessary" in found:
        return "investigational"
    return main[0][0]


def _matches(doc, matcher) -> list[tuple[str, int]]:
    """Predicate matches of a doc, longest where they overlap, in order: (label, start char)."""
    from spacy.util import filter_spans

    found = matcher(doc)
    labels = {(s, e): doc.vocab.strings[_id] for _id, s, e in found}
    kept = sorted(filter_spans([doc[s:e] for _id, s, e in found]), key=lambda sp: sp.start)
    return [(labels[(sp.start, sp.end)], sp.start_char) for sp in kept]


@dataclass
class _Unit:
    text: str
    line: Line
    offset: int  # where text starts inside line.text
    section: SectionSpan


def _units(sections: list[SectionSpan]) -> list[_Unit]:
    units = []
    for sec in sections:
        for ln in sec.lines:
            if sec.kind == "coding" and (ln.is_row or not _NOTE.match(ln.text)):
                continue  # in coding sections, only notes can state coverage
            if ln.is_row:
                cells = [c for c in ln.text.split("\t")]
                # the statement is in the longest cell; the others are labels ("Other applications")
                best = max(cells, key=len)
                if len(best.split()) >= 6:
                    units += _pieces(_Unit(best, ln, ln.text.find(best), sec))
            else:
                units += _pieces(_Unit(ln.text, ln, 0, sec))
    return units


MAX_PIECE = 100_000  # characters given to spaCy at once (its limit is 1,000,000; no sentence is this long)


def _pieces(unit: _Unit) -> list[_Unit]:
    """`unit` in pieces of at most MAX_PIECE characters, cut after a sentence end where there is
    one, else at a space: a paragraph of a million characters must not fail the document."""
    text = unit.text
    if len(text) <= MAX_PIECE:
        return [unit]
    out: list[_Unit] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_PIECE)
        if end < len(text):
            cut = max(text.rfind(". ", start, end), text.rfind("; ", start, end))
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        out.append(_Unit(text[start:end], unit.line, unit.offset + start, unit.section))
        start = end
    return out


def _enum_type(text: str) -> str | None:
    m = _ENUM.match(text)
    if m:
        for kind in ("roman", "letter", "num"):
            if m.group(kind):
                return kind
    if _BULLET.match(text):
        return "bullet"
    return None


def _merge_repeated(statements: list[Statement]) -> list[Statement]:
    """One statement per lead sentence: prior-authorisation policies repeat "X will be approved
    based on the following criteria:" under every indication; the repeats become criteria blocks
    of the first, so every word is kept but the sentence is one statement."""
    merged: dict[tuple, Statement] = {}
    for st in statements:
        lead, _, rest = st.text.partition("\n")
        key = (st.position, st.section, re.sub(r"\W+", " ", lead).strip().lower())
        first = merged.get(key)
        if first is None:
            merged[key] = st
            continue
        first.text = first.text + ("\n\n" + rest if rest else "")
        first.criteria = first.criteria + st.criteria
        if first.provenance and st.provenance and st.provenance.end:
            first.provenance = first.provenance.model_copy(update={"end": st.provenance.end})
    out = list(merged.values())
    for i, st in enumerate(out, 1):
        st.id = f"S{i}"
    return out


def extract_statements(doc: Document, sections: list[SectionSpan]) -> tuple[list[Statement], list[str]]:
    statements = _merge_repeated(_extract(doc, [s for s in sections if s.kind in POLICY_KINDS]))
    warnings: list[str] = []
    if not statements:
        statements = _merge_repeated(_extract(doc, [s for s in sections if s.kind in FALLBACK_KINDS]))
        if statements:
            warnings.append("no policy section found; coverage statements taken from the rest of the text")
    if not statements:
        warnings.append("no coverage statements found")
    return statements, warnings


def _extract(doc: Document, sections: list[SectionSpan]) -> list[Statement]:
    nlp, matcher = _nlp()
    units = _units(sections)
    out: list[Statement] = []
    texts = [u.text for u in units]
    # units already attached as criteria of a statement, with that statement's position: a nested
    # "Approve for 3 months if ..." under "Approve for the duration noted if ..." is part of it
    attached: dict[int, str] = {}
    for ui, (unit, sdoc) in enumerate(zip(units, nlp.pipe(texts))):
        sents = list(sdoc.sents)
        doc_matches = _matches(sdoc, matcher)  # one Matcher pass per paragraph, not per sentence
        for si, sent in enumerate(sents):
            if len([t for t in sent if not t.is_punct]) < 4:
                continue
            rel = [(lab, c - sent.start_char) for lab, c in doc_matches if sent.start_char <= c < sent.end_char]
            position = _position(sent.text, rel)
            if position == Position.OTHER.value or attached.get(ui) == position:
                continue
            text = sent.text.strip()
            text = _BULLET.sub("", text)
            text = _ENUM.sub("", text) if si == 0 else text
            start = unit.line.start + unit.offset + sent.start_char
            end = unit.line.start + unit.offset + sent.end_char
            criteria: list[str] = []
            if si == len(sents) - 1 and text.rstrip().endswith(":"):
                criteria, last_end = _criteria(units, ui)
                for k in range(ui + 1, ui + 1 + len(criteria)):
                    attached.setdefault(k, position)
                if criteria:
                    text = text + "\n" + "\n".join(criteria)
                    end = last_end
            out.append(Statement(id=f"S{len(out) + 1}", text=text, position=Position(position),
                                 section=unit.section.heading, criteria=criteria,
                                 provenance=Provenance(page=unit.line.page, start=start, end=end)))
    return out


def _criteria(units: list[_Unit], ui: int) -> tuple[list[str], int | None]:
    """The list under units[ui]: enumerated or bulleted items, and unmarked fragments (items whose
    bullets were images), until a full sentence, an item of the statement's own level, or the
    next section."""
    own = _enum_type(units[ui].text)
    items: list[str] = []
    last_end = None
    for u in units[ui + 1:]:
        if u.section is not units[ui].section and u.section.level <= 1:
            break
        kind = _enum_type(u.text)
        if kind is not None and own is not None and kind == own and own != "bullet":
            break
        if kind is None and not _fragment(u.text):
            break
        items.append(u.text.strip())
        last_end = u.line.end
    return items, last_end


def _fragment(text: str) -> bool:
    """An unmarked list item: no closing full stop, or a short phrase."""
    t = text.strip()
    return not t.endswith(".") or len(t.split()) <= 6
