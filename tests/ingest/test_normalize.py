import pytest

from medpolicy.ingest.normalize import strip_markup
from tests.helpers import doc_from_text


@pytest.mark.parametrize("raw, text, heading", [
    ("## Coverage Rationale", "Coverage Rationale", True),
    ("**CODING**", "CODING", True),
    ("See [Related Policies](#) above.", "See Related Policies above.", False),
    ("Is **not** covered <i>in vivo</i>.", "Is not covered in vivo.", False),
    ("Available at <https://example.org/a>.", "Available at https://example.org/a.", False),
    ("Other\t<p>All techniques</p>", "Other\tAll techniques", False),
    ("NCD for *Chimeric Antigen* \\(110.24\\)", "NCD for Chimeric Antigen (110.24)", False),
    ("Tom &amp; Jerry\u00a0said \u201chi\u201d", 'Tom & Jerry said "hi"', False),
])
def test_strip_markup(raw, text, heading):
    assert strip_markup(raw) == (text, heading)


def test_running_header_and_page_markers_removed_and_paragraph_rejoined():
    body = []
    for page in range(1, 4):
        body.append(f"Medical Policy: A Test Policy\n\nPolicy Number: 1.2.3\n\nPage: {page} of 3\n")
        body.append(f"Paragraph {page} runs on across the page break and is cut right in the middle of")
        body.append(f"\nthe {['first', 'second', 'third'][page - 1]} sentence which continues after the break.\n")
    doc, _ = doc_from_text("\n".join(body))
    texts = [ln.text for ln in doc.lines]
    assert not any("Page:" in t for t in texts)
    assert not any(t.startswith("Medical Policy:") for t in texts)
    assert texts[0].endswith("in the middle of the first sentence which continues after the break.")
    assert len(texts) == 3


def test_hyphenated_word_split_by_page_break_keeps_hyphen():
    doc, _ = doc_from_text("It occurs in adults who are non-\n\n\n\nHispanic and other groups.")
    assert doc.lines[0].text == "It occurs in adults who are non-Hispanic and other groups."


def test_markdown_hard_breaks_rejoin():
    doc, _ = doc_from_text("**Local Coverage  \nDeterminations  \n(LCDs)**\n\nNone")
    assert doc.lines[0].text == "Local Coverage Determinations (LCDs)"


def test_offsets_index_document_text():
    doc, _ = doc_from_text("First line.\n\nSecond\tcell\n")
    for ln in doc.lines:
        assert doc.text[ln.start:ln.end] == ln.text


def test_a_lone_month_and_year_is_no_page_counter():
    # page counters "n/m" run with one total; a date cell "11/30" on its own is text
    doc, _ = doc_from_text("Policy\n\nText one.\n\n1/2\n\nRow summary.\n\n11/30\n\nText two.\n\n2/2")
    assert [ln.text for ln in doc.lines] == ["Policy", "Text one.", "Row summary.", "11/30", "Text two."]


def test_a_two_page_text_loses_the_header_repeated_after_its_page_counter_and_keeps_page_ones():
    from medpolicy.ingest.references import extract_references
    from medpolicy.ingest.sections import find_sections

    header = "Lakeside Clinical Policy\nWrist Splints for Adults: Policy No. 417\nLast Approval: 6/11/2031\n"
    text = (header + "\nPOLICY\nWrist splints are medically necessary after a fracture.\n\nREFERENCES\n"
            "1. Abel RS, Moss T. Splinting after distal radius fracture. J Hand Rep. 2030;4(2):11-19.\n"
            "2. Brandt K. Night splints in adults. Hand Surg Q. 2029;8:40-48.\n"
            "Page 1 of 2\n" + header +
            "3. Cole D, Iyer P. Wrist orthoses: a review. Orthop Rev. 2031;12:1-9.\nPage 2 of 2\n")
    doc, _ = doc_from_text(text)
    lines = [ln.text for ln in doc.lines]
    assert lines[:3] == header.strip().split("\n")  # page 1's header stays where it is
    assert lines.count("Lakeside Clinical Policy") == 1 and lines.count("Last Approval: 6/11/2031") == 1
    refs, _w = extract_references(doc, find_sections(doc))
    assert [r.number for r in refs] == [1, 2, 3]
