"""medpolicy: parse, store and compare health-plan medical policies."""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import DocumentError, MedpolicyError, NotAPolicyError, NotFoundError, StoreError  # noqa: E402
from .ingest import parse_policy  # noqa: E402
from .models import Policy  # noqa: E402

__all__ = ["DocumentError", "MedpolicyError", "NotAPolicyError", "NotFoundError", "Policy", "StoreError",
           "__version__", "parse_policy"]
