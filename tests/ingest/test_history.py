"""extract_history on hand-built history tables in the layouts payers use."""
from __future__ import annotations

import pytest

from medpolicy.ingest.history import extract_history
from tests.helpers import build_sections, doc_from_text


build = build_sections


def rows(lines, heading="History", kind="history"):
    entries, _ = extract_history(*build((heading, kind, lines)))
    return [(e.date, e.date_text, e.summary) for e in entries]


def test_date_first_table_with_a_row_continued_after_a_page_break():
    got = rows([
        ("Date\tComments", 5),
        ("03/98\tNew policy", 5),
        ("06/14/05\tPolicy updated with literature search; no change in policy statement.", 5),
        ("07/01/20\tAnnual Review. Coverage revised to 'Other uses not addressed in", 5),
        ("Date\tComments", 6),
        ("\tRelated Policy 1.01.01 are investigational'. Removed codes 0001T and Q1234.", 6),
        ("12/01/20\tInterim Review. No changes.", 6),
    ])
    assert got == [
        ("1998-03", "03/98", "New policy"),
        ("2005-06-14", "06/14/05", "Policy updated with literature search; no change in policy statement."),
        ("2020-07-01", "07/01/20", "Annual Review. Coverage revised to 'Other uses not addressed in Related "
                                   "Policy 1.01.01 are investigational'. Removed codes 0001T and Q1234."),
        ("2020-12-01", "12/01/20", "Interim Review. No changes."),
    ]


def test_a_row_without_a_date_after_a_page_break_continues_the_row_above():
    got = rows([
        ("Date\tAction", 3),
        ("6/2019\tAnnual review. Criteria for", 3),
        ("adults clarified.\t", 4),
        ("4/2020\tCoding updated.", 4),
    ])
    assert got == [("2019-06", "6/2019", "Annual review. Criteria for adults clarified."),
                   ("2020-04", "4/2020", "Coding updated.")]


def test_dates_alone_under_a_committee_approval_table_are_dropped():
    got = rows([
        "POLICY HISTORY/REVISION\t",
        "Committee Approval Dates\t",
        "11/20/25\t",
        "Date\tSummary of Changes",
        "02/03/26\tPolicy edit; related policy added",
        "11/20/25\tNew Policy",
    ])
    assert got == [("2026-02-03", "02/03/26", "Policy edit; related policy added"),
                   ("2025-11-20", "11/20/25", "New Policy")]


@pytest.mark.parametrize("printed, iso", [
    ("11/2011-4/2012", "2011-11"), ("1/1/2012", "2012-01-01"), ("4/2019", "2019-04"), ("01/97", "1997-01"),
    ("February 2015", "2015-02"), ("09.01.18", "2018-09-01"), ("7 / 2021", "2021-07"), ("May 1, 2026", "2026-05-01"),
])
def test_date_styles_keep_their_printed_text(printed, iso):
    assert rows(["Date\tAction", f"{printed}\tSomething changed."]) == [(iso, printed, "Something changed.")]


def test_plain_lines_with_a_leading_date_and_wrapped_text():
    got = rows([
        "Date Action",
        "February 2015 New addition to PA",
        "June 2016 Addition of males with breast cancer and",
        "the change to aromatase inhibitor",
        "Policy number changed from 5.04.54 to 5.21.54",
        "01/07/26 Policy edit; administrative policy added",
    ])
    assert got == [
        ("2015-02", "February 2015", "New addition to PA"),
        ("2016-06", "June 2016", "Addition of males with breast cancer and the change to aromatase inhibitor "
                                 "Policy number changed from 5.04.54 to 5.21.54"),
        ("2026-01-07", "01/07/26", "Policy edit; administrative policy added"),
    ]


def test_a_date_alone_on_a_line_takes_the_text_below_it():
    got = rows([
        "4/1/2026",
        "Policy Version and Date Change",
        "2/25/2024 Policy Verbiage Change",
        "Reimbursement Guidelines updated",
        "9/1/2016",
        "Policy Publication",
    ])
    assert got == [
        ("2026-04-01", "4/1/2026", "Policy Version and Date Change"),
        ("2024-02-25", "2/25/2024", "Policy Verbiage Change Reimbursement Guidelines updated"),
        ("2016-09-01", "9/1/2016", "Policy Publication"),
    ]


