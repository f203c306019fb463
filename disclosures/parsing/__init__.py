"""Yujue's disclosure parser: bytes in, checked and traceable figures out.

Pure Python, no Django imports (a test enforces it), so the CLI, the Celery worker,
the tests and the benchmark all share one engine.

Public entry points:

* :func:`parse` — read one file and return a :class:`ParsedDisclosure`;
* :func:`detect_format` — recognise the format from the content, not the name;
* :class:`ParseError` — the file cannot be read; its code names the reason for a person.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from .errors import ParseError
from .outline import outline
from .types import Check, Document, ParsedDisclosure

__all__ = [
    "PARSER_VERSION",
    "ParseError",
    "ParsedDisclosure",
    "detect_format",
    "parse",
    "read_document",
]

PARSER_VERSION = "0.1.0"

Progress = Callable[[int], None]


def detect_format(data: bytes, filename: str = "") -> str:
    """Return "pdf", "docx", "xlsx", "xls", "html" or "text"; raise ParseError otherwise."""
    from .readers import detect_format as _detect

    return _detect(data, filename)


def read_document(data: bytes, filename: str = "") -> Document:
    """Turn a file into blocks (paragraphs and tables) with positions."""
    from .readers import read_document as _read

    return _read(data, filename)


def parse(data: bytes, filename: str = "", *, progress: Progress | None = None) -> ParsedDisclosure:
    """Parse one disclosure file. ``progress`` receives 0–100 as work advances."""
    from .extract import extract
    from .readers import read_checked

    # Checks about the reading itself: script converted, flattened table rows.
    document, reading_checks = read_checked(data, filename, progress=progress)
    if progress:
        progress(50)
    result = extract(document, data=data, filename=filename)
    if getattr(document, "ocr_pages", None):  # pages read by OCR (readers.ocr.OcrDocument)
        from .readers.ocr import mark_ocr

        result = mark_ocr(result, document)
    if reading_checks:
        result = dataclasses.replace(result, checks=(*reading_checks, *result.checks))
    _reject_non_disclosures(result, document)
    result = _flag_unknown_codes(result)
    if not _stated_figures(result):
        result = dataclasses.replace(
            result,
            checks=(
                *result.checks,
                Check(
                    "error",
                    "no_figures",
                    "文件中没有读到任何金额（收支总表、支出表或说明中的数字）。如果表格是图片，"
                    "请上传 Excel 或 Word 版，或在审核页手工补录。",
                ),
            ),
        )
    result = dataclasses.replace(
        result,
        outline=outline(document),
        pages=document.pages,
        parser_version=result.parser_version or PARSER_VERSION,
    )
    if progress:
        progress(100)
    return result


# "XX市XX局", "20XX年", "××", "＊＊": what an unfilled template shows instead of values.
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])[XxＸｘ×]{2,}(?![A-Za-z])|20[XxＸ×]{2}年|[*＊]{3,}")
_DISCLOSURE_WORDS = re.compile(r"预算|决算")


def _stated_figures(result: ParsedDisclosure) -> int:
    values = list(result.totals.values()) + list(result.three_public.values())
    items = sum(len(i) for i in result.functional.values()) + sum(
        len(i) for i in result.economic.values()
    )
    return sum(v is not None for v in values) + items


def _reject_non_disclosures(result: ParsedDisclosure, document: Document) -> None:
    """A file with not a single figure is either not a disclosure or an unfilled template:
    say which, rather than store an empty parse."""
    if _stated_figures(result):
        return
    text = "\n".join(
        b.text if hasattr(b, "text") else " ".join(" ".join(r) for r in b.rows[:5])
        for b in document.blocks[:400]
    )
    if _PLACEHOLDER.search(text):
        raise ParseError("unfilled_template")
    if not _DISCLOSURE_WORDS.search(text):
        raise ParseError("not_a_disclosure")


def _flag_unknown_codes(result: ParsedDisclosure) -> ParsedDisclosure:
    """Codes printed in the document are trusted and kept; those the classification
    dictionary does not know are listed in one info check for a person to glance at."""
    from . import classification

    unknown: list[str] = []
    for items in result.functional.values():
        unknown += [
            i.code for i in items if i.code and not classification.is_known_functional(i.code)
        ]
    for items in result.economic.values():
        unknown += [
            i.code for i in items if i.code and classification.economic_name(i.code) is None
        ]
    if not unknown:
        return result
    codes = "、".join(dict.fromkeys(unknown))
    return dataclasses.replace(
        result,
        checks=(
            *result.checks,
            Check(
                "info",
                "code_not_in_dictionary",
                f"这些科目编码不在本系统的分类字典中（字典尚不完整，编码按文件原样保留）：{codes}",
            ),
        ),
    )
