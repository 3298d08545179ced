"""Edit a git tree in memory and write the changed trees into a pack: no index, no work tree.

Only the folders on the paths we touch are read (one `cat-file` each) and rewritten; the
rest of the store's tree is shared, so a commit costs the same in a store of 10 or 10,000
policies.
"""
from __future__ import annotations

from .gitio import BLOB_MODE, TREE_MODE, CatFile, format_tree, parse_tree
from .pack import PackBuilder


class TreeEditor:
    def __init__(self, reader: CatFile, pack: PackBuilder, root: str | None):
        self._reader = reader
        self._pack = pack
        self._dirs: dict[str, dict[str, tuple[str, str]]] = {}
        self._dirty: set[str] = set()
        self._root = root
        self.root = root

    # --- reading ---------------------------------------------------------------------------

    def read_object(self, oid: str) -> tuple[str, bytes] | None:
        got = self._pack.raw.get(oid)
        if got is not None:
            return got
        read = self._reader.read(oid)
        return (read[1], read[2]) if read else None

    def listdir(self, path: str) -> dict[str, tuple[str, str]] | None:
        """Entries of folder `path` ("" is the root), or None when there is no such folder."""
        if path in self._dirs:
            return self._dirs[path]
        if path == "":
            entries = {} if self._root is None else self._load_tree(self._root)
        else:
            parent, _, name = path.rpartition("/")
            above = self.listdir(parent)
            if above is None or name not in above or above[name][0] != TREE_MODE:
                return None
            entries = self._load_tree(above[name][1])
        self._dirs[path] = entries
        return entries

    def entry(self, path: str) -> str | None:
        """The object id at `path`, or None."""
        parent, _, name = path.rpartition("/")
        entries = self.listdir(parent)
        return entries[name][1] if entries is not None and name in entries else None

    def read_blob(self, path: str) -> bytes | None:
        parent, _, name = path.rpartition("/")
        entries = self.listdir(parent)
        if entries is None or name not in entries or entries[name][0] == TREE_MODE:
            return None
        got = self.read_object(entries[name][1])
        return got[1] if got else None

    def _load_tree(self, oid: str) -> dict[str, tuple[str, str]]:
        got = self.read_object(oid)
        if got is None or got[0] != "tree":
            from ..errors import StoreError

            raise StoreError(f"tree {oid} is missing from the store (run `git fsck`)")
        return parse_tree(got[1])

    # --- writing ---------------------------------------------------------------------------

    def put_blob(self, path: str, data: bytes) -> str:
        oid = self._pack.add("blob", data)
        parent, _, name = path.rpartition("/")
        self._mkdirs(parent)[name] = (BLOB_MODE, oid)
        return oid

    def put_entry(self, path: str, mode: str, oid: str) -> None:
        """Point `path` at an existing object (a whole folder, by its tree id, or a blob)."""
        for known in [k for k in self._dirs if k == path or k.startswith(path + "/")]:
            del self._dirs[known]  # what was read of the old folder there no longer applies
            self._dirty.discard(known)
        parent, _, name = path.rpartition("/")
        self._mkdirs(parent)[name] = (mode, oid)

    def remove(self, path: str) -> None:
        parent, _, name = path.rpartition("/")
        entries = self.listdir(parent)
        if entries is not None and name in entries:
            del entries[name]
            self._mark(parent)

    def _mkdirs(self, path: str) -> dict[str, tuple[str, str]]:
        entries = self.listdir(path)
        if entries is None:
            parent, _, name = path.rpartition("/")
            above = self._mkdirs(parent)
            entries = {}
            self._dirs[path] = entries
            above[name] = (TREE_MODE, "")  # filled in by write()
        self._mark(path)
        return entries

    def _mark(self, path: str) -> None:
        while True:
            self._dirty.add(path)
            if path == "":
                return
            path = path.rpartition("/")[0]

    def write(self) -> str:
        """Write every changed folder, deepest first; returns the new root tree id."""
        for path in sorted(self._dirty, key=lambda p: p.count("/") + (p != ""), reverse=True):
            entries = self._dirs[path]
            if path and not entries:  # git keeps no empty folders
                parent, _, name = path.rpartition("/")
                self._dirs[parent].pop(name, None)
                del self._dirs[path]
                continue
            if path:
                parent, _, name = path.rpartition("/")
                previous = self._dirs[parent].get(name, (None, None))[1]
                oid = self._pack.add("tree", format_tree(entries), base=previous or None)
                self._dirs[parent][name] = (TREE_MODE, oid)
            else:
                self.root = oid = self._pack.add("tree", format_tree(entries), base=self.root)
        self._dirty.clear()
        if self.root is None:
            self.root = self._pack.add("tree", b"")
        return self.root
