"""Flask-Babel set-up: which language and digits a request is answered in, and the template helpers
that format for the reader.

Language, in order: the user's choice (``User.language``), the ``cmms_lang`` cookie (set by the switch,
so the login page after logging out stays in the language last chosen), the browser's
``Accept-Language``, English. Digits: the user's choice (``User.digits``), the ``cmms_digits`` cookie,
the language's default (Western). Right-to-left pages get ``dir="rtl"`` and ``lang="ur"`` on ``<html>``.

Template helpers (all format in the reader's language and digits):
``n|num`` (counts), ``d|day(style)`` (dates, styles in ``i18n.formatting``), ``t|karachi_time`` and
``t|karachi_datetime`` (stored UTC instants in Pakistan time), ``t|karachi_day`` (the Asia/Karachi
calendar day of a stored UTC instant: an approval at 21:00 UTC is the next day in Pakistan),
``text|digits`` (any text with numbers, such as FIR numbers), ``code|label(kind)`` (stored codes,
``i18n.labels``) and ``message|stored`` (an English message stored by a worker, ``i18n.stored``),
``text|tr`` (a marked label or free text), ``case|fir`` (an FIR label), ``case|fir_short`` (FIR
number/year only). ``arrows`` (back/forward) point the way the page reads.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, gettext

from i18n.catalogs import ensure_compiled
from i18n.formatting import Formatter, digit_style
from i18n.labels import LABELS, label
from i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, DigitStyle, Language
from i18n.languages import language as language_of
from i18n.stored import StoredMessages

SUPPORTED_LANGUAGES = tuple(LANGUAGES)
LANGUAGE_COOKIE = "cmms_lang"
DIGITS_COOKIE = "cmms_digits"
COOKIE_MAX_AGE_S = 365 * 24 * 3600


def _user_attr(name: str) -> str | None:
    user = g.get("user") if has_request_context() else None
    value = getattr(user, name, None) if user is not None else None
    return str(value) if value else None


def select_locale() -> str:
    """The request's language code (Flask-Babel's locale selector)."""
    if not has_request_context() or request.path.startswith("/api/"):
        return DEFAULT_LANGUAGE  # the JSON API answers in English (its contract), whoever calls it
    for chosen in (_user_attr("language"), request.cookies.get(LANGUAGE_COOKIE)):
        if chosen in LANGUAGES:
            return str(chosen)
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> Language:
    return language_of(str(get_locale() or DEFAULT_LANGUAGE))


def current_digits() -> DigitStyle:
    chosen = _user_attr("digits") or (request.cookies.get(DIGITS_COOKIE) if has_request_context() else None)
    return digit_style(chosen, current_language().code)


def formatter() -> Formatter:
    """The request's formatter (language and digits of the reader)."""
    if not has_request_context():
        return Formatter()
    cached = g.get("_cmms_formatter")
    if cached is None:
        cached = Formatter(current_language().code, current_digits())
        g._cmms_formatter = cached
    return cached


@cache
def stored_messages() -> StoredMessages:
    """Every template a worker or the intake stores as a document's or page's message."""
    from ingest import caselinks, intake, sniff
    from ingest import errors as intake_errors
    from ocr import errors as ocr_errors

    templates = [*intake_errors.MESSAGES.values(), *ocr_errors.CLERK_MESSAGES.values(),
                 intake_errors.FAILED_PAGE_ITEM, intake_errors.NO_PAGES, ocr_errors.NO_PAGES_IN_PDF,
                 *intake.STORED_MESSAGES, *sniff.DESCRIPTIONS, *caselinks.REASONS, *LABELS["document_status"].values()]
    return StoredMessages(templates)


def translate_stored(message: str | None) -> str:
    """An English message stored in the database, in the reader's language when it is recognised."""
    return stored_messages().translate(message, gettext)


# --- template filters -------------------------------------------------------------------------------


