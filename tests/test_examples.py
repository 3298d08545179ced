"""The bundled samples (examples/): they parse to the records written into them, their PDF and
text renderings agree, their edition pairs diff as designed, and the demo script runs.

The expectations below come from the sample texts themselves (we wrote them), not from the
parser's output: if the parser changes what it finds, these tests say so."""
from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medpolicy import parse_policy
from medpolicy.models import Policy

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
POLICIES = EXAMPLES / "policies"
PDFS = EXAMPLES / "pdf"
BIN = Path(sys.executable).parent

MN, NMN, INV, NC, COV = ("medically_necessary", "not_medically_necessary", "investigational",
                         "not_covered", "covered")

KNEE_CODES_2024 = {
    ("CPT", "64624", None), ("ICD-10-CM", "G89.29", None), ("ICD-10-CM", "M17.0", "M17.9"),
    ("ICD-10-CM", "M25.561", "M25.569"), ("ICD-10-CM", "T84.84XA", "T84.84XS"),
    ("ICD-10-CM", "Z96.651", "Z96.659"),
}
KNEE_CODES_2026 = (KNEE_CODES_2024 - {("ICD-10-CM", "G89.29", None)}) | {("CPT", "64454", None)}
CGM_CODES_2026 = {
    ("CPT", "95249", None), ("CPT", "95250", None), ("CPT", "95251", None),
    ("HCPCS", "A4238", None), ("HCPCS", "A4239", None), ("HCPCS", "A9276", None),
    ("HCPCS", "A9277", None), ("HCPCS", "A9278", None), ("HCPCS", "E2102", None),
    ("HCPCS", "E2103", None),
    ("ICD-10-CM", "E08.00", "E08.9"), ("ICD-10-CM", "E09.00", "E09.9"), ("ICD-10-CM", "E10.10", "E10.9"),
    ("ICD-10-CM", "E11.00", "E11.9"), ("ICD-10-CM", "E13.00", "E13.9"),
    ("ICD-10-CM", "O24.011", "O24.93"),  # printed with an en dash
}
CGM_CODES_2025 = (CGM_CODES_2026 - {("HCPCS", "A4238", None), ("HCPCS", "E2102", None)}) | {
    ("HCPCS", "K0553", None), ("HCPCS", "K0554", None)}
TMS_CODES = {
    ("CPT", "90867", None), ("CPT", "90868", None), ("CPT", "90869", None),
    ("ICD-10-CM", "F32.0", "F32.5"), ("ICD-10-CM", "F32.9", None), ("ICD-10-CM", "F33.0", "F33.42"),
    ("ICD-10-CM", "F33.9", None),
}
KNEE_HISTORY = ["2026-03-01", "2025-03", "2024-03-01", "2023-01-12", "2022-04-01"]  # newest first
CGM_HISTORY = ["2019-07-01", "2020-07", "2021-06", "2023-01-01", "2024-11-20", "2025-11-19"]

KNEE = dict(policy_id="MP-7.042", title="Genicular Nerve Radiofrequency Ablation for Chronic Knee Pain",
            related=["MP-7.015", "MP-7.031", "MP-9.110"], positions=[MN, MN, INV, INV, NC])
CGM = dict(policy_id="MP-1.118", title="Continuous Glucose Monitoring Systems",
           related=["MP-1.104", "MP-1.126", "MP-2.210"], positions=[MN, COV, MN, NC, MN, INV, NMN])

