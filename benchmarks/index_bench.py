"""Library index benchmark: build, incremental update and queries, against git's own search.

    python benchmarks/index_bench.py [--editions 10000] [--runs 7] [--keep DIR [--reuse]]

1. A store of N editions generated as benchmarks/store_bench.py generates them (the bundled
   samples copied under new policy ids, five effective dates each, one statement reworded per
   edition), written with the store's cheap summaries (the store's own cost is store_bench's).
2. Full build: `medpolicy index --rebuild` as a whole command (every edition read, every edition
   compared with the one before it by the diff engine, on every core): time and editions/s.
3. Incremental update: one new edition stored, then `medpolicy index` as a whole command.
4. Queries as whole commands from process start, median of --runs, on the up-to-date index:
   `search --code` (a CPT code listed as such, and an ICD-10-CM code named only through a
   range), `search --text`, `search --position --as-of`, `changes --since`. Baselines in the
   same run over the same store: `git grep` of the code in the tip's records (which cannot
   find a code inside a range, nor tell the edition in effect) and `git log --grep` for the
   commits of editions since the date (commit dates, not effective dates).
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_bench import cheap_summaries, load_samples, make_editions, timed_command  # noqa: E402

from medpolicy.store import PolicyStore, PutRequest  # noqa: E402

BATCH = 500


def build_store(where: Path, count: int, samples) -> float:
    start = time.perf_counter()
    with cheap_summaries(), PolicyStore.init(where) as store:
        for i in range(0, count, BATCH):
            store.put_many(make_editions(samples, min(BATCH, count - i), offset=i))
        store.maintain()
    return time.perf_counter() - start


def later_edition(req: PutRequest, year: int) -> PutRequest:
    """The same policy effective on a later day, one statement reworded: a new edition that the
    index compares with the one before it."""
    policy = req.policy
    statements = list(policy.statements)
    statements[0] = statements[0].model_copy(update={"text": statements[0].text + f" (reviewed {year})"})
    eff = f"{year}-01-01"
    source = req.source_bytes + eff.encode()
    policy = policy.model_copy(update={
        "statements": statements, "dates": policy.dates.model_copy(update={"effective": eff}),
        "source": policy.source.model_copy(update={"sha256": hashlib.sha256(source).hexdigest(), "size": len(source)})})
    return PutRequest(policy, source, f"later-{eff}.txt")


def timed_git(args: list[str], runs: int) -> float:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(["git", *args], capture_output=True)
        walls.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            sys.exit(f"git {' '.join(args)} failed: {proc.stderr.decode()}")
    return statistics.median(walls) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--editions", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="build the store here and keep it")
    ap.add_argument("--reuse", action="store_true", help="with --keep: use the store already there")
    ap.add_argument("--no-rebuild", action="store_true", help="with --reuse: keep its index (skip the full build)")
    args = ap.parse_args()

    samples = load_samples()
    tmp = Path(tempfile.mkdtemp(prefix="index-bench-"))
    try:
        store = args.keep or tmp / "store"
        if not (args.reuse and store.exists()):
            shutil.rmtree(store, ignore_errors=True)
            took = build_store(store, args.editions, samples)
            print(f"store of {args.editions} editions written in {took:.0f} s")
        base = ["--store", str(store)]

        if not args.no_rebuild:
            start = time.perf_counter()
            exe = shutil.which("medpolicy", path=str(Path(sys.executable).parent)) or "medpolicy"
            proc = subprocess.run([exe, *base, "index", "--rebuild"], capture_output=True, text=True)
            full = time.perf_counter() - start
            if proc.returncode != 0:
                sys.exit(proc.stderr)
            print(f"full build, whole command:           {full:7.1f} s   ({args.editions / full:.0f} editions/s)")

        walls, cpus = [], []
        later = 2100 + int(time.time()) % 700  # a year no run has used: a reused store gets new editions
        for i in range(3):  # one new edition of an existing policy each time, then `medpolicy index`
            with cheap_summaries(), PolicyStore.open(store) as s:
                done = s.put_many([later_edition(make_editions(samples, 1, offset=5 * (7 + i) + 4)[0], later + i)])
                assert done[0].status == "new", done
            med, best, cpu = timed_command(base + ["index"], 1)
            walls.append(med)
            cpus.append(cpu)
        print(f"incremental update, one new edition: {statistics.median(walls):7.0f} ms, cpu "
              f"{statistics.median(cpus):.0f} ms  (median of 3; goal < 1000 ms)")

        git_dir = ["--git-dir", str(store)]
        queries = [
            ("search --code 64624 (CPT)", ["search", "--code", "64624", "--format", "json"],
             git_dir + ["grep", "-l", "-F", '"code": "64624"', "main", "--", "*/record.json"]),
            ("search --code E10.65 (in a range)", ["search", "--code", "E10.65", "--format", "json"],
             git_dir + ["grep", "-l", "-F", "E10.65", "main", "--", "*/record.json"]),
            ("search --text \"diagnostic block\"", ["search", "--text", "diagnostic block", "--format", "json"],
             git_dir + ["grep", "-l", "-i", "-F", "diagnostic block", "main", "--", "*/record.json"]),
            ("search --text ... --limit 20", ["search", "--text", "diagnostic block", "--limit", "20", "--format",
                                              "json"], None),
            ("search --position --as-of", ["search", "--position", "not_covered", "--as-of", "2022-06-30",
                                           "--format", "json"], None),
            ("changes --since 2024-06-01", ["changes", "--since", "2024-06-01", "--format", "json"],
             git_dir + ["log", "--format=%H %s", "-E", "--grep=^Effective: 202(4-(0[6-9]|1)|[5-9])"]),
        ]
        print(f"{'query (whole command, median of ' + str(args.runs) + ')':<40} {'medpolicy':>10} {'cpu':>6} "
              f"{'git baseline':>13}")
        for label, cmd, git_cmd in queries:
            timed_command(base + cmd, 1)  # warm the page cache
            med, best, cpu = timed_command(base + cmd, args.runs)
            baseline = f"{timed_git(git_cmd, args.runs):10.0f} ms" if git_cmd else "           -"
            print(f"{label:<40} {med:7.0f} ms {cpu:4.0f} ms {baseline}")
        med, best, cpu = timed_command(["--version"], args.runs)
        print(f"(medpolicy --version, for scale: median {med:.0f} ms, cpu {cpu:.0f} ms)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
