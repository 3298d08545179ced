"""Web-page text flattened onto one line (flat.py, residue.py, flat_lists.py), from invented pages
laid out the way crawlers flatten them."""
import pytest

from medpolicy.ingest.document import BlockKind, SourceDocument
from medpolicy.ingest.flat import flat_to_blocks, is_flattened
from medpolicy.ingest.flat_lists import _history_rows, _split_references, split_entries
from medpolicy.ingest.normalize import build_document
from medpolicy.ingest.residue import split_residue
from medpolicy.ingest.sections import find_sections
from medpolicy.ingest.text import text_to_blocks

FILLER = " ".join(f"Background sentence {k} explains how the scan is read by the clinic staff." for k in range(60))


def _blocks(text: str, furniture=None):
    return flat_to_blocks(text, furniture)


def _texts(blocks, kind):
    return [b.text for b in blocks if b.kind is kind]


def test_only_a_long_single_line_is_flattened():
    assert is_flattened("Title " + FILLER)
    assert not is_flattened("Title\n" + FILLER.replace(". ", ".\n"))
    assert not is_flattened("403 ERROR The request could not be satisfied.")


def test_inline_headings_in_title_case_and_capitals_start_sections():
    text = ("Bone Scan Imaging DESCRIPTION Bone scans show how bone is renewed. " + FILLER +
            " POLICY Bone scans are considered medically necessary when the criteria are met. "
            "MEDICAL APPROPRIATENESS Bone scans are medically appropriate when ALL of the following are met: "
            "pain for six weeks IMPORTANT REMINDERS Any product named here is an example. "
            "Policy Guidelines The science of scanning moves fast. See the References section for sources. "
            "References Doe J, Roe R. A study of scans. J Bone. 2020;1(2):3-4.")
    heads = _texts(_blocks(text), BlockKind.HEADING)
    assert heads == ["DESCRIPTION", "POLICY", "MEDICAL APPROPRIATENESS", "IMPORTANT REMINDERS", "Policy Guidelines",
                     "References"]


@pytest.mark.parametrize("sentence", [
    "The Evidence Positioning System. (2024) lists the sources.",  # a name, not a heading
    "Cancers Studies from the Other Cancers group were read.",
    "The plan follows the Medical Policy Update 05/2018, a bulletin.",
    "Testing with CPT 0009U HERmark assays is investigational.",
    # a heading's words followed by their abbreviation name something in the sentence
    "The device received U.S. Food and Drug Administration (FDA) clearance in 2004.",
])
def test_words_of_a_sentence_are_not_headings(sentence):
    text = "Bone Scan Imaging DESCRIPTION " + FILLER + " " + sentence + " " + FILLER
    assert _texts(_blocks(text), BlockKind.HEADING) == ["DESCRIPTION"]


def test_header_fields_run_together_become_lines():
    text = ("ABC.0001 Bone Scan Imaging Medical Policy Subject: Bone Scan Imaging Document #: ABC.0001 "
            "Publish Date: 04/16/2025 Status: Reviewed Last Review Date: 02/20/2025 Description/Scope "
            "This document addresses bone scans. " + FILLER)
    paras = _texts(_blocks(text), BlockKind.PARAGRAPH)
    for field in ("Subject: Bone Scan Imaging", "Document #: ABC.0001", "Publish Date: 04/16/2025",
                  "Status: Reviewed", "Last Review Date: 02/20/2025"):
        assert field in paras


def test_capital_labels_with_dates_end_after_the_date():
    text = ("Bone Scan Imaging DESCRIPTION " + FILLER + " ORIGINAL EFFECTIVE DATE: 9/30/2025 MOST RECENT REVIEW DATE: "
            "9/30/2025 Policies in this manual do not certify coverage.")
    paras = _texts(_blocks(text), BlockKind.PARAGRAPH)
    assert "ORIGINAL EFFECTIVE DATE: 9/30/2025" in paras and "MOST RECENT REVIEW DATE: 9/30/2025" in paras


def test_site_chrome_repeated_widget_menus_and_footer_are_removed():
    widget = "Policy Manual Click here to open this page in full view "
    text = ("Bone Scan Imaging " + widget * 6 + "Acme Health Plan Policy Manual Bone Scan Imaging DESCRIPTION "
            + FILLER + " Links Link to the provider center. Discrimination is Against the Law Acme Health Plan "
            "complies with civil rights laws. Call 1-800-555-0100. Privacy Policy Terms of Use Site Map")
    removed: list[str] = []
    blocks = _blocks(text, removed)
    everything = " ".join(b.text for b in blocks)
    assert "Click here" not in everything and "Discrimination" not in everything and "Site Map" not in everything
    assert blocks[0].text == "Bone Scan Imaging"
    assert any("Acme Health Plan" in r for r in removed)  # kept as letterhead evidence


