"""Judgment metadata from first-page text and the corpus index; job ids (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from config import shared_dir
from ingest.caselaw import SUPREME_COURT, judgment_meta_from_text, load_corpus_index
from ingest.entities import rule_entities
from jobs.queues import Stage, job_id, parse_job_id

FIRST_PAGE = """IN THE SUPREME COURT OF PAKISTAN
(Appellate Jurisdiction)
Present:
Mr. Justice Syed Hasan Azhar Rizvi
Mr. Justice Naeem Akhter Afghan
Criminal Petition No.1144 of 2025
Muhammad Shakeel ...Petitioner(s)
Versus
The State thr. P.G. Punjab and another ...Respondent(s)
Date of hearing: 27.08.2025
"""


def test_judgment_metadata_is_read_from_the_first_page() -> None:
    meta = judgment_meta_from_text(FIRST_PAGE, rule_entities(FIRST_PAGE))
    assert meta.court == SUPREME_COURT
    assert meta.case_number == "Crl.P.L.A.1144-2025"
    assert meta.decided_on == date(2025, 8, 27)
    assert meta.judge == "Mr. Justice Syed Hasan Azhar Rizvi"
    assert meta.parties == "Muhammad Shakeel v. The State thr. P.G. Punjab and another"
    assert meta.citation == ""  # an unreported judgment prints no citation of its own


def test_corpus_index_metadata() -> None:
    index = shared_dir() / "corpus/pk-supreme-court/index.tsv"
    meta = load_corpus_index(index)
    reported = meta["judgement_Crl.P.L.A.90-K-2023.pdf"]
    assert reported.citation == "SCMR 2023 1729" and reported.decided_on == date(2023, 8, 3)
    assert reported.case_number == "Crl.P.L.A.90-K-2023" and reported.court == SUPREME_COURT
    unreported = meta["judgement_Crl.P.L.A.1055-2025.pdf"]
    assert unreported.citation == "" and unreported.parties.startswith("Binyameen v. The State")
    # the index prints the author as "MR. JUSTICE FAISAL ARAB"; the record keeps the judge's name as the
    # bench and the extracted records do
    assert meta["judgement_C.A.1286-2018.pdf"].judge == "Faisal Arab"


@pytest.mark.parametrize("stage", list(Stage))
def test_job_ids_round_trip(stage: Stage) -> None:
    assert parse_job_id(job_id(stage, 42)) == (stage, 42)


@pytest.mark.parametrize("value", ["ocr-page-", "ocr-page-x1", "other-1", ""])
def test_foreign_job_ids_are_not_ours(value: str) -> None:
    assert parse_job_id(value) is None
