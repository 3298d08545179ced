"""Lines of an edition's text that only repeat its identity: running headers and banners."""
from __future__ import annotations

import re

from ..models import Policy
from ..textnorm import normalize_lines

# Words of a running header or a metadata line besides the policy's own id, title and payer.
_LABEL_WORDS = frozenset("""policy policies number no no. # id page of medical clinical coverage payment
reimbursement guideline guidelines bulletin subject | : - – — effective date""".split())
HEADER_MAX_WORDS = 12


class Furniture:
    """Recognises lines that only repeat the edition's identity: a running page header that
    survived extraction ("Plan | Title | Policy Number: X-1"), a banner. They duplicate fields the
    metadata diff compares, and a PDF repeats them on every page while its text edition has them
    once, so they are left out of the text comparison on both sides."""

    def __init__(self, policy: Policy):
        self.id = _loose(policy.policy_id)
        self.names = sorted({n for n in (_loose(policy.title), _loose(policy.payer), self.id) if n}, key=len, reverse=True)
        # one search in C per paragraph; the few that name the policy are looked at closely
        self.any_name = re.compile("|".join(re.escape(n) for n in self.names), re.IGNORECASE) if self.names else None

    def __call__(self, key: str) -> bool:
        if self.any_name is None or not self.any_name.search(key):
            return False
        low = key.casefold()
        if low in self.names:
            return True
        named = [n for n in self.names if n in low and _has_word(low, n)]
        if not named:
            return False
        for name in named:
            low = low.replace(name, " ")
        rest = [w for w in (w.strip(".:|-#,;()") for w in low.split()) if w and w not in _LABEL_WORDS]
        # "Medical Policy: <title>" is a banner; with the policy's own id a line may also carry a
        # few other words (the title when the record has none, a date label)
        return not rest or (self.id in named and len(rest) <= HEADER_MAX_WORDS)


def _loose(text: str | None) -> str:
    return " ".join(normalize_lines([text], strip_markers=False)[0].casefold().split()) if text else ""


def _has_word(text: str, word: str) -> bool:
    i = text.find(word)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + len(word)] if i + len(word) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        i = text.find(word, i + 1)
    return False
