"""Errors the parser raises. A ParseError is permanent: retrying will not help.

A failure is stored as a short code and its parameters, not as text: the message is
looked up in :data:`MESSAGES` and translated when it is shown, so a row failed under
the Chinese UI reads in English for an English reader, and rewording a message does not
need a data migration. The Chinese templates are the msgids of the gettext catalogue
(``locale/*/LC_MESSAGES/django.po``); this module stays free of Django, so it marks them
with its own :func:`gettext_noop`, the keyword ``makemessages`` already collects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

__all__ = [
    "GENERIC_MESSAGE",
    "MESSAGES",
    "ParseError",
    "gettext_noop",
    "placeholders",
    "render_message",
]

Param = str | int | float


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it (read by makemessages)."""
    return message


# Code → Chinese template. Codes are stored in the database (Disclosure.error_code):
# never rename one; add a new code and keep the old one for rows that carry it.
MESSAGES: dict[str, str] = {
    # -- the file is empty
    "empty_file": gettext_noop("文件是空的（0 字节或只有空白），请检查后重新上传。"),
    "empty_text": gettext_noop("文件是空的，没有可读的文字。"),
    "empty_workbook": gettext_noop("这个 Excel 文件没有任何内容（所有工作表都是空的）。"),
    "empty_web_page": gettext_noop("这个网页没有可读取的文字内容。"),
    # -- the file is something else than a disclosure (recognised from its content)
    "image_file": gettext_noop(
        "这是一张图片（%(kind)s），不是预算/决算文件。请上传 PDF、Word（DOCX）、"
        "Excel 或文字版文件；如果只有扫描图片，请先做文字识别（OCR）。"
    ),
    "archive_file": gettext_noop(
        "这是压缩包（%(kind)s），不是预算/决算文件。请上传 PDF、Word（DOCX）、"
        "Excel、网页或文字版文件。"
    ),
    "zip_file": gettext_noop(
        "这是一个压缩包（ZIP），不是预算/决算文件。请解压后上传其中的 PDF、Word 或 Excel 文件。"
    ),
    "rtf_file": gettext_noop(
        "这是 RTF 文档，不是预算/决算文件。请上传 PDF、Word（DOCX）、Excel、网页或文字版文件。"
    ),
    "postscript_file": gettext_noop(
        "这是 PostScript 文件，不是预算/决算文件。请上传 PDF、Word（DOCX）、"
        "Excel、网页或文字版文件。"
    ),
    "program_file": gettext_noop(
        "这是程序文件（%(kind)s），不是预算/决算文件。请上传 PDF、Word（DOCX）、"
        "Excel、网页或文字版文件。"
    ),
    "media_file": gettext_noop(
        "这是音频/视频文件（%(kind)s），不是预算/决算文件。请上传 PDF、Word（DOCX）、"
        "Excel、网页或文字版文件。"
    ),
    "powerpoint_file": gettext_noop(
        "这是 PowerPoint 演示文稿，不是预算/决算文件。请上传 PDF、Word 或 Excel。"
    ),
    "old_powerpoint_file": gettext_noop("这是旧版 PowerPoint 演示文稿，不是预算/决算文件。"),
    "opendocument_file": gettext_noop(
        "这是 OpenDocument（WPS/LibreOffice）格式，暂不支持。请另存为 DOCX、XLSX 或 PDF 后再上传。"
    ),
    "old_word_file": gettext_noop(
        "这是旧版 Word 文档（.doc），暂不支持。请用 Word/WPS 另存为 DOCX 或 PDF 后再上传。"
    ),
    "old_office_file": gettext_noop(
        "这是一个旧版 Office 文件，无法识别其内容。请另存为 DOCX、XLSX 或 PDF 后再上传。"
    ),
    "unknown_file_type": gettext_noop(
        "无法识别文件类型：它不是 PDF、Word（DOCX）、Excel、网页或文字文件，"
        "可能已损坏或是其他程序的文件。"
    ),
    "binary_text": gettext_noop(
        "文件不是文字文件（含有二进制内容），请上传 PDF、Word、Excel 或文字版文件。"
    ),
    # -- the file cannot be opened
    "encrypted": gettext_noop("文件已加密，需要密码才能打开。请去除密码保护后再上传。"),
    "damaged_archive": gettext_noop(
        "文件已损坏：压缩结构无法读取（可能下载不完整），请重新导出后再上传。"
    ),
    "damaged_docx": gettext_noop("文件已损坏：无法作为 Word（DOCX）文档打开，请重新导出后再上传。"),
    "damaged_xlsx": gettext_noop(
        "文件已损坏：无法作为 Excel（XLSX）工作簿打开，请重新导出后再上传。"
    ),
    "damaged_xls": gettext_noop(
        "文件已损坏：无法作为 Excel（XLS）工作簿打开，请另存为 XLSX 后再上传。"
    ),
    "damaged_sheet": gettext_noop("文件已损坏：工作表“%(sheet)s”无法读取。"),
    "damaged_html": gettext_noop("文件已损坏：无法作为网页（HTML）读取。"),
    "damaged_pdf": gettext_noop("文件已损坏，无法作为 PDF 打开，请重新导出后再上传。"),
    "truncated_pdf": gettext_noop(
        "文件已损坏：PDF 不完整（文件结尾缺失），请重新下载或导出后再上传。"
    ),
    "damaged_utf16": gettext_noop("文字文件的编码无法识别（UTF-16 内容损坏）。"),
    "unknown_encoding": gettext_noop(
        "文本编码无法识别（请另存为 UTF-8 或 GBK 编码后再上传）。"
    ),
    "scanned_pdf": gettext_noop(
        "这份 PDF 没有可读取的文字层，看起来是扫描图片（scanned）。"
        "请先做文字识别（OCR），或上传 Word/文字版的 PDF。"
    ),
    "scanned_pdf_too_long": gettext_noop(
        "这份 PDF 是扫描图片，有 %(pages)s 页需要文字识别（OCR），超过了每个文件 %(limit)s 页的上限。"
        "请上传 Word、Excel 或文字版的 PDF，或把扫描件拆分成较短的文件后分别上传。"
    ),
    "ocr_timeout": gettext_noop(
        "扫描件的文字识别（OCR）超过了 %(limit)s 秒的时限（已识别 %(done)s/%(pages)s 页）。"
        "请上传 Word、Excel 或文字版的 PDF，或把扫描件拆分成较短的文件后分别上传。"
    ),
    "scanned_pdf_unreadable": gettext_noop(
        "这份 PDF 是扫描图片，但文字识别（OCR）没有读出任何文字：图片可能太模糊、太小或颠倒。"
        "请上传更清晰的扫描件，或 Word、Excel、文字版的 PDF。"
    ),
    # -- the file opens but is not a disclosure with figures
    "unfilled_template": gettext_noop(
        "这是一份未填写的模板：文件中是“XX”“××”之类的占位符，没有任何金额。"
        "请上传填好数字的正式公开文件。"
    ),
    "not_a_disclosure": gettext_noop(
        "这份文件不像部门预算或决算：没有“预算”“决算”字样，也没有读到任何收支数字。"
        "请确认上传的是部门预算/决算公开文件。"
    ),
    # -- set by the Django side (disclosures/services.py), not by the parser
    "file_missing": gettext_noop("存储中找不到这个文件，请重新上传。"),
    "timeout": gettext_noop(
        "解析超时（超过 %(limit)s 秒），文件可能过大或过于复杂；"
        "文件已保存，可拆分后重新上传或请管理员处理。"
    ),
    "crashed": gettext_noop("解析程序内部出错，文件已保存，管理员修复后可重新解析。"),
    "gave_up": gettext_noop(
        "解析 %(attempts)s 次仍未完成（可能文件过大或处理超时），文件已保存，可重新解析。"
    ),
    "too_large_or_malformed": gettext_noop(
        "文件过大或结构异常，解析进程因内存或资源限制被终止；"
        "文件已保存，可拆分后重新上传或请管理员处理。"
    ),
    "archive_too_large": gettext_noop(
        "文件解压后过大或压缩比异常（可能是“压缩炸弹”），没有读取。请检查文件后重新导出再上传。"
    ),
    # a failure stored as text before codes existed (migration 0003): the old words
    "legacy": gettext_noop("解析失败：%(text)s"),
}

