from medpolicy.ingest.text import is_hard_wrapped, text_to_pages, unwrap

WRAPPED = """This paragraph was wrapped by a tool at a fixed width so that every line
stops near the same column and runs on into the next line of the same
paragraph, which the loader must join back together before extraction.

Topic:
Tumor-Infiltrating Lymphocytes for Advanced Melanoma in Adults Today
Section:
Injections
MP-1.120 A related policy title that is long enough to fill a line here
MP-1.121 Another related policy title that is long enough to fill a line
Treatment of a well-
conducted trial was reported in many places and the text continues on.
Published 15 May 2024. [accessed 2025 Nov 10]. Available from the site at
10]. Available from:
https://example.org/guidance/chapter/1-Recommendations
"""


def test_detects_hard_wrapping():
    assert is_hard_wrapped(WRAPPED)
    assert not is_hard_wrapped("One paragraph per line.\n\n" * 3)


def test_unwrap_joins_paragraphs_and_keeps_fields_items_and_hyphens():
    lines = [ln for ln in unwrap(WRAPPED).split("\n") if ln]
    assert lines[0].startswith("This paragraph was wrapped") and lines[0].endswith("before extraction.")
    assert "Section:" in lines and "Injections" in lines
    assert any(ln.startswith("MP-1.120") for ln in lines) and any(ln.startswith("MP-1.121") for ln in lines)
    assert any("well-conducted trial" in ln for ln in lines)
    assert any(ln.endswith("Available from: https://example.org/guidance/chapter/1-Recommendations") for ln in lines)


def test_form_feeds_split_pages():
    assert len(text_to_pages("page one\fpage two")) == 2
