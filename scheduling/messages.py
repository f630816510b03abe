"""A message for a person: an untranslated template (marked with ``N_``) and its parameters, so the
web layer can translate the template first and fill it in afterwards.

Parameters are shown in the reader's language too: a string parameter is passed through the same
``translate`` (a marked label such as a weekday or ``N_("The prosecutor")`` is translated; a name or
FIR number is not a catalog entry and comes back unchanged), a ``Lowercase`` one is translated and
then lower-cased (a session label in mid-sentence), and a ``date`` is formatted by ``format_date``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


class Lowercase(str):
    """A marked label used in lower case in the middle of a sentence (``"Morning"`` -> ``morning``)."""

    __slots__ = ()


def english_date(day: date) -> str:
    return day.strftime("%d %b %Y")


@dataclass(frozen=True)
class Message:
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] = str,
               format_date: Callable[[date], str] = english_date) -> str:
        """The text in the reader's language (``translate`` is e.g. ``flask_babel.gettext``,
        ``format_date`` e.g. ``i18n.formatting.Formatter.date``)."""
        text = translate(self.template)
        if not self.params:
            return text
        return text % {name: _param(value, translate, format_date) for name, value in self.params.items()}

    def __str__(self) -> str:
        return self.render()


def _param(value: Any, translate: Callable[[str], str], format_date: Callable[[date], str]) -> Any:
    if isinstance(value, Lowercase):
        return translate(str(value)).lower()
    if isinstance(value, str):
        return translate(value) if value else value
    if isinstance(value, date):
        return format_date(value)
    return value
