"""html_to_pages: HTML -> one page of seed-like text, by table of snippets."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medpolicy.errors import DocumentError
from medpolicy.ingest.document import SourceDocument
from medpolicy.ingest.document import BlockKind, render_pages
from medpolicy.ingest.html import html_to_blocks
from medpolicy.ingest.source import load_source


def html_to_pages(html: str, **kw) -> list[str]:
    return render_pages(html_to_blocks(html, **kw))


def lines(html: str) -> list[str]:
    """The blocks as lines that show their kind: a heading as a markdown heading of its level
    ("**x**" for level 0: it only stands out), a list item indented two spaces per depth, a row
    as its cells joined by TAB."""
    out = []
    for b in html_to_blocks(html):
        if b.kind is BlockKind.HEADING:
            out.append(f"{'#' * b.level} {b.text}" if b.level else f"**{b.text}**")
        elif b.kind is BlockKind.ITEM:
            out.append("  " * b.level + b.text)
        else:
            out.append(b.display)
    return out


CASES = [
    # paragraphs, whitespace, entities
    ("<p>One\n  two\tthree</p><p>Four</p>", ["One two three", "Four"]),
    ("<p>A &amp; B &lt;C&gt; &eacute;&#233;&#x2014;</p>", ["A & B <C> éé—"]),
    ("<p>no&nbsp;break&nbsp;&nbsp;here</p>", ["no break here"]),
    ("<p>a <a href='x.html'>link <i>text</i></a>, kept</p>", ["a link text, kept"]),
    ("<div>outer<div>inner</div>tail</div>", ["outer", "inner", "tail"]),
    ("<p>Effective Date: May 1, 2026<br>Last Revised: 2026<br/>Replaces: N/A</p>",
     ["Effective Date: May 1, 2026", "Last Revised: 2026", "Replaces: N/A"]),
    ("<p>unclosed one<p>unclosed two<div>block</div>", ["unclosed one", "unclosed two", "block"]),
    ("plain text without any tags", ["plain text without any tags"]),
    # headings: heading blocks of their level; a short all-bold paragraph is one of level 0
    ("<h1>Title</h1>text<h3>Sub <em>head</em></h3>more", ["# Title", "text", "### Sub head", "more"]),
    ("<p><strong>Policy</strong></p><p><b>Bold</b> lead then plain</p>", ["**Policy**", "Bold lead then plain"]),
    # dropped things
    ("<head><title>T</title><style>p{color:red}</style></head><body><p>body</p></body>", ["body"]),
    ("<script>document.write('<p>no</p>')</script><p>yes</p>", ["yes"]),
    ("<nav><ul><li>Home</li></ul></nav><div role='navigation'>Menu</div><p>content</p>", ["content"]),
    # a breadcrumb trail is navigation, whatever element carries it
    ("<ol class='breadcrumb'><li>Home</li><li>Policies</li></ol><div aria-label='Breadcrumb'>Home / X</div>"
     "<p id='breadcrumbs'>Home &gt; X</p><p>content</p>", ["content"]),
    ("<p>a<span style='display: none'>hidden</span><span hidden>gone</span></p>", ["a"]),
    ("<p>visit<span class='sr-only'> (opens in a new window)</span></p>", ["visit"]),
    ("<p>x<img src='logo.png' alt='Logo'>y</p><noscript>enable JS</noscript>", ["xy"]),
    ("<form><select><option>A</option></select><button>Go</button><p>form text</p></form>", ["form text"]),
    ("<!-- a comment --><p>after</p><![if !supportLists]>1.<![endif]> word list", ["after", "1. word list"]),
    # lists
    ("<ul><li>One<li>Two</ul>", ["- One", "- Two"]),
    ("<ol><li>One</li><li>Two</li></ol>", ["1. One", "2. Two"]),
    ("<ol type='A' start='3'><li>C<li value='7'>G<li>H</ol>", ["C. C", "G. G", "H. H"]),
    ("<ol type='i'><li>a<li>b<li>c<li>d</ol>", ["i. a", "ii. b", "iii. c", "iv. d"]),
    ("<ul><li>Outer<ul><li>Inner</li></ul></li><li>Next</li></ul>", ["- Outer", "  - Inner", "- Next"]),
    ("<ol><li>1. Already numbered</li></ol><ul><li>• bullet</li></ul>", ["1. Already numbered", "• bullet"]),
    ("<ul style='list-style-type: none'><li>plain</li></ul>", ["plain"]),
    ("<ul><li><p>para in item</p><p>second para</p></li></ul>", ["- para in item", "second para"]),
    ("<dl><dt>Term<dd>Definition</dl>", ["Term", "Definition"]),
    # tables
    ("<table><tr><th>Code</th><th>Description</th></tr><tr><td>36511</td><td>Apheresis</td></tr></table>",
     ["Code\tDescription", "36511\tApheresis"]),
    ("<table><tr><td>a<br>b</td><td><p>c</p><p>d</p></td><td><ul><li>e<li>f</ul></td></tr></table>",
     ["a b\tc d\te f"]),
    ("<table><tr><td colspan='2'>CPT</td></tr><tr><td>1</td><td>2</td></tr></table>", ["CPT", "1\t2"]),
    ("<table><thead><tr><th>H1<th>H2</thead><tbody><tr><td>x<td>y</tbody></table>", ["H1\tH2", "x\ty"]),
    ("<table><tr><td>x<td>y<tr><td>z<td>w</table>", ["x\ty", "z\tw"]),
    ("<table><caption>Codes</caption><tr><td>a<td>b</table>", ["Codes", "a\tb"]),
    ("<table><tr><td>&nbsp;</td><td> </td></tr><tr><td>only</td></tr></table>", ["only"]),
    ("<table><tr><td>tab\tinside</td><td>cell</td></tr></table>", ["tab inside\tcell"]),
    ("<table>stray text<tr><td>a<td>b</table>", ["stray text", "a\tb"]),
    # a layout table (holds another table or a heading) is read as blocks
    ("<table><tr><td><h2>Coding</h2><table><tr><td>A<td>B</table></td><td>side</td></tr></table>",
     ["## Coding", "A\tB", "side"]),
    ("<table role='presentation'><tr><td>left</td><td>right</td></tr></table>", ["left", "right"]),
    # preformatted text keeps its lines
    ("<pre>Code   Description\n99213  Office visit\n</pre>", ["Code   Description", "99213  Office visit"]),
]


@pytest.mark.parametrize("html,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_snippets(html, expected):
    assert lines(html) == expected


def test_blocks_separated_by_blank_lines_rows_by_newlines():
    page = html_to_pages("<p>a</p><p>b</p><table><tr><td>1<td>2<tr><td>3<td>4</table><p>c</p>")[0]
    assert page == "a\n\nb\n\n1\t2\n3\t4\n\nc"


def test_no_tabs_outside_table_rows():
    page = html_to_pages("<p>a\tb</p><pre>x\ty</pre>")[0]
    assert "\t" not in page.split("\n")[0]


@pytest.mark.parametrize("html", ["", "   ", "<html><head><title>Only a title</title></head></html>",
                                  "<script>x()</script>", "<p>&nbsp;</p>"])
def test_no_text_is_a_document_error(html):
    with pytest.raises(DocumentError, match="no text"):
        html_to_pages(html)


@pytest.mark.parametrize("html", [
    "<![foo[ x ]]> survives", "<!DOCTYPE [x> survives", "<!x [ > survives", "<!ELEMENT [ x> survives",
    "</> survives <", "<p>&#xFFFFFFFF; &#0; &bogus; survives", "<a href='x'>survives</b></i></td></tr>",
    "<td>survives</td><li>too</li></ul></ol>", "\x00survives\x01",
])
def test_malformed_markup_never_raises_anything_else(html):
    try:
        text = html_to_pages(html)[0]
    except DocumentError:
        return
    assert "survives" in text


def test_deep_nesting_is_flattened_not_a_recursion_error():
    for html in ("<div>" * 50000 + "deep" + "</div>" * 50000, "<table><tr><td>" * 3000 + "deep",
                 "<ul><li>" * 3000 + "deep", "<b>" * 50000 + "deep"):
        assert "deep" in html_to_pages(html)[0]


def test_size_scales_linearly():
    unit = "<p>Paragraph <b>bold</b> &amp; text.</p><table><tr><td>a<td>b</table><ul><li>x<li>y</ul>"
    start = time.perf_counter()
    page = html_to_pages("<body>" + unit * 5000 + "</body>")[0]
    assert page.count("a\tb") == 5000
    assert time.perf_counter() - start < 10


def test_load_source_reads_html_files(tmp_path):
    path = tmp_path / "policy.htm"
    path.write_text("<!DOCTYPE html><html><body><h1>Policy</h1><p>Caf&eacute; covered.</p></body></html>",
                    encoding="utf-8")
    src = load_source(path)
    assert src.format == "html"
    assert [(b.kind, b.text) for b in src.blocks] == [(BlockKind.HEADING, "Policy"), (BlockKind.PARAGRAPH, "Café covered.")]


def test_headings_reach_the_document_as_heading_lines():
    from medpolicy.ingest.normalize import build_document

    blocks = html_to_blocks("<h2>Coding</h2><p><b>Policy</b></p><p>Plain &amp; text</p><table><tr><td>CPT<td>1</table>")
    doc = build_document(SourceDocument("x.html", "0" * 64, "html", blocks))
    assert [ln.text for ln in doc.lines] == ["Coding", "Policy", "Plain & text", "CPT\t1"]
    assert [ln.kind for ln in doc.lines] == [BlockKind.HEADING, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.ROW]


def test_heading_levels_reach_the_document():
    from medpolicy.ingest.normalize import build_document

    blocks = html_to_blocks("<h1>Knee Braces</h1><h2>Coding</h2><p><b>Policy</b></p><p>Text</p>")
    doc = build_document(SourceDocument("x.html", "0" * 64, "html", blocks))
    assert [(ln.text, ln.level) for ln in doc.lines] == [("Knee Braces", 1), ("Coding", 2), ("Policy", 0), ("Text", 0)]


def _page(head: str, h1: str = "<h1>Knee Braces for Adults</h1>") -> str:
    return (f"<html><head><title>Knee Braces for Adults | Zenith Health Plan</title></head><body>{head}{h1}"
            "<p>Policy Number: KB-100</p><p>Effective Date: 01/01/2030</p><h2>Policy</h2>"
            "<p>Knee braces are medically necessary when criteria are met.</p></body></html>")


@pytest.mark.parametrize("page, title", [
    # a plan's page: the site's header, a breadcrumb, then the title in <h1>
    (_page("<div class='site-header'><p>Zenith Health Plan</p><p>Provider Tools</p><p>Claims and Payments</p></div>"
           "<ol class='breadcrumb'><li>Home</li><li>Medical Policy</li><li>Knee Braces</li></ol>"),
     "Knee Braces for Adults"),
    # the <h1> carries the site's name after a bar or a dash
    (_page("", "<h1>Knee Braces for Adults | Blue Cross and Blue Shield of Wyoming</h1>"), "Knee Braces for Adults"),
    (_page("", "<h1>Knee Braces for Adults - Zenith Health Plan</h1>"), "Knee Braces for Adults"),
    # an <h1> that is the site's name or a document type is not the title
    (_page("<h1>Zenith Health Plan</h1>", "<h2>Medical Policy</h2><p>Knee Braces for Adults</p>"), "Knee Braces for Adults"),
])
def test_a_web_page_title_is_its_h1_without_the_site_name(tmp_path, page, title):
    from medpolicy.ingest.pipeline import run_pipeline

    path = tmp_path / "policy.html"
    path.write_text(page, encoding="utf-8")
    assert run_pipeline(path).title == title


def test_errors_name_the_file():
    with pytest.raises(DocumentError) as info:
        html_to_pages("<p> </p>", path="page.html")
    assert str(info.value) == "page.html: no text in this HTML document"


# -- the seeds as web pages: the HTML path must score what the text path scores ---------------------------

_BULLET = re.compile(r"^(\s*)[-•]\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_WHOLE_BOLD = re.compile(r"^\*\*([^*]+)\*\*$")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(#\)")
_LABELLED = re.compile(r"^[A-Z][A-Za-z .]{2,40}:\s")


def _inline(text: str) -> str:
    """Escape a seed line, turning its markdown links and bold into the HTML a page would hold."""
    out = html.escape(text, quote=False)
    out = _MD_LINK.sub(r'<a href="#">\1</a>', out)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)


def seed_to_html(text: str) -> str:
    """A web page a publisher might serve for this seed: paragraphs, <br>-joined labelled lines,
    headings, nested lists, tables (with a header row), and page chrome to be dropped."""
    out = ["<!DOCTYPE html><html><head><title>Policy</title><style>p { margin: 0 }</style></head><body>",
           "<nav><ul><li><a href='/'>Home</a></li><li>Medical policies</li></ul></nav>",
           "<script>window.dataLayer = [];</script><main>"]
    lines = text.replace("\f", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif "\t" in line:
            out.append("<table border='1'>")
            first = True
            while i < len(lines) and "\t" in lines[i]:
                tag = "th" if first else "td"
                out.append("<tr>" + "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in lines[i].split("\t")) + "</tr>")
                first, i = False, i + 1
            out.append("</table>")
        elif _BULLET.match(line):
            depth = 0
            while i < len(lines) and _BULLET.match(lines[i]):
                want = 1 + len(_BULLET.match(lines[i]).group(1)) // 2
                while depth < want:
                    out.append("<ul>")
                    depth += 1
                while depth > want:
                    out.append("</ul>")
                    depth -= 1
                out.append(f"<li>{_inline(_BULLET.sub('', lines[i]))}</li>")
                i += 1
            out.append("</ul>" * depth)
        elif m := _MD_HEADING.match(line):
            level = len(m.group(1))
            out.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
            i += 1
        elif m := _WHOLE_BOLD.match(line.strip()):
            out.append(f"<p><b>{html.escape(m.group(1), quote=False)}</b></p>")
            i += 1
        elif _LABELLED.match(line):
            group = []  # "Effective Date: ..." lines, blank lines between them or not
            while i < len(lines) and (_LABELLED.match(lines[i]) or not lines[i].strip()) and "\t" not in lines[i]:
                if lines[i].strip():
                    group.append(_inline(lines[i]))
                i += 1
            out.append("<p>" + "<br>\n".join(group) + "</p>")
        else:
            out.append(f"<p>{_inline(line)}</p>")
            i += 1
    out.append("</main><footer><nav>Site map</nav></footer></body></html>")
    return "\n".join(out)


def _scores(tool: Path, folder: Path) -> dict[str, str]:
    """eval_parse's per-document lines, keyed by document name without its extension."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run([sys.executable, str(tool), str(folder)], capture_output=True, text=True, env=env,
                            timeout=600)
    assert "Traceback" not in result.stderr, result.stderr
    scores = {}
    for line in result.stdout.splitlines():
        m = re.match(r"^(\S+)\.(?:txt|html): (.*)$", line)
        if m:
            scores[m.group(1)] = m.group(2)
    return scores


