"""Broken and hostile files: each becomes one DocumentError naming the file, in bounded time.

The files are generated at test time by tests/badfiles.py. Controls (the same policy, unbroken)
must parse, so that a test cannot pass merely because everything fails.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from medpolicy.errors import DocumentError, LimitExceeded, MedpolicyError, NotAPolicyError
from medpolicy.ingest import parse_policy
from medpolicy.ingest.source import load_source
from tests import badfiles

TIMEOUT = 20.0
MEMORY_MB = 768


def _check(exc: MedpolicyError, path: Path) -> str:
    message = str(exc)
    assert path.name in message, message
    assert "\n" not in message, message
    assert len(message) < 400, message
    return message


def _load_error(path: Path, kind: type[DocumentError] = DocumentError) -> str:
    start = time.monotonic()
    with pytest.raises(kind) as info:
        load_source(path, timeout=TIMEOUT, memory_mb=MEMORY_MB)
    assert time.monotonic() - start < TIMEOUT + 5
    return _check(info.value, path)


def _parse_error(path: Path, kind: type[DocumentError] = DocumentError) -> str:
    start = time.monotonic()
    with pytest.raises(kind) as info:
        parse_policy(path, timeout=TIMEOUT, memory_mb=MEMORY_MB)
    assert time.monotonic() - start < TIMEOUT + 5
    return _check(info.value, path)


# -- files that cannot be read at all -----------------------------------------------------------

def test_missing_path(tmp_path):
    assert "no such file" in _load_error(tmp_path / "absent.pdf")


def test_directory(tmp_path):
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert "directory" in _load_error(folder)


def test_empty_file(tmp_path):
    assert "empty" in _load_error(badfiles.write_empty(tmp_path))


def test_whitespace_only_file(tmp_path):
    assert "empty" in _load_error(badfiles.write_whitespace(tmp_path))


def test_binary_garbage(tmp_path):
    assert "binary" in _load_error(badfiles.write_garbage(tmp_path))


def test_garbage_after_a_pdf_header(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.4\n" + badfiles.random.Random(3).randbytes(20000))
    _load_error(path)


def test_header_only_pdf(tmp_path):
    _load_error(badfiles.write_header_only_pdf(tmp_path))


def test_encrypted_pdf(tmp_path):
    message = _load_error(badfiles.write_encrypted_pdf(tmp_path))
    assert "encrypt" in message.lower() or "password" in message.lower()


def test_truncated_pdf(tmp_path, pdf_dir):
    source = pdf_dir / "wellcareky_cpp-143_em_overcoding.pdf"
    for fraction in (0.1, 0.5, 0.9):
        _load_error(badfiles.write_truncated_pdf(tmp_path, source, fraction))


# -- hostile PDFs: bounded time and memory ------------------------------------------------------------

def test_bomb_fixture_is_a_valid_stream():
    # the generator splices compressed blocks and computes the checksum arithmetically:
    # check both against zlib on a size small enough to inflate here
    import re
    import zlib

    raw = badfiles.bomb_stream(64, 2)
    data = re.search(rb"stream\n(.*)\nendstream", raw, re.S).group(1)
    assert zlib.decompress(zlib.decompress(data)) == b"q Q " * (1 << 18) * 64


def test_compression_bomb_two_layers(tmp_path):
    path = badfiles.write_bomb_pdf(tmp_path, inflated_mb=4096, layers=2)
    assert path.stat().st_size < 64 * 1024  # a few KB that would inflate to 4 GB
    _load_error(path, LimitExceeded)


def test_compression_bomb_one_layer(tmp_path):
    path = badfiles.write_bomb_pdf(tmp_path, inflated_mb=2048, layers=1)
    _load_error(path, LimitExceeded)


def test_looping_cross_reference_and_page_tree(tmp_path):
    _load_error(badfiles.write_xref_loop_pdf(tmp_path))


def test_prev_loop_only_either_recovers_or_refuses(tmp_path):
    # the objects are intact; a reader may rebuild the table, but must not loop or crash
    path = badfiles.write_prev_loop_pdf(tmp_path)
    try:
        src = load_source(path, timeout=TIMEOUT, memory_mb=MEMORY_MB)
    except DocumentError as exc:
        _check(exc, path)
    else:
        assert "Example Light Therapy" in "".join(src.pages)


# -- PDFs that open but hold no text --------------------------------------------------------------------

def test_scanned_pdf_without_text_layer(tmp_path):
    message = _parse_error(badfiles.write_scanned_pdf(tmp_path))
    assert any(w in message.lower() for w in ("scan", "no text", "image", "ocr")), message


def test_zero_pages(tmp_path):
    _parse_error(badfiles.write_zero_pages_pdf(tmp_path))


def test_deeply_nested_content_has_no_text(tmp_path):
    _parse_error(badfiles.write_deep_nesting_pdf(tmp_path))


def test_html_without_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title><script>var a = 1;</script></head><body> </body></html>")
    _parse_error(path)


# -- readable documents that are not policies ------------------------------------------------------------

def test_recipe_is_not_a_policy(tmp_path):
    _parse_error(badfiles.write_recipe(tmp_path), NotAPolicyError)


# -- controls ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("writer", [badfiles.write_policy_text, badfiles.write_policy_pdf,
                                    badfiles.write_handmade_policy_pdf])
def test_controls_parse(tmp_path, writer):
    policy = parse_policy(writer(tmp_path), timeout=TIMEOUT, memory_mb=MEMORY_MB)
    assert policy.policy_id == "9.99.001"
    assert any("light therapy" in s.text.lower() for s in policy.statements)
