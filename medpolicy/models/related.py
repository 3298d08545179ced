"""Other policies this one points to."""
from __future__ import annotations

from .base import Provenance, Record


class RelatedPolicy(Record):
    policy_id: str
    title: str | None = None
    provenance: Provenance | None = None
