"""Turn prepared editions into commits on top of a tip, in memory (the store commits the batch).

`prepare()` does the per-document work that needs no lock (serialising, hashing, naming);
`Batch.apply()` decides, against the tree and history as they are under the lock, what each
edition is and builds its trees and commit in the pack:

- "unchanged": this very document (source bytes and record) is stored already; no commit;
- "another-format": a new file whose record the diff finds identical to the stored edition of
  the same date (the PDF of an edition stored as text): its source is kept beside the first
  (`source-<sha256 prefix>.<ext>`), and no edition is made;
- "correction": the same date, other content;
- "new": a new date.

Which policy an edition belongs to is its identity (layout.Identity): the folder it owns, a
folder `medpolicy mv` moved it to, or a policy of the same identity, or of a related payer
(`Identity.family_reason`), already in the store; a family join is said in the result's `note`.
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
from .layout import (EDITIONS, MARKDOWN, RECORD, SOURCE_EXT, Identity, date_sort_key, key_from_override,
                     placement)
from .pack import PackBuilder
from .results import PutRequest, PutResult
from .serialize import canonical_and_fingerprint, load_record, stored_policy
from .summary import compare, summarize
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
    edition, effective_from = placement(policy.dates, today or datetime.now(timezone.utc).strftime("%Y-%m-%d"))
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
        self._known: dict[str, list[str]] | None = None  # identity name (folded) -> keys holding it
        self.editions: list[Edition] = []  # committed in this batch, oldest first

    def apply(self, p: Prepared) -> PutResult:
        key, note = self._key_given(p.key) if p.key else self._key_for(p.identity)
        seen = self._seen(key, p)
        if seen is not None:
            return PutResult("unchanged", key=key, commit=seen.commit, effective=seen.effective,
                             effective_from=seen.effective_from, summary=seen.summary, source_name=p.source_name)
        folder = f"{key}/{EDITIONS}"
        dates = set((self.tree.listdir(folder) or {}).keys())
        same_date = p.edition in dates
        previous = p.edition if same_date else _previous(dates, p.edition)
        old = self._record(f"{folder}/{previous}/{RECORD}") if previous is not None else None
        summary, changed = compare(old, p.policy)
        if same_date and not changed:
            return self._another_format(key, p, note)
        revises, revised = self._revise_successor(key, dates, p)
        self._write_files(f"{folder}/{p.edition}", p)
        if max(dates | {p.edition}, key=date_sort_key) == p.edition:
            self._write_files(key, p)  # the folder's top level mirrors the latest edition
        status = "correction" if same_date else "new"
        ed = self._commit(Edition(
            key=key, effective=p.edition, status=status, summary=summary, compared_to=self._commit_of(key, previous),
            revises=revises, revised_summary=revised, joined=note, **self._fields(p)))
        if p.identity is not None:
            self._identities[key] = p.identity
            self._remember(p.identity, key)
        else:
            self._identities.pop(key, None)  # a --policy key: whoever owns it is in its record
        return PutResult(status, key=key, commit=ed.commit, effective=p.edition, effective_from=p.effective_from,
                         summary=summary, source_name=p.source_name, note=note)

    def _another_format(self, key: str, p: Prepared, note: str | None) -> PutResult:
        """The stored edition of this date, as another file: keep the file beside it."""
        name = f"source-{p.source_sha256[:12]}.{p.ext}"
        folder = f"{key}/{EDITIONS}"
        self.tree.put_blob(f"{folder}/{p.edition}/{name}", p.source)
        if max(self.tree.listdir(folder) or {}, key=date_sort_key) == p.edition:
            self.tree.put_blob(f"{key}/{name}", p.source)
        summary = f"same edition, another format ({p.ext})"
        ed = self._commit(Edition(key=key, effective=p.edition, status="another-format", summary=summary,
                                  compared_to=self._commit_of(key, p.edition), joined=note, **self._fields(p)))
        return PutResult("another-format", key=key, commit=ed.commit, effective=p.edition,
                         effective_from=p.effective_from, summary=summary, source_name=p.source_name, note=note)

    def _fields(self, p: Prepared) -> dict:
        return dict(ingested_at="", commit="", source_name=p.source_name, source_sha256=p.source_sha256,
                    record_sha256=p.fingerprint,
                    effective_from=p.effective_from, payer=p.policy.payer, policy_id=p.policy.policy_id,
                    title=p.policy.title, medpolicy_version=__version__)

    def _commit(self, ed: Edition) -> Edition:
        root = self.tree.write()
        now = int(time.time())
        ed = replace(ed, timestamp=now,
                     ingested_at=datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.head = self.pack.add("commit", format_commit(root, [self.head] if self.head else [], self._author,
                                                          now, format_message(ed)))
        ed = replace(ed, commit=self.head)
        self.editions.append(ed)
        return ed

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
            if name.startswith("source") and name != f"source.{p.ext}":  # other formats of other content
                self.tree.remove(f"{folder}/{name}")
        self._records[self.tree.put_blob(f"{folder}/{RECORD}", p.record)] = p.policy
        self.tree.put_blob(f"{folder}/{MARKDOWN}", p.markdown)
        self.tree.put_blob(f"{folder}/source.{p.ext}", p.source)

    def _history(self, key: str) -> list[Edition]:
        """This policy's commits, newest first, including those of this batch."""
        mine = [e for e in reversed(self.editions) if e.key == key]
        return mine + self._index.by_key().get(key, [])

    def _seen(self, key: str, p: Prepared) -> Edition | None:
        for ed in self._history(key):
            if ed.status != "move" and ed.source_sha256 == p.source_sha256 and ed.record_sha256 == p.fingerprint:
                return ed
        return None

    def _commit_of(self, key: str, edition: str | None) -> str | None:
        """The commit that last wrote edition `edition` of `key` (what a summary compared with)."""
        if edition is None:
            return None
        for ed in self._history(key):
            if ed.effective == edition and ed.is_edition:
                return ed.commit
        return None

    # --- which policy -------------------------------------------------------------------------

    def _key_for(self, identity: Identity | None) -> tuple[str, str | None]:
        """The key of the policy `identity` belongs to, and a note when it joined a policy under
        another payer name of its family."""
        assert identity is not None
        base = self._follow(identity.base_key)
        owner = self._owner(base)
        if owner is None:
            return self._existing(identity) or (base, None)
        if owner == identity:
            return base, None
        reason = owner.family_reason(identity)
        if reason is not None:
            return base, f"joined {base}: {reason}"
        found = self._existing(identity)
        if found is not None:
            return found
        alt = self._follow(identity.alternate_key())
        owner = self._owner(alt)
        if owner is None or owner == identity:
            return alt, None
        raise StoreError(f"two policies need the folder {alt}; name this one with --policy")

    def _key_given(self, key: str) -> tuple[str, str | None]:
        """A key named with --policy, or where `medpolicy mv` took it."""
        moved = self._follow(key)
        return (moved, f"{key} was moved to {moved}") if moved != key else (key, None)

    def _follow(self, key: str) -> str:
        """Where `medpolicy mv` moved `key` to, if it did (following moves of moves)."""
        redirects = self._index.redirects()
        seen = {key}
        while key in redirects and redirects[key] not in seen:
            key = redirects[key]
            seen.add(key)
        return key

    def _existing(self, identity: Identity) -> tuple[str, str | None] | None:
        """A policy already in the store with this identity under another folder (its folder was
        named by an older rule), else one of a related payer; None when there is none, or when
        several related ones would fit (joining one of them would be a guess)."""
        keys = self._known_names().get(identity.name.casefold(), [])
        owners = [(k, self._owner(k)) for k in keys]
        exact = [k for k, o in owners if o == identity]
        if exact:
            return exact[0], None
        related = [(k, o.family_reason(identity)) for k, o in owners if o is not None]
        related = [(k, r) for k, r in related if r is not None]
        if len(related) == 1:
            return related[0][0], f"joined {related[0][0]}: {related[0][1]}"
        return None

    def _known_names(self) -> dict[str, list[str]]:
        """Identity name (folded) -> keys of the policies in the store that have it, from the
        history's trailers (no record is read)."""
        if self._known is None:
            self._known = {}
            for key, eds in self._index.by_key().items():
                latest = next((e for e in eds if e.is_edition), None)
                if latest is None or not self._present(key):
                    continue
                try:
                    ident = Identity.of(latest.payer, latest.policy_id, latest.title)
                except UsageError:
                    continue
                self._known.setdefault(ident.name.casefold(), []).append(key)
        return self._known

    def _remember(self, identity: Identity, key: str) -> None:
        keys = self._known_names().setdefault(identity.name.casefold(), [])
        if key not in keys:
            keys.append(key)

    def _present(self, key: str) -> bool:
        return self.tree.entry(f"{key}/{RECORD}") is not None

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
