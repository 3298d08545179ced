"""extract_codes on hand-built documents shaped like the code tables payers print."""
from __future__ import annotations

import pytest

from medpolicy.ingest.codes import extract_codes, label_system, parse_code_cell, system_of
from tests.helpers import build_sections


build = build_sections


def keys(codes):
    return [(c.system.value, c.code, c.code_end) for c in codes]


def run(*blocks):
    codes, _ = extract_codes(*build(*blocks))
    return codes


def test_system_label_rows_carry_down_a_grouped_table():
    codes = run(("Coding", "coding", [
        "Code\tDescription",
        "CPT\t",
        "64999\tUnlisted procedure, nervous system",
        "HCPCS\t",
        "J9999\tNot otherwise classified, antineoplastic drugs",
        "Note: CPT codes and descriptions are copyrighted by the AMA.",
    ]))
    assert keys(codes) == [("CPT", "64999", None), ("HCPCS", "J9999", None)]
    assert codes[0].description == "Unlisted procedure, nervous system"


def test_label_in_first_cell_then_rows_with_an_empty_first_cell():
    codes = run(("CODING", "coding", [
        "NOTE: HCPCS code J9999 is a status I code and is not valid for Medicare use.",
        "Codes\tNumber\tDescription",
        "CPT\t64999\tUnlisted procedure, nervous system",
        "\t20999\tUnlisted procedure, musculoskeletal system",
        "HCPCS\tJ9999\tNot otherwise classified drug",
    ]))
    assert keys(codes) == [("CPT", "64999", None), ("CPT", "20999", None), ("HCPCS", "J9999", None)]


def test_headings_name_the_system_and_ranges_are_one_entry():
    codes = run(
        ("CODE(S)", "coding", ["- Code list may not be all inclusive."]),
        ("CPT Codes", "coding", ["Code\tDescription", "96413\tChemotherapy administration, intravenous"]),
        ("HCPCS Codes", "coding", ["Code\tDescription", "\tSee the pharmacy policy for drug codes"]),
        ("ICD10 Codes", "coding", [
            "Code\tDescription",
            "C81.10\u2013 C81.19\tNodular sclerosis Hodgkin lymphoma (code range)",
            "C50.011-C50.929\tMalignant neoplasm of breast",
            "D47.Z1\tPost-transplant lymphoproliferative disorder",
            "Z94.84\tStem cells transplant status",
        ]),
    )
    assert keys(codes) == [
        ("CPT", "96413", None),
        ("ICD-10-CM", "C81.10", "C81.19"),
        ("ICD-10-CM", "C50.011", "C50.929"),
        ("ICD-10-CM", "D47.Z1", None),
        ("ICD-10-CM", "Z94.84", None),
    ]


def test_category_iii_range_with_hyphen():
    codes = run(("Coding", "coding", ["CPT\t", "0671T-0673T\tTemporary codes (range)"]))
    assert keys(codes) == [("CPT", "0671T", "0673T")]


def test_labelled_block_outside_a_coding_section():
    # labels on their own lines, codes alone with the description on the next line, and rows
    # led by their label, all under a policy heading
    codes = run(("Policy Position", "policy", [
        "Therapy X may be considered medically necessary for adults.",
        "CPT",
        "no code",
        "ICD10-PCS",
        "XW0DXJ5",
        "Introduction of a new technology drug into the mouth, external approach",
        "HCPCS J9999 Not otherwise classified drugs",
        "Q2055 Injection, test biologic",
        "ICD10-CM C81.00-C81.99 Hodgkin lymphoma code range",
        "C82.00-C82.99 Follicular lymphoma",
        "Reference to other policy guidelines",
        "Providers must bill HCPCS code J1234 with the units given.",
        "36511 Therapeutic apheresis",
    ]))
    assert keys(codes) == [
        ("ICD-10-PCS", "XW0DXJ5", None),
        ("HCPCS", "J9999", None),
        ("HCPCS", "Q2055", None),
        ("ICD-10-CM", "C81.00", "C81.99"),
        ("ICD-10-CM", "C82.00", "C82.99"),
    ]
    assert codes[0].description.startswith("Introduction of a new technology drug")


