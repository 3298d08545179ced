"""Coverage statements across two editions.

1. Pairing by identity (`Statement.identity()`, the normalised lead sentence): first statements
   whose lead and criteria are both the same, then the same lead in the same section, then the
   same lead anywhere. A statement whose lead is unchanged is one statement, whatever happened
   to its criteria; a new statement printed beside an unchanged similar one is added.
2. What identity leaves unpaired is paired by similarity of wording (a reworded statement is one
   statement modified; a changed verdict is a position change, not a removal and an addition).
3. What is still unpaired, or paired with only part of itself, may be one statement split in
   two or more, or several merged into one.
4. Each pair's criteria are compared item by item.
"""
from __future__ import annotations

from typing import Sequence

from rapidfuzz.distance import Indel

from ..models import Statement
from ..textnorm import text_keys
from .match import Pair, WordCoder, pair_by_key, pair_by_similarity, scored_pairs, similarity
from .model import CriteriaDiff, CriterionChange, StatementChange, StatementDiff, StatementMerge, StatementSplit
from .redline import redline

# Two statements are one statement edited when they keep this share of their words, either of
# all words or of their subject words (the wording without its verdict), so that
# "X is investigational" -> "X may be considered medically necessary" is one statement whose
# position changed, not a removal and an addition.
STATEMENT_SIMILARITY = 0.55
# Words that say what the verdict is rather than what the statement is about.
VERDICT_WORDS = frozenset("""
a an the and or of for to in on with by as at be is are was were been being may might can could
should shall will would must not no considered deemed regarded medically necessary unnecessary
investigational experimental unproven proven covered noncovered reimbursable excluded
appropriate reasonable approved when if all following criteria met that this these those which
who it its any other
""".split())
# A subject this short says too little to identify a statement on its own.
MIN_SUBJECT_WORDS = 3
# Two criteria items are one item reworded when they keep this share of their words.
CRITERION_SIMILARITY = 0.5
# A split: each part has this share of its words, in order, in the old statement, and together
# the parts hold this share of the old statement's words (a merge: the same, old and new swapped).
SPLIT_CONTAINMENT = 0.8
SPLIT_COVERAGE = 0.8
# A part of a third of its whole scores about this; pairs below it are not looked at.
SPLIT_CANDIDATE = 0.3


def criteria_of(s: Statement) -> list[str]:
    """The statement's criteria items: its `criteria`, or else the lines of its text after the
    lead (a record made before `criteria` existed, or by hand)."""
    if s.criteria:
        return list(s.criteria)
    return [ln for ln in s.text.split("\n")[1:] if ln.strip()]


def full_text(s: Statement) -> str:
    """Lead and criteria, one per line: what a statement says in all."""
    return "\n".join([s.lead, *criteria_of(s)])


def _subject_table(coder: WordCoder, words: Sequence[str]) -> dict[int, str | None]:
    """A translation of word codes to subject-word codes: a verdict word (or bare punctuation)
    is dropped, any other word is coded without its surrounding punctuation. Turning a text's
    codes into its subject's is then one `str.translate`."""
    table: dict[int, str | None] = {}
    for w in words:
        stripped = w.strip(".,;:()[]\"'")
        table[ord(coder.code(w))] = coder.code(stripped) if stripped and stripped not in VERDICT_WORDS else None
    return table


def diff_criteria(old: Sequence[str], new: Sequence[str]) -> CriteriaDiff:
    """Criteria items paired by wording (list numbering aside), then case-insensitively, then by
    similarity; the rest are added or removed."""
    keys = text_keys([*old, *new])
    ka, kb = [k or None for k in keys[:len(old)]], [k or None for k in keys[len(old):]]
    free_a, free_b = set(range(len(old))), set(range(len(new)))
    same = pair_by_key(ka, kb, free_a, free_b)
    edited = pair_by_key([k and k.casefold() for k in ka], [k and k.casefold() for k in kb], free_a, free_b)
    coder = WordCoder()
    codes_a = [coder.encode((k or "").casefold().split()) for k in ka]
    codes_b = [coder.encode((k or "").casefold().split()) for k in kb]
    edited += pair_by_similarity(codes_a, codes_b, free_a, free_b, CRITERION_SIMILARITY)
    return CriteriaDiff(
        added=[new[j] for j in sorted(free_b) if kb[j]],
        removed=[old[i] for i in sorted(free_a) if ka[i]],
        modified=[CriterionChange(old=old[p.old], new=new[p.new], redline=redline(old[p.old], new[p.new]))
                  for p in sorted(edited, key=lambda p: p.new)],
        unchanged=len(same),
    )


class _Side:
    """One edition's statements with their keys, identities and (for those similarity looks
    at: the ones identity left unpaired or paired with edits) word codes."""

    def __init__(self, statements: Sequence[Statement], keys: list[str], coder: WordCoder):
        self.items = statements
        self.keys = keys
        self.ids = [i or None for i in Statement.identities(statements)]
        self.sections = [(i, (s.section or "").casefold()) if i else None for i, s in zip(self.ids, statements)]
        self.codes = [""] * len(statements)
        self.coder = coder
        self.free = set(range(len(statements)))

    def encode(self, indices) -> None:
        for i in indices:
            if not self.codes[i]:
                self.codes[i] = self.coder.encode(self.keys[i].casefold().split())

    def subjects(self, table: dict[int, str | None]) -> list[str]:
        """Subject codes of the free statements (the only ones similarity looks at)."""
        out = [""] * len(self.codes)
        for i in self.free:
            c = self.codes[i].translate(table)
            out[i] = c if len(c) >= MIN_SUBJECT_WORDS else ""
        return out


