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


# -- issue 7, item 7: codes in layouts seen at payers outside ../shared ---------------------------

def codes_of(*blocks):
    return [(c.system.value, c.code, c.code_end) for c in run(*blocks)]


@pytest.mark.parametrize("lines, expected", [
    # a label with its codes in running text, after a list of test names
    (["Zeta Panel [Proprietary 20-gene assay from Acme Labs] Procedure Codes 0005U, 0019U, 81479 Other Assays:",
      "Beta Score [Serum test from Example Diagnostics] CPT 0015U Gamma Index [Algorithm from Acme Labs]"],
     [("CPT", "0005U", None), ("CPT", "0019U", None), ("CPT", "81479", None), ("CPT", "0015U", None)]),
    # a comma list with one comma lost, and a trailing comma
    (["Applicable service codes: 81162, 81163 81164, 0011M, 0091U,"],
     [("CPT", "81162", None), ("CPT", "81163", None), ("CPT", "81164", None), ("CPT", "0011M", None),
      ("CPT", "0091U", None)]),
    # a space-separated diagnosis list after its label
    (["Testing is covered for these cancers. Diagnosis Codes C00.0 C00.1 C01 C02.8 D37.01"],
     [("ICD-10-CM", "C00.0", None), ("ICD-10-CM", "C00.1", None), ("ICD-10-CM", "C01", None),
      ("ICD-10-CM", "C02.8", None), ("ICD-10-CM", "D37.01", None)]),
    # mentions in running text are not codes
    (["See 0612U for the tissue version. Do not report 0306U in conjunction with 0307U.",
      "Providers should bill CPT code 81479 with a description of the test.",
      "Except for CPT codes 99281-99285, providers may choose the level. CPT codes 99211-99215 use time.",
      "The test (CPT code 0242U) is one example; the panel is listed in CPT codes 81200-81355."],
     []),
])
def test_labelled_codes_in_running_text(lines, expected):
    assert codes_of(("Policy", "policy", lines)) == expected


def test_bulletin_prose_list_of_ranges_opens_a_block():
    # a labelled block of ranges in a reimbursement bulletin, and history rows that list codes
    assert codes_of(
        ("Covered Code Ranges", "policy", ["G0452, S3620, S3800-S3870, 81161-81170, 0002M-0010M,",
                                           "Counseling Services", "S0265 , 96041"]),
        ("Comments", "other", ["3/1/21 2/2/21 Routine maintenance, codes",
                               "81163-81167, 81187, 81234,", "81443 and 81518 added to policy."]),
    ) == [("HCPCS", "G0452", None), ("HCPCS", "S3620", None), ("HCPCS", "S3800", "S3870"),
          ("CPT", "81161", "81170"), ("CPT", "0002M", "0010M"), ("HCPCS", "S0265", None), ("CPT", "96041", None)]


def test_rows_run_on_into_each_other_in_a_coding_section():
    # a text layer that joined table rows into one paragraph
    assert codes_of(("Coding", "coding", [
        "CPT 81200 ABC1 (example gene 1) (eg, test disease) gene analysis; common variants (eg, 1234A>G) "
        "81201 ABC2 (example gene 2) gene analysis, exons 12 and 13 81202 DEF1 (example gene 3) full sequence",
        "analysis; known familial variants [for ABC1 81200, 81201] 0501U (E/I) Oncology (colon), blood, "
        "quantitative measurement of cell-free DNA 0502U Oncology (lung), see 0612U for the tissue test",
    ])) == [("CPT", "81200", None), ("CPT", "81201", None), ("CPT", "81202", None), ("CPT", "0501U", None),
            ("CPT", "0502U", None)]


@pytest.mark.parametrize("line, code", [
    ("81479Unlisted molecular pathology procedure", "81479"),  # glued to its description
    ("0011MOncology, prostate, mRNA expression assay", "0011M"),
    ("Zeta Liquid Panel0485U", "0485U"),  # glued to the end of a test name
    ("KIT exon 11 targeted analysis (e.g. codon 557)81272", "81272"),
])
def test_codes_glued_to_a_word(line, code):
    assert codes_of(("Coding", "coding", ["CPT", line])) == [("CPT", code, None)]


