"""Coverage statements: sentences of the policy sections whose main predicate says what the plan
decides about the service (rules/positions.json), with their criteria (criteria.py).

Sentences are read from the units of paragraphs.py (printed lines joined back into paragraphs
and list items), so a statement wrapped over several lines of flattened text is one sentence.
Only the policy and coding sections give statements; rationale, background, evidence,
appendices and the history table describe or quote coverage without deciding it. The rest of
the text is read only when a document has no statement in a policy section at all.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..models import Position, Provenance, Statement
from .criteria import (Outline, criteria_sections, criteria_under, is_appendix_heading, is_page_furniture,
                       refers_to_criteria)
from .document import Document
from .paragraphs import Unit, list_marker, section_units, wrap_width
from .sections import SectionSpan, heading_key
from .vocab import position_keywords, position_rules

POLICY_KINDS = ("policy", "coding")  # coding notes say what is not separately reimbursable
FALLBACK_KINDS = ("policy", "guidelines", "other", "metadata", "description")
_MIN_WORDS = 4  # fewer words than this is a label or a table cell, not a statement
_ROW_MIN_WORDS = 6
_HEADING_WORDS = 10  # a subordinate clause this short, alone, is a heading ("When X is not covered")
_NOTE = re.compile(r"^\s*(?:\*?\s*)?(?:note|notes|important)\b", re.I)
# A coding heading printed this often is a label repeated before each group's codes, not a table
GROUP_LABEL_REPEATS = 3


@lru_cache(maxsize=1)
def _nlp():
    """spaCy blank English with a rule-based sentencizer and the predicate Matcher (built once)."""
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = Matcher(nlp.vocab)
    for entry in position_rules().positions:
        matcher.add(entry.position, [_compile(p) for p in entry.phrases])
    return nlp, matcher


def _compile(phrase: str) -> list[dict]:
    """A phrase of positions.json as a Matcher pattern (the syntax is in the file's `_doc`)."""
    tokens: list[dict] = []
    for word in phrase.split():
        if re.fullmatch(r"~\d+", word):
            tokens.append({"OP": f"{{0,{word[1:]}}}"})
            continue
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


@lru_cache(maxsize=1)
def _openers() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    rules = position_rules()
    label = re.compile(r"^\s*(?:" + "|".join(map(re.escape, rules.lead_labels)) + r")\s*:\s*", re.I)
    sub = re.compile(r"^(?:" + "|".join(map(re.escape, rules.subordinators)) + r")\b", re.I)
    verb = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(rules.subject_verbs))) + r")\b", re.I)
    return label, sub, verb


def classify(span) -> str:
    """The position of one spaCy sentence span or doc."""
    _nlp_, matcher = _nlp()
    doc = span.as_doc() if hasattr(span, "as_doc") else span
    return _position(doc.text, _matches(doc, matcher))


def _position(text: str, matches: list[tuple[str, int]]) -> str:
    """Position from the predicates found in a sentence (label, char offset in `text`): those of
    its main clause (after a lead label or an opening subordinate clause), and of those, the ones
    after the subject ("Experimental services are not covered" is not_covered), when there are."""
    label, sub, verb = _openers()
    start_char = 0
    lead = label.match(text)
    if lead:
        start_char = lead.end()
    if sub.match(text[start_char:]):
        comma = text.find(", ", start_char)
        if comma > 0:
            start_char = comma + 2
        elif len(text.split()) <= _HEADING_WORDS:
            return Position.OTHER.value  # "When Ear Mapping is Covered": a heading, no main clause
    main = [m for m in matches if m[1] >= start_char] or matches
    if not main:
        return Position.OTHER.value
    first_verb = verb.search(text, start_char)
    if first_verb:
        main = [m for m in main if m[1] >= first_verb.start()] or main
    found = {m[0] for m in main}
    if "investigational" in found and "not_medically_necessary" in found:
        return "investigational"
    return main[0][0]


def _matches(doc, matcher) -> list[tuple[str, int]]:
    """Predicate matches of a doc, longest where they overlap, in order: (label, start char)."""
    return [(label, char) for label, char, _pred in _predicates(doc, matcher)]


