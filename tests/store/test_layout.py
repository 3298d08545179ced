"""Names built from document text: safe, and distinct identities never share a folder."""
from __future__ import annotations

import pytest

from medpolicy.errors import UsageError
from medpolicy.store.layout import (Identity, date_sort_key, edition_name, is_key, key_from_override,
                                    safe_name)

HOSTILE = [
    "../../etc/passwd", "..", ".", "/etc/passwd", "C:\\Windows\\system32", "a\x00b", "tab\tnew\nline\r",
    "\x1b[31mred", "-rf", "--upload-pack=touch /tmp/pwned", ":(glob)*", "~user", "CON", "con.txt", "nul",
    "LPT1", "README.md", "x" * 5000, "é" * 300, "💊💊", "   ", "a/b", "a\\b", "\u202eevil", "HEAD",
    ".git", ".medpolicy", "editions", "record.json",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_name_is_safe(text):
    name = safe_name(text)
    assert name and len(name) <= 64
    assert name == name.lower() and name.isascii()
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert all(c.isalnum() or c in "._-~" for c in name)
    assert name not in (".", "..") and not name.startswith(("-", ".", "~"))
    assert name.split(".")[0] not in {"con", "prn", "aux", "nul", "lpt1", "com1"}
    assert name != "readme.md"


@pytest.mark.parametrize("text,expected", [
    ("8.01.01", "8.01.01"), ("Premera", "premera"), ("CP.MP.107", "cp.mp.107"),
    ("Blue Cross Blue Shield of Massachusetts", "blue-cross-blue-shield-of-massachusetts"),
    ("05.01.051-001", "05.01.051-001"), ("MP 4.12", "mp-4.12"), ("Café Santé", "cafe-sante"),
])
def test_safe_name_keeps_ordinary_names_readable(text, expected):
    assert safe_name(text) == expected


def test_identity_is_case_sensitive_and_exact():
    a = Identity.of("Acme", "ABC-1", None)
    b = Identity.of("Acme", "abc-1", None)
    assert a != b and a.base_key == b.base_key == "acme/abc-1"
    assert a.alternate_key() != b.alternate_key()
    assert a.alternate_key().lower() != b.alternate_key().lower()  # distinct on case-insensitive disks
    assert Identity.of(" Acme ", "ABC-1", "t") == Identity.of("Acme", "ABC-1", "other title")
    # a title identity folds case and punctuation: a retitled edition differing only in those stays
    assert Identity.of("Acme", None, "Title").name == "title:title"
    assert Identity.of("Acme", None, "Widget Therapy: Adults") == Identity.of("Acme", None, "widget therapy - ADULTS")


def test_identity_needs_an_id_or_title():
    with pytest.raises(UsageError):
        Identity.of("Acme", None, "  ")


def test_hostile_identities_give_valid_keys():
    keys = {Identity.of(p, i, None).alternate_key() for p in HOSTILE for i in HOSTILE if i.strip()}
    assert all(is_key(k) for k in keys)
    assert all(is_key(Identity.of(p, i, None).base_key) for p in HOSTILE for i in HOSTILE if i.strip())


def test_override_keys():
    assert key_from_override("Acme/X-1", "ignored") == "acme/x-1"
    assert key_from_override("X-1", "Contoso Health") == "contoso-health/x-1"
    assert key_from_override("../x", None) == "unnamed/x"
    for bad in ("a/b/c", "../../x", "/", ""):
        with pytest.raises(UsageError):
            key_from_override(bad, None)


@pytest.mark.parametrize("date,name", [
    ("2025-05-01", "2025-05-01"), ("2025-05", "2025-05"), (None, None), ("", None), ("May 2025", None),
    ("2025-13-01", None), ("../2025-05-01", None), ("2025-05-01/..", None),
])
def test_edition_names(date, name):
    assert edition_name(date) == name


def test_month_editions_sort_at_the_first_of_the_month():
    order = ["2025-04-30", "2025-05", "2025-05-01", "2025-05-02"]
    assert sorted(reversed(order), key=date_sort_key) == order
