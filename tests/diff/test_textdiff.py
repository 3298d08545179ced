"""The full-text diff: edits, additions, removals, moves; re-wrapping is not a change."""
import textwrap

import pytest

from medpolicy.diff.textdiff import diff_sections
from medpolicy.models import Section

from .diff_builders import BACKGROUND, edition


def with_background(paragraphs, **kw):
    return edition(background=paragraphs, **kw)


def ops(result):
    return {op: len(getattr(result, op)) for op in ("added", "removed", "modified", "moved")}


def wrap_like_pdftotext(paragraph: str, width: int = 60) -> str:
    """Hard-wrap at `width`, breaking a hyphenated word after its hyphen when that fits better."""
    pieces = []
    for word in paragraph.split(" "):
        parts = word.split("-")
        pieces += [p + "-" for p in parts[:-1]] + [parts[-1]]
    lines, cur = [], ""
    for p in pieces:
        glue = "" if cur.endswith("-") else " "
        if cur and len(cur) + len(glue) + len(p) > width:
            lines.append(cur)
            cur = p
        else:
            cur = cur + glue + p if cur else p
    return "\n".join(lines + [cur])


def test_identical_editions_have_no_text_change():
    result, alignment = diff_sections(edition(), edition())
    assert ops(result) == dict(added=0, removed=0, modified=0, moved=0)
    assert all(r.op == "equal" for r in alignment.rows)


def test_moved_paragraph_is_a_move():
    moved = BACKGROUND[1:] + BACKGROUND[:1]
    result, alignment = diff_sections(with_background(BACKGROUND), with_background(moved))
    assert ops(result) == dict(added=0, removed=0, modified=0, moved=1)
    move = result.moved[0]
    assert move.old_text == move.new_text == BACKGROUND[0]
    assert move.redline == []  # moved as it was
    ends = [r for r in alignment.rows if r.op in ("moved_from", "moved_to")]
    assert [r.op for r in ends] == ["moved_from", "moved_to"] and ends[0].change_id == ends[1].change_id == move.id


def test_moved_and_edited_paragraph_is_a_move_with_redline():
    edited = BACKGROUND[0].replace("a large share of", "many")
    result, _ = diff_sections(with_background(BACKGROUND), with_background(BACKGROUND[1:] + [edited]))
    assert ops(result)["moved"] == 1 and ops(result)["added"] == ops(result)["removed"] == 0
    assert any(s.op == "insert" and s.text == "many" for s in result.moved[0].redline)


def test_move_across_sections():
    old = edition()
    new = edition()
    para = BACKGROUND[2]
    new.sections[1].text = "\n".join(p for p in BACKGROUND if p != para)
    new.sections[0].text += "\n" + para
    result, _ = diff_sections(old, new)
    assert ops(result) == dict(added=0, removed=0, modified=0, moved=1)
    assert (result.moved[0].old_section, result.moved[0].new_section) == ("Background", "Policy")


def test_rewrapped_text_is_no_change():
    split_a_hyphenated_word = False
    for width in range(30, 80, 3):
        wrapped = [wrap_like_pdftotext(p, width) for p in BACKGROUND]
        split_a_hyphenated_word |= any("-\n" in w for w in wrapped)
        result, _ = diff_sections(with_background(BACKGROUND), with_background(wrapped))
        assert ops(result) == dict(added=0, removed=0, modified=0, moved=0), width
    assert split_a_hyphenated_word


def test_paragraph_split_at_a_page_break_is_no_change():
    first, second = BACKGROUND[1].split(" probe ")
    result, _ = diff_sections(with_background(BACKGROUND),
                              with_background([BACKGROUND[0], first + " probe", second] + BACKGROUND[2:]))
    assert ops(result) == dict(added=0, removed=0, modified=0, moved=0)


