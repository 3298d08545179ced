"""When the store learned each record: the replay of its commits (pure, no git)."""
from __future__ import annotations

from medpolicy.index.commits import Commit, Write
from medpolicy.index.timeline import Known, Timeline

A = "p/x/editions/2025-01-01/record.json"
B = "p/y/editions/2025-01-01/record.json"


def replay(*commits: Commit, indexed: dict | None = None, same=lambda old, new: False) -> Timeline:
    timeline = Timeline(lambda path: (indexed or {}).get(path), same)
    timeline.replay(list(commits))
    return timeline


def test_a_record_is_known_from_the_commit_that_added_it():
    t = replay(Commit("c1", 100, {"Effective-From": "document"}, (Write(A, None, "o1"),)))
    assert t.state[A] == Known("o1", 100, 100, "c1", "document")


def test_a_rewrite_is_news_only_when_the_diff_sees_a_change():
    add = Commit("c1", 100, {}, (Write(A, None, "o1"),))
    rewrite = Commit("c2", 200, {}, (Write(A, "o1", "o2"),))
    assert replay(add, rewrite).state[A] == Known("o2", 100, 200, "c2")
    # the same edition from another file: still known from the first commit (the last commit kept)
    assert replay(add, rewrite, same=lambda old, new: True).state[A] == Known("o2", 100, 100, "c2")


def test_a_record_moved_to_another_key_keeps_its_dates():
    add = Commit("c1", 100, {}, (Write(A, None, "o1"),))
    move = Commit("c2", 300, {}, (Write(A, "o1", None), Write(B, None, "o1")))
    t = replay(add, move)
    assert t.state[A] is None and t.state[B] == Known("o1", 100, 100, "c2")


def test_removed_then_added_again_is_new():
    t = replay(Commit("c1", 100, {}, (Write(A, None, "o1"),)), Commit("c2", 200, {}, (Write(A, "o1", None),)),
               Commit("c3", 300, {}, (Write(A, None, "o1"),)))
    assert t.state[A] == Known("o1", 300, 300, "c3")


def test_an_incremental_replay_starts_from_what_the_index_holds():
    indexed = {A: Known("o1", 100, 150, "c1", "document")}
    t = replay(Commit("c9", 900, {}, (Write(A, "o1", "o2"),)), indexed=indexed, same=lambda old, new: True)
    assert t.state[A] == Known("o2", 100, 150, "c9", "document")


def test_edition_folders_the_index_follows():
    from medpolicy.index.commits import edition_of

    assert edition_of("p/x/editions/2025-03-01/record.json") == ("p/x", "2025-03-01")
    assert edition_of("p/x/editions/2025-03/record.json") == ("p/x", "2025-03")
    assert edition_of("p/x/editions/2026-01-04~undated/record.json") == ("p/x", "2026-01-04~undated")
    for other in ("p/x/record.json", "p/x/editions/draft/record.json", "p/x/editions/2025-13-01/record.json",
                  "p/x/editions/2025-03-01/policy.md", "P/X/editions/2025-03-01/record.json",
                  "p/x/editions/2025-03-01~../record.json"):
        assert edition_of(other) is None, other
