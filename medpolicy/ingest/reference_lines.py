"""How the entries of a reference list show in lines of text: entry markers, how a citation
starts and ends, the lines in a list that are not entries, and where entries run together.

Shared by references.py's walks; every function reads one line (or the text before it)."""
from __future__ import annotations

import re
from functools import lru_cache

from .dates import find_dates
from .document import Line
from .lexicon import bullet_run, is_empty_value, lone_bullet
from .vocab import reference_rules

# "12. ", "12) ", "[12] ", "(12) ", and "12.Smith" (no space, as PDF text often has it)
_MARKER = re.compile(r"^\s*(?:\[(?P<b>\d{1,3})\]|\((?P<p>\d{1,3})\)|(?P<n>\d{1,3})[.)])"
                     r"(?:\s+(?P<rest>\S.*)|(?P<glued>[A-Z\u00c0-\u00de][^\s.].*)|\s*$)")
BULLET = bullet_run()
# A bullet with nothing after it (a list marker the text layer put on a line of its own).
LONE_MARK = lone_bullet()
# A surname (hyphenated, with apostrophes) and its initials: "Haslam A", "Collins RH", "Lê QH".
_NAME = r"[A-Z\u00c0-\u00de][\w'\u2019\-]+(?:\s+[A-Z\u00c0-\u00de][\w'\u2019\-]+){0,2}"
_INITIALS = r"[A-Z]{1,4}"
# An entry that ends like this is finished; otherwise the next line may carry on its sentence.
FINISHED = re.compile(r"(?:[.?!)\]}>\"'\u201d]|\d|PMID:?\s*\d+|(?:https?://|www\.)\S+)\s*$", re.I)
# Marks a citation's paragraph cannot end on: the entry goes on in the next line. (Words such
# as "and" are no proof: publishers print entries cut short, and loaders give whole paragraphs.)
OPEN_END = re.compile(r"[-,;:/&(]$")
# The tail of a citation printed on a line of its own: "Int J Cancer. 2010;127(4):...",
# "Blood. 2016 May 19;127(20):2391-405." (a journal's short name, then its year and volume).
_JOURNAL_TAIL = re.compile(r"^[A-Z][A-Za-z]*\.?(?: [A-Za-z][A-Za-z]*\.?){0,6}\.? (?:19|20)\d\d(?: [A-Z][a-z]{2}(?: \d{1,2})?)?[;:(]")
_YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")  # "2024a": a second work of the same year
# A topic sub-heading inside a list is no longer than this.
SUBHEADING_MAX_WORDS = 24
_IDENT = re.compile(r"\bPMID\b|\bdoi\b|https?://|www\.", re.I)


def marker(text: str) -> tuple[int, str] | None:
    m = _MARKER.match(text)
    if not m:
        return None
    num = m.group("b") or m.group("p") or m.group("n")
    return int(num), (m.group("rest") or m.group("glued") or "").strip()


@lru_cache(maxsize=1)
def _author_start() -> re.Pattern:
    """How a citation begins: "Amini L,", "Haslam A, Hoeg TB", "Collins RH, Jr.", "van 't Land FR",
    "de Boer M,"."""
    particles = "|".join(re.escape(p) for p in reference_rules().author_particles)
    return re.compile(rf"^(?:(?:{particles})\s+(?:'t\s+)?)*{_NAME}\s+{_INITIALS}(?:[,.;]|\s+et\s+al|\s+and\s)")


def _particle() -> str:
    """One lower-case name particle before a surname, as pattern source ("de ", "van 't ")."""
    particles = "|".join(re.escape(p) for p in reference_rules().author_particles)
    return rf"(?:(?:{particles})\s+(?:'t\s+)?)"


@lru_cache(maxsize=1)
def _particle_start() -> re.Pattern:
    return re.compile(rf"^{_particle()}+[A-Z\u00c0-\u00de][\w'\u2019\-]+,?\s")


_AUTHORS_ONLY = re.compile(rf"^(?:{_NAME}\s+{_INITIALS}(?:,\s*|\s+and\s+))*{_NAME}\s+{_INITIALS}(?:,?\s+et\s+al)?\.?$")


