"""Other policies this one points to."""
from __future__ import annotations

import re

from .base import Provenance, Record


class RelatedPolicy(Record):
    """Another policy, by its number, or by its title alone where the document prints no number
    ("Genetic Testing and Counseling"). Identity: the number (case, spaces and '#' ignored),
    else the title (case and spacing ignored)."""

    policy_id: str | None = None
    title: str | None = None
    provenance: Provenance | None = None

    def key(self) -> str:
        if self.policy_id:
            return re.sub(r"[\s#]+", "", self.policy_id).upper()
        return "title:" + " ".join((self.title or "").lower().split())
