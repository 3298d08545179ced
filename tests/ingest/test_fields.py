"""Labels and values apart (issue 7, class 2): every layout of a header field, from snippets of our
own that copy the layout of real letterheads, not their words."""
import pytest

from medpolicy.ingest.fields import labels_in, read_fields
from medpolicy.ingest.metadata import extract_metadata
from tests.helpers import doc_from_text


def fields(text):
    doc, _secs = doc_from_text(text)
    return [(f.keys[0], f.value) for f in read_fields(doc.lines)]


def meta(text):
    doc, secs = doc_from_text(text)
    return extract_metadata(doc, secs)[0]


@pytest.mark.parametrize("text, expected", [
    # two label/value pairs on one line
    ("Original Policy Date: June 2, 2019 Effective Date: April 1, 2024",
     [("original_effective", "June 2, 2019"), ("effective", "April 1, 2024")]),
    # labels glued to the value before them by a text layer
    ("Document #: QRS.00042Publish Date: 03/04/2021",
     [("policy_id", "QRS.00042"), ("published", "03/04/2021")]),
    ("Status: RevisedLast Review Date: 08/09/2022", [("", "Revised"), ("last_review", "08/09/2022")]),
    # the value on the line below its label
    ("Status: NewLast Review Date:\n02/11/2021", [("", "New"), ("last_review", "02/11/2021")]),
    # a header grid read keys first, values later
    ("Effective Date\nNext Review Date\n01/15/2024\n01/15/2025",
     [("effective", "01/15/2024"), ("next_review", "01/15/2025")]),
    # a row of labels over a row of values
    ("Effective Date\tNext Review Date\tPolicy Number\n01/15/2024\t01/15/2025\tZZ-7",
     [("effective", "01/15/2024"), ("next_review", "01/15/2025"), ("policy_id", "ZZ-7")]),
    # a label and its value in two cells, another pair after a wide gap
    ("Section:\tLaboratory\tEffective Date:\tMay 5, 2020", [("", "Laboratory"), ("effective", "May 5, 2020")]),
    ("Last Review    11/30/2023", [("last_review", "11/30/2023")]),
    # several fields run together on one line of web text; the next label ends each value
    ("Subject: Sleep Apnea Devices Document #: XX.01234 Publish Date: 04/05/2023 Status: Reviewed",
     [("title", "Sleep Apnea Devices"), ("policy_id", "XX.01234"), ("published", "04/05/2023"), ("", "Reviewed")]),
    ("Medical Policy: Q-12-003 Topic: Home Infusion Section: Pharmacy Issue Date: May 2, 2021",
     [("policy_id", "Q-12-003"), ("title", "Home Infusion"), ("", "Pharmacy"), ("issued", "May 2, 2021")]),
    # a label right after a title's colon: "<title>: Policy No. <n>"
    ("Cold Laser Therapy for Tendon Pain: Policy No. 902", [("policy_id", "902")]),
    # approval and next-review wordings
    ("Last Approval: 4/22/2024", [("approved", "4/22/2024")]),
    ("Next Review Due By: May 2025", [("next_review", "May 2025")]),
    ("Effective Date of this Version\n07/01/2021", [("effective", "07/01/2021")]),
    # a running header or manual line that ends with the number after a comma
    ("Zenith Medical Policy Manual Knee Braces, Policy No. 61", [("policy_id", "61")]),
    ("Zenith Medical Policy Manual Knee Braces, Policy #61", [("policy_id", "61")]),
    ("Policy #ZX-7", [("policy_id", "ZX-7")]),
])
def test_layouts(text, expected):
    assert fields(text) == expected


@pytest.mark.parametrize("text", [
    "The policy was retired effective 07/01/2024.",  # a date inside prose
    "Reviewed 02/17/2022 committee review, no changes",  # a history row, not a field
    "Policy",  # a section heading, not a label waiting for its value
    "RELATED MEDICAL POLICIES:",  # a heading that ends in a document type
    "This replaces the older knee policy, Policy No. 45.",  # a sentence that names another policy
    "Braces are covered. See the ankle policy, Policy No. 45",
])
def test_not_fields(text):
    assert [f for f in fields(text) if f[0]] == []