def authors_only(text: str) -> bool:
    """'Sepulveda AR, Hamilton SR, Allegra CJ, et al.': a citation cut after its authors."""
    return bool(_AUTHORS_ONLY.match(text.strip()))


def author_start(text: str) -> bool:
    return bool(_author_start().match(text))


def starts_like_citation(text: str) -> bool:
    """An author list, a name particle ("de Boer M"), or a capitalised word that does not open
    the tail of a citation ("Accessed", "PMID", "Version")."""
    if author_start(text) or _particle_start().match(text):
        return True
    text = text.lstrip("\"'\u201c\u2018[")  # a title in quotes: "Requirements for ..."
    first = re.match(r"[A-Za-z\u00c0-\u024f'.\-]+", text)
    word = first.group().rstrip(".") if first else ""
    letters = sum(c.isalpha() for c in word)
    return bool(text[:1].isupper() and (letters >= 3 or (letters >= 2 and "." in word))
                and word.lower() not in reference_rules().tail_words and not _JOURNAL_TAIL.match(text))


def starts_lower_name(text: str) -> bool:
    """A citation that starts with a lower-case name particle ("van de Vijver MJ, ...")."""
    return bool(_particle_start().match(text))


def starts_with_tail_word(text: str) -> bool:
    """'Available at: ...', 'Accessed ...', 'PMID ...': the tail of the citation above."""
    first = re.match(r"[A-Za-z]+", text.strip())
    return bool(first) and first.group().lower() in reference_rules().tail_words


def is_tail(text: str) -> bool:
    """A line that can only carry on the citation above: a journal, year and volume, a word
    such as 'Accessed' or 'PMID', a bare number or identifier."""
    s = text.strip()
    first = re.match(r"[A-Za-z]+", s)
    return bool(_JOURNAL_TAIL.match(s) or (first and first.group().lower() in reference_rules().tail_words)
                or re.match(r"^(?:\d|https?://|www\.|doi\b)", s, re.I))


@lru_cache(maxsize=1)
def _notes() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I) for p in reference_rules().note_lines)


@lru_cache(maxsize=1)
def _after_list() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in reference_rules().after_list), re.I)


def opens_next_section(text: str) -> bool:
    """An entry that starts with the heading of what follows the list ("Websites for Additional
    Information ...", "Index ...")."""
    return bool(_after_list().match(text.strip()))


def is_note(text: str) -> bool:
    return any(p.search(text.strip()) for p in _notes())


@lru_cache(maxsize=1)
def _list_end() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in reference_rules().list_end), re.I)


_DATE_KEYS = frozenset({"effective", "original_effective", "last_revised", "last_review", "next_review", "published",
                        "issued", "approved", "review_either"})


@lru_cache(maxsize=1)
def _list_end_inside() -> re.Pattern:
    return re.compile(r"(?<=[.)\]])\s+(?=(?:" + "|".join(f"(?:{p})" for p in reference_rules().list_end) + "))", re.I)


def trailer_start(text: str) -> int | None:
    """Where a line that closes the list starts inside an entry it was run into (one-line web
    text: "... 2021;2:3-4. This policy will be revised as necessary ..."), after a sentence end."""
    m = _list_end_inside().search(text)
    return m.start() if m else None


def dated_label(line: Line) -> str | None:
    """The label of a line that is a header date field ("Devised: 09/2023", "MCO Approval: 04/2025",
    "Last updated 06/2025"), or None."""
    from .fields import read_fields  # noqa: PLC0415 (fields reads the heading rules: sections)

    if not re.search(r"\d", line.text) or len(line.text.split()) > reference_rules().trailer_max_words + 4:
        return None  # every field of the block gives a date, on a short line
    for f in read_fields([line])[:1]:
        if f.lead and _DATE_KEYS.intersection(f.keys):
            d = find_dates(f.value[:40])
            if d and d[0].start <= 2:
                return f.label
    return None


