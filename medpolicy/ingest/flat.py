"""Web-page text flattened onto one line: its lines, headings and fields back.

Some crawlers save a page's visible text with every run of whitespace collapsed to one space:
the whole policy arrives as one line, with the site's menus before it and its footer after it.
The page's structure is gone, but the text still shows it:

- escaped HTML left in the text by components that carry their own markup (residue.py) is
  read as HTML, and the rendered copy that repeats it is dropped;
- a known heading printed inline ("... criteria are met. Policy Guidelines The science ...",
  "... reviewed. SOURCES BlueCross ...") starts a new section: a phrase that the heading rules
  (rules/headings.json) name, in title case or capitals, after the end of a sentence (or a code,
  a number, a field) and before the start of another; also a run of words in capitals there
  ("MEDICAL APPROPRIATENESS");
- a labelled field ("Publish Date: 04/16/2025 Status: Reviewed Last Review Date: ...") is a
  field of the header: the labels of rules/metadata.json, and any short capitalised label that
  follows one; a date label's value ends with its date;
- a site's widgets repeated back to back, template and tag residue (`{{ item.title }}`,
  `" role="navigation">`), the menus before the document's title and the footer after it
  (rules/furniture.json) are not the policy. They go to `furniture` (a letterhead is evidence of
  the payer).

Inside a reference list or a revision history the entries run on too: flat_lists splits them.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..errors import DocumentError
from .dates import find_date
from .document import Block, BlockKind
from .furniture import footer_start, is_chrome_line, is_footer_term, menu_runs, strip_chrome_phrases
from .residue import TAG_TAIL, has_residue, split_residue, unescape_fragment
from .sections import match_heading
from .vocab import furniture_rules

MIN_FLAT_CHARS = 3000  # shorter one-line texts are error pages or snippets: read as they are
MAX_HEADING_WORDS = 8
MAX_LABEL_WORDS = 5
FIELD_RUN_WORDS = 14  # a further label within this many words of a field continues the header
# inside a reference list, a heading only ends it when it opens one of these (sections.py's rule)
_AFTER_REFERENCES = {"history", "coding", "policy", "related", "archive"}
# template expressions and identifiers a page's code leaves in its text ("{{ item.title }}",
# "${title}", "{}", "Medical_Policy_Bulletin")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\$\{\w+\}|\{\s*\}|(?<!\S)[A-Za-z]+(?:_[A-Za-z0-9]+){2,}(?!\S)")
_CLAUSE_END = re.compile(r"[.:;!?)\]\"”’]$")
_CONTENT_START = re.compile(r"^[A-Z0-9\"“‘'(•\-–]")
_ABBREVIATION = re.compile(r"^\([A-Z][A-Za-z&]{1,7}\)[,.;:]?$")
# a heading that is one title-case word inline is too often a word of the sentence for these kinds
_WEAK_ALONE = {"boilerplate", "toc", "archive", "other"}
# ... and may follow a word that does not end a sentence only for these ("... all diagnoses References Peer ...")
_STRONG_ALONE = {"references", "history", "coding", "related"}
_FUNCTION_WORDS = {"the", "a", "an", "to", "of", "in", "on", "for", "see", "and", "or", "with", "by", "under", "our",
                   "this", "that", "these", "its", "their", "from", "at", "as", "per", "refer", "any", "all", "each"}
# capitalised words that start a sentence, never the inside of a heading
_SENTENCE_STARTERS = {"The", "This", "These", "That", "Those", "A", "An", "In", "For", "If", "When", "It", "Its",
                      "There", "Our", "We", "Each", "All", "Any", "No", "Not", "Please", "See", "Note", "Note:"}
_SMALL = {"a", "an", "and", "or", "of", "the", "for", "to", "in", "on", "with", "by", "at", "vs", "&", "/", "-", "–"}


def is_flattened(text: str) -> bool:
    """One line holds most of a long text."""
    if len(text) < MIN_FLAT_CHARS:
        return False
    return max(len(ln) for ln in text.split("\n")) >= 0.5 * len(text)


def flat_to_blocks(text: str, furniture: list[str] | None = None) -> list[Block]:
    """The blocks of a flattened web-page text (see the module doc); what is dropped as chrome is
    appended to `furniture` when a list is given."""
    from .flat_lists import split_entries  # noqa: PLC0415 (a module of its own; imports flat)
    from .html import html_to_blocks  # noqa: PLC0415

    removed: list[str] = []
    pieces = split_residue(text) if has_residue(text) else [("plain", text)]
    blocks: list[Block] = []
    for kind, piece in pieces:
        if kind == "html":
            try:
                blocks += html_to_blocks(unescape_fragment(piece))
                continue
            except DocumentError:  # a fragment without text
                piece = html.unescape(piece)
        plain = _without_menus(_collapse_repeats(html.unescape(piece), removed), removed)
        plain, junk_end, footer_from = _without_junk(plain)
        found = _plain_blocks(plain, junk_end=junk_end, footer_from=footer_from)
        removed += [b.text for b in found if b.gap == -2]
        blocks += [b for b in found if b.gap != -2]
    # blocks marked -1 end before the last tag residue of the site's header
    chrome_until = max((k + 1 for k, b in enumerate(blocks) if b.gap == -1), default=0)
    blocks = [Block(b.kind, b.text, b.cells, b.page, b.level, max(b.gap, 1)) for b in blocks]
    blocks = _title_apart(_without_head_chrome(blocks, chrome_until, removed))
    blocks = _without_footer(blocks, removed)
    blocks = split_entries(blocks)
    if furniture is not None:
        furniture.extend(t for t in removed if t.strip())
    return blocks


# -- residue of templates and tags ---------------------------------------------------------------

def _without_menus(text: str, removed: list[str]) -> str:
    """The text without the site's menus and buttons run into it ("Home | Search | Help Expand
    All | Collapse All Print Share Title ...")."""
    spans = menu_runs(text)
    if not spans:
        return text
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        removed.append(text[a:b])
        pos = b
    out.append(text[pos:])
    return " ".join(part.strip() for part in out if part.strip())


