"""The store's stand-in summary (used only without the diff engine) counts records by the models'
identity, as the diff does."""
from medpolicy.models import Code
from medpolicy.store.summary import _summarize
from tests.diff.diff_builders import STATEMENTS, edition


def test_fallback_counts_by_identity():
    old = edition()
    new = edition(codes=[Code(system="CPT", code=" 64624 ", description="Other words"), *old.codes[1:],
                         Code(system="CPT", code="64625")],
                  statements=[(STATEMENTS[0][0].replace("1. ", "a. "), STATEMENTS[0][1]), *STATEMENTS[1:2]])
    assert _summarize(old, new) == "1 statement removed, 1 code added"
