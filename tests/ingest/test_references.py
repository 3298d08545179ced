"""extract_references on hand-built reference lists: numbering, continuations, identifiers."""
from __future__ import annotations

import pytest

from medpolicy.ingest.references import extract_references, find_doi, find_pmid, find_url
from tests.helpers import build_sections, doc_from_text


build = build_sections


def refs(lines, heading="References"):
    got, _ = extract_references(*build((heading, "references", lines)))
    return got


@pytest.mark.parametrize("marker", ["{n}. ", "{n}) ", "[{n}] ", "({n}) "])
def test_number_styles(marker):
    got = refs([marker.format(n=1) + "Doe J, Roe R. A trial. J Test. 2020;1(2):3-4. PMID 11111111",
                marker.format(n=2) + "Poe E. Another trial. J Test. 2021;2(1):5-6. PMID: 22222222"])
    assert [(r.number, r.text[:6], r.pmid) for r in got] == [(1, "Doe J,", "11111111"), (2, "Poe E.", "22222222")]


def test_a_line_without_a_number_continues_the_entry_above():
    got = refs([
        "24. Kim H, Lee S, Park J, et al. Infusion of donor cells for relapsed disease after",
        "- allogeneic transplantation. Int J Hematol. Jul 2015;102(1):101-110. PMID 25948083",
        " 25. National Comprehensive Cancer Network (NCCN). Guidelines. Version 1.2015.",
        "Society (LAHRS). Europace. 2024 Aug 3;26(8):euae206.",
    ])
    assert [r.number for r in got] == [24, 25]
    assert got[0].text == ("Kim H, Lee S, Park J, et al. Infusion of donor cells for relapsed disease after "
                           "allogeneic transplantation. Int J Hematol. Jul 2015;102(1):101-110. PMID 25948083")
    assert got[0].pmid == "25948083"
    assert got[1].text.endswith("Version 1.2015. Society (LAHRS). Europace. 2024 Aug 3;26(8):euae206.")


def test_a_wrapped_line_starting_with_a_number_out_of_sequence_is_a_continuation():
    got = refs([
        "31. Ng A, Ho B. Dendritic cell vaccination in glioma. Nat Commun. May 08 2024; 15(1):",
        "3882. PMID 38719809",
        "32. Ota C. Intranodal vaccines. J Clin Oncol. Oct 15 2003; 21(20): 3826-35. PMID 14551301",
    ])
    assert [(r.number, r.pmid) for r in got] == [(31, "38719809"), (32, "14551301")]
    assert got[0].text.endswith("15(1): 3882. PMID 38719809")


def test_hyphen_at_a_line_end_is_kept_without_a_space():
    got = refs(["1. Li X. Stimulation for migraine: a network meta-", "analysis of trials. J Pain. 2022;23:28."])
    assert got[0].text == "Li X. Stimulation for migraine: a network meta-analysis of trials. J Pain. 2022;23:28."


def test_notes_and_titles_before_a_numbered_list_are_skipped():
    got = refs([
        "Note: Some sources are listed at the request of stakeholders.",
        "1. Adams K. How well are trials reported? Arch Dermatol. 2000;136(3):381-385.",
        "2. Agency for Health Care Research. Guideline. May 1992. Available at: http://www.example.gov/books/br.fcgi?",
        "book=abc&part=A1#A1.",
        "Page 19 of 36",
        "3. Baker L. Skin equivalents. Arch Surg. 2000;135:627-634.",
    ])
    assert [r.number for r in got] == [1, 2, 3]
    assert got[1].url == "http://www.example.gov/books/br.fcgi?book=abc&part=A1#A1"
    assert "Page 19" not in got[1].text


def test_numbering_may_restart_in_a_second_list():
    doc, sections = build(
        ("References", "references", ["1. Able A. One. 2001.", "2. Baker B. Two. 2002."]),
        ("Other Sources", "references", ["1. Carter C. Three. 2003."]),
    )
    got, _ = extract_references(doc, sections)
    assert [(r.number, r.text) for r in got] == [(1, "Able A. One. 2001."), (2, "Baker B. Two. 2002."),
                                                 (1, "Carter C. Three. 2003.")]


