"""The site's pages and links, read as files (what a browser would be handed)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest

from medpolicy.errors import UsageError
from medpolicy.index import LibraryIndex
from medpolicy.site import build_site
from medpolicy.store import PolicyStore

MP7 = "policies/northwind-health-plan/mp-7.042"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids, self.external = [], set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for name in ("href", "src"):
            value = a.get(name)
            if value and re.match(r"^[a-z]+:", value):
                self.external.append(value)
            elif value and tag in ("a", "link", "script", "img"):
                self.hrefs.append(value)


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_pages_of_the_library(site):
    out, report = site
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert pages == sorted([
        "index.html", "codes.html", "changes.html",
        f"{MP7}/index.html", f"{MP7}/2025-03-01.html", f"{MP7}/2026-03-01.html",
        "policies/northwind-health-plan/mp-1.118/index.html", "policies/northwind-health-plan/mp-1.118/2026-01-01.html",
        "policies/northwind-health-plan/mp-4.203/index.html",
    ])
    assert (report.pages, report.diffs) == (9, 3)


def test_every_link_resolves_and_nothing_is_fetched_from_elsewhere(site):
    out, _ = site
    parsed = {p: parse(p) for p in out.rglob("*.html")}
    for page, links in parsed.items():
        assert links.external == [], page  # self-contained: works from file:// with no network
        for href in links.hrefs:
            path, frag = urldefrag(href)
            target = (page.parent / unquote(path)).resolve() if path else page
            assert target.is_file(), f"{page.relative_to(out)}: {href}"
            if frag:
                assert frag in parsed[target].ids, f"{page.relative_to(out)}: {href}"


def test_policy_page_timeline_and_statements(site):
    out, _ = site
    html = (out / MP7 / "index.html").read_text(encoding="utf-8")
    # the three editions, newest first, two of them linked to their diff report
    assert [m for m in re.findall(r'id="edition-([\d-]+)"', html)] == ["2026-03-01", "2025-03-01", "2024-03-01"]
    assert 'href="2026-03-01.html"' in html and 'href="2025-03-01.html"' in html and 'href="2024-03-01.html"' not in html
    # the latest edition's five statements with their positions, criteria kept under statement I
    assert html.count('class="statement"') == 5
    assert "A. Knee pain has been present for at least 6 months" in html
    # the 2026 edition's codes, each linked into the code index
    assert 'href="../../../codes.html#code-cpt-64454"' in html


def test_code_index_links_codes_to_policies(site):
    out, _ = site
    html = (out / "codes.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="code-icd-10-cm-e10-10-e10-9".*?</tr>', html, re.S).group(0)
    assert "E10.10–E10.9" in row and "Type 1 diabetes mellitus" in row
    assert 'href="policies/northwind-health-plan/mp-1.118/index.html"' in row
    # CPT before HCPCS before ICD-10-CM, as each system orders its codes
    systems = re.findall(r'<tr id="code-[^"]+" data-system="([^"]+)"', html)
    assert systems == sorted(systems, key=["CPT", "HCPCS", "ICD-10-CM", "ICD-10-PCS"].index)


def test_recent_changes_newest_first_with_diff_links(site):
    out, _ = site
    html = (out / "changes.html").read_text(encoding="utf-8")
    dates = re.findall(r'<td class="date">([\d-]+)</td>', html)
    assert dates == ["2026-03-01", "2026-01-01", "2025-09-01", "2025-03-01", "2025-01-01", "2024-03-01"]
    assert f'href="{MP7}/2026-03-01.html"' in html


def test_the_diff_page_is_the_diff_report_with_a_way_back(site):
    out, _ = site
    html = (out / MP7 / "2026-03-01.html").read_text(encoding="utf-8")
    assert "<title>Changes: " in html
    assert '<a href="index.html">← Genicular Nerve Radiofrequency Ablation' in html


def test_a_folder_that_is_not_a_site_is_refused_and_a_site_replaced_whole(samples_store, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    with PolicyStore.open(samples_store) as store, LibraryIndex.open(store, tmp_path / "i.sqlite") as index:
        with pytest.raises(UsageError, match="not a site made by"):
            build_site(index, taken)
        assert (taken / "notes.txt").read_text() == "mine"
        out = tmp_path / "site"
        build_site(index, out)
        (out / "stale.html").write_text("from an older build")
        build_site(index, out)
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary folder left


def test_document_text_cannot_drive_a_browser_or_a_terminal(tmp_path):
    """A record whose title and statement carry markup and escape sequences: shown as text."""
    from tests.index.conftest import opened
    from tests.store.docs import record

    store = tmp_path / "store"
    with PolicyStore.init(store) as s:
        policy, data = record(title="<script>alert(1)</script>\x1b]52;c;aGk=\x07 Widgets",
                              text="Widgets are <b>investigational</b>\x1b[2J.")
        s.put(policy, data, "w.txt")
    with opened(store, tmp_path / "i.sqlite") as index:
        build_site(index, tmp_path / "site")
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "\x1b" not in html and "\x07" not in html, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
