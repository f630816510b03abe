"""Every dashboard figure as one SQL aggregate, and its drill-down to the cases behind each number.

A figure is defined by its *facts*: a SELECT with one row per thing counted (a case, a hearing, an
accused's outcome, a deadline, a scrutiny, an objection, a finding, a review) and three columns,
``case_id``, ``row`` and ``series`` (text keys, '' for "none"). The figure's numbers are
``SELECT row, series, count(*) FROM facts GROUP BY row, series``; the drill-down of one number is
``SELECT case_id, count(*) FROM facts WHERE row = ? AND series = ? GROUP BY case_id``: the same facts,
so the list behind a number always adds up to it. Everything runs in the database (SQLite and
PostgreSQL alike, ``monitoring.sqlfn``); Python only shapes the few aggregated rows.

Scope: every facts SELECT reads ``cases`` and goes through ``FigureQuery.restrict`` (the web layer
passes ``search_app.auth.scope.scoped_cases`` with the user's scope: districts and sealed cases), so
a number never counts a case its reader may not open.

Dates: ``as_of`` is the court's day (Asia/Karachi) the snapshot figures are taken on; flow figures
count what happened between ``start`` and ``end`` (inclusive). Findings and reviews are dated by
their UTC timestamp.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from casework.stages import lifecycle
from i18n import N_
from models import (
    Case,
    CaseDeadline,
    CaseReview,
    CaseTransition,
    Hearing,
    Outcome,
    ReviewFinding,
    Scrutiny,
    ScrutinyObjection,
)
from monitoring import sqlfn
from monitoring.indicator import ELEMENT_CODES, court_stages, indicator
from scheduling.vocab import vocabulary


def _identity(stmt: Select[Any]) -> Select[Any]:
    return stmt


@dataclass(frozen=True)
class FigureQuery:
    """What a figure is asked: the snapshot day, the period, one district or all the reader may see,
    an offence (outcomes), the database dialect, and the reader's scope as a SELECT transformer."""

    as_of: date
    start: date
    end: date
    district_id: int | None = None
    section: str | None = None
    dialect: str = "sqlite"
    restrict: Callable[[Select[Any]], Select[Any]] = _identity

    def cases(self, stmt: Select[Any]) -> Select[Any]:
        """``stmt`` (reading ``cases``) limited to the reader's scope and the chosen district."""
        stmt = self.restrict(stmt)
        return stmt if self.district_id is None else stmt.where(Case.district_id == self.district_id)

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def end_utc(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)


@dataclass(frozen=True)
class Figure:
    """One chart. ``chart``: bar (one series), stacked (rows x series), line (rows are weeks or months).
    ``row_kind``/``series_kind`` say how keys are labelled (``labels``); ``series_order`` fixes the
    series (and their order) when they are known in advance; ``top`` limits the chart (not the table)
    to the largest rows."""

    id: str
    dashboard: str
    title: str
    unit: str
    counts: str
    chart: str
    row_kind: str
    series_kind: str
    facts: Callable[[FigureQuery], Select[Any]]
    snapshot: bool = False
    series_order: tuple[str, ...] = ()
    hidden_series: tuple[str, ...] = ()
    top: int = 0
    by_time: bool = False


@dataclass
class FigureTable:
    """The numbers of a figure: ``cells[(row, series)]`` counts, rows and series keys in display order."""

    figure: Figure
    rows: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    def value(self, row: str, series: str) -> int:
        return self.cells.get((row, series), 0)

    def row_total(self, row: str) -> int:
        return sum(self.value(row, s) for s in self.series)

    def series_total(self, series: str) -> int:
        return sum(self.value(r, series) for r in self.rows)

    @property
    def total(self) -> int:
        return sum(self.row_total(r) for r in self.rows)


