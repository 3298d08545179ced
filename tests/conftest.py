"""Shared fixtures. Tests that read ../shared/corpus skip where it is absent (a user's machine)
and fail when it is absent under CI (CI=true), so CI can never pass by skipping them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def _corpus_or_skip(sub: str) -> Path:
    path = CORPUS / sub
    if not path.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared corpus missing under CI: {path}")
        pytest.skip(f"shared corpus not found at {path} (only present in the development checkout)")
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return _corpus_or_skip("")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _corpus_or_skip("seeds")


@pytest.fixture(scope="session")
def versions_dir() -> Path:
    return _corpus_or_skip("versions")


@pytest.fixture(scope="session")
def pdf_dir() -> Path:
    return _corpus_or_skip("pdf")


@pytest.fixture(scope="session")
def shared_tools_dir() -> Path:
    path = SHARED / "tools"
    if not path.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared tools missing under CI: {path}")
        pytest.skip(f"shared tools not found at {path}")
    return path
