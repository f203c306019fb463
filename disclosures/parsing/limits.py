"""Bounds on what a file may make the parser do, so a hostile file cannot exhaust a worker.

Word and Excel files are zip packages: a 0.8 MB DOCX can inflate to 200 MiB of XML (and
take minutes and gigabytes to read), a 7 MB one to 2 GiB. The package's directory is
checked before anything is decompressed.
"""

from __future__ import annotations

import zipfile

from .errors import ParseError

__all__ = [
    "MAX_PDF_PAGES",
    "MAX_TEXT_CHARS",
    "MAX_ZIP_ENTRIES",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_UNCOMPRESSED",
    "check_zip",
]

MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_UNCOMPRESSED = 256 * 1024 * 1024  # all entries together, as declared
MAX_ZIP_RATIO = 100  # per entry of more than 1 MiB: declared size / compressed size
_RATIO_FROM = 1024 * 1024
MAX_PDF_PAGES = 1_000  # a department's budget or final account has tens of pages
MAX_TEXT_CHARS = 20_000_000  # text read from one document


def check_zip(zf: zipfile.ZipFile) -> None:
    """Refuse a package with too many entries, too much to inflate or an absurd ratio.

    Declared sizes are enough: Python's zipfile never inflates an entry past its declared
    size (a lying header ends in a CRC error, not in memory)."""
    entries = zf.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ParseError("archive_too_large")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > _RATIO_FROM and entry.file_size > MAX_ZIP_RATIO * max(
            entry.compress_size, 1
        ):
            raise ParseError("archive_too_large")
    if total > MAX_ZIP_UNCOMPRESSED:
        raise ParseError("archive_too_large")
