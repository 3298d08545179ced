"""HTML -> blocks (see document.py).

A small tree is built with the standard library's `html.parser` (with the few end tags that
HTML lets authors omit closed for them), then rendered into typed blocks:

- a paragraph, caption or `<br>`-separated line becomes a paragraph block;
- a table row becomes a row block of its cells; a cell's own paragraphs, lists and `<br>`s
  become spaces; `colspan` adds empty cells so that columns stay aligned. A table used for
  page layout (one holding another table or a heading) is read as ordinary blocks instead;
- headings h1-h6 become heading blocks of their level, and a paragraph that is entirely bold
  and short a heading block of level 0 (the page only says it stands out);
- list items become item blocks at their nesting depth, led by "-" (or their number, "1." /
  "a." / "I.", in an ordered list) unless the text already starts with a marker;
- script, style, navigation (a breadcrumb trail too), form controls, the document head and
  hidden elements are dropped; entities are decoded; links and emphasis keep only their text; images are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import DocumentError
from .document import Block, BlockKind
from .lexicon import item_prefix

# -- rules kept as data -----------------------------------------------------------------------

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr", "keygen"})
SKIP = frozenset({"script", "style", "nav", "noscript", "template", "head", "title", "svg", "canvas",
                  "iframe", "object", "embed", "button", "select", "option", "optgroup", "textarea",
                  "input", "map", "audio", "video", "math", "dialog"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCK = frozenset({"address", "article", "aside", "blockquote", "body", "center", "dd", "details", "div",
                   "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
                   "hr", "html", "legend", "li", "main", "menu", "ol", "p", "pre", "section", "summary",
                   "ul", "caption", "table", *HEADINGS})
LIST = frozenset({"ul", "ol", "menu"})
TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr"})
BOLD = frozenset({"b", "strong"})
HIDDEN_CLASSES = frozenset({"sr-only", "visually-hidden", "screen-reader-text", "hidden", "d-none"})
HIDDEN_ROLES = frozenset({"navigation"})
# a breadcrumb trail is navigation whatever element carries it (<ol class="breadcrumb">,
# <div aria-label="Breadcrumb">): its last link repeats the title, its first ones are the site
NAV_MARKS = ("breadcrumb",)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# start tag -> (tags it closes when open, tags that stop the search): the end tags HTML lets
# authors omit. A new <li> ends the open <li> of its own list, not one of an outer list.
IMPLIED_END = {
    "li": ({"li"}, LIST | {"table"}),
    "dt": ({"dt", "dd"}, {"dl", "table"}),
    "dd": ({"dt", "dd"}, {"dl", "table"}),
    "tr": ({"tr", "td", "th"}, {"table"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "thead": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
    "tbody": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"}),
    "body": ({"head", "title"}, set()),
}
# end tags that must not close an element outside their own table or list
END_STOPS = {"td": {"table"}, "th": {"table"}, "tr": {"table"}, "thead": {"table"}, "tbody": {"table"},
             "tfoot": {"table"}, "li": LIST, "dt": {"dl"}, "dd": {"dl"}, "p": {"td", "th", "table", "li"}}

MAX_DEPTH = 200  # deeper nesting is flattened, so that rendering cannot exhaust the stack
# Past this depth, elements the renderer treats as plain containers (div, section, span, ...)
# are not made nodes: a block one leaves a line break before and after its content, which is
# exactly what rendering it would do, so a tree any number of wrappers deep reads the same, and
# the depth left is kept for the elements that carry structure (tables, lists, headings).
WRAPPER_DEPTH = 100
STRUCTURE = SKIP | LIST | TABLE_PARTS | BOLD | VOID | frozenset(
    {"td", "th", "li", "dl", "dt", "dd", "pre", "caption", "p", *HEADINGS})
BREAKS = BLOCK | frozenset({"tr", "td", "th", "li", "dt", "dd"})
BOLD_HEADING_MAX = 120
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_MARKER = item_prefix()  # a list item's text that prints its own bullet or number keeps it
# "<![foo[" marked sections make html.parser raise; browsers read them as bogus comments
_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)[^>]*>?")


# -- tree ---------------------------------------------------------------------------------------

@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["_Node | str"] = field(default_factory=list)

    def hidden(self) -> bool:
        a = self.attrs
        if "hidden" in a or a.get("aria-hidden", "").lower() == "true":
            return True
        if a.get("role", "").lower() in HIDDEN_ROLES:
            return True
        marks = " ".join((a.get("class", ""), a.get("id", ""), a.get("aria-label", ""))).lower()
        if any(m in marks for m in NAV_MARKS):
            return True
        if _HIDDEN_STYLE.search(a.get("style", "")):
            return True
        return bool(HIDDEN_CLASSES.intersection(a.get("class", "").lower().split()))

    def elements(self) -> "list[_Node]":
        return [c for c in self.children if isinstance(c, _Node)]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack: list[_Node] = [self.root]
        # elements flattened past the depth limits: (tag, stack depth when opened, hides its content)
        self.flat: list[tuple[str, int, bool]] = []
        self.hiding = 0  # how many of them hide their content (script, display:none...)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hiding:
            if tag not in VOID:
                self._flatten(tag, True)
            return
        self._close_implied(tag)
        node = _Node(tag, {k: v or "" for k, v in attrs})
        if tag in VOID:
            self.stack[-1].children.append(node)
        elif len(self.stack) < (WRAPPER_DEPTH if tag not in STRUCTURE else MAX_DEPTH):
            self.stack[-1].children.append(node)
            self.stack.append(node)
        else:
            hides = tag in SKIP or node.hidden()
            self._flatten(tag, hides)
            if tag in BREAKS and not hides:
                self.stack[-1].children.append(_Node("br"))

    def _flatten(self, tag: str, hides: bool) -> None:
        self.flat.append((tag, len(self.stack), hides))
        self.hiding += hides

    def _close_flat(self, tag: str) -> bool:
        """Close a flattened element (and those opened inside it); False if none is open."""
        for i in range(len(self.flat) - 1, -1, -1):
            if self.flat[i][1] != len(self.stack):
                return False  # opened outside the current node: not ours to close
            if self.flat[i][0] == tag:
                breaks = False
                while len(self.flat) > i:
                    t, _, hides = self.flat.pop()
                    self.hiding -= hides
                    breaks = breaks or (t in BREAKS and not hides)
                if breaks and not self.hiding:
                    self.stack[-1].children.append(_Node("br"))
                return True
        return False

    def _trim_flat(self) -> None:
        """Flattened elements opened inside nodes that have just been closed end with them."""
        while self.flat and self.flat[-1][1] > len(self.stack):
            self.hiding -= self.flat.pop()[2]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._close_flat(tag) or self.hiding:
            return
        if tag == "br":  # browsers read a stray </br> as <br>
            self.stack[-1].children.append(_Node("br"))
            return
        stops = END_STOPS.get(tag, ())
        for i in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[i].tag
            if open_tag == tag:
                del self.stack[i:]
                self._trim_flat()
                return
            if open_tag in stops:
                return

    def handle_data(self, data: str) -> None:
        if self.hiding:
            return
        if self.stack[-1].tag in TABLE_PARTS and data.strip():
            self._foster(data)
        else:
            self.stack[-1].children.append(data)

    def _foster(self, data: str) -> None:
        """Text written between a table's rows: browsers show it before the table, so do we."""
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == "table":
                siblings = self.stack[i - 1].children
                siblings.insert(len(siblings) - 1 if siblings and siblings[-1] is self.stack[i] else len(siblings),
                                data)
                return
        self.stack[-1].children.append(data)

    def _close_implied(self, tag: str) -> None:
        if tag in BLOCK and self.stack[-1].tag == "p":
            self.stack.pop()
            self._trim_flat()
        if tag in BLOCK or tag == "body":
            self._pop_to({"head", "title"}, set())
        rule = IMPLIED_END.get(tag)
        if rule:
            self._pop_to(*rule)

    def _pop_to(self, closes: set[str], stops: set[str] | frozenset[str]) -> None:
        """Close the outermost open element in `closes` (a new <tr> closes the row, not only
        its open cell), searching no further out than an element in `stops`."""
        found = None
        for i in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[i].tag
            if open_tag in stops:
                break
            if open_tag in closes:
                found = i
        if found is not None:
            del self.stack[found:]
            self._trim_flat()


