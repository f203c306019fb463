"""HTML reader (BeautifulSoup + lxml): headings, paragraphs and tables in order.

Government sites publish disclosures as web pages, often with tables copied from
Word or Excel. Block elements (p, div, h1–h6, li, br, …) end a paragraph; each
``<table>`` becomes a :class:`Table`.

rowspan/colspan are expanded onto the table's grid with the text in the spanning
cell's top-left position and "" in the other positions it covers. Repeating the text
instead would double-count amounts (a merged 合计 cell read twice); leaving the cell
out would shift every later column left of its header. With empty positions every
row has one entry per grid column, as in the PDF, DOCX and XLSX readers.

A table nested inside a cell contributes its text to that cell. Each line of a
``<pre>`` block is a paragraph of its own (tables shown as text keep their rows). Ruby
annotations
(``<rt>``/``<rp>``: the reading printed above a character) are not text and are skipped.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ParseError
from ..types import Block, Document, Paragraph, Table

__all__ = ["read_html"]

_BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "main",
    "blockquote",
    "pre",
    "center",
    "address",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "hr",
    "caption",
    "title",
    "body",
    "html",
}
_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "iframe",
    "object",
    "svg",
    "select",
    "button",
    "textarea",
    # Ruby annotations: the reading (pinyin, 注音) printed above a character, not text.
    "rt",
    "rp",
}
_SPACE_RE = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w]+)""", re.IGNORECASE)
_MAX_SPAN = 1000  # a hostile rowspan="1000000" must not build a huge grid


def read_html(data: bytes, filename: str = "") -> Document:
    """Read an HTML page into paragraphs and tables, in document order."""
    from bs4 import BeautifulSoup

    encoding = _declared_encoding(data)
    try:
        soup = BeautifulSoup(data, "lxml", from_encoding=encoding)
    except Exception as err:  # noqa: BLE001 - lxml gives up only on hopeless input
        raise ParseError("damaged_html") from err
    root = soup.body or soup
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    if not walker.blocks:
        raise ParseError("empty_web_page")
    return Document(blocks=tuple(walker.blocks), format="html")


def _declared_encoding(data: bytes) -> str | None:
    match = _CHARSET_RE.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    # Pages declared GB2312/GBK routinely contain characters only GB18030 has.
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936"):
        return "gb18030"
    return name


def _norm(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    if ord(a[-1]) >= 0x2E80 or ord(b[0]) >= 0x2E80:
        return a + b
    return a + " " + b


class _Walker:
    """Depth-first walk collecting inline text into paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        text = _norm("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.blocks.append(Paragraph(text=text, index=len(self.blocks)))

    def walk(self, node: Any) -> None:
        from bs4.element import Comment, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not CData/Doctype/ProcessingInstruction
                    self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _SKIP_TAGS:
                continue
            if name == "table":
                self.flush()
                rows = _table_rows(child)
                if rows:
                    self.blocks.append(Table(rows=tuple(rows), index=len(self.blocks)))
                continue
            if name == "br":
                self.flush()
                continue
            if name == "pre":
                # Preformatted text keeps its lines: a table a page shows as text
                # ("收入项目 | 金额 | …" rows) must not run together into one paragraph.
                self.flush()
                for line in child.get_text().splitlines():
                    self.buffer.append(line)
                    self.flush()
                continue
            block = name in _BLOCK_TAGS
            if block:
                self.flush()
            self.walk(child)
            if block:
                self.flush()


def _cell_text(cell: Any) -> str:
    """A cell's text: lines (br, p, div) joined without space between CJK."""
    from bs4.element import NavigableString, Tag

    lines: list[str] = []
    current: list[str] = []

    def visit(node: Any) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    current.append(str(child))
            elif isinstance(child, Tag) and child.name not in _SKIP_TAGS:
                block = child.name in _BLOCK_TAGS or child.name in ("br", "tr", "table")
                if block:
                    lines.append("".join(current))
                    current.clear()
                visit(child)
                if block:
                    lines.append("".join(current))
                    current.clear()

    visit(cell)
    lines.append("".join(current))
    text = ""
    for line in lines:
        text = _join(text, _norm(line))
    return text


def _span(cell: Any, attr: str) -> int:
    try:
        return min(max(int(str(cell.get(attr, "1")).strip() or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _own_rows(table: Any) -> list[Any]:
    """The table's rows, not those of tables nested in its cells."""
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is table:
            rows.append(tr)
    return rows


def _table_rows(table: Any) -> list[tuple[str, ...]]:
    """The table on its grid: spans expanded with "" (see the module docstring)."""
    grid: list[list[str | None]] = []
    for r, tr in enumerate(_own_rows(table)):
        while len(grid) <= r:
            grid.append([])
        row = grid[r]
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while c < len(row) and row[c] is not None:
                c += 1  # skip positions taken by a rowspan from above
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            text = _cell_text(cell)
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < c + colspan:
                    target.append(None)
                for dc in range(colspan):
                    target[c + dc] = text if (dr == 0 and dc == 0) else ""
            c += colspan
    width = max((len(row) for row in grid), default=0)
    out = []
    for row in grid:
        cells = tuple((x or "") for x in row) + ("",) * (width - len(row))
        if any(cells):
            out.append(cells)
    return out
