"""PolicyStore with records built from the models: the two time axes, identity, errors."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from medpolicy.errors import NotFoundError, StoreError
from medpolicy.store import PolicyStore, PutRequest
from medpolicy.store.layout import is_key
from tests.store.docs import record
from tests.store.util import assert_fsck_clean, git

KEY = "contoso/ts-1.001"


def put(store, **kw):
    policy, data = record(**kw)
    return store.put(policy, data, policy.source.path)


def test_init_and_open(tmp_path):
    s = PolicyStore.init(tmp_path / "s")
    s.close()
    s = PolicyStore.open(tmp_path / "s")
    assert s.list() == [] and s.keys() == []
    s.close()
    assert git(tmp_path / "s", "rev-parse", "--is-bare-repository").stdout.strip() == "true"
    assert_fsck_clean(tmp_path / "s")


def test_open_refuses_what_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="no policy store"):
        PolicyStore.open(tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    with pytest.raises(StoreError, match="not a git repository"):
        PolicyStore.open(tmp_path / "plain")
    git(tmp_path, "init", "-q", "other")
    with pytest.raises(StoreError, match="not a policy store"):
        PolicyStore.open(tmp_path / "other")
    # a folder inside another repository is not that repository
    (tmp_path / "other" / "sub").mkdir()
    with pytest.raises(StoreError):
        PolicyStore.open(tmp_path / "other" / "sub")


def test_init_refuses_existing(tmp_path):
    PolicyStore.init(tmp_path / "s").close()
    with pytest.raises(StoreError, match="already a policy store"):
        PolicyStore.init(tmp_path / "s")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(StoreError, match="not empty"):
        PolicyStore.init(tmp_path / "full")


def test_out_of_order_editions(store):
    r26 = put(store, effective="2026-03-01", text="Widget therapy is medically necessary.")
    r25 = put(store, effective="2025-03-01", text="Widget therapy is investigational.")
    assert (r26.status, r25.status) == ("new", "new") and r25.key == r26.key == KEY
    assert store.get(KEY).dates.effective == "2026-03-01"  # the late 2025 edition is not "latest"
    eds = store.editions(KEY)
    assert [e.effective for e in eds] == ["2025-03-01", "2026-03-01"]
    assert eds[0].summary == "first edition"
    assert eds[1].summary != "first edition" and eds[1].compared_to == r25.commit
    assert store.get(KEY, "2025-12-31").dates.effective == "2025-03-01"
    assert store.get(KEY, "2026-03-01").dates.effective == "2026-03-01"
    with pytest.raises(NotFoundError, match="first edition takes effect on 2025-03-01"):
        store.get(KEY, "2025-02-28")
    # the tree at the tip mirrors the latest edition at the policy's top level
    top = git(store.path, "show", f"HEAD:{KEY}/record.json").stdout
    assert json.loads(top)["dates"]["effective"] == "2026-03-01"
    # no commit was rewritten: the 2026 commit is still in the first-parent history
    assert r26.commit in git(store.path, "rev-list", "HEAD").stdout


def test_same_document_is_unchanged(store):
    first = put(store)
    tip = git(store.path, "rev-parse", "HEAD").stdout
    policy, data = record()
    again = store.put(policy, data, "/another/folder/same-file.txt")  # path is not identity
    assert again.status == "unchanged" and again.commit == first.commit
    assert git(store.path, "rev-parse", "HEAD").stdout == tip


def test_correction(store):
    put(store, text="Widget therapy is investigational.")
    fix = put(store, text="Widget therapy is investigational and not covered.")
    assert fix.status == "correction"
    eds = store.editions(KEY)
    assert [e.correction for e in eds] == [False, True]
    assert store.get(KEY).statements[0].text.endswith("not covered.")
    assert [p.editions for p in store.list()] == [1]
    # the original stays readable by its commit
    assert store.get(KEY, eds[0].commit[:8]).statements[0].text == "Widget therapy is investigational."
    # re-ingesting the original later does not flip the edition back
    assert put(store, text="Widget therapy is investigational.").status == "unchanged"


def test_late_edition_revises_the_next_ones_summary(store):
    put(store, effective="2024-01-01", codes=("97999",))
    put(store, effective="2026-01-01", codes=("97999", "97110", "97112"))
    late = put(store, effective="2025-01-01", codes=("97999", "97110"))
    eds = store.editions(KEY)
    assert [e.effective for e in eds] == ["2024-01-01", "2025-01-01", "2026-01-01"]
    assert eds[2].compared_to == late.commit
    assert "1 code added" in eds[2].summary and "2 codes added" not in eds[2].summary
    msg = git(store.path, "log", "-1", "--format=%B", late.commit).stdout
    assert "Revises-Summary-Of: " in msg  # recorded in git, so log need not recompute it


def test_as_known_at(store, monkeypatch):
    clock = [1_750_000_000]  # 2025-06-15
    monkeypatch.setattr(time, "time", lambda: clock[0])
    put(store, effective="2026-01-01", text="v2026")
    clock[0] += 86400 * 30
    put(store, effective="2025-01-01", text="v2025")
    clock[0] += 86400 * 30
    put(store, effective="2026-01-01", text="v2026 corrected")
    assert [e.effective for e in store.editions(KEY, as_known_at="2025-06-15")] == ["2026-01-01"]
    assert len(store.editions(KEY, as_known_at="2025-07-20")) == 2
    assert store.get(KEY, as_known_at="2025-07-20").statements[0].text == "v2026"
    assert store.get(KEY).statements[0].text == "v2026 corrected"
    with pytest.raises(NotFoundError):
        store.get(KEY, "2025-03-01", as_known_at="2025-06-15")
    with pytest.raises(NotFoundError, match="no edition of .* known on"):
        store.get(KEY, as_known_at="2024-01-01")
    assert store.list(as_known_at="2024-01-01") == []
    assert store.list(as_known_at="2025-06-15")[0].latest_effective == "2026-01-01"
    with pytest.raises(NotFoundError):
        store.editions(KEY, as_known_at="yesterday")


def test_undated_document_is_placed_when_known_and_says_so(store):
    res = put(store, effective=None)
    eds = store.editions(KEY)
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert res.status == "new" and eds[0].effective_from == "undated"
    assert eds[0].effective == f"{today}~undated" and eds[0].placed == f"undated, known since {today}"
    assert store.get(KEY).dates.effective is None  # the record keeps what the document says: nothing
    assert put(store, effective=None).status == "unchanged"


def test_resolve(store):
    put(store, policy_id="TS-1.001")
    put(store, policy_id="TS-1.002")
    put(store, policy_id="8.01.01", payer="Premera")
    assert store.resolve("premera/8.01.01") == "premera/8.01.01"
    assert store.resolve("8.01.01") == "premera/8.01.01"
    assert store.resolve("prem") == "premera/8.01.01"
    assert store.resolve("TS-1.002") == "contoso/ts-1.002"
    with pytest.raises(NotFoundError, match="ambiguous: contoso/ts-1.001, contoso/ts-1.002"):
        store.resolve("contoso")
    with pytest.raises(NotFoundError, match="no policy"):
        store.resolve("nothing-like-it")


def test_names_differing_in_case_or_only_in_unsafe_characters_get_distinct_folders(store):
    keys = {put(store, policy_id=pid).key for pid in ("ABC-1", "abc-1", "Abc-1", "a/b", "a-b", "a\\b")}
    assert len(keys) == 6
    assert len({k.lower() for k in keys}) == 6
    # and each stays where it is on a later edition
    assert put(store, policy_id="abc-1", effective="2026-01-01").key in keys
    assert len(store.list()) == 6


HOSTILE = ["../../../etc/passwd", "/abs/path", "a\x00b", "--upload-pack=touch pwned", "-rf", ":(glob)**",
           "CON", "x" * 3000, "line\nMedpolicy-Key: evil/key", "\u202eevil", ".git", "HEAD", "@{-1}"]


@pytest.mark.parametrize("field", ["policy_id", "payer", "title"])
def test_hostile_names_stay_inside_the_store(store, tmp_path, field):
    results = []
    for i, bad in enumerate(HOSTILE):
        kw = {"policy_id": None if field == "title" else "TS-1", "title": "T", field: bad, "salt": str(i)}
        results.append(put(store, **kw))
    keys = {r.key for r in results}
    assert len(keys) == len(HOSTILE)
    listed = git(store.path, "ls-tree", "-r", "--name-only", "HEAD").stdout.splitlines()
    for path in listed:
        assert not path.startswith(("/", "-", ".git/")) and ".." not in path.split("/")
        parts = path.split("/")
        assert path in ("README.md", ".medpolicy/store.json") or (len(parts) in (3, 5) and is_key("/".join(parts[:2])))
    assert not (tmp_path / "etc").exists() and not (tmp_path.parent / "pwned").exists()
    for r in results:
        assert store.resolve(r.key) == r.key
        assert store.get(r.key) is not None
        eds = store.editions(r.key)
        assert len(eds) == 1 and eds[0].key == r.key
    assert "evil/key" not in {p.key for p in store.list()}
    assert_fsck_clean(store.path)
    assert store.verify() == []


def test_show_by_commit(store):
    a = put(store, effective="2025-01-01", text="one")
    put(store, effective="2026-01-01", text="two")
    assert store.get(KEY, a.commit).statements[0].text == "one"
    assert store.get(KEY, a.commit[:7]).statements[0].text == "one"
    other = put(store, policy_id="TS-9", text="x")
    with pytest.raises(NotFoundError, match="no edition of"):
        store.get(KEY, other.commit)
    with pytest.raises(NotFoundError):
        store.get(KEY, "deadbeefdeadbeef")
    with pytest.raises(NotFoundError):
        store.get(KEY, "2025-02-30")
    with pytest.raises(NotFoundError):
        store.get(KEY, "--output=/tmp/x")


def test_put_many_reports_failures_and_stores_the_rest(store):
    good, data = record()
    bad, bad_data = record(policy_id="TS-2")
    nameless, nameless_data = record(policy_id=None, title=None, salt="n")
    results = store.put_many([
        PutRequest(good, data, "good.txt"),
        PutRequest(bad, bad_data + b"tampered", "bad.txt"),
        PutRequest(nameless, nameless_data, "nameless.txt"),
    ])
    assert [r.status for r in results] == ["new", "failed", "failed"]
    assert "sha256" in results[1].error and "--policy" in results[2].error
    assert [p.key for p in store.list()] == [KEY]
    with pytest.raises(StoreError):
        store.put(bad, bad_data + b"x", "bad.txt")


def test_put_many_one_commit_per_edition(store):
    reqs = [PutRequest(*record(policy_id=f"TS-{i}")[:2], f"f{i}.txt") for i in range(20)]
    before = int(git(store.path, "rev-list", "--count", "HEAD").stdout)
    results = store.put_many(reqs)
    assert all(r.status == "new" for r in results)
    assert int(git(store.path, "rev-list", "--count", "HEAD").stdout) == before + 20
    assert len(list((store.git_dir / "objects" / "pack").glob("*.pack"))) == 2  # init + this batch


def test_override_key(store):
    policy, data = record(policy_id=None, title=None)
    res = store.put(policy, data, "x.txt", key="Acme/Special")
    assert res.key == "acme/special"
    policy, data = record(policy_id=None, title=None, salt="2")
    assert store.put(policy, data, "y.txt", key="Special").key == "contoso/special"


def test_commit_metadata_is_readable_with_git_alone(store):
    res = put(store, effective="2025-03-01")
    out = git(store.path, "log", "--format=%(trailers:key=Effective,valueonly)%(trailers:key=Source-SHA256,valueonly)",
              f"--grep=^Medpolicy-Key: {KEY}$", "HEAD").stdout.split()
    policy, data = record(effective="2025-03-01")
    assert out == ["2025-03-01", policy.source.sha256]
    subject = git(store.path, "log", "-1", "--format=%s", res.commit).stdout
    assert KEY in subject and "2025-03-01" in subject and "first edition" in subject
    source = git(store.path, "show", f"HEAD:{KEY}/editions/2025-03-01/source.txt").stdout.encode()
    assert source == data


def test_canonical_record_diff_shows_only_real_changes(store):
    put(store, effective="2025-03-01", text="one")
    put(store, effective="2026-03-01", text="two")
    diff = git(store.path, "diff", "HEAD~1", "HEAD", "--", f"{KEY}/record.json").stdout
    changed = [ln for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    fields = sorted({ln[1:].split(":")[0].strip() for ln in changed})
    assert fields == ['"effective"', '"path"', '"sha256"', '"text"']  # one line per field, nothing else


def test_maintain_adds_bloom_filters_and_log_reads_the_same(store):
    for i in range(12):
        put(store, policy_id=f"TS-{i % 3}", effective=f"{2015 + i}-01-01", text=f"t{i}")
    keys = [p.key for p in store.list()]
    before = {k: [(e.effective, e.commit, e.summary) for e in store.editions(k)] for k in keys}
    assert not store._has_bloom_filters()
    store.maintain()
    assert store.warnings == [] and store._has_bloom_filters()
    after = {k: [(e.effective, e.commit, e.summary) for e in store.editions(k)] for k in keys}
    assert after == before and all(len(v) == 4 for v in after.values())
    put(store, policy_id="TS-0", effective="2030-01-01", text="beyond the graph")
    assert store.editions("contoso/ts-0")[-1].effective == "2030-01-01"  # commits newer than the graph
    assert_fsck_clean(store.path)


def test_a_second_handle_sees_new_editions(store):
    other = PolicyStore.open(store.path)
    assert other.list() == []
    put(store)
    assert [p.key for p in other.list()] == [KEY] and len(other.editions(KEY)) == 1
    other.close()


def test_log_and_list_start_without_the_heavy_libraries(store):
    """`log` and `list` read commit trailers only, and `show --format json` prints the stored
    record as it is: no pydantic, spaCy, pdfplumber, rich or GitPython (which the package never
    uses: pack.py says why), so they start fast on a large store."""
    put(store, effective="2025-01-01")
    put(store, effective="2026-01-01", text="two")
    script = f"""
