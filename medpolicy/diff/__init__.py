"""Diff: what changed between two editions of a policy, record by record and in the text."""
from __future__ import annotations

from .engine import diff_policies
from .model import Finding, PolicyDiff

__all__ = ["Finding", "PolicyDiff", "diff_policies"]
