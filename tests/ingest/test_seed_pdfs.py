"""The five seed policies rendered to PDF (tests/pdfgen.py, at test time) read back the same.

Each seed is a text extracted from a real policy, running page headers included. It is rendered
as a payer would print it: its own running header lines are taken out of the body (a printed
page has them in the margins, not in the text) and the renderer puts a running title and
"Page N of M" in the margins of every page instead; paragraphs wrap, TAB rows become ruled
tables that split across pages with their header row repeated.

Two levels are checked: the loader's page text against the seed text (same words in the same
order, the same paragraphs and table rows), and `parse_policy` of the PDF against
`parse_policy` of the text (same statements, codes, history and references).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from medpolicy import parse_policy
from medpolicy.ingest.pdf import extract_pdf_pages
from tests.pdfgen import render_text_to_pdf, strip_markup

pytestmark = pytest.mark.corpus

SEEDS = ["000_ff5c66a4c178807d", "001_f8b60ab26de7ad8d", "002_88a98e20a2e963aa", "003_e87b929b3d566365",
         "004_40a0b30eca071365"]
RUNNING_TITLE = "Health Plan Medical Policy Manual"


def strip_running_lines(text: str) -> str:
    """Take out lines that repeat three or more times, digits aside, and are not table rows: the
    seed's own page headers ("Page: 2 of 10", the title and number printed on every page)."""
    sig = [re.sub(r"\d+", "#", ln.strip()) for ln in text.split("\n")]
    counts = Counter(s for s, ln in zip(sig, text.split("\n")) if s and "\t" not in ln)
    return "\n".join(ln for s, ln in zip(sig, text.split("\n")) if not (s and "\t" not in ln and counts[s] >= 3))


def norm(text: str) -> str:
    """What a reader sees, as ../shared/tools/textnorm.py compares it, and without the list
    markers that markdown writes and a printed page draws as bullets."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("*", "").replace("\\", "")
    text = text.translate(str.maketrans({"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    text = re.sub(r"(?m)^\s*[-•]\s+", "", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def seed_lines(text: str) -> list[str]:
    """The seed's logical lines as the page shows them: markup gone, cells trimmed."""
    out = []
    for ln in text.split("\n"):
        if "\t" in ln:
            cells = [strip_markup(c) for c in ln.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                out.append("\t".join(cells))
        else:
            s = strip_markup(ln)
            s = re.sub(r"^\s*[-*•]\s+", "", s)
            if s and not re.fullmatch(r"[-*_]{3,}", s):
                out.append(s)
    return out


def pdf_lines(pages: list[str]) -> list[str]:
    out = []
    for ln in "\n".join(pages).split("\n"):
        ln = re.sub(r"^•\s+", "", ln.strip(" "))
        if ln.strip():
            out.append(ln)
    return out


def words(lines: list[str]) -> list[str]:
    """The words of the lines; a word the seed split at a line end ("non-" / "Hispanic") is
    one word, as the corpus README reads it."""
    return re.sub(r"(\w)- (\w)", r"\1-\2", norm(" ".join(ln.replace("\t", " ") for ln in lines))).split()


@pytest.fixture(scope="module")
def rendered(seeds_dir, tmp_path_factory) -> dict[str, tuple[str, Path]]:
    out = {}
    root = tmp_path_factory.mktemp("seed_pdfs")
    for name in SEEDS:
        text = strip_running_lines((seeds_dir / f"{name}.txt").read_text("utf-8"))
        out[name] = (text, render_text_to_pdf(text, root / f"{name}.pdf", title_header=RUNNING_TITLE))
    return out


@pytest.mark.parametrize("name", SEEDS)
def test_loader_reads_back_the_seed_text(rendered, name):
    text, pdf = rendered[name]
    pages, warnings = extract_pdf_pages(str(pdf))
    assert warnings == []
    want, got = seed_lines(text), pdf_lines(pages)

    # the running title is kept once, as the first line (page 1's header is metadata); no page
    # number survives
    assert got[0] == RUNNING_TITLE and got.count(RUNNING_TITLE) == 1
    got = got[1:]
    assert not any(re.search(r"\bPage \d+ of \d+\b", ln) for ln in got)

    # every word, in order: nothing lost, doubled, split or glued
    assert words(got) == words(want)

    # every table row of the seed is a row of the PDF text, and no other rows appear
    want_rows = {norm(r) for r in want if "\t" in r}
    got_rows = {norm(r) for r in got if "\t" in r}
    assert got_rows == want_rows

    # paragraphs and items stay whole: each seed line is one PDF line, except where the seed
    # itself breaks a sentence at a page break of its source and the PDF rejoins it
    got_set = {norm(ln) for ln in got}
    split = [ln for ln in want if "\t" not in ln and norm(ln) not in got_set]
    assert all(any(norm(ln) in g for g in got_set) for ln in split), split
    assert len(split) <= 4, split


def _statement(s) -> tuple:
    return (s.position.value, norm(s.text))


def _code(c) -> tuple:
    return (c.system.value, c.code, c.code_end)


def _history(h) -> tuple:
    return (h.date, norm(h.summary))


def _reference(r) -> tuple:
    return (r.number, norm(r.text), r.pmid)


@pytest.fixture(scope="module")
def parsed(rendered, seeds_dir):
    return {name: (parse_policy(seeds_dir / f"{name}.txt"), parse_policy(pdf)) for name, (_t, pdf) in rendered.items()}


@pytest.mark.parametrize("field", ["statements", "codes", "history", "references"])
@pytest.mark.parametrize("name", SEEDS)
def test_pdf_parses_like_the_text(parsed, name, field):
    key = {"statements": _statement, "codes": _code, "history": _history, "references": _reference}[field]
    from_text, from_pdf = parsed[name]
    assert [key(x) for x in getattr(from_pdf, field)] == [key(x) for x in getattr(from_text, field)]
