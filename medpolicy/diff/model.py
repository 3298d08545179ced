"""The diff's records: `PolicyDiff` and its parts. Their JSON is the `diff --format json` contract.

Every record kind has `added`, `removed` and `modified` lists; a modification holds both sides
(`old`, `new`) as the editions' own records, so a report can point at the source page. Every
change has a class (rules/classes.json): a modification and a text change carry it as `class`;
an added or removed record has its kind's class; `changes` lists every change with its class,
in report order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ..models import Code, HistoryEntry, Reference, RelatedPolicy, Statement


class DiffRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def class_field():
    """The change's class (`class` in JSON; a Python keyword, hence the attribute name)."""
    return Field(default="", alias="class")


class Segment(DiffRecord):
    """A run of words in a redline: kept (`equal`), only in the old text, or only in the new."""

    op: Literal["equal", "delete", "insert"]
    text: str


class Edition(DiffRecord):
    """Which edition a side of the diff is: its file, or its store commit."""

    path: str | None = None
    format: str | None = None
    sha256: str | None = None
    commit: str | None = None
    policy_id: str | None = None
    title: str | None = None
    effective: str | None = None


class FieldChange(DiffRecord):
    field: str  # policy_id, title, payer, dates.<key>
    old: str | None
    new: str | None
    change_class: str = class_field()


class CriterionChange(DiffRecord):
    old: str
    new: str
    redline: list[Segment]


class CriteriaDiff(DiffRecord):
    """A statement's criteria items compared: paired by their wording (list numbering aside),
    then by similarity; what is left is added or removed."""

    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    modified: list[CriterionChange] = Field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.modified)


class StatementChange(DiffRecord):
    """One statement in both editions (the same lead, or a reworded one). `lead_changed`: its
    lead sentence differs; `criteria`: what happened to its criteria items."""

    old: Statement
    new: Statement
    similarity: float
    position_changed: bool  # e.g. investigational -> medically_necessary
    lead_changed: bool = False
    criteria: CriteriaDiff = Field(default_factory=CriteriaDiff)
    redline: list[Segment]
    change_class: str = class_field()


class StatementSplit(DiffRecord):
    """One old statement printed as several in the new edition."""

    old: Statement
    new: list[Statement]
    change_class: str = class_field()


class StatementMerge(DiffRecord):
    """Several old statements joined into one in the new edition."""

    old: list[Statement]
    new: Statement
    change_class: str = class_field()


class StatementDiff(DiffRecord):
    """`modified`: statements whose wording, criteria or position changed; `editorial`: those
    whose wording changed only editorially (case, punctuation, spelling), which are reported
    but are not modifications."""

    added: list[Statement] = Field(default_factory=list)
    removed: list[Statement] = Field(default_factory=list)
    modified: list[StatementChange] = Field(default_factory=list)
    split: list[StatementSplit] = Field(default_factory=list)
    merged: list[StatementMerge] = Field(default_factory=list)
    editorial: list[StatementChange] = Field(default_factory=list)
    unchanged: int = 0


class CodeChange(DiffRecord):
    """`system` and `code` name the code in the new edition; `changes` says what differs."""

    system: str
    code: str
    changes: list[Literal["system", "description", "range"]]
    old: Code
    new: Code
    change_class: str = class_field()


class CodeDiff(DiffRecord):
    added: list[Code] = Field(default_factory=list)
    removed: list[Code] = Field(default_factory=list)
    modified: list[CodeChange] = Field(default_factory=list)
    unchanged: int = 0


class HistoryChange(DiffRecord):
    old: HistoryEntry
    new: HistoryEntry
    redline: list[Segment]
    change_class: str = class_field()


class HistoryDiff(DiffRecord):
    """`editorial`: rows whose summary changed only editorially (not modifications)."""

    added: list[HistoryEntry] = Field(default_factory=list)
    removed: list[HistoryEntry] = Field(default_factory=list)
    modified: list[HistoryChange] = Field(default_factory=list)
    editorial: list[HistoryChange] = Field(default_factory=list)
    unchanged: int = 0


class ReferenceChange(DiffRecord):
    """`matched_by` names the identity that paired the two (`undated`: the same text but for its
    dates; `unnumbered`: but for its dates and numbers; `similar`: wording alone);
    `changes` says what differs: access_date, text, pmid, doi, url."""

    matched_by: Literal["pmid", "doi", "url", "text", "undated", "unnumbered", "similar"]
    changes: list[str]
    old: Reference
    new: Reference
    redline: list[Segment]
    change_class: str = class_field()


class ReferenceDiff(DiffRecord):
    """`renumbered` counts references whose only difference is their number in the list:
    not a modification. `editorial`: references whose text changed only editorially (case,
    punctuation, spelling), reported apart from modifications."""

    added: list[Reference] = Field(default_factory=list)
    removed: list[Reference] = Field(default_factory=list)
    modified: list[ReferenceChange] = Field(default_factory=list)
    editorial: list[ReferenceChange] = Field(default_factory=list)
    renumbered: int = 0
    unchanged: int = 0


