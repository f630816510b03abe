"""SQL ``LIKE`` patterns from what a user typed: ``%`` and ``_`` are wildcards of ``LIKE`` and must match
themselves, or ``filter=%`` lists every record and ``a_b`` matches ``axb``.

Shapes: ``like_escape("50%_off")`` -> ``"50\\%\\_off"`` (the escape character ``\\`` doubled too);
``contains(column, text)`` -> the condition "``column`` holds ``text``" (``LIKE '%...%' ESCAPE '\\'``);
``like(column, before, text, after)`` -> the condition for a pattern with the typed part escaped and the
caller's own wildcards around it (``like(col, '%"', key, '(%')``). Neither lower-cases: callers pass
``func.lower(column)`` with ``text.lower()``. Same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

LIKE_ESCAPE = "\\"


def like_escape(text: str) -> str:
    """``text`` with ``\\``, ``%`` and ``_`` escaped by :data:`LIKE_ESCAPE`."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def like(column: Any, before: str, text: str, after: str) -> ColumnElement[bool]:
    """``column LIKE before || escaped(text) || after``: ``before``/``after`` are the caller's own pattern
    (wildcards meant as wildcards), ``text`` is matched literally."""
    condition: ColumnElement[bool] = column.like(f"{before}{like_escape(text)}{after}", escape=LIKE_ESCAPE)
    return condition


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` holds ``text`` literally (``%`` and ``_`` in ``text`` match only themselves)."""
    return like(column, "%", text, "%")