def ends_list(line: Line) -> bool:
    """A line that closes a reference list and starts what follows it: the policy's maintenance
    sentence, a signature, a dated label that no citation's tail starts with ("Devised:",
    "Revised:", "MCO Approval:"; not "Accessed", "Updated", "Published")."""
    if _list_end().match(line.text.strip()):
        return True
    label = dated_label(line)
    return label is not None and label.split()[0].lower() not in reference_rules().tail_words


def is_empty_entry(text: str) -> bool:
    return is_empty_value(text) or bool(re.match(reference_rules().empty_entry, text.strip(), re.I))


def is_subheading(text: str, following: str = "") -> bool:
    """A title inside the list ("Professional Societies", "Other Publications:", a topic such
    as "CYP2D6 Testing and Dementia"): short, title case, with no mark of a citation (no period
    or comma, no year, no identifier), and a citation after it."""
    s = text.strip()
    if s.endswith(":") and len(s.split()) <= 12 and not _YEAR.search(s):
        return True  # "Other Publications:"; not a citation's part ending "... 2024 Dec 10]. Available from:"
    words = s.split()
    if not words or len(words) > SUBHEADING_MAX_WORDS or re.search(r"[.,;:]", s) or _YEAR.search(s) or _IDENT.search(s):
        return False
    small = reference_rules().title_small_words
    titled = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or w.lower() in small or not w[:1].isalpha())
    if titled == len(words) and len(words) <= 6:
        return True
    # a longer title, or one with terms in lower case ("EZH2 Testing for tazemetostat therapy"),
    # only before a citation
    return (titled * 2 >= len(words) and bool(following)
            and (starts_like_citation(following) or marker(following) is not None))


def is_trailer(text: str) -> bool:
    """A dated line under the list ("Medical Director review 5/2019", "Panel review 3/2020"):
    short, no period, ending with its date."""
    s = text.strip().rstrip(".")
    if len(s.split()) > reference_rules().trailer_max_words or "." in s or _IDENT.search(s) or is_tail(s):
        return False
    found = find_dates(s)
    return bool(found) and found[-1].end == len(s) and found[-1].start > 0


def split_numbered(text: str, expected: int | None) -> list[str]:
    """Entries of a numbered list run together in one line ("...2008;17:533-541. 3. Awano H,
    ..."): split before the next number in sequence printed after the end of a sentence and
    followed by the start of a citation ("CO. 17. Clin Cancer Res." is a trial's name and a
    journal); and before a "1." that follows a topic title ("Mutation Analysis 1. Branford S")."""
    pieces: list[str] = []
    start = 0
    lead = marker(text)
    if lead is not None and (expected is None or expected <= lead[0] <= expected + 2):
        expected = lead[0] + 1  # "87. Ropers HH. ... 88. Rose NC, ..."
    for m in re.finditer(r"(?<=[\w.)\]>]) (\d{1,3})\. (?=[A-Z\u00c0-\u00de\"'\u201c])", text):
        num = int(m.group(1))
        before = text[start:m.start()].strip()
        in_sequence = expected is not None and num == expected and (
            SENTENCE_END_CHARS.search(before) or _ENDS_WITH_ID.search(before))
        restart = num == 1 and before and is_subheading(before)
        if not (in_sequence or restart) or not starts_like_citation(text[m.end():]):
            continue
        pieces.append(before)
        start = m.start() + 1
        expected = num + 1
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


SENTENCE_END_CHARS = re.compile(r"[.)\]\d>]$")
# A citation may end on its identifier: "doi:10.1097/TP.0b013e31827a19cc".
_ENDS_WITH_ID = re.compile(r"(?:\b10\.\d{4,9}/\S+|https?://\S+|\S+\.(?:html?|pdf|aspx?|php)|\bPMID:?\s*\d+)$", re.I)


# Where one citation of a list run together can end: a sentence or a parenthesis ("...1902-1918.
# (Level 4 evidence)"), or an identifier with no stop after it ("doi:10.1158/2159-8290.Cd-13-1014").
_ENTRY_END = re.compile(r"(?:[.)\]]|(?:https?://|www\.)\S+|\b10\.\d{4,9}/\S+)\s+$")
# How the next citation can start: an author list, Vancouver ("Liang Z, Yang H", "Hosono N, et al")
# or APA ("Mata, D.A., Lee, J.K.", "Gouton, E., et al."), or a group author with the year after it
# ("National Comprehensive Cancer Network (2024, July).", "U.S. Food and Drug Administration. (2021").
_APA_INITIALS = r"(?:[A-Z]\.\s?){1,3}"