class RelatedChange(DiffRecord):
    policy_id: str
    old: RelatedPolicy
    new: RelatedPolicy
    change_class: str = class_field()


class RelatedDiff(DiffRecord):
    added: list[RelatedPolicy] = Field(default_factory=list)
    removed: list[RelatedPolicy] = Field(default_factory=list)
    modified: list[RelatedChange] = Field(default_factory=list)


class TextChange(DiffRecord):
    """One change in the full text. `old_index`/`new_index` are paragraph numbers (0-based, over
    all sections, headings included); a `moved` change has both, and a redline when the moved
    paragraph was also edited."""

    id: str
    op: Literal["added", "removed", "modified", "moved"]
    old_section: str | None = None
    new_section: str | None = None
    old_text: str | None = None
    new_text: str | None = None
    old_index: int | None = None
    new_index: int | None = None
    redline: list[Segment] = Field(default_factory=list)
    change_class: str = class_field()


class SectionDiff(DiffRecord):
    added: list[TextChange] = Field(default_factory=list)
    removed: list[TextChange] = Field(default_factory=list)
    modified: list[TextChange] = Field(default_factory=list)
    moved: list[TextChange] = Field(default_factory=list)


class Finding(DiffRecord):
    """A place where the new edition's own history contradicts the diff. Kinds:

    - `history_claim_mismatch`: a new history row says the policy (coverage) statements did not
      change, or that coverage positions did not change, but they did.
    - `history_claim_codes_not_found`: a new history row says codes were added or removed (naming
      them or not) but the diff finds no such code added or removed.
    - `history_claim_references_not_found`: a new history row says references were added or
      removed but the diff finds none added or removed.
    """

    kind: Literal["history_claim_mismatch", "history_claim_codes_not_found",
                  "history_claim_references_not_found"]
    message: str
    claim: str
    evidence: str  # the words of the history row that make the claim
    history: HistoryEntry
    codes: list[str] = Field(default_factory=list)  # named codes the diff did not find


class Summary(DiffRecord):
    """`substantive`: some change is of a substantive class (rules/classes.json: `coverage` or
    `coding`). `classes` counts the changes of each class, every class named."""

    changed: bool
    substantive: bool
    counts: dict[str, dict[str, int]]
    classes: dict[str, int] = Field(default_factory=dict)
    text: str


class ChangeEntry(DiffRecord):
    """One change in report order: `id` is its anchor in the HTML report, `kind` the record
    kind (or `sections` for the full text), `label` one line naming it (whole for codes,
    history rows, references and fields; cut for statements and text, whose whole wording is
    in their change record)."""

    id: str
    kind: str
    op: str
    change_class: str = class_field()
    label: str


@dataclass(slots=True)
class Paragraph:
    """One paragraph (or heading) of an edition's full text; `text` is what reports show."""

    raw: str
    section: str | None
    heading: bool
    kind: str = "other"  # the kind of the section it is in (ingest's heading rules)
    key: str = ""  # its comparison key (textnorm)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        if self._text is None:  # computed when shown: most paragraphs of a diff never are
            from .redline import display_text

            self._text = display_text(self.raw)
        return self._text


@dataclass(slots=True)
class Row:
    """One row of the side-by-side redline. op: equal, modified, added, removed, moved_from
    (old side; its text is shown at the new place) or moved_to."""

    op: str
    old: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    change_id: str | None = None
    segments: list[Segment] | None = None


@dataclass
class Alignment:
    """The whole text of both editions, aligned row by row (kept out of the JSON: it repeats
    every unchanged paragraph)."""

    old: list[Paragraph]
    new: list[Paragraph]
    rows: list[Row]


class PolicyDiff(DiffRecord):
    old: Edition
    new: Edition
    metadata: list[FieldChange] = Field(default_factory=list)
    statements: StatementDiff = Field(default_factory=StatementDiff)
    codes: CodeDiff = Field(default_factory=CodeDiff)
    history: HistoryDiff = Field(default_factory=HistoryDiff)
    references: ReferenceDiff = Field(default_factory=ReferenceDiff)
    related_policies: RelatedDiff = Field(default_factory=RelatedDiff)
    sections: SectionDiff = Field(default_factory=SectionDiff)
    summary: Summary
    changes: list[ChangeEntry] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # e.g. the two editions are different policies
    _alignment: Alignment | None = PrivateAttr(default=None)

    @property
    def alignment(self) -> Alignment | None:
        """The full side-by-side text; None for a diff loaded from JSON."""
        return self._alignment

    @property
    def changed(self) -> bool:
        return self.summary.changed

    def summary_line(self) -> str:
        """One line for humans and commit messages, e.g. "2 statements modified, 1 code added;
        dates.effective changed", or "no changes"."""
        return self.summary.text

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent, by_alias=True)
