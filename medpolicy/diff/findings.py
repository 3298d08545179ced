"""Consistency findings: where a new edition's own revision history contradicts the diff.

Only history rows new in the new edition are read: they describe what this revision did. The
phrases they are matched with live in rules/history_claims.json. A claim that cannot be checked
(codes claimed added when neither edition lists any codes) is not a finding: a finding must be a
contradiction, not an absence of evidence.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import MedpolicyError
from ..models import Code, HistoryEntry, Policy
from .model import CodeDiff, Finding, HistoryDiff, ReferenceDiff, StatementDiff


@dataclass(frozen=True)
class _ClaimRules:
    split: re.Pattern
    negation: re.Pattern
    statements_unchanged: tuple[re.Pattern, ...]
    statements_changed: tuple[re.Pattern, ...]
    positions_unchanged: tuple[re.Pattern, ...]
    code_noun: re.Pattern
    code_named: re.Pattern
    reference_noun: re.Pattern
    verbs: dict[str, re.Pattern]


@lru_cache(maxsize=1)
def load_rules() -> _ClaimRules:
    """Load and validate the claim phrases (a broken rules file is a packaging error)."""
    raw = json.loads(resources.files(__package__).joinpath("rules/history_claims.json").read_text("utf-8"))
    try:
        def many(key: str) -> tuple[re.Pattern, ...]:
            return tuple(re.compile(p, re.IGNORECASE) for p in raw[key])

        return _ClaimRules(
            split=re.compile(raw["clause_split"]),
            negation=re.compile(raw["negation"], re.IGNORECASE),
            statements_unchanged=many("statements_unchanged"),
            statements_changed=many("statements_changed"),
            positions_unchanged=many("positions_unchanged"),
            code_noun=re.compile(raw["codes"]["noun"], re.IGNORECASE),
            code_named=re.compile(raw["codes"]["named"]),
            reference_noun=re.compile(raw["references"]["noun"], re.IGNORECASE),
            verbs={f"{kind}_{verb}": re.compile(raw[kind][verb], re.IGNORECASE)
                   for kind in ("codes", "references") for verb in ("added", "removed")},
        )
    except (KeyError, TypeError, re.error) as exc:
        raise MedpolicyError(f"invalid history claim rules: {exc}") from exc


def _clauses(summary: str, rules: _ClaimRules) -> list[str]:
    return [c.strip() for c in rules.split.split(summary) if c and c.strip()]


def _first(patterns: tuple[re.Pattern, ...], clause: str) -> str | None:
    for p in patterns:
        m = p.search(clause)
        if m:
            return m.group(0).strip()
    return None


def _statements_changed(d: StatementDiff) -> bool:
    return bool(d.added or d.removed or d.modified)


def _positions_changed(d: StatementDiff) -> bool:
    return (any(m.position_changed for m in d.modified)
            or any(s.position.value != "other" for s in d.added + d.removed))


def _code_matches(name: str, code: Code) -> bool:
    """A named code is this code, or falls inside its range (codes of one format compare as text)."""
    start = code.code.strip().upper()
    if name == start:
        return True
    end = (code.code_end or "").strip().upper()
    return bool(end) and len(start) == len(name) == len(end) and start <= name <= end


def _named_codes(clause: str, verb: str, rules: _ClaimRules) -> list[str]:
    """Codes named in the clause that belong to `verb` ("added" or "removed"). When the clause
    names a code before its first verb the verbs follow their codes ("CPT 64454 added and
    G89.29 removed"): a code belongs to the next verb; otherwise ("added 64454; removed G89.29")
    to the verb before it."""
    verbs = sorted((m.start(), v) for v in ("added", "removed") for m in rules.verbs[f"codes_{v}"].finditer(clause))
    codes = [(m.start(), m.group(0)) for m in rules.code_named.finditer(clause)]
    if not verbs or not codes:
        return []
    verbs_follow = codes[0][0] < verbs[0][0]
    names = []
    for pos, name in codes:
        if verbs_follow:
            owner = next((v for start, v in verbs if start > pos), verbs[-1][1])
        else:
            owner = [v for start, v in verbs if start < pos][-1]
        if owner == verb:
            names.append(name)
    return names


def _check_codes(entry: HistoryEntry, clause: str, verb: str, codes: CodeDiff, rules: _ClaimRules) -> Finding | None:
    changed = codes.added if verb == "added" else codes.removed
    ranges = [m.new if verb == "added" else m.old for m in codes.modified if "range" in m.changes]
    names = _named_codes(clause, verb, rules)
    if names:
        missing = [n for n in names if not any(_code_matches(n, c) for c in changed + ranges)]
    else:
        missing = [] if changed or ranges else ["(any)"]
    if not missing:
        return None
    what = ", ".join(missing) if names else "codes"
    return Finding(kind="history_claim_codes_not_found", claim=f"codes_{verb}", evidence=clause, history=entry,
                   codes=missing if names else [],
                   message=f"history row {entry.date_text} says {what} {verb}, but the diff finds no such code {verb}")


def check_history_claims(old: Policy, new: Policy, statements: StatementDiff, codes: CodeDiff,
                         history: HistoryDiff, references: ReferenceDiff) -> list[Finding]:
    rules = load_rules()
    clauses = [(h, c) for h in history.added for c in _clauses(h.summary, rules)]
    announced = any(_first(rules.statements_changed, c) and not _first(rules.statements_unchanged, c)
                    for _, c in clauses)
    have_codes = bool(old.codes or new.codes)
    have_refs = bool(old.references or new.references)
    findings: list[Finding] = []
    for entry, clause in clauses:
        said = _first(rules.statements_unchanged, clause)
        if said and _statements_changed(statements) and not announced:
            n = len(statements.added) + len(statements.removed) + len(statements.modified)
            findings.append(Finding(
                kind="history_claim_mismatch", claim="statements_unchanged", evidence=said, history=entry,
                message=f"history row {entry.date_text} says \"{said}\", but {n} statement change(s) were found"))
            continue
        said = _first(rules.positions_unchanged, clause)
        if said and _positions_changed(statements):
            findings.append(Finding(
                kind="history_claim_mismatch", claim="positions_unchanged", evidence=said, history=entry,
                message=f"history row {entry.date_text} says \"{said}\", but a coverage position changed"))
            continue
        if rules.negation.search(clause):
            continue
        if have_codes and rules.code_noun.search(clause):
            for verb in ("added", "removed"):
                if rules.verbs[f"codes_{verb}"].search(clause):
                    f = _check_codes(entry, clause, verb, codes, rules)
                    if f:
                        findings.append(f)
        if have_refs and rules.reference_noun.search(clause):
            for verb in ("added", "removed"):
                found = references.added if verb == "added" else references.removed
                if rules.verbs[f"references_{verb}"].search(clause) and not found:
                    findings.append(Finding(
                        kind="history_claim_references_not_found", claim=f"references_{verb}", evidence=clause,
                        history=entry,
                        message=f"history row {entry.date_text} says references were {verb}, but none were {verb}"))
    return findings
