"""The title, never page chrome (issue 7, class 1): snippets of our own in the layouts of real
letterheads and web pages."""
import pytest

from medpolicy.ingest.metadata import extract_metadata
from tests.helpers import doc_from_text


def meta(text):
    doc, secs = doc_from_text(text)
    return extract_metadata(doc, secs)[0]


@pytest.mark.parametrize("text, title", [
    # a navigation bar of section links run together, then the title
    ("PolicyCodingBackgroundReferences\n\nKnee Orthoses\n\nNumber: 0123\n\nPolicy\n\nKnee orthoses are covered.",
     "Knee Orthoses"),
    # a breadcrumb of a web page
    ("Home > Providers > Policies\n\nHome Sleep Testing\n\nEffective Date: 01/01/2024", "Home Sleep Testing"),
    # a logo line, a street address and a phone/web line above the title
    ("Acme Health Plan\n\n100 Main Street, Springfield, IL 62701\n\n(555) 123-4567 WWW.ACMEHEALTH.COM\n\n"
     "Cochlear Implants\n\nEffective Date: 01/01/2024", "Cochlear Implants"),
    # a running header made of the policy number and a page number
    ("AB-1234 | 1\n\nMedical Policy\n\nGait Trainers\n\nPolicy Number: AB-1234", "Gait Trainers"),
    # the document-type line, with a version glued on, before the title and the number
    ("Radiology Management GuidelinesV2.0.2031\n\nCardiac Imaging\n\nRAD.CD.101.B\n\nv2.0.2031",
     "Cardiac Imaging"),
    # a status banner above the title
    ("Retired Policy\n\nSpinal Cord Stimulation\n\nPolicy # 00555\n\nOriginal Effective Date: 03/03/2013",
     "Spinal Cord Stimulation"),
    # a line of products above the document type
    ("Zenith Health\n\nCommercial and Individual Exchange\n\nMedical Policy\n\nBone Growth Stimulators\n\n"
     "Policy Number: 2031T0001A", "Bone Growth Stimulators"),
    # a statement about the organisation, wrapped over two lines
    ("Acme Blue Shield\n\nAn independent member of the Blue\n\nShield Association\n\nQQ_CON_1.01\n\n"
     "Wound Care Products", "Wound Care Products"),
])
def test_chrome_is_never_the_title(text, title):
    assert meta(text)["title"] == title


@pytest.mark.parametrize("text, title", [
    # a type prefix before the title, used as its label
    ("Clinical Policy: Robotic Surgery for\n\nGallbladder Disease\n\nReference Number: ZZ.MP.01", "Robotic Surgery for Gallbladder Disease"),
    ("Appropriate Use Criteria: Imaging of\n\nthe Knee\n\nProprietary", "Imaging of the Knee"),
    ("Appropriate Use Criteria:\n\nImaging of the Heart\n\nProprietary", "Imaging of the Heart"),
    # the number of another program printed before the title
    ("Program Manual\n\nXYZ 9.01.11 Wearable Cardioverter Defibrillators for Adults\n\n(External Devices)\n\n"
     "Annual Effective Policy Date: May 1, 2024", "Wearable Cardioverter Defibrillators for Adults (External Devices)"),
    # a title printed over three lines, its wrap evident (a connecting word, an open bracket)
    ("Medical Policy\n\nTitle: Continuous Glucose Monitors and\n\nInsulin Pumps for Adults and Children (Type 1\n\n"
     "Diabetes)\n\nDescription\n\nText.", "Continuous Glucose Monitors and Insulin Pumps for Adults and Children (Type 1 Diabetes)"),
    # a title over two lines, labelled by a line of its own
    ("Medical Policy Title\n\nTranscatheter Valve Repair for Mitral Regurgitation in Adults With\n\nHeart Failure\n\n"
     "Policy Number 9.09.09", "Transcatheter Valve Repair for Mitral Regurgitation in Adults With Heart Failure"),
    # a title followed by its version and another field in a running header line
    ("Bariatric Surgery Series: Gastric Bypass V3.2030 Date of Last Revision: 10/2029\n\n1\n\nPolicy\n\nText.",
     "Bariatric Surgery Series: Gastric Bypass"),
])
def test_title_prefix_and_wrap(text, title):
    assert meta(text)["title"] == title


@pytest.mark.parametrize("text, pid, title", [
    # the number printed after the title, a page title and its heading run together
    ("Knee Braces XYZ - K1234 | Members | Wellmark Skip to content Find a doctor\n\nDescription\n\nText.",
     "XYZ-K1234", "Knee Braces"),
    ("Knee Braces Knee Braces - QRS 321\n\nDescription\n\nText.", "QRS 321", "Knee Braces"),
    # the number alone under the title, a version after it
    ("Knee Braces\n\nRAD.KN.101.B v3.0.2031\n\nIntroduction\n\nText.", "RAD.KN.101.B", "Knee Braces"),
])
def test_the_number_printed_beside_the_title(text, pid, title):
    m = meta(text)
    assert (m["policy_id"], m["title"]) == (pid, title)


