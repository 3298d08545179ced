"""A child process for the index's kill and concurrency tests.

    python index_worker.py build STORE DB          full build; prints "started" at the first record
    python index_worker.py ingest STORE PREFIX N   stores N editions one at a time, each followed
                                                   by what `medpolicy ingest` does after writing
                                                   (PolicyStore.maintain, which updates the index)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from medpolicy.index import LibraryIndex  # noqa: E402
from medpolicy.store import PolicyStore  # noqa: E402
from tests.store.docs import record  # noqa: E402


def build(store_path: str, db: str) -> None:
    said = False

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal said
        if not said:
            print("started", flush=True)
            said = True

    with PolicyStore.open(store_path) as store, LibraryIndex.open(store, db) as index:
        index.update(rebuild=True, workers=1, progress=progress)
    print("done", flush=True)


def ingest(store_path: str, prefix: str, count: int) -> None:
    with PolicyStore.open(store_path) as store:
        for i in range(count):
            policy, data = record(policy_id=f"{prefix}-{i % 3}", effective=f"{2020 + i // 3}-01-01",
                                  text=f"Widget therapy {prefix} {i} is investigational.", codes=(f"{81400 + i}",))
            store.put(policy, data, f"{prefix}-{i}.txt")
            store.maintain()
            assert not store.warnings, store.warnings
    print("done", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3])
    else:
        ingest(sys.argv[2], sys.argv[3], int(sys.argv[4]))
