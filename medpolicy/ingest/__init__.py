"""Ingest: file -> SourceDocument -> Document -> sections -> records -> Policy."""
from __future__ import annotations

import os

from ..models import Policy


def parse_policy(path: str | os.PathLike, *, timeout: float | None = None, memory_mb: int | None = None,
                 strict: bool = False) -> Policy:
    """Parse one policy file (PDF, HTML or text) into a validated Policy record."""
    from .pipeline import run_pipeline

    return run_pipeline(path, timeout=timeout, memory_mb=memory_mb, strict=strict)


__all__ = ["parse_policy"]