def test_history_rows_and_prose_mentions_are_not_codes():
    codes = run(
        ("Policy", "policy", ["Report CPT code 64999 when no other code applies.",
                              "Codes 0537T and Q2040 were removed in 2020."]),
        ("History", "history", ["Date\tComments", "01/01/20\tCoding update, removed HCPCS code Q2040",
                                "CPT\t64999\tdeleted"]),
        ("References", "references", ["1. Smith A. CPT 99213 coding study. J Test. 2020;1:1-2."]),
    )
    assert codes == []


def test_modifier_revenue_and_bill_type_tables_are_not_codes():
    codes = run(("Coding Information", "coding", [
        "MODIFIERS",
        "Modifier\tModifier Description",
        "JG\tDrug acquired with 340B program discount",
        "25\tSignificant, separately identifiable E/M service",
        "Revenue Codes",
        "Code\tDescription",
        "99999\tNot Applicable",
        "Bill Type Codes",
        "0131\tHospital outpatient",
        "CPT Codes",
        "99213\tOffice visit, established patient",
    ]))
    assert keys(codes) == [("CPT", "99213", None)]


def test_cms_style_groups_under_system_headings():
    codes = run(("Coding Information", "coding", [
        "CPT/HCPCS Codes",
        "Group 1 (2 Codes)",
        "Group 1 Paragraph",
        "N/A",
        "Group 1 Codes",
        "Code\tDescription",
        "90867\tTHERAPEUTIC REPETITIVE TMS TREATMENT; INITIAL",
        "G0277\tHYPERBARIC OXYGEN UNDER PRESSURE, FULL BODY CHAMBER",
        "CPT/HCPCS Modifiers",
        "N/A",
        "ICD-10-CM Codes that Support Medical Necessity",
        "Group 1 Codes",
        "Code\tDescription",
        "F33.2\tMajor depressive disorder, recurrent severe",
        "ICD-10-CM Codes that DO NOT Support Medical Necessity",
        "N/A",
    ]))
    assert keys(codes) == [("CPT", "90867", None), ("HCPCS", "G0277", None), ("ICD-10-CM", "F33.2", None)]


def test_plain_lines_with_descriptions_and_spaced_dash_ranges():
    codes = run(("BILLING/CODING INFORMATION:", "coding", [
        "CPT Coding:",
        "37246 Transluminal balloon angioplasty, open or percutaneous; initial artery",
        "ICD-10 Diagnosis Codes That Support Medical Necessity:",
        "I70.211 \u2013 I70.219 Atherosclerosis of native arteries of extremities",
        "REIMBURSEMENT INFORMATION:",
        "CPT codes 37246 and 37247 include all imaging.",
    ]))
    assert keys(codes) == [("CPT", "37246", None), ("ICD-10-CM", "I70.211", "I70.219")]


def test_lines_listing_several_codes():
    codes = run(("Policy Applicable Codes:", "coding", [
        "25500 25505 25515",
        "27530, 27532; 27535",
    ]))
    assert [c.code for c in codes] == ["25500", "25505", "25515", "27530", "27532", "27535"]


def test_a_generic_codes_label_starts_a_block_outside_coding():
    codes = run(("Reimbursement Guidelines", "policy", [
        "Fractures are reimbursed as below.",
        "Policy Applicable Codes:",
        "25500 25505 25515",
        "RELATED POLICIES:",
        "25600 is not listed here",
    ]))
    assert [c.code for c in codes] == ["25500", "25505", "25515"]


def test_label_only_heading_in_a_non_coding_section_opens_a_block():
    codes = run(("ICD-10-CM Diagnosis Codes", "other", ["Code\tDescription", "H35.31\tNonexudative macular"]))
    assert keys(codes) == [("ICD-10-CM", "H35.31", None)]


