"""The index's tables, as plain SQL: any SQLite reader (the sqlite3 shell, Datasette) opens the
file with no function of ours. The README documents them; bump SCHEMA_VERSION with any change
here, and an older index is rebuilt from the store (it is derived data) instead of migrated.

Row ids are not counters but a hash of what the row is (policy key, effective date, kind,
position in its list): the same store gives the same ids whether the index was built in one go
or commit by commit, so "rebuilding gives the same content" holds row for row.

Full-text search uses FTS5 tables over `statements` and `sections` with external content (the
text is stored once) kept in step by triggers, the layout `sqlite-utils enable-fts
--create-triggers` makes and Datasette recognises for its search box.
"""
from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1
# PRAGMA application_id marks the file as a medpolicy index ("MPIX"): a --db that names some
# other database is refused rather than overwritten.
APPLICATION_ID = 0x4D504958
TOKENIZE = "porter unicode61 remove_diacritics 2"

TABLES = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE policies (
    key TEXT PRIMARY KEY,
    payer TEXT,
    policy_id TEXT,
    title TEXT,
    latest_effective TEXT NOT NULL,
    editions INTEGER NOT NULL,
    first_known_at TEXT NOT NULL
);
CREATE TABLE editions (
    id INTEGER PRIMARY KEY,
    policy_key TEXT NOT NULL REFERENCES policies(key),
    effective TEXT NOT NULL,
    effective_day TEXT NOT NULL,
    effective_from TEXT,
    is_latest INTEGER NOT NULL DEFAULT 0,
    payer TEXT,
    policy_id TEXT,
    title TEXT,
    date_effective TEXT,
    date_original_effective TEXT,
    date_last_revised TEXT,
    date_last_review TEXT,
    date_next_review TEXT,
    date_published TEXT,
    date_issued TEXT,
    date_approved TEXT,
    known_at TEXT NOT NULL,
    first_known_at TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    record_oid TEXT NOT NULL,
    source_name TEXT,
    source_format TEXT,
    source_sha256 TEXT,
    previous_id INTEGER REFERENCES editions(id),
    summary TEXT,
    substantive INTEGER,
    classes TEXT,
    diffed TEXT,
    UNIQUE (policy_key, effective)
);
CREATE INDEX editions_day ON editions (policy_key, effective_day, effective);
CREATE INDEX editions_latest ON editions (is_latest, policy_key);
CREATE INDEX editions_known ON editions (known_at);
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    ordinal INTEGER NOT NULL,
    statement_id TEXT,
    position TEXT NOT NULL,
    section TEXT,
    lead TEXT NOT NULL,
    text TEXT NOT NULL,
    criteria TEXT NOT NULL
);
CREATE INDEX statements_edition ON statements (edition_id, position);
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    ordinal INTEGER NOT NULL,
    system TEXT NOT NULL,
    code TEXT NOT NULL,
    code_end TEXT,
    description TEXT,
    key_low TEXT NOT NULL,
    key_high TEXT NOT NULL
);
CREATE INDEX codes_span ON codes (system, key_low, key_high);
CREATE INDEX codes_edition ON codes (edition_id);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    ordinal INTEGER NOT NULL,
    date TEXT,
    date_text TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX history_edition ON history (edition_id);
CREATE TABLE refs (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    ordinal INTEGER NOT NULL,
    number INTEGER,
    text TEXT NOT NULL,
    pmid TEXT,
    doi TEXT,
    url TEXT
);
CREATE INDEX refs_edition ON refs (edition_id);
CREATE INDEX refs_pmid ON refs (pmid);
CREATE TABLE related (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    ordinal INTEGER NOT NULL,
    policy_id TEXT NOT NULL,
    title TEXT
);
CREATE INDEX related_edition ON related (edition_id);
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    ordinal INTEGER NOT NULL,
    heading TEXT,
    kind TEXT NOT NULL,
    level INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX sections_edition ON sections (edition_id);
CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    ordinal INTEGER NOT NULL,
    kind TEXT NOT NULL,
    op TEXT NOT NULL,
    class TEXT NOT NULL,
    label TEXT NOT NULL
);
CREATE INDEX changes_edition ON changes (edition_id, class);
CREATE TABLE skipped (
    path TEXT PRIMARY KEY,
    record_oid TEXT NOT NULL,
    reason TEXT NOT NULL
);
"""

# Full-text tables: (table, its indexed columns). Each gets an FTS5 table `<table>_fts` with the
# table as external content, and triggers that keep it in step.
FTS_TABLES = (("statements", ("text", "section")), ("sections", ("heading", "text")))


def _fts(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(columns)
    new, old = (", ".join(f"{side}.{c}" for c in columns) for side in ("new", "old"))
    insert = f"INSERT INTO {table}_fts (rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {table}_fts ({table}_fts, rowid, {cols}) VALUES ('delete', old.id, {old});"
    return f"""
CREATE VIRTUAL TABLE {table}_fts USING fts5(
    {cols}, content="{table}", content_rowid="id", tokenize='{TOKENIZE}');
CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN
    {insert}
END;
CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN
    {delete}
END;
CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN
    {delete}
    {insert}
END;
"""


FTS = "".join(_fts(table, columns) for table, columns in FTS_TABLES)

# Tables whose rows belong to one edition (deleted with it).
EDITION_TABLES = ("statements", "codes", "history", "refs", "related", "sections", "changes")


def create(conn: sqlite3.Connection, *, fts: bool = True) -> None:
    """Drop whatever the file holds and create the current schema (inside the caller's
    transaction: DDL is transactional in SQLite, so a killed rebuild leaves the old index).
    A full build passes `fts=False` and calls `create_fts` once its rows are in: indexing all
    the text in one pass is about three times faster than row by row through the triggers."""
    objects = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                           "AND type IN ('table', 'view')").fetchall()
    # FTS shadow tables go with their virtual table; drop virtual tables first
    for kind, name in sorted(objects, key=lambda o: not _is_virtual(conn, o[1])):
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
        if exists:
            conn.execute(f'DROP {kind.upper()} "{name}"')
    for statement in statements(TABLES):
        conn.execute(statement)
    if fts:
        create_fts(conn)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def create_fts(conn: sqlite3.Connection) -> None:
    """The full-text tables and their triggers, indexing the rows already there."""
    for statement in statements(FTS):
        conn.execute(statement)
    for table, _ in FTS_TABLES:
        conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")


def statements(script: str) -> list[str]:
    """The script's statements one by one (a trigger body holds `;` too), for running inside a
    transaction: `executescript` would commit first."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def _is_virtual(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return bool(row and row[0] and row[0].upper().startswith("CREATE VIRTUAL"))