@lru_cache(maxsize=1)
def _heads() -> tuple[re.Pattern, re.Pattern]:
    """How the next citation starts. Plainly: an author list, Vancouver ("Liang Z, Yang H",
    "Cardoso F, van 't Veer LJ", "Hosono N, et al") or APA ("Mata, D.A., Lee, J.K.", "Gouton, E.,
    et al."). Less plainly (a title can start so too): one author before a title ("Heichman KA.
    Blood-based ..."), a group author with the year after it ("National Cancer Network (2024,
    July).", "U.S. Food and Drug Administration. (2021")."""
    particles = "|".join(re.escape(p) for p in reference_rules().author_particles)
    second = rf"(?:(?:{particles})\s*(?:'t\s+|'\s*)?)*{_NAME}"
    plain = re.compile(
        rf"{_NAME}\s+{_INITIALS}(?:,\s*{second}\s+{_INITIALS}\b|,?\s+et\s+al\b)"
        rf"|{_NAME},\s+{_APA_INITIALS}(?:,\s+(?:&\s+)?{second},\s+{_APA_INITIALS}|,?\s+et\s+al\b)")
    weak = re.compile(
        rf"{_NAME}\s+{_INITIALS}\.\s+(?=[A-Z])"
        rf"|[A-Z][\w&'\u2019.:\-]*(?:\s+[A-Za-z&][\w&'\u2019.:\-]*){{0,11}}?\.?\s+\((?:19|20)\d\d\b")
    return plain, weak


# An APA author list is plain even with no stop before it ("... Cancer Network Sposito, M.,
# Belluomini, L., ...").
_APA_LIST = re.compile(rf"(?<=[a-z] )[A-Z][\w'\u2019\-]+,\s+{_APA_INITIALS},\s+(?:&\s+)?[A-Z][\w'\u2019\-]+,\s+{_APA_INITIALS}")
# Where a citation may start after the end of another (or after a sub-list's label:
# "Peer Reviewed Publications: Allard WJ, ...").
_BOUNDARY = re.compile(r"(?:[.):\]]|(?:https?://|www\.)\S+|\b10\.\d{4,9}/\S+)\s+(?=[A-Za-z\u00c0-\u00de])")
# "...208-13.Liang Z, Yang H": an author list glued to the stop before it.
_GLUED_AUTHORS = re.compile(rf"(?<=[\d)\]a-z]\.)(?={_NAME}\s+{_INITIALS}(?:,\s*{_NAME}\s+{_INITIALS}\b|,?\s+et\s+al\b))")
# The name a group author's citations start with ("BlueCross BlueShield Association.", "Hayes,
# Inc.").
_GROUP_HEAD = re.compile(r"^([A-Z][\w&'\u2019\-]*(?:,?\s+(?:[A-Z][\w&'\u2019\-]*|and|of|for|&)){1,7}?)(?=\.\s|\s\()")
# Splitting is repeated while a group author's name found in a piece reveals more pieces.
_MAX_ROUNDS = 3


@lru_cache(maxsize=1)
def _particles() -> re.Pattern:
    """Lower-case name particles before a surname, or nothing ("de Bono JS", "van 't Veer LJ")."""
    return re.compile(rf"{_particle()}*(?=[A-Z\u00c0-\u00de])")


# A group author and its date just before: "National Cancer Network (2024, July). " - what
# follows is the title.
_AUTHOR_DATE_END = re.compile(r"\((?:19|20)\d\d[^()]{0,20}\)\.?\s*$")


def _complete(piece: str) -> bool:
    """A whole citation: a title after the authors, and a year or an identifier."""
    return len(piece.split()) >= COMPLETE_MIN_WORDS and bool(_YEAR.search(piece) or _IDENT.search(piece))