def test_unlabelled_tables_in_prose_sections_are_not_codes():
    codes = run(("Summary of Evidence", "evidence", [
        "NCT No.\tTrial Name\tPlanned Enrollment\tCompletion Date",
        "NCT01234567\tA trial of cells\t1230\tFeb 2030",
        "12345\tParticipants enrolled",
    ]))
    assert codes == []


def test_deduplicated_by_system_code_and_end_keeping_the_first():
    codes = run(
        ("CPT Codes", "coding", ["64999\tUnlisted procedure", "64999\tUnlisted procedure (again)"]),
        ("ICD-10-CM Codes", "coding", ["C43.0-C43.9\tMelanoma", "C43.0-C43.9\tMelanoma", "C43.0\tMelanoma of lip"]),
    )
    assert keys(codes) == [("CPT", "64999", None), ("ICD-10-CM", "C43.0", "C43.9"), ("ICD-10-CM", "C43.0", None)]
    assert codes[0].description == "Unlisted procedure"


def test_description_continues_in_a_row_with_an_empty_first_cell():
    codes = run(("CPT Codes", "coding", [
        "Code\tDescription",
        "77385\tIntensity modulated radiation treatment delivery,",
        "\tincludes guidance and tracking, when performed; simple",
    ]))
    assert codes[0].description == ("Intensity modulated radiation treatment delivery, includes guidance and "
                                    "tracking, when performed; simple")


def test_provenance_points_at_the_row():
    doc, sections = build(("Coding", "coding", [("Intro text", 3), ("CPT\t", 3), ("64999\tUnlisted", 4)]))
    codes, _ = extract_codes(doc, sections)
    prov = codes[0].provenance
    assert prov.page == 4
    assert doc.text[prov.start:prov.end] == "64999\tUnlisted"


def test_warning_only_when_a_coding_section_shows_codes_that_could_not_be_read():
    codes, warnings = extract_codes(*build(("Coding", "coding", ["Bill 36511 and 36512 as in the guide."])))
    assert codes == [] and warnings
    assert extract_codes(*build(("Coding", "coding", ["All applicable CPT and HCPCS codes."]))) == ([], [])
    assert extract_codes(*build(("Policy", "policy", ["Text."]))) == ([], [])


@pytest.mark.parametrize("code, context, system", [
    ("99213", None, "CPT"),
    ("0537T", None, "CPT"),
    ("3074F", None, "CPT"),
    ("0001U", None, "CPT"),
    ("J3490", None, "HCPCS"),
    ("J3490", "CPT", "HCPCS"),  # a label that does not fit the shape gives way to the shape
    ("C43.9", None, "ICD-10-CM"),
    ("Z92.850", "ICD-10", "ICD-10-CM"),
    ("E08.37X1", None, "ICD-10-CM"),
    ("XW033L7", None, "ICD-10-PCS"),
    ("XW033L7", "ICD-10", "ICD-10-PCS"),
    ("0210093", "ICD-10-PCS", "ICD-10-PCS"),  # all digits: PCS only under its label
    ("0210093", None, None),
    ("E1165", "ICD-10-CM", "ICD-10-CM"),  # printed without its dot under an explicit label
    ("JG", None, None),
    ("25", None, None),
    ("1234", None, None),
    ("CPT", None, None),
])
def test_system_of(code, context, system):
    assert system_of(code, context) == system


@pytest.mark.parametrize("text, system", [
    ("CPT", "CPT"), ("CPT®* Codes", "CPT"), ("CPT codes:", "CPT"), ("HCPCS Codes", "HCPCS"),
    ("ICD10-PCS", "ICD-10-PCS"), ("ICD-10-PCS Procedure Codes", "ICD-10-PCS"), ("ICD10-CM", "ICD-10-CM"),
    ("ICD-10-CM Diagnosis Codes that Support Coverage Criteria", "ICD-10-CM"), ("ICD10 Codes", "ICD-10"),
    ("CPT Codes / HCPCS Codes / ICD Codes", "ANY"), ("CPT/HCPCS Code", "ANY"), ("Policy Applicable Codes:", "ANY"),
    ("CPT/HCPCS Modifiers", "IGNORE"), ("Revenue Codes", "IGNORE"), ("ICD-9 Codes", "IGNORE"),
    ("Coding", None), ("Description", None),
    ("CPT is a registered trademark of the American Medical Association.", None),
    ("See Pharmacy Policy 103 for Applicable Drug Codes", None),
])
def test_label_system(text, system):
    assert label_system(text) == system


