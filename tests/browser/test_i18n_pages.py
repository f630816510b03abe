"""The main pages of every area issue 16 covers, in English and in Urdu, in real Chromium: search,
results (with a cross-language match), the document viewer, intake, a batch, the review queue, the
calendar (week and month), the cause list, a hearing, court holidays, the cases list, a case with its
case file (witnesses, exhibits, timeline, paper book, deadlines), case law (list, a judgment, its
graph, review, a statute, notes, collections), oversight (caseload, audit trail), monitoring
(dashboards, monthly report, peer reviews, rotation, assigning a review), administration,
the account pages (security, password change) and the display settings; before login, the login page
and the one-time-code step.

For every page and language: ``<html>`` has the right ``lang``/``dir``; nothing is wider than the
window (no horizontal scroll, no element sticking out on either side) at a desktop and a tablet
width; in Urdu no English is left outside data (text in ``dir="auto"``/``dir="ltr"`` or
``translate="no"`` elements: names, citations, codes, OCR text), the Nastaliq font from the server is
in use, navigation is mirrored (the brand sits on the right, "next" points left) and what must not
mirror is not (the page scan and its word boxes).
The language is chosen with the switch in the top bar, as a user would. Screenshots are written
to ``var/browser/i18n/`` (not committed) and listed in the test report.

The app runs on werkzeug in a thread with a migrated SQLite database, the real Elasticsearch node
(documents indexed by the indexer) and no worker: every page shown is already processed.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import Batch, Court, Document, Hearing, HearingWitness, Page, make_engine, make_session_factory
from models.migrate import upgrade_database
from scheduling.timezone import court_today
from tests.browser.live import CHROMIUM, CHROMIUM_ARGS, ES_URL, PASSWORD, REDIS_URL, SCREENSHOT_DIR
from tests.integration.web_world import World, build_world
from tests.mfa_support import fresh_code_from

pytestmark = [pytest.mark.browser, pytest.mark.elasticsearch]

SHOTS = SCREENSHOT_DIR / "i18n"
WIDTHS = (1280, 820)  # a clerk's desktop and a tablet held upright


@dataclass
class Site:
    url: str
    world: World
    batch_id: int
    hearing_id: int
    day: date
    factory: sessionmaker[Session]


def _calendar(factory: sessionmaker[Session], world: World, day: date) -> int:
    with factory() as db:
        peshawar = world.districts["peshawar"]
        court = Court(district_id=peshawar.id, name="Additional Sessions Judge-II, Peshawar",
                      kind="additional_sessions")
        db.add(court)
        db.flush()
        case_id = world.cases["gul_khan"].id
        prosecutor = world.users["pros_a"].id
        hearings = [
            Hearing(case_id=case_id, scheduled_for=day, session="morning", court_id=court.id, court=court.name,
                    courtroom="3", purpose="prosecution_evidence", prosecutor_id=prosecutor,
                    witnesses=[HearingWitness(name="Sher Ali", cnic="17301-1234567-1"),
                               HearingWitness(name="گل زمان", cnic="17301-7654321-3")]),
            Hearing(case_id=case_id, scheduled_for=day + timedelta(days=1), session="evening", court_id=court.id,
                    court=court.name, purpose="bail", prosecutor_id=prosecutor),
            Hearing(case_id=case_id, scheduled_for=day - timedelta(days=7), session="morning", court_id=court.id,
                    court=court.name, purpose="charge", prosecutor_id=prosecutor, result="adjourned",
                    adjournment_reason="defence_counsel_absent", adjournment_requested_by="defence", next_date=day),
        ]
        db.add_all(hearings)
        db.commit()
        return hearings[0].id


def _intake(factory: sessionmaker[Session], world: World) -> int:
    """The FIR's batch gets a name and notes; one page of the memo waits in the review queue."""
    with factory() as db:
        fir = db.get(Document, world.docs["fir"].id)
        assert fir is not None
        batch = db.get(Batch, fir.batch_id)
        assert batch is not None
        batch.name, batch.box_number, batch.notes = "Sessions court files, week 12", "Box 14 / File 203", \
            "ملزم کی فائل، عدالت سیشن پشاور"
        memo = db.get(Document, world.docs["other"].id)
        assert memo is not None
        page: Page = memo.pages[0]
        page.needs_review, page.review_reasons, page.mean_confidence = True, ["low_confidence", "few_words"], 41.0
        memo.needs_review = True
        db.commit()
        return batch.id


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from elasticsearch import Elasticsearch
    from werkzeug.serving import make_server

    from indexer import IndexNames, index_document
    from search_app import create_app

    var = tmp_path_factory.mktemp("i18n") / "var"
    var.mkdir()
    settings = Settings(environment="test", var_dir=var, es_url=ES_URL, es_index_prefix=f"cmmsi{uuid.uuid4().hex[:8]}",
                        redis_url=REDIS_URL, secret_key="i18n-browser-secret-" + "x" * 32, _env_file=None)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_database(engine)
    factory = make_session_factory(engine)
    es = Elasticsearch(ES_URL, request_timeout=30)
    try:
        es.cluster.health(wait_for_status="yellow", timeout="20s")
    except Exception as exc:  # any failure means the node is unusable
        pytest.fail(f"Elasticsearch is not reachable at {ES_URL}: {exc}")
    world = build_world(factory, settings)
    with factory() as db:
        for document in world.docs.values():
            index_document(db, es, settings, document.id, refresh=False)
    names = IndexNames.from_settings(settings)
    es.indices.refresh(index=f"{names.alias('pages')},{names.alias('documents')}")
    day = court_today() + timedelta(days=(2 - court_today().weekday()) % 7)  # a Wednesday this week or next
    hearing_id = _calendar(factory, world, day)
    batch_id = _intake(factory, world)
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", world, batch_id, hearing_id, day, factory)
    finally:
        server.shutdown()
        es.options(ignore_status=404).indices.delete(index=f"{settings.es_index_prefix}*")
        engine.dispose()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _pages(site: Site) -> list[tuple[str, str]]:
    fir = site.world.docs["fir"].id
    case = site.world.cases["gul_khan"].id
    judgment = site.world.caselaw["citing"].id
    return [
        ("home", "/"),
        ("search", "/search"),
        ("results", "/search?q=%D9%82%D8%AA%D9%84+302"),  # قتل 302: an Urdu query, English pages
        ("results-english", "/search?q=accused"),
        ("viewer", f"/documents/{fir}/pages/1?q=accused"),
        ("viewer-urdu-page", f"/documents/{fir}/pages/3?q=accused"),
        ("intake", "/intake/"),
        ("batch", f"/intake/batches/{site.batch_id}"),
        ("review", "/review/"),
        ("calendar-week", f"/calendar?view=week&start={site.day.isoformat()}"),
        ("calendar-month", f"/calendar?view=month&start={site.day.isoformat()}"),
        ("cause-list", f"/calendar/cause-list?date={site.day.isoformat()}"),
        ("hearing", f"/hearings/{site.hearing_id}"),
        ("display", "/settings/display"),
        ("holidays", "/calendar/holidays"),
        ("cases", "/cases"),
        ("case", f"/cases/{case}"),
        ("case-edit", f"/cases/{case}/edit"),
        ("witnesses", f"/cases/{case}/witnesses"),
        ("exhibits", f"/cases/{case}/exhibits"),
        ("timeline", f"/cases/{case}/timeline"),
        ("paper-book", f"/cases/{case}/paper-book"),
        ("deadlines", "/deadlines?scope=all&show=all"),
        ("caselaw", "/caselaw"),
        ("judgment", f"/caselaw/{judgment}"),
        ("judgment-graph", f"/caselaw/{judgment}/graph"),
        ("caselaw-review", "/caselaw/review"),
        ("statute", "/caselaw/statutes/PPC%20302"),
        ("practice-notes", "/caselaw/notes"),
        ("collections", "/caselaw/collections"),
        ("caseload", "/oversight/caseload"),
        ("audit", "/oversight/audit"),
        ("users", "/admin/users"),
        ("security", "/account/security"),
        ("password", "/account/password"),
        ("monitoring", "/monitoring/"),
        ("monitoring-outcomes", "/monitoring/outcomes"),
        ("monitoring-quality", "/monitoring/quality"),
        ("monthly-report", "/monitoring/report"),
        ("peer-reviews", "/reviews"),
        ("rotation", "/reviews/rotation"),
        ("assign-review", f"/cases/{case}/reviews/new"),
    ]


OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
    // inside a box that scrolls or clips by itself (OCR text, long tokens) nothing can widen the page
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
    }
    if (clipped) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -1 || r.right > width + 1) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') +
        ' [' + Math.round(r.left) + ',' + Math.round(r.right) + ']');
  }
  return {scroll: document.documentElement.scrollWidth, width: width, out: out.slice(0, 8)};
}"""


# Visible text with English words outside data. Data is what people or documents wrote (names, OCR text,
# citations, codes): the templates put it in dir="auto"/dir="ltr" or translate="no" elements, citations in
# .citation (set left to right by urdu.css). Options of a select are left to the catalog test (only the
# chosen one shows). Names kept in Latin letters inside Urdu sentences (the brand, time zone, formats and
# the products people install) are allowed.
ALLOWED_LATIN = ("CMMS", "cmms", "UTC", "YYYY", "MM", "DD", "Google", "Microsoft", "Authenticator", "FreeOTP", "JSON",
                 "API", "PDF", "TIFF", "JPEG", "PNG", "MB", "CSV", "XLSX", "Authorization", "Bearer")
DATA_SELECTOR = ('script,style,code,kbd,pre,svg,option,textarea,[dir="auto"],[dir="ltr"],[translate="no"],'
                 '.citation,a.in-collection,.visually-hidden')
ENGLISH_JS = """() => {
  const allowed = /\\b(ALLOWED)\\b|Asia\\/Karachi|\\/api\\/v1/g;
  const skip = 'SELECTOR';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent;
    if (!/[A-Za-z]{2,}/.test(text.replace(allowed, ''))) continue;
    const el = walker.currentNode.parentElement;
    if (!el || el.closest(skip)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
    out.push(text.trim().replace(/\\s+/g, ' ').slice(0, 80));
  }
  return out;
}""".replace("ALLOWED", "|".join(ALLOWED_LATIN)).replace("SELECTOR", DATA_SELECTOR)


# Everything the page asked for has arrived: after the load event (stylesheets, scripts, images) the
# web fonts the text uses and any image still loading. None of these pages fetches more after load, so
# this is what "networkidle" waited for, without its fixed half second of silence per page (a page with
# a request still open after that does wait for "networkidle").
SETTLED_JS = """() => document.fonts.ready.then(() => Promise.all([...document.images].filter(i => !i.complete)
  .map(i => new Promise(done => { i.addEventListener('load', done); i.addEventListener('error', done); }))))"""


def _check_page(page: Any, language: str, name: str, width: int) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == language, name
    assert html.get_attribute("dir") == ("rtl" if language == "ur" else "ltr"), name
    found = page.evaluate(OVERFLOW_JS)
    assert found["scroll"] <= found["width"] + 1 and not found["out"], f"{language} {name} at {width}px: {found}"
    assert page.locator("text=Internal Server Error").count() == 0
    if language == "ur":
        english = page.evaluate(ENGLISH_JS)
        assert not english, f"English left on the Urdu {name} page: {english}"


def _visit_all(page: Any, site: Site, language: str) -> None:
    pending: set[Any] = set()  # requests the page has made and not yet had answered
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        for name, path in _pages(site):
            response = page.goto(f"{site.url}{path}")  # returns once the load event has fired
            assert response is not None and response.status == 200, f"{name}: {response and response.status}"
            page.evaluate(SETTLED_JS)
            if pending:  # a page still fetching after load: wait for the network to be quiet, as before
                page.wait_for_load_state("networkidle")
            _check_page(page, language, name, width)
            page.screenshot(path=str(SHOTS / f"{language}-{width}-{name}.png"), full_page=True)


def _log_in(chromium: Any, site: Site, username: str) -> Any:
    context = chromium.new_context(viewport={"width": WIDTHS[0], "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/login/mfa"):  # administrators: the one-time code step
        page.fill("#mfa-code", fresh_code_from(site.factory, username))
        page.click("#mfa-submit")
        page.wait_for_load_state()
    assert "/login" not in page.url
    return page


def test_login_and_one_time_code_pages_in_urdu_before_login(site: Site, chromium: Any) -> None:
    """The switch and the font are public: the login page can be read in Urdu by someone not logged in,
    and the choice carries through the one-time-code step."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": WIDTHS[0], "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{site.url}/login")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#switch-ur")
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("/login")
    page.evaluate("() => document.fonts.ready")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        _check_page(page, "ur", "login", width)
        page.screenshot(path=str(SHOTS / f"ur-{width}-login.png"), full_page=True)
    assert "لاگ اِن" in page.locator("h1").inner_text()
    assert page.evaluate("() => document.fonts.check('16px \"CMMS Nastaliq\"')")
    served = page.request.get(f"{site.url}/fonts/NotoNastaliqUrdu-Regular.ttf")  # no session cookie needed
    assert served.status == 200 and served.headers["content-type"] == "font/ttf"
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("/login/mfa")
    page.set_viewport_size({"width": WIDTHS[1], "height": 1000})
    _check_page(page, "ur", "mfa", WIDTHS[1])
    page.screenshot(path=str(SHOTS / f"ur-{WIDTHS[1]}-mfa.png"), full_page=True)
    page.fill("#mfa-code", fresh_code_from(site.factory, "admin"))
    page.click("#mfa-submit")
    page.wait_for_load_state()
    assert "/login" not in page.url and page.locator("html").get_attribute("lang") == "ur"
    context.close()


