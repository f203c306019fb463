"""A role never acts outside its scope, through corrections too; races lose nothing.

Each test reproduces a hole found by probing (issue 11, severe 1 and medium 7–8) first."""

from __future__ import annotations

import io
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from disclosures import services
from disclosures.choices import Publication, Role
from disclosures.models import Disclosure, ParseCheck, StaffScope

from ..factories import make_department, make_disclosure, make_region


@pytest.fixture
def world(django_user_model):
    sichuan = make_region("四川省", level="province", code="510000")
    nanchong = make_region("南充市", parent=sichuan, code="511300")
    bazhong = make_region("巴中市", parent=sichuan, code="511900")
    hebei = make_region("河北省", level="province", code="130000")
    a = make_department("南充市人力资源和社会保障局", region=nanchong)
    b = make_department("保定市人力资源和社会保障局", region=make_region("保定市", parent=hebei))
    c = make_department("巴中市人力资源和社会保障局", region=bazhong)
    orphan = make_department("某某局", region=None)
    dept_reviewer = django_user_model.objects.create_user("dept", password="pw-dept-123")
    scope = StaffScope.objects.create(user=dept_reviewer, role=Role.REVIEWER)
    scope.departments.set([a])
    region_reviewer = django_user_model.objects.create_user("prov", password="pw-prov-123")
    scope = StaffScope.objects.create(user=region_reviewer, role=Role.REVIEWER)
    scope.regions.set([sichuan])
    admin = django_user_model.objects.create_user("root", password="pw-root-123", is_superuser=True)
    return {
        "a": a,
        "b": b,
        "c": c,
        "orphan": orphan,
        "bazhong": bazhong,
        "dept": dept_reviewer,
        "prov": region_reviewer,
        "admin": admin,
    }


pytestmark = pytest.mark.django_db

KEYS = [
    "expenditure_total",
    "basic_expenditure",
    "project_expenditure",
    "grand_total",
    "income_total",
    "carryforward",
]


def test_a_reviewer_cannot_move_a_disclosure_to_a_department_outside_their_scope(world):
    d = make_disclosure(world["a"])
    with pytest.raises(services.CorrectionRejected, match="不在你的工作范围内"):
        services.correct(d, "meta.department", world["b"].pk, reason="x", user=world["dept"])
    d.refresh_from_db()
    assert d.department == world["a"] and not d.corrections.exists()
    # A province reviewer may move it within the province, not out of it.
    services.correct(d, "meta.department", world["c"].pk, reason="归错了", user=world["prov"])
    assert Disclosure.objects.get(pk=d.pk).department == world["c"]
    with pytest.raises(services.CorrectionRejected):
        services.correct(d, "meta.department", world["b"].pk, reason="x", user=world["prov"])


def test_a_departments_region_is_changed_only_by_an_admin_once_it_has_one(world):
    d = make_disclosure(world["a"])
    with pytest.raises(services.CorrectionRejected, match="只能由管理员"):
        services.correct(d, "meta.region", world["bazhong"].pk, reason="x", user=world["prov"])
    world["a"].refresh_from_db()
    assert world["a"].region.name == "南充市"
    services.correct(d, "meta.region", world["bazhong"].pk, reason="改", user=world["admin"])
    world["a"].refresh_from_db()
    assert world["a"].region == world["bazhong"]


def test_a_reviewer_may_give_a_region_to_a_department_without_one_inside_their_scope(world):
    d = make_disclosure(world["orphan"])
    StaffScope.objects.get(user=world["prov"]).departments.add(world["orphan"])
    hebei_city = world["b"].region
    with pytest.raises(services.CorrectionRejected, match="不在你的工作范围内"):
        services.correct(d, "meta.region", hebei_city.pk, reason="x", user=world["prov"])
    services.correct(d, "meta.region", world["bazhong"].pk, reason="核实", user=world["prov"])
    world["orphan"].refresh_from_db()
    assert world["orphan"].region == world["bazhong"]


