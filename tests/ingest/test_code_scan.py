"""code_scan: shapes, labels and the reading of one line, on snippets shaped like payers' text."""
from __future__ import annotations

import pytest

from medpolicy.ingest.code_scan import (code_column_header, is_history_header, is_placeholder, label_system,
                                        scan_line, system_of)


@pytest.mark.parametrize("code, context, system", [
    ("0DTJ4ZZ", None, "ICD-10-PCS"),
    ("XW0DXJ5", "ICD-10-PCS", "ICD-10-PCS"),  # few digits, but under its own label
    ("CACNA1A", "ICD-10", None),  # a gene symbol: too few digits for a PCS code
    ("SLC37A4", None, None),  # "S" names no PCS section
    ("0DTJ4ZZ", "CPT", None),  # a 7-character token under a CPT label is not a PCS code
    ("L858R", "ICD-10-CM", None),  # an amino-acid change, not a dotless CM code
    ("E1165", "ICD-10-CM", "ICD-10-CM"),
])
def test_system_of_shapes_that_look_alike(code, context, system):
    assert system_of(code, context) == system


@pytest.mark.parametrize("text, system", [
    ("ICD-10 Diagnosis", "ICD-10"),
    ("CPT/HCPCS Level II Codes (Note: The inclusion of a code in this list is not a guarantee of", "ANY"),
    ("Established codes:", "ANY"),
    ("CPT code 77014", None),  # a code row, not a label
    ("3/1/21 2/2/21 Routine maintenance, codes", None),  # the end of a history row's line
])
def test_label_system_new_labels(text, system):
    assert label_system(text) == system


@pytest.mark.parametrize("text, system", [
    ("Tests addressed by this guidelineProcedure codes", "ANY"),
    ("Example Tests (Labs) Common CPT Codes", "CPT"),
    ("CPT Codes", None),  # a plain label: no name column before the codes
    ("The following codes", None),
])
def test_code_column_header(text, system):
    assert code_column_header(text) == system


@pytest.mark.parametrize("text, expected", [
    ("Status Review Date Effective Date Action", True),
    ("Type of Revision Summary of Changes Date", True),
    ("Date Comments", True),
    ("Code Description", False),
    ("Effective Date", False),
])
def test_history_header(text, expected):
    assert is_history_header(text) is expected


@pytest.mark.parametrize("text", ["No code(s) identified", "Not Applicable", "n/a", "No specific codes", "N/A.",
                                  "None", "None applicable", "- NA -"])
def test_placeholders(text):
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["Nonspecific code", "Unlisted molecular pathology procedure", "-"])
def test_not_placeholders(text):
    assert not is_placeholder(text)


def rows(text, table=True, context=None):
    scan = scan_line(text, context, table=table)
    return [[c[1] for c in r.codes] for r in scan.rows]


@pytest.mark.parametrize("text, table, expected", [
    ("81200 Gene analysis (eg, codons 12 and 13) 81201 Gene analysis, exon 2", True, [["81200"], ["81201"]]),
    ("81200 Gene analysis [for ABC1 81201, 81202]", True, [["81200"]]),  # codes in brackets are mentions
    ("0239U C15, C16, C25 Zeta Liquid 1, 2, 3", True, [["0239U", "C15", "C16", "C25"]]),  # code columns
    ("0364U clonoSEQ Assay, Example Labs", True, [["0364U"]]),  # a description may start in lower case
    ("0001U is replaced by 0002U in 2025", True, []),
    ("Franklin, TN 37067 (555) 010-0100", True, []),  # an address
    ("analysis of cfDNA (>20000 regions) in plasma", True, []),
    ("CPT 81535 and 81536 Example Chemo Assay", False, [["81535", "81536"]]),
    ("CPT code 81500 used alone", False, []),  # running text: "used" goes on with the sentence
    ("Added CPT codes 0485U, 0486U to the policy", False, []),
    ("81462 81479 Solid organ panel", False, []),  # no label: not a code in running text
    ("CPT Code(s): 81479 Unlisted molecular pathology", False, [["81479"]]),
    # a parenthesis opened further back than the window the scanner reads
    ("Services (CPT codes 77014, 77280, 77285, 77290, 77295, 77306, 77307, 77316, 77317, 77318, 77321, 77331, "
     "77332, 77333, 77334, 77336, 77338, 77370, 77371, 77372, 77373) reported for the plan (CPT code 77301) are "
     "included", False, []),
])
def test_scan_line(text, table, expected):
    assert rows(text, table) == expected
