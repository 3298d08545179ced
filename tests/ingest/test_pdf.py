"""The PDF loader on PDFs drawn line by line (tests/pdfgen.py), so that every expectation is
known exactly: page furniture, paragraph joining, table rows, hyphens, page breaks, failures.
The corpus tests at the end check that the loader's shortcuts agree with the slow tools."""
from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from medpolicy.errors import DocumentError
from medpolicy.ingest.pdf import extract_pdf_blocks, extract_pdf_pages, load_pdf
from medpolicy.ingest.pdf_furniture import is_page_marker
from medpolicy.ingest.pdf_layout import HYPHEN_MARK, continues_across_pages, enumerator, join_text
from medpolicy.ingest.pdf_text import clean_chars, document_vocabulary, resolve_hyphens
from tests.pdfgen import Rule, Text, draw_pdf, grid, lines_of, render_text_to_pdf, wrap_text

LEFT, WIDTH = 72.0, 468.0  # one-inch margins on a letter page

BODY_1 = ("The health plan considers adoptive immunotherapy investigational for every indication "
          "named in this policy, because the published evidence is limited to small uncontrolled studies "
          "that report response rates without comparison groups or long follow-up of the patients treated.")
BODY_2 = ("Coverage decisions are made under the member's benefit plan document, which takes precedence "
          "over this policy when the two disagree, and reviewers apply the criteria below to each request.")
BODY_3 = ("Tumor-infiltrating lymphocytes are harvested from a resected tumor, expanded in the laboratory "
          "with interleukin-2 and returned to the patient after lymphodepleting chemotherapy.")
BODIES = [BODY_1, BODY_2, BODY_3]


def para(top: float, text: str, *, x: float = LEFT, width: float = WIDTH, size: float = 10,
         leading: float = 12.5, bold: bool = False) -> tuple[list[Text], float]:
    """A wrapped paragraph and the top of the line after it."""
    rows = wrap_text(text, width, size=size, bold=bold)
    return lines_of(x, top, rows, size=size, leading=leading, bold=bold), top + len(rows) * leading


def page_with_body(top: float = 100, k: int = 0) -> list[Text]:
    """Two paragraphs; `k` chooses which, so that pages of one document differ."""
    ops, y = para(top, BODIES[k % 3])
    more, _ = para(y + 8, BODIES[(k + 1) % 3])
    return ops + more


def extract(tmp_path: Path, pages: list[list], name: str = "t.pdf") -> list[str]:
    out, warnings = extract_pdf_pages(str(draw_pdf(tmp_path / name, pages)))
    assert warnings == []
    return out


def lines(page: str) -> list[str]:
    return [ln for ln in page.split("\n") if ln.strip()]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- page furniture --------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["Page {n} of {m}", "Page: {n} of {m}", "{n} | Page", "{n}", "Page {n}"])
def test_page_numbers_and_running_header_removed(tmp_path, label):
    pages = []
    for n in range(1, 4):
        pages.append([Text(LEFT, 30, "Acme Health Medical Policy: Adoptive Immunotherapy", 8),
                      Text(LEFT, 750, "Acme Health Plan, Inc. Confidential and proprietary", 8),
                      Text(480, 750, label.format(n=n, m=3), 8)] + page_with_body(k=n))
    out = extract(tmp_path, pages)
    assert len(out) == 3
    for n, text in enumerate(out, 1):
        assert not any(is_page_marker(ln) for ln in lines(text))
        assert "Confidential" not in text  # in the band that holds the page number
        assert lines(text)[-2:] == [flat(BODIES[n % 3]), flat(BODIES[(n + 1) % 3])]
    # the title repeated at the top of every page stays where it is real metadata: page 1
    assert "Acme Health Medical Policy" in out[0]
    assert all("Acme Health Medical Policy" not in t for t in out[1:])


def test_browser_print_stamp_and_url_footer_removed(tmp_path):
    pages = []
    for n in range(1, 4):
        pages.append([Text(24, 16, "6/18/26, 9:51 AM", 8), Text(300, 16, "LCD - Skin Substitutes (L35041)", 8),
                      Text(24, 770, "https://www.cms.gov/medicare-coverage-database/view/lcd.aspx?LCDId=35041", 8),
                      Text(560, 770, f"{n}/3", 8)] + page_with_body(k=n))
    out = extract(tmp_path, pages)
    for n, text in enumerate(out, 1):
        assert "9:51" not in text and "cms.gov" not in text and "L35041" not in text
        assert lines(text) == [flat(BODIES[n % 3]), flat(BODIES[(n + 1) % 3])]


