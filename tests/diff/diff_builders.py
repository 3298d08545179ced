"""Hand-built Policy records for diff tests, independent of the parser (imported by the tests
of this folder; pytest puts the folder on sys.path).

`edition()` builds a small but complete policy: statements, codes, history, references, related
policies and sections whose text holds the statements, as a parser would produce it.
"""
from __future__ import annotations

from medpolicy.models import (Code, HistoryEntry, Policy, PolicyDates, Reference, RelatedPolicy, Section,
                              SourceInfo, Statement)

STATEMENTS = [
    ("Genicular nerve radiofrequency ablation is considered medically necessary for adults with chronic "
     "knee pain when all of the following criteria are met:\n1. Pain has lasted at least six months;\n"
     "2. Conservative treatment has failed.", "medically_necessary"),
    ("Genicular nerve radiofrequency ablation is considered investigational for all other indications, "
     "including pain after total knee arthroplasty.", "investigational"),
    ("Repeat ablation of the same knee within six months is not medically necessary.", "not_medically_necessary"),
]

BACKGROUND = [
    "Chronic knee pain from osteoarthritis affects a large share of older adults and limits walking, "
    "stair climbing and sleep.",
    "Radiofrequency ablation heats the genicular nerves with a probe placed under image-guided "
    "fluoroscopy, interrupting pain signals from the joint for several months.",
    "Randomized sham-controlled trials comparing ablation with placebo report greater pain relief at six "
    "months, although the effect declines by twelve months in most well-conducted long-term studies.",
    "Cooled radiofrequency creates larger lesions than conventional probes; direct comparisons between "
    "the two techniques remain few and small.",
]

REFERENCES = [
    dict(number=1, text="Halvorsen KT, Okafor CN. Radiofrequency ablation of the genicular nerves: a randomized "
         "sham-controlled trial. Pain Med Rep. 2021;14(3):211-220. PMID 48120331.", pmid="48120331"),
    dict(number=2, text="Delacroix P, Amadi U. Cooled versus conventional ablation for knee pain. Reg Anesth. "
         "2020;9(2):88-97. doi:10.5555/raip.2020.0207.", doi="10.5555/raip.2020.0207"),
    dict(number=3, text="Northwind Health Plan. Neuromodulation guidance. https://www.example.org/nw/guidance. "
         "Accessed June 30, 2025.", url="https://www.example.org/nw/guidance"),
    dict(number=4, text="Lindqvist M. Knee pain in older adults: a review of treatment options. Orthop Rev. 2019;3:1-9."),
]


def edition(**changes) -> Policy:
    """A complete edition; keyword arguments replace its parts (lists of the models, or of
    (text, position) pairs for statements)."""
    statements = changes.pop("statements", STATEMENTS)
    background = changes.pop("background", BACKGROUND)
    stmts = [Statement(id=f"S{i}", text=t, position=p, section="Policy") for i, (t, p) in enumerate(statements, 1)]
    fields = dict(
        policy_id="MP-7.042",
        title="Genicular Nerve Radiofrequency Ablation",
        payer="Northwind Health Plan",
        dates=PolicyDates(effective="2025-03-01", original_effective="2016-10-01"),
        related_policies=[RelatedPolicy(policy_id="MP-7.010", title="Knee Arthroplasty")],
        statements=stmts,
        codes=[Code(system="CPT", code="64624", description="Destruction by neurolytic agent, genicular nerve"),
               Code(system="ICD-10-CM", code="M17.0", code_end="M17.9", description="Osteoarthritis of knee")],
        history=[HistoryEntry(date="2016-10", date_text="10/2016", summary="New policy."),
                 HistoryEntry(date="2024-03-01", date_text="03/01/2024", summary="Annual review. References updated.")],
        references=[Reference(**r) for r in REFERENCES],
        source=SourceInfo(path="policy.txt", sha256="0" * 64, format="text"),
    )
    fields.update(changes)
    if "sections" not in changes:
        fields["sections"] = [
            Section(heading="Policy", kind="policy", text="\n".join(s.text for s in fields["statements"])),
            Section(heading="Background", kind="background", text="\n".join(background)),
            Section(heading="References", kind="references",
                    text="\n".join(f"{r.number}. {r.text}" if r.number else r.text for r in fields["references"])),
        ]
    return Policy(**fields)