def _num(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return formatter().text(value)
    return formatter().number(value)


def _day(value: date | datetime | str | None, style: str = "medium") -> str:
    """A date (or an ISO date string, as Elasticsearch returns it) in the reader's language."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return formatter().text(value)
    return formatter().date(value, style)


def _karachi_datetime(moment: datetime | None, style: str = "medium") -> str:
    from scheduling.timezone import to_local

    return formatter().datetime(to_local(moment), style) if moment else ""


def _karachi_day(moment: datetime | None, style: str = "medium") -> str:
    """The Asia/Karachi day of a stored UTC instant (``created_at``, ``approved_at``), never the UTC day."""
    from scheduling.timezone import to_local

    return formatter().date(to_local(moment).date(), style) if moment else ""


def _karachi_time(moment: datetime | None) -> str:
    from scheduling.timezone import to_local

    return formatter().time(to_local(moment)) if moment else ""


def _hhmm(value: Any) -> str:
    """A wall-clock time (``datetime.time``) as HH:mm in the reader's digits."""
    return formatter().time(value)


def _digits(value: Any) -> str:
    return formatter().text("" if value is None else value)


def fir_label(record: Any) -> str:
    """A case's (or calendar entry's) FIR in the reader's language: ``FIR 45/2019, PS Saddar``."""
    police_station = getattr(record, "police_station", None)
    station = getattr(record, "station", None) or getattr(police_station, "name", "") or ""
    return gettext("FIR %(number)s/%(year)s, PS %(station)s", number=_digits(record.fir_number),
                   year=_digits(record.fir_year), station=station)


def fir_short(record: Any) -> str:
    """A case's FIR number and year in the reader's language, without the police station: ``FIR 45/2019``."""
    return gettext("FIR %(number)s/%(year)s", number=_digits(record.fir_number), year=_digits(record.fir_year))


def _tr(text: str | None) -> str:
    """A value that may be a marked message (a fixed holiday, a weekday) or free text someone typed
    (a notified holiday): translated when the catalog has it, else shown as it is. Unlike ``_()`` in
    a template, never %-formatted, so a "%" typed by a user is safe."""
    return gettext(text) if text else ""


def _label(code: str | None, kind: str) -> str:
    return gettext(label(kind, code)) if code else ""


# Search facets whose values are stored codes, and the label list that names them.
FACET_VALUE_LABELS = {"doc_type": "doc_type", "language": "ocr_language"}  # case stages: casework


def facet_value(facet: str, value: str) -> str:
    """A facet bucket as the reader sees it: a translated label for code values, digits in the
    reader's style for years, everything else (districts, courts, sections) as indexed."""
    if facet == "case_stage":  # the case file's stages (casework/data/stages.toml)
        from casework.stages import lifecycle

        return gettext(lifecycle().label(value))
    kind = FACET_VALUE_LABELS.get(facet)
    if kind is not None:
        return _label(value, kind)
    return _digits(value) if facet == "year" else value


def left_to_right(text: object) -> str:
    """``text`` inside Unicode left-to-right isolate marks (LRI ... PDI): times, ranges and codes keep
    their order in an Urdu sentence where no element can carry ``dir`` (an ``<option>``, a title)."""
    return f"\u2066{text}\u2069"


def _template_context() -> dict[str, Any]:
    page = current_language()
    rtl = page.direction == "rtl"
    # Arrows point the way the page reads: "previous" points right in Urdu.
    arrows = {"back": "→" if rtl else "←", "forward": "←" if rtl else "→",
              "back_double": "»" if rtl else "«", "forward_double": "«" if rtl else "»"}
    return {"brand": "CMMS", "page_language": page, "ui_languages": LANGUAGES, "current_digits": current_digits(),
            "arrows": arrows, "facet_value": facet_value}


def init_app(app: Flask) -> None:
    ensure_compiled()  # a catalog edited without compiling would leave the interface in English
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Karachi")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale)
    app.add_template_filter(_num, "num")
    app.add_template_filter(_day, "day")
    app.add_template_filter(_karachi_datetime, "karachi_datetime")
    app.add_template_filter(_karachi_time, "karachi_time")
    app.add_template_filter(_karachi_day, "karachi_day")
    app.add_template_filter(_digits, "digits")
    app.add_template_filter(_hhmm, "hhmm")
    app.add_template_filter(_label, "label")
    app.add_template_filter(_tr, "tr")
    app.add_template_filter(left_to_right, "ltr")
    app.add_template_filter(fir_label, "fir")
    app.add_template_filter(fir_short, "fir_short")
    app.add_template_filter(translate_stored, "stored")
    app.context_processor(_template_context)
