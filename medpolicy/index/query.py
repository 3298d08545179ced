"""Questions asked of the whole library: which editions list a code, say some words or take a
position; what changed between two dates; and the same service side by side across payers.

Every question is asked of a set of editions first: the latest edition of each policy, or with
`as_of` the edition in effect that day (the last one whose effective date is on or before it;
a policy whose first edition takes effect later has none), narrowed by payer. Criteria then
combine with AND, and each hit shows the evidence: the code rows that matched, the statements
that matched (with position and section), and for policies that say the words only outside
their statements, the sections that do.

Pure SQL over the index, with no model or diff import: a search is a whole command in well
under 200 ms.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date

from ..codesystems import SYSTEMS, clean, span, systems_of
from ..errors import UsageError

# snippet() marks the matched words like this (markdown bold, readable in every format)
MARK_OPEN, MARK_CLOSE = "**", "**"
SNIPPET_TOKENS = 24
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w")

EDITION_COLUMNS = ("e.id", "e.payer", "e.policy_key", "e.policy_id", "e.title", "e.effective", "e.effective_from",
                   "e.known_at")


@dataclass
class Scope:
    """Which editions a question is asked of."""

    as_of: str | None = None  # YYYY-MM-DD; None: the latest edition of each policy
    payers: tuple[str, ...] = ()

    def sql(self) -> tuple[str, list]:
        """A WHERE clause over `editions e`, and its parameters."""
        if self.as_of is None:
            where, params = "e.is_latest = 1", []
        else:
            where = ("e.effective_day <= ? AND NOT EXISTS (SELECT 1 FROM editions n WHERE "
                     "n.policy_key = e.policy_key AND n.effective_day <= ? AND "
                     "(n.effective_day, n.effective) > (e.effective_day, e.effective))")
            params = [self.as_of, self.as_of]
        payer_where, payer_params = payer_sql(self.payers)
        return where + (" AND " + payer_where if payer_where else ""), params + payer_params


def payer_sql(payers: tuple[str, ...]) -> tuple[str, list]:
    """Editions of any of `payers`: a part of the payer's name, or of the store key's payer
    folder ("northwind" finds "Northwind Health Plan" and northwind-health-plan/...)."""
    if not payers:
        return "", []
    alts, params = [], []
    for payer in payers:
        alts.append("(lower(e.payer) LIKE ? ESCAPE '\\' OR e.policy_key LIKE ? ESCAPE '\\')")
        params += [f"%{_like(payer.lower())}%", f"{_like(payer.lower())}%/%"]
    return "(" + " OR ".join(alts) + ")", params


def check_date(text: str, what: str) -> str:
    if not _DATE.match(text):
        raise UsageError(f"{what} wants a date YYYY-MM-DD, not {text!r}")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what}: not a calendar date: {text}") from None
    return text


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(text: str) -> str:
    """User words -> an FTS5 query: every word must occur (any order), "double quotes" keep a
    phrase; every term is quoted, so no character of the input is FTS5 syntax."""
    terms = []
    for phrase, word in _TERM.findall(text):
        term = (phrase or word).replace('"', " ").strip()
        if _WORD.search(term):  # a term with no letter or digit is no word to look for
            terms.append('"' + term + '"')
    if not terms:
        raise UsageError("--text needs at least one word")
    return " ".join(terms)


def _snippet(table: str) -> str:
    """SQL for the words found in a row of `table`, in context (its FTS table joined as `f`)."""
    column = {"statements": 0, "sections": 1}[table]  # statements: text; sections: text (after heading)
    return f"snippet({table}_fts, {column}, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {SNIPPET_TOKENS})"


def _public(match: dict) -> dict:
    """A match without the fields used only to order matches."""
    return {k: v for k, v in match.items() if k not in ("rank", "ordinal", "id")}


def _edition(row: sqlite3.Row) -> dict:
    return {"payer": row["payer"], "policy_key": row["policy_key"], "policy_id": row["policy_id"],
            "title": row["title"], "effective": row["effective"], "effective_from": row["effective_from"],
            "known_at": row["known_at"]}


@dataclass
class Query:
    code: str | None = None
    system: str | None = None
    text: str | None = None
    position: str | None = None
    scope: Scope = field(default_factory=Scope)
    limit: int | None = None  # the best-matching policies only (by text rank, else by key)

    def check(self) -> None:
        if not (self.code or self.text or self.position):
            raise UsageError("say what to look for: --code, --text and/or --position")
        if self.limit is not None and self.limit < 1:
            raise UsageError("--limit wants a positive number")
        if self.system is not None and self.system not in SYSTEMS:
            raise UsageError(f"--system is one of {', '.join(SYSTEMS)}")
        if self.code is not None and not self.code_systems():
            raise UsageError(f"{self.code!r} does not look like a CPT, HCPCS or ICD-10 code")

    def code_systems(self) -> list[str]:
        assert self.code is not None
        found = systems_of(self.code)
        return [self.system] if self.system and (self.system in found or not found) else \
            ([] if self.system else found)


class Library:
    """Queries over an open index connection (rows as sqlite3.Row)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        conn.row_factory = sqlite3.Row

    # --- which editions -----------------------------------------------------------------------

    def _code_matches(self, q: Query, where: str, params: list) -> dict[int, list[dict]]:
        out: dict[int, list[dict]] = {}
        for system in q.code_systems():
            low, high = span(system, clean(q.code or ""))
            rows = self.conn.execute(
                f"SELECT c.edition_id, c.system, c.code, c.code_end, c.description FROM codes c "
                f"JOIN editions e ON e.id = c.edition_id "
                f"WHERE c.system = ? AND c.key_low <= ? AND c.key_high >= ? AND {where} ORDER BY c.ordinal",
                [system, high, low, *params])
            for r in rows:
                out.setdefault(r["edition_id"], []).append(
                    {"system": r["system"], "code": r["code"], "code_end": r["code_end"], "description": r["description"]})
        return out

    def _statement_matches(self, q: Query, where: str, params: list) -> dict[int, list[dict]]:
        sql = ["SELECT s.id, s.edition_id, s.ordinal, s.statement_id, s.position, s.section, s.text, s.criteria"]
        args: list = []
        if q.text:
            sql.append(f", {_snippet('statements') if q.limit is None else 'NULL'} AS snip, bm25(statements_fts) AS rank "
                       "FROM statements_fts f JOIN statements s ON s.id = f.rowid")
        else:
            sql.append(", NULL AS snip, 0 AS rank FROM statements s")
        sql.append("JOIN editions e ON e.id = s.edition_id WHERE " + where)
        args += params
        if q.text:
            sql.append("AND statements_fts MATCH ?")
            args.append(fts_query(q.text))
        if q.position:
            sql.append("AND s.position = ?")
            args.append(q.position)
        sql.append("ORDER BY rank, s.edition_id, s.ordinal")
        out: dict[int, list[dict]] = {}
        for r in self.conn.execute(" ".join(sql), args):
            out.setdefault(r["edition_id"], []).append({
                "statement_id": r["statement_id"], "position": r["position"], "section": r["section"],
                "text": r["text"], "criteria": json.loads(r["criteria"]), "snippet": r["snip"], "rank": r["rank"],
                "ordinal": r["ordinal"], "id": r["id"]})
        return out

    def _section_matches(self, q: Query, where: str, params: list, besides: list[int]) -> dict[int, list[dict]]:
        """Sections that say the words, in editions other than `besides` (those found by their
        statements: their sections are not shown, so no snippet is made for them)."""
        rows = self.conn.execute(
            f"SELECT s.id, s.edition_id, s.heading, s.kind, {_snippet('sections') if q.limit is None else 'NULL'} AS snip, "
            f"bm25(sections_fts) AS rank FROM sections_fts f JOIN sections s ON s.id = f.rowid "
            f"JOIN editions e ON e.id = s.edition_id WHERE {where} AND sections_fts MATCH ? "
            f"AND s.edition_id NOT IN (SELECT value FROM json_each(?)) "
            f"ORDER BY rank, s.edition_id, s.ordinal", [*params, fts_query(q.text or ""), json.dumps(besides)])
        out: dict[int, list[dict]] = {}
        for r in rows:
            out.setdefault(r["edition_id"], []).append(
                {"heading": r["heading"], "section_kind": r["kind"], "snippet": r["snip"], "rank": r["rank"],
                 "id": r["id"]})
        return out

    def _add_snippets(self, q: Query, evidence: dict[int, dict[str, list[dict]]]) -> None:
        """With a limit, snippets are made only for the editions kept (a snippet costs more than
        finding its row), by the same join as the search, narrowed to those editions."""
        for table in ("statements", "sections"):
            rows = {m["id"]: m for ev in evidence.values() for m in ev.get(table, ())}
            if not rows:
                continue
            for rowid, snip in self.conn.execute(
                    f"SELECT s.id, {_snippet(table)} FROM {table}_fts f JOIN {table} s ON s.id = f.rowid "
                    f"WHERE {table}_fts MATCH ? AND s.edition_id IN (SELECT value FROM json_each(?))",
                    (fts_query(q.text or ""), json.dumps(list(evidence)))):
                if rowid in rows:
                    rows[rowid]["snippet"] = snip

    def _editions(self, ids: list[int]) -> dict[int, sqlite3.Row]:
        out: dict[int, sqlite3.Row] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            for r in self.conn.execute(f"SELECT {', '.join(EDITION_COLUMNS)} FROM editions e "
                                       f"WHERE e.id IN ({', '.join('?' * len(part))})", part):
                out[r["id"]] = r
        return out

    def matching(self, q: Query) -> list[tuple[sqlite3.Row, dict[str, list[dict]]]]:
        """Editions that meet every criterion, each with its evidence by kind ("codes",
        "statements", "sections"); best text match first, else by policy key."""
        q.check()
        where, params = q.scope.sql()
        criteria: list[dict[int, dict[str, list[dict]]]] = []  # per criterion: edition -> evidence
        if q.code:
            criteria.append({eid: {"codes": m} for eid, m in self._code_matches(q, where, params).items()})
        if q.text or q.position:
            statements = self._statement_matches(q, where, params)
            text = {eid: {"statements": m} for eid, m in statements.items()}
            if q.text and not q.position:
                # a policy that says the words only outside its statements is found by its sections
                for eid, m in self._section_matches(q, where, params, list(statements)).items():
                    text[eid] = {"sections": m}
            criteria.append(text)
        found = criteria[0]
        for more in criteria[1:]:
            found = {eid: {**ev, **more[eid]} for eid, ev in found.items() if eid in more}
        editions = self._editions(list(found))

        def order(eid: int) -> tuple:
            ev = found[eid]
            best = min([m["rank"] for kind in ("statements", "sections") for m in ev.get(kind, ())] or [0.0])
            by_sections_only = "statements" not in ev and "codes" not in ev
            return (by_sections_only, best if q.text else 0.0, editions[eid]["policy_key"])

        chosen = sorted(found, key=order)[:q.limit]
        if q.text and q.limit is not None:
            self._add_snippets(q, {eid: found[eid] for eid in chosen})
        return [(editions[eid], found[eid]) for eid in chosen]

    def search(self, q: Query) -> list[dict]:
        """One hit per code row, statement or section that matched, each naming its edition."""
        hits: list[dict] = []
        for edition, evidence in self.matching(q):
            base = _edition(edition)
            for c in evidence.get("codes", ()):
                hits.append({"match": "code", **base, **c})
            for s in evidence.get("statements", ()):
                hits.append({"match": "statement", **base, **_public(s)})
            for s in evidence.get("sections", ()):
                hits.append({"match": "section", **base, **_public(s)})
        return hits

    def compare(self, q: Query) -> list[dict]:
        """One row per policy (edition chosen as in `search`): the codes that matched, and the
        position the policy takes, from its statements that matched, or with only --code from
        all of its statements that take a position (criteria included)."""
        rows = []
        for edition, evidence in self.matching(q):
            statements = sorted(evidence.get("statements", ()), key=lambda s: s["ordinal"])
            if "statements" not in evidence:
                statements = [s for s in self._all_statements(edition["id"]) if s["position"] != "other"]
            positions = list(dict.fromkeys(s["position"] for s in statements))
            rows.append({**_edition(edition), "codes": evidence.get("codes", []), "positions": positions,
                         "statements": [{k: s[k] for k in ("statement_id", "position", "section", "text", "criteria")}
                                        for s in statements],
                         "mentioned_in": [s["heading"] for s in evidence.get("sections", ())]})
        rows.sort(key=lambda r: ((r["payer"] or "").lower(), r["policy_key"]))
        return rows

    def _all_statements(self, eid: int) -> list[dict]:
        return [{"statement_id": r["statement_id"], "position": r["position"], "section": r["section"],
                 "text": r["text"], "criteria": json.loads(r["criteria"])}
                for r in self.conn.execute("SELECT statement_id, position, section, text, criteria FROM statements "
                                           "WHERE edition_id = ? ORDER BY ordinal", (eid,))]

    # --- the change feed ----------------------------------------------------------------------

    def changes(self, since: str, until: str | None = None, *, known: bool = False, substantive: bool = False,
                classes: tuple[str, ...] = (), payers: tuple[str, ...] = ()) -> list[dict]:
        """Editions that took effect (or, with `known`, became known to the store) between two
        days inclusive, newest first, each with its summary against the edition before it and
        its changes. A policy's first edition is listed as such; it has no diff, so it is left
        out when only substantive changes or some classes are asked for."""
        column = "e.known_at" if known else "e.effective_day"
        low, high = (f"{since}T00:00:00Z", f"{until}T23:59:59Z" if until else "9999") if known else \
            (since, until or "9999-12-31")
        where, params = [f"{column} >= ?", f"{column} <= ?"], [low, high]
        payer_where, payer_params = payer_sql(payers)
        if payer_where:
            where.append(payer_where)
            params += payer_params
        if substantive:
            where.append("e.substantive = 1")
        for cls in classes:
            where.append("EXISTS (SELECT 1 FROM changes c WHERE c.edition_id = e.id AND c.class = ?)")
            params.append(cls)
        rows = self.conn.execute(
            f"SELECT {', '.join(EDITION_COLUMNS)}, e.effective_day, e.first_known_at, e.summary, e.substantive, "
            f"e.classes, e.previous_id, p.effective AS previous FROM editions e "
            f"LEFT JOIN editions p ON p.id = e.previous_id WHERE {' AND '.join(where)} "
            f"ORDER BY {column} DESC, e.policy_key", params).fetchall()
        changes = self._changes_of([r["id"] for r in rows])
        return [{**_edition(r), "first_known_at": r["first_known_at"], "previous": r["previous"],
                 "summary": r["summary"], "substantive": None if r["substantive"] is None else bool(r["substantive"]),
                 "classes": json.loads(r["classes"]) if r["classes"] else None, "changes": changes.get(r["id"], [])}
                for r in rows]

    def _changes_of(self, ids: list[int]) -> dict[int, list[dict]]:
        out: dict[int, list[dict]] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            for r in self.conn.execute(f"SELECT edition_id, kind, op, class, label FROM changes WHERE edition_id IN "
                                       f"({', '.join('?' * len(part))}) ORDER BY edition_id, ordinal", part):
                out.setdefault(r["edition_id"], []).append(
                    {"kind": r["kind"], "op": r["op"], "class": r["class"], "label": r["label"]})
        return out

    # --- the whole library, for the site -------------------------------------------------------

    def policies(self) -> list[dict]:
        """Every policy with its latest edition, by payer then key."""
        rows = self.conn.execute(
            "SELECT p.key, p.payer, p.policy_id, p.title, p.latest_effective, p.editions, p.first_known_at, "
            "e.id AS edition_id, e.known_at, e.summary, e.substantive, e.classes FROM policies p "
            "JOIN editions e ON e.policy_key = p.key AND e.is_latest = 1 ORDER BY lower(coalesce(p.payer, '')), p.key")
        return [{**r, "classes": json.loads(r["classes"]) if r["classes"] else None,
                 "substantive": None if r["substantive"] is None else bool(r["substantive"])} for r in map(dict, rows)]

    def editions_of(self, key: str) -> list[dict]:
        """A policy's editions, newest effective date first, each with its changes."""
        rows = [dict(r) for r in self.conn.execute(
            "SELECT e.id, e.effective, e.effective_from, e.known_at, e.first_known_at, e.commit_id, e.record_oid, "
            "e.source_name, e.source_format, e.summary, e.substantive, e.classes, p.effective AS previous, "
            "p.record_oid AS previous_oid FROM editions e LEFT JOIN editions p ON p.id = e.previous_id "
            "WHERE e.policy_key = ? ORDER BY e.effective_day DESC, e.effective DESC", (key,))]
        changes = self._changes_of([r["id"] for r in rows])
        for r in rows:
            r["classes"] = json.loads(r["classes"]) if r["classes"] else None
            r["substantive"] = None if r["substantive"] is None else bool(r["substantive"])
            r["changes"] = changes.get(r["id"], [])
        return rows

    def statements_of(self, edition_id: int) -> list[dict]:
        return self._all_statements(edition_id)

    def codes_of(self, edition_id: int) -> list[dict]:
        return [dict(r) for r in self.conn.execute(
            "SELECT system, code, code_end, description FROM codes WHERE edition_id = ? ORDER BY ordinal", (edition_id,))]

    def code_index(self) -> list[dict]:
        """Every code or range listed by a latest edition, in each system's order, with the
        policies that list it."""
        out: dict[tuple, dict] = {}
        for r in self.conn.execute(
                "SELECT c.system, c.code, c.code_end, c.description, c.key_low, e.policy_key, e.payer, e.title "
                "FROM codes c JOIN editions e ON e.id = c.edition_id WHERE e.is_latest = 1 "
                "ORDER BY c.system, c.key_low, c.key_high, e.policy_key"):
            entry = out.setdefault((r["system"], r["code"], r["code_end"]), {
                "system": r["system"], "code": r["code"], "code_end": r["code_end"],
                "description": r["description"], "policies": []})
            if r["policy_key"] not in {p["key"] for p in entry["policies"]}:
                entry["policies"].append({"key": r["policy_key"], "payer": r["payer"], "title": r["title"]})
        order = {s: i for i, s in enumerate(SYSTEMS)}
        return sorted(out.values(), key=lambda c: order.get(c["system"], len(order)))
