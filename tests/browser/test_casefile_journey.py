"""Browser journey of the prosecution case file in Chromium (live app, real worker, Redis, ES):

a prosecutor registers a case with its FIR date (the s.173 interim report is due and already overdue
on "my deadlines"); a data-entry clerk does not reach the case (README role table: no Deadlines in
the menu, the case page refused); the prosecutor records the challan received, scrutinises it with
objections and returns it; the police resubmit; the objections are resolved and the challan accepted;
submitted to court; two hearings on the calendar's forms (a new witness typed on the first enters the
witness register, its outcome schedules the second, where the witness is picked from the register,
which then lists both hearings); charge, evidence, arguments, judgment; the outcome of the accused is
recorded. The deadline list then shows the interim report met, and the timeline the hearings as the
calendar recorded them. Screenshots in var/browser/.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from models import Case, CaseDeadline, Outcome
from scheduling.timezone import court_today
from tests.browser.live import SCREENSHOT_DIR, LiveStack, log_in

pytestmark = [pytest.mark.browser, pytest.mark.elasticsearch, pytest.mark.redis, pytest.mark.slow]

TODAY = court_today()


def day(offset: int) -> str:
    return (TODAY - timedelta(days=offset)).isoformat()


def move(page: Any, case_url: str, target: str, on: str) -> None:
    page.goto(case_url)
    page.select_option("#transition-target", target)
    page.fill("#transition-on", on)
    page.click("#transition-submit")
    page.wait_for_load_state()
    assert page.locator("#casefile-error").count() == 0, page.locator("#casefile-error").inner_text()


def scrutinise(page: Any, case_url: str, decision: str, on: str, objections: tuple[str, ...] = ()) -> None:
    page.goto(case_url)
    for code in objections:
        page.check(f"#objection-{code}")
    page.select_option("#scrutiny-decision", decision)
    page.fill("#scrutiny-date", on)
    page.click("#scrutiny-submit")
    page.wait_for_load_state()


def submit_keeping_warnings(page: Any, button: str) -> None:
    """Submit; if the calendar warns about the date (already passed, a court holiday), keep it."""
    page.click(button)
    page.wait_for_load_state()
    if page.locator("#conflict-warnings").count():
        page.fill("#override-reason", "Entered from the court diary")
        page.click("#keep-date")
        page.wait_for_load_state()


def deadline_row(page: Any, live: LiveStack, show: str) -> Any:
    page.goto(f"{live.url}/deadlines?scope=mine&show={show}")
    return page.locator('#deadline-list tr[data-rule="crpc_173_interim_report"]')


def test_challan_scrutiny_to_judgment(live: LiveStack, browser: Any) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    pros = log_in(browser, live, "pros_peshawar")
    pros.goto(f"{live.url}/cases/new")
    pros.fill("input[name=fir_number]", "318")
    pros.fill("input[name=fir_year]", str((TODAY - timedelta(days=40)).year))
    pros.fill("#fir_date", day(40))
    pros.select_option("select[name=district_id]", label="Peshawar")
    pros.fill("input[name=police_station]", "Gulbahar")
    pros.fill("input[name=title]", "State vs Akbar Khan")
    pros.fill("input[name=sections]", "302/34 PPC")
    pros.select_option("select[name=stage]", "under_investigation")
    pros.select_option("select[name=assigned_prosecutor_id]", label="Prosecutor Peshawar")
    pros.locator("input[name=party_name]").first.fill("Akbar Khan")
    pros.locator("input[name=party_father]").first.fill("Sher Khan")
    pros.locator("select[name=party_role]").first.select_option("accused")
    pros.locator("input[name=party_cnic]").first.fill("17301-1234567-1")
    pros.click("#save-case")
    pros.wait_for_load_state()
    case_url = pros.url
    case_id = int(case_url.rstrip("/").split("/")[-1])
    assert pros.locator("#case-stage").inner_text() == "Under investigation"

    # the s.173 interim report: 17 days after the FIR, not met -> overdue on my deadlines
    row = deadline_row(pros, live, "open")
    assert row.count() == 1 and "overdue" in row.inner_text()
    pros.screenshot(path=str(SCREENSHOT_DIR / "casefile-1-deadline-overdue.png"), full_page=True)

    clerk = log_in(browser, live, "clerk")
    assert clerk.locator("#nav-deadlines").count() == 0
    refused = clerk.goto(case_url)
    assert refused is not None and refused.status == 403
    move(pros, case_url, "challan_received", day(20))
    scrutinise(pros, case_url, "returned", day(19), ("fsl_awaited", "site_plan_missing"))
    assert pros.locator("#case-stage").inner_text() == "Returned with objections"
    assert pros.locator("#objections tbody tr").count() == 2
    pros.screenshot(path=str(SCREENSHOT_DIR / "casefile-2-returned.png"), full_page=True)

    move(pros, case_url, "challan_received", day(15))  # resubmitted by the police
    scrutinise(pros, case_url, "accepted", day(14))       # refused: objections still open
    assert "objections are open" in pros.locator("#casefile-error").inner_text()
    while pros.locator(".resolve-objection").count():
        pros.locator(".resolve-objection").first.click()
        pros.wait_for_load_state()
    scrutinise(pros, case_url, "accepted", day(14))
    assert pros.locator("#case-stage").inner_text() == "Accepted for submission"

    move(pros, case_url, "submitted_to_court", day(13))
    # hearing 1 on the calendar's form; a witness not yet in the register is typed and enters it
    pros.goto(case_url)
    pros.click("#add-hearing")
    pros.fill("#scheduled_for", day(10))
    pros.fill("input[name=court]", "Sessions Judge Peshawar")
    pros.select_option("#purpose", "charge")
    pros.fill("input[name=witness_name] >> nth=0", "Gul Zaman")
    pros.locator("select[name=witness_kind]").first.select_option("eye_witness")
    submit_keeping_warnings(pros, "#save-hearing")  # entered after the day: the calendar asks why
    pros.wait_for_selector("#hearing-facts")
    # its outcome: charge framed, next date for prosecution evidence, which schedules hearing 2
    pros.click("#record-outcome")
    pros.select_option("#result", "charge_framed")
    pros.fill("#next_date", day(5))
    pros.select_option("#next_purpose", "prosecution_evidence")
    submit_keeping_warnings(pros, "#save-outcome")
    pros.wait_for_selector("#next-date a")
    # hearing 2: the witness is picked from the case's register
    pros.click("#next-date a")
    pros.wait_for_selector("#hearing-facts")
    pros.click("#edit-hearing")
    assert "Gul Zaman" in pros.inner_text("#register-choices")
    pros.locator("input[name=summon]").first.check()
    pros.screenshot(path=str(SCREENSHOT_DIR / "casefile-2a-hearing-form.png"), full_page=True)
    submit_keeping_warnings(pros, "#save-hearing")
    pros.wait_for_selector("#hearing-facts")
    assert "Gul Zaman" in pros.inner_text("#witnesses") and "eye witness" in pros.inner_text("#witnesses")
    # the witness register shows the hearings the witness was summoned for
    pros.goto(f"{case_url}/witnesses")
    summoned = pros.locator("#witnesses .summoned-for").first.inner_text()
    assert summoned.count("Sessions Judge Peshawar") == 2 and "Prosecution evidence" in summoned, summoned
    pros.screenshot(path=str(SCREENSHOT_DIR / "casefile-2b-witness-register.png"), full_page=True)
    for target, offset in (("charge_framed", 10), ("prosecution_evidence", 5), ("arguments", 2), ("judgment", 1)):
        move(pros, case_url, target, day(offset))
    pros.goto(case_url)
    pros.select_option("#outcome-result", "conviction")
    pros.fill("#outcome-date", day(1))
    pros.fill("#outcome-court", "Sessions Judge Peshawar")
    pros.fill("#outcome-sentence", "Imprisonment for life under s.302(b) PPC")
    pros.click("#outcome-submit")
    pros.wait_for_load_state()
    assert "Imprisonment for life" in pros.locator("#outcomes").inner_text()
    assert pros.locator("#case-stage").inner_text() == "Judgment"
    pros.screenshot(path=str(SCREENSHOT_DIR / "casefile-3-judgment.png"), full_page=True)

    # the interim report is met (by the challan, late): gone from the open list, "met late" in all
    assert deadline_row(pros, live, "open").count() == 0
    row = deadline_row(pros, live, "all")
    assert row.count() == 1 and "met late" in row.inner_text()
    pros.screenshot(path=str(SCREENSHOT_DIR / "casefile-4-deadline-met.png"), full_page=True)

    pros.goto(f"{case_url}/timeline")
    kinds = pros.locator("#timeline tbody tr").evaluate_all("rows => rows.map(r => r.className)")
    assert kinds.count("timeline-hearing") == 2 and "timeline-scrutiny" in kinds and "timeline-outcome" in kinds
    first_hearing = pros.locator("#timeline tr.timeline-hearing").first.inner_text()
    assert "Framing of charge" in first_hearing and "Charge framed" in first_hearing
    assert (TODAY - timedelta(days=5)).strftime("%d %b %Y") in first_hearing  # its next date
    pros.screenshot(path=str(SCREENSHOT_DIR / "casefile-5-timeline.png"), full_page=True)

    with live.factory() as db:
        case = db.get(Case, case_id)
        assert case is not None and case.stage == "judgment"
        met = db.scalar(select(CaseDeadline.met_on).where(CaseDeadline.case_id == case_id,
                                                          CaseDeadline.rule_id == "crpc_173_interim_report"))
        assert met == TODAY - timedelta(days=20)
        assert db.scalar(select(Outcome.result).where(Outcome.case_id == case_id)) == "conviction"
