"""Readers: one per file format, each turning a file into the same blocks.

:func:`detect_format` recognises a file from its content (magic bytes, container
layout, markup), never from its name: uploads are often renamed or carry the wrong
extension. :func:`read_document` dispatches to the reader for that format. Readers
are imported lazily so that reading a text file does not load pdfium or openpyxl.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from ..errors import ParseError
from ..limits import check_zip
from ..types import Check, Document

__all__ = ["detect_format", "read_checked", "read_document"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Signatures of files people upload by mistake: the ParseError code that names what the
# file is, and the format for its ``kind`` parameter (None: the code takes none).
_OTHER_SIGNATURES: tuple[tuple[bytes, str, str | None], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image_file", "PNG"),
    (b"\xff\xd8\xff", "image_file", "JPEG"),
    (b"GIF87a", "image_file", "GIF"),
    (b"GIF89a", "image_file", "GIF"),
    (b"BM", "image_file", "BMP"),
    (b"II*\x00", "image_file", "TIFF"),
    (b"MM\x00*", "image_file", "TIFF"),
    (b"Rar!\x1a\x07", "archive_file", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "archive_file", "7z"),
    (b"\x1f\x8b", "archive_file", "gzip"),
    (b"{\\rtf", "rtf_file", None),
    (b"%!PS", "postscript_file", None),
    (b"\x7fELF", "program_file", "ELF"),
    (b"MZ", "program_file", "exe"),
    (b"ID3", "media_file", "MP3"),
    (b"OggS", "media_file", "Ogg"),
)

_HTML_RE = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]"
    rb"|<table[\s>]|<meta[\s>]|<div[\s>]|<p[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def detect_format(data: bytes, filename: str = "") -> str:
    """Recognise a file's format from its content.

    Returns "pdf", "docx", "xlsx", "xls", "html" or "text". Raises
    :class:`ParseError` whose code names the reason (see ``errors.MESSAGES``)
    for an empty file, an old Word .doc, an image and anything else that is not a
    readable disclosure.
    ``filename`` is only used to word messages, never to decide.
    """
    if not data or not data.strip():
        raise ParseError("empty_file")
    head = data[:1024]
    # PDF: the header may follow a little junk (some servers prepend bytes).
    if head.startswith(b"%PDF-") or b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _detect_zip(data)
    if data.startswith(_OLE_MAGIC):
        return _detect_ole(data)
    for magic, code, kind in _OTHER_SIGNATURES:
        if data.startswith(magic):
            raise ParseError(code, kind=kind) if kind else ParseError(code)
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        raise ParseError("image_file", kind="WEBP")
    text = _decode_text(data)
    if text is not None:
        if _HTML_RE.match(text[:4096].encode("utf-8", "ignore")):
            return "html"
        if _looks_like_text(text):
            return "text"
    if _mostly_utf8_text(data):
        # Text whose bytes are UTF-8 but for a few that are not (a file saved in two
        # encodings, or damaged): the figures cannot be trusted, and guessing is not done.
        raise ParseError("unknown_encoding")
    raise ParseError("unknown_file_type")


def _mostly_utf8_text(data: bytes) -> bool:
    """At most 2 % of the characters are undecodable and the rest reads as text."""
    text = data[:200_000].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return 0 < bad <= 0.02 * len(text) and _looks_like_text(text.replace("\ufffd", ""))


def _detect_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            check_zip(zf)  # before anything is inflated: no zip bombs
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ParseError("damaged_archive") from err
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        raise ParseError("powerpoint_file")
    if "content.xml" in names and "mimetype" in names:
        raise ParseError("opendocument_file")
    raise ParseError("zip_file")


def _detect_ole(data: bytes) -> str:
    # OLE2 compound files name their streams in UTF-16 directory entries; a cheap
    # scan finds them without a full OLE parser.
    # WordDocument first: a .doc with an embedded chart also holds a Workbook.
    if "WordDocument".encode("utf-16-le") in data:
        raise ParseError("old_word_file")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise ParseError("encrypted")
    if "PowerPoint Document".encode("utf-16-le") in data:
        raise ParseError("old_powerpoint_file")
    raise ParseError("old_office_file")


def _decode_text(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _looks_like_text(text: str) -> bool:
    """Mostly printable characters (gb18030 decodes almost any byte soup, so random
    binary must be told apart by what it decodes to)."""
    sample = text[:20000]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > 0.01 * len(sample):
        return False
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    ascii_printable = sum(1 for ch in sample if " " <= ch <= "~" or ch in "\t\r\n")
    common = sum(1 for ch in sample if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    # Random bytes decoded as gb18030 give mostly rare CJK-extension and private-use
    # characters; real text is mostly common CJK, ASCII and punctuation.
    return (cjk + ascii_printable + common) >= 0.9 * len(sample)


def read_document(data: bytes, filename: str = "") -> Document:
    """Read any supported file into a :class:`Document` (format from the content), in
    simplified script (see :func:`read_checked`)."""
    return read_checked(data, filename)[0]


def read_checked(
    data: bytes, filename: str = "", *, progress: Callable[[int], None] | None = None
) -> tuple[Document, tuple[Check, ...]]:
    """The document as :func:`read_document` gives it, and checks about the reading:
    a traditional-script copy is converted to simplified and reading annotations are
    removed (:mod:`..script`); tables a web page flattened to "a | b | c" lines are
    rebuilt (:mod:`.text`). ``progress`` hears from slow readers (OCR of scanned PDFs)."""
    from ..script import simplify_document, simplify_text
    from .text import decode_text, rebuild_flattened_tables

    fmt = detect_format(data, filename)
    text_checks: tuple[Check, ...] = ()
    if fmt == "text":
        # Converted before it is cut into paragraphs, so they break as a simplified copy's.
        text, text_checks = simplify_text(decode_text(data))
        if text_checks:
            data = text.encode("utf-8")
    document, script_checks = simplify_document(_read_format(fmt, data, filename, progress))
    document, table_checks = rebuild_flattened_tables(document)
    return document, text_checks + script_checks + table_checks


def _read_format(
    fmt: str, data: bytes, filename: str, progress: Callable[[int], None] | None = None
) -> Document:
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, filename, progress=progress)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(data, filename)
    if fmt in ("xlsx", "xls"):
        from .xlsx import read_workbook

        return read_workbook(data, filename, fmt)
    if fmt == "html":
        from .html import read_html

        return read_html(data, filename)
    from .text import read_text

    return read_text(data, filename)
