"""The full-text diff: paragraphs of both editions aligned, with edits, additions, removals and
moves.

1. Every section heading and paragraph becomes one item with a normalisation key; items whose
   key is empty (a lone page number) are dropped.
2. The two key sequences are aligned (paragraphs found once in each edition anchor the
   alignment; the longest common subsequence fills the gaps); runs of unequal items between
   kept ones form blocks.
3. Inside a block, words are aligned across the block: an old and a new paragraph that share
   at least half the words of the shorter are the same paragraph, edited. A paragraph split in
   two or two joined are one row; when the words did not change at all it is only re-wrapping
   and shows as unchanged.
4. Paragraphs left over anywhere (removed here, added there) with the same words, or nearly,
   are moves.
"""
from __future__ import annotations

from rapidfuzz.distance import Indel

from ..models import Policy
from .furniture import Furniture
from .match import WordCoder, align, pair_by_key, pair_by_similarity
from .model import Alignment, Paragraph, Row, SectionDiff, TextChange
from ..textnorm import normalize_lines, rejoin
from .redline import has_change, redline

# Share of the shorter paragraph's words two paragraphs must keep to be one paragraph edited.
LINK_SHARE = 0.5
# A paragraph removed in one place and added in another, this similar, moved (and was edited).
MOVE_SIMILARITY = 0.75
MOVE_MIN_WORDS = 8
# Above this many word pairs (old words × new words) a block is not aligned word by word but
# paragraph by paragraph against the NEARBY next ones: the word alignment's cost grows with the
# product, and only two largely unrelated texts produce such blocks.
WORD_ALIGN_LIMIT = 40_000_000
# A line this short ending with a colon is a label, compared as a heading is.
LABEL_MAX_WORDS = 6
NEARBY = 6


def _raw_paragraphs(policy: Policy) -> list[tuple[str, str | None, bool, str]]:
    """(text, section heading, is a heading, section kind) of every heading and paragraph."""
    raws: list[tuple[str, str | None, bool, str]] = []
    for sec in policy.sections:
        heading = " ".join(sec.heading.split()) if sec.heading else None
        if sec.heading:
            raws.append((sec.heading, heading, True, sec.kind))
        raws.extend((ln, heading, False, sec.kind) for ln in sec.text.split("\n") if ln.strip())
    return raws


def _same_text(old: Policy, new: Policy) -> bool:
    """Both editions have the very same sections, and the same identity that decides which of
    their lines are furniture: their items are then the same (a re-ingest, or an edition whose
    changes are all in its records)."""
    return (old.sections == new.sections and old.policy_id == new.policy_id and old.title == new.title
            and old.payer == new.payer)


def _items(old: Policy, new: Policy) -> tuple[list[Paragraph], list[Paragraph]]:
    """Both editions' items; their lines are normalised in one pass, so a line both editions
    share is normalised once (and when their text is the same, one side is read for both)."""
    if _same_text(old, new):
        side = _raw_paragraphs(old)
        items = _side_items(old, side, normalize_lines([r[0] for r in side]))
        return items, list(items)  # the same paragraphs: nothing changes them per side
    raws = (_raw_paragraphs(old), _raw_paragraphs(new))
    keys = normalize_lines([r[0] for r in raws[0]] + [r[0] for r in raws[1]])
    split = len(raws[0])
    return _side_items(old, raws[0], keys[:split]), _side_items(new, raws[1], keys[split:])


def _side_items(policy: Policy, side: list, keys: list[str]) -> list[Paragraph]:
    """One edition's items from its paragraphs and their normalised keys; furniture left out."""
    furniture = Furniture(policy).lines(keys, [r[0] for r in side])
    items: list[Paragraph] = []
    append = items.append
    for n, ((raw, heading, is_heading, kind), key) in enumerate(zip(side, keys)):
        if not key or n in furniture:
            continue
        if is_heading or (key[-1] == ":" and key.count(" ") < LABEL_MAX_WORDS):
            # a heading's capitals and closing colon are styling, and a short label line
            # ("Notes:") reads the same as the heading one form of a document makes of it
            key = key.rstrip(" :").casefold()
        append(Paragraph(raw, heading, is_heading, kind, key))
    return items


def _blocks(a: str, b: str):
    """("equal" | "block", (i1, i2, j1, j2)) for each run of the alignment of the two editions'
    paragraph codes."""
    for equal, i1, i2, j1, j2 in align(a, b):
        yield ("equal" if equal else "block"), (i1, i2, j1, j2)


