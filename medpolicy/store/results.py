"""Plain records the store hands back (Edition lives in history.py, next to its commit format)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..models import Policy

Status = Literal["new", "unchanged", "correction", "failed"]


@dataclass(frozen=True)
class PutRequest:
    """One edition to store: the parsed record, the exact bytes it was parsed from, the file's
    name (kept as `source_name`; only its base name is stored), and optionally a store key
    (`PAYER/ID` or `ID`) that overrides the one derived from the record."""

    policy: Policy
    source_bytes: bytes
    source_name: str
    key: str | None = None


@dataclass(frozen=True)
class PutResult:
    """What happened to one request. `status`:

    - "new": a new edition (a new effective date) was committed;
    - "correction": a new commit replacing the edition with the same effective date;
    - "unchanged": this document (same source bytes and same record) was already stored, no
      commit; `commit` is the commit that stored it;
    - "failed": only from `put_many`: the request was refused before anything was written;
      `error` says why (`put` raises instead).

    A result other than "failed" is only returned once the commit is on disk (fsynced)."""

    status: Status
    key: str | None = None
    commit: str | None = None
    effective: str | None = None
    summary: str | None = None
    source_name: str = ""
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PolicySummary:
    """One policy in the store: `latest_effective` is the greatest effective date; `editions`
    counts distinct effective dates, `commits` every edition commit including corrections."""

    key: str
    payer: str | None
    policy_id: str | None
    title: str | None
    latest_effective: str
    editions: int
    commits: int

    def to_dict(self) -> dict:
        return asdict(self)
