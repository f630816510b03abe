"""Reminders through a real SMTP server on loopback (aiosmtpd): the day before a hearing, missing
next dates, deadlines from a plugged-in provider, preferences, the daily digest; each sent once even
when the sender runs twice, concurrently, after an SMTP refusal, or after a sender died mid-way.
On SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from config.settings import SmtpSecurity
from models import Notification, NotificationPreference, make_session_factory
from models.migrate import upgrade_database
from notify import notify
from notify.deadlines import DueDeadline, register_deadline_provider, unregister_deadline_provider
from notify.runner import tick
from tests.integration.calendar.smtp_server import Inbox, smtp_inbox
from tests.integration.calendar.world import CalendarWorld, add_hearing, build

__all__ = ["smtp_inbox"]

# Tuesday 8 December 2026, 10:00 in Karachi (05:00 UTC): tomorrow is the 9th.
NOW = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)
TOMORROW = date(2026, 12, 9)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def factory(request: pytest.FixtureRequest, session_factory: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    if request.param == "sqlite":
        yield session_factory
        return
    engine: Engine = request.getfixturevalue("postgres_engine")
    upgrade_database(engine)
    yield make_session_factory(engine)


@pytest.fixture
def mail_settings(settings: Settings, smtp_inbox: tuple[Inbox, int]) -> Settings:
    _, port = smtp_inbox
    return settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": SmtpSecurity.NONE,
        "public_url": "https://cmms.test", "mail_from": "CMMS <cmms@prosecution.example>"})


@pytest.fixture
def world(factory: sessionmaker[Session]) -> CalendarWorld:
    return build(factory)


def notifications(factory: sessionmaker[Session]) -> list[Notification]:
    with factory() as db:
        return list(db.scalars(select(Notification).order_by(Notification.id)))


def test_day_before_and_missing_outcome_are_mailed_once_even_when_run_twice(
        factory: sessionmaker[Session], world: CalendarWorld, mail_settings: Settings,
        smtp_inbox: tuple[Inbox, int]) -> None:
    inbox, _ = smtp_inbox
    tomorrow_p = add_hearing(factory, world, "p1", TOMORROW, court="asj2")
    add_hearing(factory, world, "m1", TOMORROW, court="atc")
    add_hearing(factory, world, "p2", date(2026, 12, 10), court="asj2")            # not tomorrow
    past = add_hearing(factory, world, "p2", date(2026, 12, 5), court="jm1")       # no outcome recorded
    add_hearing(factory, world, "p1", date(2026, 12, 4), result="adjourned", next_date=TOMORROW)  # in order

    first = tick(factory, mail_settings, NOW)
    second = tick(factory, mail_settings, NOW + timedelta(minutes=5))

    assert (first.reminders.created, second.reminders.created) == (4, 0)  # amina x2, bilal, chief (digest)
    assert second.reminders.already == 4 and second.mail.sent == 0
    by_person = sorted(zip(inbox.to(), inbox.subjects(), strict=True))
    assert by_person == [
        ("amina@prosecution.example", "Hearing tomorrow: FIR 101/2025, PS Saddar before Additional Sessions Judge-II, "
                                      "Peshawar"),
        ("amina@prosecution.example", "No outcome recorded: FIR 202/2025, PS Saddar, hearing of 05 Dec 2026"),
        ("bilal@prosecution.example", "Hearing tomorrow: FIR 303/2025, PS City before Anti-Terrorism Court, Mardan"),
        ("chief@prosecution.example", "CMMS daily digest: 1 notification(s)"),   # supervisors: digest by default
    ]
    hearing_mail = next(m for m in inbox.messages if "Hearing tomorrow: FIR 101" in str(m["Subject"]))
    text = hearing_mail.get_content()
    assert f"https://cmms.test/hearings/{tomorrow_p}" in text and "morning session" in text
    assert hearing_mail["Message-ID"].startswith("<cmms-notification-")
    digest = next(m for m in inbox.messages if "digest" in str(m["Subject"]))
    assert f"https://cmms.test/hearings/{past}/outcome" in digest.get_content()
    statuses = sorted((n.kind, n.email_status) for n in notifications(factory))
    assert statuses == [("hearing_tomorrow", "sent"), ("hearing_tomorrow", "sent"),
                        ("next_date_missing", "digested"), ("next_date_missing", "sent")]


def test_two_senders_at_once_deliver_each_message_once(
        factory: sessionmaker[Session], world: CalendarWorld, mail_settings: Settings,
        smtp_inbox: tuple[Inbox, int]) -> None:
    inbox, _ = smtp_inbox
    for day in range(5):  # five hearings tomorrow and five missing outcomes
        add_hearing(factory, world, "p1", TOMORROW, court="asj2", session="morning" if day % 2 else "evening")
        add_hearing(factory, world, "p2", date(2026, 12, 1) + timedelta(days=day), court="jm1")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            tick(factory, mail_settings, NOW)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    amina = [s for t, s in zip(inbox.to(), inbox.subjects(), strict=True) if t.startswith("amina")]
    assert len(amina) == 10 and len(set(amina)) == 6  # 5 identical "tomorrow" subjects (5 hearings) + 5 distinct
    ids = [m["X-CMMS-Message"] for m in inbox.messages]
    assert len(ids) == len(set(ids)), "a notification was e-mailed twice"
    assert len(notifications(factory)) == 15  # amina 10, chief 5 (digest)


def test_smtp_refusal_is_retried_then_sent_once(
        factory: sessionmaker[Session], world: CalendarWorld, mail_settings: Settings,
        smtp_inbox: tuple[Inbox, int]) -> None:
    inbox, _ = smtp_inbox
    add_hearing(factory, world, "p1", TOMORROW)
    inbox.refuse = True
    refused = tick(factory, mail_settings, NOW)
    assert refused.mail.failed == 1 and inbox.messages == []
    [note] = [n for n in notifications(factory) if n.kind == "hearing_tomorrow"]
    assert (note.email_status, note.email_attempts) == ("pending", 1) and "451" in note.email_error
    inbox.refuse = False
    tick(factory, mail_settings, NOW + timedelta(minutes=5))
    tick(factory, mail_settings, NOW + timedelta(minutes=10))
    assert inbox.subjects() == ["Hearing tomorrow: FIR 101/2025, PS Saddar before Additional Sessions Judge-II, "
                                "Peshawar"]


def test_claim_of_a_dead_sender_is_taken_over_but_a_live_claim_is_not(
        factory: sessionmaker[Session], world: CalendarWorld, mail_settings: Settings,
        smtp_inbox: tuple[Inbox, int]) -> None:
    inbox, _ = smtp_inbox
    with factory() as db:
        dead = notify(db, world.users["amina"], "hearing_tomorrow", "claimed by a sender that died", key="a")
        live = notify(db, world.users["amina"], "hearing_tomorrow", "claimed by a sender still at work", key="b")
        db.execute(update(Notification).where(Notification.id == dead).values(
            email_status="sending", email_claimed_at=NOW - timedelta(hours=1), created_at=NOW))
        db.execute(update(Notification).where(Notification.id == live).values(
            email_status="sending", email_claimed_at=NOW - timedelta(seconds=5), created_at=NOW))
        db.commit()
    tick(factory, mail_settings, NOW)
    assert inbox.subjects() == ["claimed by a sender that died"]


def test_preferences_off_and_digest_and_no_address(
        factory: sessionmaker[Session], world: CalendarWorld, mail_settings: Settings,
        smtp_inbox: tuple[Inbox, int]) -> None:
    inbox, _ = smtp_inbox
    with factory() as db:
        db.get(NotificationPreference, world.users["amina"]).modes = {"hearing_tomorrow": "off"}  # type: ignore[union-attr]
        db.get(NotificationPreference, world.users["bilal"]).modes = {"hearing_tomorrow": "digest"}  # type: ignore[union-attr]
        db.get(NotificationPreference, world.users["bilal"]).digest_hour = 18  # type: ignore[union-attr]
        db.commit()
    add_hearing(factory, world, "p1", TOMORROW)
    add_hearing(factory, world, "m1", TOMORROW, court="atc")
    tick(factory, mail_settings, NOW)  # 10:00 in Karachi: bilal's digest is due at 18:00
    assert inbox.messages == []
    assert sorted(n.email_status for n in notifications(factory)) == ["digest", "none"]  # in the app all the same
    tick(factory, mail_settings, NOW + timedelta(hours=8))  # 18:00
    tick(factory, mail_settings, NOW + timedelta(hours=9))  # the digest is sent once a day
    assert inbox.to() == ["bilal@prosecution.example"] and "digest" in inbox.subjects()[0]


def test_deadlines_come_from_a_registered_provider(
        factory: sessionmaker[Session], world: CalendarWorld, mail_settings: Settings,
        smtp_inbox: tuple[Inbox, int]) -> None:
    inbox, _ = smtp_inbox
    seen: list[tuple[date, date]] = []

    def provider(db: Session, first: date, last: date) -> list[DueDeadline]:
        seen.append((first, last))
        due = date(2026, 12, 10)
        if not first <= due <= last:
            return []
        return [DueDeadline(key=f"s173-interim:case-{world.cases['p1']}", case_id=world.cases["p1"],
                            district_id=world.districts["peshawar"], title="Interim report, FIR 101/2025",
                            due_on=due, user_ids=(world.users["amina"],), source="CrPC s.173(1) proviso")]

    register_deadline_provider(provider)
    try:
        tick(factory, mail_settings, NOW)
        tick(factory, mail_settings, NOW + timedelta(hours=1))
    finally:
        unregister_deadline_provider(provider)
    assert seen[0] == (date(2026, 12, 8), date(2026, 12, 10))  # today .. today + CMMS_DEADLINE_REMINDER_DAYS
    assert inbox.subjects() == ["Deadline Thursday 10 Dec 2026: Interim report, FIR 101/2025"]
    assert "CrPC s.173(1) proviso" in inbox.messages[0].get_content()


def test_the_reminder_program_runs_as_a_command(
        session_factory: sessionmaker[Session], settings: Settings, smtp_inbox: tuple[Inbox, int]) -> None:
    """``cmms reminders --once`` (what cron or supervisord runs) against the test database."""
    inbox, port = smtp_inbox
    world = build(session_factory)
    from scheduling.timezone import local_today

    tomorrow = local_today(datetime.now(UTC)) + timedelta(days=1)
    add_hearing(session_factory, world, "p1", tomorrow)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMMS_")}
    env.update({"CMMS_ENVIRONMENT": "test", "CMMS_VAR_DIR": str(settings.var_dir), "CMMS_SMTP_HOST": "127.0.0.1",
                "CMMS_SMTP_PORT": str(port), "CMMS_SMTP_SECURITY": "none", "CMMS_SECRET_KEY": settings.secret_key})
    cmms = Path(sys.executable).parent / "cmms"
    for _ in range(2):
        done = subprocess.run([str(cmms), "reminders", "--once"], env=env, capture_output=True, text=True,
                              timeout=120, cwd=settings.var_dir)
        assert done.returncode == 0, done.stdout + done.stderr
    assert "reminders: 0 new, 1 already sent" in done.stdout
    assert inbox.to() == ["amina@prosecution.example"]


def test_notify_refuses_unknown_kinds_and_skips_inactive_users(factory: sessionmaker[Session],
                                                               world: CalendarWorld) -> None:
    from models import User
    from notify.kinds import UnknownKind

    with factory() as db:
        with pytest.raises(UnknownKind, match=r"kinds\.toml"):
            notify(db, world.users["amina"], "gossip", "x")
        db.get(User, world.users["bilal"]).is_active = False  # type: ignore[union-attr]
        db.commit()
        assert notify(db, world.users["bilal"], "deadline_due", "x", key="k") is None
        first = notify(db, world.users["amina"], "deadline_due", "x", key="k")
        assert first is not None and notify(db, world.users["amina"], "deadline_due", "x", key="k") is None
        db.commit()


def test_an_s173_interim_report_coming_due_is_mailed_once(
        factory: sessionmaker[Session], world: CalendarWorld, mail_settings: Settings,
        smtp_inbox: tuple[Inbox, int]) -> None:
    """The case file's statutory deadlines reach the reminders with no test provider: ``tick`` plugs in
    ``casework.due``. An FIR of Sunday 22 November 2026 makes the CrPC s.173(1) interim report due 17
    days later, Wednesday 9 December; on the 8th it is coming due (CMMS_DEADLINE_REMINDER_DAYS = 2)."""
    from casework import service
    from models import Case, CaseDeadline

    fir = date(2026, 11, 22)
    with factory() as db:
        case = db.get(Case, world.cases["p1"])
        assert case is not None
        case.fir_date, case.stage = fir, "under_investigation"  # type: ignore[assignment]
        service.record_initial_stage(db, case, service.Actor(world.users["amina"], "prosecutor"), fir)
        service.sync_deadlines(db, case)
        db.commit()
        due = db.scalar(select(CaseDeadline.due_on).where(CaseDeadline.case_id == case.id,
                                                          CaseDeadline.rule_id == "crpc_173_interim_report"))
        assert due == date(2026, 12, 9)

    tick(factory, mail_settings, NOW - timedelta(days=2))  # the 6th: not yet within two days
    assert smtp_inbox[0].messages == []
    for later in (NOW, NOW + timedelta(hours=3), NOW + timedelta(days=1)):  # run again, and the next day
        tick(factory, mail_settings, later)
    inbox, _ = smtp_inbox
    assert inbox.to() == ["amina@prosecution.example"]
    assert inbox.subjects() == ["Deadline Wednesday 09 Dec 2026: Interim report through the Public Prosecutor, "
                                "FIR 101/2025, PS Saddar"]
    body = inbox.messages[0].get_content()
    assert "Code of Criminal Procedure, 1898 s.173(1), proviso" in body
    [note] = [n for n in notifications(factory) if n.kind == "deadline_due"]
    assert note.user_id == world.users["amina"] and note.link == f"/cases/{world.cases['p1']}#deadlines"

    # met (the interim report went in): no reminder for it any more, even on a later tick
    with factory() as db:
        case = db.get(Case, world.cases["p1"])
        assert case is not None
        service.move(db, case, "interim_report", service.Actor(world.users["amina"], "prosecutor"),
                     date(2026, 12, 8), today=date(2026, 12, 8))
        db.commit()
    from casework.due import case_deadlines_due

    with factory() as db:
        assert case_deadlines_due(db, date(2026, 12, 1), date(2026, 12, 31)) == []


def test_a_case_sealed_after_the_reminder_is_not_mailed(
        factory: sessionmaker[Session], world: CalendarWorld, mail_settings: Settings,
        smtp_inbox: tuple[Inbox, int]) -> None:
    """The e-mail waits for the sender (immediate) or for the digest; if the case is sealed meanwhile
    and the user no longer reads it, it is withheld, never sent (and no empty digest goes out)."""
    from models import Case

    inbox, _ = smtp_inbox
    with factory() as db:
        db.get(NotificationPreference, world.users["chief"]).modes = {"deadline_due": "digest"}  # type: ignore[union-attr]
        for user in ("amina", "chief"):
            notify(db, world.users[user], "deadline_due", "Deadline: FIR 101/2025", key="d1", now=NOW,
                   case_id=world.cases["p1"], link=f"/cases/{world.cases['p1']}")
        notify(db, world.users["amina"], "deadline_due", "About no case", key="d2", now=NOW)
        case = db.get(Case, world.cases["p1"])
        assert case is not None
        case.sealed, case.assigned_prosecutor_id = True, None  # amina is no longer its prosecutor
        db.commit()
    with factory() as db:  # the supervisor of the district still reads it; here she has no digest due yet
        db.execute(update(NotificationPreference).where(NotificationPreference.user_id == world.users["chief"])
                   .values(digest_hour=0))
        db.execute(update(Case).where(Case.id == world.cases["p1"]).values(district_id=world.districts["mardan"]))
        db.commit()  # ... and then the case moves to Mardan: the Peshawar supervisor no longer reads it either
    tick(factory, mail_settings, NOW)
    assert inbox.subjects() == ["About no case"]
    statuses = {(n.user_id, n.subject): n.email_status for n in notifications(factory)}
    assert statuses[(world.users["amina"], "Deadline: FIR 101/2025")] == "withheld"
    assert statuses[(world.users["chief"], "Deadline: FIR 101/2025")] == "withheld"
