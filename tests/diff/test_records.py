"""Each record kind besides statements (test_statements.py) is paired by its identity before its
content is compared."""
from medpolicy.diff.records import diff_codes, diff_history, diff_metadata, diff_references, diff_related
from medpolicy.models import Code, HistoryEntry, PolicyDates, Reference, RelatedPolicy

from .diff_builders import REFERENCES, edition


# -- codes -------------------------------------------------------------------------------------

def test_codes_by_system_and_code():
    old = [Code(system="CPT", code="64624", description="Genicular nerve"), Code(system="HCPCS", code="J1234")]
    new = [Code(system="CPT", code="64624", description="GENICULAR NERVE"), Code(system="CPT", code="64625")]
    d = diff_codes(old, new)
    assert [c.code for c in d.added] == ["64625"]
    assert [c.code for c in d.removed] == ["J1234"]
    assert not d.modified and d.unchanged == 1  # a description's capitals are layout


def test_code_description_and_range_changes():
    old = [Code(system="ICD-10-CM", code="M17.0", code_end="M17.4", description="Osteoarthritis of knee"),
           Code(system="CPT", code="64624", description="Destruction, genicular nerve")]
    new = [Code(system="ICD-10-CM", code="M17.0", code_end="M17.9", description="Osteoarthritis of knee"),
           Code(system="CPT", code="64624", description="Destruction by neurolytic agent, genicular nerve")]
    d = diff_codes(old, new)
    assert {(m.code, tuple(m.changes)) for m in d.modified} == {("M17.0", ("range",)), ("64624", ("description",))}


def test_same_code_in_two_tables_is_one_code():
    old = [Code(system="CPT", code="64624"), Code(system="CPT", code="64624", description="Genicular")]
    new = [Code(system="CPT", code="64624", description="Genicular")]
    d = diff_codes(old, new)
    assert not d.added and not d.removed and not d.modified


def test_same_code_read_under_another_system_is_a_system_change():
    d = diff_codes([Code(system="CPT", code="0537T")], [Code(system="HCPCS", code="0537T")])
    assert not d.added and not d.removed
    assert [(m.code, m.changes, m.old.system.value, m.new.system.value) for m in d.modified] == [
        ("0537T", ["system"], "CPT", "HCPCS")]


# -- history -----------------------------------------------------------------------------------

def h(date, text, summary):
    return HistoryEntry(date=date, date_text=text, summary=summary)


def test_history_rows_by_date_and_summary():
    old = [h("2016-10", "10/2016", "New policy."), h("2024-03-01", "03/01/2024", "Annual review.")]
    new = [h("2016-10", "10/2016", "New  policy"), h("2024-03-01", "03/01/2024", "Annual review."),
           h("2025-03-01", "03/01/2025", "Annual review. No changes to policy statements.")]
    d = diff_history(old, new)
    assert [r.date for r in d.added] == ["2025-03-01"] and not d.removed and not d.modified and d.unchanged == 2


def test_history_row_continued_after_page_break_is_the_same_row():
    old = [h("2024-03-01", "03/01/2024", "Annual review. Criteria for repeat")]
    new = [h("2024-03-01", "03/01/2024", "Annual review. Criteria for repeat ablation clarified.")]
    d = diff_history(old, new)
    assert not d.added and not d.removed and len(d.modified) == 1


def test_history_same_summary_other_date_is_added_and_removed():
    d = diff_history([h("2024-03-01", "03/01/2024", "Annual review.")], [h("2025-03-01", "03/01/2025", "Annual review.")])
    assert len(d.added) == 1 and len(d.removed) == 1


# -- references --------------------------------------------------------------------------------

def refs(*items):
    return [Reference(**r) for r in items]


def test_renumbering_alone_is_not_a_modification():
    old = refs(*REFERENCES)
    new = refs(dict(number=1, text="Newcomer A. A new trial. J New. 2025;1:1-2. PMID 40000001.", pmid="40000001"),
               *[dict(r, number=r["number"] + 1) for r in REFERENCES])
    d = diff_references(old, new)
    assert [r.pmid for r in d.added] == ["40000001"]
    assert not d.removed and not d.modified
    assert d.renumbered == 4 and d.unchanged == 4


def test_access_date_change_is_a_modification():
    old = refs(REFERENCES[2])
    new = refs(dict(REFERENCES[2], text=REFERENCES[2]["text"].replace("June 30, 2025", "July 2, 2026")))
    d = diff_references(old, new)
    assert len(d.modified) == 1
    assert d.modified[0].matched_by == "url" and d.modified[0].changes == ["access_date"]


