"""The permission policy: ONE table of who may do what, read kept apart from write.

The table is data (``search_app/auth/permissions/*.toml``, one file per area, merged at load):

- ``[permissions]`` maps a permission name (``case.read``, ``case.write``, ...) to the roles that
  hold it and a sentence saying what it allows;
- ``[endpoints]`` maps every Flask endpoint to the permission it needs, or to ``"public"`` (no login)
  or ``"authenticated"`` (any logged-in user). A list of permissions means "any of these" (stored
  as ``"a|b"``): the object predicates in ``search_app.auth.scope`` then decide which objects each
  permission reaches (e.g. correcting district material vs. published case law);
- ``[objects]`` maps a write endpoint on ONE object to that object's kind (``case_law``): when the role
  lacks the write, a user who may still read the object (``search_app.auth.scope.reads_object``) is told
  "You may read this, but it is not yours to change." rather than "Your role does not allow this action".

``enforce`` runs before every request (after the login gate): an endpoint with no rule is refused
(403, fail closed) and a test generated from the URL map fails, so a new route cannot ship without
a rule. This decides *which actions* a role has; *which objects* (districts, sealed cases, published
case law) is decided by ``search_app.auth.scope`` inside the SQL and Elasticsearch queries.

Errors: ``PolicyError`` when the table itself is inconsistent (unknown role, an endpoint naming an
unknown permission, a name defined twice); raised at app start, never per request.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from flask import request
from werkzeug.wrappers import Response as BaseResponse

from models import Role, User

PUBLIC = "public"
AUTHENTICATED = "authenticated"
SPECIAL_RULES = frozenset({PUBLIC, AUTHENTICATED})
ANY_OF = "|"


class PolicyError(ValueError):
    """The permission table is inconsistent (raised when it is loaded)."""


@dataclass(frozen=True)
class Permission:
    name: str
    roles: frozenset[Role]
    doc: str


@dataclass(frozen=True)
class Policy:
    """``permissions`` by name; ``endpoints`` maps an endpoint to a permission name or a special rule;
    ``objects`` maps a write endpoint on one object to the object's kind (for the refusal's wording)."""

    permissions: Mapping[str, Permission]
    endpoints: Mapping[str, str]
    objects: Mapping[str, str] = field(default_factory=dict)

    def rule_for(self, endpoint: str) -> str | None:
        """The permission name (or ``public``/``authenticated``) guarding ``endpoint``; None if none."""
        return self.endpoints.get(endpoint)

    def allows(self, user: User | None, permission: str) -> bool:
        """Whether ``user`` holds ``permission`` (a name from the table, an any-of rule ``a|b``, or a
        special rule)."""
        if permission == PUBLIC:
            return True
        if user is None:
            return False
        if permission == AUTHENTICATED:
            return True
        return Role(str(user.role)) in self.roles_for(permission)

    def roles_for(self, permission: str) -> frozenset[Role]:
        """Roles holding ``permission`` (every role for the special rules; the union for ``a|b``)."""
        if permission in SPECIAL_RULES:
            return frozenset(Role)
        roles: frozenset[Role] = frozenset()
        for name in permission.split(ANY_OF):
            entry = self.permissions.get(name)
            if entry is None:
                raise PolicyError(f"unknown permission {name!r}")
            roles |= entry.roles
        return roles


def _merge(tables: Iterable[tuple[str, dict[str, object]]]) -> Policy:
    permissions: dict[str, Permission] = {}
    endpoints: dict[str, str] = {}
    objects: dict[str, str] = {}
    for source, table in tables:
        for name, spec in dict(table.get("permissions", {})).items():  # type: ignore[call-overload]
            if name in permissions or name in SPECIAL_RULES:
                raise PolicyError(f"{source}: permission {name!r} is defined twice")
            try:
                roles = frozenset(Role(r) for r in spec["roles"])
            except (KeyError, ValueError) as exc:
                raise PolicyError(f"{source}: permission {name!r}: bad roles ({exc})") from exc
            permissions[name] = Permission(name, roles, str(spec.get("doc", "")))
        for endpoint, rule in dict(table.get("endpoints", {})).items():  # type: ignore[call-overload]
            if endpoint in endpoints:
                raise PolicyError(f"{source}: endpoint {endpoint!r} has two rules")
            endpoints[endpoint] = ANY_OF.join(str(r) for r in rule) if isinstance(rule, list) else str(rule)
        _merge_objects(source, table, objects)
    if stray := sorted(set(objects) - set(endpoints)):
        raise PolicyError(f"[objects] names endpoints {stray}, which have no rule")
    for endpoint, rule in endpoints.items():
        if rule in SPECIAL_RULES:
            continue
        for name in rule.split(ANY_OF):
            if name not in permissions:
                raise PolicyError(f"endpoint {endpoint!r} names unknown permission {name!r}")
    return Policy(permissions, endpoints, objects)


def _merge_objects(source: str, table: dict[str, object], objects: dict[str, str]) -> None:
    """Add one file's ``[objects]`` (endpoint -> object kind) to ``objects``; an endpoint named twice is refused."""
    for endpoint, kind in dict(table.get("objects", {})).items():  # type: ignore[call-overload]
        if endpoint in objects:
            raise PolicyError(f"{source}: endpoint {endpoint!r} names two objects")
        objects[endpoint] = str(kind)


