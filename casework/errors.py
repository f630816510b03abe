"""The one error type of the case-management rules: a code for programs and a message for the clerk.

``message`` is an untranslated, ``N_``-marked template with ``%(name)s`` placeholders; ``params`` fill
it. The web layer translates (``gettext(message) % params``) and the API returns ``code`` and the
English text. ``field`` names the form field at fault when there is one.
"""

from __future__ import annotations


class CaseRuleError(ValueError):
    """Input a case-management rule refuses. Nothing has been saved when this is raised."""

    def __init__(self, code: str, message: str, *, field: str = "", **params: object) -> None:
        self.code = code
        self.message = message
        self.field = field
        self.params = params
        super().__init__(self.text)

    @property
    def text(self) -> str:
        """The English message with its placeholders filled."""
        return self.message % self.params if self.params else self.message
