"""From what a user types to a store key: `medpolicy log 8.01.01`, `show humira`, `diff 054`.

Tried in order, each case-insensitive; the first tier with exactly one match wins, a tier with
several is an ambiguity (the candidates are listed), an empty tier passes to the next:

1. the key itself;
2. the policy part of a key (the policy id, made safe: `8.01.01`);
3. a prefix of a key (`premera/8`);
4. a prefix of the policy part;
5. a suffix of the policy part (`01.01`, `054`);
6. a word of the title (`humira`), when only one policy's title has it.

A key that `medpolicy mv` moved away leads to where it went. When nothing matches, the error
suggests the closest keys (rapidfuzz over keys and titles).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import NotFoundError
from .history import scan
from .layout import RECORD, is_key, safe_name

if TYPE_CHECKING:
    from .repo import PolicyStore

_SHOWN = 20
_WORD = re.compile(r"[\w][\w.+-]*")


def resolve_key(store: "PolicyStore", ref: str) -> str:
    text = ref.strip().strip("/")
    tip = store._require_tip()
    low = text.lower()
    if is_key(low) and store.reader.read(f"{tip}:{low}/{RECORD}") is not None:
        return low
    keys = store.keys(tip)
    name = safe_name(text, fallback="")

    def part(key: str) -> str:
        return key.split("/", 1)[1]

    tiers = [
        lambda: [k for k in keys if k == low],
        lambda: [k for k in keys if name and part(k).split("~")[0] == name],
        lambda: [k for k in keys if k.startswith(low)],
        lambda: [k for k in keys if name and part(k).startswith(name)],
        lambda: [k for k in keys if name and part(k).split("~")[0].endswith(name)],
        lambda: _by_title_word(store, keys, low),
    ]
    for tier in tiers:
        found = tier()
        if len(found) == 1:
            return found[0]
        if found:
            shown = ", ".join(found[:_SHOWN]) + (f" (and {len(found) - _SHOWN} more)" if len(found) > _SHOWN else "")
            raise NotFoundError(f"{ref!r} is ambiguous: {shown}")
    moved = _moved_to(store, low) if is_key(low) else None
    if moved is not None:
        return moved
    raise NotFoundError(f"no policy {ref!r} in the store{_suggest(store, keys, text)}")


def _titles(store: "PolicyStore") -> dict[str, str]:
    """key -> title of its latest edition, from the list cache (no record is read)."""
    return {p.key: p.title or "" for p in store.list()}


def _by_title_word(store: "PolicyStore", keys: list[str], word: str) -> list[str]:
    if not _WORD.fullmatch(word):
        return []
    present = set(keys)
    return sorted(k for k, title in _titles(store).items()
                  if k in present and word in (w.lower() for w in _WORD.findall(title)))


def _moved_to(store: "PolicyStore", key: str) -> str | None:
    """Where `medpolicy mv` moved `key`, following moves of moves; None if it never moved."""
    seen = {key}
    while True:
        moves = [e for e in scan(store.git, [store._require_tip()], key=key) if e.moved_from == key and e.key != key]
        if not moves:
            return None if len(seen) == 1 else key
        key = moves[0].key  # the newest move out
        if key in seen:
            return key
        seen.add(key)


def _suggest(store: "PolicyStore", keys: list[str], text: str) -> str:
    if not keys:
        return " (it is empty: `medpolicy ingest` adds policies)"
    from rapidfuzz import fuzz, process

    titles = _titles(store)
    choices = {k: f"{k} {titles.get(k, '')}" for k in keys}
    best = process.extract(text, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    if not best:
        return " (`medpolicy list` shows them)"
    return "; did you mean " + ", ".join(key for _choice, _score, key in best) + "?"
