import ast
from pathlib import Path

import pytest

from gateway.settings import GatewaySettings
from services.common.config import Settings, database_url_for, reference_markdown
from services.common.registry import PROCESSES, settings_classes

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
    assert Settings.from_env("startup", 9103, {"MAX_WORKERS": "4"}).db_pool_size == 8


def test_the_operations_guide_holds_the_reference_generated_from_the_settings():
    readme = README.read_text(encoding="utf-8")
    assert reference_markdown(settings_classes()) in readme, (
        "regenerate the table: .venv/bin/youthcity settings"
    )


def test_each_process_reads_its_own_settings_class():
    gateway = PROCESSES["gateway"].settings({"TOKEN_LIFETIME": "60", "CORS_ORIGINS": "a, b"})
    assert isinstance(gateway, GatewaySettings)
    assert (gateway.token_lifetime, gateway.cors_origins) == (60, ("a", "b"))
    assert gateway.view_timeout == gateway.rpc_timeout == 5.0
    notify = PROCESSES["notify"].settings({"SMTP_URL": "smtp://mail"})
    assert notify.smtp_url == "smtp://mail" and not hasattr(
        PROCESSES["jobs"].settings({}), "smtp_url"
    )


def test_a_value_that_does_not_parse_names_its_variable():
    with pytest.raises(ValueError, match="TOKEN_LIFETIME"):
        PROCESSES["gateway"].settings({"TOKEN_LIFETIME": "an hour"})
    with pytest.raises(ValueError, match="TRUSTED_PROXY_HOPS"):
        PROCESSES["gateway"].settings({"TRUSTED_PROXY_HOPS": "perhaps"})


def _environment_reads(source: str) -> list[int]:
    """Lines that read the process's environment: `os.environ`, `os.getenv`, or either imported
    from `os` (a WSGI `environ` is a request's, not the process's)."""
    names = {"environ", "getenv", "environb"}
    lines = []
    for node in ast.walk(ast.parse(source)):
        attribute = isinstance(node, ast.Attribute) and node.attr in names
        if attribute and isinstance(node.value, ast.Name) and node.value.id == "os":
            lines.append(node.lineno)
        imported = isinstance(node, ast.ImportFrom) and node.module == "os"
        if imported and {alias.name for alias in node.names} & names:
            lines.append(node.lineno)
    return lines


def test_the_settings_are_the_only_reader_of_the_environment_outside_the_command_line():
    root = README.parents[1]
    offenders = [
        f"{path.relative_to(root)}:{line}"
        for folder in ("services", "gateway")
        for path in sorted((root / folder).rglob("*.py"))
        if path != root / "services" / "common" / "config.py"
        for line in _environment_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_percent_encoded_service_placeholder_is_replaced_too():
    # how sqlalchemy renders postgresql://…/yc_{service} (the e2e platform's DATABASE_URL)
    env = {"DATABASE_URL": "postgresql+psycopg2://postgres@db:5432/yc_%7Bservice%7D"}
    assert database_url_for("jobs", env) == "postgresql+psycopg2://postgres@db:5432/yc_jobs"


def test_a_secret_can_come_from_a_file_which_wins_over_the_variable(tmp_path):
    secret = tmp_path / "amqp_uri"
    secret.write_text("amqp://jobs:s3cret@broker:5672/\n")
    env = {"AMQP_URI": "amqp://guest:guest@localhost/", "AMQP_URI_FILE": str(secret)}
    assert Settings.from_env("jobs", env=env).amqp_uri == "amqp://jobs:s3cret@broker:5672/"
    gateway = GatewaySettings.from_env("gateway", env={"JWT_SECRET_FILE": str(secret)})
    assert gateway.jwt_secret == "amqp://jobs:s3cret@broker:5672/"
    with pytest.raises(ValueError, match="AMQP_URI_FILE=.*cannot be read"):
        Settings.from_env("jobs", env={"AMQP_URI_FILE": str(tmp_path / "absent")})
