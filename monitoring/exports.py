"""The figures as files: CSV (one long table: figure, row, series, value) and XLSX (openpyxl: a sheet
describing the selection, then one sheet per figure laid out as on the screen), and the cases behind a
number as CSV/XLSX. Labels come in already translated (``LabelledTable``); nothing here reads the database.

Spreadsheet safety: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a leading apostrophe, so a name typed as a formula is never run by a spreadsheet (OWASP
"CSV injection"). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_TITLE = 31  # Excel's limit


@dataclass(frozen=True)
class LabelledTable:
    """A figure as shown: ``rows``/``series`` are (key, label) pairs, ``values[i][j]`` the count of row i,
    series j; ``extra`` holds additional columns (label, values per row), e.g. a rate or a score."""

    figure_id: str
    title: str
    description: str
    unit: str
    rows: Sequence[tuple[str, str]]
    series: Sequence[tuple[str, str]]
    values: Sequence[Sequence[int]]
    extra: Sequence[tuple[str, Sequence[object]]] = field(default_factory=tuple)


def safe_text(value: object) -> object:
    """``value`` made harmless for a spreadsheet (see the module docstring); numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def figures_csv(tables: Iterable[LabelledTable], header: Sequence[str]) -> str:
    """Long format: one line per number. ``header``: the column names (translated)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for table in tables:
        for (row_key, row_label), values in zip(table.rows, table.values, strict=True):
            for (series_key, series_label), value in zip(table.series, values, strict=True):
                writer.writerow([safe_text(v) for v in (table.figure_id, table.title, row_key, row_label,
                                                        series_key, series_label, value)])
    return out.getvalue()


def cases_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_text(v) for v in row])
    return out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(ch for ch in title if ch not in '[]:*?/\\')[:MAX_SHEET_TITLE].strip() or "Sheet"
    name, n = clean, 2
    while name in used:
        suffix = f" ({n})"
        name, n = clean[:MAX_SHEET_TITLE - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def figures_xlsx(tables: Sequence[LabelledTable], about: Sequence[tuple[str, str]], total_label: str) -> bytes:
    """A workbook: an "about" sheet (``about`` pairs: what was selected, when, by whom), then one sheet
    per figure with its title, description, a header row and the numbers (totals per row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    used: set[str] = set()
    sheet.title = _sheet_title(about[0][1] if about else "About", used)
    for label, value in about:
        sheet.append([safe_text(label), safe_text(value)])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60
    bold = Font(bold=True)
    for table in tables:
        ws = book.create_sheet(_sheet_title(table.title, used))
        ws.append([safe_text(table.title)])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([safe_text(table.description)])
        ws.append([])
        header = ["", *(label for _, label in table.series), total_label, *(label for label, _ in table.extra)]
        ws.append([safe_text(h) for h in header])
        for cell in ws[4]:
            cell.font = bold
        for index, ((_, row_label), values) in enumerate(zip(table.rows, table.values, strict=True)):
            extras = [column[index] for _, column in table.extra]
            ws.append([safe_text(row_label), *values, sum(values), *(safe_text(e) for e in extras)])
        ws.freeze_panes = "B5"
        ws.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cases_xlsx(title: str, about: Sequence[tuple[str, str]], header: Sequence[str],
               rows: Iterable[Sequence[object]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = _sheet_title(title, set())
    for label, value in about:
        ws.append([safe_text(label), safe_text(value)])
    ws.append([])
    ws.append([safe_text(h) for h in header])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_text(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["LabelledTable", "cases_csv", "cases_xlsx", "figures_csv", "figures_xlsx", "safe_text"]
