"""Issue 11, items 2 and 3: text from a document never drives the terminal, and never becomes
live HTML in markdown. Every command runs as a real subprocess over hostile documents."""
from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from markdown_it import MarkdownIt

from medpolicy.textsafe import json_for_terminal, md_escape, safe_line, safe_text
from tests.store.docs import policy_text
from tests.store.util import cli, git

# Every kind of terminal control: full reset, OSC 52 clipboard write, OSC 8 link, window title,
# DCS, BEL, backspace overwrite, carriage-return overwrite, 8-bit CSI and OSC/ST, NEL, a CSI.
EVIL = ("\x1bc\x1b]52;c;cHduZWQ=\x07\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\\x1b]0;pwned\x07"
        "\x1bPqDCS\x1b\\\x07ab\x08\x08XY\x9b31mC1\x9d0;t\x9c\x1b[2J\x7f\x85\rZ")
# what no output may contain: C0 but TAB and LF, DEL, C1
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _write(path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def hostile(tmp_path):
    """Two editions of a policy whose title, statements and text carry every control, and a
    store holding both, ingested under a file name that carries some too."""
    docs = tmp_path / "docs"
    docs.mkdir()
    old = _write(docs / "old.txt", policy_text(title="Widget Therapy " + EVIL, extra="Also " + EVIL))
    new = _write(docs / "new\x1b]0;name\x07.txt",
                 policy_text(title="Widget Therapy " + EVIL, effective="04/01/2026", extra="Changed " + EVIL))
    store = tmp_path / "store"
    assert cli(store, "init").returncode == 0
    ingest = cli(store, "ingest", old, new)
    assert ingest.returncode == 0, ingest.stderr
    return store, old, new, ingest


def _strings(value) -> str:
    """Every string in a JSON value, joined."""
    if isinstance(value, dict):
        return " ".join(_strings(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_strings(v) for v in value)
    return value if isinstance(value, str) else ""


def _clean(proc: subprocess.CompletedProcess, what) -> None:
    bad = FORBIDDEN.search(proc.stdout + proc.stderr)
    assert bad is None, (what, repr((proc.stdout + proc.stderr)[max(0, bad.start() - 40):bad.end() + 40]))


def test_the_documents_really_carry_the_controls(hostile):
    """Otherwise every other test here would pass for nothing."""
    store, old, _new, _ = hostile
    proc = cli(store, "parse", old, "--format", "json")
    text = _strings(json.loads(proc.stdout))
    for seq in ("\x1b]52;", "\x9b31m", "\x08\x08", "\x07"):
        assert seq in text, repr(seq)
    _clean(proc, "parse json")


def test_no_command_prints_a_terminal_control(hostile):
    store, old, new, ingest = hostile
    _clean(ingest, "ingest")
    key = json.loads(cli(store, "list", "--format", "json").stdout)[0]["key"]
    runs = [["parse", old], ["parse", old, new, "--format", "json"], ["parse", old, "--format", "markdown"],
            ["list"], ["list", "--format", "json"], ["log", key], ["log", key, "--format", "json"],
            ["show", key], ["show", key, "--format", "json"], ["show", key, "--format", "markdown"],
            ["diff", old, new], ["diff", old, new, "--format", "markdown"], ["diff", old, new, "--format", "json"],
            ["diff", old, new, "--format", "html"], ["diff", key], ["verify"], ["ingest", old, "--format", "json"]]
    with ThreadPoolExecutor(2) as pool:  # read-only commands: two at a time
        for argv, proc in zip(runs, pool.map(lambda argv: cli(store, *argv), runs)):
            assert proc.returncode in (0, 1), (argv, proc.stderr)
            _clean(proc, argv)
    # JSON stays the same data: the controls are escaped, not lost
    shown = json.loads(cli(store, "show", key, "--format", "json").stdout)
    assert "\x9b31m" in _strings(shown)


def test_commit_messages_carry_no_controls(hostile):
    store = hostile[0]
    log = git(store, "log", "--format=%B").stdout
    assert "Widget Therapy" in log
    assert FORBIDDEN.search(log) is None


MARKUP = ("See \\<script\\>alert(1)\\</script\\> and \\<img src=x onerror=alert(2)\\> and "
          "[a link](javascript:alert(3)) and <b onmouseover=alert(4)>bold</b>.")


def test_markdown_keeps_document_html_as_text(tmp_path):
    """The record keeps `<script>` as text; parse/show markdown and the stored policy.md must
    render it as text in a CommonMark renderer (raw HTML allowed, as many renderers do)."""
    doc = _write(tmp_path / "p.txt", policy_text(title="Widget <i>Therapy</i> \\<script\\>", extra=MARKUP))
    store = tmp_path / "store"
    cli(store, "init")
    assert cli(store, "ingest", doc).returncode == 0
    parsed = json.loads(cli(store, "parse", doc, "--format", "json").stdout)
    assert "<script>alert(1)</script>" in _strings(parsed)  # the attack is in the record
    key = json.loads(cli(store, "list", "--format", "json").stdout)[0]["key"]
    stored = git(store, "show", f"main:{key}/policy.md").stdout
    renderer = MarkdownIt("commonmark", {"html": True})
    for page in (cli(store, "parse", doc, "--format", "markdown").stdout,
                 cli(store, "show", key, "--format", "markdown").stdout, stored):
        assert "alert(1)" in page
        html = renderer.render(page)
        assert "<script" not in html and "<img" not in html and "<b " not in html and "<i>" not in html, html
        assert 'href="javascript' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text


@pytest.mark.parametrize("raw, line", [
    ("a\x1b[31mred\x1b[0m b", "ared b"),
    ("x\x1b]52;c;Zm9v\x07y", "xy"),
    ("x\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\y", "xlinky"),
    ("x\x1bcy", "xy"),
    ("x\x1bP1;2q#0\x1b\\y", "xy"),
    ("x\x9b2Jy\x9d0;t\x9cz", "xyz"),
    ("ab\x08\x08cd\re", "abcde"),
    ("one\ntwo\u2028three\x85four\tfive", "one two three four five"),
    ("x\x1b]0;unterminated title\nnext", "x next"),
])
def test_safe_line_table(raw, line):
    assert safe_line(raw) == line


def test_safe_text_keeps_lines_and_tabs():
    assert safe_text("a\tb\r\nc\x07\n") == "a\tb\nc\n"
    assert md_escape("<script>*x*") == "\\<script\\>\\*x\\*"
    assert json.loads(json_for_terminal(json.dumps({"k": "\x9b\x7f\u2028"}, ensure_ascii=False))) == \
        {"k": "\x9b\x7f\u2028"}
