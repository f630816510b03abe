"""Supervisor and head-office dashboards (issue 12): five pages of charts with their numbers as tables,
the cases behind every number, the same figures as CSV and XLSX, and the monthly district report as PDF.

Views are thin: parse the selection (``monitoring_model.selection``), compute the figures in SQL within
the reader's scope (``monitoring.figures`` through ``scoped_cases``), audit, render. Charts are drawn in
the browser by Chart.js (vendored under static/vendor/chartjs) from data attributes, with no inline
script, as the Content-Security-Policy requires.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy.orm import Session

from casework.stages import lifecycle
from models import Case
from monitoring.exports import cases_csv, cases_xlsx, figures_csv, figures_xlsx
from monitoring.figures import DASHBOARDS, Figure, FigureQuery, drill, figures, row_kind
from monitoring.labels import labeller
from printing import PrintError, html_to_pdf
from search_app.audit import audit
from search_app.auth import current_user
from search_app.db import get_session
from search_app.i18n import fir_label, formatter
from search_app.views.monitoring_model import (
    FigureView,
    Selection,
    dashboard_views,
    indicator_summary,
    month_end,
    month_start,
    offences,
    selection,
    today,
)

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

PAGE_SIZE = 100
MAX_PAGE = 100_000  # 10 million cases behind one number
EXPORT_LIMIT = 100_000


def _dashboard_or_404(name: str) -> str:
    if name not in DASHBOARDS:
        abort(404)
    return name


def _about(sel: Selection, what: str) -> list[tuple[str, str]]:
    return [(gettext("Report"), what), (gettext("District"), sel.district_name),
            (gettext("Months"), f"{sel.start.strftime('%Y-%m')} – {sel.end.strftime('%Y-%m')}"),
            (gettext("Offence"), sel.section or gettext("all")),
            (gettext("Snapshot figures as of"), sel.as_of.isoformat()),
            (gettext("Made by"), current_user.full_name or current_user.username)]


@bp.route("/")
@bp.route("/<dashboard>")
def dashboard(dashboard: str = "caseload") -> str:
    _dashboard_or_404(dashboard)
    db = get_session()
    sel = selection(db)
    views = dashboard_views(db, sel, dashboard)
    summary = next((indicator_summary(v) for v in views if v.figure.id == "un_indicator"), None)
    audit("view", "monitoring_dashboard", dashboard, district_id=sel.district_id, start=sel.start.isoformat(),
          end=sel.end.isoformat(), section=sel.section)
    return render_template("monitoring/dashboard.html", dashboard=dashboard, dashboards=DASHBOARDS, sel=sel,
                           views=views, summary=summary,
                           sections=offences(db, sel) if dashboard == "outcomes" else [])


def _drill_key(value: str | None) -> str | None:
    return None if value is None else value[:100]


@bp.route("/figures/<figure_id>/cases")
def figure_cases(figure_id: str) -> str:
    figure = figures().get(figure_id) or abort(404)
    db = get_session()
    sel = selection(db)
    row, series = _drill_key(request.args.get("row")), _drill_key(request.args.get("series"))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)
    q = sel.query(db)
    found = drill(db, figure, q, row, series, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    labels = _key_labels(db, figure, q, row, series)
    audit("view", "monitoring_drilldown", figure_id, district_id=sel.district_id, row=row, series=series,
          items=found.items, cases=found.cases, returned=[r.case.id for r in found.rows])
    drill_args = {**sel.args(), "figure_id": figure.id}
    drill_args.update({k: v for k, v in (("row", row), ("series", series)) if v is not None})
    return render_template("monitoring/cases.html", figure=figure, title=gettext(figure.title), sel=sel, row=row,
                           series=series, labels=labels, found=found, page=page, page_size=PAGE_SIZE,
                           dashboards=DASHBOARDS, drill_args=drill_args)


def _key_labels(db: Session, figure: Figure, q: FigureQuery, row: str | None, series: str | None) -> list[str]:
    kind = row_kind(figure, q)
    label = labeller(db, {kind: [row or ""], figure.series_kind: [series or ""]}, formatter().date)
    out = []
    for kind_, key in ((kind, row), (figure.series_kind, series)):
        if key is None:
            continue
        if key.startswith("lacks_"):
            text, translate = label(kind_, key.removeprefix("lacks_"))
            out.append(gettext("missing: %(what)s", what=gettext(text) if translate else text))
            continue
        text, translate = label(kind_, key)
        out.append(gettext(text) if translate else text)
    return out


AUDITED_IDS = 1000


def returned_ids(ids: list[int]) -> dict[str, Any]:
    """The case ids an export handed out, for its audit row: all of them up to ``AUDITED_IDS``; beyond,
    the first ``AUDITED_IDS`` and the count (the figure, row, series and selection in the same row say
    which cases they were)."""
    if len(ids) <= AUDITED_IDS:
        return {"returned": ids}
    return {"returned": ids[:AUDITED_IDS], "returned_truncated": len(ids)}


def _case_row(case: Case, count: int) -> list[object]:
    prosecutor = case.assigned_prosecutor
    # as the pages show them: the FIR in the reader's language, the stage by its name (not its code)
    return [case.id, fir_label(case), case.district.name, gettext(lifecycle().label(str(case.stage))),
            (prosecutor.full_name or prosecutor.username) if prosecutor else "", count]


@bp.route("/figures/<figure_id>/cases.<any(csv, xlsx):fmt>")
def figure_cases_export(figure_id: str, fmt: str) -> Response:
    figure = figures().get(figure_id) or abort(404)
    db = get_session()
    sel = selection(db)
    row, series = _drill_key(request.args.get("row")), _drill_key(request.args.get("series"))
    q = sel.query(db)
    found = drill(db, figure, q, row, series, limit=EXPORT_LIMIT)
    header = [gettext("Case id"), gettext("FIR"), gettext("District"), gettext("Stage"), gettext("Prosecutor"),
              gettext("Count")]
    rows = [_case_row(r.case, r.count) for r in found.rows]
    audit("export", "monitoring_drilldown", figure_id, district_id=sel.district_id, row=row, series=series,
          format=fmt, cases=len(rows), **returned_ids([r.case.id for r in found.rows]))
    name = f"cmms-{figure_id}-cases"
    if fmt == "csv":
        return _file(cases_csv(header, rows).encode("utf-8-sig"), f"{name}.csv", "text/csv; charset=utf-8")
    about = [*_about(sel, gettext(figure.title)), (gettext("Row"), row or ""), (gettext("Series"), series or "")]
    return _file(cases_xlsx(gettext(figure.title), about, header, rows), f"{name}.xlsx", XLSX)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(data: bytes, name: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<dashboard>.<any(csv, xlsx):fmt>")
def export(dashboard: str, fmt: str) -> Response:
    _dashboard_or_404(dashboard)
    db = get_session()
    sel = selection(db)
    views = dashboard_views(db, sel, dashboard)
    tables = [v.labelled() for v in views]
    audit("export", "monitoring_dashboard", dashboard, format=fmt, district_id=sel.district_id,
          start=sel.start.isoformat(), end=sel.end.isoformat())
    name = f"cmms-{dashboard}-{sel.start.strftime('%Y-%m')}-{sel.end.strftime('%Y-%m')}"
    if fmt == "csv":
        header = [gettext("Figure id"), gettext("Figure"), gettext("Row key"), gettext("Row"), gettext("Series key"),
                  gettext("Series"), gettext("Count")]
        return _file(figures_csv(tables, header).encode("utf-8-sig"), f"{name}.csv", "text/csv; charset=utf-8")
    return _file(figures_xlsx(tables, _about(sel, gettext(DASHBOARDS[dashboard])), gettext("Total")),
                 f"{name}.xlsx", XLSX)


# --- the monthly district report ---------------------------------------------------------------------------
@bp.route("/report")
def report_form() -> str:
    db = get_session()
    sel = selection(db)
    last_month = today().replace(day=1)
    audit("view", "monitoring_report_form", "", district_id=sel.district_id)
    return render_template("monitoring/report_form.html", sel=sel, dashboards=DASHBOARDS,
                           month=request.args.get("month") or last_month.strftime("%Y-%m"))


@bp.route("/report.pdf")
def report_pdf() -> Response | tuple[str, int]:
    db = get_session()
    text = (request.args.get("month") or "").strip()
    try:
        first = month_start(text)
    except ValueError:
        return render_template("error.html", code=400,
                               message=gettext("Choose the report's month as YYYY-MM (e.g. 2026-03).")), 400
    if first > today():
        return render_template("error.html", code=400, message=gettext("The month has not begun yet.")), 400
    args = {"district": request.args.get("district", ""), "from": text, "to": text}
    sel = selection(db, args)
    if sel.errors or sel.district_id is None:
        message = sel.errors[0] if sel.errors else gettext("Choose the district of the report.")
        return render_template("error.html", code=400, message=message), 400
    sections: list[tuple[str, list[FigureView]]] = [(gettext(title), dashboard_views(db, sel, name))
                                                    for name, title in DASHBOARDS.items()]
    summary = next((indicator_summary(v) for _, views in sections for v in views if v.figure.id == "un_indicator"),
                   None)
    html = render_template("monitoring/report_print.html", sel=sel, sections=sections, summary=summary,
                           month=first, month_last=month_end(first), made_on=today(),
                           made_by=current_user.full_name or current_user.username)
    try:
        pdf = html_to_pdf(html)
    except PrintError as exc:
        return render_template("error.html", code=500, message=str(exc)), 500
    audit("export", "monitoring_report", f"{sel.district_id}:{text}", district_id=sel.district_id, month=text)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="cmms-report-{sel.district_id}-{text}.pdf"'})


def dashboard_url(name: str, sel: Selection) -> str:
    return url_for("monitoring.dashboard", dashboard=name, **sel.args())


@bp.app_context_processor
def _monitoring_globals() -> dict[str, object]:
    return {"dashboard_url": dashboard_url}


__all__ = ["bp"]
