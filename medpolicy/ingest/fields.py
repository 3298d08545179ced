"""Labelled header fields: where a label stands and which value belongs to it (rules/metadata.json).

Policies print their header fields in many layouts; all of them are read here into `Field`s:
- "Label: value" on a line, or several on one line ("Original Policy Date: May 1, 2023 Effective
  Date: May 1, 2025"), or glued together by a text layer ("Document #: GENE.1Publish Date: ...");
- a table row "Label | value", a dotted leader (a TAB after normalisation);
- a label alone on its line, the value on the next;
- a run of labels, then the run of their values (a header grid read keys first, values later),
  or a row of labels over a row of values.
A label counts where a field can start: the start of a line or cell, after a wide gap or a bar,
after a value that ends in a digit or a bracket. Elsewhere on a line (after one space, or glued
to the value before it) it counts only before a colon, so the words of a sentence ("was retired
effective 07/01/2024") are not labels. `weak` labels, which are also plain words ("Policy",
"Number", "Revised"), count only before a colon or a TAB (or a dash at the start of a line:
"MEDICAL POLICY – 8.01.01").

Lines are scanned word by word (phrases.py): only a word that can start a label is tried.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .document import Line
from .phrases import PhraseIndex
from .sections import match_heading
from .vocab import metadata_rules


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled value. `keys` are the fields its label may name (vocab.MetadataRules.labels):
    date keys, "review_either", "policy_id", "title", "type" or "" (a field no extractor keeps). `index` is the position of the value's line in the scanned lines;
    `explicit` says a colon, '#' or cell boundary parts label and value (not only a space),
    `colon` that a colon does; `own_line` that the value is a line of its own below its label;
    `lead` that its line starts with a label (a line of fields, not a sentence that quotes one:
    "... Bethesda, MD: NLM; updated: October 26, 2017.")."""

    keys: tuple[str, ...]
    label: str
    value: str
    line: Line
    index: int
    explicit: bool
    own_line: bool = False
    colon: bool = False
    lead: bool = True


# a month name's first letters: a value that starts like a date ("Effective Date May 1, 2025")
_MONTH_START = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
# what parts a label from its value: a colon (or '#:'), a cell boundary, a spaced dash, the end of
# the line (value on the next), or a space before a value that starts like a number or a date
_SEP = (r"(?P<sep>[ ]*[:：][ \t]*|[ ]*\t[ ]*|[ ]+[-–—][ ]+|[ ]*$"
        rf"|[ ]+(?=[#(]?\d|(?:{_MONTH_START})[a-z]*\.?\s)|(?<=#)(?=\w))")  # ...or nothing after '#': "Policy #61"
_STRONG_BEFORE = re.compile(r"(?:^|\t|\s{2,}|[|•]\s*|[\d)\]]\s+|\S:\s+)$")  # ...or after "Title: "
# a committee's abbreviation before a date label at the start of a line: "P&T Approval:", "MCO
# Approval:", "QIC Reviewed:" (not a regulator's: "FDA Approval: 2019" is the drug's)
_COMMITTEE = re.compile(r"^[A-Z][A-Z&/]{1,6}[ ]+$")


def _committee(before: str, keys: tuple[str, ...]) -> bool:
    return (bool(_COMMITTEE.match(before)) and any(k in _DATE_KEYS for k in keys)
            and before.strip().lower() not in _not_committees())


_LAST_WORD = re.compile(r"(\S+)[ ]+$")


def _regulator(before: str, keys: tuple[str, ...]) -> bool:
    m = _LAST_WORD.search(before[-40:])
    return bool(m) and any(k in _DATE_KEYS for k in keys) and m.group(1).lower() in _not_committees()


@lru_cache(maxsize=1)
def _not_committees() -> frozenset[str]:
    from .vocab import payer_rules  # noqa: PLC0415

    return frozenset(n.lower() for n in payer_rules().never_payers)


_DATE_KEYS = frozenset({"effective", "original_effective", "last_revised", "last_review", "next_review", "published",
                        "issued", "approved", "review_either"})


@dataclass(frozen=True)
class _Vocab:
    index: PhraseIndex
    key_of: dict[str, tuple[str, ...]]
    weak: frozenset[str]


def _label_pattern(label: str) -> str:
    words = label.split()
    out = re.escape(words[0])
    for w in words[1:]:
        out += (r"[ ]*" if w.startswith("#") else r"[ ]+") + re.escape(w)
    return out


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    rules = metadata_rules()
    key_of = rules.labels()

    def build(labels: list[str]) -> re.Pattern:
        alt = "|".join(_label_pattern(lb) for lb in labels)
        return re.compile(rf"(?P<label>{alt})(?:[ ]?\(s\))?\.?{_SEP}", re.I)

    return _Vocab(PhraseIndex(key_of, build), {_label_key(k): v for k, v in key_of.items()},
                  frozenset(_label_key(w) for w in (*rules.weak, *rules.type_names)))


@dataclass(frozen=True, slots=True)
class _Hit:
    keys: tuple[str, ...]
    label: str
    start: int
    end: int  # end of the separator: the value starts here
    explicit: bool
    colon: bool


def _label_key(printed: str) -> str:
    """The vocabulary form of a printed label: lower case, single spaces, "#" after a space."""
    return re.sub(r"\s*#", " #", " ".join(printed.lower().replace("(s)", "").rstrip(".").split())).strip()


