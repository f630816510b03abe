"""Content sniffing and file-store path derivation (pure; temp folders only)."""

from __future__ import annotations

import hashlib
import io
import stat
from pathlib import Path

import pytest

from ingest.errors import IntakeError
from ingest.sniff import sniff
from ingest.store import FileStore, FileTooLargeError, derived_page_relative_path, original_relative_path
from models import FileKind

SNIFF_CASES = [
    (b"%PDF-1.7\n%\xe2\xe3", FileKind.PDF),
    (b"\r\n\r\n%PDF-1.4 junk before the header", FileKind.PDF),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", FileKind.PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", FileKind.JPEG),
    (b"II*\x00\x08\x00\x00\x00", FileKind.TIFF),
    (b"MM\x00*\x00\x00\x00\x08", FileKind.TIFF),
]


@pytest.mark.parametrize(("head", "kind"), SNIFF_CASES)
def test_kind_comes_from_magic_bytes(head: bytes, kind: FileKind) -> None:
    assert sniff(head) is kind


REFUSALS = [
    (b"", "empty", "0 bytes"),
    (b"FIR No. 45/2019 PS Saddar\nThis is a typed note, saved as .pdf\n", "not_pdf_or_image", "plain text"),
    (b"PK\x03\x04\x14\x00\x06\x00", "not_pdf_or_image", "Word/Excel"),
    (b"GIF89a\x01\x00", "not_pdf_or_image", "GIF"),
    (b"\x00\x01\x02\x03\xfe\xfa\x99\x88", "not_pdf_or_image", "unknown format"),
]


@pytest.mark.parametrize(("head", "code", "phrase"), REFUSALS)
def test_anything_else_is_refused_with_a_reason(head: bytes, code: str, phrase: str) -> None:
    with pytest.raises(IntakeError) as info:
        sniff(head)
    assert info.value.code == code
    assert phrase in info.value.message


def test_text_named_pdf_message_says_not_a_pdf() -> None:
    with pytest.raises(IntakeError) as info:
        sniff("مقدمہ ایف آئی آر\nplain Urdu text".encode())
    assert info.value.message.startswith("This file is not a PDF or image")


def test_pdf_magic_after_the_first_kib_is_not_a_pdf() -> None:
    with pytest.raises(IntakeError):
        sniff(b"x" * 1100 + b"%PDF-1.4")


def test_paths_derive_from_the_hash_only() -> None:
    sha = hashlib.sha256(b"x").hexdigest()
    assert original_relative_path(sha) == f"originals/{sha[:2]}/{sha[2:4]}/{sha}"
    assert derived_page_relative_path(sha, 7) == f"derived/{sha[:2]}/{sha[2:4]}/{sha}/page-0007.jpg"
    for bad in ("../../etc/passwd", sha.upper(), sha[:-1], sha + "0"):
        with pytest.raises(ValueError):
            original_relative_path(bad)


def test_store_writes_once_read_only_and_reports_existing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    data = b"%PDF-1.4 some bytes" * 1000
    first = store.put_original(io.BytesIO(data), max_bytes=10**6)
    assert first.created and first.sha256 == hashlib.sha256(data).hexdigest()
    assert first.size_bytes == len(data) and first.head == data[:1024]
    path = tmp_path / first.relative_path
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    second = store.put_original(io.BytesIO(data), max_bytes=10**6)
    assert not second.created and second.relative_path == first.relative_path
    assert list((tmp_path / "tmp").iterdir()) == []  # no temp files left behind


def test_store_refuses_over_the_limit_and_keeps_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    with pytest.raises(FileTooLargeError):
        store.put_original(io.BytesIO(b"a" * 5000), max_bytes=4096)
    assert not (tmp_path / "originals").exists()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_store_path_never_leaves_the_root(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FileStore(tmp_path).path("../outside")
