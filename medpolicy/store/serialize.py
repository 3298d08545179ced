"""Canonical JSON for records in the store, so `git diff` of the store shows only real changes.

Canonical form: the record's JSON with keys sorted, lists kept in document order (order is
meaning: statement S1 comes before S2), one field per line (two-space indent), UTF-8 text
rather than escapes, and a trailing newline. The same record always gives the same bytes.

`source.path` is stored as the file's base name only: where a file sat on someone's disk is not
part of the policy, and full paths would make the same document look changed.
"""
from __future__ import annotations

import hashlib
import json
import posixpath

from typing import TYPE_CHECKING

from ..errors import StoreError

if TYPE_CHECKING:
    from ..models import Policy


def stored_policy(policy: Policy, source_name: str) -> Policy:
    """The record as the store keeps it: source path reduced to the file's base name."""
    name = posixpath.basename(source_name.replace("\\", "/")) or "source"
    return policy.model_copy(update={"source": policy.source.model_copy(update={"path": name})})


def _sorted(value: object) -> object:
    """`value` with every dict's keys in order; scalars are not visited one call each (a record
    holds tens of thousands of them, and this runs for every edition written)."""
    kind = type(value)
    if kind is dict:
        out = {}
        for k in sorted(value):  # type: ignore[call-overload]
            v = value[k]  # type: ignore[index]
            out[k] = _sorted(v) if type(v) in (dict, list) else v
        return out
    if kind is list:
        return [_sorted(v) if type(v) in (dict, list) else v for v in value]  # type: ignore[union-attr]
    return value


def _dumps(data: object, *, presorted: bool = False) -> bytes:
    """`json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)` plus a newline, byte for
    byte (tests hold the two encoders equal); pydantic-core's encoder is ~3x faster, which
    matters on the bulk write path."""
    from pydantic_core import PydanticSerializationError, to_json

    try:
        return to_json(data if presorted else _sorted(data), indent=2) + b"\n"
    except PydanticSerializationError:  # a lone surrogate from a broken document: escape it
        return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=True) + "\n").encode("ascii")


def reference_dumps(data: object) -> bytes:
    """The definition of the canonical form, for tests."""
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def canonical_json(policy: Policy) -> bytes:
    return _dumps(policy.model_dump(mode="json"))


def canonical_and_fingerprint(policy: Policy) -> tuple[bytes, str]:
    """The canonical record, and the sha256 of its canonical form without `source.path` (the
    record's content identity: the same document read from another folder is the same)."""
    data = _sorted(policy.model_dump(mode="json"))
    record = _dumps(data, presorted=True)
    data["source"] = {**data["source"], "path": ""}  # type: ignore[index]
    return record, hashlib.sha256(_dumps(data, presorted=True)).hexdigest()


def load_record(data: bytes, *, where: str) -> Policy:
    """Parse a stored record, naming the store path when it does not match the schema."""
    from pydantic import ValidationError

    from ..models import Policy

    try:
        return Policy.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        loc = ".".join(str(x) for x in first.get("loc", ()))
        raise StoreError(f"stored record does not match the schema ({loc}: {first.get('msg', exc)})",
                         path=where) from exc
