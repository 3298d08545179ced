"""The vocabulary of the parser: every rules file under ingest/rules/, loaded once and validated
by a pydantic model that rejects unknown keys, so a typo in a rules file fails loudly at load
time instead of silently matching nothing.

This module imports only pydantic, the standard library and the record models (a heading rule
names a `SectionKind`): the store and the CLI use the payer names (identity across letterhead
changes) without loading the parsing stack.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ..models.section import SectionKind


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    doc: str = Field("", alias="_doc")


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from exc
    return pattern


Regex = Annotated[str, AfterValidator(_regex)]  # a pattern checked to compile when the rules load


def _load(name: str) -> dict:
    return json.loads(resources.files("medpolicy.ingest").joinpath(f"rules/{name}").read_text("utf-8"))


# -- payers ------------------------------------------------------------------------------------

class Payer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    aliases: tuple[str, ...] = ()
    # aliases that are also common words of policies ("NGS": next-generation sequencing), counted
    # only where a document speaks as the organisation
    ambiguous: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    family: str
    self_only: bool = False
    kind: Literal["payer", "vendor", "contractor"] = "payer"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.ambiguous)


class PayerRules(_Rules):
    payers: tuple[Payer, ...]
    never_payers: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def payer_rules() -> PayerRules:
    return PayerRules.model_validate(_load("payers.json"))


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9&]+", " ", name.lower().replace(" and ", " & ")).strip()


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Payer]:
    out: dict[str, Payer] = {}
    for p in payer_rules().payers:
        for n in p.names:
            out.setdefault(_key(n), p)
    return out


def find_payer(name: str | None) -> Payer | None:
    """The known organisation a printed name (full, short or alias) stands for."""
    if not name:
        return None
    return _by_name().get(_key(name))


def payer_family(name: str | None) -> str | None:
    """The policy library a payer name belongs to (a renamed letterhead, a plan and its parent
    share one); None for a name not in rules/payers.json."""
    p = find_payer(name)
    return p.family if p else None


# -- header fields --------------------------------------------------------------------------------

DateKey = Literal["effective", "original_effective", "last_revised", "last_review", "next_review",
                  "published", "issued", "approved"]


class NumberedSeries(BaseModel):
    """A public series of numbered documents whose number a title carries (Medicare's national
    coverage determinations: "X (NCD 90.2)", "National Coverage Determination (NCD) for X (90.2)")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prefix: str  # printed before the number ("NCD 90.2"), or "" (the number says it all: "L35041")
    # whether the record's policy_id keeps the prefix: Medicare's coverage database lists an NCD
    # by its manual section number alone ("90.2"), as it lists an LCD as "L35041"
    id_keeps_prefix: bool = False
    names: tuple[str, ...]  # the series' document-type names, lower case
    number: str  # a regular expression of the number
    payer: str  # the organisation that issues the series, when a document names none

    @field_validator("number")
    @classmethod
    def _compiles(cls, v: str) -> str:
        re.compile(v)
        return v


class MetadataRules(_Rules):
    """rules/metadata.json: the labels of the header fields, in named groups, and the words that
    name a kind of document or page chrome rather than a policy's title."""

    dates: dict[DateKey, tuple[str, ...]]
    review_either: tuple[str, ...]
    policy_id: tuple[str, ...]
    title: tuple[str, ...]
    other: tuple[str, ...]
    weak: tuple[str, ...]
    type_names: tuple[str, ...]
    not_titles: tuple[str, ...]
    lines_of_business: tuple[str, ...]
    related_leads: tuple[str, ...]
    chrome_starts: tuple[str, ...]
    numbered_series: tuple[NumberedSeries, ...] = ()

    def labels(self) -> dict[str, tuple[str, ...]]:
        """Every label (lower case) and the fields it may name: date keys, "review_either",
        "policy_id", "title", "type" (a document type: "Clinical Policy: X" labels a title,
        "Medical Coverage Policy: 0052" a number) or "" (a field no extractor keeps, which still
        ends the value before it). A label in several groups names each of them ("Policy: X" is
        a number or a title, by what X is)."""
        out: dict[str, tuple[str, ...]] = {}
        groups = [*self.dates.items(), ("review_either", self.review_either), ("policy_id", self.policy_id),
                  ("title", self.title), ("type", self.type_names), ("", self.other)]
        for key, labels in groups:
            for label in labels:
                label = " ".join(label.lower().split())
                if "*" in label:
                    continue  # a pattern of type names ("* management guidelines"), not a label
                if key not in out.get(label, ()):
                    out[label] = (*out.get(label, ()), key)
        return out


