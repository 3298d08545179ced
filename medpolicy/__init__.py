"""medpolicy: parse, store and compare health-plan medical policies.

Public API: parse_policy, diff_policies, PolicyDiff, PolicyStore, Policy and the errors. Names are
loaded on first use so that commands which only read the store start without the PDF and NLP
libraries."""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import DocumentError, MedpolicyError, NotAPolicyError, NotFoundError, StoreError  # noqa: E402

_LAZY = {
    "parse_policy": ("medpolicy.ingest", "parse_policy"),
    "Policy": ("medpolicy.models", "Policy"),
    "diff_policies": ("medpolicy.diff", "diff_policies"),
    "PolicyDiff": ("medpolicy.diff", "PolicyDiff"),
    "PolicyStore": ("medpolicy.store", "PolicyStore"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'medpolicy' has no attribute {name!r}")


__all__ = ["DocumentError", "MedpolicyError", "NotAPolicyError", "NotFoundError", "Policy", "PolicyDiff",
           "PolicyStore", "StoreError", "__version__", "diff_policies", "parse_policy"]
