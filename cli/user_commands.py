"""``cmms users``: create and list accounts from the command line (first admin, scripted set-up)."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from config import get_settings
from models import Role, User, make_engine, make_session_factory, session_scope


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.option("--username", required=True, help="Login name: lower-case letters, digits, . _ -")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--district", "districts", multiple=True,
              help="District name (repeat for several). Created if it does not exist yet.")
@click.option("--all-districts", is_flag=True, help="The user sees every district (admins always do).")
@click.option("--full-name", default="", help="Name shown in the app.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input "
              "(first line) instead of prompting.")
def create(username: str, role: str, districts: tuple[str, ...], all_districts: bool, full_name: str,
           password_stdin: bool) -> None:
    """Create an account."""
    from search_app.auth.passwords import PasswordRuleError
    from search_app.auth.users import AccountError, create_user, districts_by_names

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            user = create_user(session, username=username, password=password, role=Role(role),
                               districts=districts_by_names(session, districts, create=True),
                               full_name=full_name, all_districts=all_districts)
            from models import record_audit

            record_audit(session, action="user_create", object_type="user", object_id=user.id,
                         username="(cli)", username_created=user.username, role=role, via="cli",
                         signing_key=settings.audit_key)
            click.echo(f"created user {user.username} ({role}), id {user.id}")
    except (AccountError, PasswordRuleError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()


@users.command("list")
def list_users() -> None:
    """List accounts with role, districts and status."""
    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            for user in session.scalars(select(User).order_by(User.username)):
                names = sorted(d.name for d in user.districts)
                where = "all districts" if user.all_districts else ", ".join(names)
                state = "active" if user.is_active else "deactivated"
                click.echo(f"{user.username}\t{user.role}\t{where}\t{state}")
    finally:
        engine.dispose()
