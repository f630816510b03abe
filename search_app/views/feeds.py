"""Personal calendar feeds (RFC 5545) for phones and desktop calendars.

Each user may have one feed address at a time: ``/feeds/<token>.ics`` with a 256-bit random token.
Only the token's SHA-256 is stored; the address is shown once, when made. Making a new address
revokes the old one ("rotate"); "stop" revokes without a new one. A feed carries the hearings where
the user appears (theirs, or their cases') and their deadlines, within their districts at the time
of fetching (sealed cases only for those who may see them), from 30 days back to a year ahead.
Every fetch, good or refused, is audited. A calendar app sends no session cookie, so the token is
the credential: the route is public in the policy and checks the token itself.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from i18n.reader import Reader, reader_for
from models import CalendarFeedToken, Case, Hearing, User, utcnow
from notify.deadlines import deadlines_due
from scheduling.ical import FeedEvent, build_feed
from scheduling.store import Visible, effective_prosecutor, in_scope, readable_case_ids
from scheduling.timezone import COURT_ZONE, as_utc, local_to_utc, local_today
from scheduling.vocab import vocabulary
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import Scope, calendar_case_condition
from search_app.db import get_session
from search_app.services import AppServices

bp = Blueprint("feeds", __name__)

PAST_DAYS, FUTURE_DAYS = 30, 366
MAX_EVENTS = 2000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _active(db: Session, user_id: int) -> CalendarFeedToken | None:
    return db.scalar(select(CalendarFeedToken).where(CalendarFeedToken.user_id == user_id,
                                                     CalendarFeedToken.revoked_at.is_(None)))


def _revoke_all(db: Session, user_id: int) -> int:
    result = db.execute(update(CalendarFeedToken).where(
        CalendarFeedToken.user_id == user_id, CalendarFeedToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _base_url() -> str:
    from flask import current_app

    services: AppServices = current_app.extensions["cmms"]
    return services.settings.base_url if services.settings.public_url else request.host_url.rstrip("/")


@bp.route("/calendar/feed", methods=["GET", "POST"])
def settings() -> str:
    db = get_session()
    address = None
    if request.method == "POST":
        action = request.form.get("action")
        revoked = _revoke_all(db, current_user.id)
        if action == "rotate":
            token = secrets.token_urlsafe(32)
            db.add(CalendarFeedToken(user_id=current_user.id, token_hash=token_hash(token), hint=token[:6]))
            address = f"{_base_url()}/feeds/{token}.ics"
            audit("feed_token_create", "user", current_user.id, revoked=revoked)
        else:
            audit("feed_token_revoke", "user", current_user.id, revoked=revoked)
    return render_template("calendar/feed.html", active=_active(db, current_user.id), address=address,
                           webcal=address.replace("https://", "webcal://").replace("http://", "webcal://")
                           if address else None)


def _hearing_event(hearing: Hearing, base: str, reader: Reader) -> FeedEvent:
    vocab = vocabulary()
    hours = vocab.sessions.get(hearing.session) or next(iter(vocab.sessions.values()))
    if hearing.starts_at is not None:
        starts = as_utc(hearing.starts_at)
        ends = starts + timedelta(hours=1)
    else:
        starts = local_to_utc(hearing.scheduled_for, hours.starts)
        ends = local_to_utc(hearing.scheduled_for, hours.ends)
    case = hearing.case
    label = reader.fir(case.fir_number, case.fir_year, case.police_station.name)
    purpose = reader.gettext(vocab.label("purposes", hearing.purpose))
    room = reader.gettext(", courtroom %(room)s", room=hearing.courtroom) if hearing.courtroom else ""
    lines = [label, reader.gettext("For: %(purpose)s", purpose=purpose),
             reader.gettext("Session: %(session)s", session=reader.gettext(hours.label))]
    if hearing.result:
        result = reader.gettext(vocab.label("results", hearing.result))
        lines.append(reader.gettext("Outcome: %(result)s", result=result))
    return FeedEvent(
        uid=f"hearing-{hearing.id}@cmms", summary=reader.gettext("%(purpose)s: %(case)s", purpose=purpose, case=label),
        description="\n".join(lines), location=f"{hearing.court}{room}", url=f"{base}/hearings/{hearing.id}",
        updated=as_utc(hearing.updated_at or hearing.created_at or utcnow()), starts=starts.astimezone(COURT_ZONE),
        ends=ends.astimezone(COURT_ZONE), categories=("Hearing",))


def feed_events(db: Session, user: User, base: str) -> tuple[list[FeedEvent], list[int]]:
    """The user's hearings and deadlines that their scope reads at the time of fetching (the permission
    table's hearing.read and their districts: ``auth.scope.calendar_case_condition``), and the ids of the
    hearings sent (for the audit trail). Written in the user's language (the feed is read by a phone,
    not a browser: the language chosen in CMMS)."""
    reader = reader_for(user)
    today = local_today(utcnow())
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    scope = Scope.of(user)
    visible = Visible(calendar_case_condition(scope), scope.allowed_district_ids)
    stmt = (select(Hearing).join(Case, Hearing.case_id == Case.id)
            .where(effective_prosecutor() == user.id, Hearing.scheduled_for >= first, Hearing.scheduled_for <= last)
            .options(joinedload(Hearing.case)).order_by(Hearing.scheduled_for, Hearing.id).limit(MAX_EVENTS))
    hearings = list(db.scalars(in_scope(stmt, visible)).unique())
    events = [_hearing_event(h, base, reader) for h in hearings]
    due = [d for d in deadlines_due(db, first, last) if user.id in d.user_ids]
    readable = readable_case_ids(db, (d.case_id for d in due), visible)
    for deadline in due:
        if deadline.case_id in readable:
            events.append(FeedEvent(
                uid=f"deadline-{hashlib.sha256(deadline.key.encode()).hexdigest()[:24]}@cmms",
                summary=reader.gettext("Deadline: %(title)s", title=deadline.title), description=deadline.source,
                location="", url=f"{base}{deadline.link or f'/cases/{deadline.case_id}'}", updated=utcnow(),
                all_day=deadline.due_on, categories=("Deadline",)))
    return events, [h.id for h in hearings]


@bp.route("/feeds/<token>.ics")
def ical(token: str) -> Response:
    db = get_session()
    found = db.scalar(select(CalendarFeedToken).where(CalendarFeedToken.token_hash == token_hash(token)))
    user = found.user if found is not None else None
    if found is None or found.revoked_at is not None or user is None or not user.is_active:
        audit("calendar_feed", "feed_token", found.id if found else "", success=False, as_user=user,
              reason="revoked" if found is not None and found.revoked_at else "unknown_token")
        abort(404)
    events, hearing_ids = feed_events(db, user, _base_url())
    found.last_used_at, found.use_count = utcnow(), found.use_count + 1
    audit("calendar_feed", "feed_token", found.id, as_user=user, events=len(events), returned=hearing_ids[:500],
          user_agent=(request.user_agent.string or "")[:200])
    body = build_feed(reader_for(user).gettext("CMMS hearings of %(name)s", name=user.full_name or user.username),
                      events)
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="cmms-hearings.ics"'})
