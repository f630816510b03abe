"""``cmms users create`` / ``cmms users list`` against a migrated SQLite database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select

from cli.user_commands import users
from config import Settings, get_settings
from models import User
from tests.integration.web_support import ensure_new_tables


@pytest.fixture
def cli_env(settings: Settings, engine: Engine) -> Iterator[dict[str, str]]:
    ensure_new_tables(engine)
    get_settings.cache_clear()
    yield {"CMMS_VAR_DIR": str(settings.var_dir), "CMMS_ENVIRONMENT": "test"}
    get_settings.cache_clear()


def test_create_and_list_users(cli_env: dict[str, str], session_factory) -> None:
    runner = CliRunner(env=cli_env)
    created = runner.invoke(users, ["create", "--username", "first.admin", "--role", "admin",
                                    "--password-stdin"], input="a long admin passphrase\n")
    assert created.exit_code == 0, created.output
    clerk = runner.invoke(users, ["create", "--username", "clerk", "--role", "data_entry", "--district",
                                  "Peshawar", "--district", "Mardan", "--password-stdin"],
                          input="another long passphrase\n")
    assert clerk.exit_code == 0, clerk.output
    weak = runner.invoke(users, ["create", "--username", "weak", "--role", "data_entry", "--district", "Swat",
                                 "--password-stdin"], input="short\n")
    assert weak.exit_code != 0 and "at least 12 characters" in weak.output
    listing = runner.invoke(users, ["list"])
    assert listing.exit_code == 0
    assert "first.admin\tadmin\tall districts\tactive" in listing.output
    assert "clerk\tdata_entry\tMardan, Peshawar\tactive" in listing.output
    with session_factory() as db:
        assert db.scalar(select(User).where(User.username == "weak")) is None
