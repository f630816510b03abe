"""Translation markers that any package may use, including the Flask-free domain packages.

``N_("text")`` marks a message for extraction into the gettext catalog and returns it unchanged; the
web layer translates it at the boundary (``flask_babel.gettext(message)``) for the user's language.
Templates use ``{{ _("text") }}`` (Flask-Babel installs it); views use ``flask_babel.gettext`` /
``lazy_gettext`` directly. The catalogs live in ``search_app/translations``.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (returns it unchanged)."""
    return message


__all__ = ["N_"]