def _without_junk(text: str) -> tuple[str, int | None, int | None]:
    """The text without template expressions and tag tails; and where (in the returned text) the
    last of them in the first half of the text stood (the end of the site's header) and the first
    in the second half (the start of its footer); None when there are none."""
    last = first_late = None
    out: list[str] = []
    pos = length = 0
    for m in sorted([*TAG_TAIL.finditer(text), *_TEMPLATE.finditer(text)], key=lambda m: m.start()):
        if m.start() < pos:
            continue
        out.append(text[pos:m.start()] + " ")
        length += m.start() - pos + 1
        pos = m.end()
        if m.start() < len(text) / 2:
            last = length
        elif first_late is None:
            first_late = length - 1
    out.append(text[pos:])
    return "".join(out), last, first_late


# -- inline headings and fields ------------------------------------------------------------------

@dataclass
class _Word:
    text: str
    start: int
    end: int


def _labels() -> dict[str, str]:
    """Known labels (lower case) -> 'date' or 'field'."""
    from .metadata import rules  # noqa: PLC0415 (the one list of header labels)

    r = rules()
    out = {lb: "field" for lb in (*r.id_labels, *r.title_labels)}
    out.update({lb: "date" for labels in r.date_labels.values() for lb in labels})
    return out


_LABELS: dict[str, str] | None = None


def _label_kinds() -> dict[str, str]:
    global _LABELS
    if _LABELS is None:
        _LABELS = _labels()
    return _LABELS


def _cased(words: list[str]) -> bool:
    """Title case or capitals: every word of four letters or more starts with a capital."""
    if not words or not words[0][:1].isupper():
        return False
    for w in words:
        letters = re.sub(r"[^A-Za-z]", "", w)
        if len(letters) >= 4 and not letters[0].isupper():
            return False
    return True


