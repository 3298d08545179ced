"""Issue 10's data problems, through the real commands: honest dates, one edition in two formats,
one policy under two letterheads, keys of policies without a number."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.store.docs import policy_text
from tests.store.util import cli, git

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _doc(folder: Path, name: str, text: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


def _without(text: str, *labels: str) -> str:
    """The document without the lines that start with `labels` (its date or number lines)."""
    return "\n".join(ln for ln in text.split("\n") if not ln.startswith(labels)) + "\n"


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "store"
    assert cli(path, "init").returncode == 0
    return path


def test_dates_are_never_invented(store, tmp_path):
    """No effective date: placed by another printed date, said as such, never claimed as the
    effective date; no date at all: placed when it became known, said as such."""
    docs = tmp_path / "docs"
    reviewed = _doc(docs, "reviewed.txt", _without(policy_text(policy_id="TS-1").replace("01/15/2025", "05/2020"),
                                                   "Effective Date"))
    undated = _doc(docs, "undated.txt", _without(policy_text(policy_id="TS-2"), "Effective Date", "Last Review"))
    proc = cli(store, "ingest", reviewed, undated, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    results = {Path(r["path"]).name: r for r in json.loads(proc.stdout)}
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert (results["reviewed.txt"]["effective"], results["reviewed.txt"]["effective_from"]) == ("2020-05", "last_review")
    assert results["undated.txt"]["effective_from"] == "undated"

    listed = {p["key"]: p for p in json.loads(cli(store, "list", "--format", "json").stdout)}
    assert listed["contoso-health/ts-1"]["latest_placed"] == "2020-05, from last review"
    assert listed["contoso-health/ts-2"]["latest_placed"] == f"undated, known since {today}"
    text = cli(store, "list").stdout
    assert "2020-05, from last review" in text and f"undated, known since {today}" in text
    assert "2020-05, from last review" in cli(store, "log", "ts-1").stdout
    assert "edition 2020-05, from last review" in cli(store, "show", "ts-1").stdout

    record = json.loads(cli(store, "show", "ts-1", "--format", "json").stdout)
    assert record["dates"]["effective"] is None and record["dates"]["last_review"] == "2020-05"
    assert "Effective-From: last_review" in git(store, "log", "--format=%B").stdout
    assert json.loads(cli(store, "show", "ts-1@2020-06-01", "--format", "json").stdout)["policy_id"] == "TS-1"
    early = cli(store, "show", "ts-2@2020-01-01")
    assert early.returncode == 2 and f"its first edition is undated, known since {today}" in early.stderr


def test_the_same_edition_in_another_format_is_not_an_edition(store):
    """The text and the PDF of one edition (as `medpolicy ingest examples` meets them)."""
    texts = EXAMPLES / "policies" / "northwind" / "MP-7.042"
    pdf = EXAMPLES / "pdf" / "northwind" / "MP-7.042" / "2026-03-01.pdf"
    proc = cli(store, "ingest", str(texts), str(pdf))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-2].startswith("same edition, another format") and "2026-03-01.pdf" in lines[-2]
    assert lines[-1] == "3 new, 0 corrections, 1 in another format, 0 unchanged, 0 failed"

    log = json.loads(cli(store, "log", "MP-7.042", "--format", "json").stdout)
    assert [e["effective"] for e in log] == ["2026-03-01", "2025-03-01", "2024-03-01"]
    assert log[0]["also_as"] == ["2026-03-01.pdf"] and not log[0]["correction"]
    diff = cli(store, "diff", "MP-7.042", "--format", "json")
    assert diff.returncode == 1  # the two latest distinct editions, which differ
    assert json.loads(diff.stdout)["summary"]["substantive"] is True

    key = log[0]["key"]
    files = git(store, "ls-tree", "--name-only", f"main:{key}/editions/2026-03-01").stdout.split()
    assert "source.txt" in files and any(f.startswith("source-") and f.endswith(".pdf") for f in files)
    again = cli(store, "ingest", str(pdf))
    assert again.stdout.startswith("unchanged")
    assert cli(store, "verify").returncode == 0


def test_a_letterhead_change_keeps_one_policy_and_mv_merges_keys(store, tmp_path):
    """Payer names of one family (rules/payers.json): the second edition joins the first's key
    and says so. A policy already split in two (here by --policy) is merged with `mv`."""
    docs = tmp_path / "docs"
    fep = _doc(docs, "2024.txt", policy_text(policy_id="5.21.054", payer="Federal Employee Program",
                                             title="Ibrance (palbociclib)", effective="07/01/2024"))
    bcbsa = _doc(docs, "2025.txt", policy_text(policy_id="5.21.054", payer="Blue Cross and Blue Shield Association",
                                               title="Ibrance (palbociclib)", effective="07/01/2025"))
    dry = cli(store, "ingest", fep, bcbsa, "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert [(r["status"], r["key"], r["commit"]) for r in planned] == [
        ("new", "federal-employee-program/5.21.054", None)] * 2
    assert "one family" in planned[1]["note"]
    assert git(store, "rev-list", "--count", "main").stdout.strip() == "1"  # nothing written

    proc = cli(store, "ingest", fep, bcbsa)
    assert proc.returncode == 0 and "joined federal-employee-program/5.21.054" in proc.stdout
    assert len(json.loads(cli(store, "log", "5.21.054", "--format", "json").stdout)) == 2

    # a policy stored under a key of its own: `mv` merges it, history and all
    other = _doc(docs, "2023.txt", policy_text(policy_id="5.21.054", payer="Federal Employee Program",
                                               title="Ibrance (palbociclib)", effective="07/01/2023"))
    assert cli(store, "ingest", other, "--policy", "fep/ibrance").returncode == 0
    assert len(json.loads(cli(store, "list", "--format", "json").stdout)) == 2  # one policy, two keys
    moved = cli(store, "mv", "fep/ibrance", "federal-employee-program/5.21.054")
    assert moved.returncode == 0 and moved.stdout.startswith("merged fep/ibrance into federal-employee-program/5.21.054")
    log = json.loads(cli(store, "log", "054", "--format", "json").stdout)
    assert [e["effective"] for e in log] == ["2025-07-01", "2024-07-01", "2023-07-01"]
    assert [p["key"] for p in json.loads(cli(store, "list", "--format", "json").stdout)] == [
        "federal-employee-program/5.21.054"]
    assert cli(store, "show", "fep/ibrance@2023-08-01").returncode == 0  # the old key leads to the new one
    # documents that would be filed under the old key go to the new one
    again = cli(store, "ingest", _doc(docs, "2026.txt", policy_text(
        policy_id="5.21.054", payer="Federal Employee Program", title="Ibrance (palbociclib)", effective="07/01/2026")),
        "--policy", "fep/ibrance")
    assert "federal-employee-program/5.21.054" in again.stdout
    assert cli(store, "verify").returncode == 0


def test_mv_renames_and_refuses_conflicting_editions(store, tmp_path):
    docs = tmp_path / "docs"
    a = _doc(docs, "a.txt", policy_text(policy_id="TS-1", extra="First."))
    b = _doc(docs, "b.txt", policy_text(policy_id="TS-2", extra="Second, and different."))
    assert cli(store, "ingest", a, b).returncode == 0
    clash = cli(store, "mv", "ts-1", "contoso-health/ts-2")
    assert clash.returncode == 2 and "both have an edition of 2025-03-01 with different content" in clash.stderr
    renamed = cli(store, "mv", "ts-1", "acme/widget")
    assert renamed.returncode == 0 and renamed.stdout.startswith("renamed contoso-health/ts-1 to acme/widget")
    assert json.loads(cli(store, "log", "acme/widget", "--format", "json").stdout)[0]["source_name"] == "a.txt"
    bad = cli(store, "mv", "acme/widget", "Not A/Key/At All")
    assert bad.returncode == 2 and bad.stderr.startswith("error: ")
    assert cli(store, "verify").returncode == 0


def test_keys_from_titles_are_readable_and_stable(store, tmp_path):
    """A policy without a number: its key is its title cut at a word, and an edition whose title
    changes only in case or punctuation stays the same policy."""
    docs = tmp_path / "docs"
    title = "Prior Authorization of Adalimumab Products for Adults with Chronic Plaque Psoriasis"
    first = _doc(docs, "1.txt", _without(policy_text(title=title), "Policy Number"))
    retitled = "Prior authorization of adalimumab products for adults, with chronic plaque-psoriasis"
    second = _doc(docs, "2.txt", _without(policy_text(title=retitled, effective="03/01/2026"), "Policy Number"))
    proc = cli(store, "ingest", first, second, "--format", "json")
    results = json.loads(proc.stdout)
    assert [r["status"] for r in results] == ["new", "new"]
    key = results[0]["key"]
    assert results[1]["key"] == key
    slug = "prior-authorization-of-adalimumab-products-for-adults-with-chronic-plaque-psoriasis"
    payer, part = key.split("/")
    assert payer == "contoso-health" and slug.startswith(part + "-") and 40 < len(part) <= 55  # whole words only
