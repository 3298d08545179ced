import json
from importlib import resources

import pytest
from pydantic import ValidationError

from medpolicy.ingest.sections import heading_rules, match_heading
from medpolicy.ingest.vocab import SectionRules
from medpolicy.models import SectionKind
from tests.helpers import doc_from_text


@pytest.mark.parametrize("heading, kind", [
    ("Coverage Rationale", "policy"), ("POLICY STATEMENT(S)", "policy"), ("Policy Coverage Criteria", "policy"),
    ("MEDICARE ADVANTAGE POLICY CRITERIA", "policy"), ("Position Statement", "policy"),
    ("Coding", "coding"), ("CPT Codes", "coding"), ("ICD10 Codes", "coding"), ("Applicable Codes", "coding"),
    ("Billing/Coding Information", "coding"), ("CPT Codes / HCPCS Codes / ICD Codes", "coding"),
    ("Policy History/Revision Information", "history"), ("Revision Log", "history"),
    ("Reviews, Revisions, and Approvals", "history"), ("VII. References", "references"),
    ("Bibliography", "references"), ("Related Policies", "related"), ("CROSS REFERENCES", "related"),
    ("Description", "description"), ("Summary of Evidence", "evidence"), ("Disclaimer", "boilerplate"),
    ("Discussion/General Information", "evidence"), ("Background/Overview", "description"),
    ("Billing/Coding/Physician Documentation Information", "coding"), ("Description/Scope", "description"),
    ("Policy Implementation/Update Information", "history"), ("Scientific Background and Reference Sources", "references"),
    ("Denial Statements", "policy"), ("Place of Service", "policy"), ("BEFORE AFTER", "archive"),
])
def test_heading_rules(heading, kind):
    rule = match_heading(heading)
    assert rule is not None and rule.kind == kind


def test_rules_load_and_validate():
    assert len(heading_rules()) > 50
    assert all(isinstance(rule.kind, SectionKind) for rule in heading_rules())


def _heading_data() -> dict:
    return json.loads(resources.files("medpolicy.ingest").joinpath("rules/headings.json").read_text("utf-8"))


@pytest.mark.parametrize("change", [
    lambda rule: {**rule, "kind": "appendix"},  # a kind the model does not know
    lambda rule: {**rule, "kind": "Policy"},  # kinds are lower case, as the JSON prints them
    lambda rule: {**rule, "patterns": ["(unclosed"]},
    lambda rule: {**rule, "patterns": []},
    lambda rule: {**rule, "levl": 1},  # an unknown key
])
def test_heading_rules_reject_a_bad_rule(change):
    data = _heading_data()
    SectionRules.model_validate(data)
    bad = {**data, "rules": [change(data["rules"][0]), *data["rules"][1:]]}
    with pytest.raises(ValidationError):
        SectionRules.model_validate(bad)


def test_heading_rules_reject_unknown_keys():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        SectionRules.model_validate({**_heading_data(), "rule": []})


def test_sub_heading_inherits_kind_and_prefix_heading_splits():
    text = ("MEDICAL POLICY CRITERIA\n\nSome Subheading Here\n\nThe service is considered investigational.\n\n"
            "Policy Position Coverage is subject to the member's plan.\n\nReferences\n\n1. Doe J. A study. 2020.")
    _, secs = doc_from_text(text)
    kinds = [(s.heading, s.kind) for s in secs]
    assert ("Some Subheading Here", "policy") in kinds
    assert ("Policy Position", "policy") in kinds
    assert kinds[-1] == ("References", "references")


@pytest.mark.parametrize("line", ["Effective Date: May 1, 2026", "XW033L7", "February 23, 2026", "- A. Place of Service"])
def test_not_headings(line):
    _, secs = doc_from_text(f"Intro paragraph that is long enough to be text.\n\n{line}\n\nAnother paragraph of text here.")
    assert all(s.heading != line for s in secs)


def test_table_header_row_names_its_section():
    _, secs = doc_from_text("Some text about the policy in a paragraph.\n\n"
                            "Reviews, Revisions, and Approvals\tDate\tApproval Date\nPolicy created\t05.08.18\t08.18")
    hist = [s for s in secs if s.kind == "history"]
    assert hist and hist[0].lines[-1].text.startswith("Policy created")


def test_older_edition_in_the_same_file_is_archive():
    header = "Acme Reimbursement Bulletin\nBulletin Number: RP-9\nEffective Date: {d}\nIssue Date: {d}\nSource: Policy\n"
    body = "\n".join(f"Paragraph {i} of the policy text goes here and is long enough." for i in range(12))
    text = header.format(d="May 1, 2023") + "Coding\n99213\tOffice visit\n" + body + "\f" + \
        header.format(d="May 1, 2020") + "Coding\n99214\tOffice visit\n" + body
    doc, secs = doc_from_text(text)
    kinds = [s.kind for s in secs]
    assert "archive" in kinds
    first_archive = kinds.index("archive")
    assert any("99213" in ln.text for s in secs[:first_archive] for ln in s.lines)
    assert all(s.kind == "archive" for s in secs[first_archive:])


def _kinds(text):
    return [(s.heading, s.kind) for s in doc_from_text(text)[1]]


@pytest.mark.parametrize("kind_heading, cell", [
    ("References", "Oncology Group"),          # a wrapped entry line
    ("Policy History", "Template Update"),     # a row's first words on their own line
    ("Coding", "Tumor Profile Panel Tests"),   # a table cell
])
def test_unknown_lines_in_lists_and_tables_are_not_headings(kind_heading, cell):
    text = f"Intro paragraph of the policy.\n\n{kind_heading}\n\n01/01/2026\n\n{cell}\n\nA longer line that follows the cell here."
    assert [h for h, _ in _kinds(text)] == [None, kind_heading]