def test_a_table_whose_codes_come_last_after_a_flattened_header():
    # "Tests | Codes" header glued together, names over several lines, a code glued to a number
    codes = run(("Introduction", "description", [
        "Tests addressed by this guidelineProcedure codes",
        "ABC1 sequencing81201",
        "DEF2 translocation analysis,",
        "major breakpoint",
        "81168",
        "GHI3 mutation analysis, exon 1081339",
        "JKL4 targeted analysis81345 xyz Panel Kit0177U",  # two rows run together
        "©2025 Example Vendor Page 1 of 9",
        "100 Main Street, Springfield, IL 62701 (555) 010-0100",
        "These guidelines apply to services managed by the vendor as outlined in the plan's list.",
        "Criteria for testing are below and apply to members with 81479 results.",
    ]))
    assert [(c.code, c.description) for c in codes] == [
        ("81201", "ABC1 sequencing"), ("81168", "DEF2 translocation analysis, major breakpoint"),
        ("81339", "GHI3 mutation analysis, exon 10"), ("81345", "JKL4 targeted analysis"),
        ("0177U", "xyz Panel Kit")]


def test_a_flattened_code_column_header_in_running_text():
    assert codes_of(("Introduction", "description", [
        "Screening tests are addressed. Tests addressed by this guidelineProcedure codes Multi-Test Early "
        "Detection screening tests 81599 81479 Criteria Introduction Requests are reviewed as below."
    ])) == [("CPT", "81599", None), ("CPT", "81479", None)]


def test_codes_alone_on_their_lines_with_descriptions_and_status_columns():
    codes = run(("Coding Information", "coding", [
        "Code(s) Description Comments",
        "81327",
        "ABC9 (example gene) promoter methylation",
        "analysis",
        "Not Covered",
        "New Code Effective",
        "01/01/2024",
        "0091U",
        "Oncology (colon) screening, cell enumeration of circulating",
        "tumor cells, reported as positive or negative",
        "Not Covered if used to",
        "report any test outlined in",
    ]))
    assert [(c.code, c.description) for c in codes] == [
        ("81327", "ABC9 (example gene) promoter methylation analysis"),
        ("0091U", "Oncology (colon) screening, cell enumeration of circulating tumor cells, reported as "
                  "positive or negative"),
    ]


def test_ranges_with_dashes_spaces_and_split_over_two_lines():
    assert codes_of(("ICD-10 Codes", "coding", [
        "Code Description",
        "E01.0 \u2013 E01.2 Iodine-deficiency related disorders",
        "C34.10 -",
        "C34.12",
        "Malignant neoplasm of upper lobe (code range) C34.30- C34.32 Lower lobe (code range)",
        "D05.00-",
        "D05.02",
        "Lobular carcinoma in situ (code range)",
    ])) == [("ICD-10-CM", "E01.0", "E01.2"), ("ICD-10-CM", "C34.10", "C34.12"), ("ICD-10-CM", "C34.30", "C34.32"),
            ("ICD-10-CM", "D05.00", "D05.02")]


def test_marks_and_stray_letters_between_lines_do_not_break_a_table():
    codes = run(("Coding", "coding", [
        "CPT", "\u00ae", "*", "Codes", "Description",
        "0242U", "\u2122", "e", "Targeted genomic sequence analysis panel, solid organ neoplasm",
        "81404 \u2020 Molecular pathology procedure, Level 5",
    ]))
    assert [(c.code, c.description) for c in codes] == [
        ("0242U", "Targeted genomic sequence analysis panel, solid organ neoplasm"),
        ("81404", "Molecular pathology procedure, Level 5")]


@pytest.mark.parametrize("line", ["No code(s) identified", "Not Applicable", "N/A", "None", "No codes apply"])
def test_placeholders_say_there_is_no_code(line):
    assert codes_of(("HCPCS Codes", "coding", ["Code Description", line])) == []


def test_flattened_rows_with_an_effective_date_before_the_description():
    assert codes_of(("Coding", "coding", [
        "CPT 0501U (Effective 04/01/2025) Oncology (colon), blood, quantitative measurement "
        "0502U (Effective 07/01/2025) Oncology (lung), plasma, algorithm reported as a score"
    ])) == [("CPT", "0501U", None), ("CPT", "0502U", None)]


