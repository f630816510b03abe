"""What a file is, decided from its first bytes (never from its name or the client's Content-Type).

Magic numbers (facts file B4; ASVS 5.2.2): ``%PDF-`` anywhere in the first 1 KiB (the PDF spec tolerates
leading junk), PNG's 8-byte signature, JPEG's SOI marker, and both TIFF byte orders. Everything else is
refused, with a hint of what it seems to be so the clerk understands why.

Polyglots are refused: a file that starts as a program (``MZ``, ELF, Mach-O, a ``#!`` script) or as
markup (``<``) is refused even when ``%PDF-`` follows later in the window, because a browser or the
operating system would treat it as what its first bytes say (issue 8, kind 8).
"""

from __future__ import annotations

from i18n import N_
from ingest.errors import IntakeError, IntakeErrorCode
from models.enums import FileKind
from ocr.images import is_heif

SNIFF_BYTES = 1024
PDF_MAGIC = b"%PDF-"
_IMAGE_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
)
# Starts that make a file something else whatever follows (program, script, markup).
_NEVER_PDF: tuple[bytes, ...] = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa", b"#!", b"<")
# Common things clerks upload by mistake, named in the refusal message.
_KNOWN_OTHERS: tuple[tuple[bytes, str], ...] = (
    (b"MZ", N_("a Windows program")),
    (b"\x7fELF", N_("a program")),
    (b"#!", N_("a script")),
    (b"PK\x03\x04", N_("a Word/Excel document or a ZIP archive")),
    (b"\xd0\xcf\x11\xe0", N_("an old Word/Excel document")),
    (b"GIF8", N_("a GIF image")),
    (b"BM", N_("a BMP image")),
    (b"RIFF", N_("a WEBP image or a media file")),
    (b"{\\rtf", N_("an RTF document")),
    (b"<", N_("a web page or XML")),
)


PLAIN_TEXT = N_("plain text")
UNKNOWN_FORMAT = N_("an unknown format")
DESCRIPTIONS = (*(what for _, what in _KNOWN_OTHERS), PLAIN_TEXT, UNKNOWN_FORMAT)


def sniff(head: bytes) -> FileKind:
    """The kind of a file from its first ``SNIFF_BYTES`` bytes; raises ``IntakeError`` otherwise."""
    if not head:
        raise IntakeError.of(IntakeErrorCode.EMPTY)
    for magic, kind in _IMAGE_MAGIC:
        if head.startswith(magic):
            return kind
    if is_heif(head):
        return FileKind.HEIF
    if PDF_MAGIC in head[:SNIFF_BYTES] and not head.lstrip().startswith(_NEVER_PDF):
        return FileKind.PDF
    raise IntakeError.of(IntakeErrorCode.NOT_PDF_OR_IMAGE, f"magic {head[:8]!r}", what=describe(head))


def describe(head: bytes) -> str:
    """A clerk's words for unsupported content."""
    stripped = head.lstrip()
    for magic, what in _KNOWN_OTHERS:
        if stripped.startswith(magic):
            return what
    if _looks_like_text(head):
        return PLAIN_TEXT
    return UNKNOWN_FORMAT


def _looks_like_text(head: bytes) -> bool:
    decoded = head.decode("utf-8", errors="ignore")
    if len(decoded.encode("utf-8")) < len(head) - 3:  # more than a character cut at the window's end
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in decoded)
    return printable >= 0.95 * max(len(decoded), 1)