def test_a_number_on_its_own_line_takes_the_text_below():
    got = refs(["1.", "Able A. One. 2001.", "2.", "Baker B. Two. 2002."])
    assert [(r.number, r.text) for r in got] == [(1, "Able A. One. 2001."), (2, "Baker B. Two. 2002.")]


def test_unnumbered_entries_one_per_paragraph():
    got = refs([
        "Ames L, et al. Preparing for cell therapy: selection, bridging therapies and",
        "lymphodepletion. Nat Rev Clin Oncol. 2022 May;19(5):342-355.",
        "Brown B, et al. Recommendations for transplantation. Transplant Cell Ther. 2022 Jun;28(6):284-293.",
        "National Institute for Health and Care Excellence [Internet]. Drug X for lymphoma. Technology "
        "Appraisal Guidance [TA100]. Published: 7 June 2024. Available from: <https://www.example.org/ta100>",
        "National Cancer Institute. [Internet]. Cell therapy explained. Updated March 2022.",
    ])
    assert [r.number for r in got] == [None] * 4
    assert [r.text[:12] for r in got] == ["Ames L, et a", "Brown B, et ", "National Ins", "National Can"]
    assert got[0].text.endswith("bridging therapies and lymphodepletion. Nat Rev Clin Oncol. 2022 May;19(5):342-355.")
    assert got[2].url == "https://www.example.org/ta100"


def test_unnumbered_entry_left_unfinished_takes_the_next_line():
    got = refs([
        "Chen R, Spencer D, Weston J, et al. Stimulation for the treatment of epilepsy. Cochrane Database Syst",
        "(8):CD011025. Reviewed 2016,",
        "Updated 2020.",
        "Chen YC, Ton That V, et al. Guided stimulation enhances memory. Proc Natl Acad Sci U S A. 2022 May",
        "24;119(21):e2113778119.",
        "Cheng YC, Zeng BY, et al. Brain stimulation for migraine. J Headache Pain. 2022 Feb 20;23(1):28.",
    ])
    assert [r.text[:8] for r in got] == ["Chen R, ", "Chen YC,", "Cheng YC"]
    assert got[0].text.endswith("Cochrane Database Syst (8):CD011025. Reviewed 2016, Updated 2020.")
    assert got[1].text.endswith("2022 May 24;119(21):e2113778119.")


def test_unnumbered_paragraphs_without_final_stops_are_separate_entries():
    got = refs([
        "American Medical Association, Current Procedural Terminology (CPT) and associated publications and services",
        "Centers for Medicare and Medicaid Services, CMS Manual System, and other CMS publications and",
        "Novitas Solutions \u2013 Medicare Part B: Evaluation and Management Services",
    ])
    assert [r.text[:10] for r in got] == ["American M", "Centers fo", "Novitas So"]


def test_unnumbered_list_skips_notes_bullets_and_titles():
    got = refs([
        "Professional Societies",
        "\u2022 Doe J. Consensus statement. J Soc. 2019;1:1-9.",
        "Government Publications:",
        "\u2022 Centers for Medicare & Medicaid Services. NCD 110.24. Accessed 2025.",
    ])
    assert [r.text for r in got] == ["Doe J. Consensus statement. J Soc. 2019;1:1-9.",
                                     "Centers for Medicare & Medicaid Services. NCD 110.24. Accessed 2025."]


@pytest.mark.parametrize("text, pmid", [
    ("Blood. 2007;110(7):2620-30. PMID 17507664", "17507664"),
    ("Blood. 2007. PMID: 17507664.", "17507664"),
    ("Circ. 2023;16(9):e012805. PMID:37725675.", "37725675"),
    ("See https://pubmed.ncbi.nlm.nih.gov/31367163/ for details", "31367163"),
    ("See https://www.ncbi.nlm.nih.gov/pubmed/22171902", "22171902"),
    ("No identifier here. 2020;1:2.", None),
])
def test_find_pmid(text, pmid):
    assert find_pmid(text) == pmid


