"""Browser journey of issue 15 on the live app (real worker, Redis, Elasticsearch, Tesseract, Chromium):

a clerk uploads the original of a judgment's page; later a batch with a damaged JPEG (headers wiped, so
nothing decodes: ``tests/damaged.py``), a re-scan of that page (220 dpi, 1.2 degrees, JPEG) and an
unreadable phone photo (a blank, unevenly lit page) -> the damaged file fails with the clerk's message -> the
review queue lists the photo with its reason -> the clerk corrects it and it leaves the queue -> the
re-scan is made a version of the original -> the damaged file is replaced and processed -> the batch
page's counts agree with the queue, the home page and the supervisor's page. The audit page stays as
wide as the window with a 500-character query in it. Screenshots: var/browser/intake/ (not committed).

Samples: page 1 of ``pk-supreme-court/scanned/judgement_Crl.P.L.A.1055-2025.pdf`` (an image-only
Supreme Court scan), cut with pikepdf; the re-scan and the damaged JPEG are made from it here.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pikepdf
import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select

from models import Batch, District, Document, DocumentStatus, Role, User
from ocr.errors import CLERK_MESSAGES, PageErrorCode
from ocr.pdf import render_page
from tests.browser.live import PASSWORD, SCREENSHOT_DIR, LiveStack, log_in
from tests.damaged import jpeg_with_wiped_headers
from tests.mfa_support import enrol

pytestmark = [pytest.mark.browser, pytest.mark.elasticsearch, pytest.mark.redis, pytest.mark.tesseract,
              pytest.mark.slow]

SCAN = "pk-supreme-court/scanned/judgement_Crl.P.L.A.1055-2025.pdf"
SHOTS = SCREENSHOT_DIR / "intake"
FINISH_TIMEOUT_S = 480


def _files(corpus_dir: Path, out: Path) -> dict[str, Path]:
    original = out / "Crl.P.L.A.1055-2025 page 1.pdf"
    with pikepdf.open(corpus_dir / SCAN) as source, pikepdf.new() as single:
        single.pages.append(source.pages[0])
        single.save(original)
    image = render_page(corpus_dir / SCAN, 0, 300)
    h, w = image.shape
    turned = cv2.warpAffine(image, cv2.getRotationMatrix2D((w / 2, h / 2), 1.2, 1.0), (w, h), borderValue=255)
    small = cv2.resize(turned, (round(w * 220 / 300), round(h * 220 / 300)), interpolation=cv2.INTER_AREA)
    rescan = out / "rescan 220dpi.jpg"
    Image.fromarray(small).save(rescan, format="JPEG", quality=75, dpi=(220, 220))
    good = io.BytesIO()
    Image.fromarray(image).save(good, format="JPEG", quality=85, dpi=(300, 300))
    damaged = out / "damaged scan.jpg"  # headers wiped: undecodable (a JPEG cut short is read in part)
    damaged.write_bytes(jpeg_with_wiped_headers(good.getvalue()))
    replacement = out / "scan again.jpg"
    replacement.write_bytes(good.getvalue())
    ys, xs = np.mgrid[0:1600, 0:1200]
    blank = (200 + 40 * xs / 1200 - 25 * ys / 1600).astype(np.uint8)  # a phone photo of a blank, shaded page
    photo = out / "phone photo.jpg"
    Image.fromarray(blank).save(photo, format="JPEG", quality=80, dpi=(150, 150))
    return {"original": original, "rescan": rescan, "damaged": damaged, "replacement": replacement,
            "photo": photo}


def _wait_finished(live: LiveStack, batch_id: int) -> None:
    finished = {DocumentStatus.INDEXED, DocumentStatus.FAILED, DocumentStatus.DUPLICATE}
    deadline = time.monotonic() + FINISH_TIMEOUT_S
    while time.monotonic() < deadline:
        with live.factory() as db:
            docs = list(db.scalars(select(Document).where(Document.batch_id == batch_id)))
        if docs and all(d.status in finished or d.superseded_by_id for d in docs):
            return
        time.sleep(1.0)
    raise AssertionError(f"batch {batch_id} did not finish: {[(d.id, d.status) for d in docs]}\n"
                         f"{live.worker_output()}")


def _reload_finished(page: Any) -> None:
    """Show the finished batch. The page reloads itself when the batch finishes (progress.js), so our
    reload may be aborted by that one (net::ERR_ABORTED); then the page's own reload is awaited."""
    try:
        page.reload()
    except PlaywrightError:
        page.wait_for_load_state()


