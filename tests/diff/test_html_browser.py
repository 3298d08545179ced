"""The HTML report as a browser renders it (headless Chromium).

A probe script is added to a copy of the report (the report itself has no scripts); it walks the
change list in the rendered page and records, for every link, whether its target exists, has a
size on screen, is not folded away, and carries a change mark, plus the computed styles of the
marks. Chromium prints the DOM with the probe's result. A screenshot is kept in tests/artifacts/
and its pixels are checked for the insert and delete colours; the printed PDF is read back too.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from medpolicy.diff.changes import changes
from medpolicy.diff.render import render

from .test_render import sample_diff

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1")

PROBE = """<script>
(function () {
  function hiddenByFold(el) {
    for (var p = el; p; p = p.parentElement) if (p.tagName === "DETAILS" && !p.open) return true;
    return false;
  }
  var links = [];
  document.querySelectorAll('nav.changelist a[href^="#"]').forEach(function (a) {
    var id = a.getAttribute("href").slice(1), t = document.getElementById(id);
    var r = t ? t.getBoundingClientRect() : {width: 0, height: 0};
    links.push({id: id, found: !!t, width: r.width, height: r.height, hidden: t ? hiddenByFold(t) : true,
                cls: t ? t.className : "", marks: t ? t.querySelectorAll("ins, del, a.movelink").length : 0,
                text: t ? t.innerText : ""});
  });
  function style(sel) {
    var e = document.querySelector(sel); if (!e) return null;
    var s = getComputedStyle(e);
    return {background: s.backgroundColor, decoration: s.textDecorationLine, color: s.color};
  }
  var entries = [];
  document.querySelectorAll("nav.changelist li").forEach(function (li) {
    var badge = li.querySelector("span.cls");
    var r = badge ? badge.getBoundingClientRect() : {width: 0};
    entries.push({cls: badge ? badge.innerText.trim() : null, visible: r.width > 0,
                  background: badge ? getComputedStyle(badge).backgroundColor : null});
  });
  var groups = [];
  document.querySelectorAll("nav.changelist h3").forEach(function (h) { groups.push(h.innerText.trim()); });
  var classRows = [];
  document.querySelectorAll("table.classes tr").forEach(function (tr) { classRows.push(tr.innerText.trim()); });
  var out = {links: links, ins: style("ins.ins"), del: style("del.del"),
             moved: style(".redline .row.mov > div"), title: document.title,
             entries: entries, groups: groups, classRows: classRows};
  var pre = document.createElement("pre"); pre.id = "probe-result"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium not installed (Debian: apt-get install chromium; .ci/run installs it)")


def _run(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    d = sample_diff()
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render(d, "html"), encoding="utf-8")
    return d, path


def test_rendered_change_list_links_to_visible_marked_changes(report, tmp_path):
    browser = _browser()
    d, path = report
    probe = tmp_path / "probe.html"
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", PROBE + "\n</body>"), encoding="utf-8")
    done = _run(browser, tmp_path, "--dump-dom", probe.as_uri())
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', done.stdout, re.S)
    assert m, f"no probe result from chromium (exit {done.returncode}): {done.stderr[-500:]}"
    result = json.loads(html.unescape(m.group(1)))
    assert result["title"].startswith("Changes: ")

    links = {link["id"]: link for link in result["links"]}
    assert set(links) == {c.anchor for c in changes(d)}
    for link in links.values():
        assert link["found"], link["id"]
        assert link["width"] > 0 and link["height"] > 0 and not link["hidden"], link
        marked = link["marks"] > 0 or re.search(r"\b(chg|change)\b", link["cls"])
        assert marked, link

    # the reworded statement shows both its old and its new words, marked
    statement = next(c.anchor for c in changes(d) if c.kind == "statements")
    assert links[statement]["marks"] >= 2 and "six" in links[statement]["text"] and "three" in links[statement]["text"]
    # text changes link into the side-by-side redline
    assert all(links[c.anchor]["cls"].startswith("row chg") for c in changes(d) if c.kind == "sections")

    # every entry of the change list shows its class, the groups lead with coverage and coding,
    # and the summary counts every class
    assert [e["cls"] for e in result["entries"]] == [c.cls for c in changes(d)]
    assert all(e["visible"] for e in result["entries"])
    assert [g.split(" (")[0] for g in result["groups"]] == ["Coverage", "Coding", "Administrative", "Evidence"]
    assert {e["background"] for e in result["entries"] if e["cls"] == "coverage"} != \
        {e["background"] for e in result["entries"] if e["cls"] == "evidence"}
    rows = [r.split() for r in result["classRows"][1:]]
    assert [(r[0], int(r[1])) for r in rows] == list(d.summary.classes.items())
    assert [r[0] for r in rows if r[-1] == "substantive"] == ["coverage", "coding"]

    transparent = ("rgba(0, 0, 0, 0)", "transparent")
    assert result["ins"]["background"] not in transparent and "underline" in result["ins"]["decoration"]
    assert result["del"]["background"] not in transparent and "line-through" in result["del"]["decoration"]
    assert result["moved"] and result["moved"]["background"] not in transparent


def test_screenshot_shows_marked_changes(report, tmp_path):
    browser = _browser()
    from PIL import Image

    _, path = report
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "diff_report.png"
    shot.unlink(missing_ok=True)
    done = _run(browser, tmp_path, "--window-size=1280,3600", f"--screenshot={shot}", path.as_uri())
    assert shot.exists(), done.stderr[-500:]
    with Image.open(shot) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20) or []
    count = {rgb: n for n, rgb in colours}
    # the stylesheet's insert (#dcf5dc) and delete (#ffe0e0) backgrounds are on screen
    assert count.get((0xDC, 0xF5, 0xDC), 0) > 200
    assert count.get((0xFF, 0xE0, 0xE0), 0) > 200


def test_printed_report_keeps_changes_readable(report, tmp_path):
    browser = _browser()
    import pdfplumber

    d, path = report
    pdf = tmp_path / "report.pdf"
    done = _run(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", path.as_uri())
    assert pdf.exists(), done.stderr[-500:]
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
        fills = {tuple(round(c, 2) for c in r["non_stroking_color"]) for page in doc.pages for r in page.rects
                 if isinstance(r.get("non_stroking_color"), (list, tuple)) and len(r["non_stroking_color"]) == 3}
    assert d.summary_line()[:40] in " ".join(text.split())
    assert "three" in text and "history_claim_mismatch" in text
    assert (round(0xDC / 255, 2), round(0xF5 / 255, 2), round(0xDC / 255, 2)) in fills  # colours survive printing
