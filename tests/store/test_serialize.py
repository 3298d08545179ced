"""Canonical JSON: the fast encoder writes exactly what json.dumps defines."""
from __future__ import annotations

import json

import pytest

from medpolicy.models import Policy
from medpolicy.store.serialize import (_dumps, canonical_and_fingerprint, canonical_json, load_record,
                                       reference_dumps, stored_policy)
from medpolicy.errors import StoreError
from tests.store.docs import record

TRICKY = ["", "plain", "quote \" backslash \\\\ slash /", "\x00\x01\x1f\x7f", "tab\tnl\ncr\r\b\f", "é ü ß 中文 💊",
          "\u2028\u2029", "\ufeffbom", "</script>", "a" * 10000]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_encoder_matches_the_definition(text):
    data = {"b": [text, {"z": None, "a": True, "m": [1, -2, 0, 10**18]}], "a": {"y": text, "x": []}, "c": {}}
    assert _dumps(data) == reference_dumps(data)


def test_canonical_form_properties():
    policy, _ = record(text="Widget therapy is investigational.")
    data = canonical_json(policy)
    assert data.endswith(b"}\n") and data.count(b"\n") > 20  # one field per line
    keys = [k for k in json.loads(data)]
    assert keys == sorted(keys)
    assert canonical_json(Policy.from_json(data)) == data  # stable round trip
    assert reference_dumps(json.loads(data)) == data


def test_lone_surrogates_are_escaped_not_fatal():
    assert _dumps({"a": "\ud800x"}) == b'{\n  "a": "\\ud800x"\n}\n'


def test_fingerprint_ignores_where_the_file_was():
    policy, _ = record()
    a = canonical_and_fingerprint(stored_policy(policy, "/home/me/x/file.txt"))
    b = canonical_and_fingerprint(stored_policy(policy, "C:\\\\docs\\\\other-name.txt"))
    assert a[1] == b[1] and a[0] != b[0]
    assert json.loads(a[0])["source"]["path"] == "file.txt"
    assert json.loads(b[0])["source"]["path"] == "other-name.txt"
    changed, _ = record(text="something else")
    assert canonical_and_fingerprint(stored_policy(changed, "file.txt"))[1] != a[1]


def test_load_record_names_the_place():
    with pytest.raises(StoreError, match="x/record.json"):
        load_record(b'{"nope": 1}', where="x/record.json")
