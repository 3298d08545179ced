"""Lines that only repeat the edition's identity are furniture, found in one pass over all lines."""
from medpolicy.diff.furniture import Furniture
from medpolicy.textnorm import normalize_lines

from .diff_builders import edition


def test_running_headers_and_banners_are_furniture_other_lines_are_not():
    keys = ["Northwind Health Plan | Genicular Nerve Radiofrequency Ablation | Policy Number: MP-7.042",
            "Medical Policy: Genicular Nerve Radiofrequency Ablation",
            "Genicular nerve radiofrequency ablation is considered medically necessary for adults with chronic "
            "knee pain when all of the following criteria are met:",
            "MP-7.042 Effective Date",
            "See also policy MP-7.010 for knee arthroplasty in adults with chronic pain after an injury to the "
            "knee joint or after a failed first procedure of any kind at all.",
            "Background"]
    assert Furniture(edition()).lines(normalize_lines(keys)) == {0, 1, 3}  # keys, as the text diff passes them


def test_nothing_is_furniture_without_names():
    e = edition(title=None, payer=None, policy_id=None)
    assert Furniture(e).lines(["Anything at all", "MP-7.042"]) == set()


def test_print_and_download_stamps_are_not_changes():
    from medpolicy.diff import diff_policies

    old, new = edition(), edition()
    old.sections[1].text = "Printed on 2/5/2026 10:32 AM\n" + old.sections[1].text + "\nPrinted copies are uncontrolled."
    new.sections[1].text = "Downloaded: March 22, 2026\n" + new.sections[1].text + "\nUncontrolled when printed."
    assert diff_policies(old, new).summary_line() == "no changes"
    keys = ["Printed by jdoe on 03/22/2026", "Date printed: 2026-03-22", "The printed report is reviewed yearly."]
    assert Furniture(edition(title=None, payer=None, policy_id=None)).lines(keys, keys) == {0, 1}
