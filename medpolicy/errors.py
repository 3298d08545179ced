"""Library exceptions. The CLI turns each into one line on stderr; nothing else catches broadly."""
from __future__ import annotations


class MedpolicyError(Exception):
    """Base class. `path` names the file concerned, when there is one."""

    exit_code = 2

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


class NotFoundError(MedpolicyError):
    """A policy, edition or date was not found (or was ambiguous)."""


class UsageError(MedpolicyError):
    """A wrong argument that click itself could not catch."""