def test_date_in_the_last_column_summary_column_leads():
    got = rows([
        "Type of Revision\tSummary of Changes\tReview Date",
        "Annual Revision\tNo criteria changes.\t04/05/2023",
        "Selected Revision\tA biosimilar was added to the policy.\t07/05/2023",
        "\tThe criteria are the same as for the reference product.\t",
    ])
    assert got == [
        ("2023-04-05", "04/05/2023", "No criteria changes. (Annual Revision)"),
        # the wrapped line continues the summary cell; the type cell is read after the whole summary
        ("2023-07-05", "07/05/2023", "A biosimilar was added to the policy. "
                                     "The criteria are the same as for the reference product. (Selected Revision)"),
    ]


def test_date_in_the_last_column_of_plain_lines():
    # the date sits on the first line of its row; the row's wrapped lines follow it
    got = rows([
        "Type of Revision Summary of Changes Date",
        "Annual review \u2022 No clinical policy statement changes. 7/15/2026",
        "Annual review \u2022 Coverage expanded for adults to: 8/15/2025",
        "BMI of 35 or more",
        "Focused review \u2022 No clinical policy statement changes. 2/15/2025",
    ])
    assert got == [
        ("2026-07-15", "7/15/2026", "Annual review \u2022 No clinical policy statement changes."),
        ("2025-08-15", "8/15/2025", "Annual review \u2022 Coverage expanded for adults to: BMI of 35 or more"),
        ("2025-02-15", "2/15/2025", "Focused review \u2022 No clinical policy statement changes."),
    ]


def test_cms_revision_history_columns():
    got = rows([
        "Revision History Date\tRevision History Number\tRevision History Explanation\tReasons for Change",
        "01/01/2026\tR22\tArticle revised to reflect the annual code update.\tRevisions Due To Code Removal",
        "\t\tDeleted codes were removed from the article.\t",
        "08/13/2020\tR21\tArticle revised and published on 08/13/2020.\tProvider Education/Guidance",
    ])
    assert got == [
        ("2026-01-01", "01/01/2026", "Article revised to reflect the annual code update. "
                                     "Revisions Due To Code Removal Deleted codes were removed from the article."),
        ("2020-08-13", "08/13/2020", "Article revised and published on 08/13/2020. Provider Education/Guidance"),
    ]


def test_date_in_a_middle_column_and_a_second_date_column_ignored():
    got = rows([
        "Reviews, Revisions, and Approvals\tDate\tP&T Approval Date",
        "Policy created.\t05.08.18\t08.18",
        "Criteria updated for new indication.\t03.12.19\t04.19",
    ])
    assert got == [("2018-05-08", "05.08.18", "Policy created."),
                   ("2019-03-12", "03.12.19", "Criteria updated for new indication.")]


def test_unlabelled_table_takes_the_first_date_cell():
    assert rows(["Original approval date\t12/2019\t12/2019"]) == [("2019-12", "12/2019", "Original approval date")]


def test_pipe_separated_rows():
    got = rows(["| Date | Summary of Changes |", "|---|---|", "| 02/01/2026 | Title change. Previously titled X |"])
    assert got == [("2026-02-01", "02/01/2026", "Title change. Previously titled X")]


def test_bullets_are_not_part_of_the_summary():
    assert rows(["Date\tAction", "10/30/2019\t\u2022 Approved by committee"]) == [
        ("2019-10-30", "10/30/2019", "Approved by committee")]


def test_impossible_date_is_kept_as_printed_with_a_warning():
    entries, warnings = extract_history(*build(("History", "history", ["Date\tAction", "9/59/2013\tCreated."])))
    assert [(e.date, e.date_text, e.summary) for e in entries] == [(None, "9/59/2013", "Created.")]
    assert any("9/59/2013" in w for w in warnings)


def test_only_history_sections_are_read():
    entries, warnings = extract_history(*build(
        ("Policy", "policy", ["01/01/2020\tCoverage began."]),
        ("Background", "background", ["May 2019 The FDA approved the drug."]),
    ))
    assert entries == [] and warnings == []


def test_warning_when_a_history_section_has_no_dated_rows():
    entries, warnings = extract_history(*build(("History", "history", ["No history is available."])))
    assert entries == [] and warnings


def test_provenance_spans_the_row_and_its_continuations():
    lines = [("Date\tAction", 2), ("1/2020\tFirst part", 2), ("\tsecond part", 3)]
    doc, sections = build(("History", "history", lines))
    entry = extract_history(doc, sections)[0][0]
    assert entry.provenance.page == 2
    assert doc.text[entry.provenance.start:entry.provenance.end] == "1/2020\tFirst part\n\tsecond part"