def test_edited_paragraph_is_one_modification_with_word_redline():
    edited = BACKGROUND[2].replace("six months", "three months")
    result, alignment = diff_sections(with_background(BACKGROUND), with_background(BACKGROUND[:2] + [edited] + BACKGROUND[3:]))
    assert ops(result) == dict(added=0, removed=0, modified=1, moved=0)
    red = result.modified[0].redline
    assert [(s.op, s.text) for s in red if s.op != "equal"] == [("delete", "six"), ("insert", "three")]
    assert result.modified[0].old_section == "Background"


def test_edit_and_split_together_is_one_row():
    first, second = BACKGROUND[1].split(" probe ")
    new = [BACKGROUND[0], first + " needle", second] + BACKGROUND[2:]
    result, _ = diff_sections(with_background(BACKGROUND), with_background(new))
    assert ops(result) == dict(added=0, removed=0, modified=1, moved=0)


def test_added_and_removed_paragraphs():
    extra = "Ultrasound guidance is an alternative to fluoroscopy for locating the genicular nerves in some patients."
    result, _ = diff_sections(with_background(BACKGROUND), with_background([BACKGROUND[0], extra] + BACKGROUND[2:]))
    assert ops(result) == dict(added=1, removed=1, modified=0, moved=0)
    assert result.added[0].new_text == extra and result.removed[0].old_text == BACKGROUND[1]


def test_page_furniture_and_running_headers_are_not_text():
    old = edition()
    new = edition()
    header = "Northwind Health Plan\tGenicular Nerve Radiofrequency Ablation\tPolicy Number: MP-7.042"
    noisy = [BACKGROUND[0], "Page 2 of 5", header, BACKGROUND[1], "- 3 -", header] + BACKGROUND[2:]
    new.sections[1].text = "\n".join(noisy)
    result, _ = diff_sections(old, new)
    assert ops(result) == dict(added=0, removed=0, modified=0, moved=0)


def test_a_sentence_naming_the_policy_is_text():
    new = edition()
    line = ("For knee arthroplasty see MP-7.010; this policy MP-7.042 does not address ablation of the hip, "
            "shoulder or spine, which other policies cover in detail.")
    new.sections[1].text += "\n" + line
    result, _ = diff_sections(edition(), new)
    assert ops(result)["added"] == 1


def test_heading_rename_and_heading_case():
    new = edition()
    new.sections[1] = Section(heading="BACKGROUND", kind="background", text=new.sections[1].text)
    result, _ = diff_sections(edition(), new)
    assert ops(result) == dict(added=0, removed=0, modified=0, moved=0)
    new.sections[1] = Section(heading="Clinical Background", kind="background", text=new.sections[1].text)
    result, _ = diff_sections(edition(), new)
    assert ops(result) == dict(added=0, removed=0, modified=1, moved=0)


def test_many_paragraphs_changed_in_one_block():
    old = [f"Paragraph {i} says something about topic {i} at reasonable length for a policy text." for i in range(30)]
    new = [textwrap.shorten(p, 40) if i % 3 == 0 else p for i, p in enumerate(old)]
    result, _ = diff_sections(with_background(old), with_background(new))
    assert ops(result) == dict(added=0, removed=0, modified=10, moved=0)


@pytest.fixture
def paragraph_linking(monkeypatch):
    """Force the path used for blocks too large to align word by word."""
    import medpolicy.diff.textdiff as textdiff

    monkeypatch.setattr(textdiff, "WORD_ALIGN_LIMIT", 0)


def test_large_block_path_finds_the_same_changes(paragraph_linking):
    edited = BACKGROUND[2].replace("six months", "three months")
    extra = "Ultrasound guidance is an alternative to fluoroscopy for locating the genicular nerves in some patients."
    new = [BACKGROUND[0], extra, edited] + BACKGROUND[3:]
    result, _ = diff_sections(with_background(BACKGROUND), with_background(new))
    assert ops(result) == dict(added=1, removed=1, modified=1, moved=0)
    first, second = BACKGROUND[1].split(" probe ")
    result, _ = diff_sections(with_background(BACKGROUND),
                              with_background([BACKGROUND[0], first + " probe", second] + BACKGROUND[2:]))
    assert ops(result) == dict(added=0, removed=0, modified=0, moved=0)
