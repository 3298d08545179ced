#!/usr/bin/env python3
"""Score the `medpolicy` on PATH on the crawled texts with the shared scorer, as hidden documents
are scored: `PATH=.venv/bin:$PATH python tests/ingest/crawled/score.py [--verbose] [NAME...]`."""
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[3] / "shared"


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("--")]
    with tempfile.TemporaryDirectory() as tmp:
        for gold in sorted(HERE.glob("*.expected.json")):
            stem = gold.name.removesuffix(".expected.json")
            if names and not any(n in stem for n in names):
                continue
            (Path(tmp) / gold.name).symlink_to(gold)
            (Path(tmp) / f"{stem}.txt").symlink_to(SHARED / "corpus" / "crawled" / f"{stem}.txt")
        return subprocess.call([sys.executable, str(SHARED / "tools" / "eval_parse.py"), tmp,
                                *[a for a in argv if a.startswith("--")]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
