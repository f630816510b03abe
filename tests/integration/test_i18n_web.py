"""The Urdu interface through the Flask test client, real SQLite and the real CSRF protection:
which language a request gets (profile, then the switch's cookie, then Accept-Language), the
switch and the display settings, the served Nastaliq font, error pages and flash messages in Urdu,
the cause list PDF set in Nastaliq by WeasyPrint, and reminder e-mail written in the recipient's
language and delivered through a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pikepdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from config.settings import SmtpSecurity
from models import Role, User
from notify.runner import tick
from tests.integration.calendar.smtp_server import Inbox, smtp_inbox
from tests.integration.calendar.world import add_hearing, build
from tests.integration.web_support import app, audit_rows, client, csrf_token, login, make_user

__all__ = ["app", "client", "smtp_inbox"]


@pytest.fixture
def clerk(session_factory: sessionmaker[Session], app: Flask) -> int:
    from models import District

    with session_factory() as db:
        db.add(District(name="Peshawar"))
        db.commit()
    return make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])


def _set(factory: sessionmaker[Session], user_id: int, **values: str | None) -> None:
    with factory() as db:
        user = db.get(User, user_id)
        assert user is not None
        for name, value in values.items():
            setattr(user, name, value)
        db.commit()


def _lang(client: FlaskClient, path: str = "/", **headers: str) -> str | None:
    html = client.get(path, headers=headers).get_data(as_text=True)
    for code, direction in (("ur", "rtl"), ("en", "ltr")):
        if f'<html lang="{code}" dir="{direction}">' in html:
            return code
    return None


def test_the_profile_wins_then_the_cookie_then_the_browser(client: FlaskClient, clerk: int,
                                                           session_factory: sessionmaker[Session]) -> None:
    assert _lang(client, "/login", **{"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.5"}) == "ur"
    assert _lang(client, "/login", **{"Accept-Language": "en-GB"}) == "en"
    login(client, "clerk")
    assert _lang(client, **{"Accept-Language": "ur"}) == "ur"  # nothing chosen: the browser decides
    _set(session_factory, clerk, language="en")
    assert _lang(client, **{"Accept-Language": "ur"}) == "en"  # the profile wins
    _set(session_factory, clerk, language=None)
    client.set_cookie("cmms_lang", "ur")
    assert _lang(client, **{"Accept-Language": "en"}) == "ur"  # the switch's cookie beats the browser


def test_the_switch_saves_the_choice_and_returns_to_the_page(client: FlaskClient, clerk: int,
                                                             session_factory: sessionmaker[Session]) -> None:
    login(client, "clerk")
    token = csrf_token(client, "/")
    response = client.post("/language", data={"language": "ur", "next": "/intake/?x=1", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/intake/?x=1")
    assert "cmms_lang=ur" in response.headers["Set-Cookie"]
    with session_factory() as db:
        assert db.get(User, clerk).language == "ur"  # type: ignore[union-attr]
    assert audit_rows(session_factory, "preferences")[-1].detail["language"] == "ur"
    page = client.get("/intake/").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in page and "اسکین شدہ فائلیں اپ لوڈ کریں" in page
    assert 'id="switch-en"' in page and 'id="switch-ur"' not in page
    # only same-site paths are followed; an unknown language is refused
    response = client.post("/language", data={"language": "en", "next": "//evil.example/", "csrf_token": token})
    assert response.headers["Location"].endswith("/")
    assert client.post("/language", data={"language": "fr", "csrf_token": token}).status_code == 400
    assert client.post("/language", data={"language": "ur"}).status_code == 400  # no CSRF token
    # the switch on a page sends no path: the browser's same-origin Referer brings the user back
    back = client.post("/language", data={"language": "ur", "csrf_token": token},
                       headers={"Referer": "http://localhost/calendar?view=week"})
    assert back.headers["Location"].endswith("/calendar?view=week")
    foreign = client.post("/language", data={"language": "ur", "csrf_token": token},
                          headers={"Referer": "http://evil.example/phish"})
    assert foreign.headers["Location"].endswith("/") and "evil" not in foreign.headers["Location"]


def test_the_login_page_switches_language_before_login(client: FlaskClient) -> None:
    """The switch and the font are public: someone not logged in reads the login page in Urdu."""
    token = csrf_token(client, "/login")
    response = client.post("/language", data={"language": "ur", "csrf_token": token},
                           headers={"Referer": "http://localhost/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in page and "لاگ اِن" in page and 'id="switch-en"' in page


def test_display_settings_language_and_digits(client: FlaskClient, clerk: int,
                                              session_factory: sessionmaker[Session]) -> None:
    login(client, "clerk")
    token = csrf_token(client, "/settings/display")
    bad = client.post("/settings/display", data={"language": "ur", "digits": "roman", "csrf_token": token})
    assert bad.status_code == 400 and "Choose Western or Eastern digits." in bad.get_data(as_text=True)
    saved = client.post("/settings/display", data={"language": "ur", "digits": "eastern", "csrf_token": token},
                        follow_redirects=True)
    html = saved.get_data(as_text=True)
    assert "زبان اور ہندسوں کی ترتیبات محفوظ ہو گئیں۔" in html and 'id="digits-eastern" checked' in html
    with session_factory() as db:
        user = db.get(User, clerk)
        assert user is not None and (user.language, user.digits) == ("ur", "eastern")
    client.post("/settings/display", data={"language": "", "digits": "", "csrf_token": token})
    with session_factory() as db:
        user = db.get(User, clerk)
        assert user is not None and (user.language, user.digits) == (None, None)  # back to the browser's


def test_the_nastaliq_font_is_served_from_the_debian_package(client: FlaskClient, clerk: int) -> None:
    login(client, "clerk")
    font = client.get("/fonts/NotoNastaliqUrdu-Regular.ttf")
    assert font.status_code == 200 and font.mimetype == "font/ttf"
    assert font.data[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO") and len(font.data) > 100_000
    assert "max-age" in font.headers["Cache-Control"]
    assert client.get("/fonts/..%2f..%2fetc%2fpasswd").status_code == 404
    assert client.get("/fonts/DejaVuSans.ttf").status_code == 404  # only the fonts the pages use


def test_errors_and_flash_messages_in_urdu(client: FlaskClient, clerk: int,
                                           session_factory: sessionmaker[Session]) -> None:
    _set(session_factory, clerk, language="ur")
    login(client, "clerk")
    missing = client.get("/documents/99999")
    html = missing.get_data(as_text=True)
    assert missing.status_code == 404 and "نہیں ملا" in html and "ایسا کوئی صفحہ یا ریکارڈ موجود نہیں" in html
    api = client.get("/api/v1/documents/99999")
    assert api.status_code == 404 and "ایسا" not in api.get_data(as_text=True)  # programs get English
    token = csrf_token(client, "/")
    client.post("/search/saved", data={"q": "قتل", "name": "قتل کے مقدمات", "csrf_token": token})
    saved = client.get("/search/saved").get_data(as_text=True)
    assert "تلاش ”قتل کے مقدمات“ کے نام سے محفوظ ہو گئی۔" in saved
    bad = client.get("/search", query_string={"q": '"unclosed'}).get_data(as_text=True)
    assert "واوین بند نہیں کیے گئے" in bad
    digits = client.get("/search", query_string={"q": "x", "page": "دو"}).get_data(as_text=True)
    assert "&#39;page&#39; پورا عدد ہونا چاہیے۔" in digits


def test_the_urdu_cause_list_pdf_is_set_in_nastaliq(session_factory: sessionmaker[Session], app: Flask) -> None:
    world = build(session_factory, emails=False)
    day = date(2026, 12, 9)
    add_hearing(session_factory, world, "p1", day, witnesses=(("گل زمان", "17301-1234567-1"),))
    _set(session_factory, world.users["amina"], language="ur", digits="eastern")
    client = app.test_client()
    from tests.integration.calendar.world import PASSWORD

    login(client, "amina", PASSWORD)
    response = client.get("/calendar/cause-list.pdf", query_string={"date": day.isoformat()})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pikepdf.open(BytesIO(response.data)) as pdf:
        fonts = {str(f.get("/BaseFont", "")) for page in pdf.pages for f in page.Resources.Font.values()}
    assert any("Nastaliq-Urdu" in name for name in fonts), fonts  # the Urdu text is set in Nastaliq
    page = client.get("/calendar/cause-list", query_string={"date": day.isoformat()}).get_data(as_text=True)
    assert "کاز لسٹ بابت بدھ، ۹ دسمبر ۲۰۲۶" in page and "ایف آئی آر نمبر ۱۰۱/۲۰۲۵، تھانہ Saddar" in page


def test_reminder_email_is_written_in_the_recipients_language(
        session_factory: sessionmaker[Session], settings: Settings, smtp_inbox: tuple[Inbox, int]) -> None:
    inbox, port = smtp_inbox
    mail = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port,
                                       "smtp_security": SmtpSecurity.NONE, "public_url": "https://cmms.test"})
    world = build(session_factory)
    _set(session_factory, world.users["amina"], language="ur")  # bilal never chose: English
    add_hearing(session_factory, world, "p1", date(2026, 12, 9), court="asj2")
    add_hearing(session_factory, world, "m1", date(2026, 12, 9), court="atc")
    tick(session_factory, mail, datetime(2026, 12, 8, 5, 0, tzinfo=UTC))
    by_person = dict(zip(inbox.to(), inbox.subjects(), strict=True))
    assert by_person["amina@prosecution.example"] == \
        "کل پیشی: ایف آئی آر نمبر 101/2025، تھانہ Saddar بعدالت Additional Sessions Judge-II, Peshawar"
    assert by_person["bilal@prosecution.example"].startswith("Hearing tomorrow: FIR 303/2025, PS City")
    urdu = next(m for m in inbox.messages if "amina" in str(m["To"])).get_content()
    assert "بدھ، 9 دسمبر 2026" in urdu and "صبح کی نشست" in urdu and "اطلاعات کی ترتیبات" in urdu


def test_the_query_language_guide_in_the_readers_language(client: FlaskClient, clerk: int,
                                                          session_factory: sessionmaker[Session]) -> None:
    login(client, "clerk")
    english = client.get("/search/help").get_data(as_text=True)
    assert "The CMMS search box" in english and "Urdu and English" in english
    _set(session_factory, clerk, language="ur")
    urdu = client.get("/search/help").get_data(as_text=True)
    assert "CMMS میں تلاش کا طریقہ" in urdu and "<script" not in urdu.split("<main")[1]
