"""Scheduling rules of the hearings calendar (issue 11), free of Flask (``store`` is the database side).

- ``vocab``: hearing vocabularies as data (sessions, purposes, results, adjournment reasons, who
  asked, court kinds) from ``data/hearings.toml``; court days are the one court calendar of
  ``casework.court_calendar`` (shared with statutory deadlines);
- ``timezone``: Asia/Karachi at the edges, UTC inside;
- ``conflicts``: warnings (prosecutor in two courts in one session, a witness in two courts on one
  day, a court holiday, a date already past) that a person may override with a recorded reason;
- ``discipline``: the next-date rule (CrPC s.344) and the UN next-appearance-date indicator;
- ``hearing_input``: validation of a hearing or its outcome as a clerk types it;
- ``periods``: the day, week, month and agenda ranges the calendar shows;
- ``ical``: RFC 5545 feeds built with the ``icalendar`` library;
- ``store``: loading and saving over SQLAlchemy; ``in_scope`` applies districts and the sealed-case
  rule to every calendar query; summonses are entries of the case file's witness register.
"""