@lru_cache(maxsize=1)
def metadata_rules() -> MetadataRules:
    rules = MetadataRules.model_validate(_load("metadata.json"))
    known = set(rules.labels())
    unknown = [w for w in rules.weak if " ".join(w.lower().split()) not in known]
    # a document type is a plain phrase: a label only before a colon (weak) in every case
    if unknown:
        raise ValueError(f"metadata.json: weak labels that are no field's label: {unknown}")
    return rules


# -- kinds of non-policy documents --------------------------------------------------------------

class DocTypeRules(_Rules):
    error_page_max_chars: int
    error_page: tuple[str, ...]
    bulletin_title: tuple[str, ...]
    bulletin_entry: str
    bulletin_min_policies: int
    index_min_entries: int
    index_entry_max_words: int
    index_min_share: float


@lru_cache(maxsize=1)
def doctype_rules() -> DocTypeRules:
    rules = DocTypeRules.model_validate(_load("doctypes.json"))
    for pat in (*rules.error_page, *rules.bulletin_title, rules.bulletin_entry):
        re.compile(pat)  # a broken pattern fails here, at load time
    return rules


# -- page furniture and site chrome -------------------------------------------------------------

class FurnitureRules(_Rules):
    edge_notices: tuple[str, ...]
    chrome_lines: tuple[str, ...]
    chrome_phrases: tuple[str, ...]
    footer_terms: tuple[str, ...]
    menu_terms: tuple[str, ...]
    footer_min_terms: int
    footer_starts: tuple[str, ...]
    repeated_chrome_min_words: int
    repeated_chrome_min_times: int


@lru_cache(maxsize=1)
def furniture_rules() -> FurnitureRules:
    rules = FurnitureRules.model_validate(_load("furniture.json"))
    for pat in (*rules.edge_notices, *rules.chrome_lines, *rules.chrome_phrases, *rules.footer_terms,
                *rules.menu_terms, *rules.footer_starts):
        re.compile(pat)
    return rules


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    doc: str = Field("", alias="_doc")


# -- section headings ------------------------------------------------------------------------------

class HeadingRuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: SectionKind  # a kind the model does not know is rejected here, at load time
    level: int = Field(ge=1)
    patterns: tuple[Regex, ...] = Field(min_length=1)


class SectionRules(_Rules):
    """rules/headings.json: which headings name which kind of section (see sections.py)."""

    rules: tuple[HeadingRuleSpec, ...]


@lru_cache(maxsize=1)
def section_rules() -> SectionRules:
    return SectionRules.model_validate(_load("headings.json"))


# -- the text's own marks: bullets, enumerators, empty values ------------------------------------

def _sign(mark: str) -> str:
    if len(mark) != 1 or mark.isalnum() or mark.isspace():
        raise ValueError(f"{mark!r}: a sign is one character, not a letter, digit or space")
    return mark


def _letter(mark: str) -> str:
    if len(mark) != 1 or not mark.isalpha():
        raise ValueError(f"{mark!r}: a letter is one letter")
    return mark


Sign = Annotated[str, AfterValidator(_sign)]  # one printed sign: '•', '-', '('
Letter = Annotated[str, AfterValidator(_letter)]


