#!/usr/bin/env python3
"""Render sample policy editions (examples/policies/**.txt) to PDFs under examples/pdf/.

The PDFs are committed as bundled samples, so that `medpolicy parse` can be tried on a PDF without
network access, and so that tests can check that the text and PDF renderings of one edition parse
to the same records. They look like payer PDFs: a running header with the plan name, title and
policy number on every page, a "Page N of M" footer, ruled tables whose header row repeats when
the table continues on the next page.

Usage (needs reportlab, installed with the `test` extra):
    python examples/build_pdfs.py            # (re)write the PDFs listed in RENDERED
    python examples/build_pdfs.py --check    # exit 1 if a committed PDF is missing or stale

Each PDF records the sha256 of the text it was made from in its Keywords metadata; `--check`
compares that with the current text instead of comparing bytes, because byte output changes
between reportlab versions while the rendering does not.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
POLICIES = HERE / "policies"
PDF_DIR = HERE / "pdf"

# Editions rendered to PDF (paths under examples/policies, without the .txt suffix). Both editions
# of MP-7.042 are here so that a PDF-to-PDF diff can be tried as well as text-to-PDF.
RENDERED = (
    "northwind/MP-7.042/2025-03-01",
    "northwind/MP-7.042/2026-03-01",
    "northwind/MP-1.118/2026-01-01",
    "northwind/MP-4.203/2025-09-01",
)

# Top-level section headings get a larger bold style with a rule above; other short unpunctuated
# lines are sub-headings.
SECTION_HEADINGS = frozenset({
    "related policies", "policy", "coverage policy", "policy statement", "policy guidelines",
    "coding", "description", "rationale", "references", "policy history", "disclaimer",
})
# A table's first row is a header row (shaded, repeated on each page) when all its cells are these.
HEADER_CELLS = frozenset({"code", "code type", "system", "description", "date", "summary of changes"})
# Lines of the document banner, printed once at the top of page 1 (the plan name also runs in the
# page header).
BANNER = frozenset({"medical policy"})

# A heading starts a new page when less than this (points) is left below it.
HEADING_ROOM = 72

_MARKER = re.compile(r"^(?:[IVX]{1,4}|[A-Za-z]|\d{1,2})\.\s")
_LABEL = re.compile(r"^([A-Z][A-Za-z ]{2,40}):\s+(\S.*)$")
_CAPS_WORD = re.compile(r"\b(ALL|ANY|OR|AND|ONE)\b")


@dataclass
class Block:
    kind: str  # title | banner | section | subheading | label | para | item | table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    indent: int = 0


@dataclass
class Edition:
    plan: str
    policy_number: str
    title: str
    blocks: list[Block]


def _is_heading(line: str) -> bool:
    return (len(line) <= 80 and not line.endswith((".", ":", ";", ",")) and not _MARKER.match(line)
            and not _LABEL.match(line))


def read_edition(text: str) -> Edition:
    """Split an edition's text into blocks. Paragraphs are separated by blank lines; consecutive
    tab-separated lines form a table; a line ending in ':' makes the list under it indented."""
    groups: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    plan = groups[0][0].strip()
    blocks: list[Block] = [Block("banner", plan)]
    title = ""
    seen_number = False
    for group in groups:
        i = 0
        lead_colon = False
        while i < len(group):
            line = group[i]
            if group is groups[0] and i == 0:
                i += 1
                continue
            if "\t" in line:
                rows = []
                while i < len(group) and "\t" in group[i]:
                    rows.append([c.strip() for c in group[i].split("\t")])
                    i += 1
                blocks.append(Block("table", rows=rows))
                for row in rows:
                    if row[0].lower() == "policy title":
                        title = row[1]
                    if row[0].lower() == "policy number":
                        seen_number = True
                continue
            stripped = line.strip()
            if stripped.lower() in BANNER:
                blocks.append(Block("banner", stripped))
            elif stripped.lower() in SECTION_HEADINGS:
                blocks.append(Block("section", stripped))
            elif _is_heading(stripped) and not title and not seen_number:
                title = stripped
                blocks.append(Block("title", stripped))
            elif _is_heading(stripped) and (len(group) == 1 or (i + 1 < len(group) and "\t" in group[i + 1])):
                blocks.append(Block("subheading", stripped))
            elif _LABEL.match(stripped) and len(stripped) < 120:
                seen_number = seen_number or stripped.lower().startswith("policy number")
                blocks.append(Block("label", stripped))
            elif _MARKER.match(stripped):
                blocks.append(Block("item", stripped, indent=1 if lead_colon else 0))
            else:
                blocks.append(Block("para", stripped))
            if i == 0:
                lead_colon = stripped.endswith(":")
            i += 1
    number = ""
    for b in blocks:
        m = re.match(r"Policy Number:\s*(\S+)", b.text)
        if m:
            number = m.group(1)
        for row in b.rows:
            if row[0].lower() == "policy number":
                number = row[1]
    return Edition(plan=plan, policy_number=number, title=title, blocks=blocks)


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()["BodyText"]
    body = ParagraphStyle("body", base, fontName="Helvetica", fontSize=9.5, leading=12.5, spaceAfter=5)
    return {
        "banner": ParagraphStyle("banner", body, fontName="Helvetica-Bold", fontSize=11,
                                 textColor=colors.HexColor("#1f4e79"), spaceAfter=2),
        "title": ParagraphStyle("title", body, fontName="Helvetica-Bold", fontSize=16, leading=20,
                                spaceBefore=8, spaceAfter=10),
        "section": ParagraphStyle("section", body, fontName="Helvetica-Bold", fontSize=12, leading=15,
                                  spaceBefore=12, spaceAfter=6,
                                  textColor=colors.HexColor("#1f4e79")),
        "subheading": ParagraphStyle("subheading", body, fontName="Helvetica-BoldOblique", fontSize=10,
                                     spaceBefore=6, spaceAfter=3),
        "label": ParagraphStyle("label", body, spaceAfter=1),
        "para": body,
        "item0": ParagraphStyle("item0", body, leftIndent=16, firstLineIndent=-16),
        "item1": ParagraphStyle("item1", body, leftIndent=36, firstLineIndent=-16, spaceAfter=3),
        "cell": ParagraphStyle("cell", body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "headcell": ParagraphStyle("headcell", body, fontName="Helvetica-Bold", fontSize=8.5,
                                   leading=10.5, spaceAfter=0),
    }


def _markup(text: str) -> str:
    return _CAPS_WORD.sub(r"<b>\1</b>", escape(text))


def _table(rows: list[list[str]], styles, width: float):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    has_header = all(c.lower() in HEADER_CELLS for c in rows[0])
    # Columns but the last are sized to their longest cell; the last takes the rest of the line.
    widths = [min(max(len(r[c]) for r in rows) * 5.2 + 14, 150) for c in range(ncols - 1)]
    widths.append(width - sum(widths))
    data = [[Paragraph(escape(c), styles["headcell" if (has_header and n == 0) else "cell"]) for c in r]
            for n, r in enumerate(rows)]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7f7f7f")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if has_header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee")))
    else:
        commands.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f5")))
    table = Table(data, colWidths=widths, repeatRows=1 if has_header else 0, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _story(edition: Edition, width: float) -> list:
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer

    styles = _styles()
    story: list = []
    for b in edition.blocks:
        if b.kind == "table":
            story += [_table(b.rows, styles, width), Spacer(1, 8)]
        elif b.kind == "label":
            label, value = _LABEL.match(b.text).groups()
            story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", styles["label"]))
        elif b.kind == "item":
            story.append(Paragraph(_markup(b.text), styles[f"item{b.indent}"]))
        elif b.kind in ("section", "subheading"):
            # not keepWithNext: that would wrap a heading and its table in a KeepTogether and so
            # stop tables from splitting across pages, which real policies do all the time
            story += [CondPageBreak(HEADING_ROOM), Paragraph(escape(b.text), styles[b.kind])]
        elif b.kind in ("title", "banner"):
            story.append(Paragraph(escape(b.text), styles[b.kind]))
        else:
            story.append(Paragraph(_markup(b.text), styles["para"]))
    return story


def _canvas_class(edition: Edition):
    """A canvas that draws the running header and the "Page N of M" footer once the page count is
    known (pages are held back until save())."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    class PolicyCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            w, h = self._pagesize
            self.saveState()
            self.setFont("Helvetica-Bold", 8.5)
            self.setFillColor(colors.HexColor("#1f4e79"))
            self.drawString(54, h - 38, edition.plan)
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.black)
            self.drawRightString(w - 54, h - 38, f"{edition.title}  |  Policy Number: {edition.policy_number}")
            self.setStrokeColor(colors.HexColor("#7f7f7f"))
            self.setLineWidth(0.5)
            self.line(54, h - 44, w - 54, h - 44)
            self.line(54, 46, w - 54, 46)
            self.drawString(54, 34, "Printed copies are for reference only.")
            self.drawRightString(w - 54, 34, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return PolicyCanvas


def render(txt: Path, out: Path) -> None:
    """Write the PDF rendering of one text edition."""
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import SimpleDocTemplate

    text = txt.read_text(encoding="utf-8")
    edition = read_edition(text)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(out), pagesize=letter, leftMargin=54, rightMargin=54, topMargin=62, bottomMargin=60,
        title=edition.title, author=edition.plan, subject=f"Medical Policy {edition.policy_number}",
        creator="medpolicy examples/build_pdfs.py", keywords=[f"source-sha256:{sha}"],
        invariant=1,  # no timestamps or random ids, so rebuilding an unchanged text is a no-op
    )
    doc.build(_story(edition, doc.width), canvasmaker=_canvas_class(edition))


def recorded_sha(pdf: Path) -> str | None:
    """The source sha256 a PDF was rendered from (None if absent)."""
    m = re.search(rb"source-sha256:([0-9a-f]{64})", pdf.read_bytes())
    return m.group(1).decode() if m else None


def stale() -> list[str]:
    """Rendered editions whose PDF is missing or was made from a different text."""
    out = []
    for rel in RENDERED:
        txt, pdf = POLICIES / f"{rel}.txt", PDF_DIR / f"{rel}.pdf"
        if not pdf.exists() or recorded_sha(pdf) != hashlib.sha256(txt.read_bytes()).hexdigest():
            out.append(rel)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check that the committed PDFs are current")
    args = ap.parse_args(argv)
    if args.check:
        bad = stale()
        for rel in bad:
            print(f"stale or missing: examples/pdf/{rel}.pdf (run python examples/build_pdfs.py)", file=sys.stderr)
        return 1 if bad else 0
    for rel in RENDERED:
        out = PDF_DIR / f"{rel}.pdf"
        render(POLICIES / f"{rel}.txt", out)
        print(out.relative_to(HERE.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
