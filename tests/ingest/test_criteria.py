"""Criteria of a statement: the list under its lead and the sections it points to (issue 8:
coverage content is more than lead sentences)."""
import pytest

from medpolicy.ingest.criteria import is_criteria_heading
from medpolicy.ingest.statements import extract_statements
from tests.helpers import build_sections, doc_from_text


def statements(text: str):
    doc, secs = doc_from_text(text)
    return extract_statements(doc, secs)[0]


NESTED = """Policy

I. Ear mapping is considered medically necessary when ALL of the following are met:
A. The member is 18 years of age or older, AND
B. The member has ONE of the following:
1. Bilateral hearing loss, OR
2. Unilateral loss with tinnitus, AND
C. Dose does not exceed 2 maps per year, AND
D. Mapping is ordered by an audiologist, AND
E. The member had a scan, AND
F. The member had a trial, AND
G. The member had a fitting, AND
H. The member had counselling, AND
I. The member consents.
II. Ear mapping is considered investigational for all other indications.
"""


def test_nested_list_with_its_levels_and_a_letter_that_reads_like_a_numeral():
    found = statements(NESTED)
    assert [s.position.value for s in found] == ["medically_necessary", "investigational"]
    crit = found[0].criteria
    assert crit[0] == "A. The member is 18 years of age or older, AND"
    assert "1. Bilateral hearing loss, OR" in crit and "2. Unilateral loss with tinnitus, AND" in crit
    assert crit[-1] == "I. The member consents."  # "I." after "H." is a letter, not item II's sibling
    assert len(crit) == 11
    assert found[0].text.split("\n")[1:] == crit
    assert not any("investigational" in c for c in crit)


def _fep(age="18 years of age or older", extra=()):
    """A drug policy laid out as FEP prints them: the lead points at requirements printed in
    sub-sections of the policy section and in a limits section after it."""
    doc, secs = build_sections(
        ("Policy", "policy", ["Ear maps may be considered medically necessary if the conditions indicated below are met.",
                              "Ear maps may be considered investigational for all other indications."], 1),
        ("Prior-Approval Requirements", "policy", [f"Age\t{age}"], 2),
        ("Diagnosis", "policy", ["Patient must have the following:", "1. Hearing loss", "AND ALL of the following:",
                                 "a. Audiogram within 6 months", *extra], 2),
        ("Prior-Approval Renewal Requirements", "policy", ["a. Improvement in hearing"], 2),
        ("Policy Guidelines", "guidelines", [], 1),
        ("Prior-Approval Limits", "guidelines", ["Duration\t12 months"], 2),
        ("Rationale", "evidence", ["Studies show ear maps are unproven in children."], 1),
    )
    return extract_statements(doc, secs)[0]


def test_criteria_printed_in_sections_of_their_own_belong_to_the_statement_that_points_at_them():
    found = _fep()
    assert [s.position.value for s in found] == ["medically_necessary", "investigational"]
    assert found[0].criteria == [
        "Prior-Approval Requirements", "Age\t18 years of age or older", "Diagnosis",
        "Patient must have the following:", "1. Hearing loss", "AND ALL of the following:",
        "a. Audiogram within 6 months", "Prior-Approval Renewal Requirements", "a. Improvement in hearing",
        "Prior-Approval Limits", "Duration\t12 months"]
    assert found[1].criteria == []  # "for all other indications" points at nothing
    assert not any("unproven" in c for c in found[0].criteria)  # the rationale is not a criterion


def test_criteria_are_stable_across_editions():
    """Same item text -> same criterion: an edition that adds one criterion under an unchanged
    lead differs by exactly that item."""
    old, new = _fep()[0], _fep(extra=["b. Member is not on ototoxic drugs"])[0]
    assert old.lead == new.lead
    assert [c for c in new.criteria if c not in old.criteria] == ["b. Member is not on ototoxic drugs"]
    assert [c for c in old.criteria if c not in new.criteria] == []
    changed = _fep(age="12 years of age or older")[0]
    assert [c for c in changed.criteria if c not in old.criteria] == ["Age\t12 years of age or older"]


def test_lead_without_colon_takes_the_list_that_follows_it():
    found = statements("Coverage Criteria\n\nEar maps are medically necessary when the following criteria are met\n"
                       "\u2022 Hearing loss in both ears\n\u2022 Age 3 or older\n\n"
                       "Ear maps are investigational for tinnitus.")
    assert found[0].criteria == ["\u2022 Hearing loss in both ears", "\u2022 Age 3 or older"]
    assert found[1].position.value == "investigational"


def test_sibling_statements_are_not_criteria_of_a_lead_that_only_refers_to_criteria():
    found = statements("Policy\n\nEar maps are covered when criteria in the sections below are met.\n"
                       "\u2022 Ear scans are considered investigational.\n\u2022 Ear moulds are not covered.")
    assert [s.position.value for s in found] == ["covered", "investigational", "not_covered"]
    assert found[0].criteria == []


def test_list_ends_at_the_next_section():
    found = statements("Policy\n\nEar maps are medically necessary when:\n1. Deaf\n2. Adult\n\n"
                       "Related Policies\n\nHearing Aids\n\nEar Moulds\n")
    assert found[0].criteria == ["1. Deaf", "2. Adult"]


