"""SQL condition "this JSON list of keys holds one of these keys", the same on SQLite and PostgreSQL.

Lists of keys (``Case.sections``, ``CaseLaw.parallel_citations``, ``CaseLaw.case_numbers``,
``CaseLawHeadnote.sections``) are ``JSON`` columns. Both databases give back the JSON text as it was
written (SQLite stores the text; PostgreSQL's ``json``, unlike ``jsonb``, keeps it) and SQLAlchemy writes
it with ``json.dumps``, so a key appears in the text exactly as ``json.dumps(key)``: quoted, with any
quote, backslash or non-ASCII letter escaped. The condition is a ``LIKE`` on that text: ``PPC 30``
never matches ``PPC 302`` (the closing quote), and ``%``/``_`` in a key match only themselves.

Shapes: ``json_list_holds(Case.sections, ["PPC 302"])`` -> an item is ``PPC 302``;
``json_list_holds(Case.sections, ["PPC 302"], or_continued_by="(")`` -> ... or starts with ``PPC 302(``
(its sub-clauses, ``caselaw.sections``); no keys -> false.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, String, cast, false, or_

from models.like import like


def json_list_holds(column: Any, keys: Iterable[str], *, or_continued_by: str = "") -> ColumnElement[bool]:
    """``column`` (a JSON list of strings) holds one of ``keys``; with ``or_continued_by``, also an item
    that is a key followed by that text."""
    text = cast(column, String)
    conditions: list[ColumnElement[bool]] = []
    for key in dict.fromkeys(keys):
        quoted = json.dumps(key)
        conditions.append(like(text, "%", quoted, "%"))
        if or_continued_by:
            conditions.append(like(text, "%", quoted[:-1] + json.dumps(or_continued_by)[1:-1], "%"))
    return or_(*conditions) if conditions else false()


__all__ = ["json_list_holds"]