def test_moving_a_published_disclosure_unpublishes_it_and_brings_back_what_it_replaced(world):
    old = make_disclosure(world["a"], fiscal_year=2020)
    services.publish(old, user=world["admin"])
    new = make_disclosure(world["a"], fiscal_year=2020)
    services.publish(new, user=world["admin"])
    old.refresh_from_db()
    assert old.publication == Publication.SUPERSEDED
    correction = services.correct(
        new, "meta.fiscal_year", "2021", reason="年度错", user=world["prov"]
    )
    assert correction.unpublished
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.publication == Publication.DRAFT and new.fiscal_year == 2021
    assert old.publication == Publication.PUBLISHED  # 南充 keeps its public 2020 data
    published = Disclosure.objects.published().filter(department=world["a"])
    assert list(published.values_list("fiscal_year", flat=True)) == [2020]


def test_the_database_refuses_two_published_disclosures_of_one_department_year_and_kind(world):
    first = make_disclosure(world["a"], publication=Publication.PUBLISHED)
    assert first.is_published
    with pytest.raises(IntegrityError), transaction.atomic():
        make_disclosure(world["a"], publication=Publication.PUBLISHED)


def test_a_correction_made_after_the_page_was_drawn_is_a_conflict_not_an_overwrite(world):
    d = make_disclosure(world["a"], totals={"expenditure_total": "100.00"})
    seen = 0  # both reviewers opened the page before any correction
    services.correct(
        d, "totals.expenditure_total", "120", reason="表一", user=world["prov"], seen=seen
    )
    with pytest.raises(services.CorrectionConflict, match="prov"):
        services.correct(
            d, "totals.expenditure_total", "130", reason="表二", user=world["admin"], seen=seen
        )
    assert d.figures.get(key="expenditure_total").value == 120
    # Another field is not a conflict; after a reload (newer seen) the change goes through.
    services.correct(d, "totals.grand_total", "5", reason="x", user=world["admin"], seen=seen)
    latest = d.corrections.order_by("-pk").first().pk
    services.correct(
        d, "totals.expenditure_total", "130", reason="表二", user=world["admin"], seen=latest
    )
    assert d.figures.get(key="expenditure_total").value == 130


