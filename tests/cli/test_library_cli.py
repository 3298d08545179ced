"""The library commands as a user runs them: real subprocesses for exit codes and streams."""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from tests.index.conftest import copy_store, samples_store  # noqa: F401  (the fixture)
from tests.store.util import cli


@pytest.fixture(scope="module")
def store(samples_store, tmp_path_factory):  # noqa: F811
    return copy_store(samples_store, tmp_path_factory.mktemp("cli") / "store")


def test_index_then_search_by_code_in_every_format(store):
    done = cli(store, "index")
    assert done.returncode == 0, done.stderr
    assert "6 editions added" in done.stdout and "medpolicy-index.sqlite" in done.stdout
    text = cli(store, "search", "--code", "E10.65")
    assert text.returncode == 0 and text.stderr == ""
    assert text.stdout.splitlines()[0].startswith("northwind-health-plan/mp-1.118@2026-01-01")
    assert "code ICD-10-CM E10.10-E10.9  Type 1 diabetes mellitus" in text.stdout
    hits = json.loads(cli(store, "search", "--code", "E10.65", "--format", "json").stdout)
    assert [(h["policy_id"], h["code"], h["code_end"]) for h in hits] == [("MP-1.118", "E10.10", "E10.9")]
    lines = cli(store, "search", "--position", "not_covered", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 3 and all(json.loads(line)["position"] == "not_covered" for line in lines)
    rows = list(csv.DictReader(io.StringIO(cli(store, "search", "--text", "diagnostic block", "--position",
                                               "medically_necessary", "--format", "csv").stdout)))
    assert [(r["policy_id"], r["statement_id"]) for r in rows] == [("MP-7.042", "S1")]
    assert rows[0]["criteria"].startswith("A. Knee pain") and rows[0]["criteria"].count(" | ") == 4


def test_search_exit_status_like_grep(store):
    nothing = cli(store, "search", "--code", "64454", "--as-of", "2025-06-01")
    assert nothing.returncode == 1 and nothing.stdout == ""
    for args, message in [(("--code", "liquid"), "does not look like"), (("--as-of", "2025-13-01", "--code", "64454"),
                          "not a calendar date"), ((), "say what to look for"),
                          (("--position", "covrd"), "--position is one of")]:
        bad = cli(store, "search", *args)
        assert bad.returncode == 2 and message in bad.stderr and "Traceback" not in bad.stderr, bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1


def test_compare_rows(store):
    rows = json.loads(cli(store, "search", "--code", "64454", "--compare", "--format", "json").stdout)
    assert [(r["policy_id"], r["positions"]) for r in rows] == \
        [("MP-7.042", ["medically_necessary", "investigational", "not_covered"])]
    text = cli(store, "search", "--code", "64454", "--compare").stdout
    assert "      A. Knee pain has been present" in text


def test_changes_feed(store):
    items = json.loads(cli(store, "changes", "--since", "2025-01-01", "--format", "json").stdout)
    assert [(i["effective"], i["policy_id"]) for i in items] == [
        ("2026-03-01", "MP-7.042"), ("2026-01-01", "MP-1.118"), ("2025-09-01", "MP-4.203"),
        ("2025-03-01", "MP-7.042"), ("2025-01-01", "MP-1.118")]
    assert items[2]["summary"] == "first edition" and items[2]["classes"] is None
    substantive = json.loads(cli(store, "changes", "--since", "2024-01-01", "--substantive", "--format", "json").stdout)
    assert [(i["effective"], i["policy_id"]) for i in substantive] == [("2026-03-01", "MP-7.042"),
                                                                      ("2026-01-01", "MP-1.118")]
    window = cli(store, "changes", "--since", "2025-02-01", "--until", "2025-12-31")
    assert window.returncode == 0
    assert [line.split()[0] for line in window.stdout.splitlines() if not line.startswith(" ")] == \
        ["2025-09-01", "2025-03-01"]
    bad = cli(store, "changes", "--since", "yesterday")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    # MP-7.042 2026 rewords a criterion (coverage) and changes codes (coding); its 2025 edition only
    # dates, history and references
    coverage = json.loads(cli(store, "changes", "--since", "2024-01-01", "--class", "coverage", "--format", "json").stdout)
    assert [(i["effective"], i["policy_id"]) for i in coverage] == [("2026-03-01", "MP-7.042"), ("2026-01-01", "MP-1.118")]
    assert all(any(c["class"] == "coverage" for c in i["changes"]) for i in coverage)
    references = json.loads(cli(store, "changes", "--since", "2025-03-01", "--until", "2025-03-01", "--class",
                                "references", "--format", "json").stdout)
    assert [(i["policy_id"], i["substantive"]) for i in references] == [("MP-7.042", False)]
    typo = cli(store, "changes", "--since", "2024-01-01", "--class", "coverge")
    assert typo.returncode == 2 and "not a change class" in typo.stderr


def test_a_db_that_is_not_an_index(store, tmp_path):
    other = tmp_path / "x.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    done = cli(store, "search", "--code", "64454", "--db", str(other))
    assert done.returncode == 2 and "not a medpolicy index" in done.stderr and "Traceback" not in done.stderr


def test_site_command(store, tmp_path):
    out = tmp_path / "site"
    done = cli(store, "site", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file() and "wrote 9 pages (3 diff reports)" in done.stdout
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("x")
    refused = cli(store, "site", str(tmp_path / "mine"))
    assert refused.returncode == 2 and "not a site made by" in refused.stderr




def test_ingest_keeps_an_existing_index_up_to_date(store):
    import subprocess

    from tests.index.conftest import ROOT

    assert cli(store, "index").returncode == 0
    done = cli(store, "ingest", str(ROOT / "examples/pdf/northwind/MP-4.203/2025-09-01.pdf"))
    assert done.returncode == 0, done.stderr
    tip = subprocess.run(["git", "--git-dir", str(store), "rev-parse", "main"], capture_output=True,
                         text=True).stdout.strip()
    db = sqlite3.connect(store / "medpolicy-index.sqlite")
    assert db.execute("SELECT value FROM meta WHERE key = 'store_tip'").fetchone() == (tip,)
    db.close()
    search = cli(store, "search", "--code", "90867")
    assert search.returncode == 0 and "index updated" not in search.stderr  # nothing left to do
