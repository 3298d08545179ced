"""The text's own marks (rules/lexicon.json through ingest/lexicon.py): what starts a list item,
what does not, and what a document prints for a missing value."""
import json
from importlib import resources

import pytest
from pydantic import ValidationError

from medpolicy.ingest.lexicon import (bullet_prefix, bullet_run, continuation_bullet, enumerator_mark,
                                      enumerator_prefix, heading_number, inline_enumerator, is_empty_value, item_prefix,
                                      lone_bullet, private_use_bullets)
from medpolicy.ingest.vocab import LexiconRules


@pytest.mark.parametrize("line, mark, rest", [
    ("\u2022 Prior treatment failed", "\u2022", "Prior treatment failed"),
    ("  \u25aa Prior treatment failed", "\u25aa", "Prior treatment failed"),
    ("\u25cf Prior treatment failed", "\u25cf", "Prior treatment failed"),
    ("\u25e6 second level", "\u25e6", "second level"),
    ("\u00b7 Prior treatment failed", "\u00b7", "Prior treatment failed"),
    ("\u25cb Prior treatment failed", "\u25cb", "Prior treatment failed"),
    ("\u25a0 Prior treatment failed", "\u25a0", "Prior treatment failed"),
    ("\u27a2 Prior treatment failed", "\u27a2", "Prior treatment failed"),
    ("\u2713 Prior treatment failed", "\u2713", "Prior treatment failed"),
    ("- Prior treatment failed", "-", "Prior treatment failed"),
    ("\u2013 Prior treatment failed", "\u2013", "Prior treatment failed"),
    ("* Prior treatment failed", "*", "Prior treatment failed"),
    ("\u00a7 Prior treatment failed", "\u00a7", "Prior treatment failed"),  # a symbol font's square, read without it
    ("o Prior treatment failed", "o", "Prior treatment failed"),  # a word processor's second level
    ("\u2022Prior treatment failed", "\u2022", "Prior treatment failed"),  # glued, as text layers print it
    ("\u25aaPrior treatment failed", "\u25aa", "Prior treatment failed"),
    ("\uf0b7 Prior treatment failed", "\uf0b7", "Prior treatment failed"),  # Symbol font, not normalised
    ("\uf0b7Prior treatment failed", "\uf0b7", "Prior treatment failed"),
    ("\u2022", "\u2022", ""),  # alone: the text layer put the item's text on the next line
    ("\u25aa ", "\u25aa", ""),
])
def test_bullet_forms(line, mark, rest):
    m = bullet_prefix().match(line)
    assert m is not None and m.group("mark") == mark and line[m.end():] == rest
    assert item_prefix().match(line)


@pytest.mark.parametrize("line", [
    "-based testing is covered",  # the tail of a hyphenated word, cut at a line end
    "-5 mm margin",  # a negative number
    "on the basis of",  # "o" glued to its word is a word
    "or the member has",
    "o",  # a lone letter is no item (lone_bullet says it is a lost mark)
    "*Not covered for members under 18",  # a footnote mark glued to its note
    "-Level 2 evidence",  # a dash glued to a word
    "Prior treatment failed \u2022 second",  # a bullet inside a line
    "-",  # a dash alone is an empty value ('Related policies: -'); lone_bullet() says when it is a lost mark
])
def test_not_bullets(line):
    assert not bullet_prefix().match(line)


@pytest.mark.parametrize("line, rest", [
    ("1. Age 18 or older", "Age 18 or older"),
    ("12) Age 18 or older", "Age 18 or older"),
    ("(3) Age 18 or older", "Age 18 or older"),
    ("a. Age 18 or older", "Age 18 or older"),
    ("(b) Age 18 or older", "Age 18 or older"),
    ("C) Age 18 or older", "Age 18 or older"),
    ("iv) Age 18 or older", "Age 18 or older"),
    ("(xii) Age 18 or older", "Age 18 or older"),
    ("VIII. Age 18 or older", "Age 18 or older"),
    ("XXVIII. Age 18 or older", "Age 18 or older"),  # numbered far down
    ("XLI) Age 18 or older", "Age 18 or older"),
    ("xxxviii. Age 18 or older", "Age 18 or older"),
    ("  2.  Age 18 or older", "Age 18 or older"),
])
def test_enumerator_forms(line, rest):
    m = enumerator_prefix().match(line)
    assert m is not None and line[m.end():] == rest
    assert item_prefix().match(line)


@pytest.mark.parametrize("line", [
    "1.5 mg per kilogram",  # a decimal
    "2024. The committee",  # a year closes a sentence: more digits than an enumerator has
    "1.2.3 Scope",  # multi-level numbering is a heading's, not a list item's
    "99.9) and the validation set",  # a wrapped decimal at a line's start
    "0.75. The addition of",
    "Dr. Smith reviewed",  # a word, not one letter
    "e.g. in adults",
    "Mixed) case",
    "ivxivx) no numeral",
    "ill. patients are",  # made of a numeral's letters, but no numeral
    "Iv. mixed case",
    "1.",  # nothing after it
    "(a)b",
])
def test_not_enumerators(line):
    assert not enumerator_prefix().match(line)
    assert not item_prefix().match(line)