# --- keys ---------------------------------------------------------------------------------------------------
AGE_BANDS: tuple[tuple[str, int | None, str], ...] = (
    ("lt90", 90, N_("under 3 months")), ("lt180", 180, N_("3-6 months")), ("lt365", 365, N_("6-12 months")),
    ("lt730", 730, N_("1-2 years")), ("ge730", None, N_("over 2 years")),
)
OVERDUE_BANDS: tuple[tuple[str, int | None, str], ...] = (
    ("d7", 7, N_("1-7 days")), ("d30", 30, N_("8-30 days")), ("d90", 90, N_("31-90 days")),
    ("more", None, N_("over 90 days")),
)
HEARING_STATUSES = {"proceeded": N_("Proceeded"), "adjourned": N_("Adjourned"),
                    "not_recorded": N_("No result recorded"), "scheduled": N_("Scheduled")}
DECISIONS = {"returned": N_("Returned with objections"), "accepted": N_("Accepted")}
OBJECTION_STATES = {"open": N_("Still open"), "resolved": N_("Resolved")}
INDICATOR_SERIES = ("files", *ELEMENT_CODES, "complete")
NONE_KEY = ""


def adjournment_results() -> tuple[str, ...]:
    return tuple(code for code, term in vocabulary().results.items() if term.has("adjournment"))


def final_results() -> tuple[str, ...]:
    return tuple(code for code, term in vocabulary().results.items() if term.has("final"))


def _text(column: Any) -> ColumnElement[str]:
    """An id column as a text key ('' for NULL)."""
    return func.coalesce(cast(column, String), NONE_KEY)


def _phase() -> ColumnElement[str]:
    phases: dict[str, list[str]] = {}
    for stage in lifecycle().stages.values():
        phases.setdefault(stage.phase, []).append(stage.id)
    return case(*[(Case.stage.in_(ids), phase) for phase, ids in phases.items()], else_=NONE_KEY)


def _banded(column: Any, as_of: date, bands: Sequence[tuple[str, int | None, str]], *,
            missing: str | None = None) -> ColumnElement[str]:
    """``column`` (a date) sorted into age bands counted back from ``as_of``: the first band whose
    limit (days) is not reached."""
    whens: list[tuple[Any, str]] = []
    if missing is not None:
        whens.append((column.is_(None), missing))
    for key, days, _label in bands:
        if days is not None:
            whens.append((column > as_of - timedelta(days=days), key))
    return case(*whens, else_=bands[-1][0])


def _overdue(column: Any, as_of: date) -> ColumnElement[str]:
    whens = [(column >= as_of - timedelta(days=days), key) for key, days, _ in OVERDUE_BANDS if days is not None]
    return case(*whens, else_=OVERDUE_BANDS[-1][0])


def _open_case() -> ColumnElement[bool]:
    return Case.stage != "closed"


# --- facts ----------------------------------------------------------------------------------------------------
def caseload_facts(q: FigureQuery) -> Select[Any]:
    return q.cases(select(Case.id.label("case_id"), _text(Case.assigned_prosecutor_id).label("row"),
                          _phase().label("series")).where(_open_case()))


def case_age_facts(q: FigureQuery) -> Select[Any]:
    band = _banded(Case.fir_date, q.as_of, AGE_BANDS, missing="unknown")
    return q.cases(select(Case.id.label("case_id"), cast(Case.stage, String).label("row"), band.label("series"))
                   .where(_open_case()))


def overdue_facts(q: FigureQuery) -> Select[Any]:
    return q.cases(select(CaseDeadline.case_id.label("case_id"), CaseDeadline.rule_id.label("row"),
                          _overdue(CaseDeadline.due_on, q.as_of).label("series"))
                   .join(Case, Case.id == CaseDeadline.case_id)
                   .where(CaseDeadline.met_on.is_(None), CaseDeadline.due_on < q.as_of, _open_case()))


def _hearings_in_period(q: FigureQuery, *columns: Any) -> Select[Any]:
    return q.cases(select(Hearing.case_id.label("case_id"), *columns).join(Case, Case.id == Hearing.case_id)
                   .where(Hearing.scheduled_for >= q.start, Hearing.scheduled_for <= q.end))


def adjournment_reason_facts(q: FigureQuery) -> Select[Any]:
    return _hearings_in_period(q, Hearing.adjournment_reason.label("row"),
                               Hearing.adjournment_requested_by.label("series")).where(
        Hearing.result.in_(adjournment_results()))


