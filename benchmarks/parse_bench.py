"""Parse benchmark: `parse_policy` on real policy PDFs against bare pdfplumber and bare
pypdfium2 text extraction, measured in the same run on the same pages.

    python benchmarks/parse_bench.py [DIR] [--plumber-pages N] [--scale-copies K] [--json]

1. Every PDF in DIR (default ../shared/corpus/pdf) is parsed once as a warm-up, so imports and
   the page cache do not count.
2. (a) `parse_policy` end to end, one file after another: load in the sandboxed child process,
   layout, tables, normalisation, sections, every extractor, the validated `Policy`.
   (a') the PDF loader alone, in-process (`extract_pdf_pages`), to show where the time goes.
   (b) pdfplumber `page.extract_text()` on every page (or the first --plumber-pages pages).
   (c) pypdfium2: open, load each page, its text page, `get_text_range()`.
   Each is reported as pages per second of wall time and per CPU-second (child processes'
   CPU included), so a busy machine shows up as a gap between the two instead of as a
   slower parser. Ratios compare (a) with (b) and (c).
3. Scaling: the file list repeated --scale-copies times, parsed by one worker process and
   then by two (each parse_policy still forks its own sandbox child); the speed-up and the
   pages per second of each run.
4. A markdown table for the README.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from medpolicy import parse_policy  # noqa: E402
from medpolicy.errors import MedpolicyError  # noqa: E402
from medpolicy.ingest.pdf import extract_pdf_pages  # noqa: E402

GOAL_PAGES_PER_S = 100.0
DEFAULT_DIR = ROOT.parent / "shared" / "corpus" / "pdf"


def cpu_seconds() -> float:
    """CPU time of this process, of every child it has waited for, and of its children still
    running (the warm PDF reader stays up between documents, so its time is never in
    RUSAGE_CHILDREN until it exits)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + live_children_cpu()


