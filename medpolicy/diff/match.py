"""Pair records across two editions: first by identity (equal keys), then by similarity.

Similarity is measured on words, not characters: each distinct word is mapped to one character
(`WordCoder`), so rapidfuzz's C implementations compare word sequences directly. The score is
the normalised Indel similarity, 2·LCS / (len(a) + len(b)): the share of words kept in order.
"""
from __future__ import annotations

from collections import defaultdict, deque
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

    def code(self, word: str) -> str:
        c = self._codes.get(word)
        if c is None:
            n = self._FIRST + len(self._codes)
            if n >= self._SURROGATES[0]:
                n += self._SURROGATES[1] - self._SURROGATES[0]
            c = self._codes[word] = chr(n)
        return c

    def encode(self, words: Sequence[str]) -> str:
        codes = self._codes
        for w in set(words).difference(codes):
            self.code(w)
        return "".join(map(codes.__getitem__, words))

    def encode_text(self, text: str) -> str:
        return self.encode(text.split())


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
                old_free: set[int], new_free: set[int]) -> list[Pair]:
    """Pair free items whose keys are equal (None never matches), in document order, so
    duplicates pair first with first. Paired indices are removed from the free sets."""
    waiting: dict[Hashable, deque[int]] = defaultdict(deque)
    for j in sorted(new_free):
        if new_keys[j] is not None:
            waiting[new_keys[j]].append(j)
    pairs: list[Pair] = []
    for i in sorted(old_free):
        k = old_keys[i]
        if k is not None and waiting.get(k):
            j = waiting[k].popleft()
            pairs.append(Pair(i, j, 1.0))
    for p in pairs:
        old_free.discard(p.old)
        new_free.discard(p.new)
    return pairs


def score_matrix(old: Sequence[str], new: Sequence[str], cutoff: float) -> np.ndarray:
    """Word-level similarity of every old × new encoded text; scores below cutoff are 0."""
    return process.cdist(old, new, scorer=Indel.normalized_similarity, score_cutoff=cutoff,
                         dtype=np.float32, workers=1)


def pair_by_similarity(old_codes: Sequence[str], new_codes: Sequence[str], old_free: set[int],
                       new_free: set[int], threshold: float, *,
                       extra: Callable[[list[int], list[int]], np.ndarray] | None = None,
                       allowed: Callable[[int, int], bool] | None = None) -> list[Pair]:
    """Greedy best-first pairing of free items scoring at least `threshold`.

    `extra` may return a second score matrix (same shape) whose element-wise maximum is used;
    `allowed` vetoes a pair (e.g. two references with different PMIDs are never the same).
    Ties prefer items at the same relative place in their lists, so that of two equally similar
    candidates the one that did not move is chosen."""
    olds, news = sorted(old_free), sorted(new_free)
    if not olds or not news:
        return []
    scores = score_matrix([old_codes[i] for i in olds], [new_codes[j] for j in news], threshold)
    if extra is not None:
        scores = np.maximum(scores, extra(olds, news))
    rows, cols = np.nonzero(scores >= threshold)
    if not len(rows):
        return []
    rel_old = np.asarray(olds, dtype=np.float64)[rows] / max(len(old_codes), 1)
    rel_new = np.asarray(news, dtype=np.float64)[cols] / max(len(new_codes), 1)
    order = np.lexsort((np.abs(rel_old - rel_new), -scores[rows, cols]))
    pairs: list[Pair] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for k in order:
        i, j = olds[rows[k]], news[cols[k]]
        if i in used_old or j in used_new or (allowed is not None and not allowed(i, j)):
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append(Pair(i, j, float(scores[rows[k], cols[k]])))
    old_free -= used_old
    new_free -= used_new
    return sorted(pairs, key=lambda p: p.new)
