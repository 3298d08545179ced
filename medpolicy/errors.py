"""Library exceptions, and the exit statuses of the `medpolicy` command, in one place.

The CLI turns each exception into one line on stderr and its class's `exit_code`; nothing else
catches broadly.
"""
from __future__ import annotations

import errno
import os

# Exit statuses of the command (the README's table is this one).
EXIT_OK = 0
EXIT_FINDINGS = 1  # done, and something to report: changes (diff), problems (verify), failed files (ingest)
EXIT_ERROR = 2  # nothing done: bad arguments, no store, unknown policy, unreadable document
EXIT_STORAGE = 3  # the store could not be written (disk full, read-only): nothing half-written
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
EXIT_TERMINATED = 143  # SIGTERM (128 + SIGTERM)
EXIT_BROKEN_PIPE = 0  # stdout's reader went away (`list | head -1`): it took what it wanted, not an error

# Reasons a write can fail that say nothing about the data: the store is fine, the disk is not.
_STORAGE_ERRNOS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the file system",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EIO: "input/output error",
}


class MedpolicyError(Exception):
    """Base class. `path` names the file concerned, when there is one."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, path: str | None = None):
        super().__init__(message)
        self.path = path
        self.reason = message

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class DocumentError(MedpolicyError):
    """A document could not be read or parsed (missing, empty, broken, encrypted, scanned...)."""


class NotAPolicyError(DocumentError):
    """The document was read but does not look like a medical policy."""


class LimitExceeded(DocumentError):
    """Parsing a document took more time or memory than allowed."""


class StoreError(MedpolicyError):
    """The policy store is missing, damaged, or refused an operation."""


class StorageError(StoreError):
    """The store could not be written because of the storage under it (disk full, read-only,
    no permission). Nothing was half-written: what was acknowledged before stays."""

    exit_code = EXIT_STORAGE

    def __init__(self, message: str, *, path: str | None = None, errno_: int | None = None):
        super().__init__(message, path=path)
        self.errno = errno_
        self.done: list = []  # for a batch: per request, its result if it landed before the failure, else None


class NotFoundError(MedpolicyError):
    """A policy, edition or date was not found (or was ambiguous)."""


class UsageError(MedpolicyError):
    """A wrong argument that click itself could not catch."""


def storage_errno(exc: OSError) -> int | None:
    """The errno of `exc` when it is a storage condition (full, read-only, no permission)."""
    return exc.errno if exc.errno in _STORAGE_ERRNOS else None


def errno_in_message(text: str) -> int | None:
    """The storage errno whose C-library text appears in a message from git (which we run
    with LC_ALL=C, so its strerror() texts are the C locale's, as Python's os.strerror is)."""
    for code in _STORAGE_ERRNOS:
        if os.strerror(code) in text:
            return code
    return None


def os_failure(code: int | None, path: str | None, doing: str) -> StoreError:
    """One error for a failed file-system operation: a StorageError (exit status 3) when the
    storage is the cause (full, read-only, no permission), else a StoreError naming the reason."""
    if code in _STORAGE_ERRNOS:
        return StorageError(f"{doing}: {_STORAGE_ERRNOS[code]}", path=path, errno_=code)
    return StoreError(f"{doing}: {os.strerror(code) if code else 'unknown error'}", path=path)