# A whole citation has at least this many words; a text longer than RUN_TOGETHER_MIN_WORDS is
# not one citation but several run together.
COMPLETE_MIN_WORDS, RUN_TOGETHER_MIN_WORDS = 6, 80


def _group_head(text: str, pos: int) -> int:
    """End of an organisation's name that starts a citation at `pos` ("American Society of
    Clinical Oncology. Guideline ..."), or 0: capitalised words (and "of", "for", "&"...) up to
    a stop, one of them an organisation's word, and no journal's year and volume after it."""
    m = re.match(r"((?:[A-Z][\w&'\u2019.\-\u2122\u00ae]*|of|for|and|the|on|in|&)"
                 r"(?:\s+(?:[A-Z][\w&'\u2019.\-\u2122\u00ae]*|of|for|and|the|on|in|&|\([A-Z]{2,8}\))){0,9}?"
                 r"(?:,\s+(?:Inc|LLC|Ltd|Co|Corp)\b)?)"
                 r"(?:\.\s+(?=[A-Za-z\[\"'\u201c])|\s+\(|\s+(?=\d(?!\d{3}\b)))", text[pos:pos + 160])
    if not m:
        return 0
    words = {w.lower().strip(".,") for w in m.group(1).split()}
    acronym = re.fullmatch(r"[A-Z]{2,8}(?:/[A-Z]{2,8})?", m.group(1))  # "ECRI. Clinical Evidence ..."
    return pos + m.end() if words & reference_rules().group_author_words or acronym else 0


def _cut(text: str, cuts: set[int]) -> list[str]:
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def split_run_together(text: str) -> list[str]:
    """Citations of an unnumbered list run together (one-line web text, joined paragraphs). They
    can only be told apart where the end of one is followed by the start of another: an author
    list; and in a text too long to be one citation, also one author, a group author with its
    year, a sub-list's label, or a group author that starts another of the pieces (even right
    after its own name: "...from the National Cancer Network National Cancer Network (2024,
    July). ...", where the page lost the stop between the two)."""
    plain, weak = _heads()
    long_text = len(text.split()) > RUN_TOGETHER_MIN_WORDS
    cuts = {m.start() for m in _GLUED_AUTHORS.finditer(text)} | {m.start() for m in _APA_LIST.finditer(text)}
    head_end = last = 0
    for b in _BOUNDARY.finditer(text):
        pos = b.end()
        particles = _particles().match(text, pos)
        head = None
        if particles:
            head = plain.match(text, particles.end()) or (weak.match(text, particles.end()) if long_text else None)
        colon = text[b.start()] == ":"
        if not long_text and (colon or head is None):
            continue
        if colon:
            label = re.split(r"[.;)]\s", text[:b.start() + 1])[-1].strip()
            if not (_is_label(label) and (head or _group_head(text, pos))):
                continue  # "In: Adam MP, Ardinger HH, eds.", "Available at: ...": inside a citation
            # a sub-list's label between two citations: a piece of its own, dropped later
            cuts.update((b.start() + 1 - len(label), pos))
            head_end, last = pos, pos
            continue
        end = head.end() if head else 0
        if not end and not colon and _complete(text[last:pos]) and not _AUTHOR_DATE_END.search(text[:pos]):
            # a group author without its year only after a whole citation: in "National Cancer
            # Network (2024, July). NCCN Guidelines (NCCN) ..." the name in the title is no start
            end = _group_head(text, pos)
        if end and pos >= head_end:  # not inside the head just found ("CMS. Palmetto GBA. (2021")
            cuts.add(pos)
            head_end, last = end, pos
    for _ in range(_MAX_ROUNDS if long_text else 0):
        heads = {h.group(1) for h in map(_GROUP_HEAD.match, _cut(text, cuts)) if h}
        before = len(cuts)
        for head in heads:
            for m in re.finditer(rf"(?<=\s){re.escape(head)}(?=\.\s|\s\()", text):
                prefix = text[:m.start()]
                if _ENTRY_END.search(prefix) or prefix.rstrip().endswith(head):
                    cuts.add(m.start())
        if len(cuts) == before:
            break
    cuts |= _after_pages(text)
    return _cut(text, _prune(text, cuts))