def parse_tree(html: str, *, path: str | None = None) -> _Node:
    builder = _TreeBuilder()
    try:
        builder.feed(_MARKED_SECTION.sub("", html))
        builder.close()
    except AssertionError as exc:  # html.parser's way of refusing malformed declarations
        raise DocumentError(f"unreadable HTML: {' '.join(str(exc).split())[:120]}", path=path) from None
    return builder.root


# -- rendering -------------------------------------------------------------------------------------

def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def inline_text(node: _Node) -> str:
    """All visible text under `node` on one line: blocks, line breaks and list items become spaces."""
    parts: list[str] = []
    _gather(node, parts)
    return _collapse("".join(parts))


def _gather(node: _Node, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag in SKIP or child.hidden():
            continue
        elif child.tag == "br" or child.tag in BLOCK or child.tag in ("td", "th", "tr"):
            parts.append(" ")
            _gather(child, parts)
            parts.append(" ")
        else:
            _gather(child, parts)


def _ordinal(n: int, kind: str) -> str:
    if kind in ("a", "A") and n >= 1:
        letters = ""
        while n:
            n, r = divmod(n - 1, 26)
            letters = chr(ord("a") + r) + letters
        return letters.upper() if kind == "A" else letters
    if kind in ("i", "I") and 0 < n < 4000:
        numerals = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50),
                    ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))
        out = ""
        for sym, val in numerals:
            while n >= val:
                out, n = out + sym, n - val
        return out.upper() if kind == "I" else out
    return str(n)