@cache
def load_policy() -> Policy:
    """The merged table from every ``permissions/*.toml`` file (cached for the process)."""
    folder = resources.files("search_app.auth").joinpath("permissions")
    tables = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            tables.append((item.name, tomllib.loads(item.read_text(encoding="utf-8"))))
    return _merge(tables)


def can(user: User | None, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` (for templates and services: show a button or not)."""
    return load_policy().allows(user, permission)


# While a user whose role must use MFA has not enrolled, only these endpoints answer.
ENROLMENT_ENDPOINTS = frozenset({"account.mfa", "account.mfa_enable", "auth.logout", "auth.login",
                                 "auth.login_mfa", "auth.reauthenticate", "auth.change_password", "static"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def enforce() -> BaseResponse | None:
    """before_request: refuse (403, audited) an endpoint the user's role may not use, or one with no rule;
    a user who must still enrol in MFA reaches only the enrolment page; a read-only API token only reads."""
    from flask import g, redirect, session, url_for

    from search_app.auth import get_user

    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route: the 404 happens, nothing to check
    policy = load_policy()
    rule = policy.rule_for(endpoint)
    user = get_user()
    if user is not None and session.get("mfa_enrol_required") and endpoint not in ENROLMENT_ENDPOINTS:
        return redirect(url_for("account.mfa"))
    if user is not None and g.get("api_token_scope") == "read" and request.method not in SAFE_METHODS:
        return _refuse(endpoint, "token_scope", rule or "", "This API token may only read (scope read).")
    if rule is not None and (rule == PUBLIC or user is None or policy.allows(user, rule)):
        return None  # anonymous users were already sent to the login page by the login gate
    if rule is not None and endpoint in policy.objects:
        from flask_babel import gettext

        from search_app.auth.scope import reads_object

        if reads_object(policy.objects[endpoint], request.view_args or {}):
            return _refuse(endpoint, "read_only", rule, gettext("You may read this, but it is not yours to change."))
    return _refuse(endpoint, "no_rule" if rule is None else "role", rule or "")


def _refuse(endpoint: str, reason: str, required: str, message: str | None = None) -> BaseResponse:
    from search_app.audit import audit
    from search_app.errors import error_response

    audit("forbidden", "endpoint", endpoint, success=False, reason=reason, required=required)
    response = error_response(403, message, "token_scope" if reason == "token_scope" else None)
    if isinstance(response, tuple):
        from flask import make_response

        return make_response(response)
    return response
