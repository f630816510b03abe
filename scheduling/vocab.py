"""Hearing vocabularies as data (``data/hearings.toml``): each term has a stored code and a label.

``vocabulary()`` loads the file once per process. Raises ``VocabularyError`` when the file is
inconsistent (a session without hours, a list without terms), at load time. Court days (closed
weekdays, public holidays) are not vocabulary: they are the one court calendar of
``casework.court_calendar``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import time
from functools import cache
from importlib import resources
from typing import Any


class VocabularyError(ValueError):
    """``data/hearings.toml`` is inconsistent (raised when it is loaded)."""


@dataclass(frozen=True)
class Term:
    """One entry of a list. ``flags`` holds booleans such as ``final`` or ``adjournment``."""

    code: str
    label: str
    source: str = ""
    flags: frozenset[str] = frozenset()

    def has(self, flag: str) -> bool:
        return flag in self.flags


@dataclass(frozen=True)
class SessionHours:
    """A court sitting: its code, label and conventional local hours (Asia/Karachi)."""

    code: str
    label: str
    starts: time
    ends: time


@dataclass(frozen=True)
class Vocabulary:
    sessions: dict[str, SessionHours]
    purposes: dict[str, Term]
    results: dict[str, Term]
    adjournment_reasons: dict[str, Term]
    requesters: dict[str, Term]
    court_kinds: dict[str, Term]

    def label(self, kind: str, code: str) -> str:
        """The label of ``code`` in list ``kind`` (e.g. ``purposes``); the code itself if unknown
        (hearings typed before the lists existed keep their free text)."""
        table: dict[str, Any] = getattr(self, kind)
        entry = table.get(code)
        return entry.label if entry is not None else code

    def session_of(self, local_time: time) -> str:
        """The session a local time falls in: the last session starting at or before it."""
        chosen = next(iter(self.sessions))
        for code, hours in sorted(self.sessions.items(), key=lambda item: item[1].starts):
            if hours.starts <= local_time:
                chosen = code
        return chosen


def _terms(raw: dict[str, Any], name: str) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for code, spec in dict(raw.get(name, {})).items():
        if not isinstance(spec, dict) or not spec.get("label"):
            raise VocabularyError(f"{name}.{code} needs a label")
        flags = frozenset(k for k, v in spec.items() if v is True)
        terms[code] = Term(code, str(spec["label"]), str(spec.get("source", "")), flags)
    if not terms:
        raise VocabularyError(f"the list {name!r} is empty")
    return terms


def _sessions(raw: dict[str, Any]) -> dict[str, SessionHours]:
    sessions: dict[str, SessionHours] = {}
    for code, spec in dict(raw.get("sessions", {})).items():
        try:
            sessions[code] = SessionHours(code, str(spec["label"]), time.fromisoformat(spec["starts"]),
                                          time.fromisoformat(spec["ends"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise VocabularyError(f"sessions.{code}: needs label, starts and ends as HH:MM ({exc})") from exc
        if sessions[code].ends <= sessions[code].starts:
            raise VocabularyError(f"sessions.{code} ends before it starts")
    if not sessions:
        raise VocabularyError("no court sessions defined")
    return sessions


def parse_vocabulary(raw: dict[str, Any]) -> Vocabulary:
    """A ``Vocabulary`` from the parsed TOML table (see module docstring for errors)."""
    return Vocabulary(
        sessions=_sessions(raw), purposes=_terms(raw, "purposes"), results=_terms(raw, "results"),
        adjournment_reasons=_terms(raw, "adjournment_reasons"), requesters=_terms(raw, "requesters"),
        court_kinds=_terms(raw, "court_kinds"),
    )


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (``scheduling/data/hearings.toml``), loaded once per process."""
    text = resources.files("scheduling").joinpath("data", "hearings.toml").read_text(encoding="utf-8")
    return parse_vocabulary(tomllib.loads(text))
