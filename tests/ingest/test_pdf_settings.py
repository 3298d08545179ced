"""The PDF loader's layout settings (ingest.pdf_settings): a validated model whose defaults are the
thresholds the loader has always used, and whose values really reach the loader."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

import medpolicy.ingest
from medpolicy.ingest.pdf import extract_pdf_blocks, load_pdf
from medpolicy.ingest.pdf_settings import LAYOUT, PdfLayout
from tests.pdfgen import Text, draw_pdf, grid, lines_of, wrap_text

# The thresholds as the loader used them before they were named (issue 7): a change here is a
# change of parse results, to be made on purpose with the corpus tests re-checked.
DEFAULTS = {
    # line spacing and paragraphs
    "pitch_sample_min_em": 0.8, "pitch_sample_max_em": 1.7, "pitch_sample_align_em": 2.0,
    "pitch_sample_size_pt": 0.5, "pitch_min_samples": 3, "pitch_share_fraction": 0.25, "pitch_size_match_pt": 1.0,
    "default_pitch_em": 1.2, "paragraph_gap_ratio": 1.3, "paragraph_gap_slack_pt": 1.0,
    "same_line_em": 0.5, "baseline_tolerance_em": 0.3, "baseline_overlap": 0.5, "size_change_em": 0.12,
    # indentation and list items
    "align_em": 0.6, "hanging_indent_min_em": 0.5, "hanging_indent_max_em": 4.0, "wrap_left_em": 3.0,
    "wrap_right_em": 2.5, "nested_indent_em": 0.3, "bullet_gap_max_em": 4.0, "touch_pt": 1.0,
    "glyph_slack_pt": 0.5,
    # line ends, columns and page edges
    "right_edge_min_chars": 30, "right_edge_quantile": 0.98, "full_line_em": 2.0, "column_gutter_em": 0.5,
    "column_lookback_em": 2.0, "space_width_em": 0.25, "wrap_margin_em": 1.0, "char_width_em": 0.5,
    "char_width_min_chars": 10, "angle_tolerance_rad": 0.05,
    # cells and columns
    "word_gap_em": 0.15, "cell_gap_em": 1.2, "wide_space_max_em": 2.5, "cell_label_max_chars": 40,
    "cell_line_break_em": 0.6, "cell_inset_fraction": 0.25, "cell_inset_max_x_pt": 1.5,
    "cell_inset_max_y_pt": 3.0, "sliver_pt": 15.0,
    # rulings
    "path_min_pt": 1.0, "ruling_max_thickness_pt": 2.0, "thin_path_max_segments": 5,
    "grid_path_max_segments": 400, "ruling_axis_slack_pt": 0.5, "table_min_h_ruling_pt": 10.0,
    "table_min_v_ruling_pt": 5.0, "table_slack_pt": 1.0, "page_edge_slack_pt": 1.0,
    # headings
    "heading_size_ratio": 1.15, "heading_max_lines": 2, "heading_max_chars": 120,
    "heading_colon_max_words": 5, "bold_weight": 600, "bold_sample_max_chars": 160,
}


def test_defaults_are_the_thresholds_in_use():
    assert LAYOUT.model_dump() == DEFAULTS
    assert LAYOUT == PdfLayout()


def test_every_setting_says_what_it_decides():
    for name, field in PdfLayout.model_fields.items():
        assert field.description and len(field.description) > 20, name


UNIT_SUFFIXES = ("_em", "_pt", "_ratio", "_fraction", "_quantile", "_overlap", "_rad",
                 "_chars", "_lines", "_words", "_segments", "_samples", "_weight")


def test_every_setting_names_its_unit():
    """The module docstring's convention: a reader sees the unit in the name."""
    assert [name for name in PdfLayout.model_fields if not name.endswith(UNIT_SUFFIXES)] == []


def test_frozen():
    with pytest.raises(ValidationError):
        LAYOUT.cell_gap_em = 2.0  # type: ignore[misc]


def test_unknown_setting_rejected():
    with pytest.raises(ValidationError, match="cell_gap"):
        PdfLayout(cell_gap=2.0)