@pytest.mark.corpus
def test_seeds_as_html_score_like_text(seeds_dir, shared_tools_dir, tmp_path):
    """Field by field, the HTML rendition of each seed scores exactly what its text scores
    (the seeds' absolute score is test_seeds_eval's business)."""
    for seed in sorted(seeds_dir.glob("*.txt")):
        (tmp_path / f"{seed.stem}.html").write_text(seed_to_html(seed.read_text(encoding="utf-8")), encoding="utf-8")
        shutil.copy(seed.with_suffix(".expected.json"), tmp_path / f"{seed.stem}.expected.json")
    tool = shared_tools_dir / "eval_parse.py"
    as_text, as_html = _scores(tool, seeds_dir), _scores(tool, tmp_path)
    assert len(as_text) == len(list(seeds_dir.glob("*.txt")))
    assert as_html == as_text


def test_a_national_coverage_determination_page(tmp_path):
    from medpolicy.ingest.pipeline import run_pipeline

    page = ("<html><head><title>NCD - Knee Orthoses (280.99)</title></head><body><header><a>Agency</a>"
            "<ul><li><a>Home</a></li><li><a>Search</a></li><li><a>Reports</a></li><li><a>Downloads</a></li>"
            "<li><a>Help</a></li></ul></header><div><button>Expand All</button> | <a>Collapse All</a> <a>Print</a></div>"
            "<h1>National Coverage Determination (NCD)</h1><h2>Knee Orthoses</h2><p>280.99</p>"
            "<div><a>Expand All</a> | <a>Collapse All</a></div><h3>Tracking Information</h3><table>"
            "<tr><th>Publication Number</th><td>100-3</td></tr><tr><th>Effective Date of this Version</th><td>03/04/2031</td></tr>"
            "</table><h3>Indications and Limitations of Coverage</h3><p>Knee orthoses are reasonable and necessary for "
            "adults with an unstable knee.</p></body></html>")
    path = tmp_path / "ncd.html"
    path.write_text(page, encoding="utf-8")
    policy = run_pipeline(path)
    assert (policy.policy_id, policy.title, policy.dates.effective) == ("280.99", "Knee Orthoses", "2031-03-04")
    assert policy.payer.startswith("Medicare")
    text = " ".join(s.text + " " + (s.heading or "") for s in policy.sections)
    assert not any(w in text for w in ("Home", "Downloads", "Expand All", "Collapse All", "Print"))


