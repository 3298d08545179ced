"""Two synthetic editions of one very large policy, for the diff's scale benchmark.

`editions(n, seed)` builds an old edition with n coverage statements (a third with criteria
lists), n paragraphs of prose in sections of 50, n/10 codes and references, and a new edition
that differs as a real revision does, in proportion: statements reworded (some changing
position), criteria added, statements added and removed, paragraphs edited, moved, added and
removed, codes and references added and removed. Words come from a seeded pseudo-vocabulary
with a realistic frequency curve (common words repeat, most words are rare), so matching cannot
rely on every text being unique from its first word.
"""
from __future__ import annotations

import random

from medpolicy.models import (Code, HistoryEntry, Policy, PolicyDates, Position, Reference, Section, SourceInfo,
                              Statement)

COMMON = ("the of and to in a for with is are be by or as on at from that this which patients treatment "
          "therapy clinical studies disease may not have been were when all following criteria").split()
VERDICTS = [("is considered medically necessary", Position.MEDICALLY_NECESSARY),
            ("is considered investigational", Position.INVESTIGATIONAL),
            ("is not covered", Position.NOT_COVERED),
            ("is not medically necessary", Position.NOT_MEDICALLY_NECESSARY)]


class _Words:
    def __init__(self, rng: random.Random, size: int = 20_000):
        syllables = [a + b for a in "bcdfghklmnprstvz" for b in ("a", "e", "i", "o", "u", "ae", "io")]
        seen: set[str] = set()
        while len(seen) < size:
            seen.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
        self.rare = sorted(seen)
        self.rng = rng

    def text(self, n: int) -> str:
        out = []
        for _ in range(n):
            if self.rng.random() < 0.35:
                out.append(self.rng.choice(COMMON))
            else:  # a Zipf-like pick: low ranks far more often
                out.append(self.rare[min(int(self.rng.paretovariate(1.1)) - 1, len(self.rare) - 1)
                                     if self.rng.random() < 0.3 else self.rng.randrange(len(self.rare))])
        return " ".join(out)


def _statement(words: _Words, i: int, rng: random.Random) -> Statement:
    verdict, position = rng.choice(VERDICTS)
    lead = f"{words.text(rng.randint(4, 9)).capitalize()} {verdict} for {words.text(rng.randint(5, 14))}"
    criteria = []
    if rng.random() < 0.33:
        lead += " when all of the following criteria are met:"
        criteria = [f"{chr(65 + k)}. {words.text(rng.randint(5, 12)).capitalize()};" for k in range(rng.randint(2, 5))]
    else:
        lead += "."
    return Statement(id=f"S{i + 1}", text="\n".join([lead, *criteria]), position=position, criteria=criteria,
                     section="Policy")


def _edit(text: str, words: _Words, rng: random.Random) -> str:
    """One word replaced by one to three others (never by itself)."""
    while True:
        w = text.split(" ")
        k = rng.randrange(len(w))
        w[k:k + 1] = words.text(rng.randint(1, 3)).split()
        edited = " ".join(w)
        if edited.casefold() != text.casefold():
            return edited


def _policy(statements, paragraphs, codes, references, history, date) -> Policy:
    sections = [Section(heading="Policy", kind="policy", text="\n".join(s.text for s in statements))]
    for k in range(0, len(paragraphs), 50):
        sections.append(Section(heading=f"Background part {k // 50 + 1}", kind="description",
                                text="\n".join(paragraphs[k:k + 50])))
    sections.append(Section(heading="References", kind="references", text="\n".join(r.text for r in references)))
    return Policy(policy_id="SYN-1", title="Synthetic Large Policy", payer="Benchmark Health Plan",
                  dates=PolicyDates(effective=date), statements=statements, codes=codes, references=references,
                  history=history, sections=sections,
                  source=SourceInfo(path=f"synthetic-{date}.json", sha256="0" * 64, format="text"))