def test_dates_read_column_by_column_take_their_texts_in_order():
    got = rows([
        "Date\tAction",
        "March 2016\tAnnual review",
        "June 2016",
        "June 2017",
        "Annual review",
        "Annual editorial review and reference update",
        "Addition of age limit in the renewal section",
        "December 2017\tAnnual review",
    ])
    assert got == [
        ("2016-03", "March 2016", "Annual review"),
        ("2016-06", "June 2016", "Annual review"),
        ("2017-06", "June 2017", "Annual editorial review and reference update Addition of age limit in the "
                                 "renewal section"),
        ("2017-12", "December 2017", "Annual review"),
    ]


def test_repeated_header_with_text_run_into_it_and_furniture_rows():
    got = rows([
        "Revision History Date\tRevision History Number\tRevision History Explanation",
        ("05/05/2017\tR6\tArticle revised to add the following", 14),
        ("6/18/26,\t17)", 14),
        ("Revision History Date\tRevision History Number\tRevision History Explanation code to Group 2.", 15),
        ("01/01/2017\tR5\tLCD revised.", 15),
    ])
    assert got == [("2017-05-05", "05/05/2017", "Article revised to add the following code to Group 2."),
                   ("2017-01-01", "01/01/2017", "LCD revised.")]


def test_header_over_two_rows_and_rows_with_extra_empty_cells():
    got = rows([
        "Type of\tSummary of Changes\tReview",
        "Revision\t\tDate",
        "Annual Revision\t\tNo criteria changes.\t04/05/2023",
        "Selected Revision\tA biosimilar was added.\t07/05/2023",
    ])
    assert got == [("2023-04-05", "04/05/2023", "No criteria changes. (Annual Revision)"),
                   ("2023-07-05", "07/05/2023", "A biosimilar was added. (Selected Revision)")]


def test_notes_printed_in_rows_stay_and_furniture_under_the_table_is_skipped():
    got = rows([
        "1/1/2024\tPolicy Version Change Logo Updated History Section: Entries prior to 1/1/2022 archived.",
        "1/1/2023\tPolicy Version Change",
        "History Section: Entries prior to 1/1/2021 archived",
        "Subject: Example Drug\tPage: 6 of 7",
        "\u00a9 2026 Example Health Plan. All rights reserved.",
    ])
    assert got == [
        ("2024-01-01", "1/1/2024", "Policy Version Change Logo Updated History Section: Entries prior to 1/1/2022 "
                                   "archived."),
        ("2023-01-01", "1/1/2023", "Policy Version Change History Section: Entries prior to 1/1/2021 archived"),
    ]


def test_a_template_placeholder_date_is_a_row_without_a_date():
    entries, warnings = extract_history(*build(("History", "history", ["Date\tAction", "MM/DD/YYYY\t\u2022 Approved"])))
    assert [(e.date, e.date_text, e.summary) for e in entries] == [(None, "MM/DD/YYYY", "Approved")]
    assert warnings == []


@pytest.mark.parametrize("empty", ["N/A", "None.", "Not applicable", "-"])
def test_a_section_that_says_none_gives_no_warning(empty):
    assert extract_history(*build(("Revision History Information", "history", [empty]))) == ([], [])


def test_text_columns_after_the_date_are_read_in_printed_order():
    assert rows(["Date\tAction\tDescription", "04/01/24\tReplace policy.\tPolicy updated with literature review."]) == [
        ("2024-04-01", "04/01/24", "Replace policy. Policy updated with literature review.")]


# -- layouts of PDF text layers and flattened web pages (issue 7) ---------------------------------

@pytest.mark.parametrize("heading", [
    "Change Summary", "Revision Details", "Document History", "Policy History", "Review History",
    "Approval History", "POLICY HISTORY", "Joint Plan Medical Policy History",
    "POLICY HISTORY - THIS POLICY WAS APPROVED BY THE BOARD AS SHOWN BELOW",
    "Reviews, Revisions, and Approvals Revision",
])
def test_history_heading_variants(heading):
    doc, sections = doc_from_text(f"Scope\n\nSome text.\n\n{heading}\n\n01/05/2021 New policy.\n03/01/2022 Annual review.")
    entries, _ = extract_history(doc, sections)
    assert [(e.date, e.summary) for e in entries] == [("2021-01-05", "New policy."), ("2022-03-01", "Annual review.")]


