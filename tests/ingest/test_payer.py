"""The payer (issue 7, class 3) from the evidence a document gives: snippets of our own."""
import pytest

from medpolicy.ingest.payer import extract_payer
from medpolicy.ingest.metadata import extract_metadata
from medpolicy.ingest.vocab import find_payer, metadata_rules, payer_family
from tests.helpers import doc_from_text


def payer(text):
    doc, secs = doc_from_text(text)
    return extract_payer(doc, secs)


@pytest.mark.parametrize("text, name", [
    # named only by an abbreviation in the letterhead
    ("BCBSRI\n\nKnee Bracing\n\nEffective Date: 01/01/2024\n\nPolicy\n\nKnee braces are covered.",
     "Blue Cross & Blue Shield of Rhode Island"),
    # named only by a web domain in a running line
    ("(555) 274-0000 WWW.BCBSRI.COM\n\nKnee Bracing\n\nPolicy\n\nKnee braces are covered.",
     "Blue Cross & Blue Shield of Rhode Island"),
    # a short form in the text, the full name never printed
    ("Knee Bracing\n\nPolicy\n\nBCBSM and BCN cover knee braces when criteria are met.",
     "Blue Cross Blue Shield of Michigan"),
    # the fullest printed form that holds the canonical name
    ("Knee Bracing\n\nPolicy\n\nNoridian Healthcare Solutions covers knee braces.", "Noridian Healthcare Solutions"),
    # a one-word short form: the canonical name; a name of several words: as printed
    ("Knee Bracing\n\nPolicy\n\nPremera covers knee braces when criteria are met.", "Premera Blue Cross"),
    ("Federal Employee Program\u00ae 100 Main St NW\n\nKnee Bracing\n\nPolicy\n\nKnee braces are covered.",
     "Federal Employee Program"),
    # a brand and a legal entity: the brand (canonical)
    ("UnitedHealthcare\n\nKnee Bracing\n\nPolicy\n\nUnitedHealthcare covers knee braces.\n\n"
     "Proprietary Information of UnitedHealthcare. Copyright 2030 United HealthCare Services, Inc.", "UnitedHealthcare"),
])
def test_short_forms_and_domains(text, name):
    assert payer(text) == name


def test_medicare_issues_a_national_coverage_determination():
    text = ("National Coverage Determination (NCD) for Knee Orthoses (280.99)\n\nPublication Number 100-3\n\n"
            "Indications and Limitations of Coverage\n\nKnee orthoses are covered when reasonable and necessary.")
    assert payer_family(payer(text)) == "Medicare"


def test_an_ambiguous_abbreviation_is_not_a_mention():
    # "NGS" is next-generation sequencing in a genetics policy, not the Medicare contractor
    text = ("Gene Panels\n\nPolicy\n\nNGS panels are covered by BCBSM. NGS testing of tumors.\n\n"
            "Rationale\n\nNGS panels detect variants. NGS results vary.")
    assert payer(text) == "Blue Cross Blue Shield of Michigan"


def test_a_disclaimer_in_the_first_lines_is_not_a_letterhead():
    text = ("Clinical Guideline\n\nCommercial or FEP plans may use this guideline for provider education, and each "
            "plan may choose whether to implement it for its members and its lines of business.\n\n"
            "Subject: Gene Panels\n\nDescription\n\nSee the Related Anthem Document table below.")
    assert payer(text) == "Anthem"


def test_a_plan_before_the_benefit_manager_it_names():
    text = ("Medical Policy\n\nGene Panels\n\nPolicy\n\nThe BCBSMA program requires prior authorization via "
            "AIM Specialty Health. Request it from AIM Specialty Health.")
    assert payer(text) == "Blue Cross Blue Shield of Massachusetts"


@pytest.mark.parametrize("old, new", [
    ("Louisiana Blue", "Blue Cross and Blue Shield of Louisiana"),
    ("Anthem Blue Cross", "Elevance Health"),
    ("Excellus", "Excellus BlueCross BlueShield"),
])
def test_a_letterhead_change_keeps_the_family(old, new):
    # the store keys a policy by payer family, so a renamed letterhead is the same policy library
    assert payer_family(old) == payer_family(new) is not None


