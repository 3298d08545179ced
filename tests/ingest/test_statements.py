import pytest

from medpolicy.ingest.statements import extract_statements
from tests.helpers import build_sections, doc_from_text


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


# -- wording beyond the first vocabulary (issue 7, class 8) ------------------------------------

@pytest.mark.parametrize("sentence, position", [
    ("Sequencing of the tumour panel is established when criteria are met.", "medically_necessary"),
    ("Repeat mapping may be considered established as first line testing in infants.", "medically_necessary"),
    ("The safety and effectiveness of the hearing screen have been established.", "medically_necessary"),
    ("The benefit of serial imaging has not been established for this group.", "investigational"),
    ("Widget mapping is not established for any indication.", "investigational"),
    ("Plan members may be eligible under the Plan for gait analysis when criteria are met.", "covered"),
    ("Plan members may NOT be eligible under the Plan for gait analysis for screening.", "not_covered"),
    ("Kits billed with the visit are not eligible for separate reimbursement.", "not_covered"),
    ("Requests for a second pump may not be approved within a year.", "not_covered"),
    ("It is the policy of the plan that current evidence does not support foot scans for all other uses.",
     "investigational"),
    ("The plan does NOT provide coverage for home spirometers.", "not_covered"),
    ("Home spirometry is considered medically appropriate after lung transplant.", "medically_necessary"),
    ("Balance testing meets the definition of medical necessity for recurrent falls.", "medically_necessary"),
    ("Ear mapping is nationally non-covered.", "not_covered"),
    ("Gait labs are only eligible for reimbursement when ALL of the following conditions are met.", "covered"),
])
def test_wider_vocabulary(sentence, position):
    assert [s.position.value for s in statements(sentence)] == [position]


@pytest.mark.parametrize("sentence, position", [
    # a position word inside the subject is not the predicate
    ("Experimental/Investigational (E/I) services are not covered regardless of place of service.", "not_covered"),
    ("Not medically necessary services are not reimbursable under the member contract.", "not_covered"),
    # ... unless the sentence says nothing else
    ("Experimental procedures for the ankle, including tendon wraps.", "investigational"),
    ("Foot scans are considered experimental/investigational and therefore non-covered.", "investigational"),
])
def test_position_comes_from_the_predicate_not_the_subject(sentence, position):
    assert [s.position.value for s in statements(sentence)] == [position]


# -- sentences cut at line ends of flattened text -----------------------------------------------

@pytest.mark.parametrize("body, position, whole", [
    # the position words wrap onto the next line
    ("I. Use of the balance plate test (99999) may be considered\nmedically necessary in all members,\n"
     "regardless of age, when\nall of the following criteria are met:\nA. The member has fallen twice, AND\n"
     "B. The member walks unaided.",
     "medically_necessary", "(99999) may be considered medically necessary in all members, regardless of age, when all"),
    # a registered-trademark sign on its own line between the halves of a sentence
    ("It is the policy of the plans affiliated with Example Health\n®\n that ear mapping\n"
     "is considered medically necessary when the member is deaf.",
     "medically_necessary", "Example Health® that ear mapping is considered medically necessary"),
    ("The use of the StepScore\n®\n (SSC) test is proven and medically\nnecessary for adults who fall.",
     "medically_necessary", "StepScore® (SSC) test is proven and medically necessary for adults"),
    # a page number left between the halves, and a word hyphenated at the line end
    ("Gait analysis for members with receptor-\npositive disease is considered\n12\nnot medically necessary.",
     "not_medically_necessary", "receptor-positive disease is considered not medically necessary"),
])
def test_statement_wrapped_over_lines_is_one_sentence(body, position, whole):
    found = statements(body)
    assert [s.position.value for s in found] == [position]
    assert whole in found[0].text


def test_wrapped_statement_provenance_spans_its_lines():
    doc, secs = doc_from_text("Coverage Policy\n\nFoot scans are considered\nmedically necessary for adults.")
    found = extract_statements(doc, secs)[0]
    p = found[0].provenance
    assert doc.text[p.start:p.end] == "Foot scans are considered\nmedically necessary for adults."


def test_line_ending_a_sentence_starts_a_new_one():
    found = statements("Foot scans are considered medically necessary for adults.\n"
                       "Foot scans are considered investigational for children.")
    assert [s.position.value for s in found] == ["medically_necessary", "investigational"]


# -- not every sentence is a coverage statement -------------------------------------------------

def test_appendix_reprinting_an_old_policy_gives_no_statements():
    text = ("Policy Statement\n\nFoot scans are considered medically necessary for adults.\n\n"
            "Policy History\n\nReviewed.\n\nAppendix A\n\nPOLICY STATEMENT\n\nBEFORE AFTER\n"
            "Foot scans are considered investigational for adults.\n")
    doc, secs = doc_from_text(text)
    found = extract_statements(doc, secs)[0]
    assert [s.position.value for s in found] == ["medically_necessary"]


def test_rationale_describes_coverage_without_deciding_it():
    text = ("Policy\n\nFoot scans are considered medically necessary for adults.\n\n"
            "Rationale\n\nA trial found scans unproven in children and not covered by some plans.\n")
    doc, secs = doc_from_text(text)
    assert [s.position.value for s in extract_statements(doc, secs)[0]] == ["medically_necessary"]


