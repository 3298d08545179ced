import pytest

from medpolicy.ingest.related import extract_related
from tests.helpers import doc_from_text


@pytest.mark.parametrize("lines, ids", [
    ("8.01.53 Cellular Immunotherapy\n8.01.520 Transplantation", ["8.01.53", "8.01.520"]),
    ("Administrative Policy\nAP-29 Cellular Therapy\nPharmacy Policy\nPharmacy-103 CAR-T", ["AP-29", "Pharmacy-103"]),
    ("Investigational Services, Medicine, Policy No. M-149\nStem Cell Transplants, Transplant, Policy No. M-45", ["M-149", "M-45"]),
    ("None", []),
])
def test_related_ids(lines, ids):
    doc, secs = doc_from_text("Some Policy Title\n\nRELATED POLICIES\n\n" + lines.replace("\n", "\n\n"))
    assert [r.policy_id for r in extract_related(doc, secs)[0]] == ids


def test_related_title_from_labelled_line():
    doc, secs = doc_from_text("CROSS REFERENCES\n\nStem Cell Transplants, Transplant, Policy No. M-45")
    r = extract_related(doc, secs)[0][0]
    assert r.title == "Stem Cell Transplants"
