"""One diff function per record kind besides statements (statements.py). Each first pairs
records by their identity, as the record models define it (`identity()`), then compares the
pairs' content; only what is left unpaired is added or removed.
"""
from __future__ import annotations

import re
from typing import Sequence

from ..models import Code, HistoryEntry, Policy, Reference, RelatedPolicy
from ..models.policy import DATE_KEYS
from ..models.reference import IDENTITY_KINDS
from ..models.related import policy_id_key
from ..textnorm import loose_key, text_keys
from .match import Pair, WordCoder, pair_by_key, pair_by_similarity
from .model import (CodeChange, CodeDiff, FieldChange, HistoryChange, HistoryDiff, ReferenceChange,
                    ReferenceDiff, RelatedChange, RelatedDiff)
from .redline import redline

REFERENCE_SIMILARITY = 0.8
REFERENCE_SIMILARITY_OTHER_URL = 0.9
HISTORY_SIMILARITY = 0.6
HISTORY_PREFIX_WORDS = 3


def _free(n: int) -> set[int]:
    return set(range(n))


def _encoded(coder: WordCoder, texts: Sequence[str], free: set[int]) -> list[str]:
    """Word codes of the items still unpaired (the only ones similarity looks at)."""
    return [coder.encode(t.casefold().split()) if i in free else "" for i, t in enumerate(texts)]


# -- metadata ----------------------------------------------------------------------------------

def _same_payer(a: str | None, b: str | None) -> bool:
    """One organisation named in full and in short ("Noridian Healthcare Solutions", "Noridian"):
    the shorter name's words begin the longer's."""
    wa, wb = loose_key(a).split(), loose_key(b).split()
    short, long_ = sorted((wa, wb), key=len)
    return wa == wb or (bool(short) and long_[:len(short)] == short)


def diff_metadata(old: Policy, new: Policy) -> list[FieldChange]:
    """Labelled fields whose value differs beyond layout: ids and names compared loosely (case,
    spacing, markup; a payer named in full or in short is one payer), dates exactly (they are
    already ISO 8601)."""
    changes: list[FieldChange] = []
    if policy_id_key(old.policy_id) != policy_id_key(new.policy_id):
        changes.append(FieldChange(field="policy_id", old=old.policy_id, new=new.policy_id))
    if loose_key(old.title) != loose_key(new.title):
        changes.append(FieldChange(field="title", old=old.title, new=new.title))
    if not _same_payer(old.payer, new.payer):
        changes.append(FieldChange(field="payer", old=old.payer, new=new.payer))
    for key in DATE_KEYS:
        a, b = getattr(old.dates, key), getattr(new.dates, key)
        if (a or "").strip() != (b or "").strip():
            changes.append(FieldChange(field=f"dates.{key}", old=a, new=b))
    return changes


# -- codes -------------------------------------------------------------------------------------

def _dedupe_codes(codes: Sequence[Code]) -> dict[tuple[str, str], Code]:
    """A code listed twice (two tables) is one code; the first listing with a description wins."""
    out: dict[tuple[str, str], Code] = {}
    for c in codes:
        k = c.identity()
        if k not in out or (not out[k].description and c.description):
            out[k] = c
    return out


def diff_codes(old: Sequence[Code], new: Sequence[Code]) -> CodeDiff:
    a = _dedupe_codes(old)
    if list(old) == list(new):  # the very same list (most editions): every code unchanged
        return CodeDiff(unchanged=len(a))
    b = _dedupe_codes(new)
    both = [k for k in a if k in b]
    described = {k: (loose_key(a[k].description), loose_key(b[k].description)) for k in both}
    result = CodeDiff()
    for k, c in a.items():
        if k not in b:
            result.removed.append(c)
            continue
        d = b[k]
        changes = []
        if (c.code_end or "").strip().upper() != (d.code_end or "").strip().upper():
            changes.append("range")
        if described[k][0] != described[k][1]:
            changes.append("description")
        if changes:
            result.modified.append(CodeChange(system=k[0], code=k[1], changes=changes, old=c, new=d))
        else:
            result.unchanged += 1
    result.added = [c for k, c in b.items() if k not in a]
    _pair_reclassified(result)
    return result


