"""Reading and checking the case form (pure functions over the submitted fields, no Flask).

Statute sections are stored as normalised legalrefs keys ("PPC 302(b)"), so searching and linking
compare like with like; a piece legalrefs does not recognise is kept as typed and reported back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from models import CaseStage, PartyRole

_FIR_NUMBER = re.compile(r"^[0-9\u06F0-\u06F9]{1,10}(?:[-/][A-Za-z0-9]{1,5})?$")
_CNIC = re.compile(r"^\d{5}-?\d{7}-?\d$")


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
                  errors: dict[str, str]) -> tuple[PartyInput, ...]:
    parties: list[PartyInput] = []
    for index, raw_name in enumerate(names):
        name = raw_name.strip()[:200]
        if not name:
            continue
        role = roles[index] if index < len(roles) else ""
        cnic = (cnics[index] if index < len(cnics) else "").strip()
        if role not in {r.value for r in PartyRole}:
            errors[f"party_role_{index}"] = f"Choose a role for {name}."
            continue
        if cnic and not _CNIC.match(cnic):
            errors[f"party_cnic_{index}"] = f"The CNIC of {name} must look like 12345-1234567-1."
            continue
        parties.append(PartyInput(name=name, role=PartyRole(role), cnic=cnic))
    return tuple(parties)


def parse_case_form(form: Mapping[str, str], parties: tuple[Sequence[str], Sequence[str], Sequence[str]],
                    allowed_districts: frozenset[int], today: date) -> CaseInput:
    """Check every field; raise CaseFormError listing all mistakes at once."""
    errors: dict[str, str] = {}
    fir_number = _text(form, "fir_number", 32)
    if not _FIR_NUMBER.match(fir_number):
        errors["fir_number"] = "Enter the FIR number as written on the FIR, e.g. 123 or 123/A."
    fir_year = _int(form, "fir_year")
    if fir_year is None or not 1950 <= fir_year <= today.year:
        errors["fir_year"] = f"Enter the FIR year (1950-{today.year})."
    police_station = _text(form, "police_station", 120)
    if not police_station:
        errors["police_station"] = "Enter the police station."
    district_id = _int(form, "district_id")
    if district_id is None or district_id not in allowed_districts:
        errors["district_id"] = "Choose one of your districts."
    stage = form.get("stage") or CaseStage.INVESTIGATION.value
    if stage not in {s.value for s in CaseStage}:
        errors["stage"] = "Choose a stage."
    sections, unknown = normalise_sections(_text(form, "sections", 1000))
    party_inputs = parse_parties(*parties, errors=errors)
    if errors:
        raise CaseFormError(errors)
    assert fir_year is not None and district_id is not None
    return CaseInput(
        fir_number=fir_number, fir_year=fir_year, police_station=police_station, district_id=district_id,
        title=_text(form, "title", 300), sections=sections, unrecognised_sections=unknown,
        stage=CaseStage(stage), court=_text(form, "court", 200),
        court_case_number=_text(form, "court_case_number", 64),
        assigned_prosecutor_id=_int(form, "assigned_prosecutor_id"), notes=_text(form, "notes", 5000),
        parties=party_inputs,
    )