def _upload(page: Any, live: LiveStack, files: list[Path], **fields: str) -> int:
    page.goto(f"{live.url}/intake/")
    page.set_input_files("#files", [str(f) for f in files])
    page.select_option("select[name=district_id]", label="Peshawar")
    page.select_option("select[name=doc_type]", "order")
    page.select_option("select[name=language]", "eng")
    for name, value in fields.items():
        page.fill(f"#batch-{name}", value)
    page.click("#upload-submit")
    page.wait_for_selector("#batch-documents")
    match = re.search(r"/intake/batches/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def _doc_id(live: LiveStack, batch_id: int, name: str) -> int:
    with live.factory() as db:
        return int(db.scalars(select(Document.id).where(Document.batch_id == batch_id,
                                                        Document.original_filename == name)).one())


def _add_supervisor(live: LiveStack) -> None:
    from search_app.auth.passwords import hash_password

    with live.factory() as db:
        peshawar = db.scalars(select(District).where(District.name == "Peshawar")).one()
        db.add(enrol(User(username="boss", full_name="Supervisor", password_hash=hash_password(PASSWORD),
                          role=Role.SUPERVISOR, districts=[peshawar])))  # supervisors log in with a code
        db.commit()


def test_clerk_follows_a_batch_from_upload_to_review_versions_and_retry(
    live: LiveStack, browser: Any, corpus_dir: Path, tmp_path: Path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    files = _files(corpus_dir, tmp_path)
    _add_supervisor(live)
    page = log_in(browser, live, "clerk")

    first = _upload(page, live, [files["original"]], name="Earlier scan")
    _wait_finished(live, first)
    original_id = _doc_id(live, first, files["original"].name)

    batch_id = _upload(page, live, [files["damaged"], files["rescan"], files["photo"]],
                       name="Sessions files week 12", box="Box 14 / File 203", notes="One file water-damaged.")
    _wait_finished(live, batch_id)
    _reload_finished(page)
    page.screenshot(path=str(SHOTS / "1-batch-finished.png"), full_page=True)
    damaged_id = _doc_id(live, batch_id, files["damaged"].name)
    rescan_id = _doc_id(live, batch_id, files["rescan"].name)
    photo_id = _doc_id(live, batch_id, files["photo"].name)
    assert page.locator(f"#doc-{damaged_id} [data-field=status]").inner_text() == "failed"
    shown = " ".join(page.locator(f"#doc-{damaged_id}").inner_text().split())
    assert CLERK_MESSAGES[PageErrorCode.CORRUPT] in shown, shown  # the clerk's message, not a code
    finding = page.locator(f"#doc-{rescan_id} .rescan")
    said = finding.inner_text()
    assert re.search(rf"Looks like a re-scan of\s+#{original_id}, page 1\b", said), said
    assert "Box 14 / File 203" in page.locator("#batch-facts").inner_text()
    assert "1 failed" in page.locator("#batch-summary").inner_text()

    # The review queue lists the photo with its reason; the clerk corrects it; it leaves the queue.
    page.click("#batch-review-link")
    row = page.locator(f"#review-queue tr[data-document='{photo_id}']")
    row.wait_for()
    reasons = row.locator(".reasons").inner_text()
    assert "No text was found" in reasons or "Far fewer words" in reasons, reasons
    page.screenshot(path=str(SHOTS / "2-review-queue.png"), full_page=True)
    row.locator("a.button").click()
    page.wait_for_selector("#review-box")
    assert page.locator("#correction").get_attribute("open") is not None  # the form is open
    page.screenshot(path=str(SHOTS / "3-viewer-review.png"), full_page=True)
    page.fill("#corrected-text", "Blank back page of the police file, signed by the SHO.")
    page.click("#correction button[type=submit]")
    page.wait_for_selector(".flash-success")
    page.goto(f"{live.url}/review/?batch={batch_id}")
    assert page.locator(f"#review-queue tr[data-document='{photo_id}']").count() == 0

    # The re-scan becomes a version of the original.
    page.goto(f"{live.url}/intake/batches/{batch_id}")
    page.locator(f"#doc-{rescan_id} button[id^=make-version-]").click()
    page.wait_for_selector(".flash-success")
    assert f"version 2 of document {original_id}" in page.locator(".flash-success").inner_text()
    page.screenshot(path=str(SHOTS / "4-made-version.png"), full_page=True)

    # The damaged file is replaced with a good one and processed.
    page.set_input_files(f"#replace-file-{damaged_id}", str(files["replacement"]))
    page.click(f"#replace-{damaged_id}")
    page.wait_for_selector(".flash-success")
    _wait_finished(live, batch_id)
    page.goto(f"{live.url}/intake/batches/{batch_id}")
    page.screenshot(path=str(SHOTS / "5-batch-after.png"), full_page=True)
    replacement_id = _doc_id(live, batch_id, files["replacement"].name)
    with live.factory() as db:
        replaced = db.get(Document, replacement_id)
        assert replaced is not None and replaced.status == DocumentStatus.INDEXED, replaced
        assert db.get(Document, damaged_id).superseded_by_id == replacement_id  # type: ignore[union-attr]
        assert db.get(Document, original_id).superseded_by_id == rescan_id  # type: ignore[union-attr]
        assert db.get(Batch, batch_id).box_number == "Box 14 / File 203"  # type: ignore[union-attr]
    summary = page.locator("#batch-summary").inner_text()
    assert "0 failed" in summary, summary

    # The counts agree: batch page, review queue, home page, supervisor's page.
    batch_count = int(page.locator("#batch-review-count").inner_text())
    page.goto(f"{live.url}/review/?batch={batch_id}")
    assert page.locator("#review-queue tr[id^=review-page-]").count() == batch_count
    page.goto(f"{live.url}/review/")
    queue_total = page.locator("#review-queue tr[id^=review-page-]").count()
    page.goto(f"{live.url}/")
    assert int(page.locator("#home-review-pages").inner_text()) == queue_total
    boss = log_in(browser, live, "boss")
    boss.goto(f"{live.url}/oversight/caseload")
    assert int(boss.locator("#oversight-review-pages").inner_text()) == queue_total

    # The audit page never grows wider than the window, whatever was typed into a search.
    boss.goto(f"{live.url}/search?q={'x' * 500}")
    boss.goto(f"{live.url}/oversight/audit")
    width = boss.evaluate("() => document.documentElement.scrollWidth")
    viewport = boss.evaluate("() => window.innerWidth")
    boss.screenshot(path=str(SHOTS / "6-audit.png"), full_page=False)
    assert width <= viewport, (width, viewport)
    assert "x" * 500 in boss.content()  # the full text stays available
