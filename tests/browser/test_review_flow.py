"""In a real browser: upload → status → review → correct with a reason → publish → public."""

from __future__ import annotations

import re

import pytest

from disclosures.choices import Role
from disclosures.models import Disclosure, StaffScope

from ..conftest import SAMPLES
from .test_upload_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SAMPLE = "004_a0aa4bbb27e038c2"


def test_a_reviewer_corrects_a_value_publishes_and_the_public_sees_it(
    worker, live_server, page, screenshot, django_user_model
):
    django_user_model.objects.create_user(
        "admin1", password="pw-admin-1", is_staff=True, is_superuser=True
    )
    login(page, live_server, "admin1", "pw-admin-1")
    page.set_input_files("#upload-form input[type=file]", str(SAMPLES / f"{SAMPLE}.txt"))
    row = page.locator("#upload-results li.upload-row").first
    row.locator(".status-parsed").wait_for(timeout=90_000)  # live, no reload
    row.locator("a").click()
    page.wait_for_url(re.compile(r"/disclosures/\d+/$"))
    screenshot("review-screen")

    figure = page.locator('tr[data-field="totals.expenditure_total"]')
    figure.locator("summary").click()
    figure.locator('input[name="value"]').fill("13800.01")
    figure.locator('input[name="reason"]').fill("按收支总表更正")
    figure.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    assert "13800.01" in page.locator('tr[data-field="totals.expenditure_total"]').inner_text()
    history = page.locator("#correction-history").inner_text()
    assert "按收支总表更正" in history and "admin1" in history
    screenshot("review-after-correction")

    publish = page.locator("#publish-form")
    ack = publish.locator('input[name="acknowledge"]')
    if ack.count():
        ack.check()
    publish.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    assert Disclosure.objects.get().publication == "published"

    public = page.context.browser.new_context()  # a visitor without an account
    visitor = public.new_page()
    visitor.goto(f"{live_server.url}/")
    assert "13,800.01" in visitor.locator("#latest").inner_text()
    public.close()


def test_a_reviewer_outside_the_departments_scope_is_refused(
    live_server, page, django_user_model, sample_bytes, django_capture_on_commit_callbacks
):
    import io

    from disclosures import services
    from disclosures.models import Region

    with django_capture_on_commit_callbacks(execute=True):
        services.ingest_upload(io.BytesIO(sample_bytes(SAMPLE)), "x.txt")
    disclosure = Disclosure.objects.get()
    outsider = django_user_model.objects.create_user("outsider", password="pw-outsider-1")
    scope = StaffScope.objects.create(user=outsider, role=Role.REVIEWER)
    scope.regions.set([Region.objects.create(name="河北省", level="province")])
    login(page, live_server, "outsider", "pw-outsider-1")
    assert disclosure.original_name not in page.content()
    response = page.goto(f"{live_server.url}/disclosures/{disclosure.pk}/")
    assert response.status == 403
