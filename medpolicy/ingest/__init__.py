"""Ingest: file -> SourceDocument -> Document -> sections -> records -> Policy."""
from __future__ import annotations

import os

from ..errors import DocumentError
from ..models import Policy


def parse_policy(path: str | os.PathLike, *, timeout: float | None = None, memory_mb: int | None = None,
                 strict: bool = False) -> Policy:
    """Parse one policy file (PDF, HTML or text) into a validated Policy record; any failure is
    a DocumentError naming the file."""
    from ..errors import MedpolicyError
    from .pipeline import run_pipeline

    try:
        return run_pipeline(path, timeout=timeout, memory_mb=memory_mb, strict=strict)
    except MedpolicyError:
        raise
    except Exception as exc:  # noqa: BLE001 - the one boundary per file: a bug that one document
        # triggers must cost that document, never the rest of its batch (issue 11)
        detail = " ".join(str(exc).split())[:160]
        raise DocumentError(f"could not be parsed ({type(exc).__name__}: {detail}); this is a bug in medpolicy, "
                            f"please report it", path=str(path)) from exc


__all__ = ["parse_policy"]
