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
    """A code or a range (`code`..`code_end`)."""

    system: CodeSystem
    code: str
    code_end: str | None = None
    description: str | None = None
    provenance: Provenance | None = None

    def identity(self) -> tuple[str, str]:
        """(system, code), the code upper-cased without spaces: the same code in two editions
        whatever its description says, and a range named by its first code, so that a range
        whose end moved is one code edited rather than one removed and one added. The diff pairs
        codes by this, and so does the store's fallback summary."""
        return (self.system.value, self.code.strip().upper())
