import pytest

from medpolicy.ingest.related import extract_related
from tests.helpers import doc_from_text


@pytest.mark.parametrize("lines, ids", [
    ("8.01.53 Cellular Immunotherapy\n8.01.520 Transplantation", ["8.01.53", "8.01.520"]),
    ("Administrative Policy\nAP-29 Cellular Therapy\nPharmacy Policy\nPharmacy-103 CAR-T", ["AP-29", "Pharmacy-103"]),
    ("Investigational Services, Medicine, Policy No. M-149\nStem Cell Transplants, Transplant, Policy No. M-45", ["M-149", "M-45"]),
    ("None", []),
    # a bare page number or list counter and the document's own running line are no related
    # policies; a number after a policy-number label is one, one digit or more
    ("Ankle Braces, Policy No. 45\n2\nZenith Medical Policy Manual Knee Braces, Policy No. 61\nPolicy No. 3 Hip Braces",
     ["45", "3"]),
    ("N/A", []), ("None applicable.", []), ("-", []), ("\u2014", []),
    # the list's first bullet on a line of its own, its entry on the next
    ("\u2022\n\u2022 8.01.53 Cellular Immunotherapy\n\u2022 8.01.520 Transplantation", ["8.01.53", "8.01.520"]),
])
def test_related_ids(lines, ids):
    doc, secs = doc_from_text("Some Policy Title\n\nRELATED POLICIES\n\n" + lines.replace("\n", "\n\n"))
    assert [r.policy_id for r in extract_related(doc, secs, "61")[0]] == ids


def test_related_title_from_labelled_line():
    doc, secs = doc_from_text("CROSS REFERENCES\n\nStem Cell Transplants, Transplant, Policy No. M-45")
    r = extract_related(doc, secs)[0][0]
    assert r.title == "Stem Cell Transplants"


def related(text, policy_id=None):
    doc, secs = doc_from_text(text)
    return [r.policy_id or r.title for r in extract_related(doc, secs, policy_id)[0]]


@pytest.mark.parametrize("text, ids", [
    # a sending-elsewhere phrase, then a list (bullets of several kinds, one run into a line)
    ("Description\n\nThis document does not address panels. Please refer to:\n\no QQ.00011 Gene Panels for Cancer\n\n"
     "o QQ.00012 Exome Sequencing\n\n• When another document exists, it applies.", ["QQ.00011", "QQ.00012"]),
    ("Description\n\nFor those tests, please see the following:\n\n− QQ.00021 Exome Sequencing, Gene Panels and Molecular\n\n"
     "Profiling − QQ.00022 Tumor DNA Panels", ["QQ.00021", "QQ.00022"]),
    ("Description\n\nOther related documents include:\n\nZZ-GENE-31 Hereditary Colon Cancer Testing\n\n"
     "Syndromes\n\nZZ-MED-40 Prenatal Screening\n\nPosition Statement\n\nTesting is covered.", ["ZZ-GENE-31", "ZZ-MED-40"]),
    # the number on the rest of the sentence
    ("Description\n\nFor inherited diseases, see ZZ-GENE-31 Hereditary Testing. Counseling is advised.", ["ZZ-GENE-31"]),
    ("Description\n\nSee also QQ.00031 for imaging of the knee.", ["QQ.00031"]),
    # Medicare documents by their numbers
    ("Coverage Guidance\n\nThe contractor's LCD L12345 and billing article A54321 apply, with NCD 110.2.",
     ["L12345", "A54321", "110.2"]),
])
def test_related_without_a_heading(text, ids):
    assert related(text) == ids