def test_template_and_tag_residue_before_the_title_is_chrome():
    text = ('Bone Scans Log in to edit Open menu 0" class="nav-item" role="navigation"> {{ item.title }} Home '
            '{{ item.title }} Back to list 0" class="crumb" :style="{ width: 1 }"> Bone Scans - ABC 12 Description '
            + FILLER)
    blocks = _blocks(text)
    assert blocks[0].text == "Bone Scans - ABC 12" and blocks[1].text == "Description"


def _component(heading: str, body: list[str], n: int) -> str:
    html = f"{heading}</h2>\\r\\n" + "".join(f"<p>{p}</p>\\r\\n" for p in body)
    copy = " ".join([heading, *body])
    return html + f'&#34;}}}}" id="text-{n:04d}"> ' + copy + " "


def test_escaped_html_components_are_read_as_html_and_their_copies_dropped():
    parts = [("Policy", ["Bone scans are covered when criteria are met."]),
             ("Policy Guidelines", [FILLER[:800], FILLER[800:1600]]),
             ("References", ["Doe J, Roe R. A study of scans. J Bone. 2020;1(2):3-4.",
                             "Poe A. Scans in practice. Bone Rev. 2021;3:5-9."])]
    text = ("Bone Scans | Providers | Acme Skip to main content Log in Back Bone Scans "
            + "".join(_component(h, b, k) for k, (h, b) in enumerate(parts)) + "About Us Privacy Policy Careers Site Map")
    pieces = split_residue(text)
    assert [k for k, _ in pieces] == ["plain", "html", "html", "html", "plain"]
    doc = build_document(SourceDocument("x.txt", "0" * 64, "text", text_to_blocks(text)))
    lines = [ln.text for ln in doc.lines]
    assert lines[0] == "Bone Scans"
    assert lines.count("Bone scans are covered when criteria are met.") == 1
    assert "Doe J, Roe R. A study of scans. J Bone. 2020;1(2):3-4." in lines
    assert not any("id=" in ln or "Privacy" in ln for ln in lines)


@pytest.mark.parametrize("run, starts", [
    ("Doe JA, Roe R, et al. Scans of bone: a trial. J Bone. 2004; 10(2):69-74. Poe A. Bone in practice. Rev Bone. "
     "2005; 6(1):25-30. van Dam PL, Li X. A cohort. Bone J. 2006;2:1-9.", ["Doe JA", "Poe A.", "van Dam PL"]),
    ("Doe, J., Roe, R., & Poe, A. (2020). Scans of bone. Bone, 3 (1), 1-9. (Level 2 evidence) Bone Society (2024, May). "
     "Guideline for scans. Retrieved May 1, 2025 from the Bone Society Bone Society (2025, January). Update. Retrieved "
     "May 2, 2025 from www.bone.org. Lee, K., Kim, M., et al. (2021). A trial. Bone, 4, 2-8.",
     ["Doe, J.", "Bone Society (2024", "Bone Society (2025", "Lee, K."]),
    ("1. Doe J. Scans. Bone. 2020;1:2. 2. Roe R. More scans in 2 sites. Bone. 2021;2:3. 3. Poe A. Last. Bone. 2022;3:4.",
     ["1. Doe", "2. Roe", "3. Poe"]),
    ("Peer Reviewed Publications: Doe J, Roe R. A study. J Bone. 2020;1(2):3-4. Agency and Other Authoritative "
     "Publications: Poe A, Lee K. Another study. J Bone. 2021;2:5-6.",
     ["Peer Reviewed Publications:", "Doe J", "Agency and Other", "Poe A"]),
])
def test_references_run_together_split_at_entry_starts(run, starts):
    parts = _split_references(run)
    assert len(parts) == len(starts) and all(p.startswith(s) for p, s in zip(parts, starts))


def test_history_rows_start_at_dates_after_a_row_end_not_inside_a_sentence():
    run = ("Status Date Action Reviewed 02/20/2025 Committee review. Revised criteria. 01/30/2025 Updated Coding "
           "section with 10/01/2024 CPT changes; code 0001U deleted 12/31/2024. Revised 05/19/2021 Committee review. "
           "This change was approved at the November 29, 2020 meeting.")
    rows = _history_rows(run)
    assert [(s, d) for s, d, _ in rows] == [("", ""), ("Reviewed", "02/20/2025"), ("", "01/30/2025"), ("Revised", "05/19/2021")]
    assert rows[2][2].startswith("Updated Coding section with 10/01/2024 CPT changes")


