"""The policy's title (vocabulary in rules/metadata.json).

In order: a labelled title ("Subject: X", "Medical Policy Title" over its value, a document-type
prefix used as a label: "Clinical Policy: X", "Appropriate Use Criteria: X"); else the line of the
head that the page marks as its title (an HTML <h1> that is not chrome, whatever comes before it:
a site's header, a sidebar); else the first line of the document's head that is not page chrome
(one printed again first); else the title that a running header or footer prints (a title may be
printed only there); else the subject a running header prints before the number that ends it.

Page chrome is never a title: a document-type line ("Medical Policy", "Lab Management
Guidelines V1.0.2026"), a status banner ("Retired Policy"), the plan's name or a line that
speaks of it, a line of products ("Commercial and Individual Exchange"), a street address,
phone, web address or copyright line, a navigation bar or breadcrumb, a running header made of
the policy number and a page number, a labelled field, a date, a section heading, a sentence.

A title printed over several lines is joined while each next line could continue it (it is
not chrome and does not end a sentence), and kept as long as the wrap is evident (the line
before ends with a connecting word or a hyphen, a bracket is open, the next line starts in lower
case or with a bracket, or the line before ran to a wrapping width), or as long as the joined
title is printed again elsewhere (the table of contents, a running header, the body): a title is
repeated, a stray heading is not. Of several head candidates the first one printed again wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..textsafe import safe_text
from .dates import find_date
from .document import Document, Line
from .fields import Field, labels_in
from .furniture import is_chrome_line, is_menu_line, is_menu_term
from .normalize import PAGE_MARKER
from .payer import names_in, site_suffix
from .sections import SectionSpan, match_heading
from .vocab import metadata_rules

TITLE_LINES = 25  # the head: where a title is printed, at most
MAX_TITLE_LINES = 5  # a title wrapped over more lines is prose
WRAP_WIDTH = 40  # a line this long that stops mid-title was wrapped by the layout
MAX_WRAP_WORDS = 12  # the rest of a wrapped title is short
MAX_TITLE_CHARS = 300
# sections whose heading ends the head: the body has begun
_BODY_KINDS = {"toc", "policy", "description", "coding", "history", "references", "evidence", "guidelines", "related",
               "boilerplate", "background", "archive"}
_CONNECTORS = {"a", "an", "and", "or", "of", "for", "the", "in", "on", "to", "with", "without", "by", "at",
               "from", "using", "via", "vs", "versus", "including", "&", "-", "–", "—", "/", "and/or"}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, frozenset[str], frozenset[str], re.Pattern, re.Pattern, re.Pattern]:
    rules = metadata_rules()

    def alt(words) -> str:
        # "*" stands for one or two words: "* management guidelines" is any benefit manager's program
        return "|".join(r"\s+".join(r"[\w&/-]+(?:\s+[\w&/-]+)?" if w == "*" else re.escape(w) for w in t.split())
                        for t in sorted(words, key=len, reverse=True))

    type_line = re.compile(rf"^(?:{alt(rules.type_names)})$", re.I)
    type_prefix = re.compile(rf"^(?:{alt(rules.type_names)})\s*(?:[:|–—]|\s-)\s*", re.I)
    bar_title = re.compile(rf"(?:^|\s)(?:{alt(rules.type_names)})\s*\|\s*(?P<title>[^|]{{3,{MAX_TITLE_CHARS}}}?)\s*$", re.I)
    ui = re.compile(rf"^(?:{alt(rules.chrome_starts)})\b", re.I)
    type_anywhere = re.compile(rf"^.*\b(?:{alt(rules.type_names)})\b", re.I)
    return (type_line, type_prefix, frozenset(t.lower() for t in rules.not_titles),
            frozenset(t.lower() for t in rules.lines_of_business), bar_title, ui, type_anywhere)


_VERSION = re.compile(r"\s*(?:\b[vV]|(?<=[a-z])V)(?:ersion\s*)?\d+(?:\.\d+)+\b")
_PAGE_TAIL = re.compile(r"\s*(?:\||\bpage\b:?)\s*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b.*$", re.I)
_BAR_NUMBER = re.compile(r"\s*\|\s*\d{1,4}\s*$")
# a policy number printed after the title: letters, a space or a spaced dash, digits
_TRAILING_ID = re.compile(r"(?:\s+[-–—])?\s+(?P<id>[A-Z]{2,6}(?:\s?[-–]\s?[A-Z]{0,2}|\s)\d{2,}[A-Z0-9.\-]*)$")
_ADDRESS = re.compile(
    r"\b\d{1,6}(?:\s+[A-Z0-9][\w.']*){0,4}\s+(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|"
    r"Parkway|Pkwy|Place|Pl|Suite|Ste|Court|Ct|Plaza|Square|Circle|Highway|Hwy)\b\.?|"
    r",\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\bP\.?\s?O\.?\s+Box\b|^\s*(?:Street|Avenue|Road|Suite)\b", re.I)
_CONTACT = re.compile(r"\(\d{3}\)|\b\d{3}[.\-\s]\d{3}[.\-\s]\d{4}\b|https?://|\bwww\.|@\w|^[\w.-]+\.(?:com|org|net|gov|edu)\b",
                      re.I)
_PROSE = re.compile(r"[\w)\]]{2}[.;] [A-Z][a-z]|[a-z]{3}[.!?]$")
_ORG_WORDS = re.compile(r"\b(?:licensee|association|inc\b|corporation|company|independent member|®|™)", re.I)
# the end of an organisation's name ("... Shield Association" left over from a wrapped line)
_ORG_NAME_END = re.compile(r"\b(?:association|inc|corporation|company|llc|l\.l\.c)\.?$", re.I)
# a line that speaks of an organisation whatever its name: "An independent member of the ..."
_ORG_STATEMENT = re.compile(r"\bindependent (?:licensee|member)s?\b|\blicensees? of the\b|\bmember of the\b.*\bassociation\b"
                            r"|\bregistered (?:trademark|service mark)s?\b", re.I)
# "Home > Policies > X", "Home 9 Current 9 X" (an icon font's arrow), "A | B | C"
_NAV_SEP = re.compile(r"\s(?:[>»›|/•·]|\d)\s")


@dataclass(frozen=True)
class _Ctx:
    doc: Document
    payer: str | None
    policy_id: str | None
    flat: str  # the document's text, lower case, whitespace collapsed
    furniture: tuple[str, ...]

    lines: frozenset[str]  # the document's lines, lower case, whitespace collapsed

    def printed_again(self, title: str) -> bool:
        """The title is printed again: as a line of its own, in a running header or footer, or
        (four words or more: not a common phrase) anywhere in the text."""
        t = " ".join(title.lower().split())
        if any(t in " ".join(f.lower().split()) for f in self.furniture):
            return True
        return (len(t.split()) >= 4 and self.flat.count(t) >= 2) or (t in self.lines and self.flat.count(t) >= 2)


def extract_title(doc: Document, sections: list[SectionSpan], head_fields: list[Field], payer: str | None = None,
                  policy_id: str | None = None) -> tuple[str | None, str | None]:
    """(title, the policy number printed in front of it, if any: "FEP 2.04.141 Title")."""
    ctx = _Ctx(doc, payer, policy_id, " ".join(doc.text.lower().split()), tuple(doc.source.furniture),
               frozenset(" ".join(ln.text.lower().split()) for ln in doc.lines))
    toc = {id(ln) for s in sections if s.kind == "toc" for ln in s.lines}
    for f in head_fields:
        if not {"title", "type"} & set(f.keys) or id(f.line) in toc:
            continue
        if "title" not in f.keys and not f.colon:
            continue  # "Clinical Policy: X" titles X; "Coverage Policy <TAB> 2" is a contents row
        at_end = f.own_line or f.line.text.rstrip().endswith(f.value)
        found = _choose(ctx, f.index, f.value, at_end)
        if found[0]:
            return found
    head = _head(doc, sections)
    candidates: list[tuple[str, str | None, bool, bool]] = []
    skip_to = -1
    for i in head:
        text = doc.lines[i].text
        if candidates and len(text) > 80 and _PROSE.search(text):
            break  # the body's prose has begun: later lines are not the title
        text = _page_title(ctx, text)
        if i <= skip_to or _chrome(ctx, text):
            continue
        title, pid, last = _choose_span(ctx, i, text, True)
        skip_to = last
        if title:
            if doc.lines[i].is_heading and doc.lines[i].level == 1:
                return title, pid  # the page marks its own title: an HTML <h1>
            # how many signs confirm it: its own number, printed again (a "Title" field, a
            # running header), set right above or below the document-type line
            signs = (pid is not None) + ctx.printed_again(title) + _anchored(ctx, i, last)
            candidates.append((title, pid, signs, doc.lines[i].is_heading))
    # of the confirmed ones, a line the loader marks as a heading (a page's <h2> under its
    # document type) before a plain one (a site's logo text above that type line), then the one
    # most signs confirm (a site's name over the type line is anchored, never printed again)
    confirmed = max((c for c in candidates if c[2] and c[3]), key=lambda c: c[2], default=None) or max(
        (c for c in candidates if c[2]), key=lambda c: c[2], default=None)
    if confirmed:
        return confirmed[0], confirmed[1]
    for title, pid in _running_titles(ctx):
        return title, pid
    if candidates:
        return candidates[0][0], candidates[0][1]
    return _header_subject(ctx, head), None


def _header_subject(ctx: _Ctx, head: list[int]) -> str | None:
    """With no title line, the subject a running header prints before the number that ends it:
    "Acme Medical Policy Manual Knee Braces, Policy No. 61" -> "Knee Braces" (the manual's name,
    up to its last document-type word, is not the subject)."""
    type_anywhere = _patterns()[6]  # greedy: the last document-type phrase of a line
    for i in head:
        s = " ".join(ctx.doc.lines[i].text.split())
        hits = labels_in(s)
        if not hits or "policy_id" not in hits[-1].keys or not s[:hits[-1].start].endswith(", "):
            continue
        subject = s[:hits[-1].start].rstrip(", ")
        last = type_anywhere.match(subject)  # up to the last document-type phrase
        subject = _no_payer(subject[last.end():] if last else subject)
        if subject and _titleish(ctx, subject):
            return subject
    return None


def _running_titles(ctx: _Ctx):
    """Titles printed by a running header or footer: the lines the cleaning removed as such, and
    "Medical Coverage Policy | Title" run into a paragraph by a text layer."""
    for text in _joined_furniture(ctx):
        if not _chrome(ctx, text) and not re.match(r"\d+\s", text):  # "2 Coding Information": a contents line
            title, pid = _clean(ctx, text)
            if title:
                yield title, pid
    bar_title = _patterns()[4]
    lines = ctx.doc.lines
    for i, ln in enumerate(lines):
        if "|" in ln.text:
            m = bar_title.search(ln.text)
            if m and not _chrome(ctx, m.group("title")):
                title, pid = _clean(ctx, _bar_title_wrapped(ctx, m.group("title"), lines[i + 1:i + 2], ln.page))
                if title:
                    yield title, pid


def _bar_title_wrapped(ctx: _Ctx, title: str, after: list[Line], page: int | None) -> str:
    """The bar title with the rest of it the footer wrapped onto the next line of the same page
    ("... for Home Use" / "(Adults)"): a text layer keeps each footer line apart, so the title's
    last line follows the paragraph the first one ran into."""
    nxt = after[0].text.strip() if after and after[0].page == page else ""
    # the wrap must show in the words ("and", "(" ...): a long title before any short line is no evidence
    if (nxt and len(nxt.split()) <= MAX_WRAP_WORDS and not title.endswith((".", ":", ";"))
            and not nxt.endswith((".", ":", ";")) and not _chrome(ctx, nxt) and _wraps(title, "", nxt)):
        return title + " " + nxt
    return title


def _joined_furniture(ctx: _Ctx) -> list[str]:
    """The running lines, a title the header wrapped over two lines joined again (they were
    removed in order, so its lines follow each other)."""
    out: list[str] = []
    for text in ctx.doc.source.furniture:
        t = " ".join(text.split())
        if out and not _chrome(ctx, out[-1]) and not _chrome(ctx, t) and _wraps(out[-1], out[-1], t) \
                and not out[-1].endswith((".", ":", ";")) and len(t.split()) <= MAX_WRAP_WORDS:
            out[-1] = out[-1] + " " + t
        else:
            out.append(t)
    return out


def _page_title(ctx: _Ctx, text: str) -> str:
    """A web page's title line without the site's chrome after it: "Title | Section | Site",
    "Title - Site" (the rest may run on with the site's menus)."""
    if " | " not in text and " - " not in text and " – " not in text:
        return text
    site = site_suffix(text) if len(text) <= MAX_TITLE_CHARS + 40 else None
    if site:
        text = site[0]  # "Title | Blue Cross Blue Shield of X", "Title - Zenith Health Plan": the site's name
    if " | " not in text:
        return text
    parts = [p.strip() for p in text.split(" | ")]
    if all(_chrome(ctx, p) or len(p.split()) <= 2 or _starts_with_org(p) for p in parts[1:]):
        return parts[0]
    return text


def _starts_with_org(text: str) -> bool:
    found = names_in(text)
    return bool(found) and found[0][0].start() == 0


def _anchored(ctx: _Ctx, first: int, last: int) -> bool:
    """The lines just above or below the candidate are the policy number or the document type
    printed alone: the letterhead's title slot."""
    type_line = _patterns()[0]
    from .metadata import bare_id

    lines = ctx.doc.lines
    for j in (first - 1, last + 1):
        if 0 <= j < len(lines):
            t = _VERSION.sub("", lines[j].text).strip(" :|")
            if bare_id(t) or type_line.match(t) or type_line.match(_no_payer(t)):
                return True
    return False


def _head(doc: Document, sections: list[SectionSpan]) -> list[int]:
    """Indexes of the head's lines: the first lines, up to the first heading of the body."""
    heads = {id(s.heading_line) for s in sections if s.heading_line is not None and s.kind in _BODY_KINDS}
    type_line = _patterns()[0]
    out = []
    for i, ln in enumerate(doc.lines[:TITLE_LINES]):
        if id(ln) in heads:
            rule = match_heading(ln.text)
            if rule is not None and rule.kind in _BODY_KINDS and not type_line.match(ln.text.strip(" :")):
                break  # "Description", "Disclaimer"; not "REIMBURSEMENT POLICY", a letterhead's type line
        out.append(i)
    return out


def _choose(ctx: _Ctx, i: int, text: str, wraps: bool) -> tuple[str | None, str | None]:
    title, pid, _last = _choose_span(ctx, i, text, wraps)
    return title, pid


def _choose_span(ctx: _Ctx, i: int, text: str, wraps: bool) -> tuple[str | None, str | None, int]:
    """The title starting with `text` (line `i`), joined with the lines it wraps onto; and the
    index of the last line used."""
    joins = [(text, i, True)]
    if wraps:
        lines = ctx.doc.lines
        strict = True
        j = i + 1
        while j < len(lines) and j - i < MAX_TITLE_LINES and j < TITLE_LINES + MAX_TITLE_LINES:
            prev, nxt = joins[-1][0], lines[j].text.strip()
            if not _may_continue(ctx, prev, lines[j - 1].text, lines[j]) or (lines[j].level == 1) != (lines[j - 1].level == 1):
                break  # an <h1> is a title of its own: it neither goes on nor is gone on
            strict = strict and _wraps(prev, lines[j - 1].text, nxt)
            joins.append((prev + " " + nxt, j, strict))
            j += 1
    longest = " ".join(joins[-1][0].split())
    if len(joins) > 1 and (_names_org(ctx, longest) or _PROSE.search(longest)):
        # the lines read together as a sentence about the organisation ("Reproduction without
        # authorization from / Blue Shield of California is prohibited"): chrome, however split
        return None, None, joins[-1][1]
    for joined, last, _strict in reversed(joins):
        title, pid = _clean(ctx, joined)
        if title and ctx.printed_again(title):
            return title, pid, last
    # not printed again: as far as the wrap is evident; a span whose text reads as chrome
    # ("Reproduction without authorization from / X is prohibited") is no title at all
    joined, last, _strict = [j for j in joins if j[2]][-1]
    title, pid = _clean(ctx, joined)
    return title, pid, joins[-1][1]


def _may_continue(ctx: _Ctx, prev: str, prev_line: str, nxt: Line) -> bool:
    s = nxt.text.strip()
    if not s or nxt.is_row or prev.rstrip().endswith((".", ";", ":", "!", "?")) or len(s) > 150:
        return False
    if prev.endswith(")") and _series_number(prev)[1]:
        return False  # the series number printed after a title ends it: "X (NCD 90.2)"
    return not s.endswith(".") and not _chrome(ctx, s) and not re.match(r"^[-•▪●◦·*]\s", s)


def _wraps(prev: str, prev_line: str, nxt: str) -> bool:
    """The layout evidently wrapped the title between `prev` and `nxt`."""
    last = prev.split()[-1].lower() if prev.split() else ""
    first = nxt.split()[0].lower()
    return (last in _CONNECTORS or prev.endswith(("-", ",")) or prev.count("(") > prev.count(")")
            or nxt[:1].islower() or nxt.startswith("(") or first in _CONNECTORS or len(prev_line.strip()) >= WRAP_WIDTH)


def _chrome(ctx: _Ctx, text: str) -> bool:
    """Page chrome: a line that is never a title (see the module doc). Judged on the text a
    reader sees: terminal escape sequences and controls (an OSC 8 link's address) are not it."""
    s = safe_text(text).strip()
    low = s.lower().strip(" .:|*-–—")
    if not re.search(r"[A-Za-z]{3,}", s) or len(s) > MAX_TITLE_CHARS + 40 or "\t" in s:
        return True
    type_line, _prefix, not_titles, business, _bar, ui, _anywhere = _patterns()
    core = _PAGE_TAIL.sub("", _VERSION.sub("", s)).strip(" .:|*-–—")
    if low in not_titles or core.lower() in not_titles or type_line.match(core) or type_line.match(_no_payer(core)):
        return True
    if ui.match(s) or is_chrome_line(s) or is_menu_term(s) or is_menu_line(s):
        return True  # an instruction, a button or the menu of the page ("CLICK THE ENVELOPE ICON BELOW ...")
    words = re.findall(r"[a-z][a-z\-]*", low)
    if words and all(w in business or w in ("and", "or", "&") for w in words):
        return True
    hits = labels_in(s)
    if hits and (hits[0].start == 0 or (hits[-1].end < len(s) and "policy_id" in hits[-1].keys
                                         and s[:hits[-1].start].endswith(", "))):
        return True  # a labelled field; a running header that ends with the number ("Manual X, Policy No. 61")
    d = find_date(s)
    if d is not None and d.start == 0:
        return True
    if _ADDRESS.search(s) or _CONTACT.search(s) or PAGE_MARKER.match(s):
        return True
    if "copyright" in low or s.startswith(("©", "(c)")) or "all rights reserved" in low or low.startswith("proprietary"):
        return True
    if _PROSE.search(s):
        return True
    if _nav(s) or match_heading(s) or re.match(r"^[-•▪●◦·*]\s", s):
        return True
    if _running_id(ctx, s) or _ORG_STATEMENT.search(s) or (len(s.split()) <= 4 and _ORG_NAME_END.search(s)):
        return True
    return _names_org(ctx, s)


def is_type_line(text: str) -> bool:
    """A line that names a kind of document ("Corporate Medical Policy", "Lab Management
    Guidelines V1.0"), the letterhead's, never a title or an entry of a list."""
    core = _PAGE_TAIL.sub("", _VERSION.sub("", text.strip())).strip(" .:|*-–—")
    return bool(_patterns()[0].match(core) or _patterns()[0].match(_no_payer(core)))


def _no_payer(text: str) -> str:
    """`text` without the organisation names it holds ("Highmark Medical Policy" -> "Medical Policy")."""
    for m, _p in sorted(names_in(text), key=lambda mp: -mp[0].start()):
        text = text[: m.start()] + text[m.end():]
    return " ".join(text.split()).strip(" .:|-–—®™")


def _names_org(ctx: _Ctx, s: str) -> bool:
    """The organisation's name, or a line that speaks of an organisation ("An independent member of
    the Blue Shield Association", "Reproduction without authorization from X is prohibited")."""
    found = names_in(s)
    if ctx.payer and (ctx.payer.lower() in s.lower() or s.lower() in ctx.payer.lower()):
        return True  # the name, or a piece of a logo printed over lines ("MASSACHUSETTS")
    if not found:
        return False
    rest = _no_payer(s)
    return not re.search(r"[A-Za-z]{3,}", rest) or bool(_ORG_WORDS.search(s)) or len(s.split()) <= 4 or \
        bool(re.search(r"\b(?:is|are|from|by|of the)\b", s))


def _running_id(ctx: _Ctx, s: str) -> bool:
    """A running header of the policy number (and a page number): "CG-GENE-13", "2.02.56 | 5"."""
    from .metadata import bare_id  # metadata imports this module

    core = _BAR_NUMBER.sub("", _PAGE_TAIL.sub("", s)).strip()
    return bool(core) and (bare_id(core) is not None or (ctx.policy_id is not None and core == ctx.policy_id))


def _nav(s: str) -> bool:
    """A navigation bar or breadcrumb: section names run together or parted by separators."""
    if len(_NAV_SEP.findall(f" {s} ")) >= 2 and re.match(r"(?i)home\b", s):
        return True
    parts = [p for p in re.split(r"\s*[|>»›•·]\s*|(?<=[a-z])(?=[A-Z][a-z])", s) if p.strip()]
    if len(parts) >= 3 and sum(1 for p in parts if match_heading(p) or p.strip().lower() in _patterns()[2]) >= 2:
        return True
    return False


def _clean(ctx: _Ctx, text: str) -> tuple[str | None, str | None]:
    """The title in a candidate text, without the page furniture, labels, version, document-type
    prefix or policy number printed around it; and that policy number."""
    from .metadata import bare_id

    s = " ".join(text.split())
    hits = [h for h in labels_in(s) if h.start > 0]
    if hits:
        s = s[: hits[0].start]
    s = _BAR_NUMBER.sub("", _PAGE_TAIL.sub("", s))
    s = _VERSION.sub("", s).strip(" :|-–—")
    type_prefix = _patterns()[1]
    pid = None
    rest, number = _series_number(s)
    if number and (ctx.policy_id is None or ctx.policy_id.upper() == number):
        s, pid = rest, number  # "X (NCD 90.2)" is an NCD's title; a plan's guideline with its own number cites it
    for _ in range(3):
        before = s
        s = type_prefix.sub("", s)
        m = re.match(r"^(?:([A-Z]{2,6})\s+)?(\S+)\s+(?=\S)", s)
        if m and bare_id(m.group(2)):  # "8.01.01 Title", "FEP 2.04.141 Title"
            pid, s = bare_id(m.group(2)), s[m.end():]
        s = s.strip(" :|-–—")
        if s == before:
            break
    s = _page_title(ctx, s)
    m = _TRAILING_ID.search(s)
    if m and pid is None:
        # "Liquid Biopsy AHS - G2054", "Liquid Biopsy - CAM 273": the number after the title
        pid = re.sub(r"\s*[-–]\s*", "-", m.group("id"))
        s = s[: m.start()].strip(" -–—|")
    words = s.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        s = " ".join(words[:half])  # a page title and the heading run together: "X Y X Y"
    if not _titleish(ctx, s):
        return None, None
    return s, pid


@lru_cache(maxsize=1)
def _series_patterns() -> tuple[tuple[re.Pattern, str, bool], ...]:
    """For each numbered series (rules/metadata.json): its number printed before the title ("NCD
    90.2: X", "National Coverage Determination (NCD 90.2): X"), after the series' name and the
    title ("National Coverage Determination (NCD) for X (90.2)"), or after the title alone ("X
    (NCD 90.2)", "X (L35041)"); with the series' prefix, and whether the number's bracket closes
    the title (text may follow it in a line of flattened web text)."""
    out = []
    for series in metadata_rules().numbered_series:
        names = "|".join(r"\s*".join(re.escape(w) for w in n.split()) for n in sorted(series.names, key=len, reverse=True))
        pre = rf"{re.escape(series.prefix)}\s?" if series.prefix else ""
        num = rf"(?P<num>{series.number})"
        sep = r"\s*(?:[:|–—]|\s-|\s+for\s+)\s*"
        out.append((re.compile(rf"(?:(?:{names})\s*)?\(?{pre}{num}\)?{sep}(?P<title>\S.*)" if pre else
                               rf"(?:{names})\s*\(?{num}\)?{sep}(?P<title>\S.*)", re.I), series.prefix, False))
        out.append((re.compile(rf"(?:{names}){sep}(?P<title>\S.*?)\s*\(\s*(?:{pre})?{num}\s*\)", re.I),
                    series.prefix, True))
        out.append((re.compile(rf"(?P<title>\S.*?)\s*\(\s*{pre}{num}\s*\)", re.I), series.prefix, True))
    return tuple(out)


def _series_number(s: str) -> tuple[str, str | None]:
    """The title without the number of a public series printed around it, and that number as an
    id ("NCD 90.2", "L35041")."""
    if "(" not in s and ":" not in s and "-" not in s and "–" not in s:
        return s, None  # every form parts the number from the title by a bracket, colon or dash
    for pattern, prefix, _closes in _series_patterns():
        m = pattern.fullmatch(s)
        if m:
            return m.group("title").strip(" :|-–—"), f"{prefix} {m.group('num')}".strip().upper()
    return s, None


def series_title_end(text: str) -> int | None:
    """Where a title that starts `text` and is closed by its series number ends ("National
    Coverage Determination (NCD) for X (90.2) Tracking Information ..." -> after "(90.2)")."""
    if "(" not in text[:MAX_TITLE_CHARS]:
        return None
    for pattern, _prefix, closes in _series_patterns():
        m = pattern.match(text, 0, MAX_TITLE_CHARS) if closes else None
        if m and (m.end() == len(text) or text[m.end()].isspace()):
            return m.end()
    return None


def series_number_alone(texts: list[str]) -> str | None:
    """The id of a series' document whose head prints the series' name on a line of its own
    and the number alone on another ("National Coverage Determination (NCD)" ... "160.99")."""
    for series in metadata_rules().numbered_series:
        names = {" ".join(n.split()) for n in series.names}
        if not any(" ".join(t.lower().split()).strip(" :") in names for t in texts):
            continue
        pre = rf"(?:{re.escape(series.prefix)}\s?)?" if series.prefix else ""
        number = re.compile(rf"\(?{pre}(?P<num>{series.number})\)?", re.I)
        for t in texts:
            m = number.fullmatch(t.strip())
            if m:
                return f"{series.prefix} {m.group('num')}".strip().upper()
    return None


def series_record_id(policy_id: str | None) -> str | None:
    """The id as the record keeps it: a series number without the prefix it was printed with,
    unless the series keeps it ("NCD 90.2" -> "90.2")."""
    if not policy_id:
        return policy_id
    for series in metadata_rules().numbered_series:
        if series.prefix and not series.id_keeps_prefix:
            m = re.fullmatch(rf"{re.escape(series.prefix)}\s?(?P<num>{series.number})", policy_id, re.I)
            if m:
                return m.group("num")
    return policy_id


def series_payer(policy_id: str | None) -> str | None:
    """The organisation that issues every document of the series `policy_id` belongs to."""
    if not policy_id:
        return None
    for series in metadata_rules().numbered_series:
        pre = rf"{re.escape(series.prefix)}\s?" if series.prefix else ""
        if re.fullmatch(rf"{pre}(?:{series.number})", policy_id, re.I):
            return series.payer
    return None


def _titleish(ctx: _Ctx, s: str) -> bool:
    if not (3 <= len(s) <= MAX_TITLE_CHARS) or s.endswith((".", ",", ";")):
        return False
    if " " not in s and re.search(r"\d", s):
        return False  # an id or a form number ("CMS-1500")
    return not _chrome(ctx, s)