def test_a_longer_label_wins_over_the_label_inside_it():
    assert [h.keys for h in labels_in("Original Effective Date: 1/2/2003")] == [("original_effective",)]


@pytest.mark.parametrize("text, key, iso", [
    # label wordings beyond the first vocabulary
    ("Date of Last Review: 11/2023", "last_review", "2023-11"),
    ("MOST RECENT REVIEW DATE: 4/5/2022", "last_review", "2022-04-05"),
    ("Annual Effective Policy Date: July 1, 2024", "effective", "2024-07-01"),
    ("Origination: 03/2018", "original_effective", "2018-03"),
    ("Devised: 01/2019", "original_effective", "2019-01"),
    ("Date Created: 2/2/2020", "original_effective", "2020-02-02"),
    ("Date of Last Revision: 06/21", "last_revised", "2021-06"),
    ("Next Review Date: 05/2025", "next_review", "2025-05"),
    ("Date Approved: 9/9/2019", "approved", "2019-09-09"),
    ("Current Effective Date October 3, 2022", "effective", "2022-10-03"),
    # stray characters inside a printed date
    ("EFFECTIVE DATE: 03|15|2023", "effective", "2023-03-15"),
    ("Effective Date: March  3, 2022", "effective", "2022-03-03"),
    ("Effective Date: 3/ 3/2022", "effective", "2022-03-03"),
])
def test_date_labels(text, key, iso):
    assert getattr(meta("Sleep Studies\n\n" + text)["dates"], key) == iso


@pytest.mark.parametrize("text, pid", [
    ("Guideline #: XY-12", "XY-12"),
    ("Guideline#: CG-MED-99", "CG-MED-99"),
    ("Doc ID: ABC01-0222.1  Last Review Date: 04/21/2025", "ABC01-0222.1"),
    ("Reference Number: QQ.MP.12 Coding Implications", "QQ.MP.12"),
    ("Policy #     00123", "00123"),
    ("Medical Coverage Policy: 0099", "0099"),
    ("Medical Policy 7.70.070", "7.70.070"),  # a document type and its number alone on a line
])
def test_id_labels(text, pid):
    assert meta("Sleep Studies\n\n" + text)["policy_id"] == pid


def test_dates_in_a_block_at_the_end_of_a_web_page():
    text = ("Sleep Studies\n\nPolicy\n\nSleep studies are covered.\n\nPolicy History\n\n"
            "Last Review  04/04/2024\n\nEffective:  02/02/2002\n\nNext Review:  06/06/2025\n\nReview History")
    d = meta(text)["dates"]
    assert (d.last_review, d.effective, d.next_review) == ("2024-04-04", "2002-02-02", "2025-06-06")


def test_a_date_quoted_in_a_reference_is_not_a_header_date():
    text = ("Sleep Studies\n\nEffective Date: 1/1/2024\n\nBackground\n\n"
            "A trial registry. Bethesda, MD: Library of Medicine; updated: October 2, 2019.")
    assert meta(text)["dates"].last_revised is None


@pytest.mark.parametrize("annual, key", [
    ("Annual Review: December 2023", "last_review"),  # before the effective date: the review done
    ("Annual Review: December 2026", "next_review"),  # after it: the review to come
])
def test_annual_review_is_the_last_or_the_next_by_its_date(annual, key):
    d = meta(f"Sleep Studies\n\nEffective Date: January 9, 2024\n\n{annual}")["dates"]
    assert getattr(d, key) == annual.split(": ")[1].replace("December ", "")[:4] + "-12"


def test_a_title_keeps_what_precedes_a_label_after_its_colon():
    m = meta("Widgetcare Clinical Policy\nCold Laser Therapy for Tendon Pain: Policy No. 902\n"
             "Last Approval: 4/22/2024\n\nCOVERAGE POLICY\nCold laser therapy is considered investigational.\n")
    assert (m["policy_id"], m["title"], m["dates"].approved) == ("902", "Cold Laser Therapy for Tendon Pain", "2024-04-22")


def test_a_criteria_document_type_line_is_not_the_title():
    m = meta("Example Health\nClinical Review Criteria\nHome Sleep Apnea Testing\n\nCriteria\n"
             "Home sleep apnea testing is medically necessary when ALL of the following are met:\n")
    assert m["title"] == "Home Sleep Apnea Testing"
