"""NIST SP 800-63B password rules (issue 8, kind 11) and the TOTP rules (RFC 6238), without services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from search_app.auth.mfa import verify_totp
from search_app.auth.passwords import PasswordRuleError, check_password_rules, hash_password, verify_password


@pytest.mark.parametrize(("password", "context"), [
    ("aaaaaaaaaaaa", ()),                          # repetition
    (" " * 12, ()),                                # only spaces
    ("\u200b" * 12, ()),                           # only zero-width spaces
    ("111111111111", ()),                          # repetition of digits
    ("pros_a123456", ("pros_a", "Pros A")),        # username plus digits
    ("gulkhan19851985", ("gulkhan", "Gul Khan")),  # built from the user's name
    ("password1234", ()),                          # common
    ("qwertyuiopasdf", ()),                        # keyboard walk
    ("abcdefghijklmn", ()),                        # sequence
    ("short", ()),
    ("x" * 129, ()),
])
def test_weak_passwords_are_refused(password: str, context: tuple[str, ...]) -> None:
    with pytest.raises(PasswordRuleError):
        check_password_rules(password, context)


@pytest.mark.parametrize("password", [
    "correct horse battery staple", "Peshawar orchard lantern 42", "ملزم باغ چراغ کتاب قلم",
    "tea kettle ferry moonlight",
])
def test_strong_passphrases_are_accepted(password: str) -> None:
    check_password_rules(password, ("pros_a", "Pros A"))


def test_passwords_are_normalised_nfkc_when_set_and_checked() -> None:
    hashed = hash_password("ｃｏｒｒｅｃｔ horse battery staple")  # full-width letters
    assert verify_password(hashed, "correct horse battery staple")
    assert not verify_password(hashed, "correct horse battery stapler")


def test_a_totp_code_is_accepted_once_within_one_step_of_drift() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = datetime.now(UTC)
    step = verify_totp(secret, totp.at(now), 0)
    assert step is not None
    assert verify_totp(secret, totp.at(now), step) is None  # replay refused
    assert verify_totp(secret, totp.at(now + timedelta(seconds=30)), step) == step + 1
    assert verify_totp(secret, totp.at(now - timedelta(minutes=5)), 0) is None  # too old
    assert verify_totp(secret, "12345", 0) is None and verify_totp(secret, "abcdef", 0) is None
