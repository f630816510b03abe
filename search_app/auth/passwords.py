"""Password hashing (Argon2id) and the rules a new password must meet (NIST SP 800-63B, 5.1.1.2).

Rules, in the order a person reads them:
- the password is normalised to Unicode NFKC first (800-63B: "SHOULD apply Normalization"), both when
  it is set and when it is checked at login, so the same characters typed on another keyboard match;
- at least 12 characters and at most 128, counted in code points after normalisation, of which at
  least 12 are visible: spaces are allowed but a password of only spaces, invisible or zero-width
  characters is refused;
- not a common or breached password, not a dictionary word or a repetition or sequence ("aaaa...",
  "1111...", "abcd...", keyboard walks): the zxcvbn estimator (its 30,000 most common passwords plus
  English words and names) must give a score of at least 3 (about 10^8 guesses or more);
- nothing built from the user's own name: the username and full name are given to the estimator as
  known words, and a password containing the username is refused outright.

No composition rules (no "one capital, one digit") and no expiry, as 800-63B says.

Parameters follow OWASP ASVS 5.0 appendix C (argon2id, t >= 2, m >= 19 MiB, p = 1); we use more
memory than the minimum because logins are rare and the server has plenty.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import get_locale, lazy_gettext

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: 0 (too guessable) .. 4 (very unguessable); 3 is "safely unguessable"

_HASHER = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=1)


class PasswordRuleError(ValueError):
    """A proposed password breaks a rule; the message is shown to the person choosing it."""


def normalise(password: str) -> str:
    """NFKC, as stored and as checked."""
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str, *, context: Iterable[str] = (), check_rules: bool = True) -> str:
    """Argon2id hash of the NFKC form. Raises PasswordRuleError when a rule is broken (``context``:
    the user's own words, such as username and full name)."""
    if check_rules:
        check_password_rules(password, context)
    return _HASHER.hash(normalise(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, normalise(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        pass
    try:  # hashes made before passwords were normalised
        return normalise(password) != password and _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def _visible(password: str) -> int:
    """Characters that are neither white space nor invisible (format, control, unassigned)."""
    return sum(1 for ch in password if not ch.isspace() and unicodedata.category(ch)[0] not in ("C", "Z"))


def _context_words(context: Iterable[str]) -> list[str]:
    words: list[str] = []
    for item in context:
        item = normalise(item or "").strip().lower()
        if item:
            words.append(item)
            words.extend(part for part in item.replace(".", " ").replace("_", " ").replace("-", " ").split()
                         if len(part) >= 3)
    return words


def check_password_rules(password: str, context: Iterable[str] = ()) -> None:
    """Raise PasswordRuleError with a message for the person if ``password`` breaks a rule."""
    from zxcvbn import zxcvbn

    text = normalise(password)
    if len(text) < MIN_LENGTH:
        raise PasswordRuleError(str(lazy_gettext("The password must be at least %(n)s characters long.",
                                                 n=MIN_LENGTH)))
    if len(text) > MAX_LENGTH:
        raise PasswordRuleError(str(lazy_gettext("The password must be at most %(n)s characters long.",
                                                 n=MAX_LENGTH)))
    if _visible(text) < MIN_LENGTH:
        raise PasswordRuleError(str(lazy_gettext(
            "The password must have at least %(n)s visible characters (spaces and invisible characters do "
            "not count).", n=MIN_LENGTH)))
    words = _context_words(context)
    lowered = text.lower()
    if any(len(w) >= 3 and w in lowered for w in words[:1]):
        raise PasswordRuleError(str(lazy_gettext("The password must not contain your username.")))
    result = zxcvbn(text[:100], user_inputs=words)
    if result["score"] < MIN_SCORE:
        hint = (result.get("feedback") or {}).get("warning") or ""
        message = str(lazy_gettext(
            "This password is too easy to guess (common, a dictionary word, a repetition or sequence, or "
            "built from your name). A few unrelated words make a strong password."))
        english = str(get_locale() or "en") == "en"  # zxcvbn's hint is English only: not mixed into Urdu
        raise PasswordRuleError(f"{message} {hint}".strip() if english else message)


# A hash of a random string, verified against when the username is unknown, so that a login for a
# missing account takes as long as one with a wrong password (no user enumeration by timing).
DUMMY_HASH = _HASHER.hash("no-such-user-placeholder-password")
