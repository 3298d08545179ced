"""Identity across editions is defined once, on the record models."""
from medpolicy.models import Code, HistoryEntry, Reference, RelatedPolicy, Statement
from medpolicy.models.reference import find_pmid


def test_code_identity_is_system_and_code():
    a = Code(system="ICD-10-CM", code=" m17.0 ", code_end="M17.4", description="Osteoarthritis")
    b = Code(system="ICD-10-CM", code="M17.0", code_end="M17.9", description="Other words")
    assert a.identity() == b.identity() == ("ICD-10-CM", "M17.0")
    assert Code(system="CPT", code="0537T").identity() != Code(system="HCPCS", code="0537T").identity()


def test_statement_identity_is_its_lead_without_layout():
    a = Statement(id="S1", text="I. Widget therapy is “medically necessary” when:\nA. one;\nB. two.",
                  position="medically_necessary")
    b = Statement(id="S7", text="1. Widget  therapy is \"Medically Necessary\" when:\nA. three.",
                  position="investigational", criteria=["A. three."])
    assert a.identity() == b.identity()
    assert a.lead == "I. Widget therapy is “medically necessary” when:"
    assert Statement(id="S1", text="Gadget therapy is covered.", position="covered").identity() != a.identity()


def test_history_identity_is_date_and_summary():
    a = HistoryEntry(date="2024-03", date_text="03/2024", summary="Annual review.")
    b = HistoryEntry(date="2024-03", date_text="March 2024", summary="Annual  REVIEW")
    assert a.identity() == b.identity()
    assert a.identity() != HistoryEntry(date="2025-03", date_text="03/2025", summary="Annual review.").identity()
    assert HistoryEntry(date_text="Spring 2020", summary="x").identity() == ("spring 2020", "x")


def test_related_policy_identity_ignores_spacing_case_and_hash():
    assert RelatedPolicy(policy_id="#MP 7.010").identity() == RelatedPolicy(policy_id="mp7.010", title="X").identity()


def test_reference_identities_strongest_first():
    r = Reference(number=3, text="Smith A. Outcomes. J Pain. 2020;1:1-9. doi:10.1000/ABC.1. "
                  "https://WWW.Example.org/p/. Accessed June 30, 2025.", pmid="PMID: 123456")
    ids = r.identities()
    assert list(ids) == ["pmid", "doi", "url", "text", "undated", "unnumbered"]
    assert ids["pmid"] == "123456" and ids["doi"] == "10.1000/abc.1" and ids["url"] == "example.org/p"
    assert r.identity() == ("pmid", "123456")
    assert Reference(text="A plain citation without ids at all.").identity() == ("text", "a plain citation without ids at all.")


def test_reference_ids_fall_back_on_the_text():
    r = Reference(text="Jones B. Trial. Lancet. 2019. PMID 7654321. Available at pubmed.ncbi.nlm.nih.gov/7654321")
    assert r.identities()["pmid"] == "7654321"
    assert find_pmid("see https://pubmed.ncbi.nlm.nih.gov/555666/") == "555666"
    assert find_pmid("no identifier here") is None


def test_reference_next_version_keeps_its_unnumbered_identity():
    old = Reference(text="NCCN. Breast cancer. Clinical Practice Guidelines, Version 3.2025. Accessed April 30, 2025.")
    new = Reference(text="NCCN. Breast cancer. Clinical Practice Guidelines, Version 1.2026. Accessed May 8, 2026.")
    other = Reference(text="NCCN. Colon cancer. Clinical Practice Guidelines, Version 3.2025. Accessed April 30, 2025.")
    assert old.identities()["unnumbered"] == new.identities()["unnumbered"] != other.identities()["unnumbered"]
    insert = Reference(text="Ibrance [package insert]. New York, NY; Pfizer Labs; September 2023.")
    assert insert.identities()["undated"] == Reference(
        text="Ibrance [package insert]. New York, NY; Pfizer Labs; April 2024.").identities()["undated"]
    assert Reference(text="NCCN 2024.").identities()["undated"] is None  # too short to name a work
