"""The handwritten-decision-date fallback of a scanned judgment (``caselaw.handwritten_date``), as the
pipeline (``jobs.stages``) and the bench (``bench.judgment_records``) both run it.

Only when the typed text gave no decision date and the judgment's pages were read by OCR: the last page
whose text carries the announcement cue is read again by the pipeline's own page reader (rendered at the
OCR dpi, prepared and read exactly as before, so the image and its word boxes share one geometry; the
stored words alone cannot be mapped back onto a fresh render reliably once orientation, deskew, photo
flattening or the guard's choice of engine changed the geometry), then the strip after the cue is read
with RapidOCR. Cost: one page read (~2-10 s) plus six crops (~20-30 s on the bench machine), once per
such judgment; the extract job's time limit (``CMMS_JOB_TIMEOUT_S``, 600 s) leaves ample room.

Failures of the second engine (or of the re-read) never fail a job: ``suggest_decision_date`` logs them
and returns None.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from caselaw.handwritten_date import HandwrittenDate, read_handwritten_date
from caselaw.record import JudgmentRecord, hearing_date, unaccent
from caselaw.rules import load_rules
from ingest.pages import read_page_text
from models import FileKind
from ocr import rapid
from ocr.errors import PageError
from ocr.page import PageOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DateSuggestion:
    """A decision date read from handwriting on page ``page_no`` (1-based)."""

    page_no: int
    reading: HandwrittenDate


def announcement_page(pages: Sequence[str]) -> int | None:
    """1-based number of the last page whose text carries the announcement cue, or None."""
    cue = load_rules().announced
    found = [number for number, text in enumerate(pages, start=1) if cue.search(unaccent(text))]
    return found[-1] if found else None


def suggest_decision_date(path: Path, kind: FileKind, pages: Sequence[str], record: JudgmentRecord,
                          opts: PageOptions, today: date) -> DateSuggestion | None:
    """A handwritten decision date for a judgment whose ``record`` has none, or None. ``pages``: the
    page texts the record was read from; ``opts``: the options the pages were read with; ``today``:
    the date in Asia/Karachi (no decision is dated later)."""
    if record.decided_on is not None:
        return None
    page_no = announcement_page(pages)
    if page_no is None:
        return None
    try:
        read = read_page_text(path, kind, page_no, opts)
        if read.image is None:  # a text-layer page: its date would be in the text
            return None
        earlier = (hearing_date(pages), record.appealed_from.decided_on if record.appealed_from else None)
        found = read_handwritten_date(read.image, read.page, rapid.read_lines, today=today, not_before=earlier)
    except (PageError, rapid.RapidUnavailable, OSError, ValueError) as exc:
        log.warning("%s page %s: handwritten decision date not read: %s", path.name, page_no, exc)
        return None
    return DateSuggestion(page_no, found) if found else None