@pytest.mark.parametrize("cell, expected", [
    ("C43.0-C43.9", [("ICD-10-CM", "C43.0", "C43.9")]),
    ("C83.30\u2013 C83.39", [("ICD-10-CM", "C83.30", "C83.39")]),
    ("99202 through 99205", [("CPT", "99202", "99205")]),
    ("0537T, 0538T", [("CPT", "0537T", None), ("CPT", "0538T", None)]),
    ("J3490 Unclassified drugs", None),
    ("no code", None),
    ("C43.0-J3490", None),  # the two ends of a range share one system
    ("", None),
])
def test_parse_code_cell(cell, expected):
    assert parse_code_cell(cell, None) == expected


def test_code_lines_run_together_by_a_text_loader_are_split():
    codes = run(("Coding", "coding", [
        "ICD10-CM C81.00-C81.99 Hodgkin lymphoma code range C82.00-C82.99 Follicular lymphoma (all sites) "
        "C83.00-C83.99 Small cell lymphoma",
        "CPT 64999 Unlisted procedure; see code 64555 For implanted neurostimulators",
    ]))
    assert keys(codes) == [("ICD-10-CM", "C81.00", "C81.99"), ("ICD-10-CM", "C82.00", "C82.99"),
                           ("ICD-10-CM", "C83.00", "C83.99"), ("CPT", "64999", None)]
    assert codes[1].description == "Follicular lymphoma (all sites)"
    assert codes[3].description == "Unlisted procedure; see code 64555 For implanted neurostimulators"


def test_a_grid_of_codes_in_table_cells():
    codes = run(("Policy Applicable Codes:", "coding", ["25500\t25505\t25515", "27530\t27532"]))
    assert [c.code for c in codes] == ["25500", "25505", "25515", "27530", "27532"]
    assert all(c.description is None for c in codes)


def test_label_and_code_in_one_cell():
    codes = run(("CODING & BILLING", "other", [
        "CPT code 77014\tComputed tomography guidance for placement of radiation therapy fields",
        "CPT code 77280\tSimple; simulation of a single treatment area",
    ]))
    assert keys(codes) == [("CPT", "77014", None), ("CPT", "77280", None)]
    assert codes[1].description == "Simple; simulation of a single treatment area"


def test_code_list_heading_and_unlabelled_code_grids():
    codes = run(
        ("Procedure Code List", "policy", ["99202\t99203\t99204", "99205"]),
        ("Reimbursement", "policy", ["Codes billed together are bundled.", "93000\t93005\t93010", "Other text."]),
        ("Results", "evidence", ["12500\t13000", "Study\t12000"]),
    )
    assert [c.code for c in codes] == ["99202", "99203", "99204", "99205", "93000", "93005", "93010"]


def test_add_on_marks_and_label_colon_lists():
    codes = run(("Coding", "coding", [
        "CPT: 99354, +99355",
        "+99417\tProlonged outpatient service, each 15 minutes",
        "HCPCS: J9999 \u2013 Not otherwise classified, antineoplastic drugs",
        "ICD-10 codes covered if selection criteria are met:",
        "E08.00 - E13.9\tDiabetes mellitus",
    ]))
    assert keys(codes) == [("CPT", "99354", None), ("CPT", "99355", None), ("CPT", "99417", None),
                           ("HCPCS", "J9999", None), ("ICD-10-CM", "E08.00", "E13.9")]
    assert codes[3].description == "Not otherwise classified, antineoplastic drugs"
