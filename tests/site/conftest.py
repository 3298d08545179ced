"""A site of the bundled samples, built once per module."""
from __future__ import annotations

import pytest

from medpolicy.index import LibraryIndex
from medpolicy.site import build_site
from medpolicy.store import PolicyStore

from tests.index.conftest import samples_store  # noqa: F401  (the fixture)


@pytest.fixture(scope="module")
def site(samples_store, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("site") / "library"
    with PolicyStore.open(samples_store) as store, LibraryIndex.open(store, out.parent / "index.sqlite") as index:
        report = build_site(index, out)
    return out, report
