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
