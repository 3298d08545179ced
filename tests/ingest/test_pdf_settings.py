"""The PDF loader's layout settings (ingest.pdf_settings): a validated model whose defaults are the
thresholds the loader has always used, and whose values really reach the loader."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from medpolicy.ingest.pdf_settings import LAYOUT, PdfLayout

# The thresholds as the loader used them before they were named (issue 7): a change here is a
# change of parse results, to be made on purpose with the corpus tests re-checked.
DEFAULTS = {
    # line spacing and paragraphs
    "pitch_sample_min_em": 0.8, "pitch_sample_max_em": 1.7, "pitch_sample_align_em": 2.0,
    "pitch_sample_size_pt": 0.5, "pitch_min_samples": 3, "pitch_size_match_pt": 1.0,
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
