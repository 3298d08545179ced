"""The site as headless Chromium renders it from file://: filters, sorting, navigation, a phone's
width and print. A probe script is added to a copy of a page (beside it, so its relative links
resolve); it drives the page's controls and prints what it saw into the DOM, which Chromium dumps.
Screenshots are kept in tests/artifacts/."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.diff.test_html_browser import ARTIFACTS, _browser, _run

PROBE_INDEX = """<script>
(function () {
  function visible() {
    return Array.prototype.filter.call(document.querySelectorAll("#policies tbody tr"), function (r) {
      return !r.hidden && r.getBoundingClientRect().height > 0; }).map(function (r) { return r.cells[1].innerText.trim(); });
  }
  var form = document.querySelector("form.filters"), q = form.querySelector("input[type=search]"),
      payer = form.querySelector("select"), out = {all: visible()};
  q.value = "glucose"; q.dispatchEvent(new Event("input", {bubbles: true}));
  out.glucose = visible(); out.count = form.querySelector(".count").textContent;
  q.value = "knee mp-7"; q.dispatchEvent(new Event("input", {bubbles: true})); out.words = visible();
  q.value = ""; q.dispatchEvent(new Event("input", {bubbles: true}));
  payer.value = payer.options[1].value; payer.dispatchEvent(new Event("change", {bubbles: true}));
  out.payer = visible(); out.payer_name = payer.options[1].text;
  payer.value = ""; payer.dispatchEvent(new Event("change", {bubbles: true}));
  var latest = document.querySelectorAll("#policies th")[3];
  latest.click(); out.ascending = visible(); out.aria = latest.getAttribute("aria-sort");
  latest.click(); out.descending = visible();
  out.links = Array.prototype.map.call(document.querySelectorAll("a[href]"), function (a) { return a.href; });
  var pre = document.createElement("pre"); pre.id = "probe-result"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""

PROBE_CHANGES = """<script>
(function () {
  function visible() {
    return Array.prototype.filter.call(document.querySelectorAll("#changes tbody tr"), function (r) {
      return !r.hidden; }).map(function (r) { return r.cells[0].innerText.trim() + " " + r.cells[2].querySelector("a").innerText.trim(); });
  }
  var form = document.querySelector("form.filters"), flag = form.querySelector("input[type=checkbox]"), out = {all: visible()};
  flag.checked = true; flag.dispatchEvent(new Event("change", {bubbles: true})); out.substantive = visible();
  var pre = document.createElement("pre"); pre.id = "probe-result"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def probe(browser: str, tmp_path: Path, page: Path, script: str) -> dict:
    copy = page.with_name(page.stem + ".probe.html")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "\n</body>"), encoding="utf-8")
    try:
        done = _run(browser, tmp_path, "--dump-dom", copy.as_uri())
    finally:
        copy.unlink()
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', done.stdout, re.S)
    assert m, f"no probe result from chromium (exit {done.returncode}): {done.stderr[-500:]}"
    return json.loads(html.unescape(m.group(1)))


def test_filters_sorting_and_links_in_the_browser(site, tmp_path):
    browser = _browser()
    out, _ = site
    seen = probe(browser, tmp_path, out / "index.html", PROBE_INDEX)
    assert seen["all"] == ["MP-1.118", "MP-4.203", "MP-7.042"]
    assert seen["glucose"] == ["MP-1.118"] and seen["count"] == "1 of 3 shown"
    assert seen["words"] == ["MP-7.042"]
    assert seen["payer_name"] == "Northwind Health Plan" and seen["payer"] == seen["all"]
    # latest effective: MP-4.203 2025-09-01, MP-1.118 2026-01-01, MP-7.042 2026-03-01
    assert seen["aria"] == "ascending" and seen["ascending"] == ["MP-4.203", "MP-1.118", "MP-7.042"]
    assert seen["descending"] == ["MP-7.042", "MP-1.118", "MP-4.203"]
    # every link Chromium resolved is a file of the site (navigation works from file://)
    for link in seen["links"]:
        url = urlparse(link)
        assert url.scheme == "file", link
        assert Path(unquote(url.path)).is_file(), link

    changes = probe(browser, tmp_path, out / "changes.html", PROBE_CHANGES)
    assert len(changes["all"]) == 6
    # the 2026 editions reword a criterion and change codes: substantive; first editions are not
    assert changes["substantive"] == ["2026-03-01 MP-7.042", "2026-01-01 MP-1.118"]


def test_screenshots_on_a_phone_and_a_desktop(site, tmp_path):
    browser = _browser()
    from PIL import Image

    out, _ = site
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {"site_index_desktop.png": (out / "index.html", "1280,900"),
             "site_policy_phone.png": (out / "policies/northwind-health-plan/mp-7.042/index.html", "390,1400")}
    for name, (page, size) in shots.items():
        shot = ARTIFACTS / name
        shot.unlink(missing_ok=True)
        done = _run(browser, tmp_path, f"--window-size={size}", f"--screenshot={shot}", page.as_uri())
        assert shot.exists(), done.stderr[-500:]
    with Image.open(ARTIFACTS / "site_policy_phone.png") as im:
        rgb = im.convert("RGB")
        width = rgb.size[0]
        # on a phone nothing runs off the right edge: the rightmost column is page background
        right = {rgb.getpixel((width - 2, y)) for y in range(0, rgb.size[1], 7)}
    assert right <= {(255, 255, 255), (245, 247, 250)}, right


def test_printed_policy_page(site, tmp_path):
    browser = _browser()
    import pdfplumber

    out, _ = site
    pdf = tmp_path / "policy.pdf"
    page = out / "policies/northwind-health-plan/mp-7.042/index.html"
    done = _run(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists(), done.stderr[-500:]
    with pdfplumber.open(pdf) as doc:
        text = " ".join(" ".join((p.extract_text() or "") for p in doc.pages).split())
    assert "Genicular Nerve Radiofrequency Ablation" in text and "2024-03-01" in text
    assert "Filter" not in text and "Recent changes" not in text  # controls and navigation are not printed
