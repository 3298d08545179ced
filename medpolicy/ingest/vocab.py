"""The vocabulary of the parser: every rules file under ingest/rules/, loaded once and validated
by a pydantic model that rejects unknown keys, so a typo in a rules file fails loudly at load
time instead of silently matching nothing.

This module imports only pydantic and the standard library: the store and the CLI use the payer
names (identity across letterhead changes) without loading the parsing stack.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    doc: str = Field("", alias="_doc")


def _load(name: str) -> dict:
    return json.loads(resources.files("medpolicy.ingest").joinpath(f"rules/{name}").read_text("utf-8"))


# -- payers ------------------------------------------------------------------------------------

class Payer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    family: str
    self_only: bool = False
    kind: Literal["payer", "vendor", "contractor"] = "payer"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class PayerRules(_Rules):
    payers: tuple[Payer, ...]
    never_payers: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def payer_rules() -> PayerRules:
    return PayerRules.model_validate(_load("payers.json"))


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9&]+", " ", name.lower().replace(" and ", " & ")).strip()


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Payer]:
    out: dict[str, Payer] = {}
    for p in payer_rules().payers:
        for n in p.names:
            out.setdefault(_key(n), p)
    return out


def find_payer(name: str | None) -> Payer | None:
    """The known organisation a printed name (full, short or alias) stands for."""
    if not name:
        return None
    return _by_name().get(_key(name))


def payer_family(name: str | None) -> str | None:
    """The policy library a payer name belongs to (a renamed letterhead, a plan and its parent
    share one); None for a name not in rules/payers.json."""
    p = find_payer(name)
    return p.family if p else None


# -- kinds of non-policy documents --------------------------------------------------------------

class DocTypeRules(_Rules):
    error_page_max_chars: int
    error_page: tuple[str, ...]
    bulletin_title: tuple[str, ...]
    bulletin_entry: str
    bulletin_min_policies: int
    index_min_entries: int
    index_entry_max_words: int
    index_min_share: float


@lru_cache(maxsize=1)
def doctype_rules() -> DocTypeRules:
    rules = DocTypeRules.model_validate(_load("doctypes.json"))
    for pat in (*rules.error_page, *rules.bulletin_title, rules.bulletin_entry):
        re.compile(pat)  # a broken pattern fails here, at load time
    return rules
