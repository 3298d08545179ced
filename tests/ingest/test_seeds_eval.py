"""The shared evaluator over the seed texts must score 1.0 (issue: 'Done when' 1)."""
import os
import subprocess
import sys
from pathlib import Path


def test_eval_parse_seeds(seeds_dir, shared_tools_dir):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    r = subprocess.run([sys.executable, str(shared_tools_dir / "eval_parse.py"), str(seeds_dir), "--min", "1.0"],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