def test_with_no_other_evidence_the_plan_its_own_history_names():
    text = ("Knee Braces\n\nPolicy\n\nKnee braces are covered.\n\nHistory\n\n"
            "01/01/2020\tPre-merger Excellus policy reviewed; no changes.\n\nReferences\n\n1. Aetna. Braces. 2019.")
    assert payer(text) == "Excellus BlueCross BlueShield"


@pytest.mark.parametrize("text", [
    # no organisation printed: the number says it is a national coverage determination
    "Home | Search | Help\n\nKnee Orthoses (NCD 280.99)\n\nItem/Service Description\n\nOrthoses are covered.",
    "Local Coverage Determination (LCD): Knee Orthoses (L99999)\n\nCoverage Indications\n\nOrthoses are covered.",
])
def test_a_medicare_series_number_names_medicare_when_nothing_else_does(text):
    doc, secs = doc_from_text(text)
    assert payer_family(extract_metadata(doc, secs)[0]["payer"]) == "Medicare"


def test_a_local_coverage_determination_names_its_contractor():
    text = ("Local Coverage Determination (LCD): Knee Orthoses (L99999)\n\nContractor Information\n\n"
            "Contractor Name\tContract Number\n\nNoridian Healthcare Solutions, LLC\t01112\n\nText.")
    doc, secs = doc_from_text(text)
    assert extract_metadata(doc, secs)[0]["payer"] == "Noridian Healthcare Solutions"


def test_every_numbered_series_is_issued_by_a_known_payer():
    assert all(find_payer(s.payer) for s in metadata_rules().numbered_series)


@pytest.mark.parametrize("text, name", [
    ("Knee Braces | Blue Cross and Blue Shield of Wyoming\n\nPolicy\n\nKnee braces are covered.",
     "Blue Cross and Blue Shield of Wyoming"),
    ("Knee Braces - Zenith Health Plan\n\nPolicy\n\nKnee braces are covered.", "Zenith Health Plan"),
])
def test_an_unknown_organisation_named_after_the_page_title(text, name):
    assert payer(text) == name


@pytest.mark.parametrize("line, holder", [
    ("Copyright 2031 Lakeshore Health Plan, Inc. All rights reserved.", "Lakeshore Health Plan"),
    ("\u00a9 2031 Lakeshore Health Plan", "Lakeshore Health Plan"),
    ("Copyright \u00a9 Lakeshore Health Plan. All rights reserved.", "Lakeshore Health Plan"),
    # the word "copyright" naming a statement or a law, no holder after a year or the sign
    ("Dental Codes Copyright Statement", None),
    ("Use of this material is subject to copyright law.", None),
])
def test_a_copyright_line_names_its_holder_after_a_year_or_the_sign(line, holder):
    text = f"Knee Bracing\n\nPolicy\n\nKnee braces are medically necessary when criteria are met.\n\n{line}"
    assert payer(text) == holder


def test_an_organisation_over_its_documents_in_a_broken_header_cell_is_the_issuer():
    # a table's header cell "Related Premera Document" that the text layer broke after the name;
    # another plan named only in a sentence is a mention
    text = ("Clinical Guideline\n\nKnee Bracing\n\nPolicy\n\nKnee braces are medically necessary when criteria "
            "are met. Commercial or FEP plans may adopt this guideline.\n\nRelated Premera\nDocument\n"
            "Knee Orthoses")
    assert payer(text) == "Premera Blue Cross"


def test_a_disclaimer_repeated_on_every_page_is_no_letterhead():
    from medpolicy.ingest.payer import extract_payer
    from medpolicy.ingest.sections import find_sections

    doc, _ = doc_from_text("Knee Bracing\n\nPolicy\n\nKnee braces are medically necessary when criteria are met.")
    doc.source.furniture[:] = ["Alternatively, commercial or FEP plans or lines of business which determine there "
                               "is not a need to adopt the guideline may use other criteria."]
    assert extract_payer(doc, find_sections(doc)) is None
