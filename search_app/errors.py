"""The one error object of the JSON API, and the pages of the web app, for every error.

Every ``/api/`` error (from any blueprint, the login gate, the permission policy, CSRF, a malformed
parameter or an unexpected failure) is JSON ``{"error": {"status": int, "code": str, "message": str}}``
(``components.schemas.Error`` in the OpenAPI document). ``code`` is one of ``ERROR_CODES`` unless a view
gives a more precise one (``bad_query``, ``csrf``, ``invalid_token``, ``token_scope``...). Messages never
say whether a refused object exists: missing and out-of-scope objects get the same 404 text.
"""

from __future__ import annotations

from flask import Response, jsonify, render_template, request
from flask_babel import gettext as _

ERROR_CODES: dict[int, str] = {
    400: "bad_request", 401: "unauthorised", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 429: "too_many_requests",
    500: "internal_error", 503: "unavailable",
}


def default_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood; check the parameters."),
        401: _("Log in first."),
        403: _("Your role does not allow this action."),
        404: _("There is no such page or object, or it is not within your districts."),
        405: _("This action is not allowed here."),
        413: _("The upload is too large for the server."),
        500: _("Something went wrong on the server. The error was logged; try again or tell an administrator."),
        503: _("A service the system needs is not available right now; try again in a minute."),
    }
    return messages.get(status, _("The request could not be handled."))


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def api_error(status: int, code: str | None = None, message: str | None = None, **extra: object) -> Response:
    """The one error object; ``extra`` adds operation-specific fields beside status, code and message
    (``fields`` of an invalid form, the ``conflicts`` of a 409), as the OpenAPI document describes."""
    response = jsonify({"error": {"status": status, "code": code or ERROR_CODES.get(status, "error"),
                                  "message": message or default_message(status), **extra}})
    response.status_code = status
    return response


def error_response(status: int, message: str | None = None, code: str | None = None) -> Response | tuple[str, int]:
    """JSON for the API (and JSON clients), the error page otherwise."""
    if wants_json():
        return api_error(status, code, message)
    return render_template("error.html", code=status, message=message or default_message(status)), status
