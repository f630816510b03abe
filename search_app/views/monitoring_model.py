"""What the monitoring pages show, built from ``monitoring.figures``: the reader's selection (district,
months, offence) parsed from the query string with clear messages for bad values, and each figure as
labels, numbers, extra columns (rates, scores), drill-down links and the chart's data.

The reader's scope goes into every figure's SQL (``search_app.auth.scope.scoped_cases``); a district
outside it is refused with a message, never silently widened or narrowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import request, url_for
from flask_babel import gettext
from sqlalchemy.orm import Session

from models import District, utcnow
from monitoring.exports import LabelledTable
from monitoring.figures import (
    Figure,
    FigureQuery,
    FigureTable,
    compute,
    dashboard_figures,
    element_score,
    overall_score,
    row_kind,
    sections_in_use,
    unit_score,
)
from monitoring.indicator import ELEMENT_CODES
from monitoring.labels import labeller
from scheduling.timezone import local_today
from search_app.auth.scope import scoped_cases, scoped_districts
from search_app.i18n import formatter

MAX_MONTHS = 60
PERIOD_MONTHS = 12


def today() -> date:
    return local_today(utcnow())


FIRST_YEAR, LAST_YEAR = 1947, 2199  # months outside are typing mistakes (and beyond ``date``'s reach)


def month_start(text: str) -> date:
    """'2026-03' -> 2026-03-01; ``ValueError`` for any other form or a year outside FIRST_YEAR-LAST_YEAR."""
    year, _, month = text.partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12
            and FIRST_YEAR <= int(year) <= LAST_YEAR):
        raise ValueError(text)
    return date(int(year), int(month), 1)


def month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Selection:
    """The reader's choices: one district (None: all they may see), the months, an offence."""

    as_of: date
    start: date
    end: date
    district_id: int | None
    section: str
    districts: list[District]
    errors: list[str] = field(default_factory=list)

    def query(self, db: Session) -> FigureQuery:
        return FigureQuery(self.as_of, self.start, self.end, self.district_id, self.section or None,
                           db.get_bind().dialect.name, restrict=scoped_cases)

    def args(self) -> dict[str, Any]:
        values: dict[str, Any] = {"from": self.start.strftime("%Y-%m"), "to": self.end.strftime("%Y-%m")}
        if self.district_id is not None:
            values["district"] = str(self.district_id)
        if self.section:
            values["section"] = self.section
        return values

    @property
    def district_name(self) -> str:
        found = next((d.name for d in self.districts if d.id == self.district_id), None)
        return found or gettext("All my districts")


def selection(db: Session, args: Any = None) -> Selection:
    """Parse ``district``, ``from``, ``to`` (YYYY-MM) and ``section``; a bad value is reported in
    ``errors`` and replaced by its default."""
    args = request.args if args is None else args
    now = today()
    districts = scoped_districts(db)
    errors: list[str] = []
    end = _month_arg(args.get("to"), now.replace(day=1), errors, gettext("The last month"))
    start = _month_arg(args.get("from"), add_months(end, -(PERIOD_MONTHS - 1)), errors, gettext("The first month"))
    if start > end:
        errors.append(gettext("The first month is after the last month; showing the twelve months to the last."))
        start = add_months(end, -(PERIOD_MONTHS - 1))
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        errors.append(gettext("Choose at most %(n)s months.", n=MAX_MONTHS))
        start = add_months(end, -(MAX_MONTHS - 1))
    district_id: int | None = None
    text = (args.get("district") or "").strip()
    if text:
        if not text.isdigit() or int(text) not in {d.id for d in districts}:
            errors.append(gettext("That district is not one of yours; showing all your districts."))
        else:
            district_id = int(text)
    elif len(districts) == 1:
        district_id = districts[0].id
    section = (args.get("section") or "").strip()[:60]
    return Selection(now, start, month_end(end), district_id, section, districts, errors)


def _month_arg(text: str | None, default: date, errors: list[str], name: str) -> date:
    value = (text or "").strip()
    if not value:
        return default
    try:
        return month_start(value)
    except ValueError:
        errors.append(gettext("%(name)s must be a month written as YYYY-MM (e.g. 2026-03), from %(first)s to "
                              "%(last)s.", name=name, first=f"{FIRST_YEAR}-01", last=f"{LAST_YEAR}-12"))
        return default


@dataclass
class FigureView:
    figure: Figure
    table: FigureTable
    title: str
    description: str
    unit: str
    rows: list[tuple[str, str]]
    series: list[tuple[str, str]]
    extra: list[tuple[str, list[str]]]
    links: dict[tuple[str, str | None], str]
    chart: dict[str, Any]
    note: str = ""

    @property
    def biggest_row(self) -> int:
        """The largest row total (at least 1), the full length of a bar in the printed report."""
        return max([1, *(self.table.row_total(r) for r, _ in self.rows)])

    def link(self, row: str, series: str | None) -> str:
        return self.links[(row, series)]

    def labelled(self) -> LabelledTable:
        return LabelledTable(self.figure.id, self.title, self.description, self.unit, self.rows, self.series,
                             [[self.table.value(r, s) for s, _ in self.series] for r, _ in self.rows],
                             [(label, list(values)) for label, values in self.extra])


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "—"


