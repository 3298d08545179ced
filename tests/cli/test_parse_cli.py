import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "medpolicy"

POLICY = """MEDICAL POLICY – 9.9.9

Widget Therapy

Effective Date: January 1, 2026

Policy

Widget therapy is considered medically necessary for adults with chronic widget deficiency.

Widget therapy is considered investigational for all other indications.

Coding

CPT\t12345\tWidget therapy, first session
"""


def run(*args):
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=120)


def test_parse_json_single(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text(POLICY)
    r = run("parse", str(f), "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["policy_id"] == "9.9.9" and data["title"] == "Widget Therapy"
    assert data["dates"]["effective"] == "2026-01-01"
    assert {s["position"] for s in data["statements"]} == {"medically_necessary", "investigational"}
    assert data["source"]["format"] == "text" and len(data["source"]["sha256"]) == 64


def test_parse_several_files_json_lines_and_bad_file(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(POLICY)
    b.write_text(POLICY.replace("9.9.9", "9.9.8"))
    r = run("parse", str(a), str(tmp_path / "missing.txt"), str(b), "--format", "jsonl")
    assert r.returncode == 2
    lines = r.stdout.strip().splitlines()
    assert [json.loads(x)["policy_id"] for x in lines] == ["9.9.9", "9.9.8"]
    assert r.stderr.count("\n") == 1 and "missing.txt" in r.stderr and "Traceback" not in r.stderr
    # --format json: one array for several files, one object for one file
    r = run("parse", str(a), str(tmp_path / "missing.txt"), str(b), "--format", "json")
    assert r.returncode == 2 and [x["policy_id"] for x in json.loads(r.stdout)] == ["9.9.9", "9.9.8"]
    assert json.loads(run("parse", str(a), "--format", "json").stdout)["policy_id"] == "9.9.9"


def test_parse_a_folder_stdin_and_globs(tmp_path):
    docs = tmp_path / "docs"
    (docs / "drafts").mkdir(parents=True)
    (docs / "a.txt").write_text(POLICY)
    (docs / "b.md").write_text(POLICY.replace("9.9.9", "9.9.8"))
    (docs / "drafts" / "c.txt").write_text(POLICY.replace("9.9.9", "9.9.7"))
    (docs / "notes.json").write_text("{}")
    r = run("parse", str(docs), "--format", "jsonl")
    assert r.returncode == 0 and [json.loads(x)["policy_id"] for x in r.stdout.splitlines()] == ["9.9.9", "9.9.8", "9.9.7"]
    r = run("parse", str(docs), "--exclude", "drafts/*", "--include", "*.txt", "--format", "jsonl")
    assert [json.loads(x)["policy_id"] for x in r.stdout.splitlines()] == ["9.9.9"]
    r = subprocess.run([str(BIN), "parse", "-", "--format", "json"], input=POLICY, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    assert record["policy_id"] == "9.9.9" and record["source"]["path"].endswith("stdin")
    r = run("parse", str(tmp_path / "docs" / "drafts"), "--exclude", "*")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "no documents" in r.stderr


def test_parse_text_and_markdown(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text(POLICY)
    r = run("parse", str(f))
    assert r.returncode == 0 and "Widget Therapy" in r.stdout and "\x1b[" not in r.stdout  # no colour in a pipe
    r = run("parse", str(f), "--format", "markdown")
    assert r.returncode == 0 and r.stdout.startswith("# Widget Therapy")


def test_schema_is_json_schema():
    r = run("schema")
    assert r.returncode == 0
    assert json.loads(r.stdout)["title"] == "Policy"


def test_format_by_content_not_extension(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text("<html><body><h1>Widget Therapy</h1><p>Policy Number: 9.9.7</p><h2>Policy</h2>"
                 "<p>Widget therapy is considered medically necessary for adults with deficiency.</p></body></html>")
    r = run("parse", str(f), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["source"]["format"] == "html"


def test_document_text_cannot_drive_the_terminal(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text(POLICY.replace("Widget Therapy\n", "Widget \x1b[2JTherapy\n", 1))
    r = run("parse", str(f))
    assert r.returncode == 0 and "\x1b" not in r.stdout
