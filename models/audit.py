"""Append-only, tamper-evident audit trail: who did what, when, from where, to which district's object.

Every event carries ``row_hash`` = SHA-256 over its own content and ``prev_hash`` (the previous event's
``row_hash``), so editing, deleting or inserting a row breaks the chain at that row. Ids are dense (each
event takes the next number under a lock on the one-row ``audit_chain_head`` table, which also keeps
concurrent writers from forking the chain). Because anyone can recompute SHA-256, *checkpoints*
(``audit_checkpoints``) sign the chain's hash at an event with HMAC-SHA256 and a key kept outside the
database (setting ``CMMS_AUDIT_SIGNING_KEY``): a rewritten chain no longer matches its signed
checkpoints. Each event is also signed as it is written (``row_mac``, same key), so the events after
the last checkpoint cannot be rewritten either, and once signing has begun an unsigned event is a
break. ``verify_chain`` checks all three and names the first broken link (``cmms audit verify``).

On PostgreSQL a trigger (migration ``0002_trust``) refuses UPDATE and TRUNCATE of ``audit_events``
for every role and DELETE except of events past the one-year retention floor during ``cmms audit
purge``; SQLite gets the same UPDATE/DELETE triggers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow

GENESIS_HASH = "0" * 64
HEAD_ID = 1


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    # Kept as text too, so the trail survives a renamed or removed account.
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)  # login, search, view, download, edit, ...
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    # District of the object acted on (None: no district object, e.g. a login or a search); decides
    # which supervisors see the event.
    district_id: Mapped[int | None] = mapped_column(Integer, index=True, default=None)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    success: Mapped[bool] = mapped_column(Boolean, default=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
    row_hash: Mapped[str] = mapped_column(String(64), default="")
    # HMAC-SHA256 of (id, row_hash) with the signing key: each event signed as it is written, so the
    # events after the last checkpoint cannot be rewritten either ("" on events from before signing).
    row_mac: Mapped[str] = mapped_column(String(64), default="", server_default="")


class AuditChainHead(Base):
    """One row: the last event's id and hash (the lock every audit writer takes first)."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
    since_checkpoint: Mapped[int] = mapped_column(Integer, default=0)
    # HMAC of (last_event_id, last_hash): the newest event, signed, so deleting the newest events (or
    # rewriting them and their signatures) shows; "" before signing began.
    head_mac: Mapped[str] = mapped_column(String(64), default="", server_default="")


class AuditCheckpoint(Base):
    """The chain's hash at ``event_id``, signed with the key from the settings (HMAC-SHA256).

    ``kind``: ``periodic`` (every N events), ``verify`` (a verification's result), ``export``,
    ``purge`` (anchor: events up to ``event_id`` were archived and deleted).
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer, index=True)
    row_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="periodic")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(String(500), default="")
    signature: Mapped[str] = mapped_column(String(64))


class SavedSearch(Base):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(String(1000))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- hashing ---------------------------------------------------------------------------------------------


def _utc_text(moment: datetime) -> str:
    """One text for a moment whatever the database gives back (SQLite: naive UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(event: AuditEvent) -> str:
    """The hashed content of an event as canonical JSON (sorted keys, no spaces)."""
    content = [
        event.id, _utc_text(event.at), event.user_id, event.username, event.action, event.object_type,
        event.object_id, event.district_id, event.ip_address, bool(event.success), event.detail or {},
        event.prev_hash,
    ]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_content(event).encode("utf-8")).hexdigest()


def _event_signature(key: bytes, purpose: str, event_id: int, row_hash: str) -> str:
    return hmac.new(key, f"cmms-audit-{purpose}|{event_id}|{row_hash}".encode(), hashlib.sha256).hexdigest()


def event_mac(key: bytes, event_id: int, row_hash: str) -> str:
    """The event's own signature: HMAC-SHA256 over its id and ``row_hash`` (hex, 64 characters)."""
    return _event_signature(key, "event", event_id, row_hash)


def head_mac(key: bytes, event_id: int, row_hash: str) -> str:
    """The chain head's signature: which event is the newest (HMAC-SHA256, hex)."""
    return _event_signature(key, "head", event_id, row_hash)


