"""Settings parse strictly and refuse an insecure production configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import DEVELOPMENT_SECRET, REPO_ROOT, Settings, shared_dir
from stack.supervisor import SupervisorPaths, render_config


def test_defaults_run_the_local_stack(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'cmms.sqlite3'}"
    assert settings.files_dir == tmp_path / "files"
    assert settings.es_url == "http://127.0.0.1:9200"


def test_environment_variables_are_read_and_parsed_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMMS_WORKERS", "4")
    assert Settings(_env_file=None).workers == 4  # type: ignore[call-arg]
    monkeypatch.setenv("CMMS_WORKERS", "four")
    with pytest.raises(ValidationError, match="workers"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_shared_dir_is_beside_the_repository_unless_cmms_shared_dir_says_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CMMS_SHARED_DIR", raising=False)
    assert shared_dir() == REPO_ROOT.parent / "shared"
    monkeypatch.setenv("CMMS_SHARED_DIR", str(tmp_path))
    assert shared_dir() == tmp_path
    assert Settings(_env_file=None).shared_dir == tmp_path  # type: ignore[call-arg]


def test_unknown_variable_in_env_file_is_refused(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("CMMS_WROKERS=3\n")
    with pytest.raises(ValidationError):
        Settings(_env_file=env_file)  # type: ignore[call-arg]


@pytest.mark.parametrize("secret", [DEVELOPMENT_SECRET, "short"])
def test_production_refuses_default_or_weak_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="CMMS_SECRET_KEY"):
        Settings(environment="production", secret_key=secret,  # type: ignore[arg-type]
                 database_url="postgresql+psycopg://u:p@h/db", _env_file=None)  # type: ignore[call-arg]


def test_production_requires_a_database_url() -> None:
    with pytest.raises(ValidationError, match="CMMS_DATABASE_URL"):
        Settings(environment="production", secret_key="k" * 40, _env_file=None)  # type: ignore[arg-type, call-arg]


def test_supervisor_config_runs_every_component(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, workers=3, _env_file=None)  # type: ignore[call-arg]
    text = render_config(settings, SupervisorPaths.for_settings(settings))
    for program in ("elasticsearch", "redis", "web", "worker", "reconciler", "hotfolder", "reminders",
                    "page-vectors"):
        assert f"[program:{program}]" in text
    assert "numprocs=3" in text
    assert "search_app.wsgi:app" in text
    # the longest search query in Urdu fits gunicorn's request line (else a bare 414 page, not our message)
    assert "--limit-request-line 8190" in text


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    undocumented = [name for name in Settings.model_fields if f"`CMMS_{name.upper()}`" not in readme]
    assert undocumented == [], "run `cmms config --markdown` and update the README table"
