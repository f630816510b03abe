"""A small calendar world for the integration tests: two districts, courts, a prosecutor per
district, a supervisor, cases and hearings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from models import Case, Court, District, Hearing, HearingWitness, NotificationPreference, PoliceStation, Role, User
from tests.mfa_support import enrol

PASSWORD = "correct horse battery staple 42"


@dataclass
class CalendarWorld:
    districts: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    courts: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)


def _hash() -> str:
    from tests.integration.web_world import _password_hash

    return _password_hash()


def build(factory: sessionmaker[Session], emails: bool = True) -> CalendarWorld:
    world = CalendarWorld()
    with factory() as db:
        peshawar, mardan = District(name="Peshawar"), District(name="Mardan")
        db.add_all([peshawar, mardan])
        db.flush()
        world.districts = {"peshawar": peshawar.id, "mardan": mardan.id}
        people = {
            "amina": User(username="amina", full_name="Amina Bibi", role=Role.PROSECUTOR, districts=[peshawar]),
            "bilal": User(username="bilal", full_name="Bilal Khan", role=Role.PROSECUTOR, districts=[mardan]),
            "chief": User(username="chief", full_name="Chief Prosecutor", role=Role.SUPERVISOR, districts=[peshawar]),
            "clerk": User(username="clerk", full_name="Clerk", role=Role.DATA_ENTRY, districts=[peshawar]),
            "admin": User(username="admin", full_name="Admin", role=Role.ADMIN, all_districts=True),
        }
        for user in people.values():
            user.password_hash = _hash()
            enrol(user)  # supervisors and administrators log in with a one-time code
        db.add_all(people.values())
        db.flush()
        world.users = {name: user.id for name, user in people.items()}
        if emails:
            for name in ("amina", "bilal", "chief"):
                db.add(NotificationPreference(user_id=people[name].id, email=f"{name}@prosecution.example"))
        courts = {
            "asj2": Court(district_id=peshawar.id, name="Additional Sessions Judge-II, Peshawar",
                          kind="additional_sessions"),
            "jm1": Court(district_id=peshawar.id, name="Judicial Magistrate-I, Peshawar", kind="judicial_magistrate"),
            "atc": Court(district_id=mardan.id, name="Anti-Terrorism Court, Mardan", kind="atc"),
        }
        db.add_all(courts.values())
        station_p = PoliceStation(name="Saddar", district_id=peshawar.id)
        station_m = PoliceStation(name="City", district_id=mardan.id)
        db.add_all([station_p, station_m])
        db.flush()
        world.courts = {name: court.id for name, court in courts.items()}
        cases = {
            "p1": Case(fir_number="101", fir_year=2025, police_station_id=station_p.id, district_id=peshawar.id,
                       title="State v. Gul Khan", stage="charge_framed", assigned_prosecutor_id=people["amina"].id),
            "p2": Case(fir_number="202", fir_year=2025, police_station_id=station_p.id, district_id=peshawar.id,
                       title="State v. Sher Ali", stage="charge_framed", assigned_prosecutor_id=people["amina"].id),
            "m1": Case(fir_number="303", fir_year=2025, police_station_id=station_m.id, district_id=mardan.id,
                       title="State v. Zarghun", stage="charge_framed", assigned_prosecutor_id=people["bilal"].id),
        }
        db.add_all(cases.values())
        db.commit()
        world.cases = {name: case.id for name, case in cases.items()}
    return world


def add_hearing(factory: sessionmaker[Session], world: CalendarWorld, case: str, day: date, court: str = "asj2",
                session: str = "morning", purpose: str = "prosecution_evidence", result: str = "",
                next_date: date | None = None, witnesses: tuple[tuple[str, str], ...] = ()) -> int:
    with factory() as db:
        court_row = db.get(Court, world.courts[court])
        assert court_row is not None
        case_row = db.get(Case, world.cases[case])
        assert case_row is not None
        hearing = Hearing(case_id=case_row.id, scheduled_for=day, session=session, court_id=court_row.id,
                          court=court_row.name, purpose=purpose, prosecutor_id=case_row.assigned_prosecutor_id,
                          result=result, next_date=next_date,
                          witnesses=[HearingWitness(name=n, cnic=c) for n, c in witnesses])
        db.add(hearing)
        db.commit()
        return hearing.id


def court_day(after: date, weekday: int = 2) -> date:
    """The first ``weekday`` (default Wednesday) after ``after`` on which the courts sit (the court
    calendar's closed weekdays and fixed public holidays), so tests that schedule through the forms
    meet no holiday warning whatever today's date is."""
    from datetime import timedelta

    from casework.court_calendar import default_calendar

    calendar = default_calendar()
    day = after + timedelta(days=(weekday - after.weekday()) % 7 or 7)
    while not calendar.is_open(day):
        day += timedelta(days=7)
    return day