# What a stored row with a code this version does not know shows (an older or newer
# release wrote it); ``%(code)s`` is that code, so an admin can look it up.
GENERIC_MESSAGE = gettext_noop(
    "解析失败（原因代码：%(code)s），文件已保存，可重新解析或请管理员处理。"
)

_PLACEHOLDER = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)s")


def placeholders(template: str) -> set[str]:
    """The ``%(name)s`` names a template uses."""
    return set(_PLACEHOLDER.findall(template))


class ParseError(Exception):
    """The file cannot be read as a disclosure.

    ``err.code`` is a key of :data:`MESSAGES` and ``err.params`` the values its template
    needs (JSON-serialisable, stored as they are); ``str(err)`` and ``err.message`` are the
    Chinese message. An unknown code or a missing or extra parameter raises at once, so a
    typo fails in the tests rather than on a finance officer's screen.
    """

    def __init__(self, code: str, **params: Param) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown ParseError code {code!r}: add it to MESSAGES")
        wanted = placeholders(MESSAGES[code])
        if set(params) != wanted:
            raise ValueError(
                f"ParseError {code!r} takes parameters {sorted(wanted)}, got {sorted(params)}"
            )
        for name, value in params.items():
            if not isinstance(value, (str, int, float)):
                raise TypeError(f"ParseError parameter {name}={value!r} is not a str or number")
        self.code = code
        self.params: dict[str, Param] = dict(params)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The message in Chinese (the product's default language)."""
        return render_message(self.code, self.params)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Callable[..., ParseError], tuple[str, dict[str, Param]]]:
        # The default pickling calls ParseError(message), which is not a code.
        return _rebuild, (self.code, self.params)


def _rebuild(code: str, params: dict[str, Param]) -> ParseError:
    return ParseError(code, **params)


class _Lenient(dict[str, object]):
    """Parameters of a stored row: a missing one shows as "…" instead of raising."""

    def __missing__(self, key: str) -> str:
        return "…"


def render_message(
    code: str,
    params: Mapping[str, object] | None,
    translate: Callable[[str], str] = lambda s: s,
) -> str:
    """The message for ``code`` with ``params``, through ``translate`` (Django's
    ``gettext`` on the web side; identity gives the Chinese).

    Never raises: rows stored by another release may carry a code or parameters this
    one does not know; they get :data:`GENERIC_MESSAGE` or "…" for a missing value.
    """
    if code in MESSAGES:
        template, values = MESSAGES[code], _Lenient(params or {})
    else:
        template, values = GENERIC_MESSAGE, _Lenient(code=code)
    try:
        return translate(template) % values
    except (TypeError, ValueError):  # a broken translation: the untranslated text
        return template % values
