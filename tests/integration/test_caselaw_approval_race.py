"""Two librarians approve two copies of one judgment (two districts' uploads) at the same moment: one
is published, the other is refused as its twin, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from caselaw.publication import PublicationError, approve_once
from models import CaseLaw, CaseLawStatus, Role, User
from tests.integration.intake_support import any_db, districts
from tests.integration.web_support import make_document

__all__ = ["any_db"]  # the fixture, bound here so pytest finds it

BLOCKED_FOR_S = 0.5


def _copies(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    """(librarian id, Peshawar's record, Mardan's record) of one judgment, typed two ways."""
    ids = districts(factory, "Peshawar", "Mardan")
    records = []
    for district, number in [("Peshawar", "Crl.A.10-2018"), ("Mardan", "Crl. A. 10/2018")]:
        document_id = make_document(factory, ids[district], f"judgment {district}.pdf")
        records.append(CaseLaw(document_id=document_id, case_number=number, case_numbers=[number],
                               court="Supreme Court of Pakistan", decided_on=date(2019, 1, 15),
                               parties="Bashir v. The State"))
    with factory() as db:
        librarian = User(username="librarian", password_hash="x", role=Role.LIBRARIAN, all_districts=True)
        db.add_all([librarian, *records])
        db.commit()
        return librarian.id, records[0].id, records[1].id


def test_two_copies_approved_at_once_are_published_once(any_db: sessionmaker[Session]) -> None:
    librarian, first, second = _copies(any_db)
    outcome: dict[str, object] = {}

    def approve_the_other_copy() -> None:
        with any_db() as other:
            entry = other.get(CaseLaw, second)
            assert entry is not None
            try:
                approve_once(other, entry, librarian)
                other.commit()
                outcome["result"] = "published"
            except PublicationError as exc:
                other.rollback()
                outcome["result"] = exc.message % exc.params

    with any_db() as session:
        entry = session.get(CaseLaw, first)
        assert entry is not None
        approve_once(session, entry, librarian)  # holds the approval lock until commit
        racer = threading.Thread(target=approve_the_other_copy)
        racer.start()
        time.sleep(BLOCKED_FOR_S)
        assert racer.is_alive(), f"the second approval did not wait for the first: {outcome}"
        session.commit()
    racer.join(timeout=30)
    assert not racer.is_alive()
    assert outcome["result"] == (f"The same judgment is already published as case law no. {first} "
                                 "(Crl.A.10-2018): every district reads that one. This copy stays in its district.")
    with any_db() as db:
        statuses = {row.id: row.status for row in db.query(CaseLaw)}
    assert statuses == {first: CaseLawStatus.PUBLISHED, second: CaseLawStatus.PENDING}