def test_page_instructions_are_not_titles():
    assert meta("CLICK THE ICON BELOW TO SEND COMMENTS\n\nBack to list Home\n\nKnee Braces\n\n"
                "Effective Date: 01/01/2024")["title"] == "Knee Braces"


def test_a_running_title_wrapped_over_two_lines():
    pages = [f"Knee Braces and Orthoses for Adults and Children With\nLigament Injuries\nPage {n} of 3\n"
             f"Text of page {n}, about braces." for n in (1, 2, 3)]
    text = "Date of Last Revision: 01/2030\n\nRevision Log\n\nText.\n\f" + "\f".join(pages)
    assert meta(text)["title"] == "Knee Braces and Orthoses for Adults and Children With Ligament Injuries"


def test_the_number_printed_before_the_title_is_the_id():
    m = meta("Program Manual\n\nXYZ 9.01.11 Wearable Defibrillators\n\nAnnual Effective Policy Date: May 1, 2024")
    assert (m["policy_id"], m["title"]) == ("9.01.11", "Wearable Defibrillators")


def test_title_only_in_a_running_header():
    pages = [f"Infusion Pumps\nPage: {n} of 3\nText of page {n} about pumps and their use at home." for n in (1, 2, 3)]
    text = ("Disclaimer\n\nThis policy does not replace a member's contract.\n\nEffective Date: 01/01/2024\n"
            "Policy Number: AB-0001\n\f" + "\f".join(pages))
    assert meta(text)["title"] == "Infusion Pumps"


def test_title_only_in_a_footer_run_into_a_paragraph():
    text = ("1 MAIN STREET, SPRINGFIELD, IL 62701 MEDICAL COVERAGE POLICY | 1\n\nEFFECTIVE DATE: 01|01|2024\n\n"
            "OVERVIEW\n\nPumps are used at home, and the details are given in the coverage section. Medical Coverage "
            "Policy | Infusion Pumps for Home Use")
    assert meta(text)["title"] == "Infusion Pumps for Home Use"


@pytest.mark.parametrize("tail, title", [
    # the footer's title wrapped onto a line of its own after the paragraph it ran into
    ("(Home Use)", "Infusion Pumps for Adults (Home Use)"),
    ("and Children", "Infusion Pumps for Adults and Children"),
    # a line that does not continue the title stays apart
    ("Background", "Infusion Pumps for Adults"),
])
def test_a_footer_title_run_into_a_paragraph_and_wrapped(tail, title):
    text = ("1 MAIN STREET, SPRINGFIELD, IL 62701 MEDICAL COVERAGE POLICY | 1\n\nEFFECTIVE DATE: 01|01|2024\n\n"
            "OVERVIEW\n\nPumps are used at home, and the details are given in the coverage section. Medical Coverage "
            f"Policy | Infusion Pumps for Adults\n\n{tail}\n\nMore text about the pumps and their use.")
    assert meta(text)["title"] == title


def test_a_title_is_judged_on_the_text_a_reader_sees():
    # a terminal link's address inside an escape sequence is not a contact line
    title = meta("Knee Braces \x1b]8;;http://x.example/\x1b\\here\x1b]8;;\x1b\\\n\nEffective Date: 01/01/2024")["title"]
    assert title is not None and title.startswith("Knee Braces")


_MCD_MENU = "Home | Search | Reports | Downloads | Help\n\nExpand All | Collapse All\n\nPrint\n\nShare\n\n"
_MCD_MENU_LINES = "Home\n\nSearch\n\nReports\n\nDownloads\n\nHelp\n\nExpand All\n\nCollapse All\n\n"


@pytest.mark.parametrize("text, pid, title", [
    # a national coverage determination's page: the site's menus and buttons, then its title in
    # either printed form; the number is the NCD's id, kept as Medicare's coverage database lists
    # it (the manual section number, without "NCD")
    (_MCD_MENU + "National Coverage Determination (NCD) for Knee Orthoses (280.99)\n\nTracking Information\n\n"
     "Publication Number\n\n100-3\n\nIndications and Limitations of Coverage\n\nKnee orthoses are covered.",
     "280.99", "Knee Orthoses"),
    (_MCD_MENU_LINES + "Knee Orthoses for Adults (NCD 280.99)\n\nExpand All | Collapse All\n\nTracking Information\n\n"
     "Effective Date of this Version\n\n03/04/2031\n\nIndications and Limitations of Coverage\n\nKnee orthoses are covered.",
     "280.99", "Knee Orthoses for Adults"),
    ("NCD 20.99: Cardiac Widgets\n\nItem/Service Description\n\nWidgets are covered.", "20.99", "Cardiac Widgets"),
    ("National Coverage Determination (NCD20.99): Cardiac Widgets (CW)\n\nItem/Service Description\n\nWidgets.",
     "20.99", "Cardiac Widgets (CW)"),
    # a local coverage determination and a billing article, by the number after the title
    (_MCD_MENU + "Local Coverage Determination (LCD): Knee Orthoses (L99999)\n\nLCD Information\n\nText.",
     "L99999", "Knee Orthoses"),
    ("LCD - Knee Orthoses (L99999)\n\nContractor Information\n\nText.", "L99999", "Knee Orthoses"),
    # a plan's own guideline that cites an NCD in its title keeps both its number and its title
    ("UnitedHealthcare\n\nKnee Orthoses (NCD 280.99)\n\nGuideline Number: MPG-001.01\n\nPolicy\n\nText.",
     "MPG-001.01", "Knee Orthoses (NCD 280.99)"),
    # a number in brackets after any other title is part of it
    ("Knee Orthoses (2.01)\n\nPolicy Number: AB-1\n\nPolicy\n\nText.", "AB-1", "Knee Orthoses (2.01)"),
])
def test_medicare_coverage_database_titles_and_ids(text, pid, title):
    m = meta(text)
    assert (m["policy_id"], m["title"]) == (pid, title)


