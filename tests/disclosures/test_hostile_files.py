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