def adjournment_requester_facts(q: FigureQuery) -> Select[Any]:
    return _hearings_in_period(q, Hearing.adjournment_requested_by.label("row"), literal("").label("series")).where(
        Hearing.result.in_(adjournment_results()))


def hearings_week_facts(q: FigureQuery) -> Select[Any]:
    status = case((Hearing.scheduled_for >= q.as_of, "scheduled"), (Hearing.result == "", "not_recorded"),
                  (Hearing.result.in_(adjournment_results()), "adjourned"), else_="proceeded")
    return _hearings_in_period(q, sqlfn.week_of(Hearing.scheduled_for).label("row"), status.label("series"))


def _outcomes(q: FigureQuery, *columns: Any) -> Select[Any]:
    stmt = (select(Outcome.case_id.label("case_id"), *columns).join(Case, Case.id == Outcome.case_id)
            .where(Outcome.judgment_on >= q.start, Outcome.judgment_on <= q.end))
    if q.section:
        stmt = stmt.where(Case.id.in_(_cases_with_section(q, q.section)))
    return q.cases(stmt)


def _cases_with_section(q: FigureQuery, section: str) -> Select[Any]:
    sections = sqlfn.sections_table(q.dialect, Case.sections)
    return (select(Case.id).select_from(Case).join(sections, true())
            .where(sqlfn.is_json_array(q.dialect, Case.sections), sqlfn.section_base(sections.c.value) == section))


def outcomes_offence_facts(q: FigureQuery) -> Select[Any]:
    sections = sqlfn.sections_table(q.dialect, Case.sections)
    base = sqlfn.section_base(sections.c.value)
    stmt = (select(Outcome.case_id.label("case_id"), base.label("row"), Outcome.result.label("series"))
            .join(Case, Case.id == Outcome.case_id).join(sections, true())
            .where(Outcome.judgment_on >= q.start, Outcome.judgment_on <= q.end,
                   sqlfn.is_json_array(q.dialect, Case.sections)))
    if q.section:
        stmt = stmt.where(base == q.section)
    return q.cases(stmt)


def outcomes_district_facts(q: FigureQuery) -> Select[Any]:
    return _outcomes(q, _text(Case.district_id).label("row"), Outcome.result.label("series"))


def outcomes_time_facts(q: FigureQuery) -> Select[Any]:
    return _outcomes(q, sqlfn.month_of(Outcome.judgment_on).label("row"), Outcome.result.label("series"))


def _scrutinies(q: FigureQuery, row: Any) -> Select[Any]:
    return q.cases(select(Scrutiny.case_id.label("case_id"), row.label("row"), Scrutiny.decision.label("series"))
                   .join(Case, Case.id == Scrutiny.case_id)
                   .where(Scrutiny.decided_on >= q.start, Scrutiny.decided_on <= q.end))


def returns_month_facts(q: FigureQuery) -> Select[Any]:
    return _scrutinies(q, sqlfn.month_of(Scrutiny.decided_on))


def returns_district_facts(q: FigureQuery) -> Select[Any]:
    return _scrutinies(q, _text(Case.district_id))


def objection_facts(q: FigureQuery) -> Select[Any]:
    state = case((ScrutinyObjection.resolved_on.is_(None), "open"), else_="resolved")
    return q.cases(select(ScrutinyObjection.case_id.label("case_id"), ScrutinyObjection.code.label("row"),
                          state.label("series"))
                   .join(Scrutiny, Scrutiny.id == ScrutinyObjection.scrutiny_id)
                   .join(Case, Case.id == ScrutinyObjection.case_id)
                   .where(Scrutiny.decided_on >= q.start, Scrutiny.decided_on <= q.end))


def _item_group() -> ColumnElement[str]:
    from monitoring.checklists import rules

    groups: dict[str, list[str]] = {}
    for item in rules().items.values():
        groups.setdefault(item.group, []).append(item.code)
    return case(*[(ReviewFinding.item.in_(codes), group) for group, codes in groups.items()], else_="general")


