"""Shared fixtures: temp media, users and clients, the sample documents, service checks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "disclosures" / "samples"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def sample_ids() -> list[str]:
    return sorted(p.stem for p in SAMPLES.glob("*.txt"))


def expected(sample_id: str) -> dict:
    return json.loads((SAMPLES / "expected" / f"{sample_id}.json").read_text("utf-8"))


def service_up(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip when a service is missing locally; in CI a missing service is a failure."""
    if service_up(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(message + " (CI=true: integration tests must not skip)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _media_root(request, tmp_path):
    """Uploaded files go to a per-test folder (skipped when pytest-django is not loaded,
    e.g. the parser tests run with -p no:django)."""
    try:
        settings = request.getfixturevalue("settings")
    except pytest.FixtureLookupError:
        return
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # A request served in English leaves English active on the thread; start each test in
    # the default language so messages read the same whatever ran before.
    from django.core.cache import cache
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()  # cached drawings must not leak from one test's data into another's


@pytest.fixture
def staff_user(django_user_model):
    """An admin (superuser): may do everything. Role-scoped users are made in the tests."""
    return django_user_model.objects.create_user(
        "staff", password="pw-staff-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def sample_bytes():
    def load(sample_id: str, fmt: str = "txt") -> bytes:
        path = (
            SAMPLES / f"{sample_id}.txt"
            if fmt == "txt"
            else SAMPLES / "fixtures" / f"{sample_id}.{fmt}"
        )
        return path.read_bytes()

    return load


BROKER = os.environ.get("YUJUE_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def real_broker(settings):
    """Send tasks to the broker instead of running them in-process."""
    require_service("Redis", "127.0.0.1", 6379)
    from config import celery_app

    def reset_pools():  # connections were made for the old broker URL (or closed)
        from kombu import pools

        pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = BROKER
    reset_pools()
    yield
    conf.task_always_eager, conf.broker_url = saved
    reset_pools()


@pytest.fixture
def worker(real_broker, settings, tmp_path):  # needs django_db(transaction=True)
    """A real `celery worker` process reading the test database and media folder."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "YUJUE_TEST_DB": db["NAME"],
        "CELERY_BROKER_URL": BROKER,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "parsing,default,maintenance",
                "--pool",
                "solo",
                "--purge",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
                "--hostname",
                f"yujue-test-{os.getpid()}@%h",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    log.with_suffix(".pid").write_text(str(proc.pid))  # for memory measurements
    try:
        deadline = time.monotonic() + 60
        while b"ready" not in log.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the worker did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.2)
        yield log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