@pytest.mark.parametrize("text, doi", [
    ("J Clin Oncol. 2017; 35(16):1795-1802. doi: 10.1200/JCO.2016.69.3531. Epub 2017.", "10.1200/JCO.2016.69.3531"),
    ("Blood 2018; doi: https://doi.org/10.1182/blood-2017-08-798322.", "10.1182/blood-2017-08-798322"),
    ("Lancet. doi:10.1016/S0140-6736(20)30000-1).", "10.1016/S0140-6736(20)30000-1"),
    ("No doi. 2020.", None),
])
def test_find_doi(text, doi):
    assert find_doi(text) == doi


@pytest.mark.parametrize("text, url", [
    ("SEER Stat Facts. <https://seer.cancer.gov/statfacts/html/kidrp.html>. Accessed April 3, 2026.",
     "https://seer.cancer.gov/statfacts/html/kidrp.html"),
    ("Guidelines. http://www.nccn.org/professionals/physician_gls/pdf/bladder.pdf. Accessed 2026.",
     "http://www.nccn.org/professionals/physician_gls/pdf/bladder.pdf"),
    ("Available at www.example.org/page).", "www.example.org/page"),
    ("Wiki (https://en.example.org/wiki/Foo_(bar)).", "https://en.example.org/wiki/Foo_(bar)"),
    ("No link here.", None),
])
def test_find_url(text, url):
    assert find_url(text) == url


@pytest.mark.parametrize("empty", ["None.", "N/A", "Not applicable", "No references"])
def test_only_reference_sections_are_read_and_empty_sections_warn(empty):
    got, warnings = extract_references(*build(
        ("Policy", "policy", ["1. Criteria one.", "2. Criteria two."]),
        ("References", "references", [empty]),
    ))
    assert got == [] and warnings == []  # a list that says it is empty is not a failure
    got, warnings = extract_references(*build(("References", "references", ["Note: see the list online."])))
    assert got == [] and warnings


def test_provenance_covers_the_whole_entry():
    doc, sections = build(("References", "references", [("1. Able A. One", 7), ("continued. 2001.", 8)]))
    ref = extract_references(doc, sections)[0][0]
    assert ref.provenance.page == 7
    assert doc.text[ref.provenance.start:ref.provenance.end] == "1. Able A. One\ncontinued. 2001."


def test_a_table_under_the_list_is_not_part_of_the_last_entry():
    got = refs([
        "1. Able A. One. 2001.",
        "2. Baker B. Two. Am J Hematol 2015; 90:755-768.",
        "Reviews, Revisions, and Approvals\tDate\tApproval Date",
        "Approval",
        "Policy created.\t05.08.18\t08.18",
    ])
    assert [r.text for r in got] == ["Able A. One. 2001.", "Baker B. Two. Am J Hematol 2015; 90:755-768."]
    got = refs(["Able A. One. 2001.", "Type\tDate", "Baker B. Two. 2002.", "Policy created.\t05.08.18"])
    assert [r.text for r in got] == ["Able A. One. 2001.", "Baker B. Two. 2002."]


def test_number_glued_to_the_text_and_a_wrapped_pmid_after_a_one():
    got = refs([
        "9. Abel A. First. Obes Surg. 2019;29(9):1-2. doi: 10.1007/s1-019-0. Epub 2019 Apr",
        "1. PMID: 30937874.",
        "10.Baker B, Cole C. Second. Surg Clin North Am. 2005 Aug;85(4):835-52.",
        "11.Cole C. Third. 2006.",
        "12. 5-year results of a trial were reported.",
    ])
    assert [r.number for r in got] == [9, 10, 11, 12]
    assert got[0].pmid == "30937874" and got[0].text.endswith("Epub 2019 Apr 1. PMID: 30937874.")
    assert got[1].text.startswith("Baker B, Cole C.")


def test_a_section_that_is_mostly_a_table_is_not_an_unnumbered_list():
    assert refs(["8/2014\tAnnual review.", "9/2014\tAdministrative change.", "wrapped text of the row above",
                 "5/2018\tAnnual review."], heading="Change Control") == []


