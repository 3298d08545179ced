"""Policy identity -> safe folder in the repository.

A store key is `<payer>/<policy>`: two folder names built from document text, so each is made
safe here and nowhere else. A safe name is lower-case ASCII letters, digits and `._-~`, starts
with a letter, digit or `_`, is at most 64 characters and is never a name Windows reserves.
That rules out `..`, absolute paths, separators, NUL and control characters, leading dashes
(git options) and colons (pathspec magic), and names that collide on case-insensitive file
systems (all names are lower case).

Making names safe loses information ("ABC" and "abc", "a/b" and "a-b" both become the same
name), so folder names are not identities. A policy's identity is its exact payer and policy
id, Unicode-normalised but case-preserved, or, when no id is printed, its payer and title with
case and punctuation folded away (editions retitled only in those keep their policy). The store
keeps the first identity seen under a folder name in that folder and gives any other identity
that maps to the same name the folder `<name>~<hash of identity>`. So distinct identities always
get distinct folders, and the common case keeps a readable key.

A letterhead change does not split a policy: two identities are the same policy when their
payers belong to one family in `ingest/rules/payers.json` (a renamed plan, a plan and its
parent) and they have the same id (and similar titles, when both print one) or the same title
(`Identity.same_policy`).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import NotFoundError, UsageError

MAX_NAME = 64
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
# Names the store itself uses at the top level of the repository.
_STORE_RESERVED = {"readme.md", "readme", "license"}
_UNSAFE = re.compile(r"[^a-z0-9._~-]+")
_KEY_RE = re.compile(r"^[a-z0-9_][a-z0-9._~-]{0,127}/[a-z0-9_][a-z0-9._~-]{0,127}$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")

RECORD = "record.json"
MARKDOWN = "policy.md"
SOURCE_EXT = {"pdf": "pdf", "html": "html", "text": "txt"}
EDITIONS = "editions"
META_DIR = ".medpolicy"
META_FILE = "store.json"


def normalize(text: str | None) -> str:
    """The identity form of a name: NFKC, whitespace collapsed, case kept."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def safe_name(text: str | None, *, fallback: str = "unnamed") -> str:
    """A folder name from arbitrary text (see module docstring for the rules)."""
    ascii_text = unicodedata.normalize("NFKD", normalize(text)).encode("ascii", "ignore").decode()
    name = _UNSAFE.sub("-", ascii_text.lower())
    name = re.sub(r"-{2,}", "-", name)
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"~+", "-", name)  # `~` is kept for our own disambiguation suffix
    name = name.strip("-._")
    if len(name) > MAX_NAME - 9:  # cut at a word boundary: a key is read by people
        limit = MAX_NAME - 9
        cut = name.rfind("-", 0, limit + 1)
        name = name[:cut if cut >= limit // 2 else limit].rstrip("-._")
    if not name:
        name = fallback
    if name.split(".", 1)[0] in _WINDOWS_RESERVED or name in _STORE_RESERVED:
        name = "_" + name
    return name


TITLE_SIMILARITY = 60  # rapidfuzz token_set_ratio of two titles of one policy under related payers


def fold_title(title: str | None) -> str:
    """A title as identity compares it: case and punctuation folded, words kept."""
    return " ".join(re.sub(r"[\W_]+", " ", normalize(title)).casefold().split())


@dataclass(frozen=True)
class Identity:
    """Who a policy is, exactly: used to decide whether two editions belong together."""

    payer: str
    name: str  # "id:<policy id>" or "title:<folded title>"
    title: str = field(default="", compare=False)  # as printed, for similarity only

    @classmethod
    def of(cls, payer: str | None, policy_id: str | None, title: str | None) -> "Identity":
        pid = normalize(policy_id)
        if pid:
            return cls(normalize(payer), "id:" + pid, normalize(title))
        t = fold_title(title)
        if t:
            return cls(normalize(payer), "title:" + t, normalize(title))
        raise UsageError("the document has no policy id and no title to key it by; "
                         "name its policy with --policy PAYER/ID")

    @property
    def base_key(self) -> str:
        return f"{safe_name(self.payer, fallback='unknown-payer')}/{safe_name(self.name.split(':', 1)[1])}"

    def alternate_key(self) -> str:
        """The folder used when another identity already owns `base_key`."""
        digest = hashlib.sha256(f"{self.payer}\0{self.name}".encode("utf-8", "surrogatepass")).hexdigest()[:8]
        payer, name = self.base_key.split("/")
        return f"{payer}/{name[:MAX_NAME - 9]}~{digest}"

    def family_reason(self, other: "Identity") -> str | None:
        """Why `other`, with another payer name, is this same policy (None when it is not): the
        same id or title under payers of one family, and similar titles when both print one."""
        if self.payer == other.payer or self.name.casefold() != other.name.casefold():
            return None
        from ..ingest.vocab import payer_family  # the payer vocabulary, only on the write path

        family = payer_family(self.payer)
        if family is None or family != payer_family(other.payer):
            return None
        if self.name.startswith("id:") and self.title and other.title:
            from rapidfuzz import fuzz

            if fuzz.token_set_ratio(fold_title(self.title), fold_title(other.title)) < TITLE_SIMILARITY:
                return None
        return f"payers {other.payer!r} and {self.payer!r} are one family ({family}) in payers.json"


def key_from_override(value: str, payer: str | None) -> str:
    """`--policy PAYER/ID` or `--policy ID` (payer taken from the document), made safe."""
    parts = [p for p in value.strip().split("/") if p.strip()]
    if len(parts) == 1:
        return f"{safe_name(payer, fallback='unknown-payer')}/{safe_name(parts[0])}"
    if len(parts) == 2:
        return f"{safe_name(parts[0])}/{safe_name(parts[1])}"
    raise UsageError(f"--policy wants PAYER/ID or ID, not {value!r}")


def is_key(text: str) -> bool:
    return bool(_KEY_RE.match(text))


def check_key(key: str) -> str:
    if not is_key(key):
        raise NotFoundError(f"not a policy key: {key!r}")
    return key


def edition_name(date: str | None) -> str | None:
    """The edition folder for an effective date: `YYYY-MM-DD` or `YYYY-MM`; None if not a date."""
    if not date:
        return None
    m = _DATE_RE.match(date.strip())
    if not m:
        return None
    month = int(m.group(2))
    day = int(m.group(3) or 1)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return m.group(0)


# Which of a record's dates places its edition in time, in order of preference: the date the
# edition takes effect, else the date it was issued or published, last revised, last reviewed,
# approved, and last the date the policy first took effect. A record with none of them is
# "undated": placed by the day the store learned of it, in a folder that says so. The record
# itself always keeps exactly the dates the document prints; the choice is recorded beside it
# (trailer `Effective-From`) and shown as such ("2020-05, from last review").
PLACEMENT_ORDER = ("effective", "issued", "published", "last_revised", "last_review", "approved",
                   "original_effective")
UNDATED = "undated"
BASIS_WORDS = {"effective": "effective", "issued": "from issue date", "published": "from publication date",
               "last_revised": "from last revision", "last_review": "from last review", "approved": "from approval",
               "original_effective": "from original effective date", UNDATED: "undated, known since"}


def placement(dates, known_on: str) -> tuple[str, str]:
    """(edition folder, basis) for a record's `dates` (a PolicyDates); `known_on` (YYYY-MM-DD) is
    the day an undated edition became known. See PLACEMENT_ORDER."""
    for basis in PLACEMENT_ORDER:
        name = edition_name(getattr(dates, basis, None))
        if name:
            return name, basis
    return f"{known_on}~{UNDATED}", UNDATED


def edition_date(name: str) -> str:
    """The date part of an edition folder name (`2026-01-04~undated` -> `2026-01-04`)."""
    return name.split("~", 1)[0]


def describe_placement(name: str, basis: str) -> str:
    """How `list`, `log` and `show` say when an edition applies: "2025-03-01", "2020-05, from
    last review", "undated, known since 2026-01-04"."""
    date = edition_date(name)
    if basis == "effective":
        return date
    if basis == UNDATED:
        return f"{BASIS_WORDS[UNDATED]} {date}"
    return f"{date}, {BASIS_WORDS.get(basis, 'from ' + basis.replace('_', ' '))}"


def date_sort_key(name: str) -> tuple[str, str]:
    """Order of edition folders: a month-only edition takes effect on the first of the month,
    just before a dated edition of that same first day, and an undated edition known on a day
    comes after editions dated that day (a total order: no ties)."""
    date = edition_date(name)
    return (date if len(date) == 10 else date + "-01", name)


def record_path(key: str, edition: str | None = None) -> str:
    return f"{key}/{EDITIONS}/{edition}/{RECORD}" if edition else f"{key}/{RECORD}"
