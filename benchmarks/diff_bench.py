"""Diff benchmark: `diff_policies` on the largest corpus PDF against an edited copy of itself,
compared with difflib over the same two texts' sentences, measured in the same run.

    python benchmarks/diff_bench.py [--pdf FILE] [--runs 7] [--json]

1. Parses the largest PDF in ../shared/corpus/pdf (or --pdf) once.
2. Builds an edited copy of the parsed record, the way a new edition differs: statements
   reworded (one changes position), codes added and removed, references added and removed (the
   list renumbers), a history row added, paragraphs edited and paragraphs moved to other
   sections. The section text is edited consistently with the records.
3. Times `diff_policies(old, new)`: every record kind, the full-text alignment with moves and
   all word-level redlines (median of --runs after one warm-up run), and the HTML report.
4. Baselines in the same run: difflib.SequenceMatcher over the two texts' sentences, and
   rapidfuzz's Indel opcodes over their words (the bare algorithms, no records, no redline).
5. Checks that the diff found the edits it was given, so a fast wrong answer cannot pass.
"""
from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Indel  # noqa: E402

from medpolicy.diff import diff_policies  # noqa: E402
from medpolicy.diff.match import WordCoder  # noqa: E402
from medpolicy.diff.render import render  # noqa: E402
from medpolicy.ingest import parse_policy  # noqa: E402
from medpolicy.models import Code, HistoryEntry, Policy, Position, Reference  # noqa: E402

GOAL_MS = 100.0
CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "pdf"
SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


def largest_pdf() -> Path:
    pdfs = sorted(CORPUS_PDF.glob("*.pdf"), key=lambda p: p.stat().st_size)
    if not pdfs:
        sys.exit(f"no PDFs under {CORPUS_PDF} (use --pdf FILE)")
    return pdfs[-1]


def full_text(policy: Policy) -> str:
    return "\n".join(f"{s.heading or ''}\n{s.text}" for s in policy.sections)


def _replace_in_sections(policy: Policy, old: str, new: str) -> None:
    for sec in policy.sections:
        if old in sec.text:
            sec.text = sec.text.replace(old, new, 1)
            return