def test_tab_after_the_number_and_indented_continuation_cells():
    got = refs(["1.\tAble A. Title of the first", "\tpaper. J Med. 2001;1:2.", "2.\tBaker B. Two. 2002."])
    assert [(r.number, r.text) for r in got] == [(1, "Able A. Title of the first paper. J Med. 2001;1:2."),
                                                 (2, "Baker B. Two. 2002.")]


def test_two_citations_run_together_in_one_paragraph_are_two_entries():
    got = refs(["Kim A, Lee B. Stimulation study. Ann Rehabil. 2015 Sep;58(4):208-13.Liang Z, Yang H, et al. "
                "Migraine trial. J Pain. 2020;21(1):142.", "Moore C. Third study. 2021."])
    assert [r.text[:8] for r in got] == ["Kim A, L", "Liang Z,", "Moore C."]
    assert got[0].text.endswith("208-13.")


# -- layouts of PDF text layers and flattened web pages (issue 7) ---------------------------------

@pytest.mark.parametrize("heading", ["References", "REFERENCES", "Sources", "Bibliography", "Citations",
                                     "Works Cited", "Peer Reviewed Publications:",
                                     "Government Agency, Medical Society, and Other Authoritative Publications:"])
def test_reference_heading_variants(heading):
    doc, sections = doc_from_text(f"Scope\n\nSome text.\n\n{heading}\n\n1. Able A, Brown B. One trial. J Test. "
                                  "2001;1:2.\n2. Cole C. Another trial. J Test. 2002;3:4.")
    got, _ = extract_references(doc, sections)
    assert [(r.number, r.text[:7]) for r in got] == [(1, "Able A,"), (2, "Cole C.")]


def test_unnumbered_one_per_line_with_name_particles_and_a_stray_tail_line():
    got = refs([
        "Able A, Brown B. One trial. J Test. 2001;1:2.",
        "de Vries C, Dean D. A second trial. J Test. 2002;3:4.",
        "van der Berg E, et al. A third trial. J Test. 2003;5:6.",
        "Test J. 2004;7(1):8-9.",
        "Zed Z. Last trial. J Test. 2005;10:11.",
    ])
    assert [r.text[:9] for r in got] == ["Able A, B", "de Vries ", "van der B", "Test J. 2", "Zed Z. La"]


@pytest.mark.parametrize("line, starts", [
    # APA authors, a group author with its year, and a group author whose name the page printed
    # twice where the stop between two entries was lost
    ("Example Health Association. Evidence Review. (12:2024). Testing for lung cancer. Retrieved March 2, 2025 "
     "from https://www.example.org/eps/ . (12 articles reviewed) Able, A., Brown, B., et al. (2022). Clinical "
     "impact of sequencing. Current Oncology, 29 (3), 1902-1918. (Level 4 evidence) Cole, C.D., Dean, E.F., "
     "Evans, G., et al. (2024). Liquid biopsy results. Histopathology, 84 (7), 1224-1237. National Cancer "
     "Network (2024, July). Guidelines in Oncology V3.2024. Retrieved February 25, 2025 from the National "
     "Cancer Network National Cancer Network (2025, January). Guidelines in Oncology V1.2025. Retrieved "
     "February 25, 2025 from the National Cancer Network Fox, F., Gray, G., et al. (2024). Tissue profiling. "
     "Frontiers in Oncology, 14:1436588. U.S. Food and Drug Administration. (2021, July ). Premarket "
     "Notification Database. Retrieved February 21, 2025 from http://www.example.gov.",
     ["Example Health", "Able, A.", "Cole, C.D.", "National Cancer Network (2024", "National Cancer Network (2025",
      "Fox, F.", "U.S. Food"]),
    # Vancouver authors after a sub-list's label, name particles, one author, organisations
    ("Peer Reviewed Publications: Able AB, Brown C, et al. One trial. J Test. 2019; 1(2):3-4. de Vries D, "
     "Evans E. Two trials. J Test. 2020; 5:6-7. Fox F, van 't Hoff G. Three trials. J Test. 2021;8:9. "
     "Gray GH. A single author. J Test. 2022;10:11. Government Agency, Medical Society, and Other "
     "Authoritative Publications: American Society of Testing. Guideline on tests. 2023. Available at: "
     "https://www.example.org/g. TESTORG. Clinical evidence assessment of the test kit. 2024. Example Labs, "
     "Inc. A test kit 510(k) summary. 2025.",
     ["Able AB,", "de Vries D", "Fox F,", "Gray GH.", "American Society", "TESTORG.", "Example Labs"]),
])
def test_one_line_lists_split_at_each_citation(line, starts):
    got = refs([line])
    assert [next((s for s in starts if r.text.startswith(s)), r.text[:20]) for r in got] == starts


