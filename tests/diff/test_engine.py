"""diff_policies as a whole: the JSON contract, the summary, the substantive rule."""
import json

import pytest

from medpolicy.diff import PolicyDiff, diff_policies
from medpolicy.models import Code, HistoryEntry, PolicyDates, Reference, RelatedPolicy

from .diff_builders import BACKGROUND, STATEMENTS, edition
from .test_textdiff import wrap_like_pdftotext

CONTRACT_KEYS = {"old", "new", "metadata", "statements", "codes", "history", "references", "related_policies",
                 "sections", "summary", "findings"}


def test_same_edition_is_no_change():
    d = diff_policies(edition(), edition())
    assert not d.changed and not d.summary.substantive and d.findings == []
    assert d.summary_line() == "no changes"
    data = json.loads(d.to_json())
    for kind in ("statements", "codes", "history", "references", "related_policies"):
        assert all(data[kind][op] == [] for op in ("added", "removed", "modified"))
    assert data["metadata"] == []


def test_same_edition_rewrapped_with_layout_noise_is_no_change():
    """Done-when 2: re-wrapped as a PDF-to-text tool would, with page furniture, bullets, quotes
    and markup: nothing at all changes."""
    old = edition()
    statements = [(wrap_like_pdftotext(t.replace("1. ", "• ").replace("2. ", "• "), 50), p) for t, p in STATEMENTS]
    new = edition(statements=statements, background=[wrap_like_pdftotext(p, 55) for p in BACKGROUND],
                  title="**Genicular Nerve Radiofrequency Ablation**",
                  source=old.source.model_copy(update={"format": "pdf", "path": "policy.pdf", "sha256": "1" * 64}))
    new.sections[1].text = "Page 2 of 4\n" + new.sections[1].text + "\n- 3 -"
    d = diff_policies(old, new)
    assert d.summary_line() == "no changes", d.summary_line()
    assert not d.changed


def test_json_contract_keys_and_shapes():
    d = diff_policies(edition(), edition(dates=PolicyDates(effective="2026-03-01")))
    data = json.loads(d.to_json())
    assert CONTRACT_KEYS <= set(data)
    assert data["metadata"][0].keys() >= {"field", "old", "new"}
    for kind in ("statements", "codes", "history", "references", "related_policies"):
        assert {"added", "removed", "modified"} <= set(data[kind])
    assert set(data["sections"]) == {"added", "removed", "modified", "moved"}
    assert {"substantive", "changed", "counts", "text"} <= set(data["summary"])
    assert data["new"]["effective"] == "2026-03-01" and data["old"]["format"] == "text"


def test_json_round_trip():
    d = diff_policies(edition(), edition(related_policies=[RelatedPolicy(policy_id="AP-29")]))
    again = PolicyDiff.model_validate_json(d.to_json())
    assert again.model_dump() == d.model_dump() and again.alignment is None


@pytest.mark.parametrize("changes, substantive, line", [
    (dict(statements=STATEMENTS[:2]), True, "1 statement removed"),
    (dict(codes=edition().codes + [Code(system="CPT", code="64625")]), True, "1 code added"),
    (dict(codes=[edition().codes[0].model_copy(update={"description": "New wording"}), edition().codes[1]]),
     True, "1 code modified"),
    (dict(codes=[edition().codes[0].model_copy(update={"description": "Destruction by neurolytic agent; genicular nerve."}),
                 edition().codes[1]]), False, "1 code modified"),
    (dict(codes=[edition().codes[0], edition().codes[1].model_copy(update={"code_end": "M17.4"})]), True, "1 code modified"),
    (dict(references=edition().references[:3]), False, "1 reference removed"),
    (dict(history=edition().history + [HistoryEntry(date="2026-03", date_text="03/2026", summary="Annual review.")]),
     False, "1 history row added"),
    (dict(dates=PolicyDates(effective="2026-03-01", original_effective="2016-10-01")), False, "dates.effective changed"),
    (dict(background=BACKGROUND[:3]), False, "1 text change"),
])
def test_substantive_rule_and_summary_line(changes, substantive, line):
    d = diff_policies(edition(), edition(**changes))
    assert d.changed and d.summary.substantive is substantive
    assert line in d.summary_line()


def test_summary_line_names_kinds_and_counts():
    new = edition(
        statements=[(STATEMENTS[0][0].replace("six", "three"), STATEMENTS[0][1]),
                    (STATEMENTS[1][0].replace("is considered investigational", "may be considered medically necessary"),
                     "medically_necessary")] + STATEMENTS[2:],
        codes=edition().codes + [Code(system="CPT", code="64625")],
        dates=PolicyDates(effective="2026-03-01", original_effective="2016-10-01"))
    line = diff_policies(edition(), new).summary_line()
    assert line.startswith("2 statements modified, 1 coverage position changed, 1 code added")
    assert "dates.effective changed" in line


def test_renumbering_alone_is_not_a_change():
    refs = list(reversed([r.model_copy(update={"number": 5 - r.number}) for r in edition().references]))
    old = edition()
    new = edition(references=refs, sections=old.sections)
    d = diff_policies(old, new)
    assert d.references.renumbered == 4 and not d.changed


def test_moved_paragraph_shows_as_move():
    d = diff_policies(edition(), edition(background=BACKGROUND[2:] + BACKGROUND[:2]))
    assert len(d.sections.moved) >= 1 and not d.sections.added and not d.sections.removed
    assert "moved" in d.summary_line()


def test_reference_change_detected_in_premera_shape():
    new_refs = [Reference(number=1, text="New trial. 2025. PMID 40000001.", pmid="40000001")] + [
        r.model_copy(update={"number": r.number + 1}) for r in edition().references]
    new_refs[3] = new_refs[3].model_copy(update={"text": new_refs[3].text.replace("June 30, 2025", "May 1, 2026")})
    d = diff_policies(edition(), edition(references=new_refs))
    assert [r.pmid for r in d.references.added] == ["40000001"]
    assert len(d.references.modified) == 1 and d.references.renumbered == 4


def test_records_changed_under_the_same_text_report_no_text_change():
    """Two editions with the very same sections (one side read for both) differ only in their
    records: the text comparison reports nothing, the record comparison what changed."""
    old = edition()
    new = edition(codes=[*old.codes, Code(system="CPT", code="64625")])
    assert old.sections == new.sections
    result = diff_policies(old, new)
    assert not (result.sections.added or result.sections.removed or result.sections.modified or result.sections.moved)
    assert [c.code for c in result.codes.added] == ["64625"] and result.summary.substantive
    assert len(result._alignment.old) == len(result._alignment.new) > 0