class BulletMarks(_Part):
    glyphs: tuple[Sign, ...]
    glued: tuple[Sign, ...]
    letters: tuple[Letter, ...]
    private_use: dict[str, Sign]

    @field_validator("private_use")
    @classmethod
    def _code_points(cls, marks: dict[str, str]) -> dict[str, str]:
        bad = [k for k in marks if not re.fullmatch(r"[0-9A-F]{4}", k) or not 0xE000 <= int(k, 16) <= 0xF8FF]
        if bad:
            raise ValueError(f"private-use bullets must be code points U+E000..U+F8FF in hex: {bad}")
        return marks

    @model_validator(mode="after")
    def _marks_are_glyphs(self) -> BulletMarks:
        for what, marks in (("glued bullets", self.glued), ("private-use bullets", self.private_use.values())):
            if not set(marks) <= set(self.glyphs):
                raise ValueError(f"{what} that are no glyph: {sorted(set(marks) - set(self.glyphs))}")
        return self

    def private_use_for(self, glyphs: tuple[str, ...]) -> tuple[str, ...]:
        """The private-use characters that stand for one of `glyphs`."""
        return tuple(chr(int(k, 16)) for k, v in self.private_use.items() if v in glyphs)


class EnumeratorMarks(_Part):
    opening: tuple[Sign, ...]
    closing: tuple[Sign, ...]
    max_digits: int = Field(gt=0)
    heading_words: tuple[str, ...]


class EmptyValues(_Part):
    words: frozenset[str]

    @field_validator("words")
    @classmethod
    def _compared_form(cls, words: frozenset[str]) -> frozenset[str]:
        bad = [w for w in words if w != empty_value_key(w) or not w]
        if bad:  # written as they are compared, or they would never match
            raise ValueError(f"empty values must be lower case, single-spaced, without end punctuation: {bad}")
        return words


def empty_value_key(text: str) -> str:
    """The form a printed value is compared in against the empty values."""
    return " ".join(text.lower().split()).strip(" .,;:")


class LexiconRules(_Rules):
    """rules/lexicon.json: the marks every reader of the text shares (see lexicon.py)."""

    bullets: BulletMarks
    enumerators: EnumeratorMarks
    empty_values: EmptyValues


@lru_cache(maxsize=1)
def lexicon_rules() -> LexiconRules:
    return LexiconRules.model_validate(_load("lexicon.json"))


# -- lists: revision-history tables and reference lists -------------------------------------------


