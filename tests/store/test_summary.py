"""The store's summary line and its test of "the same edition" come from the diff engine."""
from medpolicy.models import Code
from medpolicy.store.summary import FIRST, NO_CHANGE, compare
from tests.diff.diff_builders import edition


def test_first_edition():
    assert compare(None, edition()) == (FIRST, True)


def test_same_record_is_the_same_edition():
    summary, changed = compare(edition(), edition())
    assert not changed and summary in (NO_CHANGE, "no changes"), summary


def test_a_code_added_is_a_change_and_says_so():
    old = edition()
    new = edition(codes=[*old.codes, Code(system="CPT", code="64625")])
    summary, changed = compare(old, new)
    assert changed and "code" in summary, summary
