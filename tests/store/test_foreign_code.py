"""Issue 11, item 1: a store received from someone else must never run its owner's code.

Each test plants one of git's ways of running a program named by a repository (a hook, a
hooks folder, an fsmonitor, a filter driver, a signature program), each of which writes a
marker file when run, then runs the real `medpolicy` command over the store.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from medpolicy.store import PolicyStore
from tests.store.docs import write_doc
from tests.store.util import cli, git


def _marker_program(folder: Path, name: str, marker: Path, *, passthrough: bool = False) -> Path:
    """An executable that leaves `marker` behind (and copies stdin to stdout, as a filter must)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho ran >> '{marker}'\n" + ("cat\n" if passthrough else "exit 0\n"))
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _ingest(store: Path, docs: Path, name: str, **kw) -> subprocess.CompletedProcess:
    proc = cli(store, "ingest", str(write_doc(docs, name, **kw)))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture
def bare(tmp_path) -> Path:
    path = tmp_path / "store"
    PolicyStore.init(path).close()
    return path


@pytest.fixture
def clone(bare, tmp_path) -> Path:
    """A non-bare store: a plain `git clone` of a bare one, with one edition in it."""
    _ingest(bare, tmp_path / "docs", "first.txt")
    path = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(path))
    return path


def test_reference_transaction_hook_of_a_bare_store(bare, tmp_path):
    marker = tmp_path / "marker"
    _marker_program(bare / "hooks", "reference-transaction", marker)
    _ingest(bare, tmp_path / "docs", "a.txt")
    assert not marker.exists()


def test_hooks_path_named_by_the_store(bare, tmp_path):
    marker = tmp_path / "marker"
    hooks = tmp_path / "elsewhere"
    for hook in ("reference-transaction", "pre-auto-gc", "post-index-change"):
        _marker_program(hooks, hook, marker)
    git(bare, "config", "core.hooksPath", str(hooks))
    git(bare, "config", "gc.autoPackLimit", "1")  # so that the ingest's `gc --auto` runs
    _ingest(bare, tmp_path / "docs", "a.txt")
    _ingest(bare, tmp_path / "docs", "b.txt", policy_id="TS-2.002")
    assert not marker.exists()


def test_pre_auto_gc_hook(bare, tmp_path):
    marker = tmp_path / "marker"
    _marker_program(bare / "hooks", "pre-auto-gc", marker)
    git(bare, "config", "gc.autoPackLimit", "1")
    _ingest(bare, tmp_path / "docs", "a.txt")
    _ingest(bare, tmp_path / "docs", "b.txt", policy_id="TS-2.002")
    assert len(list((bare / "objects" / "pack").glob("*.pack"))) <= 2  # gc itself still ran
    assert not marker.exists()


def test_hooks_and_fsmonitor_of_a_non_bare_store(clone, tmp_path):
    marker = tmp_path / "marker"
    for hook in ("post-index-change", "reference-transaction", "post-checkout"):
        _marker_program(clone / ".git" / "hooks", hook, marker)
    git(clone, "config", "core.fsmonitor", str(_marker_program(tmp_path / "bin", "fsmonitor", marker)))
    _ingest(clone, tmp_path / "docs", "b.txt", policy_id="TS-2.002")
    assert (clone / "contoso-health" / "ts-2.002" / "record.json").is_file()  # the work tree was synced
    assert not marker.exists()


def test_filter_driver_chosen_by_gitattributes(clone, tmp_path):
    marker = tmp_path / "marker"
    program = _marker_program(tmp_path / "bin", "filter", marker, passthrough=True)
    (clone / ".gitattributes").write_text("* filter=evil\n")
    git(clone, "add", ".gitattributes")
    git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "attributes")
    git(clone, "push", "-q", "origin", "HEAD")
    git(clone, "config", "filter.evil.smudge", str(program))
    git(clone, "config", "filter.evil.clean", str(program))
    git(clone, "config", "filter.evil.required", "true")
    _ingest(clone, tmp_path / "docs", "b.txt", policy_id="TS-2.002")
    assert (clone / "contoso-health" / "ts-2.002" / "source.txt").is_file()
    assert not marker.exists()
    assert cli(clone, "verify").returncode == 0
    assert not marker.exists()


def test_signature_program_through_log_show_signature(bare, tmp_path):
    """A signed commit in the store and `log.showSignature`: reading the history (`list`,
    `log`) would run the store's `gpg.program`."""
    marker = tmp_path / "marker"
    _ingest(bare, tmp_path / "docs", "a.txt")
    fake_gpg = tmp_path / "bin" / "gpg"
    fake_gpg.parent.mkdir(parents=True, exist_ok=True)
    fake_gpg.write_text("#!/bin/sh\n"
                        f"echo ran >> '{marker}'\n"
                        "cat > /dev/null\n"  # git writes what is to be signed or verified
                        "echo '[GNUPG:] SIG_CREATED D 1 8 00 0 0' >&2\n"
                        "printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nAAAA\\n-----END PGP SIGNATURE-----\\n'\n")
    fake_gpg.chmod(0o755)
    tip = git(bare, "rev-parse", "main").stdout.strip()
    signed = git(bare, "-c", f"gpg.program={fake_gpg}", "-c", "user.name=t", "-c", "user.email=t@t",
                 "commit-tree", "-S", "-p", tip, "-m", "signed", f"{tip}^{{tree}}").stdout.strip()
    git(bare, "update-ref", "refs/heads/main", signed)
    marker.unlink()  # signing ran it; from here on only reading happens
    git(bare, "config", "log.showSignature", "true")
    git(bare, "config", "gpg.program", str(fake_gpg))
    git(bare, "log", "-1", "--format=%H%x1f%(trailers)")
    assert marker.exists()  # plain git runs it: the attack is live
    marker.unlink()
    for args in (["list"], ["log", "contoso-health/ts-1.001"], ["show", "contoso-health/ts-1.001"]):
        proc = cli(bare, *args)
        assert proc.returncode == 0, (args, proc.stderr)
    assert not marker.exists()


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making a store owned by another user needs root")


@needs_root
def test_store_owned_by_another_user_is_refused(bare, tmp_path):
    shutil.chown(bare, user=65534, group=65534)  # nobody
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["list"], ["ingest", str(write_doc(tmp_path / "docs", "a.txt"))], ["verify"]):
        proc = cli(bare, *args, env=env)
        assert proc.returncode == 2, (args, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "owned by another user" in lines[0] and str(bare) in lines[0], proc.stderr
    # listed in git's safe.directory (global config), it is trusted, as git trusts it
    subprocess.run(["git", "config", "--global", "--add", "safe.directory", str(bare)], check=True,
                   env={**os.environ, **env})
    proc = cli(bare, "list", env=env)
    assert proc.returncode == 0, proc.stderr


@needs_root
def test_safe_directory_in_the_store_own_config_does_not_count(bare, tmp_path):
    git(bare, "config", "safe.directory", "*")  # a repository cannot vouch for itself
    shutil.chown(bare, user=65534, group=65534)
    home = tmp_path / "home"
    home.mkdir()
    proc = cli(bare, "list", env={"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
                                  "GIT_CONFIG_NOSYSTEM": "1"})
    assert proc.returncode == 2 and "owned by another user" in proc.stderr