def test_metadata_repeated_in_header_kept_on_page_one(tmp_path):
    pages = [[Text(LEFT, 30, "ROBOTIC ASSISTED SURGERY", 10, bold=True), Text(LEFT, 44, "CPP-137", 10)] + page_with_body(k=k)
             for k in range(3)]
    out = extract(tmp_path, pages)
    assert lines(out[0])[:2] == ["ROBOTIC ASSISTED SURGERY", "CPP-137"]
    assert "CPP-137" not in out[1] and "CPP-137" not in out[2]


def test_footer_lines_beyond_the_page_number_go_even_on_the_only_page_printing_them(tmp_path):
    pages = []
    for n in range(1, 4):
        footer = [Text(LEFT, 737, f"Page {n} of 3", 8)]
        if n == 1:
            footer += [Text(LEFT, 751, "PRO_84678E Internal/State Approved 09022021", 8), Text(LEFT, 764, "©Centene 2021", 8)]
        pages.append(footer + page_with_body(k=n))
    # page 2 starts in the middle of a sentence: it must join page 1's text, not the footer
    pages[1] = pages[1][:1] + lines_of(LEFT, 72, ["redirects the light onto the capturing medium."]) + pages[1][1:]
    out = extract(tmp_path, pages)
    assert "Centene" not in out[0] and "PRO_84678E" not in out[0]
    assert lines(out[1])[0] == "redirects the light onto the capturing medium."


def test_page_label_cell_of_a_header_grid_goes_and_the_grid_stays(tmp_path):
    pages = []
    for n in range(1, 4):
        grid_line = [Text(LEFT, 40, "Subject:", 9), Text(LEFT + 80, 40, "Ibrance", 9), Text(400, 40, "Page:", 9),
                     Text(470, 40, f"{n} of 3", 9)]
        pages.append(grid_line + page_with_body(k=n))
    out = extract(tmp_path, pages)
    assert lines(out[0])[0] == "Subject:\tIbrance"
    assert all("Ibrance" not in t and "Page" not in t for t in out[1:])


def test_numbers_in_a_table_at_the_page_bottom_are_not_page_numbers(tmp_path):
    rows = [["NCT01691625", "Concurrent chemoradiation trial", "50", "Dec 2021"]]
    ops = page_with_body() + grid(LEFT, 700, [110, 200, 60, 98], [20]) + [
        Text(LEFT + 4 + x, 705, cell, 9) for x, cell in zip([0, 110, 310, 370], rows[0])]
    out = extract(tmp_path, [ops, page_with_body(k=1)])
    assert "NCT01691625\tConcurrent chemoradiation trial\t50\tDec 2021" in lines(out[0])


# --- paragraphs, items, headings ----------------------------------------------------------------

def test_wrapped_paragraphs_become_one_line_each(tmp_path):
    out = extract(tmp_path, [page_with_body()])
    assert lines(out[0]) == [flat(BODY_1), flat(BODY_2)]
    assert "\n\n" in out[0]  # blank line between blocks


def test_heading_and_short_lines_are_not_joined_to_the_next_line(tmp_path):
    ops = [Text(LEFT, 80, "Coverage Rationale", 12, bold=True)]
    body, y = para(96, BODY_1)
    ops += body + [Text(LEFT, y, "Note:", 10)]
    tail, _ = para(y + 12.5, BODY_2)
    out = extract(tmp_path, [ops + tail])
    assert lines(out[0]) == ["Coverage Rationale", flat(BODY_1), "Note:", flat(BODY_2)]


def test_list_items_with_hanging_indent(tmp_path):
    items = ["accessory pathway ablation in individuals with atrioventricular reentrant tachycardia, "
             "preexcited atrial fibrillation, or high-risk findings on an electrophysiological study",
             "cavotricuspid isthmus dependent atrial flutter",
             "junctional tachycardia when medical therapy is not effective or contraindicated by the "
             "member's other conditions or by the treating physician's judgment"]
    ops, y = para(80, "Ablation is considered medically necessary for ANY of the following:")
    for bullet, item in zip(["•", "o", "-"], items):
        rows = wrap_text(item, WIDTH - 36)
        ops.append(Text(LEFT + 18, y, bullet))
        ops += lines_of(LEFT + 36, y, rows)
        y += 12.5 * len(rows)
    after, _ = para(y, "Other indications are not covered.")
    out = extract(tmp_path, [ops + after])
    got = lines(out[0])
    assert got[1:4] == [f"{b} {flat(i)}" for b, i in zip(["•", "o", "-"], items)]
    assert got[4] == "Other indications are not covered."


