"""Lines of an edition's text that only repeat its identity: running headers and banners."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

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

    def lines(self, keys: list[str]) -> set[int]:
        """Indices of the keys that are furniture. One search over all keys joined finds the
        few that name the policy; only those are looked at closely."""
        if not self.names or not keys:
            return set()
        low = "\n".join(keys).casefold()  # str.find in C: far faster than a case-blind regex
        starts = list(accumulate((len(line) + 1 for line in low.split("\n")), initial=0))
        named: set[int] = set()
        for name in self.names:
            at = low.find(name)
            while at >= 0:
                named.add(bisect_right(starts, at) - 1)
                at = low.find(name, at + 1)
        return {i for i in named if self._is_furniture(keys[i])}

    def _is_furniture(self, key: str) -> bool:
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