def test_a_citation_is_not_split_where_its_authors_carry_stops():
    got = refs(["Able A. Brown B, Cole C. Bladder tests. In: Dean D, Evans E, et al., eds. Testing Text. "
                "Example City: Publisher; 2024.", "Fox F. Gray G. et al. Markers in cancer. J Test. 1998;7:23-35."])
    assert [r.text[:8] for r in got] == ["Able A. ", "Fox F. G"]


def test_unnumbered_entries_run_together_in_one_line_split_before_an_author_list():
    got = refs(["Able A, et al. One trial. J Test. 2021 Jul;26(7):569-578. Brown B, Cole C, Dean D. Two trials. "
                "Ann Test. 2016 Sep;27(suppl 5):v69-v82. Evans E, et al.; The Test Investigators. Three. "
                "Test Res. 2020;1:2."])
    assert [r.text[:8] for r in got] == ["Able A, ", "Brown B,", "Evans E,"]
    assert got[1].text.endswith("27(suppl 5):v69-v82.")


def test_numbered_entries_run_together_in_one_line():
    got = refs([
        "1. Able A, Brown B. One trial. J Test. 2008; 17(14):533-541. 2. Cole C, Dean D. Two. J Test. 2009;",
        "4(1):1-2.",
        "3. Evans E. Three: results from the AB CO. 17. Test Res. 2014; 20(3):744-53.",
        "4. Fox F. Four. doi:10.1000/abc123xy 5. \"Requirements for Testing\" (Effective Date: 4/2/2024).",
    ])
    assert [(r.number, r.text[:8]) for r in got] == [(1, "Able A, "), (2, "Cole C, "), (3, "Evans E."),
                                                     (4, "Fox F. F"), (5, '"Require')]
    assert got[2].text.endswith("AB CO. 17. Test Res. 2014; 20(3):744-53.")


def test_numbering_restarts_under_sub_lists_and_steps_back_where_printed_twice():
    got = refs([
        "Peer Reviewed Publications:",
        "1. Able A. One. J Test. 2001;1:2.",
        "2. Brown B. Two. J Test. 2002;1:2.",
        "3. Cole C. Three. J Test. 2003;1:2.",
        "Government Agency, Medical Society, and Other Authoritative Publications:",
        "1. Dean D. Four. J Test. 2004;1:2.",
        "2. Evans E. Five. J Test. 2005;1:2.",
        "Topic Two Testing 1. Fox F. Six. J Test. 2006;1:2.",
        "2. Gray G. Seven. J Test. 2007;1:2.",
        "1. Hill H. Eight. J Test. 2008;1:2.",
    ])
    assert [r.number for r in got] == [1, 2, 3, 1, 2, 1, 2, 1]
    assert got[5].text.startswith("Fox F.")


@pytest.mark.parametrize("wrapped", [
    "2014.", "691. Carrier screening for genetic conditions. Obstet Gynecol. 2017;129(3):e41.",
    "Int J Cancer. 2010;127(4):1-9.", "Version 2.2025.", "PMID", "27055085",
])
def test_continuation_lines_that_look_like_entries(wrapped):
    numbered = refs(["11. Able A. A long title of a study, cut by the", wrapped, "12. Brown B. Two. 2002."])
    assert [r.number for r in numbered] == [11, 12]
    assert numbered[0].text.endswith(wrapped)