def test_bullets_drawn_before_their_texts_are_put_back(tmp_path):
    items = ["Physicians and other qualified health care professionals who provide face-to-face services "
             "who report evaluation and management services", "This policy does not apply to claims billed "
             "in the emergency room setting with codes 99281-99285 for any member of the plan."]
    ops, texts, y = [], [], 80.0
    for item in items:
        rows = wrap_text(item, WIDTH - 36)
        ops.append(Text(LEFT + 18, y, "•"))  # the stream draws every bullet first
        texts += lines_of(LEFT + 36, y, rows)
        y += 12.5 * len(rows) + 4
    got = lines(extract(tmp_path, [ops + texts])[0])
    assert got == [f"• {flat(i)}" for i in items]


@pytest.mark.parametrize("marks", [["1.", "2.", "3."], ["A.", "B.", "C."], ["I.", "II.", "III."], ["a)", "b)", "c)"]])
def test_enumerated_items(tmp_path, marks):
    texts = ["Individual is using the therapy as a one-time treatment;",
             "Multidisciplinary team has evaluated the individual and recommends treatment (see policy "
             "guidelines for the documentation required from the team);",
             "Individual has adequate organ function."]
    ops, y = [], 80.0
    for mark, text in zip(marks, texts):
        rows = wrap_text(text, WIDTH - 24)
        ops.append(Text(LEFT, y, mark))
        ops += lines_of(LEFT + 24, y, rows)
        y += 12.5 * len(rows)
    got = lines(extract(tmp_path, [ops])[0])
    assert got == [f"{m} {flat(t)}" for m, t in zip(marks, texts)]


def test_item_wrapped_without_hanging_indent(tmp_path):
    item = ("A) Initial Therapy. Approve for 1 year if the patient meets the following criteria, all of which "
            "are listed below (i, ii, and iii):")
    rows = wrap_text(item, WIDTH)
    ops = lines_of(LEFT, 80, rows) + lines_of(LEFT + 18, 80 + 12.5 * len(rows), ["i. Patient is 1 year of age or older; AND"])
    assert lines(extract(tmp_path, [ops])[0]) == [item, "i. Patient is 1 year of age or older; AND"]


def test_indented_number_in_a_reference_continues_it(tmp_path):
    entry = ("Everson RG, Hugo W, Sun L, et al. TLR agonists polarize interferon responses in conjunction "
             "with dendritic cell vaccination in malignant glioma: a randomized phase II trial. Nat Commun. "
             "May 08 2024; 15(1): 3882. PMID 38719809")
    # a width at which the wrap puts "3882." at the start of a line, as in the Premera list
    width = next(w for w in range(300, 460) if any(r.startswith("3882.") for r in wrap_text(entry, w)))
    rows = wrap_text(entry, width)
    ops = [Text(LEFT, 80, "32.")] + lines_of(LEFT + 18, 80, rows)
    y = 80 + 12.5 * len(rows)
    ops += [Text(LEFT, y, "33."), Text(LEFT + 18, y, "Bedrosian I, Mick R, Xu S, et al. Intranodal administration.")]
    got = lines(extract(tmp_path, [ops])[0])
    assert got == ["32. " + entry, "33. Bedrosian I, Mick R, Xu S, et al. Intranodal administration."]


def test_number_wrapped_to_the_start_of_a_line_is_not_an_item(tmp_path):
    ops = lines_of(LEFT, 80, ["Some currently ongoing and unpublished trials that might influence this review are listed in Table",
                              "1."])
    assert lines(extract(tmp_path, [ops])[0]) == [
        "Some currently ongoing and unpublished trials that might influence this review are listed in Table 1."]


