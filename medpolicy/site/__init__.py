"""A static HTML site of the library: an index of policies, a page per policy with its editions
as a timeline and the diff report of each edition against the one before, a code index and a
recent-changes page.

Every page is self-contained (inline CSS and script, no external resource) and linked to the
others by relative paths, so the folder works from `file://`, on a web server, or zipped and
mailed. Pages are plain HTML first: without scripts every row shows; the script only adds
sorting and filtering.

The site is written into a temporary folder beside OUT and then put in its place, so OUT is
either the old site or the new one, never half of each. OUT must be new, empty, or a site made
by this command (it holds `.medpolicy-site`); anything else is refused.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import jinja2
from markupsafe import Markup

from .. import __version__
from ..codesystems import SYSTEMS, span
from ..errors import UsageError, os_failure
from ..textsafe import safe_text

if TYPE_CHECKING:
    from ..index import LibraryIndex
    from ..index.query import Library

MARKER = ".medpolicy-site"
RECENT_CHANGES = 500  # rows on the recent-changes page
_BODY = re.compile(r"<body[^>]*>")

Progress = Callable[[str, int, int], None]


@dataclass
class SiteReport:
    out: Path
    pages: int
    diffs: int
    tip: str

    def to_dict(self) -> dict:
        return {"out": str(self.out), "pages": self.pages, "diffs": self.diffs, "tip": self.tip}


def _plain(value: object) -> object:
    """Every value a page prints, as text without controls (textsafe) before HTML escaping;
    our own CSS and script (Markup) pass as they are."""
    return value if isinstance(value, Markup) or not isinstance(value, str) else safe_text(value)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("medpolicy.site", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                              finalize=_plain)


def _asset(name: str) -> Markup:
    return Markup(resources.files("medpolicy.site").joinpath("templates", name).read_text(encoding="utf-8"))


def _slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-") or "unknown"


def build_site(index: LibraryIndex, out: Path, *, progress: Progress | None = None) -> SiteReport:
    """Write the site of the index's store (brought up to date first) into `out`."""
    out = Path(out).absolute()
    _check_target(out)
    library = index.current()
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
        report = _Writer(index, library, tmp, progress).write()
        (tmp / MARKER).write_text(json.dumps({"tip": report.tip, "medpolicy": __version__}) + "\n", encoding="utf-8")
        _swap(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise os_failure(exc.errno, str(out), "cannot write the site") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.out = out
    return report


def _check_target(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(f"{out} exists and is not a site made by `medpolicy site`; choose a new or empty folder")


def _swap(tmp: Path, out: Path) -> None:
    if not out.exists():
        tmp.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


class _Writer:
    def __init__(self, index: LibraryIndex, library: Library, out: Path, progress: Progress | None):
        self.index, self.library, self.out = index, library, out
        self.progress = progress or (lambda stage, done, total: None)
        self.pages = self.diffs = 0
        policies = library.policies()
        self.site = {"name": "Policy library", "version": __version__, "tip": index.tip or "",
                     "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "css": _asset("site.css"),
                     "js": _asset("site.js"), "policies": len(policies),
                     "editions": sum(p["editions"] for p in policies)}
        self.policies = policies

    def page(self, rel: str, template: str, **context) -> None:
        depth = rel.count("/")
        html = _env().get_template(template).render(site=self.site, root="../" * depth, **context)
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        self.pages += 1

    @staticmethod
    def policy_dir(key: str) -> str:
        return f"policies/{key}"

    def write(self) -> SiteReport:
        self.index_page()
        for i, p in enumerate(self.policies):
            self.policy_page(p)
            self.progress("writing policy pages", i + 1, len(self.policies))
        self.codes_page()
        self.changes_page()
        return SiteReport(self.out, self.pages, self.diffs, self.site["tip"])

    def index_page(self) -> None:
        rows, payers = [], {}
        for p in self.policies:
            slug = _slug(p["payer"])
            payers.setdefault(slug, p["payer"] or "unknown payer")
            latest = {"summary": p["summary"], "substantive": p["substantive"], "classes": p["classes"]}
            rows.append({**p, "payer_slug": slug, "href": f"{self.policy_dir(p['key'])}/index.html", "latest": latest})
        self.page("index.html", "index.html.j2", title="Policies", page="policies", policies=rows,
                  payers=[{"slug": s, "name": n} for s, n in sorted(payers.items(), key=lambda x: x[1].lower())])

    def policy_page(self, p: dict) -> None:
        folder = self.policy_dir(p["key"])
        editions = self.library.editions_of(p["key"])
        for e in editions:
            e["diff_href"] = f"{e['effective']}.html" if e["previous"] else None
            if e["previous"]:
                self.diff_page(f"{folder}/{e['effective']}.html", p, e)
        latest = editions[0]["id"]
        codes = [{**c, "anchor": _code_anchor(c)} for c in self.library.codes_of(latest)]
        statements = [{**s, "lead": s["text"].split("\n", 1)[0]} for s in self.library.statements_of(latest)]
        self.page(f"{folder}/index.html", "policy.html.j2", title=p["title"] or p["key"], page="policy",
                  policy=p, editions=editions, statements=statements, codes=codes)

    def diff_page(self, rel: str, p: dict, e: dict) -> None:
        """The diff report of an edition against the one before it: the report `medpolicy diff
        --format html` writes, with a link back to its policy added after <body> (the report is
        made to stand alone; here it is one page of the site)."""
        from ..diff import diff_policies
        from ..diff.render import render
        from ..store.serialize import load_record

        reader = self.index.store.reader
        old, new = reader.blob(e["previous_oid"]), reader.blob(e["record_oid"])
        if old is None or new is None:
            return
        diff = diff_policies(load_record(old, where=f"{p['key']}@{e['previous']}"),
                             load_record(new, where=f"{p['key']}@{e['effective']}"))
        diff.old.effective, diff.new.effective = e["previous"], e["effective"]
        html = render(diff, "html")
        back = (f'<p style="margin:.5rem 1rem;font:14px system-ui,sans-serif" class="sitenav">'
                f'<a href="index.html">← {Markup.escape(p["title"] or p["key"])}</a> · '
                f'<a href="{"../" * (rel.count("/"))}index.html">all policies</a></p>')
        html = _BODY.sub(lambda m: m.group(0) + back, html, count=1)
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        self.pages += 1
        self.diffs += 1

    def codes_page(self) -> None:
        codes = []
        for c in self.library.code_index():
            codes.append({**c, "anchor": _code_anchor(c), "sort": span(c["system"], c["code"], c["code_end"])[0],
                          "policies": [{"href": f"{self.policy_dir(q['key'])}/index.html",
                                        "label": f"{q['payer'] or q['key'].split('/')[0]}: {q['title'] or q['key']}"}
                                       for q in c["policies"]]})
        self.page("codes.html", "codes.html.j2", title="Codes", page="codes", codes=codes,
                  systems=[s for s in SYSTEMS if any(c["system"] == s for c in codes)])

    def changes_page(self) -> None:
        feed = self.library.changes("0001-01-01")
        items = []
        for c in feed[:RECENT_CHANGES]:
            folder = self.policy_dir(c["policy_key"])
            names = [k for k, n in (c["classes"] or {}).items() if n]
            items.append({**c, "class_names": names, "policy_href": f"{folder}/index.html",
                          "diff_href": f"{folder}/{c['effective']}.html" if c["previous"] else None})
        # the classes in the diff's own order (every verdict names them all, in that order)
        classes = next((list(c["classes"]) for c in feed if c["classes"]), [])
        present = {n for c in items for n in c["class_names"]}
        self.page("changes.html", "changes.html.j2", title="Recent changes", page="changes", items=items,
                  truncated=len(feed) > RECENT_CHANGES, classes=[c for c in classes if c in present])


def _code_anchor(c: dict) -> str:
    return "code-" + _slug(f"{c['system']}-{c['code']}-{c['code_end'] or ''}")
