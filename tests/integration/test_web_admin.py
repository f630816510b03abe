"""User administration: create, set districts and role, deactivate, reset password; admins only;
every change audited."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import Role, User
from tests.integration import web_support
from tests.integration.web_support import audit_rows, login, make_user, post

# Fixtures shared by the web tests (bound here so pytest finds them in this module).
app, client, districts = web_support.app, web_support.client, web_support.districts

NEW_PASSWORD = "a brand new passphrase 2026"


def _user(session_factory, username: str) -> User:  # type: ignore[no-untyped-def]
    with session_factory() as db:
        user = db.scalar(select(User).where(User.username == username))
        assert user is not None
        _ = user.districts
        return user


def test_admin_creates_user_who_can_log_in(client: FlaskClient, app: Flask, session_factory,
                                            districts) -> None:
    make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    login(client, "boss")
    response = post(client, "/admin/users", {
        "username": "Nadia.Khan", "full_name": "نادیہ خان", "role": "prosecutor", "password": NEW_PASSWORD,
        "district_ids": [str(districts["Swat"]), str(districts["Mardan"])]})
    assert response.status_code == 302
    user = _user(session_factory, "nadia.khan")
    assert user.role == "prosecutor" and user.district_ids == {districts["Swat"], districts["Mardan"]}
    assert user.password_hash.startswith("$argon2id$")
    assert "نادیہ خان" in client.get("/admin/users").get_data(as_text=True)
    newcomer = app.test_client()
    assert login(newcomer, "nadia.khan", NEW_PASSWORD).status_code == 302
    event = audit_rows(session_factory, "user_create")[0]
    assert event.username == "boss" and event.detail["username_created"] == "nadia.khan"


def test_weak_password_and_duplicate_username_refused(client: FlaskClient, session_factory,
                                                      districts) -> None:
    make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    login(client, "boss")
    weak = post(client, "/admin/users", {"username": "x1y", "role": "data_entry", "password": "short",
                                          "district_ids": [str(districts["Swat"])]})
    assert weak.status_code == 400 and "at least 12 characters" in weak.get_data(as_text=True)
    taken = post(client, "/admin/users", {"username": "boss", "role": "data_entry", "password": NEW_PASSWORD,
                                           "district_ids": [str(districts["Swat"])]})
    assert taken.status_code == 400 and "taken" in taken.get_data(as_text=True)
    nowhere = post(client, "/admin/users",
                   {"username": "floater", "role": "data_entry", "password": NEW_PASSWORD})
    assert nowhere.status_code == 400 and "at least one district" in nowhere.get_data(as_text=True)


def test_change_districts_and_role_ends_sessions(client: FlaskClient, app: Flask, session_factory,
                                                 districts) -> None:
    make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    clerk_id = make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    clerk = app.test_client()
    login(clerk, "clerk")
    login(client, "boss")
    response = post(client, f"/admin/users/{clerk_id}/access", {
        "role": "supervisor", "district_ids": [str(districts["Mardan"])], "full_name": "Clerk"})
    assert response.status_code == 302
    user = _user(session_factory, "clerk")
    assert user.role == "supervisor" and user.district_ids == {districts["Mardan"]}
    assert clerk.get("/").status_code == 302  # re-authenticate after a change of access (CJIS IA-11)
    assert audit_rows(session_factory, "user_access")[0].detail["fields"] == ["role", "districts"]


def test_reset_password(client: FlaskClient, app: Flask, session_factory, districts) -> None:
    make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    clerk_id = make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "boss")
    assert post(client, f"/admin/users/{clerk_id}/password", {"password": NEW_PASSWORD}).status_code == 302
    other = app.test_client()
    assert login(other, "clerk").status_code == 401
    assert login(other, "clerk", NEW_PASSWORD).status_code == 302
    assert len(audit_rows(session_factory, "user_password_reset")) == 1


def test_admin_cannot_deactivate_self_and_can_reactivate(client: FlaskClient, app: Flask, session_factory,
                                                         districts) -> None:
    boss_id = make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    clerk_id = make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "boss")
    assert post(client, f"/admin/users/{boss_id}/deactivate").status_code == 400
    post(client, f"/admin/users/{clerk_id}/deactivate")
    assert _user(session_factory, "clerk").is_active is False
    post(client, f"/admin/users/{clerk_id}/activate")
    assert login(app.test_client(), "clerk").status_code == 302


def test_admin_pages_are_for_admins_only(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "chief", Role.SUPERVISOR, [], all_districts=True)
    clerk_id = make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "chief")
    assert client.get("/admin/users").status_code == 403
    assert post(client, f"/admin/users/{clerk_id}/deactivate").status_code == 403
    assert _user(session_factory, "clerk").is_active is True
    assert audit_rows(session_factory, "forbidden")[0].username == "chief"


def test_admin_ends_all_sessions_of_a_user(client: FlaskClient, app: Flask, session_factory,
                                           districts) -> None:
    make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    clerk_id = make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    laptop, desktop = app.test_client(), app.test_client()
    login(laptop, "clerk")
    login(desktop, "clerk")
    login(client, "boss")
    assert ">2 open sessions<" in client.get("/admin/users").get_data(as_text=True)
    assert post(client, f"/admin/users/{clerk_id}/sessions/end").status_code == 302
    assert laptop.get("/").status_code == 302 and desktop.get("/").status_code == 302
    assert client.get("/").status_code == 200  # the admin's own session is untouched
    assert len(audit_rows(session_factory, "user_sessions_end")) == 1
