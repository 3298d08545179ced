"""Change classes: the rules file, and each class decided as the issue defines it."""
import json

import pytest
from pydantic import ValidationError

from medpolicy.diff import diff_policies
from medpolicy.diff.classes import ClassRules, Classifier, load_rules, parse_rules
from medpolicy.errors import MedpolicyError
from medpolicy.models import Code, HistoryEntry, PolicyDates, Reference, Section

from .diff_builders import BACKGROUND, STATEMENTS, edition

CLASSES = ["coverage", "coding", "administrative", "references", "evidence", "editorial"]


def raw_rules() -> dict:
    from importlib import resources

    return json.loads(resources.files("medpolicy.diff").joinpath("rules/classes.json").read_text("utf-8"))


# -- the rules file --------------------------------------------------------------------------

def test_rules_name_the_six_classes_in_report_order_and_the_substantive_ones():
    rules = load_rules()
    assert rules.names == CLASSES
    assert rules.substantive == {"coverage", "coding"}


@pytest.mark.parametrize("mutate, message", [
    (lambda r: r.update(surprise=1), "surprise"),
    (lambda r: r["editorial"].update(spelling_max_edit=1), "spelling_max_edit"),
    (lambda r: r["records"].update(statements="coverrage"), "coverrage"),
    (lambda r: r["sections"]["kinds"].update(policy="substance"), "substance"),
    (lambda r: r["records"].pop("codes"), "records must name"),
    (lambda r: r["administrative"]["patterns"].append("(unclosed"), "administrative"),
])
def test_rules_reject_unknown_keys_and_classes(mutate, message):
    raw = raw_rules()
    mutate(raw)
    with pytest.raises(ValidationError) as exc:
        ClassRules.model_validate(raw)
    assert message in str(exc.value)


def test_a_broken_rules_file_is_one_clear_error():
    for text in ("{not json", json.dumps({**raw_rules(), "extra": True})):
        with pytest.raises(MedpolicyError) as exc:
            parse_rules(text)
        assert str(exc.value).startswith("invalid change-class rules (rules/classes.json): ")
        assert "\n" not in str(exc.value)


# -- classes of changes, end to end ------------------------------------------------------------

def classes(d) -> dict:
    return {k: v for k, v in d.summary.classes.items() if v}


def test_every_change_has_a_class_and_the_summary_counts_them():
    new = edition(codes=edition().codes + [Code(system="CPT", code="64625")],
                  dates=PolicyDates(effective="2026-03-01", original_effective="2016-10-01"))
    d = diff_policies(edition(), new)
    assert d.summary.classes == {"coverage": 0, "coding": 1, "administrative": 1, "references": 0, "evidence": 0,
                                 "editorial": 0}
    data = json.loads(d.to_json())
    assert [(c["kind"], c["class"]) for c in data["changes"]] == [("codes", "coding"), ("metadata", "administrative")]
    assert data["metadata"][0]["class"] == "administrative"


def test_criterion_added_under_an_unchanged_lead_is_coverage_and_substantive():
    lead, _, crit = STATEMENTS[0][0].partition("\n")
    criteria = crit.split("\n")
    old = edition(statements=[(t, p) for t, p in STATEMENTS])
    old.statements[0].criteria = criteria
    new = edition(statements=[("\n".join([lead, *criteria, "3. Imaging shows osteoarthritis."]), STATEMENTS[0][1])]
                  + STATEMENTS[1:])
    new.statements[0].criteria = [*criteria, "3. Imaging shows osteoarthritis."]
    d = diff_policies(old, new)
    assert len(d.statements.modified) == 1 and d.statements.modified[0].change_class == "coverage"
    assert d.statements.modified[0].criteria.added == ["3. Imaging shows osteoarthritis."]
    assert d.summary.substantive and d.summary.classes["coverage"] >= 1


def test_letterhead_and_address_change_is_administrative_not_substantive():
    def letterhead(lines):
        e = edition()
        e.sections.insert(0, Section(heading=None, kind="metadata", text="\n".join(lines)))
        return e

    old = letterhead(["Northwind Health Plan", "120 Harbor Street NW, Suite 400", "Seattle, WA 98101",
                      "Phone 206-555-0100 Fax 206-555-0199", "www.northwind.example"])
    new = letterhead(["Northwind Health Plan", "77 Lake Avenue, Floor 12", "Tacoma, WA 98402",
                      "Phone 1-800-555-0142 Fax (253) 555-0111", "www.northwind.example/policies"])
    d = diff_policies(old, new)
    assert d.changed and not d.summary.substantive
    assert classes(d) == {"administrative": d.summary.classes["administrative"]}


def test_address_line_in_a_coverage_section_is_still_administrative():
    old, new = edition(), edition()
    old.sections[0].text += "\nFederal Employee Program, 750 9th St NW, Washington, D.C. 20001, 202.942.1000"
    new.sections[0].text += "\nFederal Employee Program, 750 9th St NW, Suite 900, Washington, D.C. 20001, 1-800-624-5060"
    d = diff_policies(old, new)
    assert d.changed and not d.summary.substantive and classes(d) == {"administrative": 1}


def test_dates_changed_inside_prose_are_administrative():
    old, new = edition(), edition()
    old.sections[1].text += "\nThis policy was approved by the committee on June 13, 2024 and is effective July 1, 2024."
    new.sections[1].text += "\nThis policy was approved by the committee on June 12, 2025 and is effective July 1, 2025."
    assert classes(diff_policies(old, new)) == {"administrative": 1}


