"""The diff on parsed documents: the shared corpus's edition pairs, scored as eval_diff.py scores
them; one edition re-wrapped compares as identical (other forms of one edition:
test_same_edition.py)."""
from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from medpolicy.diff import diff_policies
from medpolicy.ingest import parse_policy

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.corpus


@functools.lru_cache(maxsize=None)
def parsed(path: Path):
    return parse_policy(path)


def _eval_module(tools: Path):
    spec = importlib.util.spec_from_file_location("shared_eval_diff", tools / "eval_diff.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(tools))  # eval_diff imports textnorm from beside it
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(tools))
    return module


def _pairs(versions: Path):
    return sorted(versions.rglob("expected-diff*.json"))


def test_version_pairs_score_fully(versions_dir, shared_tools_dir):
    """Every check eval_diff.py makes, in process, with the failures named."""
    check = _eval_module(shared_tools_dir).check
    failures = {}
    for exp_path in _pairs(versions_dir):
        exp = json.loads(exp_path.read_text())
        d = diff_policies(parsed(exp_path.parent / exp["old"]), parsed(exp_path.parent / exp["new"]))
        ok, total, fails = check(exp, json.loads(d.to_json()))
        if ok != total:
            failures[exp_path.parent.name] = fails
    assert not failures


def test_eval_diff_tool_passes(versions_dir, shared_tools_dir):
    """Done-when 1, as written: the shared evaluator over the CLI, minimum score 1.0."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([sys.executable, str(shared_tools_dir / "eval_diff.py"), str(versions_dir), "--min", "1.0"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def rewrap(text: str, width: int = 72) -> str:
    """Hard-wrap long lines at spaces or after the hyphen of a hyphenated word, as a PDF-to-text
    tool does; table rows (tab-separated) and URLs stay whole."""
    out = []
    for line in text.split("\n"):
        if "\t" in line or len(line) <= width:
            out.append(line)
            continue
        pieces = [p for tok in line.split() for p in
                  ([tok] if "://" in tok else re.findall(r"[^\s-]+-(?=[A-Za-z])|\S+", tok))]
        cur, split_word = "", False
        for piece in pieces:
            glue = "" if split_word and piece[:1].isalpha() else " "
            if cur and len(cur) + len(glue) + len(piece) > width:
                out.append(cur)
                cur = piece
            else:
                cur = cur + glue + piece if cur else piece
            split_word = bool(re.fullmatch(r"[^\s-]+-", piece))
        out.append(cur)
    return "\n".join(out)


def _rewrap_cases():
    cases = []
    versions = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "versions"
    for path in sorted(versions.glob("*/*.txt")) if versions.is_dir() else []:
        cases.append(pytest.param(f"{path.parent.name}/{path.name}", id=f"{path.parent.name}/{path.stem}"))
    return cases or [pytest.param("", id="none")]


@pytest.mark.parametrize("name", _rewrap_cases())
def test_rewrapped_edition_is_no_change(versions_dir, tmp_path, name):
    """Done-when 2: the same edition re-wrapped shows no change at all."""
    if not name:
        pytest.skip("no version texts")
    src = versions_dir / name
    wrapped = tmp_path / src.name
    wrapped.write_text(rewrap(src.read_text(encoding="utf-8")), encoding="utf-8")
    assert wrapped.read_text() != src.read_text()
    d = diff_policies(parsed(src), parse_policy(wrapped))
    assert d.summary_line() == "no changes"
