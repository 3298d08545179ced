"""Stores for index tests: the bundled samples and documents of ../shared, parsed once a session."""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from medpolicy.index import LibraryIndex
from medpolicy.store import PolicyStore, PutRequest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "examples" / "policies"
# Shared documents whose facts the tests below were written from (read by hand).
SHARED_DOCS = (
    "versions/premera-8.01.01/2025-05-01.txt",
    "versions/premera-8.01.01/2026-05-01.txt",
    "versions/excellus-7.02.11/2026-02-15.txt",
    "versions/excellus-7.02.11/2026-04-15.txt",
    "crawled/excellus_ctdna-liquid-biopsy_fetched-2026-03-22.txt",
)

_parsed: dict[Path, object] = {}


def parsed(path: Path):
    """parse_policy(path), once per session."""
    if path not in _parsed:
        from medpolicy.ingest import parse_policy

        _parsed[path] = parse_policy(path)
    return _parsed[path]


def ingest(store: PolicyStore, paths) -> list:
    return store.put_many([PutRequest(parsed(p), p.read_bytes(), p.name) for p in paths])


@pytest.fixture(scope="session")
def samples_store(tmp_path_factory) -> Path:
    """A store of the bundled samples' text editions (six editions of three policies)."""
    where = tmp_path_factory.mktemp("samples") / "store"
    with PolicyStore.init(where) as store:
        results = ingest(store, sorted(SAMPLES.rglob("*.txt")))
    assert [r.status for r in results] == ["new"] * 6
    return where


@pytest.fixture(scope="session")
def library_store(tmp_path_factory, corpus_dir) -> Path:
    """The samples and the ../shared documents of SHARED_DOCS in one store."""
    where = tmp_path_factory.mktemp("library") / "store"
    with PolicyStore.init(where) as store:
        results = ingest(store, [*sorted(SAMPLES.rglob("*.txt")), *(corpus_dir / d for d in SHARED_DOCS)])
    assert all(r.status == "new" for r in results), results
    return where


def copy_store(src: Path, dest: Path) -> Path:
    """A copy of a store, without the index another test may have embedded in it."""
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns("medpolicy-index.sqlite*"))
    return dest


@pytest.fixture
def samples_copy(samples_store, tmp_path) -> Path:
    return copy_store(samples_store, tmp_path / "store")


@contextlib.contextmanager
def opened(path: Path, db: Path | None = None):
    """The index of the store at `path` (embedded, or at `db`), closed with its store."""
    with PolicyStore.open(path) as store, LibraryIndex.open(store, db) as index:
        yield index
