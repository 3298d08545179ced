"""The PDF loader's layout thresholds, named and validated in one place.

Every tolerance the PDF stages (pdf_lines, pdf_layout, pdf_page, pdf_tables, pdf) use to decide
what is a line, a paragraph, a list item, a cell, a ruling or a heading is a field of `PdfLayout`.
Each name ends in its unit:
  `_em`       multiples of the font size of the line(s) being compared, so one setting serves
              8 pt footnotes and 14 pt titles alike (most lengths);
  `_pt`       absolute PDF points, only where a value is about the drawing rather than the type
              (glyph-box jitter, ruling thickness, a cell too narrow to be a column);
  `_ratio`, `_fraction`, `_quantile`, `_overlap`   plain ratios, each saying of what;
  `_rad`      radians;
  `_chars`, `_lines`, `_words`, `_segments`, `_samples`, `_weight`   counts, and PDFium's font
              weight scale (100-900).

The loader reads the module-level default `LAYOUT`; its entry points (`extract_pdf_blocks`,
`read_page`, ...) take another `PdfLayout` to try a different tuning, as pdfplumber's table finder
takes its `TableSettings`. The model is frozen so one instance can be shared by every page.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

Em = Annotated[float, Field(gt=0)]
Points = Annotated[float, Field(gt=0)]
Count = Annotated[int, Field(gt=0)]
Fraction = Annotated[float, Field(gt=0, le=1)]


class PdfLayout(BaseModel):
    """Layout thresholds of the PDF loader (see the module docstring for units)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True, use_attribute_docstrings=True)

    # --- line spacing and paragraphs ---------------------------------------------------------
    pitch_sample_min_em: Em = 0.8
    """Measuring the document's line pitch: the distance from one line's top to the next line's
    top is counted as line spacing only from this ..."""
    pitch_sample_max_em: Em = 1.7
    """... up to this. Beyond it the gap is paragraph spacing (two one-line headings in a row
    would otherwise teach us their spacing as the line pitch)."""
    pitch_sample_align_em: Em = 2.0
    """Measuring the line pitch: two lines count only when their starts are this close (lines of
    one column, not a sidebar beside it)."""
    pitch_sample_size_pt: Points = 0.5
    """Measuring the line pitch: two lines count only when their font sizes differ by less than
    this (points: sizes are compared directly)."""
    pitch_min_samples: Count = 3
    """A font size's line pitch is learnt from at least this many pairs of lines; with fewer the
    default pitch applies."""
    pitch_share_fraction: Fraction = 0.25
    """A font size's line pitch is the tightest spacing seen in at least this share of the most
    frequent one (and in `pitch_min_samples` pairs): the lines of a paragraph sit closer than
    list items or one-line paragraphs with space after them, which can outnumber them in a
    document of short entries."""
    pitch_size_match_pt: Points = 1.0
    """A font size with no pitch of its own borrows the pitch learnt for a size within this many
    points (a few 9 pt lines use the 10 pt body text's pitch)."""
    default_pitch_em: Em = 1.2
    """Line pitch assumed for a font size the document shows too few lines of (the usual
    single spacing of word processors)."""
    paragraph_gap_ratio: Annotated[float, Field(gt=1)] = 1.3
    """A line further below the previous one than this many times the document's line pitch (for
    that font size) starts a new block: the author left paragraph spacing."""
    paragraph_gap_slack_pt: Points = 1.0
    """Added to the paragraph gap above: the measured pitch is rounded to half points, and
    generators place lines with a fraction of a point of jitter."""
    same_line_em: Em = 0.5
    """A line whose top is less than this below the previous line's is not the next line of a
    paragraph (it overlaps it: a superscript, a second column on the same baseline)."""
    baseline_tolerance_em: Em = 0.3
    """Two lines whose tops differ by less than this sit on one baseline (a table cell the stream
    gave after its row); a line further down than this may continue a cell of the row above."""
    baseline_overlap: Fraction = 0.5
    """Two pieces of text share a baseline when their vertical extents overlap by at least this
    fraction of the shorter one's height."""
    size_change_em: Fraction = 0.12
    """Font sizes differing by more than this fraction of the larger are a change of size: a
    heading over its paragraph, a footnote under it."""

    # --- indentation and list items ----------------------------------------------------------
    align_em: Em = 0.6
    """Two lines start at the same indent when their left edges are this close: continuation
    lines of a paragraph, a cell's wrapped line under the cell, a number wrapped onto a line."""
    hanging_indent_min_em: Em = 0.5
    """A list item's wrapped line at its hanging indent starts at least this far right of the
    bullet or number ..."""
    hanging_indent_max_em: Em = 4.0
    """... and at most this far (further right is text of another column or a nested table)."""
    wrap_left_em: Em = 3.0
    """The second line of a paragraph may start up to this far left of the first (a paragraph
    with an indented first line) ..."""
    wrap_right_em: Em = 2.5
    """... or up to this far right of it (a first line that hangs out); further out on either
    side it is another block."""
    nested_indent_em: Em = 0.3
    """A numbered line indented more than this past a numbered item's start is a wrapped line of
    that item ("112. PMID 387..." under reference 15), not an item of its own."""
    bullet_gap_max_em: Em = 4.0
    """A lone bullet or number drawn apart from its text (generators that draw a list's bullets
    first) is joined to text starting at most this far right of it on its baseline."""
    touch_pt: Points = 1.0
    """Text starting up to this far left of another piece's right end still follows it on the
    line: glyph boxes of adjacent pieces overlap by a fraction of a point."""
    glyph_slack_pt: Points = 0.5
    """Character boxes PDFium reports agree to within this: characters whose bottoms are this
    close sit on the line's baseline (a raised superscript does not, and is not measured for the
    line's size), and a character this close to a cell gap's edge is on that side of it."""

    # --- line ends, columns and page edges ---------------------------------------------------
    right_edge_min_chars: Count = 30
    """The page's right margin is found from lines of running text of more than this many
    characters (shorter lines end anywhere)."""
    right_edge_quantile: Fraction = 0.98
    """The right margin is this quantile of those lines' ends: ragged-right text reaches the
    margin only on some lines, and one overlong URL in the top 2% must not move it."""
    full_line_em: Em = 2.0
    """A line ending within this of the right margin (or of the column beside it) ran full
    width: the text wrapped there, the author did not break the line."""
    column_gutter_em: Em = 0.5
    """Text on the same baseline to the right (a second column, a sidebar) ends a line's room
    this far before that text starts."""
    column_lookback_em: Em = 2.0
    """Looking back for such text beside a line stops at lines ending this far above its top."""
    space_width_em: Em = 0.25
    """Estimated width of a word space, to tell whether the next line's first word would have
    fitted at the end of the previous line (then the author broke the line on purpose)."""
    wrap_margin_em: Em = 1.0
    """The first word must have fitted with this much room to spare: word processors wrap a word
    that would touch the margin, and the word's width is only estimated."""
    char_width_em: Em = 0.5
    """Character width assumed for estimating a word's width when the line's own mean character
    width says nothing (a short line, or a line spanning two baselines) ..."""
    char_width_min_chars: Count = 10
    """... that is, when the line has fewer characters than this."""
    angle_tolerance_rad: Annotated[float, Field(gt=0, lt=0.5)] = 0.05
    """Text directions differing by less than this (radians) are the same direction: upright text
    versus a diagonal watermark or text running up a margin."""

    # --- cells and columns -------------------------------------------------------------------
    word_gap_em: Em = 0.15
    """A gap between two pieces of one line wider than this is a word space; narrower, the pieces
    are one word (a superscript reference number after its word)."""
    cell_gap_em: Em = 1.2
    """A gap between two pieces of one line wider than this separates table cells or columns (a
    word space is ~0.25 em; justified text rarely stretches one past 1 em)."""
    wide_space_max_em: Em = 2.5
    """A cell gap narrower than this may still be a stretched space of justified prose, when the
    line runs on from a full-width line at the same indent ("Limitation of Use:  Dupixent ...");
    a wider gap is always a cell boundary."""
    cell_label_max_chars: Count = 40
    """A table cell of at least this many characters that does not end its sentence is unfinished:
    a row below it with an empty first cell carries it on (a cell's lines drawn as separate rows,
    or split by a page break); a shorter cell is a label, such as a header cell."""
    cell_line_break_em: Em = 0.6
    """Reading a cell character by character: a character this many of its own heights below the
    previous one starts a new line in the cell."""
    cell_inset_fraction: Annotated[float, Field(gt=0, lt=0.5)] = 0.25
    """A ruled cell's rectangle is shrunk by this fraction of its size on each side before its
    text is read (PDFium takes any glyph touching it: the descender of a "g" in the cell above)
    ..."""
    cell_inset_max_x_pt: Points = 1.5
    """... but by at most this horizontally ..."""
    cell_inset_max_y_pt: Points = 3.0
    """... and at most this vertically, so a character of the cell itself always overlaps what is
    left."""
    sliver_pt: Points = 15.0
    """An empty cell narrower than this (points) is a sliver between two rulings that do not line
    up from row to row (Word tables), not a column; a table needs two cells at least this wide
    in one row (coloured boxes and heading bars are a wide cell between two slivers)."""

    # --- rulings (tables drawn with lines) ---------------------------------------------------
    path_min_pt: Points = 1.0
    """A path or straight segment shorter than this in both directions draws no ruling (a dot)."""
    ruling_max_thickness_pt: Points = 2.0
    """A path thinner than this is a ruling line, whatever operator drew it (a line, a thin
    filled rectangle) ..."""
    thin_path_max_segments: Count = 5
    """... when it has at most this many segments (a rectangle is five)."""
    grid_path_max_segments: Count = 400
    """Paths with more segments than this are artwork (logos, charts), not rulings; reading every
    segment would cost more than the page's text."""
    ruling_axis_slack_pt: Points = 0.5
    """A segment whose ends differ by less than this across its direction is horizontal (or
    vertical): a ruling."""
    table_min_h_ruling_pt: Points = 10.0
    """A page may hold a table only with two horizontal rulings at least this long ..."""
    table_min_v_ruling_pt: Points = 5.0
    """... and two vertical rulings at least this long (checked before running the finder)."""
    table_slack_pt: Points = 1.0
    """A text box belongs to a table when its centre lies inside the table's box grown by this."""
    page_edge_slack_pt: Points = 1.0
    """A table row reaching more than this beyond the page's top or bottom is cut by the page edge
    (the end of a row from the previous page) and left out."""

    # --- headings ----------------------------------------------------------------------------
    heading_size_ratio: Annotated[float, Field(gt=1)] = 1.15
    """A short paragraph is a heading when set bold or at least this many times the body text's
    font size (the size most of the document's characters are set in)."""
    heading_max_lines: Count = 2
    """A heading is at most this many lines ("Policy", a title wrapped over two lines) ..."""
    heading_max_chars: Count = 120
    """... and this many characters."""
    heading_colon_max_words: Count = 5
    """A bold line ending in a colon is a heading only with at most this many words
    ("Coverage Criteria:"); a longer one is a statement's lead-in ("The following are unproven
    and not medically necessary:")."""
    bold_weight: Annotated[int, Field(ge=100, le=900)] = 600
    """PDFium font weight (100-900) from which a face counts as bold (600 = semibold)."""
    bold_sample_max_chars: Count = 160
    """Weight is only read on lines up to this long: a longer line is running text whatever its
    weight, not worth the font calls."""

    @model_validator(mode="after")
    def _consistent(self) -> "PdfLayout":
        """Pairs of settings that bound one range, or must nest, are in order."""
        ordered = [
            ("pitch_sample_min_em", "pitch_sample_max_em"),
            ("default_pitch_em", "pitch_sample_max_em"),
            ("pitch_sample_min_em", "default_pitch_em"),
            ("baseline_tolerance_em", "same_line_em"),
            ("same_line_em", "pitch_sample_min_em"),
            ("hanging_indent_min_em", "hanging_indent_max_em"),
            ("word_gap_em", "cell_gap_em"),
            ("cell_gap_em", "wide_space_max_em"),
            ("thin_path_max_segments", "grid_path_max_segments"),
            ("heading_max_chars", "bold_sample_max_chars"),
        ]
        for low, high in ordered:
            if getattr(self, low) > getattr(self, high):
                raise ValueError(f"{low} ({getattr(self, low)}) must not exceed {high} ({getattr(self, high)})")
        return self


LAYOUT = PdfLayout()
