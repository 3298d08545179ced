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
