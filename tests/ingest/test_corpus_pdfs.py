"""Acceptance tests: `medpolicy.parse_policy` on the 30 real policy PDFs in ../shared/corpus/pdf.

The expectations live in corpus_pdf_facts.json beside this file. They were written by reading
the documents themselves (the text layer page by page, and rendered pages where the layout was
in doubt), never by copying parser output; each document's `notes` explain the readings that
needed a decision (a placeholder policy number, a file holding three editions, an impossible
footer date, ...). Do not edit an expectation to match the parser: re-read the document.

There is one test per (document, field), so a failure names the document and the field. Each
PDF is parsed at most once per session, on first use, so running a subset stays cheap.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest

from medpolicy import Policy, parse_policy

pytestmark = pytest.mark.corpus

FACTS_PATH = Path(__file__).with_name("corpus_pdf_facts.json")
FACTS: dict[str, dict] = json.loads(FACTS_PATH.read_text("utf-8"))["documents"]

# Generous: the 111-page Cigna policy on a slow 2-core CI runner; a hang still ends.
PARSE_TIMEOUT = 300.0


# --- comparison helpers --------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}
_MARKS = re.compile("[\u00ae\u2122\u00a9\u2020\u2021]")  # (R) (TM) (C) and CPT daggers: typography
_SPACE = re.compile(r"\s+")
_SPACE_AT_HYPHEN = re.compile(r"\s*-\s*")


def norm(text: str | None) -> str:
    """What a reader sees: same text whatever the dashes, quotes, trademark signs or wrapping."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_DASHES).translate(_QUOTES)
    text = _MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip().lower()


def norm_id(text: str | None) -> str:
    """Ids additionally ignore whitespace beside a hyphen: 'RP- 031' is RP-031 broken by layout."""
    return _SPACE_AT_HYPHEN.sub("-", norm(text))


def norm_code(text: str | None) -> str:
    return re.sub(r"\s+", "", str(text or "")).upper()


def code_key(system: str, code: str, code_end: str | None) -> tuple[str, str, str]:
    return (system, norm_code(code), norm_code(code_end))


def output_code_keys(policy: Policy) -> set[tuple[str, str, str]]:
    return {code_key(c.system.value, c.code, c.code_end) for c in policy.codes}


def describe_codes(keys) -> str:
    return ", ".join(f"{s}:{c}" + (f"-{e}" if e else "") for s, c, e in sorted(keys)) or "(none)"


