"""Statements: paired by identity (their lead), then by similarity; criteria compared item by
item; splits and merges."""
from medpolicy.diff.statements import diff_criteria, diff_statements
from medpolicy.models import Statement

from .diff_builders import STATEMENTS


def st(text, position="other", n=1):
    return Statement(id=f"S{n}", text=text, position=position)


# -- statements --------------------------------------------------------------------------------

def test_statements_aligned_by_content_not_position_in_list():
    old = [st(t, p, i) for i, (t, p) in enumerate(STATEMENTS)]
    new = list(reversed(old))
    d = diff_statements(old, new)
    assert (d.added, d.removed, d.modified, d.unchanged) == ([], [], [], 3)


def test_reworded_statement_is_one_modification_with_redline():
    old = [st("Widget therapy is considered medically necessary for adults with chronic widget deficiency "
              "confirmed by two blood tests.", "medically_necessary")]
    new = [st("Widget therapy is considered medically necessary for adults with chronic widget deficiency "
              "confirmed by a single blood test.", "medically_necessary")]
    d = diff_statements(old, new)
    assert not d.added and not d.removed and len(d.modified) == 1
    m = d.modified[0]
    assert not m.position_changed
    assert [s.text for s in m.redline if s.op == "delete"] == ["two blood tests."]
    assert [s.text for s in m.redline if s.op == "insert"] == ["a single blood test."]


def test_position_change_is_flagged():
    old = [st("Transcranial magnetic stimulation for treatment-resistant depression in adults is considered "
              "investigational.", "investigational")]
    new = [st("Transcranial magnetic stimulation for treatment-resistant depression in adults may be considered "
              "medically necessary.", "medically_necessary")]
    d = diff_statements(old, new)
    assert len(d.modified) == 1 and d.modified[0].position_changed


def test_short_statement_position_change_pairs_by_subject():
    old = [st("Cooled radiofrequency ablation of genicular nerves is investigational.", "investigational")]
    new = [st("Cooled radiofrequency ablation of genicular nerves may be considered medically necessary when "
              "criteria are met.", "medically_necessary")]
    d = diff_statements(old, new)
    assert len(d.modified) == 1 and d.modified[0].position_changed


def test_unrelated_statements_are_added_and_removed():
    old = [st("Widget therapy is considered medically necessary for chronic widget deficiency.", "medically_necessary")]
    new = [st("Gadget implants are not covered for cosmetic indications under any plan.", "not_covered")]
    d = diff_statements(old, new)
    assert len(d.added) == 1 and len(d.removed) == 1 and not d.modified


def test_statement_layout_noise_is_no_change():
    old = [st("Widget therapy is “medically necessary” when:\n• criterion one;\n• criterion two.", "medically_necessary")]
    new = [st("Widget therapy is \"medically necessary\" when:\n- criterion one;\n- criterion\ntwo.", "medically_necessary")]
    assert diff_statements(old, new).unchanged == 1


def test_same_text_other_position_is_a_modification():
    d = diff_statements([st("X is covered.", "covered")], [st("X is covered.", "other")])
    assert len(d.modified) == 1 and d.modified[0].position_changed


# -- identity, criteria, splits and merges ---------------------------------------------------------

LEAD = "Palbociclib may be considered medically necessary if the conditions indicated below are met."
CRITERIA = ["1. Advanced breast cancer", "2. Metastatic breast cancer", "AND ALL of the following:",
            "a. Hormone receptor (HR)-positive", "b. HER2-negative"]


def with_criteria(criteria, lead=LEAD, position="medically_necessary", n=1):
    """A statement whose criteria were printed in a section of their own (criteria field)."""
    return Statement(id=f"S{n}", text="\n".join([lead, *criteria]), position=position, criteria=list(criteria))


def test_criterion_added_under_an_unchanged_lead_is_a_modified_statement():
    new = CRITERIA + ["c. Used in combination with an aromatase inhibitor"]
    d = diff_statements([with_criteria(CRITERIA)], [with_criteria(new)])
    assert not d.added and not d.removed and len(d.modified) == 1
    m = d.modified[0]
    assert not m.lead_changed and not m.position_changed
    assert m.criteria.added == ["c. Used in combination with an aromatase inhibitor"]
    assert not m.criteria.removed and not m.criteria.modified and m.criteria.unchanged == len(CRITERIA)