def test_raised_superscript_does_not_split_the_line(tmp_path):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from tests.pdfgen import _font_names

    font = _font_names()[0]
    head = "Results showed a significant effect on balance (SMD, .38; I"
    x_sup = LEFT + stringWidth(head, font, 10)
    ops = [Text(LEFT, 80, head), Text(x_sup, 77, "2", 6), Text(x_sup + stringWidth("2", font, 6), 80, ", 51%) and mobility.")]
    got = lines(extract(tmp_path, [ops])[0])
    assert got == ["Results showed a significant effect on balance (SMD, .38; I2, 51%) and mobility."]


def test_dot_leaders_become_a_tab(tmp_path):
    ops = [Text(LEFT, 80, "Effective Date ....................4/15/2026"),
           Text(LEFT, 92.5, "Coverage Policy Number ............. 0529")]
    assert lines(extract(tmp_path, [ops])[0]) == ["Effective Date\t4/15/2026", "Coverage Policy Number\t0529"]


def test_page_shown_rotated_reads_in_its_own_order(tmp_path):
    from reportlab.pdfgen import canvas

    out = tmp_path / "rot.pdf"
    c = canvas.Canvas(str(out))
    c.setPageRotation(90)
    c.setFont("Helvetica", 10)
    c.drawString(72, 700, "This page is shown rotated but its text is drawn upright,")
    c.drawString(72, 687.5, "and the second line continues the first.")
    c.showPage()
    c.save()
    pages, _ = extract_pdf_pages(str(out))
    assert pages == ["This page is shown rotated but its text is drawn upright, and the second line continues the first."]


def test_diagonal_watermark_is_dropped(tmp_path):
    ops = page_with_body() + [Text(150, 500, "HISTORY VERSION", 60, angle=35)]
    out = extract(tmp_path, [ops])
    assert "HISTORY" not in out[0] and lines(out[0]) == [flat(BODY_1), flat(BODY_2)]


# --- tables ----------------------------------------------------------------------------------

def test_ruled_table_rows_are_tab_separated_with_wrapped_cells_joined(tmp_path):
    ops = [Text(LEFT, 60, "Coding", 12, bold=True)] + grid(LEFT, 80, [80, 388], [18, 18, 30])
    ops += [Text(LEFT + 4, 84, "Code", bold=True), Text(LEFT + 84, 84, "Description", bold=True),
            Text(LEFT + 4, 102, "36511"), Text(LEFT + 84, 102, "Therapeutic apheresis; for white blood cells"),
            Text(LEFT + 4, 120, "S2107"), Text(LEFT + 84, 120, "Adoptive immunotherapy i.e., development of specific"),
            Text(LEFT + 84, 132, "antitumor reactivity, per course of treatment")]
    tail, _ = para(160, BODY_2)
    got = lines(extract(tmp_path, [ops + tail])[0])
    assert got == ["Coding", "Code\tDescription", "36511\tTherapeutic apheresis; for white blood cells",
                   "S2107\tAdoptive immunotherapy i.e., development of specific antitumor reactivity, per course of treatment",
                   flat(BODY_2)]


def test_unruled_columns_become_cells_and_continuations_join_their_cell(tmp_path):
    ops = [Text(LEFT, 80, "CPT Code", bold=True), Text(LEFT + 80, 80, "Description", bold=True),
           Text(LEFT, 96, "0858T"), Text(LEFT + 80, 96, "Externally applied transcranial magnetic stimulation with"),
           Text(LEFT + 80, 108, "concomitant measurement of evoked cortical potentials"),
           Text(LEFT, 124, "90867"), Text(LEFT + 80, 124, "Therapeutic repetitive transcranial magnetic stimulation")]
    got = lines(extract(tmp_path, [ops])[0])
    assert got == ["CPT Code\tDescription",
                   "0858T\tExternally applied transcranial magnetic stimulation with concomitant measurement of evoked cortical potentials",
                   "90867\tTherapeutic repetitive transcranial magnetic stimulation"]


