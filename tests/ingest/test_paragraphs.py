import pytest

from medpolicy.ingest.paragraphs import list_marker, section_units, wrap_width
from tests.helpers import build_sections, doc_from_text


def units(body: str):
    doc, secs = doc_from_text("Coverage Policy\n\n" + body)
    return [u.text for u in section_units(secs, wrap_width(doc))]


@pytest.mark.parametrize("text, readings", [
    ("1. Adult", (("num.", 1),)),
    ("(2) Adult", (("num()", 2),)),
    ("b) Adult", (("lower)", 2),)),
    ("I. Adult", (("roman.", 1), ("upper.", 9))),  # the list it sits in decides
    ("iv. Adult", (("lroman.", 4),)),
    ("- C. Adult", (("upper.", 3),)),  # markdown's bullet before the printed letter
    ("• Adult", (("bullet•", 0),)),
    ("o Adult", (("bulleto", 0),)),
    ("\uf0b7 Adult", (("bullet\uf0b7", 0),)),  # a Symbol-font bullet left in a text layer
])
def test_list_markers(text, readings):
    assert list_marker(text).readings == readings


@pytest.mark.parametrize("text", ["order of tests", "e.g. adults", "No. 5 applies", "Dr. Who"])
def test_not_list_markers(text):
    assert list_marker(text) is None


@pytest.mark.parametrize("body, expected", [
    # a sentence wrapped at a comma, a function word, a lower-case start, an open parenthesis
    ("Scans are covered for adults,\nchildren and teens.", ["Scans are covered for adults, children and teens."]),
    ("Scans are covered for the\nAdult Members of the plan.", ["Scans are covered for the Adult Members of the plan."]),
    ("Scans are covered (for\nAdults) only.", ["Scans are covered (for Adults) only."]),
    # items stay apart; their wrapped lines and a lone AND join them
    ("A. The member is an adult with\nhearing loss, AND\nB. The member is deaf,\nOR\nC. Other.",
     ["A. The member is an adult with hearing loss, AND", "B. The member is deaf, OR", "C. Other."]),
    # unmarked short items stay apart
    ("The following are covered:\nHearing aids\nEar moulds", ["The following are covered:", "Hearing aids", "Ear moulds"]),
    # a list that starts inside the line of its lead, an item run on into the next
    ("Scans are covered when: A. The member is deaf; B. Other.",
     ["Scans are covered when:", "A. The member is deaf;", "B. Other."]),
    ("a. Adult b. Deaf in both ears", ["a. Adult", "b. Deaf in both ears"]),
    # marks on their own lines belong to the word before
    ("EarMap\n™\n is covered.", ["EarMap™ is covered."]),
    # a position word the text layer broke over two lines
    ("II. Ear maps are considered in\nvestigational for tinnitus.", ["II. Ear maps are considered investigational for tinnitus."]),
])
def test_units(body, expected):
    assert units(body) == expected


def test_wrap_width_only_for_hard_wrapped_text():
    wrapped = "\n".join(["Scans of the inner ear are covered for adults with hearing loss of any kind and"] * 30)
    doc, _ = doc_from_text(wrapped)
    assert wrap_width(doc) == len(wrapped.split("\n")[0])
    doc, _ = doc_from_text("\n".join(["Short line."] * 30))
    assert wrap_width(doc) is None


def test_line_that_ran_to_the_margin_joins_the_next_in_wrapped_text():
    filler = "\n".join(["This line is filler text set at the width of the page for the test of it."] * 25)
    body = (filler + "\n\nThe use of the ear mapping test EarMap Genomic Classifier Score Panel Kit\n"
            "Recurrence Index (99999) is considered medically necessary.")
    assert "Kit Recurrence Index (99999) is considered" in units(body)[-1]


def test_across_a_page_break_only_a_lower_case_start_runs_on():
    doc, secs = build_sections(("Policy", "policy", [
        ("Plans may review claims that", 1), ("Ear maps are covered for adults.", 2),
        ("Ear maps are covered for", 2), ("children under five.", 3)]))
    assert [u.text for u in section_units(secs, None)] == [
        "Plans may review claims that", "Ear maps are covered for adults.", "Ear maps are covered for children under five."]


def test_no_wrap_width_for_one_item_per_line():
    # short list items with a few longer ones: no line ran to a margin, each ends where printed
    items = [f"({k}) The member has had scan number {k} of the ear" for k in range(1, 9)]
    items += ["(9) Patient does not show evidence of progressive hearing loss while on ear mapping",
              "Authorization will be issued for 12 months."] * 3
    doc, _ = doc_from_text("\n".join(items * 2))
    assert wrap_width(doc) is None
