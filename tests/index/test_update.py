"""The index follows the store: incrementally, after a kill, beside concurrent writers, and when
the store is changed by plain git. It never answers from an older store than the one on disk."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from medpolicy.errors import UsageError
from medpolicy.index import LibraryIndex, Query, Scope
from medpolicy.index.schema import TABLES
from medpolicy.store import PolicyStore
from tests.store.docs import record
from tests.store.util import git

from .conftest import SAMPLES, copy_store, opened

WORKER = Path(__file__).with_name("index_worker.py")
ROOT = Path(__file__).resolve().parents[2]
CONTENT_TABLES = [line.split()[2] for line in TABLES.splitlines() if line.startswith("CREATE TABLE")]


def content(db: Path) -> dict[str, list]:
    """Every row of every table (FTS tables are derived; the time of the last update aside)."""
    conn = sqlite3.connect(db)
    out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in CONTENT_TABLES}
    out["meta"] = [r for r in out["meta"] if r[0] != "updated_at"]
    out["fts"] = conn.execute("SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'widget OR knee' "
                              "ORDER BY rowid").fetchall()
    conn.close()
    return out


def rebuilt(store: Path, tmp: Path) -> dict[str, list]:
    db = tmp / "rebuilt.sqlite"
    db.unlink(missing_ok=True)
    with opened(store, db) as index:
        index.update(rebuild=True)
    return content(db)


def put(store: Path, **kw) -> None:
    with PolicyStore.open(store) as s:
        policy, data = record(**kw)
        s.put(policy, data, f"{kw.get('policy_id')}-{kw.get('effective')}.txt")


def codes_found(store: Path, code: str, **scope) -> list[tuple[str, str]]:
    with opened(store) as index:
        return sorted((h["policy_key"], h["effective"]) for h in index.search(Query(code=code, scope=Scope(**scope))))


def test_incremental_updates_equal_a_rebuild(samples_copy, tmp_path):
    with opened(samples_copy) as index:
        first = index.update()
    assert first.rebuilt and first.added == 6
    put(samples_copy, policy_id="TS-9", effective="2025-01-01", codes=("81445",))
    put(samples_copy, policy_id="TS-9", effective="2027-01-01", codes=("81446",))
    with opened(samples_copy) as index:
        report = index.update()
    assert not report.rebuilt and report.added == 2 and report.diffed == 2
    # an older edition arriving late goes between two others: the later one is judged again
    put(samples_copy, policy_id="TS-9", effective="2026-01-01", codes=("81445", "81446"))
    with opened(samples_copy) as index:
        report = index.update()
        assert (report.added, report.diffed) == (1, 2)
        assert codes_found(samples_copy, "81446", as_of="2026-06-30") == [("contoso/ts-9", "2026-01-01")]
    assert content(samples_copy / "medpolicy-index.sqlite") == rebuilt(samples_copy, tmp_path)


def test_nothing_to_do_when_the_store_has_not_moved(samples_copy):
    with opened(samples_copy) as index:
        index.update()
        again = index.update()
    assert not again.changed and again.added == again.diffed == 0


def feed(index) -> list[dict]:
    """The change feed by known date, each change by kind, operation and class (a change's label
    quotes its section heading, which the PDF and the text of one edition may print apart)."""
    return [{**item, "changes": sorted((c["kind"], c["op"], c["class"]) for c in item["changes"])}
            for item in index.changes("2000-01-01", known=True)]


def test_a_format_only_reingest_makes_no_change(samples_copy, tmp_path):
    """The same edition again as PDF: no change row of its own, the edition still known from
    when its text was stored, the same summaries and classes, before and after a rebuild."""
    from .conftest import ingest

    with opened(samples_copy) as index:
        index.update()
        before = feed(index)
    with PolicyStore.open(samples_copy) as store:
        ingest(store, [ROOT / "examples/pdf/northwind/MP-7.042/2026-03-01.pdf"])
    with opened(samples_copy) as index:
        report = index.update()
        assert report.changed and report.added == 0
        assert feed(index) == before
        index.update(rebuild=True)
        assert feed(index) == before


@pytest.mark.slow
def test_killed_mid_update_the_next_run_repairs(tmp_path):
    store_path = tmp_path / "store"
    with PolicyStore.init(store_path) as store:
        for i in range(120):
            policy, data = record(policy_id=f"K-{i // 4}", effective=f"{2020 + i % 4}-01-01",
                                  text=f"Widget therapy {i} is investigational.", codes=(f"{81400 + i % 50}",))
            store.put(policy, data, f"k{i}.txt")
    db = tmp_path / "index.sqlite"
    with opened(store_path, db) as index:
        index.update()
    good = content(db)
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, str(WORKER), "build", str(store_path), str(db)],
                                stdout=subprocess.PIPE, text=True, start_new_session=True)
        assert proc.stdout.readline().strip() == "started"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert content(db) == good  # the killed rebuild left the index as it was
    put(store_path, policy_id="K-0", effective="2030-01-01", codes=("99999",))
    proc = subprocess.Popen([sys.executable, str(WORKER), "build", str(store_path), str(db)],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout.readline().strip() == "started"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert codes_found(store_path, "99999") == [("contoso/k-0", "2030-01-01")]  # embedded index: fresh
    with opened(store_path, db) as index:
        assert [h["policy_key"] for h in index.search(Query(code="99999"))] == ["contoso/k-0"]
    assert content(db) == rebuilt(store_path, tmp_path)


@pytest.mark.slow
def test_concurrent_ingests_each_updating_the_index(tmp_path):
    store_path = tmp_path / "store"
    PolicyStore.init(store_path).close()
    with opened(store_path) as index:  # a store with an index: every ingest keeps it up to date
        index.update()
    procs = [subprocess.Popen([sys.executable, str(WORKER), "ingest", str(store_path), prefix, "9"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for prefix in ("A", "B")]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0 and out.strip() == "done", err
    tip = git(store_path, "rev-parse", "main").stdout.strip()
    db = sqlite3.connect(store_path / "medpolicy-index.sqlite")
    assert db.execute("SELECT value FROM meta WHERE key = 'store_tip'").fetchone() == (tip,)  # no query needed
    db.close()
    with opened(store_path) as index:
        assert len(index.changes("2000-01-01")) == 18
    assert content(store_path / "medpolicy-index.sqlite") == rebuilt(store_path, tmp_path)


def test_a_clone_and_a_plain_git_commit(samples_store, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(samples_store), str(clone))
    assert not (clone / ".git" / "medpolicy-index.sqlite").exists()  # an index is never cloned
    assert codes_found(clone, "64454") == [("northwind-health-plan/mp-7.042", "2026-03-01")]
    # a plain git commit edits the latest edition's record: 64454 becomes 64455
    path = clone / "northwind-health-plan/mp-7.042/editions/2026-03-01/record.json"
    data = json.loads(path.read_text())
    for code in data["codes"]:
        if code["code"] == "64454":
            code["code"] = "64455"
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    git(clone, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "fix a code by hand")
    assert codes_found(clone, "64454") == []
    assert codes_found(clone, "64455") == [("northwind-health-plan/mp-7.042", "2026-03-01")]
    # history rewritten under the index: it is rebuilt, not patched
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    assert codes_found(clone, "64454") == [("northwind-health-plan/mp-7.042", "2026-03-01")]
    assert codes_found(clone, "64455") == []


def test_a_damaged_record_is_named_and_the_rest_indexed(samples_store, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(samples_store), str(clone))
    bad = "northwind-health-plan/mp-4.203/editions/2025-09-01/record.json"
    (clone / bad).write_text("{not json")
    git(clone, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "break a record")
    with opened(clone) as index:
        report = index.update()
        assert len(report.skipped) == 1 and report.skipped[0].startswith(bad + ": ")
        assert codes_found(clone, "90867") == []
        assert codes_found(clone, "64454") == [("northwind-health-plan/mp-7.042", "2026-03-01")]


def test_a_db_that_is_not_an_index_is_refused_and_a_damaged_embedded_one_rebuilt(samples_copy, tmp_path):
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with PolicyStore.open(samples_copy) as store:
        with pytest.raises(UsageError, match="not a medpolicy index"):
            LibraryIndex.open(store, other)
        garbage = tmp_path / "garbage.sqlite"
        garbage.write_bytes(b"this is not a database" * 100)
        with pytest.raises(UsageError, match="not a medpolicy index"):
            LibraryIndex.open(store, garbage)
    (samples_copy / "medpolicy-index.sqlite").write_bytes(b"garbage" * 1000)
    assert codes_found(samples_copy, "E10.65") == [("northwind-health-plan/mp-1.118", "2026-01-01")]


def test_an_index_of_another_store_is_rebuilt(samples_store, tmp_path):
    db = tmp_path / "index.sqlite"
    other = tmp_path / "other"
    with PolicyStore.init(other) as store:
        policy, data = record(policy_id="TS-7", codes=("81445",))
        store.put(policy, data, "ts7.txt")
    with opened(other, db) as index:
        assert [h["policy_key"] for h in index.search(Query(code="81445"))] == ["contoso/ts-7"]
    with opened(samples_store, db) as index:
        assert index.search(Query(code="81445")) == []
        assert index.last_update is not None and index.last_update.rebuilt


def test_a_policy_moved_by_git_mv_keeps_its_dates(samples_store, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(samples_store), str(clone))
    with opened(clone) as index:
        index.update()
        before = {(c["effective"], c["first_known_at"], c["known_at"], c["summary"])
                  for c in index.changes("2000-01-01") if c["policy_id"] == "MP-7.042"}
    git(clone, "mv", "northwind-health-plan/mp-7.042", "northwind-health-plan/genicular-rfa")
    git(clone, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "rename a policy")
    with opened(clone) as index:
        report = index.update()
        assert (report.added, report.removed) == (3, 3)
        moved = index.changes("2000-01-01")
    assert {c["policy_key"] for c in moved if c["policy_id"] == "MP-7.042"} == {"northwind-health-plan/genicular-rfa"}
    assert {(c["effective"], c["first_known_at"], c["known_at"], c["summary"])
            for c in moved if c["policy_id"] == "MP-7.042"} == before
    assert content(clone / ".git" / "medpolicy-index.sqlite") == rebuilt(clone, tmp_path)
