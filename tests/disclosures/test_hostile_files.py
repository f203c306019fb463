"""Hostile files are bounded in memory and time: the web process never renders a page
image of unbounded size, and a tiny PDF declaring a huge page is drawn small."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from disclosures import pages

from ..factories import make_disclosure
from ..parsing.pdfs import make_pdf

pytestmark = pytest.mark.django_db

HUGE_PAGE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>",
]


def test_a_tiny_pdf_declaring_a_huge_page_gets_a_bounded_image_rendered_once(staff_client):
    data = make_pdf(HUGE_PAGE)
    assert len(data) < 1000
    d = make_disclosure()
    d.format = "pdf"
    d.file.save("huge.pdf", ContentFile(data), save=False)
    d.save()
    url = reverse("disclosures:disclosure_page_image", args=[d.pk, 1])
    started = time.monotonic()
    response = staff_client.get(url)
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.content))
    assert image.width * image.height <= pages.MAX_PIXELS
    assert image.width == image.height  # the page's proportions are kept
    assert time.monotonic() - started < 20
    # A second request reads the stored image instead of rendering again.
    pages_rendered = []
    real = pages.page_scale
    pages.page_scale = lambda *a: pages_rendered.append(a) or real(*a)
    try:
        assert staff_client.get(url).content == response.content
    finally:
        pages.page_scale = real
    assert pages_rendered == []


def test_an_ordinary_page_keeps_the_legible_scale():
    assert pages.page_scale(595, 842) == pages.SCALE
    assert pages.page_scale(14400, 14400) < 0.2


def test_a_parse_that_runs_out_of_memory_fails_with_a_reason_not_a_dead_worker(
    monkeypatch, sample_bytes, django_capture_on_commit_callbacks
):
    from disclosures import parsing, services
    from disclosures.choices import Status
    from disclosures.models import Disclosure

    def exhaust(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(parsing, "parse", exhaust)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.ingest_upload(io.BytesIO(sample_bytes("003_80d4eeabc6cbe8f7")), "a.txt")
    row = Disclosure.objects.get(pk=outcome.disclosure.pk)
    assert row.status == Status.FAILED and row.error_code == "too_large_or_malformed"
    assert "文件过大或结构异常" in row.error_message


def test_the_worker_address_space_cap_turns_a_huge_allocation_into_memory_error():
    import subprocess
    import sys

    script = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.test';"
        "os.environ['YUJUE_PARSE_ADDRESS_SPACE_MB']='1024';"
        "import django; django.setup();"
        "from config.celery_app import limit_address_space;"
        "assert limit_address_space() == 1024 * 1024 * 1024;"
        "\ntry:\n    bytearray(3 * 1024 ** 3)\nexcept MemoryError:\n    print('capped')"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "capped", done.stderr[-2000:]