@pytest.mark.parametrize("heading, named", [
    ("Prior-Approval Requirements", True), ("Prior – Approval Renewal Limits", True), ("Criteria", True),
    ("Clinical Indications", True), ("Limitations", True), ("Coverage Rationale", True), ("Quantity Limits", True),
    ("Rationale", False), ("References", False), ("Background", False),
])
def test_criteria_headings(heading, named):
    assert is_criteria_heading(heading) is named


def test_repeated_leads_merge_with_the_label_of_each_block():
    found = statements("Coverage Policy\n\n1. Tinnitus. Approve for the duration noted if the patient meets ONE of the following:\n"
                       "A) Initial therapy\nB) Renewal\n"
                       "2. Vertigo. Approve for the duration noted if the patient meets ONE of the following:\n"
                       "A) Initial therapy\nB) Renewal")
    assert len(found) == 1
    assert found[0].criteria == ["1. Tinnitus.", "A) Initial therapy", "B) Renewal",
                                 "2. Vertigo.", "A) Initial therapy", "B) Renewal"]


@pytest.mark.parametrize("item, own", [
    ("c. Member is not enrolled in a trial of an experimental therapy", False),
    ("c. Surgery is performed when medically necessary", False),
    ("c. Home kits are not covered", True),
    ("c. Drops for dry eye; experimental for other indications", True),
])
def test_criterion_item_states_its_own_position_only_when_said_of_something(item, own):
    found = statements("Policy\n\nEar maps are considered covered when ALL of the following are met:\n"
                       f"a. Adult\nb. Deaf\n{item}")
    assert len(found[0].criteria) == 3
    assert (len(found) == 2) is own


def test_page_furniture_between_criteria_is_not_a_criterion():
    doc, secs = build_sections(("Policy", "policy", [
        "Ear maps are medically necessary when ALL of the following are met:", "a. Adult",
        "Subject:\tEar Maps\tPage:\t3 of 7", "Page 3 of 7", "b. Deaf",
        "Medical Policy: Ear Maps Policy Number: 1.2.3 Page: 2 of 18 Proprietary Information", "Dose\t1/2 vial"]))
    found = extract_statements(doc, secs)[0]
    assert found[0].criteria == ["a. Adult", "b. Deaf", "Dose\t1/2 vial"]


def test_list_on_one_line_of_web_text():
    found = statements("Policy\n\nEar maps are considered medically necessary when ALL of the following criteria "
                       "are met: 1. The member is an adult; and 2. The member is deaf; and 3. A trial failed. "
                       "Ear maps are considered investigational for all other indications.")
    assert [s.position.value for s in found] == ["medically_necessary", "investigational"]
    assert found[0].criteria == ["1. The member is an adult; and", "2. The member is deaf; and", "3. A trial failed."]


def test_items_the_loader_knows_without_a_printed_marker():
    from medpolicy.ingest.document import BlockKind, Document, SourceDocument
    from medpolicy.ingest.sections import find_sections

    src = SourceDocument("t.html", "0" * 64, "html", [])
    doc = Document.from_lines(src, [
        ("Policy", None, BlockKind.HEADING),
        ("Ear maps are medically necessary for the following indications:", None, BlockKind.PARAGRAPH),
        ("Members with hearing loss in both ears confirmed by an audiogram.", None, BlockKind.ITEM),
        ("Members with a cochlear implant fitted in the last year.", None, BlockKind.ITEM),
        ("Ear maps are investigational for tinnitus.", None, BlockKind.PARAGRAPH)])
    found = extract_statements(doc, find_sections(doc))[0]
    assert [s.position.value for s in found] == ["medically_necessary", "investigational"]
    assert len(found[0].criteria) == 2


def test_lead_followed_by_a_pointer_takes_the_criteria_section():
    doc, secs = build_sections(
        ("POLICY", "policy", ["Ear maps are considered medically necessary if the medical appropriateness criteria "
                              "are met. (See Medical Appropriateness below.)"]),
        ("MEDICAL APPROPRIATENESS", "policy", ["Ear maps are medically appropriate if ALL of the following are met:",
                                              "\u2022 Hearing loss", "\u2022 Adult"]),
        ("IMPORTANT REMINDERS", "boilerplate", ["This policy is not a contract."]))
    found = extract_statements(doc, secs)[0]
    assert [s.position.value for s in found] == ["medically_necessary", "medically_necessary"]
    assert found[1].criteria == ["\u2022 Hearing loss", "\u2022 Adult"]
    assert found[0].criteria == []  # its criteria section opens with a statement of its own


def test_a_lead_inside_an_outline_ends_where_the_outline_goes_on():
    # "a. ...:" sits under "C." and "2."; "D." continues the outer list, so it is not a criterion
    text = ("Policy\n\nC. Kidney Cancer\n1. Initial Authorization\na. Ear mapping is considered medically "
            "necessary when ALL of the following are met:\n(1) The member is an adult\n(2) The member is deaf\n"
            "2. Reauthorization\na. Ear mapping will be approved based on the following criterion:\n"
            "(1) The member benefits from the mapping\nD. Liver Cancer\n1. Initial Authorization\n"
            "(1) Diagnosis of liver cancer\n(2) The member is an adult")
    found = statements(text)
    approved = next(s for s in found if s.text.startswith("Ear mapping will be approved"))
    assert approved.criteria == ["(1) The member benefits from the mapping"]