_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def is_calendar_date(value: str) -> bool:
    """True for YYYY, YYYY-MM or YYYY-MM-DD naming a real day/month (so 9/59/2013 can't pass)."""
    if not _ISO.match(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


# --- parsing, once per document -------------------------------------------------------------------

class ParsedCorpus:
    """Parses each PDF on first request and keeps the outcome for the session.

    A failure is kept too and re-raised by every test of that document, so one broken document
    costs one parse, and each of its tests reports the same cause instead of a confusing cascade.
    """

    def __init__(self, pdf_dir: Path):
        self.pdf_dir = pdf_dir
        self._outcomes: dict[str, Policy | BaseException] = {}

    def get(self, name: str) -> Policy:
        if name not in self._outcomes:
            try:
                self._outcomes[name] = parse_policy(self.pdf_dir / name, timeout=PARSE_TIMEOUT)
            # Any exception is a failure of that document's tests; keeping it avoids re-parsing.
            except Exception as exc:  # noqa: BLE001
                self._outcomes[name] = exc
        outcome = self._outcomes[name]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@pytest.fixture(scope="session")
def corpus(pdf_dir: Path) -> ParsedCorpus:
    return ParsedCorpus(pdf_dir)


# --- parametrisation -----------------------------------------------------------------------------

def _cases(field: str, *, skip_missing: bool = True):
    """(document, value) pairs for one field of the facts, with readable ids."""
    out = []
    for name, facts in sorted(FACTS.items()):
        if field in facts or not skip_missing:
            out.append(pytest.param(name, facts.get(field), id=name.removesuffix(".pdf")))
    return out


def _indexed(field: str):
    out = []
    for name, facts in sorted(FACTS.items()):
        for i, item in enumerate(facts.get(field) or []):
            out.append(pytest.param(name, item, id=f"{name.removesuffix('.pdf')}-{i}"))
    return out


def _date_cases():
    out = []
    for name, facts in sorted(FACTS.items()):
        for key, value in sorted(facts.get("dates", {}).items()):
            out.append(pytest.param(name, key, value, id=f"{name.removesuffix('.pdf')}-{key}"))
    return out


ALL_DOCUMENTS = [pytest.param(name, id=name.removesuffix(".pdf")) for name in sorted(FACTS)]


# --- the facts file itself -----------------------------------------------------------------------

def test_facts_cover_every_corpus_pdf(pdf_dir: Path):
    on_disk = {p.name for p in pdf_dir.glob("*.pdf")}
    assert on_disk == set(FACTS), f"facts and corpus differ: {sorted(on_disk ^ set(FACTS))}"


def test_facts_are_consistent():
    for name, facts in FACTS.items():
        if "history_dates" in facts:
            assert len(facts["history_dates"]) == facts["history_count"], name
        for value in list(facts.get("dates", {}).values()) + [d for d in facts.get("history_dates", []) if d]:
            assert value is None or is_calendar_date(value), (name, value)
        assert ("title" in facts) != ("title_contains" in facts), name


# --- (a) every PDF parses into a validated Policy with sections ----------------------------------

@pytest.mark.parametrize("name", ALL_DOCUMENTS)
def test_parses_to_valid_policy(corpus: ParsedCorpus, name: str):
    policy = corpus.get(name)
    assert isinstance(policy, Policy)
    # Validation happened on construction; a JSON round trip proves the record is self-consistent.
    assert Policy.from_json(policy.to_json()) == policy
    assert policy.source.format == "pdf"
    assert policy.sections, f"{name}: no sections"
    assert any(s.text.strip() for s in policy.sections), f"{name}: every section is empty"


@pytest.mark.parametrize("name, pages", _cases("pages"))
def test_page_count(corpus: ParsedCorpus, name: str, pages: int):
    assert corpus.get(name).source.pages == pages


@pytest.mark.parametrize("name", ALL_DOCUMENTS)
def test_every_emitted_date_is_a_calendar_date(corpus: ParsedCorpus, name: str):
    policy = corpus.get(name)
    emitted = {f"dates.{k}": v for k, v in policy.dates.model_dump().items() if v is not None}
    emitted |= {f"history[{i}].date": h.date for i, h in enumerate(policy.history) if h.date is not None}
    bad = {k: v for k, v in emitted.items() if not is_calendar_date(v)}
    assert not bad, f"not ISO calendar dates: {bad}"


# --- (b) per-document facts ----------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", _cases("policy_id"))
def test_policy_id(corpus: ParsedCorpus, name: str, expected: str | None):
    got = corpus.get(name).policy_id
    if expected is None:
        assert got is None, f"document prints no number of its own; got {got!r}"
    else:
        assert norm_id(got) == norm_id(expected), f"expected {expected!r}, got {got!r}"


@pytest.mark.parametrize("name, expected", _cases("title"))
def test_title(corpus: ParsedCorpus, name: str, expected: str | list[str]):
    got = corpus.get(name).title
    accepted = [expected] if isinstance(expected, str) else expected
    assert norm(got) in {norm(t) for t in accepted}, f"expected one of {accepted!r}, got {got!r}"


@pytest.mark.parametrize("name, expected", _cases("title_contains"))
def test_title_contains(corpus: ParsedCorpus, name: str, expected: str):
    got = corpus.get(name).title
    assert norm(expected) in norm(got), f"expected a title containing {expected!r}, got {got!r}"


@pytest.mark.parametrize("name, expected", _cases("payer"))
def test_payer(corpus: ParsedCorpus, name: str, expected: list[str]):
    got = corpus.get(name).payer
    assert any(norm(p) in norm(got) for p in expected), f"expected a payer containing one of {expected!r}, got {got!r}"


@pytest.mark.parametrize("name, key, expected", _date_cases())
def test_date(corpus: ParsedCorpus, name: str, key: str, expected: str | None):
    assert getattr(corpus.get(name).dates, key) == expected


@pytest.mark.parametrize("name, expected", _cases("codes"))
def test_codes_present(corpus: ParsedCorpus, name: str, expected: list[dict]):
    got = output_code_keys(corpus.get(name))
    want = {code_key(c["system"], c["code"], c.get("code_end")) for c in expected}
    missing = want - got
    assert not missing, f"missing {describe_codes(missing)}; got {describe_codes(got)}"


@pytest.mark.parametrize("name, expected", [
    pytest.param(n, f["codes"], id=n.removesuffix(".pdf")) for n, f in sorted(FACTS.items()) if f.get("codes_exhaustive")
])
def test_codes_exhaustive(corpus: ParsedCorpus, name: str, expected: list[dict]):
    got = output_code_keys(corpus.get(name))
    want = {code_key(c["system"], c["code"], c.get("code_end")) for c in expected}
    assert got == want, f"extra {describe_codes(got - want)}; missing {describe_codes(want - got)}"


@pytest.mark.parametrize("name, absent", _cases("codes_absent"))
def test_codes_absent(corpus: ParsedCorpus, name: str, absent: list[str]):
    emitted = {norm_code(c.code) for c in corpus.get(name).codes}
    emitted |= {norm_code(c.code_end) for c in corpus.get(name).codes if c.code_end}
    wrongly = sorted(emitted & {norm_code(a) for a in absent})
    assert not wrongly, f"extracted codes that are only history/prose/reference text: {wrongly}"


@pytest.mark.parametrize("name, expected", _cases("history_count"))
def test_history_count(corpus: ParsedCorpus, name: str, expected: int):
    rows = corpus.get(name).history
    assert len(rows) == expected, f"expected {expected} rows, got {len(rows)}: {[h.date_text for h in rows]}"


@pytest.mark.parametrize("name, expected", _cases("history_dates"))
def test_history_dates(corpus: ParsedCorpus, name: str, expected: list[str | None]):
    got = [h.date for h in corpus.get(name).history]
    key = lambda d: d or ""  # noqa: E731 - None (placeholder date) sorts first
    assert sorted(got, key=key) == sorted(expected, key=key)


@pytest.mark.parametrize("name, item", _indexed("history_contains"))
def test_history_row_contains(corpus: ParsedCorpus, name: str, item: dict):
    rows = [h for h in corpus.get(name).history if h.date == item["date"]]
    assert rows, f"no history row dated {item['date']}"
    assert any(norm(item["contains"]) in norm(h.summary) for h in rows), \
        f"row {item['date']} lacks {item['contains']!r}: {[h.summary for h in rows]}"


@pytest.mark.parametrize("name, expected", _cases("references_count"))
def test_references_count(corpus: ParsedCorpus, name: str, expected: int):
    refs = corpus.get(name).references
    assert len(refs) == expected, f"expected {expected} references, got {len(refs)}"


@pytest.mark.parametrize("name, item", [
    pytest.param(n, r, id=f"{n.removesuffix('.pdf')}-{r}") for n, f in sorted(FACTS.items()) for r in f.get("related_policies", [])
])
def test_related_policy(corpus: ParsedCorpus, name: str, item: str):
    ids = {norm_id(r.policy_id) for r in corpus.get(name).related_policies}
    assert norm_id(item) in ids, f"{item!r} not among {sorted(ids)}"


@pytest.mark.parametrize("name, item", _indexed("statements"))
def test_statement(corpus: ParsedCorpus, name: str, item: dict):
    statements = corpus.get(name).statements
    containing = [s for s in statements if norm(item["contains"]) in norm(s.text)]
    assert containing, f"no statement contains {item['contains']!r}"
    positions = sorted({s.position.value for s in containing})
    assert item["position"] in positions, f"expected {item['position']}, statement(s) containing it are {positions}"


@pytest.mark.parametrize("name, furniture", _cases("body_must_not_contain"))
def test_no_page_furniture_in_body(corpus: ParsedCorpus, name: str, furniture: list[str]):
    policy = corpus.get(name)
    blob = json.dumps([s.model_dump(mode="json") for s in policy.sections + policy.statements + policy.references],
                      ensure_ascii=False)
    found = [f for f in furniture if f in blob]
    assert not found, f"page furniture left in the body: {found}"
