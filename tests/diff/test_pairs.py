"""Real edition pairs from ../shared/corpus (the FEP PDFs, the crawled texts) against the
expectations in pairs/*.expected-diff.json, written by reading both editions (pairs/README.md).

Each pair is checked with the same rules as ../shared/tools/eval_diff.py (its own `check`,
loaded from the shared tools), plus the `classes` expectation: for each class marked true or
false, whether the diff has a change of that class. A pair that fails only because the parser
reads one of its editions wrongly is marked xfail (not strict) with that parser problem named,
so it starts passing, unmarked, when the parser improves.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from medpolicy.diff import diff_policies
from medpolicy.errors import DocumentError
from medpolicy.ingest import parse_policy

from .test_corpus import _eval_module

PAIRS = Path(__file__).resolve().parent / "pairs"

pytestmark = pytest.mark.corpus

# Pairs that fail because of how the parser reads an edition, not because of the diff; the
# reason names the parser problem. Remove an entry when the parser is fixed (xfail is not strict,
# so a fixed pair passes without it too).
_ONE_LINE_PAGE = ("parser: the crawled page text is one line with the site's menus and scripts around the policy; "
                  "parse_policy refuses it as 'not a medical policy' (bcbsnc: 'an index page')")
PARSER_PROBLEMS = {
    "bcbsnc_liquid-biopsy-g2054": _ONE_LINE_PAGE,
    "bcbssc_liquid-biopsy": _ONE_LINE_PAGE,
    "evicore_liquid-biopsy": (
        "parser: the text layer's running footer ('(c)2025 EviCore by EVERNORTHPage N of 18', the address line, "
        "'These guidelines apply to ... Cigna CPT list.') is not removed as page furniture and is glued onto "
        "references, stray lines ('Oncol', 'Inc.') become section headings, the 'Procedures addressed' row "
        "'Labcorp Plasma Complete0585U' (name glued to code) is not read as code 0585U, and the title keeps the "
        "glued version ('Lab Management GuidelinesV2.0.2025')"),
}


@functools.lru_cache(maxsize=None)
def _parsed(path: Path):
    return parse_policy(path)


def _cases():
    cases = []
    for path in sorted(PAIRS.glob("*.expected-diff.json")):
        name = path.name.removesuffix(".expected-diff.json")
        marks = [pytest.mark.xfail(strict=False, reason=PARSER_PROBLEMS[name])] if name in PARSER_PROBLEMS else []
        cases.append(pytest.param(path, id=name, marks=marks))
    return cases


def check_classes(expected: dict, summary: dict) -> list[str]:
    """Each class marked true or false must (not) have at least one change; null is not checked."""
    fails = []
    for name, want in (expected.get("classes") or {}).items():
        if want is None:
            continue
        got = summary["classes"].get(name, 0) > 0
        if got != want:
            fails.append(f"class {name}: got {summary['classes'].get(name, 0)} change(s), want {'some' if want else 'none'}")
    return fails


@pytest.mark.parametrize("path", _cases())
def test_real_pair(path, corpus_dir, shared_tools_dir):
    exp = json.loads(path.read_text(encoding="utf-8"))
    try:
        old, new = _parsed(corpus_dir / exp["old"]), _parsed(corpus_dir / exp["new"])
    except DocumentError as exc:
        pytest.fail(f"an edition could not be parsed: {exc}")
    out = json.loads(diff_policies(old, new).to_json())
    ok, total, fails = _eval_module(shared_tools_dir).check(exp, out)
    fails += check_classes(exp, out["summary"])
    assert not fails, f"{ok}/{total} eval_diff checks; failures:\n  " + "\n  ".join(fails)


def test_every_pair_names_both_editions_and_classes(corpus_dir):
    """The expectation files themselves: editions exist, every class is named."""
    names = {"coverage", "coding", "administrative", "references", "evidence", "editorial"}
    for path in PAIRS.glob("*.expected-diff.json"):
        exp = json.loads(path.read_text(encoding="utf-8"))
        assert (corpus_dir / exp["old"]).is_file() and (corpus_dir / exp["new"]).is_file(), path.name
        assert set(exp["classes"]) == names, path.name
        assert exp["substantive"] == bool(exp["classes"]["coverage"] or exp["classes"]["coding"]), path.name
