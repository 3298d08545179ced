"""The store commands: output formats, exit statuses, failing files, finding the store."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.store.docs import write_doc
from tests.store.util import MEDPOLICY, ROOT, git, run_main

STORE_COMMANDS = ("init", "ingest", "list", "log", "show", "verify")


@pytest.fixture
def store(tmp_path, capsys):
    path = tmp_path / "store"
    assert run_main(capsys, "--store", str(path), "init")[0] == 0
    return path


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    write_doc(folder / "a", "2025.txt", policy_id="TS-1.001", effective="03/01/2025")
    write_doc(folder / "a", "2026.txt", policy_id="TS-1.001", effective="03/01/2026", extra="New sentence.")
    write_doc(folder / "b", "2025.txt", policy_id="TS-2.002", effective="06/01/2025")
    (folder / "notes.json").write_text("{}")  # not a document suffix: skipped in folders
    return folder


@pytest.mark.parametrize("name", STORE_COMMANDS)
def test_help_has_example_and_exit_status(capsys, name):
    code, out, _ = run_main(capsys, name, "--help")
    assert code == 0 and "Example" in out and f"medpolicy {name}" in out and "Exit status" in out


def test_ingest_list_log_show(store, docs, capsys):
    code, out, err = run_main(capsys, "--store", str(store), "ingest", str(docs))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 4 and lines[-1] == "3 new, 0 corrections, 0 in another format, 0 unchanged, 0 failed"
    assert all(ln.startswith("new ") for ln in lines[:3])
    assert "\x1b[" not in out + err  # no colour off a terminal

    code, out, _ = run_main(capsys, "--store", str(store), "list", "--format", "json")
    listed = json.loads(out)
    assert [p["key"] for p in listed] == ["contoso-health/ts-1.001", "contoso-health/ts-2.002"]
    assert set(listed[0]) >= {"key", "payer", "policy_id", "title", "latest_effective", "editions"}
    assert (listed[0]["latest_effective"], listed[0]["editions"]) == ("2026-03-01", 2)
    code, out, _ = run_main(capsys, "--store", str(store), "list")
    assert out.splitlines()[0].split()[:3] == ["KEY", "PAYER", "ID"] and "ts-2.002" in out

    code, out, _ = run_main(capsys, "--store", str(store), "log", "ts-1.001")
    assert code == 0 and out.splitlines()[1].startswith("2026-03-01") and out.splitlines()[2].startswith("2025-03-01")
    log = json.loads(run_main(capsys, "--store", str(store), "log", "TS-1.001", "--format", "json")[1])
    commit = log[1]["commit"]

    code, out, _ = run_main(capsys, "--store", str(store), "show", f"ts-1.001@{commit[:8]}", "--format", "json")
    assert code == 0 and json.loads(out)["dates"]["effective"] == "2025-03-01"
    code, out, _ = run_main(capsys, "--store", str(store), "show", "ts-1.001@2025-12-01")
    assert code == 0 and "edition effective 2025-03-01" in out and f"commit {commit[:10]}" in out


def test_failing_file_in_a_batch(store, docs, capsys, tmp_path):
    (docs / "broken.txt").write_bytes(b"\x00\x01\x02" * 2000)  # binary: refused by the parser
    (docs / "empty.txt").write_bytes(b"")
    tip = git(store, "rev-parse", "HEAD").stdout
    code, out, err = run_main(capsys, "--store", str(store), "ingest", str(docs), "--format", "json")
    assert code == 1
    files = json.loads(out)
    assert [f["status"] for f in files].count("new") == 3
    failed = {os.path.basename(f["path"]) for f in files if f["status"] == "failed"}
    assert failed == {"broken.txt", "empty.txt"}
    assert err.count("error:") == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == "3 new, 0 corrections, 0 in another format, 0 unchanged, 2 failed"
    # the failures wrote nothing: exactly one commit per stored edition
    assert int(git(store, "rev-list", "--count", f"{tip.strip()}..HEAD").stdout) == 3
    assert "broken" not in git(store, "ls-tree", "-r", "--name-only", "HEAD").stdout


def test_ingest_in_parallel(store, docs, capsys):
    for i in range(6):
        write_doc(docs / "more", f"{i}.txt", policy_id=f"TS-3.{i:03d}", effective="01/01/2025")
    code, out, err = run_main(capsys, "--store", str(store), "ingest", str(docs), "--jobs", "2", "--format", "json")
    assert code == 0, err
    assert [r["status"] for r in json.loads(out)] == ["new"] * 9
    assert len(json.loads(run_main(capsys, "--store", str(store), "list", "--format", "json")[1])) == 8


def test_policy_override(store, docs, capsys):
    code, out, err = run_main(capsys, "--store", str(store), "ingest", str(docs / "b"), "--policy", "Acme/Renamed")
    assert code == 0, err
    assert "acme/renamed" in out


def test_errors_exit_2_with_one_line(tmp_path, store, docs, capsys):
    cases = [
        ("--store", str(tmp_path / "nowhere"), "list"),
        ("--store", str(store), "log", "no-such-policy"),
        ("--store", str(store), "show", "x@2025-01-01"),
        ("--store", str(store), "init"),
        ("--store", str(store), "list", "--as-known-at", "last tuesday"),
    ]
    for argv in cases:
        code, out, err = run_main(capsys, *argv)
        assert code == 2, argv
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err


def test_ambiguous_policy_lists_candidates(store, docs, capsys):
    run_main(capsys, "--store", str(store), "ingest", str(docs))
    code, _, err = run_main(capsys, "--store", str(store), "log", "contoso")
    assert code == 2 and "ambiguous" in err and "contoso-health/ts-1.001" in err and "contoso-health/ts-2.002" in err


def test_verify(store, docs, capsys):
    run_main(capsys, "--store", str(store), "ingest", str(docs))
    code, out, _ = run_main(capsys, "--store", str(store), "verify")
    assert code == 0 and out.startswith("ok: 2 policies")


def test_store_from_environment_and_default(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("MEDPOLICY_STORE", None)
    proc = subprocess.run([*MEDPOLICY, "init"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "policy-store" / "HEAD").is_file()
    env["MEDPOLICY_STORE"] = str(tmp_path / "env-store")
    proc = subprocess.run([*MEDPOLICY, "init"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "env-store" / "HEAD").is_file()
    proc = subprocess.run([*MEDPOLICY, "list", "--format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and json.loads(proc.stdout) == []


def test_document_text_cannot_drive_the_terminal(store, capsys, tmp_path):
    from medpolicy.store import PolicyStore
    from tests.store.docs import record

    s = PolicyStore.open(store)
    policy, data = record(title="Evil \x1b[2J\x1b]0;pwned\x07 title\nsecond line", payer="Acme\x1b[31m")
    key = s.put(policy, data, "evil\x1b[1m.txt").key
    s.close()
    for argv in (["list"], ["log", key], ["show", key]):
        code, out, err = run_main(capsys, "--store", str(store), *argv)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out, argv