def test_code_rows_and_history_rows_become_rows_under_their_headings():
    from medpolicy.ingest.document import Block
    code_run = ("For the following codes: 86152 Cell enumeration in blood; 86153 Cell enumeration, physician report "
                "0091U Oncology screening (see 0612U.) by counting " + "x" * 200)
    hist_run = "Date Action " + " ".join(f"0{m}/01/2020 Annual review number {m} of the policy." for m in range(1, 9))
    blocks = split_entries([Block(BlockKind.HEADING, "Coding"), Block(BlockKind.PARAGRAPH, code_run),
                            Block(BlockKind.HEADING, "Policy History"), Block(BlockKind.PARAGRAPH, hist_run)])
    texts = [b.text for b in blocks]
    assert any(t.startswith("86153 Cell enumeration") for t in texts) and any(t.startswith("0091U Oncology") for t in texts)
    rows = [b.cells for b in blocks if b.kind is BlockKind.ROW]
    assert rows[0] == ("Date", "Action") and len(rows) == 9 and rows[1][0] == "01/01/2020"


def test_a_flattened_page_parses_into_sections():
    text = ("Bone Scan Imaging Medical Policy Subject: Bone Scan Imaging Publish Date: 04/16/2025 Description "
            + FILLER + " Position Statement Medically Necessary: Bone scans are considered medically necessary for "
            "adults with bone pain. Coding The following codes apply: 78300 Bone imaging, limited area; 78305 Bone "
            "imaging, multiple areas. References Doe J, Roe R. A study of scans. J Bone. 2020;1(2):3-4. Poe A. Bone in "
            "practice. Rev Bone. 2021;3:5-9. Document History Status Date Action Reviewed 02/20/2025 Committee "
            "review. Revised 02/11/2024 Committee review; criteria clarified.")
    doc = build_document(SourceDocument("x.txt", "0" * 64, "text", text_to_blocks(text)))
    kinds = {s.kind for s in find_sections(doc)}
    assert {"description", "policy", "coding", "references", "history"} <= kinds


def test_a_date_before_a_document_number_is_a_cell_of_another_table_not_a_history_row():
    # a table of earlier documents ("Organisation | Last Review Date | Document Number | Title")
    # printed after the history and run into its last row
    run = ("Status Date Action Reviewed 02/20/2025 Committee review. Revised 05/19/2021 Committee review. "
           "Earlier Documents Last Review Date Document Number Title Acme Health, Inc. 09/23/2004 3.01.07 Knee "
           "Braces for Adults")
    rows = _history_rows(run)
    assert [(s, d) for s, d, _ in rows] == [("", ""), ("Reviewed", "02/20/2025"), ("Revised", "05/19/2021")]


def test_a_sentence_repeated_back_to_back_is_text_not_a_widget():
    from medpolicy.ingest.flat import _collapse_repeats

    removed: list[str] = []
    widget = "Policy Manual Click here to open this page in full view "
    cells = "Not covered for adults under any plan. " * 4
    out = _collapse_repeats("Bone Scans " + widget * 5 + "Coverage " + cells + "End.", removed)
    assert "Click here" not in out and out.count("Not covered for adults under any plan.") == 4


@pytest.mark.parametrize("page, title", [
    # a national coverage determination's page: menus and buttons run into its title, the fields
    # after the title's number printed without colons
    ("Home | Search | Reports | Help Expand All | Collapse All Print Share National Coverage Determination (NCD) "
     "for Knee Orthoses (280.99) Tracking Information Publication Number 100-3 Version Number 2 ",
     "National Coverage Determination (NCD) for Knee Orthoses (280.99)"),
    ("Home | Search | Help Knee Orthoses for Adults (NCD 280.99) Expand All | Collapse All Tracking Information ",
     "Knee Orthoses for Adults (NCD 280.99)"),
])
def test_menus_run_into_a_page_go_and_a_series_number_ends_its_title(page, title):
    removed: list[str] = []
    blocks = _blocks(page + "Item/Service Description " + FILLER, removed)
    assert blocks[0].text == title
    text = " ".join(b.text for b in blocks)
    assert "Expand All" not in text and "Home |" not in text and "Search" not in text
    assert any("Home" in r for r in removed)


@pytest.mark.parametrize("sentence", [
    "Members may search for a provider at home with the help line.",
    "The National Comprehensive Cancer Network (NCCN) Guidelines list the tests.",
])
def test_menu_words_in_a_sentence_stay(sentence):
    blocks = _blocks("Knee Orthoses Description " + sentence + " " + FILLER)
    assert sentence in " ".join(b.text for b in blocks)
