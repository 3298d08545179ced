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
