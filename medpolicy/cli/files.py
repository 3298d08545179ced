"""Which files a command means: the files named, the documents under the folders named (with
`--include`/`--exclude` globs), and `-` for a document on stdin."""
from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path
from typing import Iterable

from ..errors import UsageError

DOCUMENT_SUFFIXES = {".pdf", ".html", ".htm", ".xhtml", ".txt", ".text", ".md"}
STDIN = "-"


NO_DOCUMENTS = f"no documents in this folder (looked for {', '.join(sorted(DOCUMENT_SUFFIXES))})"


def collect_files(paths: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> list[str]:
    """Files named, plus documents (by suffix, see DOCUMENT_SUFFIXES) found under folders named,
    skipping hidden files and folders, and keeping those that match an `include` glob (when
    any are given) and no `exclude` glob; a glob is matched against a file's path below the
    folder and against its name. A folder with no documents stays in the list, in its place,
    for the command to report (`is_empty_folder`); UsageError when nothing else is left."""
    out: list[str] = []
    empty: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and path.is_dir():
            found = [f for f in _documents(path) if _wanted(os.path.relpath(f, path), include, exclude)]
            out += found or [raw]
            if not found:
                empty.append(raw)
        else:
            out.append(raw)
    if len(empty) == len(out):
        raise UsageError(NO_DOCUMENTS, path=", ".join(empty))
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


def is_empty_folder(path: str) -> bool:
    """An entry `collect_files` kept for a folder that held no documents."""
    return path != STDIN and os.path.isdir(path)


def _documents(folder: Path) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):  # does not follow folder symlinks: no loops
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in files
                  if not f.startswith(".") and Path(f).suffix.lower() in DOCUMENT_SUFFIXES
                  and os.path.isfile(os.path.join(root, f))]  # no FIFOs or devices
    return sorted(found)


def _wanted(relative: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    def matches(globs: tuple[str, ...]) -> bool:
        name = os.path.basename(relative)
        return any(fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(name, g) for g in globs)

    return (not include or matches(include)) and not matches(exclude)


class StdinFile:
    """`-` read into a temporary file named `stdin` (the parser reads files by path; a PDF needs
    one), removed when the command ends. `path` is None when no `-` was given."""

    def __init__(self, paths: list[str]):
        self.wanted = STDIN in paths
        self.path: str | None = None
        self._dir = None

    def __enter__(self) -> "StdinFile":
        if self.wanted:
            import tempfile  # only for `-`: tempfile costs the other commands' start-up

            self._dir = tempfile.TemporaryDirectory(prefix="medpolicy-")
            self.path = os.path.join(self._dir.name, "stdin")
            with open(self.path, "wb") as fh:
                fh.write(sys.stdin.buffer.read())
        return self

    def swap(self, files: list[str]) -> list[str]:
        return [self.path if f == STDIN and self.path else f for f in files]

    def shown(self, path: str) -> str:
        return STDIN if path == self.path else path

    def __exit__(self, *exc: object) -> None:
        if self._dir is not None:
            self._dir.cleanup()
