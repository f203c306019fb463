"""A corpus of hostile and broken files (built by code, not committed), each sent through
the real upload view to a real worker: each ends with the message the user sees, nothing
is lost, and the worker's peak memory stays under 1 GB."""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosures.choices import Status
from disclosures.models import Disclosure

from ..conftest import SAMPLES
from ..parsing.pdfs import make_pdf

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

GB = 1024**3


def _pdf_with_page(media_box: bytes, content: bytes = b"") -> bytes:
    stream = zlib.compress(content, 9)
    return make_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box + b" /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    return buf.getvalue()


def _sample_text() -> str:
    return (SAMPLES / "003_80d4eeabc6cbe8f7.txt").read_text("utf-8")


# name → (bytes, what must happen: ("refused", words) | ("failed", code) | ("parsed", None))
def corpus() -> dict[str, tuple[bytes, tuple[str, str | None]]]:
    return {
        "zip-bomb.docx": (_zip_bomb(), ("refused", "压缩炸弹")),
        "huge-page.pdf": (
            _pdf_with_page(b"[0 0 14400 14400]"),
            ("failed", "scanned_pdf_unreadable|scanned_pdf"),
        ),
        "million-lines.pdf": (  # 14 MB of drawing operators in one page's content stream
            _pdf_with_page(b"[0 0 595 842]", b"0 0 m 1 1 l S\n" * 1_000_000),
            ("failed", "scanned_pdf_unreadable|scanned_pdf"),
        ),
        "truncated.pdf": (
            (SAMPLES / "fixtures" / "003_80d4eeabc6cbe8f7.pdf").read_bytes()[:20000],
            ("failed", "truncated_pdf"),
        ),
        "broken-encoding.txt": (  # UTF-8 with a few bytes of something else
            _sample_text().encode()[:3000] + b"\xc3\x28\xa0\xa1\x80\x81" * 3,
            ("refused", "文本编码无法识别（请另存为 UTF-8 或 GBK"),
        ),
        "gbk.txt": (_sample_text().encode("gbk"), ("parsed", None)),
        "gb18030.txt": (_sample_text().encode("gb18030"), ("parsed", None)),
        "utf16-bom.txt": (_sample_text().encode("utf-16"), ("parsed", None)),
    }


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_hostile_files_end_in_plain_words_and_the_worker_stays_small(
    worker, client, django_user_model
):
    staff = django_user_model.objects.create_user(
        "bad", password="pw-bad-12345", is_superuser=True, is_staff=True
    )
    client.force_login(staff)
    pid = int(worker.with_suffix(".pid").read_text())
    waiting: dict[int, tuple[str, str | None]] = {}
    for name, (data, (outcome, detail)) in corpus().items():
        response = client.post(
            reverse("disclosures:disclosure_upload"),
            {"files": [SimpleUploadedFile(name, data)]},
            HTTP_ACCEPT="application/json",
        )
        (row,) = response.json()["results"]
        if outcome == "refused":
            assert not row["ok"] and detail in row["error"], (name, row)
            assert not Disclosure.objects.filter(original_name=name).exists()
            continue
        assert row["ok"], (name, row)
        waiting[row["id"]] = (outcome, detail)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        rows = Disclosure.objects.filter(pk__in=waiting)
        if all(r.status in (Status.PARSED, Status.FAILED) for r in rows):
            break
        time.sleep(0.5)
    for row in Disclosure.objects.filter(pk__in=waiting):
        outcome, code = waiting[row.pk]
        expected_status = Status.PARSED if outcome == "parsed" else Status.FAILED
        assert row.status == expected_status, (row.original_name, row.status, row.error_code)
        if code:  # "a|b": either plain-words reason is right
            assert row.error_code in code.split("|"), (row.original_name, row.error_code)
            assert row.error_message
        assert row.file.read()  # the file is kept for a re-parse
    assert _peak_rss(pid) < GB, f"worker peak {(_peak_rss(pid) / 2**20):.0f} MiB"
