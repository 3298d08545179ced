"""Policy identity -> safe folder in the repository.

A store key is `<payer>/<policy>`: two folder names built from document text, so each is made
safe here and nowhere else. A safe name is lower-case ASCII letters, digits and `._-~`, starts
with a letter, digit or `_`, is at most 64 characters and is never a name Windows reserves.
That rules out `..`, absolute paths, separators, NUL and control characters, leading dashes
(git options) and colons (pathspec magic), and names that collide on case-insensitive file
systems (all names are lower case).

Making names safe loses information ("ABC" and "abc", "a/b" and "a-b" both become the same
name), so folder names are not identities. A policy's identity is its exact payer and policy
id (or title when no id is printed), Unicode-normalised but case-preserved; the store keeps
the first identity seen under a folder name in that folder and gives any other identity that
maps to the same name the folder `<name>~<hash of identity>`. So distinct identities always get
distinct folders, and the common case keeps a readable key.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

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
    if len(name) > MAX_NAME - 9:
        name = name[:MAX_NAME - 9].rstrip("-._")
    if not name:
        name = fallback
    if name.split(".", 1)[0] in _WINDOWS_RESERVED or name in _STORE_RESERVED:
        name = "_" + name
    return name


@dataclass(frozen=True)
class Identity:
    """Who a policy is, exactly: used to decide whether two editions belong together."""

    payer: str
    name: str  # "id:<policy id>" or "title:<title>"

    @classmethod
    def of(cls, payer: str | None, policy_id: str | None, title: str | None) -> "Identity":
        pid = normalize(policy_id)
        if pid:
            return cls(normalize(payer), "id:" + pid)
        t = normalize(title)
        if t:
            return cls(normalize(payer), "title:" + t)
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


def date_sort_key(name: str) -> tuple[str, str]:
    """Order of edition folders: a month-only edition takes effect on the first of the month,
    just before a dated edition of that same first day (a total order: no ties)."""
    return (name if len(name) == 10 else name + "-01", name)


def record_path(key: str, edition: str | None = None) -> str:
    return f"{key}/{EDITIONS}/{edition}/{RECORD}" if edition else f"{key}/{RECORD}"
