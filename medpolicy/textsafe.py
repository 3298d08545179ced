"""Text from documents made safe to print: nothing in it can drive a terminal or a browser.

Terminals act on far more than colour codes: ESC sequences (CSI; OSC 52 clipboard writes, OSC 8
links and window titles; DCS; a full reset), C0 controls (BEL, backspace and carriage return
that overwrite what was printed), DEL, and the C1 controls U+0080-U+009F, which many terminals
read as 8-bit ESC sequences. A document, a file name, or a store someone else wrote can carry
any of them, so everything printed that came from one goes through this module:

- `safe_text`: multi-line text (TAB and newline kept);
- `safe_line`: one line (all whitespace, line and paragraph separators become one space);
- `md_escape`: text for a markdown page, also with markdown and HTML syntax escaped (a
  document's `<script>` or `[link](javascript:...)` must stay text in a CommonMark renderer);
  `md_line` the same on one line;
- `json_for_terminal`: JSON text with the controls JSON leaves raw (DEL, C1) written as escapes,
  which changes no value.
"""
from __future__ import annotations

import re

# A whole escape sequence goes, not only its ESC, or the rest of it (an OSC's payload) would print
# as noise. String sequences (OSC, DCS, SOS, PM, APC) end at BEL or ST, or at the end of the line.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI (colours, cursor moves, screen clears)
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # string sequences
    r"|\x1b[ -/]*[0-~]?"  # any other ESC sequence (ESC c: full reset; ESC 7/8; charset switches)
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but TAB and LF; DEL; C1
_MD_OR_CONTROL = re.compile(r"[\\`*_~\[\]<>|#\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>|#])")  # a regex: str.translate with a table is 4x slower
_JSON_RAW = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)}


def safe_text(text: str | None) -> str:
    """`text` without escape sequences or control characters; TAB and newline kept (a CR LF
    pair and NEL, the C1 "next line", become a newline)."""
    if not text:
        return ""
    if _CONTROL.search(text) is None:  # the common case: nothing to take out (every sequence starts with one)
        return text
    text = text.replace("\r\n", "\n").replace("\x85", "\n")
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


def safe_line(text: str | None, limit: int | None = None) -> str:
    """`safe_text` on one line, whitespace runs collapsed; cut to `limit` characters with "…"."""
    line = " ".join(safe_text(text).split())  # str.split() also splits at NEL, LS and PS
    if limit is not None and len(line) > limit:
        return line[:limit - 1] + "…"
    return line


def md_escape(text: str | None) -> str:
    """Document text for markdown: safe, and every markdown or HTML special character escaped,
    so it renders as the characters it is (never a tag, link, emphasis or heading)."""
    return _MD_SPECIAL.sub(r"\\\1", safe_text(text))


def md_line(text: str | None) -> str:
    """`md_escape` of `safe_line`, in one pass (a policy page has hundreds of such cells, most
    of them plain words, which are returned as they are)."""
    if not text:
        return ""
    if _MD_OR_CONTROL.search(text) is None and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    return _MD_SPECIAL.sub(r"\\\1", " ".join(safe_text(text).split()))


def json_for_terminal(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False, or a stored record) with DEL, C1 and
    the line/paragraph separators escaped: the same JSON value, safe on a terminal. (JSON has
    these characters only inside strings, where an escape means the same character.)"""
    return text.translate(_JSON_RAW)