def edited_copy(base: Policy, rng: random.Random) -> tuple[Policy, dict[str, int]]:
    """A new edition of `base` and the number of each kind of edit made to it."""
    new = base.model_copy(deep=True)
    made = dict(statements_modified=0, positions_changed=0, codes_added=3, codes_removed=0, references_added=5, references_removed=0,
                history_added=1, paragraphs_edited=0, paragraphs_moved=0)

    # statements: reword three (the last one also changes position), in the text too
    long_statements = [s for s in new.statements if len(s.text.split()) >= 12][:3]
    for n, s in enumerate(long_statements):
        words = s.text.split(" ")
        words[len(words) // 2] = "carefully documented " + words[len(words) // 2]
        text = " ".join(words)
        _replace_in_sections(new, s.text.split("\n")[0], text.split("\n")[0])
        s.text = text
        if n == 2:  # the verdict changes too
            s.position = Position.INVESTIGATIONAL if s.position != Position.INVESTIGATIONAL else Position.COVERED
            made["positions_changed"] = 1
        made["statements_modified"] += 1

    # codes: three removed, three added
    removable = [c for c in new.codes if not c.code_end][:3]
    for c in removable:
        new.codes.remove(c)
    made["codes_removed"] = len(removable)
    new.codes += [Code(system="CPT", code=f"0{990 + i}T", description=f"Benchmark procedure {i}") for i in range(3)]

    # references: five removed, five added at the front; the rest renumber
    removed = rng.sample(range(len(new.references)), min(5, len(new.references)))
    kept = [r for i, r in enumerate(new.references) if i not in removed]
    made["references_removed"] = len(removed)
    added = [Reference(number=None, text=f"Benchmark A, Author B. New evidence {i} on the procedure. J Bench. "
                       f"2026;{i}:1-9. PMID {39000000 + i}.", pmid=str(39000000 + i)) for i in range(5)]
    new.references = [r.model_copy(update={"number": i}) for i, r in enumerate(added + kept, 1)]

    new.history.append(HistoryEntry(date="2027-07-15", date_text="7/15/2027",
                                    summary="Annual review. Policy statements revised; codes and references updated."))

    # prose: edit ten long paragraphs and move five others to another section
    paragraphs = [(si, pi) for si, sec in enumerate(new.sections) for pi, p in enumerate(sec.text.split("\n"))
                  if len(p.split()) >= 40]
    picks = rng.sample(paragraphs, min(15, len(paragraphs)))
    for si, pi in picks[:10]:
        lines = new.sections[si].text.split("\n")
        words = lines[pi].split(" ")
        words[5] = "substantially"
        lines[pi] = " ".join(words)
        new.sections[si].text = "\n".join(lines)
        made["paragraphs_edited"] += 1
    moving = sorted(picks[10:], reverse=True)
    for si, pi in moving:
        lines = new.sections[si].text.split("\n")
        para = lines.pop(pi)
        new.sections[si].text = "\n".join(lines)
        target = new.sections[(si + len(new.sections) // 2) % len(new.sections)]
        target.text = target.text + "\n" + para
        made["paragraphs_moved"] += 1
    return Policy.model_validate(new.model_dump()), made


def timed(fn, runs: int) -> tuple[dict[str, float], object]:
    """Median and best wall time, and median CPU time, in ms. CPU time is reported because a
    busy machine stretches wall time; on an idle one the two agree (the work is one thread)."""
    fn()  # warm-up: imports, regex compilation, caches
    wall, cpu, result = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return dict(median=round(statistics.median(wall), 1), best=round(min(wall), 1),
                cpu=round(statistics.median(cpu), 1)), result


def difflib_sentences(a: str, b: str) -> list:
    sa, sb = [s for s in SENTENCE.split(a) if s.strip()], [s for s in SENTENCE.split(b) if s.strip()]
    return difflib.SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes()


def rapidfuzz_words(a: str, b: str):
    coder = WordCoder()
    return Indel.opcodes(coder.encode(a.split()), coder.encode(b.split()))


def check(d, made: dict[str, int]) -> list[str]:
    """What the diff should have found; returns the misses."""
    got = dict(statements_modified=len(d.statements.modified),
               positions_changed=sum(m.position_changed for m in d.statements.modified), codes_added=len(d.codes.added),
               codes_removed=len(d.codes.removed), references_added=len(d.references.added),
               references_removed=len(d.references.removed), history_added=len(d.history.added),
               paragraphs_moved=len(d.sections.moved))
    misses = [f"{k}: made {made[k]}, found {v}" for k, v in got.items() if v != made[k]]
    if len(d.sections.modified) < made["paragraphs_edited"]:
        misses.append(f"paragraphs_edited: made {made['paragraphs_edited']}, found {len(d.sections.modified)} modified")
    return misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdf", type=Path, default=None, help="PDF to use (default: the largest in the corpus)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)

    pdf = args.pdf or largest_pdf()
    t = time.perf_counter()
    old = parse_policy(pdf)
    parse_s = time.perf_counter() - t
    new, made = edited_copy(old, random.Random(args.seed))
    text_a, text_b = full_text(old), full_text(new)

    diff_ms, d = timed(lambda: diff_policies(old, new), args.runs)
    html_ms, page = timed(lambda: render(d, "html"), max(3, args.runs // 2))
    difflib_ms, _ = timed(lambda: difflib_sentences(text_a, text_b), args.runs)
    words_ms, _ = timed(lambda: rapidfuzz_words(text_a, text_b), args.runs)
    misses = check(d, made)

    figures = dict(
        pdf=pdf.name, pages=old.source.pages, words=len(text_a.split()),
        sentences=len([s for s in SENTENCE.split(text_a) if s.strip()]),
        paragraphs=sum(len([p for p in s.text.split("\n") if p.strip()]) for s in old.sections),
        statements=len(old.statements), codes=len(old.codes), references=len(old.references),
        parse_s=round(parse_s, 2), edits=made, found=d.summary_line(), runs=args.runs,
        diff_ms=diff_ms, html_ms=html_ms, html_kb=round(len(page) / 1024),
        difflib_sentences_ms=difflib_ms, rapidfuzz_words_ms=words_ms,
        diff_vs_difflib=round(diff_ms["median"] / difflib_ms["median"], 2) if difflib_ms["median"] else None,
        goal_ms=GOAL_MS, misses=misses,
    )
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{pdf.name}: {figures['pages']} pages, {figures['words']:,} words, {figures['sentences']:,} sentences, "
              f"{figures['paragraphs']:,} paragraphs; {figures['statements']} statements, {figures['codes']} codes, "
              f"{figures['references']} references (parsed in {parse_s:.1f} s)")
        print("edits: " + ", ".join(f"{k} {v}" for k, v in made.items()))
        print(f"found: {d.summary_line()}")
        print(f"{args.runs} runs, ms:                                         median     best      cpu")
        for label, t in (("diff_policies (records + text alignment + redlines)", diff_ms),
                         ("HTML report rendering", html_ms),
                         ("difflib.SequenceMatcher over sentences", difflib_ms),
                         ("rapidfuzz Indel opcodes over words", words_ms)):
            print(f"  {label:<52} {t['median']:8.1f} {t['best']:8.1f} {t['cpu']:8.1f}")
        print(f"  diff_policies / difflib (median)                     {figures['diff_vs_difflib']:8.2f} x"
              f"   goal: diff_policies < {GOAL_MS:.0f} ms")
        for m in misses:
            print(f"MISSED {m}")
    return 1 if misses or diff_ms["median"] >= GOAL_MS else 0


if __name__ == "__main__":
    sys.exit(main())
