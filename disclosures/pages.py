"""PDF page images for the review screen, rendered once and kept beside the upload."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .models import Disclosure

SCALE = 1.6  # ≈ 115 dpi: table digits stay legible without huge files


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
        bitmap = pdf[page - 1].render(scale=SCALE)
        buffer = io.BytesIO()
        bitmap.to_pil().save(buffer, format="PNG", optimize=True)
    finally:
        pdf.close()
    data = buffer.getvalue()
    default_storage.save(name, ContentFile(data))
    return data
