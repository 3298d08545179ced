"""Issue 11, items 4, 8 and 9: documents built to break the parser (a paragraph of a million
characters, broken or unusual encodings, HTML nested thousands deep), through the real
commands: the document is read as it should be, or fails alone, and its batch goes through."""
from __future__ import annotations

import json

import pytest

from tests.store.docs import policy_text, write_doc
from tests.store.util import cli, run_main

LONG_SENTENCE = "Widget therapy is considered investigational when it is given for any reason not listed here. "


def test_a_paragraph_of_a_million_characters(tmp_path):
    """Past spaCy's max_length (1,000,000 characters) in one paragraph: parsed in bounded
    pieces, and its batch stored with it."""
    docs = tmp_path / "docs"
    long_doc = write_doc(docs, "long.txt", extra=LONG_SENTENCE * 11_000)
    assert len(long_doc.read_text()) > 1_000_000
    write_doc(docs, "other.txt", policy_id="TS-2.002")
    store = tmp_path / "store"
    cli(store, "init")
    proc = cli(store, "ingest", str(docs), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert [r["status"] for r in json.loads(proc.stdout)] == ["new", "new"]
    shown = json.loads(cli(store, "show", "ts-1.001", "--format", "json").stdout)
    positions = [s["position"] for s in shown["statements"]]
    assert "investigational" in positions and "medically_necessary" in positions
    assert sum(len(s["text"]) for s in shown["sections"]) > 1_000_000  # nothing lost


def test_a_bug_on_one_file_costs_that_file_only(tmp_path, capsys, monkeypatch):
    """Whatever an extractor raises on one document becomes one line for that file."""
    import medpolicy.ingest.pipeline as pipeline

    real = pipeline.extract_codes

    def breaks_on_b(doc, sections):
        if doc.source.path.endswith("b.txt"):
            raise ValueError("an extractor bug")
        return real(doc, sections)

    monkeypatch.setattr(pipeline, "extract_codes", breaks_on_b)
    docs = tmp_path / "docs"
    for name, pid in (("a.txt", "TS-1"), ("b.txt", "TS-2"), ("c.txt", "TS-3")):
        write_doc(docs, name, policy_id=pid)
    store = tmp_path / "store"
    assert run_main(capsys, "--store", str(store), "init")[0] == 0
    code, out, err = run_main(capsys, "--store", str(store), "ingest", str(docs))
    assert code == 1
    assert out.splitlines()[-1] == "2 new, 0 corrections, 0 in another format, 0 unchanged, 1 failed"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "b.txt: could not be parsed (ValueError: an extractor bug)" in lines[0]


def _encodings_cases(text: str) -> dict[str, bytes]:
    return {
        "utf-16-le-bom": b"\xff\xfe" + text.encode("utf-16-le"),
        "utf-16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf-32-le-bom": b"\xff\xfe\x00\x00" + text.encode("utf-32-le"),
        "utf-32-be-bom": b"\x00\x00\xfe\xff" + text.encode("utf-32-be"),
        "utf-8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
    }


@pytest.mark.parametrize("name", list(_encodings_cases("x")))
def test_unicode_encodings_by_bom(tmp_path, name):
    text = policy_text(title="Widget Thérapie for Testing")
    path = tmp_path / f"{name}.txt"
    path.write_bytes(_encodings_cases(text)[name])
    proc = cli(tmp_path / "none", "parse", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Widget Thérapie for Testing" and record["policy_id"] == "TS-1.001"


def test_one_invalid_byte_does_not_turn_utf8_into_cp1252(tmp_path):
    """One bad byte in a UTF-8 document: the rest stays UTF-8 (no mojibake that the diff would
    report as a change), the bad byte becomes U+FFFD, and a warning says so."""
    good = policy_text(title="Widget Thérapie – for Testing")
    bad = good.encode("utf-8").replace(b"Last Review", b"Last \xff Review", 1)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_bytes(good.encode("utf-8"))
    (docs / "bad.txt").write_bytes(bad)
    proc = cli(tmp_path / "none", "parse", str(docs / "bad.txt"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Widget Thérapie – for Testing"
    assert any("invalid UTF-8" in w for w in record["warnings"]), record["warnings"]
    diff = cli(tmp_path / "none", "diff", str(docs / "good.txt"), str(docs / "bad.txt"), "--format", "json")
    assert json.loads(diff.stdout)["summary"]["substantive"] is False, diff.stdout[:2000]


def test_cp1252_without_utf8_is_still_read(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(policy_text(title="Widget Thérapie – for Testing").encode("cp1252"))
    record = json.loads(cli(tmp_path / "none", "parse", str(path), "--format", "json").stdout)
    assert record["title"] == "Widget Thérapie – for Testing"


def _html(body_blocks: list[str], depth: int) -> str:
    return ("<html><body>" + "<div>" * depth + "".join(body_blocks) + "</div>" * depth + "</body></html>")


@pytest.mark.parametrize("depth", [150, 199, 200, 201, 1000, 20_000])
def test_html_nesting_depth_does_not_change_the_text(tmp_path, depth):
    blocks = [f"<p>{line}</p>" for line in policy_text().split("\n") if line.strip()]
    flat = tmp_path / "flat.html"
    flat.write_text(_html(blocks, 1))
    deep = tmp_path / "deep.html"
    deep.write_text(_html(blocks, depth))
    a = json.loads(cli(tmp_path / "none", "parse", str(flat), "--format", "json").stdout)
    proc = cli(tmp_path / "none", "parse", str(deep), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    b = json.loads(proc.stdout)
    assert [s["text"] for s in b["sections"]] == [s["text"] for s in a["sections"]]
    assert [s["text"] for s in b["statements"]] == [s["text"] for s in a["statements"]]
    assert (b["policy_id"], b["title"]) == (a["policy_id"], a["title"])


def test_deep_lists_and_tables_keep_their_lines(tmp_path):
    """Structure below the depth limit is kept line by line: list items and table rows are
    not glued into one paragraph."""
    text = policy_text()
    head, _, rest = text.partition("Coding")
    deep = tmp_path / "deep.html"
    inner = "".join(f"<p>{ln}</p>" for ln in head.split("\n") if ln.strip())
    inner += "<h2>Coding</h2><table><tr><td>CPT</td><td>Description</td></tr>"
    inner += "<tr><td>97999</td><td>Unlisted physical medicine service</td></tr></table>"
    inner += "".join(f"<p>{ln}</p>" for ln in rest.split("\n")[3:] if ln.strip())
    deep.write_text("<html><body>" + "<section>" * 400 + inner + "</section>" * 400 + "</body></html>")
    record = json.loads(cli(tmp_path / "none", "parse", str(deep), "--format", "json").stdout)
    assert [c["code"] for c in record["codes"]] == ["97999"]
    assert len(record["statements"]) >= 2



def test_hidden_content_stays_hidden_however_deep(tmp_path):
    blocks = [f"<p>{line}</p>" for line in policy_text().split("\n") if line.strip()]
    blocks.insert(3, '<div style="display:none"><p>SECRET ONE</p></div><script>var SECRET_TWO;</script>'
                     '<div hidden><div><p>SECRET THREE</p></div></div>')
    deep = tmp_path / "deep.html"
    deep.write_text(_html(blocks, 300))
    proc = cli(tmp_path / "none", "parse", str(deep), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "SECRET" not in proc.stdout and "Widget therapy" in proc.stdout
