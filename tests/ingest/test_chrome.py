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
