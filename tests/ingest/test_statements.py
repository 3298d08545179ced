import pytest

from medpolicy.ingest.statements import extract_statements
from tests.helpers import doc_from_text


def statements(body: str):
    doc, secs = doc_from_text("Coverage Policy\n\n" + body)
    return extract_statements(doc, secs)[0]


@pytest.mark.parametrize("sentence, position", [
    ("Knee bracing is considered medically necessary for members with instability.", "medically_necessary"),
    ("The device is proven and medically necessary for chronic wounds.", "medically_necessary"),
    ("Services are considered reasonable and necessary when documented.", "medically_necessary"),
    ("The device is unproven and not medically necessary for all other indications.", "investigational"),
    ("Use for all other indications is considered investigational and not medically necessary.", "investigational"),
    ("Genetic testing is EXPERIMENTAL/INVESTIGATIONAL for screening.", "investigational"),
    ("Repeat imaging is not medically necessary when prior imaging is recent.", "not_medically_necessary"),
    ("The service is not considered reasonable and necessary for these patients.", "not_medically_necessary"),
    ("Cosmetic procedures are not covered under any plan.", "not_covered"),
    ("If a device lacks evidence because it is investigational, the service is noncovered as not reasonable and necessary.", "not_covered"),
    ("Modifier 25 claims are not eligible for separate reimbursement.", "not_covered"),
    ("Approve for 12 months if the patient meets all criteria.", "covered"),
    ("Routine screening is covered once per year for members over 50.", "covered"),
])
def test_positions(sentence, position):
    found = statements(sentence)
    assert [s.position.value for s in found] == [position]


def test_sentences_without_predicate_are_not_statements():
    assert statements("This policy describes the service in general terms for providers.") == []


def test_criteria_list_stays_attached():
    body = ("I. Therapy is medically appropriate when ALL of the following are met:\n"
            "A. Individual is an adult;\nB. Organ function is adequate.\n"
            "II. Therapy is not medically necessary after a recent transplant.")
    found = statements(body)
    assert [s.position.value for s in found] == ["medically_necessary", "not_medically_necessary"]
    assert "Individual is an adult" in found[0].text and "Organ function" in found[0].text
    assert "recent transplant" not in found[0].text


def test_statement_in_table_row_and_provenance():
    doc, secs = doc_from_text("Policy Coverage Criteria\n\nTreatment\tInvestigational\n"
                              "Other uses\tAll other techniques are considered investigational for cancer.")
    found = extract_statements(doc, secs)[0]
    assert len(found) == 1 and found[0].position.value == "investigational"
    p = found[0].provenance
    assert doc.text[p.start:p.end].startswith("All other techniques")


def test_unmarked_items_attach_until_a_full_sentence():
    body = ("The following are unproven and not medically necessary due to insufficient evidence:\n"
            "Stimulation for treating medical conditions, including but not limited to:\n"
            "Alzheimer disease\nChronic pain\n"
            "Navigated stimulation for treatment planning\n"
            "For behavioral disorders, refer to the behavioral clinical policy on this subject.")
    found = statements(body)
    assert found[0].position.value == "investigational"
    assert "Navigated stimulation for treatment planning" in found[0].text
    assert "behavioral clinical policy" not in found[0].text


def test_negated_reasonable_and_necessary():
    found = statements("A wound smaller than 0.5 square cm is not considered medically reasonable and necessary.")
    assert [s.position.value for s in found] == ["not_medically_necessary"]


def test_repeated_lead_sentence_is_one_statement_with_every_block():
    body = ("A. Indication One\nDrug X will be approved based on the following criterion:\n(1) Diagnosis of one\n"
            "B. Indication Two\nDrug X will be approved based on the following criterion:\n(1) Diagnosis of two\n")
    found = statements(body)
    assert len(found) == 1 and found[0].position.value == "covered"
    assert "Diagnosis of one" in found[0].text and "Diagnosis of two" in found[0].text