def labels_in(text: str) -> list[_Hit]:
    """The labels on one line (or cell run), left to right."""
    vocab = _vocab()
    hits: list[_Hit] = []
    pos = 0
    for m in vocab.index.matches(text):
        if m.start() < pos:
            continue
        hit = _accept(text, m, vocab)
        if hit is not None:
            hits.append(hit)
            pos = m.end()
    return hits


def _accept(text: str, m: re.Match, vocab: _Vocab) -> _Hit | None:
    label = _label_key(m.group("label"))
    keys = vocab.key_of.get(label, ("",))
    sep = m.group("sep")
    colon = ":" in sep or "：" in sep
    cell = "\t" in sep or (not sep.strip() and m.end() == len(text))
    before = text[: m.start()]
    if _regulator(before, keys):
        return None  # "FDA Approval: 2019", "the FDA approved: ...": the drug's, not the policy's
    strong = bool(_STRONG_BEFORE.search(before)) or _committee(before, keys)
    dash = bool(re.search(r"[-–—]", sep))
    # "MEDICAL POLICY – 8.01.01", "Medical Policy 9.99.001": a document type and its number alone
    numbered = strong and bool(keys) and keys[0] in ("policy_id", "type") and not before.strip() and \
        len(text[m.end():].split()) == 1 and text[m.end():m.end() + 1].isdigit()
    if label in vocab.weak and not (colon or "\t" in sep or "#" in label or (strong and dash) or numbered):
        return None
    if keys == ("type",) and not strong:
        return None  # "RELATED MEDICAL POLICIES:" is a heading, not a "Medical Policies:" field
    if not strong and _tail_id(text, before, m, keys):
        # "<Manual name> <Subject>, Policy No. 61": a running header that ends with the number
        return _Hit(keys, m.group("label"), m.start(), m.end(), True, colon)
    if not strong:
        if label in vocab.weak and before[-1:].isspace():
            return None  # a plain word before a colon inside a line ("Last State Approval: ...")
        if not colon or re.search(r"[;,]\s*$", before):
            return None  # no colon; or inside a clause ("Bethesda, MD: NLM; updated: May 2, 2019")
        prev = before[-1]
        if prev.isalnum():
            # glued by a text layer: "...GENE.00059Publish Date:", "Status: NewLast Review Date:"
            if not (text[m.start()].isupper() and (prev.isdigit() or prev.islower())):
                return None
    return _Hit(keys, m.group("label"), m.start(), m.end(), colon or cell or "#" in label, colon)


# the number that ends a running header after its label: one token with a digit, no sentence after it
_TAIL_VALUE = re.compile(r"[#(]?[A-Za-z]{0,6}[-.]?\d[\w.\-]*\)?")
TAIL_LINE_MAX_WORDS = 20


def _tail_id(text: str, before: str, m: re.Match, keys: tuple[str, ...]) -> bool:
    """A policy-number label after ", " whose value ends a short line that holds no sentence
    ("Medical Policy Manual Knee Braces, Policy No. 61", "..., Policy #61")."""
    value = text[m.end():].strip()
    return ("policy_id" in keys and before.endswith(", ") and bool(_TAIL_VALUE.fullmatch(value)) and value[-1] != "."
            and len(text.split()) <= TAIL_LINE_MAX_WORDS and not re.search(r"[.;!?]\s", before))


_VALUE_END = re.compile(r"\t| • | \| ")


def _value(text: str, start: int, end: int) -> str:
    value = text[start:end]
    cut = _VALUE_END.search(value)
    if cut:
        value = value[: cut.start()]
    return value.strip(" \t|:")


def read_fields(lines: list[Line]) -> list[Field]:
    """Every labelled field in `lines`, in document order."""
    fields: list[Field] = []
    waiting: list[_Hit] = []  # labels whose values are on the lines below
    grid = False  # `waiting` is a row of labels over a row of values
    assigning = False  # value lines of `waiting` have started
    for i, ln in enumerate(lines):
        hits = labels_in(ln.text)
        if not hits:
            if waiting and ln.text.strip():
                if grid and ln.is_row and len(ln.cells) == len(waiting):
                    for hit, cell in zip(waiting, ln.cells):
                        if cell:
                            fields.append(Field(hit.keys, hit.label, cell, ln, i, True, True, hit.colon))
                    waiting = []
                else:
                    hit = waiting.pop(0)
                    fields.append(Field(hit.keys, hit.label, _value(ln.text, 0, len(ln.text)), ln, i, True, True,
                                        hit.colon))
                    assigning = True
            continue
        if assigning:
            waiting, grid, assigning = [], False, False  # the labels left waiting had no value
        empty = []
        before = ln.text[: hits[0].start]
        lead = not before.strip() or _committee(before, hits[0].keys)
        for n, hit in enumerate(hits):
            value = _value(ln.text, hit.end, hits[n + 1].start if n + 1 < len(hits) else len(ln.text))
            if value:
                fields.append(Field(hit.keys, hit.label, value, ln, i, hit.explicit, False, hit.colon, lead))
            else:
                empty.append(hit)
        if ln.is_row and len(hits) > 1 and len(empty) == len(hits) == len(ln.cells):
            waiting, grid = list(hits), True
        elif empty and empty[-1] is hits[-1] and _waits(ln.text, hits[-1]):
            if grid:
                waiting, grid = [], False
            waiting.append(hits[-1])
        else:
            waiting, grid = [], False
    return fields


def _waits(text: str, hit: _Hit) -> bool:
    """A label at the end of its line waits for the next line, unless it is a section heading
    ("Policy", "Description")."""
    label = " ".join(hit.label.split())
    return text.rstrip().endswith((":", "#")) or (len(label.split()) > 1 and not match_heading(label))
