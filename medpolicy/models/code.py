"""Billing and diagnosis codes."""
from __future__ import annotations

from enum import Enum

from .base import Provenance, Record


class CodeSystem(str, Enum):
    CPT = "CPT"
    HCPCS = "HCPCS"
    ICD10_CM = "ICD-10-CM"
    ICD10_PCS = "ICD-10-PCS"


class Code(Record):
    """A code or a range (`code`..`code_end`). Identity: (system, code)."""

    system: CodeSystem
    code: str
    code_end: str | None = None
    description: str | None = None
    provenance: Provenance | None = None

    def key(self) -> tuple[str, str]:
        return (self.system.value, self.code)
