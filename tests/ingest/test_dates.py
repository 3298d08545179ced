"""Date parsing: every printed style policies use, ranges, two-digit years, impossible dates."""
from __future__ import annotations

import pytest

from medpolicy.ingest.dates import DateMatch, find_date, find_dates, parse_date


@pytest.mark.parametrize("text, iso", [
    ("01/97", "1997-01"),
    ("05/19/98", "1998-05-19"),
    ("4/2019", "2019-04"),
    ("1/1/2012", "2012-01-01"),
    ("11/2011-4/2012", "2011-11"),
    ("11/2011 \u2013 4/2012", "2011-11"),
    ("12/18/25", "2025-12-18"),
    ("May 1, 2026", "2026-05-01"),
    ("Apr. 27, 2026", "2026-04-27"),
    ("Sept 6, 2024", "2024-09-06"),
    ("Dec 12 2024", "2024-12-12"),
    ("MAY 1, 2026", "2026-05-01"),
    ("December 2025", "2025-12"),
    ("March, 2015", "2015-03"),
    ("04/2026", "2026-04"),
    ("09.01.18", "2018-09-01"),
    ("08.18", "2018-08"),
    ("2026-02-15", "2026-02-15"),
    ("2026-02", "2026-02"),
    ("1 March 2024", "2024-03-01"),
    ("28 February, 2023", "2023-02-28"),
    ("2025 Aug 18", "2025-08-18"),
    ('"March 8, 2024"', "2024-03-08"),
    ("\u201cMarch 8, 2024\u201d", "2024-03-08"),
    ("3/1/2018*", "2018-03-01"),
    ("(05/2025)", "2025-05"),
    ("  07/01/2025 ", "2025-07-01"),
    ("November 2011 \u2013 April 2012", "2011-11"),
    ("05-19-1998", "1998-05-19"),
    ("2/29/2024", "2024-02-29"),
])
def test_parse_date_styles(text, iso):
    assert parse_date(text) == (iso, "")


@pytest.mark.parametrize("text, iso", [
    ("01/01/00", "2000-01-01"),
    ("01/01/49", "2049-01-01"),
    ("01/01/50", "1950-01-01"),
    ("6/99", "1999-06"),
    ("12.31.07", "2007-12-31"),
])
def test_two_digit_year_pivot(text, iso):
    assert parse_date(text)[0] == iso


@pytest.mark.parametrize("text", ["9/59/2013", "13/01/2020", "2/30/2020", "2/29/2023", "00/2020", "0/1/2020"])
def test_impossible_dates_are_none_with_reason(text):
    iso, why = parse_date(text)
    assert iso is None
    assert "impossible" in why


@pytest.mark.parametrize("text", ["", "   ", "N/A", "__/__/__", "TBD", "1.2025", "2-17", "Version 4.2015",
                                  "May 1, 2026 and more", "may", "12345", None])
def test_not_dates(text):
    iso, why = parse_date(text)
    assert iso is None
    assert why


def test_find_date_locates_first_date_with_span():
    text = "This policy was approved by the P&T Committee on March 8, 2024."
    m = find_date(text)
    assert m == DateMatch("March 8, 2024", 49, 62, "2024-03-08")
    assert text[m.start:m.end] == m.text


def test_find_date_keeps_a_printed_range_whole():
    m = find_date("Revised 11/2011-4/2012 for ICD-10")
    assert (m.text, m.iso) == ("11/2011-4/2012", "2011-11")


def test_find_date_skips_impossible_and_does_not_split_it():
    text = "Original 9/59/2013; revised 12/4/2014, 9/17/2015"
    assert find_date(text).text == "12/4/2014"
    all_ = find_dates(text, include_invalid=True)
    assert [d.text for d in all_] == ["9/59/2013", "12/4/2014", "9/17/2015"]
    assert all_[0].iso is None and all_[0].reason


@pytest.mark.parametrize("text", [
    "Version 1.2025 of the guideline",     # version numbers
    "ages 2-17 and 18-64",                 # number ranges
    "codes 0537T-0540T",                   # code ranges
    "pages 3826-35",                       # page ranges
    "may 2 weeks later",                   # the verb, not the month
    "costs $12.50 each",                   # money
    "Mayo Clinic 2020",                    # a name that starts like a month
])
def test_find_date_ignores_lookalikes(text):
    assert find_date(text) is None


def test_find_dates_reads_citation_styles():
    text = "Blood Adv. 2024 Feb 27;8(4):1032-1036. Accessed April 3, 2026."
    assert [d.iso for d in find_dates(text)] == ["2024-02-27", "2026-04-03"]
