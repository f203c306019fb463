"""Zip packages (DOCX/XLSX) are checked before anything is inflated."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from disclosures.parsing import ParseError, detect_format, limits, parse


def _package(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for name, body in entries.items():
            zf.writestr(name, body)
    return buf.getvalue()


def test_a_docx_that_inflates_a_thousandfold_is_refused_before_reading():
    bomb = _package({"word/document.xml": b"\0" * (40 * 1024 * 1024)})
    assert len(bomb) < 100_000
    tracemalloc.start()
    started = time.monotonic()
    for call in (lambda: detect_format(bomb, "x.docx"), lambda: parse(bomb, "x.docx")):
        with pytest.raises(ParseError) as err:
            call()
        assert err.value.code == "archive_too_large"
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # nothing was inflated
    assert time.monotonic() - started < 5


def test_too_much_in_total_or_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED", 1024 * 1024)
    parts = {f"xl/worksheets/sheet{i}.xml": bytes(range(256)) * 1024 for i in range(6)}
    with pytest.raises(ParseError) as err:
        detect_format(_package({"xl/workbook.xml": b"<workbook/>", **parts}), "x.xlsx")
    assert err.value.code == "archive_too_large"
    many = {f"word/media/{i}.bin": b"" for i in range(limits.MAX_ZIP_ENTRIES + 1)}
    with pytest.raises(ParseError) as err:
        detect_format(_package({"word/document.xml": b"<w/>", **many}), "x.docx")
    assert err.value.code == "archive_too_large"


def test_an_ordinary_package_passes():
    ok = _package({"word/document.xml": b"<w:document/>" * 1000})
    assert detect_format(ok, "x.docx") == "docx"
