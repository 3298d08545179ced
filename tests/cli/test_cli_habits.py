"""Issue 10's command-line habits, through the real command: pipes, usage errors, no tracebacks,
--store anywhere, table formats, names that match nothing."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from medpolicy.store import PolicyStore, PutRequest
from tests.store.docs import record, write_doc
from tests.store.util import MEDPOLICY, ROOT, cli

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    """A store of 1,500 policies (more output than a pipe holds), written with the library."""
    path = tmp_path_factory.mktemp("big") / "store"
    store = PolicyStore.init(path)
    store.put_many([PutRequest(*record(policy_id=f"TS-{i:04d}", title=f"Widget Therapy number {i}"), f"{i}.txt")
                    for i in range(1500)])
    store.close()
    return path


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "store"
    assert cli(path, "init").returncode == 0
    docs = tmp_path / "docs"
    write_doc(docs, "a.txt", policy_id="TS-1.001", title="Widget Therapy for Testing")
    write_doc(docs, "b.txt", policy_id="MP-7.042", title="Genicular Nerve Ablation for Knee Pain")
    assert cli(path, "ingest", str(docs)).returncode == 0
    return path


@pytest.mark.parametrize("argv", [["list"], ["list", "--format", "jsonl"], ["list", "--format", "csv"],
                                  ["log", "TS-0001"], ["show", "TS-0001", "--format", "markdown"],
                                  ["search", "--text", "therapy"], ["changes", "--since", "1990-01-01"]])
def test_a_closed_pipe_is_quiet_and_a_success(big_store, argv):
    """`medpolicy list | head -1`: no message, and status 0 (the reader took what it wanted)."""
    proc = subprocess.Popen([*MEDPOLICY, "--store", str(big_store), *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert proc.returncode == 0 and "Traceback" not in err and "Broken pipe" not in err, err


def test_no_traceback_for_impossible_stores(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target, words in ((blocker / "store", "not a directory"), (Path("/proc/medpolicy-store"), "")):
        proc = subprocess.run([*MEDPOLICY, "init", str(target)], capture_output=True, text=True, env=ENV)
        assert proc.returncode in (2, 3) and "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0].lower(), proc.stderr


def test_verify_a_store_whose_objects_are_gone(store):
    for pack in (store / "objects" / "pack").iterdir():
        pack.unlink()
    proc = cli(store, "verify")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "not a policy store" not in proc.stderr
    assert "missing" in proc.stderr
    assert len(proc.stderr.splitlines()) <= 10  # git's own complaints summarised, not leaked
    listing = cli(store, "list")
    assert listing.returncode == 2 and "damaged" in listing.stderr


@pytest.mark.parametrize("argv, words", [
    (["ingest", "--policy", "a/b/c", "{doc}"], "--policy"),
    (["ingest", "--policy", "a//b", "{doc}"], "--policy"),
    (["ingest", "--timeout", "-1", "{doc}"], "--timeout"),
    (["ingest", "{missing}"], "does not exist"),
    (["ingest", "{empty}"], "no documents"),
    (["parse", "--timeout", "-5", "{doc}"], "--timeout"),
])
def test_usage_errors_exit_2(store, tmp_path, argv, words):
    doc = write_doc(tmp_path / "in", "x.txt")
    (tmp_path / "empty").mkdir()
    argv = [a.format(doc=doc, missing=tmp_path / "missing.pdf", empty=tmp_path / "empty") for a in argv]
    before = subprocess.run(["git", "-C", str(store), "rev-list", "--count", "main"], capture_output=True, text=True)
    proc = cli(store, *argv)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr and "Traceback" not in proc.stderr
    after = subprocess.run(["git", "-C", str(store), "rev-list", "--count", "main"], capture_output=True, text=True)
    assert before.stdout == after.stdout


def test_store_option_after_the_command(store):
    proc = subprocess.run([*MEDPOLICY, "list", "--store", str(store), "--format", "json"], capture_output=True,
                          text=True, env=ENV, cwd=ROOT)
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) == 2


def test_tables_in_every_format(store):
    for argv, key in ((["list"], "key"), (["log", "ts-1.001"], "commit"), (["verify"], "problem")):
        as_json = json.loads(cli(store, *argv, "--format", "json").stdout)
        lines = cli(store, *argv, "--format", "jsonl").stdout.splitlines()
        rows = list(csv.DictReader(io.StringIO(cli(store, *argv, "--format", "csv").stdout)))
        assert isinstance(as_json, list) and [json.loads(x) for x in lines] == as_json
        assert len(rows) == len(as_json)
        if as_json:
            assert [r[key] for r in rows] == [str(x[key]) for x in as_json]
    ingest = cli(store, "ingest", str(write_doc(store.parent / "more", "c.txt", policy_id="TS-3")), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(ingest.stdout)))
    assert [(r["status"], r["key"]) for r in rows] == [("new", "contoso-health/ts-3")]
    assert "1 new" in ingest.stderr  # the count goes to stderr when stdout carries data


def test_names_that_match_nothing_suggest_keys_and_title_words_find(store):
    proc = cli(store, "log", "widgit-therapy")
    assert proc.returncode == 2 and "did you mean contoso-health/ts-1.001" in proc.stderr
    assert cli(store, "show", "genicular", "--format", "json").returncode == 0  # a word of one title
    shown = json.loads(cli(store, "show", "042", "--format", "json").stdout)  # an id suffix
    assert shown["policy_id"] == "MP-7.042"


def test_markdown_nests_criteria_and_code_rows_stay_rows(tmp_path):
    """A statement's criteria are a list nested in its item (valid CommonMark, enumerators kept
    as text); a code-table row such as "HCPCS | No specific code" is never a section heading."""
    from markdown_it import MarkdownIt

    from tests.store.docs import policy_text

    doc = tmp_path / "p.txt"
    doc.write_text(policy_text().replace("97999\tUnlisted physical medicine service\n",
                                         "97999\tUnlisted physical medicine service\nHCPCS\tNo specific code\n"))
    page = cli(tmp_path / "none", "parse", str(doc), "--format", "markdown").stdout
    tokens = MarkdownIt("commonmark").parse(page)
    nested = [t for t in tokens if t.type == "bullet_list_open" and t.level > 0]
    assert nested, page  # the criteria list sits inside the statement's list item
    html = MarkdownIt("commonmark").render(page.split("## Codes")[0])  # the statements (the full text keeps its lists)
    assert "<li>1. The member has tried two standard treatments without benefit;</li>" in html, html
    assert "<li>2. The therapy is ordered by a specialist.</li>" in html
    assert "<ol" not in html  # "1." stays text
    record = json.loads(cli(tmp_path / "none", "parse", str(doc), "--format", "json").stdout)
    assert "HCPCS" not in [s["heading"] for s in record["sections"]]
    coding = next(s for s in record["sections"] if s["kind"] == "coding" and "97999" in s["text"])
    assert "HCPCS\tNo specific code" in coding["text"]


def test_ingest_from_stdin(store):
    from tests.store.docs import policy_text

    proc = cli(store, "ingest", "-", "--format", "json", input=policy_text(policy_id="TS-77"))
    assert proc.returncode == 0, proc.stderr
    [result] = json.loads(proc.stdout)
    assert (result["path"], result["status"], result["key"]) == ("-", "new", "contoso-health/ts-77")
    shown = json.loads(cli(store, "show", "ts-77", "--format", "json").stdout)
    assert shown["source"]["path"] == "stdin"