@pytest.mark.parametrize("old, new", [
    ("Randomized trials report greater pain relief at six months.", "Randomised trials report greater pain relief at six months."),
    ("Randomized trials report greater pain relief at six months.", "randomized trials report greater pain-relief at six months"),
    ("Cooled radiofrequency creates larger lesions.", "Cooled radio frequency creates larger lesions."),
    ("Males must have suppression of testicular steroidogensis.", "Males must have suppression of testicular steroidogenesis."),
])
def test_punctuation_case_spelling_and_spacing_are_editorial(old, new):
    d = diff_policies(edition(background=BACKGROUND + [old]), edition(background=BACKGROUND + [new]))
    assert classes(d) == {"editorial": 1} and not d.summary.substantive


@pytest.mark.parametrize("old, new", [
    ("Patients aged ≥ 18 years are eligible.", "Patients aged < 18 years are eligible."),
    ("Repeat after 10.5 months.", "Repeat after 105 months."),
    ("The lesion is typical of the disease.", "The lesion is atypical of the disease."),
    ("Therapy is covered for adults.", "Therapy is not covered for adults."),
])
def test_changes_of_meaning_are_not_editorial(old, new):
    clf = Classifier(edition(), edition())
    assert not clf.editorial_only(old, new)


def test_editorial_statement_edit_is_reported_but_not_a_modification():
    reworded = [(STATEMENTS[2][0].replace("Repeat ablation", "Repeat Ablation"), STATEMENTS[2][1])]
    d = diff_policies(edition(), edition(statements=STATEMENTS[:2] + reworded))
    assert not d.statements.modified and len(d.statements.editorial) == 1
    assert d.statements.editorial[0].change_class == "editorial"
    assert not d.summary.substantive and d.summary.classes["editorial"] >= 1
    assert "1 statement edited editorially" in d.summary_line()


def test_section_kind_decides_the_class_of_text_changes():
    def edited(kind, heading):
        old, new = edition(), edition()
        for e, word in ((old, "quarterly"), (new, "monthly")):
            e.sections.append(Section(heading=heading, kind=kind, text=f"Progress notes are reviewed {word} by the plan."))
        return classes(diff_policies(old, new))

    assert edited("policy", "Coverage Criteria") == {"coverage": 1}
    assert edited("guidelines", "Policy Guidelines") == {"coverage": 1}
    assert edited("coding", "Coding") == {"coding": 1}
    assert edited("evidence", "Rationale") == {"evidence": 1}
    assert edited("description", "Background") == {"evidence": 1}
    assert edited("guidelines", "Regulatory Status") == {"evidence": 1}  # a heading rule before the kind
    assert edited("history", "Policy History") == {"administrative": 1}
    assert edited("other", "Something Unrecognised") == {"evidence": 1}


def test_reference_access_date_in_the_references_section_stays_a_reference_change():
    refs = edition().references
    new_refs = [refs[0], refs[1], refs[2].model_copy(update={"text": refs[2].text.replace("June 30, 2025", "May 1, 2026")}),
                refs[3]]
    d = diff_policies(edition(), edition(references=new_refs))
    assert classes(d) == {"references": 2}  # the record and its line in the References section


def test_history_and_related_policies_are_administrative():
    new = edition(history=edition().history + [HistoryEntry(date="2026-03", date_text="03/2026", summary="Annual review.")],
                  related_policies=[], references=edition().references + [Reference(text="New A. New trial. 2026.")])
    d = diff_policies(edition(), new)
    kinds = {(c.kind, c.change_class) for c in d.changes if c.kind != "sections"}
    assert kinds == {("history", "administrative"), ("related_policies", "administrative"), ("references", "references")}
    assert not d.summary.substantive


def test_split_statement_is_coverage():
    whole = ("Cooled and conventional radiofrequency ablation of the genicular nerves are considered investigational "
             "for chronic hip pain.", "investigational")
    parts = [("Cooled radiofrequency ablation of the genicular nerves is considered investigational for chronic hip "
              "pain.", "investigational"),
             ("Conventional radiofrequency ablation of the genicular nerves is considered investigational for chronic "
              "hip pain.", "investigational")]
    d = diff_policies(edition(statements=STATEMENTS + [whole]), edition(statements=STATEMENTS + parts))
    assert len(d.statements.split) == 1 and d.statements.split[0].change_class == "coverage"
    assert "1 statement split" in d.summary_line() and d.summary.substantive


def test_statement_position_change_is_coverage_even_with_the_same_words():
    new = edition(statements=STATEMENTS[:2] + [(STATEMENTS[2][0], "not_covered")])
    d = diff_policies(edition(), new)
    assert d.statements.modified[0].change_class == "coverage" and d.summary.substantive



@pytest.mark.parametrize("model, data", [
    ("NoiseRules", {"_doc": "x", "hints": [], "lines": ["("]}),
    ("HeadingRule", {"pattern": "[a-", "class": "evidence"}),
    ("AdministrativeRules", {"class": "administrative", "not_in": [], "patterns": ["(?P<"], "label_words": []}),
])
def test_a_pattern_that_does_not_compile_is_refused_when_the_rules_load(model, data):
    from medpolicy.diff import classes

    with pytest.raises(ValidationError, match="bad regular expression"):
        getattr(classes, model).model_validate(data)


def test_a_section_kind_the_models_do_not_know_is_refused_when_the_rules_load():
    from medpolicy.diff import classes

    classes.SectionRules.model_validate({"headings": [], "kinds": {"policy": "coverage"}, "default": "evidence"})
    with pytest.raises(ValidationError):
        classes.SectionRules.model_validate({"headings": [], "kinds": {"appendix": "evidence"}, "default": "evidence"})
