"""Code shapes and each system's ordering (ranges, hierarchy)."""
from __future__ import annotations

import pytest

from medpolicy.codesystems import CM, CPT, HCPCS, PCS, span, systems_of


def covers(system: str, stored: tuple[str, str | None], query: str) -> bool:
    low, high = span(system, *stored)
    q_low, q_high = span(system, query)
    return low <= q_high and q_low <= high


@pytest.mark.parametrize("system, stored, query, expected", [
    (CPT, ("81410", "81471"), "81445", True),
    (CPT, ("81410", "81471"), "81471", True),
    (CPT, ("81410", "81471"), "81472", False),
    (CPT, ("0042T", "0054T"), "0050T", True),
    (CPT, ("0042T", "0054T"), "00500", False),  # Category I 00500 is not within a T range
    (CPT, ("0001U", "0350U"), "0100U", True),
    (CPT, ("64624", None), "64624", True),
    (HCPCS, ("J0120", "J9999"), "J1234", True),
    (HCPCS, ("J0120", "J9999"), "K0553", False),
    (CM, ("C43.0", "C43.9"), "C43.4", True),
    (CM, ("C43.0", "C43.9"), "C43.52", True),  # below a code of the range
    (CM, ("C43.0", "C43.9"), "C43", True),  # the category overlaps the range
    (CM, ("C43.0", "C43.9"), "C44.0", False),
    (CM, ("C43", None), "C43.4", True),  # a category covers its codes
    (CM, ("E10.10", "E10.9"), "E10.65", True),  # ends of different depth
    (CM, ("E10.10", "E10.9"), "E11.65", False),
    (CM, ("T84.84XA", "T84.84XS"), "T84.84XD", True),
    (CM, ("M25.561", "M25.569"), "M25.56", True),
    (CM, ("M25.561", "M25.569"), "M25.571", False),
    (CM, ("Z96.651", "Z96.659"), "z96.653", True),  # case does not matter
    (PCS, ("0SRC0J9", None), "0SRC0J9", True),
    (PCS, ("0SRC0J9", None), "0SRC0JA", False),
])
def test_ranges_by_each_systems_ordering(system, stored, query, expected):
    assert covers(system, stored, query) is expected


def test_a_backwards_range_still_covers_what_lies_between():
    assert covers(CPT, ("81471", "81410"), "81445")


@pytest.mark.parametrize("code, systems", [
    ("81445", [CPT]),
    ("0042T", [CPT]),
    ("G2054", [HCPCS]),  # not ICD-10-CM G20.54: ICD codes are looked up with their dot
    ("C43.4", [CM]),
    ("c43", [CM]),
    ("T84.84XA", [CM]),
    ("0SRC0J9", [PCS]),
    ("liquid", []),
    ("8145", []),
])
def test_systems_of_a_looked_up_code(code, systems):
    assert systems_of(code) == systems
