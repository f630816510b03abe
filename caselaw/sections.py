"""A statute section and its sub-clauses, as the section pages and the practice-note search read them.

The rule: section ``PPC 302`` covers ``PPC 302`` itself and every sub-clause written after it in
brackets (``PPC 302(a)``, ``PPC 302(b)(ii)``), never another section whose number starts with the same
digits (``PPC 30`` does not cover ``PPC 302``; ``PPC 3`` covers neither). A sub-clause page stays narrow:
``PPC 302(b)`` covers ``PPC 302(b)`` and ``PPC 302(b)(ii)``, not ``PPC 302`` or ``PPC 302(a)``.

Shapes: ``covers("PPC 302", "PPC 302(b)") -> True``; ``key_condition(column, key)`` for a column holding
one key (``Entity.key``, ``PracticeNote.statute_key``); ``list_condition(column, key)`` for a JSON list
of keys (``Case.sections``, ``CaseLawHeadnote.sections``), through ``models.json_list.json_list_holds``
(the list's JSON text, portable across SQLite and PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_

from models.json_list import json_list_holds
from models.like import like


def covers(key: str, candidate: str) -> bool:
    """``candidate`` is section ``key`` or one of its sub-clauses."""
    return candidate == key or candidate.startswith(key + "(")


def key_condition(column: Any, key: str) -> ColumnElement[bool]:
    """SQL: ``column`` (one key) is ``key`` or a sub-clause of it."""
    return or_(column == key, like(column, "", key, "(%"))


def list_condition(column: Any, key: str) -> ColumnElement[bool]:
    """SQL: ``column`` (a JSON list of keys) holds ``key`` or a sub-clause of it."""
    return json_list_holds(column, [key], or_continued_by="(")