def editions(n: int, seed: int = 11, *, rewrite: bool = False) -> tuple[Policy, Policy, dict[str, int]]:
    """(old, new, the number of each edit made). `rewrite`: the worst case for matching, every
    statement and paragraph also has one word replaced, so no text is the same in both."""
    rng = random.Random(seed)
    words = _Words(rng)
    statements = [_statement(words, i, rng) for i in range(n)]
    paragraphs = [words.text(rng.randint(30, 90)).capitalize() + "." for _ in range(n)]
    codes = [Code(system="CPT", code=f"{10000 + 7 * i}", description=words.text(6)) for i in range(max(1, n // 10))]
    references = [Reference(number=i + 1, text=f"{words.text(3).title()} et al. {words.text(10)}. J {words.text(2)}. "
                            f"{1990 + i % 35};{i % 50}:{i}-{i + 9}.") for i in range(max(1, n // 10))]
    history = [HistoryEntry(date=f"{2000 + i // 12:04d}-{i % 12 + 1:02d}", date_text=f"{i % 12 + 1}/{2000 + i // 12}",
                            summary=words.text(8)) for i in range(min(200, n // 5 + 1))]
    old = _policy(statements, paragraphs, codes, references, history, "2025-01-01")

    made = dict.fromkeys(("statements_reworded", "positions_changed", "criteria_added", "statements_added",
                          "statements_removed", "paragraphs_edited", "paragraphs_moved", "paragraphs_added",
                          "paragraphs_removed", "codes_added", "codes_removed", "references_added",
                          "references_removed"), 0)
    new_statements = []
    for s in statements:
        r = rng.random()
        if r < 0.01:
            made["statements_removed"] += 1
            continue
        if rewrite and r >= 0.08:  # (below, the edits of a revision apply)
            s = s.model_copy(update={"text": _edit(s.lead, words, rng) + "".join("\n" + c for c in s.criteria)})
            made["statements_reworded"] += 1
        if r < 0.05:
            s = s.model_copy(update={"text": _edit(s.lead, words, rng) + "".join("\n" + c for c in s.criteria)})
            made["statements_reworded"] += 1
        elif r < 0.06:
            verdict, position = next(v for v in VERDICTS if v[1] != s.position)
            lead = s.lead.replace(next(v for v, p in VERDICTS if p == s.position), verdict)
            s = s.model_copy(update={"text": "\n".join([lead, *s.criteria]), "position": position})
            made["positions_changed"] += 1
        elif r < 0.08 and s.criteria:
            extra = f"{chr(65 + len(s.criteria))}. {words.text(7).capitalize()};"
            s = s.model_copy(update={"text": s.text + "\n" + extra, "criteria": [*s.criteria, extra]})
            made["criteria_added"] += 1
        new_statements.append(s)
        if rng.random() < 0.01:
            new_statements.append(_statement(words, len(statements) + len(new_statements), rng))
            made["statements_added"] += 1
    new_statements = [s.model_copy(update={"id": f"S{i + 1}"}) for i, s in enumerate(new_statements)]

    new_paragraphs, moving = [], []
    for p in paragraphs:
        r = rng.random()
        if r < 0.01:
            made["paragraphs_removed"] += 1
            continue
        if r < 0.02:
            moving.append(p)
            continue
        if r < 0.07 or rewrite:
            p = _edit(p, words, rng)
            made["paragraphs_edited"] += 1
        new_paragraphs.append(p)
        if rng.random() < 0.01:
            new_paragraphs.append(words.text(rng.randint(30, 90)).capitalize() + ".")
            made["paragraphs_added"] += 1
    for p in moving:  # moved far away: to a random place
        new_paragraphs.insert(rng.randrange(len(new_paragraphs) + 1), p)
        made["paragraphs_moved"] += 1

    kept_codes = [c for c in codes if rng.random() >= 0.02]
    made["codes_removed"] = len(codes) - len(kept_codes)
    added_codes = [Code(system="HCPCS", code=f"J{1000 + i}", description=words.text(5)) for i in range(max(1, n // 200))]
    made["codes_added"] = len(added_codes)
    kept_refs = [r for r in references if rng.random() >= 0.02]
    made["references_removed"] = len(references) - len(kept_refs)
    added_refs = [Reference(text=f"New {words.text(3).title()} et al. {words.text(12)}. 2026;{i}:1-9.")
                  for i in range(max(1, n // 200))]
    made["references_added"] = len(added_refs)
    new_refs = [r.model_copy(update={"number": i + 1}) for i, r in enumerate(added_refs + kept_refs)]
    new = _policy(new_statements, new_paragraphs, kept_codes + added_codes, new_refs,
                  history + [HistoryEntry(date="2026-01", date_text="1/2026", summary="Annual review.")], "2026-01-01")
    return old, new, made