def _predicates(doc, matcher) -> list[tuple[str, int, bool]]:
    """(label, start char, predicative) of each match: predicative when the match is said of
    something ("is experimental", "; experimental for other uses"), not a word that qualifies a
    noun or a condition ("an experimental therapy", "when medically necessary")."""
    from spacy.util import filter_spans

    words = position_rules().attributive_words
    found = _windowed(doc, matcher)
    labels = {(s, e): doc.vocab.strings[_id] for _id, s, e in found}
    kept = sorted(filter_spans([doc[s:e] for _id, s, e in found]), key=lambda sp: sp.start)
    return [(labels[(sp.start, sp.end)], sp.start_char,
             not (sp.start > 0 and doc[sp.start - 1].lower_ in words)) for sp in kept]


def _windowed(doc, matcher) -> list[tuple[int, int, int]]:
    """`matcher(doc)`, run only on the stretches around the position keywords. Every phrase
    needs one of them (vocab.position_keywords) and is at most `_longest_phrase()` tokens long,
    so no match lies outside these windows, and the result is the same; the Matcher costs
    time on every token it is given, and most tokens of a long paragraph are far from any."""
    import numpy
    from spacy.attrs import LOWER

    reach = _longest_phrase()
    windows: list[list[int]] = []
    # the keywords' positions in one vectorised pass over the tokens' lower-case hashes
    for i in numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), _keyword_hashes())).tolist():
        a, b = max(0, i - reach + 1), min(len(doc), i + reach)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    if len(windows) == 1 and windows[0] == [0, len(doc)]:
        return matcher(doc)
    return [(mid, a + s, a + e) for a, b in windows for mid, s, e in matcher(doc[a:b])]


@lru_cache(maxsize=1)
def _keyword_hashes():
    """The keywords as spaCy's string hashes (what `doc.to_array(LOWER)` holds)."""
    import numpy
    from spacy.strings import hash_string

    return numpy.array(sorted(hash_string(k.lower()) for k in position_keywords()), dtype=numpy.uint64)


@lru_cache(maxsize=1)
def _longest_phrase() -> int:
    """Most tokens a match of any position phrase can span, read off the Matcher patterns
    `_compile` builds (a gap "{0,n}" spans up to n tokens, any other spec one)."""
    def reach(spec: dict) -> int:
        gap = re.fullmatch(r"\{0,(\d+)\}", spec.get("OP", ""))
        return int(gap.group(1)) if gap else 1

    return max(sum(map(reach, _compile(phrase))) for entry in position_rules().positions for phrase in entry.phrases)


@dataclass
class _Sentence:
    text: str
    start: int  # in the unit's text
    end: int
    position: str
    predicative: bool = False  # a match of its position is said of something (see _predicates)


def _reading(unit: Unit) -> tuple[str, int]:
    """The text of a unit that can state coverage, and where it starts in the unit's text: a
    row's longest cell (the others are labels such as "Other applications"), else all of it."""
    if not unit.is_row:
        return unit.text, 0
    best = max(unit.text.split("\t"), key=len)
    return (best, unit.text.find(best)) if len(best.split()) >= _ROW_MIN_WORDS else ("", 0)


MAX_PIECE = 100_000  # characters given to spaCy at once (its limit is 1,000,000; no sentence is this long)