def test_month_year_colon_rows():
    assert rows(["March 2021: Policy created.", "June 2022: Annual review; no changes."]) == [
        ("2021-03", "March 2021", "Policy created."), ("2022-06", "June 2022", "Annual review; no changes.")]


def test_header_run_into_the_first_row_and_a_row_date_left_at_the_end_of_a_line():
    got = rows([
        "Effective Date Action 03/01/2021 New policy.",
        "Effective Date Action 09/01/2021 Coding update 02/01/2022",
        "Annual review. Criteria revised.",
    ])
    assert got == [("2021-03-01", "03/01/2021", "New policy."), ("2021-09-01", "09/01/2021", "Coding update"),
                   ("2022-02-01", "02/01/2022", "Annual review. Criteria revised.")]


def test_glued_header_and_dates_glued_to_the_action():
    got = rows(["DateActionDescription", "May 2019New policy", "April 2021Replace policy",
                "Policy updated with a literature review through March 3, 2021. Policy statement unchanged."])
    assert got == [("2019-05", "May 2019", "New policy"),
                   ("2021-04", "April 2021", "Replace policy Policy updated with a literature review through "
                                             "March 3, 2021. Policy statement unchanged.")]


def test_status_column_before_the_date():
    got = rows([
        "Status Date Action",
        "Revised 05/11/2023 Committee review. Scope clarified and",
        "criteria reordered.",
        " 02/01/2023 Updated Coding section.",
        "New 06/01/2022 Committee review. Initial document.",
    ])
    assert got == [
        ("2023-05-11", "05/11/2023", "Committee review. Scope clarified and criteria reordered. (Revised)"),
        ("2023-02-01", "02/01/2023", "Updated Coding section."),
        ("2022-06-01", "06/01/2022", "Committee review. Initial document. (New)"),
    ]


def test_signature_date_columns_are_not_part_of_the_summary():
    got = rows([
        "Policy Effective Date ABC Signature Date XYZ Signature Date Comments",
        "4/1/19 2/10/19 2/12/19 Policy established",
        "9/1/20 6/15/20 Routine maintenance; no change in",
        "policy status.",
    ])
    assert got == [("2019-04-01", "4/1/19", "Policy established"),
                   ("2020-09-01", "9/1/20", "Routine maintenance; no change in policy status.")]


def test_header_and_cells_printed_one_per_line():
    got = rows([
        "Policy", "Effective", "Date", "ABC", "Signature Date", "Comments",
        "3/1/18 1/20/18",
        "Policy established.",
        "3/1/19 1/18/19",
        "\u2022 Routine maintenance.",
        "\u2022 Codes 81111 and 81112 added.",
    ])
    assert got == [("2018-03-01", "3/1/18", "Policy established."),
                   ("2019-03-01", "3/1/19", "\u2022 Routine maintenance. \u2022 Codes 81111 and 81112 added.")]


def test_status_and_narrow_date_cells_wrapped_onto_lines_of_their_own():
    got = rows([
        "Status Review Date Effective Date Action",
        "Updated codes",
        "01/01/2025",
        "n/a Unchanged Code update: added 0999U.",
        "Revised 04/10/2024 10/01/2024",
        "except for",
        "one state plan",
        "Panel review. Criteria for adults",
        "clarified.",
    ])
    assert got == [
        ("2025-01-01", "01/01/2025", "Code update: added 0999U. (Updated codes)"),
        ("2024-04-10", "04/10/2024", "Panel review. Criteria for adults clarified. (Revised; except for; one state plan)"),
    ]


@pytest.mark.parametrize("lines, summary", [
    (["11/1/18 Added code 0999U as investigational, effective", "7/1/18.", "11/1/19 Routine maintenance."],
     "Added code 0999U as investigational, effective 7/1/18."),
    (["02/10/2023 Coding section updated with", "01/01/2023 CPT changes; added 0999U.", "11/1/19 Routine maintenance."],
     "Coding section updated with 01/01/2023 CPT changes; added 0999U."),
    (["02/10/2023 Code 81111 deleted 12/31/2012 and replaced. Scope clarified.", "11/1/19 Routine maintenance."],
     "Code 81111 deleted 12/31/2012 and replaced. Scope clarified."),
    (["5/1/24 Codes deleted.", "7/10/24: corrected a typographical error.", "11/1/19 Routine maintenance."],
     "Codes deleted. 7/10/24: corrected a typographical error."),
])
def test_a_date_quoted_in_a_summary_is_not_a_new_row(lines, summary):
    got = rows(lines)
    assert len(got) == 2 and got[0][2] == summary


