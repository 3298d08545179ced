"""PolicyStore: every edition of every policy, in an ordinary git repository.

Layout of the branch (HEAD's branch, `main` in a new store):

    .medpolicy/store.json               marks the repository as a policy store
    README.md                           what the layout is, for people browsing with git
    <payer>/<policy>/record.json        the latest edition by effective date (canonical JSON)
    <payer>/<policy>/policy.md          ... rendered as markdown
    <payer>/<policy>/source.<ext>       ... and its source file, byte for byte
    <payer>/<policy>/editions/<effective date>/{record.json,policy.md,source.<ext>}
                                        every edition, by the date it takes effect

One commit per edition, message and trailers as in history.py. Editions are ordered by
effective date whatever order they arrive in; an older edition arriving late is added under
editions/ without touching the top-level files or rewriting any commit. "What the store knew
at a moment" is the tree of the last commit made before it (`as_known_at`).

Writes never touch an index or work tree: objects go into one fsynced pack per batch
(pack.py), then the branch moves with `git update-ref REF NEW OLD`, a compare-and-swap that
fails if anything else moved it, in which case the batch is rebuilt on the new tip. Writers
hold an flock (lock.py) so they queue instead of racing; a killed writer leaves the branch
where it was, and the next one removes its leftovers. A result is returned only after the pack
and the ref are on disk. A store that is a non-bare clone gets its work tree brought up to date
after each batch (`git read-tree -m -u`, see `_sync_work_tree`), with Ctrl-C held off until it is
done and completed by the next write if a kill cut it short; the store itself never depends on
it, and `verify` reports a work tree out of step.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from .. import __version__
from ..errors import MedpolicyError, NotFoundError, StorageError, StoreError, UsageError, os_failure
from .gitio import FSYNC_CONFIG, CatFile, Git, GitError, Signature, check_owner, find_git_dir, format_commit
from .history import Edition, HistoryIndex, format_message, one_line, scan
from .layout import (EDITIONS, META_DIR, META_FILE, RECORD, check_key, date_sort_key, is_key, safe_name)
from .lock import StoreLock
from .pack import fsync_dir, remove_leftovers
from .results import PolicySummary, PutRequest, PutResult
from .serialize import load_record
from .shield import shielded
from .summary import summarize

if TYPE_CHECKING:  # pydantic models load only when a record is read or written
    from ..models import Policy
    from .writer import Prepared

DEFAULT_BRANCH = "main"
STORE_FORMAT = 1
BATCH_BYTES = 64 * 1024 * 1024  # source bytes per pack: bounds memory for batches of large PDFs
CAS_RETRIES = 20
STALE_REF_LOCK = 2.0  # seconds: git holds a ref's .lock for milliseconds
WORKTREE_MARK = "medpolicy-worktree"  # in the git dir: the commit a non-bare store's work tree is at
STALE_MAINTENANCE_LOCK = 60.0  # seconds: writing the commit-graph of 10,000 commits takes ~4 s
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMMIT_RE = re.compile(r"^[0-9a-fA-F]{4,40}$")
_LOCK_RE = re.compile(r"Unable to create '(.+?\.lock)': File exists")

_README = """# Policy store

Created by medpolicy {version}. Every edition of every policy, one commit per edition.

    <payer>/<policy>/record.json       latest edition by effective date (canonical JSON)
    <payer>/<policy>/policy.md         the same, readable
    <payer>/<policy>/source.<ext>      the document it was parsed from, byte for byte
    <payer>/<policy>/editions/<date>/  every edition, by effective date