def test_criterion_item_with_the_same_position_is_not_a_statement():
    body = ("Ear mapping is medically necessary when one of the following is met:\n"
            "1. The member is deaf, or\n2. Mapping is considered medically necessary by the surgeon.")
    found = statements(body)
    assert len(found) == 1 and len(found[0].criteria) == 2


def test_criterion_item_with_its_own_position_is_also_a_statement():
    body = ("Ear mapping is medically necessary when all of the following are met:\n"
            "1. The member is deaf, and\n2. Home mapping kits are not covered.")
    found = statements(body)
    assert [s.position.value for s in found] == ["medically_necessary", "not_covered"]
    assert found[0].criteria[-1] == "2. Home mapping kits are not covered."


def test_policy_goes_on_under_headings_of_no_known_kind():
    doc, secs = build_sections(
        ("Criteria", "policy", ["Ear maps are considered medically necessary for adults."]),
        ("EAR MAPPING FOR CHILDREN", "other", ["Ear maps are considered investigational for children."]),
        ("CLINICAL POLICY", "other", ["Ear moulds are not covered."]),
        ("Background", "background", ["Ear maps were considered experimental in 1990."]),
        ("Vendor Notes", "other", ["Ear casts are considered medically necessary by some vendors."]),
    )
    found = extract_statements(doc, secs)[0]
    assert [s.position.value for s in found] == ["medically_necessary", "investigational", "not_covered"]


@pytest.mark.parametrize("sentence, position", [
    ("Medicare covers ear mapping for members with implants.", "covered"),
    ("The plan will only cover one ear map per year.", "covered"),
    ("Ear moulds are specifically excluded under the contract.", "not_covered"),
    ("Ear moulds are not a plan benefit.", "not_covered"),
])
def test_payer_wording(sentence, position):
    assert [s.position.value for s in statements(sentence)] == [position]


@pytest.mark.parametrize("line", ["When Ear Mapping is Covered", "When services are Not Medically Necessary:"])
def test_subordinate_clause_alone_is_a_heading_not_a_statement(line):
    assert statements(line + "\nHearing aids for adults.") == []


def test_nationally_covered_indications_are_policy():
    doc, secs = doc_from_text("B. Nationally Covered Indications\n\nEar mapping is reasonable and necessary "
                              "for adults.\n\nC. Nationally Non-Covered Indications\n\nEar mapping is "
                              "nationally non-covered for children.\n")
    found = extract_statements(doc, secs)
    assert [s.position.value for s in found[0]] == ["medically_necessary", "not_covered"]
    assert found[1] == []  # from policy sections, not a fallback


def _grouped_policy(label_times: int):
    groups = [("0901U, 0902U", "Knee Imaging Tests The following tests used to image the knee are considered "
               "experimental/investigational."),
              ("0903U", "Gait Sensors are considered experimental/investigational and therefore non-covered."),
              ("0904U", "Sleep Trackers are considered experimental/investigational and therefore non-covered.")]
    blocks = [("Policy Position", "policy", ["Tests are only eligible for reimbursement when ALL of the following "
                                             "conditions are met: the test is valid and useful."])]
    for codes, text in groups[:label_times]:
        blocks.append(("Procedure Codes", "coding", [f"{codes} {text}"]))
    return build_sections(*blocks)


def test_a_coding_label_printed_before_each_group_keeps_the_policy_going():
    # a flattened page: each group of tests is followed by its "Procedure Codes" label and codes,
    # and the next group's statement runs on after them
    doc, secs = _grouped_policy(3)
    found = [s for s in extract_statements(doc, secs)[0] if s.position.value == "investigational"]
    assert len(found) == 3 and any("Gait Sensors are considered" in s.text for s in found)


def test_a_coding_section_printed_once_gives_only_its_notes():
    doc, secs = _grouped_policy(1)
    assert [s.position.value for s in extract_statements(doc, secs)[0]] == ["covered"]


def test_place_of_service_states_coverage():
    found = statements("Knee bracing is considered medically necessary for members with instability.\n\n"
                       "Description\n\nBraces support the knee.\n\nPlace of Service\n\n"
                       "Investigational services are not covered regardless of place of service.")
    assert [s.position.value for s in found] == ["medically_necessary", "not_covered"]


def test_a_list_item_that_only_names_an_experimental_therapy_is_no_statement():
    # the item is not under a lead here (the lead points at nothing), and still states no position
    found = statements("Ear maps are covered for adults with hearing loss.\n\n"
                       "i. The member is not enrolled in a clinical trial of an experimental therapy for hearing loss")
    assert [s.position.value for s in found] == ["covered"]


@pytest.mark.parametrize("text", [
    "This service is considered investigational.",
    "Investigational for all other indications; experimental when used alone.",
    " ".join(["The plan reviews each request against the criteria listed below."] * 30)
    + " Use for any other purpose is not medically necessary because it has not been proven safe and effective.",
    "It is not medically necessary. " + "Filler words follow here. " * 40 + "It is experimental / investigational.",
    "Not proven effective, not established, does not meet the definition of medical necessity.",
    "Nothing here states a position at all, however long it runs on and on.",
])
def test_the_matcher_run_on_keyword_windows_finds_what_it_finds_on_the_whole_text(text):
    from medpolicy.ingest.statements import _nlp, _windowed

    nlp, matcher = _nlp()
    doc = nlp(text)
    assert sorted(_windowed(doc, matcher)) == sorted(matcher(doc))
