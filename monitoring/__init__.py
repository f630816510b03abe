"""Monitoring (issue 12): peer review of case files and the supervisors' figures, free of Flask.

Modules, one job each:

- ``checklists``: the review checklist per stage, severities and answer kinds (``data/review.toml``);
- ``review``: the peer-review rules (who reviews, who answers, who signs off; the steps), pure;
- ``service``: review actions over the SQL models (assign, rotation, checklist, findings, answers,
  sign-off), with history rows and notifications (``notify``);
- ``sqlfn``: small SQL expressions that read the same on SQLite and PostgreSQL (week, month, section);
- ``indicator``: the UN result-chain indicator for prosecution files (``data/indicator.toml``);
- ``figures``: every dashboard figure as one SQL aggregate and its drill-down to the cases behind it;
- ``exports``: the figures as CSV and XLSX.

Errors are ``monitoring.review.ReviewRefused`` (a ``casework.errors.CaseRuleError``: code + message).
"""
