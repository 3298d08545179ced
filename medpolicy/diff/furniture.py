"""Lines of an edition's text that are not its content: running headers and banners that only
repeat its identity, page labels, print and download stamps (rules/classes.json, `noise`)."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from ..models import Policy
from ..textnorm import PAGE_LABEL, normalize_lines
from .classes import load_rules

# Words of a running header or a metadata line besides the policy's own id, title and payer.
_LABEL_WORDS = frozenset("""policy policies number no no. # id page of medical clinical coverage payment
reimbursement guideline guidelines bulletin subject | : - – — effective date""".split())
HEADER_MAX_WORDS = 12
# No furniture line is longer than this (a title, an id, a payer, a dozen words and a page label).
FURNITURE_MAX_CHARS = 400


class Furniture:
    """Recognises lines that only repeat the edition's identity: a running page header that
    survived extraction ("Plan | Title | Policy Number: X-1"), a banner. They duplicate fields the
    metadata diff compares, and a PDF repeats them on every page while its text edition has them
    once, so they are left out of the text comparison on both sides."""

    def __init__(self, policy: Policy):
        self.id = _loose(policy.policy_id)
        self.names = sorted({n for n in (_loose(policy.title), _loose(policy.payer), self.id) if n}, key=len, reverse=True)

    def lines(self, keys: list[str], raws: list[str] | None = None) -> set[int]:
        """Indices of the keys that are furniture: lines that only name the policy, and short
        lines printed with a page label ("Northwind Health Plan      Page 2 of 14", whose key has
        lost the label). One search over all lines joined finds the few candidates; only those
        are looked at closely."""
        if not keys:
            return set()
        # furniture is short: only short lines are searched (most of a policy's lines are not)
        short = [i for i, k in enumerate(keys) if len(k) <= FURNITURE_MAX_CHARS]
        found: set[int] = set()
        if self.names:
            found = {short[i] for i in _Lines([keys[i] for i in short]).holding(self.names)
                     if self._is_furniture(keys[short[i]])}
        if raws is not None:
            printed, rules = _Lines([raws[i] for i in short]), load_rules()
            found |= {short[i] for i in printed.holding(("page",))
                      if PAGE_LABEL.search(raws[short[i]]) and len(keys[short[i]].split()) <= HEADER_MAX_WORDS}
            found |= {short[i] for i in printed.holding(rules.noise.hints)
                      if rules.noise_line.fullmatch(" ".join(raws[short[i]].split()))}
        return found

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


class _Lines:
    """Lines joined once, case aside, to find which hold a word: str.find over them all, in C,
    is far faster than a case-blind regular expression per line."""

    def __init__(self, lines: list[str]):
        self.low = "\n".join(lines).casefold()
        self.starts = list(accumulate((len(line) + 1 for line in self.low.split("\n")), initial=0))

    def holding(self, needles) -> set[int]:
        """Indices of the lines holding one of the (lower-case) needles."""
        out: set[int] = set()
        for needle in needles:
            at = self.low.find(needle)
            while at >= 0:
                line = bisect_right(self.starts, at) - 1
                out.add(line)
                at = self.low.find(needle, self.starts[line + 1])  # the next line, at least
        return out


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
