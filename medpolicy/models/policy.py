"""The Policy aggregate: one parsed edition of one policy."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Record
from .code import Code
from .history import HistoryEntry
from .reference import Reference
from .related import RelatedPolicy
from .section import Section
from .statement import Statement

SCHEMA_VERSION = "1.0"

DATE_KEYS = (
    "effective",
    "original_effective",
    "last_revised",
    "last_review",
    "next_review",
    "published",
    "issued",
    "approved",
)


class PolicyDates(Record):
    """Dates from the document's labelled fields, ISO 8601 or `YYYY-MM`."""

    effective: str | None = None
    original_effective: str | None = None
    last_revised: str | None = None
    last_review: str | None = None
    next_review: str | None = None
    published: str | None = None
    issued: str | None = None
    approved: str | None = None


class SourceInfo(Record):
    path: str
    sha256: str
    format: Literal["pdf", "html", "text"]
    pages: int | None = None
    size: int | None = None


class Policy(Record):
    schema_version: str = SCHEMA_VERSION
    policy_id: str | None = None
    title: str | None = None
    payer: str | None = None
    dates: PolicyDates = Field(default_factory=PolicyDates)
    related_policies: list[RelatedPolicy] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    codes: list[Code] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    source: SourceInfo
    warnings: list[str] = Field(default_factory=list)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> "Policy":
        return cls.model_validate_json(data)

    @property
    def effective(self) -> str | None:
        """The edition's effective date, with fallbacks used to order editions."""
        d = self.dates
        return d.effective or d.issued or d.published or d.last_revised or d.last_review or d.approved
