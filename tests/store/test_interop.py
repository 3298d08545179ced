"""A store is an ordinary git repository: other git tools read what medpolicy wrote."""
from __future__ import annotations

import hashlib
import json

import git as gitpython

from tests.store.docs import record

KEY = "contoso/ts-1.001"


def test_gitpython_reads_editions_trailers_and_sources(store):
    for year in (2025, 2024):
        policy, data = record(effective=f"{year}-01-01", text=f"text {year}")
        store.put(policy, data, f"{year}.txt")
    repo = gitpython.Repo(store.path)
    assert repo.bare
    commits = list(repo.iter_commits("main", paths=f"{KEY}/"))
    assert len(commits) == 2
    for commit in commits:
        trailers = dict(line.split(": ", 1) for line in commit.message.strip().split("\n\n")[-1].splitlines())
        folder = commit.tree / KEY / "editions" / trailers["Effective"]
        source = folder / "source.txt"
        assert hashlib.sha256(source.data_stream.read()).hexdigest() == trailers["Source-SHA256"]
        assert json.loads((folder / "record.json").data_stream.read())["dates"]["effective"] == trailers["Effective"]
    latest = json.loads((repo.head.commit.tree / KEY / "record.json").data_stream.read())
    assert latest["dates"]["effective"] == "2025-01-01"  # the late 2024 edition did not become latest
    repo.close()
