"""Findings: a new history row's claims checked against what the diff found."""
import pytest

from medpolicy.diff import diff_policies
from medpolicy.diff.findings import load_rules
from medpolicy.models import Code, HistoryEntry, Reference

from .diff_builders import STATEMENTS, edition

REWORDED = [(STATEMENTS[0][0].replace("at least six months", "at least three months"), STATEMENTS[0][1])] + STATEMENTS[1:]


def new_row(summary):
    return HistoryEntry(date="2026-03-01", date_text="03/01/2026", summary=summary)


def newer(summary, **changes):
    base = edition()
    return edition(history=base.history + [new_row(summary)], **changes)


def kinds(d):
    return sorted(f.kind for f in d.findings)


@pytest.mark.parametrize("summary", [
    "Annual review. No changes to policy statements.",
    "Annual review; policy statements unchanged.",
    "Policy statement unchanged. References updated.",
    "Literature review. No change to the policy statements; references added.",
    "No policy statement changes",
    "Annual review, no changes.",
    "Coverage criteria unchanged.",
    "Policy statements remain unchanged",
])
def test_reworded_statement_under_no_change_claim_is_a_mismatch(summary):
    d = diff_policies(edition(), newer(summary, statements=REWORDED))
    assert len(d.statements.modified) == 1
    assert "history_claim_mismatch" in kinds(d)
    f = next(f for f in d.findings if f.kind == "history_claim_mismatch")
    assert f.history.summary == summary and f.claim == "statements_unchanged"


@pytest.mark.parametrize("summary", [
    "Annual review. No changes to policy statements.",
    "Annual review. Policy statements unchanged. References updated.",
])
def test_no_change_claim_that_holds_is_no_finding(summary):
    assert diff_policies(edition(), newer(summary)).findings == []


@pytest.mark.parametrize("summary", [
    "Annual review. Policy statement revised to shorten the pain duration.",
    "Policy statements updated.",
    "No change to policy intent.",
])
def test_announced_statement_change_is_no_finding(summary):
    assert diff_policies(edition(), newer(summary, statements=REWORDED)).findings == []


def test_old_history_rows_are_not_checked():
    old = edition(history=edition().history + [new_row("Policy statements unchanged.")])
    new = edition(history=old.history, statements=REWORDED)
    assert diff_policies(old, new).findings == []


def test_position_unchanged_claim_with_position_change():
    changed = [(STATEMENTS[1][0].replace("is considered investigational", "may be considered medically necessary"),
                "medically_necessary")]
    d = diff_policies(edition(), newer("Coverage position unchanged.", statements=[STATEMENTS[0], changed[0], STATEMENTS[2]]))
    assert kinds(d) == ["history_claim_mismatch"] and d.findings[0].claim == "positions_unchanged"


def test_claimed_code_addition_not_found():
    d = diff_policies(edition(), newer("Coding update: added CPT codes 64625 and 64640."))
    f = [f for f in d.findings if f.kind == "history_claim_codes_not_found"]
    assert len(f) == 1 and f[0].codes == ["64625", "64640"]


def test_claimed_code_addition_found():
    codes = edition().codes + [Code(system="CPT", code="64625"), Code(system="CPT", code="64640")]
    d = diff_policies(edition(), newer("Coding update: added CPT codes 64625 and 64640.", codes=codes))
    assert d.findings == []


def test_claimed_code_in_a_widened_range_is_found():
    codes = [edition().codes[0], Code(system="ICD-10-CM", code="M17.0", code_end="M17.9")]
    old = edition(codes=[edition().codes[0], Code(system="ICD-10-CM", code="M17.0", code_end="M17.4")])
    d = diff_policies(old, newer("Added ICD-10 codes M17.5-M17.9.", codes=codes))
    assert d.findings == []


def test_code_added_and_removed_in_one_clause():
    codes = [Code(system="CPT", code="64625")] + edition().codes[1:]
    d = diff_policies(edition(), newer("Added CPT 64625 and removed CPT 64624.", codes=codes))
    assert d.findings == []
    d = diff_policies(edition(), newer("Added CPT 64625 and removed CPT 64624."))
    assert sorted(c for f in d.findings for c in f.codes) == ["64624", "64625"]


def test_codes_named_before_their_verbs():
    codes = [Code(system="CPT", code="64625")] + edition().codes[1:]
    d = diff_policies(edition(), newer("Coding table updated: CPT 64625 added and CPT 64624 removed.", codes=codes))
    assert d.findings == []
    d = diff_policies(edition(), newer("Coding table updated: CPT 64625 added and CPT 64624 removed."))
    assert [(f.claim, f.codes) for f in d.findings] == [("codes_added", ["64625"]), ("codes_removed", ["64624"])]


def test_unnamed_code_claim():
    assert kinds(diff_policies(edition(), newer("Codes removed."))) == ["history_claim_codes_not_found"]
    assert diff_policies(edition(), newer("No codes removed.")).findings == []


def test_code_claim_unverifiable_without_codes_is_no_finding():
    d = diff_policies(edition(codes=[]), newer("Added CPT code 64625.", codes=[]))
    assert d.findings == []


def test_claimed_references_added_not_found():
    d = diff_policies(edition(), newer("Policy updated with literature review; references added."))
    assert kinds(d) == ["history_claim_references_not_found"]


def test_claimed_references_added_found():
    refs = edition().references + [Reference(number=5, text="New A. New trial. 2025. PMID 40000001.", pmid="40000001")]
    d = diff_policies(edition(), newer("Policy updated with literature review; references added.", references=refs))
    assert d.findings == []


def test_references_updated_is_not_an_addition_claim():
    assert diff_policies(edition(), newer("References updated.")).findings == []


def test_rules_load_and_compile():
    rules = load_rules()
    assert rules.statements_unchanged and rules.verbs["codes_added"].search("Added")
