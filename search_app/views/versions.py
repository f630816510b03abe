"""Re-scan findings on the batch page: make the re-scan a new version of the earlier document, or keep
both. Both documents must be in the user's scope (a finding only ever pairs documents of one district)."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, select
from werkzeug.wrappers import Response as BaseResponse

from ingest.versions import VersionError, keep_both, make_version
from models import Document, RescanMatch
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import current_scope, intake_document_condition, object_or_404
from search_app.db import get_session
from search_app.services import AppServices

bp = Blueprint("versions", __name__, url_prefix="/intake")


def _match_or_404(match_id: int, action: str) -> tuple[RescanMatch, Document, Document]:
    """The finding if BOTH its documents are the user's intake work (``auth.scope.intake_document_condition``:
    their districts, never published case law); otherwise the same 404 for missing and out of scope."""
    db = get_session()
    mine = select(Document.id).where(intake_document_condition(current_scope()))
    match = object_or_404(db, RescanMatch, match_id,
                          and_(RescanMatch.document_id.in_(mine), RescanMatch.match_document_id.in_(mine)),
                          action=action, object_type="rescan_match",
                          district_of=lambda m: m.district_id)
    new, old = db.get(Document, match.document_id), db.get(Document, match.match_document_id)
    assert new is not None and old is not None
    return match, new, old


@bp.post("/rescans/<int:match_id>/version", endpoint="make_version")
def make_version_view(match_id: int) -> BaseResponse:
    from jobs.enqueue import enqueue_reindex_document

    _match, new, old = _match_or_404(match_id, "make_version")
    db = get_session()
    try:
        ids = make_version(db, new, old, current_user.id)
    except VersionError as exc:
        db.rollback()
        flash(_(exc.message, **exc.values), "error")
        return redirect(url_for("intake.batch", batch_id=new.batch_id))
    audit("make_version", "document", new.id, district_id=new.district_id, version_of=old.id, version_no=new.version_no)
    services = cast(AppServices, current_app.extensions["cmms"])
    try:
        for document_id in ids:  # the old one leaves the index, the new one carries the case and case law
            enqueue_reindex_document(services.redis, document_id, services.settings)
    except Exception:
        current_app.logger.exception("could not queue re-index of %s", ids)
    flash(_("Document %(new)s is now version %(n)s of document %(old)s; search shows the new version.",
            new=new.id, n=new.version_no, old=old.id), "success")
    return redirect(url_for("intake.batch", batch_id=new.batch_id))


@bp.post("/rescans/<int:match_id>/keep", endpoint="keep_both")
def keep_both_view(match_id: int) -> BaseResponse:
    match, new, old = _match_or_404(match_id, "keep_both")
    db = get_session()
    try:
        keep_both(db, match, current_user.id)
    except VersionError as exc:
        db.rollback()
        flash(_(exc.message, **exc.values), "error")
        return redirect(url_for("intake.batch", batch_id=new.batch_id))
    audit("keep_both", "document", new.id, district_id=new.district_id, beside=old.id)
    flash(_("Both documents are kept."), "success")
    return redirect(url_for("intake.batch", batch_id=new.batch_id))
