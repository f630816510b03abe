"""``cmms reminders``: the reminder program (under supervisord with ``cmms up``, or from cron with
``--once``). Each tick creates due reminders, sends immediate e-mail and the daily digests; running
it twice, or two of it at once, still delivers each reminder once (see ``notify.sender``)."""

from __future__ import annotations

import logging
import time

import click

from config import get_settings
from models import make_engine, make_session_factory

log = logging.getLogger(__name__)


@click.command("reminders")
@click.option("--every", type=float, default=None,
              help="Seconds between ticks (default CMMS_REMINDER_INTERVAL_S); runs until stopped.")
@click.option("--once", is_flag=True, help="One tick, then exit (for cron).")
def reminders_command(every: float | None, once: bool) -> None:
    """Create due reminders (hearing tomorrow, missing next date, deadlines) and send e-mail."""
    from notify.runner import tick

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    factory = make_session_factory(make_engine(settings.sqlalchemy_url))
    if once:
        click.echo(tick(factory, settings).summary())
        return
    interval = every or settings.reminder_interval_s
    while True:  # supervisord keeps this process up; a failed tick is logged and tried again
        started = time.monotonic()
        try:
            log.info("%s", tick(factory, settings).summary())
        except Exception:
            log.exception("reminder tick failed")
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