class _Builder:
    def __init__(self, old: list[Paragraph], new: list[Paragraph]):
        self.old, self.new = old, new
        self.coder = WordCoder()
        self.rows: list[Row] = []

    def run(self) -> list[Row]:
        para = WordCoder()
        a = para.encode([it.key for it in self.old])
        b = para.encode([it.key for it in self.new])
        for kind, (i1, i2, j1, j2) in _blocks(a, b):
            if kind == "equal":
                self.rows.extend(Row("equal", [i1 + k], [j1 + k]) for k in range(i2 - i1))
            else:
                self._block(list(range(i1, i2)), list(range(j1, j2)))
        self._find_moves()
        return self.rows

    def _same_words(self, olds: list[int], news: list[int]) -> bool:
        return rejoin(" ".join(self.old[i].key for i in olds)) == rejoin(" ".join(self.new[j].key for j in news))

    def _block(self, olds: list[int], news: list[int]) -> None:
        if olds and news and self._same_words(olds, news):
            self.rows.append(Row("equal", olds, news))
            return
        comp_old, comp_new = self._link(olds, news)
        members_old: dict[int, list[int]] = {}
        members_new: dict[int, list[int]] = {}
        for k, c in enumerate(comp_old):
            if c is not None:
                members_old.setdefault(c, []).append(k)
        for k, c in enumerate(comp_new):
            if c is not None:
                members_new.setdefault(c, []).append(k)
        p, q = 0, 0
        while p < len(olds) or q < len(news):
            if p < len(olds) and comp_old[p] is None:
                self.rows.append(Row("removed", [olds[p]]))
                p += 1
            elif q < len(news) and comp_new[q] is None:
                self.rows.append(Row("added", [], [news[q]]))
                q += 1
            else:
                c = comp_old[p] if p < len(olds) else comp_new[q]
                o, n = members_old.get(c, []), members_new.get(c, [])
                # an unlinked paragraph inside the component's span is shown before it
                self.rows.extend(Row("removed", [olds[k]]) for k in range(p, o[-1]) if comp_old[k] is None)
                self.rows.extend(Row("added", [], [news[k]]) for k in range(q, n[-1]) if comp_new[k] is None)
                self._component([olds[k] for k in o], [news[k] for k in n])
                p, q = o[-1] + 1, n[-1] + 1

    def _link(self, olds: list[int], news: list[int]) -> tuple[list[int | None], list[int | None]]:
        """Union old and new paragraphs of a block that share enough aligned words."""
        comp_old: list[int | None] = [None] * len(olds)
        comp_new: list[int | None] = [None] * len(news)
        if not olds or not news:
            return comp_old, comp_new
        words_a = [self.old[i].key.casefold().split() for i in olds]
        words_b = [self.new[j].key.casefold().split() for j in news]
        if sum(map(len, words_a)) * sum(map(len, words_b)) > WORD_ALIGN_LIMIT:
            shared = self._shared_nearby(words_a, words_b)
        else:
            shared = self._shared_aligned(words_a, words_b)
        len_a = [len(w) for w in words_a]
        len_b = [len(w) for w in words_b]
        parent = list(range(len(olds) + len(news)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        touched: set[int] = set()
        for (ka, kb), n in shared.items():
            if n >= LINK_SHARE * min(len_a[ka], len_b[kb]):
                parent[find(ka)] = find(len(olds) + kb)
                touched.update((ka, len(olds) + kb))
        for k in range(len(olds)):
            if k in touched:
                comp_old[k] = find(k)
        for m in range(len(news)):
            if len(olds) + m in touched:
                comp_new[m] = find(len(olds) + m)
        return comp_old, comp_new

    def _shared_aligned(self, words_a: list[list[str]], words_b: list[list[str]]) -> dict[tuple[int, int], int]:
        """Words each old and new paragraph share in one alignment of the whole block."""
        para_a = [k for k, w in enumerate(words_a) for _ in w]
        para_b = [k for k, w in enumerate(words_b) for _ in w]
        flat_a = [x for w in words_a for x in w]
        flat_b = [x for w in words_b for x in w]
        shared: dict[tuple[int, int], int] = {}
        for op in Indel.opcodes(self.coder.encode(flat_a), self.coder.encode(flat_b)):
            if op.tag == "equal":
                for d in range(op.src_end - op.src_start):
                    pair = (para_a[op.src_start + d], para_b[op.dest_start + d])
                    shared[pair] = shared.get(pair, 0) + 1
        return shared

    def _shared_nearby(self, words_a: list[list[str]], words_b: list[list[str]]) -> dict[tuple[int, int], int]:
        """For a block too large to align word by word (two unrelated documents): each old
        paragraph against the next few new ones, in order, so links never cross."""
        codes_b = [self.coder.encode(w) for w in words_b]
        shared: dict[tuple[int, int], int] = {}
        start = 0
        for ka, words in enumerate(words_a):
            code = self.coder.encode(words)
            best, best_n = None, 0
            for kb in range(start, min(len(words_b), start + NEARBY)):
                n = Indel.similarity(code, codes_b[kb]) // 2  # = longest common subsequence
                if n > best_n:
                    best, best_n = kb, n
            if best is not None and best_n >= LINK_SHARE * min(len(words), len(words_b[best])):
                shared[(ka, best)] = best_n
                start = best
        return shared

    def _component(self, olds: list[int], news: list[int]) -> None:
        if self._same_words(olds, news):
            self.rows.append(Row("equal", olds, news))
            return
        segments = redline("\n".join(self.old[i].raw for i in olds), "\n".join(self.new[j].raw for j in news))
        self.rows.append(Row("modified", olds, news, segments=segments) if has_change(segments)
                         else Row("equal", olds, news))

    def _find_moves(self) -> None:
        removed = [n for n, r in enumerate(self.rows) if r.op == "removed"]
        added = [n for n, r in enumerate(self.rows) if r.op == "added"]
        if not removed or not added:
            return
        old_keys = [self.old[self.rows[n].old[0]].key for n in removed]
        new_keys = [self.new[self.rows[n].new[0]].key for n in added]
        free_old, free_new = set(range(len(removed))), set(range(len(added)))
        pairs = pair_by_key(old_keys, new_keys, free_old, free_new)
        long_old = {k for k in free_old if len(old_keys[k].split()) >= MOVE_MIN_WORDS}
        long_new = {k for k in free_new if len(new_keys[k].split()) >= MOVE_MIN_WORDS}
        codes_old = [self.coder.encode(k.casefold().split()) for k in old_keys]
        codes_new = [self.coder.encode(k.casefold().split()) for k in new_keys]
        pairs += pair_by_similarity(codes_old, codes_new, long_old, long_new, MOVE_SIMILARITY)
        for p in pairs:
            src, dst = self.rows[removed[p.old]], self.rows[added[p.new]]
            src.op, dst.op = "moved_from", "moved_to"
            src.new, dst.old = dst.new, src.old
            if p.score < 1.0:
                segs = redline(self.old[src.old[0]].raw, self.new[dst.new[0]].raw)
                src.segments = dst.segments = segs


def diff_sections(old: Policy, new: Policy) -> tuple[SectionDiff, Alignment]:
    old_items, new_items = _items(old, new)
    if [p.key for p in old_items] == [p.key for p in new_items]:  # nothing to align: every row equal
        rows = [Row("equal", [i], [i]) for i in range(len(old_items))]
    else:
        rows = _Builder(old_items, new_items).run()
    result = SectionDiff()
    n = 0
    for row in rows:
        if row.op in ("equal", "moved_from"):
            continue
        n += 1
        row.change_id = f"t{n}"
        o = [old_items[i] for i in row.old]
        w = [new_items[j] for j in row.new]
        change = TextChange(
            id=row.change_id,
            op="moved" if row.op == "moved_to" else row.op,
            old_section=o[0].section if o else None,
            new_section=w[0].section if w else None,
            old_text="\n".join(it.text for it in o) or None,
            new_text="\n".join(it.text for it in w) or None,
            old_index=row.old[0] if row.old else None,
            new_index=row.new[0] if row.new else None,
            redline=row.segments or [],
        )
        getattr(result, change.op).append(change)
    move_ids = {tuple(r.old): r.change_id for r in rows if r.op == "moved_to"}
    for row in rows:  # the old side of a move links to the same change as its new side
        if row.op == "moved_from":
            row.change_id = move_ids[tuple(row.old)]
    alignment = Alignment(old_items, new_items, rows)
    return result, alignment
