"""Password hashing (Argon2id) and the password rules a new password must meet.

Parameters follow OWASP ASVS 5.0 appendix C (argon2id, t >= 2, m >= 19 MiB, p = 1); we use more
memory than the minimum because logins are rare and the server has plenty.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 128
# A handful of the commonest choices; the full breached-password check is a listed gap.
COMMON_PASSWORDS = frozenset({
    "password", "password123", "123456789012", "qwertyuiop12", "admin1234567", "pakistan1234",
    "peshawar1234", "welcome12345", "letmein12345", "changeme1234",
})

_HASHER = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=1)


class PasswordRuleError(ValueError):
    """A proposed password breaks a rule; the message is shown to the person choosing it."""


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def check_password_rules(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordRuleError(f"The password must be at least {MIN_LENGTH} characters long.")
    if len(password) > MAX_LENGTH:
        raise PasswordRuleError(f"The password must be at most {MAX_LENGTH} characters long.")
    if password.lower() in COMMON_PASSWORDS:
        raise PasswordRuleError("This password is too common; choose another.")


# A hash of a random string, verified against when the username is unknown, so that a login for a
# missing account takes as long as one with a wrong password (no user enumeration by timing).
DUMMY_HASH = _HASHER.hash("no-such-user-placeholder-password")
