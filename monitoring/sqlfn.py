"""SQL expressions the figures group by, written once and compiled for SQLite and PostgreSQL, so every
aggregate runs in the database on both (no rows fetched to be counted in Python).

- ``week_of(day)``: the Monday of a date's ISO week, as 'YYYY-MM-DD' text;
- ``month_of(day)``: 'YYYY-MM' text of a date (or of a UTC timestamp);
- ``section_base(key)``: a statute key without its sub-clause ("PPC 302(b)" -> "PPC 302");
- ``json_length(column)``: the length of a JSON array column (0 for anything else);
- ``sections_table(dialect)``: the elements of ``cases.sections`` as a table-valued function.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.functions import GenericFunction


class week_of(GenericFunction[str]):
    """Monday of the ISO week of a date, as text."""

    type = String()
    name = "cmms_week_of"
    inherit_cache = True


class month_of(GenericFunction[str]):
    """'YYYY-MM' of a date or a UTC timestamp."""

    type = String()
    name = "cmms_month_of"
    inherit_cache = True


class section_base(GenericFunction[str]):
    """A statute key without its sub-clause in brackets."""

    type = String()
    name = "cmms_section_base"
    inherit_cache = True


class json_length(FunctionElement[Any]):
    """Length of a JSON array (0 when the value is not an array)."""

    name = "cmms_json_length"
    inherit_cache = True


def _arg(compiler: Any, element: Any, **kw: Any) -> str:
    return str(compiler.process(next(iter(element.clauses)), **kw))


@compiles(week_of, "postgresql")
def _week_pg(element: Any, compiler: Any, **kw: Any) -> str:
    # date arithmetic (no cast to a zoned timestamp, no to_char): the cheapest form over a million rows
    value = _arg(compiler, element, **kw)
    return f"CAST({value} - (CAST(EXTRACT(ISODOW FROM {value}) AS INTEGER) - 1) AS TEXT)"


@compiles(week_of, "sqlite")
def _week_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    # 'weekday 0' moves to the next Sunday (or stays on a Sunday); six days back is that week's Monday.
    return f"date({_arg(compiler, element, **kw)}, 'weekday 0', '-6 days')"


@compiles(month_of, "postgresql")
def _month_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"to_char({_arg(compiler, element, **kw)}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {_arg(compiler, element, **kw)})"


@compiles(section_base, "postgresql")
def _section_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"trim(split_part({_arg(compiler, element, **kw)}, '(', 1))"


@compiles(section_base, "sqlite")
def _section_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    value = _arg(compiler, element, **kw)
    return f"trim(CASE WHEN instr({value}, '(') > 0 THEN substr({value}, 1, instr({value}, '(') - 1) ELSE {value} END)"


@compiles(json_length, "postgresql")
def _json_length_pg(element: Any, compiler: Any, **kw: Any) -> str:
    value = _arg(compiler, element, **kw)
    return f"(CASE WHEN json_typeof({value}) = 'array' THEN json_array_length({value}) ELSE 0 END)"


@compiles(json_length, "sqlite")
def _json_length_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    value = _arg(compiler, element, **kw)
    return (f"(CASE WHEN json_valid({value}) AND json_type({value}) = 'array' "
            f"THEN json_array_length({value}) ELSE 0 END)")


def sections_table(dialect: str, column: Any) -> Any:
    """The elements of a JSON array ``column`` (text), as a table with one column ``value``: joined
    laterally to ``cases`` it gives one row per (case, section key)."""
    if dialect == "postgresql":
        return func.json_array_elements_text(column).table_valued("value").render_derived()
    return func.json_each(column).table_valued("value")


def is_json_array(dialect: str, column: Any) -> Any:
    """Condition: ``column`` holds a JSON array (guards the table-valued functions against bad rows)."""
    if dialect == "postgresql":
        return func.json_typeof(column) == "array"
    return func.json_type(column) == "array"


__all__ = ["is_json_array", "json_length", "month_of", "section_base", "sections_table", "week_of"]