def test_table_continued_on_next_page_drops_repeated_header_and_joins_split_row(tmp_path):
    header = [Text(LEFT + 4, 0, "Date", bold=True), Text(LEFT + 84, 0, "Comments", bold=True)]

    def at(ops, top):
        return [Text(t.x, t.top + top, t.text, t.size, t.bold) for t in ops]

    p1 = grid(LEFT, 600, [80, 388], [18, 18, 30]) + at(header, 604) + [
        Text(LEFT + 4, 622, "01/97"), Text(LEFT + 84, 622, "Add to Therapy Section - New Policy"),
        Text(LEFT + 4, 640, "12/01/20"), Text(LEFT + 84, 640, "Policy section revised to state that the techniques are"),
        Text(LEFT + 84, 652, "considered investigational for the indications")]
    p2 = grid(LEFT, 60, [80, 388], [18, 18, 18]) + at(header, 64) + [
        Text(LEFT + 84, 82, "included, but not limited to, those listed."),
        Text(LEFT + 4, 100, "12/01/21"), Text(LEFT + 84, 100, "Annual Review. No changes.")]
    out = extract(tmp_path, [page_with_body() + p1, p2])
    assert lines(out[0])[-3:] == [
        "Date\tComments", "01/97\tAdd to Therapy Section - New Policy",
        "12/01/20\tPolicy section revised to state that the techniques are considered investigational for the "
        "indications included, but not limited to, those listed."]
    assert lines(out[1]) == ["12/01/21\tAnnual Review. No changes."]


# --- hyphens ---------------------------------------------------------------------------------

def test_line_end_hyphens_resolved_against_the_document(tmp_path):
    ops = lines_of(LEFT, 80, [
        "The treatment was studied in well-",
        "conducted trials; the treat-",
        "ment arm showed an investi-",
        "gational benefit. Pages 1168-",
        "1176 report non-",
        "Hispanic patients in a dose-",
        "finding study. The use is investigational."])
    got = lines(extract(tmp_path, [ops])[0])
    assert got == ["The treatment was studied in well-conducted trials; the treatment arm showed an investigational "
                   "benefit. Pages 1168-1176 report non-Hispanic patients in a dose-finding study. The use is "
                   "investigational."]


@pytest.mark.parametrize(("text", "vocab", "expected"), [
    (f"treat{HYPHEN_MARK}ment", "treatment is given", "treatment"),
    (f"well{HYPHEN_MARK}conducted", "a well conducted trial", "well-conducted"),
    (f"well{HYPHEN_MARK}conducted", "wellconducted", "wellconducted"),
    (f"MRI{HYPHEN_MARK}guided", "MRI guided", "MRI-guided"),
    (f"non{HYPHEN_MARK}invasive", "noninvasive methods", "noninvasive"),
    (f"Sep{HYPHEN_MARK}Oct", "", "Sep-Oct"),
    (f"manage{HYPHEN_MARK}ment", "", "management"),
    (f"investi{HYPHEN_MARK}gational", "", "investi-gational"),  # no evidence: the author's hyphen is likelier
    (f"investi{HYPHEN_MARK}gational", "investigational use", "investigational"),
    (f"th{HYPHEN_MARK}erapy", "", "therapy"),
    (f"follow{HYPHEN_MARK}up", "follow-up visits", "follow-up"),
])
def test_resolve_hyphens(text, vocab, expected):
    words, compounds = document_vocabulary(vocab)
    assert resolve_hyphens(text, words, compounds) == expected


@pytest.mark.parametrize(("left", "right", "expected"), [
    ("well-", "conducted", f"well{HYPHEN_MARK}conducted"),
    ("pages 1168-", "1176.", "pages 1168-1176."),
    ("see https://example.org/a/", "b.html", "see https://example.org/a/b.html"),
    ("the", "end", "the end"),
])
def test_join_text(left, right, expected):
    assert join_text(left, right) == expected


# --- page breaks -----------------------------------------------------------------------------

def test_paragraph_split_by_page_break_is_joined_on_its_first_page(tmp_path):
    first, y = para(640, BODY_1)
    p1 = first + lines_of(LEFT, y + 8, ["Based on data from 2015 through 2021, kidney cancer is more common in men than"])
    p2 = lines_of(LEFT, 72, ["women and occurs more often in some groups than in others."]) + para(100, BODY_2)[0]
    out = extract(tmp_path, [p1, p2])
    assert lines(out[0])[-1] == ("Based on data from 2015 through 2021, kidney cancer is more common in men than "
                                 "women and occurs more often in some groups than in others.")
    assert lines(out[1]) == [flat(BODY_2)]


