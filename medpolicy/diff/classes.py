"""Change classes: which kind of change each change is, by the rules in rules/classes.json.

The rules file is validated by pydantic models that reject unknown keys, so a typo in it is a
packaging error at the first diff, not a silently ignored rule. `Classifier` applies them to one
pair of editions: records by kind, modifications that only edit punctuation, case or spelling as
editorial, full-text changes that only touch dates, contacts and addresses as administrative,
other full-text changes by their section.
"""
from __future__ import annotations

import json
import re
from functools import cached_property, lru_cache
from importlib import resources
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from rapidfuzz.distance import OSA, Levenshtein

from ..errors import MedpolicyError
from ..ingest.vocab import Regex
from ..models import Policy, SectionKind
from ..textnorm import clean_markup, text_key, unify_characters
from .match import WordCoder
from .model import Paragraph, TextChange

RECORD_KINDS = ("statements", "codes", "metadata", "history", "references", "related_policies")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ClassDef(_Strict):
    name: str
    title: str
    substantive: bool
    description: str


class HeadingRule(_Strict):
    pattern: Regex
    cls: str = Field(alias="class")


class SectionRules(_Strict):
    headings: list[HeadingRule]
    kinds: dict[SectionKind, str]  # a section kind the models do not know is rejected at load
    default: str


class EditorialRules(_Strict):
    cls: str = Field(alias="class")
    spelling_max_edits: int = Field(ge=0, le=3)
    spelling_min_length: int = Field(ge=1)
    spelling_same_first_letter: bool


class AdministrativeRules(_Strict):
    cls: str = Field(alias="class")
    not_in: list[str]
    patterns: list[Regex]
    label_words: list[str]


class NoiseRules(_Strict):
    doc: str = Field(alias="_doc")
    hints: list[str]
    lines: list[Regex]


class ClassRules(_Strict):
    doc: str = Field(alias="_doc")
    classes: list[ClassDef]
    records: dict[str, str]
    sections: SectionRules
    editorial: EditorialRules
    administrative: AdministrativeRules
    noise: NoiseRules

    @model_validator(mode="after")
    def _consistent(self) -> "ClassRules":
        names = [c.name for c in self.classes]
        if len(set(names)) != len(names):
            raise ValueError("class names must be unique")
        if set(self.records) != set(RECORD_KINDS):
            raise ValueError(f"records must name exactly {', '.join(RECORD_KINDS)}")
        used = [*self.records.values(), *self.sections.kinds.values(), self.sections.default,
                *(h.cls for h in self.sections.headings), self.editorial.cls, self.administrative.cls,
                *self.administrative.not_in]
        unknown = sorted(set(used) - set(names))
        if unknown:
            raise ValueError(f"unknown class(es): {', '.join(unknown)}")
        return self

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.classes]

    @cached_property
    def substantive(self) -> frozenset[str]:
        return frozenset(c.name for c in self.classes if c.substantive)

    @cached_property
    def titles(self) -> dict[str, str]:
        return {c.name: c.title for c in self.classes}

    @cached_property
    def noise_line(self) -> re.Pattern:
        """A line that is never a change (noise.lines, any of them, the whole line)."""
        return re.compile("|".join(f"(?:{p})" for p in self.noise.lines), re.IGNORECASE)

    def first(self, classes: Iterable[str]) -> str:
        """Of several classes, the one that comes first in the table."""
        order = {n: i for i, n in enumerate(self.names)}
        return min(classes, key=order.__getitem__)


@lru_cache(maxsize=1)
def load_rules() -> ClassRules:
    """The validated rules of the package's rules/classes.json."""
    return parse_rules(resources.files(__package__).joinpath("rules/classes.json").read_text("utf-8"))


def parse_rules(text: str) -> ClassRules:
    """Rules from JSON text; a broken rules file is a packaging error, reported in one line."""
    try:
        return ClassRules.model_validate(json.loads(text))
    except (ValidationError, ValueError) as exc:
        detail = " ".join(str(exc).split())
        raise MedpolicyError(f"invalid change-class rules (rules/classes.json): {detail[:300]}") from exc


# Words for the editorial comparison: numbers keep their inner punctuation ("10.5" is not "105")
# and comparison signs are words ("≥ 18" is not "< 18"); other punctuation is not compared.
# Every administrative pattern needs a digit, "@", a web address or a copyright sign, unless the
# line is short enough to be a letterhead line of names only: a cheap test that spares the
# patterns most paragraphs (they are many, and the joined patterns are slow to search).
_ENTITY_HINT = re.compile(r"[\d@©]|www\.|://|copyright", re.IGNORECASE)
LETTERHEAD_MAX_WORDS = 12


def _may_be_administrative(text: str) -> bool:
    return bool(_ENTITY_HINT.search(text)) or len(text.split()) <= LETTERHEAD_MAX_WORDS


_DASHES = str.maketrans({c: "-" for c in "\u2012\u2013\u2014\u2015\u2212"})
_EDITORIAL_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+|[<>≤≥=±%+×$€£]")


