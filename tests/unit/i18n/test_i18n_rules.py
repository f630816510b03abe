"""Pure rules of the Urdu interface (no services): languages and digits, dates with Urdu month names,
stored English messages shown in Urdu, the cross-language glossary, readers outside a request,
catalog compiling, and the query language's handling of Eastern digits."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest

from i18n import catalogs
from i18n.extract import extract_toml
from i18n.formatting import Formatter, digit_style
from i18n.languages import language, show_digits, to_eastern_digits, to_western_digits
from i18n.reader import Reader, reader_for
from i18n.stored import StoredMessages
from scheduling.messages import Lowercase, Message

UR = catalogs.translations("ur")


# --- languages and digits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "expected", "direction"), [
    ("ur", "ur", "rtl"), ("ur-PK", "ur", "rtl"), ("ur_PK", "ur", "rtl"), ("en-GB", "en", "ltr"),
    ("ps", "en", "ltr"), (None, "en", "ltr"), ("", "en", "ltr"),
])
def test_language_codes(code: str | None, expected: str, direction: str) -> None:
    assert language(code).code == expected and language(code).direction == direction


def test_digits_both_ways() -> None:
    assert to_eastern_digits("FIR 123/2019, s.302") == "FIR ۱۲۳/۲۰۱۹, s.۳۰۲"
    assert to_western_digits("۱۲۳/۲۰۱۹ ٣٠٢") == "123/2019 302"  # Urdu and Arabic-Indic digits alike
    assert to_western_digits(to_eastern_digits("0123456789")) == "0123456789"
    assert show_digits("45", "western") == "45" and show_digits("45", "eastern") == "۴۵"
    assert digit_style(None, "ur") == "western" and digit_style("eastern", "en") == "eastern"
    assert digit_style("roman", "ur") == "western"  # unknown stored values fall back


# --- dates, times and numbers -------------------------------------------------------------------------------

DAYS = [date(2026, m, d) for m, d in ((1, 5), (2, 28), (3, 2), (7, 14), (11, 30), (12, 25))]


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize(("style", "strftime"), [
    ("day", "%A %d %B %Y"), ("day_medium", "%A %d %b %Y"), ("long", "%d %B %Y"), ("medium", "%d %b %Y"),
    ("weekday", "%a %d %b"), ("short", "%d %b"), ("numeric", "%d.%m.%Y"), ("month", "%B %Y"),
])
def test_english_dates_are_what_the_pages_always_showed(day: date, style: str, strftime: str) -> None:
    assert Formatter("en").date(day, style) == day.strftime(strftime)


def test_urdu_month_and_day_names() -> None:
    months = [Formatter("ur").date(date(2026, m, 1), "month").split()[0] for m in range(1, 13)]
    assert months == ["جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر",
                      "دسمبر"]
    assert Formatter("ur").date(date(2026, 3, 2), "day") == "پیر، 2 مارچ 2026"
    assert Formatter("ur", "eastern").date(date(2026, 3, 2), "long") == "۲ مارچ ۲۰۲۶"
    assert Formatter("ur", "eastern").date(date(2026, 3, 2), "numeric") == "۰۲.۰۳.۲۰۲۶"


def test_numbers_and_times() -> None:
    assert Formatter("en").number(1234567) == "1,234,567"
    assert Formatter("ur", "eastern").number(1234) == "۱,۲۳۴"
    assert Formatter("ur", "eastern").time(time(9, 5)) == "۰۹:۰۵"
    assert Formatter("en").datetime(datetime(2026, 3, 2, 14, 5), "iso_minute") == "2026-03-02 14:05"
    assert Formatter("ur").datetime(datetime(2026, 3, 2, 14, 5)) == "2 مارچ 2026، 14:05"
    assert Formatter().date(None) == "" and Formatter().time(None) == ""


# --- stored English messages shown in Urdu --------------------------------------------------------------


def _stored() -> StoredMessages:
    from search_app.i18n import stored_messages

    stored_messages.cache_clear()
    return stored_messages()


def _sample(template: str) -> str:
    import re

    names = re.findall(r"%\((\w+)\)([sd])", template)
    return template % {name: (7 if kind == "d" else f"X{name}") for name, kind in names}


def test_every_stored_template_is_recognised_and_shown_in_urdu() -> None:
    from search_app.i18n import stored_messages

    stored = _stored()
    templates = [t for t in stored._templates]
    assert len(templates) >= 25
    for template in templates:
        english = _sample(template.source)
        found = stored.match(english)
        assert found is not None and found[0] == template.source, english
        urdu = stored.translate(english, UR.gettext)
        assert urdu != english and "%(" not in urdu, english
    stored_messages.cache_clear()


def test_stored_messages_nested_values_and_unknown_text() -> None:
    from i18n.stored import LIST_SEPARATOR
    from ingest.errors import FAILED_PAGE_ITEM, MESSAGES, IntakeErrorCode
    from ingest.sniff import describe
    from ocr.errors import CLERK_MESSAGES, PageErrorCode

    stored = _stored()
    nested = MESSAGES[IntakeErrorCode.NO_PAGES_READ] % {"detail": CLERK_MESSAGES[PageErrorCode.CORRUPT]}
    urdu = stored.translate(nested, UR.gettext)
    assert urdu.startswith("اس دستاویز کا کوئی صفحہ پڑھا نہ جا سکا۔") and "فائل خراب یا نامکمل ہے" in urdu
    failed = ((3, "ocr_timeout"), (5, "empty"))
    listing = LIST_SEPARATOR.join(FAILED_PAGE_ITEM % {"page": p, "code": c} for p, c in failed)
    urdu = stored.translate(MESSAGES[IntakeErrorCode.PAGES_FAILED] % {"detail": listing}, UR.gettext)
    assert "صفحہ 3 (ocr_timeout)، صفحہ 5 (empty)" in urdu
    refused = MESSAGES[IntakeErrorCode.NOT_PDF_OR_IMAGE] % {"what": describe(b"MZ\x90\x00")}
    assert "ونڈوز پروگرام" in stored.translate(refused, UR.gettext)
    assert stored.translate("A message someone typed, 100% free text.", UR.gettext) == \
        "A message someone typed, 100% free text."
    assert stored.translate(None, UR.gettext) == ""


# --- readers outside a request (e-mail, reminders) ----------------------------------------------------------


class _User:
    def __init__(self, language: str | None, digits: str | None = None) -> None:
        self.language, self.digits = language, digits


def test_readers_write_in_the_recipients_language() -> None:
    assert reader_for(_User("ur")).gettext("Search") == "تلاش"
    assert reader_for(_User(None)).gettext("Search") == "Search"  # never chose: English (no browser to ask)
    eastern = reader_for(_User("ur", "eastern"))
    assert eastern.fir("45", 2019, "Saddar") == "ایف آئی آر نمبر ۴۵/۲۰۱۹، تھانہ Saddar"
    assert Reader().fir("45", 2019, "Saddar") == "FIR 45/2019, PS Saddar"
    assert eastern.gettext("Page %(n)s of %(total)s", n="۲", total="۹") == "صفحہ ۲ از ۹"


def test_messages_translate_their_parameters() -> None:
    message = Message("%(day)s is not a court day (%(holiday)s).",
                      {"day": date(2026, 3, 23), "holiday": "Pakistan Day"})
    assert message.render() == "23 Mar 2026 is not a court day (Pakistan Day)."
    urdu = reader_for(_User("ur"))
    assert message.render(urdu.gettext, urdu.format.date) == "23 مارچ 2026 کو عدالتیں نہیں لگتیں (یومِ پاکستان)۔"
    session = Message("%(prosecutor)s also appears in %(case)s before %(court)s in the same %(session)s session.",
                      {"prosecutor": "The prosecutor", "case": "FIR 1/2025", "court": "ATC",
                       "session": Lowercase("Morning")})
    assert session.render() == "The prosecutor also appears in FIR 1/2025 before ATC in the same morning session."
    assert "صبح" in session.render(urdu.gettext)


# --- catalogs ------------------------------------------------------------------------------------------------


def test_a_stale_catalog_is_compiled_and_a_read_only_one_refused(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "translations"
    shutil.copytree(catalogs.TRANSLATIONS_DIR, copy, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    monkeypatch.setattr(catalogs, "TRANSLATIONS_DIR", copy)
    catalogs.translations.cache_clear()
    try:
        assert catalogs.is_stale("ur")
        assert catalogs.ensure_compiled() == ["ur"]
        assert not catalogs.is_stale("ur") and catalogs.ensure_compiled() == []
        assert catalogs.translations("ur").gettext("Search") == "تلاش"
        catalogs.mo_path("ur").unlink()
        catalogs.mo_path("ur").parent.chmod(0o555)
        if catalogs.mo_path("ur").parent.stat().st_mode & 0o200 == 0 and not _is_root():
            with pytest.raises(catalogs.CatalogError, match="pybabel compile"):
                catalogs.ensure_compiled()
    finally:
        catalogs.mo_path("ur").parent.chmod(0o755)
        catalogs.translations.cache_clear()


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def test_toml_labels_are_extracted() -> None:
    from io import BytesIO

    data = b'[purposes.bail]\nlabel = "Bail application"\n[[fixed_holidays]]\nname = "Labour Day"\nsource = "x"\n'
    found = [m for _, _, m, _ in extract_toml(BytesIO(data), None, None, {"keys": "label name"})]
    assert found == ["Bail application", "Labour Day"]


# --- the query language ----------------------------------------------------------------------------------


def test_eastern_digits_in_queries_are_read_as_western() -> None:
    from search_app.search.query_parser import parse

    assert parse("FIR ۱۲۳/۲۰۱۹") == parse("FIR 123/2019")
    assert parse("section:۳۰۲") == parse("section:302")
    assert parse("year:۲۰۱۹..۲۰۲۱") == parse("year:2019..2021")
