"""One diff function per record kind. Each first pairs records by their identity, then compares
the pairs' content; only what is left unpaired is added or removed.

Identities (see the models' docstrings): a statement by its wording (it has no stable id), a code
by (system, code), a history row by date + normalised summary, a reference by PMID, DOI, URL,
then normalised text, a related policy by its id.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from ..models import Code, HistoryEntry, Policy, Reference, RelatedPolicy, Statement
from ..models.policy import DATE_KEYS
from .match import Pair, WordCoder, pair_by_key, pair_by_similarity, score_matrix, similarity
from .model import (CodeChange, CodeDiff, FieldChange, HistoryChange, HistoryDiff, ReferenceChange,
                    ReferenceDiff, RelatedChange, RelatedDiff, StatementChange, StatementDiff)
from .normalize import loose_key, text_keys
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
REFERENCE_SIMILARITY = 0.8
REFERENCE_SIMILARITY_OTHER_URL = 0.9
HISTORY_SIMILARITY = 0.6
HISTORY_PREFIX_WORDS = 3


def _free(n: int) -> set[int]:
    return set(range(n))


def _encoded(coder: WordCoder, texts: Sequence, free: set[int], words=None) -> list[str]:
    """Word codes of the items still unpaired (the only ones similarity looks at); `words`
    turns an item into its word list (default: its casefolded words)."""
    split = words or (lambda t: t.casefold().split())
    return [coder.encode(split(t)) if i in free else "" for i, t in enumerate(texts)]


# -- metadata ----------------------------------------------------------------------------------

def _id_key(value: str | None) -> str:
    return re.sub(r"[\s#]+", "", value or "").upper()


def diff_metadata(old: Policy, new: Policy) -> list[FieldChange]:
    """Labelled fields whose value differs beyond layout: ids and names compared loosely (case,
    spacing, markup), dates exactly (they are already ISO 8601)."""
    changes: list[FieldChange] = []
    if _id_key(old.policy_id) != _id_key(new.policy_id):
        changes.append(FieldChange(field="policy_id", old=old.policy_id, new=new.policy_id))
    for name in ("title", "payer"):
        a, b = getattr(old, name), getattr(new, name)
        if loose_key(a) != loose_key(b):
            changes.append(FieldChange(field=name, old=a, new=b))
    for key in DATE_KEYS:
        a, b = getattr(old.dates, key), getattr(new.dates, key)
        if (a or "").strip() != (b or "").strip():
            changes.append(FieldChange(field=f"dates.{key}", old=a, new=b))
    return changes


# -- statements --------------------------------------------------------------------------------

def _subject(words: list[str]) -> list[str]:
    stripped = (w.strip(".,;:()[]\"'") for w in words)
    return [w for w in stripped if w and w not in VERDICT_WORDS]


def diff_statements(old: Sequence[Statement], new: Sequence[Statement]) -> StatementDiff:
    keys = text_keys([s.text for s in old] + [s.text for s in new])
    keys_a, keys_b = keys[:len(old)], keys[len(old):]
    free_a, free_b = _free(len(old)), _free(len(new))
    pairs = pair_by_key(keys_a, keys_b, free_a, free_b)
    coder = WordCoder()
    words_a = [k.casefold().split() for k in keys_a]
    words_b = [k.casefold().split() for k in keys_b]
    codes_a, codes_b = _encoded(coder, words_a, free_a, list), _encoded(coder, words_b, free_b, list)
    subj_a = _encoded(coder, words_a, free_a, _subject)
    subj_b = _encoded(coder, words_b, free_b, _subject)

    def subjects(rows: list[int], cols: list[int]) -> np.ndarray:
        m = score_matrix([subj_a[i] for i in rows], [subj_b[j] for j in cols], STATEMENT_SIMILARITY)
        # a subject of one or two words says too little to identify a statement on its own
        short = np.array([len(subj_a[i]) < 3 for i in rows])[:, None] | np.array([len(subj_b[j]) < 3 for j in cols])[None, :]
        m[short] = 0
        return m

    pairs += pair_by_similarity(codes_a, codes_b, free_a, free_b, STATEMENT_SIMILARITY, extra=subjects)
    result = StatementDiff()
    for p in sorted(pairs, key=lambda p: p.new):
        a, b = old[p.old], new[p.new]
        if keys_a[p.old] == keys_b[p.new] and a.position == b.position:
            result.unchanged += 1
            continue
        result.modified.append(StatementChange(
            old=a, new=b, similarity=round(similarity(coder.encode(words_a[p.old]), coder.encode(words_b[p.new])), 3),
            position_changed=a.position != b.position, redline=redline(a.text, b.text)))
    result.removed = [old[i] for i in sorted(free_a)]
    result.added = [new[j] for j in sorted(free_b)]
    return result


# -- codes -------------------------------------------------------------------------------------

def _code_key(c: Code) -> tuple[str, str]:
    return (c.system.value, c.code.strip().upper())


def _dedupe_codes(codes: Sequence[Code]) -> dict[tuple[str, str], Code]:
    """A code listed twice (two tables) is one code; the first listing with a description wins."""
    out: dict[tuple[str, str], Code] = {}
    for c in codes:
        k = _code_key(c)
        if k not in out or (not out[k].description and c.description):
            out[k] = c
    return out


def diff_codes(old: Sequence[Code], new: Sequence[Code]) -> CodeDiff:
    a, b = _dedupe_codes(old), _dedupe_codes(new)
    both = [k for k in a if k in b]
    descriptions = text_keys([a[k].description for k in both] + [b[k].description for k in both], strip_markers=False)
    described = {k: (descriptions[n].casefold(), descriptions[len(both) + n].casefold()) for n, k in enumerate(both)}
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

def _history_keys(rows: Sequence[HistoryEntry]) -> list[tuple[str, str]]:
    texts = text_keys([h.summary for h in rows] + [h.date_text if not h.date else None for h in rows],
                      strip_markers=False)
    n = len(rows)
    return [(h.date or texts[n + i].casefold(), texts[i].casefold().rstrip(" .;,")) for i, h in enumerate(rows)]


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
    keys_a, keys_b = _history_keys(old), _history_keys(new)
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

_PMID = re.compile(r"\bPMID:?\s*(\d{5,9})\b", re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s\"<>]+", re.IGNORECASE)
_ACCESSED = re.compile(
    r"\b(?:last\s+)?(?:accessed|retrieved|cited|viewed)(?:\s+on)?:?\s*"
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|(?:\d{1,2}\s+)?[a-z]{3,9}\.?(?:\s+\d{1,2})?,?\s+\d{4})\.?",
    re.IGNORECASE)


def _pmid(r: Reference) -> str | None:
    if r.pmid:
        digits = re.sub(r"\D", "", r.pmid)
        return digits or None
    m = _PMID.search(r.text) if "PMID" in r.text or "pmid" in r.text.lower() else None
    return m.group(1) if m else None


def _doi(r: Reference) -> str | None:
    value = r.doi
    if not value and "10." in r.text:
        m = _DOI.search(r.text)
        value = m.group(1) if m else None
    if not value:
        return None
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value.strip(), flags=re.IGNORECASE)
    return value.rstrip(".,;)]>").lower() or None


def _url(r: Reference) -> str | None:
    value = r.url
    if not value and ("://" in r.text or "www." in r.text or "WWW." in r.text):
        m = _URL.search(r.text)
        value = m.group(0) if m else None
    if not value:
        return None
    value = re.sub(r"^(?:https?://)?(?:www\.)?", "", value.strip(), flags=re.IGNORECASE)
    value = value.rstrip("/.,;)]>")
    host, _, path = value.partition("/")
    return host.lower() + ("/" + path if path else "")


_IDS = {"pmid": _pmid, "doi": _doi, "url": _url}


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


def diff_references(old: Sequence[Reference], new: Sequence[Reference]) -> ReferenceDiff:
    keys = text_keys([r.text for r in old] + [r.text for r in new])
    keys_a, keys_b = keys[:len(old)], keys[len(old):]
    free_a, free_b = _free(len(old)), _free(len(new))
    matched: list[tuple[str, object]] = []
    id_a = {name: [get(r) for r in old] for name, get in _IDS.items()}
    id_b = {name: [get(r) for r in new] for name, get in _IDS.items()}
    for name in _IDS:
        matched += [(name, p) for p in pair_by_key(id_a[name], id_b[name], free_a, free_b)]
    matched += [("text", p) for p in pair_by_key([k.casefold() for k in keys_a], [k.casefold() for k in keys_b], free_a, free_b)]

    def allowed(i: int, j: int) -> bool:
        for name in ("pmid", "doi"):  # two different papers are never one reference edited
            if id_a[name][i] and id_b[name][j] and id_a[name][i] != id_b[name][j]:
                return False
        return True

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
    a = {}
    for r in old:
        a.setdefault(r.key(), r)
    b = {}
    for r in new:
        b.setdefault(r.key(), r)
    result = RelatedDiff()
    for k, r in a.items():
        if k not in b:
            result.removed.append(r)
        elif b[k].policy_id and loose_key(r.title) != loose_key(b[k].title):
            result.modified.append(RelatedChange(policy_id=b[k].policy_id, old=r, new=b[k]))
    result.added = [r for k, r in b.items() if k not in a]
    return result