@pytest.mark.parametrize("lines, pmid", [
    (["1. Able A. One. J Test. 2001;1:2. PMID39532185"], "39532185"),
    (["1. Able A. One. J Test. 2001;1:2. PMID", "27055085", "2. Brown B. Two. 2002."], "27055085"),
])
def test_pmids_split_or_glued(lines, pmid):
    assert refs(lines)[0].pmid == pmid


def test_lines_that_are_not_references():
    got = refs([
        "Able A. One trial. J Test. 2001;1:2.",
        "Topic Testing For Drug Response",
        "Brown B. Two trials. J Test. 2002;3:4.",
        "\u00a9 2026 Example Health Plan. All rights reserved. 15",
        "Page 12 of 77",
        "Cole C. Three trials. J Test. 2003;5:6.",
        "Medical Director review 5/2019",
        "Specialty Advisory Panel review 3/2020",
    ])
    assert [r.text[:6] for r in got] == ["Able A", "Brown ", "Cole C"]


def test_a_list_cut_by_false_headings_and_running_headers_goes_on():
    running = ["Example Plan Guideline GEN-99", "Page 3 of 9"]
    doc, sections = build(
        ("Background", "background", ["Some text. Example Plan Guideline GEN-99"]),
        ("References", "references", ["1. Able A. One. J Test. 2001;1:2.", "2. Brown B. A long study of many",
                                      *running]),
        ("PMID 18311409", "other", ["3. Cole C. Three. J Test. 2003;5:6. Example Plan Guideline GEN-99",
                                   "4. Hayes, Inc. Test Assessment. FirstSight"]),
        ("CRC", "other", ["(Test Lab). https://www.example.com. Published August 7, 2020.",
                          "5. Dean D. Five. 2005.", *running]),
        ("Example Plan Guideline GEN-99", "references", ["6. Evans E. Six. 2006."]),
        ("Documentation for Clinical Review", "references", ["Please provide the following documentation:",
                                                              "\u2022", "Name of the test requested"]),
        ("Index", "boilerplate", ["Testing, genetic"]),
    )
    got, _ = extract_references(doc, sections)
    assert [r.number for r in got] == [1, 2, 3, 4, 5, 6]
    assert got[1].text == "Brown B. A long study of many PMID 18311409" and got[1].pmid == "18311409"
    assert got[3].text.endswith("FirstSight CRC (Test Lab). https://www.example.com. Published August 7, 2020.")


def test_a_table_cell_printed_inside_the_list_is_dropped():
    doc, sections = build(
        ("Coding", "coding", ["HCPCS", "No code(s) identified"]),
        ("References", "references", ["11. Able A. One trial. J", "No code(s) identified",
                                      "Test Oncol. 2022;40(28):3246-3256.", "12. Brown B. Two. 2002."]),
    )
    got, _ = extract_references(doc, sections)
    assert got[0].text == "Able A. One trial. J Test Oncol. 2022;40(28):3246-3256."


def test_entries_run_together_where_a_group_author_of_the_list_starts_again():
    got = refs(["Able A, Brown B. One trial. J Test. 2019;1:2.",
                "Test Group, Inc. Test Assessment. Kit One (Lab A). Test Group Inc.; May 1, 2020. Test Group, Inc. "
                "Test Assessment. Kit Two (Lab B). Test Group Inc.; June 2, 2021.",
                "Test Group, Inc. Test Assessment. Kit Three (Lab C). Test Group Inc.; July 3, 2022."])
    assert [r.text.split(". ")[-1] for r in got] == ["2019;1:2.", "Test Group Inc.; May 1, 2020.",
                                                     "Test Group Inc.; June 2, 2021.", "Test Group Inc.; July 3, 2022."]


def test_lines_the_page_broke_inside_a_list():
    got = refs([
        "Able A, Brown B. One trial. J Test. 2019;1:2.",
        "Cole C, Dean D, et al.",
        "A study cut after its authors. J Test. 2020;3:4.",
        "Van",
        "Evans E, Fox F. A surname cut at its particle. J Test. 2021;5:6.",
        "Gray G, Hill H. A last trial. J Test. 2022;7:8.",
        "Policies included in this manual are not intended to certify coverage availability and are provided "
        "for information about the medical determinations of the plan only.",
    ])
    assert [r.text[:10] for r in got] == ["Able A, Br", "Cole C, De", "Van Evans ", "Gray G, Hi"]


