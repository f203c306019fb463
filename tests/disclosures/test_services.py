"""The ingest → claim → parse → store state machine, against real PostgreSQL."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import OperationalError
from django.utils import timezone

from disclosures import parsing, services
from disclosures.choices import Publication, Status
from disclosures.models import Department, Disclosure, Figure, LineItem, ParseCheck
from disclosures.services import pipeline

from ..conftest import expected

pytestmark = pytest.mark.django_db

SAMPLE = "000_2abe3100919c2127"


def upload(data: bytes, name: str, capture) -> Disclosure:
    with capture(execute=True):
        outcome = services.ingest_upload(io.BytesIO(data), name)
    return Disclosure.objects.get(pk=outcome.disclosure.pk)


def test_it_stores_the_file_then_parses_it_after_commit(
    sample_bytes, django_capture_on_commit_callbacks
):
    data = sample_bytes(SAMPLE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = services.ingest_upload(io.BytesIO(data), "000.txt")
    row = Disclosure.objects.get(pk=outcome.disclosure.pk)
    # Stored and queued before any task ran: nothing is lost if the broker is down.
    assert row.status == Status.QUEUED
    assert row.file.read() == data
    assert len(callbacks) == 1

    callbacks[0]()  # what the commit would run: the eager task parses in-process
    row.refresh_from_db()
    assert row.status == Status.PARSED, row.error_message
    want = expected(SAMPLE)
    assert row.fiscal_year == want["fiscal_year"] and row.kind == want["kind"]
    assert row.department.name in [want["department"], *want["department_aliases"]]
    grand = Figure.objects.get(disclosure=row, group="totals", key="grand_total")
    assert grand.value == Decimal(str(want["totals"]["grand_total"]))
    assert grand.source_text  # every figure keeps where it came from
    codes = list(
        LineItem.objects.filter(disclosure=row, scope="department").values_list("code", flat=True)
    )
    assert codes == [i["code"] for i in want["functional"]["department"]]
    assert row.parse_result["schema"] == "disclosure/1"
    assert row.department.region.name == want["region"]["city"]


def test_the_same_bytes_uploaded_twice_are_stored_once(
    sample_bytes, django_capture_on_commit_callbacks
):
    first = upload(sample_bytes(SAMPLE), "a.txt", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.ingest_upload(io.BytesIO(sample_bytes(SAMPLE)), "renamed.txt")
    assert again.created is False
    assert again.disclosure.pk == first.pk
    assert callbacks == []
    assert Disclosure.objects.count() == 1


def test_it_rejects_a_file_that_is_not_a_disclosure_format_and_stores_nothing():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(services.UploadRejected) as err:
        services.ingest_upload(io.BytesIO(png), "scan.pdf")
    assert "scan.pdf" in str(err.value)
    assert Disclosure.objects.count() == 0


def test_it_rejects_an_oversized_upload(settings):
    settings.YUJUE_MAX_UPLOAD_MB = 1
    with pytest.raises(services.UploadRejected, match="1 MB"):
        services.ingest_upload(io.BytesIO(b"a" * (1024 * 1024 + 1)), "big.txt")
    assert Disclosure.objects.count() == 0


def test_a_corrupt_pdf_fails_in_plain_words_and_keeps_the_file(django_capture_on_commit_callbacks):
    data = b"%PDF-1.7\n" + b"\x00garbage" * 200
    row = upload(data, "broken.pdf", django_capture_on_commit_callbacks)
    assert row.status == Status.FAILED
    assert row.error_message and "Traceback" not in row.error_message
    assert row.file.read() == data  # the file is kept for a re-parse


def test_a_parser_crash_marks_the_row_failed_instead_of_leaving_it_parsing(
    monkeypatch, sample_bytes, django_capture_on_commit_callbacks
):
    def crash(*args, **kwargs):
        raise RuntimeError("bug in an extractor")

    monkeypatch.setattr(parsing, "parse", crash)
    row = upload(sample_bytes(SAMPLE), "000.txt", django_capture_on_commit_callbacks)
    assert row.status == Status.FAILED
    assert "重新解析" in row.error_message
    assert "bug in an extractor" not in row.error_message


def test_a_transient_database_error_puts_the_row_back_in_the_queue_and_reraises(
    monkeypatch, sample_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        outcome = services.ingest_upload(io.BytesIO(sample_bytes(SAMPLE)), "000.txt")

    def flaky(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pipeline, "store_result", flaky)
    with pytest.raises(OperationalError):
        services.run_parse(outcome.disclosure.pk)
    row = Disclosure.objects.get(pk=outcome.disclosure.pk)
    assert row.status == Status.QUEUED
    assert row.attempts == 1


def test_a_row_is_claimed_once_so_a_duplicate_task_does_nothing(
    sample_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        outcome = services.ingest_upload(io.BytesIO(sample_bytes(SAMPLE)), "000.txt")
    assert services.claim(outcome.disclosure.pk) is True
    assert services.claim(outcome.disclosure.pk) is False
    assert services.run_parse(outcome.disclosure.pk) is None  # a second delivery is a no-op


def test_reparsing_replaces_the_previous_result_instead_of_adding_to_it(
    sample_bytes, django_capture_on_commit_callbacks
):
    row = upload(sample_bytes(SAMPLE), "000.txt", django_capture_on_commit_callbacks)
    counts = (row.line_items.count(), row.figures.count(), row.checks.count())
    assert counts[0] > 0 and counts[1] > 0
    with django_capture_on_commit_callbacks(execute=True):
        services.reparse(row)
    row.refresh_from_db()
    assert row.status == Status.PARSED
    assert (row.line_items.count(), row.figures.count(), row.checks.count()) == counts
    assert row.attempts == 2
    assert Department.objects.count() == 1


def test_a_published_disclosure_stays_published_after_a_reparse(
    sample_bytes, django_capture_on_commit_callbacks
):
    row = upload(sample_bytes(SAMPLE), "000.txt", django_capture_on_commit_callbacks)
    services.publish(row)
    with django_capture_on_commit_callbacks(execute=True):
        services.reparse(row)
    row.refresh_from_db()
    assert row.publication == Publication.PUBLISHED and row.is_published


def test_the_sweep_requeues_stuck_rows_and_gives_up_after_max_attempts(
    settings, sample_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        stuck = services.ingest_upload(io.BytesIO(sample_bytes(SAMPLE)), "000.txt").disclosure
        worn = services.ingest_upload(
            io.BytesIO(sample_bytes("001_47407c9cebf157a2")), "001.txt"
        ).disclosure
    long_ago = timezone.now() - timedelta(hours=2)
    Disclosure.objects.filter(pk=stuck.pk).update(
        status=Status.PARSING, parse_started_at=long_ago, attempts=1
    )
    Disclosure.objects.filter(pk=worn.pk).update(
        status=Status.PARSING, parse_started_at=long_ago, attempts=settings.YUJUE_MAX_PARSE_ATTEMPTS
    )
    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.sweep_stuck()
    assert requeued == [stuck.pk]
    assert Disclosure.objects.get(pk=stuck.pk).status == Status.PARSED
    worn_row = Disclosure.objects.get(pk=worn.pk)
    assert worn_row.status == Status.FAILED and "重新解析" in worn_row.error_message


def test_a_fresh_queued_row_is_not_swept(sample_bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.ingest_upload(io.BytesIO(sample_bytes(SAMPLE)), "000.txt")
    assert services.sweep_stuck() == []


def test_checks_are_stored_with_their_rule_and_message(
    sample_bytes, django_capture_on_commit_callbacks
):
    row = upload(sample_bytes(SAMPLE), "000.txt", django_capture_on_commit_callbacks)
    stored = list(ParseCheck.objects.filter(disclosure=row).values_list("rule", "message"))
    assert stored == [(c["rule"], c["message"]) for c in row.parse_result["checks"]]


def test_a_parse_that_runs_out_of_time_fails_in_plain_words(
    monkeypatch, sample_bytes, django_capture_on_commit_callbacks
):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(parsing, "parse", slow)
    row = upload(sample_bytes(SAMPLE), "000.txt", django_capture_on_commit_callbacks)
    assert row.status == Status.FAILED and "超时" in row.error_message
    assert row.file.read() == sample_bytes(SAMPLE)
