"""Text, markdown and HTML renderings (the HTML in a browser: test_html_browser.py)."""
import re
from html.parser import HTMLParser

from medpolicy.diff import diff_policies
from medpolicy.diff.changes import changes
from medpolicy.diff.render import render
from medpolicy.models import Code, HistoryEntry, PolicyDates

from .diff_builders import BACKGROUND, STATEMENTS, edition

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def sample_diff():
    """A diff with every kind of change and a finding."""
    new = edition(
        statements=[(STATEMENTS[0][0].replace("at least six months", "at least three months"), STATEMENTS[0][1])]
        + STATEMENTS[1:],
        codes=edition().codes + [Code(system="CPT", code="64625", description="Genicular <nerve> & more")],
        history=edition().history + [HistoryEntry(date="2026-03-01", date_text="03/01/2026",
                                                  summary="Annual review. No changes to policy statements.")],
        dates=PolicyDates(effective="2026-03-01", original_effective="2016-10-01"),
        background=BACKGROUND[1:3] + [BACKGROUND[0], "A new paragraph about <script>alert(1)</script> safety."],
        related_policies=[],
    )
    return diff_policies(edition(), new)


def test_text_is_plain_off_a_terminal_and_coloured_on_one():
    d = sample_diff()
    plain = render(d, "text")
    assert not ANSI.search(plain)
    assert "summary: " + d.summary_line() in plain
    assert "[-six-] {+three+}" in plain
    assert "history_claim_mismatch" in plain
    coloured = render(d, "text", color=True)
    assert ANSI.search(coloured) and ANSI.sub("", coloured).count("\n") == plain.count("\n")


def test_text_lists_every_change():
    d = sample_diff()
    plain = render(d, "text")
    for c in changes(d):
        assert c.short_label() in plain


def test_no_change_text():
    assert "summary: no changes" in render(diff_policies(edition(), edition()), "text")


def test_markdown():
    md = render(sample_diff(), "markdown")
    assert md.startswith("# Changes: ")
    assert "~~six~~ **three**" in md
    assert "## Findings" in md and "## Coverage (" in md and "## Evidence (" in md and "**Classes:** coverage 2, coding 1" in md
    assert "\\<nerve\\>" in md  # text from documents cannot inject markup


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.scripts, self.external = set(), [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith("#"):
                self.external.append(a[key])


def test_html_is_self_contained_and_links_resolve():
    d = sample_diff()
    page = render(d, "html")
    parser = _Anchors()
    parser.feed(page)
    assert parser.scripts == 0 and parser.external == []
    assert parser.links and set(parser.links) <= parser.ids
    for c in changes(d):
        assert c.anchor in parser.links
    assert "<script" not in page and "alert(1)" in page  # markup in document text is dropped...
    assert "Genicular &lt;nerve&gt; &amp; more" in page  # ...or escaped
    assert '<del class="del">six</del>' in page and '<ins class="ins">three</ins>' in page


def test_html_without_alignment_lists_text_changes():
    from medpolicy.diff import PolicyDiff

    d = PolicyDiff.model_validate_json(sample_diff().to_json())
    page = render(d, "html")
    parser = _Anchors()
    parser.feed(page)
    assert set(parser.links) <= parser.ids


def test_json_rendering_is_the_model():
    d = sample_diff()
    assert render(d, "json") == d.to_json()
