"""FIR matching rules, date normalisation, progress maths and the hot folder's settle rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.caselinks import AUTO, SUGGEST, CaseKey, FirMention, decide, normalise_station, single_auto_link
from ingest.entities import normalise_date
from ingest.hotfolder import SettleTracker, move_processed
from ingest.progress import BatchProgress, DocumentProgress, progress_fraction
from models import DocumentStatus

CASES = [
    CaseKey(1, "45", 2019, "Saddar", frozenset({"17301-1234567-1"})),
    CaseKey(2, "45", 2019, "Cantt"),
    CaseKey(3, "045", 2020, "Saddar"),
]

FIR_ROWS = [
    # (mention, expected decisions (case_id, action))
    (FirMention("45", 2019, "Saddar"), {(1, AUTO), (2, SUGGEST)}),
    (FirMention("45", 2019, "P.S. saddar"), {(1, AUTO), (2, SUGGEST)}),
    (FirMention("45", 2019, ""), {(1, SUGGEST), (2, SUGGEST)}),
    (FirMention("45", 2020, "Saddar"), {(3, AUTO)}),  # "045" and "45" are one number
    (FirMention("45", None, "Saddar"), set()),  # no year: never a match
    (FirMention("46", 2019, "Saddar"), set()),
]


@pytest.mark.parametrize(("mention", "expected"), FIR_ROWS)
def test_fir_rules(mention: FirMention, expected: set[tuple[int, str]]) -> None:
    assert {(d.case_id, d.action) for d in decide([mention], [], CASES)} == expected


def test_only_an_exact_single_match_links_automatically() -> None:
    both = decide([FirMention("45", 2019, "Saddar"), FirMention("45", 2020, "Saddar")], [], CASES)
    assert single_auto_link(both) is None  # two exact matches: a person decides
    one = decide([FirMention("45", 2019, "Saddar")], [], CASES)
    link = single_auto_link(one)
    assert link is not None and link.case_id == 1 and "matches exactly" in link.reason


def test_cnic_of_a_party_is_a_suggestion() -> None:
    decisions = decide([], ["17301-1234567-1"], CASES)
    assert [(d.case_id, d.action) for d in decisions] == [(1, SUGGEST)]
    assert "CNIC" in decisions[0].reason


@pytest.mark.parametrize(
    "name", ["Saddar", "PS Saddar", "P.S. Saddar", "Police Station  saddar", "Thana Saddar"]
)
def test_station_names_normalise(name: str) -> None:
    assert normalise_station(name) == "saddar"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("28.08.2025", "2025-08-28"),
        ("13-09-2024", "2024-09-13"),
        ("28th August, 2025", "2025-08-28"),
        ("14th of April 2024", "2024-04-14"),
        ("August 28, 2025", "2025-08-28"),
        ("31.02.2024", "31.02.2024"),
        ("November 2024", "November 2024"),
    ],
)
def test_dates_normalise_day_first(raw: str, iso: str) -> None:
    assert normalise_date(raw) == iso


def _doc(status: DocumentStatus, pages: int, read: int, failed: int = 0) -> DocumentProgress:
    return DocumentProgress(1, "f.pdf", status, pages, read, failed, False, None, None, None)


def test_progress_maths() -> None:
    docs = (
        _doc(DocumentStatus.INDEXED, 2, 2),
        _doc(DocumentStatus.PROCESSING, 4, 1, 1),
        _doc(DocumentStatus.FAILED, 0, 0),
        _doc(DocumentStatus.RECEIVED, 0, 0),
    )
    progress = BatchProgress(7, docs)
    assert (progress.total_pages, progress.pages_done) == (6, 4)
    assert progress.documents_finished == 2 and not progress.finished
    assert progress.fraction == pytest.approx((1 + 0.95 * 0.5 + 1 + 0) / 4)
    assert progress_fraction([]) == 1.0
    assert BatchProgress(8, (docs[0], docs[2])).finished


def test_settle_rule_takes_a_file_only_after_its_size_stopped_changing() -> None:
    tracker = SettleTracker(settle_s=3.0)
    path = Path("/hot/scan.pdf")
    assert not tracker.observe(path, 100, 1, now=0.0)
    assert not tracker.observe(path, 200, 2, now=2.0)  # still growing: clock restarts
    assert not tracker.observe(path, 200, 2, now=4.9)
    assert tracker.observe(path, 200, 2, now=5.0)
    tracker.forget(path)
    assert not tracker.observe(path, 200, 2, now=6.0)


def test_processed_files_move_without_overwriting(tmp_path: Path) -> None:
    for n in range(2):
        f = tmp_path / "scan.pdf"
        f.write_text(str(n))
        moved = move_processed(tmp_path, f, ok=False, reason="empty file")
        assert moved.parent == tmp_path / "failed" and moved.read_text() == str(n)
        assert moved.with_name(moved.name + ".reason.txt").read_text().strip() == "empty file"
    assert len(list((tmp_path / "failed").glob("*.pdf"))) == 2