# The end of a journal citation beyond doubt: volume, issue and pages ("2022 Jul;208(1):26-33.",
# "2021;16:1647-1662."), then a capitalised word: whatever follows starts another citation
# ("... 26-33. ECRI. Clinical Evidence Assessment. ...", "... 607-614. US Preventive Services Task
# Force; Davidson KW, ..."), unless it is the tail of this one ("Epub", "PMID", "Erratum in").
_PAGES_END = re.compile(r";\s?\d+(?:\s?\([\w\s-]{1,12}\))?:\s?[A-Za-z]?\d+(?:[-\u2013][A-Za-z]?\d+)?\.\s+(?=[A-Z\u00c0-\u00de])")


def _after_pages(text: str) -> set[int]:
    """Where another citation starts after a journal citation's pages, each piece after such a
    start a whole citation itself."""
    starts = [m.end() for m in _PAGES_END.finditer(text)]
    tails = reference_rules().tail_words
    out: set[int] = set()
    for k, pos in enumerate(starts):
        word = re.match(r"[A-Za-z]+", text[pos:])
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        if word and word.group().lower() not in tails and _complete(text[pos:end]):
            out.add(pos)
    return out


def group_head(text: str) -> str | None:
    """The organisation a citation starts with ("Hayes, Inc.", "National Cancer Institute")."""
    m = _GROUP_HEAD.match(text)
    return m.group(1) if m else None


def split_at_heads(text: str, heads: set[str]) -> list[str]:
    """A citation run together with the next one where the next starts with a group author that
    starts other entries of the same list ("... Hayes Inc.; October 24, 2024. Hayes, Inc.
    Molecular Test Assessment. ...")."""
    cuts: set[int] = set()
    for head in heads:
        for m in re.finditer(rf"(?<=\s){re.escape(head)}(?=[.,]?\s)", text):
            if _ENTRY_END.search(text[:m.start()]):
                cuts.add(m.start())
    return _cut(text, _prune(text, cuts)) if cuts else [text]


def trailing_label(text: str) -> int | None:
    """Where a sub-list's label run into the end of an entry starts ("... 2021;12(6):2643-2652.
    Government Agency, Medical Society, and Other Authoritative Publications:"), or None."""
    if not text.rstrip().endswith(":"):
        return None
    m = re.search(r"(?:^|[.;)]\s)([^.;)]*:)\s*$", text)
    return m.start(1) if m and m.start(1) > 0 and _is_label(m.group(1).strip()) else None


def _is_label(piece: str) -> bool:
    """A sub-list's label run into the list: "Peer Reviewed Publications:" (not "In:")."""
    words = piece.rstrip(":").split()
    return piece.endswith(":") and 2 <= len(words) <= 12 and sum(w[:1].isupper() for w in words) * 2 > len(words)


def _prune(text: str, cuts: set[int]) -> set[int]:
    """Only cuts that leave whole citations (or a sub-list's label) before them: "Leslie SW.
    Soon-Sutton TL, Aeddula NR. Bladder cancer. ..." is one citation whose authors were printed
    with a stop for a comma."""
    kept: set[int] = set()
    prev = 0
    for cut in sorted(cuts):
        piece = text[prev:cut].strip()
        if _complete(piece) or _is_label(piece):
            kept.add(cut)
            prev = cut
    return kept


def citation_like(texts: list[str]) -> bool:
    """Lines that read as a list of citations: many carry a year, an identifier or a number."""
    texts = [t for t in texts if t.strip()]
    if not texts:
        return False
    hits = sum(1 for t in texts if _YEAR.search(t) or _IDENT.search(t) or marker(t))
    return hits * 10 >= len(texts) * 3


def citations(texts: list[str]) -> bool:
    """Lines that are citations beyond doubt: most start with an author list, or with a name and
    carry a year and two sentences at least (not dated rows, not prose)."""
    texts = [t.strip() for t in texts if t.strip()]
    if not texts:
        return False
    hits = sum(1 for t in texts if author_start(t) or starts_lower_name(t)
               or (starts_like_citation(t) and _YEAR.search(t) and t.count(". ") >= 2))
    return hits * 2 >= len(texts)