def finding_facts(q: FigureQuery) -> Select[Any]:
    return q.cases(select(ReviewFinding.case_id.label("case_id"), _item_group().label("row"),
                          ReviewFinding.severity.label("series"))
                   .join(CaseReview, CaseReview.id == ReviewFinding.review_id)
                   .join(Case, Case.id == ReviewFinding.case_id)
                   .where(CaseReview.status != "withdrawn", ReviewFinding.created_at >= q.start_utc,
                          ReviewFinding.created_at < q.end_utc))


def review_status_facts(q: FigureQuery) -> Select[Any]:
    return q.cases(select(CaseReview.case_id.label("case_id"), CaseReview.status.label("row"),
                          literal("").label("series"))
                   .join(Case, Case.id == CaseReview.case_id)
                   .where(CaseReview.assigned_at >= q.start_utc, CaseReview.assigned_at < q.end_utc))


# --- the UN indicator for prosecution files ------------------------------------------------------------------
def indicator_files(q: FigureQuery) -> Select[Any]:
    """One row per counted file (see ``data/indicator.toml``): its unit (district, or prosecutor when one
    district is chosen) and 1/0 for each element recorded.

    Each file's hearings are read through the (case, day) index only: whether one is ahead, the day of
    the latest past one, then whether a hearing on that day has a next date ahead or a final result;
    a handful of index probes per file, whatever the number of hearings."""
    spec = indicator()

    def moved_into(code: str) -> ColumnElement[bool]:
        return Case.id.in_(select(CaseTransition.case_id).where(
            CaseTransition.to_stage.in_(spec.element(code).stages), CaseTransition.happened_on <= q.as_of))

    def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return case((condition, 1), else_=0)

    unit = _text(Case.assigned_prosecutor_id) if q.district_id is not None else _text(Case.district_id)
    last_day = (select(func.max(Hearing.scheduled_for)).where(Hearing.case_id == Case.id,
                                                             Hearing.scheduled_for < q.as_of)
                .correlate(Case).scalar_subquery())
    upcoming = exists().where(Hearing.case_id == Case.id, Hearing.scheduled_for >= q.as_of).correlate(Case)
    files = q.cases(select(
        Case.id.label("case_id"), unit.label("unit"),
        flag(moved_into("date_accepted")).label("date_accepted"),
        flag(moved_into("action_taken")).label("action_taken"),
        flag(sqlfn.json_length(Case.sections) > 0).label("charges"),
        flag(upcoming).label("upcoming"), last_day.label("last_day"),
    ).where(Case.stage.in_(court_stages()))).subquery("files")
    latest = aliased(Hearing)
    on_last_day = and_(latest.case_id == files.c.case_id, latest.scheduled_for == files.c.last_day)
    next_ahead = exists().where(on_last_day, latest.next_date >= q.as_of).correlate(files)
    ended = exists().where(on_last_day, latest.result.in_(final_results())).correlate(files)
    return select(files.c.case_id, files.c.unit, files.c.date_accepted, files.c.action_taken, files.c.charges,
                  case(((files.c.upcoming == 1) | next_ahead, 1), else_=0).label("next_appearance")).where(
        (files.c.upcoming == 1) | (files.c.last_day.is_not(None) & ~ended))


def indicator_facts(q: FigureQuery) -> Select[Any]:
    files = indicator_files(q).cte("indicator_files")
    complete = and_(*[files.c[code] == 1 for code in ELEMENT_CODES])
    parts = [select(files.c.case_id, files.c.unit.label("row"), literal("files").label("series"))]
    for code in ELEMENT_CODES:
        parts.append(select(files.c.case_id, files.c.unit, literal(code)).where(files.c[code] == 1))
        parts.append(select(files.c.case_id, files.c.unit, literal(f"lacks_{code}")).where(files.c[code] == 0))
    parts.append(select(files.c.case_id, files.c.unit, literal("complete")).where(complete))
    parts.append(select(files.c.case_id, files.c.unit, literal("lacks_complete")).where(~complete))
    union = union_all(*parts).subquery("indicator_facts")
    return select(union.c.case_id, union.c.row, union.c.series)


