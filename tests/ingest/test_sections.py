import pytest

from medpolicy.ingest.sections import heading_rules, match_heading
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
])
def test_heading_rules(heading, kind):
    rule = match_heading(heading)
    assert rule is not None and rule.kind == kind


def test_rules_load_and_validate():
    assert len(heading_rules()) > 50


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
