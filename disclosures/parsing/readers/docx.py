"""DOCX reader: body paragraphs and tables in document order.

python-docx opens the package (relationships, main part); the body XML is then walked
directly, because python-docx's ``Document.paragraphs`` and ``Document.tables`` lose
the interleaving, and ``row.cells`` repeats a merged cell once per grid column.

Merged cells follow the same convention as the PDF reader: the text sits in the
merged cell's first grid column and top row, the other grid positions it covers are
"", so every row has one entry per grid column and lines up with the header.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ..errors import ParseError
from ..types import Block, Document, Paragraph, Table

__all__ = ["read_docx"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_P, _TBL, _SDT, _SDT_CONTENT = f"{W}p", f"{W}tbl", f"{W}sdt", f"{W}sdtContent"
_TR, _TC, _TCPR = f"{W}tr", f"{W}tc", f"{W}tcPr"
_TEXT_TAGS = {
    f"{W}t": None,
    f"{W}tab": "\t",
    f"{W}br": "\n",
    f"{W}cr": "\n",
    f"{W}noBreakHyphen": "-",
}
_SKIP = {f"{MC}Fallback", f"{W}delText", f"{W}instrText", f"{W}del", f"{W}pPr", f"{W}rPr"}


def read_docx(data: bytes, filename: str = "") -> Document:
    """Read a Word (.docx) file into paragraphs and tables, in body order.

    Raises :class:`ParseError` when the package is corrupt or has no main document.
    """
    try:
        import docx

        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as err:  # python-docx raises many types for broken packages
        raise ParseError("damaged_docx") from err

    blocks: list[Block] = []
    for element in _body_items(body):
        if element.tag == _P:
            text = _clean(_paragraph_text(element))
            if text:
                blocks.append(Paragraph(text=text, index=len(blocks)))
        else:
            rows = _table_rows(element)
            if rows:
                blocks.append(Table(rows=tuple(rows), index=len(blocks)))
    return Document(blocks=tuple(blocks), format="docx")


def _body_items(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body, descending into content controls (a
    table of contents or a form field wraps ordinary paragraphs in w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content)


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    _collect_text(p, parts)
    return "".join(parts)


def _collect_text(element: Any, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            # mc:Fallback repeats the mc:Choice content (text boxes) for old readers.
            continue
        if tag in _TEXT_TAGS:
            value = _TEXT_TAGS[tag]
            parts.append((child.text or "") if value is None else value)
            continue
        _collect_text(child, parts)


def _clean(text: str) -> str:
    # Tabs and manual line breaks are layout inside one paragraph, not structure.
    return (
        " ".join(text.replace("\t", " ").replace("\n", " ").split())
        if ("\t" in text or "\n" in text)
        else text.strip()
    )


def _cell_text(tc: Any) -> str:
    """All text of a cell: its paragraphs (and nested tables' paragraphs) joined;
    no separator between CJK lines, a space between Latin words."""
    text = ""
    for p in tc.iter(_P):
        line = _clean(_paragraph_text(p))
        if not line:
            continue
        if text and not (_cjk(text[-1]) or _cjk(line[0])):
            text += " "
        text += line
    return text


def _cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _int_attr(element: Any, path: str, default: int) -> int:
    found = element.find(path)
    if found is None:
        return default
    try:
        return int(found.get(f"{W}val", default))
    except ValueError:
        return default


def _table_rows(tbl: Any) -> list[tuple[str, ...]]:
    """Rows of a table on its column grid; merged cells appear once."""
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(_TR):
        row: list[str] = [""] * _int_attr(tr, f"{W}trPr/{W}gridBefore", 0)
        for tc in _row_cells(tr):
            span = max(1, _int_attr(tc, f"{_TCPR}/{W}gridSpan", 1))
            vmerge = tc.find(f"{_TCPR}/{W}vMerge")
            continued = vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue"
            # A vertically merged continuation holds no text of its own; its text
            # is the restart cell's, already given in the row above.
            row.append("" if continued else _cell_text(tc))
            row.extend([""] * (span - 1))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    out = [tuple(r + [""] * (width - len(r))) for r in rows]
    return [r for r in out if any(r)]


def _row_cells(tr: Any) -> Iterator[Any]:
    """Cells of a row, including cells wrapped in content controls."""
    for child in tr.iterchildren():
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from content.iterchildren(_TC)
