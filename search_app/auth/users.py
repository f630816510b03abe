"""Account management shared by the admin page and ``cmms users``: one set of rules for both. Messages
are in the reader's language on the admin page and in English on the command line (no request)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import District, Role, User, utcnow
from search_app.auth.login import find_user, unlock
from search_app.auth.passwords import hash_password
from search_app.auth.sessions import revoke_user_sessions

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
# Admins are province-wide by definition; everyone else sees only their districts unless told.
ALWAYS_ALL_DISTRICTS = frozenset({Role.ADMIN})


class AccountError(ValueError):
    """An account change was refused; the message is for the administrator."""


def districts_by_ids(db: Session, ids: Iterable[int]) -> list[District]:
    wanted = sorted(set(ids))
    found = list(db.scalars(select(District).where(District.id.in_(wanted)))) if wanted else []
    if len(found) != len(wanted):
        raise AccountError(gettext("One of the chosen districts does not exist."))
    return found


def districts_by_names(db: Session, names: Iterable[str], create: bool = False) -> list[District]:
    result: list[District] = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        district = db.scalar(select(District).where(District.name == name))
        if district is None:
            if not create:
                raise AccountError(gettext("There is no district named %(name)s.", name=repr(name)))
            district = District(name=name)
            db.add(district)
        result.append(district)
    return result


def create_user(db: Session, *, username: str, password: str, role: Role, districts: list[District],
                full_name: str = "", all_districts: bool = False) -> User:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountError(gettext("Usernames are 3-64 characters: lower-case letters, digits, '.', '_' or '-'."))
    if find_user(db, username) is not None:
        raise AccountError(gettext("That username is taken."))
    all_districts = all_districts or role in ALWAYS_ALL_DISTRICTS
    if not districts and not all_districts:
        raise AccountError(gettext("Choose at least one district (or all districts)."))
    user = User(username=username, full_name=full_name.strip()[:200],
                password_hash=hash_password(password, context=(username, full_name)),
                role=role, districts=districts, all_districts=all_districts, is_active=True)
    db.add(user)
    db.flush()
    return user


def update_access(db: Session, user: User, *, role: Role, districts: list[District], all_districts: bool,
                  full_name: str) -> list[str]:
    """Change role and districts; a change of access ends the user's sessions (CJIS IA-11)."""
    all_districts = all_districts or role in ALWAYS_ALL_DISTRICTS
    if not districts and not all_districts:
        raise AccountError(gettext("Choose at least one district (or all districts)."))
    changed = []
    if str(user.role) != str(role):
        changed.append("role")
    if user.district_ids != frozenset(d.id for d in districts) or user.all_districts != all_districts:
        changed.append("districts")
    if user.full_name != full_name.strip()[:200]:
        changed.append("full_name")
    user.role, user.districts, user.all_districts = role, districts, all_districts
    user.full_name = full_name.strip()[:200]
    if {"role", "districts"} & set(changed):
        revoke_user_sessions(db, user.id)
    return changed


def set_active(db: Session, user: User, active: bool) -> None:
    user.is_active = active
    if not active:
        revoke_user_sessions(db, user.id)


def reset_password(db: Session, user: User, password: str) -> None:
    user.password_hash = hash_password(password, context=(user.username, user.full_name))
    user.password_changed_at = utcnow()
    unlock(user)
    revoke_user_sessions(db, user.id)
