"""The language switch on every page, the display settings (language and digits), and the Urdu
Nastaliq font served from the Debian package (``fonts-noto-core``) rather than a web font service.

Choosing a language saves it on the user (``User.language``) and in a cookie, so the login page
after logging out stays in the language last chosen.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from i18n.languages import DIGIT_STYLES, LANGUAGES
from search_app.audit import audit
from search_app.auth import current_user, get_user
from search_app.db import get_session
from search_app.i18n import COOKIE_MAX_AGE_S, DIGITS_COOKIE, LANGUAGE_COOKIE

bp = Blueprint("language", __name__)

# Fonts the pages use, by file name, and where Debian's packages put them (fonts-noto-core installs
# Noto Nastaliq Urdu; scripts/setup.sh installs the package). Nothing is fetched from the internet.
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"),
             Path("/usr/local/share/fonts"))
FONT_FILES = ("NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf")
FONT_CACHE_S = 30 * 24 * 3600


def font_path(name: str) -> Path | None:
    """The installed file of font ``name`` (one of ``FONT_FILES``), or None."""
    if name not in FONT_FILES:
        return None
    return next((d / name for d in FONT_DIRS if (d / name).is_file()), None)


def _back(default: str = "home.index") -> str:
    """The page the switch was used on: the form's ``next`` or the Referer (sent for same-origin requests
    under the app's Referrer-Policy), same-site paths only (no open redirect). The switch on a page carries
    no path of its own, so an error page reads the same whatever address was asked for."""
    target = request.form.get("next") or ""
    if not target and request.referrer:
        parts = urlsplit(request.referrer)
        if parts.netloc == request.host:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(default)


def _remember(response: BaseResponse, name: str, value: str | None) -> None:
    if value:
        response.set_cookie(name, value, max_age=COOKIE_MAX_AGE_S, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    else:
        response.delete_cookie(name)


@bp.post("/language")
def switch() -> BaseResponse:
    """The switch in the top bar: answer in ``language`` from now on. Public (the login page has it):
    a logged-in user's choice is saved on their profile, anyone's in the cookie."""
    chosen = request.form.get("language", "")
    if chosen not in LANGUAGES:
        abort(400, description=_("Choose one of the languages offered."))
    if get_user() is not None:
        db = get_session()
        current_user.language = chosen
        audit("preferences", "user", current_user.id, language=chosen)
        db.commit()
    response = redirect(_back())
    _remember(response, LANGUAGE_COOKIE, chosen)
    return response


@bp.route("/settings/display", methods=["GET", "POST"])
def settings() -> BaseResponse | str | tuple[str, int]:
    """Language (or the browser's) and Western or Eastern Arabic digits."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        language = request.form.get("language", "")
        digits = request.form.get("digits", "")
        if language not in ("", *LANGUAGES):
            errors["language"] = _("Choose one of the languages offered.")
        if digits not in ("", *DIGIT_STYLES):
            errors["digits"] = _("Choose Western or Eastern digits.")
        if not errors:
            db = get_session()
            current_user.language = language or None
            current_user.digits = digits or None
            audit("preferences", "user", current_user.id, language=language or None, digits=digits or None)
            db.commit()
            flash(_("Display settings saved."), "success")
            response = redirect(url_for("language.settings"))
            _remember(response, LANGUAGE_COOKIE, language or None)
            _remember(response, DIGITS_COOKIE, digits or None)
            return response
    page = render_template("settings/display.html", errors=errors, languages=LANGUAGES,
                           chosen_language=current_user.language or "", chosen_digits=current_user.digits or "")
    return (page, 400) if errors else page


@bp.get("/fonts/<name>")
def font(name: str) -> BaseResponse:
    """A font file the pages use (public: the login page is set in it too)."""
    path = font_path(name)
    if path is None:
        abort(404, description=_("This font is not installed on the server."))
    response = send_file(path, mimetype="font/ttf", max_age=FONT_CACHE_S)
    response.headers["Cache-Control"] = f"public, max-age={FONT_CACHE_S}"
    return response
