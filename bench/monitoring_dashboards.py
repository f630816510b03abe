"""Dashboard speed: each monitoring dashboard through the app, for a district supervisor and for the
head office (the whole province), on PostgreSQL with 100,000 cases and 1,000,000 hearings, beside
baselines measured in the same run.

    .venv/bin/python -m bench.monitoring_dashboards [--quick] [--reps N] [--database-url URL] [--rebuild]

Data (bench/monitoring_data.py, made once and reused; ``--rebuild`` makes it again): 20 districts with
15 prosecutors and a supervisor each, 100,000 cases at every stage with their stage moves, scrutinies
and objections, 1,000,000 hearings (results, adjournment reasons and who asked, next dates), statutory
deadlines, outcomes per accused and peer reviews with findings. ``--quick``: 10,000 cases and 100,000
hearings in another database schema state (rebuilt when the counts differ). Default database: the
PostgreSQL benchmark database below (pass ``--database-url`` for another).

Measured, interleaved (each runner takes its turn on every repetition), after one warm-up pass:
  (a) through the app: GET on a real HTTP server running ``search_app.create_app`` (policy, scope,
      audit, rendering), logged in as a district's supervisor and as the head office: each of the five
      dashboards over the last twelve months;
  (b) baseline 1: the same user's existing oversight page (``/oversight/caseload``: the one caseload
      table supervisors had before the dashboards), through the app;
  (c) baseline 2: the dashboard's figures alone (``monitoring.figures.compute`` with the user's scope,
      no HTTP, session, policy, audit or rendering): the floor the page can reach.
Targets: under 1 s for a district, under 3 s for the whole province.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select, text

from bench.calendar_views import line, percentile, serve
from bench.monitoring_data import World, build

DEFAULT_URL = "postgresql+psycopg://cmms:cmms@127.0.0.1:5432/cmms_bench_monitoring"
PASSWORD = "bench-calendar-pw-2026-x"  # the bench users' password (as bench.calendar_views)
# Supervisors log in with a one-time code (MFA, issue 8): the bench users are enrolled with this secret and
# the bench answers the code step as an authenticator app would.
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DASHBOARDS = ("caseload", "hearings", "outcomes", "scrutiny", "quality")
FULL = World(cases=100_000, hearings=1_000_000, districts=20, prosecutors_per_district=15, seed=2026)
QUICK = World(cases=10_000, hearings=100_000, districts=20, prosecutors_per_district=15, seed=2026)


def _settings(database_url: str) -> Any:
    from pathlib import Path

    from config import Settings

    work = Path(__file__).resolve().parent.parent / "var" / "bench-monitoring"
    work.mkdir(parents=True, exist_ok=True)
    return Settings(environment="test", var_dir=work, database_url=database_url, es_index_prefix="benchmon",
                    secret_key="bench-monitoring-secret-" + "x" * 40, login_max_failures=50,
                    _env_file=None)  # type: ignore[call-arg]


def _prepare(engine: Any, world: World, rebuild: bool, as_of: date) -> None:
    from models import Base, Case, Hearing, make_session_factory
    from models.migrate import upgrade_database
    from search_app.auth.passwords import hash_password

    with make_session_factory(engine)() as db:
        try:
            have = (db.scalar(select(func.count(Case.id))) or 0, db.scalar(select(func.count(Hearing.id))) or 0)
        except Exception:  # no tables yet
            db.rollback()
            have = (0, 0)
    if rebuild or have != (world.cases, world.hearings):
        Base.metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade_database(engine)
        world.password_hash = hash_password(PASSWORD)
        started = time.perf_counter()
        build(engine, world, as_of)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        print(f"built {world.cases:,} cases and {world.hearings:,} hearings in {time.perf_counter() - started:.0f} s")
    else:
        upgrade_database(engine)
        print(f"reusing {have[0]:,} cases and {have[1]:,} hearings")


def _enrol(factory: Any, usernames: list[str]) -> None:
    """Give the bench's supervisors the bench TOTP secret (enrolled, no code used yet)."""
    from sqlalchemy import update

    from models import User, utcnow

    with factory() as db:
        db.execute(update(User).where(User.username.in_(usernames))
                   .values(mfa_secret=BENCH_TOTP_SECRET, mfa_enabled_at=utcnow(), mfa_last_step=0))
        db.commit()