@pytest.mark.parametrize("name", sorted(DEFAULTS))
@pytest.mark.parametrize("value", [0, -1])
def test_non_positive_rejected(name, value):
    with pytest.raises(ValidationError, match=name):
        PdfLayout(**{name: value})


@pytest.mark.parametrize(("settings", "message"), [
    ({"pitch_sample_min_em": 1.8}, "pitch_sample_min_em"),                  # above its max
    ({"hanging_indent_min_em": 5.0}, "hanging_indent_min_em .* hanging_indent_max_em"),
    ({"word_gap_em": 1.5}, "word_gap_em .* cell_gap_em"),                    # a space wider than a cell gap
    ({"cell_gap_em": 3.0}, "cell_gap_em .* wide_space_max_em"),
    ({"same_line_em": 0.9}, "same_line_em .* pitch_sample_min_em"),
    ({"baseline_tolerance_em": 0.6}, "baseline_tolerance_em .* same_line_em"),
    ({"default_pitch_em": 2.0}, "default_pitch_em .* pitch_sample_max_em"),
    ({"thin_path_max_segments": 500}, "thin_path_max_segments .* grid_path_max_segments"),
    ({"heading_max_chars": 200}, "heading_max_chars .* bold_sample_max_chars"),
])
def test_inconsistent_pairs_rejected(settings, message):
    with pytest.raises(ValidationError, match=message):
        PdfLayout(**settings)


@pytest.mark.parametrize(("settings", "name"), [
    ({"right_edge_quantile": 1.5}, "right_edge_quantile"),     # a quantile
    ({"baseline_overlap": 2.0}, "baseline_overlap"),           # a fraction of a height
    ({"cell_inset_fraction": 0.5}, "cell_inset_fraction"),     # would shrink a cell to nothing
    ({"paragraph_gap_ratio": 0.9}, "paragraph_gap_ratio"),     # a paragraph gap below the line pitch
    ({"heading_size_ratio": 1.0}, "heading_size_ratio"),       # body text would be headings
    ({"bold_weight": 1000}, "bold_weight"),                    # PDFium weights are 100-900
    ({"heading_max_lines": 1.5}, "heading_max_lines"),         # a count
])
def test_out_of_range_rejected(settings, name):
    with pytest.raises(ValidationError, match=name):
        PdfLayout(**settings)


def test_a_consistent_change_is_accepted():
    wide = PdfLayout(cell_gap_em=2.0, paragraph_gap_ratio=2.0)
    assert (wide.cell_gap_em, wide.paragraph_gap_ratio) == (2.0, 2.0)
    assert wide.sliver_pt == LAYOUT.sliver_pt


# --- the settings reach the loader ----------------------------------------------------------
# Each test draws a small PDF (tests/pdfgen.py) whose reading turns on one setting, reads it with
# the defaults and with that setting moved past the drawn distance, through the loader's entry
# point (extract_pdf_blocks; load_pdf for the child process).

LEFT, WIDTH = 72.0, 468.0  # one-inch margins on a letter page
TEXT = ("Tumor-infiltrating lymphocytes are harvested from a resected tumor, expanded in the laboratory "
        "with interleukin-2 and returned to the patient after lymphodepleting chemotherapy, and the plan "
        "considers the treatment investigational for every indication named in this policy because the "
        "published evidence is limited to small uncontrolled studies without comparison groups.")


def _read(path, layout: PdfLayout = LAYOUT) -> list[tuple[str, str]]:
    blocks, _pages, warnings = extract_pdf_blocks(str(path), layout)
    assert warnings == []
    return [(b.kind.value, b.display) for b in blocks]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_paragraph_gap_setting_decides_where_a_paragraph_ends(tmp_path):
    """One sentence wrapped over six full lines, with 8 pt of extra space after the third: by
    default that is paragraph spacing (two blocks); with a paragraph gap of twice the line pitch
    it is within a paragraph, and the sentence reads as one block."""
    rows = wrap_text(TEXT, WIDTH)
    assert len(rows) >= 5
    leading, extra = 12.5, 8.0
    ops = lines_of(LEFT, 100, rows[:3], leading=leading)
    ops += lines_of(LEFT, 100 + 3 * leading + extra, rows[3:], leading=leading)
    path = draw_pdf(tmp_path / "gap.pdf", [ops])

    assert _read(path) == [("paragraph", _flat(" ".join(rows[:3]))), ("paragraph", _flat(" ".join(rows[3:])))]
    loose = PdfLayout(paragraph_gap_ratio=2.0)
    assert _read(path, loose) == [("paragraph", _flat(TEXT))]
    # the same settings reach the time-limited child process
    blocks, _n, _w = load_pdf(str(path), timeout=60, memory_mb=None, layout=loose)
    assert [b.display for b in blocks] == [_flat(TEXT)]