def test_every_main_page_in_english_and_urdu(site: Site, chromium: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _log_in(chromium, site, "admin")
    _visit_all(page, site, "en")

    page.goto(f"{site.url}/")
    page.click("#switch-ur")  # the switch in the top bar, as a user chooses
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ur"
    _visit_all(page, site, "ur")

    page.set_viewport_size({"width": WIDTHS[0], "height": 1000})
    page.goto(f"{site.url}/search?q=%D9%82%D8%AA%D9%84+302")
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => document.fonts.check('16px \"CMMS Nastaliq\"')")
    assert "Nastaliq" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
    loaded = page.evaluate("() => [...document.fonts].filter(f => f.family.includes('Nastaliq') "
                           "&& f.status === 'loaded').length")
    assert loaded >= 1  # (a locally installed Noto Nastaliq Urdu is used first, else the served file)
    served = page.request.get(f"{site.url}/fonts/NotoNastaliqUrdu-Regular.ttf")
    assert served.status == 200 and served.headers["content-type"] == "font/ttf"
    brand = page.locator(".brand").bounding_box()
    assert brand is not None and brand["x"] > WIDTHS[0] / 2  # the top bar starts on the right
    assert "تلاش" in page.locator(".mainnav").inner_text()
    assert page.locator(".match-note").first.inner_text().startswith("قتل")

    page.goto(f"{site.url}/documents/{site.world.docs['fir'].id}/pages/1?q=accused")
    assert "←" in page.locator("#next-page").inner_text()  # "next" points the way Urdu reads
    stage = page.locator("#page-stage")
    assert stage.evaluate("el => getComputedStyle(el).direction") == "ltr"  # the scan is never mirrored
    image, boxes = page.locator("#page-image").bounding_box(), page.locator("#page-boxes").bounding_box()
    assert image and boxes and abs(image["x"] - boxes["x"]) < 2 and abs(image["width"] - boxes["width"]) < 2
    assert page.locator("#page-text").get_attribute("dir") == "auto"  # the English OCR text stays LTR

    page.click("#switch-en")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.context.close()


def test_eastern_digits_on_dates_and_counts(site: Site, chromium: Any) -> None:
    page = _log_in(chromium, site, "admin")
    page.goto(f"{site.url}/settings/display")
    page.check("#language-ur")
    page.check("#digits-eastern")
    page.click("#save-display")
    page.wait_for_load_state()
    page.goto(f"{site.url}/calendar/cause-list?date={site.day.isoformat()}")
    heading = page.locator("h1").inner_text()
    year = str(site.day.year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert year in heading and str(site.day.year) not in heading
    assert "ایف آئی آر نمبر ۴۵/۲۰۱۹" in page.locator("table.cause-list").inner_text()
    assert "17301-1234567-1" not in page.locator("table.cause-list").inner_text()  # CNICs are not listed here
    page.screenshot(path=str(SHOTS / "ur-eastern-cause-list.png"), full_page=True)
    page.goto(f"{site.url}/search?q=FIR+%DB%B4%DB%B5%2F%DB%B2%DB%B0%DB%B1%DB%B9")  # FIR ۴۵/۲۰۱۹
    assert page.locator("#result-total").get_attribute("data-count") != "0"
    page.context.close()
