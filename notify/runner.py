"""One tick of the reminder program (``cmms reminders``): create due reminders, send immediate
e-mail, send the daily digests. Run it from supervisord (``cmms up`` does) or from cron; any
number of ticks, or of concurrent programs, deliver each reminder once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import utcnow
from notify.reminders import ReminderReport, run_reminders
from notify.sender import SendReport, send_digests, send_pending_emails


@dataclass
class TickReport:
    reminders: ReminderReport
    mail: SendReport

    def summary(self) -> str:
        mail = self.mail
        return (f"reminders: {self.reminders.created} new, {self.reminders.already} already sent; "
                f"e-mail: {mail.sent} sent, {mail.digests} digests, {mail.failed} failed, {mail.expired} expired")


def tick(factory: sessionmaker[Session], settings: Settings, now: datetime | None = None) -> TickReport:
    """Create due reminders, send immediate e-mail, send the digests due at ``now`` (default: now)."""
    from casework import due

    due.register()  # the case file's statutory deadlines (CrPC s.173 interim report, ...)
    now = now or utcnow()
    with factory() as db:
        reminders = run_reminders(db, settings, now)
    mail = send_pending_emails(factory, settings, now)
    send_digests(factory, settings, now, mail)
    return TickReport(reminders, mail)
