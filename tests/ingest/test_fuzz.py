"""Fuzzing the loaders with mutated copies of real documents (fixed seeds: reproducible).

Every mutated file must either load or raise a MedpolicyError subclass, within the time limit:
never another exception, never a hang. A failing case names its seed; rerun it alone with
`pytest tests/ingest/test_fuzz.py -k "seed_17-"`.
"""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from medpolicy.errors import MedpolicyError
from medpolicy.ingest import parse_policy
from medpolicy.models import Policy
from medpolicy.ingest.document import SourceDocument
from medpolicy.ingest.document import render_pages
from medpolicy.ingest.html import html_to_blocks
from medpolicy.ingest.normalize import build_document
from medpolicy.ingest.pipeline import policy_from_document
from medpolicy.ingest.source import load_source

# small corpus PDFs (2-4 pages), so that a few hundred cases stay within a couple of minutes
PDFS = [
    "centene-envolverx_erx.spa.241_blinatumomab.pdf",
    "wellcareky_cpp-137_robotic_assisted_surgery.pdf",
    "wellcareky_cpp-150_340b_drug_payment.pdf",
    "highmark_mrp-002_clinical_pathology_consultation.pdf",
]
PDF_CASES = 240
TIMEOUT = 5.0
MEMORY_MB = 512
SLACK = 5.0  # process start, kill and reap on a loaded CI machine


def html_to_pages(html: str, **kw) -> list[str]:
    return render_pages(html_to_blocks(html, **kw))


def flip_bytes(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.choice((1, 3, 10, 50))):
        data[rng.randrange(len(data))] = rng.randrange(256)


def truncate(data: bytearray, rng: random.Random) -> None:
    del data[rng.randrange(16, len(data)):]


def duplicate_chunk(data: bytearray, rng: random.Random) -> None:
    size = rng.choice((16, 256, 4096, 32768))
    start = rng.randrange(max(1, len(data) - size))
    chunk = data[start:start + size]
    at = rng.randrange(len(data))
    data[at:at] = chunk * rng.choice((1, 2, 8))


def delete_chunk(data: bytearray, rng: random.Random) -> None:
    size = rng.choice((16, 256, 4096))
    start = rng.randrange(max(1, len(data) - size))
    del data[start:start + size]


def damage_numbers(data: bytearray, rng: random.Random) -> None:
    """Change digits in the tail: the cross-reference table, trailer and startxref live there."""
    tail = max(0, len(data) - 4096)
    digits = [i for i in range(tail, len(data)) if 48 <= data[i] <= 57]
    for i in rng.sample(digits, min(len(digits), rng.choice((1, 5, 20)))):
        data[i] = rng.randrange(48, 58)


def damage_keywords(data: bytearray, rng: random.Random) -> None:
    """Break structural keywords so the reader has to recover or give up."""
    for word in rng.sample([b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"/Length", b"obj"], 2):
        at = data.find(word, rng.randrange(len(data)))
        if at >= 0:
            data[at:at + len(word)] = bytes(rng.randrange(97, 123) for _ in word)


MUTATIONS = [flip_bytes, truncate, duplicate_chunk, delete_chunk, damage_numbers, damage_keywords]


def mutate(data: bytes, seed: int) -> tuple[bytes, list[str]]:
    rng = random.Random(seed)
    out = bytearray(data)
    names = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        if len(out) < 64:
            break
        op = rng.choice(MUTATIONS)
        op(out, rng)
        names.append(op.__name__)
    return bytes(out), names


@pytest.fixture(scope="module")
def originals(pdf_dir) -> dict[str, bytes]:
    return {name: (pdf_dir / name).read_bytes() for name in PDFS}


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(PDF_CASES), ids=lambda s: f"seed_{s}-")
def test_mutated_pdf(seed, originals, tmp_path):
    name = PDFS[seed % len(PDFS)]
    data, ops = mutate(originals[name], seed)
    path = tmp_path / f"fuzz_{seed}_{name}"
    path.write_bytes(data)
    start = time.monotonic()
    try:
        src = load_source(path, timeout=TIMEOUT, memory_mb=MEMORY_MB)
    except MedpolicyError as exc:
        message = str(exc)
        assert path.name in message and "\n" not in message, (ops, message)
    else:
        assert isinstance(src, SourceDocument)
        assert all(isinstance(p, str) for p in src.pages), ops
        assert time.monotonic() - start < TIMEOUT + SLACK, ops
        _parse_or_refuse(src, ops)
        return
    assert time.monotonic() - start < TIMEOUT + SLACK, ops


def _parse_or_refuse(src: SourceDocument, context) -> None:
    """The rest of the pipeline runs in-process on whatever a damaged file yielded: it must
    produce a Policy or refuse with a MedpolicyError, since anything else is a traceback."""
    try:
        doc = build_document(src)
        if doc.lines:
            assert isinstance(policy_from_document(doc), Policy), context
    except MedpolicyError:
        pass


# -- HTML and text: parsed in-process, so an unexpected exception would reach the user -------------------

