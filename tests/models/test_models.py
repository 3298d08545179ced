import json

import pytest
from pydantic import ValidationError

from medpolicy.models import Code, Policy, Section, SectionKind, SourceInfo, Statement


def sample():
    return Policy(policy_id="1.2", title="T", source=SourceInfo(path="a.txt", sha256="0" * 64, format="text"),
                  statements=[Statement(id="S1", text="x is covered", position="covered")],
                  codes=[Code(system="CPT", code="12345")])


def test_json_round_trip():
    p = sample()
    assert Policy.from_json(p.to_json()) == p


def test_extra_fields_forbidden():
    data = json.loads(sample().to_json())
    data["unexpected"] = 1
    with pytest.raises(ValidationError):
        Policy.model_validate(data)


def test_closed_vocabularies():
    with pytest.raises(ValidationError):
        Statement(id="S1", text="x", position="maybe")
    with pytest.raises(ValidationError):
        Code(system="LOINC", code="1")
    with pytest.raises(ValidationError):
        Section(heading="Appendix", kind="appendix")


@pytest.mark.parametrize("kind", list(SectionKind))
def test_section_kind_is_its_string_in_json_and_text(kind):
    section = Section(heading="H", kind=kind.value)
    assert section.kind is kind
    assert json.loads(section.model_dump_json())["kind"] == kind.value
    assert section.model_dump(mode="json")["kind"] == kind.value
    assert json.dumps(section.model_dump()["kind"]) == f'"{kind.value}"'
    assert str(section.kind) == f"{section.kind}" == kind.value  # renderings print the plain word


def test_a_section_without_a_kind_is_other():
    assert Section(heading="H").kind is SectionKind.OTHER
    assert json.loads(Section(heading="H").model_dump_json())["kind"] == "other"


def test_schema_names_contract_fields():
    props = Policy.model_json_schema()["properties"]
    for key in ("policy_id", "title", "payer", "dates", "related_policies", "statements", "codes", "history",
                "references", "sections", "source", "warnings"):
        assert key in props
