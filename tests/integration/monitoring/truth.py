"""Ground truth for the monitoring figures: each figure's numbers written out by hand as plain SQL
text, for SQLite and PostgreSQL, independently of ``monitoring.figures`` (which builds its SQL with
SQLAlchemy). Each query returns (row, series, count) rows; ``scope`` adds a WHERE condition on the
``cases`` alias ``c`` (district scope and sealed cases as the reader sees them).

Stage phases, checklist groups and the UN indicator's rules are spelled out here from the data files
(casework/data/stages.toml, monitoring/data/review.toml, monitoring/data/indicator.toml) on purpose: a
change to those files must show up as a failing test to look at, not silently move both sides.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

PHASE = """CASE
  WHEN c.stage IN ('fir_registered','under_investigation','interim_report') THEN 'investigation'
  WHEN c.stage IN ('challan_received','under_scrutiny','returned_with_objections','accepted') THEN 'scrutiny'
  WHEN c.stage IN ('submitted_to_court','charge_framed','prosecution_evidence','defence','arguments') THEN 'trial'
  WHEN c.stage IN ('judgment','appeal_or_revision') THEN 'decided' ELSE 'closed' END"""
COURT_STAGES = ("'submitted_to_court','charge_framed','prosecution_evidence','defence','arguments',"
                "'judgment','appeal_or_revision'")
GROUP = """CASE
  WHEN f.item IN ('interim_report_on_time','copies_supplied','deadlines_met') THEN 'deadlines'
  WHEN f.item IN ('case_diary_read','scrutiny_on_time','scrutiny_objections_complete','objections_followed_up')
    THEN 'scrutiny'
  WHEN f.item IN ('sections_supported','charge_matches_evidence') THEN 'charge'
  WHEN f.item IN ('witnesses_listed','witnesses_summoned','witnesses_produced') THEN 'witnesses'
  WHEN f.item IN ('exhibits_in_place','fsl_reports') THEN 'evidence'
  WHEN f.item IN ('next_dates_recorded','adjournments_justified') THEN 'hearings'
  WHEN f.item IN ('outcome_recorded','judgment_examined') THEN 'judgment' ELSE 'general' END"""
ADJOURNED = "('adjourned','not_taken_up')"
FINAL = "('judgment_announced','disposed_otherwise')"


def _days_before(dialect: str, days: int) -> str:
    return f"(CAST(:as_of AS DATE) - {days})" if dialect == "postgresql" else f"date(:as_of, '-{days} days')"


def _week(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"to_char({column} - (EXTRACT(ISODOW FROM {column})::int - 1), 'YYYY-MM-DD')"
    return f"date({column}, '-' || ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7) || ' days')"


def _month(dialect: str, column: str) -> str:
    return f"to_char({column}, 'YYYY-MM')" if dialect == "postgresql" else f"substr({column}, 1, 7)"


def _sections(dialect: str) -> tuple[str, str]:
    """(FROM item expanding c.sections, the section key without its bracket)."""
    if dialect == "postgresql":
        return ("CROSS JOIN LATERAL json_array_elements_text(c.sections) AS s(v)",
                "trim(CASE WHEN position('(' IN s.v) > 0 THEN substr(s.v, 1, position('(' IN s.v) - 1) "
                "ELSE s.v END)")
    return ("JOIN json_each(c.sections) AS s",
            "trim(CASE WHEN instr(s.value, '(') > 0 THEN substr(s.value, 1, instr(s.value, '(') - 1) ELSE s.value END)")


def band(dialect: str, column: str, limits: list[tuple[str, int]], last: str) -> str:
    whens = " ".join(f"WHEN {column} > {_days_before(dialect, d)} THEN '{k}'" for k, d in limits)
    return f"CASE {whens} ELSE '{last}' END"


def queries(dialect: str, scope: str) -> dict[str, str]:
    age = band(dialect, "c.fir_date", [("lt90", 90), ("lt180", 180), ("lt365", 365), ("lt730", 730)], "ge730")
    overdue = ("CASE " + " ".join(f"WHEN d.due_on >= {_days_before(dialect, n)} THEN '{k}'"
                                  for k, n in (("d7", 7), ("d30", 30), ("d90", 90))) + " ELSE 'more' END")
    period = "BETWEEN :start AND :end"
    join_sections, base = _sections(dialect)
    w = f"AND {scope}"
    return {
        "caseload": f"""SELECT COALESCE(CAST(c.assigned_prosecutor_id AS TEXT), ''), {PHASE}, COUNT(*) FROM cases c
            WHERE c.stage <> 'closed' {w} GROUP BY 1, 2""",
        "case_age": f"""SELECT c.stage, CASE WHEN c.fir_date IS NULL THEN 'unknown' ELSE {age} END, COUNT(*)
            FROM cases c WHERE c.stage <> 'closed' {w} GROUP BY 1, 2""",
        "overdue_deadlines": f"""SELECT d.rule_id, {overdue}, COUNT(*) FROM case_deadlines d
            JOIN cases c ON c.id = d.case_id
            WHERE d.met_on IS NULL AND d.due_on < :as_of AND c.stage <> 'closed' {w} GROUP BY 1, 2""",
        "hearings_per_week": f"""SELECT {_week(dialect, 'h.scheduled_for')},
            CASE WHEN h.scheduled_for >= :as_of THEN 'scheduled' WHEN h.result = '' THEN 'not_recorded'
                 WHEN h.result IN {ADJOURNED} THEN 'adjourned' ELSE 'proceeded' END, COUNT(*)
            FROM hearings h JOIN cases c ON c.id = h.case_id WHERE h.scheduled_for {period} {w} GROUP BY 1, 2""",
        "adjournments_by_reason": f"""SELECT h.adjournment_reason, h.adjournment_requested_by, COUNT(*)
            FROM hearings h JOIN cases c ON c.id = h.case_id
            WHERE h.scheduled_for {period} AND h.result IN {ADJOURNED} {w} GROUP BY 1, 2""",
        "adjournments_by_requester": f"""SELECT h.adjournment_requested_by, '', COUNT(*)
            FROM hearings h JOIN cases c ON c.id = h.case_id
            WHERE h.scheduled_for {period} AND h.result IN {ADJOURNED} {w} GROUP BY 1""",
        "outcomes_by_offence": f"""SELECT {base}, o.result, COUNT(*) FROM outcomes o JOIN cases c ON c.id = o.case_id
            {join_sections} WHERE o.judgment_on {period} {w} GROUP BY 1, 2""",
        "outcomes_by_district": f"""SELECT CAST(c.district_id AS TEXT), o.result, COUNT(*)
            FROM outcomes o JOIN cases c ON c.id = o.case_id WHERE o.judgment_on {period} {w} GROUP BY 1, 2""",
        "outcomes_over_time": f"""SELECT {_month(dialect, 'o.judgment_on')}, o.result, COUNT(*)
            FROM outcomes o JOIN cases c ON c.id = o.case_id WHERE o.judgment_on {period} {w} GROUP BY 1, 2""",
        "returns_by_month": f"""SELECT {_month(dialect, 'x.decided_on')}, x.decision, COUNT(*)
            FROM scrutinies x JOIN cases c ON c.id = x.case_id WHERE x.decided_on {period} {w} GROUP BY 1, 2""",
        "returns_by_district": f"""SELECT CAST(c.district_id AS TEXT), x.decision, COUNT(*)
            FROM scrutinies x JOIN cases c ON c.id = x.case_id WHERE x.decided_on {period} {w} GROUP BY 1, 2""",
        "objections": f"""SELECT o.code, CASE WHEN o.resolved_on IS NULL THEN 'open' ELSE 'resolved' END, COUNT(*)
            FROM scrutiny_objections o JOIN scrutinies x ON x.id = o.scrutiny_id JOIN cases c ON c.id = o.case_id
            WHERE x.decided_on {period} {w} GROUP BY 1, 2""",
        "review_findings": f"""SELECT {GROUP}, f.severity, COUNT(*) FROM review_findings f
            JOIN case_reviews r ON r.id = f.review_id JOIN cases c ON c.id = f.case_id
            WHERE r.status <> 'withdrawn' AND f.created_at >= :start_utc AND f.created_at < :end_utc {w}
            GROUP BY 1, 2""",
        "reviews_by_status": f"""SELECT r.status, '', COUNT(*) FROM case_reviews r JOIN cases c ON c.id = r.case_id
            WHERE r.assigned_at >= :start_utc AND r.assigned_at < :end_utc {w} GROUP BY 1""",
    }


def indicator_query(dialect: str, scope: str, unit: str) -> str:
    """Per unit: files, each element and all four (aggregates over the latest past hearing per case)."""
    has_sections = ("json_typeof(c.sections) = 'array' AND json_array_length(c.sections) > 0"
                    if dialect == "postgresql" else "json_array_length(c.sections) > 0")
    return f"""
    WITH past AS (SELECT case_id, MAX(scheduled_for) AS d FROM hearings WHERE scheduled_for < :as_of GROUP BY case_id),
    latest AS (SELECT h.case_id, MAX(CASE WHEN h.next_date >= :as_of THEN 1 ELSE 0 END) AS has_next,
                      MAX(CASE WHEN h.result IN {FINAL} THEN 1 ELSE 0 END) AS final
               FROM hearings h JOIN past p ON p.case_id = h.case_id AND h.scheduled_for = p.d GROUP BY h.case_id),
    up AS (SELECT DISTINCT case_id FROM hearings WHERE scheduled_for >= :as_of),
    files AS (
      SELECT c.id, COALESCE(CAST({unit} AS TEXT), '') AS unit,
        CASE WHEN EXISTS (SELECT 1 FROM case_transitions t WHERE t.case_id = c.id AND t.happened_on <= :as_of
             AND t.to_stage IN ('challan_received', 'accepted')) THEN 1 ELSE 0 END AS e1,
        CASE WHEN EXISTS (SELECT 1 FROM case_transitions t WHERE t.case_id = c.id AND t.happened_on <= :as_of
             AND t.to_stage IN ('returned_with_objections', 'accepted', 'submitted_to_court')) THEN 1 ELSE 0 END AS e2,
        CASE WHEN {has_sections} THEN 1 ELSE 0 END AS e3,
        CASE WHEN u.case_id IS NOT NULL OR l.has_next = 1 THEN 1 ELSE 0 END AS e4
      FROM cases c LEFT JOIN latest l ON l.case_id = c.id LEFT JOIN up u ON u.case_id = c.id
      WHERE c.stage IN ({COURT_STAGES}) AND (u.case_id IS NOT NULL OR (l.case_id IS NOT NULL AND l.final = 0))
        AND {scope})
    SELECT unit, COUNT(*), SUM(e1), SUM(e2), SUM(e3), SUM(e4), SUM(e1 * e2 * e3 * e4) FROM files GROUP BY unit"""


def params(as_of: date, start: date, end: date) -> dict[str, Any]:
    from datetime import UTC, datetime, time

    return {"as_of": as_of, "start": start, "end": end,
            "start_utc": datetime.combine(start, time.min, tzinfo=UTC),
            "end_utc": datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)}


def run(db: Session, sql: str, values: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {(str(r[0] or ""), str(r[1] or "")): int(r[2]) for r in db.execute(text(sql), values)}


def indicator_cells(db: Session, sql: str, values: dict[str, Any]) -> dict[tuple[str, str], int]:
    cells: dict[tuple[str, str], int] = {}
    names = ("files", "date_accepted", "action_taken", "charges", "next_appearance", "complete")
    for row in db.execute(text(sql), values):
        for name, value in zip(names, row[1:], strict=True):
            if int(value or 0):
                cells[(str(row[0]), name)] = int(value)
    return cells
