"""Browser journey (issue 8, MFA): a supervisor, who must use one-time codes, logs in for the first time
and is taken to enrolment (QR code and key), switches codes on with an authenticator's code and gets
recovery codes; at the next login the password alone is refused (no page behind the login opens, a
wrong code is refused) and the code lets them in. Real Chromium on the live app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest

from models import District, Role, User
from tests.browser.live import PASSWORD, SCREENSHOT_DIR, LiveStack

pytestmark = [pytest.mark.browser, pytest.mark.elasticsearch, pytest.mark.redis, pytest.mark.slow]


def _supervisor(live: LiveStack) -> None:
    from sqlalchemy import select

    from search_app.auth.passwords import hash_password

    with live.factory() as db:
        peshawar = db.scalar(select(District).where(District.name == "Peshawar"))
        db.add(User(username="sup_journey", full_name="Supervisor Journey", password_hash=hash_password(PASSWORD),
                    role=Role.SUPERVISOR, districts=[peshawar] if peshawar else []))
        db.commit()


def _password_step(page: Any, live: LiveStack) -> None:
    page.goto(f"{live.url}/login")
    page.fill("#username", "sup_journey")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state()


def test_supervisor_enrols_then_needs_the_code(browser: Any, live: LiveStack) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    _supervisor(live)
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    _password_step(page, live)
    assert page.url.endswith("/account/mfa"), page.url  # enrolment is the only way on
    page.goto(f"{live.url}/oversight/audit")
    assert page.url.endswith("/account/mfa")
    assert page.eval_on_selector("#mfa-qr", "img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(SCREENSHOT_DIR / "mfa-enrol.png"), full_page=True)
    secret = page.inner_text("#mfa-secret").strip()
    totp = pyotp.TOTP(secret)
    page.fill("#mfa-code", totp.now())
    page.click("#mfa-confirm")
    page.wait_for_load_state()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(len(c.replace("-", "")) == 10 for c in codes)
    page.screenshot(path=str(SCREENSHOT_DIR / "mfa-recovery-codes.png"), full_page=True)
    page.goto(f"{live.url}/oversight/audit")
    assert "/oversight/audit" in page.url and page.locator("#chain-state").is_visible()
    page.click("#logout")
    page.wait_for_load_state()
    context.close()

    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    _password_step(page, live)
    assert page.url.endswith("/login/mfa"), page.url
    page.goto(f"{live.url}/oversight/audit")  # the password alone opens nothing
    assert page.url.split("?")[0].endswith("/login") and page.locator("#login-submit").is_visible()
    _password_step(page, live)
    page.fill("#mfa-code", "000000")
    page.click("#mfa-submit")
    page.wait_for_load_state()
    assert page.locator("#mfa-error").is_visible() and "/login/mfa" in page.url
    page.screenshot(path=str(SCREENSHOT_DIR / "mfa-refused.png"), full_page=True)
    # The enrolment code's time step is spent (no replay): the app also accepts the next step.
    page.fill("#mfa-code", totp.at(datetime.now(UTC) + timedelta(seconds=30)))
    page.click("#mfa-submit")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:800]
    page.goto(f"{live.url}/oversight/audit")
    assert "/oversight/audit" in page.url
    page.screenshot(path=str(SCREENSHOT_DIR / "mfa-logged-in.png"), full_page=True)
    context.close()
