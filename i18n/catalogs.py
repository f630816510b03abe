"""The gettext catalogs: where they live, compiling ``.po`` to ``.mo``, and loading a language's
translations outside Flask (e-mails, reminders, PDFs made by workers).

Only the ``.po`` files (what translators edit) are kept in git; the ``.mo`` files are generated:
``scripts/setup.sh`` compiles them (``pybabel compile -d search_app/translations``), and
``ensure_compiled`` compiles any that is missing or older than its ``.po`` when the app starts, so a
catalog edited without compiling never leaves the interface silently in English. Where the package
folder is read-only (an installed image) a stale catalog raises ``CatalogError`` instead.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from i18n.languages import DEFAULT_LANGUAGE, LANGUAGES

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "search_app" / "translations"
DOMAIN = "messages"


class CatalogError(RuntimeError):
    """A catalog is missing or cannot be compiled (the message names the file and the command)."""


def po_path(code: str) -> Path:
    return TRANSLATIONS_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(code: str) -> Path:
    return TRANSLATIONS_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"


def translated_languages() -> list[str]:
    """Codes of the languages that need a catalog (every one but the source language)."""
    return [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]


def is_stale(code: str) -> bool:
    po, mo = po_path(code), mo_path(code)
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalog(code: str) -> Path:
    """Compile ``code``'s ``.po`` into its ``.mo`` (atomically: readers never see half a file).
    Fuzzy entries are left out (they show in English until a translator confirms them)."""
    po, mo = po_path(code), mo_path(code)
    if not po.exists():
        raise CatalogError(f"the {code} catalog {po} is missing")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.replace(tmp, mo)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    translations.cache_clear()
    return mo


def ensure_compiled() -> list[str]:
    """Compile every catalog whose ``.mo`` is missing or older than its ``.po``; returns the codes
    compiled. Raises ``CatalogError`` when a stale catalog cannot be written."""
    done = []
    for code in translated_languages():
        if not is_stale(code):
            continue
        try:
            compile_catalog(code)
        except OSError as exc:
            raise CatalogError(
                f"the {code} catalog is not compiled and {mo_path(code).parent} is not writable ({exc}); "
                "run: pybabel compile -d search_app/translations"
            ) from exc
        done.append(code)
    return done


@cache
def translations(code: str) -> NullTranslations:
    """The compiled translations of ``code`` (a ``NullTranslations`` for English), for code that runs
    without a Flask request (reminder e-mails, digests)."""
    if code not in LANGUAGES or code == DEFAULT_LANGUAGE:
        return NullTranslations()
    loaded = Translations.load(str(TRANSLATIONS_DIR), [code], DOMAIN)
    if not isinstance(loaded, Translations):
        raise CatalogError(f"no compiled catalog for {code} at {mo_path(code)}; run scripts/setup.sh")
    return loaded


__all__ = ["TRANSLATIONS_DIR", "CatalogError", "compile_catalog", "ensure_compiled", "is_stale", "mo_path",
           "po_path", "translated_languages", "translations"]