def test_rows_run_together_in_one_line():
    got = rows(["Date Action", "1/2021 Coding clarified. 6/2020 Policy reactivated. Review required. Effective "
                "6/8/2020. 10/2017 Clarified coding information. 10/2016 New policy. Effective 10/1/2016."])
    assert got == [("2021-01", "1/2021", "Coding clarified."),
                   ("2020-06", "6/2020", "Policy reactivated. Review required. Effective 6/8/2020."),
                   ("2017-10", "10/2017", "Clarified coding information."),
                   ("2016-10", "10/2016", "New policy. Effective 10/1/2016.")]


def test_rows_with_their_date_cells_run_together():
    got = rows(["Effective Date First Signature Date Second Signature Date Comments",
                "9/1/09 6/16/09 6/16/09 Routine maintenance 11/1/11 8/16/11 8/16/11 Routine maintenance-updated"])
    assert [(d, s) for d, _, s in got] == [("2009-09-01", "Routine maintenance"),
                                           ("2011-11-01", "Routine maintenance-updated")]


def test_date_last_rows_closed_by_a_date_alone_and_continued_after_a_page_break():
    got = rows([
        ("Type of Revision Summary of Changes Date", 7),
        ("Annual Review \u2022 Revised the statements for", 7),
        ("panel tests.", 7),
        ("10/11/2025", 7),
        ("Focused Review \u2022 Removed a statement.", 7),
        ("11/1/2024", 7),
        ("Type of Revision Summary of Changes Date", 8),
        ("\u2022 Added a statement for tests not covered.", 8),
        ("Annual Review \u2022 Revised general criteria.", 8),
        ("5/15/2024", 8),
        ("The company name refers to operating subsidiaries.", 8),
    ])
    assert got == [
        ("2025-10-11", "10/11/2025", "Annual Review \u2022 Revised the statements for panel tests."),
        ("2024-11-01", "11/1/2024", "Focused Review \u2022 Removed a statement. \u2022 Added a statement for tests not covered."),
        ("2024-05-15", "5/15/2024", "Annual Review \u2022 Revised general criteria."),
    ]


def test_date_last_rows_with_several_dates_run_together():
    got = rows(["Reviews, Revisions, and Approvals Revision Date Approval Date",
                "Policy developed. 03/23 03/23",
                "Annual review. References updated. 10/23 10/23 Codes added to the criteria. 11/23"])
    assert got == [("2023-03", "03/23", "Policy developed."),
                   ("2023-10", "10/23", "Annual review. References updated."),
                   ("2023-11", "11/23", "Codes added to the criteria.")]


def test_rows_cut_by_page_furniture():
    furniture = ["Example Plan Clinical Guideline", "GENE-99", "Page 7 of 9", "12"]
    lines = ["Date Summary of Changes", "04/01/2024 Annual review. Criteria for", *furniture,
             "adults clarified.", "01/01/2023 New policy."]
    doc, sections = build(("History", "history", lines),
                          ("Other", "other", furniture), ("More", "other", furniture))
    entries, _ = extract_history(doc, sections)
    assert [(e.date, e.summary) for e in entries] == [("2024-04-01", "Annual review. Criteria for adults clarified."),
                                                      ("2023-01-01", "New policy.")]


def test_labelled_header_dates_under_a_history_heading_are_not_rows():
    assert rows(["Last Review 12/03/2025", "Effective: 09/16/2005", "Next Review: 08/13/2026"]) == []


def test_a_list_of_approval_dates_is_not_a_row():
    assert rows(["Committee Approval Dates", "08/15/19, 10/22/20, 11/18/21", "Date Summary of Changes",
                 "11/18/21", "\u2022 Annual review."]) == [("2021-11-18", "11/18/21", "Annual review.")]


def test_list_rules_reject_unknown_keys():
    import json
    from importlib import resources

    from pydantic import ValidationError

    from medpolicy.ingest.vocab import ListRules

    data = json.loads(resources.files("medpolicy.ingest").joinpath("rules/lists.json").read_text("utf-8"))
    ListRules.model_validate(data)
    with pytest.raises(ValidationError):
        ListRules.model_validate({**data, "history": {**data["history"], "date_takng_words": []}})
    with pytest.raises(ValidationError):
        ListRules.model_validate({**data, "referencs": {}})