import sys
from medpolicy.cli.main import main
for argv in (["log", "ts-1.001"], ["list"], ["show", "ts-1.001@2025-06-01", "--format", "json"]):
    try:
        main(["--store", {str(store.path)!r}, *argv])
    except SystemExit as exc:
        assert exc.code == 0, exc.code
heavy = [m for m in ("pydantic", "spacy", "pdfplumber", "rich", "git") if m in sys.modules]
assert not heavy, heavy
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "2026-01-01" in proc.stdout


def test_list_cache_follows_the_branch(store):
    from medpolicy.store.catalog import CACHE_NAME

    put(store, policy_id="TS-1", effective="2025-01-01")
    first = store.list()
    cache = store.git_dir / CACHE_NAME
    assert cache.is_file()
    put(store, policy_id="TS-1", effective="2024-01-01")  # an older edition: not the latest
    put(store, policy_id="TS-2")
    assert [(p.key, p.latest_effective, p.editions) for p in store.list()] == [
        ("contoso/ts-1", "2025-01-01", 2), ("contoso/ts-2", "2025-03-01", 1)]
    assert store.list() == store.list(as_known_at="2999-01-01")  # the cache says what history says
    cache.write_text("{not json")
    assert len(store.list()) == 2
    # history rewritten behind our back: the cache describes a tip that is no longer there
    git(store.path, "update-ref", "refs/heads/main", "HEAD~2")
    assert [p.key for p in store.list()] == [p.key for p in first]


def test_month_only_edition_and_first_of_month_edition(store):
    put(store, effective="2025-05-01", text="dated")
    put(store, effective="2025-05", text="month")
    assert [e.effective for e in store.editions(KEY)] == ["2025-05", "2025-05-01"]
    assert store.get(KEY).statements[0].text == "dated"
    assert store.get(KEY, "2025-05-01").statements[0].text == "dated"
    assert store.list()[0].latest_effective == "2025-05-01"
    assert store.verify() == []
