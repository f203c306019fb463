"""In a real browser: log in, drop files on the upload page, watch a real worker's progress."""

from __future__ import annotations

import pytest

from disclosures.models import Disclosure

from ..conftest import SAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/?next=/disclosures/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/disclosures/")


def test_uploaded_files_show_live_status_until_the_worker_finishes(
    worker, live_server, page, screenshot, django_user_model
):
    django_user_model.objects.create_user(
        "finance", password="pw-finance-1", is_staff=True, is_superuser=True
    )
    login(page, live_server, "finance", "pw-finance-1")
    good = SAMPLES / "fixtures" / "000_2abe3100919c2127.docx"
    bad = SAMPLES / "000_2abe3100919c2127.txt"
    broken_name = "broken.pdf"
    page.set_input_files(
        "#upload-form input[type=file]",
        [
            {
                "name": good.name,
                "mimeType": "application/octet-stream",
                "buffer": good.read_bytes(),
            },
            {"name": bad.name, "mimeType": "text/plain", "buffer": bad.read_bytes()},
            {
                "name": broken_name,
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n" + b"\x00bad" * 400,
            },
        ],
    )
    rows = page.locator("#upload-results li.upload-row")
    rows.nth(2).wait_for()
    assert rows.count() == 3
    # Without a reload, every row reaches a final state through polling.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#upload-results li.upload-row')]"
        ".every(li => li.querySelector('.status-parsed, .status-failed'))",
        timeout=90_000,
    )
    texts = [rows.nth(i).inner_text() for i in range(3)]
    assert "待审核" in texts[0] and "待审核" in texts[1]
    assert "失败" in texts[2] and broken_name in texts[2]
    failed = Disclosure.objects.get(original_name=broken_name)
    assert failed.error_message and failed.error_message in texts[2]
    screenshot("upload-live-status")
    assert Disclosure.objects.filter(status="parsed").count() == 2
