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

from ..errors import ParseError
from ..types import Document

__all__ = ["detect_format", "read_document"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Signatures of files people upload by mistake, with a plain name for the message in
# Chinese and in English.
_OTHER_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "图片（PNG）", "an image (PNG)"),
    (b"\xff\xd8\xff", "图片（JPEG）", "an image (JPEG)"),
    (b"GIF87a", "图片（GIF）", "an image (GIF)"),
    (b"GIF89a", "图片（GIF）", "an image (GIF)"),
    (b"BM", "图片（BMP）", "an image (BMP)"),
    (b"II*\x00", "图片（TIFF）", "an image (TIFF)"),
    (b"MM\x00*", "图片（TIFF）", "an image (TIFF)"),
    (b"Rar!\x1a\x07", "压缩包（RAR）", "a compressed archive (RAR)"),
    (b"7z\xbc\xaf\x27\x1c", "压缩包（7z）", "a compressed archive (7z)"),
    (b"\x1f\x8b", "压缩包（gzip）", "a compressed archive (gzip)"),
    (b"{\\rtf", "RTF 文档", "an RTF document"),
    (b"%!PS", "PostScript 文件", "a PostScript file"),
    (b"\x7fELF", "程序文件", "a program file"),
    (b"MZ", "程序文件（exe）", "a program file (exe)"),
    (b"ID3", "音频文件（MP3）", "an audio file (MP3)"),
    (b"OggS", "音频/视频文件", "an audio or video file"),
)

_HTML_RE = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]"
    rb"|<table[\s>]|<meta[\s>]|<div[\s>]|<p[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def detect_format(data: bytes, filename: str = "") -> str:
    """Recognise a file's format from its content.

    Returns "pdf", "docx", "xlsx", "xls", "html" or "text". Raises
    :class:`ParseError` with a plain Chinese message (and its English in ``err.en``)
    for an empty file, an old Word .doc, an image and anything else that is not a
    readable disclosure.
    ``filename`` is only used to word messages, never to decide.
    """
    if not data or not data.strip():
        raise ParseError(
            "文件是空的（0 字节或只有空白），请检查后重新上传。",
            en="The file is empty (0 bytes or only blank space). Please check it and upload it again.",
        )
    head = data[:1024]
    # PDF: the header may follow a little junk (some servers prepend bytes).
    if head.startswith(b"%PDF-") or b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _detect_zip(data)
    if data.startswith(_OLE_MAGIC):
        return _detect_ole(data)
    for magic, what, what_en in _OTHER_SIGNATURES:
        if data.startswith(magic):
            if what.startswith("图片"):
                raise ParseError(
                    f"这是一张{what}，不是预算/决算文件。请上传 PDF、Word（DOCX）、"
                    "Excel 或文字版文件；如果只有扫描图片，请先做文字识别（OCR）。",
                    en=f"This is {what_en}, not a budget or final-account file. Please upload a PDF, Word (DOCX), Excel or text file; if you only have scanned images, run text recognition (OCR) first.",
                )
            raise ParseError(
                f"这是{what}，不是预算/决算文件。请上传 PDF、Word（DOCX）、"
                "Excel、网页或文字版文件。",
                en=f"This is {what_en}, not a budget or final-account file. Please upload a PDF, Word (DOCX), Excel, web page or text file.",
            )
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        raise ParseError(
            "这是一张图片（WEBP），不是预算/决算文件。请上传 PDF、Word（DOCX）、"
            "Excel 或文字版文件。",
            en="This is an image (WEBP), not a budget or final-account file. Please upload a PDF, Word (DOCX), Excel or text file.",
        )
    text = _decode_text(data)
    if text is not None:
        if _HTML_RE.match(text[:4096].encode("utf-8", "ignore")):
            return "html"
        if _looks_like_text(text):
            return "text"
    raise ParseError(
        "无法识别文件类型：它不是 PDF、Word（DOCX）、Excel、网页或文字文件，"
        "可能已损坏或是其他程序的文件。",
        en="The file type is not recognised: it is not a PDF, Word (DOCX), Excel, web page or text file. It may be damaged, or it may be a file from another program.",
    )


def _detect_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ParseError(
            "文件已损坏：压缩结构无法读取（可能下载不完整），请重新导出后再上传。",
            en="The file is damaged: its compressed structure cannot be read (perhaps an incomplete download). Export it again and upload it.",
        ) from err
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        raise ParseError(
            "这是 PowerPoint 演示文稿，不是预算/决算文件。请上传 PDF、Word 或 Excel。",
            en="This is a PowerPoint presentation, not a budget or final-account file. Please upload a PDF, Word or Excel file.",
        )
    if "content.xml" in names and "mimetype" in names:
        raise ParseError(
            "这是 OpenDocument（WPS/LibreOffice）格式，暂不支持。"
            "请另存为 DOCX、XLSX 或 PDF 后再上传。",
            en="This is in OpenDocument format (WPS/LibreOffice), which is not supported yet. Save it as DOCX, XLSX or PDF and upload it again.",
        )
    raise ParseError(
        "这是一个压缩包（ZIP），不是预算/决算文件。请解压后上传其中的 PDF、Word 或 Excel 文件。",
        en="This is a compressed archive (ZIP), not a budget or final-account file. Unzip it and upload the PDF, Word or Excel files inside it.",
    )


def _detect_ole(data: bytes) -> str:
    # OLE2 compound files name their streams in UTF-16 directory entries; a cheap
    # scan finds them without a full OLE parser.
    # WordDocument first: a .doc with an embedded chart also holds a Workbook.
    if "WordDocument".encode("utf-16-le") in data:
        raise ParseError(
            "这是旧版 Word 文档（.doc），暂不支持。请用 Word/WPS 另存为 DOCX 或 PDF 后再上传。",
            en="This is an old Word document (.doc), which is not supported yet. Open it in Word or WPS, save it as DOCX or PDF, and upload it again.",
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise ParseError(
            "文件已加密，需要密码才能打开。请去除密码保护后再上传。",
            en="The file is encrypted and needs a password to open. Remove the password protection and upload it again.",
        )
    if "PowerPoint Document".encode("utf-16-le") in data:
        raise ParseError(
            "这是旧版 PowerPoint 演示文稿，不是预算/决算文件。",
            en="This is an old PowerPoint presentation, not a budget or final-account file.",
        )
    raise ParseError(
        "这是一个旧版 Office 文件，无法识别其内容。请另存为 DOCX、XLSX 或 PDF 后再上传。",
        en="This is an old-format Office file and its content cannot be identified. Save it as DOCX, XLSX or PDF and upload it again.",
    )


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
    """Read any supported file into a :class:`Document` (format from the content)."""
    fmt = detect_format(data, filename)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, filename)
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
