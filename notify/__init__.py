"""Notifications for users, Flask-free, so any area (web views, workers, the reminder program) can
notify: ``notify(db, user_id, kind, subject, body, link, key=...)`` creates an in-app notification
and, by the user's preferences, an e-mail sent at once or in the daily digest.

- ``notify.service``: ``notify``, ``unread_count``, ``visible_condition`` (what a user is shown);
- ``notify.kinds``: kinds and default e-mail modes as data (``data/kinds.toml``);
- ``notify.sender`` / ``notify.mailer``: SMTP delivery, claimed once (no e-mail twice);
- ``notify.reminders``: reminder sources (hearing tomorrow, missing next date, deadlines due);
- ``notify.deadlines``: the interface deadline providers (the case file's statutory deadlines) plug into;
- ``notify.runner``: one tick of ``cmms reminders``.
"""

from notify.service import notify, unread_count, visible_condition

__all__ = ["notify", "unread_count", "visible_condition"]
