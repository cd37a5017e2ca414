from pathlib import Path

from services.common.config import ENVIRONMENT, Settings, database_url_for

README = Path(__file__).resolve().parents[2] / "deploy" / "README.md"


def test_each_service_gets_its_own_sqlite_file_by_default(tmp_path):
    url = database_url_for("jobs", {"DATA_DIR": str(tmp_path)})
    assert url == f"sqlite:///{tmp_path / 'jobs.sqlite3'}"


def test_a_shared_postgres_url_gives_each_service_its_own_database():
    env = {"DATABASE_URL": "postgresql://postgres@db:5432/youthcity"}
    assert database_url_for("housing", env) == "postgresql://postgres@db:5432/youthcity_housing"


def test_a_service_placeholder_is_replaced():
    env = {"DATABASE_URL": "postgresql://u:p@db/yc_{service}"}
    assert database_url_for("events", env) == "postgresql://u:p@db/yc_events"


def test_a_service_of_its_own_wins_over_the_shared_url():
    env = {
        "DATABASE_URL": "postgresql://db/youthcity",
        "NOTIFY_DATABASE_URL": "postgresql://other/n",
    }
    assert database_url_for("notify", env) == "postgresql://other/n"


def test_settings_read_from_the_environment():
    settings = Settings.from_env(
        "startup",
        9103,
        {"METRICS_PORT": "9200", "RPC_TIMEOUT": "2.5", "HANDLER_RETRY_DELAYS": "1,2"},
    )
    assert settings.metrics_port == 9200
    assert settings.rpc_timeout == 2.5
    assert settings.handler_retry_delays == (1.0, 2.0)
    assert Settings.from_env("startup", 9103, {}).metrics_port == 9103


def test_the_operations_guide_documents_every_environment_variable():
    readme = README.read_text(encoding="utf-8")
    undocumented = [name for name in ENVIRONMENT if f"`{name}`" not in readme]
    assert undocumented == []


def test_a_percent_encoded_service_placeholder_is_replaced_too():
    # how sqlalchemy renders postgresql://…/yc_{service} (the e2e platform's DATABASE_URL)
    env = {"DATABASE_URL": "postgresql+psycopg2://postgres@db:5432/yc_%7Bservice%7D"}
    assert database_url_for("jobs", env) == "postgresql+psycopg2://postgres@db:5432/yc_jobs"