class HistoryColumns(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: tuple[str, ...]
    summary: tuple[str, ...]
    lead: tuple[str, ...]
    number: tuple[str, ...]


class HistoryRules(_Part):
    header_words: frozenset[str]
    header_core: frozenset[str]
    columns: HistoryColumns
    empty_cells: frozenset[str]
    date_taking_words: frozenset[str]


class ReferenceRules(_Part):
    tail_words: frozenset[str]
    author_particles: tuple[str, ...]
    note_lines: tuple[str, ...]
    empty_entry: str
    title_small_words: frozenset[str]
    trailer_max_words: int
    group_author_words: frozenset[str]
    after_list: tuple[str, ...]
    list_end: tuple[str, ...] = ()


class ListRules(_Rules):
    furniture: tuple[str, ...]
    history: HistoryRules
    references: ReferenceRules


@lru_cache(maxsize=1)
def list_rules() -> ListRules:
    rules = ListRules.model_validate(_load("lists.json"))
    for pat in (*rules.furniture, *rules.references.note_lines, rules.references.empty_entry,
                *rules.references.after_list, *rules.references.list_end):
        re.compile(pat)  # a broken pattern fails here, at load time
    return rules


def history_rules() -> HistoryRules:
    return list_rules().history


def reference_rules() -> ReferenceRules:
    return list_rules().references


# -- code lists -----------------------------------------------------------------------------------

class SystemLabel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    system: Literal["CPT", "HCPCS", "ICD-10-CM", "ICD-10-PCS", "ICD-10", "ANY"]
    pattern: str


class HistoryHeader(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    words: tuple[str, ...]
    needs_one_of: tuple[str, ...]
    needs: str


class CodeRules(_Rules):
    non_system_labels: tuple[str, ...]
    system_labels: tuple[SystemLabel, ...]
    generic_label_max_words: int
    generic_label: str
    code_column: str
    inline_labels: tuple[str, ...]
    header_words: tuple[str, ...]
    mention_words: tuple[str, ...]
    prose_followers: tuple[str, ...]
    no_code: tuple[str, ...]
    status_values: tuple[str, ...]
    history_header: HistoryHeader


@lru_cache(maxsize=1)
def code_rules() -> CodeRules:
    rules = CodeRules.model_validate(_load("codes.json"))
    for pat in (*rules.non_system_labels, *(s.pattern for s in rules.system_labels), rules.generic_label,
                rules.code_column, *rules.inline_labels, *rules.no_code, *rules.status_values):
        re.compile(pat)  # a broken pattern fails here, at load time
    return rules


# -- coverage positions and criteria ------------------------------------------------------------

_POSITIONS = ("investigational", "not_medically_necessary", "medically_necessary", "not_covered", "covered")


# one word of a position phrase: a word, a choice "(a|b)", optional with "?", or "~N" (any N words)
_PHRASE_WORD = re.compile(r"~\d+|(?:\([^()\s|]+(?:\|[^()\s|]+)+\)|\([^()\s|]+\)|[^()\s~]+)\??")


class PositionPhrases(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    position: Literal["investigational", "not_medically_necessary", "medically_necessary", "not_covered", "covered"]
    phrases: tuple[str, ...]

    @field_validator("phrases")
    @classmethod
    def _words(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        for phrase in phrases:
            bad = [w for w in phrase.split() if not _PHRASE_WORD.fullmatch(w)]
            if bad:
                raise ValueError(f"phrase {phrase!r}: cannot read {bad}")
        return phrases


class PositionRules(_Rules):
    """rules/positions.json: the predicates that give a sentence its coverage position, and the
    words that say how a statement and its criteria are laid out (see the file's `_doc`)."""

    positions: tuple[PositionPhrases, ...]
    subject_verbs: frozenset[str]
    attributive_words: frozenset[str]
    lead_labels: tuple[str, ...]
    subordinators: tuple[str, ...]
    continuation_words: frozenset[str]
    abbreviations: frozenset[str]
    marks: tuple[str, ...]
    connectors: frozenset[str]
    criteria_references: tuple[str, ...]
    appendix_headings: tuple[str, ...]
    criteria_headings: tuple[str, ...]


@lru_cache(maxsize=1)
def position_rules() -> PositionRules:
    rules = PositionRules.model_validate(_load("positions.json"))
    if {p.position for p in rules.positions} != set(_POSITIONS):
        raise ValueError("positions.json: every position needs its phrases, once")
    for pat in (*rules.criteria_references, *rules.criteria_headings, *rules.appendix_headings):
        re.compile(pat)  # a broken pattern fails here, at load time
    return rules


@lru_cache(maxsize=1)
def position_keywords() -> frozenset[str]:
    """A word every match of some position phrase needs (of each phrase, its rarest required
    word): a text without any of them states no position."""
    rules = position_rules()
    common = rules.subject_verbs | rules.continuation_words

    def rarity(options: list[str]) -> tuple[bool, int]:
        return (not any(o in common for o in options), min(map(len, options)))

    keys: set[str] = set()
    for entry in rules.positions:
        for phrase in entry.phrases:
            required = [w for w in phrase.split() if not w.endswith("?") and not w.startswith("~")
                        and re.search(r"[a-z]", w)]
            keys.update(max((w.strip("()").split("|") for w in required), key=rarity))
    return frozenset(keys)
