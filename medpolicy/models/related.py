"""Other policies this one points to."""
from __future__ import annotations

import re

from .base import Provenance, Record

_ID_NOISE = re.compile(r"[\s#]+")


class RelatedPolicy(Record):
    policy_id: str
    title: str | None = None
    provenance: Provenance | None = None

    def identity(self) -> str:
        """The policy id upper-cased without spaces or "#": "MP 7.010", "mp-7.010" and
        "#MP-7.010" name one policy. Its title is only a label that editions word differently."""
        return policy_id_key(self.policy_id)


def policy_id_key(value: str | None) -> str:
    """A policy id as compared: upper case, no spaces or "#" (also used for a policy's own id)."""
    return _ID_NOISE.sub("", value or "").upper()