@pytest.mark.parametrize("text, policy_id, ids", [
    # a series abbreviation before each number: kept only where the policy's own number has it
    ("Related Policies\n\nXYZ 0140 - Genetic Testing\n\nXYZ 0227 - Knee Testing", "0352", ["0140", "0227"]),
    ("Related Policies\n\nCAM 342 Tumor Markers\n\nCAM 241 Gene Panels", "CAM 273", ["CAM 342", "CAM 241"]),
    # the number after a hash at the end of a title that runs on into the next text
    ("Related Policies\n\nBiomarkers for the Diagnosis of Prostate Cancer, #336 Policy 1 Commercial Members: X\n\n"
     "Plasma testing is considered medically necessary for patients with advanced lung cancer when tissue is short:",
     None, ["336"]),
    # printed by title only: a plain list, a bulleted list with wrapped titles and what they are for
    ("Related Policies\n\nBiomarker Testing Mandate\n\nGenetic Testing Services\n\nLaboratory Analyses (PLA)\n\nPUBLISHED\n\n"
     "Provider Update, May 2031", None, ["Biomarker Testing Mandate", "Genetic Testing Services", "Laboratory Analyses (PLA)"]),
    ("Other Related Policies\n\nFor other testing, please refer to:\n\n● Oncology: Tumor Testing for Solid Tumors for\n\n"
     "criteria related to DNA testing of a tumor.\n\n● Genetic Testing: Hereditary Syndromes and Family\n\n"
     "History for criteria related to inherited risk.\n\nback to top",
     None, ["Oncology: Tumor Testing for Solid Tumors", "Genetic Testing: Hereditary Syndromes and Family History"]),
    # a list whose numbers are codes, a gene, a code system: none is a policy
    ("Related Policies\n\n• Genetic Testing for Rare Syndromes\n\nEstablished codes:\n\n81201 81202 81203\n\nS3854",
     None, ["Genetic Testing for Rare Syndromes"]),
    ("Related Policies\n\nNone\n\nPolicy\n\nCommercial Members: Managed Care", None, []),
])
def test_related_lists(text, policy_id, ids):
    assert related(text, policy_id) == ids


def test_a_related_box_run_into_the_text_beside_it():
    text = ("Coverage Rationale\n\nThe test is covered for adults with all of:\n\n"
            "• Stage I cancer; and\n\n• No prior therapy or Related Commercial Policies\n\n"
            "• Gene Expression Tests for Breast Cancer Diagnosis and\n\nTreatment Decisions\n\n"
            "Community Plan Policy\n\n• Genetic Testing for Hereditary Cancer\n\n"
            "The test is unproven and not medically necessary for all other indications of this kind.")
    assert related(text) == ["Gene Expression Tests for Breast Cancer Diagnosis and Treatment Decisions",
                             "Genetic Testing for Hereditary Cancer"]


def test_title_only_entries_have_no_number_and_an_identity():
    doc, secs = doc_from_text("Related Policies\n\nBiomarker Testing Mandate\n\nGenetic Testing Services")
    r = extract_related(doc, secs)[0][0]
    assert r.policy_id is None and r.identity() == "title:biomarker testing mandate"


def test_a_policy_heading_after_the_related_list_ends_it():
    # "Policy" alone is the policy's own section, not a products' sub-heading of the list
    text = ("Kneelo\n\nRelated policies\n\nAnklex, Gaitra\n\nPolicy\n\nThis statement covers reviews done before "
            "a service (prior approval, precertification, benefit decisions and the like) and reviews of claims after "
            "it.\n\nKneelo may be considered medically necessary if the conditions indicated below are met.\n\n"
            "Kneelo may be considered investigational for all other indications.\n\nPrior-Approval Requirements\n\n"
            "Age\t18 or older")
    assert [r.title for r in extract_related(*doc_from_text(text))[0]] == ["Anklex", "Gaitra"]


def test_related_title_after_its_label_and_number():
    doc, secs = doc_from_text("RELATED POLICIES\n\nPolicy No. 45 Ankle Braces for Adults")
    r = extract_related(doc, secs)[0][0]
    assert (r.policy_id, r.title) == ("45", "Ankle Braces for Adults")


@pytest.mark.parametrize("text, own, ids", [
    # a number shaped like the policy's own, a series abbreviation and a space ("CAM 273")
    ("Description\n\nFor other tumors, please refer to QQA 342 Tumor Burden Testing policy.", "QQA 273", ["QQA 342"]),
    # a number glued to the title after it by a hyphen
    ("Description\n\nFor tumor burden, please refer to QQS-M2178-Microsatellite Instability Testing policy.", None,
     ["QQS-M2178"]),
])
def test_numbers_of_other_policies_in_the_text(text, own, ids):
    assert related(text, own) == ids


def test_a_numbered_list_of_labelled_policies_gives_every_entry_without_its_counter():
    from tests.helpers import doc_from_text
    from medpolicy.ingest.related import extract_related
    from medpolicy.ingest.sections import find_sections

    text = ("Knee Bracing, Policy No. 61\n\nPolicy\n\nKnee braces are covered.\n\nCross References\n\n"
            "1. Genetic Testing for Knee Disorders Affecting Several Joints, Genetics, Policy No. 22\n"
            "2. General Approach to Bracing, Orthotics, Policy No. 2\n\nBackground\n\nText.")
    doc, _ = doc_from_text(text)
    related, _w = extract_related(doc, find_sections(doc), "61")
    assert [(r.policy_id, r.title) for r in related] == [
        ("22", "Genetic Testing for Knee Disorders Affecting Several Joints"), ("2", "General Approach to Bracing")]
