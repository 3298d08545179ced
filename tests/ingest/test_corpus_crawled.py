"""Acceptance tests: `parse_policy` on the crawled texts of ../shared/corpus/crawled.

The expectations are the `crawled/*.expected.json` files beside this module, written by reading
each document (see crawled/README.md), never from parser output. Each field is scored with the
shared scorer's own functions (../shared/tools/eval_parse.py), the scoring applied to documents
we do not have, and must score 1.0. One test per (document, field), so a failure names both.

`crawled/known_misses.json` lists the (document, field) pairs the parser does not get right yet,
each with the reason; they run as strict xfails, so a fixed miss fails until it is taken off the
list, and the list can only shrink honestly. `crawled/not_policies.json` lists the texts that are
not policies and the reason a user must be told.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from medpolicy import parse_policy
from medpolicy.errors import DocumentError

pytestmark = pytest.mark.corpus

HERE = Path(__file__).with_name("crawled")
EXPECTED = {p.name.removesuffix(".expected.json"): json.loads(p.read_text("utf-8"))
            for p in sorted(HERE.glob("*.expected.json"))}
KNOWN_MISSES: dict[str, str] = json.loads((HERE / "known_misses.json").read_text("utf-8"))["misses"]
NOT_POLICIES: dict[str, dict] = json.loads((HERE / "not_policies.json").read_text("utf-8"))["documents"]
FIELDS = ("policy_id", "title", "payer", "codes", "history", "references", "statements", "related", "body")
# the facts' key of a field where it is named otherwise
GOLD_KEY = {"related": "related_policies", "body": "body_must_not_contain"}


def _scorer(shared_tools_dir: Path):
    spec = importlib.util.spec_from_file_location("eval_parse", shared_tools_dir / "eval_parse.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(shared_tools_dir))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(shared_tools_dir))
    return module


@pytest.fixture(scope="session")
def scorer(shared_tools_dir):
    return _scorer(shared_tools_dir)


class Parsed:
    """Each document parsed once per session, as the JSON the CLI prints."""

    def __init__(self, root: Path):
        self.root = root
        self.out: dict[str, dict | BaseException] = {}

    def get(self, stem: str) -> dict:
        if stem not in self.out:
            try:
                self.out[stem] = json.loads(parse_policy(self.root / f"{stem}.txt").to_json())
            except DocumentError as exc:
                self.out[stem] = exc
        got = self.out[stem]
        if isinstance(got, BaseException):
            raise got
        return got


@pytest.fixture(scope="session")
def parsed(corpus_dir) -> Parsed:
    return Parsed(corpus_dir / "crawled")


def field_score(scorer, gold: dict, out: dict, field: str) -> tuple[float | None, object]:
    """The shared scorer's figure for one field (None when the field is not checked)."""
    if field in ("policy_id", "title", "payer") or field.startswith("dates."):
        key = field.split(".", 1)[-1]
        if field.startswith("dates."):
            part = {"dates": {key: gold["dates"][key]}}
        elif field == "payer":
            part = {"payer": gold.get("payer")}
        else:
            part = {field: gold.get(field)}
        if field == "payer" and not gold.get("payer"):
            return None, None
        score, missing = scorer.score_meta(part, out)
        return score, {"got": out.get("dates", {}).get(key) if field.startswith("dates.") else out.get(key), "want": (part.get("dates") or part)}
    if field == "codes":
        score, missing, extra = scorer.score_codes(gold, out)
        return score, {"missing": missing[:10], "extra": extra[:10]}
    if field == "history":
        score, missing, extra = scorer.score_history(gold, out)
        return score, {"missing": missing[:10], "extra": extra[:10]}
    if field == "references":
        score, missing, extra = scorer.score_refs(gold, out)
        return score, {"missing": missing[:10], "extra": extra}
    fn = {"statements": scorer.score_statements, "related": scorer.score_related, "body": scorer.score_body}[field]
    score, missing = fn(gold, out)
    return score, {"missing": missing[:10]}


def _cases():
    out = []
    for stem, gold in EXPECTED.items():
        fields = [f for f in FIELDS if GOLD_KEY.get(f, f) in gold or f in ("codes", "history", "references")]
        fields += [f"dates.{k}" for k in sorted(gold.get("dates") or {})]
        for field in fields:
            key = f"{stem}/{field}"
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[key])] if key in KNOWN_MISSES else []
            out.append(pytest.param(stem, field, id=key, marks=marks))
    return out


def test_expectations_are_well_formed():
    for stem, gold in EXPECTED.items():
        assert {"policy_id", "title", "dates", "statements", "codes", "history", "references"} <= set(gold), stem
        assert not set(gold) & set(NOT_POLICIES), stem
    assert len(EXPECTED) >= 30
    assert len({g["organisation"] for g in EXPECTED.values()}) >= 20


def test_known_misses_name_real_cases():
    names = {p.id for p in _cases()}
    assert set(KNOWN_MISSES) <= names, sorted(set(KNOWN_MISSES) - names)


@pytest.mark.parametrize("stem, field", _cases())
def test_field(parsed: Parsed, scorer, stem: str, field: str):
    gold = EXPECTED[stem]
    score, detail = field_score(scorer, gold, parsed.get(stem), field)
    if score is None:
        pytest.skip("not checked for this document")
    assert score == 1.0, f"{field} scores {score:.3f}: {detail}"


@pytest.mark.parametrize("stem", sorted(NOT_POLICIES))
def test_not_a_policy_is_refused_with_one_line(corpus_dir, stem: str):
    """Error pages, index pages, empty or damaged files: exit 2 and one stderr line naming the
    file and saying what it is, through the real command."""
    path = corpus_dir / "crawled" / f"{stem}.txt"
    r = subprocess.run([sys.executable, "-c", "from medpolicy.cli.main import main; main()", "parse", str(path), "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stdout[:300]
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert str(path) in lines[0]
    assert NOT_POLICIES[stem]["says"] in lines[0], lines[0]


def test_every_crawled_text_is_covered(corpus_dir):
    on_disk = {p.stem for p in (corpus_dir / "crawled").glob("*.txt")}
    known = set(EXPECTED) | set(NOT_POLICIES)
    unlisted = sorted(on_disk - known)
    # a text may be left without facts only when the README says why (geisinger's bulletin)
    assert unlisted == sorted(json.loads((HERE / "not_policies.json").read_text("utf-8"))["without_facts"]), unlisted
