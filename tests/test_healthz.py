"""/healthz: database, cache, broker, storage and a worker that answered recently.

200 with everything up; 500 naming the failed check when a service is down (simulated by
settings pointing at a dead port, in a subprocess with production settings); never a
secret, a host or a URL in the answer."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from config import healthcheck
from config.health import heartbeat, heartbeat_key

from .conftest import REPO, require_service

DEAD = "127.0.0.1:1"  # nothing listens on port 1

# Run in a subprocess: write (or not) the heartbeats, then ask /healthz in each format.
PROBE = """
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from config.health import heartbeat, heartbeat_key
try:
    for queue in settings.YUJUE_HEARTBEAT_QUEUES:
        heartbeat(queue)
except Exception:
    pass  # the cache is the dead one
out = {}
for accept in ["application/json", "text/plain", "text/html"]:
    response = Client().get("/healthz", HTTP_ACCEPT=accept)
    out[accept] = [response.status_code, response.content.decode()]
print(json.dumps(out))
"""


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    from django.db import connection

    db = connection.settings_dict
    broker = os.environ.get("YUJUE_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "YUJUE_", "CELERY_")) and k not in {"CACHE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET,
        # A password in the URL: the server ignores it (trust), /healthz must not show it.
        DATABASE_URL=f"postgres://{db['USER']}:{DB_PASSWORD}@{db['HOST']}:{db['PORT']}/postgres",
        CACHE_URL=broker,
        CELERY_BROKER_URL=broker,
        MEDIA_ROOT=str(tmp_path / "media"),
        ALLOWED_HOSTS="testserver",
    )
    env.update(overrides)
    return env


SECRET = secrets.token_urlsafe(50)
DB_PASSWORD = "db-" + secrets.token_hex(8)


def probe(env: dict[str, str]) -> dict[str, tuple[int, str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return {accept: (status, body) for accept, (status, body) in json.loads(done.stdout).items()}


def assert_reveals_nothing(body: str) -> None:
    for secret in [SECRET, DB_PASSWORD, "redis://", "postgres://", "127.0.0.1", ":6379", ":5432"]:
        assert secret not in body, secret


@pytest.fixture
def services():
    require_service("PostgreSQL", "127.0.0.1", 5432)
    require_service("Redis", "127.0.0.1", 6379)


@pytest.mark.django_db
def test_healthz_in_production_settings_up_and_each_service_down(services, tmp_path):
    """One subprocess per case, run side by side (each starts Django: a few seconds)."""
    broker = production_env(tmp_path)["CELERY_BROKER_URL"]
    cases = {
        "up": {},
        "database": {"DATABASE_URL": f"postgres://postgres:{DB_PASSWORD}@{DEAD}/postgres"},
        "cache": {"CACHE_URL": f"redis://{DEAD}/0"},
        "broker": {"CELERY_BROKER_URL": f"redis://{DEAD}/0"},
    }
    with ThreadPoolExecutor(len(cases)) as pool:
        futures = {
            name: pool.submit(probe, production_env(tmp_path, **env)) for name, env in cases.items()
        }
        results = {name: f.result() for name, f in futures.items()}

    for name, answers in results.items():
        for accept, (status, body) in answers.items():
            assert status == (200 if name == "up" else 500), (name, accept, body)
            assert_reveals_nothing(body)
    assert broker.startswith("redis://")

    checks = {name: json.loads(answers["application/json"][1]) for name, answers in results.items()}
    assert set(checks["up"].values()) == {"OK"}
    assert len(checks["up"]) == 5  # database, cache, broker, storage, worker

    def failed(name: str) -> set[str]:
        return {check.split("(")[0] for check, state in checks[name].items() if state != "OK"}

    assert failed("database") == {"Database"}
    assert failed("cache") == {"Cache", "Worker"}  # the heartbeat lives in the cache
    assert failed("broker") == {"Broker"}
    assert "broker unreachable" in checks["broker"]["Broker()"]


@pytest.mark.django_db
def test_the_worker_containers_check_runs_the_same_checks_in_process(services, tmp_path):
    """docker-compose.yml's worker healthcheck: manage.py health_check healthz --no-http."""
    command = [sys.executable, "manage.py", "health_check", "healthz", "--no-http"]

    def run(**overrides: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            command,
            cwd=REPO,
            env=production_env(tmp_path, **overrides),
            capture_output=True,
            text=True,
            timeout=120,
        )

    probe(production_env(tmp_path))  # writes fresh heartbeats to the shared cache
    with ThreadPoolExecutor(2) as pool:
        up, down = pool.map(lambda o: run(**o), [{}, {"CELERY_BROKER_URL": f"redis://{DEAD}/0"}])
    assert up.returncode == 0, up.stdout + up.stderr
    assert down.returncode == 1 and "Broker(): Unavailable: broker unreachable" in down.stdout
    assert_reveals_nothing(down.stdout)


@pytest.mark.django_db
def test_the_embedded_default_has_no_broker_or_worker_to_wait_for(client):
    """Tasks run in-process (test settings, like the embedded default): those checks pass."""
    response = client.get("/healthz", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert set(response.json().values()) == {"OK"}
    assert response["Cache-Control"].startswith("max-age=0")  # never cached


@pytest.mark.django_db
def test_the_worker_check_wants_a_recent_heartbeat_on_every_queue(client, real_broker):
    queues = django_settings.YUJUE_HEARTBEAT_QUEUES
    assert queues == ["default", "maintenance"]

    def worker_state() -> tuple[int, str]:
        response = client.get("/healthz", HTTP_ACCEPT="application/json")
        return response.status_code, response.json()["Worker()"]

    cache.delete_many([heartbeat_key(q) for q in queues])
    status, state = worker_state()
    assert status == 500 and "no worker has answered on queue default yet" in state

    heartbeat("default")
    status, state = worker_state()
    assert status == 500 and "queue maintenance" in state  # the sweep's worker is silent

    heartbeat("maintenance")
    assert worker_state() == (200, "OK")

    silent = django_settings.YUJUE_WORKER_SILENT_AFTER_SECONDS + 30
    cache.set(heartbeat_key("default"), time.time() - silent, timeout=None)
    status, state = worker_state()
    assert status == 500 and f"no worker answered on queue default for {silent} s" in state


def test_the_scheduler_sends_a_heartbeat_to_each_queue():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    for queue in django_settings.YUJUE_HEARTBEAT_QUEUES:
        entry = schedule[f"worker-heartbeat-{queue}"]
        assert entry["task"] == "config.health.heartbeat" == heartbeat.name
        assert entry["args"] == (queue,) and entry["options"]["queue"] == queue
        assert entry["options"]["expires"] == entry["schedule"]
    assert "config.health" in django_settings.CELERY_IMPORTS  # every worker knows the task
    assert (
        django_settings.YUJUE_WORKER_SILENT_AFTER_SECONDS
        > django_settings.YUJUE_HEARTBEAT_EVERY_SECONDS + django_settings.CELERY_TASK_TIME_LIMIT
    )


def test_a_silence_threshold_shorter_than_a_parse_is_refused_at_start_up():
    from .test_settings import load_settings

    done = load_settings("config.settings.local", YUJUE_WORKER_SILENT_AFTER_SECONDS="300")
    assert done.returncode != 0 and "YUJUE_WORKER_SILENT_AFTER_SECONDS" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_the_web_containers_probe(live_server):
    """docker-compose.yml's web healthcheck: python -m config.healthcheck."""
    assert healthcheck.main([f"{live_server.url}/healthz"]) == 0
    assert healthcheck.main([f"http://{DEAD}/healthz"]) == 1
