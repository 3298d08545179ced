"""Store benchmark: the write path against plain `git add` + `git commit`, and read latency.

    python benchmarks/store_bench.py [--editions 1000] [--big 10000] [--runs 7] [--keep DIR [--reuse]]

1. Builds N editions from the bundled samples (examples/policies): each sample is parsed once,
   then copied under new policy ids with five effective dates each and one statement reworded
   per edition, so every edition differs from the one before it and the store summarises real
   changes.
2. Write path: `PolicyStore.put_many` in batches of 64 (what `medpolicy ingest` does), from
   records to durable commits, with the diff engine's summary of each edition against the one
   before it; then again with the store's cheap count summaries, which isolates the storage
   cost. Baseline: the same three files per edition written to a work tree and committed with
   `git add` + `git commit`, one commit per edition.
3. Reads: a store of --big editions, then `medpolicy log POLICY` and `medpolicy show
   POLICY@DATE` timed as whole commands from process start (median of --runs).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from medpolicy.ingest import parse_policy  # noqa: E402
from medpolicy.models.markdown import policy_to_markdown  # noqa: E402
from medpolicy.store import PolicyStore, PutRequest  # noqa: E402
from medpolicy.store.serialize import canonical_json, stored_policy  # noqa: E402

EDITIONS_PER_POLICY = 5
BATCH = 64


def load_samples() -> list[tuple[object, bytes]]:
    files = sorted((ROOT / "examples" / "policies").rglob("*.txt"))
    if not files:
        sys.exit("no samples under examples/policies")
    return [(parse_policy(f), f.read_bytes()) for f in files]


def make_editions(samples, count: int, offset: int = 0) -> list[PutRequest]:
    """`count` requests: policy i // 5 of the sample i % len(samples), edition i % 5."""
    out = []
    for i in range(offset, offset + count):
        policy_no, edition = divmod(i, EDITIONS_PER_POLICY)
        base, data = samples[policy_no % len(samples)]
        pid = f"{base.policy_id or 'P'}-{policy_no:05d}"
        eff = f"{2020 + edition}-{(policy_no % 12) + 1:02d}-01"
        source = data + f"\n\nBenchmark copy {pid} effective {eff}\n".encode()
        statements = list(base.statements)
        if statements:
            s = statements[0]
            statements[0] = s.model_copy(update={"text": s.text + f" (revision {edition})"})
        policy = base.model_copy(update={
            "policy_id": pid, "statements": statements,
            "dates": base.dates.model_copy(update={"effective": eff}),
            "source": base.source.model_copy(update={"sha256": hashlib.sha256(source).hexdigest(),
                                                     "size": len(source), "path": f"{pid}-{eff}.txt"}),
        })
        out.append(PutRequest(policy, source, f"{pid}-{eff}.txt"))
    return out


def write_path(requests: list[PutRequest], where: Path) -> float:
    store = PolicyStore.init(where)
    start = time.perf_counter()
    for i in range(0, len(requests), BATCH):
        results = store.put_many(requests[i:i + BATCH])
        assert all(r.status == "new" for r in results), results
    store.maintain()  # what `medpolicy ingest` does after writing
    elapsed = time.perf_counter() - start
    store.close()
    return len(requests) / elapsed


@contextlib.contextmanager
def cheap_summaries():
    """Swap the diff engine's comparison for a constant, to show what the storage itself costs
    (the diff engine's share is the difference between the two runs)."""
    from medpolicy.store import summary, writer

    real = writer.compare
    writer.compare = lambda old, new: summary.Comparison(summary.FIRST if old is None else "changed", True)
    try:
        yield
    finally:
        writer.compare = real


def baseline(requests: list[PutRequest], where: Path) -> float:
    """Plain git: write the same files into a work tree, `git add`, `git commit` per edition."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    subprocess.run(["git", "init", "-q", str(where)], check=True)
    start = time.perf_counter()
    for req in requests:
        policy = stored_policy(req.policy, req.source_name)
        folder = where / "northwind" / policy.policy_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "record.json").write_bytes(canonical_json(policy))
        (folder / "policy.md").write_text(policy_to_markdown(policy), encoding="utf-8")
        (folder / "source.txt").write_bytes(req.source_bytes)
        subprocess.run(["git", "add", "--", str(folder)], cwd=where, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", f"{policy.policy_id} {policy.effective}"], cwd=where,
                       check=True, env=env)
    return len(requests) / (time.perf_counter() - start)


def timed_command(args: list[str], runs: int) -> tuple[float, float, float]:
    """Median and best wall time, and median CPU time (the command and the git processes it
    waited for: less sensitive to other load on the machine), in ms."""
    exe = shutil.which("medpolicy", path=str(Path(sys.executable).parent)) or "medpolicy"
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([exe, *args], capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(args)} failed: {proc.stderr.decode()}")
    return statistics.median(walls) * 1000, min(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--editions", type=int, default=1000)
    ap.add_argument("--big", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="build the big store here and keep it")
    ap.add_argument("--reuse", action="store_true", help="with --keep: time the store already there")
    args = ap.parse_args()

    samples = load_samples()
    tmp = Path(tempfile.mkdtemp(prefix="store-bench-"))
    try:
        reqs = make_editions(samples, args.editions)
        ours = write_path(reqs, tmp / "store")
        with cheap_summaries():
            storage = write_path(reqs, tmp / "store-storage")
        git_rate = baseline(reqs, tmp / "plain")
        print(f"write path, {args.editions} editions, with diff summaries: {ours:7.1f} editions/s   "
              f"(x{ours / git_rate:.1f} baseline)")
        print(f"write path, storage only (no diff):           {storage:7.1f} editions/s   "
              f"(x{storage / git_rate:.1f} baseline)")
        print(f"baseline: plain git add + git commit:         {git_rate:7.1f} editions/s")

        big = args.keep or tmp / "big"
        if not (args.reuse and big.exists()):
            if big.exists():
                shutil.rmtree(big)
            store = PolicyStore.init(big)
            start = time.perf_counter()
            for i in range(0, args.big, 500):
                store.put_many(make_editions(samples, min(500, args.big - i), offset=i))
            store.maintain()
            build = time.perf_counter() - start
            store.close()
            print(f"built a store of {args.big} editions in {build:.0f} s ({args.big / build:.0f} editions/s)")
        key = PolicyStore.open(big).list()[len(samples) * 7 % max(1, args.big // EDITIONS_PER_POLICY)].key
        base = ["--store", str(big)]
        for label, cmd in [("log", ["log", key]), ("show @date", ["show", f"{key}@2022-06-15", "--format", "json"]),
                           ("show latest", ["show", key]), ("list", ["list", "--format", "json"])]:
            med, best, cpu = timed_command(base + cmd, args.runs)
            print(f"medpolicy {label:<12} on {args.big} editions: median {med:4.0f} ms, best {best:4.0f} ms, "
                  f"cpu {cpu:4.0f} ms")
        med, best, cpu = timed_command(["--version"], args.runs)
        print(f"(medpolicy --version, for scale:  median {med:4.0f} ms, best {best:4.0f} ms, cpu {cpu:4.0f} ms)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
