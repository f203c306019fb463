"""Yujue's disclosure parser: bytes in, checked and traceable figures out.

Pure Python, no Django imports (a test enforces it), so the CLI, the Celery worker,
the tests and the benchmark all share one engine.

Public entry points:

* :func:`parse` — read one file and return a :class:`ParsedDisclosure`;
* :func:`detect_format` — recognise the format from the content, not the name;
* :class:`ParseError` — the file cannot be read; the message is for a person.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .errors import ParseError
from .outline import outline
from .types import Document, ParsedDisclosure

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

    document = read_document(data, filename)
    if progress:
        progress(50)
    result = extract(document, data=data, filename=filename)
    result = dataclasses.replace(
        result,
        outline=outline(document),
        pages=document.pages,
        parser_version=result.parser_version or PARSER_VERSION,
    )
    if progress:
        progress(100)
    return result
