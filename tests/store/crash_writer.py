"""A writer for the kill tests: stores editions in small batches and prints one line per
edition once `put_many` has returned it (i.e. once the store says it is durable).

    python crash_writer.py STORE SEED

Editions come from a fixed universe of 300 (60 policies; several effective dates each; some
are corrections of others), visited in a random order, so that runs overlap: an edition that
an earlier, killed run stored is "unchanged" now.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from medpolicy.store import PolicyStore, PutRequest  # noqa: E402
from tests.store.docs import record  # noqa: E402

UNIVERSE = 300


def edition(i: int) -> PutRequest:
    policy_no, n = divmod(i, 5)
    year = 2020 + (n if n < 4 else 2)  # n == 4 is a correction of n == 2
    policy, data = record(policy_id=f"K-{policy_no}", effective=f"{year}-01-01",
                          text=f"Widget therapy, edition {n} of policy {policy_no}.", salt=str(n))
    return PutRequest(policy, data, f"k{policy_no}-{n}.txt")


def main() -> None:
    store = PolicyStore.open(sys.argv[1])
    import medpolicy.diff  # noqa: F401 - warm up (imports, history) so that kills land in writes
    store.list()
    print("ready", flush=True)  # the test starts its kill timer here
    rng = random.Random(int(sys.argv[2]))
    order = list(range(UNIVERSE))
    rng.shuffle(order)
    while order:
        size = rng.randint(1, 12)
        batch, order = order[:size], order[size:]
        for r in store.put_many([edition(i) for i in batch]):
            assert r.status != "failed", r
            print(f"ack {r.status} {r.key} {r.effective} {r.commit}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
