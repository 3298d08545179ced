"""Fixtures for store tests."""
from __future__ import annotations

import pytest

from medpolicy.store import PolicyStore


@pytest.fixture
def store(tmp_path) -> PolicyStore:
    s = PolicyStore.init(tmp_path / "store")
    yield s
    s.close()
