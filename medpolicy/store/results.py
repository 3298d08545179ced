"""Plain records the store hands back (Edition lives in history.py, next to its commit format)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..models import Policy

Status = Literal["new", "unchanged", "correction", "another-format", "failed"]


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

    - "new": a new edition (a new date) was committed;
    - "correction": a new commit replacing the edition with the same date (other content);
    - "another-format": the same edition (the diff finds no change against the stored edition
      of that date) as another file: its source was kept beside the first, no edition made;
    - "unchanged": this document (same source bytes and same record) was already stored, no
      commit; `commit` is the commit that stored it;
    - "failed": only from `put_many`: the request was refused before anything was written;
      `error` says why (`put` raises instead).

    `effective` is the edition's folder (its date) and `effective_from` the date that placed it
    (layout.placement). `note` says when the edition joined a policy under another payer name.
    A result other than "failed" is only returned once the commit is on disk (fsynced); from a
    dry run, nothing is written and `commit` is None for what would be committed."""

    status: Status
    key: str | None = None
    commit: str | None = None
    effective: str | None = None
    summary: str | None = None
    source_name: str = ""
    error: str | None = None
    effective_from: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PolicySummary:
    """One policy in the store: `latest_effective` is the latest edition's date (its folder)
    and `latest_effective_from` the date that placed it (layout.placement); `editions` counts
    distinct dates, `commits` every commit of the policy including corrections."""

    key: str
    payer: str | None
    policy_id: str | None
    title: str | None
    latest_effective: str
    editions: int
    commits: int
    latest_effective_from: str = "effective"

    @property
    def latest_placed(self) -> str:
        from .layout import describe_placement

        return describe_placement(self.latest_effective, self.latest_effective_from)

    def to_dict(self) -> dict:
        from .layout import edition_date

        return {**asdict(self), "latest_edition": self.latest_effective,
                "latest_effective": edition_date(self.latest_effective), "latest_placed": self.latest_placed}