def _pieces(text: str, offset: int) -> list[tuple[str, int]]:
    """`text` in pieces of at most MAX_PIECE characters with their offsets, cut after a sentence
    end where there is one, else at a space: a paragraph of a million characters must not fail
    the document."""
    if len(text) <= MAX_PIECE:
        return [(text, offset)]
    out: list[tuple[str, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_PIECE)
        if end < len(text):
            cut = max(text.rfind(". ", start, end), text.rfind("; ", start, end))
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        out.append((text[start:end], offset + start))
        start = end
    return out


@lru_cache(maxsize=1)
def _keywords() -> re.Pattern:
    """A text with none of the position keywords (vocab.position_keywords) cannot state a
    position, and skips the tokenizer and the Matcher, which most criteria items and
    descriptions do."""
    keys = sorted(map(re.escape, position_keywords()), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(keys) + r")\b", re.I)


def _analyse(units: list[Unit]) -> list[list[_Sentence]]:
    """The sentences of each unit with their positions (one Matcher pass per piece of text); a
    unit without a keyword of the positions has none."""
    nlp, matcher = _nlp()
    keywords = _keywords()
    owners: list[int] = []
    pieces: list[tuple[str, int]] = []
    for ui, unit in enumerate(units):
        text, offset = _reading(unit)
        if not text or not keywords.search(text):
            continue
        for piece in _pieces(text, offset):
            owners.append(ui)
            pieces.append(piece)
    out: list[list[_Sentence]] = [[] for _ in units]
    for ui, (text, offset), sdoc in zip(owners, pieces, nlp.pipe(t for t, _ in pieces)):
        doc_matches = _predicates(sdoc, matcher)
        starts = [c for _lab, c, _pred in doc_matches]
        for sent in sdoc.sents:  # matches are in order: each sentence's are found by bisection
            lo, hi = bisect_left(starts, sent.start_char), bisect_left(starts, sent.end_char)
            found = [(lab, c - sent.start_char, pred) for lab, c, pred in doc_matches[lo:hi]]
            if found and sum(1 for t in sent if not t.is_punct) < _MIN_WORDS:
                found = []  # a label or a table cell ("Not covered"), not a statement
            position = _position(sent.text, [(lab, c) for lab, c, _p in found]) if found else Position.OTHER.value
            out[ui].append(_Sentence(sent.text, offset + sent.start_char, offset + sent.end_char, position,
                                     any(pred for lab, _c, pred in found if lab == position)))
    return out


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
    units = section_units(sections, wrap_width(doc))
    statements = _merge_repeated(_Reader(units, sections, POLICY_KINDS).statements())
    warnings: list[str] = []
    if not statements:
        statements = _merge_repeated(_Reader(units, sections, FALLBACK_KINDS).statements())
        if statements:
            warnings.append("no policy section found; coverage statements taken from the rest of the text")
    if not statements:
        warnings.append("no coverage statements found")
    return statements, warnings


def _strip_marker(text: str) -> str:
    m = list_marker(text)
    return text.lstrip()[len(m.prefix) + len(m.text):].lstrip() if m else text


def _states(unit: Unit, stating: dict[int, bool]) -> bool:
    """A unit that can state coverage: in a stating section (by id); in a coding section only a
    note ("Note: 0001U is not separately reimbursable"), never a code's description, unless the
    section is the policy going on under a label of its groups' codes (_stating_sections)."""
    if id(unit.section) not in stating:
        return False
    if unit.section.kind != "coding" or stating[id(unit.section)]:
        return True
    return not unit.is_row and bool(_NOTE.match(unit.text))


def _stating_sections(sections: list[SectionSpan], kinds: tuple[str, ...]) -> dict[int, bool]:
    """The sections (by id) statements come from, each with whether the policy goes on in it:
    those of `kinds`, and, after a policy section, the sections under headings of no known kind
    (a drug or indication name, a capitalised sub-heading) and under a coding heading printed
    again and again (a label before each group's codes: "Procedure Codes 0001U, 0002U The
    following tests ... are considered investigational ... Procedure Codes ..."): the policy goes
    on under them. Except an appendix that reprints an old policy (_reprinted)."""
    reprint = _reprinted(sections, kinds)
    coding = Counter(heading_key(s.heading) for s in sections if s.kind == "coding" and s.heading)
    out: dict[int, bool] = {}
    after_policy = False
    for sec in sections:
        if id(sec) in reprint:
            break
        goes_on = after_policy and (sec.kind == "other" or (
            sec.kind == "coding" and sec.heading is not None and coding[heading_key(sec.heading)] >= GROUP_LABEL_REPEATS))
        if sec.kind in kinds or goes_on:
            out[id(sec)] = goes_on
        if sec.heading is not None:
            after_policy = sec.kind == "policy" or goes_on
    return out


def _item_text(unit: Unit, sents) -> str:
    """A criterion as printed, up to a statement of its own that follows it in the same unit
    (one-line web text runs the last item of a list into the next statement)."""
    text = unit.item_text
    skip = len(unit.text) - len(text)  # a bullet before the marker
    body = len(unit.marker.text) + skip if unit.marker else 0
    cut = next((x.start for x in sents if x.position != Position.OTHER.value
                and unit.text[body:x.start].strip()), None)
    return text if cut is None else text[:cut - skip].rstrip()


def _block_label(unit: Unit, sents: list[_Sentence], si: int) -> str | None:
    """The item label printed before a lead in its list item ("2. Atopic Dermatitis. Approve
    if ..."): it names the block of criteria, which matters once repeated leads are merged."""
    if si == 0 or unit.marker is None or any(s.position != Position.OTHER.value for s in sents[:si]):
        return None
    label = unit.text[len(unit.marker.prefix):sents[si].start].strip()
    return label if 0 < len(label.split()) <= 12 else None


def _reprinted(sections: list[SectionSpan], kinds: tuple[str, ...]) -> set[int]:
    """Sections (by id) after the first appendix heading, when statement sections came before it:
    an appendix that reprints an old policy ("Policy Statement: BEFORE / AFTER") is not the policy."""
    for i, sec in enumerate(sections):
        if is_appendix_heading(sec.heading):
            if any(s.kind in kinds for s in sections[:i]):
                return {id(s) for s in sections[i:]}
            break
    return set()


class _Reader:
    """Statements of the units in the stating sections, read in document order: each positioned
    sentence, with its criteria (criteria.py). A unit taken as a criterion of a statement is
    `attached` to that statement's position, and gives no statement of the same position."""

    def __init__(self, units: list[Unit], sections: list[SectionSpan], kinds: tuple[str, ...]):
        self.units = units
        self.outline = Outline(sections, units)
        stating = _stating_sections(sections, kinds)
        self.active = [i for i, u in enumerate(units) if _states(u, stating)]
        self.sentences: dict[int, list[_Sentence]] = dict(zip(self.active, _analyse([units[i] for i in self.active])))
        self.attached: dict[int, str] = {}
        self._last: dict[int, int | None] = {}

    def positioned(self, k: int) -> bool:
        return self._last_statement(k) is not None

    def _last_statement(self, k: int) -> int | None:
        """Index of the last positioned sentence of units[k], None when it has none."""
        if k not in self._last:
            found = [i for i, s in enumerate(self.sentences.get(k, ())) if s.position != Position.OTHER.value]
            self._last[k] = found[-1] if found else None
        return self._last[k]

    def statements(self) -> list[Statement]:
        out: list[Statement] = []
        for ui in self.active:
            unit, sents = self.units[ui], self.sentences[ui]
            for si, sent in enumerate(sents):
                if sent.position == Position.OTHER.value or self.attached.get(ui) == sent.position:
                    continue
                if (ui in self.attached or unit.marker is not None) and not sent.predicative:
                    continue  # "not enrolled in a trial of an experimental therapy": a criterion, no position
                text = _strip_marker(sent.text.strip()) if sent.start == 0 else sent.text.strip()
                items, end = self._criteria(ui, si, text), unit.doc_offset(sent.end)
                if items:
                    text = text + "\n" + "\n".join(c for c, _end in items)
                    end = max(end, items[-1][1])
                out.append(Statement(id=f"S{len(out) + 1}", text=text, position=Position(sent.position),
                                     section=unit.section.heading, criteria=[c for c, _end in items],
                                     provenance=Provenance(page=unit.page, start=unit.doc_offset(sent.start),
                                                           end=end)))
        return out

    def _criteria(self, ui: int, si: int, lead: str) -> list[tuple[str, int]]:
        """(item, end offset) of each criterion of the lead `lead`, sentence si of units[ui]: the
        list under it when it is the unit's last statement and ends with ':' or points at
        criteria, else the sections it points at; the block's label first (_block_label)."""
        sents, position = self.sentences[ui], self.sentences[ui][si].position
        colon, refers = lead.endswith(":"), refers_to_criteria(lead)
        if si != self._last_statement(ui) or not (colon or refers):
            return []  # the criteria follow the unit's last statement ("(See Criteria below.)" may follow it)
        picked: list[int | SectionSpan] = list(criteria_under(self.units, ui, self.positioned, self.outline,
                                                              colon=colon))
        if not picked and refers:
            picked = criteria_sections(self.units, ui, self.outline, self.positioned)
        items: list[tuple[str, int]] = []
        for p in picked:
            if isinstance(p, SectionSpan):
                if p.heading and p.heading_line is not None:
                    items.append((p.heading, p.heading_line.end))
                continue
            unit = self.units[p]
            if is_page_furniture(unit):
                continue
            self.attached.setdefault(p, position)
            items.append((_item_text(unit, self.sentences.get(p, ())), unit.end))
        items = [(c, e) for c, e in items if c]
        label = _block_label(self.units[ui], sents, si)
        if items and label:
            items.insert(0, (label, items[0][1]))
        return items
