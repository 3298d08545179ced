"""medpolicy.textnorm: layout noise normalises away in comparison keys; real wording does not;
ingest and the diff share one character map, markup patterns and page-marker pattern."""
import pytest

from medpolicy.textnorm import clean_markup, is_marker, normalize_lines, rejoin, text_key


@pytest.mark.parametrize("a, b", [
    ("Widget  therapy\tis covered", "Widget therapy is covered"),
    ("“Quoted” and ‘single’", '"Quoted" and \'single\''),
    ("2014–2020 — a range", "2014-2020 - a range"),
    ("**Bold** and *italic* and __under__", "Bold and italic and under"),
    ("<p>Some <b>markup</b></p>", "Some markup"),
    ("See [the policy](https://x.example/p) now", "See the policy now"),
    ("Go to <https://x.example/a>.", "Go to https://x.example/a."),
    ("• A bulleted item", "A bulleted item"),
    ("o A PDF bullet", "A PDF bullet"),
    ("3. A renumbered item", "7. A renumbered item"),
    ("b) Lettered", "(c) Lettered"),
    ("a well-conducted trial", "a well- conducted trial"),
    ("treatment by soft\u00adhyphen", "treatment by softhyphen"),
    ("the bladder⁵⁴, kidney,⁵⁵ and liver^{57,58}", "the bladder⁵⁸, kidney,⁵⁹ and liver^{61,62}"),
    ("as shown [12] before", "as shown [3, 4] before"),
    ("ﬁnal\u00a0text…", "final text..."),
    ("text Page 3 of 12 continues", "text continues"),
    ("CD19- directed", "CD19-directed"),
    ("(EBV)- associated", "(EBV)-associated"),
    ("Tom &amp; Jerry", "Tom & Jerry"),
])
def test_layout_noise_is_equal(a, b):
    assert normalize_lines([a]) == normalize_lines([b])


@pytest.mark.parametrize("a, b", [
    ("is considered medically necessary", "is considered investigational"),
    ("at least 6 months", "at least 12 months"),
    ("platelets above 10⁹/L", "platelets above 10¹²/L"),
    ("Not covered", "not covered"),  # capitalisation inside a statement is wording
    ("2 - 3 sessions", "2 - 4 sessions"),
])
def test_wording_differs(a, b):
    assert normalize_lines([a]) != normalize_lines([b])


@pytest.mark.parametrize("line", ["Page 2", "page 2 of 10", "Page: 3 of 12", "2 of 10", "- 3 -"])
def test_page_number_lines_vanish(line):
    assert normalize_lines([line]) == [""]


@pytest.mark.parametrize("line", ["8/2020", "11/2023", "10/2016\tNew policy."])
def test_dates_are_not_page_numbers(line):
    assert normalize_lines([line]) != [""]


def test_lines_stay_lines_and_duplicates_share_work():
    lines = ["one", "two", "one", "", "three"]
    assert normalize_lines(lines) == ["one", "two", "one", "", "three"]


def test_markers_only_stripped_when_asked():
    assert normalize_lines(["1. First"], strip_markers=False) == ["1. First"]
    assert is_marker("3.") and is_marker("•") and is_marker("b)") and not is_marker("U.S.")


def test_text_key_joins_a_word_hyphenated_across_lines():
    assert text_key("the non-\nHispanic group") == text_key("the non-Hispanic group")
    assert text_key("treat-\nment works") == text_key("treatment works")
    assert rejoin("well- conducted") == "wellconducted"


def test_clean_markup_keeps_text():
    assert clean_markup("**Note:** see <i>x</i>, <p>y</p>") == "Note: see x,  y "


def test_the_character_maps_touch_no_ascii_character():
    """unify_characters returns ASCII text as it is: that shortcut holds only while every
    character either map changes is beyond ASCII."""
    from medpolicy.ingest.normalize import _CHAR_MAP
    from medpolicy.textnorm import CHAR_MAP

    assert min(CHAR_MAP) >= 128 and min(_CHAR_MAP) >= 128
