"""Helpers for store tests: plain git, and the medpolicy CLI as a real subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MEDPOLICY = [sys.executable, "-c", "from medpolicy.cli.main import main; main()"]
ROOT = Path(__file__).resolve().parents[2]


def git(path: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=check)


def assert_fsck_clean(path: Path) -> None:
    proc = git(path, "fsck", "--strict", "--no-progress", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error" not in (proc.stdout + proc.stderr).lower(), proc.stdout + proc.stderr


def cli(store: Path, *args: str, timeout: float = 120, env: dict[str, str] | None = None,
        input: str | None = None) -> subprocess.CompletedProcess:
    """`medpolicy --store STORE ARGS...` in a child process (no terminal: no colour, no bar);
    `env` adds to the environment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    env.pop("MEDPOLICY_STORE", None)
    return subprocess.run([*MEDPOLICY, "--store", str(store), *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT, input=input)


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    """The CLI in this process (fast): (exit status, stdout, stderr)."""
    from medpolicy.cli.main import main

    try:
        main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:  # pragma: no cover - main always exits
        code = 0
    out, err = capsys.readouterr()
    return code, out, err