def _caps(word: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(letters) >= 2 and letters.isupper() and not re.search(r"\d", word)


def _ends_clause(word: str) -> bool:
    """The word ends a clause, or is a code or number ("88271", "C80.1") after which a table's
    text runs on into the next heading."""
    return bool(_CLAUSE_END.search(word)) or (bool(re.search(r"\d", word)) and not re.search(r"[a-z]", word))


def _known_label(words: list[_Word], i: int, n: int) -> str | None:
    """'date' or 'field' when words i..i+n-1 are a known label ending with ':'."""
    last = words[i + n - 1].text
    if not last.endswith(":") or last == ":":
        return None
    phrase = " ".join(w.text for w in words[i:i + n])[:-1].strip()
    if not _cased(phrase.split()):
        return None
    kinds = _label_kinds()
    key = phrase.lower()
    return kinds.get(key) or kinds.get(re.sub(r"\s*#$", "", key))


def _doc_type(words: list[_Word]) -> bool:
    from .metadata import rules  # noqa: PLC0415

    return " ".join(w.text for w in words).lower() in rules().not_titles


def _label_at(words: list[_Word], i: int, in_run: bool, boundary: bool) -> tuple[int, str] | None:
    """(number of words, 'date'|'field') when a label ending with ':' starts at word i:
    - a label in capitals ("MOST RECENT REVIEW DATE:"), after the end of a clause or a field;
    - a known label (rules/metadata.json). In a run of fields the longest ("Status: Reviewed Last
      Review Date:"); before the first field the shortest, as a document type often comes
      first ("Medical Policy Subject:");
    - in a run of fields, one capitalised word ("Status:", "Document #:")."""
    if boundary or in_run:
        n = 0
        while i + n < len(words) and n < MAX_LABEL_WORDS and _caps(words[i + n].text.rstrip(":#")):
            n += 1
            if words[i + n - 1].text.endswith(":"):
                kind = _known_label(words, i, n) or ("date" if "DATE" in words[i + n - 1].text else "field")
                return n, kind
    for n in range(min(MAX_LABEL_WORDS, len(words) - i), 0, -1):
        kind = _known_label(words, i, n)
        if kind:
            for k in range(i + 1, i + n):
                # "Medical Policy Subject:": a document type, then the label
                if _known_label(words, k, i + n - k) and any(
                        k - j >= 2 and _doc_type(words[j:k]) for j in range(max(0, i - 2), i + 1)):
                    return None
            return n, kind
    if in_run:
        w = words[i].text
        if w.endswith(":") and len(w) > 2 and w[0].isupper():
            return 1, "field"
        if i + 1 < len(words) and w[0].isupper() and words[i + 1].text in ("#:", "No.:", "No:"):
            return 2, "field"
    return None


def _heading_at(words: list[_Word], i: int, context: str, boundary: bool) -> tuple[int, str] | None:
    """(number of words, kind) when a heading starts at word i: a known heading after the end of
    a clause (`boundary`), or a run of capitals after the end of a clause or a lower-case word."""
    first = words[i].text
    if not first[:1].isupper():
        return None
    # a run of capitals ("MEDICAL APPROPRIATENESS", "SOURCES")
    j = i
    while j < len(words) and j - i < MAX_HEADING_WORDS and (_caps(words[j].text) or words[j].text in ("&", "/", "-", "–")):
        j += 1
    prev = words[i - 1].text if i else ""
    # after a lower-case word (not "the", "see" ...) a heading may start without a sentence end
    # ("... all diagnoses References Peer ..."), but not after a capitalised one: "... Medical
    # Policy Update" is one name; capitals after any word with lower case are a change of style
    boundary_ok = boundary or (prev[:1].islower() and prev.lower() not in _FUNCTION_WORDS)
    caps_ok = boundary or bool(re.search(r"[a-z]", prev))
    for n in range(min(MAX_HEADING_WORDS, len(words) - i - 1) if (boundary_ok or caps_ok) else 0, 0, -1):
        phrase_words = [w.text for w in words[i:i + n]]
        phrase = " ".join(phrase_words)
        if phrase.endswith((".", ",", ";")) or not _cased(phrase_words):
            continue
        if not boundary_ok and not all(_caps(w) or w in _SMALL for w in phrase_words):
            continue
        if any(w in _SENTENCE_STARTERS for w in phrase_words[1:]):
            continue  # "Professional Statements and Societal Positions The National ...": ends before "The"
        real = [w for w in phrase_words if re.search(r"[A-Za-z]", w)]
        if len(real) == 1 and (len(re.sub(r"[^A-Za-z]", "", real[0])) < 4 or re.search(r"\d", real[0])):
            continue  # "CPT 0009U", "FDA Food and ...", "ICD-10": a code system or an acronym
        nxt = words[i + n].text
        if not (_CONTENT_START.match(nxt) or phrase.endswith(":")) or _ABBREVIATION.match(nxt):
            continue  # "National Coverage Determination (NCD) for ...": a name and its abbreviation, not a heading
        rule = match_heading(phrase.rstrip(":"), exact=True)
        if rule is None or (context == "references" and rule.kind not in _AFTER_REFERENCES):
            continue
        caps = all(_caps(w) or w in _SMALL for w in real)
        if len(real) == 1 and not caps and rule.kind in _WEAK_ALONE:
            continue  # "Other Cancers ...", "Links Link to ...": a word of the sentence
        if not boundary and len(real) == 1 and not caps and rule.kind not in _STRONG_ALONE:
            continue  # "... of Coverage ..."
        return n, rule.kind
    n = j - i
    # capitals after a word in lower or title case: the page changed from text to a heading
    if n and context != "references" and j < len(words) and (boundary or re.search(r"[a-z]", prev)):
        letters = sum(len(re.sub(r"[^A-Za-z]", "", w.text)) for w in words[i:j])
        nxt = words[j].text
        if (n >= 2 and letters >= 10 and all(len(w.text) >= 2 for w in words[i:j])
                and nxt[:1].isupper() and re.search(r"[a-z]", nxt) and not words[j - 1].text.endswith((".", ","))):
            return n, ""
    return None


def _plain_blocks(text: str, *, junk_end: int | None = None, footer_from: int | None = None) -> list[Block]:
    """Blocks of a flattened plain text. A block that starts before `junk_end` (the last tag or
    template residue of the site's header) is marked with gap -1, one from `footer_from` on with
    gap -2: site chrome, removed by the caller."""
    words = [_Word(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    units: list[tuple[BlockKind, int, int]] = []  # kind, first word, end word
    cur = 0
    context = ""
    field_until = -1  # a further short label before this word continues a header's fields
    i = 0
    while i < len(words):
        boundary = i == cur or _ends_clause(words[i - 1].text)
        if words[i].text[:1].isupper():
            label = _label_at(words, i, i <= field_until, boundary)
            if label:
                n, kind = label
                if i > cur:
                    units.append((BlockKind.PARAGRAPH, cur, i))
                end = i + n
                if kind == "date":
                    end = _date_end(text, words, i + n)
                    if end > i + n:
                        units.append((BlockKind.PARAGRAPH, i, end))
                        cur = end
                        field_until = end + FIELD_RUN_WORDS
                        i = end
                        continue
                cur = i
                field_until = end + FIELD_RUN_WORDS
                i = end
                continue
            head = _heading_at(words, i, context, boundary)
            if head:
                n, kind = head
                if i > cur:
                    units.append((BlockKind.PARAGRAPH, cur, i))
                units.append((BlockKind.HEADING, i, i + n))
                if kind:
                    context = kind
                cur = i = i + n
                continue
        i += 1
    if cur < len(words):
        units.append((BlockKind.PARAGRAPH, cur, len(words)))
    for at in (junk_end, footer_from):  # the site's header ends, its footer starts, at residue
        if at is None:
            continue
        cut = next((k for k, w in enumerate(words) if w.start >= at), len(words))
        units = [part for kind, a, b in units
                 for part in (((kind, a, cut), (kind, cut, b)) if a < cut < b else ((kind, a, b),))]
    blocks = []
    for kind, a, b in units:
        piece = text[words[a].start:words[b - 1].end]
        level = 1 if kind is BlockKind.HEADING and _caps(words[a].text) else 2
        gap = -1 if junk_end is not None and words[a].start < junk_end else 1
        if footer_from is not None and words[a].start >= footer_from:
            gap = -2
        blocks.append(Block(kind, piece.rstrip(":") if kind is BlockKind.HEADING else piece,
                            level=level if kind is BlockKind.HEADING else 0, gap=gap))
    return blocks


def _date_end(text: str, words: list[_Word], i: int) -> int:
    """The word index after a date that starts at word i (i itself when none does)."""
    if i >= len(words):
        return i
    start = words[i].start
    m = find_date(text[start:start + 40])
    if not m or m.start > 1:
        return i
    end = start + m.end
    j = i
    while j < len(words) and words[j].start < end:
        j += 1
    return j


def _collapse_repeats(text: str, removed: list[str]) -> str:
    """The text without a run of words printed back to back several times (a widget repeated by
    the page: "Manual Click here to see this page in full context" x 15). A run that holds the
    end of a sentence is text, never a widget."""
    r = furniture_rules()
    words = [_Word(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    low = [w.text.lower() for w in words]
    spans: list[tuple[int, int]] = []
    i = 0
    n_words = len(words)
    while i < n_words:
        hit = None
        for size in range(r.repeated_chrome_min_words, 16):
            if i + size * r.repeated_chrome_min_times > n_words:
                break
            unit = low[i:i + size]
            if any(w[-1:] in ".!?" for w in unit):
                continue  # sentences printed again and again are text (table cells), not a widget
            times = 1
            while low[i + times * size:i + (times + 1) * size] == unit:
                times += 1
            if times >= r.repeated_chrome_min_times:
                hit = (size, times)
                break
        if hit:
            size, times = hit
            spans.append((words[i].start, words[i + size * times - 1].end))
            removed.append(" ".join(w.text for w in words[i:i + size]))
            i += size * times
        else:
            i += 1
    if not spans:
        return text
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return " ".join(part.strip() for part in out if part.strip())


# -- the site around the document ------------------------------------------------------------------

FIRST_SECTION_CHARS = 300  # a menu entry that looks like a heading has no such text under it


def _first_heading(blocks: list[Block]) -> int:
    """The first section heading with text under it (a site menu's "Contact Us" or "Codes" has
    a few links under it, not a paragraph)."""
    for k, b in enumerate(blocks):
        if b.kind is BlockKind.HEADING and match_heading(b.text):
            body = 0
            for nxt in blocks[k + 1:]:
                if nxt.kind is BlockKind.HEADING and match_heading(nxt.text):
                    break
                body += len(nxt.text)
            if body >= FIRST_SECTION_CHARS:
                return k
    return len(blocks)


def _without_head_chrome(blocks: list[Block], chrome_until: int, removed: list[str]) -> list[Block]:
    """Drop the site's menus before the document: the blocks before the last tag residue that
    precedes the first section heading; then, when the page's title (its first words) is printed
    again before that heading, everything before the reprint."""
    first = _first_heading(blocks[chrome_until:]) + chrome_until
    cut = max(chrome_until, _title_reprint(blocks, chrome_until, first))
    for b in blocks[:cut]:
        removed.append(b.text)
    kept = [b for b in blocks[cut:] if not is_chrome_line(b.text)]
    removed += [b.text for b in blocks[cut:] if is_chrome_line(b.text)]
    return [Block(b.kind, strip_chrome_phrases(b.text) if b.kind is not BlockKind.ROW else b.text,
                  b.cells, b.page, b.level, b.gap) for b in kept]


def _title_apart(blocks: list[Block]) -> list[Block]:
    """The page's title apart from the text run on after it, where a series number closes it
    ("National Coverage Determination (NCD) for X (90.2) Tracking Information ...")."""
    from .title import series_title_end  # noqa: PLC0415 (title reads the heading rules: sections)

    if not blocks or blocks[0].kind is not BlockKind.PARAGRAPH:
        return blocks
    end = series_title_end(blocks[0].text)
    if end is None or end >= len(blocks[0].text):
        return blocks
    _split_at(blocks, 0, end)
    blocks[1] = Block(BlockKind.PARAGRAPH, blocks[1].text.lstrip(), page=blocks[1].page, gap=blocks[1].gap)
    return blocks


_FIELD = re.compile(r"^[A-Z][\w #/&()'.-]{1,40}:\s+\S")
HEAD_SHARE = 0.25  # the page's own header (menus, title reprint) lies within this share of the text


def _title_reprint(blocks: list[Block], lo: int, first: int) -> int:
    """The block index where the page's title, printed first (its <title>), is printed again
    over the document ("... Log in Back | Liquid Biopsy X-1"; "Medical Policy: L-1"): a reprint
    that ends its block or starts one, within the head of the page; `lo` when there is none.
    The title is the first words up to a separator (" | ") or the first six, the longest
    reprinted prefix of them."""
    if lo >= len(blocks):
        return lo
    head = blocks[lo].text
    words = re.split(r"\s+[|•]\s+", head)[0].split()[:6]
    limit = HEAD_SHARE * sum(len(b.text) for b in blocks)
    while len(words) >= 2 or (words and re.search(r"\d", words[0]) and re.search(r"[A-Za-z]", words[0])):
        needle = " ".join(words)
        seen = 0
        for k in range(lo, len(blocks)):
            text = blocks[k].text
            if seen > limit or (k > lo and _FIELD.match(blocks[k - 1].text)):
                break  # past the head of the page, or into the document's own header fields
            start = len(needle) if k == lo else 0
            pos = text.find(needle, start)
            while pos >= 0:
                if pos == 0 or ":" in text[:pos][-3:]:
                    return k
                if text[pos + len(needle):].strip(" :-–") == "":
                    return _split_at(blocks, k, pos)
                pos = text.find(needle, pos + 1)
            seen += len(text)
        words = words[:-1]
    return lo


def _split_at(blocks: list[Block], k: int, pos: int) -> int:
    """Split block k at character `pos` in place; return the index of the second part."""
    b = blocks[k]
    blocks[k:k + 1] = [Block(b.kind, b.text[:pos].rstrip(), page=b.page, level=b.level, gap=b.gap),
                       Block(b.kind, b.text[pos:], page=b.page, level=b.level, gap=b.gap)]
    return k + 1


def _without_footer(blocks: list[Block], removed: list[str]) -> list[Block]:
    """Drop the site's footer: from a footer opening (a non-discrimination notice, the site's
    legal links) or a run of footer links to the end, when no section heading follows."""
    r = furniture_rules()
    last_heading = max((k for k, b in enumerate(blocks) if b.kind is BlockKind.HEADING and match_heading(b.text)),
                       default=-1)
    for k in range(max(0, last_heading), len(blocks)):
        b = blocks[k]
        cut = None
        m = footer_start(b.text)
        if m:
            cut = m.start()
        else:
            cut = _footer_links(b.text, r.footer_min_terms)
        if cut is None:
            continue
        head = b.text[:cut].rstrip()
        removed.append(b.text[cut:])
        removed.extend(x.text for x in blocks[k + 1:])
        kept = blocks[:k]
        if head:
            kept.append(Block(b.kind, head, b.cells, b.page, b.level, b.gap))
        return kept
    return blocks


def _footer_links(text: str, need: int) -> int | None:
    """Where a run of at least `need` footer links ("About Us Newsroom Privacy Policy ...")
    begins in a flattened text, if one does."""
    words = list(re.finditer(r"\S+", text))
    hits: list[int] = []
    for i in range(len(words)):
        for n in (3, 2, 1):
            if i + n <= len(words) and is_footer_term(" ".join(w.group(0) for w in words[i:i + n])):
                hits.append(i)
                break
    for k in range(len(hits) - need + 1):
        if hits[k + need - 1] - hits[k] <= 4 * need:
            return words[hits[k]].start()
    return None
