"""Configuration comes from the environment and bad values fail loudly."""

from __future__ import annotations

import os
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