@pytest.mark.parametrize("line, rest", [
    ("\u2022 o Prior treatment failed", "Prior treatment failed"),
    ("\u2022\u2022Prior treatment failed", "Prior treatment failed"),
    ("- \u2022 Prior treatment failed", "Prior treatment failed"),
    ("Prior treatment failed", "Prior treatment failed"),
    ("-based testing", "-based testing"),
])
def test_bullet_run_strips_every_bullet(line, rest):
    assert bullet_run().sub("", line) == rest


@pytest.mark.parametrize("line, lone", [
    ("\u2022", True), (" o ", True), ("-", True), ("\uf0a7", True), ("*", True),
    ("\u2022 Item", False), ("oo", False), ("", False),
])
def test_lone_bullet(line, lone):
    assert bool(lone_bullet().match(line)) is lone


@pytest.mark.parametrize("line, goes_on", [
    ("- patients with a prior test", True),
    ("\u2022 and the member has", True),
    ("- Patients with a prior test", False),  # a new item
    ("-based testing", False),
])
def test_continuation_bullet(line, goes_on):
    assert bool(continuation_bullet().match(line)) is goes_on


@pytest.mark.parametrize("value", ["N/A", "n/a", "NA", "None", "None.", "none;", "Not Applicable",
                                   "not  applicable", "None applicable", "-", "--", "\u2013", "\u2014", " N/A "])
def test_empty_values(value):
    assert is_empty_value(value)


@pytest.mark.parametrize("value", ["", " ", ".", "Nonetheless", "n/a testing", "Annual", "0", "No", "-5"])
def test_not_empty_values(value):
    assert not is_empty_value(value)


def test_private_use_bullets_stand_for_a_glyph():
    table = private_use_bullets()
    assert table[0xF0B7] == "\u2022"
    assert "\uf0a7 Item".translate(table) == "\u25aa Item"


def _lexicon() -> dict:
    return json.loads(resources.files("medpolicy.ingest").joinpath("rules/lexicon.json").read_text("utf-8"))


def test_lexicon_rules_load():
    LexiconRules.model_validate(_lexicon())


@pytest.mark.parametrize("change", [
    lambda d: {**d, "bulets": {}},  # an unknown top-level key
    lambda d: {**d, "bullets": {**d["bullets"], "glyph": ["\u2022"]}},
    lambda d: {**d, "enumerators": {**d["enumerators"], "max_digit": 2}},
    lambda d: {**d, "empty_values": {**d["empty_values"], "word": ["n/a"]}},
])
def test_lexicon_rules_reject_unknown_keys(change):
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        LexiconRules.model_validate(change(_lexicon()))


@pytest.mark.parametrize("change", [
    lambda d: {**d, "bullets": {**d["bullets"], "glyphs": [*d["bullets"]["glyphs"], "a"]}},  # a letter as a glyph
    lambda d: {**d, "bullets": {**d["bullets"], "glyphs": [*d["bullets"]["glyphs"], "->"]}},  # two characters
    lambda d: {**d, "bullets": {**d["bullets"], "glued": ["\u2192"]}},  # glued, but no glyph
    lambda d: {**d, "bullets": {**d["bullets"], "letters": ["-"]}},
    lambda d: {**d, "bullets": {**d["bullets"], "private_use": {"0041": "\u2022"}}},  # not a private-use point
    lambda d: {**d, "bullets": {**d["bullets"], "private_use": {"F0B7": "\u2192"}}},  # stands for no glyph
    lambda d: {**d, "enumerators": {**d["enumerators"], "closing": ["a"]}},
    lambda d: {**d, "enumerators": {**d["enumerators"], "max_digits": 0}},
    lambda d: {**d, "empty_values": {"words": ["N/A"]}},  # never matches: values are compared in lower case
    lambda d: {**d, "empty_values": {"words": ["none."]}},
])
def test_lexicon_rules_reject_bad_marks(change):
    with pytest.raises(ValidationError):
        LexiconRules.model_validate(change(_lexicon()))


@pytest.mark.parametrize("marker, parts", [
    ("(a) Age", ("(", "a", ")")),
    ("2.3. Age", (None, "2.3", ".")),  # a marker a level down
    ("XXVIII.", (None, "XXVIII", ".")),  # alone on its line
    ("iv) Age", (None, "iv", ")")),
])
def test_enumerator_mark_parts(marker, parts):
    m = enumerator_mark().match(marker)
    assert m is not None and (m.group("open"), m.group("tok"), m.group("close")) == parts


@pytest.mark.parametrize("line, starts", [
    ("Coverage requires all of the following: A. The member is an adult", True),
    ("The member has any of: (1) a prior test", True),
    ("Results were reported as: 1.5 mg", False),
    ("Note: e.g. adults", False),
])
def test_inline_enumerator(line, starts):
    assert bool(inline_enumerator().search(line)) is starts


@pytest.mark.parametrize("heading, rest", [
    ("IV. Coverage Criteria", "Coverage Criteria"),
    ("B) Coverage Criteria", "Coverage Criteria"),
    ("2.3. Coverage Criteria", "Coverage Criteria"),
    ("Section 4: Coverage Criteria", "Coverage Criteria"),
    ("SECTION 2 Coverage Criteria", "Coverage Criteria"),
    ("xii. Coverage Criteria", "Coverage Criteria"),
    ("Coverage Criteria", "Coverage Criteria"),
    ("Ill. Patients", "Ill. Patients"),  # a word, not a numeral
    ("1.5 Coverage", "1.5 Coverage"),
])
def test_heading_number(heading, rest):
    assert heading_number().sub("", heading) == rest