def diff_statements(old: Sequence[Statement], new: Sequence[Statement]) -> StatementDiff:
    keys = text_keys([full_text(s) for s in old] + [full_text(s) for s in new])
    coder = WordCoder()
    a, b = _Side(old, keys[:len(old)], coder), _Side(new, keys[len(old):], coder)
    pairs = pair_by_key([(i, k) if i else None for i, k in zip(a.ids, a.keys)],
                        [(i, k) if i else None for i, k in zip(b.ids, b.keys)], a.free, b.free)
    pairs += pair_by_key(a.sections, b.sections, a.free, b.free)
    pairs += pair_by_key(a.ids, b.ids, a.free, b.free)

    def is_edit(p: Pair) -> bool:
        return a.keys[p.old] != b.keys[p.new] or old[p.old].position != new[p.new].position

    edited = [p for p in pairs if is_edit(p)]
    a.encode([*a.free, *(p.old for p in edited)])
    b.encode([*b.free, *(p.new for p in edited)])
    table = _subject_table(coder, coder.words())
    pairs += pair_by_similarity(a.codes, b.codes, a.free, b.free, STATEMENT_SIMILARITY,
                                also=(a.subjects(table), b.subjects(table)))
    edited = [p for p in pairs if is_edit(p)]  # a lead wrapped differently: same words, same statement
    result = StatementDiff(unchanged=len(pairs) - len(edited))
    edited = _restructured(a, b, edited, result)
    for p in sorted(edited, key=lambda p: p.new):
        s, t = old[p.old], new[p.new]
        lead_a, lead_b = text_keys([s.lead, t.lead])
        result.modified.append(StatementChange(
            old=s, new=t, similarity=round(similarity(a.codes[p.old], b.codes[p.new]), 3),
            position_changed=s.position != t.position, lead_changed=lead_a != lead_b,
            criteria=diff_criteria(criteria_of(s), criteria_of(t)),
            redline=redline(full_text(s), full_text(t))))
    result.removed = [old[i] for i in sorted(a.free)]
    result.added = [new[j] for j in sorted(b.free)]
    return result


def _lcs(a: str, b: str) -> int:
    return Indel.similarity(a, b) // 2


def _coverage(whole: str, parts: list[str]) -> float:
    """Share of the whole's words that some part keeps in order."""
    if not whole:
        return 0.0
    kept: set[int] = set()
    for part in parts:
        for op in Indel.opcodes(whole, part):
            if op.tag == "equal":
                kept.update(range(op.src_start, op.src_end))
    return len(kept) / len(whole)


def _find_parts(wholes: _Side, parts: _Side, partner: dict[int, int], candidates) -> list[tuple[int, list[int]]]:
    """(whole, parts) for each statement of `wholes` that the free statements of `parts` (and
    its own partner, if it has one) restate in pieces."""
    found = []
    used: set[int] = set()
    for w in sorted(set(wholes.free) | set(partner)):
        code = wholes.codes[w]
        pool = [p for p in candidates.get(w, ()) if p not in used and (p in parts.free or partner.get(w) == p)]
        pieces = [p for p in sorted(pool) if parts.codes[p] and _lcs(parts.codes[p], code) >= SPLIT_CONTAINMENT * len(parts.codes[p])]
        covered = _coverage(code, [parts.codes[p] for p in pieces])
        if len(pieces) < 2 or covered < SPLIT_COVERAGE:
            continue
        if w in partner and (partner[w] not in pieces or covered <= _coverage(code, [parts.codes[partner[w]]])):
            continue  # the other pieces restate nothing its partner lacks: they are additions
        found.append((w, pieces))
        used.update(pieces)
        parts.free.difference_update(pieces)
        wholes.free.discard(w)
    return found


def _candidates(wholes: _Side, parts: _Side, partner: dict[int, int]) -> dict[int, list[int]]:
    """For each possible whole (free, or paired), the free statements that may be its pieces,
    and its own partner."""
    out: dict[int, list[int]] = {w: [p] for w, p in partner.items()}
    for (i, j) in scored_pairs(wholes.codes, parts.codes, sorted(wholes.free | set(partner)), sorted(parts.free),
                               SPLIT_CANDIDATE):
        out.setdefault(i, []).append(j)
    return out


def _restructured(a: _Side, b: _Side, edited: list[Pair], result: StatementDiff) -> list[Pair]:
    """Record splits and merges in `result`; return the pairs that are still plain edits."""
    if not (a.free or b.free):
        return edited
    fwd = {p.old: p.new for p in edited}
    splits = _find_parts(a, b, fwd, _candidates(a, b, fwd))
    gone_old = {w for w, _ in splits}
    gone_new = {p for _, ps in splits for p in ps}
    back = {p.new: p.old for p in edited if p.old not in gone_old and p.new not in gone_new}
    merges = _find_parts(b, a, back, _candidates(b, a, back))
    gone_old |= {p for _, ps in merges for p in ps}
    gone_new |= {w for w, _ in merges}
    for w, pieces in splits:
        result.split.append(StatementSplit(old=a.items[w], new=[b.items[p] for p in pieces]))
    for w, pieces in merges:
        result.merged.append(StatementMerge(old=[a.items[p] for p in pieces], new=b.items[w]))
    kept = []
    for p in edited:  # a pair broken up by a split or merge: its other side, if left, is free
        if p.old in gone_old or p.new in gone_new:
            if p.old not in gone_old:
                a.free.add(p.old)
            if p.new not in gone_new:
                b.free.add(p.new)
        else:
            kept.append(p)
    return kept
