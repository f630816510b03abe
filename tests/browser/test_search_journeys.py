"""Browser journeys on the live app (real worker, Redis, Elasticsearch, Tesseract, Chromium):

1. a clerk logs in, uploads a one-page scanned Supreme Court judgment (filed as an order in a
   Peshawar case file), watches it reach "indexed",
   searches a phrase from it, opens the hit and sees the word boxed on the page image;
2. a prosecutor of another district is refused that document through the search, the viewer, the page
   image, a direct URL and the API; a prosecutor of the clerk's district is not.

The scan: page 2 of ``pk-supreme-court/scanned/judgement_Crl.A.108-2020.pdf`` (an image-only scan of a
Supreme Court criminal appeal), extracted with pikepdf so the journey OCRs one page.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from sqlalchemy import select

from models import Document, DocumentStatus, Page
from tests.browser.live import SCREENSHOT_DIR, LiveStack, log_in

pytestmark = [pytest.mark.browser, pytest.mark.elasticsearch, pytest.mark.redis, pytest.mark.tesseract,
              pytest.mark.slow]

SCAN = "pk-supreme-court/scanned/judgement_Crl.A.108-2020.pdf"
SCAN_PAGE = 2
UPLOAD_NAME = "Crl.A.108-2020 page 2.pdf"
INDEXED_TIMEOUT_S = 420
_WORD = re.compile(r"^[A-Za-z]{7,}$")


def one_page_pdf(corpus_dir: Path, out_dir: Path) -> Path:
    out = out_dir / UPLOAD_NAME
    with pikepdf.open(corpus_dir / SCAN) as source, pikepdf.new() as single:
        single.pages.append(source.pages[SCAN_PAGE - 1])
        single.save(out)
    return out


def document_status(live: LiveStack, document_id: int) -> str:
    with live.factory() as db:
        document = db.get(Document, document_id)
        return str(document.status) if document else "missing"


def pick_phrase(words: list[list[Any]]) -> tuple[str, list[Any]]:
    """A confidently read, unusual word followed by another word: the phrase and the first word's box."""
    counts: dict[str, int] = {}
    for w in words:
        counts[w[0].lower()] = counts.get(w[0].lower(), 0) + 1
    for first, second in itertools.pairwise(words):
        if (_WORD.match(first[0]) and re.match(r"^[A-Za-z]{4,}$", second[0]) and first[5] >= 85
                and second[5] >= 85 and counts[first[0].lower()] == 1):
            return f'"{first[0]} {second[0]}"', first
    raise AssertionError("no confidently read phrase on the OCR'd page")


@pytest.fixture(scope="module")
def uploaded(live: LiveStack, browser: Any, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, Any]:
    """Journey 1, first half: log in, upload the scan, watch the batch page until it is indexed."""
    pdf = one_page_pdf(corpus_dir, tmp_path_factory.mktemp("scan"))
    page = log_in(browser, live, "clerk")
    page.goto(f"{live.url}/intake/")
    page.set_input_files("#files", str(pdf))
    page.select_option("select[name=district_id]", label="Peshawar")
    # Filed as a court order in a case file: case-file documents are district-scoped, whereas a
    # document uploaded as a judgment becomes published case law, which every user may see.
    page.select_option("select[name=doc_type]", "order")
    page.select_option("select[name=language]", "eng")
    page.click("#upload-submit")
    page.wait_for_selector("#batch-documents tbody tr[id^=doc-]")
    row_id = page.get_attribute("#batch-documents tbody tr[id^=doc-]", "id")
    assert row_id is not None
    document_id = int(row_id.removeprefix("doc-"))
    status = page.locator(f"#{row_id} [data-field=status]")
    # The batch page updates itself (progress.js); the browser, not the test, polls the server.
    try:
        status.filter(has_text="indexed").wait_for(timeout=INDEXED_TIMEOUT_S * 1000)
    except Exception as exc:
        raise AssertionError(f"document stayed {document_status(live, document_id)}; worker log:\n"
                             f"{live.worker_output()}") from exc
    assert document_status(live, document_id) == DocumentStatus.INDEXED
    with live.factory() as db:
        stored = db.scalar(select(Page).where(Page.document_id == document_id, Page.page_no == 1))
        assert stored is not None and stored.words, "the OCR'd page has no word boxes"
        words, width, height = stored.words, stored.width, stored.height
    return {"page": page, "document_id": document_id, "words": words, "width": width, "height": height}


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over the smaller box's area (1.0 = one box inside the other)."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    return (ix * iy) / max(min(aw * ah, bw * bh), 1e-9)