def figure_view(db: Session, figure: Figure, sel: Selection, q: FigureQuery) -> FigureView:
    table = compute(db, figure, q)
    kind = row_kind(figure, q)
    label = labeller(db, {kind: table.rows, figure.series_kind: table.series}, formatter().date)

    def say(kind_: str, key: str) -> str:
        text, translate = label(kind_, key)
        return gettext(text) if translate else text

    rows = [(r, say(kind, r)) for r in table.rows]
    series = [(s, say(figure.series_kind, s)) for s in table.series]
    links: dict[tuple[str, str | None], str] = {}
    for r, _ in rows:
        total_series = "files" if figure.id == "un_indicator" else None
        total_args: dict[str, Any] = {"series": total_series} if total_series else {}
        links[(r, total_series)] = url_for("monitoring.figure_cases", figure_id=figure.id, row=r, **total_args,
                                           **sel.args())
        for s, _ in series:
            links[(r, s)] = url_for("monitoring.figure_cases", figure_id=figure.id, row=r, series=s, **sel.args())
        for s in figure.hidden_series:
            links[(r, s)] = url_for("monitoring.figure_cases", figure_id=figure.id, row=r, series=s, **sel.args())
    view = FigureView(figure, table, gettext(figure.title), gettext(figure.counts), gettext(figure.unit), rows,
                      series, _extra(figure, table, rows), links, {})
    view.chart = _chart(view)
    if figure.top and len(rows) > figure.top:
        view.note = gettext("The chart shows the %(n)s largest rows; the table has all %(all)s.", n=figure.top,
                            all=len(rows))
    return view


def _extra(figure: Figure, table: FigureTable, rows: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    if figure.id.startswith("returns_by"):
        return [(gettext("Return rate"), [_percent(table.value(r, "returned"), table.row_total(r)) for r, _ in rows])]
    if figure.id.startswith("outcomes_by") or figure.id == "outcomes_over_time":
        return [(gettext("Conviction rate"), [_percent(table.value(r, "conviction"), table.row_total(r))
                                              for r, _ in rows])]
    if figure.id == "un_indicator":
        columns = [(gettext("%% %(element)s", element=label), [_percent(table.value(r, code), table.value(r, "files"))
                                                               for r, _ in rows])
                   for code, label in ((c, gettext(_element_label(c))) for c in (*ELEMENT_CODES, "complete"))]
        scores = [str(unit_score(table, r) or "—") for r, _ in rows]
        return [*columns, (gettext("Score (1-4)"), scores)]
    return []


def _element_label(code: str) -> str:
    from monitoring.indicator import indicator

    return "All four" if code == "complete" else indicator().element(code).label


def _chart(view: FigureView) -> dict[str, Any]:
    """Chart.js input for search_app/static/monitoring.js: labels, datasets with their drill links."""
    figure, table = view.figure, view.table
    rows = view.rows[:figure.top] if figure.top else view.rows
    if figure.id == "un_indicator":
        datasets = [{"label": label, "data": [round(100.0 * table.value(r, key) / table.value(r, "files"), 1)
                                              if table.value(r, "files") else 0 for r, _ in rows],
                     "links": [view.link(r, f"lacks_{key}") for r, _ in rows]}
                    for key, label in view.series if key != "files"]
        return {"type": "bar", "horizontal": False, "percent": True, "labels": [label for _, label in rows],
                "datasets": datasets, "unit": "%"}
    datasets = [{"label": label, "data": [table.value(r, s) for r, _ in rows],
                 "links": [view.link(r, s) for r, _ in rows]} for s, label in view.series]
    return {"type": "line" if figure.chart == "line" else "bar", "stacked": figure.chart == "stacked",
            "horizontal": not figure.by_time, "percent": False, "labels": [label for _, label in rows],
            "datasets": datasets, "unit": view.unit, "single": len(view.series) == 1}


def dashboard_views(db: Session, sel: Selection, dashboard: str) -> list[FigureView]:
    q = sel.query(db)
    return [figure_view(db, figure, sel, q) for figure in dashboard_figures(dashboard)]


def indicator_summary(view: FigureView) -> dict[str, Any]:
    """Overall share and score of the UN indicator, and each element's."""
    table = view.table
    files = table.series_total("files")
    elements = [(label, table.series_total(key), _percent(table.series_total(key), files), element_score(table, key))
                for key, label in view.series if key != "files"]
    return {"files": files, "score": overall_score(table), "elements": elements,
            "complete": _percent(table.series_total("complete"), files)}


def offences(db: Session, sel: Selection) -> list[str]:
    return sections_in_use(db, sel.query(db))


__all__ = ["FigureView", "Selection", "dashboard_views", "figure_view", "indicator_summary", "month_end",
           "month_start", "offences", "selection", "today"]