def test_reference_continued_at_its_hanging_indent_on_next_page(tmp_path):
    entry = ("Du H, Yang J, Zhang Y. Cytokine-induced killer cell/dendritic cell combined with cytokine-induced "
             "killer cell immunotherapy for treating advanced gastrointestinal cancer. BMC Cancer. Apr 28 2020; "
             "20(1): 357. PMID 32345239")
    rows = wrap_text(entry, WIDTH - 18)
    assert len(rows) == 3
    p1 = page_with_body() + [Text(LEFT, 700, "21.")] + lines_of(LEFT + 18, 700, rows[:2])
    p2 = lines_of(LEFT + 18, 72, rows[2:]) + [
        Text(LEFT, 84.5, "22."), Text(LEFT + 18, 84.5, "Li CMY, Tomita Y. Use of cytokine-induced killer cell therapy.")]
    out = extract(tmp_path, [p1, p2])
    assert lines(out[0])[-1] == "21. " + entry
    assert lines(out[1]) == ["22. Li CMY, Tomita Y. Use of cytokine-induced killer cell therapy."]


def test_finished_paragraph_is_not_joined_across_pages(tmp_path):
    out = extract(tmp_path, [page_with_body(600), lines_of(LEFT, 72, ["Description"], bold=True) + para(90, BODY_1)[0]])
    assert lines(out[1])[0] == "Description"


@pytest.mark.parametrize(("prev", "nxt", "expected"), [
    ("occurs more often in non-", "Hispanic Black individuals", True),
    ("the evidence includes", "two small studies.", True),
    ("Nat Commun. May 08 2024; 15(1):", "3882. PMID 38719809", True),
    ("kidney cancer is more common in men than", "women in most groups.", True),
    ("No change in policy statement.", "Description", False),
    ("criteria are met:", "1. Age 18 or older", False),
    ("Traumatic brain injury", "• Stroke", False),
])
def test_continues_across_pages(prev, nxt, expected):
    assert continues_across_pages(prev, nxt) is expected


# --- small rules -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Page 2 of 10", True), ("Page: 2 of 10", True), ("2 | Page", True), ("7", True), ("- 7 -", True),
    ("Title of the policy\tPage 3 of 19", True), ("https://www.cms.gov/x\t1/36", True),
    ("6/18/26, 9:51 AM\tLCD - Title", True), ("NCT01691625\tTrial\t50\tDec 2021", False),
    ("Policy Number: 7.02.11", False), ("Effective 07/01/2025", False),
])
def test_is_page_marker(text, expected):
    assert is_page_marker(text) is expected


@pytest.mark.parametrize(("text", "is_item"), [
    ("1. Age", True), ("23.Sacks NC, Everson K", True), ("A. Place of Service", True), ("iv) Other", True),
    ("• Stroke", True), ("o Stroke", True), ("e.g., the", False), ("U.S. Food and Drug", False),
    ("3882. PMID 387", False), ("2024; 12(3): 4", False),
])
def test_enumerator(text, is_item):
    assert bool(enumerator(text)) is is_item


def test_clean_chars_maps_symbol_font_bullets_and_ligatures():
    assert clean_chars("\uf0b7 e\ufb00ective and \ufb01nal\u00a0text\uf0dc") == "• effective and final text"


# --- failures ----------------------------------------------------------------------------------

def _simple_pdf(tmp_path: Path) -> Path:
    return draw_pdf(tmp_path / "simple.pdf", [page_with_body()])


