"""Turn prepared editions into commits on top of a tip, in memory (the store commits the batch).

`prepare()` does the per-document work that needs no lock (serialising, hashing, naming);
`Batch.apply()` decides, against the tree and history as they are under the lock, what each
edition is (new, correction, unchanged) and builds its trees and commit in the pack.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from .. import __version__
from ..errors import StoreError, UsageError
from ..models import Policy
from .gitio import CatFile, Signature, format_commit
from .history import Edition, HistoryIndex, format_message
from .layout import (EDITIONS, MARKDOWN, RECORD, SOURCE_EXT, Identity, date_sort_key, edition_name,
                     key_from_override)
from .pack import PackBuilder
from .results import PutRequest, PutResult
from .serialize import canonical_and_fingerprint, load_record, stored_policy
from .summary import summarize
from .trees import TreeEditor


@dataclass(frozen=True)
class Prepared:
    policy: Policy  # as stored (source.path = base name)
    record: bytes
    markdown: bytes
    source: bytes
    source_name: str
    source_sha256: str
    fingerprint: str
    identity: Identity | None  # None when the key was given
    key: str | None
    edition: str
    effective_from: str
    ext: str


def prepare(req: PutRequest, *, today: str | None = None) -> Prepared:
    """Serialise and check one request; raises a MedpolicyError for a request that cannot be
    stored (the rest of a batch still lands)."""
    from ..models.markdown import policy_to_markdown

    sha = hashlib.sha256(req.source_bytes).hexdigest()
    if sha != req.policy.source.sha256:
        raise UsageError("the source bytes do not match the record's source.sha256 "
                         "(the file changed after it was parsed?)", path=req.source_name)
    policy = stored_policy(req.policy, req.source_name)
    if req.key:
        key, identity = key_from_override(req.key, policy.payer), None
    else:
        key, identity = None, Identity.of(policy.payer, policy.policy_id, policy.title)
    edition = edition_name(policy.effective)
    effective_from = "document"
    if edition is None:
        edition = today or datetime.now(timezone.utc).strftime("%Y-%m-%d")
        effective_from = "ingest-date"
    record, fingerprint = canonical_and_fingerprint(policy)
    return Prepared(policy=policy, record=record,
                    markdown=policy_to_markdown(policy).encode("utf-8", "surrogateescape"),
                    source=req.source_bytes, source_name=policy.source.path, source_sha256=sha,
                    fingerprint=fingerprint, identity=identity, key=key, edition=edition,
                    effective_from=effective_from, ext=SOURCE_EXT[policy.source.format])


class Batch:
    """Commits built in memory on top of `tip`; nothing is visible until the store writes
    `pack` and moves the branch from `tip` to `head`."""

    def __init__(self, reader: CatFile, index: HistoryIndex, tip: str | None, root_tree: str | None,
                 author: Signature):
        self.pack = PackBuilder()
        self.tip = tip
        self.head = tip
        self.tree = TreeEditor(reader, self.pack, root_tree)
        self._index = index
        self._author = author
        self._identities: dict[str, Identity | None] = {}
        self._records: dict[str, Policy] = {}  # record blob id -> its record
        self.editions: list[Edition] = []  # committed in this batch, oldest first

    def apply(self, p: Prepared) -> PutResult:
        key = p.key or self._key_for(p.identity)
        seen = self._seen(key, p)
        if seen is not None:
            return PutResult("unchanged", key=key, commit=seen.commit, effective=seen.effective,
                             summary=seen.summary, source_name=p.source_name)
        folder = f"{key}/{EDITIONS}"
        dates = set((self.tree.listdir(folder) or {}).keys())
        correction = p.edition in dates
        previous = p.edition if correction else _previous(dates, p.edition)
        old = None
        if previous is not None:
            where = f"{folder}/{previous}/{RECORD}"
            old = self._record(where)
        summary = summarize(old, p.policy)
        revises, revised = self._revise_successor(key, dates, p)
        self._write_files(f"{folder}/{p.edition}", p)
        if max(dates | {p.edition}, key=date_sort_key) == p.edition:
            self._write_files(key, p)  # the folder's top level mirrors the latest edition
        root = self.tree.write()
        now = int(time.time())
        ed = Edition(key=key, effective=p.edition, commit="", timestamp=now,
                     ingested_at=datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                     source_name=p.source_name, source_sha256=p.source_sha256, summary=summary,
                     correction=correction, record_sha256=p.fingerprint,
                     compared_to=self._commit_of(key, previous), effective_from=p.effective_from,
                     payer=p.policy.payer, policy_id=p.policy.policy_id, title=p.policy.title,
                     medpolicy_version=__version__, revises=revises, revised_summary=revised)
        commit = self.pack.add("commit", format_commit(root, [self.head] if self.head else [], self._author,
                                                       now, format_message(ed)))
        self.head = commit
        ed = replace(ed, commit=commit)
        if p.identity is not None:
            self._identities[key] = p.identity
        else:
            self._identities.pop(key, None)  # a --policy key: whoever owns it is in its record
        self.editions.append(ed)
        return PutResult("correction" if correction else "new", key=key, commit=commit, effective=p.edition,
                         summary=summary, source_name=p.source_name)

    def _revise_successor(self, key: str, dates: set[str], p: Prepared) -> tuple[str | None, str | None]:
        """The next edition by effective date now follows this one: its summary, again."""
        later = [d for d in dates if date_sort_key(d) > date_sort_key(p.edition)]
        if not later:
            return None, None
        successor = min(later, key=date_sort_key)
        where = f"{key}/{EDITIONS}/{successor}/{RECORD}"
        record = self._record(where)
        commit = self._commit_of(key, successor)
        if record is None or commit is None:
            return None, None
        return commit, summarize(p.policy, record)

    def _record(self, where: str) -> Policy | None:
        """The record at `where` in the tree being built; records written by this batch are
        taken as the objects they came from rather than parsed again."""
        oid = self.tree.entry(where)
        if oid is None:
            return None
        if oid not in self._records:
            data = self.tree.read_blob(where)
            if data is None:
                return None
            self._records[oid] = load_record(data, where=where)
        return self._records[oid]

    def _write_files(self, folder: str, p: Prepared) -> None:
        for name in list((self.tree.listdir(folder) or {}).keys()):
            if name.startswith("source.") and name != f"source.{p.ext}":
                self.tree.remove(f"{folder}/{name}")
        self._records[self.tree.put_blob(f"{folder}/{RECORD}", p.record)] = p.policy
        self.tree.put_blob(f"{folder}/{MARKDOWN}", p.markdown)
        self.tree.put_blob(f"{folder}/source.{p.ext}", p.source)

    def _history(self, key: str) -> list[Edition]:
        """This policy's editions, newest commit first, including those of this batch."""
        mine = [e for e in reversed(self.editions) if e.key == key]
        return mine + self._index.by_key().get(key, [])

    def _seen(self, key: str, p: Prepared) -> Edition | None:
        for ed in self._history(key):
            if ed.source_sha256 == p.source_sha256 and ed.record_sha256 == p.fingerprint:
                return ed
        return None

    def _commit_of(self, key: str, edition: str | None) -> str | None:
        """The commit that last wrote edition `edition` of `key` (what a summary compared with)."""
        if edition is None:
            return None
        for ed in self._history(key):
            if ed.effective == edition:
                return ed.commit
        return None

    def _key_for(self, identity: Identity | None) -> str:
        assert identity is not None
        base = identity.base_key
        owner = self._owner(base)
        if owner is None or owner == identity:
            return base
        alt = identity.alternate_key()
        owner = self._owner(alt)
        if owner is None or owner == identity:
            return alt
        raise StoreError(f"two policies need the folder {alt}; name this one with --policy")

    def _owner(self, key: str) -> Identity | None:
        """The identity whose editions live under `key` (None when the folder is free)."""
        if key not in self._identities:
            data = self.tree.read_blob(f"{key}/{RECORD}")
            owner: Identity | None = None
            if data is not None:
                try:
                    rec = json.loads(data)
                except ValueError:
                    raise StoreError(f"{key}/{RECORD} is not valid JSON (see `medpolicy verify`)") from None
                try:
                    owner = Identity.of(rec.get("payer"), rec.get("policy_id"), rec.get("title"))
                except UsageError:  # stored under a --policy key with neither id nor title
                    owner = Identity("", "key:" + key)
            self._identities[key] = owner
        return self._identities[key]


def _previous(dates: set[str], edition: str) -> str | None:
    earlier = [d for d in dates if date_sort_key(d) < date_sort_key(edition)]
    return max(earlier, key=date_sort_key) if earlier else None