def _int(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return default


class _Renderer:
    """Walks the tree, collecting `blocks`; `run` is the inline text of the current line."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        # the text of the page's own footer: the site's links and notices, kept aside as a PDF's
        # running footer is (payer evidence, never body text)
        self.furniture: list[str] = []
        self.in_content = 0  # inside <main> or <article>, where a <footer> is the document's own
        self.run: list[tuple[str, bool]] = []  # inline text of the current line, with boldness
        self.bold = 0
        self.prefix: tuple[int, str] | None = None  # (depth, marker) waiting for a list item's first line
        self.list_depth = 0

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    # lines
    def flush(self) -> None:
        text = _collapse("".join(t for t, _ in self.run))
        all_bold = all(b for t, b in self.run if t.strip())
        self.run = []
        if not text:
            return
        if self.prefix:
            depth, marker = self.prefix
            text = text if _MARKER.match(text) else f"{marker} {text}"
            self.prefix = None
            self.add(Block(BlockKind.ITEM, text, level=depth, gap=0 if self._in_list() else 1))
        elif all_bold and len(text) <= BOLD_HEADING_MAX:
            self.add(Block(BlockKind.HEADING, text, level=0))
        else:
            self.add(Block(BlockKind.PARAGRAPH, text))

    def _in_list(self) -> bool:
        return bool(self.blocks) and self.blocks[-1].kind is BlockKind.ITEM

    # walking
    def children(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.run.append((child, self.bold > 0))
            else:
                self.element(child)

    def element(self, el: _Node) -> None:
        tag = el.tag
        if tag in SKIP or el.hidden():
            return
        if tag == "br":
            self.flush()
        elif not self.in_content and (tag == "footer" or el.attrs.get("role", "").lower() == "contentinfo"):
            self.flush()
            page_footer = _Renderer()
            page_footer.children(el)
            page_footer.flush()
            self.furniture += [b.display for b in page_footer.blocks if b.display.strip()]
        elif tag in ("main", "article"):
            self.flush()
            self.in_content += 1
            self.children(el)
            self.in_content -= 1
            self.flush()
        elif tag in HEADINGS:
            self.flush()
            text = inline_text(el)
            if text:
                self.add(Block(BlockKind.HEADING, text, level=HEADINGS[tag]))
        elif tag == "table":
            self.flush()
            self.table(el)
        elif tag in LIST:
            self.flush()
            self.list(el)
        elif tag == "li":  # an item outside any list
            self.item(el, (0, "-"))
        elif tag == "pre":
            self.flush()
            lines = [ln.rstrip() for ln in "".join(_raw_text(el)).split("\n")]
            lines = [ln.replace("\u00a0", " ") for ln in lines if ln.strip()]
            for k, ln in enumerate(lines):
                self.add(Block(BlockKind.PARAGRAPH, ln, gap=0 if k else 1))
        elif tag in BLOCK:
            self.flush()
            self.children(el)
            self.flush()
        elif tag in BOLD:
            self.bold += 1
            self.children(el)
            self.bold -= 1
        else:
            self.children(el)

    def list(self, el: _Node) -> None:
        ordered = el.tag == "ol"
        kind = el.attrs.get("type", "1") or "1"
        styled_off = "list-style-type:none" in el.attrs.get("style", "").replace(" ", "").lower() or \
            "list-style:none" in el.attrs.get("style", "").replace(" ", "").lower()
        number = _int(el.attrs.get("start"), 1)
        step = -1 if "reversed" in el.attrs else 1
        self.list_depth += 1
        depth = self.list_depth - 1
        for child in el.children:
            if isinstance(child, str):
                if child.strip():  # text loose in a list: a line of its own
                    self.run.append((child, False))
                continue
            if child.tag == "li" and not child.hidden():
                number = _int(child.attrs.get("value"), number)
                marker = "" if styled_off else (f"{_ordinal(number, kind)}." if ordered else "-")
                self.item(child, (depth, marker))
                number += step
            else:
                self.element(child)
        self.flush()
        self.list_depth -= 1

    def item(self, el: _Node, prefix: tuple[int, str]) -> None:
        self.flush()
        self.prefix = prefix if prefix[1] else None
        self.children(el)
        self.flush()
        self.prefix = None

    def table(self, el: _Node) -> None:
        rows, captions = _table_parts(el)
        for cap in captions:
            text = inline_text(cap)
            if text:
                self.add(Block(BlockKind.PARAGRAPH, text))
        if _is_layout(el, rows):
            for row in rows:
                for cell in row:
                    self.flush()
                    self.children(cell)
                    self.flush()
            return
        first = True
        for row in rows:
            cells: list[str] = []
            for cell in row:
                cells.append(inline_text(cell))
                cells.extend([""] * (min(_int(cell.attrs.get("colspan"), 1), 50) - 1))
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                self.add(Block.row(cells, gap=1 if first else 0))
                first = False


def _raw_text(node: _Node) -> list[str]:
    out: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif child.tag == "br":
            out.append("\n")
        elif child.tag not in SKIP and not child.hidden():
            out.extend(_raw_text(child))
    return out


def _table_parts(table: _Node) -> tuple[list[list[_Node]], list[_Node]]:
    """The rows (lists of cells) and captions of `table`, not of tables nested in its cells."""
    rows: list[list[_Node]] = []
    captions: list[_Node] = []
    loose: list[_Node] = []  # cells written without a <tr>

    def visit(node: _Node) -> None:
        for child in node.elements():
            if child.hidden() or child.tag in SKIP:
                continue
            if child.tag == "tr":
                rows.append([c for c in child.elements() if c.tag in ("td", "th") and not c.hidden()])
            elif child.tag in ("td", "th"):
                loose.append(child)
            elif child.tag == "caption":
                captions.append(child)
            elif child.tag in ("thead", "tbody", "tfoot", "form"):
                visit(child)

    visit(table)
    if loose:
        rows.append(loose)
    return rows, captions


def _is_layout(table: _Node, rows: list[list[_Node]]) -> bool:
    if table.attrs.get("role", "").lower() in ("presentation", "none"):
        return True

    def holds_structure(node: _Node) -> bool:
        return any(c.tag == "table" or c.tag in HEADINGS or holds_structure(c) for c in node.elements())

    return any(holds_structure(cell) for row in rows for cell in row)


def html_to_blocks(html: str, *, path: str | None = None, furniture: list[str] | None = None) -> list[Block]:
    """The blocks of an HTML document; DocumentError (naming `path`) if it is malformed beyond
    reading or shows no text. The lines of the page's footer go to `furniture` when given."""
    renderer = _Renderer()
    renderer.children(parse_tree(html, path=path))
    renderer.flush()
    if not any(b.display.strip() for b in renderer.blocks):
        raise DocumentError("no text in this HTML document", path=path)
    if furniture is not None:
        furniture.extend(renderer.furniture)
    return renderer.blocks
