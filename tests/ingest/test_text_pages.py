"""Pages of a text layer and their running headers and footers (text_pages), from invented
snippets laid out as pdfminer-style tools write a PDF's text: lines end with a space, blank
lines inside a page hold a space, and one empty line joins two pages."""
import pytest

from medpolicy.ingest.furniture import is_page_marker
from medpolicy.ingest.text import text_to_blocks
from medpolicy.ingest.text_pages import split_pages, strip_page_furniture

BODY = ("Bone density scanning is considered medically necessary for adults who meet the criteria "
        "listed in this section and who have not been scanned within the last two years. ")


def _layer(pages: list[list[str]]) -> str:
    return "\n\n".join("\n".join(p) for p in pages)


def _page(n: int, total: int, body: list[str]) -> list[str]:
    return ([f"Sample Bone Density Policy Page {n} of {total} ", "Acme Health Plan Commercial Medical Policy Effective 03/01/2026 ",
             "Proprietary Information of Acme Health Plan. Copyright 2026 Acme Inc. ", " "]
            + body + [" ", "Acme Health Plan provides this policy for information only and it is not medical advice; ",
                      "the member's benefit plan decides what is covered under the plan. "])


_WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa".split()


def _body(n: int) -> list[str]:
    return [f"Section {n} line about {_WORDS[k]} {_WORDS[(k * 7 + n) % 16]} with enough words to look like a wrapped paragraph "
            for k in range(16)]


def test_empty_lines_separate_pages_of_a_text_layer():
    text = _layer([_page(n, 3, _body(n)) for n in (1, 2, 3)])
    assert len(split_pages(text)) == 3
    # a hand-written text has a blank line every few lines: those are paragraph breaks
    assert len(split_pages("One.\n\nTwo lines\nhere.\n\nThree.\n")) == 1


def test_running_header_footer_and_marker_removed_from_every_page():
    pages, removed = strip_page_furniture(split_pages(_layer([_page(n, 3, _body(n)) for n in (1, 2, 3)])))
    kept = [ln for p in pages for ln in p if ln.strip()]
    assert not any("Page" in ln or "Proprietary" in ln or "Effective 03/01" in ln or "not medical advice" in ln for ln in kept)
    assert sum(1 for ln in kept if ln.startswith("Section")) == 48
    assert any(r.startswith("Proprietary Information of Acme") for r in removed)


def test_a_labelled_field_in_the_running_header_stays_on_page_one_only():
    def page(n):
        return ["Bone Density Scanning ", "Date of Last Revision: 11/2024 ", " ", f"{n} ", " "] + _body(n)
    pages, _ = strip_page_furniture(split_pages(_layer([page(n) for n in (1, 2, 3, 4, 5)])))
    firsts = [[ln.strip() for ln in p if ln.strip()][0] for p in pages]
    assert firsts[0] == "Date of Last Revision: 11/2024"
    assert all(f.startswith("Section") for f in firsts[1:])


def test_body_text_that_repeats_is_kept_when_not_at_a_page_edge():
    def page(n):
        return [f"Page {n} of 4 ", "Intro line for the page that differs " + str(n) * 3 + " "] + _body(n)[:8] + [
            "Not medically necessary for all other indications. "] + _body(n)[8:]
    pages, _ = strip_page_furniture(split_pages(_layer([page(n) for n in (1, 2, 3, 4)])))
    assert sum(1 for p in pages for ln in p if ln.startswith("Not medically necessary")) == 4


@pytest.mark.parametrize("line", ["©2025 Acme Guidelines by ACMEPage 3 of 18", "Page: 3   of 18 ", "Page 3 of    21",
                                  "Policy Title Page 2 of 16"])
def test_page_markers_glued_or_spaced(line):
    assert is_page_marker(line)


def test_paragraph_cut_by_a_page_break_is_joined_after_the_furniture_goes():
    p1 = _page(1, 2, _body(1)[:15] + ["The scan is repeated only when the first result was "])
    p2 = _page(2, 2, ["inconclusive or the treatment changed since then. "] + _body(2))
    from medpolicy.ingest.document import SourceDocument
    from medpolicy.ingest.normalize import build_document
    doc = build_document(SourceDocument("x.txt", "0" * 64, "text", text_to_blocks(_layer([p1, p2]))))
    assert any("first result was inconclusive or the treatment changed" in ln.text for ln in doc.lines)
    assert not any("Page 2 of 2" in ln.text for ln in doc.lines)


def test_a_notice_line_at_a_page_edge_goes_but_a_licence_paragraph_stays():
    licence = ("CPT codes, descriptions and other data only are copyright 2030 the Example Medical Society. All rights "
               "reserved. Fee schedules and relative value units are not part of it and no liability is assumed.")
    pages = [_body(1), _body(2) + ["© 2030 Acme Health Plan "], _body(3) + [licence]]
    kept, removed = strip_page_furniture(split_pages(_layer(pages)))
    assert "© 2030 Acme Health Plan" in removed
    assert kept[-1][-1] == licence


def test_a_list_item_c_is_no_copyright_sign():
    pages = [_body(1) + ["(c) Sensor arrays "], _body(2) + ["(c) 2030 Acme Health Plan "], _body(3)]
    kept, removed = strip_page_furniture(split_pages(_layer(pages)))
    assert "(c) Sensor arrays " in kept[0] and "(c) 2030 Acme Health Plan" in removed


def test_a_criterion_the_text_repeats_on_many_pages_is_not_a_running_header():
    crit = "(1) The member shows no progression on therapy "
    pages = [[crit] + _body(n)[:6] + [crit] + _body(n)[6:] for n in range(1, 7)]
    kept, _ = strip_page_furniture(split_pages(_layer(pages)))
    assert sum(ln == crit for p in kept for ln in p) == 12


def test_a_month_and_year_at_a_page_edge_is_no_page_counter():
    # "11/30" at the foot of page 3 of 3 is a date cell of a table, not "page 11 of 30"; "3/3" is
    pages = [_page(n, 3, _body(n) + (["11/30 ", "3/3 "] if n == 3 else [])) for n in (1, 2, 3)]
    out, _removed = strip_page_furniture(split_pages(_layer(pages)))
    kept = [ln.strip() for ln in out[2]]
    assert "11/30" in kept and "3/3" not in kept
