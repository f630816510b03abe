"""Delivering notification e-mail, once: immediate messages and the daily digest.

Each e-mail is *claimed* before it is sent: an UPDATE that moves it from ``pending`` to ``sending``
succeeds for exactly one sender, and is committed before the SMTP conversation. Two senders running
at once (or the same sender run twice) therefore never send the same notification twice. A sender
that dies between claiming and recording the result leaves ``sending``; after
``CMMS_EMAIL_STALE_CLAIM_S`` the message is tried again. That one window (the server accepted the
message, the process died before writing ``sent``) is the only way a message can arrive twice; it
then carries the same Message-ID, so mail clients show it once.

A digest is claimed by inserting its (user, local day) row, which the unique constraint allows once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from i18n.reader import Reader, reader_for
from models import Notification, NotificationDigest, NotificationPreference, User, utcnow
from notify.mailer import MailError, SmtpMailer, build_message, mail_enabled
from notify.service import visible_condition
from scheduling.timezone import as_utc, to_local

log = logging.getLogger(__name__)
BATCH = 200
DIGEST_MAX_ITEMS = 200


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    expired: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)


def _text(settings: Settings, note: Notification, reader: Reader) -> str:
    """The e-mail of one notification, in the recipient's language (the subject and body were written
    in it when the notification was made)."""
    lines = [note.subject, ""]
    if note.body:
        lines += [note.body, ""]
    if note.link:
        address = f"{settings.base_url}{note.link}"
        lines += [reader.gettext("Open: %(url)s", url=address), ""]
    preferences = f"{settings.base_url}/notifications/preferences"
    lines.append(reader.gettext("You receive this because of your notification settings in CMMS (%(url)s).",
                                url=preferences))
    return "\n".join(lines)


def _expire_old(db: Session, settings: Settings, now: datetime) -> int:
    cutoff = now - timedelta(hours=settings.email_max_age_h)
    result = db.execute(update(Notification).where(
        Notification.email_status.in_(("pending", "digest")), Notification.created_at < cutoff,
    ).values(email_status="expired", email_error="not delivered in time; see it in the app"))
    db.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _claimable(settings: Settings, now: datetime) -> ColumnElement[bool]:
    stale = now - timedelta(seconds=settings.email_stale_claim_s)
    return or_(Notification.email_status == "pending",
               and_(Notification.email_status == "sending", Notification.email_claimed_at < stale))


def _claim(db: Session, settings: Settings, note_id: int, now: datetime) -> bool:
    result = db.execute(update(Notification).where(Notification.id == note_id, _claimable(settings, now)).values(
        email_status="sending", email_claimed_at=now, email_attempts=Notification.email_attempts + 1))
    db.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


def _still_visible(db: Session, user: User, note_id: int) -> bool:
    """Whether ``user`` may still see notification ``note_id`` (``notify.service.visible_condition``):
    a case sealed or moved out of their districts since is not e-mailed."""
    return db.scalar(select(Notification.id).where(Notification.id == note_id, visible_condition(user))) is not None


def _deliver_one(db: Session, settings: Settings, mailer: SmtpMailer, note_id: int, now: datetime,
                 report: SendReport) -> None:
    if not _claim(db, settings, note_id, now):
        return  # another sender has it, or it was sent meanwhile
    note = db.get(Notification, note_id)
    preference = db.get(NotificationPreference, note.user_id) if note else None
    if note is None or preference is None or not preference.email:
        if note is not None:
            note.email_status, note.email_error = "none", "no e-mail address"
            db.commit()
        return
    user = db.get(User, note.user_id)
    if user is None or not _still_visible(db, user, note.id):
        note.email_status, note.email_error = "withheld", "the user no longer reads the case it names"
        db.commit()
        return
    try:
        reader = reader_for(user)
        mailer.send(build_message(settings, preference.email, note.subject, _text(settings, note, reader),
                                  f"cmms-notification-{note.id}"))
    except MailError as exc:
        note.email_error = str(exc)[:300]
        note.email_status = "failed" if note.email_attempts >= settings.email_max_attempts else "pending"
        report.failed += 1
        report.errors.append(note.email_error)
    else:
        note.email_status, note.emailed_at, note.email_error = "sent", utcnow(), ""
        report.sent += 1
    db.commit()


def send_pending_emails(factory: sessionmaker[Session], settings: Settings, now: datetime | None = None,
                        report: SendReport | None = None) -> SendReport:
    """Send every notification e-mail that is due (``pending``, or ``sending`` with a stale claim)."""
    report = report or SendReport()
    now = as_utc(now or utcnow())
    if not mail_enabled(settings):
        return report
    with factory() as db:
        report.expired += _expire_old(db, settings, now)
        ids = list(db.scalars(select(Notification.id).where(_claimable(settings, now))
                              .order_by(Notification.id).limit(BATCH)))
        if not ids:
            return report
        try:
            with SmtpMailer(settings) as mailer:
                for note_id in ids:
                    _deliver_one(db, settings, mailer, note_id, now, report)
        except MailError as exc:  # the server could not be reached: nothing claimed stays claimed long
            log.warning("notification e-mail: %s", exc)
            report.errors.append(str(exc))
    return report


def _digest_text(settings: Settings, day: date, notes: Sequence[Notification], reader: Reader) -> str:
    fmt = reader.format
    lines = [reader.gettext("Your CMMS notifications for %(day)s (%(n)s):", day=fmt.date(day),
                            n=fmt.number(len(notes))), ""]
    for note in notes:
        lines.append(f"- {note.subject} ({fmt.datetime(to_local(note.created_at), 'short')})")
        if note.link:
            lines.append(f"  {settings.base_url}{note.link}")
    preferences = f"{settings.base_url}/notifications/preferences"
    lines += ["", reader.gettext("Change what you receive: %(url)s", url=preferences)]
    return "\n".join(lines)


def _claim_digest(db: Session, settings: Settings, user_id: int, day: date, now: datetime) -> int | None:
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = db.execute(insert(NotificationDigest).values(
        user_id=user_id, day=day, status="sending", items=0, claimed_at=now, error="",
    ).on_conflict_do_nothing(index_elements=["user_id", "day"]).returning(NotificationDigest.id)).scalar()
    db.commit()
    if inserted is not None:
        return int(inserted)
    stale = now - timedelta(seconds=settings.email_stale_claim_s)
    retaken = db.execute(update(NotificationDigest).where(
        NotificationDigest.user_id == user_id, NotificationDigest.day == day,
        NotificationDigest.status == "sending", NotificationDigest.claimed_at < stale,
    ).values(claimed_at=now).returning(NotificationDigest.id)).scalar()
    db.commit()
    return int(retaken) if retaken is not None else None


def _send_digest(db: Session, settings: Settings, mailer: SmtpMailer, user: User, address: str, day: date,
                 now: datetime, report: SendReport) -> None:
    waiting = and_(Notification.user_id == user.id, Notification.email_status == "digest",
                   Notification.created_at <= now)
    db.execute(update(Notification).where(waiting, Notification.id.not_in(select(Notification.id).where(
        visible_condition(user)))).values(email_status="withheld",
                                          email_error="the user no longer reads the case it names"))
    db.commit()
    if db.scalar(select(Notification.id).where(waiting).limit(1)) is None:
        return  # everything waiting named cases the user no longer reads: no empty digest
    digest_id = _claim_digest(db, settings, user.id, day, now)
    if digest_id is None:
        return
    digest = db.get(NotificationDigest, digest_id)
    assert digest is not None
    notes = list(db.scalars(select(Notification).where(waiting).order_by(
        Notification.created_at, Notification.id).limit(DIGEST_MAX_ITEMS)))
    reader = reader_for(user)
    subject = reader.gettext("CMMS daily digest: %(n)s notification(s)", n=reader.format.number(len(notes)))
    try:
        mailer.send(build_message(settings, address, subject, _digest_text(settings, day, notes, reader),
                                  f"cmms-digest-{user.id}-{day.isoformat()}"))
    except MailError as exc:
        digest.status, digest.error = "failed", str(exc)
        report.failed += 1
        report.errors.append(str(exc))
    else:
        for note in notes:
            note.email_status, note.emailed_at = "digested", now
        digest.status, digest.sent_at, digest.items = "sent", now, len(notes)
        report.digests += 1
    db.commit()


def send_digests(factory: sessionmaker[Session], settings: Settings, now: datetime | None = None,
                 report: SendReport | None = None) -> SendReport:
    """Send each user's daily digest once per local day, from their digest hour on (Asia/Karachi)."""
    report = report or SendReport()
    now = as_utc(now or utcnow())
    if not mail_enabled(settings):
        return report
    local = to_local(now)
    with factory() as db:
        waiting = list(db.execute(
            select(User, NotificationPreference).join(NotificationPreference, NotificationPreference.user_id == User.id)
            .where(User.id.in_(select(Notification.user_id).where(Notification.email_status == "digest")))
        ).tuples())
        due = [(user, pref) for user, pref in waiting if pref.email and local.hour >= pref.digest_hour]
        if not due:
            return report
        try:
            with SmtpMailer(settings) as mailer:
                for user, pref in due:
                    _send_digest(db, settings, mailer, user, pref.email, local.date(), now, report)
        except MailError as exc:
            log.warning("digest e-mail: %s", exc)
            report.errors.append(str(exc))
    return report