def login(base: str, username: str) -> Any:
    """A cookie-keeping opener logged in as ``username``: the password, then the one-time code when the
    app asks for it (urllib, like a browser without scripts)."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    import pyotp

    csrf = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    token = csrf.search(page)
    form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    answer = opener.open(f"{base}/login", data=urllib.parse.urlencode(form).encode(), timeout=30)
    if answer.geturl().split("?")[0].endswith("/login/mfa"):
        token = csrf.search(answer.read().decode())
        form = {"code": pyotp.TOTP(BENCH_TOTP_SECRET).now(), "csrf_token": token.group(1) if token else ""}
        opener.open(f"{base}/login/mfa", data=urllib.parse.urlencode(form).encode(), timeout=30).read()
    if "/login" in opener.open(f"{base}/monitoring/", timeout=30).geturl():
        raise RuntimeError(f"bench login as {username} failed")
    return opener


def _floor(factory: Any, username: str, dashboard: str, as_of: date) -> Callable[[], None]:
    """The figures of one dashboard with the user's scope, without the app."""
    from models import User
    from monitoring.figures import FigureQuery, compute, dashboard_figures
    from search_app.auth.scope import Scope, scoped_cases
    from search_app.views.monitoring_model import add_months, month_end

    with factory() as db:
        user = db.scalar(select(User).where(User.username == username))
        scope = Scope.of(user)
        district = None if user.all_districts else next(iter(user.district_ids))
        dialect = db.get_bind().dialect.name
    end = as_of.replace(day=1)
    q = FigureQuery(as_of, add_months(end, -11), month_end(end), district, None, dialect,
                    restrict=lambda stmt: scoped_cases(stmt, scope))

    def run() -> None:
        with factory() as db:
            for figure in dashboard_figures(dashboard):
                compute(db, figure, q)

    return run


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 cases and 100,000 hearings, 3 repetitions")
    parser.add_argument("--reps", type=int, default=None)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    reps = args.reps or (3 if args.quick else 5)
    world = QUICK if args.quick else FULL

    from models import make_engine, make_session_factory, utcnow
    from scheduling.timezone import local_today

    as_of = local_today(utcnow())
    settings = _settings(args.database_url)
    engine = make_engine(settings.sqlalchemy_url)
    _prepare(engine, world, args.rebuild, as_of)
    factory = make_session_factory(engine)
    base, stop = serve(settings)
    users = {"district": "seed_s1", "province": "seed_head"}
    _enrol(factory, list(users.values()))
    openers = {who: login(base, name) for who, name in users.items()}
    runners: dict[str, Callable[[], Any]] = {}
    for who, opener in openers.items():
        for dashboard in DASHBOARDS:
            url = f"{base}/monitoring/{dashboard}"
            runners[f"{who:<8} {dashboard:<9} app"] = lambda o=opener, u=url: o.open(u, timeout=120).read()
            runners[f"{who:<8} {dashboard:<9} figures alone"] = _floor(factory, users[who], dashboard, as_of)
        runners[f"{who:<8} oversight caseload (baseline)"] = (
            lambda o=opener: o.open(f"{base}/oversight/caseload", timeout=120).read())
    try:
        for runner in runners.values():  # warm-up: caches, connection pool, query plans
            runner()
        times: dict[str, list[float]] = {name: [] for name in runners}
        for _ in range(reps):
            for name, runner in runners.items():
                times[name].append(_timed(runner))
    finally:
        stop()
    print(f"\n{world.cases:,} cases, {world.hearings:,} hearings, {world.districts} districts; "
          f"{engine.dialect.name}; {reps} repetitions after a warm-up; as of {as_of.isoformat()}")
    for name, values in times.items():
        print(line(name, values))
    print("\nTargets (median through the app): district < 1000 ms, province < 3000 ms")
    for who, limit in (("district", 1000.0), ("province", 3000.0)):
        for dashboard in DASHBOARDS:
            median = statistics.median(times[f"{who:<8} {dashboard:<9} app"])
            p95 = percentile(times[f"{who:<8} {dashboard:<9} app"], 95)
            verdict = "met" if median < limit else "MISSED"
            print(f"  {who:<8} {dashboard:<9} {median:8.1f} ms (p95 {p95:8.1f})  {verdict}")
    engine.dispose()


if __name__ == "__main__":
    main()
