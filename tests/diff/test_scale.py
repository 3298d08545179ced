"""Issue 11, item 11: the diff stays near-linear. Two editions of 10,000 statements and 10,000
paragraphs (benchmarks/synthetic.py, edits in proportion) go through the real `medpolicy diff`
command; the quadratic matcher took 32 s and 1.6 GB on such a pair. The bounds here are loose
(a shared, loaded test machine): memory is the robust signal, since a dense old x new matrix
of 10,000 x 10,000 alone is 400 MB."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import editions  # noqa: E402

pytestmark = pytest.mark.slow

MAX_RSS_MB = 400
MAX_SECONDS = 90
# Runs the command and prints its peak RSS (KB). A small launcher, because Linux keeps a process's
# peak RSS across fork and exec: the command started straight from pytest would report pytest's.
LAUNCHER = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_ten_thousand_statements_and_paragraphs(tmp_path):
    old, new, made = editions(10_000)
    a, b, out = tmp_path / "old.json", tmp_path / "new.json", tmp_path / "diff.json"
    a.write_text(old.to_json(indent=None))
    b.write_text(new.to_json(indent=None))
    exe = Path(sys.executable).parent / "medpolicy"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", LAUNCHER, str(exe), "diff", str(a), str(b), "--format", "json",
                           "-o", str(out)], capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    peak_mb = int(done.stdout.split()[-1]) / 1024
    assert peak_mb < MAX_RSS_MB, f"peak RSS {peak_mb:.0f} MB"
    assert elapsed < MAX_SECONDS, f"{elapsed:.1f} s"
    data = json.loads(out.read_text())
    st = data["statements"]
    assert (len(st["added"]), len(st["removed"])) == (made["statements_added"], made["statements_removed"])
    assert sum(m["position_changed"] for m in st["modified"]) == made["positions_changed"]
    assert len(data["codes"]["added"]) == made["codes_added"] and len(data["codes"]["removed"]) == made["codes_removed"]
    assert len(data["sections"]["moved"]) >= made["paragraphs_moved"]