@pytest.mark.parametrize("item, text", [
    ("<li>o Second-level entry</li>", "o Second-level entry"),  # prints its own bullet: kept, none added
    ("<li>\u25cb Second-level entry</li>", "\u25cb Second-level entry"),
    ("<li>iv) Fourth entry</li>", "iv) Fourth entry"),
])
def test_a_list_item_that_prints_its_own_mark_gets_no_second_one(item, text):
    blocks = html_to_blocks(f"<html><body><ul>{item}</ul></body></html>")
    assert [b.text for b in blocks if b.kind is BlockKind.ITEM] == [text]


def test_the_page_footer_is_furniture_and_an_articles_own_footer_is_text():
    from medpolicy.ingest.html import html_to_blocks

    page = ("<html><body><main><h1>Knee Bracing</h1><p>Knee braces are medically necessary when criteria are met.</p>"
            "<article><p>Policy text.</p><footer>Last reviewed by the committee on 03/02/2031.</footer></article>"
            "</main><footer><a href='/c'>Contact Us</a> | <a href='/a'>Accessibility</a>"
            "<p>\u00a9 2031 Lakeshore Health Plan</p></footer></body></html>")
    furniture: list[str] = []
    text = "\n".join(b.display for b in html_to_blocks(page, furniture=furniture))
    assert "Contact Us" not in text and "Lakeshore" not in text
    assert "Last reviewed by the committee on 03/02/2031." in text
    assert furniture == ["Contact Us | Accessibility", "\u00a9 2031 Lakeshore Health Plan"]
