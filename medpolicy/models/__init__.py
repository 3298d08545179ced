"""pydantic v2 records; `Policy.model_json_schema()` is the public contract."""
from .base import Provenance, Record
from .code import Code, CodeSystem
from .history import HistoryEntry
from .policy import DATE_KEYS, SCHEMA_VERSION, Policy, PolicyDates, SourceInfo
from .reference import Reference
from .related import RelatedPolicy
from .section import Section, SectionKind
from .statement import Position, Statement

__all__ = [
    "Code", "CodeSystem", "DATE_KEYS", "HistoryEntry", "Policy", "PolicyDates", "Position",
    "Provenance", "Record", "Reference", "RelatedPolicy", "SCHEMA_VERSION", "Section", "SectionKind",
    "SourceInfo", "Statement",
]