def test_a_heading_line_in_a_list_is_no_entry():
    from medpolicy.ingest.document import BlockKind, Document, SourceDocument
    from medpolicy.ingest.sections import SectionSpan

    doc = Document.from_lines(SourceDocument("t.txt", "0" * 64, "text", []), [
        ("References", 1, BlockKind.HEADING), ("For Policy Titled: An Older Title", 1, BlockKind.HEADING),
        ("Able A, Brown B. One trial. J Test. 2019;1:2.", 1, BlockKind.PARAGRAPH)])
    got, _ = extract_references(doc, [SectionSpan("References", "references", 1, doc.lines[0], doc.lines[1:])])
    assert [r.text[:6] for r in got] == ["Able A"]


def test_a_sub_list_label_run_into_an_entry_and_a_number_whose_stop_was_lost():
    got = refs([
        "1. Able A, Brown B. One trial. J Test. 2019;1:2.",
        "2. Cole C. Two trials. J Test. 2020;3:4. Government Agency, Medical Society, and Other Authoritative "
        "Publications:",
        "1. Dean D, Evans E. Three trials. J Test. 2021;5:6.",
        "2 Fox F, Gray G. Four trials. J Test. 2022;7:8.",
    ])
    assert [(r.number, r.text[-9:]) for r in got] == [(1, "2019;1:2."), (2, "2020;3:4."), (1, "2021;5:6."),
                                                      (2, "2022;7:8.")]


def test_a_list_ends_where_the_next_section_was_run_into_it():
    got = refs(["Able A, Brown B, et al. One trial. J Test. 2019;1:2. Cole C, Dean D, et al. Two trials. J Test. "
                "2020;3:4. Websites for Additional Information Example Society. Available at: https://example.org. "
                "Accessed on May 1, 2024. Index Test A Test B"])
    assert [r.text[:6] for r in got] == ["Able A", "Cole C"]


_NUMBERED = ["1. Doe J, Roe R. A trial of braces. J Test. 2020;1(2):3-4.", "2. Poe E. Another trial. J Test. 2021;2(1):5-6."]
_UNNUMBERED = ["Doe J, Roe R. A trial of braces. J Test. 2020;1(2):3-4.", "Poe E, Loe F. Another trial. J Test. 2021;2(1):5-6."]


@pytest.mark.parametrize("trailer", [
    # the policy's maintenance sentence, then a block of dated labels
    ["This policy will be revised as necessary and reviewed no less than annually.", "Devised: 09/2023",
     "Revised: 03/2025 (criteria reworded)", "Reviewed: 03/2025", "MCO Approval: 04/2025"],
    # the dated block alone, its first label one that a citation's tail never starts with
    ["Devised: 09/2023", "Reviewed: 03/2025"],
    ["P&T Approval: 05/2025", "Last updated 06/2025"],
    # dated labels that a citation's tail could start with, at the end of the list
    ["Reviewed: 03/2025", "Last updated 06/2025"],
    # a signature
    ["Signature: Medical Director", "/s/ Pat Doe, MD"],
    ["The medical policy is reviewed at least annually by the committee."],
])
@pytest.mark.parametrize("entries", [_NUMBERED, _UNNUMBERED])
def test_trailer_lines_after_the_list_are_not_references(entries, trailer):
    got = refs(entries + trailer)
    assert [r.text for r in got] == [e.split(". ", 1)[1] if e[0].isdigit() else e for e in entries]


def test_a_maintenance_sentence_run_into_the_last_entry_is_cut_off():
    got = refs(["1. Doe J. A trial. J Test. 2020;1(2):3-4. 2. Poe E. Another trial. J Test. 2021;2(1):5-6. "
                "This policy will be revised as necessary and reviewed no less than annually. Devised: 09/2023"])
    assert [r.text for r in got] == ["Doe J. A trial. J Test. 2020;1(2):3-4.", "Poe E. Another trial. J Test. 2021;2(1):5-6."]