def test_title_change_is_a_modification_matched_by_pmid():
    old = refs(REFERENCES[0])
    new = refs(dict(REFERENCES[0], text=REFERENCES[0]["text"].replace("randomized", "multicenter randomized")))
    d = diff_references(old, new)
    assert len(d.modified) == 1 and d.modified[0].matched_by == "pmid" and d.modified[0].changes == ["text"]


def test_reference_without_ids_matched_by_text_then_similarity():
    plain = REFERENCES[3]
    assert diff_references(refs(plain), refs(dict(plain, number=9))).unchanged == 1
    edited = dict(plain, text=plain["text"].replace("2019;3:1-9", "2019;3:1-10"))
    d = diff_references(refs(plain), refs(edited))
    assert len(d.modified) == 1 and d.modified[0].matched_by == "unnumbered"  # the same but for a number
    reworded = dict(plain, text=plain["text"].replace("a review of", "a narrative review of current"))
    d = diff_references(refs(plain), refs(reworded))
    assert len(d.modified) == 1 and d.modified[0].matched_by == "similar"


def test_different_pmids_are_different_papers():
    a = dict(number=1, text="Smith A. Outcomes of ablation. J Pain. 2020;1:1-9. PMID 11111111.", pmid="11111111")
    b = dict(number=1, text="Smith A. Outcomes of ablation. J Pain. 2021;2:1-9. PMID 22222222.", pmid="22222222")
    d = diff_references(refs(a), refs(b))
    assert len(d.added) == 1 and len(d.removed) == 1 and not d.modified


def test_pmid_found_in_text_when_field_missing():
    a = dict(number=1, text="Smith A. Outcomes. J Pain. 2020. PMID 11111111.")
    b = dict(number=2, text="Smith A. Outcomes. J Pain. 2020. PMID 11111111.", pmid="11111111")
    d = diff_references(refs(a), refs(b))
    assert d.unchanged == 1 and d.renumbered == 1


# -- related policies and metadata ---------------------------------------------------------------

def test_related_policies_by_id():
    old = [RelatedPolicy(policy_id="MP-7.010", title="Knee Arthroplasty"), RelatedPolicy(policy_id="MP-1.1")]
    new = [RelatedPolicy(policy_id="mp-7.010", title="Knee arthroplasty"), RelatedPolicy(policy_id="AP-29", title="CAR-T")]
    d = diff_related(old, new)
    assert [r.policy_id for r in d.added] == ["AP-29"] and [r.policy_id for r in d.removed] == ["MP-1.1"]
    assert not d.modified


def test_metadata_fields():
    old = edition()
    new = edition(title="GENICULAR NERVE RADIOFREQUENCY ABLATION", payer="Northwind  Health Plan",
                  dates=PolicyDates(effective="2026-03-01", original_effective="2016-10-01", next_review="2027-03"))
    got = {(m.field, m.old, m.new) for m in diff_metadata(old, new)}
    assert got == {("dates.effective", "2025-03-01", "2026-03-01"), ("dates.next_review", None, "2027-03")}


def test_payer_named_in_full_or_in_short_is_one_payer():
    def payer(old, new):
        return [m.field for m in diff_metadata(edition(payer=old), edition(payer=new))]

    assert payer("Noridian Healthcare Solutions", "Noridian") == []
    assert payer("Blue Cross Blue Shield Federal Employee Program", "Blue Cross Blue Shield Association") == ["payer"]
    assert payer(None, "Northwind Health Plan") == ["payer"]


def test_the_same_lists_are_unchanged_as_when_compared_one_by_one():
    """The shortcut for an unchanged list of codes or references gives what pairing them one by
    one gives (compared here with a list that differs only by one extra entry)."""
    from medpolicy.diff.records import diff_codes, diff_references
    from tests.diff.diff_builders import edition

    ed = edition()
    codes, refs = list(ed.codes), list(ed.references)
    assert codes and refs
    same_c, same_r = diff_codes(codes, codes), diff_references(refs, refs)
    assert not (same_c.added or same_c.removed or same_c.modified) and not (same_r.added or same_r.removed or same_r.modified)
    plus_c = diff_codes(codes, [*codes, codes[0].model_copy(update={"code": "0999T"})])
    plus_r = diff_references(refs, [*refs, refs[0].model_copy(update={"text": "Zed A. Another paper. J Test. 2020;1:1-2.",
                                                                    "pmid": None, "doi": None, "url": None})])
    assert same_c.unchanged == plus_c.unchanged and same_r.unchanged == plus_r.unchanged
    assert same_r.renumbered == plus_r.renumbered == 0
