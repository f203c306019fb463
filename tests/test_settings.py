"""Configuration comes from the environment and bad values fail loudly."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

from .conftest import REPO


def load_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DEBUG"}
    }
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
        "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'debug': settings.DEBUG, "
        "'max_mb': settings.YUJUE_MAX_UPLOAD_MB}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        timeout=60,
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    done = load_settings("config.settings.production")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_production_starts_with_a_real_secret_key_and_postgres():
    done = load_settings(
        "config.settings.production",
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://u@db:5432/yujue",
        CELERY_BROKER_URL="redis://redis:6379/0",
    )
    assert done.returncode == 0, done.stderr
    assert '"engine": "django.db.backends.postgresql"' in done.stdout
    assert '"eager": false' in done.stdout and '"debug": false' in done.stdout


def test_the_embedded_default_is_sqlite_with_tasks_in_process(tmp_path):
    done = load_settings("config.settings.local", YUJUE_DATA_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert '"engine": "django.db.backends.sqlite3"' in done.stdout
    assert '"eager": true' in done.stdout


def test_a_malformed_number_is_rejected_not_guessed():
    done = load_settings("config.settings.local", YUJUE_MAX_UPLOAD_MB="fifty")
    assert done.returncode != 0
    assert "YUJUE_MAX_UPLOAD_MB" in done.stderr


def test_a_malformed_boolean_is_rejected():
    done = load_settings("config.settings.local", DEBUG="maybe")
    assert done.returncode != 0 and "DEBUG" in done.stderr


def test_chinese_is_the_default_whatever_the_browser_asks(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


# --- production behind a TLS proxy: check --deploy ------------------------------------------

# What settings read besides the .env.example keys; a developer's shell must not leak in.
_READ_ELSEWHERE = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own process
}


def env_example() -> dict[str, str]:
    """The KEY=value lines of .env.example (comments and commented-out keys aside)."""
    values = {}
    for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def run_production(args: list[str], **overrides: str | None) -> subprocess.CompletedProcess:
    """``python args`` with production settings, the values of .env.example and
    ``overrides`` (None: unset)."""
    example = env_example()
    shell = {k: v for k, v in os.environ.items() if k not in example and k not in _READ_ELSEWHERE}
    env = {
        **shell,
        **example,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        # The placeholder is refused (below); any real key of that length will do.
        "SECRET_KEY": secrets.token_urlsafe(50),
        **overrides,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if v is not None},
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_settings_of_env_example():
    done = run_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr
    # The one silenced check is HSTS preloading, off until the domain's owner opts in.
    assert "(1 silenced)" in done.stdout
    preload = run_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], SECURE_HSTS_PRELOAD="1"
    )
    assert preload.returncode == 0 and "(0 silenced)" in preload.stdout, preload.stdout


def test_check_deploy_notices_when_https_is_turned_off():
    """The clean result above is the settings' doing: turn them off and it warns."""
    done = run_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="0",
    )
    assert done.returncode != 0
    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in done.stderr + done.stdout, warning


def test_https_settings_behind_the_proxy_by_default():
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT, "
        "settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_REDIRECT_EXEMPT]))"
    )
    # The defaults, with none of the HTTPS variables set.
    unset = {k: None for k in env_example() if k.startswith("SECURE_")}
    done = run_production(["-c", code], **unset)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        ["HTTP_X_FORWARDED_PROTO", "https"],
        True,
        31536000,
        True,
        True,
        ["^healthz$"],
    ]
    other = run_production(["-c", code], SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme: https")
    assert json.loads(other.stdout)[0] == ["HTTP_X_FORWARDED_SCHEME", "https"]
    none = run_production(["-c", code], SECURE_PROXY_SSL_HEADER="")
    assert json.loads(none.stdout)[0] is None
    bad = run_production(["-c", code], SECURE_PROXY_SSL_HEADER="https")
    assert bad.returncode != 0 and "SECURE_PROXY_SSL_HEADER" in bad.stderr


def test_production_refuses_the_placeholder_secret_key_of_env_example():
    done = run_production(
        ["-c", "import django; django.setup()"], SECRET_KEY=env_example()["SECRET_KEY"]
    )
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr


def test_compose_passes_the_https_settings_on_and_checks_health():
    """docker-compose.yml (validated by `docker-compose config -q`) hands every HTTPS,
    embedding and heartbeat variable of .env.example to the app, publishes web for a proxy
    on this host only, and wires /healthz into the healthchecks."""
    compose = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    for key in env_example():
        if key.startswith(("SECURE_", "YUJUE_EMBED_", "YUJUE_HEARTBEAT_", "YUJUE_WORKER_SILENT")):
            assert f"    {key}: " in compose, key
    assert '"${YUJUE_BIND:-127.0.0.1}:${YUJUE_PORT:-8000}:8000"' in compose
    assert 'test: ["CMD", "python", "-m", "config.healthcheck"]' in compose
    assert '"manage.py", "health_check", "healthz", "--no-http"]' in compose