class Classifier:
    """Classes the changes of one pair of editions."""

    def __init__(self, old: Policy, new: Policy, rules: ClassRules | None = None):
        self.rules = rules or load_rules()
        self._admin = re.compile("|".join(f"(?:{p})" for p in self.rules.administrative.patterns), re.IGNORECASE)
        payer_words = {w for p in (old.payer, new.payer) if p for w in self._words(p)}
        self._labels = frozenset(self.rules.administrative.label_words)
        self._admin_words = self._labels | payer_words
        self._headings = [(re.compile(h.pattern, re.IGNORECASE), h.cls) for h in self.rules.sections.headings]
        self._coder = WordCoder()
        self._section_classes: dict[tuple[str | None, str], str] = {}

    # -- records -------------------------------------------------------------------------------

    def record(self, kind: str) -> str:
        """The class of an added, removed or modified record of this kind."""
        return self.rules.records[kind]

    def modified(self, kind: str, old_text: str, new_text: str) -> str:
        """A modified record: editorial when its wording changed only editorially."""
        return self.rules.editorial.cls if self.editorial_only(old_text, new_text) else self.record(kind)

    # -- full text -------------------------------------------------------------------------------

    def text(self, change: TextChange, old: list[Paragraph], new: list[Paragraph]) -> str:
        """A full-text change: editorial, administrative, or the class of its section(s)."""
        old_text = "\n".join(p.raw for p in old)
        new_text = "\n".join(p.raw for p in new)
        sides = [self.section(p) for p in (*old[:1], *new[:1])]
        by_section = sides[0] if len(sides) == 1 or sides[0] == sides[1] else self.rules.first(sides)
        admin = by_section not in self.rules.administrative.not_in
        if old and new and old_text and new_text and change.redline:
            if self.editorial_only(old_text, new_text):
                return self.rules.editorial.cls
            changed = " ".join(seg.text for seg in change.redline if seg.op != "equal")
            short = len(old_text.split()) <= LETTERHEAD_MAX_WORDS and len(new_text.split()) <= LETTERHEAD_MAX_WORDS
            if admin and (short or _ENTITY_HINT.search(changed)) and self.administrative_only(old_text, new_text):
                return self.rules.administrative.cls
        elif admin and change.op in ("added", "removed") and _may_be_administrative(old_text or new_text) \
                and self.is_administrative(old_text or new_text):
            return self.rules.administrative.cls
        return by_section

    def section(self, para: Paragraph) -> str:
        """The class of a paragraph's section: by its heading, else its kind (cached: an
        edition has few sections and many paragraphs)."""
        key = (para.section, para.kind)
        cls = self._section_classes.get(key)
        if cls is None:
            heading = para.section or ""
            cls = next((c for pattern, c in self._headings if pattern.search(heading)),
                       self.rules.sections.kinds.get(para.kind, self.rules.sections.default))
            self._section_classes[key] = cls
        return cls

    # -- the tests -----------------------------------------------------------------------------

    @staticmethod
    def _words(text: str) -> list[str]:
        return _EDITORIAL_TOKEN.findall(text_key(text).casefold())

    def editorial_only(self, old: str, new: str) -> bool:
        """Whether two wordings differ only by case, punctuation, whitespace, words joined or
        split, or small spelling edits (rules.editorial)."""
        a, b = self._words(old), self._words(new)
        if a == b:
            return True
        rules = self.rules.editorial
        ca, cb = self._coder.encode(a), self._coder.encode(b)
        blocks: list[list[list[str]]] = []  # [old words, new words] of each run of differences
        last_equal = True
        for op in Levenshtein.opcodes(ca, cb):
            if op.tag == "equal":
                last_equal = True
                continue
            if last_equal:
                blocks.append([[], []])
            blocks[-1][0] += a[op.src_start:op.src_end]
            blocks[-1][1] += b[op.dest_start:op.dest_end]
            last_equal = False
        for olds, news in blocks:
            if "".join(olds) == "".join(news):  # "health care" / "healthcare" / "follow-up"
                continue
            if len(olds) != len(news) or not all(self._respelled(x, y, rules) for x, y in zip(olds, news)):
                return False
        return True

    @staticmethod
    def _respelled(x: str, y: str, rules: EditorialRules) -> bool:
        if not (x.isalpha() and y.isalpha()) or min(len(x), len(y)) < rules.spelling_min_length:
            return False
        if rules.spelling_same_first_letter and x[0] != y[0]:
            return False
        return OSA.distance(x, y, score_cutoff=rules.spelling_max_edits) <= rules.spelling_max_edits

    def _strip_admin(self, text: str) -> tuple[list[str], bool]:
        """The words left once dates, contacts and addresses are taken out; whether any were.
        The patterns read the text as displayed (a key would join "1-800-624-5060" into one
        number)."""
        display = " ".join(unify_characters(clean_markup(text)).translate(_DASHES).split())
        stripped, n = self._admin.subn(" ", display)
        return self._words(stripped), bool(n)

    def administrative_only(self, old: str, new: str) -> bool:
        """Two wordings whose differences are only administrative: the same once dates,
        contacts and addresses are taken out, or both nothing but such details."""
        a, found_a = self._strip_admin(old)
        b, found_b = self._strip_admin(new)
        if (found_a or found_b) and a == b:
            return True
        return self.is_administrative(old) and self.is_administrative(new)

    def is_administrative(self, text: str) -> bool:
        """A paragraph that is only dates, contacts, addresses, label words and payer names."""
        rest, found = self._strip_admin(text)
        words = [w for w in rest if w.isalpha()]
        named = any(w in self._admin_words and w not in self._labels for w in words)
        return (found or named) and len(words) == len(rest) and all(w in self._admin_words for w in words)