Commit trailers (`Medpolicy-Key`, `Effective`, `Source-SHA256`, ...) make the history queryable
with git alone, e.g. `git log --grep='^Medpolicy-Key: PAYER/ID$'`.
"""


class PolicyStore:
    """A policy store: a git repository (bare, or a clone with a work tree).

    Not safe to share between threads; open one per thread or process. Processes may write
    to the same store at once (they take turns)."""

    def __init__(self, path: Path, git_dir: Path, work_tree: Path | None, branch: str):
        self.path = path
        self.git_dir = git_dir
        self.work_tree = work_tree
        self.ref = branch
        self.git = Git(git_dir)
        self.reader = CatFile(self.git)
        self.warnings: list[str] = []  # things worth telling a user that did not stop the work
        self.damaged = False  # opened with damaged=True, and the branch's commit is missing
        self._index = HistoryIndex(self.git)
        self._author: Signature | None = None

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def init(cls, path: str | os.PathLike) -> "PolicyStore":
        """Create a new, empty store (a bare git repository) at `path`."""
        target = Path(path).absolute()
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            try:
                cls.open(target).close()
            except StoreError:
                raise StoreError("exists and is not empty; choose a new folder", path=str(target)) from None
            raise StoreError("is already a policy store", path=str(target))
        created = False
        try:
            with writing(target, "cannot create the store"):
                if not target.is_dir():
                    target.mkdir(parents=True)
                    created = True
                return cls._initialise(target)
        except StorageError:
            if created:  # no half-made store left behind (only what this call made)
                shutil.rmtree(target, ignore_errors=True)
            raise

    @classmethod
    def _initialise(cls, target: Path) -> "PolicyStore":
        git = Git(target)
        git.run("init", "--bare", "--quiet", f"--initial-branch={DEFAULT_BRANCH}", str(target))
        from .pack import PackBuilder
        from .trees import TreeEditor

        store = cls(target, target, None, f"refs/heads/{DEFAULT_BRANCH}")
        pack = PackBuilder()
        tree = TreeEditor(store.reader, pack, None)
        meta = {"format": STORE_FORMAT, "created_by": f"medpolicy {__version__}"}
        tree.put_blob(f"{META_DIR}/{META_FILE}", (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode())
        tree.put_blob("README.md", _README.format(version=__version__).encode())
        root = tree.write()
        commit = pack.add("commit", format_commit(root, [], store._signature(), int(time.time()),
                                                  "Create policy store\n"))
        pack.write(target / "objects")
        if not store._update_ref(commit, None):
            raise StoreError("another process initialised this store at the same time", path=str(target))
        return store

    @classmethod
    def open(cls, path: str | os.PathLike, *, damaged: bool = False) -> "PolicyStore":
        """Open the store at `path`; StoreError when it is not a policy store. With `damaged`, a
        store whose branch points at a commit that is missing opens anyway (`damaged` is then
        true), so that `verify` can say what is missing."""
        target = Path(path).absolute()
        if not target.is_dir():
            raise StoreError("no policy store here (run `medpolicy init` to create one)", path=str(target))
        git_dir, work_tree = find_git_dir(target)
        check_owner(git_dir, work_tree)
        head = (git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip() \
            if (git_dir / "HEAD").is_file() else ""
        if not head.startswith("ref: refs/heads/"):
            raise StoreError("the store's HEAD is detached; check out its branch first", path=str(target))
        store = cls(target, git_dir, work_tree, head[5:])
        got = store.reader.read(store.ref)
        if got is None and store._ref_points_somewhere():
            if damaged:
                store.damaged = True
                return store
            store.close()
            raise StoreError("the store is damaged: its branch points to a commit that is missing "
                             "(`medpolicy verify` says what else is)", path=str(target))
        if got is None or store.reader.blob(f"{got[0]}:{META_DIR}/{META_FILE}") is None:
            store.close()
            raise StoreError("is a git repository but not a policy store", path=str(target))
        return store

    def _ref_points_somewhere(self) -> bool:
        """Whether the branch holds a commit id at all (when that commit cannot be read, the
        store is damaged, not empty). Read from the ref file or packed-refs, as git keeps them."""
        loose = self.git_dir / self.ref
        try:
            if loose.is_file():
                return bool(re.fullmatch(r"[0-9a-f]{40}", loose.read_text(encoding="ascii", errors="replace").strip()))
            packed = (self.git_dir / "packed-refs").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        return any(line.endswith(" " + self.ref) for line in packed.splitlines())

    def close(self) -> None:
        self.reader.close()

    def __enter__(self) -> "PolicyStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def put(self, policy: Policy, source_bytes: bytes, source_name: str, *, key: str | None = None) -> PutResult:
        """Store one edition; returns once it is durable. Raises a MedpolicyError if it cannot
        be stored. See PutResult for the statuses."""
        result = self.put_many([PutRequest(policy, source_bytes, source_name, key)])[0]
        if result.status == "failed":
            raise StoreError(result.error or "could not store the edition", path=source_name)
        return result

    def put_many(self, requests: Iterable[PutRequest | tuple], *, dry_run: bool = False) -> list[PutResult]:
        """Store many editions with one lock, one pack and one branch move per batch of up to
        64 MB of sources; results come back in request order, all durable. A request that
        cannot be stored gets status "failed" and the rest still land. With `dry_run`, each
        result says what would happen (key, status, date) and nothing is written."""
        from .writer import prepare  # the write path's modules load only when writing

        reqs = [r if isinstance(r, PutRequest) else PutRequest(*r) for r in requests]
        results: list[PutResult | None] = [None] * len(reqs)
        ready: list[tuple[int, "Prepared"]] = []
        for i, req in enumerate(reqs):
            try:
                ready.append((i, prepare(req)))
            except MedpolicyError as exc:
                results[i] = PutResult("failed", source_name=req.source_name, error=exc.reason)
        chunks: list[list[tuple[int, "Prepared"]]] = [[]]
        size = 0
        for item in ready:
            if chunks[-1] and size + len(item[1].source) > BATCH_BYTES:
                chunks.append([])
                size = 0
            chunks[-1].append(item)
            size += len(item[1].source)
        if dry_run:
            for i, res in zip((i for i, _ in ready), self._try_batch([p for _, p in ready])):
                results[i] = res
            return [r for r in results if r is not None]
        try:
            with writing(self.path), StoreLock(self.git_dir):
                remove_leftovers(self.git_dir / "objects")
                start = self._tip()
                try:
                    for chunk in chunks:
                        if chunk:
                            for i, res in zip((i for i, _ in chunk), self._commit_batch([p for _, p in chunk])):
                                results[i] = res
                finally:  # even when interrupted: a work tree must not stay behind its branch
                    with shielded():
                        self._sync_work_tree(start)
        except StorageError as exc:
            exc.done = list(results)  # in request order: what landed (or was refused) before it, else None
            raise
        return [r for r in results if r is not None]

    def _try_batch(self, items: list["Prepared"]) -> list[PutResult]:
        """What each item would be on top of the current tip; commits only in memory."""
        from dataclasses import replace as with_fields

        return [with_fields(r, commit=None) if r.status not in ("unchanged", "failed") else r
                for r in self._build_batch(items)[1]]

    def _build_batch(self, items: list["Prepared"]):
        from .writer import Batch

        tip = self._tip()
        if tip is None:
            raise StoreError("the store's branch has no commits", path=str(self.path))
        self._index.refresh(tip)
        batch = Batch(self.reader, self._index, tip, self._root_tree(tip), self._signature())
        out: list[PutResult] = []
        for p in items:
            try:
                out.append(batch.apply(p))
            except MedpolicyError as exc:
                out.append(PutResult("failed", source_name=p.source_name, error=exc.reason))
        return batch, out

    def _commit_batch(self, items: list["Prepared"]) -> list[PutResult]:
        for _attempt in range(CAS_RETRIES):
            batch, out = self._build_batch(items)
            tip = batch.tip
            if batch.head == tip:
                return out  # nothing new
            batch.pack.write(self.git_dir / "objects")
            if self._update_ref(batch.head, tip):
                for ed in batch.editions:
                    self._index.add(ed, ed.commit)
                return out
            time.sleep(0.01)  # someone outside medpolicy moved the branch: rebuild on their tip
        raise StoreError("the branch kept moving under us; try again", path=str(self.path))

    def move(self, old: str, new: str) -> Edition:
        """Give policy `old` the key `new`, or merge it into the policy at `new` (move.py): one
        commit, history kept (`editions(new)` includes `old`'s), and documents that would be
        filed under `old` go to `new` from now on. Returns the move commit's record."""
        from .move import move_tree
        from .pack import PackBuilder
        from .trees import TreeEditor

        check_key(old)
        if not is_key(new) or any(part != safe_name(part, fallback="") for part in new.split("/")):
            raise UsageError(f"not a valid key: {new!r} (PAYER/ID in lower-case letters, digits and ._-)")
        if old == new:
            raise UsageError(f"{old} is already called that")
        with writing(self.path), StoreLock(self.git_dir):
            start = self._tip()
            try:
                for _attempt in range(CAS_RETRIES):
                    tip = self._require_tip()
                    pack = PackBuilder()
                    tree = TreeEditor(self.reader, pack, self._root_tree(tip))
                    summary = move_tree(tree, old, new)
                    now = int(time.time())
                    ed = Edition(key=new, effective="", commit="", source_name="", source_sha256="", summary=summary,
                                 status="move", moved_from=old, medpolicy_version=__version__, timestamp=now,
                                 ingested_at=datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
                    commit = pack.add("commit", format_commit(tree.write(), [tip], self._signature(), now,
                                                              format_message(ed)))
                    pack.write(self.git_dir / "objects")
                    if self._update_ref(commit, tip):
                        return replace(ed, commit=commit)
                    time.sleep(0.01)
                raise StoreError("the branch kept moving under us; try again", path=str(self.path))
            finally:
                with shielded():
                    self._sync_work_tree(start)

    def _update_ref(self, new: str, old: str | None) -> bool:
        """Compare-and-swap the branch from `old` to `new`, durably. False when it was not at
        `old` (someone else moved it)."""
        expected = old or "0" * 40
        deadline = time.monotonic() + STALE_REF_LOCK + 1.0
        while True:
            proc = self.git.run("update-ref", "-m", "medpolicy", self.ref, new, expected,
                                check=False, config=FSYNC_CONFIG)
            if proc.returncode == 0:
                fsync_dir((self.git_dir / self.ref).parent)
                return True
            err = proc.stderr.decode("utf-8", "replace")
            if "but expected" in err or "already exists" in err or "unable to resolve reference" in err:
                return False
            lock = _LOCK_RE.search(err)
            if lock is None or time.monotonic() > deadline:
                last = err.strip().splitlines()[-1] if err.strip() else "?"
                raise GitError(f"could not move {self.ref}: {last}", stderr=err,
                               probe=(self.git_dir / self.ref).parent)
            self._remove_stale_lock(Path(lock.group(1)))
            time.sleep(0.05)

    def _remove_stale_lock(self, lock: Path) -> None:
        """A git killed mid-update leaves REF.lock (or HEAD.lock: moving the branch HEAD points
        to locks HEAD too). Git holds these for milliseconds and we hold the store lock, so one
        that is seconds old belongs to a dead process."""
        try:
            if lock.resolve().parent.is_relative_to(self.git_dir.resolve()) and lock.name.endswith(".lock") \
                    and time.time() - lock.stat().st_mtime > STALE_REF_LOCK:
                lock.unlink()
        except FileNotFoundError:
            pass

    def maintain(self) -> None:
        """Keep reads fast after writes: let git consolidate packs when there are many
        (`git gc --auto`) and extend the commit-graph with changed-path Bloom filters, which let
        `editions()` skip the commits that did not touch a policy. `medpolicy ingest` calls it
        after writing; library users who write with `put_many` should too. Failures here never
        affect the data, so they are reported as warnings only. Last, the library index, if the
        store has one, is brought up to date (outside the store's lock: it has its own)."""
        with StoreLock(self.git_dir):
            graphs = self.git_dir / "objects" / "info"
            for stale in (graphs / "commit-graph.lock", graphs / "commit-graphs" / "commit-graph-chain.lock"):
                _remove_if_older(stale, STALE_MAINTENANCE_LOCK)
            steps = [("gc", "--auto", "--quiet"),
                     ("commit-graph", "write", "--reachable", "--changed-paths", "--split", "--no-progress")]
            for args in steps:
                proc = self.git.run(*args, check=False, config=("-c", "gc.autoDetach=false") + FSYNC_CONFIG)
                if proc.returncode != 0:
                    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                    self.warnings.append(f"git {args[0]} failed: {err[-1] if err else proc.returncode}")
            from .catalog import Catalog

            Catalog(self.git).policies(self._require_tip())  # so the next `list` is quick
        from ..index import refresh_embedded

        try:
            refresh_embedded(self)
        except MedpolicyError as exc:  # the next search brings it up to date instead
            self.warnings.append(f"the library index was not updated: {exc}")

    def _has_bloom_filters(self) -> bool:
        """Whether the newest commit-graph layer has changed-path Bloom filters."""
        info = self.git_dir / "objects" / "info"
        chain = info / "commit-graphs" / "commit-graph-chain"
        try:
            if chain.is_file():
                layers = chain.read_text(encoding="ascii", errors="replace").split()
                graph = info / "commit-graphs" / f"graph-{layers[-1]}.graph" if layers else None
            else:
                graph = info / "commit-graph"
            if graph is None or not graph.is_file():
                return False
            with graph.open("rb") as fh:
                head = fh.read(8 + 12 * 32)
        except OSError:
            return False
        if head[:4] != b"CGPH" or len(head) < 8:
            return False
        chunks = {head[8 + 12 * i:12 + 12 * i] for i in range(head[6])}
        return b"BIDX" in chunks and b"BDAT" in chunks

    def _sync_work_tree(self, start: str | None) -> None:
        """Bring the work tree of a non-bare store to the branch: a two-way merge from the commit
        it was last brought to (recorded in the git directory, so that a sync cut short by a
        kill is completed by the next write) to the tip. Local changes to other files are kept;
        when they are in the way, git refuses and we say so."""
        if self.work_tree is None:
            return
        new = self._tip()
        mark = self.synced_commit()
        if mark is not None and mark != new and not self._is_ancestor(mark, new):
            mark = None  # the branch was rewritten under us: trust the start of this batch
        old = mark or start
        if new is None or old is None:
            return
        if old != new:
            proc = Git(self.git_dir, self.work_tree).run("read-tree", "-m", "-u", old, new, check=False,
                                                        detached=True)
            if proc.returncode != 0:
                err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                self.warnings.append(f"the store is up to date but its work tree {self.work_tree} is not "
                                     f"({err[-1] if err else 'git read-tree failed'}); `medpolicy verify` "
                                     f"shows what differs")
                return
        if mark != new:
            self._write_synced_mark(new)

    def synced_commit(self) -> str | None:
        """The commit the work tree was last brought to by medpolicy (None if never, or bare)."""
        try:
            text = (self.git_dir / WORKTREE_MARK).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text if re.fullmatch(r"[0-9a-f]{40}", text) else None

    def _write_synced_mark(self, commit: str) -> None:
        mark = self.git_dir / WORKTREE_MARK
        tmp = mark.with_name(f"{WORKTREE_MARK}.{os.getpid()}.tmp")
        try:
            tmp.write_text(commit + "\n", encoding="ascii")
            os.replace(tmp, mark)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self.warnings.append(f"could not record the work tree's commit ({exc.strerror})")

    def _is_ancestor(self, old: str, new: str) -> bool:
        return self.git.run("merge-base", "--is-ancestor", "--end-of-options", old, new,
                            check=False).returncode == 0

    def _signature(self) -> Signature:
        if self._author is None:
            proc = self.git.run("config", "--get-regexp", r"^user\.(name|email)$", check=False)
            found = dict(line.split(" ", 1) for line in proc.stdout.decode("utf-8", "replace").splitlines()
                         if " " in line)
            clean = lambda s: re.sub(r"[<>\x00-\x1f]", "", s).strip()  # noqa: E731
            self._author = Signature(clean(found.get("user.name", "")) or "medpolicy",
                                     clean(found.get("user.email", "")) or "medpolicy@localhost")
        return self._author

    # --- reading ---------------------------------------------------------------------------

    def _tip(self) -> str | None:
        return self.git.rev_parse(self.ref + "^{commit}")

    def _require_tip(self) -> str:
        """The branch's commit, for reads: asked of the running `cat-file`, which resolves the
        ref afresh on every query (saves starting a process per read; writes use rev-parse)."""
        got = self.reader.read(self.ref)
        if got is None or got[1] != "commit":
            raise StoreError("the store's branch has no commits", path=str(self.path))
        return got[0]

    def _root_tree(self, commit: str) -> str:
        got = self.reader.read(commit)
        if got is None or got[1] != "commit":
            raise StoreError(f"commit {commit} is missing (run `git fsck`)", path=str(self.path))
        return got[2][5:45].decode()

    def keys(self, commit: str | None = None) -> list[str]:
        """Every policy key in the store (at `commit`, default the tip)."""
        root = self.reader.tree(self._root_tree(commit or self._require_tip())) or {}
        out: list[str] = []
        for payer, (mode, oid) in sorted(root.items()):
            if mode != "40000" or payer.startswith("."):
                continue
            for name, (m, _) in sorted((self.reader.tree(oid) or {}).items()):
                if m == "40000" and is_key(f"{payer}/{name}"):
                    out.append(f"{payer}/{name}")
        return out

    def resolve(self, ref: str) -> str:
        """The store key meant by `ref`: a key, or (case-insensitive) an id, an unambiguous key or
        id prefix, an id suffix, or a word that only one policy's title has; a key `medpolicy mv`
        moved leads to where it went. NotFoundError lists the candidates when several match and
        suggests the closest keys when none does."""
        from .resolve import resolve_key

        return resolve_key(self, ref)

    def editions(self, key: str, as_known_at: str | None = None, *, summaries: bool = True) -> list[Edition]:
        """Editions of `key`, oldest date first (corrections after what they correct), each
        summary relative to the edition before it in that order; the same edition stored again
        in another format is not an edition (its source names are in `also_as`). Editions of a
        policy moved to `key` are included. With `as_known_at` (YYYY-MM-DD or ISO date-time):
        only editions ingested by then. `summaries=False` skips recomputing summaries that no
        longer match the order (for callers that only need to find an edition)."""
        check_key(key)
        commits = self._commits_of(key, self._require_tip())
        return self._ordered(commits, _cutoff(as_known_at), summaries)

    def _commits_of(self, key: str, rev: str, depth: int = 0) -> list[Edition]:
        """Every commit of `key` reachable from `rev`, newest first, with the commits of policies
        moved into it (their `folder` says where their files were)."""
        found = scan(self.git, [rev], key=key, path_limited=self._has_bloom_filters())
        out: list[Edition] = []
        for ed in found:
            if ed.status == "move" and ed.moved_from == key and ed.key != key:
                break  # moved away from here: what is older belongs to the key it went to
            out.append(ed)
            if ed.status == "move" and ed.key == key and ed.moved_from and depth < 32:
                out += [replace(e, key=key, folder=e.where)
                        for e in self._commits_of(ed.moved_from, ed.commit + "^", depth + 1)]
        out.sort(key=lambda e: e.timestamp, reverse=True)  # stable: git's order within a second
        return out

    def _ordered(self, found: list[Edition], cutoff: int | None, summaries: bool = True) -> list[Edition]:
        # `found` is newest commit first: its reverse is commit order, which breaks ties
        # between commits made in the same second
        seq = {e.commit: len(found) - i for i, e in enumerate(found)}
        kept = [e for e in found if cutoff is None or e.timestamp <= cutoff]
        revised: dict[str, tuple[str, str]] = {}  # commit -> (summary, compared_to); later wins
        formats: dict[str, list[str]] = {}  # edition folder -> other formats' source names
        for ed in sorted(kept, key=lambda e: seq[e.commit]):
            if ed.revises:
                revised[ed.revises] = (ed.revised_summary or "", ed.commit)
            if ed.status == "another-format":
                formats.setdefault(ed.effective, []).append(ed.source_name)
        ordered = sorted((e for e in kept if e.is_edition), key=lambda e: (date_sort_key(e.effective), seq[e.commit]))
        out: list[Edition] = []
        for i, ed in enumerate(ordered):
            if ed.commit in revised:
                ed = replace(ed, summary=revised[ed.commit][0], compared_to=revised[ed.commit][1])
            prev = ordered[i - 1] if i else None
            if summaries and (prev.commit if prev else None) != ed.compared_to:
                # not summarised against the edition now before it (a commit made without
                # medpolicy, a merge by `mv`, or an as-known-at view that cuts a revision off)
                old = self._record_at(prev) if prev else None
                ed = replace(ed, summary=summarize(old, self._record_at(ed)),
                             compared_to=prev.commit if prev else None)
            out.append(replace(ed, also_as=tuple(formats.get(ed.effective, ()))))
        return out

    def _record_at(self, ed: Edition) -> Policy:
        return load_record(self._record_bytes(ed), where=f"{ed.where}/{EDITIONS}/{ed.effective}/{RECORD}")

    def _record_bytes(self, ed: Edition) -> bytes:
        where = f"{ed.commit}:{ed.where}/{EDITIONS}/{ed.effective}/{RECORD}"
        data = self.reader.blob(where)
        if data is None:
            raise StoreError(f"edition record missing at {where}", path=str(self.path))
        return data

    def resolve_edition(self, key: str, ref: str | None = None, *, as_known_at: str | None = None) -> Edition:
        """One edition of `key`, the one way `show`, `diff` and `log` name editions: `ref` None
        for the latest; a date YYYY-MM-DD for the edition in effect that day (the latest one
        placed on or before it); or a commit (a prefix will do) of the edition or of a
        correction of it. Only editions known by `as_known_at` count, when it is given."""
        if as_known_at is None and (ref is None or _DATE_RE.match(ref.strip())):
            found = self._edition_in_tree(key, ref)
            if found is not None:
                return found
        editions = self.editions(key, as_known_at, summaries=False)
        if not editions:
            when = f" known on {as_known_at}" if as_known_at else ""
            raise NotFoundError(f"no edition of {key}{when} in the store")
        if ref is None:
            return editions[-1]
        ref = ref.strip()
        if _DATE_RE.match(ref):
            _check_date(ref)
            earlier = [e for e in editions if date_sort_key(e.effective)[0] <= ref]
            if not earlier:
                first = editions[0]
                when = f"takes effect on {first.placed}" if first.effective_from == "effective" else f"is {first.placed}"
                raise NotFoundError(f"{key} had no edition in effect on {ref}: its first edition {when}")
            return earlier[-1]
        if _COMMIT_RE.match(ref):
            low = ref.lower()
            found = {e.commit: e for e in editions if e.commit.startswith(low)}
            if len(found) > 1:
                raise NotFoundError(f"commit prefix {ref!r} is ambiguous for {key}")
            if found:
                return next(iter(found.values()))
            raise NotFoundError(f"no edition of {key} at commit {ref!r} (`medpolicy log {key}` lists them)")
        raise NotFoundError(f"{ref!r} is neither a date (YYYY-MM-DD) nor a commit")

    def _edition_in_tree(self, key: str, ref: str | None) -> Edition | None:
        """The fast way to the latest edition, or the one in effect on a date: its folder from
        the tip's tree, its commit the last one to write its record (one `git log -1`, which
        the commit-graph's Bloom filters make quick). None when that is not enough to say (a
        moved policy, a date before the first edition): the history decides then."""
        tip = self._require_tip()
        folders = sorted(self.reader.tree(f"{tip}:{key}/{EDITIONS}") or {}, key=date_sort_key)
        if ref is not None:
            _check_date(ref.strip())
            folders = [f for f in folders if date_sort_key(f)[0] <= ref.strip()]
        if not folders:
            return None
        found = scan(self.git, [tip], paths=[f"{key}/{EDITIONS}/{folders[-1]}/{RECORD}"], limit=1)
        ed = found[0] if found else None
        return ed if ed is not None and ed.is_edition and ed.key == key and ed.effective == folders[-1] else None

    def previous_edition(self, key: str, edition: Edition) -> Edition | None:
        """The edition before `edition` by date (the latest commit of the date before it)."""
        earlier = [e for e in self.editions(key, summaries=False)
                   if date_sort_key(e.effective) < date_sort_key(edition.effective)]
        return earlier[-1] if earlier else None

    def get(self, key: str, at: str | None = None, *, as_known_at: str | None = None) -> Policy:
        """The record of one edition of `key` (`at` as `resolve_edition`'s `ref`)."""
        return self._record_at(self.resolve_edition(key, at, as_known_at=as_known_at))

    def record_json(self, edition: Edition) -> bytes:
        """An edition's stored canonical JSON, unparsed: the fast path for printing a record
        (no schema models to load)."""
        return self._record_bytes(edition)

    def record(self, edition: Edition) -> Policy:
        return self._record_at(edition)

    def list(self, *, as_known_at: str | None = None) -> list[PolicySummary]:
        """Every policy, sorted by key, as of now or as known at a moment. (The present is read
        from a cache in the git directory, brought up to date from new commits: catalog.py.)"""
        from .catalog import Catalog, fold

        tip = self._require_tip()
        cutoff = _cutoff(as_known_at)
        if cutoff is None:
            policies = Catalog(self.git).policies(tip)
        else:
            policies = {}
            for ed in reversed(scan(self.git, [tip])):
                if ed.timestamp <= cutoff:
                    fold(policies, ed)
        present = set(self.keys(tip))
        for key in sorted(set(policies) - present):  # gone, or hidden behind something not a folder
            got = self.reader.read(f"{tip}:{key}")
            if got is not None and got[1] != "tree":
                self.warnings.append(f"{key}: not a folder in the store (a symbolic link?), so not listed; "
                                     f"`medpolicy verify` reports it")
        return [PolicySummary(key=key, payer=p["payer"], policy_id=p["policy_id"], title=p["title"],
                              latest_effective=p["latest_effective"], editions=len(p["dates"]), commits=p["commits"],
                              latest_effective_from=p.get("latest_effective_from", "effective"))
                for key, p in sorted(policies.items()) if key in present and "latest_effective" in p]

    def verify(self) -> list[str]:
        """Problems found, as one line each (empty when the store is sound): git's own
        integrity check, every record against the schema and in canonical form, every source
        file against its recorded sha256, every policy's top level against its latest edition."""
        from .verify import verify_store

        return verify_store(self)


@contextmanager
def writing(path: Path, doing: str = "cannot write to the store") -> Iterator[None]:
    """Turn a failed write (an OSError, or git naming one) into one StoreError for `path`: a
    StorageError, exit status 3, when the disk is full or read-only."""
    try:
        yield
    except OSError as exc:
        raise os_failure(exc.errno, str(path), doing) from exc
    except GitError as exc:
        if exc.errno is None:
            raise
        raise os_failure(exc.errno, str(path), doing) from exc


def _remove_if_older(path: Path, seconds: float) -> None:
    try:
        if time.time() - path.stat().st_mtime > seconds:
            path.unlink()
    except FileNotFoundError:
        pass


def _check_date(text: str) -> None:
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise NotFoundError(f"not a calendar date: {text}") from None


def _cutoff(as_known_at: str | None) -> int | None:
    """A moment as a Unix time: a bare date means the end of that day (UTC)."""
    if as_known_at is None:
        return None
    text = as_known_at.strip()
    try:
        if _DATE_RE.match(text):
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
            return int(day.timestamp()) + 86399
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise NotFoundError(f"not a date or date-time: {one_line(as_known_at, 60)!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def open_store(path: str | os.PathLike) -> PolicyStore:
    return PolicyStore.open(path)


__all__: Sequence[str] = ("PolicyStore", "open_store")
