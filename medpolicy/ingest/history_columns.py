"""Which column of a revision-history table holds what, read from its header.

A header comes as cells (a PDF or HTML table, TAB-separated text: "Date | Summary of Changes")
or as words only (a PDF text layer or `pdftotext -layout` output: "Status Review Date Effective
Date Action", a header printed one cell per line, or glued: "DateActionDescription"). Either
way the result is one role per column, in printed order:

- `date`: the row's date (the first date column); `date2`: another date column (signature,
  approval or effective dates beside the revision date);
- `summary`: the summary (the first summary-like column); `other`: text read after it;
- `lead`: a status or type column printed before the date ("Revised", "Type of Revision");
- `skip`: a revision number.

The names are vocabulary in rules/history.json.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .vocab import history_rules

DATE_WORDS = ("date", "dates")


@dataclass
class Columns:
    """Column roles read from the last header: one role per header column, in order, and for a
    header read from cells the role of each cell index, so that a data row can be matched to them
    by its filled cells or by position."""

    roles: list[str] = field(default_factory=list)
    raw: dict[int, str] = field(default_factory=dict)
    width: int = 0

    def _first(self, role: str) -> int | None:
        return next((i for i, r in enumerate(self.roles) if r == role), None)

    @property
    def date_last(self) -> bool:
        """The summary is printed before the date ("Type of Revision | Summary of Changes | Date")."""
        d, s = self._first("date"), self._first("summary")
        if d is None:
            return False
        if s is None:
            return len(self.roles) > 1 and self.roles[-1] == "date" and self.roles[0] != "date"
        return d > s

    @property
    def has_lead(self) -> bool:
        """A status or type column comes before the date, and the summary after it."""
        d = self._first("date")
        return bool(d) and not self.date_last and any(r in ("lead", "other") for r in self.roles[:d])

    @property
    def between(self) -> int:
        """Columns printed between the date and the summary (other dates, numbers)."""
        d, s = self._first("date"), self._first("summary")
        if d is None or s is None or s < d:
            return 0
        return s - d - 1

    @property
    def n_dates(self) -> int:
        return sum(1 for r in self.roles if r in ("date", "date2"))

    def of(self, cells: list[str]) -> dict[int, str]:
        """Role of each cell of a data row (empty when the row does not line up)."""
        filled = [i for i, c in enumerate(cells) if c]
        if self.roles and len(filled) == len(self.roles):
            return dict(zip(filled, self.roles))
        if self.width and len(cells) == self.width:
            return dict(self.raw)
        return {}


def words(text: str) -> list[str]:
    """Lower-case words of a header, "P & T" as one word."""
    return [w.strip(".") for w in re.findall(r"[a-z&.]+", text.lower().replace("p & t", "p&t")) if w.strip(".")]


def _vocab() -> frozenset[str]:
    return history_rules().header_words


def is_header_cell(cell: str) -> bool:
    ws = words(cell)
    return (bool(ws) and len(ws) <= 8 and not re.search(r"\d", cell)
            and all(w in _vocab() for w in ws) and any(w in history_rules().header_core for w in ws))


def vocab_only(cells: list[str]) -> bool:
    """Every filled cell is made of header words (half of a header printed over two rows)."""
    filled = [c for c in cells if c]
    return bool(filled) and all(not re.search(r"\d", c) and words(c) and all(w in _vocab() for w in words(c))
                                for c in filled)


_SUMMARY_PREFERENCE = ("summary", "explanation", "comment", "action", "description", "change", "revision", "review")


def cell_columns(cells: list[str]) -> Columns | None:
    """Column roles when a row of cells is a header row, else None."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled or any(re.search(r"\d", c) or not words(c) for _, c in filled):
        return None
    has_date_column = any(re.search(r"\bdates?\b", c, re.I) for _, c in filled)
    if not all(is_header_cell(c) or (has_date_column and all(w in _vocab() for w in words(c))) for _, c in filled):
        return None
    role = {i: "other" for i, _ in filled}
    for i, c in filled:
        ws = words(c)
        low = c.lower()
        texty = any(w in low for w in _SUMMARY_PREFERENCE[:5])
        if any(w in DATE_WORDS for w in ws) and not texty:
            # a second date column (an approval date) is not the revision date
            role[i] = "date" if "date" not in role.values() else "date2"
        elif any(w in history_rules().columns.number for w in ws) and not texty:
            role[i] = "skip"
    for word in _SUMMARY_PREFERENCE:
        hit = next((i for i, c in filled if word in c.lower() and role[i] == "other"), None)
        if hit is not None:
            role[hit] = "summary"
            break
    d = next((i for i, _ in filled if role[i] == "date"), None)
    for i, _ in filled:
        if d is not None and i < d and role[i] == "other" and not (
                next((j for j, _ in filled if role[j] == "summary"), d + 1) < d):
            role[i] = "lead"
    return Columns(roles=[role[i] for i, _ in filled], raw=role, width=len(cells))


@lru_cache(maxsize=1)
def _names() -> tuple[tuple[tuple[str, ...], str], ...]:
    cols = history_rules().columns
    named = [(tuple(n.split()), role) for role, names in
             (("date", cols.date), ("summary", cols.summary), ("lead", cols.lead), ("skip", cols.number))
             for n in names]
    return tuple(sorted(named, key=lambda x: -len(x[0])))


def split_glued(text: str) -> str:
    """'DateActionDescription' -> 'Date Action Description' (a header whose spaces were lost)."""
    if " " in text.strip() or not re.fullmatch(r"(?:[A-Z][a-z]+){2,}", text.strip()):
        return text
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text.strip())


def header_words_only(text: str, *, max_words: int = 14) -> bool:
    """A line of header words (and at most two upper-case acronyms such as a plan's initials)."""
    text = split_glued(text)
    if re.search(r"\d", text) or re.search(r"[.;!?]\s*$", text.strip()):
        return False
    tokens = re.findall(r"[A-Za-z&.'/]+", text)
    if not tokens or len(tokens) > max_words:
        return False
    unknown = [t for t in tokens if t.lower().strip(".") not in _vocab() and t.lower() != "p&t"]
    return len(unknown) <= 2 and all(t.isupper() and len(t) <= 6 for t in unknown)


def text_columns(text: str) -> Columns | None:
    """Column roles of a header printed as words ("Status Date Action"), else None. The words
    are grouped by the known column names, longest first; words before a name belong to it."""
    text = split_glued(text)
    if not header_words_only(text, max_words=16):
        return None
    tokens = [t.lower().strip(".,:;/") for t in re.findall(r"[A-Za-z&.'/]+", text)]
    tokens = [t for t in tokens if t]
    if not any(t in DATE_WORDS for t in tokens):
        return None
    roles: list[str] = []
    i = 0
    loose = 0  # words waiting for the name they qualify
    while i < len(tokens):
        for name, role in _names():
            if tuple(tokens[i:i + len(name)]) == name:
                roles.append(role)
                i += len(name)
                loose = 0
                break
        else:
            i += 1
            loose += 1
    if not roles or ("summary" not in roles and roles.count("date") < 1):
        return None
    out: list[str] = []
    seen = set()
    for role in roles:
        if role == "date":
            out.append("date" if "date" not in seen else "date2")
        elif role == "summary":
            out.append("summary" if "summary" not in seen else "other")
        elif role == "lead":
            out.append("lead" if "date" not in seen else "other")
        else:
            out.append(role)
        seen.add(role)
    if len(out) < 2:
        return None
    return Columns(roles=out)
