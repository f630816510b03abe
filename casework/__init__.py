"""Case-management rules of the prosecution case file, free of Flask (issue 10).

Modules, one job each:

- ``stages``: the lifecycle (stages, transitions, who may make them) from ``data/stages.toml``;
- ``court_calendar``: open and closed court days (weekly days off, gazetted and dated holidays): the
  one court calendar, used by deadlines and by the hearings calendar's warnings; ``holidays`` builds
  it from the database and enters/removes dated holidays (recomputing the deadlines they move);
- ``deadlines``: statutory deadlines as data (``data/deadlines.toml``), each with its act and section,
  computed from a case's own dates;
- ``scrutiny``: the challan scrutiny checklist (``data/objections.toml``) and the decision rules;
- ``persons``: CNIC checks and person matching (CNIC; name + father's name with Roman-Urdu spelling
  variants and Urdu script);
- ``outcomes``: judgment results per accused and their checks;
- ``fir_identity``: one stored form of an FIR's number and police station (the case form's rule, and
  the rewrite of rows saved before it, with the collisions it leaves to an administrator);
- ``registry``: read helpers over the SQL models (a case's witnesses for the calendar);
- ``due``: open deadlines as a ``notify.deadlines`` provider (reminders, diaries, calendar feeds);
- ``sealed``: who may see a sealed case, as SQL conditions (web scope, calendar, reminders);
- ``paperbook``: the court bundle PDF (index page, documents, stamped page numbers, bookmarks).

Errors are ``casework.errors.CaseRuleError`` (code + clerk-readable message, nothing saved).
"""

from casework.errors import CaseRuleError

__all__ = ["CaseRuleError"]