def live_children_cpu() -> float:
    """CPU seconds of this process's running children, from /proc (0 where there is none)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _child_pids():
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile: its time is in RUSAGE_CHILDREN once reaped
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _child_pids() -> list[str]:
    pids: list[str] = []
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return pids
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/children", encoding="ascii") as fh:
                pids += fh.read().split()
        except OSError:
            continue
    return pids


class Timer:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = cpu_seconds() - self.cpu


def page_count(path: Path) -> int:
    doc = pdfium.PdfDocument(path)
    try:
        return len(doc)
    finally:
        doc.close()


def run_parse(files: list[Path]) -> tuple[int, list[str]]:
    pages, failures = 0, []
    for f in files:
        try:
            policy = parse_policy(f, timeout=600)
            pages += policy.source.pages or 0
        except MedpolicyError as exc:
            failures.append(f"{f.name}: {exc.reason}")
    return pages, failures


def run_loader(files: list[Path]) -> int:
    return sum(len(extract_pdf_pages(str(f))[0]) for f in files)


def run_pdfium(files: list[Path]) -> int:
    n = 0
    for f in files:
        doc = pdfium.PdfDocument(f)
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            n += 1
        doc.close()
    return n


def run_plumber(files: list[Path], limit: int | None) -> int:
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    n = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                if limit is not None and n >= limit:
                    return n
                page.extract_text()
                n += 1
                page.flush_cache()
    return n


def _parse_one(path: str) -> int:
    try:
        return parse_policy(path, timeout=600).source.pages or 0
    except MedpolicyError:
        return 0


def run_pool(files: list[Path], workers: int) -> int:
    # largest first, so that one big file does not finish alone at the end
    ordered = sorted(files, key=lambda f: f.stat().st_size, reverse=True)
    with ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(_parse_one, [str(f) for f in ordered]))


def rate(pages: int, seconds: float) -> float:
    return pages / seconds if seconds > 0 else float("inf")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", nargs="?", default=str(DEFAULT_DIR), help="folder of PDFs (default: %(default)s)")
    ap.add_argument("--plumber-pages", type=int, default=None,
                    help="time pdfplumber on only the first N pages (it is the slow one)")
    ap.add_argument("--scale-copies", type=int, default=2, help="times the file list is repeated for the scaling run")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON as well")
    args = ap.parse_args(argv)

    files = sorted(Path(args.dir).glob("*.pdf"))
    if not files:
        print(f"no PDFs in {args.dir}", file=sys.stderr)
        return 2
    total_pages = sum(page_count(f) for f in files)
    print(f"{len(files)} PDFs, {total_pages} pages, {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}",
          file=sys.stderr)

    print("warm-up ...", file=sys.stderr)
    _pages, failures = run_parse(files)
    for line in failures:
        print(f"  parse failed: {line}", file=sys.stderr)

    results: dict[str, dict] = {}

    def record(name: str, pages: int, t: Timer) -> None:
        results[name] = {"pages": pages, "wall_s": round(t.wall, 3), "cpu_s": round(t.cpu, 3),
                         "pages_per_s": round(rate(pages, t.wall), 1), "pages_per_cpu_s": round(rate(pages, t.cpu), 1)}
        r = results[name]
        print(f"  {name:<28} {pages:5d} pages  {r['pages_per_s']:7.1f} pages/s  {r['pages_per_cpu_s']:7.1f} pages/CPU-s",
              file=sys.stderr)

    print("timing ...", file=sys.stderr)
    with Timer() as t:
        pages, _ = run_parse(files)
    record("parse_policy", pages, t)
    with Timer() as t:
        pages = run_loader(files)
    record("pdf loader only", pages, t)
    with Timer() as t:
        pages = run_pdfium(files)
    record("pypdfium2 get_text_range", pages, t)
    with Timer() as t:
        pages = run_plumber(files, args.plumber_pages)
    record("pdfplumber extract_text", pages, t)

    many = files * max(1, args.scale_copies)
    with Timer() as t:
        pages = run_pool(many, 1)
    record("parse_policy, 1 process", pages, t)
    with Timer() as t:
        pages = run_pool(many, 2)
    record("parse_policy, 2 processes", pages, t)

    p = results["parse_policy"]
    plumber = results["pdfplumber extract_text"]
    bare = results["pypdfium2 get_text_range"]
    one, two = results["parse_policy, 1 process"], results["parse_policy, 2 processes"]
    speedup = two["pages_per_s"] / one["pages_per_s"] if one["pages_per_s"] else 0.0

    def ratio(a: dict, b: dict, key: str) -> str:
        return f"{a[key] / b[key]:.2f}x" if b[key] else "-"

    print()
    print(f"Parse speed on {len(files)} real policy PDFs ({total_pages} pages), one process unless stated:")
    print()
    print("| what | pages/s (wall) | pages/CPU-s | vs pdfplumber | vs pypdfium2 |")
    print("|---|---:|---:|---:|---:|")
    for name in ("parse_policy", "pdf loader only", "pdfplumber extract_text", "pypdfium2 get_text_range"):
        r = results[name]
        print(f"| {name} | {r['pages_per_s']:.0f} | {r['pages_per_cpu_s']:.0f} | "
              f"{ratio(r, plumber, 'pages_per_cpu_s')} | {ratio(r, bare, 'pages_per_cpu_s')} |")
    print(f"| parse_policy, 2 processes ({one['pages']} pages) | {two['pages_per_s']:.0f} | "
          f"{two['pages_per_cpu_s']:.0f} | speed-up {speedup:.2f}x over 1 process ({one['pages_per_s']:.0f} pages/s) | |")
    print()
    goal = "meets" if p["pages_per_cpu_s"] >= GOAL_PAGES_PER_S else "misses"
    print(f"parse_policy {goal} the goal of {GOAL_PAGES_PER_S:.0f} pages/s per core "
          f"({p['pages_per_cpu_s']:.0f} pages per CPU-second; ratios are per CPU-second).")
    if args.json:
        print(json.dumps({"files": len(files), "pages": total_pages, "results": results,
                          "speedup_2_processes": round(speedup, 2)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