# --- the catalogue --------------------------------------------------------------------------------------------
DASHBOARDS: dict[str, str] = {
    "caseload": N_("Caseload and delays"),
    "hearings": N_("Hearings and adjournments"),
    "outcomes": N_("Outcomes"),
    "scrutiny": N_("Challan scrutiny"),
    "quality": N_("File quality and peer review"),
}


@cache
def figures() -> dict[str, Figure]:
    """Every figure by id, in dashboard order."""
    results = ("conviction", "acquittal", "compromise", "discharge", "abated")
    items = [
        Figure("caseload", "caseload", N_("Caseload per prosecutor"), N_("open cases"),
               N_("Open cases (every stage but closed) by assigned prosecutor and phase of the case, today."),
               "stacked", "prosecutor", "phase", caseload_facts, snapshot=True,
               series_order=tuple(dict.fromkeys(s.phase for s in lifecycle().stages.values()
                                                if s.phase != "closed"))),
        Figure("case_age", "caseload", N_("Case age by stage"), N_("open cases"),
               N_("Open cases by stage and time since the FIR was registered, today."),
               "stacked", "stage", "age_band", case_age_facts, snapshot=True,
               series_order=(*(key for key, _, _ in AGE_BANDS), "unknown")),
        Figure("overdue_deadlines", "caseload", N_("Overdue deadlines"), N_("deadlines"),
               N_("Statutory deadlines of open cases not met and past their due date, by rule and days overdue."),
               "stacked", "rule", "overdue_band", overdue_facts, snapshot=True,
               series_order=tuple(key for key, _, _ in OVERDUE_BANDS)),
        Figure("hearings_per_week", "hearings", N_("Hearings per week"), N_("hearings"),
               N_("Hearings by week (from Monday) and what happened at them."),
               "stacked", "week", "hearing_status", hearings_week_facts, by_time=True,
               series_order=("proceeded", "adjourned", "not_recorded", "scheduled")),
        Figure("adjournments_by_reason", "hearings", N_("Adjournments by reason"), N_("adjourned hearings"),
               N_("Hearings adjourned or not taken up, by the reason recorded (CrPC s.344) and who asked."),
               "stacked", "adjournment_reason", "requester", adjournment_reason_facts,
               series_order=(*vocabulary().requesters, NONE_KEY)),
        Figure("adjournments_by_requester", "hearings", N_("Adjournments by who asked"), N_("adjourned hearings"),
               N_("Hearings adjourned or not taken up, by the party who asked for the adjournment."),
               "bar", "requester", "none", adjournment_requester_facts, series_order=(NONE_KEY,)),
        Figure("outcomes_by_offence", "outcomes", N_("Outcomes by offence"), N_("accused"),
               N_("Judgments per accused by section of the case (an accused counts under each section of the "
                  "case) and result."), "stacked", "section", "result", outcomes_offence_facts,
               series_order=results, top=15),
        Figure("outcomes_by_district", "outcomes", N_("Outcomes by district"), N_("accused"),
               N_("Judgments per accused by district and result."), "stacked", "district", "result",
               outcomes_district_facts, series_order=results),
        Figure("outcomes_over_time", "outcomes", N_("Outcomes over time"), N_("accused"),
               N_("Judgments per accused by month of judgment and result."), "line", "month", "result",
               outcomes_time_facts, series_order=results, by_time=True),
        Figure("returns_by_month", "scrutiny", N_("Challan return rate by month"), N_("scrutinies"),
               N_("Challan scrutinies by month of decision: returned with objections or accepted."),
               "stacked", "month", "decision", returns_month_facts, series_order=tuple(DECISIONS), by_time=True),
        Figure("returns_by_district", "scrutiny", N_("Challan return rate by district"), N_("scrutinies"),
               N_("Challan scrutinies by district: returned with objections or accepted."),
               "stacked", "district", "decision", returns_district_facts, series_order=tuple(DECISIONS)),
        Figure("objections", "scrutiny", N_("Objections raised"), N_("objections"),
               N_("Objections raised in challan scrutinies, by checklist item, and whether the police have "
                  "resolved them."), "stacked", "objection", "objection_state", objection_facts,
               series_order=tuple(OBJECTION_STATES)),
        Figure("un_indicator", "quality", N_("UN indicator for prosecution files"), N_("files"),
               N_("Open files before a court recording the date accepted, the action taken, the charges and the "
                  "next appearance date; the share recording all four scores 4 (100%), 3 (75-99%), 2 (50-74%) "
                  "or 1 (under 50%)."), "bar", "unit", "element", indicator_facts, snapshot=True,
               series_order=INDICATOR_SERIES,
               hidden_series=tuple(f"lacks_{c}" for c in (*ELEMENT_CODES, "complete"))),
        Figure("review_findings", "quality", N_("Peer-review findings"), N_("findings"),
               N_("Findings recorded in peer reviews (not withdrawn), by checklist group and severity."),
               "stacked", "item_group", "severity", finding_facts, series_order=("minor", "major", "critical")),
        Figure("reviews_by_status", "quality", N_("Peer reviews by step"), N_("reviews"),
               N_("Peer reviews assigned in the period, by the step they are at."), "bar", "review_status",
               "none", review_status_facts, series_order=(NONE_KEY,)),
    ]
    return {f.id: f for f in items}


