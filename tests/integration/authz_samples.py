"""How to fill each URL parameter of the app's routes for the generated authorization matrix and the
route fuzzer (``test_authorization_matrix.py``, ``test_fuzz_routes.py``).

A *sample* is registered per URL-parameter NAME (as written in the route: ``<int:case_id>``):

    @sample("hearing_id")
    def _hearing(ctx: SampleContext) -> object:
        return ctx.world.hearings[ctx.district].id

``ctx.district`` is ``"peshawar"`` or ``"mardan"`` (the object must belong to that district), or
``"sealed"``: the object of a SEALED Peshawar case (assigned to a prosecutor who is not a matrix user),
for the sealed-case dimension, asked only of samples registered with ``sealable=True`` (objects of a
case); for other parameters the matrix uses the Peshawar object. ``ctx.user`` is the requesting user's
name. Return ``MISSING`` (the default for every int parameter) for "no such object". Register with
``scoped=False`` for objects that are province-wide by design (published case law), so the matrix does not
expect them to be hidden from other districts; ``object_kind`` names what the parameter identifies
(default: the name without ``_id``).

A parameter without a registered sample still gets its route covered: int parameters get an id that
does not exist, ``any(a, b)`` parameters their first choice, strings ``"x"``; only the out-of-district
check needs a sample. The matrix prints the parameters it had to guess, so adding a sample here is the
one step an area takes for its new object type. New objects for the world go in ``build_matrix_world``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import (
    Batch,
    CalendarFeedToken,
    Case,
    CaseDeadline,
    CaseLaw,
    CaseLawCollection,
    CaseLawStatus,
    CaseLinkSuggestion,
    Court,
    CourtHoliday,
    District,
    DocType,
    Exhibit,
    Hearing,
    Notification,
    Page,
    Party,
    Person,
    PersonMatchSuggestion,
    PoliceStation,
    PracticeNote,
    RescanMatch,
    Role,
    SavedSearch,
    Scrutiny,
    ScrutinyObjection,
    User,
    Witness,
)
from scheduling.timezone import court_today
from tests.integration.web_world import World, _user, add_document, build_world

MISSING = 2**40  # an id no test object has (and still inside 64 bits)


@dataclass(frozen=True)
class SampleContext:
    world: MatrixWorld
    district: str  # "peshawar", "mardan" or "sealed" (the sealed Peshawar case's objects)
    user: str


@dataclass(frozen=True)
class Sample:
    build: Callable[[SampleContext], object]
    scoped: bool = True  # objects of one district, hidden from the others
    sealable: bool = False  # objects of a case: the sample has a variant for the sealed case


SAMPLES: dict[str, Sample] = {}


def sample(name: str, scoped: bool = True, sealable: bool = False,
           ) -> Callable[[Callable[[SampleContext], object]], Callable[..., object]]:
    def register(build: Callable[[SampleContext], object]) -> Callable[[SampleContext], object]:
        SAMPLES[name] = Sample(build, scoped, sealable)
        return build

    return register


@dataclass
class MatrixWorld:
    """web_world's world plus what the matrix needs per district: users of every role, a case, a
    hearing, a batch, a link suggestion; and one saved search per user."""

    base: World
    users: dict[str, User] = field(default_factory=dict)  # username -> user
    user_district: dict[str, str | None] = field(default_factory=dict)  # None: all districts
    cases: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    hearings: dict[str, int] = field(default_factory=dict)
    batches: dict[str, int] = field(default_factory=dict)
    suggestions: dict[str, int] = field(default_factory=dict)
    saved: dict[str, int] = field(default_factory=dict)  # username -> saved search id
    victims: dict[str, int] = field(default_factory=dict)  # district -> a user admins may change
    # areas merged later (calendar, intake and review, case law): one object per district or per user
    judgments: dict[str, int] = field(default_factory=dict)  # district -> a judgment awaiting approval
    courts: dict[str, int] = field(default_factory=dict)
    holidays: dict[str, int] = field(default_factory=dict)
    rescans: dict[str, int] = field(default_factory=dict)  # district -> a re-scan finding
    pages: dict[str, int] = field(default_factory=dict)  # district -> a page id
    notes: dict[str, int] = field(default_factory=dict)  # username -> their practice note
    notifications: dict[str, int] = field(default_factory=dict)  # username -> their notification
    feeds: dict[str, str] = field(default_factory=dict)  # username -> their calendar feed token
    collection: int = MISSING
    # the prosecution case file, per district and for the sealed case ("sealed")
    deadlines: dict[str, int] = field(default_factory=dict)
    objections: dict[str, int] = field(default_factory=dict)
    witnesses: dict[str, int] = field(default_factory=dict)
    exhibits: dict[str, int] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)  # a person on that case only
    person_matches: dict[str, int] = field(default_factory=dict)  # a pending "same person?" suggestion
    # monitoring: a peer review of the district's case (and of the sealed case) and one of its findings
    reviews: dict[str, int] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)


# (username, role, district) of every matrix user: every role in both districts, admins province-wide.
MATRIX_USERS: tuple[tuple[str, Role, str | None], ...] = (
    ("clerk", Role.DATA_ENTRY, "peshawar"), ("clerk_m", Role.DATA_ENTRY, "mardan"),
    ("pros_a", Role.PROSECUTOR, "peshawar"), ("pros_b", Role.PROSECUTOR, "mardan"),
    ("librarian", Role.LIBRARIAN, "peshawar"), ("librarian_m", Role.LIBRARIAN, "mardan"),
    ("sup_p", Role.SUPERVISOR, "peshawar"), ("sup_m", Role.SUPERVISOR, "mardan"),
    ("admin", Role.ADMIN, None),
)

# Who may see the sealed Peshawar case among the matrix users (casework.sealed): the district's supervisor
# and the province-wide administrator (its assigned prosecutor, victim_p, is not a matrix user).
SEES_SEALED = frozenset({"sup_p", "admin"})


def build_matrix_world(factory: sessionmaker[Session], settings: Settings) -> MatrixWorld:
    base = build_world(factory, settings)
    world = MatrixWorld(base)
    with factory() as db:
        districts = {d.name.lower(): d for d in db.scalars(select(District))}
        existing = {u.username: u for u in db.scalars(select(User))}
        for name, role, district in MATRIX_USERS:
            if name not in existing:
                existing[name] = _user(db, name, role, [districts[district]] if district else [],
                                       all_districts=district is None)
            world.user_district[name] = district
        victims = {key: _user(db, f"victim_{key[0]}", Role.PROSECUTOR, [districts[key]])
                   for key in ("peshawar", "mardan")}
        db.flush()
        world.victims = {key: user.id for key, user in victims.items()}
        world.users = existing
        world.cases["peshawar"] = base.cases["gul_khan"].id
        station = PoliceStation(name="Takht Bhai", district_id=districts["mardan"].id)
        db.add(station)
        db.flush()
        mardan_case = Case(fir_number="777", fir_year=2025, police_station_id=station.id,
                           district_id=districts["mardan"].id, title="State v. Zarghuna", sections=["PPC 302"])
        db.add(mardan_case)
        db.flush()
        world.cases["mardan"] = mardan_case.id
        # each district's case is its prosecutor's (a prosecutor seals only their assigned cases)
        peshawar_case = db.get(Case, world.cases["peshawar"])
        assert peshawar_case is not None
        peshawar_case.assigned_prosecutor_id = existing["pros_a"].id
        mardan_case.assigned_prosecutor_id = existing["pros_b"].id
        world.documents = {"peshawar": base.docs["other"].id, "mardan": base.docs["mardan"].id}
        for key in ("peshawar", "mardan"):
            hearing = Hearing(case_id=world.cases[key], scheduled_for=court_today(), court="Sessions")
            db.add(hearing)
            suggestion = CaseLinkSuggestion(document_id=world.documents[key], case_id=world.cases[key],
                                            reason="test", score=0.5)
            db.add(suggestion)
            db.flush()
            world.hearings[key], world.suggestions[key] = hearing.id, suggestion.id
            world.batches[key] = db.scalar(select(Batch.id).where(Batch.district_id == districts[key].id)
                                           .order_by(Batch.id)) or MISSING
        # A Mardan judgment that is NOT case law, so the district wall is what hides it.
        add_document(db, settings, key="mardan-order", district=districts["mardan"], pages=[["Order sheet."]],
                     filename="order.pdf")
        for name in world.user_district:
            saved = SavedSearch(user_id=existing[name].id, name="mine", query="murder", filters={})
            db.add(saved)
            db.flush()
            world.saved[name] = saved.id
        _add_area_objects(db, settings, world, districts)
        for key in ("peshawar", "mardan"):
            _add_casefile_objects(db, world, key, db.get(Case, world.cases[key]))
        _add_sealed_case(db, settings, world, districts["peshawar"])
        _add_reviews(db, world)
        db.commit()
    return world


def _add_area_objects(db: Session, settings: Settings, world: MatrixWorld, districts: dict[str, District]) -> None:
    """Objects of the calendar, intake/review and case-law areas, per district or per user."""
    from search_app.views.feeds import token_hash

    for key, district in districts.items():
        # A judgment awaiting approval: read only in its district. Its record lacks the decision date,
        # so the matrix's empty approval requests are refused (the world stays as built).
        judgment = add_document(db, settings, key=f"matrix-pending-{key}", district=district,
                                doc_type=DocType.JUDGMENT, pages=[["Judgment awaiting approval."]],
                                filename=f"pending-{key}.pdf")
        entry = CaseLaw(document_id=judgment.id, court="Peshawar High Court", case_number=f"Cr.A.{len(key)}-2025",
                        parties=f"State v. {key.title()}")
        court = Court(district_id=district.id, name=f"Sessions Court {key.title()}", kind="sessions")
        holiday = CourtHoliday(day=date(2031, 6, 1), name=f"Holiday {key}", district_id=district.id)
        first = add_document(db, settings, key=f"matrix-scan-{key}", district=district, pages=[["A scan."]],
                             filename=f"scan-{key}.pdf")
        again = add_document(db, settings, key=f"matrix-rescan-{key}", district=district, pages=[["A scan."]],
                             filename=f"rescan-{key}.pdf")
        db.add_all([entry, court, holiday])
        db.flush()
        match = RescanMatch(document_id=again.id, match_document_id=first.id, district_id=district.id,
                            pages=[[1, 1]], score=0.99)
        db.add(match)
        db.flush()
        world.judgments[key], world.courts[key], world.holidays[key] = entry.id, court.id, holiday.id
        world.rescans[key] = match.id
        world.pages[key] = db.scalar(select(Page.id).where(Page.document_id == world.documents[key])) or MISSING
    collection = CaseLawCollection(name="Bail in narcotics cases")
    db.add(collection)
    db.flush()
    world.collection = collection.id
    for name in world.user_district:
        user = world.users[name]
        note = PracticeNote(statute_key="PPC 302", body=f"A note by {name}.", author_id=user.id)
        notification = Notification(user_id=user.id, kind="hearing_tomorrow", key=f"matrix:{name}",
                                    subject="Hearing tomorrow", link="/calendar")
        feed = f"matrix-feed-token-{name}-0123456789abcdef"
        db.add_all([note, notification, CalendarFeedToken(user_id=user.id, token_hash=token_hash(feed), hint=feed[:6])])
        db.flush()
        world.notes[name], world.notifications[name], world.feeds[name] = note.id, notification.id, feed


def _add_casefile_objects(db: Session, world: MatrixWorld, key: str, case: Case | None) -> None:
    """A deadline, a scrutiny objection, two persons on the case (one a registered witness) with a pending
    match suggestion between them, and an exhibit, for the case of ``key``."""
    assert case is not None
    deadline = CaseDeadline(case_id=case.id, rule_id="crpc_173_interim_report", anchor_on=date(2025, 1, 1),
                            due_on=date(2025, 1, 20))
    scrutiny = Scrutiny(case_id=case.id, decision="returned", decided_on=date(2025, 2, 1))
    scrutiny.objections = [ScrutinyObjection(case_id=case.id, code="fsl_awaited", text="")]
    accused = Person(name=f"Accused {key.title()}", father_name="Unknown", cnic=None)
    namesake = Person(name=f"Accused {key.title()} Khan", father_name="Unknown", cnic=None)
    db.add_all([deadline, scrutiny, accused, namesake])
    db.flush()
    case.parties.append(Party(name=accused.name, role="accused", person_id=accused.id))
    witness = Witness(case_id=case.id, person_id=namesake.id, kind="eye_witness")
    exhibit = Exhibit(case_id=case.id, label="P-1", description=f"Pistol recovered ({key})")
    match = PersonMatchSuggestion(person_id=namesake.id, candidate_id=accused.id, score=0.9, reasons=["name"])
    db.add_all([witness, exhibit, match])
    db.flush()
    world.deadlines[key], world.objections[key] = deadline.id, scrutiny.objections[0].id
    world.witnesses[key], world.exhibits[key] = witness.id, exhibit.id
    world.persons[key], world.person_matches[key] = accused.id, match.id


def _add_sealed_case(db: Session, settings: Settings, world: MatrixWorld, district: District) -> None:
    """A sealed Peshawar case (juvenile accused) assigned to ``victim_p``, a prosecutor outside the matrix,
    with everything a route can name: its document (and page), a hearing, a link suggestion, a PUBLISHED
    judgment of the case (case law is read everywhere, except a sealed case's), and its case-file records.
    Only Peshawar's supervisor and the administrator (and victim_p) may see any of it."""
    station = PoliceStation(name="Gulbahar", district_id=district.id)
    db.add(station)
    db.flush()
    case = Case(fir_number="313", fir_year=2025, police_station_id=station.id, district_id=district.id,
                title="State v. Juvenile J", sections=["PPC 376"], assigned_prosecutor_id=world.victims["peshawar"],
                sealed=True, sealed_reason="juvenile_accused")
    db.add(case)
    db.flush()
    document = add_document(db, settings, key="matrix-sealed", district=district, case=case,
                            pages=[["Statement of the juvenile accused."]], filename="sealed.pdf")
    judgment = add_document(db, settings, key="matrix-sealed-judgment", district=district, case=case,
                            doc_type=DocType.JUDGMENT, pages=[["Judgment in the juvenile's case."]],
                            filename="sealed-judgment.pdf")
    entry = CaseLaw(document_id=judgment.id, court="Peshawar High Court", case_number="Cr.A.313-2025",
                    parties="State v. J", citation="2025 PCrLJ 313", status=CaseLawStatus.PUBLISHED,
                    decided_on=date(2025, 6, 1))
    hearing = Hearing(case_id=case.id, scheduled_for=court_today(), court="Juvenile Court")
    db.add_all([entry, hearing])
    db.flush()
    suggestion = CaseLinkSuggestion(document_id=world.documents["peshawar"], case_id=case.id, reason="test",
                                    score=0.5)
    db.add(suggestion)
    db.flush()
    world.cases["sealed"], world.documents["sealed"], world.hearings["sealed"] = case.id, document.id, hearing.id
    world.judgments["sealed"], world.suggestions["sealed"] = entry.id, suggestion.id
    world.pages["sealed"] = db.scalar(select(Page.id).where(Page.document_id == document.id)) or MISSING
    _add_casefile_objects(db, world, "sealed", case)


def _add_reviews(db: Session, world: MatrixWorld) -> None:
    """A peer review awaiting the prosecutor's answer to one finding, per district's case (reviewed by that
    district's outside prosecutor, victim_p / victim_m, so the case's prosecutor pros_a / pros_b answers
    it) and of the sealed case, assigned to pros_a before it was sealed: a reviewer who may no longer see
    the case must not see the review either. Empty answers and sign-offs are refused, so the world stays
    as built."""
    from models import CaseReview, ReviewFinding

    reviewers = {"peshawar": world.victims["peshawar"], "mardan": world.victims["mardan"],
                 "sealed": world.users["pros_a"].id}
    for key, reviewer in reviewers.items():
        case = db.get(Case, world.cases[key])
        assert case is not None
        review = CaseReview(case_id=case.id, reviewer_id=reviewer, prosecutor_id=case.assigned_prosecutor_id,
                            checklist="trial", stage="charge_framed", status="awaiting_answers", note="",
                            sign_off_note="")
        db.add(review)
        db.flush()
        finding = ReviewFinding(review_id=review.id, case_id=case.id, item="witnesses_summoned", severity="major",
                                text=f"Witnesses not summoned ({key}).", pages=[])
        db.add(finding)
        db.flush()
        world.reviews[key], world.findings[key] = review.id, finding.id


@sample("document_id", sealable=True)
def _document(ctx: SampleContext) -> object:
    return ctx.world.documents[ctx.district]


@sample("case_id", sealable=True)
def _case(ctx: SampleContext) -> object:
    return ctx.world.cases[ctx.district]


@sample("hearing_id", sealable=True)
def _hearing(ctx: SampleContext) -> object:
    return ctx.world.hearings[ctx.district]


@sample("batch_id")
def _batch(ctx: SampleContext) -> object:
    return ctx.world.batches[ctx.district]


@sample("suggestion_id", sealable=True)
def _suggestion(ctx: SampleContext) -> object:
    return ctx.world.suggestions[ctx.district]


@sample("caselaw_id", sealable=True)  # a judgment awaiting approval: read in its district only (published: everywhere)
def _caselaw(ctx: SampleContext) -> object:
    return ctx.world.judgments[ctx.district]


@sample("court_id")
def _court(ctx: SampleContext) -> object:
    return ctx.world.courts[ctx.district]


@sample("holiday_id")
def _holiday(ctx: SampleContext) -> object:
    return ctx.world.holidays[ctx.district]


@sample("match_id")
def _rescan(ctx: SampleContext) -> object:
    return ctx.world.rescans[ctx.district]


@sample("page_id", sealable=True)
def _page(ctx: SampleContext) -> object:
    return ctx.world.pages[ctx.district]


@sample("notification_id")
def _notification(ctx: SampleContext) -> object:
    """One's own notifications only: the "own district" object is the user's, the other someone else's."""
    if ctx.district == (ctx.world.user_district.get(ctx.user) or "peshawar"):
        return ctx.world.notifications[ctx.user]
    return ctx.world.notifications["pros_b" if ctx.user != "pros_b" else "pros_a"]


@sample("note_id", scoped=False)  # practice notes are read province-wide; each user edits their own
def _note(ctx: SampleContext) -> object:
    return ctx.world.notes[ctx.user]


@sample("collection_id", scoped=False)  # collections are the province's
def _collection(ctx: SampleContext) -> object:
    return ctx.world.collection


@sample("key", scoped=False)  # a statute section
def _statute(ctx: SampleContext) -> object:
    return "PPC 302"


@sample("token", scoped=False)  # the user's own calendar feed address
def _feed(ctx: SampleContext) -> object:
    return ctx.world.feeds[ctx.user]


@sample("saved_id")
def _saved(ctx: SampleContext) -> object:
    """Saved searches belong to a person: the "own district" object is the user's own, the other one
    someone else's."""
    if ctx.district == (ctx.world.user_district.get(ctx.user) or "peshawar"):
        return ctx.world.saved[ctx.user]
    return ctx.world.saved["pros_b" if ctx.user != "pros_b" else "pros_a"]


@sample("deadline_id", sealable=True)
def _deadline(ctx: SampleContext) -> object:
    return ctx.world.deadlines[ctx.district]


@sample("objection_id", sealable=True)
def _objection(ctx: SampleContext) -> object:
    return ctx.world.objections[ctx.district]


@sample("witness_id", sealable=True)
def _witness(ctx: SampleContext) -> object:
    return ctx.world.witnesses[ctx.district]


@sample("exhibit_id", sealable=True)
def _exhibit(ctx: SampleContext) -> object:
    return ctx.world.exhibits[ctx.district]


@sample("person_id", sealable=True)  # persons are province-wide records, reached only through a case one may read
def _person(ctx: SampleContext) -> object:
    return ctx.world.persons[ctx.district]


@sample("person_match_id", sealable=True)
def _person_match(ctx: SampleContext) -> object:
    return ctx.world.person_matches[ctx.district]


@sample("review_id", sealable=True)
def _review(ctx: SampleContext) -> object:
    return ctx.world.reviews[ctx.district]


@sample("finding_id", sealable=True)
def _finding(ctx: SampleContext) -> object:
    return ctx.world.findings[ctx.district]


@sample("figure_id", scoped=False)  # figures are the same for everyone; their numbers are scoped in SQL
def _figure(ctx: SampleContext) -> object:
    return "caseload"


@sample("dashboard", scoped=False)
def _dashboard(ctx: SampleContext) -> object:
    return "caseload"


@sample("user_id")
def _victim(ctx: SampleContext) -> object:
    return ctx.world.victims[ctx.district]


@sample("page_no", scoped=False)
def _page_no(ctx: SampleContext) -> object:
    return 1


@sample("filename", scoped=False)
def _static(ctx: SampleContext) -> object:
    return "cmms.css"


def sealed_value_for(name: str, converter: Any, ctx: SampleContext) -> tuple[object, bool]:
    """The value for one URL parameter in the sealed-case dimension (``ctx.district == "sealed"``) and
    whether it is an object of the sealed case; parameters without a sealed variant get the Peshawar one."""
    registered = SAMPLES.get(name)
    if registered is not None and registered.sealable:
        return registered.build(ctx), True
    return value_for(name, converter, SampleContext(ctx.world, "peshawar", ctx.user))[0], False


def value_for(name: str, converter: Any, ctx: SampleContext, missing: bool = False) -> tuple[object, bool]:
    """The value for one URL parameter and whether it is a registered, district-scoped sample. With
    ``missing``, scoped objects are replaced by an id that does not exist (province-wide ones stay)."""
    registered = SAMPLES.get(name)
    if registered is not None and not (missing and registered.scoped):
        return registered.build(ctx), registered.scoped
    if getattr(converter, "items", None):
        return sorted(converter.items)[0], False
    if type(converter).__name__ in ("IntegerConverter", "Int64Converter") or registered is not None:
        return MISSING, registered is not None
    return "x", False
