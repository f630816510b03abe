"""Intake rules without services: display names, the page limit for every format, polyglot refusal,
re-scan comparison rules, page ranges, queue estimates and download names."""

from __future__ import annotations

import os

import pytest

from ingest.errors import IntakeError
from ingest.intake import MAX_FILENAME, check_page_limit, safe_display_name
from ingest.neardup import (
    IMAGE_MATCH,
    MIN_WORDS,
    Fingerprint,
    band_keys,
    best_matches,
    compare,
    hamming,
    jaccard,
    text_signature,
)
from ingest.progress import QueuePlace, estimate
from ingest.ranges import page_ranges
from ingest.sniff import sniff
from models import FileKind
from search_app.views.viewer_review import download_name

NAME_ROWS = [
    ("مقدمہ ایف آئی آر.pdf", "مقدمہ ایف آئی آر.pdf"),  # Urdu kept as it is
    (os.fsdecode(b"bad-\xff\xfe-name.pdf"), "bad-\\xff\\xfe-name.pdf"),  # not UTF-8: escaped, not lost
    ("evil\u202eFDP.exe", "evil\\u202eFDP.exe"),  # a bidi override cannot disguise the extension
    ("tab\there\x00.pdf", "tab\\u0009here\\u0000.pdf"),
    ("   ", "unnamed"),
    ("../../etc/passwd.png", "../../etc/passwd.png"),  # display text only; never a path
]


@pytest.mark.parametrize(("raw", "shown"), NAME_ROWS)
def test_display_names_are_kept_safely(raw: str, shown: str) -> None:
    assert safe_display_name(raw) == shown


def test_long_names_keep_their_extension() -> None:
    name = safe_display_name("x" * 400 + ".pdf")
    assert len(name) == MAX_FILENAME and name.endswith("….pdf")
    assert safe_display_name(b"raw-\xe9.tif") == "raw-\\xe9.tif"


@pytest.mark.parametrize("kind", [FileKind.PDF, FileKind.TIFF, FileKind.PNG])
def test_one_page_limit_for_every_multi_page_format(kind: FileKind) -> None:
    assert check_page_limit(500, kind, 500) is None
    error = check_page_limit(2000, kind, 500)
    assert isinstance(error, IntakeError) and error.code == "too_many_pages"
    assert "2000 pages" in error.message and "at most 500" in error.message


@pytest.mark.parametrize("head", [b"MZ\x90\x00" + b"\x00" * 60 + b"%PDF-1.4", b"<html><body>%PDF-1.7",
                                  b"\x7fELF\x02\x01%PDF-1.5", b"#!/bin/sh\n%PDF-1.4"])
def test_polyglots_are_not_pdfs(head: bytes) -> None:
    with pytest.raises(IntakeError) as info:
        sniff(head)
    assert info.value.code == "not_pdf_or_image"


LINES = ("The appellant was convicted under section 302 PPC by the learned trial court and the High Court "
         "maintained the conviction; the eye witnesses were related and their presence at the spot doubtful")


def test_text_signature_needs_enough_words() -> None:
    assert text_signature("only a few words here")[0] is None
    signature, count = text_signature(LINES)
    assert signature is not None and count >= MIN_WORDS and len(band_keys(signature)) > 1


def test_two_readings_of_one_page_match_and_different_text_does_not() -> None:
    one, _ = text_signature(LINES)
    ocr_noise, _ = text_signature(LINES.replace("convicted", "convlcted").replace("doubtful", "doubtfu1"))
    other, _ = text_signature("Bail is a rule and refusal an exception; the petitioner is admitted to bail "
                              "on furnishing bail bonds in the sum of rupees one hundred thousand with one surety")
    assert one and ocr_noise and other
    assert jaccard(one, ocr_noise) > 0.5 > 0.1 > jaccard(one, other)
    new = Fingerprint(1, 0xF0F0F0F0F0F0F0F0, ocr_noise, 30)
    old = [Fingerprint(3, 0x0F0F0F0F0F0F0F0F, other, 30), Fingerprint(4, 0xF0F0F0F0F0F0F0F1, one, 30)]
    matches = best_matches([new], old)
    assert [(m.new_page, m.old_page, m.image_distance) for m in matches] == [(1, 4, 1)]


def test_photos_without_text_match_by_image_only() -> None:
    a = Fingerprint(1, 0xFFFF_0000_FFFF_0000, None, 2)
    near = Fingerprint(2, 0xFFFF_0000_FFFF_0000 ^ 0b111, None, 0)
    far = Fingerprint(3, 0x0000_FFFF_0000_FFFF, None, 0)
    assert hamming(a.image_hash or 0, near.image_hash or 0) == 3 <= IMAGE_MATCH
    assert compare(a, near) is not None and compare(a, far) is None
    assert compare(a, Fingerprint(4, None, None, 0)) is None


@pytest.mark.parametrize(("numbers", "text"), [([3, 4, 5], "3-5"), ([1, 3, 4, 8], "1, 3-4, 8"), ([], ""),
                                                ([2, 2], "2")])
def test_page_ranges(numbers: list[int], text: str) -> None:
    assert page_ranges(numbers) == text


def test_estimate_shares_the_pages_ahead_between_workers() -> None:
    place = QueuePlace(pages_ahead=175, own_pages_left=5, documents_ahead_unknown=0)
    assert estimate(place, 8.0, 2).seconds == pytest.approx(180 * 8.0 / 2)
    assert estimate(place, 8.0, 0).seconds is None  # nobody is reading: no time can be promised
    assert estimate(place, None, 2).seconds is None


@pytest.mark.parametrize(("name", "suffix", "served"), [
    ("scan.pdf.exe", ".pdf", "scan.pdf.pdf"), ("photo.png", ".jpg", "photo.jpg"), ("judgment.PDF", ".pdf",
                                                                                   "judgment.PDF"),
    ("noextension", ".tif", "noextension.tif")])
def test_originals_are_named_after_what_they_are(name: str, suffix: str, served: str) -> None:
    assert download_name(name, suffix) == served