def test_an_updated_date_in_a_citation_stays_in_it():
    got = refs(["1. Doe J. Knee braces. UpToDate. https://www.uptodate.com.", "Updated August 2023.",
                "2. Poe E. Another trial. J Test. 2021;2(1):5-6."])
    assert got[0].text.endswith("Updated August 2023.") and len(got) == 2


def test_a_group_head_cut_from_its_own_title_takes_it_back():
    # a text layer broke the entry where its title looks like a label ("Melanoma: Skin.")
    got = refs(["Zenith Cancer Network (ZCN) [Internet]. Practice guidelines in oncology. Breast Cancer. V.1.2030. "
                "2030 Jan 2 [accessed 2030 Feb 3]. Available from: https://www.zcn.example/breast.pdf",
                "Zenith Cancer Network (ZCN) [Internet]. Practice guidelines in oncology.",
                "Melanoma: Skin. V.2.2030. 2030 Jan 5 [accessed 2030 Feb 3]. Available from: https://www.zcn.example/mel.pdf",
                "Doe J, Roe R. A trial. J Test. 2020;1(2):3-4."])
    assert [r.text[:60] for r in got] == [
        "Zenith Cancer Network (ZCN) [Internet]. Practice guidelines ",
        "Zenith Cancer Network (ZCN) [Internet]. Practice guidelines ",
        "Doe J, Roe R. A trial. J Test. 2020;1(2):3-4."]
    assert "Melanoma: Skin. V.2.2030." in got[1].text


def test_a_citation_part_ending_with_a_colon_is_not_a_sub_list_label():
    got = refs(["Doe J. Practice guidelines in oncology.", "Melanoma: Skin. V.2.2030. 2030 Jan 5 [accessed 2030 Feb 3]. Available from:",
                "https://www.zcn.example/mel.pdf", "Roe R. A trial. J Test. 2020;1(2):3-4."])
    assert any("V.2.2030" in r.text for r in got)


def test_a_table_header_cell_that_reads_like_a_references_heading_is_no_list():
    # an evidence table printed one cell per line: "Reference" / "Standard" is a column's header,
    # the numbered lines under the table are its footnotes
    doc, secs = build(("Reference", "references", [
        "Standard", "Threshold for Positive", "Index Test", "Doe et al (2030)", "Imaging", "12 months of follow-up after surgery",
        "1. Health outcomes not assessed in the study population", "Yes", "No"]),
        ("References", "references", ["1. Doe J, Roe R. A trial. J Test. 2030;1(2):3-4.", "2. Poe E. Another. J Test. 2031;2:5-6."]))
    assert [r.text[:6] for r in extract_references(doc, secs)[0]] == ["Doe J,", "Poe E."]


@pytest.mark.parametrize("line, starts", [
    # a journal citation's pages end it beyond doubt: what follows is another citation, whoever wrote it
    ("Doe J, Roe R. A trial of braces. J Test. 2030 Jul;208(1):26-33. ZCRI. Clinical Evidence Assessment. "
     "Brace Assay for knees. March 16, 2031.", ["Doe J,", "ZCRI. "]),
    ("Doe J, Roe R. A trial of braces. J Test. 2030;23(4):607-614. US Brace Task Force; Poe KW, Loe MJ, et al. "
     "Screening for knee injury. JAMA. 2031 May 18;325(19):1965-1977.", ["Doe J,", "US Bra"]),
    # ... unless its own tail follows
    ("Doe J, Roe R. A trial of braces. J Test. 2030;23(4):607-614. Epub 2030 Jan 2. Erratum in: J Test. 2031;1:2.",
     ["Doe J,"]),
])
def test_a_citation_after_another_ends_at_its_pages(line, starts):
    assert [r.text[:6] for r in refs([line, "Moe K, Noe L. A third trial. J Test. 2032;1(1):1-2."])] == [*starts, "Moe K,"]
