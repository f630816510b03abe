"""A seeded world for the monitoring figures: districts, prosecutors and supervisors, cases at every
stage with their stage moves, scrutinies and objections, hearings (results, adjournment reasons and who
asked, next dates), statutory deadlines (met, open, overdue), outcomes per accused, and peer reviews
with findings. Deterministic for a seed; rows are written with Core bulk inserts in chunks, so the same
code seeds a test (a few hundred cases) and the benchmark (100,000 cases and 1,000,000 hearings).

    build(engine, World(cases=..., hearings=..., districts=...), as_of=date)

Nothing here decides a figure: the tests compare the figures with hand-written SQL over these rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select

STAGE_WEIGHTS = {
    "fir_registered": 3, "under_investigation": 6, "interim_report": 3, "challan_received": 4, "under_scrutiny": 3,
    "returned_with_objections": 3, "accepted": 2, "submitted_to_court": 6, "charge_framed": 10,
    "prosecution_evidence": 18, "defence": 4, "arguments": 5, "judgment": 8, "appeal_or_revision": 3, "closed": 10,
}
PATH = ["fir_registered", "under_investigation", "challan_received", "under_scrutiny", "accepted",
        "submitted_to_court", "charge_framed", "prosecution_evidence", "defence", "arguments", "judgment",
        "appeal_or_revision", "closed"]
SECTIONS = ["PPC 302", "PPC 302(b)", "PPC 324", "PPC 34", "PPC 379", "PPC 392", "PPC 376", "PPC 489-F",
            "CNSA 9(c)", "ATA 7", "PPC 337-A", "PPC 406"]
REASONS = ["defence_counsel_absent", "witness_absent", "summons_not_served", "io_absent", "accused_not_produced",
           "prosecutor_absent", "report_awaited", "court_busy", "lawyers_strike", "other"]
REQUESTERS = ["prosecution", "defence", "complainant", "court", "none"]
PROCEEDED = ["evidence_recorded", "charge_framed", "copies_supplied", "arguments_heard", "bail_decided"]
RESULTS = ["conviction", "acquittal", "compromise", "discharge", "abated"]
OBJECTIONS = ["statements_161_missing", "mlr_missing", "fsl_awaited", "recovery_memo_missing", "site_plan_missing",
              "sections_not_supported", "witness_list_incomplete"]
RULES = ["crpc_173_interim_report", "crpc_265c_copies", "limitation_157_state_appeal"]
ITEMS = ["scrutiny_on_time", "witnesses_summoned", "fsl_reports", "deadlines_met", "charge_matches_evidence", ""]
REVIEW_STATUSES = ["assigned", "in_review", "awaiting_answers", "awaiting_sign_off", "signed_off", "withdrawn"]
PASSWORD_HASH = "x"  # users of the seeded world log in only in the benchmark, which sets its own


@dataclass
class World:
    cases: int = 300
    hearings: int = 2500
    districts: int = 3
    prosecutors_per_district: int = 4
    seed: int = 7
    password_hash: str = PASSWORD_HASH
    ids: dict[str, Any] = field(default_factory=dict)


def _chunks(rows: list[dict[str, Any]], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _write(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        for chunk in _chunks(rows):
            connection.execute(insert(table), chunk)


def _people(engine: Engine, world: World, now: datetime) -> None:
    from models import District, PoliceStation, User, user_districts

    districts = [{"name": f"Seed District {d + 1}", "province": "Khyber Pakhtunkhwa"} for d in range(world.districts)]
    _write(engine, District.__table__, districts)
    with engine.connect() as c:
        district_ids = list(c.scalars(select(District.id).where(District.name.like("Seed District %"))
                                      .order_by(District.id)))
    users, links = [], []
    for i, _did in enumerate(district_ids):
        for p in range(world.prosecutors_per_district):
            users.append({"username": f"seed_p{i + 1}_{p}", "full_name": f"Prosecutor {i + 1}-{p}",
                          "password_hash": world.password_hash, "role": "prosecutor", "all_districts": False,
                          "is_active": True, "failed_logins": 0, "password_changed_at": now, "created_at": now})
        users.append({"username": f"seed_s{i + 1}", "full_name": f"Supervisor {i + 1}",
                      "password_hash": world.password_hash, "role": "supervisor", "all_districts": False,
                      "is_active": True, "failed_logins": 0, "password_changed_at": now, "created_at": now})
    users.append({"username": "seed_head", "full_name": "Head Office", "password_hash": world.password_hash,
                  "role": "supervisor", "all_districts": True, "is_active": True, "failed_logins": 0,
                  "password_changed_at": now, "created_at": now})
    _write(engine, User.__table__, users)
    with engine.connect() as c:
        by_name = {u: i for u, i in c.execute(select(User.username, User.id).where(User.username.like("seed_%")))}
    prosecutors: dict[int, list[int]] = {}
    for i, did in enumerate(district_ids):
        prosecutors[did] = [by_name[f"seed_p{i + 1}_{p}"] for p in range(world.prosecutors_per_district)]
        for uid in [*prosecutors[did], by_name[f"seed_s{i + 1}"]]:
            links.append({"user_id": uid, "district_id": did})
    _write(engine, user_districts, links)
    _write(engine, PoliceStation.__table__, [{"name": "Saddar", "district_id": did} for did in district_ids])
    with engine.connect() as c:
        stations = {d: s for s, d in c.execute(select(PoliceStation.id, PoliceStation.district_id)
                                               .where(PoliceStation.district_id.in_(district_ids)))}
    world.ids.update(districts=district_ids, prosecutors=prosecutors, users=by_name, stations=stations)


def _case_rows(world: World, rng: random.Random, as_of: date, now: datetime) -> list[dict[str, Any]]:
    stages, weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
    rows = []
    for n in range(world.cases):
        did = rng.choice(world.ids["districts"])
        prosecutor = rng.choice(world.ids["prosecutors"][did]) if rng.random() > 0.05 else None
        fir = as_of - timedelta(days=rng.randrange(10, 1500)) if rng.random() > 0.04 else None
        sections = rng.sample(SECTIONS, rng.choice([0, 1, 1, 2, 2, 3]))
        rows.append({"fir_number": str(n + 1), "fir_year": (fir or as_of).year, "police_station_id":
                     world.ids["stations"][did], "district_id": did, "title": f"State v. Accused {n + 1}",
                     "sections": sections, "stage": rng.choices(stages, weights)[0], "fir_date": fir, "court": "",
                     "court_case_number": "", "assigned_prosecutor_id": prosecutor, "notes": "",
                     "sealed": rng.random() < 0.03, "sealed_reason": "", "created_at": now, "updated_at": now})
    return rows


def _path(stage: str, rng: random.Random) -> list[str]:
    """The stages a case passed through to reach ``stage`` (some files were entered part-way)."""
    if stage in ("interim_report",):
        return ["fir_registered", "under_investigation", "interim_report"]
    if stage == "returned_with_objections":
        return ["fir_registered", "challan_received", "under_scrutiny", "returned_with_objections"]
    path = PATH[:PATH.index(stage) + 1]
    if len(path) > 6 and rng.random() < 0.15:  # an old file entered at a court stage: no earlier history
        path = path[5:]
    return path


def build(engine: Engine, world: World, as_of: date) -> World:
    """Seed ``world`` into a migrated database at ``engine`` (adds to what is there)."""
    from models import (
        Case,
        CaseDeadline,
        CaseReview,
        CaseTransition,
        Outcome,
        Person,
        ReviewFinding,
        Scrutiny,
        ScrutinyObjection,
    )

    rng = random.Random(world.seed)
    now = datetime(as_of.year, as_of.month, as_of.day, 6, 0, tzinfo=UTC)
    _people(engine, world, now)
    cases = _case_rows(world, rng, as_of, now)
    _write(engine, Case.__table__, cases)
    with engine.connect() as c:
        ids = list(c.scalars(select(Case.id).where(Case.title.like("State v. Accused %")).order_by(Case.id)))
    world.ids["cases"] = ids
    transitions, scrutinies, deadlines, court_cases, decided = [], [], [], [], []
    for case_id, row in zip(ids, cases, strict=True):
        start = row["fir_date"] or (as_of - timedelta(days=rng.randrange(30, 900)))
        day, previous = start, ""
        entered: dict[str, date] = {}
        for stage in _path(row["stage"], rng):
            day = min(as_of, day + timedelta(days=rng.randrange(0, 40)))
            transitions.append({"case_id": case_id, "from_stage": previous, "to_stage": stage, "happened_on": day,
                                "actor_id": row["assigned_prosecutor_id"], "note": "", "created_at": now})
            entered[stage], previous = day, stage
        if "under_scrutiny" in entered:
            returned = rng.random() < 0.35 or row["stage"] == "returned_with_objections"
            if returned:
                still_returned = row["stage"] == "returned_with_objections"
                scrutinies.append((case_id, "returned", entered["under_scrutiny"], not still_returned))
            if "accepted" in entered:
                scrutinies.append((case_id, "accepted", entered["accepted"], False))
        if row["fir_date"] is not None and rng.random() < 0.7:
            due = row["fir_date"] + timedelta(days=17)
            met = due - timedelta(days=rng.randrange(0, 10)) if rng.random() < 0.6 else None
            if met is not None and met < row["fir_date"]:
                met = row["fir_date"]
            deadlines.append({"case_id": case_id, "rule_id": RULES[0], "subject_id": 0, "anchor_on": row["fir_date"],
                              "due_on": due, "met_on": met, "met_source": "stage" if met else "", "note": "",
                              "updated_at": now})
        if "submitted_to_court" in entered or row["stage"] in PATH[5:]:
            court_cases.append((case_id, entered.get("submitted_to_court", start + timedelta(days=60)), row))
            if rng.random() < 0.3:
                trial = entered.get("submitted_to_court", start) + timedelta(days=30)
                deadlines.append({"case_id": case_id, "rule_id": RULES[1], "subject_id": 0, "anchor_on": trial,
                                  "due_on": trial - timedelta(days=8),
                                  "met_on": None if rng.random() < 0.5 else trial - timedelta(days=9),
                                  "met_source": "", "note": "", "updated_at": now})
        if row["stage"] in ("judgment", "appeal_or_revision", "closed"):
            decided.append((case_id, entered.get("judgment", min(as_of, start + timedelta(days=400)))))
    _write(engine, CaseTransition.__table__, transitions)
    _write(engine, CaseDeadline.__table__, deadlines)
    _write(engine, Scrutiny.__table__, [
        {"case_id": c, "received_on": d - timedelta(days=3), "decision": k, "decided_on": d, "prosecutor_id": None,
         "remarks": "", "pages": [], "created_at": now} for c, k, d, _ in scrutinies])
    with engine.connect() as c:
        returned_ids = list(c.execute(select(Scrutiny.id, Scrutiny.case_id, Scrutiny.decided_on)
                                      .where(Scrutiny.decision == "returned",
                                             Scrutiny.case_id.between(ids[0], ids[-1]))))
    resolved_cases = {c for c, k, _, r in scrutinies if k == "returned" and r}
    objections = []
    for sid, cid, decided_on in returned_ids:
        for code in rng.sample(OBJECTIONS, rng.randrange(1, 4)):
            resolved = decided_on + timedelta(days=rng.randrange(1, 30)) if cid in resolved_cases else None
            objections.append({"scrutiny_id": sid, "case_id": cid, "code": code, "text": "",
                               "resolved_on": min(resolved, as_of) if resolved else None, "resolution_note": ""})
    _write(engine, ScrutinyObjection.__table__, objections)
    _hearings(engine, world, rng, court_cases, as_of, now)
    _outcomes(engine, world, rng, decided, as_of, now, Person, Outcome)
    _reviews(engine, world, rng, ids, cases, as_of, now, CaseReview, ReviewFinding)
    return world


def _hearings(engine: Engine, world: World, rng: random.Random, court_cases: list[tuple[int, date, dict[str, Any]]],
              as_of: date, now: datetime) -> None:
    from models import Hearing

    if not court_cases:
        return
    per_case = max(1, world.hearings // len(court_cases))
    rows: list[dict[str, Any]] = []
    for index, (case_id, submitted, row) in enumerate(court_cases):
        count = per_case + (1 if index < world.hearings - per_case * len(court_cases) else 0)
        day = max(submitted, as_of - timedelta(days=rng.randrange(60, 700)))
        for k in range(count):
            day = day + timedelta(days=rng.randrange(7, 30))
            last = k == count - 1
            future = day >= as_of
            if future:
                result, reason, asked, next_date = "", "", "", None
            else:
                roll = rng.random()
                if roll < 0.45:
                    result, reason, asked = rng.choice(["adjourned", "adjourned", "not_taken_up"]), \
                        rng.choice(REASONS), rng.choice(REQUESTERS)
                    if rng.random() < 0.05:
                        reason = ""
                elif roll < 0.9:
                    result, reason, asked = rng.choice(PROCEEDED), "", ""
                elif roll < 0.95 and last and row["stage"] in ("judgment", "appeal_or_revision", "closed"):
                    result, reason, asked = "judgment_announced", "", ""
                else:
                    result, reason, asked = "", "", ""
                next_date = day + timedelta(days=rng.randrange(7, 30)) if result and result != "judgment_announced" \
                    and rng.random() < 0.9 else None
                if not last and next_date is not None:
                    next_date = None if rng.random() < 0.05 else next_date
            rows.append({"case_id": case_id, "scheduled_for": day, "session": "morning", "court": "Sessions Court",
                         "courtroom": "", "judge": "", "purpose": "prosecution_evidence",
                         "prosecutor_id": row["assigned_prosecutor_id"], "result": result, "outcome": "",
                         "adjournment_reason": reason, "adjournment_requested_by": asked, "next_date": next_date,
                         "notes": "", "created_at": now, "updated_at": now})
        if len(rows) >= 50000:
            _write(engine, Hearing.__table__, rows)
            rows = []
    _write(engine, Hearing.__table__, rows)


def _outcomes(engine: Engine, world: World, rng: random.Random, decided: list[tuple[int, date]], as_of: date,
              now: datetime, person: Any, outcome: Any) -> None:
    people = [{"name": f"Accused {i}", "father_name": "", "cnic": None, "name_key": "", "block_key": "",
               "created_at": now} for i in range(len(decided) * 2)]
    _write(engine, person.__table__, people)
    with engine.connect() as c:
        person_ids = list(c.scalars(select(person.id).where(person.name.like("Accused %")).order_by(person.id)))
    rows = []
    for i, (case_id, on) in enumerate(decided):
        for a in range(rng.choice([1, 1, 2])):
            rows.append({"case_id": case_id, "person_id": person_ids[2 * i + a],
                         "result": rng.choices(RESULTS, [40, 35, 15, 7, 3])[0], "sentence": "",
                         "judgment_on": min(as_of, on), "court": "Sessions Court", "created_at": now})
    _write(engine, outcome.__table__, rows)


def _reviews(engine: Engine, world: World, rng: random.Random, ids: list[int], cases: list[dict[str, Any]],
             as_of: date, now: datetime, review: Any, finding: Any) -> None:
    chosen = [(i, c) for i, c in zip(ids, cases, strict=True) if c["assigned_prosecutor_id"] and rng.random() < 0.08]
    rows = []
    for case_id, row in chosen:
        others = [p for p in world.ids["prosecutors"][row["district_id"]] if p != row["assigned_prosecutor_id"]]
        at = now - timedelta(days=rng.randrange(0, 400), hours=rng.randrange(0, 20))
        rows.append({"case_id": case_id, "reviewer_id": rng.choice(others),
                     "prosecutor_id": row["assigned_prosecutor_id"], "assigned_by_id": None,
                     "assigned_via": "supervisor", "checklist": "trial", "stage": row["stage"],
                     "status": rng.choice(REVIEW_STATUSES), "due_on": None, "note": "", "assigned_at": at,
                     "submitted_at": None, "signed_off_at": None, "signed_off_by_id": None, "sign_off_note": "",
                     "updated_at": at})
    _write(engine, review.__table__, rows)
    with engine.connect() as c:
        reviews = list(c.execute(select(review.id, review.case_id, review.assigned_at)
                                 .where(review.case_id.between(ids[0], ids[-1]))))
    findings = []
    for rid, cid, at in reviews:
        for _ in range(rng.randrange(0, 4)):
            findings.append({"review_id": rid, "case_id": cid, "item": rng.choice(ITEMS),
                             "severity": rng.choice(["minor", "major", "critical"]), "text": "A finding",
                             "pages": [], "created_by_id": None, "created_at": at + timedelta(days=rng.randrange(0, 9)),
                             "answer_kind": "", "answer": "", "answered_by_id": None, "answered_at": None})
    _write(engine, finding.__table__, findings)


__all__ = ["World", "build"]