def test_heading_size_ratio_setting_decides_what_is_a_heading(tmp_path):
    """A 13 pt title over 10 pt text is 1.3 times the body size: a heading at the default ratio,
    a paragraph when headings must be 1.4 times the body."""
    title = "Adoptive Immunotherapy for Solid Tumors"
    rows = wrap_text(TEXT, WIDTH)
    ops = [Text(LEFT, 80, title, 13)] + lines_of(LEFT, 110, rows)
    path = draw_pdf(tmp_path / "title.pdf", [ops])

    assert _read(path) == [("heading", title), ("paragraph", _flat(TEXT))]
    assert _read(path, PdfLayout(heading_size_ratio=1.4)) == [("paragraph", title), ("paragraph", _flat(TEXT))]


def test_cell_gap_setting_decides_what_is_a_table_cell(tmp_path):
    """Codes and their descriptions 2 em apart on each line: cells of a table row by default; a
    word space when cells must be 2.5 em apart."""
    pairs = [("J9999", "Not otherwise classified antineoplastic drugs"),
             ("Q2055", "Idecabtagene vicleucel, up to 460 million autologous CAR-positive T cells"),
             ("C9399", "Unclassified drugs or biologicals")]
    ops = []
    for k, (code, text) in enumerate(pairs):
        ops += [Text(LEFT, 100 + 18 * k, code), Text(LEFT + 30 + 20, 100 + 18 * k, text)]  # "J9999" is < 30 pt
    path = draw_pdf(tmp_path / "codes.pdf", [ops])

    assert _read(path) == [("row", f"{code}\t{text}") for code, text in pairs]
    read = _read(path, PdfLayout(cell_gap_em=2.5, wide_space_max_em=3.0))
    assert all(kind != "row" for kind, _ in read)
    assert _flat(" ".join(t for _, t in read)) == _flat(" ".join(f"{c} {t}" for c, t in pairs))


def test_sliver_setting_decides_what_is_a_ruled_table(tmp_path):
    """A heading bar drawn as a ruled box, one wide cell between two 10 pt padding slivers, is
    not a table by default: its text reads as a line of text. When 5 pt is wide enough for a
    column, the bar is a table of three cells (the empty slivers kept as cells)."""
    label = "Clinical Criteria"
    ops = grid(LEFT, 100, [10, 300, 10], [18]) + [Text(LEFT + 14, 104, label)]
    ops += lines_of(LEFT, 140, wrap_text(TEXT, WIDTH))
    path = draw_pdf(tmp_path / "bar.pdf", [ops])

    assert [text for _kind, text in _read(path)] == [label, _flat(TEXT)]
    assert _read(path, PdfLayout(sliver_pt=5.0)) == [("row", f"\t{label}"), ("paragraph", _flat(TEXT))]


# --- every setting is used, and only settings are thresholds ----------------------------------

PDF_MODULES = ["pdf", "pdf_layout", "pdf_lines", "pdf_page", "pdf_tables"]


def _source(module: str) -> str:
    return (Path(medpolicy.ingest.__file__).parent / f"{module}.py").read_text(encoding="utf-8")


def test_every_setting_is_read_by_the_loader():
    code = "\n".join(_source(m) for m in PDF_MODULES)
    unused = [name for name in PdfLayout.model_fields if not re.search(rf"\.{name}\b", code)]
    assert unused == []


@pytest.mark.parametrize("module", PDF_MODULES)
def test_no_bare_size_multiples_left(module):
    """A number times a font size is a layout threshold: it belongs in PdfLayout."""
    bare = re.findall(r"\b\d+(?:\.\d+)?\s*\*\s*(?:\w+\.)?size\b", _source(module))
    assert bare == []