# edition -> what its text says. `contains`: (statement ordinal among non-"other" statements,
# text it must contain), which also checks that criteria lists stay attached to their statement.
EDITIONS = {
    "northwind/MP-7.042/2024-03-01": dict(
        KNEE, dates=dict(effective="2024-03-01", original_effective="2022-04-01", last_review="2024-01-10",
                         next_review="2025-01"),
        codes=KNEE_CODES_2024, history=[d for d in KNEE_HISTORY if d[:4] <= "2024"], references=7,
        contains=[(0, "Two diagnostic blocks"), (1, "active exercise"), (4, "12-month period")]),
    "northwind/MP-7.042/2025-03-01": dict(
        KNEE, dates=dict(effective="2025-03-01", original_effective="2022-04-01", last_review="2025-01-15",
                         next_review="2026-01"),
        codes=KNEE_CODES_2024, history=KNEE_HISTORY[1:], references=9,
        contains=[(0, "Two diagnostic blocks"), (3, "cryoneurolysis")]),
    "northwind/MP-7.042/2026-03-01": dict(
        KNEE, dates=dict(effective="2026-03-01", original_effective="2022-04-01", last_review="2026-01-14",
                         next_review="2027-01"),
        codes=KNEE_CODES_2026, history=KNEE_HISTORY, references=10,
        contains=[(0, "A single diagnostic block"), (2, "hip, ankle or shoulder")]),
    "northwind/MP-1.118/2025-01-01": dict(
        CGM, dates=dict(effective="2025-01-01", original_effective="2019-07-01", last_review="2024-11-20",
                        next_review="2025-11"),
        codes=CGM_CODES_2025, history=CGM_HISTORY[:-1], references=6,
        contains=[(0, "treated with insulin"), (0, "self-management education"), (1, "durable medical equipment")]),
    "northwind/MP-1.118/2026-01-01": dict(
        CGM, dates=dict(effective="2026-01-01", original_effective="2019-07-01", last_review="2025-11-19",
                        next_review="2026-11"),
        codes=CGM_CODES_2026, history=CGM_HISTORY, references=8,
        contains=[(0, "problematic hypoglycemia"), (5, "prediabetes"), (6, "transcutaneous")]),
    "northwind/MP-4.203/2025-09-01": dict(
        policy_id="MP-4.203", title="Repetitive Transcranial Magnetic Stimulation for Depression",
        related=["MP-4.201", "MP-4.215"], positions=[MN, MN, NMN, INV, INV, NC],
        dates=dict(effective="2025-09-01", original_effective="2016-10", last_review="2025-07-16",
                   next_review="2026-07"),
        codes=TMS_CODES,
        history=["2016-10", "2018-09-01", "2019-01-01", "2020-08", "2022-09-01", "2023-11", "2024-09-01",
                 "2025-07-16"],
        references=7, contains=[(0, "psychiatrist"), (4, "tinnitus")]),
}


