"""The git-backed policy store: every edition of every policy (see repo.py for the layout)."""
from __future__ import annotations

from .history import Edition
from .repo import PolicyStore
from .results import PolicySummary, PutRequest, PutResult

__all__ = ["Edition", "PolicyStore", "PolicySummary", "PutRequest", "PutResult"]
