"""Messages stored in English (a document's or page's ``error_message``, written by a worker with no
reader in sight) shown in the reader's language.

The database keeps the English sentence as the record (logs, the CLI and the audit read it). To show
it in Urdu, ``StoredMessages`` recognises which marked template (``N_("... %(limit)s MB ...")``) the
sentence was made from, takes the values back out, translates the template and fills it again. The
values are translated too when one is itself a marked message (``"a Windows program"``) or a list of
them. A sentence no template explains (older rows, free text) is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from i18n import N_

Translate = Callable[[str], str]
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")
MAX_DEPTH = 3
LIST_SEPARATOR = N_(", ")  # between the items of a stored list (Urdu: "، ")


@dataclass(frozen=True)
class _Template:
    source: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]


def _compile(template: str) -> _Template:
    parts: list[str] = []
    names: list[str] = []
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last:match.start()].replace("%%", "%")))
        name = match.group(1)
        group = f"(?P={name})" if name in names else f"(?P<{name}>{'-?[0-9]+' if match.group(2) == 'd' else '.+?'})"
        parts.append(group)
        names.append(name)
        last = match.end()
    parts.append(re.escape(template[last:].replace("%%", "%")))
    return _Template(template, re.compile("".join(parts), re.DOTALL), tuple(dict.fromkeys(names)))


class StoredMessages:
    """Recognises sentences made from ``templates`` (``%(name)s`` placeholders, as marked with ``N_``)
    and re-renders them in another language."""

    def __init__(self, templates: Iterable[str]) -> None:
        unique = dict.fromkeys(t for t in templates if t)
        compiled = [_compile(t) for t in unique]
        # The template with the most fixed text wins: "Page %(n)s failed" must not swallow a longer one.
        self._templates = sorted(compiled, key=lambda t: -len(_PLACEHOLDER.sub("", t.source)))
        self._exact = {t.source for t in compiled if not t.names}

    def match(self, text: str) -> tuple[str, dict[str, str]] | None:
        """The template ``text`` was made from and its values, or None."""
        if text in self._exact:
            return text, {}
        for template in self._templates:
            if template.names:
                found = template.pattern.fullmatch(text)
                if found:
                    return template.source, found.groupdict()
        return None

    def translate(self, text: str | None, translate: Translate, depth: int = 0) -> str:
        """``text`` in the language of ``translate`` (e.g. ``flask_babel.gettext``), or unchanged."""
        if not text:
            return ""
        if depth > MAX_DEPTH:
            return text
        if depth:  # a value may be a list of known messages ("page 3 (empty), page 5 (ocr_timeout)")
            listed = self._list(text, translate, depth)
            if listed is not None:
                return listed
        found = self.match(text)
        if found is None:
            return text
        template, values = found
        if not values:
            return translate(template)
        filled = {name: self.translate(value, translate, depth + 1) for name, value in values.items()}
        try:
            return translate(template) % filled
        except (KeyError, ValueError, TypeError):  # a translation with a broken placeholder: keep English
            return template % filled

    def _list(self, text: str, translate: Translate, depth: int) -> str | None:
        """A value that is a comma-separated list of known messages, translated item by item; None
        when it is not one."""
        items = text.split(LIST_SEPARATOR)
        if len(items) < 2 or any(self.match(item) is None for item in items):
            return None
        return translate(LIST_SEPARATOR).join(self.translate(item, translate, depth + 1) for item in items)


__all__ = ["StoredMessages"]
