"""`medpolicy parse` on bad input: one line on stderr per bad file naming it and the reason,
a non-zero exit status, never a traceback, and the good files of a batch still parsed.

Runs the installed entry point in a subprocess, as a user would. Bad files are generated at test
time (tests/badfiles.py); the one real PDF and the truncated copy come from the shared corpus.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import badfiles

BIN = Path(sys.executable).parent / "medpolicy"
GOOD_PDF = "wellcareky_cpp-150_340b_drug_payment.pdf"  # 3 pages
TRUNCATE_FROM = "wellcareky_cpp-143_em_overcoding.pdf"

# Limits passed through the environment, as a user would; the memory cap keeps the bomb cheap.
ENV = {**os.environ, "MEDPOLICY_PDF_TIMEOUT": "30", "MEDPOLICY_PDF_MEMORY_MB": "768", "NO_COLOR": "1"}


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "parse", *args], capture_output=True, text=True, timeout=300,
                          env=env or ENV)


def stderr_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.strip()]


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert "Fatal Python error" not in stream


# name -> (how to make it, what the reason must say)
def _missing(d: Path, _pdfs: Path) -> Path:
    return d / "absent.pdf"


def _directory(d: Path, _pdfs: Path) -> Path:
    (d / "folder.pdf").mkdir()
    return d / "folder.pdf"


def _truncated(d: Path, pdfs: Path) -> Path:
    return badfiles.write_truncated_pdf(d, pdfs / TRUNCATE_FROM, 0.5)


BAD = {
    "missing": (_missing, r"no such file|not found|does not exist"),
    # a folder is searched for documents, as `ingest` does (issue 10): this one has none
    "directory": (_directory, r"directory|no documents in this folder"),
    "empty": (lambda d, _: badfiles.write_empty(d), r"empty"),
    "whitespace": (lambda d, _: badfiles.write_whitespace(d), r"empty|blank|no text"),
    "garbage": (lambda d, _: badfiles.write_garbage(d), r"binary|not a .*document|unreadable"),
    "encrypted": (lambda d, _: badfiles.write_encrypted_pdf(d), r"encrypt|password"),
    "scanned": (lambda d, _: badfiles.write_scanned_pdf(d), r"scan|no text|image|ocr"),
    "truncated": (_truncated, r"truncat|damaged|unreadable|broken|incomplete"),
    "not_a_policy": (lambda d, _: badfiles.write_recipe(d), r"not .*polic"),
    "bomb": (lambda d, _: badfiles.write_bomb_pdf(d, inflated_mb=4096, layers=2),
             r"memory|longer than|too large|bomb"),
    "xref_loop": (lambda d, _: badfiles.write_xref_loop_pdf(d), r"loop|damaged|unreadable|cross-reference"),
}


@pytest.fixture
def bad_files(tmp_path, pdf_dir) -> dict[str, Path]:
    return {name: make(tmp_path, pdf_dir) for name, (make, _) in BAD.items()}


@pytest.mark.parametrize("kind", list(BAD))
def test_one_bad_file(kind, tmp_path, pdf_dir):
    make, reason = BAD[kind]
    path = make(tmp_path, pdf_dir)
    result = run(str(path), "--format", "json")
    assert_no_traceback(result)
    assert result.returncode != 0
    lines = stderr_lines(result)
    assert len(lines) == 1, result.stderr
    assert path.name in lines[0]
    assert re.search(reason, lines[0], re.I), lines[0]
    assert result.stdout.strip() == ""


def test_batch_of_good_and_bad_files(tmp_path, pdf_dir, bad_files):
    good_text = badfiles.write_policy_text(tmp_path, "good_policy.txt")
    good_pdf = pdf_dir / GOOD_PDF
    order = [good_text, *list(bad_files.values())[:6], good_pdf, *list(bad_files.values())[6:]]
    result = run(*map(str, order), "--format", "jsonl")
    assert_no_traceback(result)
    assert result.returncode != 0

    lines = stderr_lines(result)
    assert len(lines) == len(bad_files), result.stderr
    for kind, path in bad_files.items():
        naming = [ln for ln in lines if path.name in ln]
        assert len(naming) == 1, (kind, lines)
        assert re.search(BAD[kind][1], naming[0], re.I), naming[0]
    # error lines come in the order the files were given
    assert [next(p.name for p in bad_files.values() if p.name in ln) for ln in lines] == \
        [p.name for p in order if p in bad_files.values()]

    records = [json.loads(ln) for ln in result.stdout.splitlines() if ln.strip()]
    assert [Path(r["source"]["path"]).name for r in records] == [good_text.name, good_pdf.name]
    assert records[0]["policy_id"] == "9.99.001"
    assert records[1]["policy_id"]


def test_all_good_files_exit_zero(tmp_path, pdf_dir):
    result = run(str(badfiles.write_policy_text(tmp_path)), str(pdf_dir / GOOD_PDF), "--format", "json")
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert stderr_lines(result) == []


def test_timeout_is_one_line(tmp_path):
    # a few hundred KB of flate that inflates to 256 MB of operators: slow, not huge
    path = badfiles.write_bomb_pdf(tmp_path, inflated_mb=256, layers=1)
    env = {**ENV, "MEDPOLICY_PDF_MEMORY_MB": "4096"}
    result = run(str(path), "--timeout", "1", env=env)
    assert_no_traceback(result)
    assert result.returncode != 0
    lines = stderr_lines(result)
    assert len(lines) == 1 and path.name in lines[0]
    assert re.search(r"took longer than 1 s|memory", lines[0]), lines[0]


def test_text_format_errors_too(tmp_path):
    path = badfiles.write_garbage(tmp_path)
    result = run(str(path))
    assert_no_traceback(result)
    assert result.returncode != 0
    assert len(stderr_lines(result)) == 1
