"""Questions asked of the library, with answers worked out by hand from the documents: the bundled
samples (examples/policies) and documents of ../shared (see conftest.SHARED_DOCS)."""
from __future__ import annotations

import pytest

from medpolicy.errors import UsageError
from medpolicy.index import Query, Scope

from .conftest import opened

MP7 = "northwind-health-plan/mp-7.042"
MP1 = "northwind-health-plan/mp-1.118"
MP4 = "northwind-health-plan/mp-4.203"


def search(store, **kw):
    scope = Scope(as_of=kw.pop("as_of", None), payers=tuple(kw.pop("payers", ())))
    with opened(store) as index:
        return index.search(Query(scope=scope, **kw))


def where(hits):
    return sorted({(h["policy_key"], h["effective"]) for h in hits})


# --- codes -------------------------------------------------------------------------------------

def test_a_code_named_only_through_a_range_is_found(samples_store):
    # MP-1.118 lists "E10.10-E10.9 Type 1 diabetes mellitus" and never E10.65 itself
    hits = search(samples_store, code="E10.65")
    assert [(h["policy_key"], h["code"], h["code_end"], h["description"]) for h in hits] == \
        [(MP1, "E10.10", "E10.9", "Type 1 diabetes mellitus")]
    assert hits[0]["match"] == "code" and hits[0]["payer"] == "Northwind Health Plan"


@pytest.mark.parametrize("code, listed", [
    ("M17.11", ("M17.0", "M17.9")),  # MP-7.042: osteoarthritis of knee
    ("T84.84XD", ("T84.84XA", "T84.84XS")),  # a seventh character inside the range
    ("Z96.652", ("Z96.651", "Z96.659")),
    ("M25.56", ("M25.561", "M25.569")),  # the parent category overlaps the range
])
def test_icd_codes_inside_ranges(samples_store, code, listed):
    hits = search(samples_store, code=code)
    assert [(h["policy_key"], h["code"], h["code_end"]) for h in hits] == [(MP7, *listed)]


def test_a_code_outside_every_range_is_not_found(samples_store):
    assert search(samples_store, code="E12.9") == []  # between E11.00-E11.9 and E13.00-E13.9
    assert search(samples_store, code="64455") == []


def test_as_of_returns_the_edition_in_effect(samples_store):
    # MP-7.042: CPT 64454 added and ICD-10-CM G89.29 removed by the edition of 2026-03-01
    assert where(search(samples_store, code="64454")) == [(MP7, "2026-03-01")]
    assert search(samples_store, code="64454", as_of="2026-02-28") == []
    assert search(samples_store, code="G89.29") == []
    assert where(search(samples_store, code="G89.29", as_of="2026-02-28")) == [(MP7, "2025-03-01")]
    assert where(search(samples_store, code="G89.29", as_of="2025-02-28")) == [(MP7, "2024-03-01")]
    assert where(search(samples_store, code="G89.29", as_of="2024-03-01")) == [(MP7, "2024-03-01")]
    # before the first edition took effect there is nothing in effect
    assert search(samples_store, code="G89.29", as_of="2024-02-29") == []
    # MP-1.118: K0553 removed and A4238 added on 2026-01-01
    assert where(search(samples_store, code="K0553", as_of="2025-12-31")) == [(MP1, "2025-01-01")]
    assert search(samples_store, code="K0553") == []
    assert where(search(samples_store, code="A4238")) == [(MP1, "2026-01-01")]


def test_a_word_that_is_no_code_is_refused(samples_store):
    with pytest.raises(UsageError, match="does not look like"):
        search(samples_store, code="liquid")


# --- positions and text --------------------------------------------------------------------------

def test_position_lists_the_statements_that_take_it(samples_store):
    hits = search(samples_store, position="not_covered")
    assert sorted((h["policy_key"], " ".join(h["text"].split()[:5])) for h in hits) == [
        (MP1, "Replacement of a working CGM"),
        (MP4, "More than 36 treatment sessions"),
        (MP7, "More than two radiofrequency ablation"),
    ]
    assert {h["match"] for h in hits} == {"statement"}
    assert {h["position"] for h in hits} == {"not_covered"}


def test_text_and_position_together(samples_store):
    # MP-7.042 statement I (medically necessary) requires a diagnostic block; statement III
    # (investigational) also names one, and is left out by the position
    hits = search(samples_store, text="diagnostic block", position="medically_necessary")
    assert [(h["policy_key"], h["statement_id"], h["section"]) for h in hits] == [(MP7, "S1", "Policy")]
    assert "**diagnostic** **block**" in hits[0]["snippet"]
    assert len(hits[0]["criteria"]) == 5  # criteria A-E


