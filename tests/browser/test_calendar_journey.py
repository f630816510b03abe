"""Browser journey of the hearings calendar (issue 11), in real Chromium on the live app:

a prosecutor schedules a hearing while already due in another court that morning (data entry does
not keep the calendar: README role table) -> the clash warning appears -> she keeps the date with a
reason -> the cause list PDF for that
court and day lists the case -> the hearing is adjourned with its reason and who asked (CrPC s.344)
-> the next date is set and the next hearing appears on the calendar.

The hearings are on the court's day today (Asia/Karachi), so the outcome may be recorded at once.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pdfplumber
import pytest
from sqlalchemy import select

from models import Case, ConflictOverride, Court, District, Hearing, PoliceStation, User
from scheduling.timezone import local_today
from tests.browser.live import SCREENSHOT_DIR, LiveStack, log_in

pytestmark = [pytest.mark.browser, pytest.mark.elasticsearch, pytest.mark.redis, pytest.mark.slow]


def _seed(live: LiveStack) -> dict[str, int]:
    """Two courts of Peshawar, two cases of the Peshawar prosecutor, one already listed today."""
    today = local_today(datetime.now(UTC))
    with live.factory() as db:
        peshawar = db.scalar(select(District).where(District.name == "Peshawar"))
        prosecutor = db.scalar(select(User).where(User.username == "pros_peshawar"))
        assert peshawar is not None and prosecutor is not None
        asj = Court(district_id=peshawar.id, name="Additional Sessions Judge-IV, Peshawar", kind="additional_sessions")
        magistrate = Court(district_id=peshawar.id, name="Judicial Magistrate-III, Peshawar",
                           kind="judicial_magistrate")
        station = PoliceStation(name="Gulbahar", district_id=peshawar.id)
        db.add_all([asj, magistrate, station])
        db.flush()
        first = Case(fir_number="511", fir_year=2025, police_station_id=station.id, district_id=peshawar.id,
                     title="State v. Akbar Ali", stage="charge_framed", assigned_prosecutor_id=prosecutor.id)
        second = Case(fir_number="612", fir_year=2025, police_station_id=station.id, district_id=peshawar.id,
                      title="State v. Noor Zaman", stage="charge_framed", assigned_prosecutor_id=prosecutor.id)
        db.add_all([first, second])
        db.flush()
        db.add(Hearing(case_id=first.id, scheduled_for=today, session="morning", court_id=asj.id, court=asj.name,
                       purpose="prosecution_evidence", prosecutor_id=prosecutor.id))
        db.commit()
        return {"second": second.id, "magistrate": magistrate.id, "asj": asj.id}


def test_clash_override_cause_list_adjournment_next_date(live: LiveStack, browser: Any) -> None:
    ids = _seed(live)
    today = local_today(datetime.now(UTC))
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page = log_in(browser, live, "pros_peshawar")

    # 1. schedule the second case before the magistrate, same morning: the prosecutor is due at the ASJ
    page.goto(f"{live.url}/cases/{ids['second']}/hearings/new")
    page.fill("#scheduled_for", today.isoformat())
    page.select_option("#session", "morning")
    page.select_option("#court_id", str(ids["magistrate"]))
    page.select_option("#purpose", "bail")
    page.fill("input[name=witness_name] >> nth=0", "Noor Zaman")
    page.click("#save-hearing")
    warning = page.locator("#conflict-warnings")
    warning.wait_for()
    assert "Prosecutor Peshawar also appears in FIR 511/2025, PS Gulbahar before Additional Sessions Judge-IV" \
        in warning.inner_text()
    page.screenshot(path=str(SCREENSHOT_DIR / "calendar-clash-warning.png"), full_page=True)

    # 2. keep the date with a reason
    page.fill("#override-reason", "Bail application takes ten minutes; the ASJ list starts at 11.")
    page.click("#keep-date")
    page.wait_for_selector("#hearing-facts")
    assert "Judicial Magistrate-III, Peshawar" in page.inner_text("#hearing-facts")
    assert "Bail application takes ten minutes" in page.inner_text("#overrides")
    hearing_url = page.url
    with live.factory() as db:
        [override] = db.scalars(select(ConflictOverride))
        assert override.kind == "prosecutor_two_courts"

    # 3. the cause list of that court and day, on screen and as PDF
    page.goto(f"{live.url}/calendar/cause-list")
    page.fill("#cause-date", today.isoformat())
    page.select_option("#filter-court", str(ids["magistrate"]))
    page.click("#cause-list-filters button[type=submit]")
    page.wait_for_selector("table.cause-list")
    assert "FIR 612/2025" in page.inner_text("table.cause-list")
    assert "FIR 511/2025" not in page.inner_text("main")
    page.screenshot(path=str(SCREENSHOT_DIR / "calendar-cause-list.png"), full_page=True)
    pdf_url = page.get_attribute("#cause-list-pdf", "href")
    pdf = page.context.request.get(f"{live.url}{pdf_url}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.body())) as document:
        text = "\n".join(p.extract_text() or "" for p in document.pages)
    assert "FIR 612/2025" in text and "Bail application" in text and "Prosecutor Peshawar" in text
    assert "FIR 511/2025" not in text

    # 4. the court adjourns: defence counsel absent, at the defence's request; next date fixed
    next_day = today + timedelta(days=(2 - today.weekday()) % 7 + 14)  # a Wednesday two weeks or so ahead
    page.goto(hearing_url)
    page.click("#record-outcome")
    page.select_option("#result", "adjourned")
    page.click("#save-outcome")  # without reason, requester and next date: refused, clearly
    page.wait_for_selector(".error-message")
    assert "CrPC s.344" in page.inner_text("#outcome-form")
    page.select_option("#result", "adjourned")
    page.select_option("#adjournment_reason", "defence_counsel_absent")
    page.select_option("#requested_by", "defence")
    page.fill("#next_date", next_day.isoformat())
    page.click("#save-outcome")
    page.wait_for_load_state()  # the click returns at commit; count only once the page is parsed
    if page.locator("#conflict-warnings").count():  # the next date may fall on a gazetted holiday
        page.fill("#override-reason", "Date given by the court")
        page.click("#keep-date")
    page.wait_for_selector("#next-date a")

    # 5. the next date is set and leads to the next hearing on the calendar
    assert "Defence counsel absent" in page.inner_text("#adjournment")
    assert next_day.strftime("%d %B %Y") in page.inner_text("#next-date")
    page.click("#next-date a")
    page.wait_for_selector("#hearing-facts")
    assert "Bail application" in page.inner_text("#hearing-facts")
    page.goto(f"{live.url}/calendar?view=month&start={next_day.isoformat()}")
    assert "FIR 612/2025" in page.inner_text("#month-grid")
    page.screenshot(path=str(SCREENSHOT_DIR / "calendar-month.png"), full_page=True)
    with live.factory() as db:
        hearing = db.scalar(select(Hearing).where(Hearing.case_id == ids["second"], Hearing.scheduled_for == today))
        assert hearing is not None and hearing.adjournment_requested_by == "defence"
        assert hearing.next_date == next_day and hearing.next_hearing_id is not None
