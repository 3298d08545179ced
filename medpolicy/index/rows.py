"""One edition record -> the index's rows (pure: no database, no git)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..codesystems import span
from ..store.layout import date_sort_key
from .db import row_id

if TYPE_CHECKING:
    from ..models import Policy

DATE_COLUMNS = ("effective", "original_effective", "last_revised", "last_review", "next_review",
                "published", "issued", "approved")


def edition_id(key: str, effective: str) -> int:
    return row_id(key, effective)


def edition_columns(key: str, effective: str, policy: Policy) -> dict[str, object]:
    """The `editions` columns that come from the record itself."""
    cols: dict[str, object] = {
        "id": edition_id(key, effective), "policy_key": key, "effective": effective,
        "effective_day": date_sort_key(effective)[0], "payer": policy.payer,
        "policy_id": policy.policy_id, "title": policy.title,
        "source_name": policy.source.path.rsplit("/", 1)[-1], "source_format": policy.source.format,
        "source_sha256": policy.source.sha256,
    }
    for name in DATE_COLUMNS:
        cols[f"date_{name}"] = getattr(policy.dates, name)
    return cols


def child_rows(key: str, effective: str, policy: Policy) -> dict[str, list[tuple]]:
    """Rows of the tables that belong to one edition, in each table's column order."""
    eid = edition_id(key, effective)

    def rid(table: str, i: int) -> int:
        return row_id(key, effective, table, i)

    return {
        "statements": [(rid("statements", i), eid, i, s.id, s.position.value, s.section, s.lead, s.text,
                        json.dumps(list(s.criteria), ensure_ascii=False))
                       for i, s in enumerate(policy.statements)],
        "codes": [(rid("codes", i), eid, i, c.system.value, c.code, c.code_end, c.description,
                   *span(c.system.value, c.code, c.code_end))
                  for i, c in enumerate(policy.codes)],
        "history": [(rid("history", i), eid, i, h.date, h.date_text, h.summary)
                    for i, h in enumerate(policy.history)],
        "refs": [(rid("refs", i), eid, i, r.number, r.text, r.pmid, r.doi, r.url)
                 for i, r in enumerate(policy.references)],
        "related": [(rid("related", i), eid, i, r.policy_id, r.title)
                    for i, r in enumerate(policy.related_policies)],
        "sections": [(rid("sections", i), eid, i, s.heading, s.kind, s.level, s.text)
                     for i, s in enumerate(policy.sections)],
    }


def change_rows(key: str, effective: str, changes: list[tuple[str, str, str, str]]) -> list[tuple]:
    eid = edition_id(key, effective)
    return [(row_id(key, effective, "changes", i), eid, i, kind, op, cls, label)
            for i, (kind, op, cls, label) in enumerate(changes)]
