"""PDF page images for the review screen, rendered once and kept beside the upload."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .models import Disclosure

SCALE = 1.6  # ≈ 115 dpi: table digits stay legible without huge files
# A page image never exceeds this many pixels, whatever the page claims to measure (a
# 636-byte PDF can declare a 14400 × 14400 pt page: 3.7 GB of pixels at SCALE).
MAX_PIXELS = 6_000_000


def page_scale(width_pt: float, height_pt: float) -> float:
    """SCALE, reduced so that the image stays within MAX_PIXELS."""
    area = max(width_pt, 1.0) * max(height_pt, 1.0)
    return min(SCALE, 0.99 * (MAX_PIXELS / area) ** 0.5)  # pdfium rounds sizes up


def render_page_png(disclosure: Disclosure, page: int) -> bytes | None:
    """PNG of 1-based ``page`` of a PDF disclosure, or None when there is no such page."""
    name = f"pages/{disclosure.sha256[:16]}/{page}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as fh:
            return fh.read()
    import io

    import pypdfium2 as pdfium

    with disclosure.file.open("rb") as fh:
        pdf = pdfium.PdfDocument(fh.read())
    try:
        if not 1 <= page <= len(pdf):
            return None
        bitmap = pdf[page - 1].render(scale=page_scale(*pdf[page - 1].get_size()))
        buffer = io.BytesIO()
        bitmap.to_pil().save(buffer, format="PNG", optimize=True)
    finally:
        pdf.close()
    data = buffer.getvalue()
    default_storage.save(name, ContentFile(data))
    return data
