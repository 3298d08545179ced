"""Diff benchmark: `diff_policies` on the largest corpus PDF against an edited copy of itself,
compared with difflib over the same two texts' sentences, measured in the same run; then at
scale, two synthetic editions of 1,000, 5,000 and 10,000 statements and paragraphs.

    python benchmarks/diff_bench.py [--pdf FILE] [--runs 7] [--sizes 1000,5000,10000] [--json]

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
6. Scale (--sizes, --scenarios): for each size and scenario, a fresh child process builds two
   synthetic editions (synthetic.py: n statements, n paragraphs) and times `diff_policies` once
   (wall and CPU), with the process's peak memory (peak RSS, everything included) and its growth
   during the diff; the baseline in the same child is difflib over the two editions' paragraphs.
   Scenarios: a revision (edits in proportion), a rewrite (every text edited) and two unrelated
   editions. Goal for a revision of 10,000 x 10,000: under 2 s and 300 MB.
"""
from __future__ import annotations

import argparse
import difflib
import gc
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # synthetic.py

from rapidfuzz.distance import Indel  # noqa: E402

from medpolicy.diff import diff_policies  # noqa: E402
from medpolicy.diff.match import WordCoder  # noqa: E402
from medpolicy.diff.render import render  # noqa: E402
from medpolicy.ingest import parse_policy  # noqa: E402
from medpolicy.models import Code, HistoryEntry, Policy, Position, Reference  # noqa: E402

GOAL_MS = 100.0
SCALE_GOAL_S = 2.0
SCALE_GOAL_MB = 300.0
SIZES = (1000, 5000, 10000)
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

    # statements: reword the lead of three (the last one also changes position), in the text too
    long_statements = [s for s in new.statements if len(s.lead.split()) >= 12][:3]
    for n, s in enumerate(long_statements):
        words = s.lead.split(" ")
        words[len(words) // 2] = "carefully documented " + words[len(words) // 2]
        lead = " ".join(words)
        _replace_in_sections(new, s.lead, lead)
        s.text = "\n".join([lead, *s.text.split("\n")[1:]])
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


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a
    child would report its parent's size (this script's, after parsing a 111-page PDF)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


SCENARIOS = {
    "revision": "edits in proportion, as a real revision makes them (the goal applies)",
    "rewrite": "every statement and paragraph also edited: no text the same in both",
    "unrelated": "two unrelated editions: nothing in common",
}


def scale_child(n: int, scenario: str) -> dict:
    """One size and scenario, in this (fresh) process: build, diff once, measure, check."""
    from synthetic import editions

    t = time.perf_counter()
    if scenario == "unrelated":
        old, made = editions(n, seed=1)[0], None
        new = editions(n, seed=2)[1]
    else:
        old, new, made = editions(n, rewrite=scenario == "rewrite")
    build_s = time.perf_counter() - t
    gc.collect()
    rss_before = _rss_mb()
    t, c = time.perf_counter(), time.process_time()
    d = diff_policies(old, new)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    peak = _peak_rss_mb()
    paras_a = [p for sec in old.sections for p in sec.text.split("\n")]
    paras_b = [p for sec in new.sections for p in sec.text.split("\n")]
    t = time.perf_counter()
    difflib.SequenceMatcher(None, paras_a, paras_b, autojunk=False).get_opcodes()
    baseline = time.perf_counter() - t
    misses = _scale_misses(d, made) if made else []
    return dict(n=n, scenario=scenario, build_s=round(build_s, 2), diff_s=round(wall, 3), diff_cpu_s=round(cpu, 3),
                peak_rss_mb=round(peak, 1), rss_growth_mb=round(max(0.0, peak - rss_before), 1),
                difflib_paragraphs_s=round(baseline, 3), diff_vs_difflib=round(wall / baseline, 2) if baseline else None,
                changes=len(d.changes), found=d.summary_line(), misses=misses)


def _scale_misses(d, made: dict[str, int]) -> list[str]:
    st = d.statements
    got = dict(statements_added=len(st.added), statements_removed=len(st.removed),
               positions_changed=sum(m.position_changed for m in st.modified), codes_added=len(d.codes.added),
               codes_removed=len(d.codes.removed), references_added=len(d.references.added),
               references_removed=len(d.references.removed))
    misses = [f"{k}: made {made[k]}, found {v}" for k, v in got.items() if v != made[k]]
    edited = made["statements_reworded"] + made["positions_changed"] + made["criteria_added"]
    if len(st.modified) + len(st.editorial) + len(st.split) + len(st.merged) < edited:
        misses.append(f"statements edited: made {edited}, found {len(st.modified)} modified")
    if len(d.sections.moved) < made["paragraphs_moved"]:
        misses.append(f"paragraphs_moved: made {made['paragraphs_moved']}, found {len(d.sections.moved)}")
    return misses


def scale(sizes: list[int], scenarios: list[str]) -> list[dict]:
    out = []
    for scenario in scenarios:
        for n in sizes:
            done = subprocess.run([sys.executable, __file__, "--scale-child", str(n), "--scenario", scenario],
                                  capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                sys.exit(f"scale run {scenario} {n} failed: {done.stderr.strip()[-500:]}")
            out.append(json.loads(done.stdout))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdf", type=Path, default=None, help="PDF to use (default: the largest in the corpus)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)),
                    help="synthetic edition sizes for the scale runs ('' to skip)")
    ap.add_argument("--scenarios", default="revision,rewrite,unrelated",
                    help=f"scale scenarios, of: {', '.join(SCENARIOS)}")
    ap.add_argument("--scale-child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--scenario", default="revision", help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    if args.scale_child is not None:
        print(json.dumps(scale_child(args.scale_child, args.scenario)))
        return 0

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
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    scenarios = [x for x in args.scenarios.split(",") if x.strip()]
    figures["scale"] = scale(sizes, scenarios) if sizes else []
    scale_misses = [f"{r['scenario']} {r['n']}: {m}" for r in figures["scale"] for m in r["misses"]]
    goal_runs = [r for r in figures["scale"] if r["scenario"] == "revision" and r["n"] >= 10000]
    scale_ok = all(r["diff_s"] < SCALE_GOAL_S and r["peak_rss_mb"] < SCALE_GOAL_MB for r in goal_runs)
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
        if figures["scale"]:
            print(f"scale (synthetic editions, one fresh process each; goal for a revision of 10,000: "
                  f"< {SCALE_GOAL_S:.0f} s, < {SCALE_GOAL_MB:.0f} MB peak RSS):")
            for name in scenarios:
                print(f"  {name}: {SCENARIOS[name]}")
            print("  scenario   statements+paragraphs   changes  diff s  cpu s  peak RSS MB  growth MB  "
                  "difflib paragraphs s  ratio")
            for r in figures["scale"]:
                print(f"  {r['scenario']:<10} {r['n']:>9,} x {r['n']:<9,} {r['changes']:>8,} {r['diff_s']:7.2f} "
                      f"{r['diff_cpu_s']:6.2f} {r['peak_rss_mb']:12.0f} {r['rss_growth_mb']:10.0f} "
                      f"{r['difflib_paragraphs_s']:21.3f} {r['diff_vs_difflib']:6.2f}")
            for m in scale_misses:
                print(f"MISSED scale {m}")
    return 1 if misses or scale_misses or diff_ms["median"] >= GOAL_MS or not scale_ok else 0


if __name__ == "__main__":
    sys.exit(main())
