"""Reading and checking the case form (pure functions over the submitted fields; messages in the reader's
language through Flask-Babel, English outside a request).

Statute sections are stored as normalised legalrefs keys ("PPC 302(b)"), so searching and linking
compare like with like; a piece legalrefs does not recognise is kept as typed and reported back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext

from casework.fir_identity import station_name
from i18n.languages import to_western_digits
from models import CaseStage, PartyRole

_FIR_NUMBER = re.compile(r"^[0-9\u06F0-\u06F9]{1,10}(?:[-/][A-Za-z0-9]{1,5})?$")


class CaseFormError(ValueError):
    """The form has mistakes; ``errors`` maps field name to a message for the clerk."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class PartyInput:
    name: str
    role: PartyRole
    cnic: str = ""
    father_name: str = ""


@dataclass(frozen=True)
class CaseInput:
    fir_number: str
    fir_year: int
    police_station: str
    district_id: int
    title: str
    sections: tuple[str, ...]
    unrecognised_sections: tuple[str, ...]
    stage: CaseStage
    court: str
    court_case_number: str
    assigned_prosecutor_id: int | None
    notes: str
    parties: tuple[PartyInput, ...] = field(default_factory=tuple)
    fir_date: date | None = None


def normalise_sections(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """("302/34 PPC, 9(c) CNSA") -> (("PPC 302", "PPC 34", "CNSA 9(c)"), ()); unknown pieces second."""
    from legalrefs import normalise

    keys: list[str] = []
    unknown: list[str] = []
    for piece in (p.strip() for p in re.split(r"[,;\n]+", text)):
        if not piece:
            continue
        found = normalise(piece)
        if not found:
            # "PPC 302" (act first) is how clerks often write it; legalrefs expects "302 PPC".
            act_first = re.match(r"^([A-Za-z][A-Za-z.]*)\s+(.+)$", piece)
            if act_first:
                found = normalise(f"{act_first.group(2)} {act_first.group(1)}")
        target = keys if found else unknown
        for key in found or [piece[:60]]:
            if key not in target:
                target.append(key)
    return tuple(keys), tuple(unknown)


def _text(form: Mapping[str, str], name: str, limit: int) -> str:
    return (form.get(name) or "").strip()[:limit]


def _int(form: Mapping[str, str], name: str) -> int | None:
    value = (form.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def parse_parties(names: Sequence[str], roles: Sequence[str], cnics: Sequence[str],
                  errors: dict[str, str], fathers: Sequence[str] = ()) -> tuple[PartyInput, ...]:
    from casework.persons import PersonRefused, normalise_cnic

    parties: list[PartyInput] = []
    for index, raw_name in enumerate(names):
        name = raw_name.strip()[:200]
        if not name:
            continue
        role = roles[index] if index < len(roles) else ""
        raw_cnic = (cnics[index] if index < len(cnics) else "").strip()
        father = (fathers[index] if index < len(fathers) else "").strip()[:200]
        if role not in {r.value for r in PartyRole}:
            errors[f"party_role_{index}"] = gettext("Choose a role for %(name)s.", name=name)
            continue
        try:
            cnic = normalise_cnic(raw_cnic)
        except PersonRefused:
            errors[f"party_cnic_{index}"] = gettext("The CNIC of %(name)s must look like 12345-1234567-1.", name=name)
            continue
        parties.append(PartyInput(name=name, role=PartyRole(role), cnic=cnic, father_name=father))
    return tuple(parties)


def _fir_date(form: Mapping[str, str], fir_year: int | None, today: date, errors: dict[str, str]) -> date | None:
    text = (form.get("fir_date") or "").strip()
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        errors["fir_date"] = gettext("Enter the FIR date as a date (YYYY-MM-DD).")
        return None
    if value > today:
        errors["fir_date"] = gettext("The FIR date cannot be in the future.")
    elif fir_year is not None and value.year != fir_year:
        errors["fir_date"] = gettext("The FIR date is not in the FIR year %(year)s.", year=fir_year)
    return value


def parse_case_form(form: Mapping[str, str], parties: tuple[Sequence[str], ...],
                    allowed_districts: frozenset[int], today: date) -> CaseInput:
    """Check every field; raise CaseFormError listing all mistakes at once."""
    errors: dict[str, str] = {}
    # one form of each number, whatever digits were typed: "۴۵۶" is FIR 456 (duplicates, filters, exports)
    fir_number = to_western_digits(_text(form, "fir_number", 32))
    if not _FIR_NUMBER.match(fir_number):
        errors["fir_number"] = gettext("Enter the FIR number as written on the FIR, e.g. 123 or 123/A.")
    fir_year = _int(form, "fir_year")
    if fir_year is None or not 1950 <= fir_year <= today.year:
        errors["fir_year"] = gettext("Enter the FIR year (%(first)s-%(last)s).", first=1950, last=today.year)
    police_station = station_name(_text(form, "police_station", 120))
    if not police_station:
        errors["police_station"] = gettext("Enter the police station.")
    district_id = _int(form, "district_id")
    if district_id is None or district_id not in allowed_districts:
        errors["district_id"] = gettext("Choose one of your districts.")
    stage = form.get("stage") or CaseStage.FIR_REGISTERED.value
    if stage not in {s.value for s in CaseStage}:
        errors["stage"] = gettext("Choose a stage.")
    sections, unknown = normalise_sections(_text(form, "sections", 1000))
    fir_date = _fir_date(form, fir_year, today, errors)
    party_inputs = parse_parties(parties[0], parties[1], parties[2], errors,
                                 parties[3] if len(parties) > 3 else ())
    if errors:
        raise CaseFormError(errors)
    assert fir_year is not None and district_id is not None
    return CaseInput(
        fir_number=fir_number, fir_year=fir_year, police_station=police_station, district_id=district_id,
        title=_text(form, "title", 300), sections=sections, unrecognised_sections=unknown,
        stage=CaseStage(stage), court=_text(form, "court", 200),
        court_case_number=to_western_digits(_text(form, "court_case_number", 64)),
        assigned_prosecutor_id=_int(form, "assigned_prosecutor_id"), notes=_text(form, "notes", 5000),
        parties=party_inputs, fir_date=fir_date,
    )
