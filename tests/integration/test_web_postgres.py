"""District scoping and the session store on PostgreSQL (the production database), migrated with
the real Alembic migrations."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from config import Settings
from models import Role, make_session_factory
from models.migrate import upgrade_database
from search_app import create_app
from tests.integration.web_support import audit_rows, ensure_new_tables, login, make_case, make_user


@pytest.mark.postgres
def test_case_scoping_on_postgresql(settings: Settings, postgres_engine: Engine) -> None:
    upgrade_database(postgres_engine)
    ensure_new_tables(postgres_engine)
    factory = make_session_factory(postgres_engine)
    from models import District

    with factory() as db:
        peshawar, mardan = District(name="Peshawar"), District(name="Mardan")
        db.add_all([peshawar, mardan])
        db.commit()
        peshawar_id, mardan_id = peshawar.id, mardan.id
    make_user(factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    mine = make_case(factory, peshawar_id, fir_number="11")
    other = make_case(factory, mardan_id, fir_number="22")
    url = postgres_engine.url.render_as_string(hide_password=False)
    app = create_app(settings.model_copy(update={"database_url": url}))
    try:
        client = app.test_client()
        assert login(client, "pros").status_code == 302
        listing = client.get("/cases/").get_data(as_text=True)
        assert f"/cases/{mine}" in listing and f"/cases/{other}" not in listing
        assert f"/cases/{mine}\"" in client.get("/cases/?section=302 PPC").get_data(as_text=True)
        assert client.get(f"/cases/{mine}").status_code == 200
        assert client.get(f"/cases/{other}").status_code == 404
        denied = [e for e in audit_rows(factory, "view") if not e.success]
        assert [(e.object_id, e.detail["reason"]) for e in denied] == [(str(other), "out_of_scope")]
    finally:
        app.extensions["cmms"].engine.dispose()