@pytest.mark.parametrize("text, pid, title", [
    # a manual's running line that ends with the number is not the title when a title line exists
    ("Zenith Medical Policy Manual Knee Braces, Policy No. 61\n\nTitle: Knee Braces for Adults\n\n"
     "Effective Date: 01/01/2030\n\nPolicy\n\nText.", "61", "Knee Braces for Adults"),
    ("Zenith Medical Policy Manual Knee Braces, Policy #61\n\nKNEE BRACES\n\nEffective: 01/01/2030\n\nPolicy\n\nText.",
     "61", "KNEE BRACES"),
    # ... and gives the subject when nothing else does (the manual's name is not part of it)
    ("Zenith Health Medical Policy Manual Knee Braces, Policy No. 61\n\nEffective Date: 01/01/2030\n\nPolicy\n\nText.",
     "61", "Knee Braces"),
])
def test_a_running_line_that_ends_with_the_number(text, pid, title):
    m = meta(text)
    assert (m["policy_id"], m["title"]) == (pid, title)


def test_the_number_only_in_a_running_header_removed_from_every_page():
    bodies = ["Knee braces are medically necessary for an unstable knee after an injury.\nA brace is fitted by staff.",
              "Braces for sports use are not covered.\nReplacement is allowed every two years.",
              "Coding\nL9990 Knee orthosis, elastic\nL9991 Knee orthosis, hinged"]
    pages = [f"Zenith Medical Policy Manual Knee Braces, Policy No. 61\n{'KNEE BRACES FOR ADULTS' + chr(10) if n == 1 else ''}"
             f"{body}\nZB61 | {n}\nPage {n} of 3" for n, body in enumerate(bodies, 1)]
    m = meta("\f".join(pages))
    assert (m["policy_id"], m["title"]) == ("61", "KNEE BRACES FOR ADULTS")


@pytest.mark.parametrize("text, title", [
    # a web page's title line with the site's name after a bar or a dash, a known payer or not
    ("Knee Braces for Adults | Blue Cross Blue Shield of Wyoming\n\nHome > Providers > Knee Braces for Adults\n\n"
     "Knee Braces for Adults\n\nPolicy Number: KB-100", "Knee Braces for Adults"),
    ("Knee Braces for Adults - Blue Cross and Blue Shield of Wyoming\n\nMedical Policy\n\nPolicy Number: KB-100",
     "Knee Braces for Adults"),
    ("Knee Braces for Adults | Members | Humana\n\nPolicy Number: KB-100", "Knee Braces for Adults"),
    # a dash inside a title is not a site's name
    ("Applied Behavior Analysis - Behavioral Health\n\nPolicy Number: KB-100", "Applied Behavior Analysis - Behavioral Health"),
    ("Genetic Testing - Chromosomal Microarray\n\nPolicy Number: KB-100", "Genetic Testing - Chromosomal Microarray"),
])
def test_a_site_name_after_the_page_title(text, title):
    assert meta(text)["title"] == title


def test_a_site_name_over_the_type_line_gives_way_to_the_title_printed_again():
    # the site's name sits right above the document-type line, as the title sits right below
    # it; only the title is printed again further down (a "Title" field)
    text = ("Lakeside Coverage Library\nNational Coverage Determination\nKnee Orthoses for Adults\n"
            "Tracking Information\nManual Section Title\nKnee Orthoses for Adults\n\n"
            "Indications and Limitations of Coverage\n\nKnee orthoses are covered when reasonable and necessary.")
    assert meta(text)["title"] == "Knee Orthoses for Adults"


def test_of_two_confirmed_headings_the_better_confirmed_is_the_title():
    # both lines are headings and both sit beside the type line; only the title is printed again
    text = ("## Lakeside Coverage Library\nNational Coverage Determination\n## Knee Orthoses for Adults\n"
            "Tracking Information\nManual Section Title\nKnee Orthoses for Adults\n\n"
            "Indications and Limitations of Coverage\n\nKnee orthoses are covered when reasonable and necessary.")
    assert meta(text)["title"] == "Knee Orthoses for Adults"