HTML_CASES = 300
HTML_SEED = """<!DOCTYPE html><html><head><title>Policy</title><style>td{padding:2px}</style>
<script>var menu = "<li>x</li>";</script></head><body><nav><ul><li><a href="/">Home</a></li></ul></nav>
<h1>Medical Policy 9.99.001</h1><p>Effective Date: <b>January 1, 2025</b><br>Last Review: 12/01/2024</p>
<h2>Policy</h2><ol type="A"><li>Therapy is <strong>medically necessary</strong> when:<ol><li>criterion one;
<li>criterion two.</ol><li>Otherwise investigational.</ol><h2>Coding</h2>
<table border="1"><thead><tr><th>Code<th>Description</thead><tbody><tr><td colspan="2">CPT</td></tr>
<tr><td>96900</td><td>Actinotherapy<br>(ultraviolet light)</td></tr></tbody></table>
<table><tr><td><h3>Layout</h3><table><tr><td>a<td>b</table></td></tr></table>
<![if !supportLists]>1.<![endif]> <p>Text &amp; entities &eacute; &#8212; &nbsp; <a href="#r1">[1]</a></p>
<dl><dt>Term<dd>Definition</dl><pre>  pre   formatted</pre><!-- comment --></body></html>
"""
HTML_PIECES = ["<", ">", "</", "<!", "<![", "<!--", "-->", "&", "&#", "&#x", ";", "\"", "'", "=", "<table>",
               "<tr>", "<td>", "</td>", "</table>", "<li>", "<ul>", "<ol start='x' type='Z'>", "<br>", "<p>",
               "<script>", "</script>", "<style>", "<pre>", "<h1>", "<b>", "</b>", "<td colspan='99999999'>",
               "<li value='-3'>", "\x00", "\t", "\n", "\u00a0", "<!DOCTYPE [", "<![foo[", "<?xml?>"]


def mutate_html(seed: int) -> str:
    rng = random.Random(seed)
    text = list(HTML_SEED)
    for _ in range(rng.choice((1, 5, 20, 80))):
        at = rng.randrange(len(text) + 1)
        action = rng.random()
        if action < 0.5:
            text[at:at] = list(rng.choice(HTML_PIECES))
        elif action < 0.8 and text:
            del text[at:at + rng.randrange(1, 40)]
        else:
            start = rng.randrange(len(text))
            text[at:at] = text[start:start + rng.randrange(1, 200)]
    return "".join(text)


@pytest.mark.parametrize("seed", range(HTML_CASES), ids=lambda s: f"seed_{s}-")
def test_mutated_html(seed):
    html = mutate_html(seed)
    try:
        pages = html_to_pages(html, path="fuzz.html")
    except MedpolicyError as exc:
        assert "\n" not in str(exc)
        return
    assert len(pages) == 1 and pages[0].strip()


TEXT_CASES = 60


@pytest.mark.parametrize("seed", range(TEXT_CASES), ids=lambda s: f"seed_{s}-")
def test_mutated_text_and_html_files(seed, seeds_dir, tmp_path):
    """Mutated seed texts and HTML through load_source: the format sniffing and decoding too."""
    rng = random.Random(seed)
    seeds = sorted(seeds_dir.glob("*.txt"))
    data = bytearray(seeds[seed % len(seeds)].read_bytes() if seed % 3 else mutate_html(seed).encode())
    for _ in range(rng.choice((1, 2, 3))):
        if len(data) >= 64:
            rng.choice(MUTATIONS[:4])(data, rng)  # the PDF-specific ones have nothing to hit
    if seed % 7 == 0:
        data = data.decode("utf-8", "replace").encode(rng.choice(("utf-16", "cp1252")), "replace")
    path = tmp_path / f"fuzz_{seed}.txt"
    path.write_bytes(bytes(data))
    try:
        src = load_source(path)
    except MedpolicyError as exc:
        assert path.name in str(exc)
        return
    assert all(isinstance(p, str) for p in src.pages)


PARSE_CASES = 100


@pytest.mark.parametrize("seed", range(PARSE_CASES), ids=lambda s: f"seed_{s}-")
def test_mutated_documents_parse_or_refuse(seed, seeds_dir, tmp_path):
    """Damaged seed texts and pages through the whole pipeline: a Policy or a MedpolicyError."""
    rng = random.Random(1000 + seed)
    seeds = sorted(seeds_dir.glob("*.txt"))
    data = bytearray(seeds[seed % len(seeds)].read_bytes() if seed % 4 else mutate_html(seed).encode())
    for _ in range(rng.choice((1, 2, 3, 6))):
        if len(data) >= 64:
            rng.choice((flip_bytes, truncate, duplicate_chunk, delete_chunk))(data, rng)
    path = tmp_path / f"fuzz_{seed}.txt"
    path.write_bytes(bytes(data))
    try:
        assert isinstance(parse_policy(path), Policy)
    except MedpolicyError as exc:
        assert "\n" not in str(exc)
