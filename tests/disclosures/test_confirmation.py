"""Stored figures keep whether a check confirms them; corrections re-decide it; the
review screen counts the unconfirmed ones and the public page marks them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from disclosures import services
from disclosures.choices import Status
from disclosures.models import Disclosure

pytestmark = pytest.mark.django_db

SAMPLE = "000_2abe3100919c2127"  # 南充 2020 预算


@pytest.fixture
def parsed(sample_bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.ingest_upload(io.BytesIO(sample_bytes(SAMPLE)), f"{SAMPLE}.txt")
    row = Disclosure.objects.get(pk=outcome.disclosure.pk)
    assert row.status == Status.PARSED, row.error_message
    return row


def test_the_parsers_confirmation_is_stored_with_every_figure(parsed):
    provenance = parsed.parse_result["provenance"]
    for figure in parsed.figures.exclude(value=None):
        assert figure.confirmed is provenance[f"{figure.group}.{figure.key}"]["confirmed"]
    assert parsed.figures.get(group="totals", key="grand_total").confirmed is True
    assert parsed.figures.get(group="totals", key="procurement_total").confirmed is False
    assert not parsed.line_items.filter(confirmed=None).exists()


def test_a_correction_that_breaks_a_sum_unconfirms_what_the_sum_stood_for(parsed, staff_user):
    grand = parsed.figures.get(group="totals", key="grand_total")
    assert grand.confirmed is True
    services.correct(parsed, "totals.carryover_income", "1.00", reason="试一试", user=staff_user)
    grand.refresh_from_db()
    carry = parsed.figures.get(group="totals", key="carryover_income")
    # 收入总计 = 本年收入 + 上年结转 no longer holds; 支出总计 = 本年支出 + 结转下年 still does.
    assert carry.confirmed is False
    assert grand.confirmed is True
    assert parsed.checks.filter(rule="totals_sum").exists()


def test_the_review_screen_counts_unconfirmed_figures(parsed, staff_client):
    page = staff_client.get(reverse("disclosures:disclosure_detail", args=[parsed.pk]))
    html = page.content.decode()
    unconfirmed = (
        parsed.figures.filter(confirmed=False).count()
        + parsed.line_items.filter(confirmed=False).count()
    )
    assert unconfirmed >= 1
    assert f"{unconfirmed} 个数没有任何通过的校验确认" in html
    assert html.count('class="badge unconfirmed"') == unconfirmed


def test_a_public_viewer_sees_which_figures_no_check_confirms(parsed, client, staff_user):
    services.publish(parsed, user=staff_user, acknowledge_errors=True)
    url = reverse("comparisons:department_detail", args=[parsed.department_id])
    html = client.get(url).content.decode()
    figures = html[html.index('id="figures-table"') :]
    figures = figures[: figures.index("</table>")]
    rows = figures.split("<tr")[2:]  # after the header row
    stated = parsed.figures.exclude(value=None)
    assert len(rows) == parsed.figures.count()  # a figure not stated shows "—"
    assert sum("未核实" in r for r in rows) == stated.filter(confirmed=False).count()
    assert sum("✓" in r for r in rows) == stated.filter(confirmed=True).count()
    api = client.get(f"/api/disclosures/{parsed.pk}").json()["provenance"]
    assert api["totals.procurement_total"]["confirmed"] is False
    assert api["totals.grand_total"]["confirmed"] is True