def test_words_said_only_outside_statements_are_found_in_sections(samples_store):
    # MP-4.203 names theta burst protocols in its Policy Guidelines and Description, not in a statement
    hits = search(samples_store, text="theta burst")
    assert {h["policy_key"] for h in hits} == {MP4}
    assert {h["match"] for h in hits} == {"section"}
    assert "Policy Guidelines" in {h["heading"] for h in hits}


def test_text_is_words_not_syntax(samples_store):
    # quotes, hyphens and FTS operators in what a user types are words, never an error
    assert search(samples_store, text='diagnostic -( block "') == search(samples_store, text="diagnostic block")
    assert search(samples_store, text="theta OR nonexistentword") == []  # OR is a word here
    with pytest.raises(UsageError):
        search(samples_store, text='-( "')


def test_limit_keeps_the_best_matching_policies(samples_store):
    everything = search(samples_store, text="investigational")
    assert len({h["policy_key"] for h in everything}) == 3
    best = search(samples_store, text="investigational", limit=1)
    assert len({h["policy_key"] for h in best}) == 1
    assert best == [h for h in everything if h["policy_key"] == best[0]["policy_key"]]  # snippets included
    assert all("**investigational**" in h["snippet"] for h in best)
    with pytest.raises(UsageError):
        search(samples_store, code="64454", limit=0)


def test_code_and_position_narrow_each_other(samples_store):
    hits = search(samples_store, code="E10.65", position="investigational")
    assert [(h["match"], h["policy_key"]) for h in hits] == [("code", MP1), ("statement", MP1)]
    assert search(samples_store, code="64454", position="not_medically_necessary") == []


def test_compare_one_row_per_policy_with_positions_and_criteria(samples_store):
    with opened(samples_store) as index:
        rows = index.compare(Query(text="diagnostic block"))
    assert [(r["policy_key"], r["positions"]) for r in rows] == [(MP7, ["medically_necessary", "investigational"])]
    first = rows[0]["statements"][0]
    assert first["statement_id"] == "S1" and first["criteria"][0].startswith("A. Knee pain has been present")


# --- shared documents -----------------------------------------------------------------------------

EXCELLUS_CTDNA = "excellus-bluecross-blueshield/2.02.56"
EXCELLUS_CART = "excellus-bluecross-blueshield/7.02.11"
PREMERA = "premera-blue-cross/8.01.01"


@pytest.mark.corpus
@pytest.mark.parametrize("code, key, listed", [
    ("C20", EXCELLUS_CTDNA, ("C18.0", "C21.8")),  # rectum, inside "C18.0-C21.8 ... (code range)"
    ("C50.411", EXCELLUS_CTDNA, ("C50.011", "C50.929")),  # a range printed over two lines ('C50.011-' / 'C50.929')
    ("C61", EXCELLUS_CTDNA, ("C61", None)),  # the row 'C61 ...' at the top of a continued code table page
    ("C83.35", EXCELLUS_CART, ("C83.30", "C83.39")),
    ("S2107", PREMERA, ("S2107", None)),
])
def test_shared_documents_codes(library_store, code, key, listed):
    hits = search(library_store, code=code)
    assert [(h["policy_key"], h["code"], h["code_end"]) for h in hits] == [(key, *listed)]


@pytest.mark.corpus
def test_shared_documents_text_position_and_payer(library_store):
    # Excellus 2.02.56 statement II: "Circulating tumor DNA (ctDNA or liquid biopsy) analysis is
    # considered investigational for ALL other indications"
    hits = search(library_store, text="liquid biopsy", position="investigational")
    assert EXCELLUS_CTDNA in {h["policy_key"] for h in hits}
    assert all(h["position"] == "investigational" for h in hits)
    # Premera 8.01.01: adoptive immunotherapy is investigational
    premera = search(library_store, position="investigational", payers=["premera"])
    assert {h["policy_key"] for h in premera} == {PREMERA}
    assert premera[0]["text"].startswith("All adoptive immunotherapy techniques")
    assert {h["policy_key"] for h in search(library_store, position="medically_necessary", payers=["excellus"])} \
        == {EXCELLUS_CTDNA, EXCELLUS_CART}


@pytest.mark.corpus
def test_shared_documents_as_of(library_store):
    assert where(search(library_store, code="36511", as_of="2026-04-30")) == [(PREMERA, "2025-05-01")]
    assert where(search(library_store, code="36511", as_of="2026-05-01")) == [(PREMERA, "2026-05-01")]
    assert search(library_store, code="36511", as_of="2025-04-30") == []
    assert where(search(library_store, code="38225", as_of="2026-03-01")) == [(EXCELLUS_CART, "2026-02-15")]
