"""Shared pieces of every record: strict config and provenance."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base of all records: unknown fields are an error, so the JSON contract stays closed."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Provenance(Record):
    """Where a record came from: 1-based page (None for unpaged text) and the character span
    in the document's cleaned text. Provenance never takes part in equality for diffing."""

    page: int | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
