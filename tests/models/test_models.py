import json

import pytest
from pydantic import ValidationError

from medpolicy.models import Code, Policy, SourceInfo, Statement


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


def test_schema_names_contract_fields():
    props = Policy.model_json_schema()["properties"]
    for key in ("policy_id", "title", "payer", "dates", "related_policies", "statements", "codes", "history",
                "references", "sections", "source", "warnings"):
        assert key in props
