"""Escaped HTML left in web-page text, read for its structure.

A crawler that collects a page's visible text by cutting tags out of the raw HTML is fooled by a
`>` inside an attribute value: a component that carries its own HTML in a data attribute (as
content-management systems do: `data-layer="{&#34;xdm:text&#34;:&#34;<p>...</p>\\r\\n...&#34;}}"`)
leaves that HTML in the text, escaped, followed by the tail of the tag (`&#34;}}" id="text-1">`)
and then by the component's rendered copy, which has lost every line break:

    ...plain copy of part 1 | Part 2 heading</h2>\\r\\n<p>Part 2 text.</p>\\r\\n&#34;}}" id="x"> | Part 2
    heading Part 2 text. | Part 3 ...

`split_residue` cuts such a text at the tag tails and, for every component, keeps the escaped
HTML (which still has the headings, paragraphs, list items and table rows) and drops the
rendered copy that repeats it. Which part of a stretch is the copy and which the next
component's HTML is read from the text itself: the copy after a tag tail says, character for
character (spacing aside), what the HTML before it says; the longest such overlap marks both.
What belongs to neither (the site's menus before the first component, its footer after the
last) is returned as plain text.
"""
from __future__ import annotations

import html
import re

# The tail of a tag whose start was cut off: a closing quote, more attributes, then ">"
# (`&#34;}}" id="text-c441cd2540">`, `0" tag="nav" role="navigation">`).
TAG_TAIL = re.compile(r'(?:(?:&#34;|&quot;|\\")[}\]]*)?"(?:\s+[:@\w.-]+(?:="[^"<>]*")?)*\s*/?>')
# Markup that shows a stretch is (escaped) HTML rather than rendered text.
_MARKUP = re.compile(r"</(?:p|div|h[1-6]|li|ol|ul|td|tr|table|span|strong|em|a)>|<(?:p|li|tr|td|br|h[1-6])[\s>/]", re.I)
_TOKEN = re.compile(r"<[^<>]*>|&(?:amp;)?#?\w{1,10};|\\[rnt\"/\\]|\s+|.", re.S)
_JSON_ESCAPES = {"\\r": "\n", "\\n": "\n", "\\t": " ", '\\"': '"', "\\/": "/", "\\\\": "\\"}
# an element whose start tag was cut off: its text then its end tag ("Policy Guidelines</h2>")
_LEADING_END = re.compile(r"^([^<]*?)</([a-z][a-z0-9]*)>", re.I | re.S)
MIN_MARKUP = 3  # fewer escaped tags than this: not a page of such components


def has_residue(text: str) -> bool:
    return len(_MARKUP.findall(text, 0, 200_000)) >= MIN_MARKUP and bool(TAG_TAIL.search(text))


def _visible(raw: str) -> tuple[str, list[int], list[int]]:
    """The visible, non-space characters of a stretch (tags removed, entities and JSON escapes
    decoded), with the raw offsets where the token of each one starts and ends."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN.finditer(raw):
        tok = m.group(0)
        if (tok.startswith("<") and len(tok) > 1) or tok.isspace():
            continue
        if tok.startswith("&") and len(tok) > 1:
            tok = html.unescape(html.unescape(tok))  # "&amp;#x2013;": escaped twice
        elif tok.startswith("\\") and len(tok) == 2:
            tok = _JSON_ESCAPES.get(tok, tok)
        for ch in tok:
            if not ch.isspace():
                chars.append(ch)
                starts.append(m.start())
                ends.append(m.end())
    return "".join(chars), starts, ends


def _overlap(a: str, b: str) -> int:
    """The length of the longest suffix of `a` that is a prefix of `b` (linear: the prefix
    function of b + separator + a)."""
    if not a or not b:
        return 0
    s = b[: len(a)] + "\x00" + a
    pi = [0] * len(s)
    for i in range(1, len(s)):
        k = pi[i - 1]
        while k and s[i] != s[k]:
            k = pi[k - 1]
        if s[i] == s[k]:
            k += 1
        pi[i] = k
    return pi[-1]


def split_residue(text: str) -> list[tuple[str, str]]:
    """The text as ("plain", text) and ("html", fragment) pieces in reading order, the rendered
    copies of the HTML fragments dropped (see the module doc)."""
    tails = list(TAG_TAIL.finditer(text))
    if not tails:
        return [("plain", text)]
    segments = list(zip([0] + [m.end() for m in tails], [m.start() for m in tails] + [len(text)]))
    seen = [_visible(text[a:b]) for a, b in segments]
    # overlap[k]: how many visible characters at the start of segment k repeat the end of k-1
    overlap = [0] + [_overlap(seen[k - 1][0], seen[k][0]) for k in range(1, len(segments))] + [0]
    pieces: list[tuple[str, str]] = []
    for k, (a, b) in enumerate(segments):
        vis, starts, ends = seen[k]
        copy = overlap[k]  # the rendered copy of the previous component's HTML: dropped
        start = a + starts[copy] if copy < len(vis) else b
        nxt = min(overlap[k + 1], len(vis) - copy)  # this component's HTML, copied after the tail
        if nxt:
            first = len(vis) - nxt
            html_from = a + (ends[first - 1] if first > copy else starts[first])
        else:
            tag = _MARKUP.search(text, start, b)
            html_from = _element_start(text, start, tag.start()) if tag else b
        html_from = max(html_from, start)
        if text[start:html_from].strip():
            pieces.append(("plain", text[start:html_from]))
        if text[html_from:b].strip():
            pieces.append(("html", text[html_from:b]))
    return pieces


def _element_start(text: str, lo: int, first_tag: int) -> int:
    """Where the text of an element whose start tag was cut off begins, before `first_tag`:
    after the last sentence end, else at `lo`."""
    head = text[lo:first_tag]
    m = None
    for m in re.finditer(r"[.!?]\s+(?=[A-Z])", head):
        pass
    return lo + m.end() if m else lo


def unescape_fragment(fragment: str) -> str:
    """An escaped HTML fragment as HTML: JSON escapes decoded, and an element whose start tag was
    cut off ("Policy Guidelines</h2><p>...") given one back."""
    for esc, ch in _JSON_ESCAPES.items():
        fragment = fragment.replace(esc, ch)
    m = _LEADING_END.match(fragment)
    if m and m.group(1).strip():
        fragment = f"<{m.group(2)}>" + fragment
    return fragment