def test_upload_search_and_see_the_hit_boxed_on_the_page(live: LiveStack, uploaded: dict[str, Any]) -> None:
    page, document_id = uploaded["page"], uploaded["document_id"]
    phrase, word = pick_phrase(uploaded["words"])
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live.url}/search")
    page.fill("#q", phrase)
    page.click(".search-form button[type=submit]")
    result = page.locator(f'.result[data-document-id="{document_id}"]')
    result.wait_for()
    assert page.locator(".result").count() == 1
    assert word[0] in result.locator(".snippet mark").first.inner_text()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "search-results.png"))
    result.locator(".page-link").first.click()
    page.wait_for_selector("#page-image")
    page.wait_for_function("() => { const i = document.getElementById('page-image');"
                           " return i.complete && i.naturalWidth > 0; }")
    boxes = page.locator("#page-boxes .hit-box")
    assert boxes.count() >= 1
    image = page.locator("#page-image").bounding_box()
    assert image is not None
    scale_x, scale_y = uploaded["width"] / image["width"], uploaded["height"] / image["height"]
    stored = tuple(float(v) for v in word[1:5])
    drawn = []
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        assert box is not None
        drawn.append(((box["x"] - image["x"]) * scale_x, (box["y"] - image["y"]) * scale_y,
                      box["width"] * scale_x, box["height"] * scale_y))
    best = max(_overlap(d, stored) for d in drawn)  # type: ignore[arg-type]
    assert best > 0.8, (drawn, stored)
    text = page.locator("#page-text").inner_text()
    assert word[0] in text
    assert not csp_errors, csp_errors  # the viewer runs under the app's strict CSP (no inline code)

    # The searchable PDF: the page image with an invisible text layer in which the phrase is found.
    download = page.request.get(f"{live.url}/documents/{document_id}/searchable.pdf")
    assert download.status == 200 and download.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    with pdfplumber.open(io.BytesIO(download.body())) as pdf:
        assert len(pdf.pages) == 1 and word[0] in (pdf.pages[0].extract_text() or "")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "viewer-hit-box.png"), full_page=False)


def test_other_district_prosecutor_is_refused_everywhere(
    live: LiveStack, browser: Any, uploaded: dict[str, Any]
) -> None:
    document_id = uploaded["document_id"]
    phrase, _ = pick_phrase(uploaded["words"])

    same = log_in(browser, live, "pros_peshawar")  # control: the scope, not the index, decides
    same.goto(f"{live.url}/search?q={phrase}")
    assert same.locator(f'.result[data-document-id="{document_id}"]').count() == 1

    page = log_in(browser, live, "pros_mardan")
    page.goto(f"{live.url}/search")
    page.fill("#q", phrase)
    page.click(".search-form button[type=submit]")
    page.wait_for_selector("#result-total")
    assert page.locator("#result-total").inner_text() == "0"
    assert page.locator(f'[data-document-id="{document_id}"]').count() == 0
    for path in (f"/documents/{document_id}", f"/documents/{document_id}/pages/1",
                 f"/documents/{document_id}/pages/1/image", f"/documents/{document_id}/original"):
        response = page.goto(f"{live.url}{path}")
        assert response is not None and response.status == 404, path
    assert "not within your districts" in page.content()
    api = page.request.get(f"{live.url}/api/v1/documents/{document_id}")
    assert api.status == 404 and api.json()["error"]["status"] == 404
    found = page.request.get(f"{live.url}/api/v1/search", params={"q": phrase}).json()
    assert found["total_documents"] == 0
