"""A website's chrome around a policy page (chrome.py), from invented page texts."""
import pytest

from medpolicy.ingest.chrome import is_glued_menu, strip_chrome
from tests.helpers import doc_from_text


@pytest.mark.parametrize("line, menu", [
    ("PolicyApplicable CPT / HCPCS CodesBackgroundReferences", True),
    ("DescriptionPolicyCodingReferences", True),
    ("FoundationOne CDx and Guardant360 are examples.", False),
    ("The McDonald criteria apply.", False),
])
def test_glued_tab_menu(line, menu):
    assert is_glued_menu(line) is menu


def test_controls_breadcrumb_and_footer_of_a_web_page_go():
    texts = ["Print", "opens a dialog", "Home > Current > Bone Scan Imaging", "Bone Scan Imaging",
             "Policy", "Bone scans are medically necessary when criteria are met.", "back to top",
             "References", "Doe J. A study. J Bone. 2020;1:2.",
             "RECENTLY VIEWED", "Guideline access", "By clicking I accept the terms of use of this site."]
    kept = [texts[k] for k in strip_chrome(texts, web=True)]
    assert kept == ["Bone Scan Imaging", "Policy", "Bone scans are medically necessary when criteria are met.",
                    "References", "Doe J. A study. J Bone. 2020;1:2."]


def test_a_text_layer_keeps_what_follows_a_control_text():
    texts = ["Policy", "Scans are medically necessary.", "back to top", "Coverage for other uses is decided case by case."]
    assert [texts[k] for k in strip_chrome(texts, web=False)] == [texts[0], texts[1], texts[3]]


def test_a_run_of_footer_links_goes_anywhere():
    texts = ["Scans are medically necessary.", "About Us", "Careers", "Privacy Policy", "Site Map", "Terms of Use",
             "The policy continues here."]
    assert [texts[k] for k in strip_chrome(texts, web=False)] == [texts[0], texts[-1]]


def test_link_texts_glued_into_lines_are_removed_through_the_pipeline():
    doc, _ = doc_from_text("Bone Scan Imaging\n\nShare opens in a new window\n\nPolicy\n\nScans are covered.")
    assert [ln.text for ln in doc.lines] == ["Bone Scan Imaging", "Policy", "Scans are covered."]


@pytest.mark.parametrize("texts, kept", [
    # a menu bar on one line, and the page's buttons
    (["Home | Search | Reports | Downloads | Help", "Expand All | Collapse All", "Knee Bracing", "Policy",
      "Braces are covered."], ["Knee Bracing", "Policy", "Braces are covered."]),
    # the same menu one entry per line, buttons among them
    (["Home", "Search", "Reports", "Downloads", "Help", "Expand All", "Collapse All", "Print", "Share", "Knee Bracing",
      "Policy", "Braces are covered."], ["Knee Bracing", "Policy", "Braces are covered."]),
    # entries parted by spaces or bullets; buttons repeated inside the policy
    (["Home Search Help", "Knee Bracing", "Expand All", "Policy", "Providers • Members • Employers",
      "Braces are covered."], ["Knee Bracing", "Policy", "Braces are covered."]),
    # one entry alone is a word of the policy, and a line that only starts with one stays
    (["Knee Bracing", "Help", "Search strategy: we searched two databases.", "Home use is covered."],
     ["Knee Bracing", "Help", "Search strategy: we searched two databases.", "Home use is covered."]),
])
def test_site_menus_and_buttons_go(texts, kept):
    assert [texts[k] for k in strip_chrome(texts, web=True)] == kept
    assert [texts[k] for k in strip_chrome(texts, web=False)] == kept


def test_controls_above_the_first_text_are_no_footer():
    # a page without a known section heading: its buttons at the top do not start the footer
    texts = ["Print", "Share", "Knee Bracing (L99999)", "Knee braces are covered for members who need them.",
             "back to top", "Privacy Policy"]
    assert [texts[k] for k in strip_chrome(texts, web=True)] == texts[2:4]


@pytest.mark.parametrize("line, furniture", [
    # a running header's cells: the policy number and the page number parted by a bar
    ("ZB61 | 1", True), ("2.02.99 | 5", True), ("7 | QQ-GENE-13", True),
    # a code and its units, numbers in a table, a word and a number: not furniture
    ("J9999 | 1", False), ("81999 | 2", False), ("C43.9 | 1", False), ("12 | 3", False), ("Knee | 2", False),
])
def test_a_policy_number_and_page_number_cell_is_furniture(line, furniture):
    texts = ["Policy", "Braces are covered.", line, "The brace is fitted by staff."]
    assert (line not in [texts[k] for k in strip_chrome(texts, web=False)]) is furniture