def _pair_reclassified(result: CodeDiff) -> None:
    """A code removed under one system and added under another is one code whose system
    changed (a Category III CPT code read as HCPCS, say), not a removal and an addition."""
    added = {c.code.strip().upper(): c for c in result.added}
    for c in list(result.removed):
        d = added.pop(c.code.strip().upper(), None)
        if d is None:
            continue
        result.removed.remove(c)
        result.added.remove(d)
        changes = ["system"]
        if (c.code_end or "").strip().upper() != (d.code_end or "").strip().upper():
            changes.append("range")
        result.modified.append(CodeChange(system=d.system.value, code=d.code.strip().upper(), changes=changes, old=c, new=d))


# -- history -----------------------------------------------------------------------------------

def _pair_prefixes(keys_a, keys_b, free_a: set[int], free_b: set[int]) -> list[Pair]:
    pairs = []
    for i in sorted(free_a):
        for j in sorted(free_b):
            (da, sa), (db, sb) = keys_a[i], keys_b[j]
            short, long_ = sorted((sa, sb), key=len)
            if da == db and len(short.split()) >= HISTORY_PREFIX_WORDS and long_.startswith(short):
                pairs.append(Pair(i, j, 1.0))
                free_b.discard(j)
                break
    free_a.difference_update(p.old for p in pairs)
    return pairs


def diff_history(old: Sequence[HistoryEntry], new: Sequence[HistoryEntry]) -> HistoryDiff:
    keys_a, keys_b = [h.identity() for h in old], [h.identity() for h in new]
    free_a, free_b = _free(len(old)), _free(len(new))
    pairs = pair_by_key(keys_a, keys_b, free_a, free_b)
    unchanged = len(pairs)
    coder = WordCoder()
    codes_a = _encoded(coder, [k[1] for k in keys_a], free_a)
    codes_b = _encoded(coder, [k[1] for k in keys_b], free_b)
    # The date is part of a row's identity: tables repeat "Annual review." every year, so the same
    # words under another date are another row. Under the same date, a row that gained or lost a
    # continuation (text after a page break) starts with the other, or most words were kept.
    edited = _pair_prefixes(keys_a, keys_b, free_a, free_b)
    edited += pair_by_similarity(codes_a, codes_b, free_a, free_b, HISTORY_SIMILARITY,
                                 allowed=lambda i, j: keys_a[i][0] == keys_b[j][0])
    return HistoryDiff(
        added=[new[j] for j in sorted(free_b)],
        removed=[old[i] for i in sorted(free_a)],
        modified=[HistoryChange(old=old[p.old], new=new[p.new], redline=redline(old[p.old].summary, new[p.new].summary))
                  for p in sorted(edited, key=lambda p: p.new)],
        unchanged=unchanged,
    )


# -- references --------------------------------------------------------------------------------

_ACCESSED = re.compile(
    r"\b(?:last\s+)?(?:accessed|retrieved|cited|viewed)(?:\s+on)?:?\s*"
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|(?:\d{1,2}\s+)?[a-z]{3,9}\.?(?:\s+\d{1,2})?,?\s+\d{4})\.?",
    re.IGNORECASE)
# identities that name the work itself (text and undated text are compared as wording)
_IDS = ("pmid", "doi", "url")


def _reference_changes(ka: str, kb: str, ids_a: dict[str, str | None], ids_b: dict[str, str | None]) -> list[str]:
    changes = []
    if ka != kb:
        if _ACCESSED.sub("", ka).casefold().strip(" .") == _ACCESSED.sub("", kb).casefold().strip(" ."):
            changes.append("access_date")
        else:
            changes.append("text")
    for name in _IDS:
        va, vb = ids_a[name], ids_b[name]
        # one side missing an id its identical text still holds is extraction, not an edit
        if va != vb and ((va and vb) or ka != kb):
            changes.append(name)
    return changes


_DATELESS = ("undated", "unnumbered")


