"""Every dashboard figure's numbers against hand-written SQL (tests/integration/monitoring/truth.py) on a
seeded world (bench/monitoring_data.py), on SQLite and on PostgreSQL; each drill-down adds up to its
number and lists exactly the cases the ground truth finds; a reader's scope (districts, sealed cases)
holds in every figure and drill-down; the UN indicator's next-appearance element agrees with the
calendar's own indicator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from bench.monitoring_data import World, build
from models import Case, User, make_session_factory
from models.migrate import upgrade_database
from monitoring.figures import FigureQuery, compute, drill, drill_case_ids, figures, overall_score
from tests.integration.monitoring import truth

AS_OF = date(2026, 11, 20)
START, END = date(2025, 12, 1), date(2026, 11, 30)


@pytest.fixture(params=["sqlite", "postgres"])
def seeded(request: pytest.FixtureRequest, engine: Engine) -> Iterator[tuple[Session, World]]:
    target = engine
    if request.param == "postgres":
        target = request.getfixturevalue("postgres_engine")
        upgrade_database(target)
    world = build(target, World(cases=400, hearings=3000, districts=3, seed=11), AS_OF)
    with make_session_factory(target)() as db:
        yield db, world


def _query(db: Session, **kwargs: object) -> FigureQuery:
    return FigureQuery(AS_OF, START, END, dialect=db.get_bind().dialect.name, **kwargs)  # type: ignore[arg-type]


def _mine(db: Session, figure_id: str, q: FigureQuery) -> dict[tuple[str, str], int]:
    table = compute(db, figures()[figure_id], q)
    return {k: v for k, v in table.cells.items() if v and not k[1].startswith("lacks_")}


@pytest.mark.postgres
def test_every_figure_equals_its_sql_ground_truth(seeded: tuple[Session, World]) -> None:
    db, _world = seeded
    dialect = db.get_bind().dialect.name
    values = truth.params(AS_OF, START, END)
    expected_all = truth.queries(dialect, "1 = 1")
    assert set(expected_all) | {"un_indicator"} == set(figures())
    for figure_id, sql in expected_all.items():
        expected = truth.run(db, sql, values)
        assert sum(expected.values()) > 0, f"the seeded world leaves {figure_id} empty: the test proves nothing"
        assert _mine(db, figure_id, _query(db)) == expected, figure_id
    indicator = truth.indicator_cells(db, truth.indicator_query(dialect, "1 = 1", "c.district_id"), values)
    assert indicator and _mine(db, "un_indicator", _query(db)) == indicator


@pytest.mark.postgres
def test_one_district_and_one_offence(seeded: tuple[Session, World]) -> None:
    db, world = seeded
    dialect = db.get_bind().dialect.name
    district = world.ids["districts"][1]
    values = truth.params(AS_OF, START, END) | {"d": district}
    for figure_id, sql in truth.queries(dialect, "c.district_id = :d").items():
        assert _mine(db, figure_id, _query(db, district_id=district)) == truth.run(db, sql, values), figure_id
    by_prosecutor = truth.indicator_query(dialect, "c.district_id = :d", "c.assigned_prosecutor_id")
    assert _mine(db, "un_indicator", _query(db, district_id=district)) == truth.indicator_cells(db, by_prosecutor,
                                                                                                  values)
    # one offence: outcomes only of cases with that section (sub-clauses folded: PPC 302(b) is PPC 302)
    join, base = truth._sections(dialect)
    offence = f"c.id IN (SELECT c.id FROM cases c {join} WHERE {base} = 'PPC 302')"
    for figure_id in ("outcomes_by_district", "outcomes_over_time"):
        expected = truth.run(db, truth.queries(dialect, offence)[figure_id], values)
        assert expected and _mine(db, figure_id, _query(db, section="PPC 302")) == expected, figure_id
    offence_rows = _mine(db, "outcomes_by_offence", _query(db, section="PPC 302"))
    assert offence_rows and {row for row, _ in offence_rows} == {"PPC 302"}


@pytest.mark.postgres
def test_drill_downs_add_up_and_list_the_cases_behind_the_number(seeded: tuple[Session, World]) -> None:
    db, _world = seeded
    q = _query(db)
    for figure in figures().values():
        table = compute(db, figure, q)
        cells = sorted(((v, k) for k, v in table.cells.items() if v), reverse=True)[:3]
        assert cells, figure.id
        for value, (row, series) in cells:
            found = drill(db, figure, q, row, series, limit=1000)
            assert found.items == value, (figure.id, row, series)
            assert sum(r.count for r in found.rows) == value and len(found.rows) == found.cases
        some_row = cells[0][1][0]
        if not figure.hidden_series:
            assert drill(db, figure, q, some_row, None).items == table.row_total(some_row), figure.id
    # the case ids behind one number, against the ground truth's own list
    adjourned = text("""SELECT DISTINCT h.case_id FROM hearings h WHERE h.result IN ('adjourned', 'not_taken_up')
                        AND h.adjournment_reason = 'witness_absent' AND h.scheduled_for BETWEEN :start AND :end""")
    expected_ids = sorted(db.scalars(adjourned, {"start": START, "end": END}))
    figure = figures()["adjournments_by_reason"]
    assert expected_ids == drill_case_ids(db, figure, q, "witness_absent", None)
    missing = text(f"""SELECT c.id FROM cases c WHERE c.stage IN ({truth.COURT_STAGES}) AND c.id NOT IN
                       (SELECT t.case_id FROM case_transitions t
                        WHERE t.to_stage IN ('challan_received', 'accepted'))""")
    lacking = drill_case_ids(db, figures()["un_indicator"], q, None, "lacks_date_accepted")
    assert lacking and set(lacking) <= set(db.scalars(missing))


def _scope_sql(user: User) -> str:
    """The reader's scope as the ground truth spells it: their districts; sealed cases only their own
    (a prosecutor) or those of districts they supervise."""
    districts = ",".join(str(d) for d in sorted(user.district_ids)) or "0"
    supervised = districts if str(user.role) == "supervisor" else "0"
    return (f"c.district_id IN ({districts}) AND (c.sealed = false OR c.assigned_prosecutor_id = {user.id} "
            f"OR c.district_id IN ({supervised}))")


@pytest.mark.postgres
def test_scope_holds_on_every_figure_and_drill_down(seeded: tuple[Session, World]) -> None:
    from search_app.auth.scope import Scope, scoped_cases

    db, world = seeded
    dialect = db.get_bind().dialect.name
    values = truth.params(AS_OF, START, END)
    district = world.ids["districts"][0]
    prosecutor = db.get(User, world.ids["prosecutors"][district][0])
    assert prosecutor is not None
    db.execute(text("UPDATE cases SET sealed = true WHERE id IN (SELECT id FROM cases WHERE district_id = :d "
                    "AND stage <> 'closed' AND (assigned_prosecutor_id <> :p OR assigned_prosecutor_id IS NULL) "
                    "ORDER BY id LIMIT 40)"), {"d": district, "p": prosecutor.id})
    db.commit()
    scope = Scope.of(prosecutor)
    q = _query(db, restrict=lambda stmt: scoped_cases(stmt, scope))
    for figure_id, sql in truth.queries(dialect, _scope_sql(prosecutor)).items():
        assert _mine(db, figure_id, q) == truth.run(db, sql, values), figure_id
    assert _mine(db, "un_indicator", q) == truth.indicator_cells(
        db, truth.indicator_query(dialect, _scope_sql(prosecutor), "c.district_id"), values)
    hidden = set(db.scalars(select(Case.id).where(
        (Case.district_id != district) | (Case.sealed.is_(True) & (Case.assigned_prosecutor_id != prosecutor.id)))))
    assert hidden
    for figure in figures().values():
        for row, series in list(compute(db, figure, q).cells)[:5]:
            assert not set(drill_case_ids(db, figure, q, row, series)) & hidden, figure.id


@pytest.mark.postgres
def test_next_appearance_agrees_with_the_calendars_indicator(seeded: tuple[Session, World]) -> None:
    from scheduling.store import Visible, next_date_indicator
    from scheduling.vocab import vocabulary

    db, _world = seeded
    calendar = next_date_indicator(db, vocabulary(), AS_OF, Visible.everything())
    table = compute(db, figures()["un_indicator"], _query(db))
    assert calendar.files == table.series_total("files") > 0
    assert calendar.with_next_date == table.series_total("next_appearance")
    assert overall_score(table) in (1, 2, 3, 4)


def test_time_rows_cover_the_whole_period(session: Session) -> None:
    q = FigureQuery(AS_OF, date(2026, 1, 7), date(2026, 3, 2), dialect="sqlite")
    table = compute(session, figures()["hearings_per_week"], q)
    assert table.rows[0] == "2026-01-05" and table.rows[-1] == "2026-03-02" and len(table.rows) == 9
    months = compute(session, figures()["outcomes_over_time"], q)
    assert months.rows == ["2026-01", "2026-02", "2026-03"]
    assert AS_OF - timedelta(days=1) < AS_OF
