"""A reader outside a web request (the recipient of a reminder e-mail or digest): their language and
digits, with gettext and formatting in that language. Flask-free, so workers and the reminder
program write each notification in its recipient's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from i18n.catalogs import translations
from i18n.formatting import Formatter, digit_style
from i18n.languages import DEFAULT_LANGUAGE, DigitStyle, language


@dataclass(frozen=True)
class Reader:
    """``language`` a code of ``i18n.languages.LANGUAGES``; ``digits`` "western" or "eastern"."""

    language: str = DEFAULT_LANGUAGE
    digits: DigitStyle = "western"

    @property
    def format(self) -> Formatter:
        return Formatter(self.language, self.digits)

    def gettext(self, message: str, **params: Any) -> str:
        """``message`` translated, then filled with ``params`` (``%(name)s`` placeholders)."""
        text = translations(self.language).gettext(message)
        return text % params if params else text

    def fir(self, number: object, year: object, station: str) -> str:
        """An FIR label (``FIR 45/2019, PS Saddar``) as the case pages show it."""
        return self.gettext("FIR %(number)s/%(year)s, PS %(station)s", number=self.format.text(number),
                            year=self.format.text(year), station=station)


def reader_for(user: Any) -> Reader:
    """The reader for a ``models.User`` (or anything with ``language``/``digits``): the language they
    chose in Display settings, English when they never chose (no browser to ask outside a request)."""
    code = language(getattr(user, "language", None) or DEFAULT_LANGUAGE).code
    return Reader(code, digit_style(getattr(user, "digits", None), code))


__all__ = ["Reader", "reader_for"]
