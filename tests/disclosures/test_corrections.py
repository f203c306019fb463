"""Corrections: recorded, applied, re-checked, and kept across re-parses; publishing rules."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from disclosures import parsing, services
from disclosures.choices import Origin, Publication, Status
from disclosures.models import Correction, Disclosure

from ..factories import make_department, make_disclosure, make_region

pytestmark = pytest.mark.django_db

SAMPLE = "000_2abe3100919c2127"


@pytest.fixture
def parsed_sample(sample_bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.ingest_upload(io.BytesIO(sample_bytes(SAMPLE)), f"{SAMPLE}.txt")
    row = Disclosure.objects.get(pk=outcome.disclosure.pk)
    assert row.status == Status.PARSED, row.error_message
    return row


def reparse(row, capture, result=None, monkeypatch=None):
    if result is not None:
        monkeypatch.setattr(parsing, "parse", lambda *a, **k: result)
    with capture(execute=True):
        services.reparse(row)
    row.refresh_from_db()
    return row


def test_a_correction_records_who_when_old_new_and_why(parsed_sample, staff_user):
    before = parsed_sample.figures.get(group="totals", key="grand_total").value
    c = services.correct(
        parsed_sample,
        "totals.grand_total",
        "2,400.5",
        reason="表三与表一不一致，以表一为准",
        user=staff_user,
    )
    figure = parsed_sample.figures.get(group="totals", key="grand_total")
    assert figure.value == Decimal("2400.5") and figure.origin == Origin.CORRECTED
    assert c.old_value == services.amount_text(before) and c.new_value == "2400.5"
    assert c.user == staff_user and c.created_at is not None
    assert c.parser_value == services.amount_text(before)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("totals.grand_total", "abc", "不是有效的金额"),
        ("meta.fiscal_year", "20x0", "年度"),
        ("meta.kind", "draft", "预算或决算"),
        ("nonsense.field", "1", "无法识别"),
    ],
)
def test_bad_input_is_rejected_and_nothing_changes(
    parsed_sample, staff_user, field, value, message
):
    with pytest.raises(services.CorrectionRejected, match=message):
        services.correct(parsed_sample, field, value, reason="x", user=staff_user)
    assert Correction.objects.count() == 0


def test_a_reason_is_required(parsed_sample, staff_user):
    with pytest.raises(services.CorrectionRejected, match="理由"):
        services.correct(parsed_sample, "totals.grand_total", "1", reason="  ", user=staff_user)


def test_corrections_survive_a_reparse(
    parsed_sample, staff_user, django_capture_on_commit_callbacks
):
    row = parsed_sample
    services.correct(row, "totals.grand_total", "9999", reason="r1", user=staff_user)
    services.correct(row, "meta.fiscal_year", "2021", reason="r2", user=staff_user)
    services.correct(
        row,
        "functional.department.2080101",
        {"code": "2080101", "name": "行政运行", "total": "800", "basic": "800", "project": ""},
        reason="r3",
        user=staff_user,
    )
    services.correct(
        row, "functional.department.2080105", None, reason="r4", user=staff_user, action="remove"
    )
    services.correct(
        row,
        "functional.general_budget.new",
        {"code": "2080199", "name": "其他人力资源和社会保障管理事务支出", "total": "1.5"},
        reason="r5",
        user=staff_user,
        action="add",
    )
    row = reparse(row, django_capture_on_commit_callbacks)
    assert row.attempts == 2
    assert row.figures.get(group="totals", key="grand_total").value == Decimal("9999")
    assert row.fiscal_year == 2021
    item = row.line_items.get(scope="department", code="2080101")
    assert item.total == Decimal("800") and item.origin == Origin.CORRECTED
    assert not row.line_items.filter(scope="department", code="2080105").exists()
    added = row.line_items.get(scope="general_budget", code="2080199")
    assert added.origin == Origin.ADDED and added.total == Decimal("1.5")
    # The parser read the same as before, so nothing conflicts.
    assert list(row.corrections.values_list("conflict", flat=True)) == [None] * 5


def test_a_reparse_that_reads_something_else_shows_a_conflict_and_keeps_the_correction(
    parsed_sample,
    staff_user,
    staff_client,
    monkeypatch,
    django_capture_on_commit_callbacks,
    sample_bytes,
):
    services.correct(
        parsed_sample, "totals.grand_total", "2354.20", reason="checked", user=staff_user
    )
    fresh = parsing.parse(sample_bytes(SAMPLE), f"{SAMPLE}.txt")
    changed = dataclasses.replace(fresh, totals={**fresh.totals, "grand_total": Decimal("2360")})
    row = reparse(parsed_sample, django_capture_on_commit_callbacks, changed, monkeypatch)
    correction = row.corrections.get()
    assert correction.conflict == "2360"
    assert row.figures.get(group="totals", key="grand_total").value == Decimal("2354.20")
    page = staff_client.get(row.get_absolute_url()).content.decode()
    assert "重新解析读到不同的值" in page and "2360" in page


def test_checks_rerun_after_each_edit(staff_user):
    d = make_disclosure(
        make_department(),
        items=[
            ("208", "社会保障和就业支出", "100"),
            ("20801", "人力资源和社会保障管理事务", "100"),
            ("2080101", "行政运行", "60"),
            ("2080102", "一般行政管理事务", "40"),
        ],
    )
    services.rerun_checks(d)
    assert not d.checks.filter(severity__in=["error", "warning"]).exists()
    services.correct(
        d,
        "functional.department.2080102",
        {"code": "2080102", "name": "一般行政管理事务", "total": "45"},
        reason="typo",
        user=staff_user,
    )
    broken = list(d.checks.filter(severity__in=["error", "warning"]))
    assert broken, "a parent that no longer equals its children must be reported"
    assert any("functional.department" in c.path for c in broken)
    services.correct(
        d,
        "functional.department.2080102",
        {"code": "2080102", "name": "一般行政管理事务", "total": "40"},
        reason="undo",
        user=staff_user,
    )
    assert not d.checks.filter(severity__in=["error", "warning"]).exists()


def test_publishing_with_errors_needs_an_acknowledgement(staff_user, client):
    d = make_disclosure(make_department(), errors=2)
    with pytest.raises(services.PublishBlocked):
        services.publish(d, user=staff_user)
    d.refresh_from_db()
    assert not d.is_published
    services.publish(d, user=staff_user, acknowledge_errors=True)
    d.refresh_from_db()
    assert d.is_published and d.published_with_errors and d.published_by == staff_user


def test_a_newer_upload_supersedes_the_old_one_when_published(client, staff_user):
    dept = make_department(region=make_region())
    old = make_disclosure(dept, totals={"expenditure_total": "100"})
    services.publish(old, user=staff_user)
    new = make_disclosure(dept, totals={"expenditure_total": "222.22"})
    home = client.get(reverse("comparisons:home")).content.decode()
    assert "100" in home and "222.22" not in home  # the old one stays until the new is published
    services.publish(new, user=staff_user)
    old.refresh_from_db()
    assert old.publication == Publication.SUPERSEDED and old.superseded_by == new
    home = client.get(reverse("comparisons:home")).content.decode()
    assert "222.22" in home and home.count(dept.name) == 1
    services.unpublish(new)
    old.refresh_from_db()
    assert old.publication == Publication.PUBLISHED and old.superseded_by is None


def test_reparsing_published_data_waits_for_an_admin_to_confirm_the_changes(
    parsed_sample, staff_user, monkeypatch, django_capture_on_commit_callbacks, sample_bytes
):
    services.publish(parsed_sample, user=staff_user, acknowledge_errors=True)
    services.correct(parsed_sample, "totals.income_total", "1454.30", reason="r", user=staff_user)
    fresh = parsing.parse(sample_bytes(SAMPLE), f"{SAMPLE}.txt")
    changed = dataclasses.replace(
        fresh,
        totals={**fresh.totals, "grand_total": Decimal("2400"), "income_total": Decimal("1500")},
    )
    row = reparse(parsed_sample, django_capture_on_commit_callbacks, changed, monkeypatch)
    assert row.publication == Publication.PUBLISHED and row.pending_result is not None
    # Nothing public changed yet.
    assert row.figures.get(key="grand_total").value == Decimal(str(fresh.totals["grand_total"]))
    changes = {c.field: c for c in services.pending_changes(row)}
    assert (
        changes["totals.grand_total"].new == "2400" and not changes["totals.grand_total"].corrected
    )
    assert changes["totals.income_total"].corrected  # the person's value will stay
    services.apply_pending(row)
    row.refresh_from_db()
    assert row.pending_result is None
    assert row.figures.get(key="grand_total").value == Decimal("2400")
    assert row.figures.get(key="income_total").value == Decimal("1454.30")
    assert row.corrections.get().conflict == "1500"


def test_the_review_screen_shows_values_sources_checks_and_history(
    parsed_sample, staff_user, staff_client
):
    services.correct(
        parsed_sample, "three_public.reception", "2.5", reason="见第12页说明", user=staff_user
    )
    page = staff_client.get(parsed_sample.get_absolute_url()).content.decode()
    figure = parsed_sample.figures.get(group="totals", key="grand_total")
    assert figure.source_text[:30] in page
    assert "见第12页说明" in page and "2.5" in page
    for check in parsed_sample.checks.all():
        assert check.message in page
    assert 'name="reason"' in page  # every value can be corrected from here