def test_a_code_table_continues_across_headings_the_layout_invented():
    # test names and running headers taken for headings, a column header, and a known heading
    # ("Policy") that is a table cell because a code row follows it at once
    assert codes_of(
        ("Coding", "coding", ["CPT", "0239U Zeta Liquid", "Panel (Acme"]),
        ("Laboratories)", "other", ["81455 Omega Panel", "(Example Health)"]),
        ("Example Plan Medical Policy Guideline", "other", ["Page 3 of 9", "0242U Delta CDx"]),
        ("Codes", "coding", []),
        ("Description", "description", ["81291 MTHFR (example) gene analysis 81490 Autoimmune panel"]),
        ("policy", "policy", ["81599", "Unlisted multianalyte assay", "Not Covered"]),
        ("Rationale", "evidence", ["81162 was studied in 200 patients.", "0001U Early study of cells"]),
    ) == [("CPT", "0239U", None), ("CPT", "81455", None), ("CPT", "0242U", None), ("CPT", "81291", None),
          ("CPT", "81490", None), ("CPT", "81599", None)]


def test_revision_table_inside_a_coding_section_is_history():
    assert codes_of(("Codes", "coding", [
        "CPT/HCPCS",
        "81462 Solid organ neoplasm panel",
        "Status Review Date Effective Date Action",
        "Revised 04/15/2024 11/17/2024 Review. Moved CPT code 0177U from another guideline.",
        "Updated codes 10/01/2024 Added CPT codes 0485U, 0486U (NMN). Moved from other guideline:",
        "81327, 0011M, 0356U,",
        "0368U, 0496U (NMN).",
    ])) == [("CPT", "81462", None)]


def test_example_tables_give_way_to_the_coding_section_of_the_same_system():
    assert codes_of(
        ("Policy Statement", "policy", ["Example Tests (Labs) Common CPT Codes",
                                        "Zeta Panel (Acme Labs) 0037U", "Omega Profile (Example Health) 81445"]),
        ("Coding", "coding", ["Type Code Description", "CPT", "81445 Targeted genomic sequence analysis panel",
                              "ICD-10-CM", "C34.90 Malignant neoplasm of lung"]),
    ) == [("CPT", "81445", None), ("ICD-10-CM", "C34.90", None)]


@pytest.mark.parametrize("line", [
    "L858R Exon 21 substitution in EGFR",  # mutation names shaped like dotless ICD-10-CM codes
    "G551D Gating variant",
    "W515A MPL variant",
    "CACNA1A Analysis, Example Lab",  # gene symbols shaped like ICD-10-PCS codes
    "TMEM127 Analysis, Example Lab",
])
def test_variant_and_gene_names_under_an_icd_label_are_not_codes(line):
    assert codes_of(("Coding", "coding", ["ICD-10 Diagnosis", line])) == []


def test_related_policy_numbers_and_ids_are_not_codes():
    assert codes_of(
        ("Related Policies", "related", ["GENE.00052 Gene Panel Testing", "AHS-M2178 Example policy"]),
        ("Coding", "coding", ["Please refer to MED.00120 and policy 81479 for details.", "CPT",
                              "AHS-M2178 Example policy", "81479 Unlisted molecular pathology procedure"]),
    ) == [("CPT", "81479", None)]


def test_a_lead_in_clause_names_the_codes_after_its_colon():
    assert codes_of(("Coding", "coding", [
        "For the following CPT codes when specified as testing of a blood specimen: 86152 Cell enumeration "
        "using immunologic selection; 86153 physician interpretation and report",
    ])) == [("CPT", "86152", None), ("CPT", "86153", None)]


def test_a_flattened_table_after_a_label_in_a_one_line_page():
    # a web page flattened into one line: the table runs until the text goes on in sentences
    line = ("Coding Section Codes Number Description CPT 81162 ABC1 (example), gene analysis; full sequence "
            "81163 ABC1 (example) gene analysis 0011M Oncology, prostate cancer, mRNA expression assay "
            "Procedure codes on this page are a general reference. Reviewed 6/11/19. Added CPT 81479 to "
            "Billing section and deleted CPT codes 86152 and 86153 from it; 0022U Panel was retired.")
    assert codes_of((None, "metadata", [line])) == [("CPT", "81162", None), ("CPT", "81163", None),
                                                    ("CPT", "0011M", None)]