def test_criteria_removed_and_reworded_are_named():
    new = ["1. Advanced or metastatic breast cancer", "AND ALL of the following:", "a. Hormone receptor (HR)-positive",
           "b. HER2-negative"]
    m = diff_statements([with_criteria(CRITERIA)], [with_criteria(new)]).modified[0]
    assert [(c.old, c.new) for c in m.criteria.modified] == [("1. Advanced breast cancer",
                                                             "1. Advanced or metastatic breast cancer")]
    assert m.criteria.removed == ["2. Metastatic breast cancer"] and m.criteria.added == []
    assert [s.text for s in m.criteria.modified[0].redline if s.op == "insert"] == ["or metastatic"]


def test_renumbered_criteria_are_unchanged():
    renumbered = ["a. Advanced breast cancer", "b. Metastatic breast cancer", "AND ALL of the following:",
                  "i. Hormone receptor (HR)-positive", "ii. HER2-negative"]
    d = diff_statements([with_criteria(CRITERIA)], [with_criteria(renumbered)])
    assert d.unchanged == 1 and not d.modified


def test_same_lead_pairs_by_section_first():
    lead = "Testing is considered medically necessary when all of the following criteria are met:"
    old = [Statement(id="S1", text=f"{lead}\nA. Lung cancer stage IV", position="medically_necessary", section="Lung"),
           Statement(id="S2", text=f"{lead}\nA. Breast cancer stage IV", position="medically_necessary", section="Breast")]
    new = [Statement(id="S1", text=f"{lead}\nA. Breast cancer stage III or IV", position="medically_necessary",
                     section="Breast"),
           Statement(id="S2", text=f"{lead}\nA. Lung cancer stage IV", position="medically_necessary", section="Lung")]
    d = diff_statements(old, new)
    assert d.unchanged == 1 and len(d.modified) == 1
    assert d.modified[0].old.section == d.modified[0].new.section == "Breast"


def test_new_statement_beside_a_similar_one_is_added():
    old = [st("Genicular nerve radiofrequency ablation is considered medically necessary for adults with chronic "
              "knee pain from osteoarthritis.", "medically_necessary")]
    similar = st("Genicular nerve radiofrequency ablation is considered medically necessary for adults with chronic "
                 "knee pain after total knee arthroplasty.", "medically_necessary", 2)
    d = diff_statements(old, [old[0], similar])
    assert d.added == [similar] and not d.modified and not d.removed and d.unchanged == 1


def test_statement_split_in_two_and_merged():
    whole = st("Cooled and conventional radiofrequency ablation of the genicular nerves are considered "
               "investigational for chronic hip pain.", "investigational")
    parts = [st("Cooled radiofrequency ablation of the genicular nerves is considered investigational for chronic "
                "hip pain.", "investigational", 1),
             st("Conventional radiofrequency ablation of the genicular nerves is considered investigational for "
                "chronic hip pain.", "investigational", 2)]
    d = diff_statements([whole], parts)
    assert [(s.old, s.new) for s in d.split] == [(whole, parts)]
    assert not d.added and not d.removed and not d.modified
    back = diff_statements(parts, [whole])
    assert [(m.old, m.new) for m in back.merged] == [(parts, whole)]
    assert not back.added and not back.removed and not back.modified


def test_unrelated_new_statement_is_not_a_split():
    old = [st("Widget therapy is considered medically necessary for chronic widget deficiency in adults.",
              "medically_necessary")]
    new = [old[0], st("Gadget implants are not covered for cosmetic indications under any plan.", "not_covered", 2)]
    d = diff_statements(old, new)
    assert not d.split and len(d.added) == 1


def test_diff_criteria_alone():
    c = diff_criteria(["A. One thing;", "B. Another thing;"], ["A. One thing;", "B. Another thing; AND", "C. New"])
    assert c.added == ["C. New"] and len(c.modified) == 1 and c.unchanged == 1
