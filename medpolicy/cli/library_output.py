"""Printing what the library commands find: text for people, JSON (one array), JSON Lines (one
object a line) and CSV (one row a hit) for programs. Document text is reduced to printable
single lines in text output, so a document cannot drive the terminal."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

import click

from ..textsafe import safe_line as clean
from .output import TABLE_FORMATS, Table, echo_json

FORMATS = TABLE_FORMATS
HIT_COLUMNS = ("match", "payer", "policy_key", "policy_id", "title", "effective", "effective_from", "known_at",
               "system", "code", "code_end", "description", "statement_id", "position", "section", "text",
               "criteria", "heading", "section_kind", "snippet")
COMPARE_COLUMNS = ("payer", "policy_key", "policy_id", "title", "effective", "codes", "positions", "statements",
                   "criteria", "mentioned_in")
CHANGE_COLUMNS = ("effective", "known_at", "first_known_at", "policy_key", "payer", "policy_id", "title", "previous",
                  "substantive", "classes", "summary", "changes")


def _echo_data(rows: list[dict], fmt: str, columns: Iterable[str], flat: Callable[[dict], dict]) -> bool:
    """Machine formats through the commands' one Table printer (output.Table: one JSON array,
    JSON Lines, CSV with `columns` and list cells flattened by `flat`); False when `fmt` is text
    (the caller prints it, grouped by edition)."""
    if fmt == "text":
        return False
    with Table(fmt, [], lambda row: [], fields=list(columns)) as table:
        for row in rows:
            table.add(flat(row) if fmt == "csv" else row)
    return True


_MARK = re.compile(r"\*\*(.+?)\*\*")


def _marked(snippet: str) -> str:
    """The matched words of a snippet (between ** marks) in bold; plain words off a terminal."""
    return _MARK.sub(lambda m: click.style(m.group(1), bold=True), snippet)


def _join(items: Iterable[object], sep: str = " | ") -> str:
    return sep.join(str(i) for i in items if i is not None)


def _code(c: dict) -> str:
    return c["code"] + (f"-{c['code_end']}" if c.get("code_end") else "")


def _heading(row: dict) -> str:
    who = " · ".join(clean(x) for x in (row["payer"], row["policy_id"], row["title"]) if x)
    return click.style(f"{row['policy_key']}@{row['effective']}", bold=True) + (f"  {who}" if who else "")


# --- search ------------------------------------------------------------------------------------

def echo_hits(hits: list[dict], fmt: str) -> None:
    if _echo_data(hits, fmt, HIT_COLUMNS, lambda h: {**h, "criteria": _join(h.get("criteria") or [])}):
        return
    last = None
    for h in hits:
        edition = (h["policy_key"], h["effective"])
        if edition != last:
            click.echo(_heading(h))
            last = edition
        if h["match"] == "code":
            click.echo(f"  code {h['system']} {_code(h)}  {clean(h['description'])}")
        elif h["match"] == "statement":
            text = _marked(clean(h["snippet"] or h["text"].split("\n", 1)[0], 240))
            more = f"  (+{len(h['criteria'])} criteria)" if h["criteria"] else ""
            section = f" ({clean(h['section'])})" if h["section"] else ""
            click.echo(f"  {click.style(h['position'], fg='cyan')}{section}: {text}{more}")
        else:
            click.echo(f"  section {clean(h['heading']) or '(untitled)'}: {_marked(clean(h['snippet'], 240))}")


def echo_compare(rows: list[dict], fmt: str) -> None:
    def flat(r: dict) -> dict:
        return {**r, "codes": _join(_code(c) for c in r["codes"]), "positions": _join(r["positions"]),
                "statements": _join(f"{s['position']}: {s['text'].split(chr(10), 1)[0]}" for s in r["statements"]),
                "criteria": _join(c for s in r["statements"] for c in s["criteria"]),
                "mentioned_in": _join(r["mentioned_in"])}

    if _echo_data(rows, fmt, COMPARE_COLUMNS, flat):
        return
    for r in rows:
        positions = ", ".join(r["positions"]) or "no position stated"
        codes = f"  codes {', '.join(_code(c) for c in r['codes'])}" if r["codes"] else ""
        click.echo(_heading(r))
        click.echo(f"  {click.style(positions, fg='cyan')}{codes}")
        for s in r["statements"]:
            click.echo(f"  - {s['position']}: {clean(s['text'].split(chr(10), 1)[0], 240)}")
            for c in s["criteria"]:
                click.echo(f"      {clean(c, 240)}")
        if r["mentioned_in"]:
            click.echo(f"  mentioned in: {', '.join(clean(m) for m in r['mentioned_in'])}")


# --- changes -----------------------------------------------------------------------------------

def _classes(item: dict) -> str:
    if item["classes"] is None:
        return "first edition"
    return ", ".join(f"{k} {n}" for k, n in item["classes"].items() if n) or "no change"


def echo_changes(items: list[dict], fmt: str, *, known: bool) -> None:
    def flat(i: dict) -> dict:
        return {**i, "classes": _classes(i), "changes": _join(f"{c['class']}: {c['label']}" for c in i["changes"])}

    if _echo_data(items, fmt, CHANGE_COLUMNS, flat):
        return
    lines = []  # printed in one write: a feed of thousands of editions is mostly printing
    for i in items:
        when = i["known_at"][:10] if known else i["effective"]
        mark = click.style("substantive", fg="red", bold=True) + " " if i["substantive"] else ""
        who = " · ".join(clean(x) for x in (i["payer"], i["title"]) if x)
        lines.append(f"{when}  {click.style(i['policy_key'], bold=True)}  {who}")
        lines.append(f"    {mark}[{_classes(i)}] {clean(i['summary'], 300)}")
    if lines:
        click.echo("\n".join(lines))


# --- index ---------------------------------------------------------------------------------------

def echo_update(report, path: Path, fmt: str) -> None:
    if fmt == "json":
        echo_json({**report.to_dict(), "db": str(path)})
        return
    how = "rebuilt" if report.rebuilt else ("updated" if report.changed else "already up to date")
    click.echo(f"{path}: {how} at store commit {report.tip[:12]}; {report.added} editions added, "
               f"{report.updated} updated, {report.removed} removed, {report.diffed} compared "
               f"({report.seconds:.2f} s)")
