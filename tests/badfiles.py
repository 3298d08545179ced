"""Generators of hostile and broken input files, written at test time.

Each `write_*` function writes one file into `folder` and returns its path. Nothing here reads
the shared corpus except `write_truncated_pdf`, which cuts a copy of a PDF it is given.
"""
from __future__ import annotations

import functools
import io
import random
import zlib
from pathlib import Path

# A made-up policy (not corpus text): enough to be recognised as a medical policy when the
# only thing wrong with a file is its container (encrypted, scanned).
POLICY_LINES = [
    "Medical Policy 9.99.001",
    "Example Light Therapy for Test Conditions",
    "Effective Date: January 1, 2025",
    "Last Review Date: December 1, 2024",
    "Policy",
    "Example light therapy is considered medically necessary for adults with a test condition",
    "when all of the following criteria are met.",
    "Example light therapy is considered investigational for all other indications.",
    "Coding",
    "CPT 96900 Actinotherapy (ultraviolet light)",
    "References",
    "1. Doe J. A trial of example light therapy. J Test Med. 2020;1:1-10.",
]

RECIPE = """Grandma's Banana Bread

Ingredients
3 ripe bananas, mashed
1/3 cup melted butter
3/4 cup sugar
1 egg, beaten
1 teaspoon vanilla extract
1 teaspoon baking soda
A pinch of salt
1 1/2 cups all-purpose flour

Method
Preheat the oven to 350 degrees F and butter a 4x8 inch loaf pan.
In a mixing bowl, mash the ripe bananas with a fork until completely smooth.
Stir the melted butter into the mashed bananas, then mix in the baking soda and salt.
Stir in the sugar, beaten egg and vanilla extract. Mix in the flour.
Pour the batter into the prepared loaf pan and bake for 55 to 65 minutes,
until a tester inserted into the center comes out clean.
Remove from the oven and let cool in the pan for a few minutes, then turn out and slice.

Serves 8. Keeps for three days wrapped in foil, or freeze slices for up to three months.
"""


# -- plain files -----------------------------------------------------------------------------------

