"""The Celery tasks: eager smoke test, retry policy, the periodic sweep."""

from __future__ import annotations

import io

import pytest
from django.db import OperationalError

from disclosures import services, tasks
from disclosures.choices import Status
from disclosures.models import Disclosure

pytestmark = pytest.mark.django_db


def test_delay_runs_the_parse_in_process_when_eager(
    sample_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        outcome = services.ingest_upload(io.BytesIO(sample_bytes("004_a0aa4bbb27e038c2")), "x.txt")
    tasks.parse_disclosure.delay(outcome.disclosure.pk)
    assert Disclosure.objects.get(pk=outcome.disclosure.pk).status == Status.PARSED


def test_the_parse_task_retries_only_transient_errors():
    retried = tasks.parse_disclosure.autoretry_for
    assert OperationalError in retried
    from disclosures.parsing import ParseError

    assert not any(issubclass(ParseError, exc) for exc in retried)
    assert tasks.parse_disclosure.acks_late is True
    assert tasks.parse_disclosure.max_retries == 5


def test_the_parse_task_is_routed_to_the_parsing_queue(settings):
    assert settings.CELERY_TASK_ROUTES["disclosures.tasks.parse_disclosure"]["queue"] == "parsing"


def test_the_sweep_task_returns_the_requeued_ids(sample_bytes, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        outcome = services.ingest_upload(io.BytesIO(sample_bytes("000_2abe3100919c2127")), "a.txt")
    Disclosure.objects.filter(pk=outcome.disclosure.pk).update(
        queued_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_stuck_disclosures() == [outcome.disclosure.pk]
    assert Disclosure.objects.get(pk=outcome.disclosure.pk).status == Status.PARSED
