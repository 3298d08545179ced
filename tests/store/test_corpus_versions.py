"""The two real policies in ../shared/corpus/versions, ingested newest edition first."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.store.util import assert_fsck_clean, git, run_main

pytestmark = pytest.mark.corpus

PREMERA = "premera-8.01.01"
EXCELLUS = "excellus-7.02.11"


@pytest.fixture
def ingested(tmp_path, versions_dir, capsys):
    """A store that received each policy's newer edition before its older one."""
    store = tmp_path / "store"
    assert run_main(capsys, "--store", str(store), "init")[0] == 0
    newer = sorted(versions_dir.glob("*/2026-0[45]-*.txt"))
    older = sorted(p for p in versions_dir.glob("*/*.txt") if p not in newer)
    assert len(newer) == 2 and len(older) == 2
    for batch in (newer, older):
        code, out, err = run_main(capsys, "--store", str(store), "ingest", *map(str, batch), "--format", "json")
        assert code == 0, err
        assert [r["status"] for r in json.loads(out)] == ["new", "new"]
    return store


def _key(store, capsys, policy_id):
    code, out, err = run_main(capsys, "--store", str(store), "list", "--format", "json")
    assert code == 0, err
    keys = [p["key"] for p in json.loads(out) if p["policy_id"] == policy_id]
    assert len(keys) == 1, out
    return keys[0]


@pytest.mark.parametrize("policy_id,dates", [("8.01.01", ["2025-05-01", "2026-05-01"]),
                                             ("7.02.11", ["2026-02-15", "2026-04-15"])])
def test_log_orders_by_effective_date(ingested, capsys, policy_id, dates):
    key = _key(ingested, capsys, policy_id)
    code, out, err = run_main(capsys, "--store", str(ingested), "log", policy_id, "--format", "json")
    assert code == 0, err
    log = json.loads(out)
    assert [e["effective"] for e in log] == dates[::-1]  # newest effective first
    assert log[-1]["summary"] == "first edition"
    # the newer edition arrived first, so it was first summarised as a first edition; now it is
    # summarised against the older edition that arrived later
    assert log[0]["summary"] != "first edition" and "dates.effective" in log[0]["summary"]
    for e in log:
        assert set(e) >= {"effective", "ingested_at", "commit", "source_name", "source_sha256", "summary"}
        assert e["source_name"] == f"{e['effective']}.txt"
    listed = {p["key"]: p for p in json.loads(run_main(capsys, "--store", str(ingested), "list", "--format", "json")[1])}
    assert listed[key]["latest_effective"] == dates[1] and listed[key]["editions"] == 2


@pytest.mark.parametrize("policy_id,day,expected", [
    ("8.01.01", "2025-04-30", None), ("8.01.01", "2025-05-01", "2025-05-01"), ("8.01.01", "2025-11-30", "2025-05-01"),
    ("8.01.01", "2026-05-01", "2026-05-01"), ("8.01.01", "2030-01-01", "2026-05-01"),
    ("7.02.11", "2026-01-01", None), ("7.02.11", "2026-03-01", "2026-02-15"), ("7.02.11", "2026-04-16", "2026-04-15"),
])
def test_show_at_date(ingested, capsys, versions_dir, policy_id, day, expected):
    code, out, err = run_main(capsys, "--store", str(ingested), "show", f"{policy_id}@{day}", "--format", "json")
    if expected is None:
        assert code == 2 and out == ""
        assert "no edition in effect on" in err and "first edition takes effect" in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        return
    assert code == 0, err
    shown = json.loads(out)
    assert shown["dates"]["effective"] == expected
    # the same object as `parse` prints, apart from where the file was
    folder = PREMERA if policy_id == "8.01.01" else EXCELLUS
    code, parsed, err = run_main(capsys, "parse", str(versions_dir / folder / f"{expected}.txt"), "--format", "json")
    parsed = json.loads(parsed)
    assert shown["source"].pop("path") == f"{expected}.txt"
    parsed["source"].pop("path")
    assert shown == parsed


def test_show_latest_and_markdown(ingested, capsys):
    code, out, err = run_main(capsys, "--store", str(ingested), "show", "8.01.01", "--format", "markdown")
    assert code == 0, err
    assert out.startswith("# ") and "2026-05-01" in out
    code, out, err = run_main(capsys, "--store", str(ingested), "show", "8.01.01")
    assert code == 0 and "edition effective 2026-05-01" in out


def test_reingest_is_idempotent(ingested, capsys, versions_dir):
    tip = git(ingested, "rev-parse", "HEAD").stdout
    code, out, err = run_main(capsys, "--store", str(ingested), "ingest", str(versions_dir), "--format", "json")
    assert code == 0, err
    assert [r["status"] for r in json.loads(out)] == ["unchanged"] * 4
    assert git(ingested, "rev-parse", "HEAD").stdout == tip


def test_correction(ingested, capsys, versions_dir, tmp_path):
    fixed = tmp_path / "fixed" / "2025-05-01-corrected.txt"
    fixed.parent.mkdir()
    text = (versions_dir / PREMERA / "2025-05-01.txt").read_text(encoding="utf-8")
    fixed.write_text(text.replace("Adoptive immunotherapy is being studied.",
                                  "Adoptive immunotherapy is still being studied.", 1), encoding="utf-8")
    assert fixed.read_text(encoding="utf-8") != text
    code, out, err = run_main(capsys, "--store", str(ingested), "ingest", str(fixed), "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["status"] == "correction"
    log = json.loads(run_main(capsys, "--store", str(ingested), "log", "8.01.01", "--format", "json")[1])
    assert [(e["effective"], e["correction"]) for e in log] == [
        ("2026-05-01", False), ("2025-05-01", True), ("2025-05-01", False)]
    text_log = run_main(capsys, "--store", str(ingested), "log", "8.01.01")[1]
    assert "correction" in text_log
    shown = json.loads(run_main(capsys, "--store", str(ingested), "show", "8.01.01@2025-06-01", "--format", "json")[1])
    assert shown["source"]["path"] == "2025-05-01-corrected.txt"
    # the corrected edition is the one the 2026 edition is now compared with
    assert log[0]["compared_to"] == log[1]["commit"]


def test_store_stays_sound(ingested, capsys):
    assert_fsck_clean(ingested)
    code, out, err = run_main(capsys, "--store", str(ingested), "verify", "--format", "json")
    assert code == 0 and json.loads(out) == [], out + err
    shutil.rmtree(ingested)
