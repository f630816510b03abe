"""Calendar speed: the month view and the cause list of a district with 5,000 hearings, through the
app, beside the same database query alone (the baseline) measured in the same run.

    .venv/bin/python -m bench.calendar_views [--quick] [--reps N] [--database-url URL] [--rebuild]

Data (made once under var/bench-calendar, reused; ``--rebuild`` makes it again): five districts of
5,000 hearings each over twelve months (the measured district's busiest month has ~450), with
12 courts and 30 prosecutors per district, 2,500 cases per district, 0-3 witnesses per hearing,
outcomes on past hearings. Default settings as users run them: SQLite in the var folder (pass
``--database-url postgresql+psycopg://...`` for PostgreSQL; its tables are dropped and rebuilt).

Measured, interleaved (each runner takes its turn on every repetition), after one warm-up pass:
  (a) through the app: GET on a real HTTP server running ``search_app.create_app``, logged in as a
      prosecutor of the district (district scope applies): the month view, the cause list of the
      busiest court on the busiest day, the district's whole cause list that day, and its PDF;
  (b) baseline: the same hearings query the page runs (``calendar_entries`` for the month view,
      ``hearings_between`` for the cause list: ORM objects with case, prosecutor and witnesses), with
      scope and filters, without HTTP, session, policy, audit or rendering.
Target: under 300 ms through the app for the month view and the cause list.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "var" / "bench-calendar"
PASSWORD = "bench-calendar-pw-2026-x"
DISTRICTS = 5
HEARINGS_PER_DISTRICT = 5000
COURTS_PER_DISTRICT = 12
PROSECUTORS_PER_DISTRICT = 30
CASES_PER_DISTRICT = 2500
FIRST_DAY = date(2026, 6, 1)
DAYS = 365
PURPOSES = ["charge", "prosecution_evidence", "statement_of_accused", "arguments", "bail", "judgment"]


def _settings(database_url: str) -> Any:
    from config import Settings

    WORK.mkdir(parents=True, exist_ok=True)
    return Settings(environment="test", var_dir=WORK, database_url=database_url, es_index_prefix="benchcal",
                    secret_key="bench-calendar-secret-" + "x" * 40, login_max_failures=50,
                    _env_file=None)  # type: ignore[call-arg]


def _court_days(rng: random.Random) -> list[date]:
    days = [FIRST_DAY + timedelta(days=i) for i in range(DAYS)]
    return [d for d in days if d.weekday() != 6]


def build(factory: sessionmaker[Session]) -> None:
    """Five districts of hearings (see module docstring)."""
    from models import Case, Court, District, Hearing, HearingWitness, PoliceStation, Role, User
    from search_app.auth.passwords import hash_password

    rng = random.Random(11)
    days = _court_days(rng)
    password = hash_password(PASSWORD)
    with factory() as db:
        for d in range(DISTRICTS):
            district = District(name=f"Bench District {d + 1}")
            db.add(district)
            db.flush()
            station = PoliceStation(name="Saddar", district_id=district.id)
            courts = [Court(district_id=district.id, name=f"Court {c + 1}, Bench District {d + 1}", kind="sessions")
                      for c in range(COURTS_PER_DISTRICT)]
            prosecutors = [User(username=f"bench_p{d + 1}_{p}", full_name=f"Prosecutor {d + 1}-{p}",
                                role=Role.PROSECUTOR, password_hash=password, districts=[district])
                           for p in range(PROSECUTORS_PER_DISTRICT)]
            db.add_all([station, *courts, *prosecutors])
            db.flush()
            cases = [Case(fir_number=str(100 + i), fir_year=2025, police_station_id=station.id, district_id=district.id,
                          title=f"State v. Accused {i}", stage="charge_framed",
                          assigned_prosecutor_id=prosecutors[i % PROSECUTORS_PER_DISTRICT].id)
                     for i in range(CASES_PER_DISTRICT)]
            db.add_all(cases)
            db.flush()
            rows = []
            for i in range(HEARINGS_PER_DISTRICT):
                case = cases[i % CASES_PER_DISTRICT]
                court = courts[rng.randrange(COURTS_PER_DISTRICT)]
                day = days[rng.randrange(len(days))]
                past = day < date(2026, 12, 1)
                rows.append(Hearing(
                    case_id=case.id, scheduled_for=day, session="morning" if rng.random() < 0.8 else "evening",
                    court_id=court.id, court=court.name, purpose=rng.choice(PURPOSES),
                    prosecutor_id=case.assigned_prosecutor_id, result="adjourned" if past else "",
                    adjournment_reason="witness_absent" if past else "",
                    adjournment_requested_by="prosecution" if past else "",
                    next_date=day + timedelta(days=21) if past else None,
                    witnesses=[HearingWitness(name=f"Witness {i}-{w}", cnic=f"17301-{i:07d}-{w}")
                               for w in range(rng.randrange(4))]))
            db.add_all(rows)
            db.commit()


def busiest(factory: sessionmaker[Session], district_id: int) -> tuple[date, date, int, int]:
    """(first day of the busiest month, busiest day, its busiest court, hearings in that month)."""
    from models import Case, Hearing

    with factory() as db:
        rows = db.execute(select(Hearing.scheduled_for, Hearing.court_id).join(Case, Case.id == Hearing.case_id)
                          .where(Case.district_id == district_id)).all()
    per_month: dict[date, int] = {}
    per_day_court: dict[tuple[date, int], int] = {}
    for day, court in rows:
        per_month[day.replace(day=1)] = per_month.get(day.replace(day=1), 0) + 1
        per_day_court[(day, court)] = per_day_court.get((day, court), 0) + 1
    month = max(per_month, key=lambda m: per_month[m])
    (day, court) = max(per_day_court, key=lambda k: per_day_court[k])
    return month, day, court, per_month[month]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) + 1)) - 1))]


def line(name: str, values: list[float]) -> str:
    return (f"{name:<44} n={len(values):3d}  p50={percentile(values, 50):7.1f} ms  "
            f"p95={percentile(values, 95):7.1f} ms  mean={statistics.mean(values):7.1f} ms")


def serve(settings: Any) -> tuple[str, Callable[[], None]]:
    from werkzeug.serving import make_server

    from search_app import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown


def login(base: str, username: str) -> Any:
    """A cookie-keeping opener logged in as ``username`` (urllib, like a browser without scripts)."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    opener.open(f"{base}/login", data=urllib.parse.urlencode(form).encode(), timeout=30).read()
    if "/login" in opener.open(f"{base}/calendar", timeout=30).geturl():
        raise RuntimeError(f"bench login as {username} failed")
    return opener


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 repetitions instead of 40")
    parser.add_argument("--reps", type=int, default=None)
    parser.add_argument("--database-url", default="", help="default: SQLite under var/bench-calendar")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    reps = args.reps or (10 if args.quick else 40)

    from models import Base, District, Hearing, User, make_engine, make_session_factory
    from models.migrate import upgrade_database
    from scheduling.store import Visible
    from search_app.auth.scope import Scope, calendar_case_condition, case_exists_condition
    from search_app.views.calendar_support import Filters, calendar_entries, hearings_between

    settings = _settings(args.database_url)
    engine = make_engine(settings.sqlalchemy_url)
    if args.rebuild:
        Base.metadata.drop_all(engine)
        from sqlalchemy import text

        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade_database(engine)
    factory = make_session_factory(engine)
    with factory() as db:
        have = db.scalar(select(func.count(Hearing.id))) or 0
    if have < DISTRICTS * HEARINGS_PER_DISTRICT:
        started = time.perf_counter()
        build(factory)
        print(f"built {DISTRICTS * HEARINGS_PER_DISTRICT} hearings in {time.perf_counter() - started:.0f} s")
    with factory() as db:
        district = db.scalar(select(District).where(District.name == "Bench District 1"))
        assert district is not None
        user = db.scalar(select(User).where(User.username == "bench_p1_0"))
        assert user is not None
        # what the app's calendar reaches for this prosecutor: role, districts and the sealed-case rule
        reader = Scope.of(user)
        scope = Visible(calendar_case_condition(reader), reader.allowed_district_ids, case_exists_condition(reader))
        total = db.scalar(select(func.count(Hearing.id))) or 0
    month, day, court, in_month = busiest(factory, district.id)
    from scheduling.periods import View, period

    shown = period(View.MONTH, month)
    base, stop = serve(settings)
    http = login(base, user.username)

    def app(path: str) -> Callable[[], None]:
        def run() -> None:
            with http.open(f"{base}{path}", timeout=60) as response:
                assert response.status == 200, (path, response.status)
                response.read()
        return run

    def query(first: date, last: date, filters: Any) -> Callable[[], None]:
        def run() -> None:
            with factory() as db:
                rows = list(db.scalars(hearings_between(first, last, filters, scope)).unique())
                assert rows
        return run

    def entries(first: date, last: date, filters: Any) -> Callable[[], None]:
        def run() -> None:
            with factory() as db:
                assert calendar_entries(db, first, last, filters, scope)
        return run

    runners: dict[str, Callable[[], None]] = {
        "app: month view": app(f"/calendar?view=month&start={month.isoformat()}&district={district.id}"),
        "baseline: month query": entries(shown.grid_first, shown.grid_last, Filters(district.id)),
        "app: cause list, one court": app(f"/calendar/cause-list?date={day.isoformat()}&court={court}"),
        "baseline: cause list query, one court": query(day, day, Filters(court_id=court)),
        "app: cause list, whole district": app(f"/calendar/cause-list?date={day.isoformat()}&district={district.id}"),
        "baseline: cause list query, district": query(day, day, Filters(district.id)),
        "app: cause list PDF, one court": app(f"/calendar/cause-list.pdf?date={day.isoformat()}&court={court}"),
    }
    for run in runners.values():  # warm-up
        run()
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(reps):
        for name, run in runners.items():
            started = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - started) * 1000)
    stop()
    engine.dispose()
    with factory() as db:
        from models import Case

        per_day_court = db.scalar(select(func.count(Hearing.id)).where(Hearing.scheduled_for == day,
                                                                       Hearing.court_id == court)) or 0
        per_day = db.scalar(select(func.count(Hearing.id)).join(Case, Case.id == Hearing.case_id).where(
            Hearing.scheduled_for == day, Case.district_id == district.id)) or 0
    print(f"database: {settings.sqlalchemy_url.split('@')[-1]}; {total} hearings in {DISTRICTS} districts; measured "
          f"district: {HEARINGS_PER_DISTRICT} hearings, busiest month {month:%B %Y} ({in_month} hearings), "
          f"busiest court-day {day} ({per_day_court} cases; {per_day} in the district that day); {reps} repetitions")
    for name, values in times.items():
        print(line(name, values))
    target = 300.0
    for name in ("app: month view", "app: cause list, one court", "app: cause list, whole district"):
        p95 = percentile(times[name], 95)
        print(f"target p95 < {target:.0f} ms  {name:<36} {'MET' if p95 < target else 'MISSED'} ({p95:.0f} ms)")


if __name__ == "__main__":
    main()
