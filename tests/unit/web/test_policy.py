"""The permission table (search_app/auth/permissions/*.toml) against the app's URL map: every route has
exactly one rule, no rule names a route that does not exist, and the table itself is consistent.

The role x district x route matrix that exercises each rule through real requests lives in
tests/integration (it needs a database with users of every role)."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import Settings
from models import Role
from search_app.auth.policy import AUTHENTICATED, PUBLIC, PolicyError, _merge, load_policy


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    from search_app import create_app

    var = tmp_path_factory.mktemp("var")
    app = create_app(Settings(environment="test", var_dir=var, secret_key="s" * 40,  # type: ignore[arg-type]
                              _env_file=None))  # type: ignore[call-arg]
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def test_every_route_has_a_rule(endpoints: set[str]) -> None:
    missing = sorted(endpoints - set(load_policy().endpoints))
    assert not missing, f"routes without a rule in search_app/auth/permissions/*.toml: {missing}"


def test_no_rule_for_a_route_that_does_not_exist(endpoints: set[str]) -> None:
    stale = sorted(set(load_policy().endpoints) - endpoints)
    assert not stale, f"rules for routes that do not exist: {stale}"


def test_only_the_login_pages_static_files_token_feeds_and_the_language_switch_are_public() -> None:
    public = {e for e, rule in load_policy().endpoints.items() if rule == PUBLIC}
    # a feed checks its own token; the login page switches language and loads the Urdu font
    assert public == {"auth.login", "auth.login_mfa", "static", "feeds.ical", "language.switch", "language.font"}


def test_the_login_gate_lets_through_exactly_the_public_rules() -> None:
    from search_app.auth import PUBLIC_ENDPOINTS

    assert {e for e, rule in load_policy().endpoints.items() if rule == PUBLIC} == PUBLIC_ENDPOINTS


def test_roles_are_exactly_the_readme_role_table() -> None:
    """The README's role table is the contract (issue 8, kind 12): librarians read no district case or
    document, data entry neither reads nor writes cases and hearings, prosecutors do not upload or
    correct, supervisors are prosecutors plus oversight."""
    policy = load_policy()

    def holders(permission: str) -> set[str]:
        return {str(r) for r in policy.permissions[permission].roles}

    assert holders("case.read") == holders("case.write") == {"prosecutor", "supervisor", "admin"}
    assert holders("hearing.read") == holders("hearing.write") == {"prosecutor", "supervisor", "admin"}
    assert holders("document.read") == {"data_entry", "prosecutor", "supervisor", "admin"}
    assert holders("document.correct") == holders("intake.use") == {"data_entry", "admin"}
    assert holders("caselaw.write") == {"librarian", "admin"}
    assert holders("oversight.read") == {"supervisor", "admin"}
    assert holders("admin.manage") == {"admin"}
    # intake and review are data entry's work; case law is curated and published by librarians
    for permission in ("review.read", "review.write", "intake.retry", "intake.version"):
        assert holders(permission) == {"data_entry", "admin"}, permission
    assert holders("intake.quarantine") == {"admin"}
    assert holders("caselaw.approve") == {"librarian", "admin"}
    assert holders("caselaw.read") == {"data_entry", "prosecutor", "librarian", "supervisor", "admin"}
    prosecutor = {p for p in policy.permissions if "prosecutor" in holders(p)}
    supervisor = {p for p in policy.permissions if "supervisor" in holders(p)}
    # oversight: the caseload, dashboards and audit trail, the district's courts and holidays (calendar.manage)
    # and its peer reviews (assignment, rotation, sign-off: peer_review.manage)
    assert supervisor == prosecutor | {"oversight.read", "calendar.manage", "peer_review.manage"}
    # the case file's actions on a case are the case writers' (no data entry, no librarian)
    for permission in ("scrutiny.write", "outcome.write", "person.decide", "case.seal", "paperbook.export",
                       "peer_review.work", "peer_review.answer"):
        assert holders(permission) == holders("case.write"), permission


def test_stage_moves_name_only_roles_that_change_cases() -> None:
    """casework/data/stages.toml says which role makes which move; every role it names must hold
    case.write in the permission table (a move changes the case record)."""
    from casework.stages import lifecycle

    writers = {str(r) for r in load_policy().permissions["case.write"].roles}
    for transition in lifecycle().transitions.values():
        assert set(transition.roles) <= writers, (transition.source, transition.target, transition.roles)


def test_any_of_rules_hold_for_the_union_of_roles() -> None:
    policy = _merge([("a", {"permissions": {"x.read": {"roles": ["prosecutor"], "doc": "x"},
                                            "y.read": {"roles": ["librarian"], "doc": "y"}},
                            "endpoints": {"x.index": ["x.read", "y.read"]}})])
    assert policy.rule_for("x.index") == "x.read|y.read"
    assert {str(r) for r in policy.roles_for("x.index" and "x.read|y.read")} == {"prosecutor", "librarian"}


def test_every_permission_is_used_and_documented() -> None:
    policy = load_policy()
    used = {name for rule in policy.endpoints.values() for name in rule.split("|")}
    for name, permission in policy.permissions.items():
        assert permission.doc, f"{name} has no doc"
        assert permission.roles, f"{name} is held by no role"
    # A permission may be used only by services (templates, the search filter); list them here.
    service_only: set[str] = set()
    assert set(policy.permissions) - used <= service_only


def test_admin_holds_every_permission() -> None:
    policy = load_policy()
    assert all(Role.ADMIN in p.roles for p in policy.permissions.values())


@pytest.mark.parametrize(("tables", "message"), [
    ([("a", {"permissions": {"x.read": {"roles": ["nobody"]}}})], "bad roles"),
    ([("a", {"permissions": {"x.read": {"roles": ["admin"]}}}),
      ("b", {"permissions": {"x.read": {"roles": ["admin"]}}})], "defined twice"),
    ([("a", {"endpoints": {"x.index": "x.read"}})], "unknown permission"),
    ([("a", {"endpoints": {"x.index": AUTHENTICATED}}), ("b", {"endpoints": {"x.index": PUBLIC}})], "two rules"),
    ([("a", {"objects": {"x.edit": "case_law"}})], "have no rule"),
    ([("a", {"endpoints": {"x.edit": AUTHENTICATED}, "objects": {"x.edit": "case_law"}}),
      ("b", {"objects": {"x.edit": "case_law"}})], "two objects"),
])
def test_inconsistent_tables_are_refused(tables: list[tuple[str, dict[str, object]]], message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        _merge(tables)


def test_the_table_files_are_shipped_with_the_package() -> None:
    folder = Path(__file__).resolve().parents[3] / "search_app" / "auth" / "permissions"
    assert sorted(p.name for p in folder.glob("*.toml"))


def test_every_object_named_by_a_write_route_is_one_scope_knows_how_to_read() -> None:
    """``[objects]`` gives a refused write the wording "not yours to change" for the object's readers;
    every kind must be one ``auth.scope.reads_object`` reads, and every case-law write on one judgment
    must be listed (a new one forgotten would answer "your role does not allow" to its readers): the
    judgment's routes by ``caselaw_id``, the correction of its pages by ``document_id``."""
    from search_app.auth.scope import READABLE_OBJECTS

    policy = load_policy()
    assert set(policy.objects.values()) <= set(READABLE_OBJECTS)
    on_one_judgment = {e for e, rule in policy.endpoints.items()
                       if {"caselaw.write", "caselaw.approve"} & set(rule.split("|"))} - {
        "caselaw.review", "caselaw_curation.create_collection"}  # lists and new collections: no judgment
    assert on_one_judgment == set(policy.objects)
