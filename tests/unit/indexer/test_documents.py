"""Index records built from (unsaved) SQL model objects: no database, no Elasticsearch."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from indexer.documents import (
    document_context,
    document_doc,
    has_arabic_script,
    page_doc,
    statute_keys_with_broader,
    statute_sections,
)
from models import (
    Case,
    CaseLaw,
    DocType,
    Document,
    DocumentStatus,
    Entity,
    Page,
    PageStatus,
    Party,
    PoliceStation,
)
from models.users import District


def _document() -> Document:
    district = District(id=3, name="Mardan")
    return Document(id=42, title="", original_filename="fir_45.pdf", doc_type=DocType.FIR, district_id=3,
                    district=district, status=DocumentStatus.INDEXING, page_count=2,
                    created_at=datetime(2024, 5, 1, 10, 0))


def _case() -> Case:
    ps = PoliceStation(id=1, name="Saddar", district_id=3)
    case = Case(id=7, fir_number="45", fir_year=2019, police_station_id=1, police_station=ps, district_id=3,
                sections=["PPC 302(b)", "PPC 34"], stage="trial", court="Sessions Court Mardan",
                court_case_number="SC-12/2020")
    case.parties = [Party(name="Ali Khan", role="accused"), Party(name="Gul Bibi", role="complainant")]
    return case


def _entity(kind: str, key: str) -> Entity:
    return Entity(kind=kind, key=key, raw=key, start=0, end=len(key), source="rules", attrs={})


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["PPC 302"], ["PPC 302"]),
        (["PPC 302(b)"], ["PPC 302(b)", "PPC 302"]),
        (["CrPC 497(2)(a)"], ["CrPC 497(2)(a)", "CrPC 497(2)", "CrPC 497"]),
        (["PPC 302(b)", "PPC 302"], ["PPC 302(b)", "PPC 302"]),
    ],
)
def test_statute_keys_with_broader(keys: list[str], expected: list[str]) -> None:
    assert statute_keys_with_broader(keys) == expected


def test_statute_sections() -> None:
    assert statute_sections(["PPC 302(b)", "PPC 302", "CrPC 302"]) == ["302(b)", "302"]


def test_arabic_script_detection() -> None:
    assert has_arabic_script("قتل عمد")
    assert has_arabic_script("FIR نمبر 45")
    assert not has_arabic_script("murder 302 PPC")


def test_page_record_from_case_file() -> None:
    document = _document()
    context = document_context(document, _case(), None)
    page = Page(document_id=42, page_no=2, status=PageStatus.TEXT_DONE, source="ocr", text="murdr of Ali",
                corrected_text="murder of Ali", language="eng", mean_confidence=71.5)
    entities = [_entity("statute", "PPC 302(b)"), _entity("person", "Ali Khan"),
                _entity("date", "2019-03-04"),
                _entity("date", "4th March"), _entity("citation", "PLD 2010 SC 123"),
                _entity("fir", "FIR 45/2019 PS Saddar")]
    record = page_doc(context, page, entities)
    assert record.es_id == "page-42-2"
    src = record.to_source()
    assert src["text"] == "murder of Ali"          # the correction is searched
    assert src["text_machine"] == "murdr of Ali"   # the machine text is kept
    assert "text_rtl" not in src
    assert src["document_id"] == "42" and src["district_id"] == "3" and src["case_id"] == "7"
    assert src["title"] == "fir_45.pdf"
    assert src["police_station"] == "Saddar" and src["case_stage"] == "trial"
    assert src["statutes"] == ["PPC 302(b)", "PPC 302"]
    assert src["statute_sections"] == ["302(b)", "302"]
    assert src["people"] == ["Ali Khan"] and src["dates"] == ["2019-03-04"]
    assert src["citations"] == ["PLD 2010 SC 123"]
    assert src["fir_keys"] == ["FIR 45/2019", "FIR 45/2019 PS Saddar"]
    assert src["parties"] == ["Ali Khan", "Gul Bibi"] and src["year"] == 2019
    assert src["is_case_law"] is False


def test_uncorrected_urdu_page() -> None:
    page = Page(document_id=42, page_no=1, status=PageStatus.TEXT_DONE, source="ocr", text="مقدمہ قتل",
                corrected_text=None, language="urd", mean_confidence=60.0)
    src = page_doc(document_context(_document(), None, None), page, []).to_source()
    assert src["text"] == src["text_rtl"] == "مقدمہ قتل"
    assert "text_machine" not in src and "case_id" not in src


def test_case_law_document_record() -> None:
    document = _document()
    document.doc_type = DocType.JUDGMENT
    law = CaseLaw(document_id=42, citation="PLD 2010 SC 123", court="Supreme Court of Pakistan",
                  decided_on=date(2010, 6, 1), parties="State v. Ali Khan", judge="A. Judge, B. Judge",
                  case_number="Crl.A.12-2009", summary="Conviction upheld.")
    context = document_context(document, None, law)
    page = Page(document_id=42, page_no=1, status=PageStatus.TEXT_DONE, source="text_layer", text="x",
                language="eng")
    pages = [page_doc(context, page, [_entity("statute", "PPC 302")])]
    record = document_doc(context, document, pages)
    assert record.es_id == "doc-42"
    src = record.to_source()
    assert src["is_case_law"] is True and src["citation"] == "PLD 2010 SC 123"
    assert src["judges"] == ["A. Judge", "B. Judge"]
    assert src["decided_on"] == src["doc_date"] == "2010-06-01" and src["year"] == 2010
    assert src["statutes"] == ["PPC 302"] and src["language"] == "eng" and src["page_count"] == 2


def test_case_law_record_carries_every_report_and_every_case_number() -> None:
    """A second citation or case number a librarian types is searchable, not only the first."""
    law = CaseLaw(document_id=42, citation="SCMR 2022 1641", parallel_citations=["PLD 2022 SC 10"],
                  case_number="Crl.A.95-2019", case_numbers=["Crl.A.95-2019", "Crl.A.96-2019"])
    src = document_context(_document(), None, law).shared_source()
    assert src["citation"] == "SCMR 2022 1641"
    assert src["reported_citations"] == ["SCMR 2022 1641", "PLD 2022 SC 10"]
    assert src["case_numbers"] == ["Crl.A.95-2019", "Crl.A.96-2019"]


def test_fir_entity_indexes_every_key_form() -> None:
    """Issue 14: `FIR 310/2004` and `fir:310/2004` must find a page whose FIR names its police station."""
    from indexer.documents import page_entities

    fir = Entity(kind="fir", key="FIR 310/2004 PS Fatehpur", raw="FIR No. 310/2004 P.S. Fatehpur", start=0,
                 end=30, source="rules", attrs={"keys": ["FIR 310/2004 PS Fatehpur", "FIR 310/2004"]})
    assert page_entities([fir]).fir_keys == ("FIR 310/2004 PS Fatehpur", "FIR 310/2004")
    assert page_entities([_entity("fir", "FIR 7/2020")]).fir_keys == ("FIR 7/2020",)
