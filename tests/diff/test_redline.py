"""Word-level redlines."""
from medpolicy.diff.redline import display_text, has_change, redline, tokenize


def ops(segments):
    return [(s.op, s.text) for s in segments]


def test_word_changes_between_kept_words():
    assert ops(redline("pain for at least six months", "pain for at least three months")) == [
        ("equal", "pain for at least"), ("delete", "six"), ("insert", "three"), ("equal", "months")]


def test_layout_differences_are_kept_words():
    segments = redline("the “well-\nconducted” trial⁵⁴ confirms:\n• one", 'the "well-conducted" trial⁵⁸ confirms:\n- one')
    assert not has_change(segments)


def test_table_cell_separator_stays_with_the_word_before():
    assert ops(redline("Effective Date\tFebruary 15, 2026", "Effective Date\tApril 15, 2026")) == [
        ("equal", "Effective Date |"), ("delete", "February"), ("insert", "April"), ("equal", "15, 2026")]


def test_list_number_is_shown_but_not_compared():
    assert not has_change(redline("3. Pain has lasted", "4. Pain has lasted"))
    assert redline("3. Pain has lasted", "4. Pain has lasted")[0].text.startswith("4. Pain")


def test_short_kept_island_folds_into_the_change():
    assert ops(redline("confirmed by two blood tests.", "confirmed by a single blood test.")) == [
        ("equal", "confirmed by"), ("delete", "two blood tests."), ("insert", "a single blood test.")]


def test_paragraph_breaks_survive_as_newlines():
    tokens = tokenize("First paragraph ends.\nSecond starts here.")
    assert tokens[3] == ("\nSecond", "Second")


def test_display_text_drops_markup():
    assert display_text("**Note:**  see\t<i>table</i>") == "Note: see | table"
