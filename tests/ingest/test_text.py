import pytest

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


# -- text layers that end their lines with a space (pdfminer-style) --------------------------

from medpolicy.ingest.document import BlockKind  # noqa: E402
from medpolicy.ingest.text import repair_lines, text_to_blocks  # noqa: E402


@pytest.mark.parametrize("lines, joined", [
    (["Panels such as GenoScan", "®", " Plus are used ", "next line "], "Panels such as GenoScan ® Plus are used "),
    (["Mail to 44 Elm Avenue, 2", "nd", " Floor, Springfield "], "Mail to 44 Elm Avenue, 2nd Floor, Springfield "),
    (["The marker was not validated.", "3", " Later studies agreed. "], "The marker was not validated.3 Later studies agreed. "),
    (["Express", "™", ") is considered proven "], "Express ™) is considered proven "),
    (["This assay is considered in", "vestigational for all other uses. "], "This assay is considered investigational for all other uses. "),
    (["may potentially off", "er a simpler route "], "may potentially offer a simpler route "),
])
def test_repair_lines_joins_marks_and_words_the_layer_broke(lines, joined):
    assert repair_lines(lines)[0] == joined


def test_repair_lines_keeps_lines_that_end_normally():
    lines = ["A sentence that ends with a space ", "and goes on here. ", "81525 ", " Item with a lost bullet "]
    assert repair_lines(lines) == lines


def _layer_text(body: list[str]) -> str:
    filler = [f"Filler sentence number {k} keeps the layer long enough to read as a text layer and " for k in range(20)]
    return "\n".join(filler + ["continues here. "] + body)


def test_text_layer_lines_with_a_lost_bullet_are_items_and_two_spaces_do_not_join():
    blocks = text_to_blocks(_layer_text([
        "Testing is considered medically necessary for any of the following: ",
        " Chronic kidney disease ", " Liver disease ",
        "Policy Number: 2026X0001  ", "Effective Date: January 1, 2026 "]))
    texts = {b.text.strip(): b.kind for b in blocks}
    assert texts["Chronic kidney disease"] is BlockKind.ITEM and texts["Liver disease"] is BlockKind.ITEM
    assert "Policy Number: 2026X0001" in texts and "Effective Date: January 1, 2026" in texts


def test_unwrap_keeps_code_rows_leaders_and_fields_apart():
    text = "\n".join([
        "0101U Oncology (colon), targeted sequence analysis panel of twelve genes, blood specimen, reported as",
        "positive or negative for each variant",
        "81479 Unlisted molecular pathology procedure that is long enough to reach the wrapping width",
        "Effective Date ........................................................ 10/11/2025",
        "Next Review Date ...................................................... 7/15/2026",
        "Subject: Genetic Testing for Inherited Blood Disorders in Adults and Children Alike",
        "Guideline#: XY-GENE-99 Publish Date: 12/28/2022",
    ] * 2)
    lines = unwrap(text).split("\n")
    assert lines[0].endswith("reported as positive or negative for each variant")
    assert lines[1].startswith("81479 ") and lines[2].startswith("Effective Date") and lines[3].startswith("Next Review")
    assert lines[5].startswith("Guideline#:")


def test_unwrap_starts_a_known_heading_on_its_own_line():
    text = "\n".join(["GENE.00052 A related document title that is long enough to reach the wrapping width here",
                      "GENE.00054 Another related document title that is long enough to reach the width",
                      "Position Statement", "Investigational and Not Medically Necessary:"] * 3)
    lines = unwrap(text).split("\n")
    assert lines[:4] == ["GENE.00052 A related document title that is long enough to reach the wrapping width here",
                         "GENE.00054 Another related document title that is long enough to reach the width",
                         "Position Statement", "Investigational and Not Medically Necessary:"]


@pytest.mark.parametrize("pad", ["\u00a0\u00a0", "\u00a0 ", "\u202f\u00a0"])
def test_no_break_spaces_ending_a_line_are_no_markdown_hard_break(pad):
    # a web page's text pads lines with no-break spaces; two typed spaces still join
    blocks = text_to_blocks(f"Acme Labs. Acme launches a new test. Springfield: Acme; May 3, 2031{pad}\n"
                            "Doe J, Roe R. A study of tests. J Tests. 2030;1(2):3-4.\n"
                            "A line with a hard break  \ncontinues here.")
    assert [b.text for b in blocks] == ["Acme Labs. Acme launches a new test. Springfield: Acme; May 3, 2031",
                                        "Doe J, Roe R. A study of tests. J Tests. 2030;1(2):3-4.",
                                        "A line with a hard break continues here."]


def test_a_code_rows_name_runs_on_but_a_line_of_codes_is_a_cell_of_its_own():
    # a table whose rows print a code, the test's name over several lines, then its diagnosis codes
    text = "\n".join([
        "0999U Acme Tumor Profile (Acme",
        "Laboratories)",
        "C18-C20, C24,",
        "C43",
        "81999 Cell-Free DNA Panel",
        "Blood (Zenith Labs)",
        "Z19.2",
        "The codes above are listed for reference only and do not guarantee payment by the plan.",
    ] * 3)
    lines = unwrap(text, 80).split("\n")
    assert lines[:5] == ["0999U Acme Tumor Profile (Acme Laboratories)", "C18-C20, C24,", "C43",
                         "81999 Cell-Free DNA Panel Blood (Zenith Labs)", "Z19.2"]


@pytest.mark.parametrize("mark", ["\u2022", "\u25cb", "\u25aa", "o", "-", "*", "1.", "(b)", "iv)"])
def test_a_wrapped_text_keeps_every_kind_of_item_on_its_own_line(mark):
    # the second item is as wide as the wrapped lines around it: only its mark keeps it apart
    text = "\n".join([
        "The assay is considered medically necessary when all of the following criteria are met by the member:",
        f"{mark} The member has a confirmed diagnosis of the condition for which the assay was designed, OR",
        f"{mark} The member has a progression of the disease documented by imaging or by a pathologist, OR",
        "Filler sentence that runs on to the same width as every other line so that the text reads wrapped",
        "and the loader knows it must join lines back into the paragraphs that the author wrote at first.",
    ] * 3)
    lines = unwrap(text).split("\n")
    assert sum(1 for ln in lines if ln.startswith(f"{mark} The member has a progression")) == 3


@pytest.mark.parametrize("line", ["-based assays were compared in the same trial of members",
                                  "oral therapy was given to every member of the trial"])
def test_a_hyphenated_tail_or_a_glued_letter_is_no_item(line):
    text = "\n".join(["A first line of the paragraph that the tool wrapped at the same width as the next", line]
                     + ["Filler sentence that runs on to the same width as every other line so that the text"] * 8)
    assert not any(ln.startswith(line[:5]) for ln in unwrap(text).split("\n"))
