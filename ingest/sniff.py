"""What a file is, decided from its first bytes (never from its name or the client's Content-Type).

Magic numbers (facts file B4; ASVS 5.2.2): ``%PDF-`` anywhere in the first 1 KiB (the PDF spec tolerates
leading junk), PNG's 8-byte signature, JPEG's SOI marker, and both TIFF byte orders. Everything else is
refused, with a hint of what it seems to be so the clerk understands why.
"""

from __future__ import annotations

from ingest.errors import IntakeError, IntakeErrorCode
from models.enums import FileKind

SNIFF_BYTES = 1024
PDF_MAGIC = b"%PDF-"
_IMAGE_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
)
# Common things clerks upload by mistake, named in the refusal message.
_KNOWN_OTHERS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a Word/Excel document or a ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel document"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"RIFF", "a WEBP image or a media file"),
    (b"{\\rtf", "an RTF document"),
    (b"<", "a web page or XML"),
)


def sniff(head: bytes) -> FileKind:
    """The kind of a file from its first ``SNIFF_BYTES`` bytes; raises ``IntakeError`` otherwise."""
    if not head:
        raise IntakeError.of(IntakeErrorCode.EMPTY)
    for magic, kind in _IMAGE_MAGIC:
        if head.startswith(magic):
            return kind
    if PDF_MAGIC in head[:SNIFF_BYTES]:
        return FileKind.PDF
    raise IntakeError.of(IntakeErrorCode.NOT_PDF_OR_IMAGE, f"magic {head[:8]!r}", what=describe(head))


def describe(head: bytes) -> str:
    """A clerk's words for unsupported content."""
    stripped = head.lstrip()
    for magic, what in _KNOWN_OTHERS:
        if stripped.startswith(magic):
            return what
    if _looks_like_text(head):
        return "plain text"
    return "an unknown format"


def _looks_like_text(head: bytes) -> bool:
    decoded = head.decode("utf-8", errors="ignore")
    if len(decoded.encode("utf-8")) < len(head) - 3:  # more than a character cut at the window's end
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in decoded)
    return printable >= 0.95 * max(len(decoded), 1)