def _load_build_pdfs():
    spec = importlib.util.spec_from_file_location("examples_build_pdfs", EXAMPLES / "build_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


build_pdfs = _load_build_pdfs()


@functools.lru_cache(maxsize=None)
def parsed(path: Path) -> Policy:
    return parse_policy(path)


def _ws(text: str | None) -> str:
    return " ".join((text or "").split())


def _positioned(policy: Policy):
    return [s for s in policy.statements if s.position.value != "other"]


def test_every_sample_edition_has_expectations():
    found = {str(p.relative_to(POLICIES).with_suffix("")) for p in POLICIES.rglob("*") if p.is_file()}
    assert found == set(EDITIONS)


@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_sample_parses_to_what_it_says(edition):
    want = EDITIONS[edition]
    p = parsed(POLICIES / f"{edition}.txt")
    assert p.policy_id == want["policy_id"]
    assert _ws(p.title) == want["title"]
    assert "Northwind Health Plan" in (p.payer or "")
    for key, value in want["dates"].items():
        assert getattr(p.dates, key) == value, key
    assert [r.policy_id for r in p.related_policies] == want["related"]
    statements = _positioned(p)
    assert [s.position.value for s in statements] == want["positions"]
    for ordinal, text in want["contains"]:
        assert text in _ws(statements[ordinal].text), (ordinal, text)
    assert {(c.system.value, c.code, c.code_end) for c in p.codes} == want["codes"]
    assert len(p.codes) == len(want["codes"])
    assert [h.date for h in p.history] == want["history"]
    assert len(p.references) == want["references"]
    assert [r.number for r in p.references] == list(range(1, want["references"] + 1))
    assert not p.warnings


def test_references_carry_identifiers():
    refs = parsed(POLICIES / "northwind/MP-7.042/2026-03-01.txt").references
    assert refs[0].pmid == "48120331" and refs[0].doi == "10.5555/nwhp.pmr.2021.0311"
    assert refs[2].pmid == "48402276" and refs[2].doi is None
    assert refs[9].pmid is None and refs[9].url == "https://www.example.org/northwind/clinical-guidance/knee-pain"


def test_history_keeps_dates_as_printed():
    history = parsed(POLICIES / "northwind/MP-4.203/2025-09-01.txt").history
    assert [h.date_text for h in history] == ["10/2016", "09.01.18", "1/1/2019", "8/2020", "09/01/2022",
                                              "11/2023", "September 1, 2024", "07/16/2025"]
    assert history[-1].summary.startswith("Annual review. Rationale on accelerated protocols added")


# --- PDF renderings -------------------------------------------------------------------------

def test_committed_pdfs_are_current():
    """Every edition listed in build_pdfs.RENDERED has a PDF made from its current text."""
    assert build_pdfs.stale() == []
    assert {str(p.relative_to(PDFS).with_suffix("")) for p in PDFS.rglob("*.pdf")} == set(build_pdfs.RENDERED)


@pytest.mark.parametrize("edition", build_pdfs.RENDERED)
def test_pdf_and_text_give_the_same_records(edition):
    text, pdf = parsed(POLICIES / f"{edition}.txt"), parsed(PDFS / f"{edition}.pdf")
    assert pdf.source.format == "pdf" and text.source.format == "text"
    assert (pdf.policy_id, _ws(pdf.title), pdf.dates) == (text.policy_id, _ws(text.title), text.dates)
    assert [(s.position, _ws(s.text)) for s in pdf.statements] == [(s.position, _ws(s.text)) for s in text.statements]
    assert [(c.system, c.code, c.code_end) for c in pdf.codes] == [(c.system, c.code, c.code_end) for c in text.codes]
    assert [(h.date, h.date_text, _ws(h.summary)) for h in pdf.history] == \
        [(h.date, h.date_text, _ws(h.summary)) for h in text.history]
    assert [(r.number, r.pmid, r.doi, r.url) for r in pdf.references] == \
        [(r.number, r.pmid, r.doi, r.url) for r in text.references]
    assert [r.policy_id for r in pdf.related_policies] == [r.policy_id for r in text.related_policies]


def test_pdf_furniture_stays_out_of_the_record():
    p = parsed(PDFS / "northwind/MP-4.203/2025-09-01.pdf")
    body = "\n".join([s.text for s in p.sections] + [s.text for s in p.statements] + [r.text for r in p.references])
    assert "Page 2 of 4" not in body
    assert "Printed copies are for reference only" not in body
    assert p.source.pages == 4


def test_renderer_draws_furniture_and_splits_tables(tmp_path):
    """The TMS edition's history table runs over a page break with its header row repeated."""
    pdfplumber = pytest.importorskip("pdfplumber")
    out = tmp_path / "tms.pdf"
    build_pdfs.render(POLICIES / "northwind/MP-4.203/2025-09-01.txt", out)
    with pdfplumber.open(out) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
        headers = [[t.extract()[0][0] for t in page.find_tables()] for page in pdf.pages]
    assert len(pages) == 4
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of 4" in page
        assert "Northwind Health Plan" in page and "Policy Number: MP-4.203" in page.splitlines()[0]
    assert headers[2][-1] == "Date" and headers[3][0] == "Date"  # history table split, header repeated
    assert build_pdfs.recorded_sha(out) is not None


def test_read_edition_finds_title_number_and_tables():
    ed = build_pdfs.read_edition((POLICIES / "northwind/MP-1.118/2026-01-01.txt").read_text(encoding="utf-8"))
    assert (ed.plan, ed.policy_number, ed.title) == ("Northwind Health Plan", "MP-1.118",
                                                     "Continuous Glucose Monitoring Systems")
    kinds = [b.kind for b in ed.blocks]
    assert kinds.count("table") == 5  # header block, three code tables, history
    assert [b.text for b in ed.blocks if b.kind == "subheading"][:2] == [
        "Personal continuous glucose monitoring", "Professional continuous glucose monitoring"]


# --- Diffs between editions (through the CLI, whose JSON is the contract) ------------------------

# What `medpolicy diff OLD NEW --format json` must report for each sample pair, in the shape of
# ../shared/corpus/versions/*/expected-diff.json.
EXPECTED_DIFFS = {
    ("northwind/MP-7.042/2024-03-01", "northwind/MP-7.042/2025-03-01"): dict(
        metadata={"dates.effective": ["2024-03-01", "2025-03-01"], "dates.last_review": ["2024-01-10", "2025-01-15"],
                  "dates.next_review": ["2025-01", "2026-01"]},
        statements=dict(added=0, removed=0, modified=0), codes=dict(added=[], removed=[]),
        history_added=["2025-03"], references=dict(added=2, removed=0, modified=1),
        added_pmids=["48402276", "48610477"], substantive=False, findings=[]),
    ("northwind/MP-7.042/2025-03-01", "northwind/MP-7.042/2026-03-01"): dict(
        metadata={"dates.effective": ["2025-03-01", "2026-03-01"], "dates.last_review": ["2025-01-15", "2026-01-14"],
                  "dates.next_review": ["2026-01", "2027-01"]},
        statements=dict(added=0, removed=0, modified=1), modified_contains="single diagnostic block",
        codes=dict(added=[["CPT", "64454"]], removed=[["ICD-10-CM", "G89.29"]]),
        history_added=["2026-03-01"], references=dict(added=1, removed=0, modified=1),
        added_pmids=["48893012"], substantive=True,
        # its new history row says "No changes to policy statements", but criterion E changed
        findings=["history_claim_mismatch"]),
    ("northwind/MP-1.118/2025-01-01", "northwind/MP-1.118/2026-01-01"): dict(
        metadata={"dates.effective": ["2025-01-01", "2026-01-01"], "dates.last_review": ["2024-11-20", "2025-11-19"],
                  "dates.next_review": ["2025-11", "2026-11"]},
        statements=dict(added=0, removed=0, modified=1), modified_contains="problematic hypoglycemia",
        codes=dict(added=[["HCPCS", "A4238"], ["HCPCS", "E2102"]], removed=[["HCPCS", "K0553"], ["HCPCS", "K0554"]]),
        history_added=["2025-11-19"], references=dict(added=2, removed=0, modified=1),
        added_pmids=["48633105", "48817320"], substantive=True, findings=[]),
}


def _medpolicy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    exe = shutil.which("medpolicy", path=str(BIN)) or "medpolicy"
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def _diff_json(old: Path, new: Path) -> tuple[int, dict]:
    proc = _medpolicy("diff", str(old), str(new), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize("pair", sorted(EXPECTED_DIFFS), ids=lambda p: f"{p[0].split('/')[1]}:{p[0][-10:]}..{p[1][-10:]}")
def test_sample_editions_diff_as_designed(pair):
    want = EXPECTED_DIFFS[pair]
    rc, out = _diff_json(POLICIES / f"{pair[0]}.txt", POLICIES / f"{pair[1]}.txt")
    assert rc == 1
    assert {m["field"]: [m["old"], m["new"]] for m in out["metadata"]} == want["metadata"]
    for kind, count in want["statements"].items():
        assert len(out["statements"][kind]) == count, kind
    if "modified_contains" in want:
        (mod,) = out["statements"]["modified"]
        assert want["modified_contains"] in _ws(mod["new"]["text"]) + _ws(mod["old"]["text"])
    for kind in ("added", "removed"):
        assert sorted([c["system"], c["code"]] for c in out["codes"][kind]) == want["codes"][kind], kind
    assert sorted(h["date"] for h in out["history"]["added"]) == want["history_added"]
    assert out["history"]["removed"] == []
    for kind, count in want["references"].items():
        assert len(out["references"][kind]) == count, kind
    assert sorted(r["pmid"] for r in out["references"]["added"]) == want["added_pmids"]
    assert out["related_policies"]["added"] == [] and out["related_policies"]["removed"] == []
    assert out["summary"]["substantive"] is want["substantive"]
    assert sorted({f["kind"] for f in out["findings"]}) == want["findings"]


@pytest.mark.parametrize("edition", build_pdfs.RENDERED)
def test_text_and_pdf_of_one_edition_diff_as_identical(edition):
    rc, out = _diff_json(POLICIES / f"{edition}.txt", PDFS / f"{edition}.pdf")
    assert rc == 0, json.dumps(out.get("summary"), indent=1)


# --- The demo script ------------------------------------------------------------------------------

def test_demo_script_is_valid_bash():
    proc = subprocess.run(["bash", "-n", str(EXAMPLES / "demo.sh")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_demo_refuses_to_delete_a_folder_that_is_not_a_store(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    env = {**os.environ, "DEMO_STORE": str(precious), "DEMO_OUT": str(tmp_path / "out"),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(["bash", str(EXAMPLES / "demo.sh")], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert "not a policy store" in proc.stderr
    assert (precious / "notes.txt").read_text() == "keep me"


def test_demo_runs_end_to_end(tmp_path):
    """What `make demo` does, into a temporary store and report folder."""
    store, out = tmp_path / "store", tmp_path / "out"
    env = {**os.environ, "DEMO_STORE": str(store), "DEMO_OUT": str(out),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("MEDPOLICY_STORE", None)
    proc = subprocess.run(["bash", str(EXAMPLES / "demo.sh")], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = out / "MP-7.042-diff.html"
    assert f"HTML diff report written to {report}" in proc.stdout
    html = report.read_text(encoding="utf-8")
    assert re.search(r"(?i)<html", html) and "64454" in html
    assert "policy MP-7.042" in proc.stdout  # the parse step printed what it found
    assert "history_claim_mismatch" in proc.stdout  # the diff of the latest revision shows the finding
    # the library: a code found through a range, the change feed, the site
    assert "code ICD-10-CM E10.10-E10.9  Type 1 diabetes mellitus" in proc.stdout
    assert "2026-03-01  northwind-health-plan/mp-7.042" in proc.stdout
    assert (out / "site" / "index.html").is_file() and (out / "site" / "codes.html").is_file()
