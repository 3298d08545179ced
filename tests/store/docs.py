"""Small invented policy documents for store tests (written here, not taken from any corpus)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from medpolicy.models import Code, CodeSystem, Policy, PolicyDates, Position, SourceInfo, Statement


def policy_text(policy_id: str = "TS-1.001", effective: str = "03/01/2025", *, payer: str = "Contoso Health",
                title: str = "Widget Therapy for Testing", extra: str = "") -> str:
    return f"""{title}

Medical Policy
Policy Number: {policy_id}
Effective Date: {effective}
Last Review: 01/15/2025

Policy Statement

Widget therapy is considered medically necessary for adults with chronic test syndrome when ALL of the following criteria are met:
1. The member has tried two standard treatments without benefit;
2. The therapy is ordered by a specialist.

Widget therapy is considered investigational for all other indications. {extra}

Coding

CPT	Description
97999	Unlisted physical medicine service

Policy History

Date	Action
01/15/2025	Annual review. No changes to policy statements.

© 2025 {payer}. All rights reserved.
"""


def write_doc(folder: Path, name: str, **kw) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(policy_text(**kw), encoding="utf-8")
    return path


def record(policy_id: str | None = "TS-1.001", effective: str | None = "2025-03-01", *, payer: str | None = "Contoso",
           title: str | None = "Widget Therapy", text: str = "Widget therapy is investigational.",
           codes: tuple[str, ...] = ("97999",), salt: str = "") -> tuple[Policy, bytes]:
    """A record built directly from the models, with source bytes that match its sha256."""
    source = f"{payer}|{policy_id}|{title}|{effective}|{text}|{codes}|{salt}".encode()
    policy = Policy(
        policy_id=policy_id, title=title, payer=payer, dates=PolicyDates(effective=effective),
        statements=[Statement(id="S1", text=text, position=Position.INVESTIGATIONAL)],
        codes=[Code(system=CodeSystem.CPT, code=c) for c in codes],
        source=SourceInfo(path=f"/somewhere/{policy_id}-{effective}.txt", format="text",
                          sha256=hashlib.sha256(source).hexdigest(), size=len(source)),
    )
    return policy, source
