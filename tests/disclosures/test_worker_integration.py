"""Upload through the web view → a real Celery worker process on a real broker → stored parse."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosures.choices import Status
from disclosures.models import Disclosure

from ..conftest import expected

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_for(pk: int, statuses: set[str], log, timeout: float = 90) -> Disclosure:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = Disclosure.objects.get(pk=pk)
        if row.status in statuses:
            return row
        time.sleep(0.25)
    pytest.fail(
        f"disclosure {pk} still {row.status}; worker log:\n"
        + log.read_text(errors="replace")[-4000:]
    )


def test_an_upload_is_parsed_by_a_real_worker_and_stored(
    worker, client, django_user_model, sample_bytes
):
    staff = django_user_model.objects.create_user(
        "w", password="pw-w-12345", is_superuser=True, is_staff=True
    )
    client.force_login(staff)
    sample = "004_a0aa4bbb27e038c2"
    upload = SimpleUploadedFile(f"{sample}.txt", sample_bytes(sample))
    response = client.post(
        reverse("disclosures:disclosure_upload"),
        {"files": [upload]},
        HTTP_ACCEPT="application/json",
    )
    row_id = response.json()["results"][0]["id"]
    # The request returned before any parsing: the row is still waiting for the worker.
    assert response.json()["results"][0]["status"] == Status.QUEUED

    row = wait_for(row_id, {Status.NEEDS_REVIEW, Status.FAILED}, worker)
    assert row.status == Status.NEEDS_REVIEW, row.error
    assert row.attempts == 1
    want = expected(sample)
    stored = {
        f.key: float(f.value) for f in row.figures.filter(group="totals") if f.value is not None
    }
    assert stored["income_total"] == want["totals"]["income_total"]
    assert row.line_items.filter(scope="department").count() == len(
        want["functional"]["department"]
    )


def test_a_broken_file_fails_in_the_worker_with_a_reason(worker, client, django_user_model):
    staff = django_user_model.objects.create_user(
        "w2", password="pw-w-12345", is_superuser=True, is_staff=True
    )
    client.force_login(staff)
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.4\n" + b"\x00bad" * 500)
    response = client.post(
        reverse("disclosures:disclosure_upload"),
        {"files": [broken]},
        HTTP_ACCEPT="application/json",
    )
    row = wait_for(
        response.json()["results"][0]["id"], {Status.NEEDS_REVIEW, Status.FAILED}, worker
    )
    assert row.status == Status.FAILED and row.error
    assert row.file.read().startswith(b"%PDF-1.4")


@pytest.fixture
def broker_down(settings):
    """The broker is unreachable: publishing fails fast."""
    from kombu import pools

    from config import celery_app

    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url, conf.task_publish_retry
    conf.task_always_eager, conf.broker_url, conf.task_publish_retry = (
        False,
        "redis://127.0.0.1:9/0",
        False,
    )
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    conf.task_always_eager, conf.broker_url, conf.task_publish_retry = saved
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_an_upload_while_the_broker_is_down_is_kept_queued_for_the_sweep(
    broker_down, client, django_user_model, sample_bytes
):
    from disclosures import services

    staff = django_user_model.objects.create_user(
        "w3", password="pw-w-12345", is_superuser=True, is_staff=True
    )
    client.force_login(staff)
    data = sample_bytes("003_80d4eeabc6cbe8f7")
    response = client.post(
        reverse("disclosures:disclosure_upload"),
        {"files": [SimpleUploadedFile("003.txt", data)]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200  # the user's upload succeeded
    row = Disclosure.objects.get(pk=response.json()["results"][0]["id"])
    assert row.status == Status.QUEUED and row.file.read() == data
    assert services.send_parse_task(row.pk) is False  # still down: nothing lost, no crash
