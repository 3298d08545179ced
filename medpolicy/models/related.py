"""Other policies this one points to."""
from __future__ import annotations

import re

from ..textnorm import text_key
from .base import Provenance, Record

_ID_NOISE = re.compile(r"[\s#]+")


class RelatedPolicy(Record):
    """Another policy, by its number, or by its title alone where the document prints no number
    ("Genetic Testing and Counseling")."""

    policy_id: str | None = None
    title: str | None = None
    provenance: Provenance | None = None

    def identity(self) -> str:
        """The policy id upper-cased without spaces or "#": "MP 7.010", "mp 7.010" and
        "#MP7.010" name one policy; beside a number the title is only a label that editions word
        differently. An entry printed without a number is its title as a reader sees it (case
        and layout aside), marked so that it never equals a number."""
        if self.policy_id:
            return policy_id_key(self.policy_id)
        return "title:" + text_key(self.title, strip_markers=False).casefold()


def policy_id_key(value: str | None) -> str:
    """A policy id as compared: upper case, no spaces or "#" (also used for a policy's own id)."""
    return _ID_NOISE.sub("", value or "").upper()