def test_rows_run_together_follow_the_tables_chronology():
    got = rows(["History From 2016 Forward",
                "01/21/2026 Annual review. Codes added effective 01/01/2026 09/25/2025 Revised the lab name. "
                "10/23/2017 Annual review, no change to policy intent 07/01/2016 NEW POLICY"])
    assert [(d, s) for d, _, s in got] == [
        ("2026-01-21", "Annual review. Codes added effective 01/01/2026"), ("2025-09-25", "Revised the lab name."),
        ("2017-10-23", "Annual review, no change to policy intent"), ("2016-07-01", "NEW POLICY")]


def test_status_words_and_empty_cells_before_dates_run_together():
    got = rows(["Status Review Date Effective Date Action",
                "Reviewed 02/20/2025 03/01/2025 Panel review. Updated 0999U. Updated n/a 01/01/2025 Code update: "
                "added 0998U. Revised 02/15/2024 05/01/2024 Panel review, approved at the November 29, 2023 meeting."])
    assert [(d, s) for d, _, s in got] == [
        ("2025-02-20", "Panel review. Updated 0999U. (Reviewed)"), ("2025-01-01", "Code update: added 0998U. (Updated)"),
        ("2024-02-15", "Panel review, approved at the November 29, 2023 meeting. (Revised)")]


def test_a_status_glued_to_its_date_and_a_table_whose_heading_ran_into_the_text_above():
    doc, sections = build(("Index", "boilerplate", [
        "Product names are illustrative only. Document History", "StatusDateAction",
        "New05/12/2022Committee review. Initial document."]))
    entries, _ = extract_history(doc, sections)
    assert [(e.date, e.summary) for e in entries] == [("2022-05-12", "Committee review. Initial document. (New)")]


def test_a_header_run_on_after_the_approval_dates_and_rows_run_together_in_a_cell():
    got = rows(["08/15/19, 10/22/20, 11/18/21 Date Summary of Changes", "11/18/21", "\u2022 Annual review.",
                "Date\tAction", "10/23/2017\tAnnual review. 07/01/2016 New policy."])
    assert [(d, s) for d, _, s in got] == [("2021-11-18", "Annual review."), ("2017-10-23", "Annual review."),
                                           ("2016-07-01", "New policy.")]


def test_a_history_heading_that_is_the_first_cell_of_its_header():
    # "Reviews, Revisions, and Approvals Revision" / "Date" / "Approval" / "Date": the summary column
    # is named by the heading, its dates printed after the summary, a long summary wrapped above them
    got = rows(["Date", "Approval", "Date", "Policy developed. 02/30 02/30", "Annual review. Codes and references",
                "updated.", "10/30 10/30"], heading="Reviews, Revisions, and Approvals Revision")
    assert got == [("2030-02", "02/30", "Policy developed."),
                   ("2030-10", "10/30", "Annual review. Codes and references updated.")]


def test_a_date_last_row_cut_by_a_page_break_goes_on_after_the_repeated_header():
    got = rows([
        ("Date", 3), ("Approval", 3), ("Date", 3),
        ("Policy developed. 03/30 03/30", 3),
        ("Semi-annual review. Title updated; under Knee", 3),
        ("10/30 10/30", 3),
        # the next page: the header again, its last cell run into the row's text going on
        ("Reviews, Revisions, and Approvals Revision", 4), ("Date", 4), ("Approval", 4),
        ("Date Braces: criteria reworded.", 4),
        ("e", 4),  # a stray glyph of the text layer
        ("Added codes L9990 and L9991.", 4),
        ("11/30", 4),
        ("Semi-annual review. Hip braces: criteria", 4),
        ("12/30 12/30", 4),
        ("added for adults.", 5),  # no header on this page: the row above goes on
    ], heading="Reviews, Revisions, and Approvals Revision")
    assert got == [("2030-03", "03/30", "Policy developed."),
                   ("2030-10", "10/30", "Semi-annual review. Title updated; under Knee Braces: criteria reworded."),
                   ("2030-11", "11/30", "Added codes L9990 and L9991."),
                   ("2030-12", "12/30", "Semi-annual review. Hip braces: criteria added for adults.")]


def test_a_heading_of_header_words_over_a_whole_header_is_no_cell():
    got = rows(["Type of Revision Summary of Changes Date", "Annual Review • Criteria revised.", "11/9/2030"],
               heading="Revision Details")
    assert got == [("2030-11-09", "11/9/2030", "Annual Review • Criteria revised.")]