def checkpoint_signature(key: bytes, event_id: int, row_hash: str, kind: str, created_at: datetime,
                         row_mac: str = "") -> str:
    """HMAC-SHA256 of a checkpoint. ``row_mac``: the signed event's own signature, covered too (so it
    cannot be stripped to make the events after it look as if signing had not begun); "" for events
    from before signing and for purge anchors (their event is deleted)."""
    message = f"cmms-audit|{event_id}|{row_hash}|{kind}|{_utc_text(created_at)}"
    if row_mac:
        message += f"|{row_mac}"
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


# --- writing ---------------------------------------------------------------------------------------------


def _locked_head(session: Session) -> AuditChainHead:
    """The chain head, locked for this transaction (a no-op UPDATE takes the row lock on PostgreSQL and
    the write lock on SQLite before the head is read)."""
    result = session.execute(update(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
                             .values(last_event_id=AuditChainHead.last_event_id))
    if not result.rowcount:  # type: ignore[attr-defined]
        last = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        session.add(AuditChainHead(id=HEAD_ID, last_event_id=last.id if last else 0,
                                   last_hash=last.row_hash if last else GENESIS_HASH, since_checkpoint=0))
        session.flush()
    head = session.scalar(select(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
                          .execution_options(populate_existing=True))
    assert head is not None
    return head


def record_audit(
    session: Session,
    *,
    action: str,
    user_id: int | None = None,
    username: str = "",
    object_type: str = "",
    object_id: str | int = "",
    ip_address: str = "",
    success: bool = True,
    district_id: int | None = None,
    at: datetime | None = None,
    signing_key: bytes | None = None,
    checkpoint_every: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add one chained audit event to ``session`` (the caller's transaction commits it with the action).

    The event takes the next id and links to the previous event's hash under the chain-head lock, held
    until the caller commits or rolls back. ``at`` is now unless given (imports and tests).
    ``signing_key``: ``Settings.audit_key``; every writer of the application passes it, so each event
    is signed (``row_mac``) and so is the chain head (``head_mac``); once signing has begun an unsigned
    event is a break in the chain. ``checkpoint_every`` (with ``signing_key``): also write a periodic
    checkpoint once that many events have been written since the last one (decided on the head already
    locked here, so writing an event reads the head once)."""
    head = _locked_head(session)
    event = AuditEvent(
        id=head.last_event_id + 1, at=at or utcnow(), action=action[:40], user_id=user_id, username=username[:64],
        object_type=object_type[:40], object_id=str(object_id)[:64], district_id=district_id,
        ip_address=ip_address[:64], success=success, detail=json.loads(json.dumps(detail, default=str)),
        prev_hash=head.last_hash,
    )
    event.row_hash = event_hash(event)
    event.row_mac = event_mac(signing_key, event.id, event.row_hash) if signing_key else ""
    session.add(event)
    head.last_event_id, head.last_hash = event.id, event.row_hash
    head.head_mac = head_mac(signing_key, event.id, event.row_hash) if signing_key else ""
    head.since_checkpoint += 1
    session.flush()
    if checkpoint_every is not None and signing_key and head.since_checkpoint >= checkpoint_every:
        write_checkpoint(session, signing_key)
    return event


def write_checkpoint(session: Session, key: bytes, kind: str = "periodic", note: str = "") -> AuditCheckpoint | None:
    """Sign the chain's current end (None when the trail is empty). The caller commits."""
    head = _locked_head(session)
    if head.last_event_id == 0:
        return None
    created = utcnow()
    row_mac = "" if kind == "purge" else (
        session.scalar(select(AuditEvent.row_mac).where(AuditEvent.id == head.last_event_id)) or "")
    checkpoint = AuditCheckpoint(
        event_id=head.last_event_id, row_hash=head.last_hash, kind=kind, created_at=created, note=note[:500],
        signature=checkpoint_signature(key, head.last_event_id, head.last_hash, kind, created, row_mac),
    )
    session.add(checkpoint)
    head.since_checkpoint = 0
    session.flush()
    return checkpoint


# --- verifying -------------------------------------------------------------------------------------------


@dataclass
class ChainReport:
    """Result of :func:`verify_chain`. ``broken_at`` is the first event (or checkpoint) found wrong."""

    events: int = 0
    first_event_id: int | None = None
    last_event_id: int | None = None
    checkpoints: int = 0
    last_checkpoint_event_id: int | None = None
    unsigned_tail: int = 0
    signed_events: int = 0
    after_checkpoint: int = 0
    broken_at: int | None = None
    problem: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.problem

    def summary(self) -> str:
        if not self.ok:
            where = f"at event {self.broken_at}" if self.broken_at is not None else ""
            return f"BROKEN {where}: {self.problem}".replace("  ", " ")
        signed = (f"{self.checkpoints} signed checkpoint(s), last at event {self.last_checkpoint_event_id}"
                  if self.checkpoints else "no signed checkpoint yet")
        return (f"OK: {self.events} event(s) {self.first_event_id or '-'}..{self.last_event_id or '-'} "
                f"chained, {self.signed_events} signed one by one; {signed}; {self.after_checkpoint} event(s) "
                f"after the last checkpoint, {self.unsigned_tail} of them without a signature of their own")


def _iter_events(session: Session, after_id: int) -> Iterator[AuditEvent]:
    stmt = (select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
            .execution_options(yield_per=2000, populate_existing=True))
    yield from session.scalars(stmt)


def _start(session: Session, key: bytes, after_id: int | None) -> tuple[int, str, str, bool]:
    """Where verification starts: (id before the first event checked, its hash, problem, whether
    events were signed one by one by then)."""
    anchors = list(session.scalars(select(AuditCheckpoint).where(AuditCheckpoint.kind == "purge")
                                   .order_by(AuditCheckpoint.event_id.desc()).limit(1)))
    if after_id is not None:
        checkpoint = session.scalar(select(AuditCheckpoint).where(AuditCheckpoint.event_id == after_id)
                                    .order_by(AuditCheckpoint.id.desc()).limit(1))
        row_mac = session.scalar(select(AuditEvent.row_mac).where(AuditEvent.id == after_id)) or ""
        if checkpoint is not None and _valid(key, checkpoint, row_mac):
            return after_id, checkpoint.row_hash, "", bool(row_mac)
    if anchors:
        anchor = anchors[0]
        if not _valid(key, anchor, ""):
            return 0, GENESIS_HASH, f"the purge anchor at event {anchor.event_id} has a wrong signature", False
        return anchor.event_id, anchor.row_hash, "", False
    return 0, GENESIS_HASH, "", False


def _valid(key: bytes, checkpoint: AuditCheckpoint, row_mac: str) -> bool:
    """Whether ``checkpoint``'s signature is right, given its event's own signature now (``row_mac``;
    a purge anchor's event is gone: its signature never covers one)."""
    expected = checkpoint_signature(key, checkpoint.event_id, checkpoint.row_hash, checkpoint.kind,
                                    checkpoint.created_at, "" if checkpoint.kind == "purge" else row_mac)
    return hmac.compare_digest(expected, checkpoint.signature)


def verify_chain(session: Session, key: bytes, after_checkpoint: int | None = None) -> ChainReport:
    """Recompute the chain (from the start, a purge anchor, or the signed checkpoint at event
    ``after_checkpoint``) and check every signed checkpoint it passes. Reads only."""
    report = ChainReport()
    head = session.scalar(select(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
                          .execution_options(populate_existing=True))
    head_seen = (head.last_event_id, head.last_hash, head.head_mac) if head is not None else (0, GENESIS_HASH, "")
    previous_id, previous_hash, problem, signing_began = _start(session, key, after_checkpoint)
    start_id = previous_id
    if problem:
        report.problem = problem
        return report
    checkpoints: dict[int, list[AuditCheckpoint]] = {}
    for checkpoint in session.scalars(select(AuditCheckpoint).where(AuditCheckpoint.event_id > previous_id)
                                      .order_by(AuditCheckpoint.id)):
        checkpoints.setdefault(checkpoint.event_id, []).append(checkpoint)
    hashes: dict[int, tuple[str, str]] = {}
    unsigned: list[int] = []
    for event in _iter_events(session, previous_id):
        fault = _check_event(event, previous_id, previous_hash) or _check_mac(key, event, signing_began)
        if fault:
            report.broken_at, report.problem = event.id, fault
            return report
        if event.row_mac:
            report.signed_events += 1
            signing_began = True
        else:
            unsigned.append(event.id)
        report.events += 1
        report.first_event_id = report.first_event_id or event.id
        report.last_event_id = event.id
        previous_id, previous_hash = event.id, event.row_hash
        if event.id in checkpoints or event.id == head_seen[0]:
            hashes[event.id] = (event.row_hash, event.row_mac)
    report = _check_checkpoints(report, key, checkpoints, hashes)
    if report.ok:
        _check_head(report, key, head_seen, hashes, signing_began, start_id)
    if report.ok:
        boundary = report.last_checkpoint_event_id or start_id
        report.unsigned_tail = sum(1 for i in unsigned if i > boundary)
        report.after_checkpoint = (report.last_event_id or boundary) - boundary
    return report


def _check_head(report: ChainReport, key: bytes, head: tuple[int, str, str],
                hashes: dict[int, tuple[str, str]], signing_began: bool, start_id: int) -> None:
    """The signed chain head names the newest event as it was written: it must still be there, with
    that hash. (Read before the events, so events written meanwhile only extend the chain; ``start_id``:
    where checking began, e.g. a purge anchor, itself signed.)"""
    event_id, row_hash, mac = head
    if not mac:
        if signing_began:
            report.broken_at, report.problem = event_id, "the chain head is unsigned although events are signed"
        return
    if not hmac.compare_digest(head_mac(key, event_id, row_hash), mac):
        report.broken_at = event_id
        report.problem = "the chain head's signature does not match (rewritten without the key, or a wrong key)"
    elif (report.last_event_id or start_id) < event_id:
        report.broken_at = event_id
        report.problem = (f"the signed chain head names event {event_id}, which is no longer in the trail "
                          "(the newest events were deleted)")
    elif event_id in hashes and hashes[event_id][0] != row_hash:
        report.broken_at = event_id
        report.problem = "the newest event differs from the one the signed chain head names (rewritten)"


def _check_mac(key: bytes, event: AuditEvent, signing_began: bool) -> str:
    """An event's own signature: right when present; present on every event once one has it."""
    if event.row_mac:
        if not hmac.compare_digest(event_mac(key, event.id, event.row_hash), event.row_mac):
            return "the event's signature does not match (rewritten without the key, or a wrong key)"
        return ""
    if signing_began:
        return "the event has no signature although the events before it have (removed or forged)"
    return ""


def _check_event(event: AuditEvent, previous_id: int, previous_hash: str) -> str:
    if event.id != previous_id + 1:
        return (f"events {previous_id + 1}..{event.id - 1} are missing (deleted)" if event.id > previous_id + 1
                else "an event is out of order")
    if event.prev_hash != previous_hash:
        return "the link to the previous event does not match (an event was deleted, inserted or replaced)"
    if event_hash(event) != event.row_hash:
        return "the event's content does not match its hash (edited)"
    return ""


def _check_checkpoints(report: ChainReport, key: bytes, checkpoints: dict[int, list[AuditCheckpoint]],
                       hashes: dict[int, tuple[str, str]]) -> ChainReport:
    for event_id in sorted(checkpoints):
        row_hash, row_mac = hashes.get(event_id, ("", ""))
        for checkpoint in checkpoints[event_id]:
            if report.last_event_id is None or event_id > report.last_event_id:
                report.broken_at = event_id
                report.problem = (f"checkpoint #{checkpoint.id} signs event {event_id}, which is no longer "
                                  "in the trail (events were deleted from the end)")
                return report
            if not _valid(key, checkpoint, row_mac):
                report.broken_at = event_id
                report.problem = (f"checkpoint #{checkpoint.id} has a wrong signature (forged, a wrong key, or "
                                  "its event's own signature removed)")
                return report
            if row_hash != checkpoint.row_hash:
                report.broken_at = event_id
                report.problem = (f"the chain differs from signed checkpoint #{checkpoint.id} "
                                  "(events up to here were rewritten)")
                return report
            report.checkpoints += 1
            report.last_checkpoint_event_id = event_id
    return report


def latest_checkpoint(session: Session, kind: str | None = None) -> AuditCheckpoint | None:
    stmt = select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    if kind:
        stmt = stmt.where(AuditCheckpoint.kind == kind)
    return session.scalar(stmt)


def count_events(session: Session) -> int:
    return session.scalar(select(func.count(AuditEvent.id))) or 0
