import pytest

from medpolicy.ingest.metadata import extract_metadata
from tests.helpers import doc_from_text


def meta(text):
    doc, secs = doc_from_text(text)
    return extract_metadata(doc, secs)[0]


@pytest.mark.parametrize("text, field, value", [
    ("MEDICAL POLICY – 4.01.22\n\nKnee Bracing\n\nEffective Date: Jan 1, 2025", "policy_id", "4.01.22"),
    ("MEDICAL POLICY – 4.01.22\n\nKnee Bracing\n\nEffective Date: Jan 1, 2025", "title", "Knee Bracing"),
    ("Policy Number\tMP-104\nPolicy Title\tHome Oxygen\nEffective Date\t03/15/2024", "policy_id", "MP-104"),
    ("Policy Number\tMP-104\nPolicy Title\tHome Oxygen\nEffective Date\t03/15/2024", "title", "Home Oxygen"),
    ("Medical Policy:\n12.3.4-001\nTopic:\nSleep Studies\nEffective Date:\nMarch 3, 2025", "policy_id", "12.3.4-001"),
    ("Medical Policy:\n12.3.4-001\nTopic:\nSleep Studies\nEffective Date:\nMarch 3, 2025", "title", "Sleep Studies"),
    ("Policy Number: TBD\n\nSleep Studies\n\nEffective Date: 01/01/2020", "policy_id", None),
    ("## Sleep Studies\n\nPublished: 07/01/2025\n\nSee Policy No. 42 for other services.", "policy_id", None),
    ("Some Plan\n\nCigna Medical Coverage Policy\n\nSleep Studies\n\nEffective Date: 1/1/2025", "payer", "Cigna"),
    ("Sleep Studies\n\nPolicy Number: 7\n\nNote: codes ©2026 Acme Health Plan All Rights Reserved.", "payer", "Acme Health Plan"),
])
def test_fields(text, field, value):
    assert meta(text)[field] == value


@pytest.mark.parametrize("text, key, iso", [
    ("Effective Date: May 1, 2026", "effective", "2026-05-01"),
    ("Current Effective Date\tApril 15, 2026", "effective", "2026-04-15"),
    ("Last Revised: Apr. 27, 2026", "last_revised", "2026-04-27"),
    ("Last Revision Date:\nDecember 2025", "last_revised", "2025-12"),
    ("Annual Review:\nDecember 2026", "next_review", "2026-12"),
    ("Next Review Date\tDecember 2027", "next_review", "2027-12"),
    ("Original Effective Date: 07/15/08    Reviewed: 02/26/26    Revised: 03/15/26", "last_review", "2026-02-26"),
    ("Original Effective Date: 07/15/08    Reviewed: 02/26/26    Revised: 03/15/26", "original_effective", "2008-07-15"),
    ("Original Effective Date: 07/15/08    Reviewed: 02/26/26    Revised: 03/15/26", "last_revised", "2026-03-15"),
    ("Issue Date: 09.01.18", "issued", "2018-09-01"),
    ("This policy was approved by the Medical Policy Committee on March 8, 2024.", "approved", "2024-03-08"),
])
def test_dates(text, key, iso):
    m = meta("Sleep Studies\n\n" + text)
    assert getattr(m["dates"], key) == iso


def test_dates_never_from_history_rows():
    m = meta("Sleep Studies\n\nPolicy History\n\nDate\tAction\n1/1/2012\tEffective Date: 1/1/2012 new policy")
    assert m["dates"].effective is None


def test_label_vocabulary_view_for_the_loaders():
    from medpolicy.ingest.metadata import rules
    r = rules()
    assert "document #" in r.id_labels and "most recent review date" in r.date_labels["last_review"]
    assert "subject" in r.title_labels and "medical policy" in r.not_titles  # a document type is never a title


_BODY = ("Sleep Studies\n\nPolicy Number: ZZ-1\n\nPolicy\n\nSleep studies are medically necessary when criteria are met.\n\n"
         "Policy History\n\nDate\tAction\n01/2021\tNew policy. Approval: 01/2021 by the committee.\n\n"
         "References\n\n1. Doe J. Sleep. J Sleep. 2020;1:1-2.\n\n2. Roe K. Apnea. J Sleep. 2021;2:3-4.\n\n")


@pytest.mark.parametrize("block, expected", [
    # a block of dated labels printed at the end of the document, after the references; labels
    # not known before, values with a note after them, approvals labelled by a committee's abbreviation
    ("This policy will be revised as necessary and reviewed no less than annually.\n\nDevised: 09/2023\n\n"
     "Revised: 03/2025 (criteria reworded; codes added)\n\nReviewed: 03/2025\n\nMCO Approval: 04/2025",
     {"original_effective": "2023-09", "last_revised": "2025-03", "last_review": "2025-03", "approved": "2025-04"}),
    ("Devised: 09/2023\n\nP&T Approval: 05/2025\n\nQIC Approval: 06/2025",
     {"original_effective": "2023-09", "approved": "2025-05"}),
    # a regulator's approval is the drug's, not the policy's; an approval inside a sentence is no field
    ("FDA Approval: 12/2019\n\nThe device was approved by the FDA: 2019 (first indication).", {"approved": None}),
])
def test_dates_in_a_block_after_the_references(block, expected):
    dates = meta(_BODY + block)["dates"]
    assert {k: getattr(dates, k) for k in expected} == expected


def test_a_note_after_a_date_in_a_history_row_is_no_header_date():
    m = meta("Sleep Studies\n\nPolicy Number: ZZ-1\n\nPolicy History\n\nRevised: 03/2025 (criteria reworded)")
    assert m["dates"].last_revised is None
