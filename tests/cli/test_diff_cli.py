"""`medpolicy diff`: files and store editions, formats, exit status 0 / 1 / 2."""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from medpolicy.cli.main import main
from medpolicy.models import PolicyDates
from tests.diff.diff_builders import STATEMENTS, edition

POLICY = """MEDICAL POLICY – 9.9.9

Widget Therapy

Effective Date: {date}

Policy

Widget therapy is considered medically necessary for adults with chronic widget deficiency {criteria}.

Widget therapy is considered investigational for all other indications.

Coding

CPT\t12345\tWidget therapy, first session

Policy History

Date\tSummary
01/01/2025\tNew policy.
{history}
"""


def run(capsys, *argv):
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


@pytest.fixture
def records(tmp_path):
    """Two JSON records of hand-built editions: a reworded statement, a new date."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(edition().to_json())
    reworded = [(STATEMENTS[0][0].replace("six months", "three months"), STATEMENTS[0][1])] + STATEMENTS[1:]
    new.write_text(edition(statements=reworded, dates=PolicyDates(effective="2026-03-01",
                                                                  original_effective="2016-10-01")).to_json())
    return old, new


def test_changes_found_exit_1(capsys, records):
    code, out, err = run(capsys, "diff", *map(str, records))
    assert code == 1, err
    assert "summary: 1 statement modified; dates.effective changed" in out
    assert "[-six-] {+three+}" in out
    assert not re.search(r"\x1b\[", out)  # no colour in a pipe


def test_no_change_exit_0(capsys, records):
    old, _ = records
    code, out, _ = run(capsys, "diff", str(old), str(old))
    assert code == 0 and "summary: no changes" in out


def test_json_format(capsys, records):
    code, out, _ = run(capsys, "diff", *map(str, records), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert len(data["statements"]["modified"]) == 1
    assert data["metadata"] == [{"field": "dates.effective", "old": "2025-03-01", "new": "2026-03-01", "class": "administrative"}]
    assert data["summary"]["substantive"] is True


def test_markdown_format(capsys, records):
    code, out, _ = run(capsys, "diff", *map(str, records), "--format", "markdown")
    assert code == 1 and out.startswith("# Changes: ") and "~~six~~ **three**" in out


def test_html_to_file(capsys, records, tmp_path):
    target = tmp_path / "report.html"
    code, out, err = run(capsys, "diff", *map(str, records), "--format", "html", "--output", str(target))
    assert code == 1 and out == "" and str(target) in err
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and '<del class="del">six</del>' in page


def test_html_to_stdout(capsys, records):
    code, out, _ = run(capsys, "diff", *map(str, records), "--format", "html")
    assert code == 1 and out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("argv, message", [
    (["missing-old.txt", "missing-new.txt"], "missing-old.txt: no such file"),
    (["a", "b", "c"], "give two files"),
])
def test_errors_exit_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, "diff", *argv)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_from_to_with_two_files_is_an_error(capsys, records):
    code, _, err = run(capsys, "diff", *map(str, records), "--from", "2025-01-01")
    assert code == 2 and "--from/--to" in err


def test_broken_json_record_exit_2(capsys, records, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": 1}')
    code, _, err = run(capsys, "diff", str(records[0]), str(bad))
    assert code == 2 and "bad.json: not a policy record" in err


def test_text_documents_through_the_parser(capsys, tmp_path):
    old, new = tmp_path / "2025.txt", tmp_path / "2026.txt"
    old.write_text(POLICY.format(date="January 1, 2025", criteria="confirmed by two blood tests", history=""))
    new.write_text(POLICY.format(date="January 1, 2026", criteria="confirmed by one blood test",
                                 history="01/01/2026\tAnnual review. No changes to policy statements."))
    code, out, err = run(capsys, "diff", str(old), str(new), "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert len(data["statements"]["modified"]) == 1
    assert [h["date"] for h in data["history"]["added"]] == ["2026-01-01"]
    assert [f["kind"] for f in data["findings"]] == ["history_claim_mismatch"]


# -- store mode --------------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path):
    from medpolicy.store import PolicyStore

    path = tmp_path / "store"
    commits = []
    with PolicyStore.init(path) as s:
        for n, (date, changes) in enumerate([
            ("2025-03-01", {}),
            ("2026-03-01", {"statements": STATEMENTS[:2]}),
            ("2027-03-01", {"statements": STATEMENTS[:2], "related_policies": []}),
        ]):
            data = f"edition {n}".encode()
            policy = edition(dates=PolicyDates(effective=date), **changes)
            policy = policy.model_copy(update={"source": policy.source.model_copy(
                update={"sha256": hashlib.sha256(data).hexdigest(), "path": f"{date}.txt"})})
            commits.append(s.put(policy, data, f"{date}.txt").commit)
    return path, commits


def test_store_two_latest_editions_by_default(capsys, store):
    path, commits = store
    code, out, err = run(capsys, "--store", str(path), "diff", "MP-7.042", "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert (data["old"]["commit"], data["new"]["commit"]) == (commits[1], commits[2])
    assert [r["policy_id"] for r in data["related_policies"]["removed"]] == ["MP-7.010"]
    assert not data["statements"]["removed"]


def test_store_from_and_to_by_date_and_commit(capsys, store):
    path, commits = store
    code, out, _ = run(capsys, "--store", str(path), "diff", "MP-7.042", "--from", "2025-06-30",
                       "--to", commits[1][:10], "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert (data["old"]["commit"], data["new"]["commit"]) == (commits[0], commits[1])
    assert len(data["statements"]["removed"]) == 1


def test_store_to_alone_compares_with_the_edition_before(capsys, store):
    path, commits = store
    code, out, _ = run(capsys, "--store", str(path), "diff", "MP-7.042", "--to", "2026-12-31", "--format", "json")
    data = json.loads(out)
    assert (data["old"]["commit"], data["new"]["commit"]) == (commits[0], commits[1])


def test_store_same_edition_is_no_change(capsys, store):
    path, commits = store
    code, out, _ = run(capsys, "--store", str(path), "diff", "MP-7.042", "--from", commits[2], "--to", commits[2])
    assert code == 0 and "no changes" in out


@pytest.mark.parametrize("argv, message", [
    (["NOPE-1"], "NOPE-1"),
    (["MP-7.042", "--to", "2020-01-01"], "no edition in effect on 2020-01-01"),
    (["MP-7.042", "--to", "2025-03-01"], "no edition before"),
    (["MP-7.042", "--from", "deadbeef"], "no edition of"),
    (["MP-7.042", "--from", "yesterday"], "neither a date"),
])
def test_store_errors(capsys, store, argv, message):
    path, _ = store
    code, out, err = run(capsys, "--store", str(path), "diff", *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_missing_store_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "--store", str(tmp_path / "none"), "diff", "MP-7.042")
    assert code == 2 and err.startswith("error:")


# -- a candidate file against the store, --quiet, --substantive-only, different policies ----------

def test_policy_and_candidate_file_compares_with_the_latest_stored_edition(capsys, store, tmp_path):
    path, commits = store
    candidate = tmp_path / "draft.json"
    candidate.write_text(edition(dates=PolicyDates(effective="2028-03-01"), statements=STATEMENTS[:1]).to_json())
    code, out, err = run(capsys, "--store", str(path), "diff", "MP-7.042", str(candidate), "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert data["old"]["commit"] == commits[2] and data["new"]["commit"] is None
    assert data["new"]["path"] == "policy.txt" and len(data["statements"]["removed"]) == 1
    assert [r["policy_id"] for r in data["related_policies"]["added"]] == ["MP-7.010"]


def test_policy_and_candidate_file_with_from(capsys, store, tmp_path):
    path, commits = store
    candidate = tmp_path / "draft.json"
    candidate.write_text(edition(dates=PolicyDates(effective="2025-03-01")).to_json())
    code, out, _ = run(capsys, "--store", str(path), "diff", "MP-7.042", str(candidate), "--from", "2025-04-01",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["old"]["commit"] == commits[0] and data["summary"]["changed"] is False


@pytest.mark.parametrize("argv, message", [
    (["MP-7.042", "draft.json", "--to", "2026-01-01"], "--to does not apply"),
    (["NOPE-1", "draft.json"], "NOPE-1"),
    (["missing.pdf", "draft.json"], "missing.pdf: no such file"),
    (["MP-7.042", "missing.pdf"], "missing.pdf: no such file"),
])
def test_candidate_mode_errors(capsys, store, tmp_path, monkeypatch, argv, message):
    path, _ = store
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.json").write_text(edition().to_json())
    code, out, err = run(capsys, "--store", str(path), "diff", *argv)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_quiet_prints_nothing_and_sets_the_status(capsys, records):
    old, new = records
    assert run(capsys, "diff", str(old), str(new), "--quiet") == (1, "", "")
    assert run(capsys, "diff", str(old), str(old), "-q") == (0, "", "")
    code, _, err = run(capsys, "diff", str(old), str(new), "--quiet", "-o", "x.html")
    assert code == 2 and "--quiet" in err


def test_substantive_only_exit_status(capsys, tmp_path):
    old, dated, reworded = tmp_path / "old.json", tmp_path / "dated.json", tmp_path / "reworded.json"
    old.write_text(edition().to_json())
    dated.write_text(edition(dates=PolicyDates(effective="2026-03-01", original_effective="2016-10-01")).to_json())
    reworded.write_text(edition(statements=STATEMENTS[:2]).to_json())
    code, out, _ = run(capsys, "diff", str(old), str(dated), "--substantive-only")
    assert code == 0 and "dates.effective" in out  # a change, reported, but not substantive
    assert run(capsys, "diff", str(old), str(dated))[0] == 1
    assert run(capsys, "diff", str(old), str(reworded), "--substantive-only", "-q") == (1, "", "")


def test_two_different_policies_warn(capsys, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(edition().to_json())
    b.write_text(edition(policy_id="MP-9.999", title="Widget Therapy").to_json())
    code, out, err = run(capsys, "diff", str(a), str(b), "--format", "json")
    assert code == 1 and json.loads(out)["warnings"]
    assert err.startswith("warning: the two editions are different policies: MP-7.042") and "MP-9.999" in err
    assert run(capsys, "diff", str(a), str(b), "-q") == (1, "", "")


def test_the_real_command_quiet_substantive_only_and_warning(tmp_path):
    """Through the installed `medpolicy` executable, as a script would call it."""
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "medpolicy"
    old, dated, other = tmp_path / "old.json", tmp_path / "dated.json", tmp_path / "other.json"
    old.write_text(edition().to_json())
    dated.write_text(edition(dates=PolicyDates(effective="2026-03-01", original_effective="2016-10-01")).to_json())
    other.write_text(edition(policy_id="MP-9.999", title="Widget Therapy", statements=STATEMENTS[:1]).to_json())

    def call(*argv):
        done = subprocess.run([str(exe), "diff", *map(str, argv)], capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr

    assert call(old, dated, "--quiet") == (1, "", "")
    assert call(old, dated, "--quiet", "--substantive-only") == (0, "", "")
    assert call(old, other, "--quiet", "--substantive-only") == (1, "", "")
    code, out, err = call(old, other, "--format", "json")
    assert code == 1 and json.loads(out)["summary"]["substantive"] is True
    assert "warning: the two editions are different policies" in err
