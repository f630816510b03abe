"""Damaged files for the intake tests, made from a good one, each documented with what it exercises.

Two kinds of damage behave differently, on purpose (issue 9):

* a JPEG **cut short** (its tail lost in transfer) still has every header: the page is decoded as far as
  the data goes and flagged ``partial_image`` for a person to look at (tests/integration/test_ocr_images.py);
* a JPEG whose **headers are wiped** (the start-of-image marker survives, the frame header, quantisation
  and Huffman tables that follow it are zeros, as when the first sectors of a file are overwritten) has
  nothing a decoder can use: intake keeps it, and the page reader fails it with the clerk's message for a
  damaged file (``corrupt``). Tests that need a file that FAILS use this one.
"""

from __future__ import annotations

SOI = b"\xff\xd8\xff"  # start-of-image marker and the first byte of the next marker
SOS = b"\xff\xda"  # start of scan: the entropy-coded image data follows


def jpeg_with_wiped_headers(good: bytes) -> bytes:
    """``good`` (a baseline JPEG) with every byte between its start-of-image marker and its first scan
    zeroed: still sniffed as a JPEG (magic bytes intact), undecodable by any reader. Raises ``ValueError``
    when ``good`` is not a JPEG with a scan."""
    if not good.startswith(SOI) or SOS not in good:
        raise ValueError("not a baseline JPEG")
    scan = good.index(SOS)
    return good[: len(SOI)] + bytes(scan - len(SOI)) + good[scan:]
