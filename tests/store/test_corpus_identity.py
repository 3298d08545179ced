"""Issue 10, item 3 on the real documents: the FEP editions of policy 5.21.054 in
../shared/corpus/pdf print their letterhead one way in 2024 and another in 2025, and are one
policy in the store."""
from __future__ import annotations

import json

import pytest

from tests.store.util import cli

pytestmark = pytest.mark.corpus


def test_fep_letterhead_change_is_one_policy(tmp_path, pdf_dir):
    editions = sorted(pdf_dir.glob("bcbsfep_5.21.054_*.pdf"))
    assert len(editions) == 2
    store = tmp_path / "store"
    cli(store, "init")
    proc = cli(store, "ingest", *map(str, editions), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert [r["status"] for r in results] == ["new", "new"]
    assert results[0]["key"] == results[1]["key"]
    assert "one family" in results[1]["note"]
    log = json.loads(cli(store, "log", "5.21.054", "--format", "json").stdout)  # not ambiguous
    assert [e["effective"] for e in log] == ["2025-07-01", "2024-07-01"]
    assert len({e["payer"] for e in log}) == 2  # the two letterheads, kept as printed