def row_kind(figure: Figure, q: FigureQuery) -> str:
    """How the figure's rows are labelled for this query (the indicator's unit: districts, or the
    prosecutors of the one district chosen)."""
    if figure.row_kind == "unit":
        return "prosecutor" if q.district_id is not None else "district"
    return figure.row_kind


def dashboard_figures(dashboard: str) -> list[Figure]:
    return [f for f in figures().values() if f.dashboard == dashboard]


# --- computing --------------------------------------------------------------------------------------------------
def no_jit(db: Session) -> None:
    """On PostgreSQL, no JIT compilation for this transaction: these aggregates finish in well under a
    second, and compiling their many expressions (JIT starts above a plan cost of 100,000, which a
    province-wide figure passes) costs more than it saves (measured: 76 ms of 205 ms for the UN indicator
    on 10,000 cases, more as the plans grow)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SET LOCAL jit = off"))


def compute(db: Session, figure: Figure, q: FigureQuery) -> FigureTable:
    """The figure's numbers: one GROUP BY over its facts."""
    no_jit(db)
    facts = figure.facts(q).subquery("facts")
    stmt = select(facts.c.row, facts.c.series, func.count()).group_by(facts.c.row, facts.c.series)
    table = FigureTable(figure)
    for row, series, count in db.execute(stmt):
        table.cells[(row or NONE_KEY, series or NONE_KEY)] = int(count)
    _order(table, q)
    return table


def _order(table: FigureTable, q: FigureQuery) -> None:
    figure = table.figure
    found_series = {s for _, s in table.cells}
    declared = list(figure.series_order) + sorted(s for s in found_series if s not in figure.series_order)
    table.series = [s for s in dict.fromkeys(declared) if s not in figure.hidden_series]
    rows = {r for r, _ in table.cells}
    if figure.by_time:
        table.rows = _time_rows(figure, q, rows)
    elif figure.row_kind == "stage":
        order = list(lifecycle().stages)
        table.rows = sorted(rows, key=lambda r: (order.index(r) if r in order else 99, r))
    elif figure.row_kind == "unit":
        table.rows = sorted(rows)
    else:
        table.rows = sorted(rows, key=lambda r: (-sum(v for (rr, _), v in table.cells.items() if rr == r), r))


def _time_rows(figure: Figure, q: FigureQuery, found: set[str]) -> list[str]:
    """Every week or month of the period, empty ones too (a gap in hearings is a figure)."""
    keys: list[str] = []
    if figure.row_kind == "week":
        day = q.start - timedelta(days=q.start.weekday())
        while day <= q.end:
            keys.append(day.isoformat())
            day += timedelta(days=7)
    else:
        year, month = q.start.year, q.start.month
        while (year, month) <= (q.end.year, q.end.month):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys + sorted(found - set(keys))


