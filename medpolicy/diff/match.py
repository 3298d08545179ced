"""Pair records across two editions: first by identity (equal keys), then by similarity.

Similarity is measured on words, not characters: each distinct word is mapped to one character
(`WordCoder`), so rapidfuzz's C implementations compare word sequences directly. The score is
the normalised Indel similarity, 2·LCS / (len(a) + len(b)): the share of words kept in order.

Matching stays near-linear in the size of the editions: identity pairs come from hashing, and
similarity is computed only for the items identity left unpaired. When those are few, every
old × new pair is scored (rapidfuzz's `cdist`, in C); when they are many, only candidate pairs
are: pairs that share one of their rarest words (blocking), so two unrelated texts are almost
never compared. Long sequences are aligned on anchors (`align`).
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel


class WordCoder:
    """Maps each distinct word to one character, so a text becomes a string of word codes."""

    _FIRST = 0x100
    _SURROGATES = (0xD800, 0xE000)

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def _char(self, n: int) -> str:
        n += self._FIRST
        if n >= self._SURROGATES[0]:
            n += self._SURROGATES[1] - self._SURROGATES[0]
        return chr(n)

    def code(self, word: str) -> str:
        c = self._codes.get(word)
        if c is None:
            c = self._codes[word] = self._char(len(self._codes))
        return c

    def encode(self, words: Sequence[str]) -> str:
        codes = self._codes
        try:  # most words of a second edition, and of a second look, are known already
            return "".join(map(codes.__getitem__, words))
        except KeyError:
            n, char = len(codes), self._char
            for k, w in enumerate(w for w in dict.fromkeys(words) if w not in codes):
                codes[w] = char(n + k)
            return "".join(map(codes.__getitem__, words))

    def encode_text(self, text: str) -> str:
        return self.encode(text.split())

    def words(self) -> list[str]:
        """Every word coded so far."""
        return list(self._codes)


def similarity(a: str, b: str) -> float:
    """Share of words (or characters) kept in order between two encoded texts, 0..1."""
    if not a and not b:
        return 1.0
    return Indel.normalized_similarity(a, b)


@dataclass(frozen=True)
class Pair:
    old: int
    new: int
    score: float  # 1.0 for an identity match


def pair_by_key(old_keys: Sequence[Hashable | None], new_keys: Sequence[Hashable | None],
                old_free: set[int], new_free: set[int], *,
                allowed: Callable[[int, int], bool] | None = None) -> list[Pair]:
    """Pair free items whose keys are equal (None never matches), in document order, so
    duplicates pair first with first; `allowed` may veto a pair (the next candidate with that
    key is tried). Paired indices are removed from the free sets."""
    waiting: dict[Hashable, deque[int]] = defaultdict(deque)
    for j in sorted(new_free):
        if new_keys[j] is not None:
            waiting[new_keys[j]].append(j)
    pairs: list[Pair] = []
    for i in sorted(old_free):
        k = old_keys[i]
        queue = waiting.get(k) if k is not None else None
        if not queue:
            continue
        if allowed is None:
            pairs.append(Pair(i, queue.popleft(), 1.0))
            continue
        j = next((j for j in queue if allowed(i, j)), None)
        if j is not None:
            queue.remove(j)
            pairs.append(Pair(i, j, 1.0))
    for p in pairs:
        old_free.discard(p.old)
        new_free.discard(p.new)
    return pairs


# Up to this many old × new pairs every pair is scored; above it only candidates are.
DENSE_LIMIT = 1_000_000  # 4 MB of scores, about 0.2 s in C
# Above it, each text is indexed by this many of its rarest words, and a pair is a candidate
# when the two share one of them; a word indexed by more texts than MAX_POSTINGS is too common
# to propose candidates at all.
RARE_WORDS = 8
MAX_POSTINGS = 32


def _sparse_candidates(old_codes: Sequence[str], new_codes: Sequence[str], olds: list[int],
                       news: list[int], threshold: float) -> set[tuple[int, int]]:
    """Pairs worth scoring: texts that share one of their RARE_WORDS rarest words and whose
    lengths allow the threshold (with 2·LCS/(n+m) ≥ t, m ≥ t·n/(2−t)). Blocking on rare words is
    what makes matching near-linear; a text edited as a revision edits it keeps most of its rare
    words, while two unrelated texts rarely share one, so true pairs are kept and few others
    are proposed. (A heuristic: two texts made only of very common words are not proposed.)"""
    freq: Counter[str] = Counter()
    for i in olds:
        freq.update(set(old_codes[i]))
    for j in news:
        freq.update(set(new_codes[j]))

    rank = {c: r for r, c in enumerate(sorted(freq, key=lambda c: (freq[c], c)))}

    def rare(code: str) -> list[str]:
        return sorted(set(code), key=rank.__getitem__)[:RARE_WORDS]

    index: dict[str, list[int]] = defaultdict(list)
    for j in news:
        for c in rare(new_codes[j]):
            index[c].append(j)
    ratio = threshold / (2 - threshold)
    out: set[tuple[int, int]] = set()
    for i in olds:
        n = len(old_codes[i])
        for c in rare(old_codes[i]):
            posting = index.get(c)
            if not posting or len(posting) > MAX_POSTINGS:
                continue
            for j in posting:
                m = len(new_codes[j])
                if m >= ratio * n and n >= ratio * m:
                    out.add((i, j))
    return out


def scored_pairs(old_codes: Sequence[str], new_codes: Sequence[str], olds: list[int], news: list[int],
                 threshold: float) -> dict[tuple[int, int], float]:
    """{(i, j): score} for every pair of the given items scoring at least `threshold`; an
    empty text never matches."""
    olds = [i for i in olds if old_codes[i]]
    news = [j for j in news if new_codes[j]]
    if not olds or not news:
        return {}
    if len(olds) * len(news) <= DENSE_LIMIT:
        m = process.cdist([old_codes[i] for i in olds], [new_codes[j] for j in news],
                          scorer=Indel.normalized_similarity, score_cutoff=threshold, dtype=np.float32, workers=1)
        rows, cols = np.nonzero(m >= threshold)
        return {(olds[r], news[c]): float(m[r, c]) for r, c in zip(rows.tolist(), cols.tolist())}
    out = {}
    for i, j in _sparse_candidates(old_codes, new_codes, olds, news, threshold):
        s = Indel.normalized_similarity(old_codes[i], new_codes[j], score_cutoff=threshold)
        if s >= threshold:
            out[(i, j)] = s
    return out


def pair_by_similarity(old_codes: Sequence[str], new_codes: Sequence[str], old_free: set[int],
                       new_free: set[int], threshold: float, *,
                       also: tuple[Sequence[str], Sequence[str]] | None = None,
                       allowed: Callable[[int, int], bool] | None = None) -> list[Pair]:
    """Greedy best-first pairing of free items scoring at least `threshold`.

    `also` is a second encoding of the same items (e.g. their subject words); a pair scores
    the better of the two. `allowed` vetoes a pair (e.g. two references with different PMIDs
    are never the same). Ties prefer items at the same relative place in their lists, so that
    of two equally similar candidates the one that did not move is chosen."""
    olds, news = sorted(old_free), sorted(new_free)
    if not olds or not news:
        return []
    scores = scored_pairs(old_codes, new_codes, olds, news, threshold)
    if also is not None:
        for k, s in scored_pairs(also[0], also[1], olds, news, threshold).items():
            if s > scores.get(k, 0.0):
                scores[k] = s
    if not scores:
        return []
    n_old, n_new = max(len(old_codes), 1), max(len(new_codes), 1)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], abs(kv[0][0] / n_old - kv[0][1] / n_new), kv[0]))
    pairs: list[Pair] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for (i, j), s in ranked:
        if i in used_old or j in used_new or (allowed is not None and not allowed(i, j)):
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append(Pair(i, j, s))
    old_free -= used_old
    new_free -= used_new
    return sorted(pairs, key=lambda p: p.new)


def align(a: str, b: str) -> list[tuple[bool, int, int, int, int]]:
    """(equal, i1, i2, j1, j2) runs aligning two encoded sequences, like `Indel.opcodes` but
    near-linear on long ones: the items that occur exactly once in each sequence, in the same
    order (the longest increasing run of them, as patience diff finds it), are anchors, and the
    exact alignment (bit-parallel LCS, quadratic in its input) runs only on the gaps between
    anchors, which a revision keeps small. Runs of unequal items are merged into one."""
    runs: list[list] = []

    def emit(equal: bool, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if runs and runs[-1][0] == equal and runs[-1][2] == i1 and runs[-1][4] == j1:
            runs[-1][2], runs[-1][4] = i2, j2
        else:
            runs.append([equal, i1, i2, j1, j2])

    def exact(i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 or j1 == j2:
            emit(False, i1, i2, j1, j2)
            return
        for op in Indel.opcodes(a[i1:i2], b[j1:j2]):
            emit(op.tag == "equal", i1 + op.src_start, i1 + op.src_end, j1 + op.dest_start, j1 + op.dest_end)

    pi = pj = 0
    for i, j in _anchors(a, b):
        exact(pi, i, pj, j)
        emit(True, i, i + 1, j, j + 1)
        pi, pj = i + 1, j + 1
    exact(pi, len(a), pj, len(b))
    return [tuple(r) for r in runs]


def _anchors(a: str, b: str) -> list[tuple[int, int]]:
    """(i, j) of items unique in both sequences, the longest run of them in the same order."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {c: j for j, c in enumerate(b) if count_b[c] == 1}
    pairs = [(i, where_b[c]) for i, c in enumerate(a) if count_a[c] == 1 and c in where_b]
    # longest increasing subsequence of the j's (patience sorting with back links)
    tails: list[int] = []  # index into pairs of the smallest tail of each length
    tail_js: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        n = bisect_left(tail_js, j)
        back[k] = tails[n - 1] if n else -1
        if n == len(tails):
            tails.append(k)
            tail_js.append(j)
        else:
            tails[n], tail_js[n] = k, j
    out = []
    k = tails[-1] if tails else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]