@pytest.mark.parametrize("line", ["ATM", "(ACMEGEN)", "EGFR, KRAS, BRAF", "V1.2025", "Laboratories)"])
def test_acronyms_gene_lists_and_cell_fragments_are_not_headings(line):
    text = f"Intro paragraph of the policy.\n\n{line}\n\nA longer line of text that follows the fragment here."
    assert [h for h, _ in _kinds(text)] == [None]


def test_unknown_capitals_under_the_policy_are_sub_headings():
    text = ("CRITERIA\n\nSINGLE GENE TESTS VIA BLOOD SAMPLES\n\nA blood test is considered medically necessary.\n\n"
            "DOSING GUIDANCE TABLE\n\nText about doses.")
    kinds = _kinds(text)
    assert ("SINGLE GENE TESTS VIA BLOOD SAMPLES", "policy") in kinds


def test_title_case_line_after_an_unfinished_line_is_not_a_heading():
    text = ("Intro paragraph of the policy.\n\n- Molecular Testing for Solid Tumor\nCancer Diagnosis and Treatment\n"
            "Decisions\nThe next paragraph of the policy goes on for a while.")
    assert "Decisions" not in [h for h, _ in _kinds(text)]


def test_an_edition_comparison_is_archive():
    text = ("Policy Statement\n\nA test is medically necessary.\n\nAppendix A\n\nBEFORE\n\nPolicy Statement:\n\n"
            "An old test was medically necessary.")
    kinds = _kinds(text)
    assert kinds[-1][1] == "archive" and ("Policy Statement", "policy") in kinds


def test_a_history_row_naming_a_section_is_not_a_heading():
    text = ("Coverage Rationale\n\nScans are medically necessary.\n\nPolicy History/Revision Information\n\n"
            "Date Summary of Changes\n\n01/01/2026\n\nCoverage Rationale\n\n- Added language about scans\n\n"
            "Instructions for Use\n\nThis policy helps interpret plans.")
    kinds = _kinds(text)
    assert [h for h, _ in kinds] == ["Coverage Rationale", "Policy History/Revision Information", "Instructions for Use"]


def test_a_contents_list_ending_with_history_does_not_swallow_the_policy():
    # the table of contents names the sections; the body's headings come after its last entry
    text = ("Table of Contents\n\nPolicy\n\nOverview\n\nHistory\n\nPolicy\n\nScans are medically necessary.\n\n"
            "Overview\n\nScans show bones.\n\nHistory\n\n01/01/2026 New policy.")
    kinds = _kinds(text)
    assert [h for h, _ in kinds][-3:] == ["Policy", "Overview", "History"] and len(kinds) >= 7


def test_a_bold_bracket_that_ends_an_unfinished_sentence_is_no_heading():
    text = ("Policy\n\n- Drug X is covered when the following criteria are met for uses with supportive evidence\n\n"
            "**(if applicable):**\n\n1. Adult patient.\n\nDescription\n\nDrug X is a medicine.\n\n**(Pediatric Use)**\n\nText.")
    assert [h for h, _ in _kinds(text)] == ["Policy", "Description", "(Pediatric Use)"]


def test_a_heading_in_capitals_after_a_code_tables_closing_note_starts_a_section():
    note = ("This policy references CPT codes and descriptions that are copyrighted by their owner; the inclusion "
            "of a code does not guarantee coverage and providers should check the current sources")
    text = (f"Coding\n\nCPT\tDescription\n\n99999\tAn invented visit\n\n{note}\n\nVISIT GLOSSARY\n\n"
            "Chief Complaint\tThe reason for the visit\n\nREFERENCES\n\nDoe J. Visits. 2030.")
    assert ("VISIT GLOSSARY", "other") in _kinds(text)
    # inside the table, a line in capitals is a cell
    assert "ANALYSIS PANEL" not in [h for h, _ in _kinds("Coding\n\n99998 Gene test\n\nANALYSIS PANEL\n\n99997 Other test")]


def _heading_kinds(text):
    from medpolicy.ingest.sections import find_sections

    doc, _ = doc_from_text(text)
    return [(s.heading, s.kind) for s in find_sections(doc) if s.heading]


def test_a_rationale_under_each_block_of_criteria_keeps_the_blocks_in_the_policy():
    blocks = "".join(f"\n\nKnee Disorder {n}\n\nTesting is medically necessary when criteria are met.\n\n"
                     f"Rationale\n\nTrials support testing in disorder {n}." for n in (1, 2, 3))
    kinds = _heading_kinds("Clinical Indications" + blocks + "\n\nReferences\n\n1. Abel R. Knees. J Knee. 2031;1:1-2.")
    assert [k for h, k in kinds if h.startswith("Knee Disorder")] == [SectionKind.POLICY] * 3
    assert [k for h, k in kinds if h == "Rationale"] == [SectionKind.EVIDENCE] * 3


def test_one_rationale_after_the_policy_starts_the_evidence():
    kinds = _heading_kinds("Policy\n\nTesting is medically necessary when criteria are met.\n\nRationale\n\n"
                   "Trials support testing.\n\nKnee Trials\n\nTwo trials were small.")
    assert dict(kinds)["Knee Trials"] == SectionKind.EVIDENCE