def write_empty(folder: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def write_whitespace(folder: Path) -> Path:
    path = folder / "blank.txt"
    path.write_bytes(b"  \n\t\r\n   \n\n")
    return path


def write_garbage(folder: Path, seed: int = 7, size: int = 64 * 1024) -> Path:
    path = folder / "garbage.bin"
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def write_recipe(folder: Path) -> Path:
    path = folder / "banana_bread.txt"
    path.write_text(RECIPE, encoding="utf-8")
    return path


def write_policy_text(folder: Path, name: str = "policy.txt") -> Path:
    path = folder / name
    path.write_text("\n\n".join(POLICY_LINES) + "\n", encoding="utf-8")
    return path


# -- PDFs made with reportlab / pikepdf ------------------------------------------------------------

def policy_pdf_bytes() -> bytes:
    """A one-page PDF with a text layer holding POLICY_LINES."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    y = 720
    for line in POLICY_LINES:
        c.setFont("Helvetica-Bold" if len(line) < 12 else "Helvetica", 11)
        c.drawString(72, y, line)
        y -= 24
    c.showPage()
    c.save()
    return buf.getvalue()


def write_policy_pdf(folder: Path, name: str = "policy.pdf") -> Path:
    path = folder / name
    path.write_bytes(policy_pdf_bytes())
    return path


def write_encrypted_pdf(folder: Path) -> Path:
    """The policy PDF encrypted with a user password: nothing can be read without it."""
    import pikepdf

    path = folder / "encrypted.pdf"
    with pikepdf.open(io.BytesIO(policy_pdf_bytes())) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret", R=6))
    return path


def write_scanned_pdf(folder: Path) -> Path:
    """The policy as a picture of text: a page with an image and no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(POLICY_LINES):
        draw.text((60, 60 + 30 * i), line, fill=0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.drawImage(ImageReader(image), 0, 0, width=letter[0], height=letter[1])
    c.showPage()
    c.save()
    path = folder / "scanned.pdf"
    path.write_bytes(buf.getvalue())
    return path


def write_truncated_pdf(folder: Path, source: Path, fraction: float = 0.5) -> Path:
    data = source.read_bytes()
    path = folder / f"truncated_{source.name}"
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


# -- hand-built PDFs ---------------------------------------------------------------------------------

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def text_content(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 72 720 Td 14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + escaped.encode("latin-1") + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def assemble(objects: dict[int, bytes], trailer: bytes = b"/Root 1 0 R") -> tuple[bytes, int]:
    """A PDF file from numbered objects; returns (bytes up to and including the xref table and
    trailer, offset of that xref table). Callers add `startxref` themselves, or use `finish`."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d " % size + trailer + b" >>\n"
    return bytes(out), xref_at


def finish(body: bytes, xref_at: int) -> bytes:
    return body + b"startxref\n%d\n%%%%EOF\n" % xref_at


def one_page(content_obj: bytes) -> dict[int, bytes]:
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
           b"/Contents 4 0 R >>",
        4: content_obj,
        5: FONT,
    }


def write_handmade_policy_pdf(folder: Path, name: str = "handmade.pdf") -> Path:
    """The policy text in a PDF built byte by byte (the base the broken variants start from)."""
    path = folder / name
    path.write_bytes(finish(*assemble(one_page(stream(text_content(POLICY_LINES))))))
    return path


def _repeated_deflate(unit: bytes, copies: int, level: int = 9) -> bytes:
    """zlib data of `unit` * `copies`, made without compressing all of it: after a full flush
    the compressor starts afresh, so every further copy compresses to the same bytes."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    first = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    middle = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    last = comp.compress(unit) + comp.flush(zlib.Z_FINISH)
    return b"\x78\xda" + first + middle * (copies - 2) + last + _repeated_adler32(unit, copies).to_bytes(4, "big")


def _repeated_adler32(unit: bytes, copies: int) -> int:
    """adler32 of `unit` * `copies` without reading gigabytes: with A = 1 + sum of bytes and
    B = sum of the running A's (mod 65521), A(xy) = A(x) + A(y) - 1 and
    B(xy) = B(x) + B(y) + len(y) * (A(x) - 1)."""
    base = 65521
    one = zlib.adler32(unit)
    a1, b1, n = one & 0xFFFF, one >> 16, len(unit)
    a, b = 1, 0
    for _ in range(copies):
        a, b = (a + a1 - 1) % base, (b + b1 + n * (a - 1)) % base
    return (b << 16) | a


@functools.lru_cache(maxsize=4)
def bomb_stream(inflated_mb: int, layers: int) -> bytes:
    """A content stream of "q Q " operators (harmless, endless work) that inflates to
    `inflated_mb` MB; with two layers of Flate the file stays a few kilobytes."""
    unit = b"q Q " * (1 << 18)  # 1 MB
    data = _repeated_deflate(unit, inflated_mb)
    filters = [b"/FlateDecode"]
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
        filters.append(b"/FlateDecode")
    return stream(data, b"/Filter [" + b" ".join(filters) + b"] ")


def write_bomb_pdf(folder: Path, inflated_mb: int = 4096, layers: int = 2) -> Path:
    """A compression bomb: a page whose content stream inflates to `inflated_mb` MB."""
    path = folder / f"bomb_{inflated_mb}mb_{layers}x.pdf"
    path.write_bytes(finish(*assemble(one_page(bomb_stream(inflated_mb, layers)))))
    return path


def write_xref_loop_pdf(folder: Path) -> Path:
    """Two cross-reference sections whose /Prev point at each other, and a page tree whose only
    kid is the tree itself: a reader that follows either loop never ends."""
    objects = one_page(stream(text_content(POLICY_LINES)))
    objects[2] = b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"
    body, xref1 = assemble(objects, trailer=b"/Root 1 0 R /Prev XXXXXXXXXX")
    xref2 = len(body)
    body = body.replace(b"XXXXXXXXXX", b"%010d" % xref2)  # same width: no offset moves
    second = b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\n" % xref1
    return _write(folder / "xref_loop.pdf", finish(body + second, xref1))


def write_prev_loop_pdf(folder: Path) -> Path:
    """Only the cross-reference /Prev chain loops (onto itself); the objects are intact, so a
    reader may recover the page by scanning, or refuse the file."""
    body, xref_at = assemble(one_page(stream(text_content(POLICY_LINES))),
                             trailer=b"/Root 1 0 R /Prev XXXXXXXXXX")
    body = body.replace(b"XXXXXXXXXX", b"%010d" % xref_at)
    return _write(folder / "prev_loop.pdf", finish(body, xref_at))


def write_deep_nesting_pdf(folder: Path, depth: int = 100_000) -> Path:
    """A content stream of deeply nested arrays, and a resource dictionary nested as deep."""
    content = b"[" * depth + b"]" * depth
    objects = one_page(stream(content))
    objects[6] = b"<< /A " * 5000 + b"1" + b" >>" * 5000
    return _write(folder / "deep_nesting.pdf", finish(*assemble(objects)))


def write_zero_pages_pdf(folder: Path) -> Path:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
    return _write(folder / "zero_pages.pdf", finish(*assemble(objects)))


def write_header_only_pdf(folder: Path) -> Path:
    return _write(folder / "header_only.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