def test_encrypted_pdf(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    src = _simple_pdf(tmp_path)
    out = tmp_path / "locked.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    with pytest.raises(DocumentError, match=r"encrypted PDF \(password required\)"):
        extract_pdf_pages(str(out))


def test_owner_password_only_pdf_is_read(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    out = tmp_path / "owner.pdf"
    with pikepdf.open(_simple_pdf(tmp_path)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="", owner="owner"))
    pages, _ = extract_pdf_pages(str(out))
    assert flat(BODY_1) in flat(pages[0])


def test_image_only_pdf_is_a_scan(tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    img = Image.new("L", (200, 260), 255)
    for x in range(20, 180):
        for y in range(30, 40):
            img.putpixel((x, y), 0)
    out = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(out))
    c.drawImage(ImageReader(img), 0, 0, 612, 792)
    c.showPage()
    c.save()
    with pytest.raises(DocumentError, match=r"no text layer \(scanned PDF\?\)"):
        extract_pdf_pages(str(out))


def test_blank_pdf(tmp_path):
    out = draw_pdf(tmp_path / "blank.pdf", [[Rule(72, 72, 300, 72)]])
    with pytest.raises(DocumentError, match="no text layer"):
        extract_pdf_pages(str(out))


@pytest.mark.parametrize("keep", [0.2, 0.6, 0.95])
def test_truncated_pdf(tmp_path, keep):
    data = _simple_pdf(tmp_path).read_bytes()
    out = tmp_path / "cut.pdf"
    out.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(DocumentError, match=r"damaged PDF: truncated"):
        extract_pdf_pages(str(out))


def test_garbage_after_pdf_header(tmp_path):
    out = tmp_path / "junk.pdf"
    out.write_bytes(b"%PDF-1.7\n" + zlib.compress(b"not a pdf" * 50) + b"\n%%EOF\n")
    with pytest.raises(DocumentError, match=r"damaged PDF: "):
        extract_pdf_pages(str(out))


def test_zero_pages(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    out = tmp_path / "empty.pdf"
    pikepdf.new().save(out)
    with pytest.raises(DocumentError, match=r"no pages"):
        extract_pdf_pages(str(out))


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        extract_pdf_pages(str(tmp_path / "nope.pdf"))


def test_load_pdf_runs_in_a_child_and_returns_the_same(tmp_path):
    src = str(_simple_pdf(tmp_path))
    assert load_pdf(src, timeout=60, memory_mb=None) == extract_pdf_blocks(src)


def test_load_pdf_reports_errors_from_the_child(tmp_path):
    out = tmp_path / "cut.pdf"
    out.write_bytes(_simple_pdf(tmp_path).read_bytes()[:300])
    with pytest.raises(DocumentError, match="damaged PDF"):
        load_pdf(str(out), timeout=60, memory_mb=None)


# --- seed-like rendering round trip -------------------------------------------------------------

def test_rendered_policy_reads_back_as_seed_like_text(tmp_path):
    text = "\n\n".join([
        "Adoptive Immunotherapy", "Policy Coverage Criteria", BODY_1,
        "Code\tDescription", "36511\tTherapeutic apheresis; for white blood cells",
        "- First criterion of the policy", "- Second criterion of the policy", BODY_2, BODY_3, BODY_1, BODY_2,
        BODY_3, BODY_1, BODY_2, BODY_3, BODY_1, BODY_2, BODY_3, BODY_1, BODY_2, BODY_3, BODY_1, BODY_2, BODY_3])
    out = render_text_to_pdf(text, tmp_path / "r.pdf", title_header="Acme Health: Adoptive Immunotherapy")
    pages, _ = extract_pdf_pages(str(out))
    assert len(pages) == 2
    got = lines("\n".join(pages))
    # the running title is kept once, first on page 1, where it is the document's title
    assert got[:9] == ["Acme Health: Adoptive Immunotherapy", "Adoptive Immunotherapy", "Policy Coverage Criteria",
                       flat(BODY_1), "Code\tDescription", "36511\tTherapeutic apheresis; for white blood cells",
                       "• First criterion of the policy", "• Second criterion of the policy", flat(BODY_2)]
    assert got.count("Acme Health: Adoptive Immunotherapy") == 1
    assert not any("Page" in ln for ln in got)
    assert len(got) == 25


# --- against the slow tools, on the real corpus --------------------------------------------------

CORPUS_TABLE_PAGES = [
    ("cigna_mm_0529_cardiac_ablation.pdf", [2, 3, 20]),
    ("cms-novitas_L35041_lcd_bioengineered_skin_substitutes.pdf", [0, 30]),
    ("centene_cp.vp.28_fluorescein_angiography.pdf", [5, 6]),
    ("highmark_rp-031_fractures_dislocations_multiversion.pdf", [0, 3]),
    ("wellcareky_cpp-108_imrt.pdf", [1, 2]),
    ("uhc_2026T0536W_tms_physical_health_medical_policy.pdf", [0, 18]),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "pages"), CORPUS_TABLE_PAGES)
def test_table_finder_matches_pdfplumber(pdf_dir, name, pages):
    """Rulings read by PDFium give pdfplumber's own tables (same cells, same rows)."""
    import pdfplumber
    import pypdfium2 as pdfium

    from medpolicy.ingest.pdf_tables import find_tables, page_edges

    doc = pdfium.PdfDocument(pdf_dir / name)
    with pdfplumber.open(pdf_dir / name) as plumb:
        for i in pages:
            page = doc[i]
            left, bottom, right, top = page.get_bbox()
            ours = find_tables(page_edges(page.raw, top, left)[0], right - left, top - bottom)
            theirs = plumb.pages[i].find_tables()
            assert len(ours) == len(theirs), (name, i)
            for a, b in zip(ours, theirs):
                assert a.bbox == pytest.approx(b.bbox, abs=2.0)
                assert [len(r) for r in a.rows] == [len(r.cells) for r in b.rows]
    doc.close()


@pytest.fixture(scope="module")
def corpus_pages(pdf_dir):
    return {p.name: extract_pdf_pages(str(p)) for p in sorted(pdf_dir.glob("*.pdf"))}


@pytest.mark.corpus
def test_every_corpus_pdf_loads_with_one_text_per_page(pdf_dir, corpus_pages):
    import pypdfium2 as pdfium

    assert len(corpus_pages) == 30
    for name, (pages, warnings) in corpus_pages.items():
        doc = pdfium.PdfDocument(pdf_dir / name)
        assert len(pages) == len(doc), name
        doc.close()
        text = "\n".join(pages)
        assert HYPHEN_MARK not in text and "\x02" not in text
        for ln in lines(text):
            assert not re.search(r"\bPage:? \d+ of \d+\b", ln), (name, ln)
            assert not re.match(r"^\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2} [AP]M", ln), (name, ln)
            assert "\t\t\t" not in ln.strip("\t") or "\t" in ln  # no runaway empty cells


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "page", "line"), [
    # each line read off the rendered page
    ("uhc_2026T0536W_tms_physical_health_medical_policy.pdf", 2,
     "0858T\tExternally applied transcranial magnetic stimulation with concomitant measurement of evoked "
     "cortical potentials with automated report"),
    ("uhc_2026T0536W_tms_physical_health_medical_policy.pdf", 1, "o Traumatic brain injury"),
    ("cigna_mm_0529_cardiac_ablation.pdf", 1, "Effective Date\t4/15/2026"),
    ("cigna_mm_0529_cardiac_ablation.pdf", 21, "Annual Review\t• No clinical policy statement changes.\t4/15/2026"),
    ("cms-novitas_L35041_lcd_bioengineered_skin_substitutes.pdf", 1,
     "Novitas Solutions, Inc.\tA and B MAC\t04111 - MAC A\tJ - H\tColorado"),
    ("highmark_rp-031_fractures_dislocations_multiversion.pdf", 4, "3 / 2018\tImplementation"),
    ("centene-envolverx_erx.spa.241_blinatumomab.pdf", 1, "I. Initial Approval Criteria"),
])
def test_corpus_lines(corpus_pages, name, page, line):
    pages, _ = corpus_pages[name]
    assert line in lines(pages[page - 1])


