"""Upload through the web view → a real Celery worker process on a real broker → stored parse."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosures.choices import Publication, Status
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

    row = wait_for(row_id, {Status.PARSED, Status.FAILED}, worker)
    assert row.status == Status.PARSED, row.error_message
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
    row = wait_for(response.json()["results"][0]["id"], {Status.PARSED, Status.FAILED}, worker)
    assert row.status == Status.FAILED and row.error_message
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


def test_a_published_disclosure_stays_public_while_a_failing_reparse_runs(
    worker, client, django_user_model, sample_bytes
):
    """The bug this separation fixed: re-parsing set the one status to queued/failed, and
    the public queries filtered on it, so published data vanished and stayed hidden."""
    staff = django_user_model.objects.create_user(
        "w4", password="pw-w-12345", is_superuser=True, is_staff=True
    )
    client.force_login(staff)
    sample = "000_2abe3100919c2127"
    response = client.post(
        reverse("disclosures:disclosure_upload"),
        {"files": [SimpleUploadedFile(f"{sample}.txt", sample_bytes(sample))]},
        HTTP_ACCEPT="application/json",
    )
    row = wait_for(response.json()["results"][0]["id"], {Status.PARSED, Status.FAILED}, worker)
    assert row.status == Status.PARSED, row.error_message
    client.post(
        reverse("disclosures:disclosure_publish", args=[row.pk]),
        {"decision": "publish", "acknowledge": "1"},
    )
    row.refresh_from_db()
    assert row.publication == Publication.PUBLISHED
    want = expected(sample)["totals"]["grand_total"]
    department_url = reverse("comparisons:department_detail", args=[row.department_id])

    def public_view_is_intact() -> None:
        api = client.get(f"/api/disclosures/{row.pk}")
        assert api.status_code == 200 and api.json()["totals"]["grand_total"] == want
        page = client.get(department_url)
        assert page.status_code == 200 and f"{want:,.2f}" in page.content.decode()
        csv_rows = b"".join(client.get("/api/line-items.csv").streaming_content).decode()
        assert f"\n{row.pk}," in csv_rows

    public_view_is_intact()
    # The parser now fails on this file: the stored bytes are replaced by garbage.
    with open(row.file.path, "wb") as fh:
        fh.write(b"%PDF-1.4\n" + b"\x00broken" * 400)
    client.post(reverse("disclosures:disclosure_reparse", args=[row.pk]))
    assert Disclosure.objects.get(pk=row.pk).status in {Status.QUEUED, Status.PARSING}
    deadline = time.monotonic() + 90
    while Disclosure.objects.get(pk=row.pk).status != Status.FAILED:
        public_view_is_intact()  # throughout: queued, parsing …
        assert time.monotonic() < deadline, worker.read_text(errors="replace")[-4000:]
        time.sleep(0.2)
    failed = Disclosure.objects.get(pk=row.pk)
    assert failed.publication == Publication.PUBLISHED and failed.error_code
    assert failed.pending_result is None
    public_view_is_intact()  # … and after the re-parse failed