@pytest.mark.django_db(transaction=True)
def test_concurrent_corrections_leave_the_checks_of_one_run(django_user_model, monkeypatch):
    # Widen the window between deleting the old checks and writing the new ones, where
    # two unserialised re-runs both insert their rows.
    rows_for = ParseCheck.rows_for.__func__

    def slow_rows_for(cls, *args, **kwargs):
        time.sleep(0.05)
        return rows_for(cls, *args, **kwargs)

    monkeypatch.setattr(ParseCheck, "rows_for", classmethod(slow_rows_for))
    admin = django_user_model.objects.create_user("r2", password="pw-r2-1234", is_superuser=True)
    region = make_region("南充市", code="511300")
    d = make_disclosure(
        make_department(region=region),
        totals={"expenditure_total": "100", "basic_expenditure": "60", "project_expenditure": "40"},
        items=[("208", "社会保障和就业支出", "100"), ("20801", "人力资源", "90")],
    )
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def fix(n: int) -> None:
        try:
            barrier.wait()
            key = KEYS[n]  # different figures: nothing else serialises the six requests
            services.correct(d, f"totals.{key}", str(61 + n), reason="并发", user=admin)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=fix, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    stored = sorted(ParseCheck.objects.filter(disclosure=d).values_list("rule", "path"))
    services.rerun_checks(Disclosure.objects.get(pk=d.pk))
    clean = sorted(ParseCheck.objects.filter(disclosure=d).values_list("rule", "path"))
    assert stored == clean and len(stored) == len(set(stored))
    assert d.corrections.count() == 6


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_uploads_all_get_already_uploaded_and_leave_no_orphan_file(
    sample_bytes, settings, monkeypatch
):
    from pathlib import Path

    from disclosures.services import ingest

    data = sample_bytes("003_80d4eeabc6cbe8f7")
    monkeypatch.setattr(ingest, "enqueue_parse", lambda d: None)  # the race is in the insert
    # Everyone passes the "already there?" look-up before anyone inserts.
    real_detect = ingest.parsing.detect_format
    barrier = threading.Barrier(6)

    def detect_then_wait(*args, **kwargs):
        fmt = real_detect(*args, **kwargs)
        barrier.wait(timeout=20)
        return fmt

    monkeypatch.setattr(ingest.parsing, "detect_format", detect_then_wait)
    outcomes, errors = [], []

    def upload() -> None:
        try:
            outcomes.append(services.ingest_upload(io.BytesIO(data), "003.txt"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(o.created for o in outcomes) == [False] * 5 + [True]
    assert len({o.disclosure.pk for o in outcomes}) == 1 and Disclosure.objects.count() == 1
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [Path(Disclosure.objects.get().file.name).name]


def test_a_duplicate_upload_does_not_reveal_an_out_of_scope_disclosure(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    owner = make_disclosure(world["b"], fiscal_year=2023)  # 保定: outside 四川
    uploader = world["prov"]
    StaffScope.objects.create(user=uploader, role=Role.UPLOADER).regions.set([world["bazhong"]])
    client.force_login(uploader)
    body = owner.file.open("rb").read()
    response = client.post(
        reverse("disclosures:disclosure_upload"),
        {"files": [SimpleUploadedFile("x.txt", body)]},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["results"] == [{"name": "x.txt", "ok": True, "duplicate": True}]
    page = client.post(
        reverse("disclosures:disclosure_upload"),
        {"files": [SimpleUploadedFile("x.txt", body)]},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "之前已上传过" in page and "保定" not in page and "2023" not in page
    assert f"/disclosures/{owner.pk}/" not in page


def test_a_stale_attempt_never_overwrites_the_attempt_that_owns_the_row(
    sample_bytes, django_capture_on_commit_callbacks
):
    from disclosures.choices import Status
    from disclosures.services import pipeline

    with django_capture_on_commit_callbacks(execute=False):
        outcome = services.ingest_upload(io.BytesIO(sample_bytes("003_80d4eeabc6cbe8f7")), "a.txt")
    row = outcome.disclosure
    first = pipeline._claim(row.pk)
    # The first worker stalls; the sweep puts the row back and a second attempt takes it.
    Disclosure.objects.filter(pk=row.pk).update(status=Status.QUEUED)
    second = pipeline._claim(row.pk)
    assert (first, second) == (1, 2)
    pipeline._fail(row, first, "crashed")  # the stale attempt wakes up and fails
    assert Disclosure.objects.get(pk=row.pk).status == Status.PARSING
    result = pipeline.parsing.parse(sample_bytes("003_80d4eeabc6cbe8f7"), "a.txt")
    pipeline.store_result(row, result, attempt=first)  # …or stores an old result
    assert not Disclosure.objects.get(pk=row.pk).figures.exists()
    pipeline.store_result(row, result, attempt=second)  # the owner's result is kept
    stored = Disclosure.objects.get(pk=row.pk)
    assert stored.status == Status.PARSED and stored.figures.exists()


def test_a_reparse_while_queued_or_parsing_is_not_queued_twice(
    sample_bytes, django_capture_on_commit_callbacks
):
    from disclosures.choices import Status

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = services.ingest_upload(io.BytesIO(sample_bytes("003_80d4eeabc6cbe8f7")), "a.txt")
        assert services.reparse(outcome.disclosure) is False  # still queued
    assert len(callbacks) == 1  # one task sent, not two
    Disclosure.objects.filter(pk=outcome.disclosure.pk).update(status=Status.PARSED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.reparse(outcome.disclosure) is True
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_connection_died_gives_the_row_back_for_its_retry(
    sample_bytes, monkeypatch
):
    from django.db import OperationalError

    from disclosures.choices import Status
    from disclosures.services import pipeline

    monkeypatch.setattr(pipeline, "send_parse_task", lambda pk: True)  # no eager parse
    outcome = services.ingest_upload(io.BytesIO(sample_bytes("003_80d4eeabc6cbe8f7")), "a.txt")
    real_store = pipeline.store_result

    def connection_dies(*args, **kwargs):
        connection.connection.close()  # the server went away under the worker
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pipeline, "store_result", connection_dies)
    with pytest.raises(OperationalError):
        pipeline.run_parse(outcome.disclosure.pk)
    assert Disclosure.objects.get(pk=outcome.disclosure.pk).status == Status.QUEUED
    monkeypatch.setattr(pipeline, "store_result", real_store)
    retried = pipeline.run_parse(outcome.disclosure.pk)  # Celery's retry of the same task
    assert retried is not None and retried.status == Status.PARSED and retried.attempts == 2