def _identities(refs: Sequence[Reference], kinds: Sequence[str], only: set[int] | None = None) -> dict[str, list]:
    """{kind: [identity of each reference]} (None for those not in `only`)."""
    picked = sorted(only) if only is not None else range(len(refs))
    found = Reference.identities_of([refs[i] for i in picked], kinds)
    out: dict[str, list] = {k: [None] * len(refs) for k in kinds}
    for i, ids in zip(picked, found):
        for k in kinds:
            out[k][i] = ids[k]
    return out


def diff_references(old: Sequence[Reference], new: Sequence[Reference]) -> ReferenceDiff:
    if list(old) == list(new) and all(r.text.strip() for r in old):
        return ReferenceDiff(unchanged=len(old))  # the very same list (most editions): each one itself
    keys = text_keys([r.text for r in old] + [r.text for r in new])
    keys_a, keys_b = keys[:len(old)], keys[len(old):]
    free_a, free_b = _free(len(old)), _free(len(new))
    strong = [k for k in IDENTITY_KINDS if k not in _DATELESS]
    id_a = _identities(old, strong)
    id_b = _identities(new, strong)
    matched: list[tuple[str, Pair]] = []

    def allowed(i: int, j: int) -> bool:
        for name in ("pmid", "doi"):  # two different papers are never one reference edited
            if id_a[name][i] and id_b[name][j] and id_a[name][i] != id_b[name][j]:
                return False
        return True

    for name in strong:  # strongest identity first
        matched += [(name, p) for p in pair_by_key(id_a[name], id_b[name], free_a, free_b, allowed=allowed)]
    # the same work in another version: computed only for what the stronger identities left
    id_a.update(_identities(old, _DATELESS, free_a))
    id_b.update(_identities(new, _DATELESS, free_b))
    for name in _DATELESS:
        matched += [(name, p) for p in pair_by_key(id_a[name], id_b[name], free_a, free_b, allowed=allowed)]

    coder = WordCoder()
    codes_a = _encoded(coder, keys_a, free_a)
    codes_b = _encoded(coder, keys_b, free_b)
    matched += [("similar", p) for p in pair_by_similarity(
        codes_a, codes_b, free_a, free_b, REFERENCE_SIMILARITY,
        allowed=lambda i, j: allowed(i, j) and not (id_a["url"][i] and id_b["url"][j] and id_a["url"][i] != id_b["url"][j]))]
    matched += [("similar", p) for p in pair_by_similarity(
        codes_a, codes_b, free_a, free_b, REFERENCE_SIMILARITY_OTHER_URL, allowed=allowed)]
    result = ReferenceDiff()
    for how, p in sorted(matched, key=lambda m: m[1].new):
        a, b = old[p.old], new[p.new]
        if a.number is not None and b.number is not None and a.number != b.number:
            result.renumbered += 1
        changes = _reference_changes(keys_a[p.old], keys_b[p.new], {n: id_a[n][p.old] for n in _IDS},
                                     {n: id_b[n][p.new] for n in _IDS})
        if changes:
            result.modified.append(ReferenceChange(matched_by=how, changes=changes, old=a, new=b,
                                                   redline=redline(a.text, b.text)))
        else:
            result.unchanged += 1
    result.removed = [old[i] for i in sorted(free_a)]
    result.added = [new[j] for j in sorted(free_b)]
    return result


# -- related policies --------------------------------------------------------------------------

def diff_related(old: Sequence[RelatedPolicy], new: Sequence[RelatedPolicy]) -> RelatedDiff:
    a: dict[str, RelatedPolicy] = {}
    for r in old:
        a.setdefault(r.identity(), r)
    b: dict[str, RelatedPolicy] = {}
    for r in new:
        b.setdefault(r.identity(), r)
    result = RelatedDiff()
    for k, r in a.items():
        if k not in b:
            result.removed.append(r)
        elif b[k].policy_id and loose_key(r.title) != loose_key(b[k].title):
            result.modified.append(RelatedChange(policy_id=b[k].policy_id, old=r, new=b[k]))
    result.added = [r for k, r in b.items() if k not in a]
    return result
