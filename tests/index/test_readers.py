"""The index file opens in the tools people use on SQLite files: Datasette and the sqlite3 shell,
with nothing of ours loaded."""
from __future__ import annotations

import asyncio
import shutil
import subprocess

import pytest

from .conftest import opened


@pytest.fixture(scope="module")
def db(samples_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("readers") / "library.sqlite"
    with opened(samples_store, path) as index:
        index.update()
    return path


def test_datasette_lists_tables_and_searches_statements(db):
    datasette = pytest.importorskip("datasette.app")

    async def ask():
        ds = datasette.Datasette([str(db)], immutables=[])
        tables = (await ds.client.get("/library.json")).json()["tables"]
        found = (await ds.client.get("/library/statements.json?_search=diagnostic+block&_shape=array")).json()
        sql = ("select e.policy_id, c.code, c.code_end from codes c join editions e on e.id = c.edition_id "
               "where e.is_latest and c.system = 'ICD-10-CM' and c.key_low <= 'E1065' and c.key_high >= 'E1065'")
        rows = (await ds.client.get("/library.json", params={"sql": sql, "_shape": "array"})).json()
        return tables, found, rows

    tables, found, rows = asyncio.run(ask())
    fts = {t["name"]: t["fts_table"] for t in tables}
    assert fts["statements"] == "statements_fts" and fts["sections"] == "sections_fts"
    # MP-7.042 statements naming a diagnostic block, in its three editions (I and III in 2026)
    assert found and all("diagnostic block" in s["text"].lower() for s in found)
    assert rows == [{"policy_id": "MP-1.118", "code": "E10.10", "code_end": "E10.9"}]


def test_sqlite3_shell_reads_it(db):
    shell = shutil.which("sqlite3")
    if shell is None:
        pytest.skip("sqlite3 shell not installed")
    out = subprocess.run([shell, "-readonly", str(db),
                          "SELECT policy_key, effective FROM editions WHERE is_latest ORDER BY policy_key;",
                          "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'theta';",
                          "PRAGMA user_version;"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "northwind-health-plan/mp-1.118|2026-01-01", "northwind-health-plan/mp-4.203|2025-09-01",
        "northwind-health-plan/mp-7.042|2026-03-01", "0", "1"]