# --- paragraph spacing -----------------------------------------------------------------------

def test_short_entries_with_space_after_do_not_teach_their_spacing_as_the_line_pitch(tmp_path):
    """A document of one-line entries and labels, each with space after it, and only a few
    wrapped paragraphs: the paragraphs' own line pitch (12.5) is rarer than the entries' spacing
    (15), but a label 18.5 below a paragraph that ends a sentence at the margin is still a block
    of its own, and so is the paragraph under it."""
    ops: list = []
    y = 80.0
    for k in range(9):  # a numbered outline, 15 pt apart
        ops.append(Text(LEFT, y, f"{'IVX'[k % 3]}{k}. Outline entry number {k}"))
        y += 15
    y += 3.5
    bodies = []
    for label, body in (("SUMMARY:", BODY_2), ("SCOPE:", BODY_3), ("FUNDING:", BODY_1)):
        ops.append(Text(LEFT, y, label))
        # three full lines, the last ending a sentence at the right margin
        rows = wrap_text(body, WIDTH)[:3]
        rows[-1] += "."
        bodies.append(" ".join(rows))
        ops += lines_of(LEFT, y + 18.5, rows)
        y += 18.5 + 2 * 12.5 + 18.5  # the next label sits 18.5 below the paragraph's last line
    text = extract(tmp_path, [ops])[0]
    blocks = [flat(b) for b in text.split("\n\n") if b.strip()]
    for label in ("SUMMARY:", "SCOPE:", "FUNDING:"):
        assert label in blocks, blocks
    for body in bodies:
        assert flat(body) in blocks, blocks