@dataclass(frozen=True)
class DrillRow:
    case: Case
    count: int


@dataclass(frozen=True)
class Drill:
    """The cases behind one number: ``items`` (the number itself), ``cases`` (how many cases), one page
    of them (most items first)."""

    items: int
    cases: int
    rows: list[DrillRow]


def drill(db: Session, figure: Figure, q: FigureQuery, row: str | None, series: str | None, *,
          limit: int = 100, offset: int = 0) -> Drill:
    """The cases behind the number at (``row``, ``series``); None means "any" (a row's or a series'
    total, or the figure's)."""
    no_jit(db)
    facts = figure.facts(q).subquery("facts")
    stmt = select(facts.c.case_id, func.count().label("n"))
    if row is not None:
        stmt = stmt.where(func.coalesce(facts.c.row, NONE_KEY) == row)
    if series is not None:
        stmt = stmt.where(func.coalesce(facts.c.series, NONE_KEY) == series)
    elif figure.hidden_series:
        stmt = stmt.where(facts.c.series.not_in(figure.hidden_series))
    per_case = stmt.group_by(facts.c.case_id).subquery("per_case")
    items, cases = db.execute(select(func.coalesce(func.sum(per_case.c.n), 0), func.count())
                              .select_from(per_case)).one()
    page = db.execute(select(Case, per_case.c.n).join(per_case, per_case.c.case_id == Case.id)
                      .order_by(per_case.c.n.desc(), Case.id).limit(limit).offset(offset)).all()
    return Drill(int(items), int(cases), [DrillRow(c, int(n)) for c, n in page])


def drill_case_ids(db: Session, figure: Figure, q: FigureQuery, row: str | None, series: str | None) -> list[int]:
    """Every case id behind a number (exports of a drill-down)."""
    no_jit(db)
    facts = figure.facts(q).subquery("facts")
    stmt = select(facts.c.case_id).distinct()
    if row is not None:
        stmt = stmt.where(func.coalesce(facts.c.row, NONE_KEY) == row)
    if series is not None:
        stmt = stmt.where(func.coalesce(facts.c.series, NONE_KEY) == series)
    return sorted(int(i) for i in db.scalars(stmt))


def sections_in_use(db: Session, q: FigureQuery, limit: int = 200) -> list[str]:
    """Offences (section keys without sub-clauses) of cases with a judgment in the period, commonest first."""
    sections = sqlfn.sections_table(q.dialect, Case.sections)
    base = sqlfn.section_base(sections.c.value)
    stmt = q.cases(select(base, func.count()).select_from(Case).join(sections, true())
                   .where(sqlfn.is_json_array(q.dialect, Case.sections),
                          Case.id.in_(select(Outcome.case_id).where(Outcome.judgment_on >= q.start,
                                                                    Outcome.judgment_on <= q.end))))
    return [s for s, _ in db.execute(stmt.group_by(base).order_by(func.count().desc(), base).limit(limit))]


def unit_score(table: FigureTable, unit: str) -> int | None:
    """The UN indicator score of one unit (a row of the ``un_indicator`` table)."""
    return indicator().score(table.value(unit, "complete"), table.value(unit, "files"))


def overall_score(table: FigureTable) -> int | None:
    return indicator().score(table.series_total("complete"), table.series_total("files"))


def element_score(table: FigureTable, element: str) -> int | None:
    return indicator().score(table.series_total(element), table.series_total("files"))


def iter_all(db: Session, q: FigureQuery, dashboard: str | None = None) -> Iterable[FigureTable]:
    for figure in figures().values():
        if dashboard is None or figure.dashboard == dashboard:
            yield compute(db, figure, q)


__all__ = [
    "AGE_BANDS", "DASHBOARDS", "HEARING_STATUSES", "OVERDUE_BANDS", "Drill", "DrillRow", "Figure", "FigureQuery",
    "FigureTable", "compute", "dashboard_figures", "drill", "drill_case_ids", "element_score", "figures",
    "iter_all", "overall_score", "row_kind", "sections_in_use", "unit_score",
]
